"""Find terms by label, alternative label, definition text or pinyin.

Every label is matched by its *search key* (:func:`kg.text.search_key`): NFKC-folded,
traditional characters made simplified, quotes and spaces removed, lowercased,
so “235”, "235", 「235」 and 235 are one key, and 六個致力 finds 六个致力.
Each label also has two pinyin keys, the full pinyin (``liugezhili``) and the
initials (``lgzl``); a query typed in pinyin may carry spaces, tone marks or
tone numbers (``liù gè zhì lì``, ``liu4 ge4``).

A hit's tier says how it matched; lower tiers rank first:

==  =========================================
0   the label is the query
1   an alternative label is the query
2   the full pinyin or the initials are the query
3   a label (or alternative label) starts with the query
4   the full pinyin or the initials start with the query
5   the full pinyin starts with the query, read the way input methods forgive
    (:func:`fuzzy_pinyin`: z/zh, c/ch, s/sh, n/l, an/ang, en/eng, in/ing)
6   a label (or alternative label) contains the query
7   a definition contains the query
==  =========================================

So ``sanshuo`` and ``sansuo`` both find 三所一庭, while ``liugezhili`` is
still an exact match. When a query finds nothing, :meth:`SearchIndex.did_you_mean`
offers the labels nearest to it: the pinyin of a Chinese query (a homophone
typo), then the closest fuzzy pinyin keys.

Within a tier, shorter labels come first, then pinyin order. Keys are kept in
one sorted list, so the exact and prefix tiers (all that :meth:`suggest`
needs) are a binary search; only the substring tiers scan.
"""

from __future__ import annotations

import bisect
import difflib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import IntEnum

from kg.pinyin import fuzzy_pinyin, pinyin_forms, pinyin_query, syllables
from kg.readmodel.catalog import Catalog, CatalogTerm
from kg.text import search_key

__all__ = [
    "MatchKind",
    "SearchFilters",
    "SearchHit",
    "SearchIndex",
]

_SEPARATOR = "\x00"
# Prefixes up to this long have their best suggestions ranked when the index is built.
_SHORT_PREFIX = 3
_SHORT_TOP = 50
_FUZZY_MIN = 2
_CLOSE_ENOUGH = 0.75


class MatchKind(IntEnum):
    """How a hit matched, in rank order (see the module docstring)."""

    EXACT_LABEL = 0
    EXACT_ALT_LABEL = 1
    EXACT_PINYIN = 2
    LABEL_PREFIX = 3
    PINYIN_PREFIX = 4
    FUZZY_PINYIN = 5
    LABEL_SUBSTRING = 6
    DEFINITION = 7


# What a key of the sorted list is: a label, an alternative label, or a pinyin form.
_LABEL, _ALT, _PINYIN = 0, 1, 2
_EXACT = {_LABEL: MatchKind.EXACT_LABEL, _ALT: MatchKind.EXACT_ALT_LABEL}
_PREFIX = {_LABEL: MatchKind.LABEL_PREFIX, _ALT: MatchKind.LABEL_PREFIX}


@dataclass(frozen=True)
class SearchFilters:
    """Keep only terms that appear in a report of ``district`` or delivered in ``year``.

    ``district`` is an id (``jianghan``) or a name (江汉区, 江汉). ``defined``
    keeps defined terms (True) or undefined ones (False). Undefined terms that
    are not :attr:`~kg.readmodel.catalog.CatalogTerm.listed` (ordinary words
    quoted for effect, fragments…) are left out unless ``unlisted`` is True.
    """

    district: str | None = None
    year: int | None = None
    defined: bool | None = None
    unlisted: bool = False


_DEFAULT_FILTERS = SearchFilters()


@dataclass(frozen=True)
class SearchHit:
    """A term that matched, and how."""

    term: CatalogTerm
    kind: MatchKind

    @property
    def id(self) -> str:
        """The term's id."""
        return self.term.id


@dataclass(frozen=True)
class _Facets:
    districts: frozenset[str]
    years: frozenset[int]


