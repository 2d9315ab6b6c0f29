"""/graph/{term} and /api/v1/terms/{term}/graph: one subgraph, drawn or as JSON, from this server only."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html import unescape

import pytest
from conftest import serve_reports
from fastapi.testclient import TestClient

CORPUS = (
    "jianghan-2023-12-25-government-work-report.md",
    "jianghan-2024-12-29-government-work-report.txt",
)
PLANTED = "<img src=x onerror=alert(1)>词"
HOSTILE_REPORT = f"""\
 政 府 工 作 报 告
——2024年12月29日在坏区第一届人民代表大会第一次会议上

坏区人民政府区长 张明

各位代表：

现在，我代表区人民政府，向大会报告工作。全区推进{PLANTED}工作。

附件

名词解释

1.{PLANTED}：定义<script>alert(1)</script>，href="javascript:alert(1)"。
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with serve_reports(CORPUS, tmp_path_factory.mktemp("corpus")) as client:
        yield client


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    directory = tmp_path_factory.mktemp("hostile")
    report = directory / "evil-2024.txt"
    report.write_text(HOSTILE_REPORT, encoding="utf-8")
    with serve_reports([report], directory) as client:
        yield client


def graph_data(page: str) -> dict:  # type: ignore[type-arg]
    found = re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', page, re.S)
    assert found is not None
    return json.loads(found.group(1))  # type: ignore[no-any-return]


def test_the_json_graph_of_a_term(site: TestClient) -> None:
    body = site.get("/api/v1/terms/六个致力/graph").json()
    assert body["center"] == "term:liu-ge-zhi-li" and body["depth"] == 1
    assert body["truncated"] is False and body["nodes"][0]["id"] == body["center"]
    kinds = {node["kind"] for node in body["nodes"]}
    assert kinds == {"term", "report", "component", "district"}
    center = body["nodes"][0]
    assert center["url"] == "http://testserver/term/liu-ge-zhi-li"
    assert {edge["label"] for edge in body["edges"]} >= {"释义见于", "组成部分", "行政区"}
    deeper = site.get("/api/v1/terms/liu-ge-zhi-li/graph", params={"depth": 2}).json()
    assert len(deeper["nodes"]) > len(body["nodes"])


@pytest.mark.parametrize("depth", ["0", "4", "x"])
def test_depth_out_of_range_is_refused_in_the_error_shape(site: TestClient, depth: str) -> None:
    response = site.get("/api/v1/terms/liu-ge-zhi-li/graph", params={"depth": depth})
    assert response.status_code in (400, 422)
    assert set(response.json()["error"]) >= {"status", "message"}


def test_an_unknown_term_is_404_with_suggestions(site: TestClient) -> None:
    for path in ("/api/v1/terms/六个致/graph", "/graph/六个致"):
        response = site.get(path)
        assert response.status_code == 404
        assert response.json()["error"]["suggestions"] == ["六个致力"]


def test_the_graph_page_runs_only_this_servers_scripts(site: TestClient) -> None:
    response = site.get("/graph/liu-ge-zhi-li")
    assert response.status_code == 200
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'self'" in policy
    page = response.text
    sources = re.findall(r'<script src="([^"]+)"', page)
    assert sources == [
        "http://testserver/static/graph/vis-network.min.js",
        "http://testserver/static/graph/graph.js",
    ]
    assert re.findall(r"<script(?! src=)[^>]*>", page) == [
        '<script type="application/json" id="graph-data">'
    ]
    assert not re.search(r"""(src|href)=["']?(https?:)?//(?!testserver/)""", page)
    assert "cdn" not in page.lower()
    assert '<header class="site">' in page
    assert '<header class="site">' not in site.get("/graph/liu-ge-zhi-li?embed=1").text


def test_the_graph_page_has_a_legend_and_the_data_to_draw(site: TestClient) -> None:
    page = site.get("/graph/liu-ge-zhi-li").text
    data = graph_data(page)
    assert {node["kind"] for node in data["nodes"]} == {"term", "report", "component", "district"}
    assert data["options"]["physics"]["stabilization"]["enabled"] is True
    legend = re.search(r'<div class="graph-legend".*?</div>', page, re.S)
    assert legend is not None
    for name in ("术语", "报告", "组成部分", "行政区", "释义见于"):
        assert name in legend.group(0)


@pytest.mark.parametrize(
    ("name", "media_type"),
    [
        ("vis-network.min.js", "text/javascript"),
        ("vis-network.css", "text/css"),
        ("graph.js", "text/javascript"),
        ("graph.css", "text/css"),
    ],
)
def test_the_assets_are_served_here(site: TestClient, name: str, media_type: str) -> None:
    response = site.get(f"/static/graph/{name}")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media_type)
    assert "innerHTML" not in response.text or name == "vis-network.css"
    assert site.get("/static/graph/../../app.py").status_code == 404


def test_planted_markup_is_data_in_the_graph_page(hostile: TestClient) -> None:
    term = hostile.get("/api/v1/lookup", params={"label": PLANTED}).json()
    page = hostile.get(f"/graph/{term['id']}").text
    assert "<img" not in page and "<script>alert" not in page
    data = graph_data(page)
    center = data["nodes"][0]
    assert center["label"] == PLANTED
    assert "<script>alert(1)</script>" in center["title"] and "href" in center["title"]
    assert all(node["url"] is None or node["url"].startswith("/") for node in data["nodes"])
    # The page's title and aria label are escaped text.
    assert unescape(re.search(r"<title>(.*?)</title>", page).group(1)).startswith(PLANTED)  # type: ignore[union-attr]
