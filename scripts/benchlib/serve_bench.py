"""The service under load: ``kg serve`` and the floor app, wrk at 50 connections on the loopback.

For each graph the real ``kg serve --graph FILE --port P`` starts on a free
port; start-up is the time from process start to the first ``/healthz`` 200,
memory the web process's VmRSS and VmHWM from ``/proc`` once ready (SPARQL
worker processes are separate and not counted). Then, in each of
``repeat`` rounds, wrk loads the floor (a minimal FastAPI app with one async
route on the same uvicorn), ``/healthz`` and every endpoint in turn; a ratio
is taken within a round, and the median over rounds is reported.
"""

from __future__ import annotations

import json
import shutil
import statistics
import sys
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from benchlib.load import Load, wrk
from benchlib.procs import PYTHON, ROOT, free_port, kg_serve, memory_mib, serve

__all__ = ["SPARQL_SMALL", "bench_serving", "bench_startup", "pick_term"]

SPARQL_SMALL = (
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
    'SELECT ?t WHERE { ?t skos:prefLabel "LABEL"@zh-hans } LIMIT 10'
)
_FLOOR = ROOT / "scripts" / "benchlib" / "minimal_app.py"
_ANNOTATE_CHARS = 700  # about 2 KB of UTF-8, a paragraph or two a widget sends


def pick_term(manifest: Path | None) -> str:
    """A label defined in more than one report: the first redefined entry, or 六个致力."""
    if manifest is None or not manifest.is_file():
        return "六个致力"
    for report in json.loads(manifest.read_text(encoding="utf-8"))["reports"]:
        for entry in report["entries"]:
            if entry["origin"] == "redefined":
                return str(entry["label"])
    return str(
        json.loads(manifest.read_text(encoding="utf-8"))["reports"][0]["entries"][0]["label"]
    )


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return int(response.status), bytes(response.read())
    except urllib.error.HTTPError as error:
        return int(error.code), b""


def _endpoints(base: str, label: str, text: str) -> dict[str, dict[str, Any]]:
    """Name → wrk arguments, for a term known by ``label``."""
    quoted = urllib.parse.quote(label)
    status, body = _get(f"{base}/api/v1/lookup?label={quoted}")
    if status != 200:
        raise RuntimeError(f"lookup of {label} gave {status}")
    term_id = json.loads(body)["id"]
    query = urllib.parse.quote(SPARQL_SMALL.replace("LABEL", label))
    annotate = json.dumps({"text": text}, ensure_ascii=False).encode("utf-8")
    return {
        "term": {"url": f"{base}/api/v1/terms/{term_id}"},
        "summary": {"url": f"{base}/api/v1/terms/{term_id}/summary"},
        "lookup": {"url": f"{base}/api/v1/lookup?label={quoted}"},
        "suggest": {"url": f"{base}/api/v1/suggest?q={urllib.parse.quote(label[:2])}"},
        "search": {"url": f"{base}/api/v1/terms?q={quoted}"},
        "annotate": {"url": f"{base}/api/v1/annotate", "body": annotate},
        "sparql": {
            "url": f"{base}/sparql?query={query}",
            "accept": "application/sparql-results+json",
        },
    }


def _sizes(endpoints: dict[str, dict[str, Any]]) -> dict[str, int]:
    sizes = {}
    for name, spec in endpoints.items():
        if "body" in spec:
            request = urllib.request.Request(
                spec["url"], data=spec["body"], headers={"Content-Type": "application/json"}
            )
            with urllib.request.urlopen(request, timeout=30) as response:
                sizes[name] = len(response.read())
        else:
            sizes[name] = len(_get(spec["url"])[1])
    return sizes


def _median(loads: list[Load]) -> dict[str, float]:
    return {
        "rps": statistics.median(load.rps for load in loads),
        "p50_ms": statistics.median(load.p50_ms for load in loads),
        "p99_ms": statistics.median(load.p99_ms for load in loads),
        "errors": sum(load.errors for load in loads),
    }


def bench_serving(
    graph: Path, label: str, text: str, cache: Path, repeat: int, seconds: int, workers: int = 1
) -> dict[str, Any]:
    """Floor, ``/healthz`` and every endpoint on ``graph``: medians and ratios over rounds.

    ``workers``: web processes of ``kg serve``; the floor is always one process.
    """
    floor_port, port = free_port(), free_port()
    floor_command = [PYTHON, str(_FLOOR), "--port", str(floor_port)]
    with (
        serve(floor_command, floor_port) as floor,
        serve(kg_serve(graph, port, cache, workers), port) as server,
    ):
        endpoints = _endpoints(server.base, label, text[:_ANNOTATE_CHARS])
        runs: dict[str, list[Load]] = {"floor": [], "healthz": []}
        runs.update({name: [] for name in endpoints})
        for round_ in range(repeat):
            runs["floor"].append(wrk(f"{floor.base}/healthz", seconds=seconds))
            runs["healthz"].append(wrk(f"{server.base}/healthz", seconds=seconds))
            for name, spec in endpoints.items():
                runs[name].append(wrk(seconds=seconds, **spec))
            print(f"  serving round {round_ + 1}/{repeat} done", file=sys.stderr)
        sizes = _sizes(endpoints)
        sizes["healthz"] = len(_get(f"{server.base}/healthz")[1])
        sizes["floor"] = len(_get(f"{floor.base}/healthz")[1])
        memory = memory_mib(server.process.pid)
    rows = {name: _median(loads) for name, loads in runs.items()}
    for name, loads in runs.items():
        base = runs["floor"] if name == "healthz" else runs["healthz"]
        rows[name]["ratio"] = statistics.median(
            load.rps / ref.rps for load, ref in zip(loads, base, strict=True)
        )
        rows[name]["bytes"] = sizes.get(name, 0)
    return {
        "graph": graph.name,
        "label": label,
        "workers": workers,
        "rows": rows,
        "memory_after_mib": memory,
    }


def bench_startup(graph: Path, cache: Path, repeat: int) -> dict[str, Any]:
    """Seconds to ready and resident MiB of the web process once ready.

    The first start writes the graph's store snapshot (removed beforehand) and
    is reported on its own; the medians are of the ``repeat`` starts after it,
    which open the snapshot.
    """
    shutil.rmtree(graph.with_name(graph.name + ".store"), ignore_errors=True)
    port = free_port()
    with serve(kg_serve(graph, port, cache), port) as server:
        first = server.ready_seconds
    ready, rss, hwm = [], [], []
    for _ in range(repeat):
        port = free_port()
        with serve(kg_serve(graph, port, cache), port) as server:
            memory = memory_mib(server.process.pid)
            ready.append(server.ready_seconds)
            rss.append(memory["VmRSS"])
            hwm.append(memory["VmHWM"])
    return {
        "first_ready_seconds": first,
        "ready_seconds": statistics.median(ready),
        "ready_all": [round(value, 2) for value in ready],
        "rss_mib": statistics.median(rss),
        "hwm_mib": statistics.median(hwm),
    }
