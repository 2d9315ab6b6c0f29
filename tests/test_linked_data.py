"""Term, report and district IRIs resolve here as HTML, Turtle or JSON-LD; pages are escaped."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from conftest import serve_graph, serve_reports
from fastapi.testclient import TestClient
from rdflib import RDF, XSD, Graph, Literal
from rdflib.namespace import RDFS, SKOS

from kg.vocab import KGO, definition_iri, district_iri, report_iri, term_iri

CORPUS = (
    "jianghan-2023-12-25-government-work-report.md",
    "jianghan-2024-12-29-government-work-report.txt",
)
TERM = "https://w3id.org/policy-terms/term/liu-ge-zhi-li"
HOSTILE = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The app serving two bundled reports."""
    with serve_reports(CORPUS, tmp_path_factory.mktemp("corpus")) as client:
        yield client


def _hostile_graph() -> Graph:
    graph = Graph()
    term, report, district = term_iri("evil"), report_iri("evil-2024"), district_iri("evil")
    definition = definition_iri("evil-2024", "evil")
    graph.add((report, RDF.type, KGO.Report))
    graph.add((report, KGO.district, district))
    graph.add((report, KGO.deliveredOn, Literal("2024-12-29", datatype=XSD.date)))
    graph.add((district, RDF.type, KGO.District))
    graph.add((district, RDFS.label, Literal(f"区{HOSTILE}", lang="zh")))
    graph.add((term, RDF.type, SKOS.Concept))
    graph.add((term, SKOS.prefLabel, Literal("坏<b>词</b>", lang="zh")))
    graph.add((term, SKOS.definition, definition))
    graph.add((definition, RDF.value, Literal(f"定义{HOSTILE}。", lang="zh")))
    graph.add((definition, KGO.inReport, report))
    return graph


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The app serving a term whose definition holds a script tag."""
    with serve_graph(_hostile_graph(), tmp_path_factory.mktemp("hostile")) as client:
        yield client


def _parse(response_text: str, fmt: str) -> Graph:
    return Graph().parse(data=response_text, format=fmt)


def test_a_term_is_html_by_default_and_for_browsers(site: TestClient) -> None:
    for accept in (None, "text/html,application/xhtml+xml,*/*;q=0.8", "*/*"):
        headers = {"Accept": accept} if accept else {}
        response = site.get("/term/liu-ge-zhi-li", headers=headers)
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/html")
        assert "Accept" in response.headers["vary"]
    page = response.text
    assert "<h1>六个致力</h1>" in page
    assert "2023" in page and "2024" in page
    assert "致力能级跃升" in page
    assert 'href="http://testserver/report/jianghan-2024-gov-work-report"' in page
    assert "cdn" not in page.lower() and "<script" not in page


@pytest.mark.parametrize(
    ("accept", "fmt", "media_type"),
    [
        ("text/turtle", "turtle", "text/turtle"),
        ("application/ld+json", "json-ld", "application/ld+json"),
        ("text/html;q=0.5, text/turtle", "turtle", "text/turtle"),
        ("text/turtle;q=0.4, application/ld+json;q=0.9", "json-ld", "application/ld+json"),
        ("application/json", "json-ld", "application/ld+json"),
    ],
)
def test_rdf_by_accept_with_q_values(
    site: TestClient, accept: str, fmt: str, media_type: str
) -> None:
    response = site.get("/term/liu-ge-zhi-li", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media_type)
    assert "Accept" in response.headers["vary"]
    graph = _parse(response.text, fmt)
    assert (None, SKOS.prefLabel, Literal("六个致力", lang="zh")) in graph
    assert len(list(graph.objects(None, SKOS.definition))) == 2


@pytest.mark.parametrize(
    ("suffix", "fmt", "media_type"),
    [(".ttl", "turtle", "text/turtle"), (".jsonld", "json-ld", "application/ld+json")],
)
def test_rdf_by_suffix_whatever_the_accept_header(
    site: TestClient, suffix: str, fmt: str, media_type: str
) -> None:
    response = site.get(f"/term/liu-ge-zhi-li{suffix}", headers={"Accept": "text/html"})
    assert response.headers["content-type"].startswith(media_type)
    assert "Accept" in response.headers["vary"]
    graph = _parse(response.text, fmt)
    definitions = set(graph.objects(None, SKOS.definition))
    # The description carries the definitions' own triples and their source locations.
    assert all((d, RDF.value, None) in graph for d in definitions)
    assert any(
        str(s).startswith("https://w3id.org/policy-terms/location/") for s in graph.subjects()
    )


def test_the_html_suffix_forces_html(site: TestClient) -> None:
    response = site.get("/term/liu-ge-zhi-li.html", headers={"Accept": "text/turtle"})
    assert response.headers["content-type"].startswith("text/html")


def test_reports_and_districts_resolve(site: TestClient) -> None:
    page = site.get("/report/jianghan-2024-gov-work-report").text
    assert "江政〔2025〕1号" in page and "六个致力" in page
    turtle = site.get("/report/jianghan-2024-gov-work-report.ttl")
    assert (None, KGO.docNumber, Literal("江政〔2025〕1号")) in _parse(turtle.text, "turtle")
    district = site.get("/district/jianghan")
    assert "江汉区" in district.text and "jianghan-2023-gov-work-report" in district.text
    data = json.loads(site.get("/district/jianghan.jsonld").text)
    assert "江汉区" in json.dumps(data, ensure_ascii=False)


def test_alternates_are_advertised(site: TestClient) -> None:
    response = site.get("/term/liu-ge-zhi-li")
    assert 'rel="alternate"; type="text/turtle"' in response.headers["link"]
    assert 'href="http://testserver/term/liu-ge-zhi-li.ttl"' in response.text


@pytest.mark.parametrize("path", ["/term/nope", "/term/nope.ttl", "/report/nope", "/district/x"])
def test_unknown_resources_are_404_in_the_error_shape(site: TestClient, path: str) -> None:
    response = site.get(path)
    assert response.status_code == 404
    assert response.json()["error"]["status"] == 404
    assert "Accept" in response.headers["vary"]


def test_an_unacceptable_format_is_406(site: TestClient) -> None:
    response = site.get("/term/liu-ge-zhi-li", headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert response.json()["error"]["status"] == 406


def test_home_page_lists_reports_and_has_a_plain_search_form(site: TestClient) -> None:
    page = site.get("/").text
    assert 'method="get" action="http://testserver/search"' in page
    assert "jianghan-2024-gov-work-report" in page
    assert "<script" not in page
    css = site.get("/static/site.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")


def test_search_page(site: TestClient) -> None:
    page = site.get("/search", params={"q": "lgzl"}).text
    assert 'href="http://testserver/term/liu-ge-zhi-li"' in page
    everything = site.get("/search").text
    assert everything.count('class="term"') == 50
    assert 'rel="next"' in everything


def test_a_script_in_a_definition_is_escaped_in_html(hostile: TestClient) -> None:
    for path in ("/term/evil", "/report/evil-2024", "/district/evil", "/search?q=evil", "/"):
        page = hostile.get(path).text
        assert "<script>" not in page, path
        assert "<b>词</b>" not in page, path
    page = hostile.get("/term/evil").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "script-src" not in hostile.get("/term/evil").headers["content-security-policy"]


def test_a_script_in_a_definition_is_intact_in_rdf(hostile: TestClient) -> None:
    expected = Literal(f"定义{HOSTILE}。", lang="zh")
    turtle = _parse(hostile.get("/term/evil.ttl").text, "turtle")
    assert (None, RDF.value, expected) in turtle
    jsonld = _parse(hostile.get("/term/evil.jsonld").text, "json-ld")
    assert (None, RDF.value, expected) in jsonld


def test_api_term_keeps_the_text_verbatim(hostile: TestClient) -> None:
    body = hostile.get("/api/v1/terms/evil").json()
    assert body["definitions"][0]["text"] == f"定义{HOSTILE}。"
