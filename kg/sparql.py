"""Safe, read-only SPARQL over the serving store.

Three defences, in the order a query meets them:

1. **A lexical check before anything runs.** :class:`QueryRequest` cannot be
   built from a SPARQL Update or from a query that would make the server fetch
   a URL (``SERVICE``; ``LOAD`` belongs to Update). The check reads the
   keywords of the query outside strings, IRIs and comments, so ``"SERVICE"``
   inside a literal is fine. Oxigraph *does* perform ``SERVICE`` calls, so this
   check is what stops them. ``FROM``/``FROM NAMED`` are allowed: Oxigraph
   reads them as names of graphs already in the store and never dereferences
   them.
2. **Worker processes with a hard time limit.** :class:`QueryPool` runs each
   query in one of a few ``spawn``-ed processes that open the store read-only.
   A query that outlives the limit has its process killed (the work stops, not
   just the wait) and a fresh worker takes its place.
3. **A row limit.** A ``SELECT`` with more solutions, or a ``CONSTRUCT`` or
   ``DESCRIBE`` with more triples, than the limit is an error, not a silently
   truncated answer.

Results are serialized inside the worker, so the web process only moves bytes.
"""

from __future__ import annotations

import contextlib
import io
import multiprocessing
import os
import queue
import re
import signal
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.context import SpawnContext, SpawnProcess
from pathlib import Path
from typing import Any, Literal

from pyoxigraph import (
    NamedNode,
    QueryResultsFormat,
    QuerySolutions,
    QueryTriples,
    RdfFormat,
    Store,
    Triple,
    parse_query_results,
    serialize,
)

from kg.store import PREFIXES

__all__ = [
    "GRAPH_FORMATS",
    "SOLUTION_FORMATS",
    "InvalidRequest",
    "NotAcceptable",
    "PoolBusy",
    "QueryFailed",
    "QueryPool",
    "QueryRefused",
    "QueryRequest",
    "QueryResult",
    "QuerySyntaxError",
    "QueryTimeout",
    "ResultFormat",
    "RowLimitExceeded",
    "SparqlError",
    "UpdateRefused",
    "check_query",
    "code_words",
    "execute_query",
]

ResultKind = Literal["solutions", "graph"]


# Errors ---------------------------------------------------------------------


class SparqlError(Exception):
    """A SPARQL request the endpoint does not answer with results."""


class InvalidRequest(SparqlError):
    """The request is malformed outside the query text (e.g. a bad graph IRI)."""


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


# The lexical check ----------------------------------------------------------

_UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}
)
_FETCHING_KEYWORDS = frozenset({"SERVICE", "LOAD"})
# Characters an IRIREF cannot hold (SPARQL 1.1 grammar, rule 139), besides controls and space.
_NOT_IN_IRI = frozenset('<>"{}|^`\\')
_WORD = re.compile(r"[\w:]+")
_CODEPOINT_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def code_words(text: str) -> Iterator[str]:
    """The bare words of a SPARQL text, upper-cased, outside strings, IRIs and comments.

    Variables (``?x``, ``$x``) are skipped; prefixed names keep their colon, so
    ``ex:service`` is never the keyword ``SERVICE``. ``.`` and ``-`` split words:
    a keyword glued to a ``.`` is still found.
    """
    i, end = 0, len(text)
    while i < end:
        char = text[i]
        if char == "#":
            i = _skip_comment(text, i)
        elif char in "\"'":
            i = _skip_string(text, i)
        elif char == "<":
            i = _skip_iri(text, i)
        elif char == "\\":
            i += 2  # an escaped character of a prefixed name, e.g. ex:a\'b
        elif char in "?$":
            match = _WORD.match(text, i + 1)
            i = match.end() if match else i + 1
        else:
            match = _WORD.match(text, i)
            if match:
                yield match.group().upper()
                i = match.end()
            else:
                i += 1


def _skip_comment(text: str, start: int) -> int:
    ends = [p for p in (text.find("\n", start), text.find("\r", start)) if p != -1]
    return min(ends) + 1 if ends else len(text)


def _skip_string(text: str, start: int) -> int:
    quote = text[start] * 3 if text.startswith(text[start] * 3, start) else text[start]
    i = start + len(quote)
    while i < len(text):
        if text[i] == "\\":
            i += 2
        elif text.startswith(quote, i):
            return i + len(quote)
        else:
            i += 1
    return len(text)


