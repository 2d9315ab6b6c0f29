"""Terms, reports and districts read back out of the RDF graph, as plain values.

:meth:`Catalog.from_graph` walks a built graph once (with triple patterns, no
SPARQL, so nothing here shares rdflib's parser) and keeps what the JSON API and
the linked-data pages show: every concept with its labels, its definitions in
the order their reports were delivered, their source locations and
components, its links to other concepts, and the reports it appears in; every
report with its metadata and glossary; every district. Because it reads the
graph rather than the extracted reports, serving a prebuilt graph file gives
the same answers as serving a fresh build.

It also keeps each resource's description (:meth:`Catalog.description`): the
triples with the resource as subject, plus those of the nodes that belong to
it (a term's definitions, their locations and component lists; blank nodes).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import TypeAlias
from urllib.parse import unquote

from rdflib import RDF, RDFS, BNode, Graph, Literal, Node, URIRef
from rdflib.collection import Collection
from rdflib.graph import ConjunctiveGraph
from rdflib.namespace import DCTERMS, PROV, SKOS

from kg.vocab import BASE, KGO

__all__ = [
    "LINK_TYPES",
    "Catalog",
    "CatalogDistrict",
    "CatalogReport",
    "CatalogTerm",
    "Component",
    "Definition",
    "GlossaryItem",
    "RelatedTerm",
    "SourceLocation",
    "Triple",
    "first_sentence",
]

Triple: TypeAlias = tuple[Node, Node, Node]

LINK_TYPES: dict[URIRef, tuple[str, str]] = {
    SKOS.related: ("related", "related"),
    SKOS.closeMatch: ("closeMatch", "closeMatch"),
    SKOS.broader: ("broader", "narrower"),
    SKOS.narrower: ("narrower", "broader"),
    KGO.evolvedFrom: ("evolvedFrom", "evolvedInto"),
    DCTERMS.references: ("references", "referencedBy"),
}
"""Links between concepts: predicate -> (type seen from the subject, type seen from the object)."""

# Nodes reached by these predicates belong to the subject's description.
_OWNED = (SKOS.definition, PROV.atLocation, KGO.components, SKOS.member, SKOS.memberList)

_SENTENCE_END = re.compile(r"[。！？]|[.!?](?=\s|$)")

_YEARS = (KGO.yearReviewed, KGO.yearPlanned, KGO.deliveredYear)
_TERM_PATH = BASE + "term/"
_REPORT_PATH = BASE + "report/"
_DISTRICT_PATH = BASE + "district/"


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
    """What one report says a term means."""

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


@dataclass(frozen=True)
class RelatedTerm:
    """A link to another concept; ``type`` is read from this term's side (evolvedInto, …)."""

    type: str
    id: str
    iri: str
    label: str


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
    def sort_key(self) -> tuple[date, str]:
        """Delivered date first, undated reports last."""
        year = self.year
        fallback = date(year, 12, 31) if year else date.max
        return (self.delivered_on or self.issued_on or fallback, self.id)


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
    """A concept: labels, definitions (oldest report first), links and reports."""

    id: str
    iri: str
    label: str
    alt_labels: list[str] = field(default_factory=list)
    defined: bool = False
    definitions: list[Definition] = field(default_factory=list)
    related: list[RelatedTerm] = field(default_factory=list)
    reports: list[str] = field(default_factory=list)

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
        """The first sentence of the latest definition."""
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
    descriptions: dict[str, tuple[Triple, ...]]
    namespaces: tuple[tuple[str, str], ...] = ()

    @classmethod
    def from_graph(cls, graph: Graph) -> Catalog:
        """Read a built graph (named graphs merged); call at startup, not per request."""
        if isinstance(graph, ConjunctiveGraph):
            graph = _merged(graph)
        reports = {r.id: r for r in (_read_report(graph, node) for node in _reports(graph))}
        districts = _read_districts(graph, reports)
        terms = _read_terms(graph, reports)
        for report in reports.values():
            report.glossary = _read_glossary(graph, URIRef(report.iri), terms)
        iris = [
            *(t.iri for t in terms.values()),
            *(r.iri for r in reports.values()),
            *(d.iri for d in districts.values()),
        ]
        descriptions = {iri: tuple(describe(graph, URIRef(iri))) for iri in iris}
        namespaces = tuple((prefix, str(ns)) for prefix, ns in graph.namespaces())
        return cls(terms, reports, districts, descriptions, namespaces)

    def description(self, iri: str) -> Graph:
        """The description of a term, report or district as a graph of its own."""
        graph = Graph(bind_namespaces="core")
        for prefix, namespace in self.namespaces:
            graph.bind(prefix, namespace)
        for triple in self.descriptions.get(iri, ()):
            graph.add(triple)
        return graph

    def reports_in_order(self) -> list[CatalogReport]:
        """Reports in the order they were delivered."""
        return sorted(self.reports.values(), key=lambda report: report.sort_key)


