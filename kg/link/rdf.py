"""Link a corpus and add the links to its RDF graph; a networkx view for path questions.

:func:`link_reports` runs slogan discovery, mention finding, cross-references
and revisions over a corpus (jieba is loaded once, here), and gives every term
of the corpus its id, once: :func:`kg.graph.build_graph` and :func:`add_links`
both take them from :attr:`Links.term_ids`. :func:`add_links` writes the links
into a graph made by :func:`kg.graph.build_graph`:

- every concept gets ``kgo:defined``; undefined slogans become concepts with
  ``kgo:confidence`` and ``kgo:discoveredBy``;
- each mention is a ``kgo:Mention`` (concept, report, sentence, page, source
  offsets, the form as printed) plus a direct ``kgo:mentionedIn`` triple;
- each cross-reference is a ``kgo:CrossReference`` node plus, where a standard
  property fits, a direct triple: ``dcterms:references`` (a definition names
  a term), ``kgo:citesReport`` (on the citing definition), ``kgo:evolvedFrom``
  (a ``prov:wasDerivedFrom``), ``skos:closeMatch`` (same idea, other body),
  ``skos:related`` (part of a term);
- a definition given again gets ``prov:wasRevisionOf`` the earlier one, and
  ``kgo:definitionChange`` when the text changed.

Every IRI is made from ids and offsets, so rebuilding gives the same graph.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

import networkx as nx
from rdflib import RDF, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDFS, SKOS

from kg.graph import add_hidden_labels
from kg.ids import assign_term_ids, district_id, label_hash, term_id
from kg.link.matching import KnownTerm, TermMatcher
from kg.link.mentions import Mention, find_mentions, glossary_terms
from kg.link.references import CrossReference, find_references
from kg.link.revisions import Revision, find_revisions, term_definitions
from kg.link.segmenter import JiebaSegmenter
from kg.link.slogans import Slogan, discover_slogans
from kg.model import GlossaryEntry, Report
from kg.text import language_tag, normalize_label
from kg.vocab import (
    EVOLUTION_TYPES,
    KGO,
    SCHEME,
    crossref_iri,
    definition_iri,
    district_iri,
    entry_iri,
    group_iri,
    location_iri,
    mention_iri,
    report_iri,
    term_iri,
)

__all__ = ["Links", "add_links", "link_reports", "to_networkx"]

_PER_DEFINITION = frozenset({"cites-term", "cites-report"})
# SKOS says these hold both ways; the graph states both directions.
_SYMMETRIC = frozenset({SKOS.related, SKOS.closeMatch})
_DIRECT: Mapping[str, URIRef] = {
    "cites-term": DCTERMS.references,
    "same-idea": SKOS.closeMatch,
    "part-of": SKOS.related,
    **dict.fromkeys(EVOLUTION_TYPES, KGO.evolvedFrom),
}


@dataclass(frozen=True)
class Links:
    """Everything linking found in a corpus, keyed by normalised term label."""

    terms: Mapping[str, KnownTerm]
    term_ids: Mapping[str, str]
    slogans: Sequence[Slogan]
    mentions: Sequence[Mention]
    references: Sequence[CrossReference]
    revisions: Sequence[Revision]
    matcher: TermMatcher


def link_reports(reports: Sequence[Report]) -> Links:
    """Discover slogans, then find mentions, cross-references and revisions."""
    glossary = glossary_terms(reports)
    slogans = discover_slogans(reports, glossary)
    terms: dict[str, KnownTerm] = dict(glossary)
    terms.update({slogan.key: KnownTerm(slogan.key, slogan.label) for slogan in slogans})
    matcher = TermMatcher(terms.values(), JiebaSegmenter)
    return Links(
        terms=terms,
        term_ids=_term_ids(glossary, slogans),
        slogans=slogans,
        mentions=find_mentions(reports, matcher),
        references=find_references(reports, glossary, matcher, slogans),
        revisions=find_revisions(term_definitions(reports)),
        matcher=matcher,
    )


def _term_ids(glossary: Mapping[str, KnownTerm], slogans: Sequence[Slogan]) -> dict[str, str]:
    """Every term's id: glossary terms first (homophones disambiguated), then slogans,
    which never take an id a glossary term has."""
    ids = assign_term_ids(glossary)
    taken = set(ids.values())
    for slogan in slogans:
        slug = term_id(slogan.key)
        ids[slogan.key] = slug if slug not in taken else f"{slug}-{label_hash(slogan.key)}"
        taken.add(ids[slogan.key])
    return ids


def add_links(graph: Graph, reports: Sequence[Report], links: Links) -> None:
    """Write ``links`` into ``graph`` (built from the same ``reports``)."""
    for report in reports:
        graph.add((report_iri(report.id), KGO.held, Literal(True)))
    _add_concepts(graph, links, reports)
    by_id = {report.id: report for report in reports}
    for mention in links.mentions:
        _add_mention(graph, mention, links.term_ids[mention.key], by_id[mention.report_id])
    for revision in links.revisions:
        _add_revision(graph, revision, links.term_ids[revision.key])
    for reference in links.references:
        _add_reference(graph, reference, links.term_ids)
    _add_groups(graph, reports, links)


def _add_groups(graph: Graph, reports: Sequence[Report], links: Links) -> None:
    """Top concepts for browsing: one per district, with the terms its reports define or use.

    A term belongs to the districts whose glossaries define it, or else to
    those whose reports use it; a term of no district is a top concept itself.
    """
    place = {report.id: report.metadata.district or report.metadata.city for report in reports}
    districts: dict[str, set[str]] = {key: set() for key in links.terms}
    for report in reports:
        for entry in report.entries:
            if place[report.id]:
                districts.setdefault(normalize_label(entry.term), set()).add(place[report.id] or "")
    used: dict[str, set[str]] = {}
    for mention in links.mentions:
        if place.get(mention.report_id):
            used.setdefault(mention.key, set()).add(place[mention.report_id] or "")
    for key, tid in links.term_ids.items():
        concept = term_iri(tid)
        names = districts.get(key) or used.get(key) or set()
        if not names:
            graph.add((concept, SKOS.topConceptOf, SCHEME))
            graph.add((SCHEME, SKOS.hasTopConcept, concept))
        for name in sorted(names):
            group = group_iri(district_id(name))
            graph.add((group, RDF.type, SKOS.Concept))
            graph.add((group, SKOS.inScheme, SCHEME))
            graph.add((group, SKOS.topConceptOf, SCHEME))
            graph.add((SCHEME, SKOS.hasTopConcept, group))
            graph.add((group, SKOS.prefLabel, _zh(f"{name}的政策术语")))
            graph.add((concept, SKOS.broader, group))
            graph.add((group, SKOS.narrower, concept))


def _zh(text: str) -> Literal:
    return Literal(text, lang=language_tag(text))


def _confidence(value: float) -> Literal:
    return Literal(Decimal(str(round(value, 2))), datatype=XSD.decimal)


def _add_concepts(graph: Graph, links: Links, reports: Sequence[Report]) -> None:
    explained = {slogan.key for slogan in links.slogans if slogan.explained_by is not None}
    for key, term in links.terms.items():
        defined = term.defined or key in explained
        graph.add((term_iri(links.term_ids[key]), KGO.defined, Literal(defined)))
    for slogan in links.slogans:
        node = term_iri(links.term_ids[slogan.key])
        graph.add((node, RDF.type, SKOS.Concept))
        graph.add((node, SKOS.inScheme, SCHEME))
        graph.add((node, SKOS.prefLabel, _zh(slogan.label)))
        add_hidden_labels(graph, node, [slogan.label])
        graph.add((node, KGO.confidence, _confidence(slogan.confidence)))
        graph.add((node, KGO.discoveredBy, Literal(slogan.rule)))
        graph.add((node, KGO.listed, Literal(slogan.listed)))
    entries = _first_entries(reports)
    for slogan in links.slogans:
        if slogan.explained_by is not None:
            tid = links.term_ids[slogan.key]
            _add_explanations(graph, tid, entries.get(slogan.explained_by, ()))


def _first_entries(reports: Sequence[Report]) -> dict[str, list[tuple[Report, GlossaryEntry]]]:
    """For each term, the first entry defining it in each report, in report order."""
    found: dict[str, list[tuple[Report, GlossaryEntry]]] = {}
    for report in reports:
        seen: set[str] = set()
        for entry in report.entries:
            key = normalize_label(entry.term)
            if key not in seen:
                seen.add(key)
                found.setdefault(key, []).append((report, entry))
    return found


def _add_explanations(
    graph: Graph, tid: str, entries: Sequence[tuple[Report, GlossaryEntry]]
) -> None:
    """A name explained inside another term's glossary entry is defined by that entry.

    Each report whose glossary has an entry for the explaining term (``entries``)
    gives the name a definition: the entry's text, derived from and located at
    that entry.
    """
    for report, entry in entries:
        node = definition_iri(report.id, tid)
        graph.add((term_iri(tid), SKOS.definition, node))
        graph.add((term_iri(tid), SKOS.definition, _zh(entry.definition)))
        graph.add((node, RDF.type, KGO.Definition))
        graph.add((node, RDF.value, _zh(entry.definition)))
        graph.add((node, KGO.inReport, report_iri(report.id)))
        graph.add((node, PROV.wasDerivedFrom, entry_iri(report.id, entry.n)))
        graph.add((node, PROV.atLocation, location_iri(report.id, entry.n)))


def _add_mention(graph: Graph, mention: Mention, tid: str, report: Report) -> None:
    node = mention_iri(report.id, mention.start, tid)
    concept, where = term_iri(tid), report_iri(report.id)
    graph.add((node, RDF.type, KGO.Mention))
    graph.add((node, KGO.mentionOf, concept))
    graph.add((node, KGO.inReport, where))
    graph.add((node, KGO.sentence, _zh(mention.sentence)))
    graph.add((node, KGO.quote, _zh(mention.form)))
    graph.add((node, KGO.startOffset, Literal(mention.span.start)))
    graph.add((node, KGO.endOffset, Literal(mention.span.end)))
    if mention.span.page is not None:
        graph.add((node, KGO.page, Literal(mention.span.page)))
    graph.add((concept, KGO.mentionedIn, where))


def _add_revision(graph: Graph, revision: Revision, tid: str) -> None:
    later = definition_iri(revision.later, tid)
    graph.add((later, PROV.wasRevisionOf, definition_iri(revision.earlier, tid)))
    if revision.change is not None:
        graph.add((later, KGO.definitionChange, Literal(revision.change)))


def _add_reference(graph: Graph, ref: CrossReference, term_ids: Mapping[str, str]) -> None:
    source = term_iri(term_ids[ref.from_key])
    if ref.to_report is not None:
        target, target_id = _add_cited_report(graph, ref), ref.to_report.id
    elif ref.to_key is not None:
        target_id = term_ids[ref.to_key]
        target = term_iri(target_id)
    else:
        return
    cited_in = ref.report_id if ref.ref_type in _PER_DEFINITION else None
    node = crossref_iri(ref.ref_type, term_ids[ref.from_key], target_id, cited_in)
    graph.add((node, RDF.type, KGO.CrossReference))
    graph.add((node, KGO.refType, Literal(ref.ref_type)))
    graph.add((node, KGO.fromTerm, source))
    graph.add((node, KGO.toReport if ref.to_report else KGO.toTerm, target))
    graph.add((node, KGO.quote, _zh(ref.quote)))
    graph.add((node, KGO.confidence, _confidence(ref.confidence)))
    if ref.report_id is not None:
        graph.add((node, KGO.inReport, report_iri(ref.report_id)))
    if ref.ref_type == "cites-report" and ref.report_id is not None:
        citing = definition_iri(ref.report_id, term_ids[ref.from_key])
        graph.add((citing, KGO.citesReport, target))
    elif ref.ref_type in _DIRECT:
        graph.add((source, _DIRECT[ref.ref_type], target))
        if _DIRECT[ref.ref_type] in _SYMMETRIC:
            graph.add((target, _DIRECT[ref.ref_type], source))


def _add_cited_report(graph: Graph, ref: CrossReference) -> URIRef:
    """The cited report's node; one not held gets its kind, district and delivery year."""
    assert ref.to_report is not None
    cited = ref.to_report
    node = report_iri(cited.id)
    if cited.held:
        return node
    district = district_iri(district_id(cited.district))
    graph.add((district, RDF.type, KGO.District))
    if graph.value(district, RDFS.label) is None:
        graph.add((district, RDFS.label, _zh(cited.district)))
    graph.add((node, RDF.type, KGO.Report))
    graph.add((node, KGO.reportKind, Literal("government_work_report")))
    graph.add((node, KGO.district, district))
    graph.add((node, KGO.held, Literal(False)))
    graph.add((node, KGO.deliveredYear, Literal(f"{cited.year:04d}", datatype=XSD.gYear)))
    return node


