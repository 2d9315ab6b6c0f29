"""The SPARQL 1.1 Protocol endpoint at ``/sparql``, read-only, and its HTML page.

Queries come as ``GET ?query=``, as a form ``POST`` (``query=``), or as a direct
``POST`` of ``application/sparql-query``; ``default-graph-uri`` and
``named-graph-uri`` set the dataset. Updates are refused (403). Results are
negotiated by ``Accept``; a browser asking for HTML gets a query page instead,
and a ``GET`` without a query that accepts RDF gets the SPARQL 1.1 Service
Description. ``/sparql/`` answers the same as ``/sparql``. See docs/sparql.md.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates

from api.conditional import http_date
from api.deps import DiscoveryDep, SettingsDep, SparqlDep, SummaryDep
from api.errors import ApiError
from api.negotiation import VARY, AcceptDep, AcceptHeader
from api.routers.discovery import describe
from api.schemas import ErrorResponse
from api.settings import Settings
from kg.formats import GRAPH_FORMATS, RDF_FORMATS, SOLUTION_FORMATS, RdfFormat, ResultFormat
from kg.sparql import NotAcceptable, QueryRequest, UpdateRefused, check_shape
from kg.vocab import prologue

__all__ = ["EXAMPLE_QUERIES", "router"]

router = APIRouter(tags=["sparql"])

_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
_FORM = "application/x-www-form-urlencoded"
_DIRECT = "application/sparql-query"
_UPDATE = "application/sparql-update"
_HTML = "text/html"

# Media types a client may ask for, in the order of preference on a tie.
_SOLUTION_OFFERS: dict[str, ResultFormat] = {
    SOLUTION_FORMATS[0].media_type: SOLUTION_FORMATS[0],
    "application/json": SOLUTION_FORMATS[0],
    **{f.media_type: f for f in SOLUTION_FORMATS[1:]},
}
_GRAPH_OFFERS: dict[str, RdfFormat] = {f.media_type: f for f in GRAPH_FORMATS}

_PROLOGUE = "".join(
    line + "\n"
    for line in prologue().splitlines()
    if line.split()[1] in {"skos:", "dcterms:", "prov:", "rdf:", "rdfs:", "kgo:"}
)

EXAMPLE_QUERIES: tuple[tuple[str, str], ...] = (
    (
        "术语、释义及报告年份",
        _PROLOGUE
        + """
SELECT ?label ?year ?text ?term WHERE {
  ?term a skos:Concept ;
        skos:prefLabel ?label ;
        skos:definition ?definition .
  ?definition rdf:value ?text ;
              kgo:inReport ?report .
  ?report kgo:deliveredOn ?delivered .
  BIND (YEAR(?delivered) AS ?year)
}
ORDER BY ?label ?year
LIMIT 100
""",
    ),
    (
        "在多份报告中都有释义的术语",
        _PROLOGUE
        + """
SELECT ?label (COUNT(DISTINCT ?report) AS ?reports) ?term WHERE {
  ?term a skos:Concept ;
        skos:prefLabel ?label ;
        skos:definition/kgo:inReport ?report .
}
GROUP BY ?term ?label
HAVING (COUNT(DISTINCT ?report) > 1)
ORDER BY DESC(?reports) ?label
""",
    ),
    (
        "术语的组成部分",
        _PROLOGUE
        + """
SELECT ?label ?part ?group ?report WHERE {
  ?term skos:prefLabel ?label ;
        skos:definition ?definition .
  ?definition kgo:inReport ?report ;
              kgo:components/skos:memberList/rdf:rest*/rdf:first ?component .
  ?component skos:prefLabel|rdfs:label|rdf:value ?part .
  OPTIONAL { ?component kgo:componentGroup ?group }
}
ORDER BY ?label ?report
LIMIT 200
""",
    ),
    (
        "报告及每条释义所在页码",
        _PROLOGUE
        + """
