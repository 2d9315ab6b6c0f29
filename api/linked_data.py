"""What every linked-data route shares: suffixes, negotiation, pages and RDF answers.

An IRI the graph mints, ``https://w3id.org/policy-terms/{path}``, is answered
at ``/{path}`` on this host. One URL gives a readable page to browsers and an
RDF description to RDF clients, chosen by the ``Accept`` header (q-values
honoured) or forced by a suffix: ``.html``, ``.ttl``, ``.nt``, ``.rdf``,
``.jsonld`` or ``.json`` (JSON-LD too). Every answer says ``Vary: Accept``
and names its other formats in a ``Link: rel="alternate"`` header; a request
that accepts none of them is a 406 listing them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates

from api.negotiation import VARY, AcceptHeader, negotiate
from api.schemas import ErrorResponse
from api.term_page import highlight
from kg.formats import GRAPH_FORMATS, JSON_LD, RdfFormat, content_type, convert_ntriples
from kg.readmodel.names import report_kind_name
from kg.store import GraphStore

__all__ = [
    "CSP",
    "HTML",
    "MEDIA_TYPES",
    "RESPONSES",
    "SUFFIXES",
    "Wanted",
    "alternates",
    "finish",
    "format_links",
    "rdf_media_type",
    "render",
    "resource_description",
    "wanted",
]

HTML = "text/html"
_JSON = "application/json"
MEDIA_TYPES: dict[str, str] = {
    ".html": HTML,
    **{f.suffix: f.media_type for f in GRAPH_FORMATS},
}
"""Each format of a resource, by the suffix that forces it (the ``Link`` header lists these)."""
SUFFIXES: dict[str, str] = {**MEDIA_TYPES, ".json": JSON_LD.media_type}
"""Every suffix a resource URL may end with: ``.json`` is JSON-LD as well."""
RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The page, or the RDF description, in the format asked for",
        "content": {media: {} for media in MEDIA_TYPES.values()},
    },
    404: {"model": ErrorResponse, "description": "The graph holds no such resource"},
    406: {"model": ErrorResponse, "description": "None of the formats is acceptable"},
}
"""The answers of a linked-data route, for the OpenAPI document."""
_RDF: dict[str, RdfFormat] = {f.media_type: f for f in GRAPH_FORMATS}
# Offered in this order: a tie (e.g. Accept: */*) goes to HTML. Plain JSON gets JSON-LD.
_OFFERS = (HTML, *_RDF, _JSON)
# Pages run no script; a term page frames its subgraph, served from here.
CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "frame-src 'self'; base-uri 'none'"
)
_HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Wanted:
    """The resource id a URL names, and the media type to answer in."""

    id: str
    media_type: str

    @property
    def html(self) -> bool:
        """Whether the answer is the page."""
        return self.media_type == HTML


@lru_cache(maxsize=1)
def _templates() -> Jinja2Templates:
    """The page templates; Jinja2Templates escapes every ``{{ value }}`` in them."""
    templates = Jinja2Templates(directory=_HERE / "templates")
    templates.env.filters["report_kind"] = report_kind_name
    templates.env.globals["highlight"] = highlight
    return templates


def render(request: Request, template: str, **context: Any) -> HTMLResponse:
    """A page, under the pages' Content-Security-Policy."""
    response = _templates().TemplateResponse(request, template, context)
    response.headers["Content-Security-Policy"] = CSP
    response.headers.update(VARY)
    return response


def wanted(name: str, accept: AcceptHeader) -> Wanted:
    """Split a ``.ttl``-style suffix off ``name``; without one, negotiate on Accept."""
    stem, dot, suffix = name.rpartition(".")
    if dot and f".{suffix}" in SUFFIXES:
        return Wanted(stem, SUFFIXES[f".{suffix}"])
    media_type = negotiate(accept, _OFFERS, "a resource")
    return Wanted(name, JSON_LD.media_type if media_type == _JSON else media_type)


def rdf_media_type(media_type: str) -> RdfFormat:
    """The RDF format of a media type :func:`wanted` chose (anything but HTML)."""
    return _RDF[media_type]


def alternates(url_for_suffix: Callable[[str], str]) -> str:
    """A ``Link`` header naming each format of a resource, by the URL with its suffix."""
    links = [
        f'<{url_for_suffix(suffix)}>; rel="alternate"; type="{media}"'
        for suffix, media in MEDIA_TYPES.items()
    ]
    return ", ".join(links)


def resource_description(store: GraphStore, iri: str, media_type: str) -> Response:
    """The store's description of ``iri``, in the RDF format of ``media_type``."""
    rdf_format = rdf_media_type(media_type)
    body = convert_ntriples(store.describe(iri), rdf_format)
    return Response(body, media_type=content_type(rdf_format.media_type))


_FORMAT_NAMES = {".html": "HTML", ".ttl": "Turtle", ".nt": "N-Triples", ".jsonld": "JSON-LD"}


def format_links(url_for_suffix: Callable[[str], str]) -> list[tuple[str, str, str]]:
    """(name, URL, media type) of each format of a resource, for a page's links."""
    return [
        (_FORMAT_NAMES.get(suffix, "RDF/XML"), url_for_suffix(suffix), media)
        for suffix, media in MEDIA_TYPES.items()
    ]


def finish(response: Response, url_for_suffix: Callable[[str], str]) -> Response:
    """Add the headers every linked-data answer carries: ``Vary`` and the alternates."""
    response.headers["Vary"] = "Accept"
    response.headers["Link"] = alternates(url_for_suffix)
    return response
