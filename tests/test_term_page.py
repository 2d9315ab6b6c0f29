"""The term page: definitions with their changes, parts, timeline, sentences, links, JSON-LD;
and the site around it: one header, Chinese names, reports only cited marked as such."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
from conftest import serve_reports
from fastapi.testclient import TestClient
from test_api_subgraph import HOSTILE_REPORT, PLANTED

from api.term_page import diff_markup, highlight

CORPUS = (
    "jianghan-2023-12-25-government-work-report.md",
    "jianghan-2024-12-29-government-work-report.txt",
)


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


def section(page: str, anchor: str) -> str:
    found = re.search(rf'<section id="{anchor}".*?(?=<section id=|</article>)', page, re.S)
    assert found is not None, anchor
    return found.group(0)


def json_ld(page: str) -> dict:  # type: ignore[type-arg]
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert found is not None
    return json.loads(found.group(1))  # type: ignore[no-any-return]


def test_diff_markup_marks_and_escapes() -> None:
    assert (
        diff_markup("2021年{+江汉+}区[-江汉区-]重点")
        == "2021年<ins>江汉</ins>区<del>江汉区</del>重点"
    )
    assert diff_markup("a{+<b>+}c[-&-]") == "a<ins>&lt;b&gt;</ins>c<del>&amp;</del>"
    assert highlight("锚定“六个致力”<b>", "“六个致力”") == "锚定<mark>“六个致力”</mark>&lt;b&gt;"


def test_definitions_by_year_with_the_change_marked(site: TestClient) -> None:
    page = site.get("/term/liu-ge-zhi-li").text
    definitions = section(page, "definitions")
    headings = re.findall(r"<h3>(\d{4}) 年", definitions)
    assert headings == ["2024", "2023"]
    diff = re.search(r'<p class="diff">(.*?)</p>', definitions, re.S)
    assert diff is not None
    assert "<ins>江汉</ins>" in diff.group(1) and "<del>江汉区</del>" in diff.group(1)
    assert "与 2023 年的释义相比" in definitions
    assert definitions.count("<blockquote>") == 2


def test_parts_timeline_sentences_and_graph(site: TestClient) -> None:
    page = site.get("/term/liu-ge-zhi-li").text
    parts = re.findall(r"<li>(致力[^<]+)</li>", section(page, "parts"))
    assert parts == [
        "致力能级跃升",
        "致力活力激发",
        "致力宜居宜业",
        "致力共建共享",
        "致力文化繁荣",
        "致力民生幸福",
    ]
    timeline = section(page, "timeline")
    dates = re.findall(r'<span class="when">([^<]+)</span>', timeline)
    assert dates == ["2021 年", "2023-12-25", "2024-12-29"]
    assert "仅被引用，未收录全文" in timeline and "被释义引用" in timeline
    assert timeline.count("名词解释</span>") == 2 and "正文提及" in timeline
    sentences = section(page, "sentences")
    assert "<mark>“六个致力”</mark>" in sentences and "锚定" in sentences
    graph = section(page, "graph-section")
    assert (
        '<iframe class="graph-frame" src="http://testserver/graph/liu-ge-zhi-li?embed=1"' in graph
    )
    assert "frame-src 'self'" in site.get("/term/liu-ge-zhi-li").headers["content-security-policy"]


def test_related_terms_have_chinese_relation_names_and_evidence(site: TestClient) -> None:
    page = site.get("/term/ba-ge-jian-chi").text
    related = section(page, "related")
    assert re.search(
        r'<span class="relation">由其改换提法而来</span>\s*<a class="term"[^>]*>八个着力</a>',
        related,
    )
    assert "依据：<q>八个着力 → 八个坚持</q>" in related
    assert "evolvedFrom" not in page and "references" not in related
    older = section(site.get("/term/ba-ge-zhuo-li").text, "related")
    assert "改换提法为" in older


def test_schema_org_defined_term_in_the_head(site: TestClient) -> None:
    page = site.get("/term/liu-ge-zhi-li").text
    head = page.split("</head>")[0]
    data = json_ld(head)
    assert data["@type"] == "DefinedTerm" and data["name"] == "六个致力"
    assert data["@id"] == "https://w3id.org/policy-terms/term/liu-ge-zhi-li"
    assert data["description"].startswith("2021年江汉区《政府工作报告》提出")
    assert [report["datePublished"] for report in data["subjectOf"]] == ["2023-12-25", "2024-12-29"]


def test_planted_markup_cannot_leave_the_json_ld_or_the_text(hostile: TestClient) -> None:
    term = hostile.get("/api/v1/lookup", params={"label": PLANTED}).json()
    page = hostile.get(f"/term/{term['id']}").text
    assert "<img" not in page and "<script>alert" not in page
    raw = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert raw is not None and "<" not in raw.group(1)
    data = json_ld(page)
    assert data["name"] == PLANTED and "<script>alert(1)</script>" in data["description"]
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_an_undefined_term_shows_its_sentences_and_confidence(site: TestClient) -> None:
    body = site.get("/api/v1/terms", params={"defined": "false", "limit": 100}).json()
    term = next(hit for hit in body["results"] if not hit["defined"])
    page = site.get(f"/term/{term['id']}").text
    definitions = section(page, "definitions")
    assert "尚无报告的名词解释收录此术语" in definitions and "识别置信度 0." in definitions
    assert "<mark>" in section(page, "sentences")


def test_a_report_only_cited_is_marked_and_not_listed_as_held(site: TestClient) -> None:
    page = site.get("/report/jianghan-2021-gov-work-report").text
    assert "仅被引用，未收录全文" in page and "本报告没有名词解释附件" not in page
    assert "引用它的术语" in page and "六个致力" in page
    assert "政府工作报告" in page and "government_work_report" not in page
    home = site.get("/").text
    held, _, cited = home.partition("仅被引用的报告")
    assert "jianghan-2021-gov-work-report" not in held
    assert "jianghan-2021-gov-work-report" in cited
    held_page = site.get("/report/jianghan-2024-gov-work-report").text
    assert "<dd>政府工作报告</dd>" in held_page and "仅被引用" not in held_page


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/search",
        "/term/liu-ge-zhi-li",
        "/report/jianghan-2024-gov-work-report",
        "/district/jianghan",
        "/graph/liu-ge-zhi-li",
        "/widget",
    ],
)
def test_every_page_has_the_one_site_header(site: TestClient, path: str) -> None:
    page = site.get(path, headers={"Accept": "text/html"}).text
    header = site.get("/", headers={"Accept": "text/html"}).text
    expected = re.search(r'<header class="site">.*?</header>', header, re.S)
    found = re.search(r'<header class="site">.*?</header>', page, re.S)
    assert expected is not None and found is not None
    assert found.group(0) == expected.group(0)


def test_the_sparql_page_has_the_site_header_in_chinese_and_keeps_its_nonce(
    site: TestClient,
) -> None:
    response = site.get("/sparql", headers={"Accept": "text/html"})
    page = response.text
    assert '<header class="site">' in page and 'href="http://testserver/"' in page
    assert "<h1>SPARQL 查询</h1>" in page and "运行查询" in page
    nonce = re.search(r"script-src 'nonce-([^']+)'", response.headers["content-security-policy"])
    assert nonce is not None and f'<script nonce="{nonce.group(1)}">' in page
    assert "Run query" not in page and "Examples" not in page


def test_search_page_finds_fuzzy_pinyin_and_says_did_you_mean(site: TestClient) -> None:
    page = site.get("/search", params={"q": "sanshuo"}).text
    assert re.search(r'<a class="term" href="[^"]+">三所一庭</a>', page)
    miss = site.get("/search", params={"q": "bagejianshou"}).text
    assert "没有找到匹配的术语" in miss
    assert re.search(
        r'你是不是要找：<a class="term" href="[^"]+/term/ba-ge-jian-chi">八个坚持</a>', miss
    )
