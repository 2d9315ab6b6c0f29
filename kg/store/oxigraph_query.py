"""Answering one checked query on an Oxigraph store, serialized once, within the row limit.

:func:`execute_query` is what a worker process of :mod:`kg.store.workers`
runs; it is also used in process by tests and benchmarks. Results are
serialized here, in the process that ran the query, so only bytes travel back.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

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

from kg.formats import (
    GRAPH_FORMATS,
    JSON_LD,
    N_TRIPLES,
    RDF_XML,
    SOLUTION_FORMATS,
    convert_ntriples,
)
from kg.sparql.errors import NotAcceptable, QuerySyntaxError, RowLimitExceeded
from kg.sparql.request import QueryRequest, QueryResult
from kg.vocab import PREFIXES

__all__ = [
    "execute_query",
    "oxigraph_format",
    "serialize_graph_results",
    "serialize_solutions",
    "serialize_triples",
]

_OX_SOLUTION_FORMATS = {
    "json": QueryResultsFormat.JSON,
    "xml": QueryResultsFormat.XML,
    "csv": QueryResultsFormat.CSV,
    "tsv": QueryResultsFormat.TSV,
}


def oxigraph_format(media_type: str) -> RdfFormat:
    """Oxigraph's format for an RDF media type of :mod:`kg.formats`."""
    found = RdfFormat.from_media_type(media_type)
    if found is None:
        raise ValueError(f"Oxigraph cannot write {media_type}")
    return found


def serialize_triples(triples: list[Triple], media_type: str) -> bytes:
    """``triples`` in the RDF format of ``media_type``, with the ontology's prefixes.

    Oxigraph's RDF/XML writer leaves a carriage return raw, which an XML
    parser turns into a line feed; it is written as ``&#13;`` so the literal
    survives.
    """
    body = serialize(triples, format=oxigraph_format(media_type), prefixes=dict(PREFIXES)) or b""
    return body.replace(b"\r", b"&#13;") if media_type == RDF_XML.media_type else body


def _query_options(request: QueryRequest) -> dict[str, Any]:
    """Keyword arguments for ``Store.query``: the base IRI and the protocol's dataset."""
    options: dict[str, Any] = {"base_iri": request.base_iri}
    if request.dataset_given:
        options["default_graph"] = [NamedNode(iri) for iri in request.default_graphs or ()]
        options["named_graphs"] = [NamedNode(iri) for iri in request.named_graphs or ()]
    return options


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


class _SizeCap(io.BytesIO):
    """A byte buffer that stops the writer past ``limit`` bytes."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self._left = limit

    def write(self, data: Any) -> int:
        chunk = bytes(data)
        self._left -= len(chunk)
        if self._left < 0:
            raise _TooLarge
        return super().write(chunk)


class _TooManyRows(Exception):
    pass


class _TooLarge(Exception):
    pass


# Bytes a results document may take, per row allowed, before it is counted the slow way.
_BYTES_PER_ROW = 256
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"')


def _rows_in(body: bytes, format_name: str) -> int:
    """The solutions in a JSON or XML results document as Oxigraph writes it.

    XML escapes ``<`` in text, so ``<result>`` opens a solution and nothing
    else. JSON escapes ``"`` in strings: with the strings taken out, ``[{``
    opens the bindings and ``,{`` separates two solutions; between the terms
    of a solution a key (a string, taken out) stands before each ``{``.
    """
    if format_name == "xml":
        return body.count(b"<result>")
    bare = _JSON_STRING.sub(b"", body)
    return bare.count(b"[{") + bare.count(b",{")


def execute_query(store: Store, request: QueryRequest, row_limit: int) -> QueryResult:
    """Run a checked query on ``store`` and serialize the answer."""
    try:
        options = _query_options(request)
        results = store.query(request.query, **options)
        if isinstance(results, QueryTriples):
            return serialize_graph_results(results, request.graph_format, row_limit)
        again = partial(store.query, request.query, **options)
        return serialize_solutions(results, request.solution_format, row_limit, again)
    except SyntaxError as error:
        raise QuerySyntaxError(f"malformed query: {error}") from None


def _refuse(what: str, media_types: list[str]) -> NotAcceptable:
    offered = ", ".join(media_types)
    return NotAcceptable(f"{what} results are available as {offered}; the request accepts none")


def serialize_solutions(
    results: Any, name: str | None, row_limit: int, again: Callable[[], Any] | None = None
) -> QueryResult:
    """Serialize ``SELECT`` (row-limited) or ``ASK`` results.

    With ``again`` (which runs the query anew), JSON and XML are written once,
    straight in that format; a result too large to count cheaply afterwards is
    asked for again and counted on the way out.
    """
    result_format = next((f for f in SOLUTION_FORMATS if f.name == name), None)
    if result_format is None:
        raise _refuse("SELECT and ASK", [f.media_type for f in SOLUTION_FORMATS])
    ox_format = _OX_SOLUTION_FORMATS[result_format.name]
    media_type = result_format.media_type
    if not isinstance(results, QuerySolutions):
        return QueryResult(results.serialize(format=ox_format) or b"", media_type, "solutions")
    if result_format.name in ("json", "xml") and again is not None:
        # Written once, in the format asked for, then its rows counted; a document
        # too large to be within the row limit cheaply is counted the TSV way.
        capped = _SizeCap(row_limit * _BYTES_PER_ROW + 4096)
        try:
            results.serialize(capped, format=ox_format)
        except _TooLarge:
            return serialize_solutions(again(), name, row_limit)
        body = capped.getvalue()
        if _rows_in(body, result_format.name) > row_limit:
            raise RowLimitExceeded(row_limit)
        return QueryResult(body, media_type, "solutions")
    # TSV holds one solution per line, losslessly: count rows on the way out,
    # then re-serialize the counted rows in the format asked for.
    counter = _RowCounter(row_limit)
    try:
        results.serialize(counter, format=QueryResultsFormat.TSV)
    except _TooManyRows:
        raise RowLimitExceeded(row_limit) from None
    tsv = counter.getvalue()
    if result_format.name == "tsv":
        return QueryResult(tsv, media_type, "solutions")
    solutions = parse_query_results(tsv, format=QueryResultsFormat.TSV)
    return QueryResult(solutions.serialize(format=ox_format) or b"", media_type, "solutions")


def serialize_graph_results(
    triples: Iterable[Triple], name: str | None, row_limit: int
) -> QueryResult:
    """Serialize ``CONSTRUCT`` or ``DESCRIBE`` triples, at most ``row_limit`` of them.

    JSON-LD is compacted against the service's ``@context``
    (:func:`kg.formats.convert_ntriples`), like every other JSON-LD answer.
    """
    rdf_format = next((f for f in GRAPH_FORMATS if f.name == name), None)
    if rdf_format is None:
        raise _refuse("CONSTRUCT and DESCRIBE", [f.media_type for f in GRAPH_FORMATS])
    kept: list[Triple] = []
    for triple in triples:
        if len(kept) == row_limit:
            raise RowLimitExceeded(row_limit)
        kept.append(triple)
    if rdf_format is JSON_LD:
        body = convert_ntriples(serialize_triples(kept, N_TRIPLES.media_type), JSON_LD)
    else:
        body = serialize_triples(kept, rdf_format.media_type)
    return QueryResult(body, rdf_format.media_type, "graph")
