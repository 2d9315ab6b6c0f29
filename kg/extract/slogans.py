"""Enumerated slogans: the parts a definition lists, against the counts the name promises.

A numeral slogan promises its parts: 六稳 six, 三所一庭 three and one, “235”
two, three and five (:mod:`kg.extract.promises` reads the promise from the
name). :func:`extract_parts` finds the parts in the glossary definition, among
the readings :mod:`kg.extract.lists` proposes, and returns an
:class:`~kg.model.EnumeratedParts` whose ``matches`` says whether the definition
keeps the promise. A mismatch is a finding about the document, not an error.

A group named in the name (一核, “两纵”) may be introduced by its own label in
the definition, or have a clause of its own; else the parts of one list are
dealt to the groups in order, and parts beyond the counted ones go to an open
member (+N, X).

A quoted digit code is a claim to check, not a promise: 企业开办“210”标准 means
2 steps, 1 day and 0 fees. A code with a 0 promises nothing (no group has no
parts), and :func:`extract_parts` keeps any other code only when the definition
enumerates groups that match it; otherwise it returns None.

Round targets (“百千万”, “双十”) are met by stated amounts, not by lists:
“集聚 100 家…，1000 家…，10000 名…” is found as (100, 1000, 10000).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.extract.lists import (
    clause_lists,
    clean_label,
    fit_items,
    list_candidates,
    normalize_definition,
    part_labels,
)
from kg.extract.numerals import NUMERAL_CHARS, parse_chinese_number
from kg.extract.promises import Promise, PromiseKind, read_promise
from kg.model import Component, EnumeratedParts

__all__ = ["extract_parts"]

_QUANTITY = re.compile(
    rf"([0-9]+|[{NUMERAL_CHARS}]+)(?:家|名|个|项|座|所|栋|位|条)([^，、；。和及与]+)"
)


@dataclass(frozen=True)
class _Reading:
    """Raw part texts per promised group, plus parts beyond them for an open member."""

    groups: tuple[tuple[str, ...], ...]
    extra: tuple[str, ...] = ()


def _labelled(promise: Promise, text: str) -> _Reading | None:
    """“一核”指A；“两纵”指B、C；… : every group introduced by its own label."""
    starts: list[tuple[int, int]] = []
    for label in promise.labels:
        pattern = rf"“{re.escape(label)}”(?:指|即)|(?:^|(?<=[；。]))\s*{re.escape(label)}(?:指|即)"
        match = re.search(pattern, text)
        if match is None:
            return None
        starts.append((match.start(), match.end()))
    groups = []
    for (_, end), want in zip(starts, promise.counts, strict=True):
        stop = min([s for s, _ in starts if s > end] + [len(text)])
        body = re.split(r"[；。]", text[end:stop], maxsplit=1)[0]
        groups.append(fit_items(body, want))
    return _Reading(tuple(groups))


def _clause_groups(promise: Promise, text: str) -> _Reading | None:
    """One clause per group (总部经济引领、数字经济赋能，以A、B、C为…，以…): counts must fit."""
    for clauses in clause_lists(text):
        reading = _fit_clauses(promise, clauses)
        if reading:
            return reading
    return None


def _fit_clauses(promise: Promise, clauses: list[str]) -> _Reading | None:
    if len(clauses) != len(promise.counts):
        return None
    groups = tuple(fit_items(c, want) for c, want in zip(clauses, promise.counts, strict=True))
    if tuple(len(group) for group in groups) != promise.counts:
        return None
    return _Reading(groups)


def _sequential(promise: Promise, items: tuple[str, ...]) -> _Reading:
    """Cut one list into the promised groups in order; what is left is the open member."""
    groups: list[tuple[str, ...]] = []
    start = 0
    for count in promise.counts:
        groups.append(items[start : start + count])
        start += count
    return _Reading(tuple(groups), items[start:])


def _list_reading(promise: Promise, text: str) -> _Reading | None:
    total = sum(promise.counts)
    if len(promise.counts) > 1:
        grouped = _labelled(promise, text) or _clause_groups(promise, text)
        if grouped:
            return grouped
    candidates = list(list_candidates(text))
    for candidate in candidates:
        if len(candidate.items) == total:
            return _sequential(promise, candidate.items)
    if promise.open_label:
        for candidate in candidates:
            if len(candidate.items) > total:
                return _sequential(promise, candidate.items)
    if promise.kind is PromiseKind.CODE:
        return None
    strong = next((candidate for candidate in candidates if candidate.strong), None)
    return _Reading((strong.items,)) if strong else None


def _components(promise: Promise, reading: _Reading) -> tuple[Component, ...]:
    named = len(promise.counts) > 1 and len(reading.groups) == len(promise.counts)
    components: list[Component] = []
    for index, group in enumerate(reading.groups):
        group_label = promise.labels[index] if named else None
        components.extend(Component(label, group_label) for label in part_labels(group))
    components.extend(Component(label, promise.open_label) for label in part_labels(reading.extra))
    return tuple(components)


def _quantity_parts(promise: Promise, text: str) -> EnumeratedParts:
    """Round targets met by stated amounts: 集聚 100 家A，1000 家B，10000 名C."""
    found: list[int] = []
    components: list[Component] = []
    for match in _QUANTITY.finditer(text):
        value = parse_chinese_number(match.group(1))
        if not value:
            continue
        index = len(found)
        group = promise.labels[index] if index < len(promise.labels) else None
        found.append(value)
        components.append(Component(clean_label(match.group(2)), group))
    return EnumeratedParts(promise.counts, tuple(found), tuple(components))


def extract_parts(term: str, definition: str) -> EnumeratedParts | None:
    """The parts of ``term`` listed in ``definition``, against the counts the name promises.

    None when the name promises no count, or is a digit code the definition does
    not enumerate. When the definition lists nothing, ``found`` is all zeros.
    """
    promise = read_promise(term)
    if promise is None:
        return None
    text = normalize_definition(definition)
    if promise.kind is PromiseKind.QUANTITY:
        return _quantity_parts(promise, text)
    reading = _list_reading(promise, text)
    if reading is None:
        if promise.kind is PromiseKind.CODE:
            return None
        return EnumeratedParts(promise.counts, tuple(0 for _ in promise.counts), ())
    found = tuple(len(group) for group in reading.groups)
    if promise.kind is PromiseKind.CODE and found != promise.counts:
        return None
    return EnumeratedParts(promise.counts, found, _components(promise, reading))
