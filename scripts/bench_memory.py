"""Resident memory of the web process serving the bundled corpus.

Starts ``kg serve`` on a free loopback port (the graph already built and
cached, so only serving is measured), waits for ``/healthz``, reads the
server process's VmRSS and VmHWM from ``/proc`` (its SPARQL worker processes
are separate processes and not counted), sends a round of lookups, and reads
them again. Run it from any checkout: ``python scripts/bench_memory.py``.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

PATHS = (
    "/api/v1/terms?limit=100",
    "/api/v1/terms/liu-ge-zhi-li",
    "/api/v1/terms/liu-ge-zhi-li/lineage",
    "/term/liu-ge-zhi-li",
    "/term/liu-ge-zhi-li.ttl",
    "/api/v1/suggest?q=lgz",
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _memory_kib(pid: int) -> dict[str, int]:
    fields: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(value.split()[0])
    return fields


def _serve(cache: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    env = {**os.environ, "KG_CACHE_DIR": str(cache)}
    command = [sys.executable, "-m", "kg.cli", "serve", "--port", str(port)]
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return process, base
        except httpx.TransportError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("kg serve did not become ready within 300 s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20, help="rounds of requests")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        cache = Path(directory)
        process, _ = _serve(cache)  # builds and caches the bundled corpus
        process.terminate()
        process.wait()
        started = time.monotonic()
        process, base = _serve(cache)
        ready = time.monotonic() - started
        try:
            idle = _memory_kib(process.pid)
            with httpx.Client(base_url=base) as client:
                for _ in range(args.rounds):
                    for path in PATHS:
                        client.get(path).raise_for_status()
            busy = _memory_kib(process.pid)
        finally:
            process.terminate()
            process.wait()
    print(f"ready in {ready:.1f} s (graph cached)")
    print(f"after start-up: VmRSS {idle['VmRSS'] / 1024:.0f} MiB")
    print(
        f"after {args.rounds} rounds of {len(PATHS)} requests: "
        f"VmRSS {busy['VmRSS'] / 1024:.0f} MiB, peak (VmHWM) {busy['VmHWM'] / 1024:.0f} MiB"
    )


if __name__ == "__main__":
    main()
