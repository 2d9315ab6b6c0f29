"""Every error answers ``{"error": {"status": int, "message": str, ...}}``."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from api.app import GraphNotConfigured, create_app
from api.settings import Settings


def assert_error_shape(response: httpx.Response, status: int) -> dict[str, object]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert set(body) == {"error"}
    error: dict[str, object] = body["error"]
    assert error["status"] == status
    assert isinstance(error["message"], str) and error["message"]
    return error


def test_unknown_route_404(client: TestClient) -> None:
    error = assert_error_shape(client.get("/no/such/page"), 404)
    assert "/no/such/page" in str(error["message"])


def test_method_not_allowed_405(client: TestClient) -> None:
    assert_error_shape(client.delete("/api/v1/graph"), 405)


def test_validation_error_422(client: TestClient) -> None:
    error = assert_error_shape(client.get("/api/v1/graph", params={"format": "xml"}), 422)
    assert "format" in str(error["message"])
    assert isinstance(error["details"], list)


def test_bad_sparql_400(client: TestClient) -> None:
    error = assert_error_shape(client.get("/sparql", params={"query": "SELECT ?x {"}), 400)
    assert "malformed query" in str(error["message"])


def test_refused_sparql_403(client: TestClient) -> None:
    assert_error_shape(client.get("/sparql", params={"update": "CLEAR ALL"}), 403)


def test_not_acceptable_406(client: TestClient) -> None:
    assert_error_shape(client.get("/api/v1/graph", headers={"accept": "image/png"}), 406)


def test_unsupported_media_type_415(client: TestClient) -> None:
    response = client.post("/sparql", content=b"ASK {}", headers={"content-type": "text/plain"})
    assert_error_shape(response, 415)


def test_unhandled_exception_500_without_internals(tmp_path: Path) -> None:
    app = create_app(Settings(graph_path=None, cache_dir=tmp_path))

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("secret internal detail")

    response = TestClient(app, raise_server_exceptions=False).get("/boom")
    error = assert_error_shape(response, 500)
    assert "secret" not in response.text and "Traceback" not in response.text
    assert error["message"] == "internal server error"


def test_store_not_loaded_503(tmp_path: Path) -> None:
    # Without the lifespan running, nothing is loaded.
    app = create_app(Settings(graph_path=None, cache_dir=tmp_path))
    assert_error_shape(TestClient(app).get("/healthz"), 503)


def test_missing_graph_file_fails_startup_clearly(tmp_path: Path) -> None:
    app = create_app(Settings(graph_path=tmp_path / "absent.ttl", cache_dir=tmp_path))
    with pytest.raises(GraphNotConfigured, match=r"absent\.ttl: no such file"), TestClient(app):
        pass
