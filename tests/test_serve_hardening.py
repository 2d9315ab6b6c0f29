"""The real ``kg serve`` under hostile clients: oversized bodies and headers, half-sent
requests, too many connections, and a SIGKILL of the web process (its workers must die
with it). The guards run on both HTTP protocols: httptools (the default) and h11."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import httpx
import pytest
from browser import free_port

LOOPBACK = "127.0.0.1"
LIMITS = {
    "KG_HEADER_TIMEOUT_SECONDS": "1",
    "KG_BODY_TIMEOUT_SECONDS": "1",
    "KG_MAX_CONNECTIONS": "64",
    "KG_SPARQL_WORKERS": "1",
}


@contextmanager
def kg_serve(
    graph: Path, directory: Path, *args: str, **env: str
) -> Iterator[tuple[str, subprocess.Popen[bytes], Path]]:
    """``kg serve --graph`` (and ``args``) on a free loopback port; yields URL, process, log."""
    port = free_port()
    log_path = directory / f"serve-{port}.log"
    environment = {**os.environ, "KG_CACHE_DIR": str(directory / "cache"), **env}
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [
                *(sys.executable, "-m", "kg.cli", "serve", "--graph", str(graph)),
                *("--port", str(port), *args),
            ],
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base = f"http://{LOOPBACK}:{port}"
        try:
            _wait_for_ready_line(process, log_path)
            yield base, process, log_path
        finally:
            if process.poll() is None:
                process.terminate()
                process.wait(timeout=30)


def _wait_for_ready_line(process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if "kg: ready at" in log.read_text(errors="replace"):
            return
        if process.poll() is not None:
            pytest.fail(f"kg serve exited with {process.returncode}:\n{log.read_text()}")
        time.sleep(0.1)
    pytest.fail(f"kg serve printed no ready line:\n{log.read_text()}")


@pytest.fixture(scope="module", params=["default", "h11"])
def server(
    graph_file: Path, tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[str]:
    """``kg serve`` with short limits, on its default protocol (httptools) and on h11."""
    env = dict(LIMITS)
    if request.param != "default":
        env["KG_HTTP_PROTOCOL"] = request.param
    with kg_serve(graph_file, tmp_path_factory.mktemp("hardening"), **env) as (base, _, _):
        yield base


def _connect(base: str) -> socket.socket:
    port = int(base.rsplit(":", 1)[1])
    return socket.create_connection((LOOPBACK, port), timeout=10)


def _read_all(sock: socket.socket, seconds: float) -> bytes:
    sock.settimeout(seconds)
    data = b""
    with suppress(TimeoutError, ConnectionResetError):
        while chunk := sock.recv(65536):
            data += chunk
    return data


def _healthy(base: str, within: float = 2.0) -> bool:
    return httpx.get(f"{base}/healthz", timeout=within).status_code == 200


def test_ready_is_printed_only_once_the_server_answers(server: str) -> None:
    # The fixture returned as soon as the line was printed: the server answers already.
    assert _healthy(server, within=1.0)


def test_an_oversized_body_is_refused_without_100_continue(server: str) -> None:
    with _connect(server) as sock:
        sock.sendall(
            b"POST /api/v1/annotate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: 104857600\r\nExpect: 100-continue\r\n\r\n"
        )
        answer = _read_all(sock, 5)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert b"100 Continue" not in answer


def test_a_small_body_still_gets_100_continue(server: str) -> None:
    body = '{"text": "做好六稳工作"}'.encode()
    with _connect(server) as sock:
        sock.sendall(
            b"POST /api/v1/annotate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: %d\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n" % len(body)
        )
        sock.settimeout(5)
        assert sock.recv(1024).startswith(b"HTTP/1.1 100")
        sock.sendall(body)
        answer = _read_all(sock, 5)
    assert b"HTTP/1.1 200" in answer and "六稳".encode() in answer


def test_half_sent_requests_are_closed_and_the_service_keeps_answering(server: str) -> None:
    sockets = [_connect(server) for _ in range(40)]
    try:
        for sock in sockets:
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        started = time.monotonic()
        assert _healthy(server, within=1.0)
        assert time.monotonic() - started < 1.0
        time.sleep(2.0)  # the header deadline is 1 s
        for sock in sockets:
            answer = _read_all(sock, 3)
            assert answer == b"" or answer.startswith(b"HTTP/1.1 408"), answer[:100]
    finally:
        for sock in sockets:
            sock.close()


def test_headers_not_finished_in_time_get_408(server: str) -> None:
    with _connect(server) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        answer = _read_all(sock, 5)  # the header deadline is 1 s
    assert answer.startswith(b"HTTP/1.1 408"), answer[:100]


def test_a_second_request_on_a_kept_alive_connection_has_its_own_deadline(server: str) -> None:
    with _connect(server) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        sock.settimeout(5)
        first = b""
        while b'"ok"}' not in first:  # the whole first answer, head and body
            first += sock.recv(4096)
        assert first.startswith(b"HTTP/1.1 200")
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        answer = _read_all(sock, 5)
    assert answer.startswith(b"HTTP/1.1 408"), answer[:100]


def _oversized_headers(server: str, in_one_piece: bool) -> bytes:
    filler = b"X-Filler: " + b"a" * 1000 + b"\r\n"
    head = b"GET /healthz HTTP/1.1\r\nHost: x\r\n" + filler * 20
    with _connect(server) as sock:
        sock.sendall(head + b"\r\n" if in_one_piece else head)
        return _read_all(sock, 5)


def test_unfinished_headers_past_16_kib_are_refused(server: str) -> None:
    answer = _oversized_headers(server, in_one_piece=False)
    # httptools: 431 from the guard; h11: 400 from uvicorn's h11_max_incomplete_event_size.
    assert answer.startswith((b"HTTP/1.1 431", b"HTTP/1.1 400")), answer[:100]
    assert _healthy(server)


def test_the_default_protocol_is_httptools_and_bounds_whole_headers(
    graph_file: Path, tmp_path: Path
) -> None:
    # Only the httptools guard answers 431, and h11 bounds only headers still incomplete.
    with kg_serve(graph_file, tmp_path, KG_SPARQL_WORKERS="1") as (base, _, log):
        assert _oversized_headers(base, in_one_piece=True).startswith(b"HTTP/1.1 431")
        assert _oversized_headers(base, in_one_piece=False).startswith(b"HTTP/1.1 431")
        assert _healthy(base)
        assert '"GET /healthz HTTP/1.1" 200' not in log.read_text()  # no access log


def test_the_access_log_is_a_setting(graph_file: Path, tmp_path: Path) -> None:
    env = {"KG_SPARQL_WORKERS": "1", "KG_ACCESS_LOG": "true"}
    with kg_serve(graph_file, tmp_path, **env) as (base, process, log):
        assert _healthy(base)
        process.terminate()
        process.wait(timeout=30)
        assert '"GET /healthz HTTP/1.1" 200' in log.read_text()


def test_a_trickled_body_is_cut_off(server: str) -> None:
    with _connect(server) as sock:
        sock.sendall(
            b"POST /api/v1/annotate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b'Content-Length: 100\r\n\r\n{"text"'
        )
        started = time.monotonic()
        answer = _read_all(sock, 10)
    assert time.monotonic() - started < 5
    assert answer == b"" or b" 408 " in answer.split(b"\r\n")[0], answer[:200]


def test_connections_past_the_cap_get_503_at_once(server: str) -> None:
    held = [_connect(server) for _ in range(70)]
    try:
        time.sleep(0.3)
        answers = [_read_all(sock, 0.2) for sock in held]
        refused = [answer for answer in answers if answer.startswith(b"HTTP/1.1 503")]
        assert refused, "no connection past the cap was refused"
        assert all(b"Retry-After" in answer for answer in refused)
    finally:
        for sock in held:
            sock.close()
    time.sleep(0.3)
    assert _healthy(server)


def descendants(pid: int) -> set[int]:
    """Live processes whose parent chain reaches ``pid`` (zombies count as gone)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with suppress(OSError):
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            if fields[0] != "Z":
                parents[int(entry.name)] = int(fields[1])
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        children = {child for child, parent in parents.items() if parent in frontier}
        frontier = children - found
        found |= children
    return found


def alive(pids: set[int]) -> set[int]:
    alive = set()
    for pid in pids:
        with suppress(OSError):
            state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
            if state != "Z":
                alive.add(pid)
    return alive


def _ask(url: str, query: str) -> None:
    with suppress(httpx.HTTPError):
        httpx.get(url, params={"query": query}, timeout=60)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_sigkill_of_the_web_process_takes_its_workers_along(
    graph_file: Path, tmp_path: Path
) -> None:
    env = {
        "KG_SPARQL_WORKERS": "2",
        "KG_SPARQL_TIMEOUT_SECONDS": "120",
        "KG_SPARQL_WORKER_MEMORY_MB": "0",
    }
    with kg_serve(graph_file, tmp_path, **env) as (base, process, _):
        workers = descendants(process.pid)
        assert len(workers) >= 2, workers
        # Keep one worker busy with a long product, then kill the web process outright.
        query = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
        busy = threading.Thread(target=_ask, args=(f"{base}/sparql", query), daemon=True)
        busy.start()
        time.sleep(1.5)
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
        deadline = time.monotonic() + 10
        while alive(workers) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not alive(workers), f"workers outlived the service: {alive(workers)}"
