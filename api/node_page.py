"""The page of any node of the graph, made from its description in the store.

Definitions, glossary entries, source locations, component lists,
components, bodies, mentions, cross-references, the concept scheme and its
groups have no page of their own in the read model; :func:`node_page` lays
out what the store says of one: its types, its statements (each property
named in Chinese, each IRI value linked to where it resolves here and shown
by its label, an ordered list as a list), and the nodes that point at it.
The template escapes every value.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType

from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SKOS
from rdflib.term import Node

from kg.ontology import BORROWED, BORROWED_CLASSES, ontology_terms
from kg.store import GraphStore
from kg.vocab import BASE, KGO, PREFIXES

__all__ = ["NodePage", "Statement", "Value", "node_page"]

_INCOMING_LIMIT = 100
_LABELLED_LIMIT = 2000
_LABEL_PATH = "skos:prefLabel|rdfs:label|dcterms:title"


@dataclass(frozen=True)
class Value:
    """One value: its text (a label for an IRI), where it links, its language, list items."""

    text: str
    href: str | None = None
    language: str | None = None
    items: tuple[Value, ...] = ()


@dataclass(frozen=True)
class Statement:
    """A property, named for the page, with its values."""

    label: str
    iri: str
    href: str
    values: tuple[Value, ...]


@dataclass(frozen=True)
class NodePage:
    """What a node's page shows."""

    iri: str
    title: str
    kinds: tuple[Value, ...]
    statements: tuple[Statement, ...]
    incoming: tuple[Statement, ...]
    more_incoming: bool
    in_term_page: str | None


@cache
def _property_names() -> MappingProxyType[str, tuple[int, str]]:
    """Each known property's (page order, Chinese name); the ontology's after the borrowed."""
    names = {b.iri: (rank, b.label) for rank, b in enumerate(BORROWED)}
    for rank, term in enumerate(ontology_terms(), start=len(names)):
        names[term.iri] = (rank, term.label)
    return MappingProxyType(names)


@cache
def _class_names() -> MappingProxyType[str, str]:
    classes = {t.iri: t.label for t in ontology_terms() if t.kind == "class"}
    return MappingProxyType({**BORROWED_CLASSES, **classes})


def node_page(
    store: GraphStore,
    iri: str,
    description: bytes,
    local: Callable[[str], str],
    known: Callable[[str], str | None],
) -> NodePage:
    """The page of ``iri`` from its N-Triples ``description``.

    ``local`` maps an IRI to its link; ``known`` names the IRIs the read model
    knows (terms, reports, districts) better than their labels in the store do.
    """
    graph = Graph().parse(data=description, format="nt")
    node = URIRef(iri)
    incoming = _incoming(store, iri)
    linked = {str(o) for o in graph.objects(node) if isinstance(o, URIRef)}
    linked |= {str(o) for o in graph.objects() if isinstance(o, URIRef) and str(o).startswith(BASE)}
    linked |= {s for s, _ in incoming} | {iri}
    labels = _labels(store, linked)
    labels.update({node: name for node in linked if (name := known(node)) is not None})
    by_property: dict[str, list[Node]] = {}
    for predicate, obj in graph.predicate_objects(node):
        by_property.setdefault(str(predicate), []).append(obj)
    types = sorted(
        (str(t) for t in by_property.pop(str(RDF.type), [])),
        key=lambda t: (not t.startswith(str(KGO._NS)), t),
    )
    kinds = tuple(Value(_class_names().get(t, _short(t)), local(t)) for t in types)

    def value(obj: Node) -> Value:
        if isinstance(obj, Literal):
            return Value(str(obj), language=obj.language)
        if isinstance(obj, BNode):
            return Value("", items=tuple(value(item) for item in Collection(graph, obj)))
        text = str(obj)
        return Value(labels.get(text, _short(text)), local(text))

    statements = tuple(
        _statement(prop, sorted((value(o) for o in objects), key=_order), local)
        for prop, objects in sorted(by_property.items(), key=lambda item: _rank(item[0]))
    )
    referring: dict[str, list[Value]] = {}
    for subject, prop in incoming[:_INCOMING_LIMIT]:
        label = labels.get(subject, _short(subject))
        referring.setdefault(prop, []).append(Value(label, local(subject)))
    return NodePage(
        iri=iri,
        title=_title(iri, kinds, labels, by_property, incoming),
        kinds=kinds,
        statements=statements,
        incoming=tuple(
            _statement(prop, values, local)
            for prop, values in sorted(referring.items(), key=lambda item: _rank(item[0]))
        ),
        more_incoming=len(incoming) > _INCOMING_LIMIT,
        in_term_page=_in_term_page(types, by_property, incoming, local),
    )


