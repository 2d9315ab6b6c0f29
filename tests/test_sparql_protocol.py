"""The W3C SPARQL 1.1 Protocol tests, as a read-only endpoint should pass them.

Each test names the manifest entry it reproduces (w3c rdf-tests,
``sparql/sparql11/protocol/manifest.ttl``). The store holds data1-3.nt, each in
the named graph its ``rdfs:label`` names, so the dataset tests run for real:
``default-graph-uri`` and ``named-graph-uri`` name graphs in the store, and
nothing is fetched. The ``update_*`` entries expect a 2xx from an endpoint that
supports SPARQL Update; this one is read-only and must refuse them (403) and
leave the data as it was.
"""

from __future__ import annotations

import json
from urllib.parse import quote

import httpx
import pytest
from fastapi.testclient import TestClient

W3C_GRAPH = "http://kasei.us/2009/09/sparql/data/data{}.rdf"
DATA0 = "http://kasei.us/2009/09/sparql/data/data0.rdf"
D1, D2, D3 = (W3C_GRAPH.format(n) for n in (1, 2, 3))
FORM = {"content-type": "application/x-www-form-urlencoded"}
DIRECT = {"content-type": "application/sparql-query"}
UPDATE = {"content-type": "application/sparql-update"}


@pytest.fixture(scope="module")
def endpoint(w3c_client: TestClient) -> TestClient:
    return w3c_client


def url(**params: str | list[str]) -> str:
    pairs = [(k.replace("_", "-"), v) for k, vs in params.items() for v in _as_list(vs)]
    return "/sparql?" + "&".join(f"{k}={quote(v, safe='')}" for k, v in pairs)


def _as_list(value: str | list[str]) -> list[str]:
    return value if isinstance(value, list) else [value]


def assert_boolean(response: httpx.Response, expected: bool) -> None:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/sparql-results+json")
    assert json.loads(response.content)["boolean"] is expected


def assert_error(response: httpx.Response, status: int) -> None:
    assert response.status_code == status, response.text
    assert response.json()["error"]["status"] == status


# query_* --------------------------------------------------------------------


def test_query_post_form(endpoint: TestClient) -> None:
    response = endpoint.post(
        url(default_graph_uri=DATA0), content=b"query=ASK%20%7B%7D", headers=FORM
    )
    assert_boolean(response, True)


def test_query_get(endpoint: TestClient) -> None:
    assert_boolean(endpoint.get(url(query="ASK {}", default_graph_uri=DATA0)), True)


def test_query_post_direct(endpoint: TestClient) -> None:
    assert_boolean(endpoint.post("/sparql", content=b"ASK {}", headers=DIRECT), True)


ASK_BOTH_DEFAULT = f"ASK {{ <{D1}> a ?type . <{D2}> a ?type . }}"
ASK_BOTH_NAMED = f"ASK {{ GRAPH ?g1 {{ <{D1}> a ?type }} GRAPH ?g2 {{ <{D2}> a ?type }} }}"


def test_query_dataset_default_graphs_get(endpoint: TestClient) -> None:
    response = endpoint.get(url(query=ASK_BOTH_DEFAULT, default_graph_uri=[D1, D2]))
    assert_boolean(response, True)


def test_query_dataset_default_graphs_post(endpoint: TestClient) -> None:
    response = endpoint.post(
        url(default_graph_uri=[D1, D2]), content=ASK_BOTH_DEFAULT.encode(), headers=DIRECT
    )
    assert_boolean(response, True)


def test_query_dataset_named_graphs_post(endpoint: TestClient) -> None:
    response = endpoint.post(
        url(named_graph_uri=[D1, D2]), content=ASK_BOTH_NAMED.encode(), headers=DIRECT
    )
    assert_boolean(response, True)


def test_query_dataset_named_graphs_get(endpoint: TestClient) -> None:
    assert_boolean(endpoint.get(url(query=ASK_BOTH_NAMED, named_graph_uri=[D1, D2])), True)


def test_query_dataset_full(endpoint: TestClient) -> None:
    query = f"""ASK {{
  <{D3}> a ?type
  GRAPH ?g1 {{ <{D1}> a ?type }}
  GRAPH ?g2 {{ <{D2}> a ?type }}
}}"""
    response = endpoint.post(
        url(default_graph_uri=D3, named_graph_uri=[D1, D2]), content=query.encode(), headers=DIRECT
    )
    assert_boolean(response, True)


def test_query_multiple_dataset(endpoint: TestClient) -> None:
    query = f"ASK FROM <{D3}> {{ GRAPH ?g1 {{ <{D1}> a ?type }} GRAPH ?g2 {{ <{D2}> a ?type }} }}"
    response = endpoint.post(url(named_graph_uri=[D1, D2]), content=query.encode(), headers=DIRECT)
    assert_boolean(response, True)


def test_protocol_dataset_replaces_the_query_dataset(endpoint: TestClient) -> None:
    # The protocol's named graphs replace FROM: data3 is not the default graph any more.
    query = f"ASK FROM <{D3}> {{ <{D3}> a ?type }}"
    response = endpoint.post(url(named_graph_uri=[D1]), content=query.encode(), headers=DIRECT)
    assert_boolean(response, False)


def test_default_graph_uri_limits_the_default_graph(endpoint: TestClient) -> None:
    assert_boolean(endpoint.get(url(query=ASK_BOTH_DEFAULT, default_graph_uri=D1)), False)


