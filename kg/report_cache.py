"""The per-report cache of a build: each file's extracted report, kept by content hash.

A cache entry is the :class:`~kg.model.Report` of one file, pickled under a
key made of the file's path, its bytes and :data:`EXTRACTION_VERSION`, a hash
of the code that extraction runs. So editing a report, or the extraction
code, makes its entry unreachable, and adding a report to a built corpus
reads only that report. An entry that cannot be loaded, or that does not
hold the report of its key, is ignored and written again: the cache can
make a build faster, never different. Entries are written to a temporary
file and renamed into place, so two builds sharing a cache never see half
an entry. The cache is the user's own directory; like any pickle, an entry is
trusted as the user's own data.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from functools import lru_cache
from pathlib import Path

from kg.model import Report

__all__ = ["EXTRACTION_MODULES", "ReportCache", "extraction_version"]

_PACKAGE = Path(__file__).resolve().parent

EXTRACTION_MODULES = (
    "chars.py",
    "chronology.py",
    "clean.py",
    "errors.py",
    "ids.py",
    "model.py",
    "pipeline.py",
    "report_cache.py",
    "split.py",
    "text.py",
    "extract",
    "read",
)
"""The modules and packages of ``kg/`` that reading a report runs (``tests/test_report_cache.py``
checks this covers everything :mod:`kg.pipeline` imports)."""


@lru_cache(maxsize=1)
def extraction_version() -> str:
    """16 hex digits of the SHA-256 of the extraction code: any edit gives a new version."""
    digest = hashlib.sha256(str(pickle.HIGHEST_PROTOCOL).encode())
    for name in EXTRACTION_MODULES:
        path = _PACKAGE / name
        for source in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            digest.update(str(source.relative_to(_PACKAGE)).encode() + b"\0")
            digest.update(source.read_bytes())
    return digest.hexdigest()[:16]


class ReportCache:
    """Reports kept in ``directory``, one file each; picklable, so pool workers share it."""

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.directory = Path(directory)

    def _key(self, path: str, content: bytes) -> str:
        digest = hashlib.sha256(extraction_version().encode() + b"\0" + path.encode() + b"\0")
        digest.update(content)
        return digest.hexdigest()[:32]

    def _entry(self, path: str) -> tuple[str, Path] | None:
        try:
            content = Path(path).read_bytes()
        except OSError:
            return None  # the reader will say why the file cannot be read
        key = self._key(path, content)
        return key, self.directory / f"{key}.pickle"

    def get(self, path: str) -> Report | None:
        """The cached report of the file at ``path`` as it is now, or None."""
        entry = self._entry(path)
        if entry is None:
            return None
        key, file = entry
        try:
            with file.open("rb") as handle:
                stored_key, report = pickle.load(handle)
        except Exception:  # missing, truncated, corrupt or from another Python: read again
            return None
        if stored_key != key or not isinstance(report, Report) or report.source != path:
            return None
        return report

    def put(self, path: str, report: Report) -> None:
        """Keep ``report`` as the report of the file at ``path``; a cache that cannot be
        written is skipped (the build does not need it)."""
        entry = self._entry(path)
        if entry is None:
            return
        key, file = entry
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            handle, partial = tempfile.mkstemp(dir=self.directory, prefix=f".{key}.")
            try:
                with os.fdopen(handle, "wb") as output:
                    pickle.dump((key, report), output, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(partial, file)
            except BaseException:
                Path(partial).unlink(missing_ok=True)
                raise
        except OSError:
            return
