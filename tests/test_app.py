"""The app around the store: health, stats, graph downloads, CORS and offline docs."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph

from kg import __version__


def test_healthz(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_stats_counts_the_kgo_vocabulary(client: TestClient) -> None:
    stats = client.get("/api/v1/stats").json()
    assert stats["reports"] == 2
    assert stats["terms"] == 2
    assert stats["definitions"] == 3
    assert stats["triples"] > 20
    assert stats["version"] == __version__
    assert stats["built_at"]


@pytest.mark.parametrize(
    ("query", "accept", "media_type", "rdflib_format"),
    [
        ({"format": "ttl"}, None, "text/turtle", "turtle"),
        ({"format": "nt"}, None, "application/n-triples", "nt"),
        ({"format": "jsonld"}, None, "application/ld+json", "json-ld"),
        ({}, "application/ld+json", "application/ld+json", "json-ld"),
        ({}, None, "text/turtle", "turtle"),
    ],
)
def test_graph_download(
    client: TestClient,
    query: dict[str, str],
    accept: str | None,
    media_type: str,
    rdflib_format: str,
) -> None:
    headers = {"accept": accept} if accept else {}
    response = client.get("/api/v1/graph", params=query, headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type
    assert response.headers["content-disposition"].startswith("attachment; filename=")
    triples = client.get("/api/v1/stats").json()["triples"]
    assert len(Graph().parse(data=response.content, format=rdflib_format)) == triples


def test_cors_allows_any_origin_to_get(client: TestClient) -> None:
    response = client.get("/healthz", headers={"origin": "https://example.org"})
    assert response.headers["access-control-allow-origin"] == "*"


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_docs_load_nothing_from_other_hosts(client: TestClient, path: str) -> None:
    page = client.get(path).text
    assets = re.findall(r"""(?:src|href|url)\s*[=:]\s*["']([^"']+)["']""", page)
    assert assets
    for asset in assets:
        assert asset.startswith("/"), asset
        assert client.get(asset).status_code == 200, asset


def test_openapi_lists_the_routes(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/sparql", "/api/v1/graph", "/api/v1/stats", "/healthz"} <= set(paths)
