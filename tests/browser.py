"""Browser tests' helpers: Debian's headless Chromium under Selenium, cut off from the network.

:func:`chromium` starts ``/usr/bin/chromium`` through ``/usr/bin/chromedriver``
(``make system-deps`` installs both; nothing is downloaded) with a fresh
profile, background services off, every host name but 127.0.0.1 unresolvable
and a proxy that does not exist for anything not on the loopback address.
:func:`outside_requests` reads the performance log to show that no page asked
for anything elsewhere. :func:`kg_server` runs the real ``kg serve`` and
:func:`static_server` a plain ``http.server``, each on its own loopback port.

``requires_chromium`` skips a test only off CI when Chromium is absent; with
``CI`` set a missing browser fails the test instead.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

__all__ = [
    "CHROMEDRIVER",
    "CHROMIUM",
    "chromium",
    "console_errors",
    "free_port",
    "kg_server",
    "outside_requests",
    "requires_chromium",
    "static_server",
]

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
LOOPBACK = "127.0.0.1"
_READY_SECONDS = 180
_FAVICON = re.compile(r"\S+/favicon\.ico - Failed to load resource")

requires_chromium = pytest.mark.skipif(
    not CHROMIUM.is_file() and not os.environ.get("CI"),
    reason="needs Debian's chromium and chromium-driver (make system-deps installs them)",
)
"""Skip when there is no browser, except under CI, where its absence is a failure."""

_ISOLATION_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--disable-domain-reliability",
    "--disable-features=OptimizationHints,MediaRouter,Translate",
    # No name resolves but the loopback address, and anything not for it goes to a
    # proxy on a port nothing listens on: a request for another host fails at once.
    f"--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE {LOOPBACK}",
    f"--proxy-server=http://{LOOPBACK}:9",
    f"--proxy-bypass-list={LOOPBACK}",
    "--window-size=1280,900",
    "--lang=zh-CN",
)


def free_port() -> int:
    """A TCP port on the loopback address that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def chromium() -> Iterator[Any]:
    """A Selenium driver of headless Chromium with a fresh profile, logging console and network."""
    if not CHROMIUM.is_file() or not CHROMEDRIVER.is_file():
        pytest.fail(f"{CHROMIUM} and {CHROMEDRIVER} are needed: run `make system-deps`")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="chromium-profile-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (*_ISOLATION_FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    # An alert stays open, so that a test can see that one was raised.
    options.unhandled_prompt_behavior = "ignore"
    driver = webdriver.Chrome(options=options, service=Service(executable_path=str(CHROMEDRIVER)))
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def outside_requests(driver: Any) -> list[str]:
    """URLs requested since the last call for any host but the loopback address."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] != "Network.requestWillBeSent":
            continue
        url = message["params"]["request"]["url"]
        parts = urlsplit(url)
        if parts.scheme in {"http", "https", "ws", "wss"} and parts.hostname != LOOPBACK:
            urls.append(url)
    return urls


def console_errors(driver: Any) -> list[str]:
    """Console messages of level SEVERE (errors, failed loads) since the last call.

    The browser's own request for ``/favicon.ico``, which no page asks for, is left out.
    """
    return [
        entry["message"]
        for entry in driver.get_log("browser")
        if entry["level"] == "SEVERE" and not _FAVICON.match(entry["message"])
    ]


@contextmanager
def kg_server(cache_dir: Path, *args: str, **settings: str) -> Iterator[str]:
    """The real ``kg serve`` (the bundled corpus, unless ``args`` name a graph); yields its URL.

    ``settings`` become ``KG_*`` environment variables of the server
    (``sparql_timeout_seconds="3"`` → ``KG_SPARQL_TIMEOUT_SECONDS=3``).
    """
    port = free_port()
    env = {**os.environ, "KG_CACHE_DIR": str(cache_dir)}
    env.update({f"KG_{name.upper()}": value for name, value in settings.items()})
    env.pop("KG_GRAPH_PATH", None)
    command = [sys.executable, "-m", "kg.cli", "serve", "--host", LOOPBACK, "--port", str(port)]
    log_path = cache_dir / "server.log"
    cache_dir.mkdir(parents=True, exist_ok=True)
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [*command, *args],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base = f"http://{LOOPBACK}:{port}"
        try:
            _wait_until_ready(base, process, log_path)
            yield base
        finally:
            process.terminate()
            process.wait(timeout=30)


def _wait_until_ready(base: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + _READY_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"kg serve exited with {process.returncode}:\n{log.read_text()}")
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    pytest.fail(f"kg serve was not ready within {_READY_SECONDS} s:\n{log.read_text()}")


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Keep the test output clean."""


@contextmanager
def static_server(directory: Path) -> Iterator[str]:
    """A plain ``http.server`` serving ``directory`` on its own loopback port; yields its URL."""
    handler = partial(_QuietHandler, directory=str(directory))
    server = ThreadingHTTPServer((LOOPBACK, 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{LOOPBACK}:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
