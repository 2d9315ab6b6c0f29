"""End to end: the real ``kg serve`` process on the bundled corpus, queried over HTTP."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    cache = tmp_path_factory.mktemp("cache")
    env = {**os.environ, "KG_CACHE_DIR": str(cache)}
    env.pop("KG_GRAPH_PATH", None)
    log = (cache / "server.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "kg.cli", "serve", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_ready(base, process, cache / "server.log")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def wait_until_ready(base: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"kg serve exited with {process.returncode}:\n{log.read_text()}")
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    pytest.fail(f"kg serve was not ready within 180 s:\n{log.read_text()}")


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
