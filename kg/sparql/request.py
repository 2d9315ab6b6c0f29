"""A checked query, the limits it runs under, and its serialized answer.

These are the values that cross the store interface: the API builds a
:class:`QueryRequest` (building one runs :func:`~kg.sparql.guard.check_query`,
so no unchecked query can reach a store), a store answers with a
:class:`QueryResult` already serialized, and :class:`QueryLimits` are what
every store enforces.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from kg.formats import GRAPH_FORMATS, SOLUTION_FORMATS
from kg.sparql.errors import InvalidRequest
from kg.sparql.guard import check_query

__all__ = ["QueryLimits", "QueryRequest", "QueryResult", "ResultKind"]

ResultKind = Literal["solutions", "graph"]

# An absolute IRI: a scheme, then no character an IRIREF forbids (SPARQL 1.1, rule 139).
_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[^\x00-\x20<>\"{}|^`\\]*")


@dataclass(frozen=True)
class QueryLimits:
    """What one query may cost: wall time, result rows, size, memory, and its wait for a slot.

    ``memory_mb`` caps the address space of each worker process (0: no cap).
    """

    timeout_seconds: float = 10.0
    row_limit: int = 10_000
    workers: int = 2
    queue_wait_seconds: float = 2.0
    max_query_chars: int = 20_000
    max_nesting: int = 128
    memory_mb: int = 2048


@dataclass(frozen=True)
class QueryRequest:
    """A checked query and how to answer it.

    ``default_graphs`` and ``named_graphs`` are the protocol's
    ``default-graph-uri`` and ``named-graph-uri``: when either is given,
    together they replace the query's dataset (an absent list is empty).
    ``solution_format`` names a :data:`~kg.formats.SOLUTION_FORMATS` entry and
    ``graph_format`` a :data:`~kg.formats.GRAPH_FORMATS` one, for each kind of
    result; ``None`` means the client accepts none of that kind. ``base_iri``
    resolves relative IRIs in the query (the protocol lets it be the
    endpoint's URL).
    """

    query: str
    solution_format: str | None = "json"
    graph_format: str | None = "ttl"
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    base_iri: str | None = None

    def __post_init__(self) -> None:
        check_query(self.query)
        for iri in (*(self.default_graphs or ()), *(self.named_graphs or ())):
            if not _IRI.fullmatch(iri):
                raise InvalidRequest(f"invalid graph IRI {iri!r}: not an absolute IRI")
        names = {f.name for f in SOLUTION_FORMATS}
        if self.solution_format is not None and self.solution_format not in names:
            raise InvalidRequest(f"unknown results format {self.solution_format!r}")
        if self.graph_format is not None and self.graph_format not in {
            f.name for f in GRAPH_FORMATS
        }:
            raise InvalidRequest(f"unknown graph format {self.graph_format!r}")

    @property
    def dataset_given(self) -> bool:
        """Whether the request names its own dataset."""
        return self.default_graphs is not None or self.named_graphs is not None


@dataclass(frozen=True)
class QueryResult:
    """Serialized results: the bytes, their media type, and which kind of result they are."""

    body: bytes
    media_type: str
    kind: ResultKind
