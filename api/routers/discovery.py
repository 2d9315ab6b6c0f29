"""How crawlers and RDF tools find their way in: VoID, the sitemap, ``robots.txt``.

``/.well-known/void`` (RFC 8615; VoID, section 7) describes the dataset in any
RDF format by ``Accept``; ``/sitemap.xml`` lists every page (an index of
``/sitemap-{n}.xml`` past 50,000 URLs); ``/robots.txt`` points at it. The
documents come from :class:`api.discovery.Discovery`, made once per store,
and carry a strong ``ETag``. The service description is on ``GET /sparql``
(:mod:`api.routers.sparql`).
"""

from __future__ import annotations

import anyio.to_thread
from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse, Response

from api.conditional import http_date
from api.deps import CatalogDep, DiscoveryDep, SummaryDep
from api.discovery import Discovery, Document, robots_txt
from api.errors import ApiError
from api.negotiation import VARY, AcceptDep, AcceptHeader, negotiate
from api.schemas import ERROR_RESPONSES
from kg.formats import RDF_FORMATS, content_type

__all__ = ["describe", "router"]

router = APIRouter(tags=["discovery"])

_XML = "application/xml"


async def describe(
    discovery: Discovery, what: str, accept: AcceptHeader, last_modified: str
) -> Response:
    """The ``"void"`` or ``"service"`` description in the RDF format ``accept`` prefers."""
    offers = [f.media_type for f in RDF_FORMATS]
    label = "the VoID description" if what == "void" else "the service description"
    chosen = negotiate(accept, offers, label)
    rdf_format = next(f for f in RDF_FORMATS if f.media_type == chosen)
    document = await anyio.to_thread.run_sync(discovery.rdf, what, rdf_format)
    return _send(document, content_type(rdf_format.media_type), last_modified, VARY)


def _send(
    document: Document, media_type: str, last_modified: str, headers: dict[str, str] | None = None
) -> Response:
    validators = {
        "ETag": document.etag,
        "Last-Modified": last_modified,
        "Cache-Control": "no-cache",
    }
    return Response(document.body, media_type=media_type, headers={**validators, **(headers or {})})


def _last_modified(summary: SummaryDep) -> str:
    return http_date(summary.modified)


@router.get(
    "/.well-known/void",
    summary="VoID description of the dataset",
    responses={
        200: {
            "description": "A void:Dataset with its counts, partitions, endpoint and dumps.",
            "content": {f.media_type: {} for f in RDF_FORMATS},
        },
        406: ERROR_RESPONSES[406],
    },
)
async def void(discovery: DiscoveryDep, summary: SummaryDep, accept: AcceptDep) -> Response:
    """The dataset's VoID description, Turtle unless ``Accept`` prefers another RDF format."""
    return await describe(discovery, "void", accept, _last_modified(summary))


def _sitemaps(request: Request, discovery: Discovery, catalog: CatalogDep) -> list[Document]:
    return discovery.sitemap(catalog, lambda route, name: str(request.url_for(route, name=name)))


@router.get("/sitemap.xml", include_in_schema=False)
def sitemap(
    request: Request, discovery: DiscoveryDep, catalog: CatalogDep, summary: SummaryDep
) -> Response:
    """Every term, report and district page; an index of parts past 50,000 URLs."""
    document = _sitemaps(request, discovery, catalog)[0]
    return _send(document, _XML, _last_modified(summary))


@router.get("/sitemap-{number}.xml", include_in_schema=False)
def sitemap_part(
    request: Request,
    discovery: DiscoveryDep,
    catalog: CatalogDep,
    summary: SummaryDep,
    number: int,
) -> Response:
    """Part ``number`` (from 1) of a sitemap too long for one file."""
    documents = _sitemaps(request, discovery, catalog)
    if not 1 <= number < len(documents):
        raise ApiError(404, f"the sitemap has no part {number}")
    return _send(documents[number], _XML, _last_modified(summary))


@router.get("/robots.txt", include_in_schema=False, response_class=PlainTextResponse)
def robots(request: Request) -> PlainTextResponse:
    """Pages may be crawled; SPARQL, the JSON API, reconciliation and search may not."""
    return PlainTextResponse(robots_txt(str(request.url_for("sitemap"))))
