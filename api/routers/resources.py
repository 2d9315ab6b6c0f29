"""Linked data: every term, report and district IRI resolves here, as HTML, Turtle or JSON-LD.

The graph names its resources ``https://w3id.org/policy-terms/{kind}/{id}``;
this server answers them at ``/{kind}/{id}`` (w3id redirects there). One URL
gives a readable page to browsers and the resource's description to RDF
clients, chosen by the ``Accept`` header (q-values honoured) or forced by a
suffix (``.html``, ``.ttl``, ``.nt``, ``.jsonld``, ``.rdf``); every answer
says ``Vary: Accept``. Pages are made from the read model; descriptions come
from the store (:meth:`kg.store.GraphStore.describe`). A term's URL also
takes any label form of the term.
The home page and a server-rendered search page need no JavaScript and no CDN.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import unquote

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from fastapi.templating import Jinja2Templates

from api.deps import CatalogDep, ModelDep, SearchDep, StoreDep
from api.errors import ApiError
from api.negotiation import VARY, AcceptDep, AcceptHeader, negotiate
from api.term_page import highlight, term_page
from kg.formats import GRAPH_FORMATS, RdfFormat, content_type, convert_ntriples
from kg.readmodel.names import report_kind_name
from kg.readmodel.search import SearchFilters
from kg.store import GraphStore

__all__ = ["MEDIA_TYPES", "router"]

router = APIRouter(tags=["linked data"])

_HERE = Path(__file__).resolve().parent.parent
_HTML = "text/html"
_JSON = "application/json"
MEDIA_TYPES: dict[str, str] = {
    ".html": _HTML,
    **{f.suffix: f.media_type for f in GRAPH_FORMATS},
}
"""The suffixes a resource URL may end with, and the format each forces."""
_RDF: dict[str, RdfFormat] = {f.media_type: f for f in GRAPH_FORMATS}
# Offered in this order: a tie (e.g. Accept: */*) goes to HTML. Plain JSON gets JSON-LD.
_OFFERS = (_HTML, *_RDF, _JSON)
_SEARCH_PAGE_SIZE = 50
# Pages run no script; a term page frames its subgraph, served from here.
_CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "frame-src 'self'; base-uri 'none'"
)
_DESCRIPTION = (
    "A readable page by default; Turtle, N-Triples, JSON-LD or RDF/XML by the Accept "
    "header or a `.ttl` / `.nt` / `.jsonld` / `.rdf` suffix."
)


@dataclass(frozen=True)
class _Wanted:
    """The resource id a URL names, and the media type to answer in."""

    id: str
    media_type: str


@lru_cache(maxsize=1)
def _templates() -> Jinja2Templates:
    """The page templates; Jinja2Templates escapes every ``{{ value }}`` in them."""
    templates = Jinja2Templates(directory=_HERE / "templates")
    templates.env.filters["report_kind"] = report_kind_name
    templates.env.globals["highlight"] = highlight
    return templates


def _render(request: Request, template: str, **context: Any) -> HTMLResponse:
    response = _templates().TemplateResponse(request, template, context)
    response.headers["Content-Security-Policy"] = _CSP
    response.headers.update(VARY)
    return response


def _wanted(name: str, accept: AcceptHeader) -> _Wanted:
    """Split a ``.ttl``-style suffix off ``name``; without one, negotiate on Accept."""
    stem, dot, suffix = name.rpartition(".")
    if dot and f".{suffix}" in MEDIA_TYPES:
        return _Wanted(stem, MEDIA_TYPES[f".{suffix}"])
    media_type = negotiate(accept, _OFFERS, "a resource")
    return _Wanted(name, "application/ld+json" if media_type == _JSON else media_type)


def _alternates(request: Request, route: str, resource_id: str) -> str:
    """A ``Link`` header naming the other formats of the resource."""
    links = [
        f'<{request.url_for(route, name=resource_id + suffix)}>; rel="alternate"; type="{media}"'
        for suffix, media in MEDIA_TYPES.items()
    ]
    return ", ".join(links)


def _rdf(store: GraphStore, iri: str, media_type: str) -> Response:
    rdf_format = _RDF[media_type]
    body = convert_ntriples(store.describe(iri), rdf_format)
    return Response(body, media_type=content_type(rdf_format.media_type))


def _resource(
    request: Request,
    store: GraphStore,
    accept: AcceptHeader,
    name: str,
    route: str,
    find: Callable[[str], tuple[str, str, dict[str, Any]] | None],
) -> Response:
    """Answer for the resource ``find`` returns (iri, template, context), in the wanted format."""
    wanted = _wanted(name, accept)
    found = find(wanted.id)
    if found is None:
        kind = route.removesuffix("_resource")
        raise ApiError(404, f"no {kind} has the id {wanted.id!r}", headers=VARY)
    iri, template, context = found
    if wanted.media_type == _HTML:
        response: Response = _render(request, template, **context)
    else:
        response = _rdf(store, iri, wanted.media_type)
    response.headers["Vary"] = "Accept"
    response.headers["Link"] = _alternates(request, route, unquote(iri.rsplit("/", 1)[-1]))
    return response


@router.get("/term/{name}", name="term_resource", summary="A term", description=_DESCRIPTION)
def term_resource(
    request: Request, model: ModelDep, store: StoreDep, accept: AcceptDep, name: str
) -> Response:
    """The term whose IRI is ``https://w3id.org/policy-terms/term/{id}``, or one of its labels."""

    def find(term_id: str) -> tuple[str, str, dict[str, Any]] | None:
        term = model.find_term(term_id)
        if term is None:
            return None
        page_url = str(request.url_for("term_resource", name=term.id))
        return term.iri, "term.html", term_page(model, term, page_url)

    return _resource(request, store, accept, name, "term_resource", find)


