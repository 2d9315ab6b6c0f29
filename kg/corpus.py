"""Which files make a corpus: the paths given, folders expanded, or the bundled reports.

Light on purpose (no reader is imported), so that deciding what to build,
and whether a cached build is current, costs nothing.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

__all__ = ["BUNDLED_CORPUS", "READABLE_SUFFIXES", "corpus_paths"]

BUNDLED_CORPUS = Path(__file__).resolve().parent.parent / "data" / "reports"
READABLE_SUFFIXES = frozenset({".txt", ".md", ".text", ".pdf", ".docx", ".html", ".htm", ".xhtml"})


def corpus_paths(paths: Iterable[str | os.PathLike[str]] = ()) -> list[str]:
    """The files to read: each path as given, folders expanded to their readable files.

    With no paths, the bundled corpus.
    """
    given = [os.fspath(path) for path in paths] or [str(BUNDLED_CORPUS)]
    files: list[str] = []
    for path in given:
        if os.path.isdir(path):
            files.extend(
                str(child)
                for child in sorted(Path(path).iterdir())
                if child.suffix.lower() in READABLE_SUFFIXES and child.name != "README.md"
            )
        else:
            files.append(path)
    return files
