"""Run the web service with uvicorn on a graph file that :mod:`kg.build` wrote.

uvicorn runs on uvloop with the httptools parser (``KG_HTTP_PROTOCOL=h11``
for the pure-Python one), its access log off unless ``KG_ACCESS_LOG`` is set.
The server holds the limits of :class:`api.settings.Settings` at the
connection level (see :mod:`kg.guarded_http`): a cap on open connections,
deadlines for request headers and bodies, uvicorn's keep-alive timeout and
concurrency cap, and a bound on the size of request headers. Once a process
has built its read model its heap is frozen (:func:`gc.freeze`), so a full
garbage collection never walks the model again.

With ``workers`` > 1 this process binds the socket, makes sure the graph's
store snapshot exists (:func:`kg.store.open_snapshot`), and starts that many
``spawn``-ed web processes on the one socket, each with its own store handle,
read model and share of the SPARQL workers; each answers with an
``X-KG-Worker`` header (its number, 1 to N). SIGTERM or Ctrl-C stops them
all; a web process that dies after start-up is replaced; one that fails to
start stops the service. "ready at …" is printed once every process has
started and ``/healthz`` answers, not before.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import ipaddress
import math
import multiprocessing
import os
import resource
import signal
import socket
import sys
import threading
import time
import urllib.request
from collections.abc import Callable
from multiprocessing.context import SpawnProcess
from multiprocessing.synchronize import Event
from pathlib import Path
from typing import TYPE_CHECKING, Any

import uvicorn

from kg.guarded_http import guarded_protocol

if TYPE_CHECKING:
    from api.settings import Settings

__all__ = ["serve"]

_MAX_HEADER_BYTES = 16 * 1024
# File descriptors the process needs besides its connections (store, workers, logs).
_SPARE_DESCRIPTORS = 256
_READY_SECONDS = 600.0
_STOP_SECONDS = 30.0
_PR_SET_PDEATHSIG = 1
# uvicorn's exit status when the app's start-up failed.
_STARTUP_FAILURE = 3


def _url_host(host: str) -> str:
    """``host`` as it goes in a URL: a wildcard address becomes ``localhost``, IPv6 in brackets."""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host
    if address.is_unspecified:
        return "localhost"
    return f"[{host}]" if address.version == 6 else host


def _raise_descriptor_limit(needed: int) -> None:
    """Let the process hold ``needed`` open files if the hard limit allows it."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = needed if hard == resource.RLIM_INFINITY else min(needed, hard)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))


def _healthz_answers(local: str) -> bool:
    try:
        with urllib.request.urlopen(f"{local}/healthz", timeout=2) as answer:
            return bool(answer.status == 200)
    except OSError:
        return False


def _announce_when_ready(
    started: Callable[[], bool], stopped: Callable[[], bool], local: str, message: str
) -> None:
    """Print ``message`` once ``started()`` and ``/healthz`` answers 200; stop on ``stopped()``."""
    deadline = time.monotonic() + _READY_SECONDS
    while time.monotonic() < deadline and not stopped():
        if started() and _healthz_answers(local):
            print(message, file=sys.stderr)
            return
        time.sleep(0.2)


class _Server(uvicorn.Server):
    """uvicorn's server, which freezes the heap (and reports) once the app has started."""

    def __init__(self, config: uvicorn.Config, on_started: Callable[[], None] = lambda: None):
        super().__init__(config)
        self._on_started = on_started

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=sockets)
        if self.started:
            _freeze_heap()
            self._on_started()


def _freeze_heap() -> None:
    """Move every object alive now (the read model, the app, imports) out of the collector's reach.

    They stay alive for the life of the process; later collections walk only
    what requests allocate, so none pauses for the size of the graph.
    """
    gc.collect()
    gc.freeze()


def _config(settings: Settings, app: Any, **where: Any) -> uvicorn.Config:
    """uvicorn's configuration for ``app`` under ``settings`` (``where``: host, port, headers)."""
    protocol = guarded_protocol(
        settings.http_protocol,
        header_timeout=settings.header_timeout_seconds,
        body_timeout=settings.body_timeout_seconds,
        max_connections=settings.max_connections,
        max_header_bytes=_MAX_HEADER_BYTES,
    )
    return uvicorn.Config(
        app,
        log_level="info",
        loop="uvloop",
        http=protocol,
        access_log=settings.access_log,
        lifespan="on",
        limit_concurrency=settings.max_connections,
        timeout_keep_alive=max(1, round(settings.keep_alive_seconds)),
        h11_max_incomplete_event_size=_MAX_HEADER_BYTES,
        **where,
    )


