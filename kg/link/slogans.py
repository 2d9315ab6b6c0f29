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
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from kg.link.mentions import FormKind, KnownTerm, _claims, view_form
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
    """A name used without a definition, where it was seen, and how sure we are it is one."""

    key: str
    label: str
    rule: str
    confidence: float
    report_ids: tuple[str, ...]
    part_of: str | None = None


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
    claims = _claims(known.values())
    found: list[Slogan] = []
    for key, entry in sorted(seen.items()):
        on_form = claims.get(view_form(key), [])
        if key in known or not _is_name(key):
            continue
        if any(claim.kind is not FormKind.PART for claim in on_form):
            continue
        part_of = on_form[0].key if on_form else None
        confidence = slogan_confidence(key, entry.rule, len(entry.reports))
        found.append(
            Slogan(key, entry.label, entry.rule, confidence, tuple(entry.reports), part_of)
        )
    return found


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
