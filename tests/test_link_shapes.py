"""A valid/invalid pair for each SHACL shape of the term-linking section of ontology/shapes.ttl."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import RDF, SH, XSD, Graph, Literal, URIRef
from rdflib.namespace import SKOS

from kg.vocab import (
    KGO,
    SCHEME,
    SHAPES,
    SHAPES_PATH,
    crossref_iri,
    district_iri,
    mention_iri,
    report_iri,
    term_iri,
)

GOLDEN = Path(__file__).parent / "golden" / "two_reports.ttl"
R23 = report_iri("jianghan-2023-gov-work-report")
R24 = report_iri("jianghan-2024-gov-work-report")
R21 = report_iri("jianghan-2021-gov-work-report")
LIU = term_iri("liu-ge-zhi-li")
SLOGAN = term_iri("wu-yu")
MENTION = mention_iri("jianghan-2024-gov-work-report", 10, "liu-ge-zhi-li")
XREF = crossref_iri("cites-report", "liu-ge-zhi-li", "jianghan-2021-gov-work-report")

Mutation = Callable[[Graph], None]


def valid_graph() -> Graph:
    graph = Graph().parse(GOLDEN, format="turtle")
    graph.add((LIU, KGO.defined, Literal(True)))
    for triple in [
        (SLOGAN, RDF.type, SKOS.Concept),
        (SLOGAN, SKOS.inScheme, SCHEME),
        (SLOGAN, SKOS.prefLabel, Literal("五育", lang="zh")),
        (SLOGAN, KGO.defined, Literal(False)),
        (SLOGAN, KGO.confidence, Literal(Decimal("0.9"), datatype=XSD.decimal)),
        (SLOGAN, KGO.discoveredBy, Literal("quoted-name")),
        (SLOGAN, KGO.listed, Literal(True)),
        (MENTION, RDF.type, KGO.Mention),
        (MENTION, KGO.mentionOf, LIU),
        (MENTION, KGO.inReport, R24),
        (MENTION, KGO.sentence, Literal("锚定“六个致力”。", lang="zh")),
        (MENTION, KGO.startOffset, Literal(10)),
        (MENTION, KGO.endOffset, Literal(16)),
        (R21, RDF.type, KGO.Report),
        (R21, KGO.reportKind, Literal("government_work_report")),
        (R21, KGO.district, district_iri("jianghan")),
        (R21, KGO.held, Literal(False)),
        (R21, KGO.deliveredYear, Literal("2021", datatype=XSD.gYear)),
        (XREF, RDF.type, KGO.CrossReference),
        (XREF, KGO.refType, Literal("cites-report")),
        (XREF, KGO.fromTerm, LIU),
        (XREF, KGO.toReport, R21),
        (XREF, KGO.quote, Literal("2021年区《政府工作报告》", lang="zh")),
        (XREF, KGO.confidence, Literal(Decimal("0.8"), datatype=XSD.decimal)),
    ]:
        graph.add(triple)
    return graph


def removing(subject: URIRef, predicate: URIRef) -> Mutation:
    return lambda graph: graph.remove((subject, predicate, None))


def setting(subject: URIRef, predicate: URIRef, obj: URIRef | Literal) -> Mutation:
    return lambda graph: graph.set((subject, predicate, obj)) and None


def adding(subject: URIRef, predicate: URIRef, obj: URIRef | Literal) -> Mutation:
    return lambda graph: graph.add((subject, predicate, obj)) and None


CASES: list[tuple[str, Mutation]] = [
    ("Mention-of", removing(MENTION, KGO.mentionOf)),
    ("Mention-inReport", setting(MENTION, KGO.inReport, LIU)),
    ("Mention-sentence", setting(MENTION, KGO.sentence, Literal("no language tag"))),
    ("Mention-start", setting(MENTION, KGO.startOffset, Literal(20))),
    ("Mention-end", removing(MENTION, KGO.endOffset)),
    ("Concept-defined", setting(LIU, KGO.defined, Literal("yes"))),
    ("Concept-confidence", setting(SLOGAN, KGO.confidence, Literal(Decimal("1.5")))),
    ("Concept-discoveredBy", setting(SLOGAN, KGO.discoveredBy, Literal("guess"))),
    ("Concept-listed", adding(SLOGAN, KGO.listed, Literal(False))),
    ("DefinedAgreesWithDefinitions", setting(LIU, KGO.defined, Literal(False))),
    ("CrossReference-type", setting(XREF, KGO.refType, Literal("likes"))),
    ("CrossReference-from", removing(XREF, KGO.fromTerm)),
    ("CrossReference-toTerm", adding(XREF, KGO.toTerm, R23)),
    ("CrossReference-toReport", setting(XREF, KGO.toReport, LIU)),
    ("CrossReference-quote", removing(XREF, KGO.quote)),
    ("CrossReference-confidence", setting(XREF, KGO.confidence, Literal(Decimal("-0.1")))),
    ("CrossReferenceShape", removing(XREF, KGO.toReport)),
    ("Report-held", setting(R21, KGO.held, Literal("no"))),
    ("Report-deliveredYear", setting(R21, KGO.deliveredYear, Literal(2021))),
]


def reported(graph: Graph) -> set[URIRef]:
    shapes = Graph().parse(SHAPES_PATH, format="turtle")
    _, results, _ = validate(graph, shacl_graph=shapes, inference="none")
    assert isinstance(results, Graph)
    found = set(results.objects(None, SH.sourceShape)) | set(
        results.objects(None, SH.sourceConstraint)
    )
    return {node for node in found if isinstance(node, URIRef)}


def test_valid_linked_graph_conforms() -> None:
    assert reported(valid_graph()) == set()


@pytest.mark.parametrize(("shape", "mutate"), CASES, ids=[case[0] for case in CASES])
def test_broken_linked_graph_fails_its_shape(shape: str, mutate: Mutation) -> None:
    graph = valid_graph()
    mutate(graph)
    assert SHAPES[shape] in reported(graph)
