"""Annotate throughput: the Aho–Corasick annotator against a naive ``str.find`` baseline.

Both scan the bodies of the bundled reports for every surface form of every
term of the linked corpus graph. The baseline runs ``str.find`` in a loop for
each form over the folded, quote-less text (no resolution); the annotator does
the full job (forms, quoting rules, homonyms, longest match). Prints chars/s
for each and their ratio.

    .venv/bin/python scripts/bench_annotate.py [--rounds N]
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from kg.corpus import corpus_paths
from kg.graph import build_graph
from kg.link.matching import TextView, fold
from kg.link.rdf import add_links, link_reports
from kg.pipeline import read_reports
from kg.readmodel.annotate import TermAnnotator
from kg.readmodel.load import load_catalog
from kg.store import OxigraphStore

__all__ = ["main"]


def _naive(forms: Sequence[str]) -> Callable[[str], int]:
    def scan(text: str) -> int:
        view = TextView.of(fold(text)).view
        hits = 0
        for form in forms:
            at = view.find(form)
            while at >= 0:
                hits += 1
                at = view.find(form, at + 1)
        return hits

    return scan


def _rate(scan: Callable[[str], object], texts: Sequence[str], rounds: int) -> float:
    started = time.perf_counter()
    for _ in range(rounds):
        for text in texts:
            scan(text)
    elapsed = time.perf_counter() - started
    return sum(len(text) for text in texts) * rounds / elapsed


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    rounds = parser.parse_args().rounds
    reports = read_reports(corpus_paths())
    links = link_reports(reports)
    graph = build_graph(reports, links.term_ids)
    add_links(graph, reports, links)
    with (
        tempfile.TemporaryDirectory() as directory,
        OxigraphStore.from_graph(graph, Path(directory)) as store,
    ):
        annotator = TermAnnotator(load_catalog(store))
    texts = [report.body for report in reports]
    forms = sorted(links.matcher.claims)
    fast = _rate(lambda text: annotator.annotate(text), texts, rounds)
    slow = _rate(_naive(forms), texts, rounds)
    print(f"machine: {os.cpu_count()} CPUs, {_cpu_model()}, Python {platform.python_version()}")
    print(f"texts: {len(texts)} report bodies, {sum(map(len, texts))} chars; {len(forms)} forms")
    print(f"annotator (Aho–Corasick + rules): {fast:,.0f} chars/s")
    print(f"naive str.find loop over forms:   {slow:,.0f} chars/s")
    print(f"ratio: {fast / slow:.1f}x")


if __name__ == "__main__":
    main()
