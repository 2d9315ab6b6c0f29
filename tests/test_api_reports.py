"""The report endpoints: the list in delivery order and one report with its glossary."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from conftest import serve_reports
from fastapi.testclient import TestClient

CORPUS = (
    "jianghan-2023-12-25-government-work-report.md",
    "jianghan-2024-12-29-government-work-report.txt",
)


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The app serving the glossary graph of two reports (no links), as built and validated."""
    with serve_reports(CORPUS, tmp_path_factory.mktemp("corpus"), links=False) as client:
        yield client


def test_reports_are_listed_in_delivery_order(api: TestClient) -> None:
    body = api.get("/api/v1/reports").json()
    assert [r["id"] for r in body["results"]] == [
        "jianghan-2023-gov-work-report",
        "jianghan-2024-gov-work-report",
    ]
    assert body["total"] == 2 and body["next"] is None
    first = body["results"][0]
    assert first["delivered_on"] == "2023-12-25" and first["year"] == 2023
    assert first["doc_number"] == "江政〔2024〕1号"
    assert (first["year_reviewed"], first["year_planned"]) == (2023, 2024)
    assert first["district"] == "江汉区" and first["district_id"] == "jianghan"
    assert first["held"] is True and first["glossary_size"] == 35
    assert "glossary" not in first


def test_reports_page(api: TestClient) -> None:
    body = api.get("/api/v1/reports", params={"limit": 1}).json()
    assert len(body["results"]) == 1
    assert body["next"] == "http://testserver/api/v1/reports?limit=1&offset=1"
    last = api.get(body["next"]).json()
    assert [r["id"] for r in last["results"]] == ["jianghan-2024-gov-work-report"]
    assert last["next"] is None


def test_a_report_with_its_glossary(api: TestClient) -> None:
    body = api.get("/api/v1/reports/jianghan-2024-gov-work-report").json()
    assert body["issued_on"] == "2025-01-20" and body["speaker"]
    glossary = body["glossary"]
    assert [item["number"] for item in glossary] == list(range(1, len(glossary) + 1))
    assert glossary[0] == {
        "number": 1,
        "term": "liu-ge-zhi-li",
        "label": "六个致力",
        "definition": glossary[0]["definition"],
    }
    assert glossary[0]["definition"].startswith("2021年")


def test_an_unknown_report_is_404_in_the_error_shape(api: TestClient) -> None:
    response = api.get("/api/v1/reports/nope")
    assert response.status_code == 404
    assert response.json() == {"error": {"status": 404, "message": "no report has the id 'nope'"}}