@router.get("/report/{name}", name="report_resource", summary="A report", description=_DESCRIPTION)
def report_resource(
    request: Request, catalog: CatalogDep, store: StoreDep, accept: AcceptDep, name: str
) -> Response:
    """The report whose IRI is ``https://w3id.org/policy-terms/report/{id}``."""

    def find(report_id: str) -> tuple[str, str, dict[str, Any]] | None:
        report = catalog.reports.get(report_id)
        if report is None:
            return None
        citing = [
            term
            for term in catalog.terms.values()
            if any(ref.report == report.id and ref.outgoing for ref in term.references)
        ]
        context = {"report": report, "terms": catalog.terms, "citing": citing}
        return report.iri, "report.html", context

    return _resource(request, store, accept, name, "report_resource", find)


@router.get(
    "/district/{name}", name="district_resource", summary="A district", description=_DESCRIPTION
)
def district_resource(
    request: Request, catalog: CatalogDep, store: StoreDep, accept: AcceptDep, name: str
) -> Response:
    """The district whose IRI is ``https://w3id.org/policy-terms/district/{id}``."""

    def find(district_id: str) -> tuple[str, str, dict[str, Any]] | None:
        district = catalog.districts.get(district_id)
        if district is None:
            return None
        reports = [catalog.reports[r] for r in district.reports if r in catalog.reports]
        return district.iri, "district.html", {"district": district, "reports": reports}

    return _resource(request, store, accept, name, "district_resource", find)


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def home(request: Request, catalog: CatalogDep) -> HTMLResponse:
    """A search box, the reports and the districts."""
    reports = catalog.reports_in_order()
    return _render(
        request,
        "home.html",
        reports=[report for report in reports if report.held],
        cited=[report for report in reports if not report.held],
        districts=sorted(catalog.districts.values(), key=lambda d: d.id),
        term_count=len(catalog.terms),
    )


@router.get("/search", response_class=HTMLResponse, include_in_schema=False)
def search_page(
    request: Request,
    index: SearchDep,
    catalog: CatalogDep,
    q: str = "",
    district: str | None = None,
    year: Annotated[int | None, Query(ge=1949, le=2100)] = None,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> HTMLResponse:
    """Search results as a page; an empty query lists every term in pinyin order."""
    filters = SearchFilters(district=district or None, year=year)
    if q.strip():
        terms = [hit.term for hit in index.search(q, filters)]
    else:
        terms = index.all_terms(filters)
    near = index.did_you_mean(q) if q.strip() and not terms else []
    end = offset + _SEARCH_PAGE_SIZE
    next_url = str(request.url.include_query_params(offset=end)) if end < len(terms) else None
    return _render(
        request,
        "search.html",
        q=q,
        district=district or "",
        year=year,
        terms=terms[offset:end],
        total=len(terms),
        offset=offset,
        next_url=next_url,
        did_you_mean=near,
        districts=sorted(catalog.districts.values(), key=lambda d: d.id),
    )


@router.get("/static/site.css", include_in_schema=False)
def stylesheet() -> FileResponse:
    """The pages' one stylesheet."""
    return FileResponse(_HERE / "static" / "site.css", media_type="text/css")
