"""The ``kg`` command: extract, build, look up and serve the policy-terms graph.

Errors a user can act on are printed as one line, ``kg: error: …``, with a
non-zero exit status; warnings go to stderr as ``kg: warning: …``.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO
from urllib.parse import quote

from kg import __version__
from kg.errors import KGError
from kg.model import GlossaryEntry, Report

if TYPE_CHECKING:
    from kg.readmodel import ReadModel
from kg.text import normalize_label

__all__ = ["EXIT_SKIPPED", "log_to_stderr", "main"]

EXIT_SKIPPED = 2
"""``kg build``'s exit status when the graph was written but some files were skipped."""


def _json_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def document_record(report: Report) -> dict[str, Any]:
    """The JSON Lines record of a document: its metadata, null where the text is silent."""
    meta = report.metadata
    return {
        "type": "document",
        "source": report.source,
        "id": report.id,
        "title": meta.title,
        "kind": meta.kind,
        "issuing_body": meta.issuing_body,
        "district": meta.district,
        "city": meta.city,
        "doc_number": meta.doc_number,
        "delivered_on": _json_value(meta.delivered_on),
        "issued_on": _json_value(meta.issued_on),
        "year_reviewed": meta.year_reviewed,
        "year_planned": meta.year_planned,
        "congress_session": meta.congress_session,
        "speaker": meta.speaker,
        "speaker_role": meta.speaker_role,
        "entries": len(report.entries),
        "warnings": [str(warning) for warning in report.warnings],
    }


def entry_record(report: Report, entry: GlossaryEntry) -> dict[str, Any]:
    """The JSON Lines record of one glossary entry, with its parts and source location."""
    parts = entry.parts
    return {
        "type": "entry",
        "source": report.source,
        "report": report.id,
        "n": entry.n,
        "term": entry.term,
        "term_as_printed": entry.term_as_printed,
        "definition": entry.definition,
        "components": [component.label for component in parts.components] if parts else [],
        "component_groups": [component.group for component in parts.components] if parts else [],
        "promised_counts": list(parts.promised) if parts else None,
        "found_counts": list(parts.found) if parts else None,
        "parts_match": parts.matches if parts else None,
        "page": entry.span.page,
        "start": entry.span.start,
        "end": entry.span.end,
    }


def _records(report: Report) -> Iterator[dict[str, Any]]:
    yield document_record(report)
    for entry in report.entries:
        yield entry_record(report, entry)


def _warn(message: str) -> None:
    print(f"kg: warning: {message}", file=sys.stderr)


def _error(message: str) -> None:
    print(f"kg: error: {message}", file=sys.stderr)


def cmd_extract(args: argparse.Namespace, out: TextIO) -> int:
    from kg.pipeline import read_report

    failed = 0
    for path in args.paths:
        try:
            report = read_report(path)
        except KGError as exc:
            _error(str(exc))
            failed += 1
            continue
        for warning in report.warnings:
            _warn(str(warning))
        for record in _records(report):
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return 1 if failed else 0


def cmd_build(args: argparse.Namespace, out: TextIO) -> int:
    from kg.build import build_corpus

    cache_dir = None if args.no_cache else Path(args.cache_dir or _cache_dir())
    build = build_corpus(
        args.paths, args.out, progress=sys.stderr.isatty(), jobs=args.jobs, cache_dir=cache_dir
    )
    for report in build.reports:
        for warning in report.warnings:
            _warn(str(warning))
    for skipped in build.skipped:
        _error(f"{skipped} (skipped)")
    read = len(build.reports) - build.reused
    print(f"{len(build.reports)} reports: {read} read, {build.reused} reused", file=out)
    print(
        f"wrote {build.triples} triples from {len(build.reports)} reports "
        f"({build.entries} glossary entries) to {build.path}"
        + (f"; {len(build.skipped)} files skipped" if build.skipped else ""),
        file=out,
    )
    return EXIT_SKIPPED if build.skipped else 0


def _matches(entry: GlossaryEntry, wanted: str) -> bool:
    return normalize_label(entry.term) == wanted


def cmd_lookup(args: argparse.Namespace, out: TextIO) -> int:
    from kg.corpus import corpus_paths
    from kg.pipeline import read_reports

    reports = read_reports(corpus_paths(args.corpus or ()))
    wanted = normalize_label(args.term)
    found = [
        (report, entry) for report in reports for entry in report.entries if _matches(entry, wanted)
    ]
    if not found:
        near = sorted(
            {
                entry.term
                for report in reports
                for entry in report.entries
                if wanted and wanted in normalize_label(entry.term)
            }
        )
        hint = f"; did you mean: {', '.join(near[:5])}" if near else ""
        _error(f"no glossary defines {args.term!r}{hint}")
        return 1
    found.sort(key=lambda pair: (pair[0].metadata.delivered_on or date.min, pair[0].id))
    print(found[0][1].term, file=out)
    for report, entry in found:
        print(_describe(report, entry), file=out)
    return 0


