"""Annotate throughput: the service's annotator in process against the bare automaton.

The annotator is :class:`kg.readmodel.annotate.TermAnnotator` over the
catalog :func:`kg.readmodel.load.load_catalog` reads from an
:class:`kg.store.OxigraphStore` loaded from the graph file, as the service
builds it; the baseline is a pyahocorasick automaton over the same surface
forms, iterated over the same text with nothing else done. MB/s of UTF-8.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import ahocorasick

from kg.readmodel.annotate import TermAnnotator
from kg.readmodel.load import load_catalog
from kg.store import OxigraphStore

__all__ = ["bench_annotate"]


def _rate(scan: Callable[[str], object], texts: list[str], repeat: int) -> float:
    size = sum(len(text.encode("utf-8")) for text in texts)
    rates = []
    for _ in range(repeat):
        started = time.perf_counter()
        for text in texts:
            scan(text)
        rates.append(size / (time.perf_counter() - started) / 1e6)
    return statistics.median(rates)


def bench_annotate(graph: Path, texts: list[str], repeat: int) -> dict[str, float]:
    """MB/s of the annotator and of the bare automaton on ``texts``, and their ratio."""
    with tempfile.TemporaryDirectory() as directory:
        with OxigraphStore.load(graph, Path(directory) / "store") as store:
            catalog = load_catalog(store)
        annotator = TermAnnotator(catalog)
    forms = list(annotator._annotator.matcher.claims)  # the same forms the annotator scans for
    automaton = ahocorasick.Automaton()
    for form in forms:
        automaton.add_word(form, len(form))
    automaton.make_automaton()

    def bare(text: str) -> int:
        return sum(1 for _ in automaton.iter(text))

    fast = _rate(annotator.annotate, texts, repeat)
    floor = _rate(bare, texts, repeat)
    return {
        "forms": len(forms),
        "megabytes": sum(len(text.encode("utf-8")) for text in texts) / 1e6,
        "annotator_mb_s": fast,
        "automaton_mb_s": floor,
        "ratio": fast / floor,
    }
