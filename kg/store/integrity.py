"""What a build wrote, recorded next to the graph, so a damaged graph is never served.

:func:`write_record` writes ``graph.nt.json`` beside ``graph.nt``: the triple
count, the file's size and its SHA-256. :func:`check_file` compares a graph
file with its record before anything loads it, and :func:`check_count`
compares the triples a store loaded with it: a truncated, emptied, edited or
half-renamed graph fails one of them with :class:`GraphRefused`, a one-line
message. A graph without a record (made by hand, or by another tool) is
loaded with a warning, and only refused if it holds no triple at all.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO

from pyoxigraph import RdfFormat, parse

from kg.errors import KGError
from kg.formats import rdf_format_for_path

__all__ = [
    "GraphRecord",
    "GraphRefused",
    "HashingWriter",
    "check_count",
    "check_file",
    "file_sha256",
    "graph_key",
    "read_record",
    "record_path",
    "verify_graph",
    "write_record",
]

logger = logging.getLogger(__name__)
_CHUNK = 1 << 20


class GraphRefused(KGError):
    """The graph file is not the one its build wrote, or holds nothing."""


@dataclass(frozen=True)
class GraphRecord:
    """What a build wrote: ``triples`` (quads, for a dataset), ``size`` bytes, ``sha256``."""

    triples: int
    size: int
    sha256: str


class HashingWriter:
    """A binary file wrapper that hashes and counts what passes through it."""

    def __init__(self, output: IO[bytes]) -> None:
        self._output = output
        self._digest = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> int:
        self._digest.update(data)
        self.size += len(data)
        return self._output.write(data)

    def flush(self) -> None:
        self._output.flush()

    @property
    def sha256(self) -> str:
        return self._digest.hexdigest()


def record_path(graph: Path) -> Path:
    """Where the record of ``graph`` lives: ``graph.nt`` → ``graph.nt.json``."""
    return graph.with_name(graph.name + ".json")


def write_record(graph: Path, record: GraphRecord) -> Path:
    """Write the record of ``graph`` atomically (temporary file, fsync, rename)."""
    target = record_path(graph)
    handle, partial = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as output:
            json.dump(asdict(record), output)
            output.flush()
            os.fsync(output.fileno())
        os.replace(partial, target)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
    return target


def read_record(graph: Path) -> GraphRecord | None:
    """The record of ``graph`` as written, or None; an unreadable one is refused."""
    path = record_path(graph)
    if not path.is_file():
        return None
    try:
        values = json.loads(path.read_text(encoding="utf-8"))
        return GraphRecord(int(values["triples"]), int(values["size"]), str(values["sha256"]))
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise GraphRefused(f"{path}: unreadable build record ({error}); rebuild") from None


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes, in hex."""
    digest = hashlib.sha256()
    with path.open("rb") as source:
        while chunk := source.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def check_file(graph: Path) -> GraphRecord | None:
    """Refuse ``graph`` unless it is whole; its record, or None when it has none (warned)."""
    if not graph.is_file():
        raise GraphRefused(f"{graph}: no such graph file")
    size = graph.stat().st_size
    if size == 0:
        raise GraphRefused(f"{graph}: the graph file is empty; rebuild it with `kg build`")
    record = read_record(graph)
    if record is None:
        logger.warning("%s: no build record (%s); it cannot be checked", graph, record_path(graph))
        return None
    if size != record.size:
        raise GraphRefused(
            f"{graph}: {size} bytes, but its build wrote {record.size}: "
            "truncated or replaced; rebuild it with `kg build`"
        )
    if file_sha256(graph) != record.sha256:
        raise GraphRefused(
            f"{graph}: its checksum differs from the one its build recorded: "
            "corrupt or edited; rebuild it with `kg build`"
        )
    return record


def graph_key(graph: Path, record: GraphRecord | None) -> str:
    """What names this version of ``graph``: its build's SHA-256, or the file's own.

    A snapshot of the graph (:func:`kg.store.oxigraph.open_snapshot`) carries
    it, so a graph rebuilt, edited or replaced never serves an older snapshot.
    """
    return record.sha256 if record is not None else file_sha256(graph)


def check_count(graph: Path, record: GraphRecord | None, loaded: int) -> None:
    """Refuse a load of ``graph`` that gave no triples, or not as many as its build wrote."""
    if loaded == 0:
        raise GraphRefused(f"{graph}: the graph holds no triples")
    if record is not None and loaded != record.triples:
        raise GraphRefused(
            f"{graph}: {loaded} triples loaded, but its build wrote {record.triples}; "
            "rebuild it with `kg build`"
        )


def verify_graph(graph: Path) -> GraphRecord | None:
    """Refuse a damaged ``graph`` before a server starts on it.

    With a record, the size and checksum settle it. Without one, the file
    is parsed (without building a store) and must hold at least one triple.
    """
    record = check_file(graph)
    if record is not None:
        return record
    rdf_format = rdf_format_for_path(graph)
    found = RdfFormat.from_media_type(rdf_format.media_type) if rdf_format else None
    if found is None:
        raise GraphRefused(f"{graph}: unknown RDF file extension {graph.suffix!r}")
    try:
        count = sum(1 for _ in parse(path=str(graph), format=found))
    except (SyntaxError, ValueError, OSError) as error:
        raise GraphRefused(f"{graph}: not a valid graph: {' '.join(str(error).split())}") from None
    check_count(graph, None, count)
    return None