def _describe(report: Report, entry: GlossaryEntry) -> str:
    meta = report.metadata
    where = " ".join(
        part
        for part in (
            meta.district or meta.city or "",
            meta.title or report.id,
            f"delivered {meta.delivered_on.isoformat()}" if meta.delivered_on else "",
        )
        if part
    )
    page = f", page {entry.span.page}" if entry.span.page else ""
    return f"\n  {where} — entry {entry.n}{page} ({report.source})\n  {entry.definition}"


def cmd_lineage(args: argparse.Namespace, out: TextIO) -> int:
    from kg.readmodel import UnknownTerm
    from kg.readmodel.lineage import render_lineage

    with _read_model(args.graph) as model:
        try:
            lineage = model.lineage(model.term(args.term))
        except UnknownTerm as exc:
            _error(str(exc))
            return 1
    if args.json:
        out.write(json.dumps(lineage, ensure_ascii=False, indent=2) + "\n")
    else:
        print(render_lineage(lineage), file=out)
    return 0


def cmd_graph(args: argparse.Namespace, out: TextIO) -> int:
    from kg.readmodel import UnknownTerm
    from kg.readmodel.subgraph import term_subgraph
    from kg.render.graph_page import graph_view, offline_page
    from kg.vocab import BASE

    with _read_model(args.graph) as model:
        try:
            term = model.term(args.term)
        except UnknownTerm as exc:
            _error(str(exc))
            return 1
        subgraph = term_subgraph(model.catalog, term, args.depth)
    # Offline, a node opens the page its IRI resolves to.
    view = graph_view(subgraph, lambda kind, ref: f"{BASE}{kind}/{quote(ref, safe='')}")
    Path(args.out).write_text(offline_page(view), encoding="utf-8")
    shown = subgraph.graph.number_of_nodes()
    capped = f" (of {subgraph.found}, nearest first)" if subgraph.truncated else ""
    print(f"wrote the graph of {term.label}: {shown} nodes{capped} to {args.out}", file=out)
    return 0


@contextmanager
def _read_model(graph: str | None) -> Iterator[ReadModel]:
    """The read model of a graph file, or of the cached build of the bundled corpus."""
    from kg.cache import cached_build
    from kg.readmodel import ReadModel
    from kg.store import OxigraphStore

    path = Path(graph) if graph else cached_build(_cache_dir())
    if not path.is_file():
        raise KGError(f"{path}: no such graph file")
    with (
        tempfile.TemporaryDirectory(prefix="kg-") as directory,
        OxigraphStore.load(path, Path(directory) / "store") as store,
    ):
        yield ReadModel.from_store(store)


def _cache_dir() -> Path:
    return Path(os.environ.get("KG_CACHE_DIR", ".cache/kg"))


def cmd_serve(args: argparse.Namespace, out: TextIO) -> int:
    from kg.cache import cached_build
    from kg.serve import serve
    from kg.store import open_snapshot, verify_graph
    from kg.store.integrity import read_record

    if args.sparql_endpoint is not None:
        if args.graph is not None:
            raise KGError(
                "--graph and --sparql-endpoint exclude each other: serve one or the other"
            )
        return serve(
            host=args.host,
            port=args.port,
            sparql_endpoint=args.sparql_endpoint,
            workers=args.workers,
        )
    if args.graph is not None:
        graph = Path(args.graph)
    else:
        print("kg: building the bundled corpus (cached after the first run)", file=sys.stderr)
        graph = cached_build(_cache_dir())
    if read_record(graph) is None:
        verify_graph(graph)  # a hand-made graph: parsed, so a bad one is refused in one line
    # Refuses a damaged graph in one line, and writes the store snapshot if there is none.
    open_snapshot(graph, spare=_cache_dir() / "snapshots").close()
    return serve(host=args.host, port=args.port, graph=graph, workers=args.workers)


