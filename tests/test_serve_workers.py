"""The real ``kg serve --workers 2``: two web processes on one port, each with its own store
handle, read model and SPARQL worker, started from one snapshot, replaced when one dies,
stopped together by SIGTERM."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import sys
import time
from collections.abc import Iterator
from contextlib import suppress
from pathlib import Path

import httpx
import pytest
from test_serve_hardening import alive, descendants, kg_serve

from kg.store.integrity import record_path

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")

Served = tuple[str, int, Path]


def _copy(graph: Path, directory: Path) -> Path:
    """A copy of ``graph`` with its record, so that its snapshot is this test's own."""
    target = directory / graph.name
    shutil.copy(graph, target)
    shutil.copy(record_path(graph), record_path(target))
    return target


@pytest.fixture(scope="module")
def two(graph_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    directory = tmp_path_factory.mktemp("workers")
    graph = _copy(graph_file, directory)
    with kg_serve(graph, directory, "--workers", "2", KG_SPARQL_WORKERS="2") as (base, p, log):
        yield base, p.pid, log


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with suppress(OSError):
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) == pid and fields[0] != "Z":
                    found.append(int(entry.name))
    return found


def _web_processes(supervisor: int) -> list[int]:
    """The supervisor's children that run the app: those with SPARQL workers of their own."""
    return sorted(pid for pid in _children(supervisor) if _children(pid))


def _answered_by(base: str, path: str = "/healthz", tries: int = 400) -> set[str]:
    """Which web processes answer requests on fresh connections (stops once both have)."""
    seen: set[str] = set()
    for _ in range(tries):
        with httpx.Client() as client:  # a new connection each time
            answer = client.get(f"{base}{path}", timeout=30)
        assert answer.status_code == 200, answer.text
        seen.add(answer.headers["x-kg-worker"])
        if len(seen) == 2:
            break
    return seen


def test_the_ready_line_names_the_workers(two: Served) -> None:
    _, _, log = two
    assert log.read_text().count("kg: ready at") == 1
    assert "2 workers)" in log.read_text()


def test_both_processes_answer_on_the_one_port(two: Served) -> None:
    base, _, _ = two
    assert _answered_by(base) == {"1", "2"}
    query = "ASK { ?s ?p ?o }"
    assert _answered_by(base, f"/sparql?query={query}") == {"1", "2"}


def test_each_process_has_its_own_sparql_worker(two: Served) -> None:
    _, supervisor, _ = two
    web = _web_processes(supervisor)
    assert len(web) == 2
    # KG_SPARQL_WORKERS=2 is shared out: one SPARQL worker each.
    assert [len(_children(pid)) for pid in web] == [1, 1]


def test_the_snapshot_was_written_once_beside_the_graph(two: Served) -> None:
    _, _, log = two
    graph = next(log.parent.glob("*.ttl"))
    assert (graph.with_name(graph.name + ".store") / "snapshot.json").is_file()
    assert "rebuilding the store snapshot" not in log.read_text()


def test_a_killed_web_process_is_replaced(two: Served) -> None:
    base, supervisor, log = two
    before = _web_processes(supervisor)
    os.kill(before[0], signal.SIGKILL)
    deadline = time.monotonic() + 120
    while "starting another" not in log.read_text() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert "starting another" in log.read_text()
    after: list[int] = []
    while time.monotonic() < deadline:
        after = _web_processes(supervisor)
        if len(after) == 2 and before[0] not in after:
            with suppress(httpx.HTTPError, AssertionError):
                if _answered_by(base, tries=50) == {"1", "2"}:
                    break
        time.sleep(0.5)
    assert len(after) == 2 and before[0] not in after, (before, after)
    assert _answered_by(base) == {"1", "2"}


def test_sigterm_stops_every_process(graph_file: Path, tmp_path: Path) -> None:
    graph = _copy(graph_file, tmp_path)
    with kg_serve(graph, tmp_path, "--workers", "2", KG_SPARQL_WORKERS="2") as (base, p, _):
        family = descendants(p.pid)
        assert len(family) >= 4, family  # two web processes, a SPARQL worker each
        p.send_signal(signal.SIGTERM)
        assert p.wait(timeout=60) == 0
    deadline = time.monotonic() + 10
    while alive(family) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not alive(family), f"outlived the service: {alive(family)}"
    port = int(base.rsplit(":", 1)[1])
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", port), timeout=2):
        pass
