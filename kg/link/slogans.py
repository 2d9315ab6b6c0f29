"""Slogans a report uses without defining: quoted short names and numeral compounds.

Two sources of candidates, each read off the folded body text:

- a *quoted* name: 2 to 10 characters between quotes, holding a Han
  character (“江汉九条”, “两重”, “五育”, “四首经济”, “宜商江汉3.0”);
- an *unquoted numeral compound* of two or three groups of a small numeral
  and one character (一企一策, 一校一品): the shape of 一主三化. Not after
  第 (第一个五年), not with 个 as the head (a count), not with 百/千/万 (the
  idioms 千方百计, 万众一心). Single-group numeral
  phrases without quotes (三个月, 一批, 五个方面) are almost never names,
  so they are left out.

Filters, each with a reason a reader can check:

- plan periods (十四五, 十五五, 七五, 八五) are time spans, not slogans;
- a quoted text holding list punctuation (、,;:) or a sentence end is a
  quoted phrase or motto ("走出去、引进来"), not a name;
- single characters (“闯”, “用”) are emphasis;
- known names: a candidate that is the full or core form of a glossary term
  is that term, so it is a mention, not a new slogan. One that is only a
  *part* of a glossary term (“两重” of “两重”“两新”) is kept, linked to it.

Confidence is rule-based: quoted and numeral-led 0.9; quoted code 0.6;
quoted and naming a place (江汉, 武昌, 汉…) 0.8; other quoted names 0.6, or
0.4 for two characters; unquoted numeral compounds 0.5; +0.1 (at most 1.0)
when the name is quoted in two or more reports.

Every candidate is kept. Whether a reader would look it up (``listed``) is
weighed in :mod:`kg.link.listing`; a candidate that a glossary entry explains,
as a part of a combined term or an item of its definition, names that entry
(``explained_by``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

import ahocorasick

from kg.chars import fold
from kg.link.listing import WordFrequencies, gather_evidence, is_listed
from kg.link.matching import FormKind, KnownTerm, form_claims, view_form
from kg.model import Report
from kg.text import normalize_label

__all__ = ["NUMERALS", "Slogan", "discover_slogans", "slogan_confidence"]

NUMERALS = "一二三四五六七八九十百千万两双"
_QUOTED = re.compile(r'"([^"\n]{2,10})"')
_SMALL_NUMERALS = "一二三四五六七八九十两双"
_COMPOUND = re.compile(
    rf"(?<![{NUMERALS}第])(?:[{_SMALL_NUMERALS}][^{NUMERALS}个\W\d]){{2,3}}(?![{NUMERALS}])"
)
_PLAN_PERIOD = re.compile(r"^(十[一二三四五六七八九]?|[一二三四五六七八九])五$")
_PHRASE_PUNCT = re.compile(r"[、,，;；:：。!?！？()（）《》]")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_CODE = re.compile(r"^[0-9A-Za-z+.]+$")
_PLACES = ("江汉", "武昌", "武汉", "汉口", "汉", "昌", "楚", "鄂")
_NOT_COMPOUND = re.compile(rf"^[{NUMERALS}](是|步|批|体|些|年|期|级|流|线|道|大|定|致|般|切)")
DISCOVERED_BY = ("quoted-name", "numeral-compound")


@dataclass(frozen=True)
class Slogan:
    """A name used without a definition, where it was seen, and how sure we are it is one.

    ``rule`` is the rule that found it (``quoted-name`` or ``numeral-compound``)
    and ``confidence`` how sure that rule is. ``part_of`` is the key of a
    glossary term of which it is one quoted part (“两重” of “两重”“两新”).
    ``listed`` says whether a reader would look it up — a policy, programme,
    campaign, mechanism, slogan, brand or established abbreviation — rather
    than an ordinary word quoted as a metaphor, a generic phrase, an honour
    title or a fragment of a longer name (see :mod:`kg.link.listing`); every
    candidate is kept either way, and lists show the listed ones by default.
    ``explained_by`` is the normalised key (:func:`kg.ids.normalize_label`) of
    the glossary term whose entry explains it, as a part of a combined term or
    an item of a longer definition (一次办 in 四办's), else None: such a name
    is defined there, not undefined.
    """

    key: str
    label: str
    rule: str
    confidence: float
    report_ids: tuple[str, ...]
    part_of: str | None = None
    listed: bool = True
    explained_by: str | None = None


@dataclass
class _Seen:
    label: str
    rule: str
    reports: list[str]


def discover_slogans(reports: Sequence[Report], known: Mapping[str, KnownTerm]) -> list[Slogan]:
    """The undefined slogans of ``reports`` bodies, given the glossary terms ``known``."""
    seen: dict[str, _Seen] = {}
    for report in reports:
        for label, rule in _candidates(report.clean.normalized[: report.body_end]):
            key = normalize_label(label)
            entry = seen.setdefault(key, _Seen(label, rule, []))
            if rule == "quoted-name":
                entry.rule = rule
            if report.id not in entry.reports:
                entry.reports.append(report.id)
    claims = form_claims(known.values())
    kept: list[tuple[str, _Seen, str | None]] = []
    for key, entry in sorted(seen.items()):
        on_form = claims.get(view_form(key), [])
        if key in known or not _is_name(key):
            continue
        if any(claim.kind is not FormKind.PART for claim in on_form):
            continue
        kept.append((key, entry, on_form[0].key if on_form else None))
    bodies = [report.clean.normalized[: report.body_end] for report in reports]
    labels = [entry.label for _, entry, _ in kept]
    frequencies = WordFrequencies()
    places = _places(reports)
    explanations = _Explanations(_definitions(reports))
    # Each label's evidence is read only from the bodies and labels that contain it:
    # the others have no occurrence to count, so the evidence is the same.
    in_bodies = _containing(labels, bodies)
    in_labels = _containing(labels, labels)
    found: list[Slogan] = []
    for number, (key, entry, part_of) in enumerate(kept):
        confidence = slogan_confidence(key, entry.rule, len(entry.reports))
        explained_by = part_of or explanations.explained_by(entry.label)
        evidence = gather_evidence(
            entry.label,
            [bodies[i] for i in in_bodies[number]],
            len(entry.reports),
            [labels[i] for i in in_labels[number]],
            frequencies,
            places,
            explained=explained_by is not None,
        )
        found.append(
            Slogan(
                key,
                entry.label,
                entry.rule,
                confidence,
                tuple(entry.reports),
                part_of,
                listed=is_listed(evidence),
                explained_by=explained_by,
            )
        )
    return found


def _places(reports: Sequence[Report]) -> frozenset[str]:
    """The place names the reports are about, without their suffix: 江汉区 → 江汉."""
    names = {
        name[:-1] if len(name) > 2 else name
        for report in reports
        for name in (report.metadata.district, report.metadata.city)
        if name
    }
    return frozenset(names)


def _definitions(reports: Sequence[Report]) -> list[tuple[str, str, frozenset[str]]]:
    """(term key, folded definition, part labels) of every glossary entry, in report order."""
    return [
        (
            normalize_label(entry.term),
            fold(entry.definition),
            frozenset(part.label for part in entry.parts.components)
            if entry.parts
            else frozenset(),
        )
        for report in reports
        for entry in report.entries
    ]


def _containing(labels: Sequence[str], texts: Sequence[str]) -> list[list[int]]:
    """For each label, the indices of the ``texts`` it occurs in, in order (one scan of each
    text with an Aho–Corasick automaton of all the labels)."""
    found: list[list[int]] = [[] for _ in labels]
    if not labels:
        return found
    automaton = ahocorasick.Automaton()
    for number, label in enumerate(labels):
        if label in automaton:
            automaton.get(label).append(number)
        else:
            automaton.add_word(label, [number])
    automaton.make_automaton()
    for index, text in enumerate(texts):
        present = {number for _, numbers in automaton.iter(text) for number in numbers}
        for number in present:
            found[number].append(index)
    return found


_DEFINED_AFTER = ("是指", "指", "即", "是", ":")


class _Explanations:
    """Which glossary term's entry explains a label: one of its listed parts (一次办 of
    四办), or a quoted name its definition defines (“两新”指…).

    Indexed once: each label to the entries listing it as a part, and to the
    entries whose definition has it between quotes followed by 是指, 指, 即, 是
    or a colon, so a label is looked up, not searched for in every definition.
    """

    def __init__(self, definitions: Sequence[tuple[str, str, frozenset[str]]]) -> None:
        self._keys = [key for key, _, _ in definitions]
        self._entries: dict[str, set[int]] = {}
        for index, (_, definition, parts) in enumerate(definitions):
            for label in parts:
                self._entries.setdefault(label, set()).add(index)
            for label in _defined_names(definition):
                self._entries.setdefault(label, set()).add(index)

    def explained_by(self, label: str) -> str | None:
        """The first entry's term, in report order, that explains ``label`` (not itself)."""
        for index in sorted(self._entries.get(label, ())):
            if self._keys[index] != label:
                return self._keys[index]
        return None


