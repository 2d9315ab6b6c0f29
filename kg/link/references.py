"""Cross-references between terms and reports, each typed, quoted and scored.

Types (the ``ref_type`` of :class:`CrossReference`):

``cites-term``
    a definition names another known term (一核两纵五区's definition names
    一核两纵三区四带). Confidence 0.9 when the name is quoted, else 0.7.
``cites-report``
    a definition cites a report by year and body ("2021年区《政府工作报告》
    提出"). The year is the year the cited report was *delivered*; "区" alone
    means the citing report's own district. Resolved to the held report of
    that district, kind and delivery year (0.95), or else to a report node
    known but not held (0.8).
``evolved-based-on``
    a definition says it grew out of another term: "在…“X”基础上…形成" (0.95).
``evolved-renamed-tail``
    the older name is the start of the newer one (三所一庭 → “三所一庭+N”
    工作机制), in one district, the older not defined again where the newer
    first is; 0.6 + 0.4 × definition similarity.
``evolved-changed-head``
    same numeral and measure, different head (八个着力 → 八个坚持), defined in
    consecutive glossaries of one district, the older not defined again, and
    the definitions alike (similarity ≥ 0.15, or both "N个方面");
    0.5 + 0.5 × similarity.
``evolved-similar``
    names and definitions alike (character-bigram Jaccard of names ≥ 0.3,
    cosine of definitions ≥ 0.3), same district, the older not defined again;
    the mean of the two similarities.
``same-idea``
    terms of different districts whose definitions are alike: cosine ≥ 0.5, or
    ≥ 0.3 when one name holds the other (三件套, 燃气“三件套”). 五个统筹 and
    “必须统筹好”的五对重要关系 (0.68); not 五个中心 and 三个中心 (0.4, names
    apart). Confidence: the cosine.
``part-of``
    an undefined slogan that is one quoted part of a glossary term (“两重” of
    “两重”“两新”).

Similarity is over character bigrams of Han letters and digits, punctuation
dropped (:mod:`kg.link.similarity`); no pair is listed by hand. The rules read
the definitions of :func:`kg.link.revisions.term_definitions`, where a term's
definition changing from one report to the next is recorded too.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from kg.ids import district_id
from kg.link.matching import FormKind, KnownTerm, TermMatcher, fold, non_overlapping, view_form
from kg.link.mentions import sentence_around
from kg.link.revisions import TermDefinition, report_district, term_definitions
from kg.link.similarity import Bigrams, CosineIndex, bigrams
from kg.link.slogans import Slogan
from kg.model import Report

__all__ = [
    "CitedReport",
    "CrossReference",
    "find_references",
]

_GOV_REPORT = "government_work_report"
_CITATION = re.compile(
    r"(?P<year>\d{4})\s*年\s*(?P<body>[\u4e00-\u9fff]{0,8}?[区市县省])?\s*《[^》]*政府工作报告》"
)
_BASED_ON = re.compile(r'在[^。"]{0,8}"(?P<name>[^"]+)"[^。"]{0,4}基础上[^。]{0,40}?形成')
_NUMERAL_HEAD = re.compile(r"^(?P<count>[一二三四五六七八九十两]+[个大项条种位])(?P<head>.+)$")


@dataclass(frozen=True)
class CitedReport:
    """A report a definition cites: held in the corpus or only known of."""

    id: str
    district: str
    year: int
    held: bool


@dataclass(frozen=True)
class CrossReference:
    """A typed link from a term to a term or report, with its evidence and confidence."""

    ref_type: str
    from_key: str
    quote: str
    confidence: float
    to_key: str | None = None
    to_report: CitedReport | None = None
    report_id: str | None = None


def find_references(
    reports: Sequence[Report],
    known: Mapping[str, KnownTerm],
    matcher: TermMatcher,
    slogans: Sequence[Slogan] = (),
) -> list[CrossReference]:
    """All cross-references of the corpus, of every type in :data:`REF_TYPES`."""
    definitions = term_definitions(reports)
    found: list[CrossReference] = []
    found.extend(_cited_terms(definitions, matcher))
    found.extend(_cited_reports(definitions, reports))
    found.extend(_based_on(definitions, matcher))
    profiles = _Profiles()
    found.extend(_renamed_or_rehead(definitions, profiles))
    found.extend(_similar(definitions, profiles))
    found.extend(_same_idea(definitions, profiles))
    found.extend(
        CrossReference("part-of", s.key, s.label, s.confidence, to_key=s.part_of)
        for s in slogans
        if s.part_of is not None
    )
    return _unique(found)


def _unique(references: list[CrossReference]) -> list[CrossReference]:
    """One reference per (type, from, to, report of the evidence): the most confident."""
    best: dict[tuple[str, str, str, str], CrossReference] = {}
    for ref in references:
        target = ref.to_key or (ref.to_report.id if ref.to_report else "")
        slot = (ref.ref_type, ref.from_key, target, ref.report_id or "")
        if slot not in best or ref.confidence > best[slot].confidence:
            best[slot] = ref
    return sorted(
        best.values(), key=lambda r: (r.ref_type, r.from_key, r.to_key or "", r.report_id or "")
    )


def _cited_terms(
    definitions: Sequence[TermDefinition], matcher: TermMatcher
) -> Iterator[CrossReference]:
    for definition in definitions:
        folded = fold(definition.text)
        for match in non_overlapping(matcher.matches(folded, definition.district)):
            if match.key == definition.key:
                continue
            quoted = folded[match.start] == '"'
            yield CrossReference(
                "cites-term",
                definition.key,
                sentence_around(definition.text, folded, match.start, match.end),
                0.9 if quoted else 0.7,
                to_key=match.key,
                report_id=definition.report_id,
            )


def _cited_reports(
    definitions: Sequence[TermDefinition], reports: Sequence[Report]
) -> Iterator[CrossReference]:
    held = _held_work_reports(reports)
    for definition in definitions:
        folded = fold(definition.text)
        for match in _CITATION.finditer(folded):
            body = match.group("body")
            district = definition.district if body in (None, "区", "市", "县", "省") else body
            year = int(match.group("year"))
            cited = held.get((district, year)) or _unheld(district, year)
            yield CrossReference(
                "cites-report",
                definition.key,
                definition.text[match.start() : match.end()],
                0.95 if cited.held else 0.8,
                to_report=cited,
                report_id=definition.report_id,
            )


def _held_work_reports(reports: Sequence[Report]) -> dict[tuple[str, int], CitedReport]:
    """The first government work report of each (district, delivery year), in corpus order."""
    held: dict[tuple[str, int], CitedReport] = {}
    for report in reports:
        meta = report.metadata
        if meta.kind == _GOV_REPORT and meta.delivered_on is not None:
            district, year = report_district(report), meta.delivered_on.year
            held.setdefault((district, year), CitedReport(report.id, district, year, held=True))
    return held


def _unheld(district: str, year: int) -> CitedReport:
    return CitedReport(f"{district_id(district)}-{year}-gov-work-report", district, year, False)


def resolve_citation(year: int, district: str, reports: Sequence[Report]) -> CitedReport:
    """The government work report ``district`` delivered in ``year``: held, or only known."""
    return _held_work_reports(reports).get((district, year)) or _unheld(district, year)


def _based_on(
    definitions: Sequence[TermDefinition], matcher: TermMatcher
) -> Iterator[CrossReference]:
    for definition in definitions:
        folded = fold(definition.text)
        for match in _BASED_ON.finditer(folded):
            claim = matcher.resolve(
                view_form(match.group("name")), definition.district, quoted=True
            )
            if claim is None or claim.kind is not FormKind.FULL or claim.key == definition.key:
                continue
            yield CrossReference(
                "evolved-based-on",
                definition.key,
                definition.text[match.start() : match.end()],
                0.95,
                to_key=claim.key,
                report_id=definition.report_id,
            )


def _first_and_last(
    definitions: Sequence[TermDefinition],
) -> dict[str, tuple[TermDefinition, TermDefinition]]:
    spans: dict[str, tuple[TermDefinition, TermDefinition]] = {}
    for definition in definitions:
        first = spans.get(definition.key, (definition, definition))[0]
        spans[definition.key] = (first, definition)
    return spans


class _Profiles:
    """One bigram profile per text, counted on first use."""

    def __init__(self) -> None:
        self._by_text: dict[str, Bigrams] = {}

    def __call__(self, text: str) -> Bigrams:
        profile = self._by_text.get(text)
        if profile is None:
            profile = self._by_text[text] = bigrams(text)
        return profile


def _successions(
    definitions: Sequence[TermDefinition],
) -> Iterator[tuple[TermDefinition, TermDefinition]]:
    """(older's last definition, newer's first) pairs in one district where the newer
    first appears later and the older is not defined again in that report.

    Only terms of one district are paired, so the work grows with the size of
    each district's glossaries, not with the corpus.
    """
    spans = _first_and_last(definitions)
    defined_in = {(d.key, d.report_id) for d in definitions}
    firsts: dict[str, list[tuple[str, TermDefinition]]] = {}
    for key, (first, _) in spans.items():
        firsts.setdefault(first.district, []).append((key, first))
    for old_key, (_, old_last) in spans.items():
        for new_key, new_first in firsts.get(old_last.district, ()):
            if (
                old_key != new_key
                and new_first.position > old_last.position
                and (old_key, new_first.report_id) not in defined_in
            ):
                yield old_last, new_first


def _renamed_or_rehead(
    definitions: Sequence[TermDefinition], profiles: _Profiles
) -> Iterator[CrossReference]:
    following = _next_positions(definitions)
    for old, new in _successions(definitions):
        old_form, new_form = view_form(old.key), view_form(new.key)
        renamed = len(old_form) >= 3 and new_form.startswith(old_form)
        heads = _changed_head_names(
            old_form, new_form, following.get((old.district, old.position)) == new.position
        )
        if not renamed and heads is None:
            continue
        similarity = profiles(old.text).cosine(profiles(new.text))
        if renamed:
            yield CrossReference(
                "evolved-renamed-tail",
                new.key,
                f"{old.key} → {new.key}",
                round(0.6 + 0.4 * similarity, 2),
                to_key=old.key,
                report_id=new.report_id,
            )
        if heads is not None and _alike_aspects(old, new, heads, similarity):
            yield CrossReference(
                "evolved-changed-head",
                new.key,
                f"{old.key} → {new.key}",
                round(0.5 + 0.5 * similarity, 2),
                to_key=old.key,
                report_id=new.report_id,
            )


def _next_positions(definitions: Sequence[TermDefinition]) -> dict[tuple[str, int], int]:
    """For each (district, position) with definitions, the district's next such position."""
    by_district: dict[str, set[int]] = {}
    for definition in definitions:
        by_district.setdefault(definition.district, set()).add(definition.position)
    following: dict[tuple[str, int], int] = {}
    for district, positions in by_district.items():
        ordered = sorted(positions)
        following.update(((district, here), after) for here, after in itertools.pairwise(ordered))
    return following


