"""The store interface: everything the serving side reads of the graph goes through it.

A :class:`GraphStore` answers four things, and the service asks nothing else:

- :meth:`~GraphStore.query`: a user's SPARQL, already checked
  (:class:`~kg.sparql.QueryRequest`), run under the store's
  :class:`~kg.sparql.QueryLimits` and answered serialized;
- :meth:`~GraphStore.select`: a trusted query of the service's own (building
  the read model), answered as rows of plain strings;
- :meth:`~GraphStore.describe`: one resource and the nodes it owns, as N-Triples;
- :meth:`~GraphStore.dump`: the whole graph in a format, as a file to stream;

plus its size (``len``), :meth:`~GraphStore.check` (is it answering?) and
:meth:`~GraphStore.close`. :class:`OxigraphStore` is the embedded
implementation, :class:`RemoteStore` the one on a shared SPARQL 1.1 server;
nothing outside :mod:`kg.store` knows which engine answers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from kg.formats import RdfFormat
from kg.sparql.request import QueryLimits, QueryRequest, QueryResult
from kg.store.integrity import GraphRefused, verify_graph
from kg.store.oxigraph import OxigraphStore, StoreError, open_snapshot
from kg.store.remote import RemoteStore

__all__ = [
    "GraphRefused",
    "GraphStore",
    "OxigraphStore",
    "RemoteStore",
    "Row",
    "StoreError",
    "open_snapshot",
    "verify_graph",
]

Row = dict[str, str]
"""One solution of a trusted query: variable name → the lexical form of its value
(an IRI's text, a literal's lexical form). Unbound variables are absent."""


class GraphStore(Protocol):
    """A read-only graph the service serves (see the module docstring)."""

    @property
    def limits(self) -> QueryLimits:
        """The limits every user query runs under."""
        ...

    def __len__(self) -> int:
        """The number of triples, named graphs included."""
        ...

    def query(self, request: QueryRequest) -> QueryResult:
        """Answer a checked user query; blocks, so call it from a thread."""
        ...

    async def query_async(self, request: QueryRequest) -> QueryResult:
        """Answer a checked user query on the running event loop, without blocking it."""
        ...

    def select(self, query: str) -> list[Row]:
        """Rows of a trusted ``SELECT`` over the union of all graphs."""
        ...

    def describe(self, iri: str) -> bytes:
        """N-Triples of ``iri``'s triples and of the nodes it owns; empty if unknown."""
        ...

    def dump(self, rdf_format: RdfFormat) -> Path:
        """A file holding the default graph in ``rdf_format``."""
        ...

    def check(self, timeout: float = 2.0) -> None:
        """Raise :class:`~kg.sparql.StoreUnavailable` unless the store answers now."""
        ...

    def close(self) -> None:
        """Release what the store holds (worker processes, files, connections)."""
        ...
