"""Run the web service with uvicorn on a graph file that :mod:`kg.build` wrote.

The server holds the limits of :class:`api.settings.Settings` at the
connection level (see :mod:`kg.guarded_http`): a cap on open connections,
deadlines for request headers and bodies, uvicorn's keep-alive timeout and
concurrency cap, and a bound on the size of request headers. "ready at …" is
printed once ``/healthz`` answers, not before.
"""

from __future__ import annotations

import contextlib
import ipaddress
import os
import resource
import sys
import threading
import time
import urllib.request
from pathlib import Path

import uvicorn

from kg.guarded_http import guarded_h11

__all__ = ["serve"]

_MAX_HEADER_BYTES = 16 * 1024
# File descriptors the process needs besides its connections (store, workers, logs).
_SPARE_DESCRIPTORS = 256
_READY_SECONDS = 600.0


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


def _announce_when_ready(server: uvicorn.Server, local: str, public: str) -> None:
    """Print "ready at …" once ``/healthz`` answers 200; give up if the server stops first."""
    deadline = time.monotonic() + _READY_SECONDS
    while time.monotonic() < deadline and not server.should_exit:
        if server.started:
            try:
                with urllib.request.urlopen(f"{local}/healthz", timeout=2) as answer:
                    if answer.status == 200:
                        print(f"kg: ready at {public}/ (API docs at /docs)", file=sys.stderr)
                        return
            except OSError:
                pass
        time.sleep(0.2)


def serve(
    *, host: str, port: int, graph: Path | None = None, sparql_endpoint: str | None = None
) -> int:
    """Serve the graph file ``graph``, or the shared store at ``sparql_endpoint``, until stopped.

    1 if the service could not start.
    """
    from api.app import create_app
    from api.settings import Settings

    local = f"http://{_url_host(host)}:{port}"
    changes: dict[str, object] = {"graph_path": graph, "sparql_endpoint": sparql_endpoint}
    if "KG_BASE_URL" not in os.environ:
        changes["base_url"] = local
    settings = Settings().model_copy(update=changes)
    _raise_descriptor_limit(settings.max_connections + _SPARE_DESCRIPTORS)
    protocol = guarded_h11(
        header_timeout=settings.header_timeout_seconds,
        body_timeout=settings.body_timeout_seconds,
        max_connections=settings.max_connections,
    )
    config = uvicorn.Config(
        create_app(settings),
        host=host,
        port=port,
        log_level="info",
        http=protocol,
        lifespan="on",
        limit_concurrency=settings.max_connections,
        timeout_keep_alive=max(1, round(settings.keep_alive_seconds)),
        h11_max_incomplete_event_size=_MAX_HEADER_BYTES,
    )
    server = uvicorn.Server(config)
    print(f"kg: starting on {local}/ with {graph or sparql_endpoint}", file=sys.stderr)
    announcer = threading.Thread(
        target=_announce_when_ready,
        args=(server, local.replace("localhost", "127.0.0.1"), settings.base_url.rstrip("/")),
        daemon=True,
    )
    announcer.start()
    server.run()
    return 0 if server.started else 1
