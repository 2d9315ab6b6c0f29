"""Peak memory of extracting one report, against its file size.

Writes synthetic reports of growing size (the body of a bundled report
repeated, then a numbered glossary), reads each with
:func:`kg.pipeline.read_report` in a fresh process, and prints its peak
resident memory above the interpreter's baseline, divided by the file size.

    .venv/bin/python scripts/measure_extraction.py [--sizes 2 8 32]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

__all__ = ["main"]

ROOT = Path(__file__).resolve().parent.parent
BODY = ROOT / "data" / "reports" / "jianghan-2024-12-29-government-work-report.txt"
_CHILD = """
import json, resource, sys
from kg.pipeline import read_report
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
report = read_report(sys.argv[1])
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"base_kb": base, "peak_kb": peak, "entries": len(report.entries)}))
"""


def synthetic_report(megabytes: float, path: Path) -> int:
    """A report of about ``megabytes`` MB: half body text, half glossary; its entry count."""
    body = BODY.read_text(encoding="utf-8").split("附件")[0]
    target = int(megabytes * 1_000_000)
    parts = [body]
    while sum(len(part.encode()) for part in parts) < target / 2:
        parts.append(body.split("各位代表", 1)[-1])
    entries = []
    size = sum(len(part.encode()) for part in parts)
    n = 0
    while size < target:
        n += 1
        line = f"{n}.术语第{n}号：第{n}个术语的定义，推动高质量发展，做好六稳工作。"
        entries.append(line)
        size += len(line.encode()) + 2
    path.write_text("\n".join(parts) + "\n附件\n\n名词解释\n\n" + "\n\n".join(entries), "utf-8")
    return n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=[2, 8, 32])
    args = parser.parse_args()
    print(f"machine: {platform.platform()}, Python {platform.python_version()}")
    print("| file MB | entries | extracted | peak above baseline MiB | ratio |")
    print("|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as directory:
        for megabytes in args.sizes:
            path = Path(directory) / f"report-{megabytes:g}mb.txt"
            written = synthetic_report(megabytes, path)
            result = subprocess.run(
                [sys.executable, "-c", _CHILD, str(path)],
                capture_output=True,
                text=True,
                check=True,
                env={**os.environ, "PYTHONPATH": str(ROOT)},
            )
            values = json.loads(result.stdout.strip().splitlines()[-1])
            size_mb = path.stat().st_size / 1e6
            above = (values["peak_kb"] - values["base_kb"]) / 1024
            print(
                f"| {size_mb:.1f} | {written} | {values['entries']} | {above:.0f} "
                f"| {above / size_mb:.1f}× |"
            )


if __name__ == "__main__":
    main()
