"""Linked data: term, report and district IRIs resolve here, as a page or as RDF.

The graph names these resources ``https://w3id.org/policy-terms/{kind}/{id}``;
this server answers them at ``/{kind}/{id}`` (w3id redirects there), by the
rules of :mod:`api.linked_data`. Pages are made from the read model;
descriptions come from the store (:meth:`kg.store.GraphStore.describe`). A
term's URL also takes any label form of the term. The other IRIs the graph
mints resolve in :mod:`api.routers.nodes` and :mod:`api.routers.ontology`.
The home page and a server-rendered search page need no JavaScript and no CDN.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import unquote

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

from api.deps import CatalogDep, ModelDep, SearchDep, StoreDep
from api.errors import ApiError
from api.linked_data import finish, render, resource_description, wanted
from api.negotiation import VARY, AcceptDep, AcceptHeader
from api.term_page import term_page
from kg.readmodel.search import SearchFilters
from kg.store import GraphStore

__all__ = ["router"]

router = APIRouter(tags=["linked data"])

_STATIC = Path(__file__).resolve().parent.parent / "static"
_SEARCH_PAGE_SIZE = 50
_DESCRIPTION = (
    "A readable page by default; Turtle, N-Triples, JSON-LD or RDF/XML by the Accept "
    "header or a `.ttl` / `.nt` / `.jsonld` (or `.json`) / `.rdf` suffix."
)


def _resource(
    request: Request,
    store: GraphStore,
    accept: AcceptHeader,
    name: str,
    route: str,
    find: Callable[[str], tuple[str, str, dict[str, Any]] | None],
) -> Response:
    """Answer for the resource ``find`` returns (iri, template, context), in the wanted format."""
    want = wanted(name, accept)
    found = find(want.id)
    if found is None:
        kind = route.removesuffix("_resource")
        raise ApiError(404, f"no {kind} has the id {want.id!r}", headers=VARY)
    iri, template, context = found
    if want.html:
        response: Response = render(request, template, **context)
    else:
        response = resource_description(store, iri, want.media_type)
    resource_id = unquote(iri.rsplit("/", 1)[-1])
    return finish(response, lambda suffix: str(request.url_for(route, name=resource_id + suffix)))


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
    return render(
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
    return render(
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
    return FileResponse(_STATIC / "site.css", media_type="text/css")
