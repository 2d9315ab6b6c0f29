"""The SPARQL endpoint as notebooks reach it: SPARQLWrapper and rdflib's ``SPARQLStore``.

Every test talks to the real ``kg serve`` process (``live_server``) over
HTTP, with each client's own defaults and with every format it offers, by
GET and by POST; answers are converted by the client and compared with the
test graph read by rdflib from the build's file.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from xml.dom.minidom import Document

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import (
    CSV,
    GET,
    JSON,
    JSONLD,
    N3,
    POST,
    POSTDIRECTLY,
    RDFXML,
    TSV,
    TURTLE,
    URLENCODED,
    XML,
    SPARQLWrapper,
)

TERM = URIRef("https://w3id.org/policy-terms/term/liu-wen")
SKOS_PREFIX = "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
SELECT = SKOS_PREFIX + "SELECT ?label WHERE { ?c a skos:Concept ; skos:prefLabel ?label }"
ASK_TRUE = SKOS_PREFIX + 'ASK { ?c skos:prefLabel "六稳"@zh-hans }'
ASK_FALSE = SKOS_PREFIX + 'ASK { ?c skos:prefLabel "没有这个词"@zh-hans }'
CONSTRUCT = (
    SKOS_PREFIX
    + "CONSTRUCT { ?c skos:prefLabel ?l } WHERE { ?c a skos:Concept ; skos:prefLabel ?l }"
)
DESCRIBE = f"DESCRIBE <{TERM}>"
# (SPARQLWrapper's method, its request method for POST)
METHODS = [(GET, URLENCODED), (POST, URLENCODED), (POST, POSTDIRECTLY)]


@pytest.fixture(scope="module")
def data(graph_file: Path) -> Graph:
    """The served graph, as rdflib reads the build's file."""
    return Graph().parse(graph_file)


@pytest.fixture(scope="module")
def labels(data: Graph) -> set[str]:
    return {str(row[0]) for row in data.query(SELECT)}


def _wrapper(
    server: str, query: str, return_format: str | None, method: str, request_method: str
) -> SPARQLWrapper:
    client = SPARQLWrapper(f"{server}/sparql")
    client.setQuery(query)
    if return_format is not None:
        client.setReturnFormat(return_format)
    client.setMethod(method)
    client.setRequestMethod(request_method)
    return client


def _select_labels(result: object, return_format: str | None) -> list[str]:
    """The ``?label`` column of converted SELECT results, in each format's own shape."""
    if return_format in (None, XML):
        assert isinstance(result, Document)
        return [node.firstChild.data for node in result.getElementsByTagName("literal")]
    if return_format == JSON:
        assert isinstance(result, dict)
        return [row["label"]["value"] for row in result["results"]["bindings"]]
    assert isinstance(result, bytes)
    text = io.StringIO(result.decode("utf-8"))
    if return_format == CSV:
        rows = list(csv.reader(text))
        assert rows[0] == ["label"]
        return [row[0] for row in rows[1:]]
    # TSV writes RDF terms, quotes and language tag included: "六稳"@zh-hans.
    rows = list(csv.reader(text, delimiter="\t", quoting=csv.QUOTE_NONE))
    assert rows[0] == ["?label"]
    assert all(row[0].endswith('"@zh-hans') for row in rows[1:])
    return [row[0].split('"')[1] for row in rows[1:]]


@pytest.mark.parametrize(("method", "request_method"), METHODS)
@pytest.mark.parametrize("return_format", [None, JSON, XML, CSV, TSV])
def test_sparqlwrapper_select(
    live_server: str,
    labels: set[str],
    return_format: str | None,
    method: str,
    request_method: str,
) -> None:
    client = _wrapper(live_server, SELECT, return_format, method, request_method)
    result = client.query().convert()
    found = _select_labels(result, return_format)
    assert sorted(found) == sorted(labels) and "六稳" in found


