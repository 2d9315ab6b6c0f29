"""The whole graph as a download, in any RDF format, by ``Accept``, ``?format=`` or suffix.

Each dump is a file of the store's (:meth:`~kg.store.GraphStore.dump`); beside
it this router keeps its SHA-256, which is its strong ``ETag``, and a gzipped
copy, sent to clients that accept gzip. ``Last-Modified`` is when the served
graph last changed. Conditional requests (304) are answered by
:class:`api.conditional.ConditionalRequests`.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, Annotated, Literal

from fastapi import APIRouter, Header, Query
from fastapi.responses import FileResponse

from api.conditional import accepts_gzip, http_date
from api.deps import StoreDep, SummaryDep
from api.negotiation import AcceptDep, negotiate
from api.schemas import ERROR_RESPONSES
from kg.formats import RDF_FORMATS, RdfFormat, content_type, rdf_format_by_name

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", tags=["graph"])

FormatName = Literal["ttl", "nt", "jsonld", "rdf", "nq", "trig"]
_CHUNK = 1 << 20
_RESPONSES: dict[int | str, dict[str, object]] = {
    200: {
        "description": "The graph, as an attachment (gzipped for clients that accept it).",
        "content": {f.media_type: {} for f in RDF_FORMATS},
    },
    304: {"description": "Not modified since the copy the client holds."},
}
AcceptEncoding = Annotated[str | None, Header(include_in_schema=False)]


@router.get(
    "/graph",
    summary="Download the whole graph",
    response_class=FileResponse,
    responses={**_RESPONSES, 406: ERROR_RESPONSES[406]},
)
def download_graph(
    store: StoreDep,
    summary: SummaryDep,
    accept: AcceptDep,
    format: Annotated[
        FormatName | None,
        Query(
            description="ttl, nt, jsonld, rdf (RDF/XML), nq (N-Quads) or trig; "
            "overrides the Accept header."
        ),
    ] = None,
    accept_encoding: AcceptEncoding = None,
) -> FileResponse:
    """The default graph in the format named by ``?format=`` or else by ``Accept``."""
    by_name = rdf_format_by_name(format) if format is not None else None
    if by_name is None:
        media_type = negotiate(accept, [f.media_type for f in RDF_FORMATS], "the graph")
        by_name = next(f for f in RDF_FORMATS if f.media_type == media_type)
    return _download(store, summary, by_name, accept_encoding, "Accept, Accept-Encoding")


@router.get(
    "/graph.{suffix}",
    summary="Download the whole graph in the format of a file suffix",
    response_class=FileResponse,
    responses=_RESPONSES,
)
def download_graph_as(
    store: StoreDep,
    summary: SummaryDep,
    suffix: FormatName,
    accept_encoding: AcceptEncoding = None,
) -> FileResponse:
    """``/api/v1/graph.ttl``, ``.nt``, ``.jsonld``, ``.rdf``, ``.nq``, ``.trig``."""
    rdf_format = rdf_format_by_name(suffix)
    assert rdf_format is not None
    return _download(store, summary, rdf_format, accept_encoding, "Accept-Encoding")


def _download(
    store: StoreDep,
    summary: SummaryDep,
    rdf_format: RdfFormat,
    accept_encoding: str | None,
    vary: str,
) -> FileResponse:
    path = store.dump(rdf_format)
    headers = {
        "ETag": f'"{_sha256(path)[:32]}"',
        "Last-Modified": http_date(summary.modified),
        "Cache-Control": "no-cache",
        "Vary": vary,
    }
    if accepts_gzip(accept_encoding):
        path = _gzipped(path)
        headers["Content-Encoding"] = "gzip"
    return FileResponse(
        path,
        media_type=content_type(rdf_format.media_type),
        filename=f"policy-terms{rdf_format.suffix}",
        content_disposition_type="attachment",
        headers=headers,
    )


def _sibling(path: Path, suffix: str, write: Callable[[IO[bytes], IO[bytes]], None]) -> Path:
    """``path`` + ``suffix``, written once by ``write(source, output)``, atomically."""
    target = path.with_name(path.name + suffix)
    if not target.exists():
        handle, partial = tempfile.mkstemp(dir=path.parent, suffix=".partial")
        try:
            with os.fdopen(handle, "wb") as output, path.open("rb") as source:
                write(source, output)
            os.replace(partial, target)
        except BaseException:
            Path(partial).unlink(missing_ok=True)
            raise
    return target


def _digest(source: IO[bytes], output: IO[bytes]) -> None:
    hashing = hashlib.sha256()
    while chunk := source.read(_CHUNK):
        hashing.update(chunk)
    output.write(hashing.hexdigest().encode("ascii"))


def _compress(source: IO[bytes], output: IO[bytes]) -> None:
    # No timestamp in the header: the same dump always compresses to the same bytes.
    with gzip.GzipFile(fileobj=output, mode="wb", compresslevel=6, mtime=0) as packed:
        shutil.copyfileobj(source, packed, _CHUNK)


def _sha256(path: Path) -> str:
    """The SHA-256 of a dump file, computed once and kept beside it."""
    return _sibling(path, ".sha256", _digest).read_text(encoding="ascii")


def _gzipped(path: Path) -> Path:
    """A gzipped copy of a dump file, made once."""
    return _sibling(path, ".gz", _compress)
