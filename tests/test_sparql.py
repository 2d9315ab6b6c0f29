"""Results formats, content negotiation and the HTML query page of /sparql."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET

import httpx
import pytest
from fastapi.testclient import TestClient
from rdflib import Graph

from api.negotiation import AcceptHeader
from api.routers.sparql import EXAMPLE_QUERIES

SELECT = (
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
    "SELECT ?term ?label WHERE { ?term a skos:Concept ; skos:prefLabel ?label } ORDER BY ?label"
)
CONSTRUCT = (
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
    "CONSTRUCT { ?term skos:prefLabel ?label }\n"
    "WHERE { ?term a skos:Concept ; skos:prefLabel ?label }"
)
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def sparql(client: TestClient, query: str, accept: str | None = None) -> httpx.Response:
    headers = {"accept": accept} if accept is not None else {}
    return client.get("/sparql", params={"query": query}, headers=headers)


def media_type(response: httpx.Response) -> str:
    return response.headers["content-type"].split(";")[0]


@pytest.mark.parametrize("accept", [None, "*/*", "application/sparql-results+json"])
def test_select_defaults_to_json(client: TestClient, accept: str | None) -> None:
    response = sparql(client, SELECT, accept)
    assert media_type(response) == "application/sparql-results+json"
    data = response.json()
    assert data["head"]["vars"] == ["term", "label"]
    assert [b["label"]["value"] for b in data["results"]["bindings"]] == ["一核两翼", "六稳"]


def test_application_json_is_json_results(client: TestClient) -> None:
    response = sparql(client, SELECT, "application/json")
    assert media_type(response) == "application/json"
    assert len(response.json()["results"]["bindings"]) == 2


def test_xml_results(client: TestClient) -> None:
    response = sparql(client, SELECT, "application/sparql-results+xml")
    assert media_type(response) == "application/sparql-results+xml"
    root = ET.fromstring(response.content)
    namespace = "{http://www.w3.org/2005/sparql-results#}"
    assert len(root.findall(f"{namespace}results/{namespace}result")) == 2


def test_csv_results(client: TestClient) -> None:
    response = sparql(client, SELECT, "text/csv")
    assert media_type(response) == "text/csv"
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == ["term", "label"]
    assert [row[1] for row in rows[1:]] == ["一核两翼", "六稳"]


def test_tsv_results(client: TestClient) -> None:
    response = sparql(client, SELECT, "text/tab-separated-values")
    assert media_type(response) == "text/tab-separated-values"
    lines = response.text.strip().split("\n")
    assert lines[0] == "?term\t?label"
    assert lines[1].endswith('"一核两翼"@zh')


def test_ask_results(client: TestClient) -> None:
    assert sparql(client, "ASK { ?s ?p ?o }").json() == {"head": {}, "boolean": True}
    xml = sparql(client, "ASK { <http://x/nothing> ?p ?o }", "application/sparql-results+xml")
    assert b"<boolean>false</boolean>" in xml.content


@pytest.mark.parametrize(
    ("accept", "expected", "rdflib_format"),
    [
        (None, "text/turtle", "turtle"),
        ("text/turtle", "text/turtle", "turtle"),
        ("application/n-triples", "application/n-triples", "nt"),
        ("application/ld+json", "application/ld+json", "json-ld"),
    ],
)
def test_graph_results(
    client: TestClient, accept: str | None, expected: str, rdflib_format: str
) -> None:
    response = sparql(client, CONSTRUCT, accept)
    assert response.status_code == 200, response.text
    assert media_type(response) == expected
    assert len(Graph().parse(data=response.content, format=rdflib_format)) == 2


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("text/csv;q=0.5, application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/*", "text/csv"),
        ("text/*;q=0.5, text/tab-separated-values", "text/tab-separated-values"),
        ("application/sparql-results+json;q=0, */*;q=0.1", "application/json"),
        ("image/png, text/csv;q=0.2", "text/csv"),
    ],
)
def test_negotiation_follows_q_values(client: TestClient, accept: str, expected: str) -> None:
    assert media_type(sparql(client, SELECT, accept)) == expected


def test_construct_negotiates_among_graph_formats(client: TestClient) -> None:
    accept = "application/sparql-results+json, application/n-triples;q=0.5"
    assert media_type(sparql(client, CONSTRUCT, accept)) == "application/n-triples"


@pytest.mark.parametrize(
    ("query", "accept"),
    [(SELECT, "image/png"), (SELECT, "text/turtle"), (CONSTRUCT, "text/csv")],
)
def test_not_acceptable(client: TestClient, query: str, accept: str) -> None:
    response = sparql(client, query, accept)
    assert response.status_code == 406
    assert response.json()["error"]["status"] == 406


def test_accept_header_parser() -> None:
    accept = AcceptHeader.parse("text/*;q=0.3, text/html;q=0.7, text/html;level=1, */*;q=0.5")
    assert accept.quality("text/html") == 1.0
    assert accept.quality("text/plain") == 0.3
    assert accept.quality("image/jpeg") == 0.5
    assert AcceptHeader.parse(None).best(["a/b", "c/d"]) == "a/b"
    assert AcceptHeader.parse("garbage, text/csv;q=x, text/tsv").best(["text/csv", "text/tsv"]) == (
        "text/tsv"
    )


def test_missing_query_is_400(client: TestClient) -> None:
    response = client.get("/sparql", headers={"accept": "application/sparql-results+json"})
    assert response.status_code == 400
    assert "missing query" in response.json()["error"]["message"]


def test_browser_gets_the_query_page(client: TestClient) -> None:
    response = client.get("/sparql", headers={"accept": BROWSER})
    assert response.status_code == 200
    assert media_type(response) == "text/html"
    page = response.text
    for _, query in EXAMPLE_QUERIES:
        assert query.splitlines()[-2].replace(">", "&gt;").replace("<", "&lt;") in page
    assert "skos:definition" in page and "kgo:components" in page
    # Links into the site (its header) are fine; nothing comes from another host.
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//(?!testserver/)""", page)
    assert 'href="http://testserver/search"' in page
    assert "innerHTML" not in page and "textContent" in page
    assert "script-src 'nonce-" in response.headers["content-security-policy"]


def test_query_page_escapes_the_query_it_echoes(client: TestClient) -> None:
    query = 'SELECT ("</textarea><script>alert(1)</script>" AS ?x) {}'
    page = sparql(client, query, BROWSER).text
    assert "<script>alert(1)" not in page
    assert "&lt;/textarea&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_script_in_results_stays_data(client: TestClient) -> None:
    response = sparql(client, 'SELECT ("<script>alert(1)</script>" AS ?x) {}')
    assert media_type(response) == "application/sparql-results+json"
    assert response.json()["results"]["bindings"][0]["x"]["value"] == "<script>alert(1)</script>"


@pytest.mark.parametrize(("title", "query"), EXAMPLE_QUERIES, ids=[t for t, _ in EXAMPLE_QUERIES])
def test_example_queries_answer_on_the_test_graph(
    client: TestClient, title: str, query: str
) -> None:
    response = client.post("/sparql", data={"query": query})
    assert response.status_code == 200, response.text
    assert response.json()["results"]["bindings"], title


def test_results_vary_by_accept(client: TestClient) -> None:
    assert "accept" in sparql(client, "ASK {}").headers["vary"].lower()


def test_json_results_round_trip_through_json(client: TestClient) -> None:
    response = sparql(client, 'SELECT ("a\\"b\\nc"@en AS ?x) {}')
    value = json.loads(response.content)["results"]["bindings"][0]["x"]
    assert value == {"type": "literal", "value": 'a"b\nc', "xml:lang": "en"}
