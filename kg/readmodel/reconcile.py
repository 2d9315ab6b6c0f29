"""Reconciliation: the terms a spreadsheet cell may name, scored, and their property values.

This is what ``/reconcile`` (the W3C Reconciliation Service API) answers with;
the protocol itself is :mod:`api.routers.reconcile`'s. Finding is
:class:`~kg.readmodel.search.SearchIndex`'s (labels by
:func:`kg.text.search_key`, pinyin, initials, fuzzy pinyin); this module turns
its tiers into scores and says when the best candidate is a sure match.

Scores run from 0 to 100. The tier of the hit gives the base (an id or a
label 100, an alternative label 96, the pinyin or initials 90, prefixes and
substrings less); a term no glossary defines loses 2, one lists leave out
(not ``listed``) 5 more; every query property the term does not have
(``district``, ``year``, ``defined``) costs 20. A query with properties and
no text lists the terms having them all, each scored 50. A candidate is a *match* when
it is first, matched exactly (id, label, alternative label, or pinyin), has
every property asked for, and no other candidate with those properties
matched as exactly: two terms whose initials are both ``lw`` are no match.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from rdflib.namespace import SKOS

from kg.readmodel import ReadModel
from kg.readmodel.catalog import CatalogTerm
from kg.readmodel.search import MatchKind, SearchFilters
from kg.text import search_key

__all__ = [
    "EXTENSION_PROPERTIES",
    "PROPERTIES",
    "QUERY_PROPERTIES",
    "TERM_TYPE",
    "Candidate",
    "Constraint",
    "ExtensionValue",
    "ReconcileQuery",
    "ReconcileType",
    "ServiceProperty",
    "TermRef",
    "extension_values",
    "reconcile",
]


@dataclass(frozen=True)
class ReconcileType:
    """A type of entity the service reconciles against."""

    id: str
    name: str
    description: str


TERM_TYPE = ReconcileType(
    id=str(SKOS.Concept),
    name="政策术语",
    description="A term a government work report coins or defines (skos:Concept).",
)
"""The one type of entity: every term of the graph is a ``skos:Concept``."""


@dataclass(frozen=True)
class ServiceProperty:
    """A property a query may match on (``query``) or data extension may fetch (``extend``)."""

    id: str
    name: str
    description: str
    query: bool = False
    extend: bool = False


PROPERTIES: tuple[ServiceProperty, ...] = (
    ServiceProperty(
        "district",
        "区",
        "A district (id jianghan or name 江汉区) whose report defines or uses the term.",
        query=True,
    ),
    ServiceProperty(
        "year",
        "年份",
        "A year in which a report defining or using the term was delivered.",
        query=True,
    ),
    ServiceProperty(
        "defined",
        "有定义",
        "Whether some report's glossary defines the term (true/false).",
        query=True,
        extend=True,
    ),
    ServiceProperty("definition", "定义", "The text of the latest definition.", extend=True),
    ServiceProperty(
        "years", "定义年份", "The delivery years of the defining reports.", extend=True
    ),
    ServiceProperty("districts", "定义的区", "The districts of the defining reports.", extend=True),
    ServiceProperty("parts", "组成部分", "The parts of an enumerated slogan.", extend=True),
    ServiceProperty("alt_labels", "别名", "Alternative labels of the term.", extend=True),
    ServiceProperty(
        "related", "相关术语", "Terms linked to this one (lineage, same idea…).", extend=True
    ),
)
"""Every property the service knows, in the order it proposes them."""
QUERY_PROPERTIES = {p.id: p for p in PROPERTIES if p.query}
"""The properties a reconciliation query may carry."""
EXTENSION_PROPERTIES = {p.id: p for p in PROPERTIES if p.extend}
"""The properties data extension returns values of."""

_BASE_SCORES = {
    MatchKind.EXACT_LABEL: 100.0,
    MatchKind.EXACT_ALT_LABEL: 96.0,
    MatchKind.EXACT_PINYIN: 90.0,
    MatchKind.LABEL_PREFIX: 60.0,
    MatchKind.PINYIN_PREFIX: 50.0,
    MatchKind.FUZZY_PINYIN: 40.0,
    MatchKind.LABEL_SUBSTRING: 30.0,
    MatchKind.DEFINITION: 10.0,
}
_ID_SCORE = 100.0
_PROPERTIES_ONLY_SCORE = 50.0
_NEAR_SCORE = 20.0
_UNDEFINED_PENALTY = 2.0
_UNLISTED_PENALTY = 5.0
_MISMATCH_PENALTY = 20.0
_LABEL_KINDS = frozenset({MatchKind.EXACT_LABEL, MatchKind.EXACT_ALT_LABEL})
_YEAR = re.compile(r"\s*(\d{4})\s*年?\s*")
_TRUE = frozenset({"true", "yes", "1", "是", "有"})
_FALSE = frozenset({"false", "no", "0", "否", "无"})

Scalar = str | int | float | bool


@dataclass(frozen=True)
class Constraint:
    """A property of the query: the term should have ``pid`` with one of ``values``."""

    pid: str
    values: tuple[Scalar, ...]


@dataclass(frozen=True)
class ReconcileQuery:
    """One cell to reconcile: its text (may be None when properties say enough)."""

    text: str | None
    limit: int = 10
    constraints: tuple[Constraint, ...] = ()


@dataclass(frozen=True)
class Candidate:
    """A term the query may name: its score, how it matched, and which properties it has."""

    term: CatalogTerm
    score: float
    how: str
    match: bool = False
    properties: dict[str, bool] = field(default_factory=dict)

    @property
    def exact(self) -> bool:
        """Matched by id, label, alternative label or pinyin, not by a part of them."""
        return self.how in {"id", "label", "alt_label", "pinyin"}


def reconcile(model: ReadModel, query: ReconcileQuery) -> list[Candidate]:
    """The terms ``query`` may name, best first, at most ``query.limit``; see the module doc."""
    found = _found(model, query.text)
    having: dict[str, frozenset[str]] = {}
    for constraint in query.constraints:
        # Two values of one property, given apart, are as one list of values.
        having[constraint.pid] = having.get(constraint.pid, frozenset()) | _having(
            model, constraint
        )
    scored = []
    for term, score, how in found:
        properties = {pid: term.id in ids for pid, ids in having.items()}
        missing = sum(not ok for ok in properties.values())
        if missing and how == "properties":
            continue
        score -= _MISMATCH_PENALTY * missing
        scored.append(Candidate(term, max(score, 0.0), how, properties=properties))
    scored.sort(key=lambda candidate: -candidate.score)
    return _mark_match(scored)[: query.limit]


def _found(model: ReadModel, text: str | None) -> list[tuple[CatalogTerm, float, str]]:
    """Every term the text finds, with its score before properties, in search order."""
    if text is None or not text.strip():
        return [(t, _base(t, _PROPERTIES_ONLY_SCORE), "properties") for t in _every_term(model)]
    found: list[tuple[CatalogTerm, float, str]] = []
    by_id = model.catalog.terms.get(text.strip())
    if by_id is not None:
        found.append((by_id, _base(by_id, _ID_SCORE), "id"))
    for hit in model.search.search(text, SearchFilters(unlisted=True)):
        if hit.term is not by_id:
            found.append((hit.term, _base(hit.term, _BASE_SCORES[hit.kind]), hit.kind.code))
    if not found:
        found = [(t, _base(t, _NEAR_SCORE), "near") for t in model.search.did_you_mean(text)]
    return found


def _every_term(model: ReadModel) -> list[CatalogTerm]:
    return model.search.all_terms(SearchFilters(unlisted=True))


def _base(term: CatalogTerm, score: float) -> float:
    if not term.defined:
        score -= _UNDEFINED_PENALTY
    if not term.listed:
        score -= _UNLISTED_PENALTY
    return score


def _mark_match(ranked: list[Candidate]) -> list[Candidate]:
    """Mark the first candidate a match when nothing else is as likely (see the module doc)."""
    if not ranked:
        return ranked
    top = ranked[0]
    if not top.exact or not all(top.properties.values()):
        return ranked
    rivals = [c for c in ranked[1:] if c.exact and all(c.properties.values())]
    if top.how in {"id", "label", "alt_label"}:
        rivals = [c for c in rivals if c.how in {"id", "label", "alt_label"}]
    if rivals:
        return ranked
    return [Candidate(top.term, top.score, top.how, True, top.properties), *ranked[1:]]


def _having(model: ReadModel, constraint: Constraint) -> frozenset[str]:
    """The ids of the terms that have one of the constraint's values."""
    ids: set[str] = set()
    for value in constraint.values:
        filters = _filters(constraint.pid, value)
        if filters is not None:
            ids.update(term.id for term in model.search.all_terms(filters))
    return frozenset(ids)


