"""The embedded store: the built graph in an on-disk Oxigraph database, opened read-only.

:meth:`OxigraphStore.load` bulk-loads an RDF file (the build's output) straight
into a fresh database directory; the web process then opens it read-only for
its trusted queries, and a :class:`~kg.store.workers.QueryPool` of worker
processes opens the same directory for user SPARQL, each query under a hard
time limit. :func:`write_rdf` is the build's serializer: the same engine writes
the build's file and the service's dumps, so the two agree literal for literal.

:func:`open_snapshot` is how the service opens a graph file: the database is
loaded once into a *snapshot* directory beside the file (``graph.nt.store``)
and stamped with the graph's key (:func:`kg.store.integrity.graph_key`, the
build's SHA-256); every later start, and every worker process, opens it
read-only without parsing anything. A snapshot whose stamp does not match
the graph, or that does not open, is rebuilt with a one-line warning.

Layout of a store directory::

    <directory>/oxigraph/       the Oxigraph (RocksDB) database
    <directory>/dumps/          whole-graph dumps, written on first request
    <directory>/snapshot.json   a snapshot's stamp: the graph's key, triples, engine version
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import logging
import os
import re
import shutil
import tempfile
import threading
from pathlib import Path
from typing import IO, Any

import pyoxigraph
from pyoxigraph import DefaultGraph, QuerySolutions, Store
from rdflib import Graph

from kg.errors import KGError
from kg.formats import N_QUADS, N_TRIPLES, RDF_XML, RdfFormat, rdf_format_for_path
from kg.sparql.errors import QueryFailed
from kg.sparql.request import QueryLimits, QueryRequest, QueryResult
from kg.store.describe import describe_query
from kg.store.integrity import (
    GraphRecord,
    HashingWriter,
    check_count,
    check_file,
    graph_key,
    read_record,
    write_record,
)
from kg.store.oxigraph_query import oxigraph_format, serialize_triples
from kg.store.workers import QueryPool
from kg.vocab import PREFIXES, prologue

__all__ = ["OxigraphStore", "StoreError", "open_snapshot", "snapshot_directory", "write_rdf"]

logger = logging.getLogger(__name__)
_STAMP = "snapshot.json"


class StoreError(KGError):
    """The store cannot be built or opened."""


def write_rdf(ntriples: bytes, target: Path, rdf_format: RdfFormat) -> int:
    """Write N-Triples ``ntriples`` to ``target`` in ``rdf_format``; the number of triples.

    Literals come out in their canonical form (``"1.0"^^xsd:decimal`` is
    written ``1``), the form every store answer uses. The file is written
    next to ``target``, flushed to disk and renamed into place, so a reader
    never sees half a file; its record (triple count, size, SHA-256; see
    :mod:`kg.store.integrity`) is written beside it the same way, so a load
    can tell the file is the one written. N-Triples and N-Quads come out the
    same, byte for byte, from the same graph (see :func:`_canonical_lines`).
    """
    store = Store()
    store.bulk_load(ntriples, format=oxigraph_format(N_TRIPLES.media_type))
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, partial = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(handle, "wb") as output:
            hashing = HashingWriter(output)
            if rdf_format in (N_TRIPLES, N_QUADS):
                buffer = io.BytesIO()
                _dump(store, buffer, rdf_format)
                hashing.write(_canonical_lines(buffer.getvalue()))
            else:
                _dump(store, hashing, rdf_format)  # type: ignore[arg-type]
            output.flush()
            os.fsync(output.fileno())
        record = GraphRecord(len(store), hashing.size, hashing.sha256)
        os.replace(partial, target)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
    write_record(target, record)
    _fsync_directory(target.parent)
    return len(store)


_BLANK = re.compile(rb"_:[A-Za-z0-9]+")
_FIRST = b"<http://www.w3.org/1999/02/22-rdf-syntax-ns#first>"


def _canonical_lines(data: bytes) -> bytes:
    """Line-based RDF in a stable form: blank nodes named after what they hold, lines sorted.

    The store names blank nodes at random as it loads them. The only blank
    nodes the builder makes are list cells, each holding one member
    (``rdf:first``), so a cell is named from a hash of its member; lines are
    then sorted, so two builds of one corpus write identical files.
    """
    lines = data.splitlines()
    names: dict[bytes, bytes] = {}
    for line in lines:
        if line.startswith(b"_:"):
            label, predicate, rest = line.split(b" ", 2)
            if predicate == _FIRST:
                digest = hashlib.sha1(rest).hexdigest()[:16].encode()
                names[label] = b"_:cell" + digest
    renamed = (_BLANK.sub(lambda m: names.get(m.group(), m.group()), line) for line in lines)
    return b"".join(line + b"\n" for line in sorted(renamed))


def _fsync_directory(directory: Path) -> None:
    """Make the renames in ``directory`` durable."""
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _dump(store: Store, output: IO[bytes], rdf_format: RdfFormat) -> None:
    """The whole dataset in a dataset format; else the default graph."""
    ox_format = oxigraph_format(rdf_format.media_type)
    if rdf_format.dataset:
        store.dump(output, format=ox_format, prefixes=dict(PREFIXES))
    elif rdf_format is RDF_XML:
        triples = [
            quad.triple for quad in store.quads_for_pattern(None, None, None, DefaultGraph())
        ]
        output.write(serialize_triples(triples, RDF_XML.media_type))
    else:
        store.dump(output, format=ox_format, prefixes=dict(PREFIXES), from_graph=DefaultGraph())


def _one_line(error: Exception) -> str:
    return " ".join(str(error).split())


def _rdf_format(source: Path) -> RdfFormat:
    rdf_format = rdf_format_for_path(source)
    if rdf_format is None:
        raise StoreError(f"{source}: unknown RDF file extension {source.suffix!r}")
    return rdf_format


def _bulk_load(source: Path, record: GraphRecord | None, directory: Path) -> int:
    """Load ``source`` into a database under ``directory``; the triples, checked against ``record``.

    On any failure ``directory`` is removed.
    """
    rdf_format = _rdf_format(source)
    directory.mkdir(parents=True, exist_ok=True)
    try:
        writer = Store(str(directory / "oxigraph"))
        try:
            writer.bulk_load(path=str(source), format=oxigraph_format(rdf_format.media_type))
        except (SyntaxError, ValueError, OSError) as error:
            raise StoreError(f"{source}: cannot load the graph: {_one_line(error)}") from error
        writer.flush()
        loaded = len(writer)
        # The writer must be closed before any read-only instance opens the database.
        del writer
        check_count(source, record, loaded)
    except BaseException:
        shutil.rmtree(directory, ignore_errors=True)
        raise
    return loaded


def snapshot_directory(source: Path, spare: Path | None = None) -> Path:
    """Where the snapshot of ``source`` lives: ``graph.nt.store`` beside it.

    When the graph's folder cannot be written, under ``spare`` instead (named
    after the graph's absolute path, so two graphs never share one).
    """
    beside = source.with_name(source.name + ".store")
    if spare is None or os.access(source.parent, os.W_OK):
        return beside
    where = hashlib.sha256(str(source.resolve()).encode()).hexdigest()[:16]
    return spare / f"{source.name}-{where}.store"


def _graph_stat(source: Path) -> list[int]:
    """What changes when a file is rewritten: size, modification time, inode."""
    status = source.stat()
    return [status.st_size, status.st_mtime_ns, status.st_ino]


def _read_stamp(directory: Path) -> dict[str, Any] | None:
    try:
        values = json.loads((directory / _STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return values if isinstance(values, dict) else None


def _checked(
    source: Path, stamp: dict[str, Any] | None
) -> tuple[GraphRecord | None, str, list[int]]:
    """The graph's record, key and file status, the graph refused if damaged.

    The file is hashed (:func:`~kg.store.integrity.check_file`) unless it is
    the very file the snapshot was stamped from: same size, modification
    time and inode, and a record that still names the same checksum.
    """
    status = _graph_stat(source)
    if stamp is not None and stamp.get("graph_file") == status:
        record = read_record(source)
        key = stamp.get("graph_sha256")
        if record is None or (record.sha256 == key and record.size == status[0]):
            return record, str(key), status
    record = check_file(source)
    return record, graph_key(source, record), status


def _why_stale(directory: Path, stamp: dict[str, Any] | None, key: str) -> str | None:
    """None if ``stamp`` is that of a whole snapshot of the graph ``key`` names; else why not."""
    if stamp is None:
        return "no readable stamp (an interrupted write?)" if directory.exists() else "none yet"
    if stamp.get("graph_sha256") != key:
        return "made from another version of the graph"
    if stamp.get("pyoxigraph") != pyoxigraph.__version__:
        return f"written by pyoxigraph {stamp.get('pyoxigraph')}"
    if not isinstance(stamp.get("triples"), int):
        return "no triple count in its stamp"
    return None


def _write_snapshot(
    source: Path, record: GraphRecord | None, stamp: dict[str, Any], target: Path
) -> dict[str, Any]:
    """Load ``source`` into a hidden directory beside ``target``, stamp it, swap it into place."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}."))
    stamp = {**stamp, "triples": _bulk_load(source, record, fresh)}
    (fresh / _STAMP).write_text(json.dumps(stamp), encoding="utf-8")
    old = fresh.with_name(fresh.name + ".old")
    with contextlib.suppress(FileNotFoundError):
        os.rename(target, old)
    try:
        os.rename(fresh, target)
    except OSError:
        # Another process put its own snapshot in place meanwhile; keep that one.
        shutil.rmtree(fresh, ignore_errors=True)
    shutil.rmtree(old, ignore_errors=True)
    _fsync_directory(target.parent)
    return _read_stamp(target) or stamp


def open_snapshot(
    source: Path, limits: QueryLimits | None = None, *, spare: Path | None = None
) -> OxigraphStore:
    """The store of the graph file ``source``, from its snapshot (written first if needed).

    ``source`` is checked against its build record first (size and
    checksum, :func:`~kg.store.integrity.check_file`; the checksum is
    skipped for the very file the snapshot was stamped from), so a damaged
    graph is refused even when a snapshot of it exists. A missing snapshot
    is written (one bulk load, the only parse of the graph); one that is
    stale, half-written or does not open is rebuilt with a one-line warning.
    Nothing at open time grows with the graph: the triple count comes from
    the stamp. ``spare``: where snapshots go when the graph's folder is
    read-only (see :func:`snapshot_directory`).
    """
    _rdf_format(source)
    directory = snapshot_directory(source, spare)
    stamp = _read_stamp(directory)
    record, key, status = _checked(source, stamp)
    why = _why_stale(directory, stamp, key)
    if why is None and stamp is not None:
        try:
            return OxigraphStore(directory, limits, triples=int(stamp["triples"]))
        except StoreError as error:
            why = f"it does not open ({_one_line(error)})"
    if directory.exists():
        logger.warning("%s: rebuilding the store snapshot: %s", directory, why)
    fresh = {"graph_sha256": key, "graph_file": status, "pyoxigraph": pyoxigraph.__version__}
    stamp = _write_snapshot(source, record, fresh, directory)
    if _why_stale(directory, stamp, key) is not None:
        raise StoreError(f"{directory}: the store snapshot was replaced while it was written")
    return OxigraphStore(directory, limits, triples=int(stamp["triples"]))


