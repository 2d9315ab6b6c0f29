"""SKOS as tools expect it: the bundled corpus's graph passes skosify's checks, a generic
SKOS SHACL (tests/data/skos-shapes.ttl), and our shapes under RDFS inference."""

from __future__ import annotations

import logging
from functools import lru_cache

import pytest
from conftest import DATA
from pyshacl import validate
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, SKOS
from skosify import check

from kg.build import linked_graph
from kg.corpus import corpus_paths
from kg.pipeline import read_reports
from kg.vocab import ONTOLOGY_PATH, SCHEME, SHAPES_PATH, group_iri, term_iri


@lru_cache(maxsize=1)
def corpus_graph() -> Graph:
    return linked_graph(read_reports(corpus_paths()))


def _copy(graph: Graph) -> Graph:
    copy = Graph()
    for triple in graph:
        copy.add(triple)
    return copy


def test_skosify_finds_nothing_to_fix(caplog: pytest.LogCaptureFixture) -> None:
    graph = corpus_graph()
    fixed = _copy(graph)
    with caplog.at_level(logging.WARNING):
        check.hierarchy_cycles(fixed, fix=True)
        check.disjoint_relations(fixed, fix=True)
        check.hierarchical_redundancy(fixed, fix=True)
        check.preflabel_uniqueness(fixed, policy="shortest")
        check.label_overlap(fixed, fix=True)
    assert caplog.records == []
    assert isomorphic(fixed, graph)


def test_the_generic_skos_shapes_pass() -> None:
    shapes = Graph().parse(DATA / "skos-shapes.ttl", format="turtle")
    conforms, _, text = validate(corpus_graph(), shacl_graph=shapes, inference="none")
    assert conforms, text


def test_our_shapes_pass_with_rdfs_inference_over_the_ontology() -> None:
    conforms, _, text = validate(
        _copy(corpus_graph()),
        shacl_graph=Graph().parse(SHAPES_PATH, format="turtle"),
        ont_graph=Graph().parse(ONTOLOGY_PATH, format="turtle"),
        inference="rdfs",
    )
    assert conforms, text


def test_the_scheme_is_labelled_and_browsable_by_district() -> None:
    graph = corpus_graph()
    assert (SCHEME, SKOS.prefLabel, Literal("政策术语", lang="zh-hans")) in graph
    assert (SCHEME, SKOS.prefLabel, Literal("Policy terms", lang="en")) in graph
    tops = set(graph.objects(SCHEME, SKOS.hasTopConcept))
    assert {group_iri("jianghan"), group_iri("wuchang")} <= tops
    assert (term_iri("liu-ge-zhi-li"), SKOS.broader, group_iri("jianghan")) in graph
    assert (group_iri("jianghan"), SKOS.narrower, term_iri("liu-ge-zhi-li")) in graph
    concepts = set(graph.subjects(RDF.type, SKOS.Concept))
    orphans = {
        c
        for c in concepts
        if graph.value(c, SKOS.broader) is None and graph.value(c, SKOS.topConceptOf) is None
    }
    assert orphans == set()


def test_what_readers_type_is_a_hidden_label() -> None:
    graph = corpus_graph()
    hidden = set(graph.objects(term_iri("liu-ge-zhi-li"), SKOS.hiddenLabel))
    assert {
        Literal("liugezhili", lang="zh-latn-pinyin"),
        Literal("lgzl", lang="zh-latn-pinyin"),
        Literal("六個致力", lang="zh-hant"),
    } <= hidden


def test_every_definition_is_also_a_literal() -> None:
    graph = corpus_graph()
    for concept in set(graph.subjects(SKOS.definition, None)):
        stated = set(graph.objects(concept, SKOS.definition))
        nodes = {node for node in stated if isinstance(node, URIRef)}
        texts = {str(graph.value(node, RDF.value)) for node in nodes}
        literals = {literal for literal in stated if isinstance(literal, Literal)}
        assert {str(literal) for literal in literals} == texts, concept
        assert all(literal.language in ("zh-hans", "zh-hant") for literal in literals)
