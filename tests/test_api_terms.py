"""The term endpoints, served in process from a graph of three bundled reports."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

import pytest
from conftest import serve_reports
from fastapi.testclient import TestClient

CORPUS = (
    "jianghan-2023-12-25-government-work-report.md",
    "jianghan-2024-12-29-government-work-report.txt",
    "wuchang-2024-12-27-government-work-report.txt",
)


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The app serving the glossary graph of three reports (no links), as built and validated."""
    with serve_reports(CORPUS, tmp_path_factory.mktemp("corpus"), links=False) as client:
        yield client


def _ids(response_json: dict) -> list[str]:  # type: ignore[type-arg]
    return [item["id"] for item in response_json["results"]]


def test_terms_without_a_query_list_every_term_by_pinyin(api: TestClient) -> None:
    body = api.get("/api/v1/terms", params={"limit": 100}).json()
    assert body["total"] == len(body["results"]) > 40
    assert body["next"] is None
    assert all(item["match"] is None for item in body["results"])
    ids = _ids(body)
    assert ids.index("ba-ge-jian-chi") < ids.index("liu-ge-zhi-li")


@pytest.mark.parametrize(
    "query", ["六个致力", "六個致力", "liugezhili", "liu ge zhi li", "lgzl", "“六个致力”"]
)
def test_search_finds_a_term_by_label_script_pinyin_or_initials(
    api: TestClient, query: str
) -> None:
    body = api.get("/api/v1/terms", params={"q": query}).json()
    assert _ids(body)[0] == "liu-ge-zhi-li"


@pytest.mark.parametrize("query", ["“235”", '"235"', "235"])
def test_quote_variants_find_the_235_system(api: TestClient, query: str) -> None:
    body = api.get("/api/v1/terms", params={"q": query}).json()
    first = body["results"][0]
    assert first["id"] == "235-xian-dai-hua-chan-ye-ti-xi"
    assert first["label"] == "“235”现代化产业体系"


@pytest.mark.parametrize(
    ("query", "then"),
    [("三所一庭", "“三所一庭+N”工作机制"), ("三件套", "燃气“三件套”")],
)
def test_exact_label_ranks_first(api: TestClient, query: str, then: str) -> None:
    results = api.get("/api/v1/terms", params={"q": query}).json()["results"]
    assert [item["label"] for item in results][:2] == [query, then]
    matches = [item["match"] for item in results]
    assert matches[0] == "label"
    order = ["label", "label_prefix", "pinyin_prefix", "label_substring", "definition"]
    assert matches == sorted(matches, key=order.index)


def test_filters_by_district_year_and_defined(api: TestClient) -> None:
    wuchang = _ids(api.get("/api/v1/terms", params={"district": "wuchang", "limit": 100}).json())
    by_name = _ids(api.get("/api/v1/terms", params={"district": "武昌区", "limit": 100}).json())
    assert wuchang == by_name and wuchang and "liu-ge-zhi-li" not in wuchang
    in_2023 = _ids(api.get("/api/v1/terms", params={"year": 2023, "limit": 100}).json())
    assert "liu-ge-zhi-li" in in_2023 and not set(in_2023) & set(wuchang)
    undefined = api.get("/api/v1/terms", params={"defined": "false"}).json()
    assert all(not item["defined"] for item in undefined["results"])


def test_pagination_follows_next_to_the_end_without_duplicates(api: TestClient) -> None:
    total = api.get("/api/v1/terms", params={"limit": 1}).json()["total"]
    url: str | None = "/api/v1/terms?limit=7"
    seen: list[str] = []
    while url is not None:
        body = api.get(url).json()
        assert len(body["results"]) <= 7
        seen.extend(_ids(body))
        url = body["next"]
        assert url is None or url.startswith("http://testserver/api/v1/terms?")
    assert len(seen) == len(set(seen)) == total


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 101}, {"offset": -1}, {"year": "x"}])
def test_bad_paging_or_filters_are_422_in_the_error_shape(
    api: TestClient, params: dict[str, object]
) -> None:
    response = api.get("/api/v1/terms", params=params)
    assert response.status_code == 422
    assert response.json()["error"]["status"] == 422


def test_suggest(api: TestClient) -> None:
    body = api.get("/api/v1/suggest", params={"q": "l", "limit": 3}).json()
    assert len(body["results"]) == 3
    assert set(body["results"][0]) == {"id", "label", "defined"}
    assert "liu-ge-zhi-li" in _ids(api.get("/api/v1/suggest", params={"q": "lgz"}).json())
    assert api.get("/api/v1/suggest", params={"q": ""}).json() == {"results": []}


def test_lookup_finds_the_normalised_label(api: TestClient) -> None:
    for label in ("六个致力", "“六个致力”", "六個致力"):
        body = api.get("/api/v1/lookup", params={"label": label}).json()
        assert body["id"] == "liu-ge-zhi-li"


def test_lookup_of_an_unknown_label_is_404_with_suggestions(api: TestClient) -> None:
    response = api.get("/api/v1/lookup", params={"label": "六个"})
    assert response.status_code == 404
    error = response.json()["error"]
    assert error["status"] == 404 and "六个" in error["message"]
    assert {"id": "liu-ge-zhi-li", "label": "六个致力"} in error["suggestions"]
    nothing = api.get("/api/v1/lookup", params={"label": "完全没有"}).json()["error"]
    assert nothing["suggestions"] == []


def test_a_term_in_full(api: TestClient) -> None:
    body = api.get("/api/v1/terms/liu-ge-zhi-li").json()
    assert body["iri"] == "https://w3id.org/policy-terms/term/liu-ge-zhi-li"
    assert body["label"] == "六个致力" and body["defined"] is True
    assert [d["year"] for d in body["definitions"]] == [2023, 2024]
    latest = body["definitions"][-1]
    assert latest["report"] == "jianghan-2024-gov-work-report"
    assert latest["delivered_on"] == "2024-12-29" and latest["district"] == "江汉区"
    assert set(latest["source"]) == {"page", "start", "end", "quote"}
    assert "六个致力" in latest["source"]["quote"]
    assert len(body["components"]) == 6 and body["components"][0]["label"] == "致力能级跃升"
    assert [r["id"] for r in body["reports"]] == [
        "jianghan-2023-gov-work-report",
        "jianghan-2024-gov-work-report",
    ]
    assert body["related"] == []


def test_a_term_summary_for_hovercards(api: TestClient) -> None:
    body = api.get("/api/v1/terms/liu-ge-zhi-li/summary").json()
    assert body["label"] == "六个致力" and body["year"] == 2024
    assert body["definition"].endswith("。") and body["definition"].count("。") == 1
    assert body["url"] == "http://testserver/term/liu-ge-zhi-li"


@pytest.mark.parametrize("path", ["/api/v1/terms/nope", "/api/v1/terms/nope/summary"])
def test_an_unknown_term_is_404_in_the_error_shape(api: TestClient, path: str) -> None:
    response = api.get(path)
    assert response.status_code == 404
    assert response.json() == {"error": {"status": 404, "message": "no term has the id 'nope'"}}


def test_a_quoted_label_in_the_url_is_percent_encoded(api: TestClient) -> None:
    response = api.get("/api/v1/lookup?label=" + quote("“235”现代化产业体系"))
    assert response.json()["id"] == "235-xian-dai-hua-chan-ye-ti-xi"
