"""A term's lineage across reports, and marking known terms in any text.

``GET /api/v1/terms/{id}/lineage`` gives :func:`kg.link.lineage.term_lineage`;
``POST /api/v1/annotate`` finds terms in posted text. Both read an rdflib
graph: ``app.state.graph`` when the app keeps one, else the served store's
N-Triples dump, parsed once. The annotator is built once per graph and kept
on ``app.state``.
"""

from __future__ import annotations

import threading
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field
from rdflib import Graph

from api.errors import ApiError
from kg.link.lineage import GraphAnnotator, UnknownTerm, graph_annotator, resolve_term, term_lineage
from kg.store import DUMP_FORMATS, GraphStore

__all__ = [
    "MAX_ANNOTATE_CHARS",
    "AnnotateRequest",
    "AnnotateResponse",
    "AnnotatedSpan",
    "get_annotator",
    "get_link_graph",
    "router",
]

MAX_ANNOTATE_CHARS = 200_000
# UTF-8 needs at most 4 bytes a character, JSON escapes at most 6 (\uXXXX).
_MAX_BODY_BYTES = MAX_ANNOTATE_CHARS * 6 + 4096
_LOCK = threading.Lock()

router = APIRouter(tags=["lineage"])


class AnnotateRequest(BaseModel):
    """Text to mark up; ``district`` (e.g. 江汉区) settles terms two districts name alike."""

    text: str
    district: str | None = None


class AnnotatedSpan(BaseModel):
    """A term found in the text: character offsets ``[start, end)`` of the input."""

    start: int
    end: int
    text: str
    id: str
    label: str
    summary: str


class AnnotateResponse(BaseModel):
    spans: list[AnnotatedSpan] = Field(default_factory=list)


def get_link_graph(request: Request) -> Graph:
    """The rdflib graph being served, loaded from the store's dump if the app keeps none."""
    state = request.app.state
    graph = getattr(state, "graph", None)
    if isinstance(graph, Graph):
        return graph
    with _LOCK:
        cached = getattr(state, "lineage_graph", None)
        if isinstance(cached, Graph):
            return cached
        store = getattr(state, "store", None)
        if not isinstance(store, GraphStore):
            raise ApiError(503, "the graph store is not loaded yet")
        loaded = Graph().parse(store.dump(DUMP_FORMATS["nt"]), format="nt")
        state.lineage_graph = loaded
        return loaded


GraphDep = Annotated[Graph, Depends(get_link_graph)]


def get_annotator(request: Request, graph: GraphDep) -> GraphAnnotator:
    """The annotator of the served graph, built on first use."""
    state = request.app.state
    with _LOCK:
        cached = getattr(state, "annotator", None)
        if cached is not None and cached[0] is graph:
            annotator: GraphAnnotator = cached[1]
            return annotator
        annotator = graph_annotator(graph)
        state.annotator = (graph, annotator)
        return annotator


AnnotatorDep = Annotated[GraphAnnotator, Depends(get_annotator)]


@router.get("/api/v1/terms/{term_id}/lineage", summary="A term's timeline and links")
def lineage(term_id: str, graph: GraphDep) -> dict[str, Any]:
    """Reports defining or mentioning the term, ordered by delivery date; what it came
    from, what it became, and the same idea under other names. ``term_id`` may also be
    a label."""
    try:
        return term_lineage(graph, resolve_term(graph, term_id))
    except UnknownTerm as exc:
        raise ApiError(404, str(exc), suggestions=exc.suggestions) from exc


async def _bounded_body(request: Request) -> None:
    length = request.headers.get("content-length")
    if length is not None and length.isdigit() and int(length) > _MAX_BODY_BYTES:
        raise ApiError(413, f"the text is too long: at most {MAX_ANNOTATE_CHARS} characters")


@router.post(
    "/api/v1/annotate",
    response_model=AnnotateResponse,
    summary="Mark known terms in a text",
    dependencies=[Depends(_bounded_body)],
)
def annotate(body: AnnotateRequest, annotator: AnnotatorDep) -> AnnotateResponse:
    """Spans of the posted text that name a known term, with the term's id and summary."""
    if len(body.text) > MAX_ANNOTATE_CHARS:
        raise ApiError(
            413, f"the text has {len(body.text)} characters; at most {MAX_ANNOTATE_CHARS}"
        )
    spans = annotator.annotate(body.text, body.district)
    return AnnotateResponse(spans=[AnnotatedSpan(**span) for span in spans])
