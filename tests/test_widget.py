"""The widget's routes in process: the script's headers, CORS for other origins, the /widget page."""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient

from api.routers.widget import DEMO_SENTENCES

OTHER_ORIGIN = "http://127.0.0.1:9999"


def test_widget_js_is_javascript_anyone_may_load(client: TestClient) -> None:
    response = client.get("/widget.js", headers={"Origin": OTHER_ORIGIN})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/javascript; charset=utf-8"
    assert response.headers.get_list("access-control-allow-origin") == ["*"]
    assert "max-age=" in response.headers["cache-control"]
    assert "customElements.define(TAG, PolicyTerm)" in response.text


def test_widget_js_never_parses_server_data_as_markup(client: TestClient) -> None:
    script = client.get("/widget.js").text
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in script, sink


def test_annotate_preflight_from_another_origin_is_allowed(client: TestClient) -> None:
    response = client.options(
        "/api/v1/annotate",
        headers={
            "Origin": OTHER_ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"
    assert "POST" in response.headers["access-control-allow-methods"]
    assert "content-type" in response.headers["access-control-allow-headers"].lower()


def test_annotate_answers_another_origin(client: TestClient) -> None:
    response = client.post(
        "/api/v1/annotate", json={"text": "坚持“六稳”。"}, headers={"Origin": OTHER_ORIGIN}
    )
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"
    assert [span["id"] for span in response.json()["spans"]] == ["liu-wen"]


def test_widget_page_may_run_only_this_servers_scripts(client: TestClient) -> None:
    response = client.get("/widget")
    assert response.status_code == 200
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "connect-src 'self'" in policy
    assert "'unsafe-inline'" not in policy
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", response.text, re.S)
    assert scripts == [(' src="http://testserver/widget.js" defer', "")]


def test_other_pages_keep_their_script_free_policy(client: TestClient) -> None:
    policy = client.get("/").headers["content-security-policy"]
    assert "script-src" not in policy


def test_widget_page_shows_the_snippet_and_a_demo_of_corpus_text(client: TestClient) -> None:
    page = client.get("/widget").text
    found = re.search(r'<code id="widget-snippet">(.*?)</code>', page, re.S)
    assert found is not None
    snippet = html.unescape(found.group(1))
    assert snippet.startswith('<script src="http://testserver/widget.js" defer></script>')
    assert "<policy-term>六个致力</policy-term>" in snippet
    assert 'data-policy-terms data-district="江汉区"' in snippet
    assert "<policy-term>六个致力</policy-term>" in page
    for sentence in DEMO_SENTENCES:
        assert f"<p>{sentence}</p>" in page
