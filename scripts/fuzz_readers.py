"""A time-boxed coverage-guided fuzz run of the readers and the extracting pipeline (atheris).

Feeds mutated bytes, seeded from the bundled corpus and the genre fixtures,
to :func:`kg.pipeline.read_report` under every reader's suffix (.txt .md
.html .docx .pdf). A finding is any exception other than
:class:`kg.errors.InputError` (the one-line refusal of a bad file), or an
input that takes longer than ``--slow`` seconds; each is written to
``--findings`` and the run goes on. Stops by itself after ``--seconds``.

    .venv/bin/python scripts/fuzz_readers.py [--seconds 300] [--findings fuzz-findings]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path

import atheris

with atheris.instrument_imports():
    from kg.errors import InputError
    from kg.pipeline import read_report

__all__ = ["main"]

ROOT = Path(__file__).resolve().parent.parent
SUFFIXES = [".txt", ".md", ".html", ".docx", ".pdf"]
_state: dict[str, object] = {}
_found: Counter[str] = Counter()
_runs = Counter[str]()


def _seeds(directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for folder in (ROOT / "data" / "reports", ROOT / "tests" / "data" / "genre"):
        for path in sorted(folder.iterdir()):
            if path.is_file() and path.name != "README.md":
                (directory / path.name).write_bytes(path.read_bytes()[:20_000])


def _record(kind: str, data: bytes, detail: str) -> None:
    findings: Path = _state["findings"]  # type: ignore[assignment]
    digest = hashlib.sha256(data).hexdigest()[:12]
    findings.mkdir(parents=True, exist_ok=True)
    (findings / f"{kind}-{digest}.bin").write_bytes(data)
    (findings / f"{kind}-{digest}.txt").write_text(detail, encoding="utf-8")
    _found[kind + ": " + detail.strip().splitlines()[-1][:120]] += 1


def _one_input(data: bytes) -> None:
    if time.monotonic() > _state["deadline"]:  # type: ignore[operator]
        _summary()
        os._exit(0)
    suffix = SUFFIXES[data[0] % len(SUFFIXES)] if data else ".txt"
    path = Path(_state["directory"]) / f"input{suffix}"  # type: ignore[arg-type]
    path.write_bytes(data[1:])
    _runs["inputs"] += 1
    started = time.monotonic()
    try:
        read_report(path)
        _runs["read"] += 1
    except InputError:
        _runs["refused"] += 1
    except Exception:
        _record("crash", data, traceback.format_exc())
    elapsed = time.monotonic() - started
    if elapsed > _state["slow"]:  # type: ignore[operator]
        _record("slow", data, f"{suffix}, {len(data)} bytes, {elapsed:.1f} s\n")


def _summary() -> None:
    print(
        f"\n{_runs['inputs']} inputs: {_runs['read']} read, {_runs['refused']} refused "
        f"with a one-line InputError; findings: {sum(_found.values())}",
        file=sys.stderr,
    )
    for line, count in _found.most_common():
        print(f"  {count} × {line}", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=300)
    parser.add_argument("--slow", type=float, default=10.0)
    parser.add_argument("--findings", type=Path, default=Path("fuzz-findings"))
    args, rest = parser.parse_known_args()
    work = Path(tempfile.mkdtemp(prefix="kg-fuzz-"))
    corpus = work / "corpus"
    _seeds(corpus)
    _state.update(
        deadline=time.monotonic() + args.seconds,
        slow=args.slow,
        findings=args.findings,
        directory=str(work),
    )
    atheris.Setup([sys.argv[0], *rest, "-max_len=65536", str(corpus)], _one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