def _merged(dataset: ConjunctiveGraph) -> Graph:
    """The triples of every graph of a dataset, in one plain graph."""
    merged = Graph(bind_namespaces="core")
    for prefix, namespace in dataset.namespaces():
        merged.bind(prefix, namespace)
    for subject, predicate, obj, _ in dataset.quads((None, None, None, None)):
        merged.add((subject, predicate, obj))
    return merged


def first_sentence(text: str) -> str:
    """Text up to and including its first full stop (。！？ or a Latin one before a space)."""
    match = _SENTENCE_END.search(text)
    return text[: match.end()].strip() if match else text.strip()


def describe(graph: Graph, resource: URIRef) -> Iterator[Triple]:
    """The triples of ``resource`` and of the nodes it owns (see the module docstring)."""
    seen: set[Node] = set()
    pending: list[Node] = [resource]
    while pending:
        node = pending.pop()
        if node in seen:
            continue
        seen.add(node)
        for _, predicate, obj in graph.triples((node, None, None)):
            yield (node, predicate, obj)
            if isinstance(obj, BNode) or (predicate in _OWNED and isinstance(obj, URIRef)):
                pending.append(obj)


# Reading helpers ------------------------------------------------------------


def _local_id(iri: Node, prefix: str) -> str | None:
    text = str(iri)
    return unquote(text[len(prefix) :]) if text.startswith(prefix) else None


def _text(graph: Graph, node: Node, predicate: URIRef) -> str | None:
    values = [value for value in graph.objects(node, predicate) if isinstance(value, Literal)]
    if not values:
        return None
    # Prefer Chinese, then untagged, so a report with several titles shows one stably.
    values.sort(key=lambda v: (v.language != "zh", v.language is not None, str(v)))
    return str(values[0])


def _int(graph: Graph, node: Node, predicate: URIRef) -> int | None:
    text = _text(graph, node, predicate)
    if text is None:
        return None
    try:
        return int(text[:4]) if predicate in _YEARS else int(text)
    except ValueError:
        return None


def _date(graph: Graph, node: Node, predicate: URIRef) -> date | None:
    for value in graph.objects(node, predicate):
        parsed = value.toPython() if isinstance(value, Literal) else None
        if isinstance(parsed, date):
            return parsed
    return None


def _reports(graph: Graph) -> Iterable[URIRef]:
    return sorted({n for n in graph.subjects(RDF.type, KGO.Report) if isinstance(n, URIRef)})


def _read_report(graph: Graph, node: URIRef) -> CatalogReport:
    district = graph.value(node, KGO.district)
    return CatalogReport(
        id=_local_id(node, _REPORT_PATH) or str(node),
        iri=str(node),
        title=_text(graph, node, DCTERMS.title),
        kind=_text(graph, node, KGO.reportKind),
        district=_text(graph, district, RDFS.label) if district is not None else None,
        district_id=_local_id(district, _DISTRICT_PATH) if district is not None else None,
        city=_text(graph, district, KGO.city) if district is not None else None,
        doc_number=_text(graph, node, KGO.docNumber),
        delivered_on=_date(graph, node, KGO.deliveredOn),
        delivered_year=_int(graph, node, KGO.deliveredYear),
        issued_on=_date(graph, node, DCTERMS.issued),
        year_reviewed=_int(graph, node, KGO.yearReviewed),
        year_planned=_int(graph, node, KGO.yearPlanned),
        session=_text(graph, node, KGO.congressSession),
        speaker=_text(graph, node, KGO.speaker),
        speaker_role=_text(graph, node, KGO.speakerRole),
        source=_text(graph, node, DCTERMS.source),
        held=_text(graph, node, KGO.held) not in ("false", "0"),
    )


def _read_districts(graph: Graph, reports: dict[str, CatalogReport]) -> dict[str, CatalogDistrict]:
    districts: dict[str, CatalogDistrict] = {}
    for node in sorted(set(graph.subjects(RDF.type, KGO.District)), key=str):
        district_id = _local_id(node, _DISTRICT_PATH) or str(node)
        districts[district_id] = CatalogDistrict(
            id=district_id,
            iri=str(node),
            label=_text(graph, node, RDFS.label) or district_id,
            city=_text(graph, node, KGO.city),
        )
    for report in sorted(reports.values(), key=lambda r: r.sort_key):
        if report.district_id in districts:
            districts[report.district_id].reports.append(report.id)
    return districts


def _read_terms(graph: Graph, reports: dict[str, CatalogReport]) -> dict[str, CatalogTerm]:
    terms: dict[str, CatalogTerm] = {}
    for node in sorted(set(graph.subjects(RDF.type, SKOS.Concept)), key=str):
        term_id = _local_id(node, _TERM_PATH)
        if term_id is None or not isinstance(node, URIRef):
            continue
        definitions = sorted(
            (_read_definition(graph, d, reports) for d in graph.objects(node, SKOS.definition)),
            key=lambda d: reports[d.report].sort_key if d.report in reports else (date.max, ""),
        )
        flag = graph.value(node, KGO.defined)
        term = CatalogTerm(
            id=term_id,
            iri=str(node),
            label=_text(graph, node, SKOS.prefLabel) or term_id,
            alt_labels=sorted(str(label) for label in graph.objects(node, SKOS.altLabel)),
            defined=bool(flag.toPython()) if isinstance(flag, Literal) else bool(definitions),
            definitions=definitions,
        )
        term.reports = _term_reports(graph, node, definitions, reports)
        terms[term_id] = term
    for term in terms.values():
        term.related = _read_related(graph, URIRef(term.iri), terms)
    return terms


