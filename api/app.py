"""The FastAPI application factory.

Nothing is built at import time: :func:`create_app` wires routers, error
handlers, the middleware every response passes (:mod:`api.middleware`: public
host, security headers, CORS, HEAD and OPTIONS; :mod:`api.limits`: body caps;
:mod:`api.conditional`: 304s and gzip) and the
self-hosted API docs, and its lifespan opens the store of the graph file
``settings.graph_path`` (:func:`kg.store.open_snapshot`: the snapshot beside
the file, written on first use, with its SPARQL workers; a damaged graph is
refused) — or, with
``settings.sparql_endpoint``, connects to a shared SPARQL server
(:class:`kg.store.RemoteStore`) —, builds the read model from the store once,
and tears both down on shutdown. The app never runs the pipeline: ``kg serve``
and ``kg build`` make the graph file it serves (see :mod:`kg.build`),
``kg push`` fills a shared store.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import re
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from importlib.resources import files
from pathlib import Path

import anyio.to_thread
from fastapi import FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from api.admission import Admission
from api.conditional import Compression, ConditionalRequests
from api.deps import GraphSummary, SparqlService, StoreProbe
from api.discovery import Discovery, Service
from api.errors import install_error_handlers
from api.limits import BodyLimit
from api.middleware import Cors, Methods, PublicHost, SecurityHeaders
from api.routers import (
    discovery,
    dump,
    lineage,
    meta,
    nodes,
    ontology,
    reports,
    resources,
    sparql,
    subgraph,
    terms,
    widget,
)
from api.routers.reconcile import router as reconcile_router
from api.settings import Settings, get_settings
from kg import __version__
from kg.errors import KGError
from kg.readmodel import ReadModel
from kg.sparql import QueryLimits, StoreUnavailable
from kg.store import GraphStore, OxigraphStore, RemoteStore, open_snapshot

__all__ = ["GraphNotConfigured", "create_app", "open_store", "summarize"]

_DOCS_ASSETS = "/static/docs"
_ANNOTATE = "/api/v1/annotate"
# OpenRefine and browser tools post reconciliation batches from other origins.
_RECONCILE = "/reconcile"
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)
# Swagger UI and ReDoc set inline styles and draw with data: images; no inline script but one.
_DOCS_CSP = (
    "default-src 'none'; script-src 'self' {hashes}; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; worker-src 'self' blob:; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)

logger = logging.getLogger("kg.serve")


class GraphNotConfigured(KGError):
    """There is no graph to serve."""


def summarize(
    store: GraphStore, model: ReadModel, load_seconds: float, modified: datetime | None = None
) -> GraphSummary:
    """Counts of the served graph, taken once; ``modified`` defaults to now."""
    catalog = model.catalog
    now = datetime.now(UTC)
    return GraphSummary(
        triples=len(store),
        reports=len(catalog.reports),
        terms=len(catalog.terms),
        definitions=sum(len(term.definitions) for term in catalog.terms.values()),
        built_at=now,
        build_seconds=round(load_seconds, 3),
        modified=(modified or now).replace(microsecond=0),
    )


def _limits(settings: Settings) -> QueryLimits:
    return QueryLimits(
        timeout_seconds=settings.sparql_timeout_seconds,
        row_limit=settings.sparql_row_limit,
        workers=settings.sparql_workers,
        queue_wait_seconds=settings.sparql_queue_wait_seconds,
        max_query_chars=settings.sparql_max_query_chars,
        max_nesting=settings.sparql_max_nesting,
        memory_mb=settings.sparql_worker_memory_mb,
    )


def open_store(settings: Settings) -> GraphStore:
    """The store ``settings`` name: a shared SPARQL server, or the graph file loaded locally."""
    if settings.sparql_endpoint:
        return _open_remote(settings, settings.sparql_endpoint)
    return _load_file(settings)


def _open_remote(settings: Settings, endpoint: str) -> RemoteStore:
    """A store on the shared server, once it answers (start-up waits for it, within limits)."""
    settings.cache_dir.mkdir(parents=True, exist_ok=True)
    directory = Path(tempfile.mkdtemp(prefix="remote-", dir=settings.cache_dir))
    store = RemoteStore(
        endpoint, graph=settings.store_graph, limits=_limits(settings), cache_dir=directory
    )
    deadline = time.monotonic() + settings.store_start_timeout_seconds
    while True:
        try:
            store.check()
            return store
        except StoreUnavailable as error:
            if time.monotonic() >= deadline:
                store.close()
                raise GraphNotConfigured(str(error)) from None
            logger.warning("waiting for the graph store: %s", error)
            time.sleep(1.0)


def _load_file(settings: Settings) -> OxigraphStore:
    """The snapshot store of ``settings.graph_path`` (written on first use), with its workers."""
    path = settings.graph_path
    if path is None:
        raise GraphNotConfigured(
            "no graph to serve: set KG_GRAPH_PATH to a built graph, or run `kg serve`"
        )
    if not path.is_file():
        raise GraphNotConfigured(f"KG_GRAPH_PATH={path}: no such file")
    return open_snapshot(path, _limits(settings), spare=settings.cache_dir / "snapshots")


def _open(settings: Settings) -> tuple[GraphStore, ReadModel, GraphSummary]:
    started = time.perf_counter()
    store = open_store(settings)
    try:
        model = ReadModel.from_store(store)
    except BaseException:
        _close(store)
        raise
    return store, model, summarize(store, model, time.perf_counter() - started, _modified(settings))


def _modified(settings: Settings) -> datetime | None:
    """When the served graph file last changed; None for a shared store."""
    if settings.sparql_endpoint or settings.graph_path is None:
        return None
    return datetime.fromtimestamp(settings.graph_path.stat().st_mtime, UTC)


def _close(store: GraphStore) -> None:
    store.close()


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings: Settings = app.state.settings
    try:
        store, model, summary = await anyio.to_thread.run_sync(_open, settings)
    except KGError as error:
        logger.error("kg: error: %s", error)
        raise
    app.state.store, app.state.model, app.state.summary = store, model, summary
    app.state.sparql = SparqlService(store, max_held=settings.sparql_concurrency)
    app.state.probe = StoreProbe(store)
    app.state.discovery = Discovery(store, Service(settings.base_url, app.title, summary.modified))
    app.state.annotate = Admission(
        "annotate",
        settings.annotate_concurrency,
        settings.annotate_queue,
        settings.annotate_queue_wait_seconds,
    )
    try:
        yield
    finally:
        app.state.store = app.state.model = app.state.summary = app.state.sparql = None
        app.state.annotate = app.state.probe = app.state.discovery = None
        await anyio.to_thread.run_sync(_close, store)


def _add_docs(app: FastAPI) -> None:
    """Swagger UI and ReDoc from files served by the app itself, not from a CDN."""
    assets = Path(str(files("fastapi_offline") / "static"))
    app.mount(_DOCS_ASSETS, StaticFiles(directory=assets), name="docs-assets")
    openapi_url = app.openapi_url or "/openapi.json"

    @app.get("/docs", include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        return _with_docs_policy(
            get_swagger_ui_html(
                openapi_url=openapi_url,
                title=f"{app.title} · API",
                swagger_js_url=f"{_DOCS_ASSETS}/swagger-ui-bundle.js",
                swagger_css_url=f"{_DOCS_ASSETS}/swagger-ui.css",
                swagger_favicon_url=f"{_DOCS_ASSETS}/favicon.png",
            )
        )

    @app.get("/redoc", include_in_schema=False)
    def redoc() -> HTMLResponse:
        return _with_docs_policy(
            get_redoc_html(
                openapi_url=openapi_url,
                title=f"{app.title} · API",
                redoc_js_url=f"{_DOCS_ASSETS}/redoc.standalone.js",
                redoc_favicon_url=f"{_DOCS_ASSETS}/favicon.png",
                with_google_fonts=False,
            )
        )


def _with_docs_policy(page: HTMLResponse) -> HTMLResponse:
    """The docs page with a CSP that allows its own assets and, by hash, its inline script."""
    body = bytes(page.body).decode("utf-8")
    hashes = " ".join(
        "'sha256-{}'".format(
            base64.b64encode(hashlib.sha256(script.encode()).digest()).decode("ascii")
        )
        for script in _INLINE_SCRIPT.findall(body)
    )
    page.headers["Content-Security-Policy"] = _DOCS_CSP.format(hashes=hashes).replace("  ", " ")
    return page


def create_app(settings: Settings | None = None) -> FastAPI:
    """A new app serving the graph ``settings`` name (default: from the environment)."""
    resolved = settings if settings is not None else get_settings()
    app = FastAPI(
        title="Policy terms knowledge graph",
        version=__version__,
        description="Terms that Chinese government work reports coin and define, as RDF.",
        lifespan=_lifespan,
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = resolved
    if settings is not None:
        app.dependency_overrides[get_settings] = lambda: resolved
    install_error_handlers(app)
    _add_middleware(app, resolved)
    _add_docs(app)
    routers = (
        meta,
        dump,
        sparql,
        discovery,
        terms,
        subgraph,
        lineage,
        reports,
        resources,
        nodes,
        ontology,
        widget,
    )
    for module in routers:
        app.include_router(module.router)
    app.include_router(reconcile_router)
    _document_common_errors(app)
    return app


_COMMON_ERRORS = {
    "404": "No resource with this id",
    "413": "Request body over the size limit",
    "503": "Not ready, or busy",
}


def _document_common_errors(app: FastAPI) -> None:
    """List in the schema the errors any route may give, so the spec says what is answered.

    An operation with a path parameter may answer 404 (an unknown id), one with a
    body 413 (over its cap, from :mod:`api.limits`), and every one 503 before the
    store is loaded.
    """
    build_schema = app.openapi

    def openapi() -> dict[str, object]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = build_schema()
        error = {"$ref": "#/components/schemas/ErrorResponse"}
        for methods in schema.get("paths", {}).values():
            for operation in methods.values():
                wanted = ["503"]
                if any(p.get("in") == "path" for p in operation.get("parameters", [])):
                    wanted.append("404")
                if "requestBody" in operation:
                    wanted.append("413")
                for status in wanted:
                    operation["responses"].setdefault(
                        status,
                        {
                            "description": _COMMON_ERRORS[status],
                            "content": {"application/json": {"schema": error}},
                        },
                    )
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def _add_middleware(app: FastAPI, settings: Settings) -> None:
    """The layers every request passes, innermost first.

    Compression, conditional requests, methods (HEAD, OPTIONS, Allow), CORS,
    body caps, security headers, public host. ``Methods`` is outside the
    first two so that a ``HEAD`` gets exactly the headers of the gzipped, or
    304, ``GET``.
    """
    app.add_middleware(Compression)
    app.add_middleware(ConditionalRequests)
    app.add_middleware(Methods, router=app.router)
    # POST only for /api/v1/annotate, which the embeddable widget calls.
    app.add_middleware(Cors, allow_origins=settings.cors, post_paths=[_ANNOTATE, _RECONCILE])
    app.add_middleware(
        BodyLimit,
        max_bytes=settings.max_body_bytes,
        path_limits={
            # JSON escapes a character in at most 6 bytes (\uXXXX).
            _ANNOTATE: settings.annotate_max_chars * 6 + 4096,
            # A form percent-encodes a Chinese character in 9 bytes (%E4%B8%AD).
            "/sparql": settings.sparql_max_query_chars * 9 + 4096,
            "/sparql/": settings.sparql_max_query_chars * 9 + 4096,
        },
        timeout_seconds=settings.body_timeout_seconds,
    )
    app.add_middleware(SecurityHeaders)
    app.add_middleware(PublicHost, base_url=settings.base_url)
