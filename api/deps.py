"""Dependencies of the routes, with ``Annotated`` aliases to declare them by.

The store, the SPARQL service and the settings live on ``app.state``, put there
by the lifespan of :func:`api.app.create_app`. :class:`AcceptHeader` reads the
``Accept`` header for content negotiation (RFC 9110, section 12.5.1).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

import anyio
import anyio.to_thread
from fastapi import Depends, Query, Request

from api.errors import ApiError
from api.settings import Settings, get_settings
from kg.catalog import Catalog
from kg.search import SearchIndex
from kg.sparql import PoolBusy, QueryPool, QueryRequest, QueryResult
from kg.store import GraphStore

__all__ = [
    "AcceptDep",
    "AcceptHeader",
    "CatalogDep",
    "GraphSummary",
    "MediaRange",
    "Page",
    "PageDep",
    "SearchDep",
    "SettingsDep",
    "SparqlDep",
    "SparqlService",
    "StoreDep",
    "SummaryDep",
    "get_accept",
    "get_catalog",
    "get_graph_store",
    "get_graph_summary",
    "get_page",
    "get_search_index",
    "get_sparql_service",
]

SettingsDep = Annotated[Settings, Depends(get_settings)]


# Content negotiation --------------------------------------------------------


@dataclass(frozen=True)
class MediaRange:
    """One entry of an Accept header, e.g. ``text/*;q=0.5``."""

    type: str
    subtype: str
    q: float

    def specificity(self, media_type: str) -> int | None:
        """How precisely this range names ``media_type`` (2, 1, 0), or None if it does not."""
        kind, _, sub = media_type.lower().partition("/")
        if self.type == "*":
            return 0
        if self.type != kind:
            return None
        if self.subtype == "*":
            return 1
        return 2 if self.subtype == sub else None


class AcceptHeader:
    """The media ranges of an Accept header; a missing header accepts anything."""

    def __init__(self, ranges: Sequence[MediaRange]) -> None:
        self.ranges = tuple(ranges)

    @classmethod
    def parse(cls, header: str | None) -> AcceptHeader:
        """Parse ``header``, skipping malformed entries; none at all means ``*/*``."""
        if header is None or not header.strip():
            return cls([MediaRange("*", "*", 1.0)])
        return cls([r for part in header.split(",") if (r := _parse_range(part)) is not None])

    def quality(self, media_type: str) -> float:
        """The q-value of ``media_type``: that of the most specific range naming it."""
        matches = [
            (specificity, media_range.q)
            for media_range in self.ranges
            if (specificity := media_range.specificity(media_type)) is not None
        ]
        return max(matches)[1] if matches else 0.0

    def best(self, offers: Sequence[str]) -> str | None:
        """The acceptable offer of highest quality; ties go to the earlier offer."""
        best_offer, best_q = None, 0.0
        for offer in offers:
            q = self.quality(offer)
            if q > best_q:
                best_offer, best_q = offer, q
        return best_offer


def _parse_range(text: str) -> MediaRange | None:
    media_type, *params = (piece.strip() for piece in text.split(";"))
    media_type = "*/*" if media_type == "*" else media_type.lower()
    kind, slash, sub = media_type.partition("/")
    if not slash or not kind or not sub or (kind == "*" and sub != "*"):
        return None
    q = 1.0
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "q":
            try:
                q = float(value)
            except ValueError:
                return None
            if not 0.0 <= q <= 1.0:
                return None
    return MediaRange(kind, sub, q)


def get_accept(request: Request) -> AcceptHeader:
    """The request's Accept header, parsed."""
    return AcceptHeader.parse(request.headers.get("accept"))


AcceptDep = Annotated[AcceptHeader, Depends(get_accept)]


# The store and what it holds -------------------------------------------------


@dataclass(frozen=True)
class GraphSummary:
    """Counts taken once when the store was built."""

    triples: int
    reports: int
    terms: int
    definitions: int
    built_at: datetime
    build_seconds: float


def _state(request: Request, name: str) -> object:
    value = getattr(request.app.state, name, None)
    if value is None:
        raise ApiError(503, "the graph store is not loaded yet")
    return value


def get_graph_store(request: Request) -> GraphStore:
    """The serving store, opened read-only."""
    store = _state(request, "store")
    assert isinstance(store, GraphStore)
    return store


def get_graph_summary(request: Request) -> GraphSummary:
    """Counts of the served graph."""
    summary = _state(request, "summary")
    assert isinstance(summary, GraphSummary)
    return summary


StoreDep = Annotated[GraphStore, Depends(get_graph_store)]
SummaryDep = Annotated[GraphSummary, Depends(get_graph_summary)]


# Terms, reports and search ---------------------------------------------------


def get_catalog(request: Request) -> Catalog:
    """Terms, reports and districts of the served graph, read at startup."""
    catalog = _state(request, "catalog")
    assert isinstance(catalog, Catalog)
    return catalog


def get_search_index(request: Request) -> SearchIndex:
    """The search index over the catalog's terms."""
    index = _state(request, "search")
    assert isinstance(index, SearchIndex)
    return index


CatalogDep = Annotated[Catalog, Depends(get_catalog)]
SearchDep = Annotated[SearchIndex, Depends(get_search_index)]


@dataclass(frozen=True)
class Page:
    """Which slice of a list to return, and the link to the next slice."""

    limit: int
    offset: int

    def window(self, total: int) -> slice:
        """The slice of a list of ``total`` items this page shows."""
        return slice(self.offset, min(self.offset + self.limit, total))

    def next_url(self, request: Request, total: int) -> str | None:
        """The absolute URL of the next page, or None on the last one."""
        if self.offset + self.limit >= total:
            return None
        return str(request.url.include_query_params(offset=self.offset + self.limit))


def get_page(
    limit: Annotated[int, Query(ge=1, le=100, description="Results per page (at most 100).")] = 20,
    offset: Annotated[int, Query(ge=0, description="Results to skip.")] = 0,
) -> Page:
    """The ``limit`` and ``offset`` query parameters."""
    return Page(limit=limit, offset=offset)


PageDep = Annotated[Page, Depends(get_page)]


# SPARQL ----------------------------------------------------------------------


class SparqlService:
    """Runs queries in the worker pool without tying up the event loop.

    At most one thread per worker waits on the pool; further queries wait here,
    as cheap coroutines, for up to the pool's queue wait, then get a 503.
    """

    def __init__(self, pool: QueryPool) -> None:
        self.pool = pool
        self._gate = anyio.CapacityLimiter(pool.size)

    async def run(self, request: QueryRequest) -> QueryResult:
        with anyio.move_on_after(self.pool.queue_wait_seconds) as waiting:
            await self._gate.acquire()
        if waiting.cancelled_caught:
            raise PoolBusy(
                f"all {self.pool.size} SPARQL workers are busy; try again in a few seconds"
            )
        try:
            return await anyio.to_thread.run_sync(self.pool.run, request)
        finally:
            self._gate.release()


def get_sparql_service(request: Request) -> SparqlService:
    """The SPARQL service of the app."""
    service = _state(request, "sparql")
    assert isinstance(service, SparqlService)
    return service


SparqlDep = Annotated[SparqlService, Depends(get_sparql_service)]