def _ask_answer(result: object, return_format: str | None) -> bool:
    if return_format in (None, XML):
        assert isinstance(result, Document)
        return result.getElementsByTagName("boolean")[0].firstChild.data == "true"  # type: ignore[union-attr]
    if return_format == JSON:
        assert isinstance(result, dict)
        return bool(result["boolean"])
    assert isinstance(result, bytes)
    return result.decode().strip().splitlines()[-1] == "true"


@pytest.mark.parametrize(("method", "request_method"), METHODS)
@pytest.mark.parametrize("return_format", [None, JSON, XML, CSV, TSV])
def test_sparqlwrapper_ask(
    live_server: str, return_format: str | None, method: str, request_method: str
) -> None:
    for query, expected in ((ASK_TRUE, True), (ASK_FALSE, False)):
        client = _wrapper(live_server, query, return_format, method, request_method)
        assert _ask_answer(client.query().convert(), return_format) is expected


def _graph_of(result: object, return_format: str | None) -> Graph:
    """Converted CONSTRUCT/DESCRIBE results as a graph: SPARQLWrapper parses some, not all."""
    if isinstance(result, Graph):
        return result
    assert isinstance(result, bytes), type(result)
    return Graph().parse(data=result, format="turtle")


@pytest.mark.parametrize(("method", "request_method"), METHODS)
@pytest.mark.parametrize("return_format", [None, XML, RDFXML, TURTLE, N3, JSONLD])
def test_sparqlwrapper_construct_and_describe(
    live_server: str, data: Graph, return_format: str | None, method: str, request_method: str
) -> None:
    expected = {
        CONSTRUCT: set(data.query(CONSTRUCT)),
        DESCRIBE: set(data.triples((TERM, None, None))),
    }
    for query, wanted in expected.items():
        client = _wrapper(live_server, query, return_format, method, request_method)
        graph = _graph_of(client.query().convert(), return_format)
        got = set(graph) if query == CONSTRUCT else set(graph.triples((TERM, None, None)))
        assert got == wanted, query
        assert (TERM, SKOS.prefLabel, Literal("六稳", lang="zh-hans")) in graph


def test_sparqlwrapper_json_for_a_graph_query_gets_turtle(live_server: str) -> None:
    # SPARQLWrapper sends */* when JSON is asked of a CONSTRUCT; Turtle is the default answer.
    client = _wrapper(live_server, CONSTRUCT, JSON, GET, URLENCODED)
    with pytest.warns(RuntimeWarning):
        response = client.query()
    assert response.response.headers["Content-Type"].startswith("text/turtle")
    with pytest.warns(RuntimeWarning):
        body = response.convert()
    assert isinstance(body, bytes) and len(Graph().parse(data=body, format="turtle")) > 0


@pytest.fixture(params=["GET", "POST", "POST_FORM"])
def remote(live_server: str, request: pytest.FixtureRequest) -> Graph:
    """An rdflib graph whose store is the endpoint, with each of SPARQLStore's methods."""
    return Graph(store=SPARQLStore(f"{live_server}/sparql", method=request.param))


def test_sparqlstore_select_ask_construct(remote: Graph, data: Graph, labels: set[str]) -> None:
    rows = remote.query(SELECT)
    assert {str(row[0]) for row in rows} == labels  # type: ignore[index]
    assert remote.query(ASK_TRUE).askAnswer is True
    assert remote.query(ASK_FALSE).askAnswer is False
    constructed = remote.query(CONSTRUCT).graph
    assert constructed is not None
    assert set(constructed) == set(data.query(CONSTRUCT))


def test_sparqlstore_triples_and_len(remote: Graph, data: Graph) -> None:
    assert set(remote.triples((TERM, None, None))) == set(data.triples((TERM, None, None)))
    labelled = set(remote.subjects(SKOS.prefLabel, Literal("六稳", lang="zh-hans")))
    assert labelled == {TERM}
    assert len(remote) == len(data)
