"""The IRIs the graph mints for everything but terms, reports and districts resolve here.

The concept scheme (``/terms``), its groups (``/terms/{district}``) and every
definition, glossary entry, source location, component list, component,
body, mention and cross-reference answer at their path, by the rules of
:mod:`api.linked_data`. A node is found by asking the store for its
description, so any IRI the graph holds under these paths resolves and any
other is a 404; the page is :func:`api.node_page.node_page`.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import Response

from api.deps import CatalogDep, StoreDep
from api.errors import ApiError
from api.linked_data import RESPONSES, finish, format_links, rdf_media_type, render, wanted
from api.negotiation import VARY, AcceptDep
from api.node_page import node_page
from kg.formats import content_type, convert_ntriples
from kg.readmodel.catalog import Catalog, CatalogReport
from kg.readmodel.names import report_kind_name
from kg.store import GraphStore
from kg.vocab import BASE, SCHEME

__all__ = ["NODE_KINDS", "local_url", "report_name", "router"]

router = APIRouter(tags=["linked data"])

NODE_KINDS: tuple[str, ...] = (
    "terms",
    "definition",
    "entry",
    "location",
    "components",
    "body",
    "mention",
    "xref",
)
"""The first path segment of each kind of IRI this router answers (see :mod:`kg.vocab`)."""
_DESCRIPTION = (
    "A readable page by default; Turtle, N-Triples, JSON-LD or RDF/XML by the Accept "
    "header or a `.ttl` / `.nt` / `.jsonld` (or `.json`) / `.rdf` suffix. "
    "Any IRI the graph holds under this path resolves; any other is a 404."
)


def local_url(request: Request) -> Callable[[str], str]:
    """Map an IRI under BASE to where it resolves on this host; leave others as they are."""
    base = str(request.base_url)
    return lambda iri: base + iri.removeprefix(BASE) if iri.startswith(BASE) else iri


def report_name(report: CatalogReport) -> str:
    """A report as the pages name it: 2024 年江汉区政府工作报告."""
    year = f"{report.year} 年" if report.year else ""
    title = report.title or report_kind_name(report.kind) or report.id
    return f"{year}{report.district or ''}{title}"


def _known(catalog: Catalog) -> Callable[[str], str | None]:
    """The names the read model gives terms, reports and districts, by IRI."""

    def name(iri: str) -> str | None:
        kind, _, key = iri.removeprefix(BASE).partition("/")
        if kind == "term" and (term := catalog.terms.get(key)) is not None:
            return term.label
        if kind == "report" and (report := catalog.reports.get(key)) is not None:
            return report_name(report)
        if kind == "district" and (district := catalog.districts.get(key)) is not None:
            return district.label
        return None

    return name


def _answer(
    request: Request, store: GraphStore, catalog: Catalog, accept: AcceptDep, path: str
) -> Response:
    want = wanted(path, accept)
    iri = BASE + "/".join(quote(segment, safe="") for segment in want.id.split("/"))
    description = store.describe(iri)
    if not description.strip():
        raise ApiError(404, f"the graph holds nothing named {iri}", headers=VARY)
    local = local_url(request)

    def url_for_suffix(suffix: str) -> str:
        return local(iri) + suffix

    if want.html:
        page = node_page(store, iri, description, local, _known(catalog))
        response: Response = render(
            request, "node.html", page=page, links=format_links(url_for_suffix)
        )
    else:
        rdf_format = rdf_media_type(want.media_type)
        body = convert_ntriples(description, rdf_format)
        response = Response(body, media_type=content_type(rdf_format.media_type))
    return finish(response, url_for_suffix)


@router.get(
    "/terms",
    name="scheme_resource",
    summary="The scheme",
    description=_DESCRIPTION,
    responses=RESPONSES,
)
def scheme_resource(
    request: Request, store: StoreDep, catalog: CatalogDep, accept: AcceptDep
) -> Response:
    """The SKOS concept scheme ``https://w3id.org/policy-terms/terms``, its top concepts."""
    return _answer(request, store, catalog, accept, SCHEME.removeprefix(BASE))


@router.get("/terms.{suffix}", include_in_schema=False)
def scheme_in_format(
    request: Request, store: StoreDep, catalog: CatalogDep, accept: AcceptDep, suffix: str
) -> Response:
    """The concept scheme with a format suffix, ``/terms.ttl``."""
    return _answer(request, store, catalog, accept, f"{SCHEME.removeprefix(BASE)}.{suffix}")


def _node_route(kind: str) -> Callable[..., Response]:
    def resolve(
        request: Request, store: StoreDep, catalog: CatalogDep, accept: AcceptDep, path: str
    ) -> Response:
        return _answer(request, store, catalog, accept, f"{kind}/{path}")

    resolve.__doc__ = f"A node whose IRI is ``https://w3id.org/policy-terms/{kind}/…``."
    return resolve


for _kind in NODE_KINDS:
    router.add_api_route(
        f"/{_kind}/{{path:path}}",
        _node_route(_kind),
        methods=["GET"],
        name=f"{_kind}_node",
        summary=f"A {_kind} node",
        description=_DESCRIPTION,
        responses=RESPONSES,
    )
