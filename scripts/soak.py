"""Load and soak: many connections mixing lookups, search, annotate and SPARQL, loopback only.

Starts the real ``kg serve`` on the bundled corpus (or ``--graph FILE``) on a
free 127.0.0.1 port, then runs ``--connections`` clients for ``--minutes``,
each sending its next request as soon as the last one is answered. Every
minute it reports requests, errors (any status but the expected one, and any
transport error), p50/p99 latency per kind, and the resident memory of the
web process and its SPARQL workers. It stops by itself and stops the server.

    .venv/bin/python scripts/soak.py [--minutes 3] [--connections 200]

The mix has deliberate errors too (a lookup of an unknown label, 404): they
are counted apart and must be answered exactly as expected.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import httpx

__all__ = ["main"]

LOOPBACK = "127.0.0.1"
LABELS = ["六个致力", "三所一庭", "八个坚持", "六稳", "五个统筹", "“235”现代化产业体系"]
SEARCHES = ["lgzl", "liugezhili", "三所", "现代化", "sszy", "产业"]
SENTENCES = [
    "在市委、市政府和区委的坚强领导下，锚定“六个致力”，围绕“八个坚持”，着力转方式、调结构。",
    "创新“三所一庭”矛盾纠纷化解机制，满春司法所、民意派出所荣获全省新时代“枫桥经验”典型。",
]
QUERIES = [
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
    "SELECT ?label WHERE { ?t skos:prefLabel ?label } ORDER BY ?label LIMIT 20",
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
    'ASK { ?c skos:prefLabel "六个致力"@zh-hans }',
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
]


@dataclass
class Minute:
    """What one minute of the run saw."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    deliberate: int = 0
    rss_mb: list[float] = field(default_factory=list)


def _request(rng: random.Random) -> tuple[str, str, str, dict[str, object], int]:
    """(kind, method, path, httpx keyword arguments, expected status) of one request."""
    roll = rng.random()
    if roll < 0.30:
        return ("lookup", "GET", "/api/v1/lookup", {"params": {"label": rng.choice(LABELS)}}, 200)
    if roll < 0.55:
        return ("search", "GET", "/api/v1/terms", {"params": {"q": rng.choice(SEARCHES)}}, 200)
    if roll < 0.75:
        body = {"text": rng.choice(SENTENCES), "district": "江汉区"}
        return ("annotate", "POST", "/api/v1/annotate", {"json": body}, 200)
    if roll < 0.97:
        return ("sparql", "GET", "/sparql", {"params": {"query": rng.choice(QUERIES)}}, 200)
    return ("missing", "GET", "/api/v1/lookup", {"params": {"label": "没有这个词"}}, 404)


async def _client(
    client: httpx.AsyncClient, seed: int, deadline: float, start: float, minutes: list[Minute]
) -> None:
    rng = random.Random(seed)
    while time.monotonic() < deadline:
        kind, method, path, options, expected = _request(rng)
        began = time.monotonic()
        minute = minutes[min(int((began - start) // 60), len(minutes) - 1)]
        try:
            response = await client.request(method, path, **options)  # type: ignore[arg-type]
            status = response.status_code
        except httpx.HTTPError as error:
            minute.errors[f"{kind}: {type(error).__name__}"] += 1
            continue
        if status != expected:
            minute.errors[f"{kind}: {status}"] += 1
        elif kind == "missing":
            minute.deliberate += 1
        minute.latencies[kind].append(time.monotonic() - began)


def _descendants(pid: int) -> list[int]:
    pids: list[int] = []
    frontier = [pid]
    while frontier:
        parent = frontier.pop()
        for task in Path(f"/proc/{parent}/task").glob("*"):
            children = (task / "children").read_text().split() if task.exists() else []
            for child in map(int, children):
                pids.append(child)
                frontier.append(child)
    return pids


def _rss_mb(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


async def _sample_memory(pid: int, deadline: float, start: float, minutes: list[Minute]) -> None:
    while time.monotonic() < deadline:
        index = min(int((time.monotonic() - start) // 60), len(minutes) - 1)
        minutes[index].rss_mb.append(_rss_mb([pid, *_descendants(pid)]))
        await asyncio.sleep(5)


async def _run(base: str, pid: int, connections: int, seconds: float) -> list[Minute]:
    minutes = [Minute() for _ in range(max(1, int(seconds // 60)))]
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as client:
        start = time.monotonic()
        deadline = start + seconds
        await asyncio.gather(
            _sample_memory(pid, deadline, start, minutes),
            *(_client(client, seed, deadline, start, minutes) for seed in range(connections)),
        )
    return minutes


def _percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000


def _p50_p99(values: list[float]) -> str:
    return f"{_percentile(values, 0.5):.0f}/{_percentile(values, 0.99):.0f}"


def _report(minutes: list[Minute], connections: int) -> str:
    kinds = ["lookup", "search", "annotate", "sparql"]
    head = "| minute | requests | errors | deliberate 404 | " + " | ".join(
        f"{kind} p50/p99 ms" for kind in kinds
    )
    lines = [head + " | RSS MB (web + workers) |", "|" + "---|" * (5 + len(kinds))]
    for index, minute in enumerate(minutes, 1):
        requests = sum(len(values) for values in minute.latencies.values())
        cells = [_p50_p99(minute.latencies[kind]) for kind in kinds]
        rss = f"{statistics.mean(minute.rss_mb):.0f}" if minute.rss_mb else "?"
        errors = sum(minute.errors.values())
        lines.append(
            f"| {index} | {requests} | {errors} | {minute.deliberate} | "
            + " | ".join(cells)
            + f" | {rss} |"
        )
    detail = defaultdict(int)
    for minute in minutes:
        for name, count in minute.errors.items():
            detail[name] += count
    lines.append("")
    lines.append(f"{connections} connections; errors by kind: {dict(detail) or 'none'}")
    return "\n".join(lines)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        port: int = sock.getsockname()[1]
        return port


def _wait_ready(base: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"kg serve exited with {process.returncode}")
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    raise SystemExit("kg serve was not ready within 300 s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=3.0)
    parser.add_argument("--connections", type=int, default=200)
    parser.add_argument("--graph", help="serve this graph instead of the bundled corpus")
    args = parser.parse_args()
    if not 0 < args.minutes <= 60:
        parser.error("--minutes must be between 0 and 60")
    port = _free_port()
    base = f"http://{LOOPBACK}:{port}"
    cache = Path(os.environ.get("KG_CACHE_DIR", ".cache/kg"))
    command = [sys.executable, "-m", "kg.cli", "serve", "--host", LOOPBACK, "--port", str(port)]
    if args.graph:
        command += ["--graph", args.graph]
    with tempfile.TemporaryFile() as log:
        server = subprocess.Popen(
            command, env={**os.environ, "KG_CACHE_DIR": str(cache)}, stdout=log, stderr=log
        )
        try:
            _wait_ready(base, server)
            minutes = asyncio.run(_run(base, server.pid, args.connections, args.minutes * 60))
        finally:
            server.terminate()
            server.wait(timeout=60)
    print(
        f"machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    )
    print(_report(minutes, args.connections))


if __name__ == "__main__":
    main()
