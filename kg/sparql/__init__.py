"""Read-only SPARQL, whichever store answers: the lexical guard, requests, limits, errors.

Three defences, in the order a query meets them:

1. **A lexical check before anything runs** (:mod:`kg.sparql.guard`): a
   :class:`~kg.sparql.request.QueryRequest` cannot be built from an update or
   from a query that would fetch a URL.
2. **A hard time limit** that stops the work, not only the wait: the embedded
   store runs each query in a worker process it kills at the limit
   (:mod:`kg.store.workers`).
3. **A row limit**: more solutions (or triples) than the limit is an error,
   not a silently truncated answer.

Stores live in :mod:`kg.store`; this package holds only what is the same for
all of them.
"""

from __future__ import annotations

from kg.sparql.errors import (
    InvalidRequest,
    NotAcceptable,
    PoolBusy,
    QueryFailed,
    QueryRefused,
    QuerySyntaxError,
    QueryTimeout,
    RowLimitExceeded,
    SparqlError,
    StoreUnavailable,
    UpdateRefused,
)
from kg.sparql.guard import check_query, code_words
from kg.sparql.request import QueryLimits, QueryRequest, QueryResult, ResultKind

__all__ = [
    "InvalidRequest",
    "NotAcceptable",
    "PoolBusy",
    "QueryFailed",
    "QueryLimits",
    "QueryRefused",
    "QueryRequest",
    "QueryResult",
    "QuerySyntaxError",
    "QueryTimeout",
    "ResultKind",
    "RowLimitExceeded",
    "SparqlError",
    "StoreUnavailable",
    "UpdateRefused",
    "check_query",
    "code_words",
]
