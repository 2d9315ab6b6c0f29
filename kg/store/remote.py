"""A store on a shared SPARQL 1.1 server: the graph lives there, API instances stay stateless.

:class:`RemoteStore` is the second :class:`~kg.store.GraphStore`: every
answer comes from the server's query endpoint over HTTP, restricted to the
one graph the project pushed there (``default-graph-uri`` and
``named-graph-uri`` are always that graph), so an instance never reads, let
alone writes, another graph of the server.

- User queries have passed :func:`kg.sparql.check_query` (no update, no
  ``SERVICE``, no engine pragmas) before they get here; this store also
  refuses ``FROM``/``FROM NAMED`` and a protocol dataset, which a shared
  server would merge with other teams' graphs. Results are fetched in one
  standard format (SPARQL JSON, N-Triples), counted against the row limit
  and written in the format the client asked for, so answers look the same
  whichever store serves them. The time limit is the HTTP timeout.
- Trusted queries (:meth:`select`) are paged by their first variable
  (keyset paging: no ``OFFSET``, so no server-side sort limit is hit), in
  pages of ``page_size`` rows, which must not exceed the server's own cap on
  result rows (Virtuoso's ``ResultSetMaxRows``). An answer the server cut
  short (Virtuoso says so in ``X-SPARQL-MaxRows``) is an error, never a
  silently shorter result.
- A server that cannot be reached is :class:`~kg.sparql.StoreUnavailable`
  (502), one that does not answer in time :class:`~kg.sparql.QueryTimeout`
  (504); each request opens its connection anew when needed, so an instance
  heals by itself when the server returns.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import threading
from pathlib import Path

import anyio.to_thread
import httpx
from pyoxigraph import QueryResultsFormat, Triple, parse, parse_query_results

from kg.formats import N_TRIPLES
from kg.formats import RdfFormat as KgRdfFormat
from kg.sparql.errors import (
    InvalidRequest,
    QueryFailed,
    QueryRefused,
    QuerySyntaxError,
    QueryTimeout,
    RowLimitExceeded,
    StoreUnavailable,
)
from kg.sparql.guard import code_words, query_form
from kg.sparql.request import QueryLimits, QueryRequest, QueryResult
from kg.store.describe import describe_query
from kg.store.oxigraph_query import (
    oxigraph_format,
    serialize_graph_results,
    serialize_solutions,
    serialize_triples,
)
from kg.vocab import BASE, prologue

__all__ = ["DEFAULT_GRAPH", "RemoteStore"]

DEFAULT_GRAPH = BASE + "graph"
"""The named graph ``kg push`` writes and :class:`RemoteStore` reads, unless told otherwise."""

_JSON = "application/sparql-results+json"
# Virtuoso cuts results at its ResultSetMaxRows and says so in this header only.
_TRUNCATED = "X-SPARQL-MaxRows"
# Virtuoso answers ASK as one row with this variable rather than as a boolean.
_VIRTUOSO_ASK = "__ASK_RETVAL"


class RemoteStore:
    """A :class:`~kg.store.GraphStore` answered by a SPARQL 1.1 query endpoint."""

    def __init__(
        self,
        endpoint: str,
        *,
        graph: str = DEFAULT_GRAPH,
        limits: QueryLimits | None = None,
        cache_dir: Path | None = None,
        page_size: int = 5_000,
        dump_page_size: int = 1_000,
        connect_timeout: float = 3.0,
    ) -> None:
        self.endpoint = endpoint
        self.graph = graph
        self.page_size = page_size
        self.dump_page_size = dump_page_size
        self._limits = limits or QueryLimits()
        self._client = httpx.Client(
            timeout=httpx.Timeout(self._limits.timeout_seconds, connect=connect_timeout),
            limits=httpx.Limits(max_connections=max(4, 2 * self._limits.workers)),
        )
        self._dumps = Path(cache_dir or tempfile.mkdtemp(prefix="kg-remote-")) / "dumps"
        self._dump_lock = threading.Lock()

    @property
    def limits(self) -> QueryLimits:
        return self._limits

    # Talking to the server -------------------------------------------------------

    def _post(self, query: str, accept: str, timeout: float | None = None) -> bytes:
        """The body of the server's answer to ``query``; a truncated answer is an error."""
        response = self._send(query, accept, timeout)
        truncated_at = response.headers.get(_TRUNCATED)
        if truncated_at is not None:
            raise RowLimitExceeded(int(truncated_at) if truncated_at.isdigit() else 0)
        return response.content

    def _send(self, query: str, accept: str, timeout: float | None = None) -> httpx.Response:
        form = {"query": query, "default-graph-uri": self.graph, "named-graph-uri": self.graph}
        try:
            response = self._client.post(
                self.endpoint,
                data=form,
                headers={"Accept": accept},
                timeout=timeout if timeout is not None else httpx.USE_CLIENT_DEFAULT,
            )
        except httpx.TimeoutException:
            raise QueryTimeout(timeout or self._limits.timeout_seconds) from None
        except httpx.TransportError as error:
            raise StoreUnavailable(
                f"the graph store at {self.endpoint} cannot be reached: {error}"
            ) from None
        if response.status_code >= 500:
            raise StoreUnavailable(
                f"the graph store at {self.endpoint} answered {response.status_code}: "
                f"{_first_line(response.text)}"
            )
        if response.status_code >= 400:
            raise QuerySyntaxError(
                f"the graph store refused the query: {_first_line(response.text)}"
            )
        return response

    def check(self, timeout: float = 2.0) -> None:
        """Raise :class:`~kg.sparql.StoreUnavailable` unless the server answers a trivial query."""
        try:
            self._post("SELECT ?x WHERE { BIND(1 AS ?x) }", _JSON, timeout=timeout)
        except QueryTimeout:
            raise StoreUnavailable(
                f"the graph store at {self.endpoint} did not answer within {timeout:g} s"
            ) from None

    # The GraphStore interface ----------------------------------------------------

    def __len__(self) -> int:
        rows = self._rows(self._post("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", _JSON))
        return int(rows[0]["n"]) if rows else 0

    async def query_async(self, request: QueryRequest) -> QueryResult:
        # An HTTP round trip to the server: in a worker thread.
        return await anyio.to_thread.run_sync(self.query, request)

    def query(self, request: QueryRequest) -> QueryResult:
        _refuse_datasets(request)
        form = query_form(request.query)
        if form in ("CONSTRUCT", "DESCRIBE"):
            body = self._post(request.query, N_TRIPLES.media_type)
            triples = _parse_triples(body)
            return serialize_graph_results(triples, request.graph_format, self._limits.row_limit)
        body = self._post(request.query, _JSON)
        try:
            results = parse_query_results(_standard_ask(body), format=QueryResultsFormat.JSON)
        except (SyntaxError, ValueError) as error:
            raise QueryFailed(f"the graph store sent results that do not parse: {error}") from None
        return serialize_solutions(results, request.solution_format, self._limits.row_limit)

    def select(self, query: str) -> list[dict[str, str]]:
        """Rows of a trusted ``SELECT``, fetched in pages keyed by its first variable.

        The query's rows must all bind its first variable; a page ends at the
        last complete run of one key, and the next page starts at that key.
        """
        first = _first_variable(query)
        rows: list[dict[str, str]] = []
        after: str | None = None
        while True:
            page = self._rows(self._post(prologue() + self._page(query, first, after), _JSON))
            if len(page) < self.page_size:
                rows.extend(page)
                return rows
            last = page[-1][first]
            complete = [row for row in page if row[first] != last]
            if not complete:
                raise QueryFailed(
                    f"more than {self.page_size} rows share ?{first} = {last}; raise the page size"
                )
            rows.extend(complete)
            after = complete[-1][first]

    def _page(self, query: str, first: str, after: str | None) -> str:
        cursor = "" if after is None else f"FILTER (STR(?{first}) > {json.dumps(after)})"
        return (
            f"SELECT * WHERE {{ {{ {query} }} {cursor} }} "
            f"ORDER BY STR(?{first}) LIMIT {self.page_size}"
        )

    def describe(self, iri: str) -> bytes:
        query = describe_query(iri)
        if query is None:
            return b""
        triples = _parse_triples(self._post(query, N_TRIPLES.media_type))
        return serialize_triples(triples, N_TRIPLES.media_type)

    def dump(self, rdf_format: KgRdfFormat) -> Path:
        """The graph in ``rdf_format``, fetched in pages and kept until the graph changes size."""
        path = self._dumps / f"graph-{len(self)}{rdf_format.suffix}"
        with self._dump_lock:
            if not path.exists():
                self._write_dump(path, rdf_format)
        return path

    def _write_dump(self, path: Path, rdf_format: KgRdfFormat) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        triples: list[Triple] = []
        after: str | None = None
        while True:
            # Pages of subjects (IRIs), then their triples; blank nodes come in one last query.
            cursor = "" if after is None else f"FILTER (STR(?s) > {json.dumps(after)})"
            page_query = (
                "SELECT ?s WHERE { { SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER (isIRI(?s)) } } "
                f"{cursor} }} ORDER BY STR(?s) LIMIT {self.dump_page_size}"
            )
            subjects = [row["s"] for row in self._rows(self._post(page_query, _JSON))]
            if not subjects:
                break
            values = " ".join(f"<{s}>" for s in subjects)
            construct = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ VALUES ?s {{ {values} }} ?s ?p ?o }}"
            triples.extend(_parse_triples(self._post(construct, N_TRIPLES.media_type)))
            if len(subjects) < self.dump_page_size:
                break
            after = subjects[-1]
        blank = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o FILTER (isBlank(?s)) }"
        triples.extend(_parse_triples(self._post(blank, N_TRIPLES.media_type)))
        handle, partial = tempfile.mkstemp(dir=path.parent, suffix=".partial")
        with os.fdopen(handle, "wb") as output:
            output.write(serialize_triples(triples, rdf_format.media_type))
        os.replace(partial, path)

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> RemoteStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @staticmethod
    def _rows(body: bytes) -> list[dict[str, str]]:
        try:
            data = json.loads(body)
        except ValueError as error:
            raise QueryFailed(f"the graph store sent results that do not parse: {error}") from None
        return [
            {name: value["value"] for name, value in binding.items()}
            for binding in data.get("results", {}).get("bindings", [])
        ]


