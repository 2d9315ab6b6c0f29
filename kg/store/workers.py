"""Worker processes that run user SPARQL on the embedded store with a hard time limit.

:class:`QueryPool` runs each query in one of a few ``spawn``-ed processes that
open the Oxigraph database read-only. A query that outlives the limit has its
process killed (the work stops, not just the wait) and a fresh worker takes
its place; so does a worker that dies, e.g. past its memory cap.

Workers never outlive the process that started them, however it ends:

- each worker caps its own address space (``RLIMIT_AS``), so a runaway query
  fails in its worker instead of taking the machine's memory;
- on Linux each asks the kernel for ``SIGKILL`` when its parent dies
  (``PR_SET_PDEATHSIG``), which works even while the worker is deep in a
  query. The kernel ties that signal to the *thread* that started the
  worker, so every worker is started from one thread that lives as long as
  the pool;
- a watchdog thread in each worker exits the process when the parent's
  sentinel pipe closes, for systems without ``prctl``.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import multiprocessing
import os
import queue
import resource
import signal
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from multiprocessing.connection import Connection, wait
from multiprocessing.context import SpawnContext, SpawnProcess
from pathlib import Path

import anyio.to_thread
from pyoxigraph import Store

from kg.sparql.errors import (
    PoolBusy,
    QueryFailed,
    QueryMemoryExceeded,
    QueryTimeout,
    SparqlError,
)
from kg.sparql.guard import check_shape
from kg.sparql.request import QueryLimits, QueryRequest, QueryResult
from kg.store.oxigraph_query import execute_query

__all__ = ["QueryPool"]

_PR_SET_PDEATHSIG = 1
_MIB = 1024 * 1024
# How a process that ran out of its address space ends: Rust aborts on a failed allocation.
_OUT_OF_MEMORY_EXITS = frozenset({-signal.SIGABRT, -signal.SIGKILL, -signal.SIGBUS})


def _answer(
    store: Store, request: QueryRequest, row_limit: int, memory_mb: int
) -> tuple[str, object]:
    try:
        return ("ok", execute_query(store, request, row_limit))
    except SparqlError as error:
        return ("error", error)
    except MemoryError:
        return ("error", QueryMemoryExceeded(memory_mb))
    except Exception as error:
        return ("error", QueryFailed(f"the query failed: {error}"))


def _die_with_parent(parent_pid: int) -> None:
    """Be killed by the kernel when the parent goes, and exit if it has gone already."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent_pid:
        os._exit(1)
    parent = multiprocessing.parent_process()
    if parent is not None and parent.sentinel is not None:
        threading.Thread(
            target=_exit_when_closed, args=(parent.sentinel,), name="kg-watchdog", daemon=True
        ).start()


def _exit_when_closed(sentinel: int) -> None:
    wait([sentinel])
    os._exit(1)


def _cap_memory(megabytes: int) -> None:
    if megabytes > 0:
        limit = megabytes * _MIB
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _worker_main(
    connection: Connection, database: str, row_limit: int, memory_mb: int, parent_pid: int
) -> None:
    """A worker process: open the store read-only, then answer requests until told to stop."""
    _die_with_parent(parent_pid)
    # Ctrl-C reaches the whole process group; the parent decides when workers stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        store = Store.read_only(database)
    except OSError as error:
        connection.send(("failed", f"cannot open the store {database}: {error}"))
        return
    try:
        _cap_memory(memory_mb)
    except (OSError, ValueError) as error:
        connection.send(("failed", f"cannot cap the worker's memory at {memory_mb} MiB: {error}"))
        return
    connection.send(("ready", os.getpid()))
    while True:
        try:
            request = connection.recv()
        except EOFError:
            return
        if request is None:
            return
        connection.send(_answer(store, request, row_limit, memory_mb))


