"""Headers every response carries: nosniff, CSP with frame-ancestors, CORS as documented,
and links built from the configured base URL whatever ``Host`` the client sends."""

from __future__ import annotations

import base64
import hashlib
import re

import pytest
from fastapi.testclient import TestClient

OTHER_ORIGIN = "http://127.0.0.2:9999"
EVIL = {"Host": "evil.example"}


@pytest.mark.parametrize(
    "path",
    [
        "/healthz",
        "/api/v1/terms",
        "/widget.js",
        "/term/liu-wen",
        "/term/liu-wen.ttl",
        "/no/such/page",
        "/docs",
        "/sparql?query=ASK%7B%7D",
    ],
)
def test_every_response_says_nosniff(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("path", ["/", "/term/liu-wen", "/search", "/sparql", "/widget", "/docs"])
def test_every_html_page_forbids_framing(client: TestClient, path: str) -> None:
    response = client.get(path, headers={"Accept": "text/html"})
    assert response.headers["content-type"].startswith("text/html"), path
    policy = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy, path


def test_docs_policy_allows_exactly_its_inline_script(client: TestClient) -> None:
    for path in ("/docs", "/redoc"):
        response = client.get(path)
        policy = response.headers["content-security-policy"]
        assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
        for script in re.findall(r"<script>(.*?)</script>", response.text, re.DOTALL):
            digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
            assert f"'sha256-{digest}'" in policy


def test_the_widget_script_stays_embeddable(client: TestClient) -> None:
    response = client.get("/widget.js", headers={"Origin": OTHER_ORIGIN})
    assert response.headers["access-control-allow-origin"] == "*"
    assert response.headers["content-type"].startswith("text/javascript")
    assert "content-security-policy" not in response.headers


def test_cors_allows_get_everywhere(client: TestClient) -> None:
    response = client.get("/api/v1/terms", headers={"Origin": OTHER_ORIGIN})
    assert response.headers["access-control-allow-origin"] in {"*", OTHER_ORIGIN}


def test_cors_allows_post_only_to_annotate(client: TestClient) -> None:
    preflight = {
        "Origin": OTHER_ORIGIN,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type",
    }
    assert client.options("/api/v1/annotate", headers=preflight).status_code == 200
    refused = client.options("/sparql", headers=preflight)
    assert "POST" not in refused.headers.get("access-control-allow-methods", "")
    assert refused.status_code == 400
    posted = client.post(
        "/sparql",
        data={"query": "ASK {}"},
        headers={"Origin": OTHER_ORIGIN, "Accept": "application/sparql-results+json"},
    )
    assert posted.status_code == 200  # answered, but not readable by the other origin
    assert "access-control-allow-origin" not in posted.headers


def test_a_forged_host_never_reaches_a_link(client: TestClient) -> None:
    page = client.get("/api/v1/terms", params={"limit": 1}, headers=EVIL).json()
    assert page["next"].startswith("http://testserver/api/v1/terms?")
    html = client.get("/term/liu-wen", headers={**EVIL, "Accept": "text/html"}).text
    widget = client.get("/widget", headers=EVIL).text
    assert "evil.example" not in html and "evil.example" not in widget
    assert 'src="http://testserver/widget.js"' in widget


@pytest.mark.parametrize("path", ["/api/v1/terms/", "/search/", "/term/liu-wen/"])
def test_a_redirect_uses_the_base_url(client: TestClient, path: str) -> None:
    response = client.get(path, headers=EVIL, follow_redirects=False)
    assert response.status_code == 307
    assert response.headers["location"] == "http://testserver" + path.rstrip("/")