def _defined_names(definition: str) -> Iterator[str]:
    """Every text between two quotes of ``definition`` with a defining word after the second."""
    quotes = [i for i, char in enumerate(definition) if char == '"']
    for close_at, close in enumerate(quotes):
        if definition.startswith(_DEFINED_AFTER, close + 1):
            for open_ in quotes[:close_at]:
                yield definition[open_ + 1 : close]


def _candidates(folded: str) -> list[tuple[str, str]]:
    quoted = [(match.group(1), "quoted-name") for match in _QUOTED.finditer(folded)]
    unquoted_text = _QUOTED.sub(lambda match: " " * len(match.group(0)), folded)
    compounds = [
        (match.group(0), "numeral-compound")
        for match in _COMPOUND.finditer(unquoted_text)
        if not _NOT_COMPOUND.match(match.group(0))
    ]
    return quoted + compounds


def _is_name(label: str) -> bool:
    """Whether a candidate passes the filters of the module docstring."""
    return (
        len(label) >= 2
        and _HAN.search(label) is not None
        and _PLAN_PERIOD.match(label) is None
        and _PHRASE_PUNCT.search(label) is None
    )


def slogan_confidence(label: str, rule: str, report_count: int) -> float:
    """How sure the rules are that ``label`` is a slogan (0–1); see the module docstring."""
    if rule == "numeral-compound":
        score = 0.5
    elif label[0] in NUMERALS:
        score = 0.9
    elif _CODE.match(label):
        score = 0.6
    elif any(place in label for place in _PLACES):
        score = 0.8
    else:
        score = 0.6 if len(label) > 2 else 0.4
    if rule == "quoted-name" and report_count >= 2:
        score += 0.1
    return round(min(score, 1.0), 2)
