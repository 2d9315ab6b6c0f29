"""Where each known term is used: mentions in report bodies, with sentence, offsets and page.

:func:`find_mentions` runs a :class:`~kg.link.matching.TermMatcher` (forms,
quoting rules, homonyms) over each report's body; the build's matcher takes its
candidates from jieba word boundaries (:class:`~kg.link.segmenter.JiebaSegmenter`).
:class:`Annotator` applies the same rules to any text, with candidates from an
Aho–Corasick automaton instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from kg.link.finders import AhoCorasickScanner
from kg.link.matching import (
    FormKind,
    KnownTerm,
    TermMatcher,
    TextView,
    non_overlapping,
)
from kg.model import Report, SourceSpan
from kg.text import normalize_label, sentence_bounds

__all__ = [
    "Annotation",
    "Annotator",
    "Mention",
    "find_mentions",
    "glossary_terms",
    "sentence_around",
]


@dataclass(frozen=True)
class Mention:
    """One use of a term in a report's body, with the evidence a reader can check."""

    report_id: str
    key: str
    start: int
    end: int
    form: str
    sentence: str
    span: SourceSpan
    kind: FormKind = FormKind.FULL
    nested: bool = False


def sentence_around(text: str, folded: str, start: int, end: int) -> str:
    """The sentence of ``text`` holding ``[start, end)``: split on 。！？； and line breaks."""
    left, right = sentence_bounds(folded, start, end)
    return text[left:right].strip()


def glossary_terms(reports: Sequence[Report]) -> dict[str, KnownTerm]:
    """The glossary terms of ``reports`` keyed as the graph keys them, with defining districts."""
    districts: dict[str, set[str]] = {}
    labels: dict[str, str] = {}
    for report in sorted(reports, key=lambda report: report.delivery_key):
        place = report.metadata.district or report.metadata.city or ""
        for entry in report.entries:
            key = normalize_label(entry.term)
            labels.setdefault(key, entry.term)
            districts.setdefault(key, set()).add(place)
    return {key: KnownTerm(key, labels[key], frozenset(districts[key])) for key in labels}


def find_mentions(reports: Sequence[Report], matcher: TermMatcher) -> list[Mention]:
    """Every mention of every known term in the bodies of ``reports``."""
    found: list[Mention] = []
    for report in reports:
        found.extend(_report_mentions(report, matcher))
    return found


def _report_mentions(report: Report, matcher: TermMatcher) -> Iterator[Mention]:
    clean = report.clean
    folded = clean.normalized[: report.body_end]
    district = report.metadata.district or report.metadata.city
    for match in non_overlapping(matcher.matches(folded, district)):
        yield Mention(
            report_id=report.id,
            key=match.key,
            start=match.start,
            end=match.end,
            form=clean.text[match.start : match.end],
            sentence=sentence_around(clean.text, folded, match.start, match.end),
            span=clean.span(match.start, match.end),
            kind=match.kind,
            nested=match.nested,
        )


@dataclass(frozen=True)
class Annotation:
    """A term found in ad-hoc text: character offsets of the input, and what it is."""

    start: int
    end: int
    text: str
    key: str


class Annotator:
    """Marks known terms in any text, fast: an Aho–Corasick scan with the mention rules.

    The same forms, quoting rules and homonym resolution as the mentions of
    :func:`find_mentions`; candidates come from the automaton (leftmost, then
    longest) instead of jieba, so no dictionary is loaded.
    """

    def __init__(self, terms: Iterable[KnownTerm]) -> None:
        self.matcher = TermMatcher(terms, AhoCorasickScanner)

    def annotate(self, text: str, district: str | None = None) -> list[Annotation]:
        """Every term occurrence in ``text``, without overlaps, left to right."""
        matches = non_overlapping(self.matcher.matches_in(TextView.of_text(text), district))
        return [
            Annotation(match.start, match.end, text[match.start : match.end], match.key)
            for match in matches
        ]