SELECT ?title ?delivered ?label ?page WHERE {
  ?report a kgo:Report ;
          dcterms:title ?title ;
          kgo:deliveredOn ?delivered .
  OPTIONAL {
    ?entry kgo:inReport ?report ;
           kgo:defines/skos:prefLabel ?label .
    OPTIONAL { ?entry prov:atLocation/kgo:page ?page }
  }
}
ORDER BY ?delivered ?page
LIMIT 200
""",
    ),
)
"""Example queries shown on the HTML page: (title, query)."""


@dataclass
class _Operation:
    """What a protocol request asks for, before any checking."""

    queries: list[str] = field(default_factory=list)
    updates: list[str] = field(default_factory=list)
    default_graphs: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)

    @classmethod
    def from_fields(cls, fields: Sequence[tuple[str, str]]) -> _Operation:
        operation = cls()
        lists = {
            "query": operation.queries,
            "update": operation.updates,
            "default-graph-uri": operation.default_graphs,
            "named-graph-uri": operation.named_graphs,
        }
        for name, value in fields:
            if name in lists:
                lists[name].append(value)
        return operation


_QUERY_RESPONSES: dict[int | str, dict[str, object]] = {
    200: {
        "description": "Query results, in the negotiated format.",
        "content": {media_type: {} for media_type in [*_SOLUTION_OFFERS, *_GRAPH_OFFERS, _HTML]},
    },
    400: {
        "model": ErrorResponse,
        "description": "Missing, empty, repeated, malformed, too long or too deeply nested query",
    },
    403: {"model": ErrorResponse, "description": "Update, or SERVICE: refused"},
    406: {"model": ErrorResponse, "description": "No acceptable results format"},
    413: {"model": ErrorResponse, "description": "Request body over the size limit"},
    415: {"model": ErrorResponse, "description": "POST with an unsupported content type"},
    429: {"model": ErrorResponse, "description": "Too many SPARQL requests held at once"},
    503: {"model": ErrorResponse, "description": "All query workers busy"},
    504: {"model": ErrorResponse, "description": "Query stopped at the time limit"},
    507: {"model": ErrorResponse, "description": "Query stopped at the memory limit"},
}


_GET_RESPONSES: dict[int | str, dict[str, object]] = {
    **_QUERY_RESPONSES,
    200: {
        "description": "Query results in the negotiated format; without a query, the query "
        "page (HTML) or the service description (RDF).",
        "content": {
            media_type: {}
            for media_type in [*_SOLUTION_OFFERS, *(f.media_type for f in RDF_FORMATS), _HTML]
        },
    },
}


@router.get("/sparql/", include_in_schema=False)
@router.get("/sparql", summary="SPARQL query (GET)", responses=_GET_RESPONSES)
async def sparql_get(
    request: Request,
    sparql: SparqlDep,
    accept: AcceptDep,
    settings: SettingsDep,
    discovery: DiscoveryDep,
    summary: SummaryDep,
    query: Annotated[str | None, Query(description="The SPARQL query.")] = None,
    default_graph_uri: Annotated[
        list[str] | None, Query(alias="default-graph-uri", description="Default graph IRIs.")
    ] = None,
    named_graph_uri: Annotated[
        list[str] | None, Query(alias="named-graph-uri", description="Named graph IRIs.")
    ] = None,
) -> Response:
    """Answer a query sent in the URL; without one, describe the service (or show the page)."""
    operation = _Operation.from_fields(request.query_params.multi_items())
    if len(operation.queries) <= 1 and not operation.updates and _wants_page(accept):
        return _page(request, settings, operation.queries[0] if operation.queries else None)
    if not operation.queries and not operation.updates and _accepts_rdf(accept):
        return await describe(discovery, "service", accept, http_date(summary.modified))
    return await _answer(operation, sparql, accept, settings)


def _accepts_rdf(accept: AcceptHeader) -> bool:
    return accept.best([f.media_type for f in RDF_FORMATS]) is not None


@router.post("/sparql/", include_in_schema=False)
@router.post(
    "/sparql",
    summary="SPARQL query (POST, form or direct)",
    responses=_QUERY_RESPONSES,
    openapi_extra={
        "requestBody": {
            "content": {
                _FORM: {"schema": {"type": "object", "properties": {"query": {"type": "string"}}}},
                _DIRECT: {"schema": {"type": "string"}},
            }
        }
    },
)
async def sparql_post(
    request: Request, sparql: SparqlDep, accept: AcceptDep, settings: SettingsDep
) -> Response:
    """Answer a query sent as a form field or as the request body."""
    media_type, charset = _content_type(request.headers.get("content-type"))
    url_fields = request.query_params.multi_items()
    if media_type == _FORM:
        form = await request.form()
        fields = [(k, v) for k, v in form.multi_items() if isinstance(v, str)]
        operation = _Operation.from_fields([*url_fields, *fields])
    elif media_type == _DIRECT:
        operation = _Operation.from_fields(url_fields)
        operation.queries.append(_utf8_body(await request.body(), charset))
    elif media_type == _UPDATE:
        operation = _Operation.from_fields(url_fields)
        operation.updates.append("")
    else:
        raise ApiError(
            415,
            f"a SPARQL POST needs Content-Type {_FORM} or {_DIRECT}; got {media_type or 'none'}",
        )
    return await _answer(operation, sparql, accept, settings)


def _content_type(header: str | None) -> tuple[str | None, str | None]:
    """The media type and charset of a Content-Type header, lower-cased."""
    if not header:
        return None, None
    media_type, *params = (piece.strip() for piece in header.split(";"))
    charset = None
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return media_type.lower(), charset


def _utf8_body(body: bytes, charset: str | None) -> str:
    if charset not in (None, "utf-8", "utf8"):
        raise ApiError(415, f"a SPARQL query must be sent as UTF-8, not {charset}")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ApiError(400, f"the query is not valid UTF-8: {error}") from None


async def _answer(
    operation: _Operation, sparql: SparqlDep, accept: AcceptHeader, settings: Settings
) -> Response:
    """Check the operation, run the query, and send its results."""
    if operation.updates:
        raise UpdateRefused("this endpoint is read-only: SPARQL Update is not accepted")
    if not operation.queries:
        raise ApiError(
            400,
            f"missing query: send it as ?query=, as a query= form field, or as a {_DIRECT} body",
        )
    if len(operation.queries) > 1:
        raise ApiError(400, "more than one query: send exactly one query per request")
    solution_type = accept.best(list(_SOLUTION_OFFERS))
    graph_type = accept.best(list(_GRAPH_OFFERS))
    if solution_type is None and graph_type is None:
        offered = ", ".join([*_SOLUTION_OFFERS, *_GRAPH_OFFERS])
        raise NotAcceptable(f"SPARQL results are available as {offered}; the request accepts none")
    dataset_given = bool(operation.default_graphs or operation.named_graphs)
    query = operation.queries[0]

    def checked_request() -> QueryRequest:
        check_shape(query, settings.sparql_max_query_chars, settings.sparql_max_nesting)
        return QueryRequest(
            query,
            solution_format=_SOLUTION_OFFERS[solution_type].name if solution_type else None,
            graph_format=_GRAPH_OFFERS[graph_type].name if graph_type else None,
            default_graphs=tuple(operation.default_graphs) if dataset_given else None,
            named_graphs=tuple(operation.named_graphs) if dataset_given else None,
            base_iri=_endpoint_url(settings),
        )

    result = await sparql.run(checked_request, len(query))
    chosen = solution_type if result.kind == "solutions" else graph_type
    return Response(result.body, media_type=chosen, headers=VARY)


def _endpoint_url(settings: Settings) -> str:
    return settings.base_url.rstrip("/") + "/sparql"


def _wants_page(accept: AcceptHeader) -> bool:
    """Whether the client prefers HTML to every results format (a browser does)."""
    html_q = accept.quality(_HTML)
    best_results_q = max(accept.quality(t) for t in [*_SOLUTION_OFFERS, *_GRAPH_OFFERS])
    return html_q > best_results_q


@cache
def _templates() -> Jinja2Templates:
    """The site's templates: the query page extends the layout, with its header."""
    return Jinja2Templates(directory=_TEMPLATES)


def _page(request: Request, settings: Settings, query: str | None) -> HTMLResponse:
    """The query page; Jinja escapes everything put into it, and only its own script runs."""
    nonce = secrets.token_urlsafe(16)
    context = {
        "nonce": nonce,
        "endpoint": _endpoint_url(settings),
        "timeout": f"{settings.sparql_timeout_seconds:g}",
        "row_limit": settings.sparql_row_limit,
        "examples": EXAMPLE_QUERIES,
        "query": query if query is not None else EXAMPLE_QUERIES[0][1],
    }
    response = _templates().TemplateResponse(request, "sparql.html", context)
    response.headers["Content-Security-Policy"] = (
        f"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'self'; "
        "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    )
    response.headers.update(VARY)
    return response