def _filters(pid: str, value: Scalar) -> SearchFilters | None:
    """The filters keeping the terms with ``pid`` = ``value``; None when the value is unclear."""
    if pid == "district":
        district = _district(value)
        return None if district is None else SearchFilters(district=district, unlisted=True)
    if pid == "year":
        year = _year(value)
        return None if year is None else SearchFilters(year=year, unlisted=True)
    defined = _defined(value)
    return None if defined is None else SearchFilters(defined=defined, unlisted=True)


def _district(value: Scalar) -> str | None:
    """A district id or name; numbers and booleans name none."""
    if not isinstance(value, str):
        return None
    return value.strip() or None


def _year(value: Scalar) -> int | None:
    """A year as a number, or as text (``2024``, ``2024年``)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return int(value) if float(value).is_integer() else None
    match = _YEAR.fullmatch(value)
    return int(match.group(1)) if match else None


def _defined(value: Scalar) -> bool | None:
    """A boolean, or text saying one (true/false, 是/否…)."""
    if isinstance(value, bool):
        return value
    text = search_key(str(value))
    return True if text in _TRUE else False if text in _FALSE else None


@dataclass(frozen=True)
class TermRef:
    """Another term, as an entity value of data extension."""

    id: str
    name: str


ExtensionValue = str | int | TermRef


def extension_values(term: CatalogTerm, pid: str) -> list[ExtensionValue]:
    """The values of the extension property ``pid`` (see :data:`EXTENSION_PROPERTIES`)."""
    return list(_EXTENSIONS[pid](term))


def _definition(term: CatalogTerm) -> Sequence[ExtensionValue]:
    latest = term.latest
    return [latest.text] if latest and latest.text else []


def _related(term: CatalogTerm) -> Iterable[ExtensionValue]:
    seen: dict[str, TermRef] = {}
    for link in term.related:
        seen.setdefault(link.id, TermRef(link.id, link.label))
    return seen.values()


_EXTENSIONS: dict[str, Callable[[CatalogTerm], Iterable[ExtensionValue]]] = {
    "defined": lambda term: ["true" if term.defined else "false"],
    "definition": _definition,
    "years": lambda term: term.years,
    "districts": lambda term: sorted(term.districts),
    "parts": lambda term: [part.label for part in term.components],
    "alt_labels": lambda term: term.alt_labels,
    "related": _related,
}
