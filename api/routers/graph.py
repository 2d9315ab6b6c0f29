"""The whole graph as a download: Turtle, N-Triples or JSON-LD."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import FileResponse

from api.deps import AcceptDep, StoreDep
from api.errors import ApiError
from api.schemas import ERROR_RESPONSES
from kg.store import DUMP_FORMATS, DumpFormat

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", tags=["graph"])

FormatName = Literal["ttl", "nt", "jsonld"]


@router.get(
    "/graph",
    summary="Download the whole graph",
    response_class=FileResponse,
    responses={
        200: {
            "description": "The graph, as an attachment.",
            "content": {f.media_type: {} for f in DUMP_FORMATS.values()},
        },
        406: ERROR_RESPONSES[406],
    },
)
def download_graph(
    store: StoreDep,
    accept: AcceptDep,
    format: Annotated[
        FormatName | None,
        Query(description="ttl, nt or jsonld; overrides the Accept header."),
    ] = None,
) -> FileResponse:
    """The default graph in the format named by ``?format=`` or else by ``Accept``."""
    dump_format = _chosen_format(format, accept)
    return FileResponse(
        store.dump(dump_format),
        media_type=_content_type(dump_format),
        filename=f"policy-terms.{dump_format.extension}",
        content_disposition_type="attachment",
    )


def _chosen_format(name: str | None, accept: AcceptDep) -> DumpFormat:
    if name is not None:
        return DUMP_FORMATS[name]
    by_media_type = {f.media_type: f for f in DUMP_FORMATS.values()}
    media_type = accept.best(list(by_media_type))
    if media_type is None:
        offered = ", ".join(by_media_type)
        raise ApiError(406, f"the graph is available as {offered}; the request accepts none")
    return by_media_type[media_type]


def _content_type(dump_format: DumpFormat) -> str:
    if dump_format.media_type.startswith("text/"):
        return f"{dump_format.media_type}; charset=utf-8"
    return dump_format.media_type
