"""The whole graph as a download, in any one-graph RDF format."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import FileResponse

from api.deps import StoreDep
from api.negotiation import VARY, AcceptDep, negotiate
from api.schemas import ERROR_RESPONSES
from kg.formats import GRAPH_FORMATS, RdfFormat, content_type, rdf_format_by_name

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", tags=["graph"])

FormatName = Literal["ttl", "nt", "jsonld", "rdf"]


@router.get(
    "/graph",
    summary="Download the whole graph",
    response_class=FileResponse,
    responses={
        200: {
            "description": "The graph, as an attachment.",
            "content": {f.media_type: {} for f in GRAPH_FORMATS},
        },
        406: ERROR_RESPONSES[406],
    },
)
def download_graph(
    store: StoreDep,
    accept: AcceptDep,
    format: Annotated[
        FormatName | None,
        Query(description="ttl, nt, jsonld or rdf (RDF/XML); overrides the Accept header."),
    ] = None,
) -> FileResponse:
    """The default graph in the format named by ``?format=`` or else by ``Accept``."""
    rdf_format = _chosen_format(format, accept)
    return FileResponse(
        store.dump(rdf_format),
        media_type=content_type(rdf_format.media_type),
        filename=f"policy-terms{rdf_format.suffix}",
        content_disposition_type="attachment",
        headers=VARY,
    )


def _chosen_format(name: str | None, accept: AcceptDep) -> RdfFormat:
    by_name = rdf_format_by_name(name) if name is not None else None
    if by_name is not None:
        return by_name
    media_type = negotiate(accept, [f.media_type for f in GRAPH_FORMATS], "the graph")
    return next(f for f in GRAPH_FORMATS if f.media_type == media_type)
