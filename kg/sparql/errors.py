"""What the SPARQL endpoint refuses and why: one exception class per answer it gives.

Each maps to one HTTP status in :mod:`api.errors`; every store raises these
and nothing else for a query it does not answer with results.
"""

from __future__ import annotations

__all__ = [
    "InvalidRequest",
    "NotAcceptable",
    "PoolBusy",
    "QueryFailed",
    "QueryMemoryExceeded",
    "QueryRefused",
    "QuerySyntaxError",
    "QueryTimeout",
    "QueryTooLarge",
    "RowLimitExceeded",
    "SparqlError",
    "StoreUnavailable",
    "UpdateRefused",
]


class SparqlError(Exception):
    """A SPARQL request the endpoint does not answer with results."""


class InvalidRequest(SparqlError):
    """The request is malformed outside the query text (e.g. a bad graph IRI)."""


class QueryTooLarge(InvalidRequest):
    """The query text is longer, or nests deeper, than the endpoint accepts."""


class QuerySyntaxError(SparqlError):
    """The query does not parse; the message is the parser's."""


class QueryRefused(SparqlError):
    """The query is well-formed but not allowed here (it would fetch a URL)."""


class UpdateRefused(QueryRefused):
    """A SPARQL Update: the endpoint is read-only."""


class NotAcceptable(SparqlError):
    """None of the formats the client accepts fits the kind of result."""


class PoolBusy(SparqlError):
    """Every worker stayed busy for the whole queue wait."""


class QueryTimeout(SparqlError):
    """The query ran past the time limit; its worker was killed."""

    def __init__(self, seconds: float) -> None:
        super().__init__(
            f"the query ran longer than the {seconds:g} s limit and was stopped; "
            "narrow it down or add a LIMIT"
        )
        self.seconds = seconds

    def __reduce__(self) -> tuple[type[QueryTimeout], tuple[float]]:
        return (type(self), (self.seconds,))


class QueryMemoryExceeded(SparqlError):
    """The query needed more memory than a worker may use; its worker was stopped."""

    def __init__(self, megabytes: int) -> None:
        super().__init__(
            f"the query needed more than the {megabytes} MiB a query may use and was stopped; "
            "narrow it down (fewer unbound patterns, no ORDER BY over a product)"
        )
        self.megabytes = megabytes

    def __reduce__(self) -> tuple[type[QueryMemoryExceeded], tuple[int]]:
        return (type(self), (self.megabytes,))


class RowLimitExceeded(SparqlError):
    """The result has more rows (or triples) than the endpoint returns."""

    def __init__(self, limit: int) -> None:
        super().__init__(
            f"the result has more than {limit} rows, the most this endpoint returns; "
            f"add a LIMIT (at most {limit}) and page with OFFSET"
        )
        self.limit = limit

    def __reduce__(self) -> tuple[type[RowLimitExceeded], tuple[int]]:
        return (type(self), (self.limit,))


class QueryFailed(SparqlError):
    """The query could not be answered for a reason on the server's side."""


class StoreUnavailable(SparqlError):
    """The store cannot be reached or read right now."""
