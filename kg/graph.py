"""Turn extracted reports into an RDF graph: reports, districts, entries, concepts, definitions.

Every node that can have a stable IRI has one (see :mod:`kg.vocab`), so
building the same reports twice gives the same triples. The only blank nodes
are the cells of the ordered lists of components, and those get ids derived
from their component's IRI, so even they repeat from build to build.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from pathlib import PurePath

from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS

from kg.ids import assign_term_ids, body_id, district_id, report_id
from kg.model import EnumeratedParts, GlossaryEntry, Report
from kg.pinyin import pinyin_keys
from kg.text import language_tag, normalize_label, search_key, traditional_form
from kg.vocab import (
    KGO,
    PREFIXES,
    SCHEME,
    body_iri,
    component_iri,
    components_iri,
    definition_iri,
    district_iri,
    entry_iri,
    location_iri,
    report_iri,
    term_iri,
)

__all__ = ["add_hidden_labels", "build_graph", "new_graph"]


def new_graph() -> Graph:
    """An empty graph with the project's prefixes bound."""
    graph = Graph(bind_namespaces="core")
    for prefix, namespace in PREFIXES.items():  # the ontology's prefixes
        graph.bind(prefix, namespace)
    return graph


def build_graph(reports: Sequence[Report], term_ids: Mapping[str, str] | None = None) -> Graph:
    """The graph of ``reports``: reports, districts, bodies, entries, concepts, definitions.

    A term defined by several reports is one concept (keyed by
    :func:`~kg.text.normalize_label`) with one definition per report. Its
    preferred label is the term of the earliest report defining it; other
    forms, as extracted and as printed, become alternative labels. Should one
    report define a term twice, its first entry gives the definition.

    ``term_ids`` maps each normalised label to its id, as
    :func:`kg.link.rdf.link_reports` assigns them for the whole corpus; without
    it, the glossary terms get :func:`~kg.ids.assign_term_ids`.
    """
    graph = new_graph()
    _add_scheme(graph)
    ordered = sorted(reports, key=lambda report: report.delivery_key)
    if term_ids is None:
        term_ids = assign_term_ids(entry.term for report in ordered for entry in report.entries)
    labels: dict[str, list[str]] = {}
    for report in ordered:
        rid = report.id or report_id(report.metadata, report.source)
        _add_report(graph, report, rid)
        defined: set[str] = set()
        for entry in report.entries:
            key = normalize_label(entry.term)
            _add_entry(graph, report, rid, entry, term_ids[key], define=key not in defined)
            defined.add(key)
            labels.setdefault(key, []).extend([entry.term, entry.term_as_printed])
    for key, forms in labels.items():
        _add_labels(graph, term_iri(term_ids[key]), forms)
    return graph


def _zh(text: str) -> Literal:
    return Literal(text, lang=language_tag(text))


def _add_scheme(graph: Graph) -> None:
    graph.add((SCHEME, RDF.type, SKOS.ConceptScheme))
    for title in (Literal("Policy terms", lang="en"), _zh("政策术语")):
        graph.add((SCHEME, DCTERMS.title, title))
        graph.add((SCHEME, SKOS.prefLabel, title))


def _add_report(graph: Graph, report: Report, rid: str) -> None:
    """The report node with the metadata the document states, its district and its body."""
    node = report_iri(rid)
    meta = report.metadata
    graph.add((node, RDF.type, KGO.Report))
    graph.add((node, DCTERMS.source, Literal(PurePath(report.source.replace("\\", "/")).name)))
    district = _add_district(graph, meta.district, meta.city)
    if district is not None:
        graph.add((node, KGO.district, district))
    if meta.issuing_body:
        body = body_iri(body_id(meta.issuing_body))
        graph.add((body, RDF.type, KGO.Body))
        graph.add((body, RDFS.label, _zh(meta.issuing_body)))
        graph.add((node, DCTERMS.publisher, body))
        if district is not None:
            graph.add((body, KGO.jurisdiction, district))
    optional = [
        (DCTERMS.title, _zh(meta.title) if meta.title else None),
        (KGO.reportKind, Literal(meta.kind) if meta.kind else None),
        (KGO.docNumber, Literal(meta.doc_number) if meta.doc_number else None),
        (KGO.deliveredOn, Literal(meta.delivered_on) if meta.delivered_on else None),
        (DCTERMS.issued, Literal(meta.issued_on) if meta.issued_on else None),
        (KGO.congressSession, _zh(meta.congress_session) if meta.congress_session else None),
        (KGO.speaker, _zh(meta.speaker) if meta.speaker else None),
        (KGO.speakerRole, _zh(meta.speaker_role) if meta.speaker_role else None),
        (KGO.yearReviewed, _year(meta.year_reviewed)),
        (KGO.yearPlanned, _year(meta.year_planned)),
    ]
    for predicate, value in optional:
        if value is not None:
            graph.add((node, predicate, value))


def _year(year: int | None) -> Literal | None:
    return None if year is None else Literal(f"{year:04d}", datatype=XSD.gYear)


def _add_district(graph: Graph, district: str | None, city: str | None) -> URIRef | None:
    """The division delivering a report: its district, or its city for a city's report."""
    name = district or city
    if not name:
        return None
    node = district_iri(district_id(name))
    graph.add((node, RDF.type, KGO.District))
    graph.add((node, RDFS.label, _zh(name)))
    if district and city:
        graph.add((node, KGO.city, _zh(city)))
    return node