def serve(
    *,
    host: str,
    port: int,
    graph: Path | None = None,
    sparql_endpoint: str | None = None,
    workers: int = 1,
) -> int:
    """Serve the graph file ``graph``, or the shared store at ``sparql_endpoint``, until stopped.

    ``workers``: web processes on the one socket. 1 if the service could not start.
    """
    from api.settings import Settings

    local = f"http://{_url_host(host)}:{port}"
    changes: dict[str, object] = {"graph_path": graph, "sparql_endpoint": sparql_endpoint}
    if "KG_BASE_URL" not in os.environ:
        changes["base_url"] = local
    settings = Settings().model_copy(update=changes)
    _raise_descriptor_limit(settings.max_connections + _SPARE_DESCRIPTORS)
    print(f"kg: starting on {local}/ with {graph or sparql_endpoint}", file=sys.stderr)
    probe = local.replace("localhost", "127.0.0.1")
    ready = f"kg: ready at {settings.base_url.rstrip('/')}/ (API docs at /docs)"
    if workers == 1:
        return _serve_here(settings, host, port, probe, ready)
    ready = f"{ready[:-1]}, {workers} workers)"
    return _Supervisor(settings, host, port, workers).run(probe, ready)


def _serve_here(settings: Settings, host: str, port: int, probe: str, ready: str) -> int:
    """One process: the app runs in this one."""
    from api.app import create_app

    server = _Server(_config(settings, create_app(settings), host=host, port=port))
    announcer = threading.Thread(
        target=_announce_when_ready,
        args=(lambda: server.started, lambda: server.should_exit, probe, ready),
        daemon=True,
    )
    announcer.start()
    server.run()
    return 0 if server.started else 1


def _die_with_parent(parent_pid: int) -> None:
    """Be killed by the kernel when the supervisor goes (Linux), and exit if it has gone already."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent_pid:
        os._exit(1)


def _web_process(
    settings: Settings, sock: socket.socket, number: int, started: Event, parent_pid: int
) -> None:
    """One web process of several: the app on the supervisor's socket."""
    _die_with_parent(parent_pid)
    from api.app import create_app
    from kg.cli import log_to_stderr

    log_to_stderr()
    headers = [("X-KG-Worker", str(number))]
    server = _Server(_config(settings, create_app(settings), headers=headers), started.set)
    server.run(sockets=[sock])
    sys.exit(0 if server.started else _STARTUP_FAILURE)


class _Supervisor:
    """``workers`` web processes on one listening socket, started, replaced and stopped together."""

    def __init__(self, settings: Settings, host: str, port: int, workers: int) -> None:
        # The SPARQL workers of the service are shared out among the web processes.
        share = max(1, math.ceil(settings.sparql_workers / workers))
        self.settings = settings.model_copy(update={"sparql_workers": share})
        self.host, self.port, self.workers = host, port, workers
        self._context = multiprocessing.get_context("spawn")
        self._stop = threading.Event()
        self._processes: list[SpawnProcess] = []
        self._started: list[Event] = []

    def run(self, probe: str, ready: str) -> int:
        self._prepare()
        config = _config(self.settings, None, host=self.host, port=self.port)
        sock = config.bind_socket()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: self._stop.set())
        try:
            for number in range(1, self.workers + 1):
                self._start(number, sock)
            threading.Thread(
                target=_announce_when_ready,
                args=(self._all_started, self._stop.is_set, probe, ready),
                daemon=True,
            ).start()
            return self._watch(sock)
        finally:
            self._stop_all()
            sock.close()

    def _prepare(self) -> None:
        """Write the graph's store snapshot once here, so no web process races to write it."""
        path = self.settings.graph_path
        if path is not None and self.settings.sparql_endpoint is None:
            from kg.store import open_snapshot

            open_snapshot(path, spare=self.settings.cache_dir / "snapshots").close()

    def _start(self, number: int, sock: socket.socket) -> None:
        started = self._context.Event()
        process = self._context.Process(
            target=_web_process,
            args=(self.settings, sock, number, started, os.getpid()),
            name=f"kg-web-{number}",
        )
        process.start()
        if number > len(self._processes):
            self._processes.append(process)
            self._started.append(started)
        else:
            self._processes[number - 1], self._started[number - 1] = process, started

    def _all_started(self) -> bool:
        return all(started.is_set() for started in self._started)

    def _watch(self, sock: socket.socket) -> int:
        """Until stopped: replace a web process that died; 1 if one failed to start."""
        while not self._stop.wait(0.5):
            for index, process in enumerate(self._processes):
                if process.is_alive():
                    continue
                if not self._started[index].is_set():
                    print(
                        f"kg: error: web process {index + 1} failed to start "
                        f"(exit {process.exitcode}); stopping",
                        file=sys.stderr,
                    )
                    return 1
                print(
                    f"kg: warning: web process {index + 1} (pid {process.pid}) exited with "
                    f"{process.exitcode}; starting another",
                    file=sys.stderr,
                )
                self._start(index + 1, sock)
        return 0

    def _stop_all(self) -> None:
        for process in self._processes:
            if process.is_alive() and process.pid is not None:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + _STOP_SECONDS
        for process in self._processes:
            process.join(max(0.0, deadline - time.monotonic()))
            if process.is_alive():
                process.kill()
                process.join()
