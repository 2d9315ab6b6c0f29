"""docs/benchmarks.md from the results of one run of ``scripts/bench.py``: one table per section."""

from __future__ import annotations

from typing import Any

from benchlib.corpus_stats import STATS
from benchlib.sparql_bench import QUERIES

__all__ = ["EXPLAIN", "render_markdown"]

EXPLAIN: dict[str, str] = {
    "build_corpus": "the whole build",
    "read_reports": "reading, cleaning, splitting and extracting every report",
    "read_report": "one report read end to end",
    "linked_graph": "linking the reports and making their RDF graph",
    "link_reports": "linking: mentions, slogans, cross-references, revisions, ids",
    "find_references": "cross-references between terms: citations, evolution, same idea",
    "find_mentions": "mentions of known terms in every body (jieba word boundaries)",
    "validate_graph": "validation against the shapes, compiled once (kg.validate)",
    "validate": "validation against the shapes, compiled once (kg.validate)",
    "write_graph": "serialising the graph and writing it through the store",
    "serialize": "rdflib serialisation of the graph",
    "build_graph": "making the RDF triples of reports, entries and terms",
    "add_links": "adding the link triples to the graph",
    "bigram_cosine": "definition similarity, computed per pair of terms",
    "bigram_jaccard": "name similarity, computed per pair of terms",
    "_bigrams": "character bigrams, rebuilt on every similarity call",
    "_open": "the app's start-up: load the store, build the read model",
    "open_store": "loading the graph file into a fresh on-disk store",
    "load": "loading the graph file into a fresh on-disk store",
    "from_store": "reading the catalog out of the store and indexing it",
    "load_catalog": "one SELECT per kind of node, rows made into catalog objects",
    "from_catalog": "building the search index and the annotator",
    "SearchIndex": "the search index: keys, pinyin, prefix tables",
    "TermAnnotator": "the annotator's Aho–Corasick automaton",
    "lazy_pinyin": "pypinyin, one call per label",
    "_same_idea": "same-idea links: every pair of terms of different districts compared",
    "fold": "character folding for matching, redone on every similarity call",
    "normalize_char": "one character folded (width, quotes, traditional), called per character",
    "is_han": "is a character Han, called per character",
    "_validate_sparql_query": "pySHACL evaluating a SPARQL constraint, once per focus node",
    "_evaluate_sparql_constraint": "pySHACL's SPARQL-based constraints",
    "_parseNoCache": "pyparsing: pySHACL parsing SPARQL again and again",
    "query": "rdflib SPARQL queries (pySHACL's constraints)",
    "_nodes": "one SELECT per kind of node, rows grouped by node",
    "_terms": "catalog terms made from the rows",
    "bulk_load": "pyoxigraph bulk load of the graph file",
    "start": "starting the SPARQL worker processes",
    "wait_ready": "waiting for the SPARQL workers to be ready",
    "_syllables_of": "pinyin syllables of each label for search",
    "select": "trusted SELECT queries on the store",
}
"""What a profiled function does, by name; shown beside the profile rows."""


HIDDEN = ("<built-in method builtins.exec>", "<frozen runpy>", "(<module>)")
"""Profile rows of the interpreter's own entry machinery, left out of the tables."""


def shown_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``rows`` without the interpreter's entry machinery."""
    return [row for row in rows if not any(h in str(row["function"]) for h in HIDDEN)]


def _explain(function: str) -> str:
    name = function.rsplit("(", 1)[-1].rstrip(")")
    return EXPLAIN.get(name, "")


