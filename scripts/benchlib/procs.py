"""Child processes measured from outside: wall time and peak memory, a server's readiness.

Every measurement runs the real command in a child process (``python -m
kg.cli build``, ``python -m kg.cli serve``), so imports, start-up and
teardown count as a user sees them. Peak memory is the child's own
``ru_maxrss`` (from :func:`os.wait4`); a server's memory is read from
``/proc/PID/status`` (VmRSS now, VmHWM its peak).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Run", "Server", "free_port", "memory_mib", "run_measured", "serve"]

PYTHON = sys.executable
ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Run:
    """A finished child: wall seconds, CPU seconds, peak resident MiB, exit status, stdout."""

    seconds: float
    cpu_seconds: float
    peak_mib: float
    status: int
    stdout: str


def _env() -> dict[str, str]:
    """The environment of children: this checkout's code first on the path."""
    path = os.environ.get("PYTHONPATH", "")
    return {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{path}" if path else str(ROOT)}


def run_measured(command: Sequence[str], timeout: float | None = None) -> Run:
    """Run ``command``; its wall time and own peak memory (killed after ``timeout`` s)."""
    started = time.perf_counter()
    with open(os.devnull, "wb") as null:
        child = subprocess.Popen(
            list(command), stdout=subprocess.PIPE, stderr=null, env=_env(), cwd=ROOT
        )
        deadline = None if timeout is None else started + timeout
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            if deadline is not None and time.perf_counter() > deadline:
                child.kill()
                pid, status, usage = os.wait4(child.pid, 0)
                break
            time.sleep(0.05)
    seconds = time.perf_counter() - started
    stdout = child.stdout.read().decode("utf-8", "replace") if child.stdout else ""
    child.returncode = os.waitstatus_to_exitcode(status)
    return Run(
        seconds,
        usage.ru_utime + usage.ru_stime,
        usage.ru_maxrss / 1024,
        child.returncode,
        stdout,
    )


def free_port() -> int:
    """A free TCP port on the loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def memory_mib(pid: int) -> dict[str, float]:
    """VmRSS and VmHWM of a process, in MiB."""
    fields: dict[str, float] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(value.split()[0]) / 1024
    return fields


def _ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


@dataclass(frozen=True)
class Server:
    """A running server: its base URL, process, and seconds from start to ``/healthz`` 200."""

    base: str
    process: subprocess.Popen[bytes]
    ready_seconds: float


@contextmanager
def serve(command: Sequence[str], port: int, timeout: float = 900) -> Iterator[Server]:
    """Start ``command`` (listening on ``port``), wait for ``/healthz``, stop it afterwards."""
    base = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    process = subprocess.Popen(
        list(command),
        env=_env(),
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        while not _ok(f"{base}/healthz"):
            if process.poll() is not None:
                raise RuntimeError(f"{' '.join(command)} exited with {process.returncode}")
            if time.perf_counter() - started > timeout:
                raise RuntimeError(f"{' '.join(command)}: not ready after {timeout:.0f} s")
            time.sleep(0.1)
        yield Server(base, process, time.perf_counter() - started)
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def kg_serve(graph: Path, port: int, cache: Path, workers: int = 1) -> list[str]:
    """The command line of ``kg serve`` on ``graph`` (its cache under ``cache``)."""
    os.environ.setdefault("KG_CACHE_DIR", str(cache))
    command = [PYTHON, "-m", "kg.cli", "serve", "--graph", str(graph), "--port", str(port)]
    return [*command, "--workers", str(workers)] if workers > 1 else command
