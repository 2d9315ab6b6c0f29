"""The vocabulary of the graph, read once: the ontology's terms and the ones it borrows.

:func:`ontology_terms` reads ``ontology/kg.ttl`` into plain, immutable
records (no rdflib graph is kept, so threads may share them): each class and
property with its labels, comment, domain, range and parent.
:data:`BORROWED` lists the SKOS, DCTERMS, PROV, RDFS, RDF and OWL properties
the graph and the ontology use, each with its short JSON-LD name, how JSON-LD
writes its values and its Chinese name on the pages. The JSON-LD context
(:mod:`kg.jsonld`) and the ontology and node pages are made from these two.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from types import MappingProxyType

from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef

from kg.vocab import KGO, ONTOLOGY_PATH, PREFIXES

__all__ = ["BORROWED", "BORROWED_CLASSES", "Borrowed", "OntologyTerm", "ontology_terms"]

_KINDS = {OWL.Class: "class", OWL.ObjectProperty: "object", OWL.DatatypeProperty: "datatype"}


@dataclass(frozen=True)
class OntologyTerm:
    """A class or property of ``kgo:``: ``kind`` is ``class``, ``object`` or ``datatype``."""

    iri: str
    name: str
    kind: str
    labels: MappingProxyType[str, str]
    comment: str | None
    domain: str | None
    range: str | None
    parent: str | None

    @property
    def label(self) -> str:
        """The Chinese label, else the English one, else the local name."""
        return self.labels.get("zh") or self.labels.get("en") or self.name


@dataclass(frozen=True)
class Borrowed:
    """A property from another vocabulary: JSON-LD name, coercion and Chinese page name.

    ``coercion`` is ``id`` (IRI values), ``language`` (a language map),
    ``list`` (an RDF list as a JSON array), an ``xsd:`` datatype, or empty.
    """

    curie: str
    name: str
    coercion: str
    label: str

    @property
    def iri(self) -> str:
        """The full IRI, expanded with the ontology's prefixes."""
        prefix, _, local = self.curie.partition(":")
        return PREFIXES[prefix] + local


BORROWED: tuple[Borrowed, ...] = (
    Borrowed("rdf:type", "@type", "", "类型"),
    Borrowed("skos:prefLabel", "prefLabel", "language", "名称"),
    Borrowed("skos:altLabel", "altLabel", "language", "又作"),
    Borrowed("skos:hiddenLabel", "hiddenLabel", "language", "检索用名"),
    Borrowed("rdf:value", "value", "", "文本"),
    Borrowed("skos:definition", "definition", "", "释义"),
    Borrowed("skos:broader", "broader", "id", "上位概念"),
    Borrowed("skos:narrower", "narrower", "id", "下位概念"),
    Borrowed("skos:related", "related", "id", "相关概念"),
    Borrowed("skos:closeMatch", "closeMatch", "id", "相近概念"),
    Borrowed("skos:exactMatch", "exactMatch", "id", "等同概念"),
    Borrowed("skos:inScheme", "inScheme", "id", "所属概念体系"),
    Borrowed("skos:topConceptOf", "topConceptOf", "id", "顶层概念所属体系"),
    Borrowed("skos:hasTopConcept", "hasTopConcept", "id", "顶层概念"),
    Borrowed("skos:member", "member", "id", "成员"),
    Borrowed("skos:memberList", "memberList", "list", "成员（按顺序）"),
    Borrowed("dcterms:title", "title", "language", "标题"),
    Borrowed("dcterms:description", "description", "language", "说明"),
    Borrowed("dcterms:issued", "issued", "xsd:date", "印发日期"),
    Borrowed("dcterms:publisher", "publisher", "id", "发布机关"),
    Borrowed("dcterms:references", "references", "id", "引用"),
    Borrowed("dcterms:source", "source", "", "来源文件"),
    Borrowed("prov:wasDerivedFrom", "wasDerivedFrom", "id", "出自"),
    Borrowed("prov:wasRevisionOf", "wasRevisionOf", "id", "修订自"),
    Borrowed("prov:atLocation", "atLocation", "id", "原文位置"),
    Borrowed("rdfs:label", "label", "language", "名称"),
    Borrowed("rdfs:comment", "comment", "language", "说明"),
    Borrowed("rdfs:seeAlso", "seeAlso", "id", "参见"),
    Borrowed("rdfs:domain", "domain", "id", "定义域"),
    Borrowed("rdfs:range", "range", "id", "值域"),
    Borrowed("rdfs:subClassOf", "subClassOf", "id", "上位类"),
    Borrowed("rdfs:subPropertyOf", "subPropertyOf", "id", "上位属性"),
    Borrowed("owl:versionInfo", "versionInfo", "", "版本"),
)
"""Properties of other vocabularies the graph uses, in the order pages show them."""

BORROWED_CLASSES: MappingProxyType[str, str] = MappingProxyType(
    {
        PREFIXES["skos"] + "Concept": "概念",
        PREFIXES["skos"] + "ConceptScheme": "概念体系",
        PREFIXES["skos"] + "Collection": "集合",
        PREFIXES["skos"] + "OrderedCollection": "有序集合",
        PREFIXES["prov"] + "Entity": "实体",
        PREFIXES["owl"] + "Ontology": "本体",
    }
)
"""Chinese names of the classes of other vocabularies the graph's nodes have."""


@cache
def ontology_terms() -> tuple[OntologyTerm, ...]:
    """The classes, then the properties, of ``ontology/kg.ttl``, each sorted by name."""
    graph = Graph().parse(ONTOLOGY_PATH, format="turtle")
    namespace = str(KGO._NS)
    terms: list[OntologyTerm] = []
    for rdf_type, kind in _KINDS.items():
        subjects = {str(s) for s in graph.subjects(RDF.type, rdf_type)}
        for subject in sorted(s for s in subjects if s.startswith(namespace)):
            terms.append(_term(graph, URIRef(subject), kind, namespace))
    return tuple(terms)


def _term(graph: Graph, subject: URIRef, kind: str, namespace: str) -> OntologyTerm:
    labels = {
        (label.language or "").split("-")[0]: str(label)
        for label in graph.objects(subject, RDFS.label)
        if isinstance(label, Literal)
    }
    parent_property = RDFS.subClassOf if kind == "class" else RDFS.subPropertyOf
    return OntologyTerm(
        iri=str(subject),
        name=str(subject).removeprefix(namespace),
        kind=kind,
        labels=MappingProxyType(labels),
        comment=_text(graph.value(subject, RDFS.comment)),
        domain=_text(graph.value(subject, RDFS.domain)),
        range=_text(graph.value(subject, RDFS.range)),
        parent=_text(graph.value(subject, parent_property)),
    )


def _text(node: object) -> str | None:
    return None if node is None else str(node)