def _changed_head_names(old_form: str, new_form: str, consecutive: bool) -> str | None:
    """The shared numeral and measure ("八个") of two names that differ only in the head,
    defined in consecutive glossaries of a district; else None."""
    if not consecutive:
        return None
    old_name = _NUMERAL_HEAD.match(old_form)
    new_name = _NUMERAL_HEAD.match(new_form)
    if old_name is None or new_name is None:
        return None
    if old_name.group("count") != new_name.group("count"):
        return None
    if old_name.group("head") == new_name.group("head"):
        return None
    return old_name.group("count")


def _alike_aspects(old: TermDefinition, new: TermDefinition, count: str, similarity: float) -> bool:
    aspects = f"{count[:-1]}个方面"
    return similarity >= 0.15 or (aspects in old.text and aspects in new.text)


def _similar(
    definitions: Sequence[TermDefinition], profiles: _Profiles
) -> Iterator[CrossReference]:
    for old, new in _successions(definitions):
        names = profiles(view_form(old.key)).jaccard(profiles(view_form(new.key)))
        if names < 0.3:
            continue
        texts = profiles(old.text).cosine(profiles(new.text))
        if texts >= 0.3:
            yield CrossReference(
                "evolved-similar",
                new.key,
                f"{old.key} → {new.key}",
                round((names + texts) / 2, 2),
                to_key=old.key,
                report_id=new.report_id,
            )


