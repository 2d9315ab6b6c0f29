"""Shared fixtures: a small policy-terms graph, and apps serving it in process.

``test_graph()`` is a handful of triples in the shape the pipeline builds
(SKOS concepts, kgo definitions and reports, one component list). The
``client`` fixture serves it through the real app (lifespan, store, SPARQL
worker processes) once per test session; ``app_client`` starts an app with
other settings for tests that need them (short time limits, row limits).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, PROV, SKOS
from rdflib.term import Node

from api.app import create_app
from api.settings import Settings
from kg.graph import build_graph, serialize_graph
from kg.pipeline import BUNDLED_CORPUS, read_reports
from kg.vocab import KGO, definition_iri, report_iri, term_iri

DATA = Path(__file__).parent / "data"
W3C_GRAPH = "http://kasei.us/2009/09/sparql/data/data{}.rdf"

AppClientFactory = Callable[..., AbstractContextManager[TestClient]]


def _report(graph: Graph, report_id: str, title: str, delivered: str) -> URIRef:
    report = report_iri(report_id)
    graph.add((report, RDF.type, KGO.Report))
    graph.add((report, DCTERMS.title, Literal(title, lang="zh")))
    graph.add((report, KGO.deliveredOn, Literal(delivered, datatype=XSD.date)))
    return report


def _definition(graph: Graph, term: URIRef, report: URIRef, text: str) -> URIRef:
    definition = definition_iri(str(report).rsplit("/", 1)[-1], str(term).rsplit("/", 1)[-1])
    graph.add((definition, RDF.type, KGO.Definition))
    graph.add((definition, RDF.value, Literal(text, lang="zh")))
    graph.add((definition, KGO.inReport, report))
    graph.add((term, SKOS.definition, definition))
    return definition


def _components(graph: Graph, definition: URIRef, parts: list[str]) -> None:
    component_list = BNode()
    members: list[Node] = []
    for part in parts:
        component = BNode()
        graph.add((component, RDF.type, KGO.Component))
        graph.add((component, SKOS.prefLabel, Literal(part, lang="zh")))
        members.append(component)
    head = BNode()
    Collection(graph, head, members)
    graph.add((component_list, RDF.type, KGO.ComponentList))
    graph.add((component_list, SKOS.memberList, head))
    graph.add((definition, KGO.components, component_list))


def build_test_graph() -> Graph:
    """Two reports, two terms, three definitions; one term defined by both reports."""
    graph = Graph()
    for prefix, namespace in (("kgo", KGO), ("skos", SKOS), ("dcterms", DCTERMS), ("prov", PROV)):
        graph.bind(prefix, str(namespace) if prefix == "kgo" else namespace)
    first = _report(graph, "jianghan-2023-gov-work-report", "2023年政府工作报告", "2023-12-25")
    second = _report(graph, "jianghan-2024-gov-work-report", "2024年政府工作报告", "2024-12-29")
    six = term_iri("liu-wen")
    core = term_iri("yi-he-liang-yi")
    for term, label in ((six, "六稳"), (core, "一核两翼")):
        graph.add((term, RDF.type, SKOS.Concept))
        graph.add((term, SKOS.prefLabel, Literal(label, lang="zh")))
    text = "稳就业、稳金融、稳外贸、稳外资、稳投资、稳预期。"
    _components(graph, _definition(graph, six, first, text), ["稳就业", "稳金融"])
    _definition(graph, six, second, text)
    _definition(graph, core, second, "以中心城区为核，两翼协同发展。")
    graph.add((KGO.Report, RDFS.label, Literal("Report", lang="en")))
    return graph


def settings_for(graph_path: Path, cache_dir: Path, **overrides: Any) -> Settings:
    """Settings serving ``graph_path``, with test-friendly limits."""
    values: dict[str, Any] = {
        "graph_path": graph_path,
        "cache_dir": cache_dir,
        "sparql_timeout_seconds": 10.0,
        "sparql_workers": 2,
        "sparql_queue_wait_seconds": 2.0,
    }
    values.update(overrides)
    return Settings(**values)


@pytest.fixture(scope="session")
def graph_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The test graph as a Turtle file."""
    path = tmp_path_factory.mktemp("graph") / "test-graph.ttl"
    build_test_graph().serialize(path, format="turtle")
    return path


@pytest.fixture(scope="session")
def w3c_dataset_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The W3C protocol tests' data1-3.nt, each in the named graph its label names."""
    lines = []
    for n in (1, 2, 3):
        for line in (DATA / f"data{n}.nt").read_text(encoding="utf-8").splitlines():
            if line.strip():
                lines.append(
                    line.rstrip().removesuffix(".").rstrip() + f" <{W3C_GRAPH.format(n)}> ."
                )
    path = tmp_path_factory.mktemp("w3c") / "protocol.nq"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@contextmanager
def _serving(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield client


@pytest.fixture(scope="session")
def client(graph_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """A client of the app serving the test graph, shared by the session."""
    with _serving(settings_for(graph_file, tmp_path_factory.mktemp("cache"))) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def w3c_client(
    w3c_dataset_file: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestClient]:
    """A client of the app serving the W3C protocol tests' dataset."""
    with _serving(settings_for(w3c_dataset_file, tmp_path_factory.mktemp("cache"))) as test_client:
        yield test_client


@pytest.fixture
def app_client(graph_file: Path, tmp_path: Path) -> AppClientFactory:
    """Start an app with other settings: ``with app_client(sparql_row_limit=3) as c: …``."""

    def start(
        graph_path: Path | None = None, **overrides: Any
    ) -> AbstractContextManager[TestClient]:
        return _serving(settings_for(graph_path or graph_file, tmp_path / "cache", **overrides))

    return start


def serve_graph(graph: Graph, directory: Path) -> TestClient:
    """A client of the real app serving ``graph``, read back from a Turtle file.

    Use it as a context manager, so that the app's lifespan runs.
    """
    path = serialize_graph(graph, directory / "graph.ttl")
    settings = Settings(graph_path=path, cache_dir=directory / "cache", sparql_workers=1)
    return TestClient(create_app(settings), raise_server_exceptions=False)


def serve_reports(names: tuple[str, ...], directory: Path) -> TestClient:
    """A client of the real app serving the graph of some bundled reports."""
    graph = build_graph(read_reports([str(BUNDLED_CORPUS / name) for name in names]))
    return serve_graph(graph, directory)
