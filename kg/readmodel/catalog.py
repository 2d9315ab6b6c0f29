"""Terms, reports and districts as plain values: what every page and answer is made from.

A :class:`Catalog` is read once from the store (:mod:`kg.readmodel.load`) and
never changes. Every rule that derives something shown to a user from these
values lives on them, once: a term's summary (:attr:`CatalogTerm.summary`),
its latest definition, the delivery order of reports.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from kg.chronology import DeliveryKey, delivery_key
from kg.text import first_sentence

__all__ = [
    "Catalog",
    "CatalogDistrict",
    "CatalogReport",
    "CatalogTerm",
    "Component",
    "Definition",
    "GlossaryItem",
    "MentionRef",
    "Reference",
    "RelatedTerm",
    "SourceLocation",
]


@dataclass(frozen=True)
class SourceLocation:
    """Where a definition stands in its report: page, character offsets, quoted text."""

    page: int | None
    start: int | None
    end: int | None
    quote: str | None


@dataclass(frozen=True)
class Component:
    """One part of an enumerated slogan, with the group of the name it belongs to."""

    label: str
    group: str | None


@dataclass(frozen=True)
class Definition:
    """What one report says a term means; ``change`` marks how it differs from the last one."""

    iri: str
    text: str
    report: str
    report_title: str | None
    district: str | None
    district_id: str | None
    year: int | None
    delivered_on: date | None
    year_reviewed: int | None
    year_planned: int | None
    source: SourceLocation | None
    components: tuple[Component, ...]
    change: str | None = None


@dataclass(frozen=True)
class RelatedTerm:
    """A link to another concept; ``type`` is read from this term's side (evolvedInto, …)."""

    type: str
    id: str
    iri: str
    label: str


@dataclass(frozen=True)
class Reference:
    """A typed cross-reference with its evidence, seen from one of its ends.

    ``outgoing`` is True when this term is the one the reference starts from.
    ``term`` is the id of the term at the other end, ``report`` that of a
    cited report; ``in_report`` is the report whose text gives the evidence.
    """

    type: str
    outgoing: bool
    term: str | None
    report: str | None
    evidence: str | None
    confidence: float | None
    in_report: str | None


@dataclass(frozen=True)
class MentionRef:
    """One use of a term in a report's running text."""

    report: str
    start: int
    end: int
    page: int | None
    sentence: str
    form: str


@dataclass(frozen=True)
class GlossaryItem:
    """One numbered entry of a report's glossary."""

    number: int
    term: str | None
    label: str
    definition: str | None


@dataclass
class CatalogReport:
    """A report and its metadata; ``glossary`` in entry-number order."""

    id: str
    iri: str
    title: str | None = None
    kind: str | None = None
    district: str | None = None
    district_id: str | None = None
    city: str | None = None
    doc_number: str | None = None
    delivered_on: date | None = None
    delivered_year: int | None = None
    issued_on: date | None = None
    year_reviewed: int | None = None
    year_planned: int | None = None
    session: str | None = None
    speaker: str | None = None
    speaker_role: str | None = None
    source: str | None = None
    held: bool = True
    glossary: list[GlossaryItem] = field(default_factory=list)

    @property
    def year(self) -> int | None:
        """The year the report was delivered, by which reports cite each other."""
        if self.delivered_on:
            return self.delivered_on.year
        return self.delivered_year or self.year_reviewed

    @property
    def year_source(self) -> str:
        """Which year :attr:`year` is: ``delivered``, or ``reviewed`` when only that is known."""
        return "delivered" if self.delivered_on or self.delivered_year else "reviewed"

    @property
    def sort_key(self) -> DeliveryKey:
        """Where the report stands in delivery order (see :mod:`kg.chronology`)."""
        return delivery_key(self.id, self.delivered_on, self.issued_on, self.year)


@dataclass
class CatalogDistrict:
    """An administrative division and the reports it delivered."""

    id: str
    iri: str
    label: str
    city: str | None = None
    reports: list[str] = field(default_factory=list)


@dataclass
class CatalogTerm:
    """A concept: labels, definitions (oldest report first), links, mentions and reports.

    ``listed`` is False for an undefined term that lists, suggestions and the
    annotator leave out by default (see ``kgo:listed``).
    """

    id: str
    iri: str
    label: str
    alt_labels: list[str] = field(default_factory=list)
    defined: bool = False
    definitions: list[Definition] = field(default_factory=list)
    related: list[RelatedTerm] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    mentions: list[MentionRef] = field(default_factory=list)
    reports: list[str] = field(default_factory=list)
    districts: frozenset[str] = frozenset()
    confidence: float | None = None
    discovered_by: str | None = None
    listed: bool = True

    @property
    def latest(self) -> Definition | None:
        """The definition of the most recently delivered report."""
        return self.definitions[-1] if self.definitions else None

    @property
    def components(self) -> tuple[Component, ...]:
        """The parts the latest definition listing any gives."""
        for definition in reversed(self.definitions):
            if definition.components:
                return definition.components
        return ()

    @property
    def summary(self) -> str | None:
        """The first sentence of the latest definition: the one summary rule of the service."""
        latest = self.latest
        return first_sentence(latest.text) if latest and latest.text else None

    @property
    def years(self) -> list[int]:
        """The delivery years of the definitions, oldest first."""
        return sorted({d.year for d in self.definitions if d.year is not None})


@dataclass
class Catalog:
    """Every term, report and district of a graph, by id."""

    terms: dict[str, CatalogTerm]
    reports: dict[str, CatalogReport]
    districts: dict[str, CatalogDistrict]

    def reports_in_order(self) -> list[CatalogReport]:
        """Reports in the order they were delivered."""
        return sorted(self.reports.values(), key=lambda report: report.sort_key)

    def report_key(self, report_id: str) -> DeliveryKey:
        """The delivery-order key of a report id; unknown ids sort last."""
        report = self.reports.get(report_id)
        return report.sort_key if report is not None else delivery_key(report_id)
