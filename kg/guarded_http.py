"""uvicorn's HTTP/1.1 protocols with the deadlines they lack, and a cap on open connections.

uvicorn closes an *idle* keep-alive connection (``timeout_keep_alive``) and
answers 503 past ``limit_concurrency``, but a connection that never finishes
its request headers, or trickles its body, stays open for ever: enough of
them exhaust the process's file descriptors. :func:`guarded_protocol` makes
a protocol class, on uvicorn's httptools parser (the default) or on h11,
that also

- closes a connection whose request headers are not complete within
  ``header_timeout`` seconds of its first byte (or of its opening), with a
  408 when nothing of a response was sent;
- closes a connection whose request body is not complete within
  ``body_timeout`` seconds of its headers;
- answers 503 and closes at once a connection opened while
  ``max_connections`` are already open, before reading anything from it;
- answers 431 and closes a connection whose request line and headers pass
  ``max_header_bytes`` (h11 counts them itself; llhttp, under httptools,
  has no such bound, so the httptools protocol counts them).
"""

from __future__ import annotations

import asyncio
from typing import Any, Literal

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

__all__ = ["HttpProtocolName", "guarded_protocol"]

HttpProtocolName = Literal["httptools", "h11"]


def _plain_response(status: str, message: str, extra: str = "") -> bytes:
    body = f'{{"error": {{"status": {status.split()[0]}, "message": "{message}"}}}}'.encode()
    head = (
        f"HTTP/1.1 {status}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n{extra}\r\n"
    )
    return head.encode("latin-1") + body


_TIMEOUT = _plain_response("408 Request Timeout", "the request was not sent in time")
_FULL = _plain_response(
    "503 Service Unavailable", "too many open connections; try again shortly", "Retry-After: 1\r\n"
)
_TOO_LARGE = _plain_response(
    "431 Request Header Fields Too Large", "the request headers are too large"
)


class _Deadline:
    """One timer per connection: armed for the headers, then the body, then disarmed."""

    def __init__(self, loop: asyncio.AbstractEventLoop, expire: Any) -> None:
        self._loop = loop
        self._expire = expire
        self._handle: asyncio.TimerHandle | None = None
        self.phase: object = None

    @property
    def armed(self) -> bool:
        return self._handle is not None

    def arm(self, phase: object, seconds: float) -> None:
        self.disarm()
        self.phase = phase
        self._handle = self._loop.call_later(seconds, self._fire)

    def disarm(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
        self._handle = None
        self.phase = None

    def _fire(self) -> None:
        self._handle = None
        self.phase = None
        self._expire()


def _close_late(transport: asyncio.Transport, cycle: Any) -> None:
    """Close a connection that missed its deadline, with a 408 unless a response is under way.

    ``cycle`` is uvicorn's last request-response cycle of the connection: none
    yet, the previous request's (complete), or the late request's own.
    """
    if transport.is_closing():
        return
    if cycle is None or cycle.response_complete or not cycle.response_started:
        transport.write(_TIMEOUT)
    transport.close()


class _GuardedH11(H11Protocol):
    """See the module docstring; the limits are class attributes set by :func:`guarded_protocol`."""

    header_timeout: float = 10.0
    body_timeout: float = 30.0
    max_connections: int = 1000

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._deadline = _Deadline(self.loop, self._expire)

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        if len(self.connections) > self.max_connections:
            transport.write(_FULL)
            transport.close()
            return
        self._deadline.arm(h11.IDLE, self.header_timeout)

    def connection_lost(self, exc: Exception | None) -> None:
        self._deadline.disarm()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self.conn.their_state is h11.IDLE and not self._deadline.armed:
            self._deadline.arm(h11.IDLE, self.header_timeout)  # a next request, kept alive
        super().data_received(data)
        self._follow()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        # Idle now: uvicorn's keep-alive timer runs until the next request's first byte.
        if self.conn.their_state is h11.IDLE:
            self._deadline.disarm()

    def _follow(self) -> None:
        """Move the deadline along as the request advances from headers to body to done."""
        state = self.conn.their_state
        if state is self._deadline.phase:
            return
        if state is h11.SEND_BODY:
            self._deadline.arm(h11.SEND_BODY, self.body_timeout)
        else:
            self._deadline.disarm()

    def _expire(self) -> None:
        _close_late(self.transport, self.cycle)


_HEADERS = "headers"
_BODY = "body"


class _HeadersTooLarge(Exception):
    """Raised in a parser callback to stop parsing a request whose headers are too large."""


class _GuardedHttpTools(HttpToolsProtocol):
    """The same guards on uvicorn's httptools protocol, driven by the parser's callbacks.

    ``_received`` counts the bytes of the request line and headers of the
    request being read; the parser calls :meth:`on_message_begin` at a
    request's first byte and :meth:`on_headers_complete` after its last header.
    """

    header_timeout: float = 10.0
    body_timeout: float = 30.0
    max_connections: int = 1000
    max_header_bytes: int = 16 * 1024

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._deadline = _Deadline(self.loop, self._expire)
        self._received = 0
        self._too_large = False

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        if len(self.connections) > self.max_connections:
            transport.write(_FULL)
            transport.close()
            return
        self._deadline.arm(_HEADERS, self.header_timeout)

    def connection_lost(self, exc: Exception | None) -> None:
        self._deadline.disarm()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        reading_headers = self._deadline.phase is _HEADERS
        super().data_received(data)
        # Headers still incomplete after this chunk: all of it was request line and headers.
        if reading_headers and self._deadline.phase is _HEADERS:
            self._received += len(data)
            if self._received > self.max_header_bytes:
                self._refuse_headers()

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._received = 0
        if self._deadline.phase is not _HEADERS:
            self._deadline.arm(_HEADERS, self.header_timeout)  # a next request, kept alive

    def on_headers_complete(self) -> None:
        size = len(self.url) + sum(len(name) + len(value) + 4 for name, value in self.headers)
        if size > self.max_header_bytes:
            # The parser stops, and uvicorn answers through send_400_response.
            self._too_large = True
            raise _HeadersTooLarge
        super().on_headers_complete()
        # Disarmed at once by on_message_complete when the request has no body.
        self._deadline.arm(_BODY, self.body_timeout)

    def on_message_complete(self) -> None:
        self._deadline.disarm()
        super().on_message_complete()

    def send_400_response(self, msg: str) -> None:
        if self._too_large:
            self._refuse_headers()
        else:
            self._deadline.disarm()
            super().send_400_response(msg)

    def _refuse_headers(self) -> None:
        self._deadline.disarm()
        if not self.transport.is_closing():
            self.transport.write(_TOO_LARGE)
            self.transport.close()

    def _expire(self) -> None:
        _close_late(self.transport, self.cycle)


def guarded_protocol(
    name: HttpProtocolName,
    *,
    header_timeout: float,
    body_timeout: float,
    max_connections: int,
    max_header_bytes: int,
) -> type[asyncio.Protocol]:
    """A protocol class for ``uvicorn.Config(http=...)`` holding these limits.

    With h11, ``max_header_bytes`` goes to uvicorn as ``h11_max_incomplete_event_size`` too.
    """
    limits = {
        "header_timeout": header_timeout,
        "body_timeout": body_timeout,
        "max_connections": max_connections,
        "max_header_bytes": max_header_bytes,
    }
    base: type[asyncio.Protocol] = _GuardedHttpTools if name == "httptools" else _GuardedH11
    return type(f"Guarded{base.__name__.removeprefix('_Guarded')}Protocol", (base,), limits)
