"""Errors a user can act on: each carries a one-line message naming the input."""

from __future__ import annotations

__all__ = ["InputError", "KGError"]


class KGError(Exception):
    """Base class for errors reported to the user as one line, without a traceback."""


class InputError(KGError):
    """An input file cannot be read: empty, binary, truncated, too large, undecodable."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason
