"""The serving store: the built graph in an on-disk Oxigraph database.

rdflib builds and validates the graph; Oxigraph serves it. :func:`build_store`
writes a graph (or an RDF file) once into a directory, bulk-loaded from
N-Triples or N-Quads. :class:`GraphStore` opens that directory read-only for the
web process: triple counts, a few trusted aggregate queries, and whole-graph
dumps in Turtle, N-Triples and JSON-LD, written once to disk and then served as
files. User SPARQL never runs here; :mod:`kg.sparql` runs it in worker
processes that open the same database read-only.

Layout of a store directory::

    <directory>/oxigraph/   the Oxigraph (RocksDB) database
    <directory>/dumps/      whole-graph dumps, written on first request
"""

from __future__ import annotations

import os
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import DefaultGraph, Literal, QuerySolutions, RdfFormat, Store
from rdflib import Graph

__all__ = [
    "DUMP_FORMATS",
    "PREFIXES",
    "DumpFormat",
    "GraphStore",
    "StoreError",
    "build_store",
    "database_path",
]

PREFIXES: dict[str, str] = {
    "kgo": "https://w3id.org/policy-terms/ontology#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
"""Prefixes written into Turtle output and offered to SPARQL users."""


@dataclass(frozen=True)
class DumpFormat:
    """A serialization the whole graph can be downloaded in."""

    name: str
    media_type: str
    extension: str
    rdf_format: RdfFormat


DUMP_FORMATS: dict[str, DumpFormat] = {
    "ttl": DumpFormat("ttl", "text/turtle", "ttl", RdfFormat.TURTLE),
    "nt": DumpFormat("nt", "application/n-triples", "nt", RdfFormat.N_TRIPLES),
    "jsonld": DumpFormat("jsonld", "application/ld+json", "jsonld", RdfFormat.JSON_LD),
}
"""Dump formats by their short name (the ``?format=`` value of the graph API)."""


class StoreError(Exception):
    """The store cannot be built or opened."""


def database_path(directory: Path) -> Path:
    """Where the Oxigraph database of a store directory lives."""
    return directory / "oxigraph"


def build_store(source: Graph | Path, directory: Path) -> Path:
    """Bulk-load ``source`` into a new Oxigraph database under ``directory``.

    ``source`` is an rdflib graph (a context-aware graph keeps its named
    graphs) or the path of an RDF file whose format its extension names.
    ``directory`` must be missing or empty. Returns ``directory``; open it
    with :class:`GraphStore`.
    """
    if directory.exists() and any(directory.iterdir()):
        raise StoreError(f"{directory}: not empty; a store is built into a fresh directory")
    directory.mkdir(parents=True, exist_ok=True)
    store = Store(str(database_path(directory)))
    if isinstance(source, Graph):
        data, rdf_format = _graph_bytes(source)
        store.bulk_load(data, format=rdf_format)
    else:
        store.bulk_load(path=str(source), format=_file_format(source))
    store.flush()
    # The writer must be closed before any read-only instance opens the database.
    del store
    return directory


def _graph_bytes(graph: Graph) -> tuple[bytes, RdfFormat]:
    """The graph as N-Quads when it holds named graphs, else as N-Triples."""
    if graph.context_aware:
        return graph.serialize(format="nquads", encoding="utf-8"), RdfFormat.N_QUADS
    return graph.serialize(format="nt", encoding="utf-8"), RdfFormat.N_TRIPLES


def _file_format(path: Path) -> RdfFormat:
    rdf_format = RdfFormat.from_extension(path.suffix.lstrip("."))
    if rdf_format is None:
        raise StoreError(f"{path}: unknown RDF file extension {path.suffix!r}")
    return rdf_format


class GraphStore:
    """A built store, opened read-only: counts, trusted queries and dumps."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        try:
            self._store = Store.read_only(str(database_path(directory)))
        except OSError as error:
            raise StoreError(f"{directory}: cannot open the store: {error}") from error
        self._dump_lock = threading.Lock()

    @property
    def database_path(self) -> Path:
        """The Oxigraph database directory, for worker processes to open."""
        return database_path(self.directory)

    def __len__(self) -> int:
        """The number of triples, named graphs included."""
        return len(self._store)

    def count(self, query: str) -> int:
        """The integer in the first cell of a trusted ``SELECT (COUNT(…) AS ?n)`` query."""
        results = self._store.query(query, prefixes=PREFIXES)
        if not isinstance(results, QuerySolutions):
            raise StoreError("count() needs a SELECT query")
        for solution in results:
            value = solution[0]
            return int(value.value) if isinstance(value, Literal) else 0
        return 0

    def dump(self, dump_format: DumpFormat) -> Path:
        """The file holding the default graph in ``dump_format``, written on first use."""
        path = self.directory / "dumps" / f"graph.{dump_format.extension}"
        with self._dump_lock:
            if not path.exists():
                self._write_dump(path, dump_format)
        return path

    def _write_dump(self, path: Path, dump_format: DumpFormat) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, partial = tempfile.mkstemp(dir=path.parent, suffix=".partial")
        with os.fdopen(handle, "wb") as output:
            self._store.dump(
                output,
                format=dump_format.rdf_format,
                from_graph=DefaultGraph(),
                prefixes=PREFIXES,
            )
        os.replace(partial, path)
