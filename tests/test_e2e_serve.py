"""End to end: the real ``kg serve`` process on the bundled corpus, queried over HTTP."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from browser import kg_server


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real ``kg serve`` on the bundled corpus, as ``make serve`` runs it."""
    with kg_server(tmp_path_factory.mktemp("cache")) as base:
        yield base


def test_lookup_search_and_sparql_over_http(server: str) -> None:
    term = httpx.get(f"{server}/api/v1/lookup", params={"label": "六个致力"}).json()
    assert term["id"] == "liu-ge-zhi-li"
    assert len(term["definitions"]) == 2

    found = httpx.get(f"{server}/api/v1/terms", params={"q": "lgzl"}).json()
    assert found["results"][0]["label"] == "六个致力"

    query = (
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
        'ASK { ?c skos:prefLabel "“235”现代化产业体系"@zh-hans }'
    )
    answer = httpx.get(f"{server}/sparql", params={"query": query})
    assert answer.status_code == 200
    assert answer.json()["boolean"] is True

    stats = httpx.get(f"{server}/api/v1/stats").json()
    assert stats["reports"] >= 5 and stats["triples"] > 1000


def test_lineage_and_annotate_over_http(server: str) -> None:
    lineage = httpx.get(f"{server}/api/v1/terms/ba-ge-jian-chi/lineage").json()
    assert lineage["came_from"][0]["term"]["id"] == "ba-ge-zhuo-li"
    spans = httpx.post(
        f"{server}/api/v1/annotate", json={"text": "全区上下锚定“六个致力”，坚持“五个统筹”。"}
    ).json()["spans"]
    assert [span["label"] for span in spans] == ["六个致力", "五个统筹"]


def test_term_page_is_html_and_turtle(server: str) -> None:
    page = httpx.get(f"{server}/term/liu-ge-zhi-li", headers={"Accept": "text/html"})
    assert page.status_code == 200 and "六个致力" in page.text
    turtle = httpx.get(f"{server}/term/liu-ge-zhi-li.ttl")
    assert turtle.headers["content-type"].startswith("text/turtle")
