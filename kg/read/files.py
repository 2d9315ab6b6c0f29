"""The file before its format: its bytes, read within the size limit, and the reasons it fails.

Every reader words what goes wrong the same way, so the one-line reasons of
:class:`~kg.errors.InputError` (sizes, operating-system errors, a parsing
library's exception) are made here.
"""

from __future__ import annotations

import os
import stat

from kg.errors import InputError

__all__ = ["describe", "megabytes", "read_bytes"]


def read_bytes(path: str, max_bytes: int) -> bytes:
    """The contents of the regular file at ``path``; refused when empty or over ``max_bytes``."""
    try:
        info = os.stat(path)
    except OSError as exc:
        raise InputError(path, _os_reason(exc)) from exc
    if stat.S_ISDIR(info.st_mode):
        raise InputError(path, "is a directory, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise InputError(path, "not a regular file")
    _check_size(path, info.st_size, max_bytes)
    try:
        with open(path, "rb") as file:
            # Asking for exactly what is there (plus one byte, to see growth) keeps
            # read() from reserving the whole size limit for a small file.
            data = file.read(min(info.st_size, max_bytes) + 1)
            if len(data) > info.st_size:
                data += file.read(max_bytes + 1 - len(data))
    except OSError as exc:
        raise InputError(path, _os_reason(exc)) from exc
    _check_size(path, len(data), max_bytes)  # the file may have grown since stat
    return data


def _check_size(path: str, size: int, max_bytes: int) -> None:
    if size == 0:
        raise InputError(path, "empty file (0 bytes)")
    if size > max_bytes:
        raise InputError(
            path,
            f"file too large: {megabytes(size)}, over the size limit of {megabytes(max_bytes)}",
        )


def megabytes(size: int) -> str:
    """A size for a reason: ``1.5 MiB (1572864 bytes)``."""
    return f"{size / 1024 / 1024:.1f} MiB ({size} bytes)"


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError | NotADirectoryError):
        return "no such file"
    if isinstance(exc, PermissionError):
        return "permission denied"
    return f"cannot read: {(exc.strerror or str(exc)).lower()}"


def describe(exc: BaseException) -> str:
    """A library's exception as a short lowercase phrase, to put in a reason."""
    message = " ".join(str(exc).split()) or type(exc).__name__
    return message[:80].lower()