def _nested_names(first: str, second: str) -> bool:
    a, b = view_form(first), view_form(second)
    return a in b or b in a


_SAME_IDEA_FLOOR = 0.3
"""The lowest cosine a same-idea pair can have (names nested); pairs below are never listed."""


def _same_idea(
    definitions: Sequence[TermDefinition], profiles: _Profiles
) -> Iterator[CrossReference]:
    latest: dict[str, TermDefinition] = {}
    districts: dict[str, set[str]] = {}
    for definition in definitions:
        latest[definition.key] = definition
        districts.setdefault(definition.key, set()).add(definition.district)
    keys = sorted(latest)
    index = CosineIndex([profiles(latest[key].text) for key in keys], _SAME_IDEA_FLOOR)
    for i, j in sorted(index.pairs()):
        first, second = keys[i], keys[j]
        if districts[first] & districts[second]:
            continue
        a, b = latest[first], latest[second]
        similarity = profiles(a.text).cosine(profiles(b.text))
        if similarity >= 0.5 or (similarity >= 0.3 and _nested_names(first, second)):
            older, newer = (a, b) if (a.position, a.key) <= (b.position, b.key) else (b, a)
            yield CrossReference(
                "same-idea",
                newer.key,
                f"{older.key}：{older.text[:60]} ≈ {newer.key}：{newer.text[:60]}",
                round(similarity, 2),
                to_key=older.key,
                report_id=newer.report_id,
            )
