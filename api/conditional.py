"""Conditional requests and compression, for every route at once: ASGI middleware.

:class:`Compression` gzips answers of at least :data:`GZIP_MINIMUM_BYTES`
for clients that accept it (Starlette's ``GZipMiddleware``, which adds
``Vary: Accept-Encoding``; an answer already encoded, such as the dump's
pre-compressed file, passes as it is).

:class:`ConditionalRequests` sits outside it and sees each answer as it
leaves: a strong ``ETag`` on a gzipped body gets ``-gzip`` before its closing
quote (the two encodings are different bytes, so they must not share a
strong tag), and a ``GET`` or ``HEAD`` whose ``If-None-Match`` names that
tag — or, without ``If-None-Match``, whose ``If-Modified-Since`` is not
older than ``Last-Modified`` — is answered ``304 Not Modified`` with the
answer's validators and no body (RFC 9110, section 13). Routes only set
``ETag`` and ``Last-Modified``.
"""

from __future__ import annotations

from datetime import datetime
from email.utils import format_datetime, parsedate_to_datetime
from typing import TypeGuard

from starlette.datastructures import Headers, MutableHeaders
from starlette.middleware.gzip import GZipMiddleware, IdentityResponder
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = [
    "GZIP_MINIMUM_BYTES",
    "Compression",
    "ConditionalRequests",
    "accepts_gzip",
    "http_date",
    "none_match",
    "not_modified_since",
]

GZIP_MINIMUM_BYTES = 1024
"""Smaller answers are sent as they are: compressing them saves less than it costs."""

# Headers a 304 keeps (RFC 9110, 15.4.5), with the CORS and security headers added outside.
_KEPT_ON_304 = {
    b"etag",
    b"last-modified",
    b"vary",
    b"cache-control",
    b"content-location",
    b"expires",
}


class Compression(GZipMiddleware):
    """gzip at level 6 (nearly the size of 9, at a fraction of the time) from 1 KiB up.

    Only for a client whose ``Accept-Encoding`` gives gzip a q-value above 0
    (:func:`accepts_gzip`; Starlette alone would also gzip for ``gzip;q=0``).
    """

    def __init__(self, app: ASGIApp) -> None:
        super().__init__(app, minimum_size=GZIP_MINIMUM_BYTES, compresslevel=6)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not accepts_gzip(
            Headers(scope=scope).get("accept-encoding")
        ):
            identity = IdentityResponder(
                self.app, self.minimum_size, exclude_content_types=self.exclude_content_types
            )
            await identity(scope, receive, send)
            return
        await super().__call__(scope, receive, send)


def accepts_gzip(header: str | None) -> bool:
    """Whether an ``Accept-Encoding`` header names gzip with a q-value above 0."""
    for part in (header or "").split(","):
        coding, *params = (piece.strip() for piece in part.split(";"))
        if coding.lower() in {"gzip", "x-gzip"}:
            q = next((p.partition("=")[2] for p in params if p.startswith("q=")), "1")
            try:
                return float(q) > 0
            except ValueError:
                return False
    return False


def http_date(moment: datetime) -> str:
    """``moment`` as an HTTP date (``Tue, 03 Dec 2024 13:17:00 GMT``)."""
    return format_datetime(moment.replace(microsecond=0), usegmt=True)


def _tags(header: str) -> list[str]:
    return [tag.strip().removeprefix("W/") for tag in header.split(",") if tag.strip()]


def none_match(if_none_match: str, etag: str) -> bool:
    """Whether ``If-None-Match`` names ``etag`` (weak comparison, as for ``GET``), or is ``*``."""
    tags = _tags(if_none_match)
    return "*" in tags or etag.removeprefix("W/") in tags


def not_modified_since(if_modified_since: str, last_modified: str) -> bool:
    """Whether ``Last-Modified`` is no later than ``If-Modified-Since``; False if either is bad."""
    try:
        since = parsedate_to_datetime(if_modified_since)
        modified = parsedate_to_datetime(last_modified)
    except (TypeError, ValueError):
        return False
    if since.tzinfo is None or modified.tzinfo is None:
        return False
    return modified <= since


def _strong_gzip_tag(etag: str | None, encoding: str | None) -> TypeGuard[str]:
    """Whether ``etag`` is a strong tag of a gzipped body that does not say so yet."""
    return (
        etag is not None
        and not etag.startswith("W/")
        and encoding == "gzip"
        and not etag.endswith('-gzip"')
    )


def _unique_tokens(header: str) -> str:
    """A list header with each token once (a route and the compression may both add to Vary)."""
    tokens = [token.strip() for token in header.split(",") if token.strip()]
    return ", ".join(dict.fromkeys(tokens))


def _not_modified(request: Headers, response: Headers) -> bool:
    etag = response.get("etag")
    if "if-none-match" in request:
        return etag is not None and none_match(request["if-none-match"], etag)
    last_modified = response.get("last-modified")
    if "if-modified-since" in request and last_modified is not None:
        return not_modified_since(request["if-modified-since"], last_modified)
    return False


class ConditionalRequests:
    """304 for a ``GET``/``HEAD`` whose validators match; ``-gzip`` on a gzipped strong ETag."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in {"GET", "HEAD"}:
            await self.app(scope, receive, send)
            return
        request = Headers(scope=scope)
        replaced = False

        async def conditional_send(message: Message) -> None:
            nonlocal replaced
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if "vary" in headers:
                    headers["Vary"] = _unique_tokens(headers["vary"])
                etag = headers.get("etag")
                if _strong_gzip_tag(etag, headers.get("content-encoding")):
                    headers["ETag"] = etag[:-1] + '-gzip"'
                if message["status"] in {200, 206} and _not_modified(request, headers):
                    replaced = True
                    kept = [(k, v) for k, v in message["headers"] if k.lower() in _KEPT_ON_304]
                    message = {"type": "http.response.start", "status": 304, "headers": kept}
                    await send(message)
                    await send({"type": "http.response.body", "body": b"", "more_body": False})
                    return
            elif replaced:
                return
            await send(message)

        await self.app(scope, receive, conditional_send)
