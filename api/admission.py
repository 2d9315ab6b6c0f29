"""How many requests of one endpoint are worked on at once, and how many may wait.

An :class:`Admission` holds ``capacity`` running slots and at most ``queue``
waiting requests. A request beyond both is refused at once with 429 (the
endpoint already has all the work it can take); a waiting request that gets no
slot within ``wait_seconds`` is refused with 503. Both carry ``Retry-After``.
Waiting costs a coroutine, not a thread, so a burst never ties up the
threadpool or the event loop.
"""

from __future__ import annotations

import math
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio

from api.errors import ApiError

__all__ = ["Admission"]


class Admission:
    """Running slots and a bounded queue for one endpoint (see the module docstring)."""

    def __init__(self, name: str, capacity: int, queue: int, wait_seconds: float) -> None:
        self.name = name
        self.capacity = capacity
        self.queue = queue
        self.wait_seconds = wait_seconds
        self._limiter = anyio.Semaphore(capacity)
        self._held = 0

    @property
    def retry_after(self) -> str:
        """Seconds a refused client should wait, as the header's value."""
        return str(max(1, math.ceil(self.wait_seconds / 4)))

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        """Hold one running slot for the body of the ``async with``."""
        if self._held >= self.capacity + self.queue:
            raise ApiError(
                429,
                f"too many {self.name} requests at once ({self._held}); try again shortly",
                headers={"Retry-After": self.retry_after},
            )
        self._held += 1
        try:
            with anyio.move_on_after(self.wait_seconds) as waiting:
                await self._limiter.acquire()
            if waiting.cancelled_caught:
                raise ApiError(
                    503,
                    f"the {self.name} endpoint stayed busy for {self.wait_seconds:g} s; "
                    "try again shortly",
                    headers={"Retry-After": self.retry_after},
                )
            try:
                yield
            finally:
                self._limiter.release()
        finally:
            self._held -= 1
