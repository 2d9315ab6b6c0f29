"""Term, report and district IRIs resolve here as HTML, Turtle or JSON-LD; pages are escaped."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
from conftest import serve_reports
from fastapi.testclient import TestClient
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import SKOS

from kg.vocab import KGO

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


HOSTILE_REPORT = f"""\
 政 府 工 作 报 告
——2024年12月29日在坏区第一届人民代表大会第一次会议上

坏区人民政府区长 张明

各位代表：

现在，我代表区人民政府，向大会报告工作。全区推进坏<b>词</b>工作。

附件

名词解释

1.坏<b>词</b>：定义{HOSTILE}。
"""


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The app serving a report whose glossary term and definition hold markup."""
    directory = tmp_path_factory.mktemp("hostile")
    report = directory / "evil-2024.txt"
    report.write_text(HOSTILE_REPORT, encoding="utf-8")
    with serve_reports([report], directory) as client:
        yield client


@pytest.fixture(scope="module")
def evil(hostile: TestClient) -> dict[str, str]:
    """The ids the builder gave the hostile report, its district and its term."""
    report = hostile.get("/api/v1/reports").json()["results"][0]
    term = hostile.get("/api/v1/lookup", params={"label": "坏<b>词</b>"}).json()
    return {"report": report["id"], "district": report["district_id"], "term": term["id"]}


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
    assert "cdn" not in page.lower()
    # The one script element is data: the term as schema.org JSON-LD.
    assert re.findall(r"<script[^>]*>", page) == ['<script type="application/ld+json">']


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
    assert (None, SKOS.prefLabel, Literal("六个致力", lang="zh-hans")) in graph
    definitions = list(graph.objects(None, SKOS.definition))
    # Two definition nodes, and each one's text as a literal beside it.
    assert len([d for d in definitions if isinstance(d, URIRef)]) == 2
    assert len([d for d in definitions if isinstance(d, Literal)]) == 2


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
    definitions = {d for d in graph.objects(None, SKOS.definition) if isinstance(d, URIRef)}
    assert len(definitions) == 2
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


def test_a_script_in_a_definition_is_escaped_in_html(
    hostile: TestClient, evil: dict[str, str]
) -> None:
    term = f"/term/{evil['term']}"
    paths = (
        term,
        f"/report/{evil['report']}",
        f"/district/{evil['district']}",
        "/search?q=坏",
        "/",
    )
    for path in paths:
        page = hostile.get(path).text
        assert "<script>" not in page, path
        assert "<b>词</b>" not in page, path
    page = hostile.get(term).text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "script-src" not in hostile.get(term).headers["content-security-policy"]


def test_a_script_in_a_definition_is_intact_in_rdf(
    hostile: TestClient, evil: dict[str, str]
) -> None:
    expected = Literal(f"定义{HOSTILE}。", lang="zh-hans")
    turtle = _parse(hostile.get(f"/term/{evil['term']}.ttl").text, "turtle")
    assert (None, RDF.value, expected) in turtle
    jsonld = _parse(hostile.get(f"/term/{evil['term']}.jsonld").text, "json-ld")
    assert (None, RDF.value, expected) in jsonld


def test_api_term_keeps_the_text_verbatim(hostile: TestClient, evil: dict[str, str]) -> None:
    body = hostile.get(f"/api/v1/terms/{evil['term']}").json()
    assert body["definitions"][0]["text"] == f"定义{HOSTILE}。"


def test_a_script_in_a_definition_is_escaped_on_every_node_page(
    hostile: TestClient, evil: dict[str, str]
) -> None:
    report, term = evil["report"], evil["term"]
    paths = (
        f"/definition/{report}/{term}",
        f"/entry/{report}/1",
        f"/location/{report}/1",
        f"/terms/{evil['district']}",
        "/terms",
    )
    for path in paths:
        response = hostile.get(path)
        assert response.status_code == 200, path
        assert "<script>" not in response.text, path
        assert "<b>词</b>" not in response.text, path
        assert "unsafe-inline" not in response.headers["content-security-policy"]
    definition = hostile.get(f"/definition/{report}/{term}").text
    assert "定义&lt;script&gt;alert(1)&lt;/script&gt;。" in definition
    assert "坏&lt;b&gt;词&lt;/b&gt;" in hostile.get(f"/entry/{report}/1").text
