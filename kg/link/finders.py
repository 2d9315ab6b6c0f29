"""Where candidate spans come from: jieba word boundaries, or an Aho–Corasick automaton.

Both propose the view spans that equal a known form, for
:class:`~kg.link.matching.TermMatcher` to resolve. :class:`JiebaSegmenter`
finds them on word boundaries, using its own ``jieba.Tokenizer`` with the forms
as user words (the build's mentions); :class:`AhoCorasickScanner` finds them
fast for ad-hoc text, with no dictionary to load.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping, Sequence

import ahocorasick
import jieba

from kg.link.matching import Claim

__all__ = ["AhoCorasickScanner", "JiebaSegmenter"]

_USER_WORD_FREQ = 10_000_000
_MAX_JOIN = 8


class JiebaSegmenter:
    """Candidate spans on jieba word boundaries, with every form a user word.

    Loading jieba's dictionary takes about a second: build one per set of terms.
    """

    def __init__(self, claims: Mapping[str, Sequence[Claim]]) -> None:
        logging.getLogger("jieba").setLevel(logging.WARNING)
        self._forms = frozenset(claims)
        self._longest = max((len(form) for form in self._forms), default=0)
        self._tokenizer = jieba.Tokenizer()
        for form in sorted(self._forms):
            self._tokenizer.add_word(form, freq=_USER_WORD_FREQ)

    def candidates(self, view: str) -> Iterator[list[tuple[int, int]]]:
        tokens = list(self._tokenizer.cut(view, HMM=False))
        starts = [0]
        for token in tokens:
            starts.append(starts[-1] + len(token))
        for i in range(len(tokens)):
            group = [
                (starts[i], starts[j])
                for j in range(min(len(tokens), i + _MAX_JOIN), i, -1)
                if starts[j] - starts[i] <= self._longest
                and view[starts[i] : starts[j]] in self._forms
            ]
            if group:
                yield group


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
            by_start.setdefault(start, []).append((start, last + 1))
        for start in sorted(by_start):
            yield sorted(by_start[start], key=lambda span: span[0] - span[1])