class _Worker:
    """One worker process and the pipe to it."""

    def __init__(self, context: SpawnContext, database: Path, limits: QueryLimits) -> None:
        self.connection, child = context.Pipe()
        self.process: SpawnProcess = context.Process(
            target=_worker_main,
            args=(child, str(database), limits.row_limit, limits.memory_mb, os.getpid()),
            name="kg-sparql-worker",
            daemon=True,
        )
        self.process.start()
        child.close()

    @property
    def pid(self) -> int | None:
        return self.process.pid

    def wait_ready(self, timeout: float) -> None:
        if not self.connection.poll(timeout):
            raise QueryFailed(f"a SPARQL worker did not start within {timeout:g} s")
        try:
            status, detail = self.connection.recv()
        except EOFError:
            raise QueryFailed("a SPARQL worker exited while starting") from None
        if status != "ready":
            raise QueryFailed(str(detail))

    def ask(self, request: QueryRequest, timeout: float) -> tuple[str, object]:
        self.connection.send(request)
        if not self.connection.poll(timeout):
            raise QueryTimeout(timeout)
        status, payload = self.connection.recv()
        return status, payload

    async def ask_async(self, request: QueryRequest, timeout: float) -> tuple[str, object]:
        """:meth:`ask` on the running event loop: the pipe is watched, not waited on."""
        self.connection.send(request)
        loop = asyncio.get_running_loop()
        answered: asyncio.Future[None] = loop.create_future()
        descriptor = self.connection.fileno()

        def readable() -> None:
            if not answered.done():
                answered.set_result(None)

        loop.add_reader(descriptor, readable)
        try:
            await asyncio.wait_for(answered, timeout)
        except TimeoutError:
            raise QueryTimeout(timeout) from None
        finally:
            loop.remove_reader(descriptor)
            # uvloop makes a watched descriptor non-blocking; recv must wait for a long answer.
            os.set_blocking(descriptor, True)
        status, payload = self.connection.recv()
        return status, payload

    def exit_code(self, grace: float = 2.0) -> int | None:
        """How the process ended, once it has (None if it is still running after ``grace``)."""
        self.process.join(grace)
        return self.process.exitcode

    def kill(self) -> None:
        """Stop the process now, whatever it is doing, and reap it."""
        self.process.kill()
        self.process.join()
        self._close_connection()

    def _close_connection(self) -> None:
        # The pool's closing thread and a replacement's starting thread may both get here.
        with contextlib.suppress(OSError):
            self.connection.close()

    def shutdown(self, grace: float = 1.0) -> None:
        """Ask the process to exit; kill it if it does not within ``grace`` seconds."""
        with contextlib.suppress(OSError):
            self.connection.send(None)
        self.process.join(grace)
        if self.process.is_alive():
            self.kill()
        else:
            self._close_connection()