@pytest.mark.parametrize(
    ("query", "allowed"),
    [
        (
            "SELECT (1 AS ?value) {}",
            {
                "application/sparql-results+xml",
                "application/sparql-results+json",
                "text/csv",
                "text/tab-separated-values",
            },
        ),
        ("ASK {}", {"application/sparql-results+xml", "application/sparql-results+json"}),
        (
            "DESCRIBE <http://example.org/>",
            {"application/rdf+xml", "text/turtle", "application/n-triples"},
        ),
        (
            "CONSTRUCT { <s> <p> 1 } WHERE {}",
            {"application/rdf+xml", "text/turtle", "application/n-triples"},
        ),
    ],
    ids=["select", "ask", "describe", "construct"],
)
def test_query_content_type(endpoint: TestClient, query: str, allowed: set[str]) -> None:
    response = endpoint.post(url(default_graph_uri=DATA0), content=query.encode(), headers=DIRECT)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] in allowed


# bad_query_* ------------------------------------------------------------------


def test_bad_query_method(endpoint: TestClient) -> None:
    response = endpoint.put(url(query="ASK {}", default_graph_uri=DATA0), headers=FORM)
    assert_error(response, 405)


def test_bad_multiple_queries(endpoint: TestClient) -> None:
    assert_error(endpoint.get(url(query=["ASK {}", "SELECT * {}"])), 400)


def test_bad_query_wrong_media_type(endpoint: TestClient) -> None:
    response = endpoint.post("/sparql", content=b"ASK {}", headers={"content-type": "text/plain"})
    assert_error(response, 415)


def test_bad_query_missing_form_type(endpoint: TestClient) -> None:
    assert_error(endpoint.post("/sparql", content=b"query=ASK%20%7B%7D"), 415)


def test_bad_query_missing_direct_type(endpoint: TestClient) -> None:
    assert_error(endpoint.post("/sparql", content=b"ASK {}"), 415)


def test_bad_query_non_utf8(endpoint: TestClient) -> None:
    headers = {"content-type": "application/sparql-query; charset=UTF-16"}
    response = endpoint.post("/sparql", content="ASK {}".encode("utf-16"), headers=headers)
    assert_error(response, 415)


def test_bad_query_undecodable_body(endpoint: TestClient) -> None:
    response = endpoint.post("/sparql", content="ASK {}".encode("utf-16"), headers=DIRECT)
    assert_error(response, 400)


def test_bad_query_syntax(endpoint: TestClient) -> None:
    response = endpoint.get(url(query="ASK {"))
    assert_error(response, 400)
    assert "malformed query" in response.json()["error"]["message"]


# update_* and bad_update_*: a read-only endpoint refuses them ------------------

CLEAR_INSERT = f"""PREFIX dc: <http://purl.org/dc/terms/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
CLEAR ALL ;
INSERT DATA {{ GRAPH <{D1}> {{ <{D1}> a foaf:Document }} }}"""


@pytest.mark.parametrize(
    ("path", "body", "headers"),
    [
        (url(using_graph_uri=D1), CLEAR_INSERT, UPDATE),  # update_dataset_default_graph
        (url(using_graph_uri=[D1, D2]), "DROP ALL", UPDATE),  # update_dataset_default_graphs
        (url(using_named_graph_uri=[D1, D2]), "DROP ALL", UPDATE),  # update_dataset_named_graphs
        (url(using_graph_uri=D1, using_named_graph_uri=D2), "DROP ALL", UPDATE),  # _full
        ("/sparql", "update=CLEAR+ALL", FORM),  # update_post_form
        ("/sparql", "CLEAR ALL", UPDATE),  # update_post_direct
        (
            "/sparql",
            "CLEAR SILENT GRAPH <http://example.org/protocol-base-test/> ;\n"
            "INSERT DATA { GRAPH <http://example.org/protocol-base-test/> "
            "{ <http://example.org/s> <http://example.org/p> <test> } }",
            UPDATE,
        ),  # update_base_uri
        ("/sparql", "update=CLEAR%20NAMED&update=CLEAR%20DEFAULT", FORM),  # bad_multiple_updates
        ("/sparql", "update=CLEAR%20XYZ", FORM),  # bad_update_syntax
        (
            url(using_named_graph_uri="http://example/people"),
            "WITH <http://example/addresses> "
            "DELETE { ?p <http://xmlns.com/foaf/0.1/givenName> 'Bill' } WHERE { ?p ?q ?r }",
            UPDATE,
        ),
        # bad_update_dataset_conflict
    ],
)
def test_updates_are_refused(
    endpoint: TestClient, path: str, body: str, headers: dict[str, str]
) -> None:
    response = endpoint.post(path, content=body.encode(), headers=headers)
    assert_error(response, 403)
    assert "read-only" in response.json()["error"]["message"]
    assert_boolean(endpoint.get(url(query=f"ASK {{ GRAPH <{D1}> {{ ?s ?p ?o }} }}")), True)


def test_bad_update_get(endpoint: TestClient) -> None:
    assert_error(endpoint.get(url(update="CLEAR ALL")), 403)


def test_bad_update_wrong_media_type(endpoint: TestClient) -> None:
    response = endpoint.post(
        "/sparql", content=b"CLEAR NAMED", headers={"content-type": "text/plain"}
    )
    assert_error(response, 415)


def test_bad_update_missing_form_type(endpoint: TestClient) -> None:
    assert_error(endpoint.post("/sparql", content=b"update=CLEAR%20NAMED"), 415)


def test_bad_update_non_utf8(endpoint: TestClient) -> None:
    headers = {"content-type": "application/sparql-update; charset=UTF-16"}
    response = endpoint.post("/sparql", content="CLEAR NAMED".encode("utf-16"), headers=headers)
    assert response.status_code in (403, 415)


def test_an_update_sent_as_a_query_is_refused(endpoint: TestClient) -> None:
    assert_error(endpoint.get(url(query="CLEAR ALL")), 403)
