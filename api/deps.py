"""Dependencies of the routes, with ``Annotated`` aliases to declare them by.

The store, the read model, the SPARQL service and the counts live on
``app.state``, put there by the lifespan of :func:`api.app.create_app`; until
then every route that needs them answers 503.

Every dependency here is ``async``: each only reads ``app.state`` or the
query string, so it runs on the event loop instead of costing a hop to the
thread pool (FastAPI runs a plain ``def`` dependency in a worker thread).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

import anyio
import anyio.to_thread
from fastapi import Depends, Query, Request

from api.admission import Admission
from api.discovery import Discovery
from api.errors import ApiError
from api.settings import Settings, get_settings
from kg.readmodel import ReadModel
from kg.readmodel.catalog import Catalog
from kg.readmodel.search import SearchIndex
from kg.sparql import PoolBusy, QueryRequest, QueryResult, SparqlError
from kg.store import GraphStore

__all__ = [
    "CatalogDep",
    "DiscoveryDep",
    "GraphSummary",
    "ModelDep",
    "Page",
    "PageDep",
    "ProbeDep",
    "SearchDep",
    "SettingsDep",
    "SparqlDep",
    "SparqlService",
    "StoreDep",
    "StoreProbe",
    "SummaryDep",
    "get_app_settings",
    "get_catalog",
    "get_discovery",
    "get_graph_store",
    "get_graph_summary",
    "get_page",
    "get_read_model",
    "get_search_index",
    "get_sparql_service",
    "get_store_probe",
]


async def get_app_settings(request: Request) -> Settings:
    """The settings the app was made with (:func:`api.settings.get_settings` by default)."""
    settings = getattr(request.app.state, "settings", None)
    return settings if isinstance(settings, Settings) else get_settings()


SettingsDep = Annotated[Settings, Depends(get_app_settings)]


@dataclass(frozen=True)
class GraphSummary:
    """Counts taken once when the store was loaded, and when the served graph last changed.

    ``modified`` is the graph file's modification time, or, for a shared store,
    when it was opened; it is the dump's ``Last-Modified``.
    """

    triples: int
    reports: int
    terms: int
    definitions: int
    built_at: datetime
    build_seconds: float
    modified: datetime


def _state(request: Request, name: str) -> object:
    value = getattr(request.app.state, name, None)
    if value is None:
        raise ApiError(503, "the graph store is not loaded yet")
    return value


async def get_graph_store(request: Request) -> GraphStore:
    """The store being served."""
    return _state(request, "store")  # type: ignore[return-value]


async def get_graph_summary(request: Request) -> GraphSummary:
    """Counts of the served graph."""
    summary = _state(request, "summary")
    assert isinstance(summary, GraphSummary)
    return summary


def _model(request: Request) -> ReadModel:
    model = _state(request, "model")
    assert isinstance(model, ReadModel)
    return model


async def get_read_model(request: Request) -> ReadModel:
    """The read model of the served graph, built at start-up."""
    return _model(request)


async def get_catalog(request: Request) -> Catalog:
    """Terms, reports and districts of the served graph."""
    return _model(request).catalog


async def get_search_index(request: Request) -> SearchIndex:
    """The search index over the catalog's terms."""
    return _model(request).search


StoreDep = Annotated[GraphStore, Depends(get_graph_store)]
SummaryDep = Annotated[GraphSummary, Depends(get_graph_summary)]
ModelDep = Annotated[ReadModel, Depends(get_read_model)]
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

    def links(self, request: Request, total: int) -> str | None:
        """A ``Link`` header value naming the next and previous pages (RFC 8288), if any."""
        found = []
        if (following := self.next_url(request, total)) is not None:
            found.append(f'<{following}>; rel="next"')
        if self.offset > 0:
            before = request.url.include_query_params(offset=max(0, self.offset - self.limit))
            found.append(f'<{before}>; rel="prev"')
        return ", ".join(found) or None


async def get_page(
    limit: Annotated[int, Query(ge=1, le=100, description="Results per page (at most 100).")] = 20,
    offset: Annotated[int, Query(ge=0, description="Results to skip.")] = 0,
) -> Page:
    """The ``limit`` and ``offset`` query parameters."""
    return Page(limit=limit, offset=offset)


PageDep = Annotated[Page, Depends(get_page)]


# Checking a query takes about a microsecond a character: a short one is checked on the
# event loop in less time than a hop to a worker thread takes.
_INLINE_CHECK_CHARS = 2_000


class SparqlService:
    """Runs user queries on the store without tying up the event loop.

    At most ``max_held`` requests are held at once (more answer 429 at once,
    with ``Retry-After``). A held request waits, as a cheap coroutine, for one
    of the store's query slots for up to the store's queue wait (else a 503);
    then it is checked (:class:`~kg.sparql.QueryRequest` runs the lexical
    guard: on the event loop for a query of up to ``_INLINE_CHECK_CHARS``
    characters, in a thread for a longer one) and answered by the store's
    :meth:`~kg.store.GraphStore.query_async`, which awaits the worker's answer
    without holding a thread.
    """

    def __init__(self, store: GraphStore, max_held: int | None = None) -> None:
        self.store = store
        limits = store.limits
        self.admission = Admission(
            "SPARQL",
            limits.workers,
            max(0, (max_held or limits.workers) - limits.workers),
            limits.queue_wait_seconds,
        )

    async def run(self, build: Callable[[], QueryRequest], query_chars: int) -> QueryResult:
        """Build the request with ``build`` (checking a query of ``query_chars``), answer it."""
        inline = query_chars <= _INLINE_CHECK_CHARS
        limits = self.store.limits
        try:
            async with self.admission.slot():
                request = build() if inline else await anyio.to_thread.run_sync(build)
                return await self.store.query_async(request)
        except ApiError as error:
            if error.status != 503:
                raise
            raise PoolBusy(
                f"all {limits.workers} SPARQL workers are busy; try again in a few seconds"
            ) from None


class StoreProbe:
    """The store's last answer to :meth:`~kg.store.GraphStore.check`, kept for a second."""

    def __init__(self, store: GraphStore, ttl: float = 1.0) -> None:
        self.store = store
        self.ttl = ttl
        self._checked_at = -math.inf
        self._error: str | None = None
        self._lock = anyio.Lock()

    async def check(self) -> None:
        """Raise a 503 in the error shape while the store does not answer."""
        async with self._lock:
            if time.monotonic() - self._checked_at >= self.ttl:
                try:
                    await anyio.to_thread.run_sync(self.store.check)
                    self._error = None
                except SparqlError as error:
                    self._error = str(error)
                self._checked_at = time.monotonic()
        if self._error is not None:
            raise ApiError(503, self._error)


async def get_store_probe(request: Request) -> StoreProbe:
    """The app's probe of its store."""
    probe = _state(request, "probe")
    assert isinstance(probe, StoreProbe)
    return probe


ProbeDep = Annotated[StoreProbe, Depends(get_store_probe)]


async def get_sparql_service(request: Request) -> SparqlService:
    """The SPARQL service of the app."""
    service = _state(request, "sparql")
    assert isinstance(service, SparqlService)
    return service


SparqlDep = Annotated[SparqlService, Depends(get_sparql_service)]


def get_discovery(request: Request) -> Discovery:
    """The service's descriptions of itself (VoID, service description, sitemap)."""
    discovery = _state(request, "discovery")
    assert isinstance(discovery, Discovery)
    return discovery


DiscoveryDep = Annotated[Discovery, Depends(get_discovery)]
