"""Candidate spans on word boundaries, for the build's mentions: jieba with the forms as words.

:class:`JiebaSegmenter` proposes the view spans that equal a known form and
fall on jieba's word boundaries, for :class:`~kg.link.matching.TermMatcher` to
resolve. It owns its ``jieba.Tokenizer``, never the global one. Only the build
imports this module; the service's annotator scans with
:class:`kg.link.finders.AhoCorasickScanner` and never loads jieba.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping, Sequence

import jieba

from kg.link.matching import Claim

__all__ = ["JiebaSegmenter"]

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