def _statement(prop: str, values: Iterable[Value], local: Callable[[str], str]) -> Statement:
    name = _property_names().get(prop, (0, _short(prop)))[1]
    return Statement(name, prop, local(prop), tuple(values))


def _rank(prop: str) -> tuple[int, str]:
    return (_property_names().get(prop, (len(_property_names()), ""))[0], prop)


def _order(value: Value) -> tuple[bool, str, str]:
    return (value.href is not None, value.language or "", value.text)


def _short(iri: str) -> str:
    """A prefixed name for ``iri``, or its path under BASE, or the IRI itself."""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and iri != namespace and prefix != "kgo":
            return f"{prefix}:{iri.removeprefix(namespace)}"
    if iri.startswith(str(KGO._NS)):
        return "kgo:" + iri.removeprefix(str(KGO._NS))
    return iri.removeprefix(BASE)


def _incoming(store: GraphStore, iri: str) -> list[tuple[str, str]]:
    """The (subject, property) of the statements whose value is ``iri``."""
    rows = store.select(
        f"SELECT ?s ?p WHERE {{ ?s ?p <{iri}> FILTER(isIRI(?s)) }} "
        f"ORDER BY ?p ?s LIMIT {_INCOMING_LIMIT + 1}"
    )
    return [(row["s"], row["p"]) for row in rows]


def _labels(store: GraphStore, iris: set[str]) -> dict[str, str]:
    """A Chinese (or untagged) label for each of ``iris`` that has one, shortest first."""
    chosen = sorted(iris)[:_LABELLED_LIMIT]
    if not chosen:
        return {}
    values = " ".join(f"<{iri}>" for iri in chosen)
    rows = store.select(
        f"SELECT ?node ?label WHERE {{ VALUES ?node {{ {values} }} ?node {_LABEL_PATH} ?label "
        'FILTER(langMatches(lang(?label), "zh") || lang(?label) = "") }'
    )
    labels: dict[str, str] = {}
    for row in rows:
        known = labels.get(row["node"])
        if known is None or (len(row["label"]), row["label"]) < (len(known), known):
            labels[row["node"]] = row["label"]
    return labels


def _title(
    iri: str,
    kinds: tuple[Value, ...],
    labels: dict[str, str],
    by_property: dict[str, list[Node]],
    incoming: list[tuple[str, str]],
) -> str:
    """The node's label; else its kind and the labels of the term and report it is about."""
    if iri in labels:
        return labels[iri]
    kind = kinds[0].text if kinds else "节点"
    about = [
        str(obj)
        for prop in (KGO.mentionOf, KGO.defines, KGO.fromTerm, KGO.toTerm, KGO.inReport)
        for obj in by_property.get(str(prop), [])
    ]
    about[:0] = [subject for subject, prop in incoming if prop == str(SKOS.definition)]
    named = [labels[node] for node in dict.fromkeys(about) if node in labels]
    return " · ".join([kind, *named]) if named else f"{kind} {iri.removeprefix(BASE)}"


def _in_term_page(
    types: list[str],
    by_property: dict[str, list[Node]],
    incoming: list[tuple[str, str]],
    local: Callable[[str], str],
) -> str | None:
    """For a definition, the link to it on its term's page."""
    if str(KGO.Definition) not in types:
        return None
    terms = [subject for subject, prop in incoming if prop == str(SKOS.definition)]
    reports = by_property.get(str(KGO.inReport), [])
    if not terms or not reports:
        return None
    return f"{local(terms[0])}#definition-{str(reports[0]).rsplit('/', 1)[-1]}"
