"""Readable, deterministic, URL-safe ids for terms, reports, districts and bodies.

Ids are lowercase ASCII made from the pinyin of a name: 六个致力 is
``liu-ge-zhi-li``, “235”现代化产业体系 is ``235-xian-dai-hua-chan-ye-ti-xi``,
江汉区 is ``jianghan``. The same name always gives the same id.

Pinyin drops tones and characters it cannot spell, so two different names can
share a slug (homophones, or “三库”“两算”“三评” beside 三库两算三评).
:func:`assign_term_ids` settles that for a set of labels: a slug that two or
more labels share gets an 8-hex-digit hash of each label appended, so every
label keeps a distinct id. A label's id therefore changes only when a
homophone of it joins the corpus; :func:`term_id` alone is the plain slug.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from pathlib import PurePath

from pypinyin import Style, lazy_pinyin

from kg.model import ReportMetadata
from kg.text import normalize_label

__all__ = [
    "assign_term_ids",
    "body_id",
    "district_id",
    "label_hash",
    "report_id",
    "slugify",
    "term_id",
]

_NON_SLUG = re.compile(r"[^a-z0-9]+")
_DIVISION_SUFFIXES = ("自治县", "新区", "区", "县", "市", "省")
_KIND_SLUGS = (
    ("部门预算", "dept-budget"),
    ("departmental_budget", "dept-budget"),
    ("部门决算", "dept-final-accounts"),
    ("final_accounts", "dept-final-accounts"),
    ("政府工作报告", "gov-work-report"),
    ("government work", "gov-work-report"),
    ("gov", "gov-work-report"),
    ("计划", "plan-report"),
    ("plan", "plan-report"),
    ("预算", "budget-report"),
    ("budget", "budget-report"),
)


def slugify(text: str, separator: str = "-") -> str:
    """Lowercase pinyin syllables, ASCII letters and digits of ``text``, joined by ``separator``."""
    folded = unicodedata.normalize("NFKC", text)
    syllables = lazy_pinyin(folded, style=Style.NORMAL, errors="default")
    words: list[str] = []
    for syllable in syllables:
        words.extend(word for word in _NON_SLUG.split(syllable.lower()) if word)
    return separator.join(words)


def label_hash(label: str) -> str:
    """A short stable hash of a label's normalised form: 8 hex digits of its SHA-1."""
    return hashlib.sha1(normalize_label(label).encode("utf-8")).hexdigest()[:8]


def term_id(label: str) -> str:
    """The slug of a term: 六个致力 → ``liu-ge-zhi-li``.

    A label with nothing pinyin can spell (only punctuation, say) gets
    ``term-`` and its hash. Use :func:`assign_term_ids` when ids must be unique.
    """
    slug = slugify(normalize_label(label))
    return slug or f"term-{label_hash(label)}"


def assign_term_ids(labels: Iterable[str]) -> dict[str, str]:
    """Unique ids for labels, keyed by normalised label, independent of their order.

    Labels with the same normalised form share one id. Distinct labels whose
    slugs collide each get ``-`` and their :func:`label_hash` appended.
    """
    by_slug: dict[str, set[str]] = defaultdict(set)
    for label in labels:
        key = normalize_label(label)
        by_slug[term_id(key)].add(key)
    ids: dict[str, str] = {}
    for slug, keys in by_slug.items():
        for key in keys:
            ids[key] = slug if len(keys) == 1 else f"{slug}-{label_hash(key)}"
    return ids


def district_id(name: str) -> str:
    """The id of an administrative division, without its suffix: 江汉区 → ``jianghan``."""
    text = "".join(unicodedata.normalize("NFKC", name).split())
    for suffix in _DIVISION_SUFFIXES:
        if text.endswith(suffix) and len(text) - len(suffix) >= 2:
            text = text.removesuffix(suffix)
            break
    return slugify(text, separator="") or f"district-{label_hash(name)}"


def body_id(name: str) -> str:
    """The id of an issuing body: 江汉区人民政府 → ``jiang-han-qu-ren-min-zheng-fu``."""
    return slugify(name) or f"body-{label_hash(name)}"


def _kind_slug(kind: str | None) -> str:
    """A short slug for a report kind: 政府工作报告 → ``gov-work-report``."""
    if not kind:
        return "report"
    lowered = kind.lower()
    for marker, slug in _KIND_SLUGS:
        if marker in lowered:
            return slug
    return slugify(kind) or "report"


def report_id(metadata: ReportMetadata, source: str) -> str:
    """The id of a report: ``jianghan-2024-gov-work-report``.

    Made of the district (or else the city), the year the report was delivered
    (or else the year it reviews) and its kind. Without a place or a year it
    falls back to a slug of the source file's name.
    """
    place = metadata.district or metadata.city
    year = metadata.delivered_on.year if metadata.delivered_on else metadata.year_reviewed
    if place and year is not None:
        return f"{district_id(place)}-{year}-{_kind_slug(metadata.kind)}"
    stem = PurePath(source.replace("\\", "/")).stem
    return slugify(stem) or f"report-{label_hash(source)}"
