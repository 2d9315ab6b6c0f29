"""Read-only SPARQL, whichever store answers: the lexical guard, requests, limits, errors.

Three defences, in the order a query meets them:

1. **A lexical check before anything runs** (:mod:`kg.sparql.guard`): a
   :class:`~kg.sparql.request.QueryRequest` cannot be built from an update or
   from a query that would fetch a URL.
2. **A hard time limit** that stops the work, not only the wait: the embedded
   store runs each query in a worker process it kills at the limit
   (:mod:`kg.store.workers`).
3. **A size limit before parsing and a memory cap while running**: a query
   longer or more deeply nested than :class:`~kg.sparql.request.QueryLimits`
   allow is refused unparsed (:func:`~kg.sparql.guard.check_shape`), and each
   worker process runs under an address-space cap.
4. **A row limit**: more solutions (or triples) than the limit is an error,
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
    QueryMemoryExceeded,
    QueryRefused,
    QuerySyntaxError,
    QueryTimeout,
    QueryTooLarge,
    RowLimitExceeded,
    SparqlError,
    StoreUnavailable,
    UpdateRefused,
)
from kg.sparql.guard import check_query, check_shape, code_words
from kg.sparql.request import QueryLimits, QueryRequest, QueryResult, ResultKind

__all__ = [
    "InvalidRequest",
    "NotAcceptable",
    "PoolBusy",
    "QueryFailed",
    "QueryLimits",
    "QueryMemoryExceeded",
    "QueryRefused",
    "QueryRequest",
    "QueryResult",
    "QuerySyntaxError",
    "QueryTimeout",
    "QueryTooLarge",
    "ResultKind",
    "RowLimitExceeded",
    "SparqlError",
    "StoreUnavailable",
    "UpdateRefused",
    "check_query",
    "check_shape",
    "code_words",
]