class SearchIndex:
    """Search and autocomplete over the terms of a :class:`~kg.catalog.Catalog`."""

    def __init__(self, catalog: Catalog) -> None:
        self._terms = catalog.terms
        keyed = [(term, search_key(term.label)) for term in catalog.terms.values()]
        self._syllables: dict[str, list[tuple[str, bool]]] = {}
        self._order = {
            term.id: (" ".join(text for text, _ in self._syllables_of(key)), term.id)
            for term, key in keyed
        }
        self._sorted_ids = sorted(self._order, key=self._order.__getitem__)
        self._keys: list[tuple[str, int, str]] = []
        labels: list[tuple[str, str]] = []
        definitions: list[tuple[str, str]] = []
        for term, key in keyed:
            self._add_term(term, key, labels, definitions)
        self._keys.sort()
        self._fuzzy = sorted(
            {(fuzzy_pinyin(key), term_id) for key, role, term_id in self._keys if role == _PINYIN}
        )
        self._fuzzy_keys = sorted({folded for folded, _ in self._fuzzy})
        self._labels, self._definitions = _Blob(labels), _Blob(definitions)
        self._short = self._short_prefixes()
        self._facets = {term.id: _facets(term, catalog) for term in catalog.terms.values()}

    def _add_term(
        self,
        term: CatalogTerm,
        label_key: str,
        labels: list[tuple[str, str]],
        definitions: list[tuple[str, str]],
    ) -> None:
        alt_keys = {search_key(alt) for alt in term.alt_labels} - {label_key, ""}
        for key, role in [(label_key, _LABEL), *((alt, _ALT) for alt in sorted(alt_keys))]:
            if not key:
                continue
            self._keys.append((key, role, term.id))
            labels.append((key, term.id))
            for form in set(pinyin_forms(self._syllables_of(key))) - {key, ""}:
                self._keys.append((form, _PINYIN, term.id))
        for definition in term.definitions:
            definitions.append((search_key(definition.text), term.id))

    def _syllables_of(self, key: str) -> list[tuple[str, bool]]:
        """The syllables of ``key``, computed once per index: pypinyin is the slow part."""
        if key not in self._syllables:
            self._syllables[key] = syllables(key)
        return self._syllables[key]

    def __len__(self) -> int:
        return len(self._terms)

    def all_terms(self, filters: SearchFilters | None = None) -> list[CatalogTerm]:
        """Every term passing ``filters``, in pinyin order of its label."""
        return [self._terms[i] for i in self._sorted_ids if self._passes(i, filters)]

    def search(self, query: str, filters: SearchFilters | None = None) -> list[SearchHit]:
        """Every term matching ``query`` and passing ``filters``, best first."""
        best = self._prefix_matches(query)
        for term_id in self._fuzzy_matches(pinyin_query(query) or ""):
            best.setdefault(term_id, MatchKind.FUZZY_PINYIN)
        key = search_key(query)
        for term_id in self._labels.find(key):
            best.setdefault(term_id, MatchKind.LABEL_SUBSTRING)
        for term_id in self._definitions.find(key):
            best.setdefault(term_id, MatchKind.DEFINITION)
        return self._ranked(best, filters)

    def suggest(self, prefix: str, limit: int = 10) -> list[SearchHit]:
        """Terms whose label, alternative label or pinyin is or starts with ``prefix``.

        Fills up with label substring matches only when prefixes give fewer than ``limit``.
        """
        key, bare = search_key(prefix), pinyin_query(prefix) or ""
        if limit <= _SHORT_TOP and len(key) <= _SHORT_PREFIX and len(bare) <= _SHORT_PREFIX:
            hits = self._short_suggestions(key, bare, limit)
        else:
            hits = self._ranked(self._prefix_matches(prefix), None)[:limit]
        if len(hits) < limit:
            found = {hit.id for hit in hits}
            extra = {i: MatchKind.LABEL_SUBSTRING for i in self._labels.find(key) if i not in found}
            hits += self._ranked(extra, None)[: limit - len(hits)]
        return hits

    def did_you_mean(self, query: str, limit: int = 5) -> list[CatalogTerm]:
        """Terms a query that found nothing may have meant, nearest first.

        A Chinese query is read as its pinyin (六个至力 → liugezhili), which
        catches homophone typos; then the fuzzy pinyin keys closest to the
        query (by :class:`difflib.SequenceMatcher`, over as many letters) fill up the list.
        """
        key = search_key(query)
        bare = pinyin_query(query) or pinyin_forms(syllables(key))[0]
        if not bare:
            return []
        found: dict[str, None] = {}
        for term_id in self._fuzzy_matches(bare):
            found.setdefault(term_id)
        for close in self._closest(fuzzy_pinyin(bare), limit):
            for fuzzy, term_id in self._fuzzy_range(close):
                if fuzzy == close:
                    found.setdefault(term_id)
        ranked = sorted(found, key=lambda term_id: self._rank(term_id, MatchKind.FUZZY_PINYIN))
        return [self._terms[term_id] for term_id in ranked[:limit]]

    def lookup(self, label: str) -> CatalogTerm | None:
        """The term whose label or alternative label is ``label`` once both are normalised."""
        key = search_key(label)
        for found, role, term_id in self._range(key):
            if found != key:
                break
            if role != _PINYIN:
                return self._terms[term_id]
        return None

    def _range(self, key: str) -> Iterable[tuple[str, int, str]]:
        """The sorted keys starting with ``key``, shortest (the exact match) first."""
        start = bisect.bisect_left(self._keys, (key,))
        for index in range(start, len(self._keys)):
            entry = self._keys[index]
            if not entry[0].startswith(key):
                return
            yield entry

    def _closest(self, folded: str, limit: int) -> list[str]:
        """The fuzzy keys whose start is most like ``folded`` (a typo, a wrong syllable)."""
        scored = []
        for key in self._fuzzy_keys:
            ratio = difflib.SequenceMatcher(None, folded, key[: len(folded)]).ratio()
            if ratio >= _CLOSE_ENOUGH:
                scored.append((-ratio, len(key), key))
        return [key for _, _, key in sorted(scored)[:limit]]

    def _fuzzy_range(self, folded: str) -> Iterator[tuple[str, str]]:
        """The fuzzy keys starting with ``folded``, with their terms."""
        start = bisect.bisect_left(self._fuzzy, (folded,))
        for index in range(start, len(self._fuzzy)):
            if not self._fuzzy[index][0].startswith(folded):
                return
            yield self._fuzzy[index]

    def _fuzzy_matches(self, bare: str) -> Iterator[str]:
        """Terms whose full pinyin starts with the bare pinyin ``bare``, read fuzzily."""
        if len(bare) >= _FUZZY_MIN:
            for _, term_id in self._fuzzy_range(fuzzy_pinyin(bare)):
                yield term_id

    def _prefix_matches(self, query: str) -> dict[str, MatchKind]:
        """Exact and prefix matches, each term at its best tier."""
        roles: dict[str, set[int]] = {}
        roles.setdefault(search_key(query), set()).update((_LABEL, _ALT))
        roles.setdefault(pinyin_query(query) or "", set()).add(_PINYIN)
        best: dict[str, MatchKind] = {}
        for key, wanted in roles.items():
            if not key:
                continue
            for found, role, term_id in self._range(key):
                if role not in wanted:
                    continue
                kind = _kind(role, exact=found == key)
                if term_id not in best or kind < best[term_id]:
                    best[term_id] = kind
        return best

    def _short_prefixes(self) -> dict[tuple[str, bool], list[tuple[tuple[int, int, str], str]]]:
        """The best terms for every prefix of up to three characters, ranked, per kind of key.

        Short prefixes match the most keys; ranking them ahead of time keeps the
        first keystrokes of an autocomplete as fast as the later ones.
        """
        table: dict[tuple[str, bool], list[tuple[tuple[int, int, str], str]]] = {}
        for key, role, term_id in self._keys:
            if not self._terms[term_id].listed:
                continue
            for size in range(1, min(len(key), _SHORT_PREFIX) + 1):
                rank = self._rank(term_id, _kind(role, exact=size == len(key)))
                table.setdefault((key[:size], role == _PINYIN), []).append((rank, term_id))
        return {prefix: _best_distinct(rows, _SHORT_TOP) for prefix, rows in table.items()}

    def _short_suggestions(self, key: str, bare: str, limit: int) -> list[SearchHit]:
        rows = self._short.get((key, False), []) + self._short.get((bare, True), [])
        return [
            SearchHit(self._terms[term_id], MatchKind(rank[0]))
            for rank, term_id in _best_distinct(rows, limit)
        ]

    def _rank(self, term_id: str, kind: MatchKind) -> tuple[int, int, str]:
        return (kind, len(self._terms[term_id].label), self._order[term_id][0])

    def _ranked(self, best: dict[str, MatchKind], filters: SearchFilters | None) -> list[SearchHit]:
        hits = [
            SearchHit(self._terms[term_id], kind)
            for term_id, kind in best.items()
            if self._passes(term_id, filters)
        ]
        hits.sort(key=lambda hit: (self._rank(hit.id, hit.kind), hit.id))
        return hits

    def _passes(self, term_id: str, filters: SearchFilters | None) -> bool:
        filters = filters or _DEFAULT_FILTERS
        if not filters.unlisted and not self._terms[term_id].listed:
            return False
        facets = self._facets[term_id]
        if filters.defined is not None and self._terms[term_id].defined != filters.defined:
            return False
        if filters.year is not None and filters.year not in facets.years:
            return False
        return filters.district is None or search_key(filters.district) in facets.districts


