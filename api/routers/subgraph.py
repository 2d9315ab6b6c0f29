"""A term's neighbourhood: an interactive page at ``/graph/{term}``, JSON under the API.

Both answers come from one :func:`kg.readmodel.subgraph.term_subgraph` of the
read model. The page is drawn by vis-network, which the app serves itself
(:func:`kg.render.graph_page.assets`), with a policy that runs only this
server's scripts; ``?embed=1`` drops the site header, for the ``<iframe>``
of the term page.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.templating import Jinja2Templates

from api.deps import ModelDep
from api.errors import ApiError
from api.routers.terms import TermName, resolve_term
from api.schemas import ERROR_RESPONSES, ErrorResponse, SubgraphOut
from kg.readmodel.subgraph import DEFAULT_DEPTH, MAX_DEPTH, Subgraph, term_subgraph
from kg.render.graph_page import TEMPLATES, Link, assets, graph_view

__all__ = ["router"]

router = APIRouter(tags=["graph"], responses={503: ERROR_RESPONSES[503]})

_API = Path(__file__).resolve().parent.parent
_PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'self'"
)
_ASSET_CACHE = "public, max-age=86400"
_ROUTES = {"term": "term_resource", "report": "report_resource", "district": "district_resource"}

Depth = Annotated[
    int, Query(ge=1, le=MAX_DEPTH, description=f"Steps out from the term (1 to {MAX_DEPTH}).")
]


@lru_cache(maxsize=1)
def _templates() -> Jinja2Templates:
    """The site's templates and the graph's own (``_graph.html``); values are escaped."""
    return Jinja2Templates(directory=[_API / "templates", TEMPLATES])


def _links(request: Request, *, absolute: bool) -> Link:
    def link(kind: str, ref: str) -> str | None:
        route = _ROUTES.get(kind)
        if route is None:
            return None
        url = request.url_for(route, name=ref)
        return str(url) if absolute else url.path

    return link


def _subgraph(model: ModelDep, name: str, depth: int) -> Subgraph:
    return term_subgraph(model.catalog, resolve_term(model, name), depth)


@router.get(
    "/graph/{term_id}",
    response_class=HTMLResponse,
    name="graph_page",
    summary="A term's neighbourhood, drawn",
    responses={404: {"model": ErrorResponse, "description": "No such term"}},
)
def graph_page(
    request: Request,
    model: ModelDep,
    term_id: TermName,
    depth: Depth = DEFAULT_DEPTH,
    embed: Annotated[bool, Query(description="Leave out the site header (for an iframe).")] = False,
) -> HTMLResponse:
    """Terms, reports, parts and districts around a term; a click opens a node's page."""
    subgraph = _subgraph(model, term_id, depth)
    view = graph_view(subgraph, _links(request, absolute=False))
    term = model.catalog.terms[subgraph.center.partition(":")[2]]
    response = _templates().TemplateResponse(
        request,
        "graph.html",
        {
            "view": view,
            "term": term,
            "depth": subgraph.depth,
            "max_depth": MAX_DEPTH,
            "embed": embed,
        },
    )
    response.headers["Content-Security-Policy"] = _PAGE_CSP
    return response


@router.get(
    "/api/v1/terms/{term_id}/graph",
    response_model=SubgraphOut,
    tags=["terms"],
    summary="A term's neighbourhood as nodes and edges",
    responses={404: {"model": ErrorResponse, "description": "No such term"}},
)
def graph_json(
    request: Request, model: ModelDep, term_id: TermName, depth: Depth = DEFAULT_DEPTH
) -> SubgraphOut:
    """The subgraph ``/graph/{term}`` draws: nearest nodes first, ``truncated`` when capped."""
    body = _subgraph(model, term_id, depth).to_json()
    link = _links(request, absolute=True)
    for node in body["nodes"]:
        node["url"] = link(node["kind"], node["ref"]) if node["ref"] else None
    return SubgraphOut.model_validate(body)


@router.get("/static/graph/{name}", include_in_schema=False, name="graph_asset")
def graph_asset(name: str) -> FileResponse:
    """vis-network and the page's own script and style, from this server."""
    asset = assets().get(name)
    if asset is None:
        raise ApiError(404, f"no graph asset {name!r}")
    return FileResponse(
        asset.path, media_type=asset.media_type, headers={"Cache-Control": _ASSET_CACHE}
    )
