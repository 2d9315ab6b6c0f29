"""Read the :class:`~kg.readmodel.catalog.Catalog` out of a store, in a fixed number of queries.

One ``SELECT ?s ?p ?o`` per kind of node (reports, districts, concepts,
definitions, locations, components, glossary entries, mentions,
cross-references): the number of queries does not grow with the graph, and
any :class:`~kg.store.GraphStore` answers them, embedded or remote. The rows
are grouped by subject and predicate, then turned into catalog values.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date
from urllib.parse import unquote

from rdflib import RDF, RDFS
from rdflib.namespace import DCTERMS, PROV, SKOS

from kg.chronology import DeliveryKey, delivery_key
from kg.readmodel.catalog import (
    Catalog,
    CatalogDistrict,
    CatalogReport,
    CatalogTerm,
    Component,
    Definition,
    GlossaryItem,
    MentionRef,
    Reference,
    RelatedTerm,
    SourceLocation,
)
from kg.store import GraphStore
from kg.vocab import BASE, KGO

__all__ = ["LINK_TYPES", "load_catalog"]

Properties = dict[str, list[str]]
Nodes = dict[str, Properties]

LINK_TYPES: dict[str, tuple[str, str]] = {
    str(SKOS.related): ("related", "related"),
    str(SKOS.closeMatch): ("closeMatch", "closeMatch"),
    str(SKOS.broader): ("broader", "narrower"),
    str(SKOS.narrower): ("narrower", "broader"),
    str(KGO.evolvedFrom): ("evolvedFrom", "evolvedInto"),
    str(DCTERMS.references): ("references", "referencedBy"),
}
"""Links between concepts: predicate -> (type seen from the subject, type seen from the object)."""

# How each kind of node is found: by its class, or (for the nodes a definition
# owns) by the property that reaches it, so an untyped node is still read.
_KINDS = {
    "report": "?s a kgo:Report",
    "district": "?s a kgo:District",
    "concept": "?s a skos:Concept",
    "definition": "?owner skos:definition ?s",
    "location": "?owner prov:atLocation ?s",
    "components": "?owner kgo:components ?s",
    "component": "?owner skos:member ?s",
    "entry": "?s a kgo:GlossaryEntry",
    "mention": "?s a kgo:Mention",
    "reference": "?s a kgo:CrossReference",
}


def _nodes(store: GraphStore, kind: str) -> Nodes:
    """Every node of one kind with its properties: subject -> predicate -> values."""
    rows = store.select(f"SELECT DISTINCT ?s ?p ?o WHERE {{ {_KINDS[kind]} . ?s ?p ?o }}")
    nodes: defaultdict[str, defaultdict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        nodes[row["s"]][row["p"]].append(row["o"])
    return {subject: dict(properties) for subject, properties in nodes.items()}


def _one(properties: Properties, predicate: object) -> str | None:
    values = properties.get(str(predicate))
    return min(values) if values else None


def _int(properties: Properties, predicate: object) -> int | None:
    text = _one(properties, predicate)
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None


def _year(properties: Properties, predicate: object) -> int | None:
    text = _one(properties, predicate)
    return int(text[:4]) if text and text[:4].isdigit() else None


def _date(properties: Properties, predicate: object) -> date | None:
    text = _one(properties, predicate)
    try:
        return date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None


def _bool(properties: Properties, predicate: object, *, default: bool) -> bool:
    """An xsd:boolean, whose lexical forms are true, false, 1 and 0 (stores differ)."""
    text = _one(properties, predicate)
    if text in ("true", "1"):
        return True
    if text in ("false", "0"):
        return False
    return default


def _float(properties: Properties, predicate: object) -> float | None:
    text = _one(properties, predicate)
    try:
        return float(text) if text is not None else None
    except ValueError:
        return None


def _local(iri: str | None, kind: str) -> str | None:
    prefix = f"{BASE}{kind}/"
    return unquote(iri[len(prefix) :]) if iri and iri.startswith(prefix) else None


def load_catalog(store: GraphStore) -> Catalog:
    """Read every term, report and district the store holds; call once, at start-up."""
    nodes = {kind: _nodes(store, kind) for kind in _KINDS}
    districts = _districts(nodes["district"])
    reports = _reports(nodes["report"], districts)
    for report in sorted(reports.values(), key=lambda r: r.sort_key):
        if report.district_id in districts:
            districts[report.district_id].reports.append(report.id)
    terms = _terms(nodes, reports)
    _add_glossaries(nodes, reports, terms)
    return Catalog(terms, reports, districts)


def _districts(nodes: Nodes) -> dict[str, CatalogDistrict]:
    districts: dict[str, CatalogDistrict] = {}
    for iri in sorted(nodes):
        district_id = _local(iri, "district") or iri
        properties = nodes[iri]
        districts[district_id] = CatalogDistrict(
            id=district_id,
            iri=iri,
            label=_one(properties, RDFS.label) or district_id,
            city=_one(properties, KGO.city),
        )
    return districts


def _reports(nodes: Nodes, districts: dict[str, CatalogDistrict]) -> dict[str, CatalogReport]:
    reports: dict[str, CatalogReport] = {}
    for iri in sorted(nodes):
        p = nodes[iri]
        district_id = _local(_one(p, KGO.district), "district")
        district = districts.get(district_id or "")
        report = CatalogReport(
            id=_local(iri, "report") or iri,
            iri=iri,
            title=_one(p, DCTERMS.title),
            kind=_one(p, KGO.reportKind),
            district=district.label if district else None,
            district_id=district_id,
            city=district.city if district else None,
            doc_number=_one(p, KGO.docNumber),
            delivered_on=_date(p, KGO.deliveredOn),
            delivered_year=_year(p, KGO.deliveredYear),
            issued_on=_date(p, DCTERMS.issued),
            year_reviewed=_year(p, KGO.yearReviewed),
            year_planned=_year(p, KGO.yearPlanned),
            session=_one(p, KGO.congressSession),
            speaker=_one(p, KGO.speaker),
            speaker_role=_one(p, KGO.speakerRole),
            source=_one(p, DCTERMS.source),
            held=_bool(p, KGO.held, default=True),
        )
        reports[report.id] = report
    return reports


def _components(nodes: dict[str, Nodes], list_iri: str | None) -> tuple[Component, ...]:
    """The parts of a component list, in the order their IRIs number them."""
    members = nodes["components"].get(list_iri or "", {}).get(str(SKOS.member), [])
    ordered = sorted(members, key=_position)
    parts = []
    for member in ordered:
        p = nodes["component"].get(member, {})
        parts.append(Component(_one(p, RDFS.label) or member, _one(p, KGO.componentGroup)))
    return tuple(parts)


def _position(member: str) -> tuple[int, str]:
    tail = member.rsplit("/", 1)[-1]
    return (int(tail), "") if tail.isdigit() else (1 << 30, tail)


def _definition(nodes: dict[str, Nodes], iri: str, reports: dict[str, CatalogReport]) -> Definition:
    p = nodes["definition"].get(iri, {})
    report_id = _local(_one(p, KGO.inReport), "report") or ""
    report = reports.get(report_id)
    location_iri = _one(p, PROV.atLocation)
    location = nodes["location"].get(location_iri or "")
    return Definition(
        iri=iri,
        text=_one(p, RDF.value) or "",
        report=report_id,
        report_title=report.title if report else None,
        district=report.district if report else None,
        district_id=report.district_id if report else None,
        year=report.year if report else None,
        delivered_on=report.delivered_on if report else None,
        year_reviewed=report.year_reviewed if report else None,
        year_planned=report.year_planned if report else None,
        source=None
        if location is None
        else SourceLocation(
            page=_int(location, KGO.page),
            start=_int(location, KGO.startOffset),
            end=_int(location, KGO.endOffset),
            quote=_one(location, KGO.quote),
        ),
        components=_components(nodes, _one(p, KGO.components)),
        change=_one(p, KGO.definitionChange),
    )


def _terms(nodes: dict[str, Nodes], reports: dict[str, CatalogReport]) -> dict[str, CatalogTerm]:
    def order(report_id: str) -> DeliveryKey:
        report = reports.get(report_id)
        return report.sort_key if report else delivery_key(report_id)

    terms: dict[str, CatalogTerm] = {}
    for iri in sorted(nodes["concept"]):
        term_id = _local(iri, "term")
        if term_id is None:
            continue
        p = nodes["concept"][iri]
        definitions = sorted(
            (_definition(nodes, d, reports) for d in p.get(str(SKOS.definition), [])),
            key=lambda d: order(d.report),
        )
        terms[term_id] = CatalogTerm(
            id=term_id,
            iri=iri,
            label=_one(p, SKOS.prefLabel) or term_id,
            alt_labels=sorted(p.get(str(SKOS.altLabel), [])),
            defined=_bool(p, KGO.defined, default=bool(definitions)),
            definitions=definitions,
            districts=frozenset(d.district for d in definitions if d.district),
            confidence=_float(p, KGO.confidence),
            discovered_by=_one(p, KGO.discoveredBy),
            listed=_bool(p, KGO.listed, default=True),
        )
    _add_links(nodes["concept"], terms)
    _add_references(nodes["reference"], terms)
    _add_mentions(nodes["mention"], terms, order)
    entry_reports = _entry_reports(nodes["entry"])
    for iri, p in nodes["concept"].items():
        term = terms.get(_local(iri, "term") or "")
        if term is None:
            continue
        found = {d.report for d in term.definitions if d.report}
        found.update(m.report for m in term.mentions)
        found.update(_local(r, "report") or "" for r in p.get(str(KGO.mentionedIn), []))
        found.update(entry_reports.get(iri, ()))
        found.discard("")
        term.reports = sorted(found, key=order)
    return terms


def _entry_reports(entries: Nodes) -> dict[str, set[str]]:
    """The reports whose glossary has an entry for each concept."""
    found: defaultdict[str, set[str]] = defaultdict(set)
    for p in entries.values():
        report = _local(_one(p, KGO.inReport), "report")
        for concept in p.get(str(KGO.defines), []):
            if report is not None:
                found[concept].add(report)
    return found


def _add_links(concepts: Nodes, terms: dict[str, CatalogTerm]) -> None:
    found: dict[str, dict[tuple[str, str], RelatedTerm]] = defaultdict(dict)
    for iri, p in concepts.items():
        source = terms.get(_local(iri, "term") or "")
        if source is None:
            continue
        for predicate, (forward, backward) in LINK_TYPES.items():
            for other_iri in p.get(predicate, []):
                target = terms.get(_local(other_iri, "term") or "")
                if target is None or target is source:
                    continue
                found[source.id].setdefault(
                    (forward, target.id), RelatedTerm(forward, target.id, target.iri, target.label)
                )
                found[target.id].setdefault(
                    (backward, source.id),
                    RelatedTerm(backward, source.id, source.iri, source.label),
                )
    for term_id, links in found.items():
        terms[term_id].related = sorted(links.values(), key=lambda link: (link.type, link.id))


def _add_references(references: Nodes, terms: dict[str, CatalogTerm]) -> None:
    for iri in sorted(references):
        p = references[iri]
        source = terms.get(_local(_one(p, KGO.fromTerm), "term") or "")
        target = terms.get(_local(_one(p, KGO.toTerm), "term") or "")
        cited = _local(_one(p, KGO.toReport), "report")
        ref_type = _one(p, KGO.refType) or ""
        evidence, confidence = _one(p, KGO.quote), _float(p, KGO.confidence)
        in_report = _local(_one(p, KGO.inReport), "report")
        if source is not None:
            source.references.append(
                Reference(
                    ref_type,
                    True,
                    target.id if target else None,
                    cited,
                    evidence,
                    confidence,
                    in_report,
                )
            )
        if target is not None and source is not None:
            target.references.append(
                Reference(ref_type, False, source.id, None, evidence, confidence, in_report)
            )


def _add_mentions(
    mentions: Nodes, terms: dict[str, CatalogTerm], order: Callable[[str], DeliveryKey]
) -> None:
    for p in mentions.values():
        term = terms.get(_local(_one(p, KGO.mentionOf), "term") or "")
        report = _local(_one(p, KGO.inReport), "report")
        if term is None or report is None:
            continue
        term.mentions.append(
            MentionRef(
                report=report,
                start=_int(p, KGO.startOffset) or 0,
                end=_int(p, KGO.endOffset) or 0,
                page=_int(p, KGO.page),
                sentence=_one(p, KGO.sentence) or "",
                form=_one(p, KGO.quote) or "",
            )
        )
    for term in terms.values():
        term.mentions.sort(key=lambda m: (order(m.report), m.start))


def _add_glossaries(
    nodes: dict[str, Nodes], reports: dict[str, CatalogReport], terms: dict[str, CatalogTerm]
) -> None:
    derived: dict[str, str] = {}
    for p in nodes["definition"].values():
        source, text = _one(p, PROV.wasDerivedFrom), _one(p, RDF.value)
        if source is not None and text is not None:
            derived[source] = text
    for iri, p in nodes["entry"].items():
        report = reports.get(_local(_one(p, KGO.inReport), "report") or "")
        if report is None:
            continue
        term = terms.get(_local(_one(p, KGO.defines), "term") or "")
        report.glossary.append(
            GlossaryItem(
                number=_int(p, KGO.entryNumber) or 0,
                term=term.id if term else None,
                label=term.label if term else (_one(p, KGO.termAsPrinted) or ""),
                definition=derived.get(iri),
            )
        )
    for report in reports.values():
        report.glossary.sort(key=lambda item: item.number)
