"""Every SHACL shape in ontology/shapes.ttl, with a graph that passes it and one that breaks it.

The valid graph is the golden graph of tests/test_graph.py. Each case breaks it
in one place and names the shape pySHACL must report (as ``sh:sourceShape`` or
``sh:sourceConstraint``); a last test checks that every named shape has a case.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import rdflib
from pyshacl import validate
from rdflib import RDF, RDFS, SH, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS
from rdflib.term import Node

from kg.validate import validate_graph
from kg.vocab import (
    KGO,
    SHAPES,
    SHAPES_PATH,
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

GOLDEN = Path(__file__).parent / "golden" / "two_reports.ttl"

R23 = report_iri("jianghan-2023-gov-work-report")
R24 = report_iri("jianghan-2024-gov-work-report")
DISTRICT = district_iri("jianghan")
BODY = body_iri("jiang-han-qu-ren-min-zheng-fu")
LIU = term_iri("liu-ge-zhi-li")
DEF23 = definition_iri("jianghan-2023-gov-work-report", "liu-ge-zhi-li")
DEF24 = definition_iri("jianghan-2024-gov-work-report", "liu-ge-zhi-li")
DEF_PARTS = definition_iri("jianghan-2023-gov-work-report", "yi-he-liang-yi")
ENTRY = entry_iri("jianghan-2024-gov-work-report", 1)
LOCATION = location_iri("jianghan-2024-gov-work-report", 1)
LIST = components_iri("jianghan-2023-gov-work-report", "yi-he-liang-yi")
COMPONENT = component_iri("jianghan-2023-gov-work-report", "yi-he-liang-yi", 1)

GYEAR = rdflib.XSD.gYear

Mutation = Callable[[Graph], None]


def removing(subject: URIRef, predicate: URIRef) -> Mutation:
    def mutate(graph: Graph) -> None:
        graph.remove((subject, predicate, None))

    return mutate


def adding(subject: URIRef, predicate: URIRef, obj: URIRef | Literal) -> Mutation:
    def mutate(graph: Graph) -> None:
        graph.add((subject, predicate, obj))

    return mutate


def setting(subject: URIRef, predicate: URIRef, obj: URIRef | Literal) -> Mutation:
    def mutate(graph: Graph) -> None:
        graph.set((subject, predicate, obj))

    return mutate


def list_cells(graph: Graph) -> list[Node]:
    cells: list[Node] = []
    cell = graph.value(LIST, SKOS.memberList)
    while cell is not None and cell != RDF.nil:
        cells.append(cell)
        cell = graph.value(cell, RDF.rest)
    return cells


def truncate_list(graph: Graph) -> None:
    """The last cell's rest points at a node that is not a list cell and not rdf:nil."""
    graph.set((list_cells(graph)[-1], RDF.rest, COMPONENT))


def double_first(graph: Graph) -> None:
    graph.add((list_cells(graph)[0], RDF.first, LIU))


def replace_first_item(graph: Graph) -> None:
    graph.set((list_cells(graph)[0], RDF.first, LIU))


@dataclass(frozen=True)
class Case:
    """A way to break the valid graph, and the shape that must report it."""

    shape: str
    break_graph: Mutation
    # Validate with this shape also targeting the first list cell: for shapes only used via sh:node.
    target_list: bool = False

    @property
    def id(self) -> str:
        return self.shape


