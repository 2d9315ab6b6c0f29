"""The embedded store: loading a built file, trusted queries, descriptions and dumps."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
import uvloop
from conftest import TEST_REPORTS, build_reports, built_test_graph
from pyoxigraph import (
    BlankNode,
    Literal,
    NamedNode,
    Quad,
    QueryResultsFormat,
    Store,
    parse_query_results,
)
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic

from kg.formats import GRAPH_FORMATS, RdfFormat
from kg.sparql import QueryLimits, QueryRequest, RowLimitExceeded
from kg.store import GraphStore, OxigraphStore, StoreError
from kg.store.oxigraph_query import execute_query
from kg.vocab import term_iri


def _count(store: GraphStore, pattern: str) -> int:
    return int(store.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}")[0]["n"])


def test_load_from_file_keeps_every_triple(graph_file: Path, tmp_path: Path) -> None:
    with OxigraphStore.load(graph_file, tmp_path / "store") as store:
        assert len(store) == len(Graph().parse(graph_file)) > 100


def test_load_keeps_named_graphs(tmp_path: Path) -> None:
    dataset = Dataset()
    named = dataset.graph(URIRef("http://example.org/g"))
    named.add(
        (
            URIRef("http://example.org/s"),
            URIRef("http://example.org/p"),
            URIRef("http://example.org/o"),
        )
    )
    path = tmp_path / "data.nq"
    dataset.serialize(path, format="nquads")
    with OxigraphStore.load(path, tmp_path / "store") as store:
        assert len(store) == 1
        assert _count(store, "GRAPH <http://example.org/g> { ?s ?p ?o }") == 1


@pytest.mark.parametrize("rdf_format", GRAPH_FORMATS, ids=lambda f: f.name)
def test_dumps_round_trip(graph_file: Path, tmp_path: Path, rdf_format: RdfFormat) -> None:
    graph = Graph().parse(graph_file)
    with OxigraphStore.load(graph_file, tmp_path / "store") as store:
        path = store.dump(rdf_format)
        assert path.suffix == rdf_format.suffix
        assert isomorphic(Graph().parse(path, format=rdf_format.rdflib_name), graph)
        assert store.dump(rdf_format) == path


def test_count_queries(graph_file: Path, tmp_path: Path) -> None:
    with OxigraphStore.load(graph_file, tmp_path / "store") as store:
        assert _count(store, "?d a kgo:Definition") == 3
        assert _count(store, "?d a kgo:Nothing") == 0


def test_describe_holds_the_term_and_the_nodes_it_owns(graph_file: Path, tmp_path: Path) -> None:
    with OxigraphStore.load(graph_file, tmp_path / "store") as store:
        description = Graph().parse(data=store.describe(str(term_iri("liu-wen"))), format="nt")
        assert store.describe(str(term_iri("nothing-here"))) == b""
    subjects = {str(s) for s in description.subjects()}
    assert str(term_iri("liu-wen")) in subjects
    assert sum("/definition/" in s for s in subjects) == 2
    assert any("/location/" in s for s in subjects)
    assert any("/components/" in s for s in subjects)
    assert not any("/term/" in s and s != str(term_iri("liu-wen")) for s in subjects)


def test_load_refuses_a_used_directory(graph_file: Path, tmp_path: Path) -> None:
    (tmp_path / "store").mkdir()
    (tmp_path / "store" / "old").write_text("x")
    with pytest.raises(StoreError, match="not empty"):
        OxigraphStore.load(graph_file, tmp_path / "store")


def test_unknown_file_extension(tmp_path: Path) -> None:
    path = tmp_path / "graph.xyz"
    path.write_text("")
    with pytest.raises(StoreError, match="unknown RDF file extension"):
        OxigraphStore.load(path, tmp_path / "store")


def test_a_corrupt_file_is_a_one_line_store_error(tmp_path: Path) -> None:
    path = tmp_path / "graph.nt"
    path.write_text("<http://a> <http://b> .\n", encoding="utf-8")
    with pytest.raises(StoreError, match="cannot load the graph") as raised:
        OxigraphStore.load(path, tmp_path / "store")
    assert "\n" not in str(raised.value)
    assert not (tmp_path / "store").exists()


def test_the_built_test_graph_passes_through_the_store(tmp_path: Path) -> None:
    graph = built_test_graph(tmp_path)
    path = tmp_path / "again.nt"
    graph.serialize(path, format="nt", encoding="utf-8")
    with OxigraphStore.load(path, tmp_path / "store") as store:
        assert len(store) == len(graph)


def test_two_builds_of_one_corpus_write_identical_files(tmp_path: Path) -> None:
    first = build_reports([TEST_REPORTS], tmp_path / "one" / "graph.nt").read_bytes()
    second = build_reports([TEST_REPORTS], tmp_path / "two" / "graph.nt").read_bytes()
    assert first == second
    assert b"_:cell" in first  # the component lists' cells, named from their members


_TRICKY = [
    "plain",
    'a "quoted" },{"x":{ value',
    "[{ opens, ,{ separates",
    "ends in an open brace },{",
    "back\\\\slash\\\\",
    "line\nbreak\ttab",
    "<result> in text",
]


def _solutions_store(rows: int) -> Store:
    store = Store()
    for n in range(rows):
        subject = NamedNode(f"http://example.org/s{n}")
        text = _TRICKY[n % len(_TRICKY)]
        store.add(Quad(subject, NamedNode("http://example.org/p"), Literal(text, language="zh")))
        store.add(Quad(subject, NamedNode("http://example.org/q"), BlankNode(f"b{n}")))
    return store


@pytest.mark.parametrize("format_name", ["json", "xml"])
@pytest.mark.parametrize(("rows", "row_limit"), [(0, 5), (1, 5), (5, 5), (6, 5), (40, 3), (7, 10)])
def test_results_are_written_once_and_their_rows_counted_exactly(
    format_name: str, rows: int, row_limit: int
) -> None:
    """JSON and XML results are written straight in their format; their rows are counted
    from the document, literals that look like its structure included."""
    store = _solutions_store(rows)
    query = "SELECT ?s ?l ?b WHERE { ?s <http://example.org/p> ?l ; <http://example.org/q> ?b }"
    request = QueryRequest(query, solution_format=format_name)
    if rows > row_limit:
        with pytest.raises(RowLimitExceeded):
            execute_query(store, request, row_limit)
        return
    body = execute_query(store, request, row_limit).body
    ox_format = QueryResultsFormat.JSON if format_name == "json" else QueryResultsFormat.XML
    found = list(parse_query_results(body, format=ox_format))
    assert len(found) == rows
    assert sorted(str(s["l"].value) for s in found) == sorted(
        _TRICKY[n % len(_TRICKY)] for n in range(rows)
    )


def test_a_result_too_large_to_count_cheaply_is_counted_on_the_way_out() -> None:
    store = Store()
    big = "长" * 2_000
    for n in range(4):
        store.add(
            Quad(
                NamedNode(f"http://example.org/s{n}"),
                NamedNode("http://example.org/p"),
                Literal(big),
            )
        )
    query = "SELECT ?s ?o WHERE { ?s ?p ?o }"
    answer = execute_query(store, QueryRequest(query, solution_format="json"), 4)
    assert len(json.loads(answer.body)["results"]["bindings"]) == 4
    with pytest.raises(RowLimitExceeded):
        execute_query(store, QueryRequest(query, solution_format="json"), 3)


@pytest.mark.parametrize("loop", ["asyncio", "uvloop"])
def test_an_answer_awaited_on_the_pipe_is_the_answer_of_a_waiting_call(
    graph_file: Path, tmp_path: Path, loop: str
) -> None:
    """A long answer (more than a pipe holds) read on either event loop arrives whole."""
    long = ", ".join(["STR(?s)"] * 8)
    request = QueryRequest(
        f"SELECT ?s ?p ?o (CONCAT({long}) AS ?long) WHERE {{ ?s ?p ?o }} ORDER BY ?s ?p ?o"
    )
    with OxigraphStore.load(graph_file, tmp_path / "db", QueryLimits(workers=1)) as store:
        expected = store.query(request)
        assert len(expected.body) > 128 * 1024

        async def twice() -> list[bytes]:
            return [(await store.query_async(request)).body for _ in range(2)]

        runner = uvloop.run if loop == "uvloop" else asyncio.run
        assert runner(twice()) == [expected.body, expected.body]
