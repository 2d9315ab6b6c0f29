"""A real OpenLink Virtuoso for the shared-store tests, started and stopped by the tests.

:class:`Virtuoso` runs Debian's ``virtuoso-t`` in the foreground with a
database folder and a ``virtuoso.ini`` of its own, on free loopback ports,
so it touches nothing of a system installation. Its query endpoint is
``/sparql``, its update endpoint ``/sparql-auth`` (digest authentication, the
fresh database's ``dba``/``dba``), its graph store ``/sparql-graph-crud-auth``.
The tests are skipped with a reason when ``virtuoso-t`` is missing, except
under CI, where ``make test`` installs it and a missing server is a failure.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import httpx
import pytest

__all__ = ["VIRTUOSO", "Virtuoso", "requires_virtuoso"]

VIRTUOSO = shutil.which("virtuoso-t") or "/usr/bin/virtuoso-t"
_VAD = "/usr/share/virtuoso-opensource-7/vad"
_SERVER_ROOT = "/var/lib/virtuoso-opensource-7/vsp"

requires_virtuoso = pytest.mark.skipif(
    not Path(VIRTUOSO).is_file() and not os.environ.get("CI"),
    reason="Debian's virtuoso-opensource is not installed (make test installs it)",
)

_INI = """\
[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
CheckpointInterval = 60
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
DirsAllowed = ., {vad}
VADInstallDir = {vad}/

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {root}
ServerThreads = 10
MaxClientConnections = 10

[SPARQL]
ResultSetMaxRows = 10000
MaxQueryExecutionTime = 60
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Virtuoso:
    """One Virtuoso server on its own folder and ports; :meth:`stop` and :meth:`start` again."""

    user = "dba"
    password = "dba"

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.http_port = _free_port()
        self.sql_port = _free_port()
        directory.mkdir(parents=True, exist_ok=True)
        (directory / "virtuoso.ini").write_text(
            _INI.format(
                d=directory,
                sql_port=self.sql_port,
                http_port=self.http_port,
                vad=_VAD,
                root=_SERVER_ROOT,
            ),
            encoding="utf-8",
        )
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def query_endpoint(self) -> str:
        return f"{self.base}/sparql"

    @property
    def update_endpoint(self) -> str:
        return f"{self.base}/sparql-auth"

    @property
    def graph_store(self) -> str:
        return f"{self.base}/sparql-graph-crud-auth"

    def start(self, timeout: float = 120.0) -> None:
        """Start the server and wait until its SPARQL endpoint answers."""
        log = (self.directory / "server.out").open("ab")
        self._process = subprocess.Popen(
            [VIRTUOSO, "+configfile", str(self.directory / "virtuoso.ini"), "+foreground"],
            cwd=self.directory,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"virtuoso-t exited: {self.log_tail()}")
            try:
                answer = httpx.get(self.query_endpoint, params={"query": "ASK {}"}, timeout=2)
                if answer.status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"virtuoso-t did not answer within {timeout:g} s: {self.log_tail()}")

    def stop(self) -> None:
        """Stop the server (it checkpoints and exits; killed if it does not within 30 s)."""
        if self._process is None:
            return
        self._process.terminate()
        try:
            self._process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._process = None

    def log_tail(self, lines: int = 20) -> str:
        path = self.directory / "virtuoso.log"
        text = path.read_text(errors="replace") if path.is_file() else ""
        return "\n".join(text.splitlines()[-lines:])

    def count(self, graph: str) -> int:
        """Triples in ``graph``, asked of the server directly."""
        query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
        answer = httpx.get(
            self.query_endpoint,
            params={"query": query},
            headers={"Accept": "application/sparql-results+json"},
            timeout=10,
        )
        answer.raise_for_status()
        return int(answer.json()["results"]["bindings"][0]["n"]["value"])
