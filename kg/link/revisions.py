"""A term's definitions across reports, and how each one revised the one before.

:func:`term_definitions` lists every (term, report) definition in delivery
order; :func:`find_revisions` pairs each with the term's next one and records
the change as a readable inline diff (:func:`inline_diff`) with the similarity
of the two texts.
"""

from __future__ import annotations

import difflib
import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from kg.link.matching import fold
from kg.link.similarity import bigram_cosine
from kg.model import Report
from kg.text import normalize_label

__all__ = [
    "Revision",
    "TermDefinition",
    "find_revisions",
    "inline_diff",
    "report_district",
    "term_definitions",
]


@dataclass(frozen=True)
class TermDefinition:
    """What one report says a term means: the first entry for that term in the report."""

    key: str
    report_id: str
    district: str
    text: str
    position: int


@dataclass(frozen=True)
class Revision:
    """A term defined again: the earlier and later report, and the change as an inline diff."""

    key: str
    earlier: str
    later: str
    change: str | None
    similarity: float


def _chronological(reports: Sequence[Report]) -> list[Report]:
    return sorted(reports, key=lambda report: report.delivery_key)


def report_district(report: Report) -> str:
    """The place a report speaks for: its district, else its city, else the empty string."""
    return report.metadata.district or report.metadata.city or ""


def term_definitions(reports: Sequence[Report]) -> list[TermDefinition]:
    """Every (term, report) definition, in delivery order, as the graph keeps them."""
    found: list[TermDefinition] = []
    for position, report in enumerate(_chronological(reports)):
        seen: set[str] = set()
        for entry in report.entries:
            key = normalize_label(entry.term)
            if key not in seen:
                seen.add(key)
                found.append(
                    TermDefinition(
                        key, report.id, report_district(report), entry.definition, position
                    )
                )
    return found


def inline_diff(old: str, new: str) -> str:
    """``new`` with the changes from ``old`` marked inline: ``[-removed-]{+added+}``."""
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    pieces: list[str] = []
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            pieces.append(new[b1:b2])
            continue
        if a2 > a1:
            pieces.append(f"[-{old[a1:a2]}-]")
        if b2 > b1:
            pieces.append(f"{{+{new[b1:b2]}+}}")
    return "".join(pieces)


# Revisions --------------------------------------------------------------------


def find_revisions(definitions: Sequence[TermDefinition]) -> list[Revision]:
    """Each term's consecutive definitions, with the change between them (None if none)."""
    by_key: dict[str, list[TermDefinition]] = {}
    for definition in definitions:
        by_key.setdefault(definition.key, []).append(definition)
    revisions: list[Revision] = []
    for key, chain in sorted(by_key.items()):
        for earlier, later in itertools.pairwise(chain):
            same = fold(earlier.text) == fold(later.text)
            change = None if same else inline_diff(earlier.text, later.text)
            similarity = round(bigram_cosine(earlier.text, later.text), 3)
            revisions.append(Revision(key, earlier.report_id, later.report_id, change, similarity))
    return revisions