class OxigraphStore:
    """A :class:`~kg.store.GraphStore` on an Oxigraph database directory, read-only."""

    def __init__(
        self, directory: Path, limits: QueryLimits | None = None, *, triples: int | None = None
    ) -> None:
        """Open the database of ``directory``; with ``limits``, start the query workers.

        ``triples``: the size of the graph when known (a snapshot's stamp), so
        that ``len()`` does not count the database.
        """
        self.directory = directory
        self._triples = triples
        self._limits = limits or QueryLimits()
        try:
            self._store = Store.read_only(str(self.database_path))
        except OSError as error:
            raise StoreError(f"{directory}: cannot open the store: {error}") from error
        self._dump_lock = threading.Lock()
        self._pool: QueryPool | None = None
        if limits is not None:
            self._pool = QueryPool(self.database_path, limits)
            self._pool.start()

    @classmethod
    def load(
        cls, source: Path, directory: Path, limits: QueryLimits | None = None
    ) -> OxigraphStore:
        """Bulk-load the RDF file ``source`` into the fresh directory ``directory``, then open it.

        The format comes from the file's suffix; N-Quads and TriG keep their named graphs.
        A file that is empty, does not parse, or is not what its build recorded is refused
        (:class:`~kg.store.integrity.GraphRefused`) before anything is served.
        """
        _rdf_format(source)
        record = check_file(source)
        if directory.exists() and any(directory.iterdir()):
            raise StoreError(f"{directory}: not empty; a store is loaded into a fresh directory")
        _bulk_load(source, record, directory)
        return cls(directory, limits)

    @classmethod
    def from_graph(cls, graph: Graph, directory: Path) -> OxigraphStore:
        """A store (without query workers) holding an rdflib graph: for tests and benchmarks."""
        directory.mkdir(parents=True, exist_ok=True)
        source = directory / "source.nt"
        graph.serialize(source, format="nt", encoding="utf-8")
        return cls.load(source, directory / "store")

    @property
    def database_path(self) -> Path:
        """The Oxigraph database directory, which worker processes open too."""
        return self.directory / "oxigraph"

    @property
    def limits(self) -> QueryLimits:
        return self._limits

    @property
    def worker_pids(self) -> list[int]:
        """The process ids of the live query workers."""
        return self._pool.pids if self._pool is not None else []

    def __len__(self) -> int:
        if self._triples is None:
            self._triples = len(self._store)
        return self._triples

    def query(self, request: QueryRequest) -> QueryResult:
        if self._pool is None:
            raise QueryFailed("this store was opened without query workers")
        return self._pool.run(request)

    async def query_async(self, request: QueryRequest) -> QueryResult:
        if self._pool is None:
            raise QueryFailed("this store was opened without query workers")
        return await self._pool.run_async(request)

    def select(self, query: str) -> list[dict[str, str]]:
        results = self._store.query(prologue() + query, use_default_graph_as_union=True)
        if not isinstance(results, QuerySolutions):
            raise StoreError("select() needs a SELECT query")
        names = [variable.value for variable in results.variables]
        rows: list[dict[str, str]] = []
        for solution in results:
            row: dict[str, str] = {}
            for index, name in enumerate(names):
                value = solution[index]
                if value is not None:
                    row[name] = value.value
            rows.append(row)
        return rows

    def describe(self, iri: str) -> bytes:
        query = describe_query(iri)
        if query is None:
            return b""
        triples = self._store.query(query, use_default_graph_as_union=True)
        return b"".join(f"{triple} .\n".encode() for triple in triples)  # type: ignore[union-attr]

    def dump(self, rdf_format: RdfFormat) -> Path:
        path = self.directory / "dumps" / f"graph{rdf_format.suffix}"
        with self._dump_lock:
            if not path.exists():
                self._write_dump(path, rdf_format)
        return path

    def _write_dump(self, path: Path, rdf_format: RdfFormat) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, partial = tempfile.mkstemp(dir=path.parent, suffix=".partial")
        with os.fdopen(handle, "wb") as output:
            _dump(self._store, output, rdf_format)
        os.replace(partial, path)

    def check(self, timeout: float = 2.0) -> None:
        """The embedded database is always there once opened."""

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool = None

    def __enter__(self) -> OxigraphStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