def _first_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[0][:300] if lines else "(no message)"


def _refuse_datasets(request: QueryRequest) -> None:
    if request.dataset_given:
        raise InvalidRequest(
            "default-graph-uri and named-graph-uri are not supported here: "
            "this endpoint serves one graph of a shared store"
        )
    if "FROM" in set(code_words(request.query)):
        raise QueryRefused(
            "FROM and FROM NAMED are not supported here: this endpoint serves one graph of a "
            "shared store, which the query reads by default"
        )


_VARIABLE = re.compile(r"(?:^|[\s(])[?$]([A-Za-z0-9_]+)")


def _first_variable(query: str) -> str:
    """The first variable a query names (``?n`` of ``SELECT (COUNT(*) AS ?n)``)."""
    found = _VARIABLE.search(query)
    if found is None:
        raise ValueError("a paged query needs a variable")
    return found.group(1)


def _standard_ask(body: bytes) -> bytes:
    """Virtuoso's ASK answer (one row of ``__ASK_RETVAL``) as a standard boolean result."""
    try:
        data = json.loads(body)
    except ValueError:
        return body
    if data.get("head", {}).get("vars") == [_VIRTUOSO_ASK]:
        bindings = data.get("results", {}).get("bindings", [])
        value = bool(bindings) and bindings[0][_VIRTUOSO_ASK]["value"] not in ("0", "false")
        return json.dumps({"head": {}, "boolean": value}).encode()
    return body


def _parse_triples(body: bytes) -> list[Triple]:
    try:
        return list(parse(body, format=oxigraph_format(N_TRIPLES.media_type)))
    except (SyntaxError, ValueError) as error:
        raise QueryFailed(f"the graph store sent triples that do not parse: {error}") from None