def _read_definition(graph: Graph, node: Node, reports: dict[str, CatalogReport]) -> Definition:
    report_node = graph.value(node, KGO.inReport)
    report_id = _local_id(report_node, _REPORT_PATH) if report_node is not None else None
    report = reports.get(report_id or "")
    location = graph.value(node, PROV.atLocation)
    return Definition(
        iri=str(node),
        text=_text(graph, node, RDF.value) or "",
        report=report_id or "",
        report_title=report.title if report else None,
        district=report.district if report else None,
        district_id=report.district_id if report else None,
        year=report.year if report else None,
        delivered_on=report.delivered_on if report else None,
        year_reviewed=report.year_reviewed if report else None,
        year_planned=report.year_planned if report else None,
        source=_read_location(graph, location) if location is not None else None,
        components=_read_components(graph, graph.value(node, KGO.components)),
    )


def _read_location(graph: Graph, node: Node) -> SourceLocation:
    return SourceLocation(
        page=_int(graph, node, KGO.page),
        start=_int(graph, node, KGO.startOffset),
        end=_int(graph, node, KGO.endOffset),
        quote=_text(graph, node, KGO.quote),
    )


def _read_components(graph: Graph, node: Node | None) -> tuple[Component, ...]:
    if node is None:
        return ()
    head = graph.value(node, SKOS.memberList)
    members = list(Collection(graph, head)) if head is not None else []
    if not members:
        members = sorted(graph.objects(node, SKOS.member), key=_position)
    return tuple(
        Component(
            label=_text(graph, member, RDFS.label) or str(member),
            group=_text(graph, member, KGO.componentGroup),
        )
        for member in members
    )


def _position(member: Node) -> tuple[int, str]:
    tail = str(member).rsplit("/", 1)[-1]
    return (int(tail), "") if tail.isdigit() else (1 << 30, tail)


def _term_reports(
    graph: Graph, node: URIRef, definitions: list[Definition], reports: dict[str, CatalogReport]
) -> list[str]:
    found = {d.report for d in definitions if d.report}
    for entry in graph.subjects(KGO.defines, node):
        found.update(_local_id(r, _REPORT_PATH) or "" for r in graph.objects(entry, KGO.inReport))
    found.update(_local_id(r, _REPORT_PATH) or "" for r in graph.objects(node, KGO.mentionedIn))
    found.discard("")
    return sorted(
        found, key=lambda rid: reports[rid].sort_key if rid in reports else (date.max, rid)
    )


def _read_related(graph: Graph, node: URIRef, terms: dict[str, CatalogTerm]) -> list[RelatedTerm]:
    links: dict[tuple[str, str], RelatedTerm] = {}
    for predicate, (forward, backward) in LINK_TYPES.items():
        pairs = [(forward, o) for o in graph.objects(node, predicate)]
        pairs += [(backward, s) for s in graph.subjects(predicate, node)]
        for link_type, other in pairs:
            other_id = _local_id(other, _TERM_PATH)
            if other_id is None or other_id not in terms or other == node:
                continue
            target = terms[other_id]
            links.setdefault(
                (link_type, other_id), RelatedTerm(link_type, other_id, target.iri, target.label)
            )
    return sorted(links.values(), key=lambda link: (link.type, link.id))


def _read_glossary(
    graph: Graph, report: URIRef, terms: dict[str, CatalogTerm]
) -> list[GlossaryItem]:
    items: list[GlossaryItem] = []
    for entry in graph.subjects(KGO.inReport, report):
        if (entry, RDF.type, KGO.GlossaryEntry) not in graph:
            continue
        concept = graph.value(entry, KGO.defines)
        term_id = _local_id(concept, _TERM_PATH) if concept is not None else None
        term = terms.get(term_id or "")
        printed = _text(graph, entry, KGO.termAsPrinted)
        definition = _definition_for(graph, entry)
        items.append(
            GlossaryItem(
                number=_int(graph, entry, KGO.entryNumber) or 0,
                term=term_id if term else None,
                label=term.label if term else (printed or ""),
                definition=definition,
            )
        )
    return sorted(items, key=lambda item: item.number)


def _definition_for(graph: Graph, entry: Node) -> str | None:
    """The text of the definition derived from ``entry``; a repeated entry has none."""
    for definition in graph.subjects(PROV.wasDerivedFrom, entry):
        text = _text(graph, definition, RDF.value)
        if text is not None:
            return text
    return None
