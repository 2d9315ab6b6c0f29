"""HTTP load with wrk on the loopback: requests per second and latency percentiles.

``wrk`` (Debian package ``wrk``) runs one thread with a fixed number of
connections for a fixed time; POST bodies go through a small Lua script.
Each call returns req/s, p50 and p99 in milliseconds, and the count of
non-2xx responses and socket errors (a figure with errors is flagged).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

__all__ = ["Load", "wrk", "wrk_available"]

_RPS = re.compile(r"Requests/sec:\s+([\d.]+)")
_PERCENTILE = re.compile(r"^\s+(50|99)(?:\.0+)?%\s+([\d.]+)(us|ms|s)\s*$", re.MULTILINE)
_NON_2XX = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")
_SOCKET = re.compile(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")
_UNIT = {"us": 0.001, "ms": 1.0, "s": 1000.0}


@dataclass(frozen=True)
class Load:
    """One wrk run: throughput, latency percentiles (ms), and failures."""

    rps: float
    p50_ms: float
    p99_ms: float
    errors: int

    def as_dict(self) -> dict[str, float]:
        """The figures as a plain dict, for JSON."""
        return asdict(self)


def wrk_available() -> bool:
    """Whether the ``wrk`` binary is on the path."""
    return shutil.which("wrk") is not None


def _lua(method: str, body: bytes, content_type: str, accept: str | None) -> str:
    text = body.decode("utf-8")
    lines = [f'wrk.method = "{method}"', f"wrk.body = [==[{text}]==]"]
    lines.append(f'wrk.headers["Content-Type"] = "{content_type}"')
    if accept:
        lines.append(f'wrk.headers["Accept"] = "{accept}"')
    return "\n".join(lines) + "\n"


def wrk(
    url: str,
    *,
    seconds: int,
    connections: int = 50,
    body: bytes | None = None,
    content_type: str = "application/json",
    accept: str | None = None,
) -> Load:
    """Load ``url`` for ``seconds`` (POST ``body`` if given) and parse wrk's report."""
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    with tempfile.TemporaryDirectory() as directory:
        if body is not None:
            script = Path(directory) / "post.lua"
            script.write_text(_lua("POST", body, content_type, accept), encoding="utf-8")
            command += ["-s", str(script)]
        elif accept:
            command += ["-H", f"Accept: {accept}"]
        done = subprocess.run(
            [*command, url], capture_output=True, text=True, timeout=seconds + 60, check=True
        )
    out = done.stdout
    rps = _RPS.search(out)
    percentiles = {level: float(v) * _UNIT[unit] for level, v, unit in _PERCENTILE.findall(out)}
    errors = sum(int(n) for n in _NON_2XX.findall(out))
    if socket := _SOCKET.search(out):
        errors += sum(int(n) for n in socket.groups())
    if rps is None or "50" not in percentiles:
        raise RuntimeError(f"wrk gave no figures for {url}:\n{out}\n{done.stderr}")
    return Load(float(rps.group(1)), percentiles["50"], percentiles["99"], errors)