CASES = [
    Case("Concept-prefLabel", removing(LIU, SKOS.prefLabel)),
    Case("Concept-prefLabel", adding(LIU, SKOS.prefLabel, Literal("六个致力"))),
    Case("Concept-prefLabel", setting(LIU, SKOS.prefLabel, Literal("six", lang="en"))),
    Case("Concept-altLabel", adding(LIU, SKOS.altLabel, Literal("六个致力", lang="zh-hans"))),
    Case("Concept-inScheme", removing(LIU, SKOS.inScheme)),
    Case("Concept-definition", adding(LIU, SKOS.definition, Literal("text"))),
    Case("OneDefinitionPerReport", setting(DEF24, KGO.inReport, R23)),
    Case("Definition-value", removing(DEF23, RDF.value)),
    Case("Definition-value", setting(DEF23, RDF.value, Literal("", lang="zh"))),
    Case("Definition-value", adding(DEF23, RDF.value, Literal("又一个", lang="zh"))),
    Case("Definition-inReport", removing(DEF23, KGO.inReport)),
    Case("Definition-location", removing(DEF23, PROV.atLocation)),
    Case("Definition-derivedFrom", setting(DEF23, PROV.wasDerivedFrom, R23)),
    Case("Definition-concept", removing(LIU, SKOS.definition)),
    Case("Definition-components", setting(DEF_PARTS, KGO.components, COMPONENT)),
    Case("Report-kind", removing(R24, KGO.reportKind)),
    Case("Report-district", removing(R24, KGO.district)),
    Case("Report-district", setting(R24, KGO.district, Literal("江汉区", lang="zh"))),
    Case("Report-docNumber", adding(R24, KGO.docNumber, Literal("江政〔2025〕2号"))),
    Case("Report-deliveredOn", setting(R24, KGO.deliveredOn, Literal("2024-12-29"))),
    Case("Report-issued", setting(R24, DCTERMS.issued, Literal("2025年1月20日"))),
    Case("Report-yearReviewed", setting(R24, KGO.yearReviewed, Literal(2024))),
    Case(
        "Report-yearPlanned",
        adding(R24, KGO.yearPlanned, Literal("2026", datatype=rdflib.XSD.gYear)),
    ),
    Case("Report-title", adding(R24, DCTERMS.title, Literal("另一标题", lang="zh"))),
    Case("Report-publisher", setting(R24, DCTERMS.publisher, DISTRICT)),
    Case("District-label", removing(DISTRICT, RDFS.label)),
    Case("District-city", adding(DISTRICT, KGO.city, Literal("汉口", lang="zh"))),
    Case("Body-label", removing(BODY, RDFS.label)),
    Case("Body-jurisdiction", setting(BODY, KGO.jurisdiction, R24)),
    Case("GlossaryEntry-number", setting(ENTRY, KGO.entryNumber, Literal(0))),
    Case("GlossaryEntry-number", setting(ENTRY, KGO.entryNumber, Literal("1"))),
    Case("GlossaryEntry-termAsPrinted", removing(ENTRY, KGO.termAsPrinted)),
    Case("GlossaryEntry-inReport", removing(ENTRY, KGO.inReport)),
    Case("GlossaryEntry-defines", setting(ENTRY, KGO.defines, DEF24)),
    Case("GlossaryEntry-location", adding(ENTRY, PROV.atLocation, BODY)),
    Case("SourceLocation-start", setting(LOCATION, KGO.startOffset, Literal(100))),
    Case("SourceLocation-start", setting(LOCATION, KGO.startOffset, Literal(-1))),
    Case("SourceLocation-end", setting(LOCATION, KGO.endOffset, Literal("39"))),
    Case("SourceLocation-page", setting(LOCATION, KGO.page, Literal(0))),
    Case("SourceLocation-quote", adding(LOCATION, KGO.quote, Literal("又一段", lang="zh"))),
    Case("SourceLocation-inReport", removing(LOCATION, KGO.inReport)),
    Case("ComponentList-memberList", removing(LIST, SKOS.memberList)),
    Case("ComponentList-memberList", truncate_list),
    Case("ComponentList-memberList", double_first),
    Case("ComponentList-items", replace_first_item),
    Case("ComponentList-member", adding(LIST, SKOS.member, LIU)),
    Case("ComponentList-promised", setting(LIST, KGO.promisedCounts, Literal("1,2"))),
    Case("ComponentList-found", setting(LIST, KGO.foundCounts, Literal("two"))),
    Case("ComponentList-partsMatch", setting(LIST, KGO.partsMatch, Literal("yes"))),
    Case("PartsMatchAgreesWithCounts", setting(LIST, KGO.partsMatch, Literal(False))),
    Case("Component-label", removing(COMPONENT, RDFS.label)),
    Case("Component-group", adding(COMPONENT, KGO.componentGroup, Literal("两翼", lang="zh"))),
    Case("List-cells", truncate_list, target_list=True),
    Case("ListNodeShape", double_first, target_list=True),
]


@pytest.fixture(scope="module")
def valid() -> Graph:
    return Graph().parse(GOLDEN, format="turtle")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(SHAPES_PATH, format="turtle")


def copy_of(graph: Graph) -> Graph:
    copy = Graph()
    for triple in graph:
        copy.add(triple)
    return copy


def reported_shapes(data: Graph, shapes: Graph) -> set[URIRef]:
    """The named shapes and constraints that pySHACL reports a violation of."""
    conforms, results, _ = validate(data, shacl_graph=copy_of(shapes), inference="none")
    assert isinstance(results, Graph)
    found = set(results.objects(None, SH.sourceShape)) | set(
        results.objects(None, SH.sourceConstraint)
    )
    assert conforms == (not found)
    return {node for node in found if isinstance(node, URIRef)}


def test_valid_graph_conforms(valid: Graph, shapes: Graph) -> None:
    assert reported_shapes(valid, shapes) == set()
    assert validate_graph(valid)[0]


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_broken_graph_fails_its_shape(case: Case, valid: Graph, shapes: Graph) -> None:
    broken = copy_of(valid)
    case.break_graph(broken)
    if case.target_list:
        shapes = copy_of(shapes)
        shapes.add((SHAPES[case.shape], SH.targetNode, list_cells(valid)[0]))
        shapes.add((SHAPES.ListShape, SH.targetNode, list_cells(valid)[0]))
    else:
        assert not validate_graph(broken)[0]
    assert SHAPES[case.shape] in reported_shapes(broken, shapes)


def test_every_named_shape_has_a_breaking_case(shapes: Graph) -> None:
    tested = {SHAPES[case.shape] for case in CASES}
    untested = set()
    for kind in (SH.PropertyShape, SH.SPARQLConstraint):
        untested |= {shape for shape in shapes.subjects(RDF.type, kind)} - tested
    for node_shape in shapes.subjects(RDF.type, SH.NodeShape):
        parts = set(shapes.objects(node_shape, SH.property)) | set(
            shapes.objects(node_shape, SH.sparql)
        )
        if node_shape not in tested and not parts & tested:
            untested.add(node_shape)
    assert untested == set()