def _add_entry(
    graph: Graph, report: Report, rid: str, entry: GlossaryEntry, tid: str, *, define: bool
) -> None:
    """A glossary entry, its source location, its concept and (if ``define``) its definition."""
    node = entry_iri(rid, entry.n)
    concept = term_iri(tid)
    location = _add_location(graph, report, rid, entry)
    graph.add((node, RDF.type, KGO.GlossaryEntry))
    graph.add((node, KGO.entryNumber, Literal(entry.n)))
    graph.add((node, KGO.termAsPrinted, _zh(entry.term_as_printed)))
    graph.add((node, KGO.inReport, report_iri(rid)))
    graph.add((node, KGO.defines, concept))
    graph.add((node, PROV.atLocation, location))
    graph.add((concept, RDF.type, SKOS.Concept))
    graph.add((concept, SKOS.inScheme, SCHEME))
    if define:
        _add_definition(graph, rid, entry, tid, node, location)


def _add_location(graph: Graph, report: Report, rid: str, entry: GlossaryEntry) -> URIRef:
    """Where an entry stands in the source text: offsets, page, and the text quoted."""
    node = location_iri(rid, entry.n)
    span = entry.span
    graph.add((node, RDF.type, KGO.SourceLocation))
    graph.add((node, KGO.inReport, report_iri(rid)))
    graph.add((node, KGO.startOffset, Literal(span.start)))
    graph.add((node, KGO.endOffset, Literal(span.end)))
    if span.page is not None:
        graph.add((node, KGO.page, Literal(span.page)))
    quote = report.clean.source.text[span.start : span.end]
    if quote:
        graph.add((node, KGO.quote, _zh(quote)))
    return node


def _add_definition(
    graph: Graph, rid: str, entry: GlossaryEntry, tid: str, source: URIRef, location: URIRef
) -> None:
    """What this report says the term means, and where it says so."""
    node = definition_iri(rid, tid)
    graph.add((term_iri(tid), SKOS.definition, node))
    # The text itself too, for SKOS tools that show a definition as a literal.
    graph.add((term_iri(tid), SKOS.definition, _zh(entry.definition)))
    graph.add((node, RDF.type, KGO.Definition))
    graph.add((node, RDF.value, _zh(entry.definition)))
    graph.add((node, KGO.inReport, report_iri(rid)))
    graph.add((node, PROV.wasDerivedFrom, source))
    graph.add((node, PROV.atLocation, location))
    if entry.parts is not None:
        graph.add((node, KGO.components, _add_components(graph, rid, tid, entry.parts)))


def _add_components(graph: Graph, rid: str, tid: str, parts: EnumeratedParts) -> URIRef:
    """The parts as an ordered SKOS collection, with the counts promised and found."""
    node = components_iri(rid, tid)
    graph.add((node, RDF.type, KGO.ComponentList))
    graph.add((node, RDF.type, SKOS.OrderedCollection))
    graph.add((node, KGO.promisedCounts, Literal(_counts(parts.promised))))
    graph.add((node, KGO.foundCounts, Literal(_counts(parts.found))))
    graph.add((node, KGO.partsMatch, Literal(parts.matches)))
    members: list[URIRef] = []
    for position, component in enumerate(parts.components, start=1):
        member = component_iri(rid, tid, position)
        graph.add((member, RDF.type, KGO.Component))
        graph.add((member, RDFS.label, _zh(component.label)))
        if component.group:
            graph.add((member, KGO.componentGroup, _zh(component.group)))
        graph.add((node, SKOS.member, member))
        members.append(member)
    graph.add((node, SKOS.memberList, _add_list(graph, node, members)))
    return node


def _add_list(graph: Graph, owner: URIRef, members: list[URIRef]) -> URIRef | BNode:
    """An rdf:List of ``members`` whose cells have blank-node ids derived from ``owner``."""
    digest = hashlib.sha1(str(owner).encode("utf-8")).hexdigest()[:16]
    head: URIRef | BNode = RDF.nil
    for position in reversed(range(len(members))):
        cell = BNode(f"list{digest}n{position}")
        graph.add((cell, RDF.first, members[position]))
        graph.add((cell, RDF.rest, head))
        head = cell
    return head


def _counts(counts: tuple[int, ...]) -> str:
    return "+".join(str(count) for count in counts)


def _add_labels(graph: Graph, concept: URIRef, forms: list[str]) -> None:
    """The first form is the preferred label; other distinct forms are alternative labels."""
    forms = [form for form in dict.fromkeys(forms) if form]
    if not forms:
        return
    graph.add((concept, SKOS.prefLabel, _zh(forms[0])))
    for form in forms[1:]:
        graph.add((concept, SKOS.altLabel, _zh(form)))
    add_hidden_labels(graph, concept, forms)


def add_hidden_labels(graph: Graph, concept: URIRef, forms: list[str]) -> None:
    """What a reader may type for a term, as ``skos:hiddenLabel``: its pinyin, its initials
    (``zh-Latn-pinyin``) and its traditional form (``zh-Hant``), each once."""
    shown = {normalize_label(form) for form in forms}
    for form in forms[:1]:
        full, initials = pinyin_keys(search_key(form))
        for key in dict.fromkeys((full, initials)):
            if key and not key.isdigit():
                graph.add((concept, SKOS.hiddenLabel, Literal(key, lang="zh-latn-pinyin")))
        traditional = traditional_form(form)
        if normalize_label(traditional) not in shown:
            graph.add((concept, SKOS.hiddenLabel, Literal(traditional, lang="zh-hant")))