def _skip_iri(text: str, start: int) -> int:
    """Past the IRI at ``start``, or just past ``<`` when it is an operator."""
    i = start + 1
    while i < len(text) and text[i] not in _NOT_IN_IRI and ord(text[i]) > 0x20:
        i += 1
    return i + 1 if i < len(text) and text[i] == ">" else start + 1


def _decode_codepoint_escapes(text: str) -> str:
    def decode(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code < 0x110000 and not 0xD800 <= code < 0xE000 else match.group()

    return _CODEPOINT_ESCAPE.sub(decode, text)


def _first_operation_keyword(words: list[str]) -> str | None:
    """The first keyword after the prologue (``BASE`` and ``PREFIX`` declarations)."""
    remaining = iter(words)
    for word in remaining:
        if word == "PREFIX":
            next(remaining, None)
        elif word != "BASE":
            return word
    return None


def check_query(query: str) -> None:
    """Refuse updates and queries that would fetch a URL, before anything runs.

    The SPARQL spec lets ``\\u`` escapes appear anywhere, so the text is read
    both as written and with escapes decoded; a refusal in either reading counts.
    """
    for text in (query, _decode_codepoint_escapes(query)):
        words = list(code_words(text))
        if _first_operation_keyword(words) in _UPDATE_KEYWORDS:
            raise UpdateRefused(
                "this endpoint is read-only: SPARQL Update (INSERT, DELETE, LOAD, CLEAR, "
                "DROP, CREATE, ADD, MOVE, COPY) is not accepted"
            )
        fetching = sorted(_FETCHING_KEYWORDS.intersection(words))
        if fetching:
            raise QueryRefused(
                f"{', '.join(fetching)} is not allowed: this endpoint never fetches remote "
                "data; query the local graph only"
            )


# Formats, requests and results ----------------------------------------------


@dataclass(frozen=True)
class ResultFormat:
    """A serialization of query results, named by the media type that asks for it."""

    name: str
    media_type: str
    kind: ResultKind


SOLUTION_FORMATS: tuple[ResultFormat, ...] = (
    ResultFormat("json", "application/sparql-results+json", "solutions"),
    ResultFormat("xml", "application/sparql-results+xml", "solutions"),
    ResultFormat("csv", "text/csv", "solutions"),
    ResultFormat("tsv", "text/tab-separated-values", "solutions"),
)
"""Formats for ``SELECT`` and ``ASK`` results, the default first."""

GRAPH_FORMATS: tuple[ResultFormat, ...] = (
    ResultFormat("ttl", "text/turtle", "graph"),
    ResultFormat("nt", "application/n-triples", "graph"),
    ResultFormat("jsonld", "application/ld+json", "graph"),
)
"""Formats for ``CONSTRUCT`` and ``DESCRIBE`` results, the default first."""

_OX_SOLUTION_FORMATS = {
    "json": QueryResultsFormat.JSON,
    "xml": QueryResultsFormat.XML,
    "csv": QueryResultsFormat.CSV,
    "tsv": QueryResultsFormat.TSV,
}
_OX_GRAPH_FORMATS = {
    "ttl": RdfFormat.TURTLE,
    "nt": RdfFormat.N_TRIPLES,
    "jsonld": RdfFormat.JSON_LD,
}


@dataclass(frozen=True)
class QueryRequest:
    """A checked query and how to answer it.

    Building one runs :func:`check_query`, so every request that reaches a
    worker has passed it. ``default_graphs`` and ``named_graphs`` are the
    protocol's ``default-graph-uri`` and ``named-graph-uri``: when either is
    given, together they replace the query's dataset (an absent list is empty).
    ``solution_format`` and ``graph_format`` name the format to use for each
    kind of result; ``None`` means the client accepts none for that kind.
    ``base_iri`` resolves relative IRIs in the query (the protocol lets it be
    the endpoint's URL).
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
            try:
                NamedNode(iri)
            except ValueError as error:
                raise InvalidRequest(f"invalid graph IRI {iri!r}: {error}") from None

    def query_options(self) -> dict[str, Any]:
        """Keyword arguments for ``Store.query``: the base IRI and the protocol's dataset."""
        options: dict[str, Any] = {"base_iri": self.base_iri}
        if self.default_graphs is not None or self.named_graphs is not None:
            options["default_graph"] = [NamedNode(iri) for iri in self.default_graphs or ()]
            options["named_graphs"] = [NamedNode(iri) for iri in self.named_graphs or ()]
        return options


@dataclass(frozen=True)
class QueryResult:
    """Serialized results: the bytes and the format they are in."""

    body: bytes
    result_format: ResultFormat


# Running one query (inside a worker) ----------------------------------------


class _RowCounter(io.BytesIO):
    """A byte buffer for TSV results that stops the writer past ``limit`` rows."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self._lines_left = limit + 1  # the header line, then one line per row

    def write(self, data: Any) -> int:
        chunk = bytes(data)
        self._lines_left -= chunk.count(b"\n")
        if self._lines_left < 0:
            raise _TooManyRows
        return super().write(chunk)


class _TooManyRows(Exception):
    pass


def execute_query(store: Store, request: QueryRequest, row_limit: int) -> QueryResult:
    """Run a checked query on ``store`` and serialize the answer."""
    try:
        results = store.query(request.query, **request.query_options())
        if isinstance(results, QueryTriples):
            return _serialize_graph(results, request.graph_format, row_limit)
        return _serialize_solutions(results, request.solution_format, row_limit)
    except SyntaxError as error:
        raise QuerySyntaxError(f"malformed query: {error}") from None


def _chosen_format(name: str | None, formats: tuple[ResultFormat, ...]) -> ResultFormat:
    if name is None:
        offered = ", ".join(f.media_type for f in formats)
        what = "SELECT and ASK" if formats is SOLUTION_FORMATS else "CONSTRUCT and DESCRIBE"
        raise NotAcceptable(f"{what} results are available as {offered}; the request accepts none")
    return next(f for f in formats if f.name == name)


def _serialize_solutions(results: Any, name: str | None, row_limit: int) -> QueryResult:
    """Serialize ``SELECT`` (row-limited) or ``ASK`` results."""
    result_format = _chosen_format(name, SOLUTION_FORMATS)
    ox_format = _OX_SOLUTION_FORMATS[result_format.name]
    if not isinstance(results, QuerySolutions):
        return QueryResult(results.serialize(format=ox_format) or b"", result_format)
    # TSV holds one solution per line, losslessly: count rows on the way out,
    # then re-serialize the counted rows in the format asked for.
    counter = _RowCounter(row_limit)
    try:
        results.serialize(counter, format=QueryResultsFormat.TSV)
    except _TooManyRows:
        raise RowLimitExceeded(row_limit) from None
    tsv = counter.getvalue()
    if result_format.name == "tsv":
        return QueryResult(tsv, result_format)
    solutions = parse_query_results(tsv, format=QueryResultsFormat.TSV)
    return QueryResult(solutions.serialize(format=ox_format) or b"", result_format)


def _serialize_graph(triples: QueryTriples, name: str | None, row_limit: int) -> QueryResult:
    """Serialize ``CONSTRUCT`` or ``DESCRIBE`` triples, at most ``row_limit`` of them."""
    result_format = _chosen_format(name, GRAPH_FORMATS)
    kept: list[Triple] = []
    for triple in triples:
        if len(kept) == row_limit:
            raise RowLimitExceeded(row_limit)
        kept.append(triple)
    body = serialize(kept, format=_OX_GRAPH_FORMATS[result_format.name], prefixes=PREFIXES)
    return QueryResult(body or b"", result_format)


def _answer(store: Store, request: QueryRequest, row_limit: int) -> tuple[str, object]:
    try:
        return ("ok", execute_query(store, request, row_limit))
    except SparqlError as error:
        return ("error", error)
    except Exception as error:
        return ("error", QueryFailed(f"the query failed: {error}"))


def _worker_main(connection: Connection, database: str, row_limit: int) -> None:
    """A worker process: open the store read-only, then answer requests until told to stop."""
    # Ctrl-C reaches the whole process group; the parent decides when workers stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        store = Store.read_only(database)
    except OSError as error:
        connection.send(("failed", f"cannot open the store {database}: {error}"))
        return
    connection.send(("ready", os.getpid()))
    while True:
        try:
            request = connection.recv()
        except EOFError:
            return
        if request is None:
            return
        connection.send(_answer(store, request, row_limit))


# The pool -------------------------------------------------------------------


class _Worker:
    """One worker process and the pipe to it."""

    def __init__(self, context: SpawnContext, database: Path, row_limit: int) -> None:
        self.connection, child = context.Pipe()
        self.process: SpawnProcess = context.Process(
            target=_worker_main,
            args=(child, str(database), row_limit),
            name="kg-sparql-worker",
            daemon=True,
        )
        self.process.start()
        child.close()

    @property
    def pid(self) -> int | None:
        return self.process.pid

    def wait_ready(self, timeout: float) -> None:
        if not self.connection.poll(timeout):
            raise QueryFailed(f"a SPARQL worker did not start within {timeout:g} s")
        try:
            status, detail = self.connection.recv()
        except EOFError:
            raise QueryFailed("a SPARQL worker exited while starting") from None
        if status != "ready":
            raise QueryFailed(str(detail))

    def ask(self, request: QueryRequest, timeout: float) -> tuple[str, object]:
        self.connection.send(request)
        if not self.connection.poll(timeout):
            raise QueryTimeout(timeout)
        status, payload = self.connection.recv()
        return status, payload

    def kill(self) -> None:
        """Stop the process now, whatever it is doing, and reap it."""
        self.process.kill()
        self.process.join()
        self._close_connection()

    def _close_connection(self) -> None:
        # The pool's closing thread and a replacement's starting thread may both get here.
        with contextlib.suppress(OSError):
            self.connection.close()

    def shutdown(self, grace: float = 1.0) -> None:
        """Ask the process to exit; kill it if it does not within ``grace`` seconds."""
        with contextlib.suppress(OSError):
            self.connection.send(None)
        self.process.join(grace)
        if self.process.is_alive():
            self.kill()
        else:
            self._close_connection()


class QueryPool:
    """A few worker processes that run queries with a hard time limit.

    :meth:`run` blocks: call it from a thread, never on an event loop. It waits
    up to ``queue_wait_seconds`` for an idle worker (else :class:`PoolBusy`),
    then up to ``timeout_seconds`` for the answer (else the worker is killed,
    a replacement starts in the background, and :class:`QueryTimeout` is raised).
    """

    def __init__(
        self,
        database: Path,
        *,
        workers: int = 2,
        timeout_seconds: float = 10.0,
        row_limit: int = 10_000,
        queue_wait_seconds: float = 2.0,
        start_timeout_seconds: float = 60.0,
    ) -> None:
        if workers < 1:
            raise ValueError("a query pool needs at least one worker")
        self.database = database
        self.size = workers
        self.timeout_seconds = timeout_seconds
        self.row_limit = row_limit
        self.queue_wait_seconds = queue_wait_seconds
        self.start_timeout_seconds = start_timeout_seconds
        self._context = multiprocessing.get_context("spawn")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._workers: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False

    def start(self) -> None:
        """Start every worker and wait until each has opened the store."""
        started = [self._spawn() for _ in range(self.size)]
        try:
            for worker in started:
                worker.wait_ready(self.start_timeout_seconds)
        except QueryFailed:
            self.close()
            raise
        for worker in started:
            self._idle.put(worker)

    @property
    def pids(self) -> list[int]:
        """The process ids of the live workers."""
        with self._lock:
            return [w.pid for w in self._workers if w.pid is not None and w.process.is_alive()]

    def run(self, request: QueryRequest) -> QueryResult:
        """Answer one request in a worker process."""
        if self._closed:
            raise QueryFailed("the query pool is closed")
        try:
            worker = self._idle.get(timeout=self.queue_wait_seconds)
        except queue.Empty:
            raise PoolBusy(
                f"all {self.size} SPARQL workers are busy; try again in a few seconds"
            ) from None
        try:
            status, payload = worker.ask(request, self.timeout_seconds)
        except QueryTimeout:
            self._replace(worker)
            raise
        except (EOFError, OSError):
            self._replace(worker)
            raise QueryFailed("the SPARQL worker stopped while answering") from None
        self._idle.put(worker)
        if status == "error":
            assert isinstance(payload, SparqlError)
            raise payload
        assert isinstance(payload, QueryResult)
        return payload

    def close(self) -> None:
        """Stop every worker."""
        self._closed = True
        with self._lock:
            workers = list(self._workers)
            self._workers.clear()
        for worker in workers:
            worker.shutdown()

    def __enter__(self) -> QueryPool:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _spawn(self) -> _Worker:
        worker = _Worker(self._context, self.database, self.row_limit)
        with self._lock:
            self._workers.add(worker)
        return worker

    def _forget(self, worker: _Worker) -> None:
        with self._lock:
            self._workers.discard(worker)

    def _replace(self, worker: _Worker) -> None:
        """Kill ``worker`` now; a new one joins the idle queue once it is ready."""
        self._forget(worker)
        worker.kill()
        if not self._closed:
            threading.Thread(target=self._start_replacement, daemon=True).start()

    def _start_replacement(self) -> None:
        worker = self._spawn()
        try:
            worker.wait_ready(self.start_timeout_seconds)
        except (QueryFailed, EOFError, OSError):
            self._forget(worker)
            worker.kill()
            return
        if self._closed:
            self._forget(worker)
            worker.shutdown()
        else:
            self._idle.put(worker)
