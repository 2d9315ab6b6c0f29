"""Request bodies bounded while they are read: size caps and a deadline, as ASGI middleware.

:class:`BodyLimit` refuses a request whose ``Content-Length`` is over its
path's cap with 413 **before reading a byte** of it; since uvicorn only sends
``100 Continue`` when the app first asks for the body, a client that waits
for it gets the 413 instead. A body sent without a length (chunked) is
counted as it arrives and refused the moment it passes the cap. A body that
takes longer than ``timeout_seconds`` to arrive is refused with 408. Every
refusal closes the connection and has the API's one error shape.
"""

from __future__ import annotations

import time
from collections.abc import Mapping

import anyio
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import error_response

__all__ = ["BodyLimit"]

# The rest of a refused body is never read, so the connection cannot carry another request.
_CLOSE = {"Connection": "close"}


class BodyLimit:
    """Caps on the request body: ``max_bytes`` everywhere, ``path_limits`` per exact path."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        max_bytes: int,
        path_limits: Mapping[str, int] | None = None,
        timeout_seconds: float,
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.path_limits = dict(path_limits or {})
        self.timeout_seconds = timeout_seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cap = self.path_limits.get(scope["path"], self.max_bytes)
        length = _content_length(scope)
        if length is not None and length > cap:
            await _refuse(scope, send, 413, _too_large(cap))
            return
        body = _BoundedBody(receive, cap, self.timeout_seconds)
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, body.receive, tracking_send)
        except HTTPException as error:
            if not body.refused or started:
                raise
            await _refuse(scope, send, error.status_code, str(error.detail))


class _BoundedBody:
    """A ``receive`` that counts body bytes and keeps a deadline until the body is complete."""

    def __init__(self, receive: Receive, cap: int, timeout_seconds: float) -> None:
        self._receive = receive
        self._cap = cap
        self._timeout = timeout_seconds
        self._deadline: float | None = None
        self._received = 0
        self._complete = False
        self.refused = False

    async def receive(self) -> Message:
        if self._complete:
            return await self._receive()
        if self._deadline is None:
            self._deadline = time.monotonic() + self._timeout
        with anyio.move_on_after(max(self._deadline - time.monotonic(), 0)) as waiting:
            message = await self._receive()
        if waiting.cancelled_caught:
            self.refused = True
            raise HTTPException(
                408, f"the request body took longer than {self._timeout:g} s", _CLOSE
            )
        if message["type"] == "http.request":
            self._received += len(message.get("body", b""))
            if self._received > self._cap:
                self.refused = True
                raise HTTPException(413, _too_large(self._cap), _CLOSE)
            self._complete = not message.get("more_body", False)
        else:
            self._complete = True
        return message


def _content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            text = value.decode("latin-1").strip()
            return int(text) if text.isdigit() else None
    return None


def _too_large(cap: int) -> str:
    return f"the request body is over the {cap}-byte limit of this endpoint"


async def _refuse(scope: Scope, send: Send, status: int, message: str) -> None:
    """Answer ``status`` without reading the body, and close the connection after it."""
    response = error_response(status, message, _CLOSE)

    async def no_body() -> Message:
        return {"type": "http.disconnect"}

    await response(scope, no_body, send)
