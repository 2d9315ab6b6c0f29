"""A term's lineage across reports, and marking known terms in any text.

``GET /api/v1/terms/{id}/lineage`` gives :func:`kg.readmodel.lineage.term_lineage`;
``POST /api/v1/annotate`` finds terms in posted text. Both read the one read
model, so an annotated span's summary is the term's summary everywhere.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

import anyio.to_thread
from fastapi import APIRouter, Depends, Path, Request, Response

from api.admission import Admission
from api.deps import ModelDep, SettingsDep
from api.errors import ApiError
from api.routers.terms import resolve_term
from api.schemas import (
    AnnotateRequest,
    AnnotateResponse,
    ErrorResponse,
    LineageOut,
)
from api.settings import Settings
from kg.readmodel import AnnotatedSpan

__all__ = ["MAX_ANNOTATE_CHARS", "get_annotate_admission", "router"]

MAX_ANNOTATE_CHARS = Settings.model_fields["annotate_max_chars"].default
_JSON = "application/json"
# A text this short is marked in well under a millisecond: on the event loop, that costs
# less than the hop to a worker thread. Longer texts go to a thread, under admission.
_INLINE_CHARS = 4_000

router = APIRouter(tags=["lineage"])


def _error(description: str) -> dict[str, Any]:
    return {"model": ErrorResponse, "description": description}


@router.get(
    "/api/v1/terms/{term_id}/lineage",
    response_model=LineageOut,
    summary="A term's timeline and links",
)
async def lineage(
    term_id: Annotated[str, Path(description="The term's id, or any label form.")],
    model: ModelDep,
) -> dict[str, Any]:
    """Reports defining or mentioning the term, ordered by delivery date; what it came
    from, what it became, and the same idea under other names."""
    return model.lineage(resolve_term(model, term_id))


async def _json_only(request: Request) -> None:
    """415 for a body that is not JSON, before the body is validated."""
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type != _JSON:
        raise ApiError(
            415, f'send the text as {_JSON} ({{"text": …}}); got {media_type or "no type"}'
        )


async def get_annotate_admission(request: Request) -> Admission:
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
) -> Response:
    """Spans of the posted text that name a known term, with the term's id and summary.

    At most ``KG_ANNOTATE_MAX_CHARS`` characters (default 200,000) and
    ``KG_ANNOTATE_MAX_SPANS`` spans (default 5,000) per request: send longer
    texts in pieces. A text of up to 4,000 characters is marked on the event
    loop; a longer one in a worker thread, ``KG_ANNOTATE_CONCURRENCY`` at once.
    """
    limit = settings.annotate_max_chars
    if len(body.text) > limit:
        raise ApiError(413, f"the text has {len(body.text)} characters; at most {limit}")
    annotator = model.full_annotator if body.unlisted else model.annotator
    if len(body.text) <= _INLINE_CHARS:
        spans = annotator.annotate(body.text, body.district)
    else:
        async with admission.slot():
            spans = await anyio.to_thread.run_sync(annotator.annotate, body.text, body.district)
    if len(spans) > settings.annotate_max_spans:
        raise ApiError(
            413,
            f"the text names terms {len(spans)} times; at most {settings.annotate_max_spans} "
            "per request: send it in smaller pieces",
        )
    return Response(_spans_json(spans), media_type=_JSON)


def _spans_json(spans: list[AnnotatedSpan]) -> bytes:
    """The JSON of :class:`~api.schemas.AnnotateResponse`, encoded once.

    A term's id, label and summary are encoded once per answer however often
    the text names it; only each span's offsets and words are encoded per span.
    Text that is not valid Unicode (a lone surrogate) is sent escaped.
    """
    try:
        return _spans_text(spans, ensure_ascii=False).encode()
    except UnicodeEncodeError:
        return _spans_text(spans, ensure_ascii=True).encode()


def _spans_text(spans: list[AnnotatedSpan], *, ensure_ascii: bool) -> str:
    def dumps(value: object) -> str:
        return json.dumps(value, ensure_ascii=ensure_ascii, separators=(",", ":"))

    terms: dict[str, str] = {}
    parts = []
    for span in spans:
        term = span.term
        fields = terms.get(term.id)
        if fields is None:
            described = {"id": term.id, "label": term.label, "summary": term.summary}
            fields = terms[term.id] = dumps(described)[1:-1]
        parts.append(
            f'{{"start":{span.start},"end":{span.end},"text":{dumps(span.text)},{fields}}}'
        )
    return f'{{"spans":[{",".join(parts)}]}}'
