"""Time autocomplete: :meth:`SearchIndex.suggest` against a linear scan over every label.

Both sides get the same precomputed keys (search key, full pinyin, initials of
every label) and must return the same terms; the scan tests every key of every
term per call, the index binary-searches one sorted list. Runs on the bundled
corpus and on a synthetic catalog of ``--terms`` labels made from the corpus's
characters, and prints a Markdown table with the machine it ran on.

    .venv/bin/python scripts/bench_search.py [--terms 20000] [--repeat 200]
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from pypinyin import lazy_pinyin
from rdflib import RDF, Graph, Literal
from rdflib.namespace import SKOS

from kg.build import linked_graph
from kg.corpus import corpus_paths
from kg.pinyin import pinyin_keys, pinyin_query
from kg.pipeline import read_reports
from kg.readmodel.catalog import Catalog, CatalogTerm
from kg.readmodel.load import load_catalog
from kg.readmodel.search import SearchIndex
from kg.store import OxigraphStore
from kg.text import search_key
from kg.vocab import term_iri

__all__ = ["LinearScan", "main", "synthetic_catalog"]

QUERIES = ("l", "liu", "lgz", "六", "六个", "235", "“宜商", "jiang", "zhz", "三所")
LIMIT = 10


class LinearScan:
    """The naive autocomplete: look at every key of every term on every call."""

    def __init__(self, catalog: Catalog) -> None:
        self.rows: list[tuple[CatalogTerm, list[str], list[str], str]] = []
        for term in catalog.terms.values():
            labels = [search_key(term.label)]
            labels += [k for k in (search_key(a) for a in term.alt_labels) if k not in labels]
            pinyins = [p for key in labels for p in pinyin_keys(key)]
            self.rows.append((term, labels, pinyins, " ".join(lazy_pinyin(labels[0]))))

    def suggest(self, prefix: str, limit: int) -> list[str]:
        """The ids of the best ``limit`` terms, ranked as :meth:`SearchIndex.suggest` ranks."""
        key, bare = search_key(prefix), pinyin_query(prefix) or ""
        ranked: list[tuple[int, int, str, str]] = []
        for term, labels, pinyins, order in self.rows:
            tier = _tier(key, bare, labels, pinyins)
            if tier is not None:
                ranked.append((tier, len(term.label), order, term.id))
        if len(ranked) < limit:
            found = {row[3] for row in ranked}
            for term, labels, _, order in self.rows:
                if term.id not in found and any(key in label for label in labels):
                    ranked.append((5, len(term.label), order, term.id))
        ranked.sort()
        return [row[3] for row in ranked[:limit]]


def _tier(key: str, bare: str, labels: list[str], pinyins: list[str]) -> int | None:
    if labels[0] == key:
        return 0
    if key in labels[1:]:
        return 1
    if bare and bare in pinyins:
        return 2
    if any(label.startswith(key) for label in labels):
        return 3
    if bare and any(p.startswith(bare) for p in pinyins):
        return 4
    return None


def synthetic_catalog(size: int, alphabet: str, seed: int = 7) -> Catalog:
    """``size`` terms with labels of 2 to 8 characters drawn from ``alphabet``."""
    rng = random.Random(seed)
    graph = Graph()
    for n in range(size):
        label = "".join(rng.choice(alphabet) for _ in range(rng.randint(2, 8)))
        node = term_iri(f"t{n}")
        graph.add((node, RDF.type, SKOS.Concept))
        graph.add((node, SKOS.prefLabel, Literal(label, lang="zh")))
    return catalog_of(graph)


def catalog_of(graph: Graph) -> Catalog:
    """The catalog the service would read from ``graph``."""
    with (
        tempfile.TemporaryDirectory() as directory,
        OxigraphStore.from_graph(graph, Path(directory)) as store,
    ):
        return load_catalog(store)


def _median_us(call: Callable[[str], object], repeat: int) -> float:
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        for query in QUERIES:
            call(query)
        timings.append((time.perf_counter() - started) / len(QUERIES))
    return statistics.median(timings) * 1e6


def _row(name: str, catalog: Catalog, repeat: int) -> str:
    started = time.perf_counter()
    index = SearchIndex(catalog)
    build_s = time.perf_counter() - started
    scan = LinearScan(catalog)
    for query in QUERIES:
        ours = [hit.id for hit in index.suggest(query, LIMIT)]
        assert ours == scan.suggest(query, LIMIT), f"results differ for {query!r}"
    ours_us = _median_us(lambda q: index.suggest(q, LIMIT), repeat)
    scan_us = _median_us(lambda q: scan.suggest(q, LIMIT), max(5, repeat // 10))
    return (
        f"| {name} | {len(catalog.terms)} | {build_s:.2f} | {ours_us:,.1f} | {scan_us:,.1f} "
        f"| {scan_us / ours_us:,.0f}× |"
    )


def _machine() -> str:
    cpu = platform.processor() or "unknown"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            cpu = next(line.split(":", 1)[1].strip() for line in info if "model name" in line)
    except (OSError, StopIteration):
        pass
    return f"{os.cpu_count()} CPUs (nproc), {cpu}, Python {platform.python_version()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--terms", type=int, default=20_000, help="synthetic catalog size")
    parser.add_argument("--repeat", type=int, default=200, help="timed rounds per side")
    args = parser.parse_args()
    corpus = catalog_of(linked_graph(read_reports(corpus_paths())))
    alphabet = "".join(sorted({c for t in corpus.terms.values() for c in search_key(t.label)}))
    print(f"Machine: {_machine()}\n")
    print(f"Queries (limit {LIMIT}): {', '.join(QUERIES)}; median time per call.\n")
    print("| catalog | terms | index build (s) | suggest (µs) | linear scan (µs) | speed-up |")
    print("|---|---:|---:|---:|---:|---:|")
    print(_row("bundled corpus", corpus, args.repeat))
    print(_row("synthetic", synthetic_catalog(args.terms, alphabet), args.repeat))


if __name__ == "__main__":
    main()