class QueryPool:
    """A few worker processes that run queries with a hard time limit.

    :meth:`run` blocks: call it from a thread, never on an event loop. It waits
    up to ``queue_wait_seconds`` for an idle worker (else :class:`PoolBusy`),
    then up to ``timeout_seconds`` for the answer (else the worker is killed,
    a replacement starts in the background, and :class:`QueryTimeout` is raised).
    """

    def __init__(
        self, database: Path, limits: QueryLimits, *, start_timeout_seconds: float = 60.0
    ) -> None:
        if limits.workers < 1:
            raise ValueError("a query pool needs at least one worker")
        self.database = database
        self.limits = limits
        self.size = limits.workers
        self.timeout_seconds = limits.timeout_seconds
        self.queue_wait_seconds = limits.queue_wait_seconds
        self.start_timeout_seconds = start_timeout_seconds
        self._context = multiprocessing.get_context("spawn")
        # Every worker starts from this one thread (see the module docstring).
        self._starter = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kg-sparql-starter")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._workers: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False

    def start(self) -> None:
        """Start every worker and wait until each has opened the store."""
        started = [self._spawn() for _ in range(self.size)]
        try:
            for worker in started:
                worker.wait_ready(self.start_timeout_seconds)
        except QueryFailed:
            self.close()
            raise
        for worker in started:
            self._idle.put(worker)

    @property
    def pids(self) -> list[int]:
        """The process ids of the live workers."""
        with self._lock:
            return [w.pid for w in self._workers if w.pid is not None and w.process.is_alive()]

    def run(self, request: QueryRequest) -> QueryResult:
        """Answer one request in a worker process."""
        self._check(request)
        try:
            worker = self._idle.get(timeout=self.queue_wait_seconds)
        except queue.Empty:
            raise PoolBusy(
                f"all {self.size} SPARQL workers are busy; try again in a few seconds"
            ) from None
        try:
            status, payload = worker.ask(request, self.timeout_seconds)
        except QueryTimeout:
            self._replace(worker)
            raise
        except (EOFError, OSError):
            raise self._lost(worker) from None
        return self._answered(worker, status, payload)

    async def run_async(self, request: QueryRequest) -> QueryResult:
        """:meth:`run` on the running event loop, when a worker is idle now.

        The answer is awaited on the worker's pipe, so no thread is held while
        the worker computes; with no idle worker, :meth:`run` waits in a thread.
        The time limit and its kill are the same. A request cancelled while its
        worker computes (the client went away) leaves a thread to collect the
        answer and return the worker.
        """
        self._check(request)
        try:
            worker = self._idle.get_nowait()
        except queue.Empty:
            return await anyio.to_thread.run_sync(self.run, request)
        try:
            status, payload = await worker.ask_async(request, self.timeout_seconds)
        except QueryTimeout:
            self._replace(worker)
            raise
        except (EOFError, OSError):
            raise self._lost(worker) from None
        except asyncio.CancelledError:
            threading.Thread(target=self._collect, args=(worker,), daemon=True).start()
            raise
        return self._answered(worker, status, payload)

    def _check(self, request: QueryRequest) -> None:
        if self._closed:
            raise QueryFailed("the query pool is closed")
        check_shape(request.query, self.limits.max_query_chars, self.limits.max_nesting)

    def _answered(self, worker: _Worker, status: str, payload: object) -> QueryResult:
        self._idle.put(worker)
        if status == "error":
            assert isinstance(payload, SparqlError)
            raise payload
        assert isinstance(payload, QueryResult)
        return payload

    def _lost(self, worker: _Worker) -> SparqlError:
        """The error for a worker that died while answering; a replacement is started."""
        code = worker.exit_code()
        self._replace(worker)
        if self.limits.memory_mb and code in _OUT_OF_MEMORY_EXITS:
            return QueryMemoryExceeded(self.limits.memory_mb)
        return QueryFailed(
            f"the SPARQL worker stopped while answering (exit status {code}); it has been replaced"
        )

    def _collect(self, worker: _Worker) -> None:
        """Wait out an abandoned answer, then return the worker (or replace it)."""
        try:
            if worker.connection.poll(self.timeout_seconds):
                worker.connection.recv()
                self._idle.put(worker)
                return
        except (EOFError, OSError):
            pass
        self._replace(worker)

    def close(self) -> None:
        """Stop every worker."""
        self._closed = True
        with self._lock:
            workers = list(self._workers)
            self._workers.clear()
        for worker in workers:
            worker.shutdown()
        self._starter.shutdown(wait=False)

    def __enter__(self) -> QueryPool:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _spawn(self) -> _Worker:
        worker = self._starter.submit(_Worker, self._context, self.database, self.limits).result()
        with self._lock:
            self._workers.add(worker)
        return worker

    def _forget(self, worker: _Worker) -> None:
        with self._lock:
            self._workers.discard(worker)

    def _replace(self, worker: _Worker) -> None:
        """Kill ``worker`` now; a new one joins the idle queue once it is ready."""
        self._forget(worker)
        worker.kill()
        if not self._closed:
            threading.Thread(target=self._start_replacement, daemon=True).start()

    def _start_replacement(self) -> None:
        try:
            worker = self._spawn()
        except RuntimeError:  # the pool closed meanwhile: its starter takes no more work
            return
        try:
            worker.wait_ready(self.start_timeout_seconds)
        except (QueryFailed, EOFError, OSError):
            self._forget(worker)
            worker.kill()
            return
        if self._closed:
            self._forget(worker)
            worker.shutdown()
        else:
            self._idle.put(worker)