def cmd_push(args: argparse.Namespace, out: TextIO) -> int:
    from kg.cache import cached_build
    from kg.store.push import push_graph

    graph = Path(args.graph) if args.graph else cached_build(_cache_dir())
    if not graph.is_file():
        raise KGError(f"{graph}: no such graph file")
    result = push_graph(
        graph,
        args.endpoint,
        graph=args.graph_iri,
        graph_store=args.graph_store,
        batch_size=args.batch,
    )
    print(
        f"pushed {result.triples} triples in {result.batches} batches to <{result.graph}> "
        f"at {args.endpoint}",
        file=out,
    )
    return 0


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kg",
        description=(
            "A knowledge graph of Chinese policy terms read from government work reports. "
            "With no command, serves the bundled corpus."
        ),
    )
    parser.add_argument("--version", action="version", version=f"kg {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    extract = commands.add_parser(
        "extract", help="print each document's metadata and glossary entries as JSON Lines"
    )
    extract.add_argument("paths", nargs="+", metavar="PATH", help=".txt .md .pdf .docx .html")
    extract.set_defaults(run=cmd_extract)

    build = commands.add_parser(
        "build", help="build and validate the RDF graph (.ttl, .nt, .jsonld, .rdf, .nq, .trig)"
    )
    build.add_argument(
        "paths", nargs="*", metavar="PATH", help="files or folders (default: the bundled corpus)"
    )
    build.add_argument("--out", required=True, metavar="FILE", help="format from its suffix")
    build.add_argument(
        "--jobs",
        type=_positive,
        default=os.cpu_count() or 1,
        metavar="N",
        help="processes reading reports (default: one per core)",
    )
    build.add_argument(
        "--cache-dir",
        metavar="DIR",
        help="where each report's extraction is kept for the next build "
        "(default: $KG_CACHE_DIR or .cache/kg)",
    )
    build.add_argument("--no-cache", action="store_true", help="read every report, keep nothing")
    build.set_defaults(run=cmd_build)

    lookup = commands.add_parser("lookup", help="print a term's definitions, one per report")
    lookup.add_argument("term", metavar="TERM")
    lookup.add_argument("--corpus", nargs="*", metavar="PATH", help="default: bundled corpus")
    lookup.set_defaults(run=cmd_lookup)

    lineage = commands.add_parser(
        "lineage", help="print a term's timeline across reports, and what it came from and became"
    )
    lineage.add_argument("term", metavar="TERM", help="a label (六个致力) or a term id")
    lineage.add_argument("--graph", metavar="FILE", help="a prebuilt graph; default: bundled")
    lineage.add_argument("--json", action="store_true", help="print the lineage as JSON")
    lineage.set_defaults(run=cmd_lineage)

    graph = commands.add_parser(
        "graph", help="write a term's neighbourhood as an interactive HTML page that works offline"
    )
    graph.add_argument("term", metavar="TERM", help="a label (六个致力) or a term id")
    graph.add_argument("--out", required=True, metavar="FILE", help="the HTML file to write")
    graph.add_argument("--depth", type=int, default=1, help="steps out from the term (1-3)")
    graph.add_argument("--graph", metavar="FILE", help="a prebuilt graph; default: bundled")
    graph.set_defaults(run=cmd_graph)

    push = commands.add_parser(
        "push", help="load a built graph into a shared SPARQL 1.1 store, replacing the old one"
    )
    _push_options(push)
    push.set_defaults(run=cmd_push)

    serve = commands.add_parser("serve", help="serve the JSON API and SPARQL endpoint (default)")
    _serve_options(serve)
    serve.set_defaults(run=cmd_serve)
    return parser


def _serve_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--graph", metavar="FILE", help="serve a prebuilt graph file")
    parser.add_argument(
        "--sparql-endpoint",
        metavar="URL",
        help="serve from the query endpoint of a shared SPARQL store (see kg push)",
    )
    parser.add_argument(
        "--workers",
        type=_positive,
        default=1,
        metavar="N",
        help="web processes sharing the port, each with its own store and read model "
        "(default 1; one per core uses every core)",
    )


def _push_options(parser: argparse.ArgumentParser) -> None:
    from kg.store.remote import DEFAULT_GRAPH

    parser.add_argument(
        "--endpoint", required=True, metavar="URL", help="the SPARQL Update endpoint"
    )
    parser.add_argument("--graph", metavar="FILE", help="a built graph; default: bundled corpus")
    parser.add_argument(
        "--graph-store", metavar="URL", help="a Graph Store Protocol endpoint to load through"
    )
    parser.add_argument("--graph-iri", default=DEFAULT_GRAPH, metavar="IRI", help="named graph")
    parser.add_argument(
        "--batch",
        type=int,
        default=2_000,
        help="triples per request (Virtuoso parses ~4,000 at most)",
    )


class _OneLine(logging.Formatter):
    """The library's log records as the command's own lines: ``kg: warning: …``."""

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        if message.startswith("kg: "):
            return message
        return f"kg: {record.levelname.lower()}: {message}"


class _Stderr(logging.StreamHandler[TextIO]):
    """Writes to whatever ``sys.stderr`` is at the time of each record, not when created."""

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, value: TextIO) -> None:
        """The stream is always the current ``sys.stderr``."""


def log_to_stderr() -> None:
    """Print the library's warnings and errors to stderr as ``kg: warning: …`` lines."""
    handler = _Stderr()
    handler.setFormatter(_OneLine())
    library = logging.getLogger("kg")
    if not library.handlers:
        library.addHandler(handler)
        library.setLevel(logging.WARNING)
        library.propagate = False


def main(argv: Sequence[str] | None = None) -> int:
    log_to_stderr()
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args(["serve", *(argv or [])])
    try:
        return int(args.run(args, sys.stdout))
    except KGError as exc:
        _error(str(exc))
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
