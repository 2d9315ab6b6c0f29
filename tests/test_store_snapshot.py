"""Store snapshots: written once beside the graph, reopened without parsing, never stale."""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import pytest

from kg.formats import N_TRIPLES
from kg.store import GraphRefused, open_snapshot
from kg.store.integrity import record_path
from kg.store.oxigraph import snapshot_directory, write_rdf

ONE = b"<http://a> <http://b> <http://c> .\n"
TWO = ONE + b"<http://a> <http://b> <http://d> .\n"


@pytest.fixture
def graph(tmp_path: Path) -> Path:
    target = tmp_path / "graph.nt"
    write_rdf(ONE, target, N_TRIPLES)
    return target


def _stamp(graph: Path) -> dict[str, object]:
    stamp = snapshot_directory(graph) / "snapshot.json"
    values: dict[str, object] = json.loads(stamp.read_text(encoding="utf-8"))
    return values


def test_the_first_open_writes_the_snapshot_beside_the_graph(graph: Path) -> None:
    with open_snapshot(graph) as store:
        assert len(store) == 1
        assert store.directory == graph.with_name("graph.nt.store")
    record = json.loads(record_path(graph).read_text())
    assert _stamp(graph)["graph_sha256"] == record["sha256"]
    assert _stamp(graph)["triples"] == 1


def test_a_later_open_reuses_the_snapshot(graph: Path, caplog: pytest.LogCaptureFixture) -> None:
    open_snapshot(graph).close()
    database = snapshot_directory(graph) / "oxigraph"
    inode = database.stat().st_ino
    with caplog.at_level(logging.WARNING), open_snapshot(graph) as store:
        assert len(store) == 1
    assert database.stat().st_ino == inode
    assert "rebuilding" not in caplog.text


def test_a_rebuilt_graph_never_serves_the_old_snapshot(
    graph: Path, caplog: pytest.LogCaptureFixture
) -> None:
    open_snapshot(graph).close()
    write_rdf(TWO, graph, N_TRIPLES)
    with caplog.at_level(logging.WARNING), open_snapshot(graph) as store:
        assert len(store) == 2
    assert "another version of the graph" in caplog.text
    assert _stamp(graph)["triples"] == 2


def test_an_edited_graph_is_refused_even_with_a_snapshot(graph: Path) -> None:
    open_snapshot(graph).close()
    graph.write_bytes(ONE.replace(b"<http://c>", b"<http://x>"))
    with pytest.raises(GraphRefused, match="checksum"):
        open_snapshot(graph)


def test_a_snapshot_without_its_stamp_is_rebuilt(
    graph: Path, caplog: pytest.LogCaptureFixture
) -> None:
    open_snapshot(graph).close()
    (snapshot_directory(graph) / "snapshot.json").unlink()
    with caplog.at_level(logging.WARNING), open_snapshot(graph) as store:
        assert len(store) == 1
    lines = [r.getMessage() for r in caplog.records if "rebuilding" in r.getMessage()]
    assert len(lines) == 1 and "\n" not in lines[0]
    assert "no readable stamp" in lines[0]


def test_a_damaged_database_is_rebuilt(graph: Path, caplog: pytest.LogCaptureFixture) -> None:
    open_snapshot(graph).close()
    database = snapshot_directory(graph) / "oxigraph"
    shutil.rmtree(database)
    database.mkdir()
    (database / "CURRENT").write_text("MANIFEST-999999\n")
    with caplog.at_level(logging.WARNING), open_snapshot(graph) as store:
        assert len(store) == 1
    assert "does not open" in caplog.text


def test_a_graph_without_a_record_is_keyed_by_its_own_checksum(tmp_path: Path) -> None:
    graph = tmp_path / "hand.nt"
    graph.write_bytes(ONE)
    with open_snapshot(graph) as store:
        assert len(store) == 1
    graph.write_bytes(TWO)
    with open_snapshot(graph) as store:
        assert len(store) == 2


def test_a_graph_that_does_not_parse_leaves_no_snapshot(tmp_path: Path) -> None:
    graph = tmp_path / "bad.nt"
    graph.write_bytes(ONE + b"<http://a> <http://b> \n")
    with pytest.raises(Exception, match="cannot load the graph"):
        open_snapshot(graph)
    assert not snapshot_directory(graph).exists()
    assert [p.name for p in tmp_path.iterdir()] == ["bad.nt"]


def test_the_same_graph_written_again_keeps_its_snapshot(
    graph: Path, caplog: pytest.LogCaptureFixture
) -> None:
    open_snapshot(graph).close()
    database = snapshot_directory(graph) / "oxigraph"
    inode = database.stat().st_ino
    write_rdf(ONE, graph, N_TRIPLES)  # a new file, same bytes: checked by checksum again
    with caplog.at_level(logging.WARNING), open_snapshot(graph) as store:
        assert len(store) == 1
    assert database.stat().st_ino == inode
    assert "rebuilding" not in caplog.text
