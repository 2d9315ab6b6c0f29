"""The bundled corpus end to end: the graph the service serves passes the shapes."""

from __future__ import annotations

from rdflib import Literal
from rdflib.namespace import SKOS

from kg.build import linked_graph
from kg.corpus import corpus_paths
from kg.pipeline import read_reports
from kg.validate import validate_graph


def test_bundled_corpus_graph_passes_the_shapes() -> None:
    reports = read_reports(corpus_paths())
    graph = linked_graph(reports)
    assert len(reports) == len(corpus_paths()) == 5
    conforms, report = validate_graph(graph)
    assert conforms, report
    labels = set(graph.objects(None, SKOS.prefLabel))
    assert Literal("六个致力", lang="zh-hans") in labels
    assert Literal("江汉九条", lang="zh-hans") in labels
