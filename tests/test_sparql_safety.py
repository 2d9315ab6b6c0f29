"""The endpoint cannot be made to fetch URLs, write, or hog the server.

A real socket listener on 127.0.0.1 records every connection, so "refused"
means nothing reached it. Runaway queries run against a 1-second limit and
must be stopped, their worker process gone, while other lookups carry on.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from kg.sparql import QueryRefused, UpdateRefused, check_query, code_words

AppClientFactory = Callable[..., AbstractContextManager[TestClient]]

# Six triple patterns over every triple of the test graph: ~34^6 rows to count.
CROSS_JOIN = (
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . "
    "?j ?k ?l . ?m ?n1 ?o . ?p ?q ?r }"
)


class Listener:
    """A TCP server on 127.0.0.1 that counts the connections it accepts."""

    def __init__(self) -> None:
        self._socket = socket.socket()
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen(16)
        self.port: int = self._socket.getsockname()[1]
        self.connections = 0
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self._socket.accept()
            except OSError:
                return
            self.connections += 1
            connection.close()

    def close(self) -> None:
        self._socket.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.close()


def sparql(client: TestClient, query: str, **headers: str) -> httpx.Response:
    return client.get("/sparql", params={"query": query}, headers=headers)


def assert_error(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    error: dict[str, Any] = response.json()["error"]
    assert error["status"] == status
    assert error["message"]
    return error


# Remote fetching ------------------------------------------------------------


@pytest.mark.parametrize(
    "template",
    [
        "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        "select * where {{ service silent <{url}> {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ ?s ?p ?o .SERVICE <{url}> {{ ?a ?b ?c }} }}",
        "SELECT * WHERE {{ SERVICE<{url}>{{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ BIND(<{url}> AS ?u) SERVICE ?u {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ # a comment\n SERVICE <{url}> {{ ?s ?p ?o }} }}",
        "PREFIX svc: <{url}>\nSELECT * WHERE {{ SERVICE svc: {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}",
    ],
)
def test_service_is_refused_before_any_connection(
    client: TestClient, listener: Listener, template: str
) -> None:
    url = f"http://127.0.0.1:{listener.port}/sparql"
    error = assert_error(sparql(client, template.format(url=url)), 403)
    assert "SERVICE" in error["message"]
    time.sleep(0.2)
    assert listener.connections == 0


def test_from_names_a_local_graph_and_fetches_nothing(
    client: TestClient, listener: Listener
) -> None:
    url = f"http://127.0.0.1:{listener.port}/graph"
    query = f"SELECT * FROM <{url}> FROM NAMED <{url}> WHERE {{ ?s ?p ?o }}"
    response = sparql(client, query)
    assert response.status_code == 200, response.text
    assert response.json()["results"]["bindings"] == []
    time.sleep(0.2)
    assert listener.connections == 0


def test_the_listener_does_count_connections(listener: Listener) -> None:
    socket.create_connection(("127.0.0.1", listener.port)).close()
    deadline = time.monotonic() + 2
    while listener.connections == 0 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert listener.connections == 1


@pytest.mark.parametrize(
    "query",
    [
        'SELECT ("SERVICE <http://example.org/>" AS ?x) {}',
        "SELECT ('''SERVICE\n<http://example.org/>''' AS ?x) {}",
        "SELECT * WHERE { ?s <http://example.org/SERVICE> ?o }",
        "PREFIX ex: <http://example.org/>\nSELECT * WHERE { ?s ex:service ?service }",
        "SELECT * WHERE { ?s ?p ?o } # SERVICE <http://example.org/>",
        "SELECT * WHERE { ?s ?p ?o FILTER(?o < 3 || ?o > 5) }",
    ],
)
def test_service_inside_strings_iris_names_and_comments_is_fine(
    client: TestClient, query: str
) -> None:
    assert sparql(client, query).status_code == 200


def test_code_words_skip_strings_iris_comments_and_variables() -> None:
    text = 'PREFIX a: <http://x/SERVICE> SELECT ?service { ?s a:b "SERVICE" } # SERVICE'
    assert list(code_words(text)) == ["PREFIX", "A:", "SELECT", "A:B"]


def test_check_query_reads_escapes_both_ways() -> None:
    # Oxigraph reads \u0022 inside a string as a quote character, not as the string's end.
    check_query('SELECT ("\\u0022" AS ?x) {}')
    with pytest.raises(QueryRefused):
        check_query('SELECT * { ?s ?p "\\u0022" . SERVICE <http://x/> { ?a ?b ?c } }')


# Updates --------------------------------------------------------------------


@pytest.mark.parametrize(
    "update",
    [
        "INSERT DATA { <http://x/s> <http://x/p> 1 }",
        "PREFIX ex: <http://x/>\nDELETE WHERE { ?s ?p ?o }",
        "LOAD <http://127.0.0.1:9/data.ttl>",
        "CLEAR ALL",
        "DROP GRAPH <http://x/g>",
        "BASE <http://x/> CREATE GRAPH <g>",
        "ADD DEFAULT TO <http://x/g>",
        "MOVE DEFAULT TO <http://x/g>",
        "COPY DEFAULT TO <http://x/g>",
        "WITH <http://x/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    ],
)
def test_check_query_refuses_updates(update: str) -> None:
    with pytest.raises(UpdateRefused):
        check_query(update)


def test_updates_are_refused_however_they_are_sent(client: TestClient) -> None:
    update = "INSERT DATA { <http://x/s> <http://x/p> 1 }"
    responses = [
        client.get("/sparql", params={"update": update}),
        client.post("/sparql", data={"update": update}),
        client.post(
            "/sparql",
            content=update.encode(),
            headers={"content-type": "application/sparql-update"},
        ),
        client.get("/sparql", params={"query": update}),
    ]
    for response in responses:
        assert "read-only" in assert_error(response, 403)["message"]
    ask = sparql(client, "ASK { <http://x/s> ?p ?o }")
    assert ask.json()["boolean"] is False


# Time limit, isolation and back-pressure ------------------------------------


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_runaway_query_is_killed_while_lookups_carry_on(app_client: AppClientFactory) -> None:
    with app_client(sparql_timeout_seconds=1.0) as client:
        store = client.app.state.store  # type: ignore[attr-defined]
        pids_before = set(store.worker_pids)
        finished: dict[str, float] = {}
        runaway: dict[str, httpx.Response] = {}

        def run_runaway() -> None:
            runaway["response"] = sparql(client, CROSS_JOIN)
            finished["runaway"] = time.monotonic()

        thread = threading.Thread(target=run_runaway)
        started = time.monotonic()
        thread.start()
        time.sleep(0.2)
        assert client.get("/healthz").status_code == 200
        finished["healthz"] = time.monotonic()
        assert client.get("/api/v1/stats").status_code == 200
        finished["stats"] = time.monotonic()
        ask = sparql(client, "ASK { ?s ?p ?o }")
        finished["ask"] = time.monotonic()
        assert ask.json()["boolean"] is True
        thread.join(30)

        error = assert_error(runaway["response"], 504)
        assert error["timeout_seconds"] == 1.0
        assert "stopped" in error["message"]
        assert finished["runaway"] - started >= 1.0
        for lookup in ("healthz", "stats", "ask"):
            assert finished[lookup] < finished["runaway"], lookup

        killed = pids_before - set(store.worker_pids)
        assert len(killed) == 1
        assert not _pid_alive(killed.pop())

        deadline = time.monotonic() + 30
        while len(store.worker_pids) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(store.worker_pids) == 2
        for _ in range(3):
            assert sparql(client, "ASK {}").json()["boolean"] is True


def test_busy_pool_answers_503(app_client: AppClientFactory) -> None:
    with app_client(
        sparql_workers=1, sparql_timeout_seconds=2.0, sparql_queue_wait_seconds=0.2
    ) as client:
        thread = threading.Thread(target=sparql, args=(client, CROSS_JOIN))
        thread.start()
        time.sleep(0.3)
        response = sparql(client, "ASK {}")
        thread.join(30)
    assert "busy" in assert_error(response, 503)["message"]
    assert response.headers["retry-after"]


def test_row_limit(app_client: AppClientFactory) -> None:
    with app_client(sparql_row_limit=5) as client:
        error = assert_error(sparql(client, "SELECT * WHERE { ?s ?p ?o }"), 400)
        assert error["row_limit"] == 5
        assert "LIMIT" in error["message"]
        assert_error(sparql(client, "CONSTRUCT WHERE { ?s ?p ?o }"), 400)
        limited = sparql(client, "SELECT * WHERE { ?s ?p ?o } LIMIT 5")
        assert len(limited.json()["results"]["bindings"]) == 5
        csv = sparql(client, "SELECT * WHERE { ?s ?p ?o } LIMIT 5", accept="text/csv")
        assert len(csv.text.strip().splitlines()) == 6
