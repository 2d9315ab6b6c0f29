"""The build at each size: ``kg build DIR --out FILE`` as a child process, timed and measured.

Corpora come from ``scripts/make_corpus.py`` (seed 1) and are kept in the
work directory with their graphs, so the serving benchmarks reuse them.
Small sizes run ``repeat`` times, 100 reports twice, larger sizes once. A
size whose build would not finish within the time limit is not run; the
table shows the per-report trend of the sizes that did, extrapolated and
marked as such. A measured build is stored next to its graph
(``build-N.json``) and reused by later runs unless ``--rebuild`` is given.
"""

from __future__ import annotations

import json
import re
import statistics
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

from benchlib.procs import PYTHON, ROOT, run_measured

__all__ = ["BuildResult", "bench_builds", "ensure_corpus", "graph_path"]

_WROTE = re.compile(r"wrote (\d+) triples from (\d+) reports \((\d+) glossary entries\)")
SEED = 1


@dataclass(frozen=True)
class BuildResult:
    """The medians of the builds of one size."""

    reports: int
    runs: int
    seconds: float
    seconds_all: list[float]
    cpu_seconds: float
    peak_mib: float
    triples: int
    entries: int
    measured_at: str

    @property
    def per_report(self) -> float:
        """Seconds per report."""
        return self.seconds / self.reports

    @property
    def reports_per_second(self) -> float:
        """Reports per second."""
        return self.reports / self.seconds


def corpus_dir(workdir: Path, reports: int) -> Path:
    """Where the generated corpus of ``reports`` reports lives."""
    return workdir / f"corpus-{reports}-s{SEED}"


def graph_path(workdir: Path, reports: int) -> Path:
    """Where the graph built from that corpus lives."""
    return workdir / f"graph-{reports}-s{SEED}.nt"


def ensure_corpus(workdir: Path, reports: int) -> Path:
    """Generate the corpus of ``reports`` reports unless it is already there."""
    folder = corpus_dir(workdir, reports)
    if not (folder / "manifest.json").is_file():
        script = ROOT / "scripts" / "make_corpus.py"
        command = [PYTHON, str(script), str(reports), "--seed", str(SEED), "--out", str(folder)]
        run = run_measured(command)
        if run.status != 0:
            raise RuntimeError(f"make_corpus.py {reports} failed")
    return folder


def _measure(workdir: Path, reports: int, runs: int, timeout: float, stamp: str) -> BuildResult:
    folder = ensure_corpus(workdir, reports)
    target = graph_path(workdir, reports)
    command = [PYTHON, "-m", "kg.cli", "build", str(folder), "--out", str(target)]
    done = []
    for _ in range(runs):
        run = run_measured(command, timeout=timeout)
        if run.status != 0:
            raise TimeoutError(f"kg build of {reports} reports: exit {run.status}")
        done.append(run)
        print(f"  build {reports}: {run.seconds:.1f} s, {run.peak_mib:.0f} MiB", file=sys.stderr)
    wrote = _WROTE.search(done[-1].stdout)
    triples, _, entries = (int(g) for g in wrote.groups()) if wrote else (0, 0, 0)
    return BuildResult(
        reports=reports,
        runs=runs,
        seconds=statistics.median(run.seconds for run in done),
        seconds_all=[round(run.seconds, 2) for run in done],
        cpu_seconds=statistics.median(run.cpu_seconds for run in done),
        peak_mib=statistics.median(run.peak_mib for run in done),
        triples=triples,
        entries=entries,
        measured_at=stamp,
    )


def bench_builds(
    workdir: Path, sizes: list[int], repeat: int, timeout: float, stamp: str, rebuild: bool
) -> tuple[list[BuildResult], list[int]]:
    """Measure each size (fewer runs for large ones); returns results and sizes skipped."""
    results: list[BuildResult] = []
    skipped: list[int] = []
    for reports in sizes:
        saved = workdir / f"build-{reports}.json"
        if saved.is_file() and graph_path(workdir, reports).is_file() and not rebuild:
            results.append(BuildResult(**json.loads(saved.read_text())))
            continue
        if results and results[-1].per_report * reports > timeout:
            skipped.append(reports)
            continue
        runs = repeat if reports <= 10 else min(repeat, 2) if reports <= 100 else 1
        try:
            result = _measure(workdir, reports, runs, timeout, stamp)
        except TimeoutError:
            skipped.append(reports)
            continue
        saved.write_text(json.dumps(asdict(result), indent=1))
        results.append(result)
    return results, skipped
