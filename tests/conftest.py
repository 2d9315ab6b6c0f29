"""Shared fixtures: graphs made by the real builder from small test reports, and apps serving them.

``tests/data/reports/`` holds two short reports in the genre's layout (江汉区,
delivered 2023 and 2024; 六稳 defined in both, 一核两翼 in the second). The
``graph_file`` fixture runs them through :func:`kg.build.build_corpus`
(linked, validated, written like any build); the ``client`` fixture serves it
through the real app (lifespan, store, SPARQL worker processes) once per test
session; ``app_client`` starts an app with other settings for tests that need
them (short time limits, row limits). :func:`serve_reports` serves any set of
report files, bundled or written by a test, the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

import pytest
from browser import kg_server
from fastapi.testclient import TestClient
from rdflib import Graph

from api.app import create_app
from api.settings import Settings
from kg.build import build_corpus, write_graph
from kg.corpus import BUNDLED_CORPUS, corpus_paths
from kg.graph import build_graph
from kg.pipeline import read_reports
from kg.readmodel import ReadModel
from kg.store import OxigraphStore
from kg.validate import validate_graph

DATA = Path(__file__).parent / "data"
TEST_REPORTS = DATA / "reports"
W3C_GRAPH = "http://kasei.us/2009/09/sparql/data/data{}.rdf"

AppClientFactory = Callable[..., AbstractContextManager[TestClient]]


def build_reports(paths: Sequence[Path | str], out: Path, *, links: bool = True) -> Path:
    """The validated graph of ``paths``, written to ``out`` by the real builder.

    With ``links=False``, the glossary graph alone (:func:`kg.graph.build_graph`,
    no mentions, slogans or cross-references), validated and written the same
    way: for tests about what glossaries define.
    """
    if links:
        return build_corpus([str(path) for path in paths], out).path
    graph = build_graph(read_reports(corpus_paths([str(path) for path in paths])))
    conforms, text = validate_graph(graph)
    assert conforms, text
    return write_graph(graph, out)


def built_test_graph(directory: Path) -> Graph:
    """The graph of the test reports, as an rdflib graph read back from the build's file."""
    return Graph().parse(build_reports([TEST_REPORTS], directory / "test-graph.nt"))


def settings_for(graph_path: Path, cache_dir: Path, **overrides: Any) -> Settings:
    """Settings serving ``graph_path``, with test-friendly limits."""
    values: dict[str, Any] = {
        "graph_path": graph_path,
        "cache_dir": cache_dir,
        "sparql_timeout_seconds": 10.0,
        "sparql_workers": 2,
        "sparql_queue_wait_seconds": 2.0,
        "base_url": "http://testserver",
    }
    values.update(overrides)
    return Settings(**values)


@pytest.fixture(scope="session")
def graph_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The test reports' graph as a Turtle file, made by ``kg build``'s code."""
    return build_reports([TEST_REPORTS], tmp_path_factory.mktemp("graph") / "test-graph.ttl")


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


def serve_file(path: Path, directory: Path) -> TestClient:
    """A client of the real app serving the graph file ``path``.

    Use it as a context manager, so that the app's lifespan runs.
    """
    settings = Settings(
        graph_path=path,
        cache_dir=directory / "cache",
        sparql_workers=1,
        base_url="http://testserver",
    )
    return TestClient(create_app(settings), raise_server_exceptions=False)


def serve_reports(
    names: Sequence[str | Path], directory: Path, *, links: bool = True
) -> TestClient:
    """A client of the real app serving the built graph of some reports.

    Plain names are files of the bundled corpus; paths are used as given.
    """
    paths = [name if isinstance(name, Path) else BUNDLED_CORPUS / name for name in names]
    return serve_file(build_reports(paths, directory / "graph.nt", links=links), directory)


def store_of(graph: Graph, directory: Path) -> OxigraphStore:
    """An embedded store (no query workers) holding ``graph``; close it when done."""
    return OxigraphStore.from_graph(graph, directory)


def read_model_of(graph: Graph, directory: Path) -> ReadModel:
    """The read model the service would build for ``graph``."""
    with store_of(graph, directory) as store:
        return ReadModel.from_store(store)


@pytest.fixture(scope="session")
def live_server(graph_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real ``kg serve`` process on the test graph, over HTTP on a loopback port; its URL."""
    with kg_server(tmp_path_factory.mktemp("live"), "--graph", str(graph_file)) as base:
        yield base
