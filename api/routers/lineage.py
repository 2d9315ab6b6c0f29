"""A term's lineage across reports, and marking known terms in any text.

``GET /api/v1/terms/{id}/lineage`` gives :func:`kg.readmodel.lineage.term_lineage`;
``POST /api/v1/annotate`` finds terms in posted text. Both read the one read
model, so an annotated span's summary is the term's summary everywhere.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request

from api.deps import ModelDep
from api.errors import ApiError
from api.routers.terms import resolve_term
from api.schemas import AnnotatedSpanOut, AnnotateRequest, AnnotateResponse, LineageOut

__all__ = ["MAX_ANNOTATE_CHARS", "router"]

MAX_ANNOTATE_CHARS = 200_000
# UTF-8 needs at most 4 bytes a character, JSON escapes at most 6 (\uXXXX).
_MAX_BODY_BYTES = MAX_ANNOTATE_CHARS * 6 + 4096

router = APIRouter(tags=["lineage"])


@router.get(
    "/api/v1/terms/{term_id}/lineage",
    response_model=LineageOut,
    summary="A term's timeline and links",
)
def lineage(
    term_id: Annotated[str, Path(description="The term's id, or any label form.")],
    model: ModelDep,
) -> dict[str, Any]:
    """Reports defining or mentioning the term, ordered by delivery date; what it came
    from, what it became, and the same idea under other names."""
    return model.lineage(resolve_term(model, term_id))


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
def annotate(body: AnnotateRequest, model: ModelDep) -> AnnotateResponse:
    """Spans of the posted text that name a known term, with the term's id and summary."""
    if len(body.text) > MAX_ANNOTATE_CHARS:
        raise ApiError(
            413, f"the text has {len(body.text)} characters; at most {MAX_ANNOTATE_CHARS}"
        )
    annotator = model.full_annotator if body.unlisted else model.annotator
    spans = annotator.annotate(body.text, body.district)
    return AnnotateResponse(
        spans=[
            AnnotatedSpanOut(
                start=span.start,
                end=span.end,
                text=span.text,
                id=span.term.id,
                label=span.term.label,
                summary=span.term.summary,
            )
            for span in spans
        ]
    )
