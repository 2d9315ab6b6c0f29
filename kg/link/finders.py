"""Candidate spans for ad-hoc text: an Aho–Corasick automaton over the known forms.

:class:`AhoCorasickScanner` proposes the view spans that equal a known form,
for :class:`~kg.link.matching.TermMatcher` to resolve, fast and with no
dictionary to load: the service's annotator uses it. The build's mentions
use word boundaries instead (:class:`kg.link.segmenter.JiebaSegmenter`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

import ahocorasick

from kg.link.matching import Claim

__all__ = ["AhoCorasickScanner"]


class AhoCorasickScanner:
    """Candidate spans from an Aho–Corasick automaton over the forms: leftmost, longest first."""

    def __init__(self, claims: Mapping[str, Sequence[Claim]]) -> None:
        self._automaton = ahocorasick.Automaton()
        for form in claims:
            self._automaton.add_word(form, len(form))
        if claims:
            self._automaton.make_automaton()
        self._empty = not claims

    def candidates(self, view: str) -> Iterator[list[tuple[int, int]]]:
        if self._empty:
            return
        by_start: dict[int, list[tuple[int, int]]] = {}
        for last, length in self._automaton.iter(view):
            start = last - length + 1
            spans = by_start.get(start)
            if spans is None:
                by_start[start] = [(start, last + 1)]
            else:
                spans.append((start, last + 1))
        for start in sorted(by_start):
            spans = by_start[start]
            if len(spans) > 1:
                spans.sort(key=_longest_first)
            yield spans


def _longest_first(span: tuple[int, int]) -> int:
    return span[0] - span[1]
