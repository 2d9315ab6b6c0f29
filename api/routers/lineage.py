"""A term's lineage across reports, and marking known terms in any text.

``GET /api/v1/terms/{id}/lineage`` gives :func:`kg.link.lineage.term_lineage`;
``POST /api/v1/annotate`` finds terms in posted text. Both read the
rdflib graph and the annotator the app builds at start-up (``app.state``).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field
from rdflib import Graph

from api.errors import ApiError
from kg.link.lineage import GraphAnnotator, UnknownTerm, resolve_term, term_lineage

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
    """The rdflib graph being served."""
    graph = getattr(request.app.state, "graph", None)
    if not isinstance(graph, Graph):
        raise ApiError(503, "the graph is not loaded yet")
    return graph


GraphDep = Annotated[Graph, Depends(get_link_graph)]


def get_annotator(request: Request) -> GraphAnnotator:
    """The annotator of the served graph, built with the app."""
    annotator = getattr(request.app.state, "annotator", None)
    if not isinstance(annotator, GraphAnnotator):
        raise ApiError(503, "the graph is not loaded yet")
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