def _best_distinct(
    rows: list[tuple[tuple[int, int, str], str]], limit: int
) -> list[tuple[tuple[int, int, str], str]]:
    """The best ``limit`` rows, one per term."""
    best: list[tuple[tuple[int, int, str], str]] = []
    seen: set[str] = set()
    for row in sorted(rows):
        if row[1] not in seen:
            seen.add(row[1])
            best.append(row)
            if len(best) == limit:
                break
    return best


class _Blob:
    """Many texts joined into one string, so a substring search runs at C speed."""

    def __init__(self, rows: list[tuple[str, str]]) -> None:
        self._ids = [term_id for _, term_id in rows]
        self._starts: list[int] = []
        position = 0
        for text, _ in rows:
            self._starts.append(position)
            position += len(text) + 1
        self._text = _SEPARATOR.join(text for text, _ in rows)

    def find(self, key: str) -> Iterator[str]:
        """The term id of every text containing ``key``, in text order."""
        if not key or _SEPARATOR in key:
            return
        position = self._text.find(key)
        while position != -1:
            row = bisect.bisect_right(self._starts, position) - 1
            yield self._ids[row]
            after = self._starts[row + 1] if row + 1 < len(self._starts) else len(self._text)
            position = self._text.find(key, after)


def _kind(role: int, *, exact: bool) -> MatchKind:
    if role == _PINYIN:
        return MatchKind.EXACT_PINYIN if exact else MatchKind.PINYIN_PREFIX
    return _EXACT[role] if exact else _PREFIX[role]


def _facets(term: CatalogTerm, catalog: Catalog) -> _Facets:
    """The districts (by id, name and name without suffix) and years a term appears in."""
    districts: set[str] = set()
    years: set[int] = set()
    for report_id in term.reports:
        report = catalog.reports.get(report_id)
        if report is None:
            continue
        if report.year is not None:
            years.add(report.year)
        for name in (report.district_id, report.district):
            if name:
                districts.add(search_key(name))
        if report.district and len(report.district) > 2:
            districts.add(search_key(report.district[:-1]))
    return _Facets(frozenset(districts), frozenset(years))