def _fmt(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"


def _machine(results: dict[str, Any]) -> list[str]:
    m = results["machine"]
    return [
        f"Run on {results['date']} at commit `{results['commit']}`: {m['cpu']}, `nproc` = "
        f"{m['cpus']}, {m['memory_gib']:.0f} GiB, Python {m['python']}, load average "
        f"{m['load']} at the start (the machine is shared with other work), "
        f"wrk {m['wrk']}. Total time of the run: {results['seconds'] / 60:.0f} minutes.",
        "",
        "Commands:",
        "",
        *[f"    {command}" for command in results["commands"]],
        "",
    ]


def _targets(results: dict[str, Any]) -> list[str]:
    lines = ["## Targets (issue 10, item 6)", "", "| target | measured | met? | note |"]
    lines.append("|---|---|---|---|")
    for row in results["targets"]:
        met = {True: "met", False: "**missed**", None: "not measured"}[row["met"]]
        lines.append(f"| {row['target']} | {row['measured']} | {met} | {row['note']} |")
    return [*lines, ""]


def _build(results: dict[str, Any]) -> list[str]:
    build = results["build"]
    lines = [
        "## Build",
        "",
        "`python -m kg.cli build DIR --out FILE` in a child process on generated corpora "
        "(`scripts/make_corpus.py N --seed 1`); wall time and the child's own peak resident "
        "memory (`ru_maxrss`), median of the runs shown; CPU is the child's user + system "
        "time, which contention on a shared machine inflates less than wall time. Growth is "
        "the change per added report from the previous size.",
        "",
        "| reports | runs | seconds | reports/s | s/report | CPU s/report | peak MiB "
        "| MiB per added report | triples | triples/report | entries | measured |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    previous = None
    for b in build["results"]:
        growth = (
            (b["peak_mib"] - previous["peak_mib"]) / (b["reports"] - previous["reports"])
            if previous
            else None
        )
        lines.append(
            f"| {b['reports']:,} | {b['runs']} | {b['seconds']:,.1f} | "
            f"{b['reports'] / b['seconds']:.2f} | {b['seconds'] / b['reports']:.2f} | "
            f"{b['cpu_seconds'] / b['reports']:.2f} | {b['peak_mib']:,.0f} | "
            f"{_fmt(growth, 2)} | {b['triples']:,} | "
            f"{b['triples'] / b['reports']:,.0f} | {b['entries']:,} | {b['measured_at']}, "
            f"runs {', '.join(f'{s:.0f}' for s in b['seconds_all'])} s |"
        )
        previous = b
    for size, guess in build.get("extrapolated", {}).items():
        lines.append(
            f"| {int(size):,} | not run | *{guess['seconds']:,.0f} (extrapolated)* | "
            f"*{int(size) / guess['seconds']:.2f}* | *{guess['seconds'] / int(size):.2f}* | "
            f"| *{_fmt(guess.get('peak_mib'), 0)}* | | | | | {guess['why']} |"
        )
    if build.get("extrapolated"):
        lines += [
            "",
            "Sizes marked *not run* were left out of this run (`--sizes`): at the measured "
            "CPU time per report they would take more than an hour of one core each on "
            "this shared machine. Their figures are a power law through the two largest "
            "measured sizes, so they are estimates; serving and start-up stop at the "
            "largest size built.",
        ]
    return [*lines, ""]


def _profile(title: str, profile: dict[str, Any], summary: str) -> list[str]:
    lines = [f"### Profile: {title}", "", summary, ""]
    lines += ["| function | calls | cumulative s | share | own s | what |"]
    lines += ["|---|---:|---:|---:|---:|---|"]
    for row in shown_rows(profile["top"]):
        lines.append(
            f"| `{row['function']}` | {row['calls']:,} | {row['cumtime']:,.1f} | "
            f"{row['share']:.0%} | {row['tottime']:,.1f} | {_explain(row['function'])} |"
        )
    return [*lines, ""]


def _serving(results: dict[str, Any]) -> list[str]:
    lines = [
        "## Serving",
        "",
        "`python -m kg.cli serve --graph FILE --port P` (one process, then `--workers 2`) "
        "and the floor, `scripts/benchlib/minimal_app.py` (one async route, one process, on "
        "the same uvicorn settings: uvloop, httptools, access log off), "
        "loaded in turn by `wrk -t1 -c50 -dSs --latency` on the loopback. Ratios are "
        "taken within each round (the floor for `/healthz`, `/healthz` for the rest), "
        "medians over rounds.",
        "",
        results.get("workers_note", ""),
        "",
    ]
    for name, run in results.get("serving", {}).items():
        lines += [f"### {name} ({run['triples']:,} triples; term: {run['label']})", ""]
        lines += ["| endpoint | req/s | ratio | p50 ms | p99 ms | response bytes | errors |"]
        lines += ["|---|---:|---:|---:|---:|---:|---:|"]
        for endpoint, row in run["rows"].items():
            against = "× floor" if endpoint == "healthz" else "× /healthz"
            ratio = "" if endpoint == "floor" else f"{row['ratio']:.2f}{against}"
            lines.append(
                f"| {endpoint} | {row['rps']:,.0f} | {ratio} | {row['p50_ms']:.1f} | "
                f"{row['p99_ms']:.1f} | {row['bytes']:,} | {row['errors']} |"
            )
        lines.append("")
    return lines


def _startup(results: dict[str, Any]) -> list[str]:
    lines = [
        "## Start-up and memory",
        "",
        "Process start to the first `/healthz` 200, and the web process's VmRSS and VmHWM "
        "from `/proc` once ready (SPARQL workers are separate processes), median of the "
        "runs shown. The first start writes the graph's store snapshot (one bulk load); "
        "the runs shown open it.",
        "",
        "| graph | triples | first start s | runs (s) | ready s | VmRSS MiB | VmHWM MiB "
        "| VmRSS MiB per 1,000 added triples |",
        "|---|---:|---:|---|---:|---:|---:|---:|",
    ]
    previous = None
    for name, row in sorted(results.get("startup", {}).items(), key=lambda kv: kv[1]["triples"]):
        per = (
            (row["rss_mib"] - previous["rss_mib"]) / (row["triples"] - previous["triples"]) * 1000
            if previous and row["triples"] > previous["triples"]
            else None
        )
        previous = row
        lines.append(
            f"| {name} | {row['triples']:,} | {_fmt(row.get('first_ready_seconds'))} | "
            f"{', '.join(map(str, row['ready_all']))} | "
            f"{row['ready_seconds']:.1f} | {row['rss_mib']:,.0f} | {row['hwm_mib']:,.0f} | "
            f"{_fmt(per, 2)} |"
        )
    return [*lines, ""]


def _sparql(results: dict[str, Any]) -> list[str]:
    sparql = results.get("sparql")
    if not sparql:
        return []
    lines = [
        "## SPARQL",
        "",
        f"The fixed set on the {sparql['graph']} graph ({sparql['triples']:,} triples), term "
        f"{sparql['label']}: the `/sparql` endpoint one request at a time; pyoxigraph in "
        "process on the same file, results serialised (the limit); rdflib in memory (the "
        f"baseline, given up after {sparql['rdflib_cap_s']:.0f} s a query). Median of "
        f"{sparql['repeat']} after a warm-up; `/healthz` one request at a time: "
        f"{sparql['healthz_ms']:.2f} ms.",
        "",
        "| query | endpoint ms | engine ms | rdflib ms | endpoint − engine ms | "
        "rdflib / endpoint |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for row in sparql["rows"]:
        rdflib = row["rdflib_ms"]
        speedup = f"{rdflib / row['endpoint_ms']:,.0f}×" if rdflib else "—"
        lines.append(
            f"| {row['query']} | {row['endpoint_ms']:.2f} | {row['engine_ms']:.2f} | "
            f"{_fmt(rdflib, 1) if rdflib is not None else 'gave up'} | "
            f"{row['endpoint_ms'] - row['engine_ms']:.2f} | "
            f"{speedup} |"
        )
    lines += ["", "The queries (prefixes skos, rdf, kgo):", ""]
    for name, query in QUERIES.items():
        lines += [f"- {name}:", "", "  ```sparql", *[f"  {q}" for q in query.splitlines()]]
        lines += ["  ```"]
    return [*lines, ""]


def _annotate(results: dict[str, Any]) -> list[str]:
    a = results.get("annotate")
    if not a:
        return []
    return [
        "## Annotate",
        "",
        f"`TermAnnotator` over the catalog of the {a['graph']} graph ({a['forms']:,} surface "
        f"forms) loaded from an `OxigraphStore`, against a bare pyahocorasick automaton over "
        f"the same forms, on {a['megabytes']:.1f} MB of report text; median of {a['repeat']}.",
        "",
        "| scanner | MB/s |",
        "|---|---:|",
        f"| service annotator (`TermAnnotator.annotate`) | {a['annotator_mb_s']:.2f} |",
        f"| bare automaton (`Automaton.iter`) | {a['automaton_mb_s']:.2f} |",
        f"| ratio | {a['ratio']:.2f}× |",
        "",
    ]


def _corpus(results: dict[str, Any]) -> list[str]:
    stats = results.get("corpus_stats", {})
    if not stats:
        return []
    names = list(stats)
    lines = [
        "## The generated corpus against the bundled one",
        "",
        "The same queries on the graphs the real build made of each corpus "
        "(`scripts/benchlib/corpus_stats.py`).",
        "",
        "| proportion | " + " | ".join(names) + " |",
        "|---|" + "---:|" * len(names),
    ]
    for key, description in STATS:
        values = " | ".join(
            _fmt(stats[name][key], 0 if stats[name][key] >= 100 else 3) for name in names
        )
        lines.append(f"| {description} | {values} |")
    return [*lines, ""]


def render_markdown(results: dict[str, Any], intro: str, notes: dict[str, str]) -> str:
    """The whole of docs/benchmarks.md."""
    lines = ["# Benchmarks", "", intro, "", *_machine(results), *_targets(results)]
    lines += _build(results)
    if "build" in results.get("profiles", {}):
        lines += _profile("the build at 100 reports", results["profiles"]["build"], notes["build"])
    lines += _serving(results) + _startup(results)
    if "startup" in results.get("profiles", {}):
        lines += _profile(
            f"service start-up on the {results['profiles']['startup']['graph']} graph",
            results["profiles"]["startup"],
            notes["startup"],
        )
    lines += _sparql(results) + _annotate(results) + _corpus(results)
    lines += [notes.get("older", "")]
    return "\n".join(lines).rstrip() + "\n"
