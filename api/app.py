"""The FastAPI application factory.

Nothing is built at import time: :func:`create_app` wires routers, error
handlers, CORS and the self-hosted API docs, and its lifespan builds the
serving store from :func:`load_graph`, starts the SPARQL workers, and tears
both down on shutdown.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from importlib.resources import files
from pathlib import Path

import anyio.to_thread
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from rdflib import Dataset, Graph

from api.deps import GraphSummary, SparqlService
from api.errors import install_error_handlers
from api.routers import graph, lineage, meta, reports, resources, sparql, terms, widget
from api.settings import Settings, get_settings
from kg import __version__
from kg.catalog import Catalog
from kg.link.lineage import graph_annotator
from kg.pipeline import cached_default_graph
from kg.search import SearchIndex
from kg.sparql import QueryPool
from kg.store import GraphStore, build_store

__all__ = ["GraphNotConfigured", "create_app", "load_graph", "summarize"]

_DOCS_ASSETS = "/static/docs"
_QUAD_FORMATS = {".nq": "nquads", ".trig": "trig"}


class GraphNotConfigured(RuntimeError):
    """There is no graph to serve."""


def load_graph(settings: Settings) -> Graph:
    """The graph to serve: the RDF file at ``settings.graph_path``, else the bundled corpus.

    The bundled corpus is built once and cached in ``settings.cache_dir``.
    N-Quads and TriG files keep their named graphs (as an rdflib ``Dataset``).
    """
    path = settings.graph_path
    if path is None:
        path = cached_default_graph(settings.cache_dir)
    if not path.is_file():
        raise GraphNotConfigured(f"KG_GRAPH_PATH={path}: no such file")
    quad_format = _QUAD_FORMATS.get(path.suffix.lower())
    if quad_format is not None:
        return Dataset().parse(path, format=quad_format)
    return Graph().parse(path)


_COUNT_QUERIES = {
    "reports": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a kgo:Report }",
    "terms": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a skos:Concept }",
    "definitions": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a kgo:Definition }",
}


def summarize(store: GraphStore, build_seconds: float) -> GraphSummary:
    """Counts of the served graph, taken once."""
    counts = {name: store.count(query) for name, query in _COUNT_QUERIES.items()}
    return GraphSummary(
        triples=len(store),
        built_at=datetime.now(UTC),
        build_seconds=round(build_seconds, 3),
        **counts,
    )


def _open_store(settings: Settings) -> tuple[Graph, GraphStore, GraphSummary, Catalog, SearchIndex]:
    started = time.perf_counter()
    graph = load_graph(settings)
    settings.cache_dir.mkdir(parents=True, exist_ok=True)
    # A fresh directory per process: several servers may share one cache_dir.
    directory = Path(tempfile.mkdtemp(prefix="store-", dir=settings.cache_dir))
    store = GraphStore(build_store(graph, directory / "store"))
    catalog = Catalog.from_graph(graph)
    search = SearchIndex(catalog)
    return graph, store, summarize(store, time.perf_counter() - started), catalog, search


def _start_pool(settings: Settings, store: GraphStore) -> QueryPool:
    pool = QueryPool(
        store.database_path,
        workers=settings.sparql_workers,
        timeout_seconds=settings.sparql_timeout_seconds,
        row_limit=settings.sparql_row_limit,
        queue_wait_seconds=settings.sparql_queue_wait_seconds,
    )
    pool.start()
    return pool


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings: Settings = app.state.settings
    graph, store, summary, catalog, search = await anyio.to_thread.run_sync(_open_store, settings)
    try:
        pool = await anyio.to_thread.run_sync(_start_pool, settings, store)
    except BaseException:
        shutil.rmtree(store.directory.parent, ignore_errors=True)
        raise
    app.state.store, app.state.summary, app.state.sparql = store, summary, SparqlService(pool)
    app.state.catalog, app.state.search = catalog, search
    app.state.graph, app.state.annotator = graph, graph_annotator(graph)
    try:
        yield
    finally:
        app.state.store = app.state.summary = app.state.sparql = None
        app.state.catalog = app.state.search = None
        app.state.graph = app.state.annotator = None
        await anyio.to_thread.run_sync(pool.close)
        shutil.rmtree(store.directory.parent, ignore_errors=True)


def _add_docs(app: FastAPI) -> None:
    """Swagger UI and ReDoc from files served by the app itself, not from a CDN."""
    assets = Path(str(files("fastapi_offline") / "static"))
    app.mount(_DOCS_ASSETS, StaticFiles(directory=assets), name="docs-assets")
    openapi_url = app.openapi_url or "/openapi.json"

    @app.get("/docs", include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=openapi_url,
            title=f"{app.title} · API",
            swagger_js_url=f"{_DOCS_ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{_DOCS_ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{_DOCS_ASSETS}/favicon.png",
        )

    @app.get("/redoc", include_in_schema=False)
    def redoc() -> HTMLResponse:
        return get_redoc_html(
            openapi_url=openapi_url,
            title=f"{app.title} · API",
            redoc_js_url=f"{_DOCS_ASSETS}/redoc.standalone.js",
            redoc_favicon_url=f"{_DOCS_ASSETS}/favicon.png",
            with_google_fonts=False,
        )


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
    app.add_middleware(
        CORSMiddleware,
        allow_origins=resolved.cors,
        # POST only for /api/v1/annotate, which the embeddable widget calls.
        allow_methods=["GET", "POST"],
        allow_headers=["Accept", "Content-Type"],
    )
    _add_docs(app)
    for module in (meta, graph, sparql, terms, lineage, reports, resources, widget):
        app.include_router(module.router)
    return app
