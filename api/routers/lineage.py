"""A term's lineage across reports, and marking known terms in any text.

``GET /api/v1/terms/{id}/lineage`` gives :func:`kg.readmodel.lineage.term_lineage`;
``POST /api/v1/annotate`` finds terms in posted text. Both read the one read
model, so an annotated span's summary is the term's summary everywhere.
"""

from __future__ import annotations

from typing import Annotated, Any

import anyio.to_thread
from fastapi import APIRouter, Depends, Path, Request

from api.admission import Admission
from api.deps import ModelDep, SettingsDep
from api.errors import ApiError
from api.routers.terms import resolve_term
from api.schemas import (
    AnnotatedSpanOut,
    AnnotateRequest,
    AnnotateResponse,
    ErrorResponse,
    LineageOut,
)
from api.settings import Settings

__all__ = ["MAX_ANNOTATE_CHARS", "get_annotate_admission", "router"]

MAX_ANNOTATE_CHARS = Settings.model_fields["annotate_max_chars"].default
_JSON = "application/json"

router = APIRouter(tags=["lineage"])


def _error(description: str) -> dict[str, Any]:
    return {"model": ErrorResponse, "description": description}


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


def _json_only(request: Request) -> None:
    """415 for a body that is not JSON, before the body is validated."""
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type != _JSON:
        raise ApiError(
            415, f'send the text as {_JSON} ({{"text": …}}); got {media_type or "no type"}'
        )


def get_annotate_admission(request: Request) -> Admission:
    """The slots annotate requests are computed in."""
    admission = getattr(request.app.state, "annotate", None)
    if not isinstance(admission, Admission):
        raise ApiError(503, "the graph store is not loaded yet")
    return admission


_ANNOTATE_ERRORS: dict[int | str, dict[str, Any]] = {
    413: _error("Text, body or answer over its limit"),
    415: _error("Body not sent as application/json"),
    429: _error("Too many annotate requests at once"),
    503: _error("Not ready, or busy"),
}


@router.post(
    "/api/v1/annotate",
    response_model=AnnotateResponse,
    summary="Mark known terms in a text",
    dependencies=[Depends(_json_only)],
    responses=_ANNOTATE_ERRORS,
)
async def annotate(
    body: AnnotateRequest,
    model: ModelDep,
    settings: SettingsDep,
    admission: Annotated[Admission, Depends(get_annotate_admission)],
) -> AnnotateResponse:
    """Spans of the posted text that name a known term, with the term's id and summary.

    At most ``KG_ANNOTATE_MAX_CHARS`` characters (default 200,000) and
    ``KG_ANNOTATE_MAX_SPANS`` spans (default 5,000) per request: send longer
    texts in pieces.
    """
    limit = settings.annotate_max_chars
    if len(body.text) > limit:
        raise ApiError(413, f"the text has {len(body.text)} characters; at most {limit}")
    annotator = model.full_annotator if body.unlisted else model.annotator
    async with admission.slot():
        spans = await anyio.to_thread.run_sync(annotator.annotate, body.text, body.district)
    if len(spans) > settings.annotate_max_spans:
        raise ApiError(
            413,
            f"the text names terms {len(spans)} times; at most {settings.annotate_max_spans} "
            "per request: send it in smaller pieces",
        )
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
