"""Limits that hold before work is done, in process: bodies, query shape, annotate, admission."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import anyio
import pytest
from conftest import AppClientFactory
from fastapi.testclient import TestClient

from api.admission import Admission
from api.errors import ApiError

ANNOTATE = "/api/v1/annotate"


def test_annotate_refuses_a_wrong_content_type_with_415(client: TestClient) -> None:
    response = client.post(
        ANNOTATE, content=b'{"text": "x"}', headers={"content-type": "text/plain"}
    )
    assert response.status_code == 415
    assert response.json()["error"]["status"] == 415
    form = client.post(ANNOTATE, data={"text": "六稳"})
    assert form.status_code == 415


def test_annotate_refuses_a_declared_oversized_body(client: TestClient) -> None:
    response = client.post(
        ANNOTATE,
        content=b"{}",
        headers={"content-type": "application/json", "content-length": "104857600"},
    )
    assert response.status_code == 413
    assert "limit" in response.json()["error"]["message"]


def _chunks(total: int, size: int = 65536) -> Iterator[bytes]:
    yield b'{"text": "'
    for _ in range(total // size):
        yield b"a" * size
    yield b'"}'


def test_a_chunked_body_is_cut_off_at_the_cap(client: TestClient) -> None:
    response = client.post(
        ANNOTATE, content=_chunks(3_000_000), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert response.headers["connection"] == "close"


def test_annotate_answers_are_bounded(app_client: AppClientFactory) -> None:
    with app_client(annotate_max_spans=3, annotate_max_chars=50) as api:
        few = api.post(ANNOTATE, json={"text": "做好六稳工作。"})
        assert few.status_code == 200 and len(few.json()["spans"]) == 1
        many = api.post(ANNOTATE, json={"text": "六稳，" * 10})
        assert many.status_code == 413
        assert "smaller pieces" in many.json()["error"]["message"]
        long = api.post(ANNOTATE, json={"text": "字" * 51})
        assert long.status_code == 413


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE " + "{" * 10_000 + "?s ?p ?o" + "}" * 10_000,
        "SELECT * WHERE { FILTER(" + "(" * 5_000 + "1" + ")" * 5_000 + ") }",
        "ASK { " + "[ <http://x/p> " * 3_000 + "]" * 3_000 + " }",
    ],
    ids=["braces", "parentheses", "brackets"],
)
def test_deep_nesting_is_refused_before_parsing(client: TestClient, query: str) -> None:
    response = client.post("/sparql", content=query.encode(), headers=_DIRECT)
    assert response.status_code == 400
    message = response.json()["error"]["message"]
    assert "nests" in message or "characters" in message
    # The worker that would have crashed is still there.
    assert client.get("/sparql", params={"query": "ASK {}"}).json()["boolean"] is True


_DIRECT = {"content-type": "application/sparql-query"}


def test_nesting_depth_alone_is_refused(client: TestClient) -> None:
    query = "SELECT * WHERE " + "{" * 1_000 + "?s ?p ?o" + "}" * 1_000
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 400
    assert "1000 deep" in response.json()["error"]["message"]
    shallow = "SELECT * WHERE " + "{" * 20 + "?s ?p ?o" + "}" * 20 + " LIMIT 1"
    assert client.get("/sparql", params={"query": shallow}).status_code == 200


def test_nesting_in_strings_and_iris_does_not_count(client: TestClient) -> None:
    literal = '"' + "{(" * 500 + '"'
    query = f"ASK {{ FILTER (STR({literal}) != '' && <http://x/{'%7B' * 10}> != <http://y/>) }}"
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 200, response.text


def test_a_long_query_is_refused_unparsed(app_client: AppClientFactory) -> None:
    with app_client(sparql_max_query_chars=100) as api:
        query = "ASK { ?s ?p ?o } #" + "x" * 200
        response = api.get("/sparql", params={"query": query})
        assert response.status_code == 400
        assert "at most 100" in response.json()["error"]["message"]
        too_big = api.post("/sparql", content=b"#" * 10_000, headers=_DIRECT)
        assert too_big.status_code == 413


def test_a_query_past_the_memory_cap_stops_in_its_worker(
    app_client: AppClientFactory,
) -> None:
    with app_client(sparql_worker_memory_mb=1024, sparql_timeout_seconds=30.0) as api:
        product = (
            "SELECT ?c ?f ?i ?l WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l } "
            "ORDER BY ?c ?f ?i ?l LIMIT 1"
        )
        response = api.get("/sparql", params={"query": product})
        assert response.status_code == 507, response.text
        assert response.json()["error"]["memory_mb"] == 1024
        # A replacement worker answers the next query.
        for _ in range(50):
            again = api.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
            if again.status_code == 200:
                break
        assert again.json()["boolean"] is True


def test_admission_refuses_beyond_its_queue_with_429_and_waits_503() -> None:
    async def scenario() -> tuple[ApiError, ApiError]:
        full = Admission("test", capacity=1, queue=0, wait_seconds=0.2)
        waiting = Admission("test", capacity=1, queue=1, wait_seconds=0.2)
        async with full.slot():
            with pytest.raises(ApiError) as refused:
                async with full.slot():
                    pass
        async with waiting.slot():
            with pytest.raises(ApiError) as timed_out:
                async with waiting.slot():
                    pass
        async with waiting.slot():  # slots are given back
            pass
        return refused.value, timed_out.value

    refused, timed_out = anyio.run(scenario)
    assert refused.status == 429 and refused.headers == {"Retry-After": "1"}
    assert timed_out.status == 503 and "Retry-After" in (timed_out.headers or {})


def test_admission_releases_its_slot_when_the_work_fails() -> None:
    async def scenario() -> None:
        admission = Admission("test", capacity=1, queue=0, wait_seconds=0.2)
        for _ in range(3):
            with pytest.raises(ZeroDivisionError):
                async with admission.slot():
                    1 / 0  # noqa: B018

    anyio.run(scenario)


def test_every_limit_is_a_documented_setting() -> None:
    from api.settings import Settings

    docs = Path(__file__).resolve().parent.parent / "docs"
    reliability = (docs / "reliability.md").read_text(encoding="utf-8")
    for name, field in Settings.model_fields.items():
        assert f"KG_{name.upper()}" in reliability, name
        assert field.description, name
