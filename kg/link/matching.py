"""Finding known terms in text: surface forms, the quote-less view, and homonym resolution.

Matching works on a *view* of the folded text (:func:`kg.chars.fold`)
with every quote mark and every space removed, and a map from view positions
back to the text. A term's quote-less form (燃气三件套, 235现代化产业体系,
三库两算三评) is then one string whether the report prints it with quotes or
without, and the quotes the text really had are read back from the map. This
keeps one surface form per term instead of a growing list of quoting variants.

Each term offers the view some *forms*, each a :class:`Claim`:

- ``full``: the whole name without its quotes;
- ``core``: the only quoted segment of a qualified name (“三件套” of
  燃气“三件套”, “235” of “235”现代化产业体系); it counts only when the text
  quotes it, so 技术合同成交额235亿元 is not a mention;
- ``part``: each quoted segment of a name made of several (“三库” of
  “三库”“两算”“三评”), again only when quoted.

A form made only of ASCII digits, letters and ``+`` counts only when quoted
or, as part of a full form, followed by the rest of the name.

Homonyms are settled by district (:meth:`TermMatcher.resolve`): in a report
of district D, a form claimed by a term D's own glossaries define goes to that
term; otherwise a full name goes to its one concept wherever it is defined; a
core or part form claimed by terms of several other districts is left
unattributed. So Wuchang's “三件套” is Wuchang's 三件套 in Wuchang reports
and Jianghan's 燃气“三件套” in Jianghan ones.

Candidate spans come from a :class:`CandidateFinder`; both finders
(:mod:`kg.link.finders`: jieba word boundaries, an Aho–Corasick automaton) go
through the same resolution.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Protocol

from kg.chars import fold, fold_table, has_astral
from kg.text import normalize_label

__all__ = [
    "CandidateFinder",
    "Claim",
    "Folded",
    "FormKind",
    "KnownTerm",
    "Match",
    "Positions",
    "TermMatcher",
    "TextView",
    "fold",
    "form_claims",
    "non_overlapping",
    "quoted_segments",
    "view_form",
]

_DROPPED = frozenset("\"' \t\r\n\u3000")
_CODE = re.compile(r"^[0-9A-Za-z+.]+$")
_ASCII_ALNUM = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
_QUOTED = re.compile(r"“([^“”]+)”")
_FOLDED_QUOTED = re.compile(r'"([^"\n]+)"')


class FormKind(StrEnum):
    """How a surface form stands for its term; lower rank wins a tie."""

    FULL = "full"
    CORE = "core"
    PART = "part"

    @property
    def rank(self) -> int:
        return _RANKS[self]


_RANKS = {kind: rank for rank, kind in enumerate(FormKind)}


@dataclass(frozen=True)
class KnownTerm:
    """A term the matcher knows: a glossary term, or an undefined slogan (no districts)."""

    key: str
    label: str
    districts: frozenset[str] = frozenset()

    @property
    def defined(self) -> bool:
        return bool(self.districts)


@dataclass(frozen=True)
class Claim:
    """A term a view form may stand for, and whether the text must quote the form."""

    key: str
    kind: FormKind
    needs_quotes: bool


@dataclass(frozen=True)
class Match:
    """A resolved occurrence in a folded text: ``[start, end)`` with quotes included."""

    key: str
    start: int
    end: int
    kind: FormKind
    nested: bool = False


def view_form(label: str) -> str:
    """The form of a label the view holds: folded, without quotes or spaces."""
    return "".join(char for char in fold(normalize_label(label)) if char not in _DROPPED)


def quoted_segments(label: str) -> list[str]:
    """The quoted segments of a normalised label: 燃气“三件套” → [三件套]."""
    return _QUOTED.findall(normalize_label(label))


class Folded(Protocol):
    """A folded text as the matcher reads it: a ``str``, or a text folded a slice at a time."""

    def __len__(self) -> int: ...

    def __getitem__(self, key: int | slice, /) -> str: ...

    def count(self, sub: str, start: int, end: int, /) -> int: ...


class Positions(Protocol):
    """View position → folded-text position."""

    def __getitem__(self, view_position: int, /) -> int: ...


class _FoldOnRead:
    """A text of the Basic Multilingual Plane read as folded, a slice at a time.

    The matcher reads only the few characters around its matches.
    """

    def __init__(self, text: str) -> None:
        self._text = text
        self._table = fold_table()

    def __len__(self) -> int:
        return len(self._text)

    def __getitem__(self, key: int | slice, /) -> str:
        if isinstance(key, int):
            return self._table[ord(self._text[key])]
        return self._text[key].translate(self._table)

    def count(self, sub: str, start: int, end: int, /) -> int:
        return self._text[start:end].translate(self._table).count(sub)


class _AfterDrops:
    """View position → text position, from where the dropped characters stood."""

    def __init__(self, dropped: Iterable[re.Match[str]]) -> None:
        # The view position each dropped character stood before, in order.
        self._before = [found.start() - count for count, found in enumerate(dropped)]

    def __getitem__(self, view_position: int, /) -> int:
        return view_position + bisect_right(self._before, view_position)


@cache
def _view_table() -> tuple[str | None, ...]:
    """:func:`kg.chars.fold_table` with the characters the view drops deleted."""
    return tuple(None if folded in _DROPPED else folded for folded in fold_table())


@cache
def _dropped_before_folding() -> re.Pattern[str]:
    """The characters whose folded form the view drops (“ ” ＂ 　 \n …)."""
    table = fold_table()
    chars = sorted(chr(code) for code, folded in enumerate(table) if folded in _DROPPED)
    return re.compile("[" + "".join(re.escape(char) for char in chars) + "]")


@dataclass(frozen=True)
class TextView:
    """A folded text without quotes and spaces, mapped back to the folded text."""

    folded: Folded
    view: str
    index: Positions

    @classmethod
    def of(cls, folded: str) -> TextView:
        positions = tuple(i for i, char in enumerate(folded) if char not in _DROPPED)
        return cls(folded, "".join(folded[i] for i in positions), positions)

    @classmethod
    def of_text(cls, text: str) -> TextView:
        """The view of ``fold(text)``, made without folding all of ``text``.

        One ``str.translate`` folds and drops at once, a regular expression
        finds where the dropped characters stood, and the few characters the
        matcher reads around its matches are folded when read.
        """
        if has_astral(text):
            return cls.of(fold(text))
        dropped = _AfterDrops(_dropped_before_folding().finditer(text))
        return cls(_FoldOnRead(text), text.translate(_view_table()), dropped)

    def text_span(self, view_start: int, view_end: int) -> tuple[int, int]:
        """The folded-text span of a view span, widened to take in the quotes it needs."""
        start, end = self.index[view_start], self.index[view_end - 1] + 1
        folded = self.folded
        if folded.count('"', start, end) % 2:
            if end < len(folded) and folded[end] == '"':
                end += 1
            elif start > 0 and folded[start - 1] == '"':
                start -= 1
        if start > 0 and end < len(folded) and folded[start - 1] == folded[end] == '"':
            start, end = start - 1, end + 1
        return start, end

    def is_quoted(self, start: int, end: int) -> bool:
        return end - start >= 2 and self.folded[start] == '"' and self.folded[end - 1] == '"'

    def ascii_glued(self, view_start: int, view_end: int) -> bool:
        """Whether an ASCII letter or digit at an edge of the span runs on outside it."""
        view = self.view
        before = view_start > 0 and view[view_start - 1] in _ASCII_ALNUM
        after = view_end < len(view) and view[view_end] in _ASCII_ALNUM
        return (before and view[view_start] in _ASCII_ALNUM) or (
            after and view[view_end - 1] in _ASCII_ALNUM
        )


class CandidateFinder(Protocol):
    """Proposes view spans that equal a known form, for the matcher to resolve."""

    def candidates(self, view: str) -> Iterator[list[tuple[int, int]]]:
        """Groups of alternative spans, each group best-first, groups left to right."""
        ...


class TermMatcher:
    """Finds known terms in text; one instance per set of terms, reused for every text."""

    def __init__(self, terms: Iterable[KnownTerm], finder: type[CandidateFinder]) -> None:
        self.terms: dict[str, KnownTerm] = {term.key: term for term in terms}
        self.claims: dict[str, list[Claim]] = form_claims(self.terms.values())
        self._finder = finder(self.claims)  # type: ignore[call-arg]
        self._districts = frozenset().union(*(term.districts for term in self.terms.values()))
        self._resolved: dict[tuple[str, str | None, bool, str | None], Claim | None] = {}

    def resolve(
        self, form: str, district: str | None, *, quoted: bool, exclude: str | None = None
    ) -> Claim | None:
        """The claim a form found in a report of ``district`` stands for, or None."""
        # A district no term is defined in settles nothing; keying it as None bounds the memo.
        key = (form, district if district in self._districts else None, quoted, exclude)
        if key not in self._resolved:
            self._resolved[key] = self._resolve(form, district, quoted=quoted, exclude=exclude)
        return self._resolved[key]

    def _resolve(
        self, form: str, district: str | None, *, quoted: bool, exclude: str | None
    ) -> Claim | None:
        usable = [
            claim
            for claim in self.claims.get(form, ())
            if claim.key != exclude and (quoted or not claim.needs_quotes)
        ]
        local = [claim for claim in usable if district in self.terms[claim.key].districts]
        full = [claim for claim in usable if claim.kind is FormKind.FULL]
        pool = local or full or usable
        if not pool:
            return None
        best = min(claim.kind.rank for claim in pool)
        top = {claim.key: claim for claim in pool if claim.kind.rank == best}
        return next(iter(top.values())) if len(top) == 1 else None

    def matches(self, folded: str, district: str | None = None) -> list[Match]:
        """Resolved occurrences in ``folded``, left to right; nested parts follow their whole."""
        return self.matches_in(TextView.of(folded), district)

    def matches_in(self, view: TextView, district: str | None = None) -> list[Match]:
        """Resolved occurrences in the text of ``view``, as :meth:`matches` gives them."""
        found: list[Match] = []
        for group in self._finder.candidates(view.view):
            match = self._first_resolved(view, group, district)
            if match is not None:
                found.append(match)
                found.extend(self._nested(view, match, district))
        return found

    def _first_resolved(
        self, view: TextView, group: list[tuple[int, int]], district: str | None
    ) -> Match | None:
        for view_start, view_end in group:
            if view.ascii_glued(view_start, view_end):
                continue
            start, end = view.text_span(view_start, view_end)
            form = view.view[view_start:view_end]
            claim = self.resolve(form, district, quoted=view.is_quoted(start, end))
            if claim is not None:
                return Match(claim.key, start, end, claim.kind)
        return None

    def _nested(self, view: TextView, outer: Match, district: str | None) -> Iterator[Match]:
        """Quoted segments inside a match that are terms of their own (“两重” in “两重”“两新”)."""
        inner = view.folded[outer.start : outer.end]
        if inner.count('"') < 4:
            return
        for segment in _FOLDED_QUOTED.finditer(inner):
            form = view_form(segment.group(1))
            claim = self.resolve(form, district, quoted=True, exclude=outer.key)
            if claim is not None and claim.kind is FormKind.FULL:
                start = outer.start + segment.start()
                yield Match(claim.key, start, outer.start + segment.end(), claim.kind, True)


def form_claims(terms: Iterable[KnownTerm]) -> dict[str, list[Claim]]:
    """Every view form of every term, with the claims on it."""
    terms = list(terms)
    claims: dict[str, list[Claim]] = {}
    undefined_forms = {view_form(term.key) for term in terms if not term.defined}
    for term in terms:
        full = view_form(term.key)
        claims.setdefault(full, []).append(
            Claim(term.key, FormKind.FULL, _CODE.match(full) is not None)
        )
        segments = [view_form(segment) for segment in quoted_segments(term.key)]
        kind = FormKind.CORE if len(segments) == 1 else FormKind.PART
        for segment in segments:
            if segment == full or (kind is FormKind.PART and segment in undefined_forms):
                continue
            claims.setdefault(segment, []).append(Claim(term.key, kind, True))
    return claims


def non_overlapping(matches: Iterable[Match]) -> list[Match]:
    """Drop matches that overlap an earlier one; nested parts follow the fate of their whole."""
    kept: list[Match] = []
    reach, outer_kept = 0, False
    for match in matches:
        if match.nested:
            if outer_kept:
                kept.append(match)
            continue
        outer_kept = match.start >= reach
        if outer_kept:
            kept.append(match)
            reach = match.end
    return kept
