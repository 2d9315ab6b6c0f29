"""uvicorn's HTTP/1.1 protocol with the deadlines it lacks, and a cap on open connections.

uvicorn closes an *idle* keep-alive connection (``timeout_keep_alive``) and
answers 503 past ``limit_concurrency``, but a connection that never finishes
its request headers, or trickles its body, stays open for ever: enough of
them exhaust the process's file descriptors. :func:`guarded_h11` makes a
protocol class that also

- closes a connection whose request headers are not complete within
  ``header_timeout`` seconds of its first byte (or of its opening), with a
  408 when nothing of a response was sent;
- closes a connection whose request body is not complete within
  ``body_timeout`` seconds of its headers;
- answers 503 and closes at once a connection opened while
  ``max_connections`` are already open, before reading anything from it.
"""

from __future__ import annotations

import asyncio
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

__all__ = ["guarded_h11"]


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


class _GuardedH11(H11Protocol):
    """See the module docstring; the limits are class attributes set by :func:`guarded_h11`."""

    header_timeout: float = 10.0
    body_timeout: float = 30.0
    max_connections: int = 1000

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._deadline: asyncio.TimerHandle | None = None
        self._waiting_for: Any = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        if len(self.connections) > self.max_connections:
            transport.write(_FULL)
            transport.close()
            return
        self._arm(h11.IDLE, self.header_timeout)

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self.conn.their_state is h11.IDLE and self._deadline is None:
            self._arm(h11.IDLE, self.header_timeout)  # a next request on a kept-alive connection
        super().data_received(data)
        self._follow()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        # Idle now: uvicorn's keep-alive timer runs until the next request's first byte.
        if self.conn.their_state is h11.IDLE:
            self._disarm()

    def _follow(self) -> None:
        """Move the deadline along as the request advances from headers to body to done."""
        state = self.conn.their_state
        if state is self._waiting_for:
            return
        if state is h11.SEND_BODY:
            self._arm(h11.SEND_BODY, self.body_timeout)
        else:
            self._disarm()

    def _arm(self, state: Any, seconds: float) -> None:
        self._disarm()
        self._waiting_for = state
        self._deadline = self.loop.call_later(seconds, self._expire)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
        self._deadline = None
        self._waiting_for = None

    def _expire(self) -> None:
        self._deadline = None
        if self.transport.is_closing():
            return
        if self.cycle is None or not self.cycle.response_started:
            self.transport.write(_TIMEOUT)
        self.transport.close()


def guarded_h11(
    *, header_timeout: float, body_timeout: float, max_connections: int
) -> type[H11Protocol]:
    """A protocol class for ``uvicorn.Config(http=...)`` holding these limits."""
    return type(
        "GuardedH11Protocol",
        (_GuardedH11,),
        {
            "header_timeout": header_timeout,
            "body_timeout": body_timeout,
            "max_connections": max_connections,
        },
    )
