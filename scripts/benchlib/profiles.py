"""cProfile of the build and of the service's start-up, each in a child process.

The build profile is ``python -m cProfile -m kg.cli build DIR --out FILE``;
the start-up profile runs exactly what the app's lifespan does before the
first request (:func:`api.app._open`: load the graph file into the store,
build the read model), so uvicorn's import and socket work is left out.
The top functions by cumulative time are kept, without the interpreter's
own import machinery.
"""

from __future__ import annotations

import io
import pstats
import tempfile
from pathlib import Path

from benchlib.procs import PYTHON, run_measured

__all__ = ["profile_build", "profile_startup"]

_STARTUP = """
import cProfile, sys, tempfile
from pathlib import Path
from api.app import _close, _open
from api.settings import Settings
settings = Settings(graph_path=Path(sys.argv[1]), cache_dir=Path(tempfile.mkdtemp()))
profiler = cProfile.Profile()
profiler.enable()
store, model, summary = _open(settings)
profiler.disable()
profiler.dump_stats(sys.argv[2])
_close(store)
"""
_SKIP = ("<frozen importlib", "{built-in method builtins.exec}", "<module>", "{method 'enable'")


def _top(path: Path, count: int, by_own: bool = False) -> list[dict[str, object]]:
    stats = pstats.Stats(str(path), stream=io.StringIO())
    total = stats.total_tt  # type: ignore[attr-defined]
    rows = []
    for (file, line, name), (_, calls, tottime, cumtime, _) in stats.stats.items():  # type: ignore[attr-defined]
        where = f"{Path(file).name}:{line}({name})" if line else name
        if any(skip in where or skip in file for skip in _SKIP):
            continue
        rows.append({"function": where, "calls": calls, "tottime": tottime, "cumtime": cumtime})
    key = "tottime" if by_own else "cumtime"
    rows.sort(key=lambda row: -float(row[key]))
    return (
        [{**row, "share": float(row["cumtime"]) / total} for row in rows[:count]] if total else []
    )


def profile_build(corpus: Path, count: int = 25) -> dict[str, object]:
    """Top functions of ``kg build`` on ``corpus`` by cumulative time."""
    with tempfile.TemporaryDirectory() as directory:
        out = Path(directory) / "build.prof"
        command = [PYTHON, "-m", "cProfile", "-o", str(out), "-m", "kg.cli", "build"]
        run = run_measured([*command, str(corpus), "--out", str(Path(directory) / "g.nt")])
        return {"seconds": run.seconds, "top": _top(out, count), "own": _top(out, 8, True)}


def profile_startup(graph: Path, count: int = 25) -> dict[str, object]:
    """Top functions of the service's start-up on ``graph`` by cumulative time."""
    with tempfile.TemporaryDirectory() as directory:
        out = Path(directory) / "startup.prof"
        run = run_measured([PYTHON, "-c", _STARTUP, str(graph), str(out)])
        return {"seconds": run.seconds, "top": _top(out, count), "own": _top(out, 8, True)}
