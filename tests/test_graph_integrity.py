"""Never lose or half-serve a graph: builds record what they wrote, loads refuse anything else."""

from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import TEST_REPORTS
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from kg.store import GraphRefused, OxigraphStore, verify_graph
from kg.store.integrity import record_path


def kg(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kg.cli", *args],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
    )


@pytest.fixture
def built(graph_file: Path, tmp_path: Path) -> Path:
    """A copy of the session's built graph, with its record."""
    target = tmp_path / "graph.ttl"
    shutil.copy(graph_file, target)
    shutil.copy(record_path(graph_file), record_path(target))
    return target


def test_a_build_records_its_triples_size_and_checksum(built: Path) -> None:
    record = json.loads(record_path(built).read_text())
    assert record["size"] == built.stat().st_size
    assert record["triples"] > 100 and len(record["sha256"]) == 64
    assert verify_graph(built) is not None


def _refused_by_serve(graph: Path, *fragments: str) -> None:
    result = kg("serve", "--graph", str(graph), "--port", "9")
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    # One error line, perhaps after a warning that the graph has no record; no traceback.
    assert all(line.startswith(("kg: error: ", "kg: warning: ")) for line in lines), lines
    errors = [line for line in lines if line.startswith("kg: error: ")]
    assert len(errors) == 1, result.stderr
    for fragment in fragments:
        assert fragment in errors[0]


def test_a_truncated_graph_is_refused_in_one_line(built: Path) -> None:
    data = built.read_bytes()
    built.write_bytes(data[: len(data) // 2])
    _refused_by_serve(built, "truncated")


def test_a_corrupt_graph_of_the_same_size_is_refused(built: Path) -> None:
    data = bytearray(built.read_bytes())
    data[len(data) // 2] ^= 0x20
    built.write_bytes(bytes(data))
    _refused_by_serve(built, "checksum")


def test_an_empty_graph_is_refused(built: Path) -> None:
    built.write_bytes(b"")
    _refused_by_serve(built, "empty")


def test_a_hand_made_corrupt_graph_is_refused_in_one_line(tmp_path: Path) -> None:
    graph = tmp_path / "hand.nt"
    graph.write_text("<http://a> <http://b> <http://c> .\n<http://a> <http://b> \n")
    _refused_by_serve(graph, "not a valid graph")
    no_triples = tmp_path / "comments.ttl"
    no_triples.write_text("# nothing here\n")
    _refused_by_serve(no_triples, "no triples")


def test_a_hand_made_graph_loads_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    graph = tmp_path / "hand.nt"
    graph.write_text("<http://a> <http://b> <http://c> .\n")
    with caplog.at_level(logging.WARNING), OxigraphStore.load(graph, tmp_path / "store") as store:
        assert len(store) == 1
    assert "no build record" in caplog.text


def test_the_app_refuses_a_damaged_graph_at_startup(built: Path, tmp_path: Path) -> None:
    built.write_bytes(built.read_bytes()[:-10])
    app = create_app(Settings(graph_path=built, cache_dir=tmp_path / "cache"))
    with pytest.raises(GraphRefused, match="truncated"), TestClient(app):
        pass


def test_a_record_that_does_not_match_the_triples_is_refused(built: Path, tmp_path: Path) -> None:
    record = json.loads(record_path(built).read_text())
    record_path(built).write_text(json.dumps({**record, "triples": record["triples"] + 1}))
    with pytest.raises(GraphRefused, match="triples loaded"):
        OxigraphStore.load(built, tmp_path / "store")


def test_a_killed_build_never_leaves_a_partial_graph(tmp_path: Path) -> None:
    """Kill ``kg build`` at several moments: the target is the old graph or the new one."""
    target = tmp_path / "graph.nt"
    first = kg("build", str(TEST_REPORTS), "--out", str(target))
    assert first.returncode == 0, first.stderr
    whole = target.read_bytes()
    command = [sys.executable, "-m", "kg.cli", "build", str(TEST_REPORTS), "--out", str(target)]
    for delay in (0.5, 1.5, 2.5, 3.5):
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        assert target.read_bytes() == whole
        assert verify_graph(target) is not None
    leftovers = [p.name for p in tmp_path.iterdir() if p.name not in {"graph.nt", "graph.nt.json"}]
    # A killed writer may leave its hidden temporary file; never a visible partial graph.
    assert all(name.startswith(".graph.nt") for name in leftovers), leftovers
