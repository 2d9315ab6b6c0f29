"""Building the serving store and reading it back."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import build_test_graph
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic

from kg.store import DUMP_FORMATS, GraphStore, StoreError, build_store

RDFLIB_FORMATS = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld"}


def test_build_from_graph_keeps_every_triple(tmp_path: Path) -> None:
    graph = build_test_graph()
    store = GraphStore(build_store(graph, tmp_path / "store"))
    assert len(store) == len(graph)


def test_build_from_file_keeps_every_triple(graph_file: Path, tmp_path: Path) -> None:
    store = GraphStore(build_store(graph_file, tmp_path / "store"))
    assert len(store) == len(Graph().parse(graph_file))


def test_build_keeps_named_graphs(tmp_path: Path) -> None:
    dataset = Dataset()
    named = dataset.graph(URIRef("http://example.org/g"))
    named.add(
        (
            URIRef("http://example.org/s"),
            URIRef("http://example.org/p"),
            URIRef("http://example.org/o"),
        )
    )
    store = GraphStore(build_store(dataset, tmp_path / "store"))
    assert len(store) == 1
    query = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <http://example.org/g> { ?s ?p ?o } }"
    assert store.count(query) == 1


@pytest.mark.parametrize("name", sorted(DUMP_FORMATS))
def test_dumps_round_trip(tmp_path: Path, name: str) -> None:
    graph = build_test_graph()
    store = GraphStore(build_store(graph, tmp_path / "store"))
    path = store.dump(DUMP_FORMATS[name])
    assert path.suffix == f".{DUMP_FORMATS[name].extension}"
    assert isomorphic(Graph().parse(path, format=RDFLIB_FORMATS[name]), graph)
    assert store.dump(DUMP_FORMATS[name]) == path


def test_count_queries(tmp_path: Path) -> None:
    store = GraphStore(build_store(build_test_graph(), tmp_path / "store"))
    kgo = "https://w3id.org/policy-terms/ontology#"
    assert store.count(f"SELECT (COUNT(*) AS ?n) WHERE {{ ?d a <{kgo}Definition> }}") == 3
    assert store.count("SELECT (COUNT(*) AS ?n) WHERE { ?d a kgo:Nothing }") == 0


def test_build_refuses_a_used_directory(tmp_path: Path) -> None:
    (tmp_path / "store").mkdir()
    (tmp_path / "store" / "old").write_text("x")
    with pytest.raises(StoreError, match="not empty"):
        build_store(build_test_graph(), tmp_path / "store")


def test_unknown_file_extension(tmp_path: Path) -> None:
    path = tmp_path / "graph.xyz"
    path.write_text("")
    with pytest.raises(StoreError, match="unknown RDF file extension"):
        build_store(path, tmp_path / "store")