_NX_EDGES: Mapping[URIRef, str] = {
    KGO.evolvedFrom: "evolved-from",
    SKOS.closeMatch: "same-idea",
    DCTERMS.references: "cites-term",
    SKOS.related: "related",
    KGO.mentionedIn: "mentioned-in",
}


def to_networkx(graph: Graph) -> nx.MultiDiGraph:
    """Concepts and reports as nodes (IRI strings), links between them as typed edges.

    Edges: ``evolved-from`` (newer → older), ``same-idea``, ``cites-term``,
    ``related``, ``mentioned-in`` (concept → report), ``defined-in`` and
    ``cites-report`` (concept → report). Use ``nx.shortest_path`` on
    ``.to_undirected()`` for "how are these two terms connected?".
    """
    view = nx.MultiDiGraph()
    for concept in graph.subjects(RDF.type, SKOS.Concept):
        label = graph.value(concept, SKOS.prefLabel)
        view.add_node(str(concept), kind="concept", label=str(label) if label else None)
    for report in graph.subjects(RDF.type, KGO.Report):
        view.add_node(str(report), kind="report")
    for predicate, kind in _NX_EDGES.items():
        for subject, obj in graph.subject_objects(predicate):
            view.add_edge(str(subject), str(obj), key=kind, kind=kind)
    for concept, definition in graph.subject_objects(SKOS.definition):
        for report in graph.objects(definition, KGO.inReport):
            view.add_edge(str(concept), str(report), key="defined-in", kind="defined-in")
        for report in graph.objects(definition, KGO.citesReport):
            view.add_edge(str(concept), str(report), key="cites-report", kind="cites-report")
    return view
