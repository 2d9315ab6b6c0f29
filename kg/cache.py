"""The cached build of a corpus, rebuilt only when its inputs change.

:func:`cached_build` decides from a fingerprint of the inputs (the corpus
files, the library's own code and the ontology) whether the cached graph
file is current, and if not runs ``kg build`` in a child process, its
per-report cache in the same directory (:mod:`kg.report_cache`). So a
process that only serves the graph (``kg serve``) never imports the
extraction pipeline: it costs neither its start-up time nor its memory.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

from kg.corpus import corpus_paths
from kg.errors import KGError
from kg.formats import N_TRIPLES

__all__ = ["cached_build", "fingerprint"]


def fingerprint(files: Iterable[Path]) -> str:
    """16 hex digits of the SHA-256 of the files' paths and contents."""
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(str(path).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def cached_build(cache_dir: Path, paths: Iterable[str | os.PathLike[str]] = ()) -> Path:
    """The N-Triples file of the corpus ``paths`` (default: bundled), built on first use.

    The build's progress and warnings go to this process's stderr; a failed
    build is a :class:`~kg.errors.KGError`.
    """
    package = Path(__file__).resolve().parent
    files = [Path(path).resolve() for path in corpus_paths(paths)]
    inputs = [*files, *package.rglob("*.py"), *(package.parent / "ontology").glob("*.ttl")]
    target = cache_dir / f"corpus-{fingerprint(inputs)}{N_TRIPLES.suffix}"
    if target.is_file():
        return target
    command = [
        *(sys.executable, "-m", "kg.cli", "build", *map(str, files)),
        *("--out", str(target), "--cache-dir", str(cache_dir)),  # reports reused from there
    ]
    done = subprocess.run(command, stdout=subprocess.DEVNULL, check=False)
    if done.returncode != 0 or not target.is_file():
        raise KGError(f"building the corpus into {cache_dir} failed (exit {done.returncode})")
    return target
