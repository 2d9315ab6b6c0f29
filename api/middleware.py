"""What every response carries, whichever router made it: ASGI middleware.

- :class:`PublicHost` makes every URL the app builds (``next`` links,
  ``url_for`` in pages, redirects) start with the configured base URL: the
  request's ``Host`` header and scheme are replaced by those of
  ``KG_BASE_URL`` before any route sees them, so a forged ``Host`` never
  reaches a link.
- :class:`SecurityHeaders` adds ``X-Content-Type-Options: nosniff`` to every
  response, and to every HTML page a ``Content-Security-Policy`` with
  ``frame-ancestors``: the page's own policy gets ``frame-ancestors 'none'``
  if it has none, and a page without a policy gets :data:`DEFAULT_PAGE_CSP`.
  Scripts (``/widget.js``) carry no policy and stay loadable from any page.
- :class:`Cors` allows cross-origin ``GET`` everywhere and ``POST`` only on
  the paths that need it (``/api/v1/annotate``, which the widget calls);
  a cross-origin ``POST`` elsewhere gets no CORS headers, so a browser never
  hands its answer to another site's script.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from urllib.parse import urlsplit

from starlette.datastructures import MutableHeaders
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["DEFAULT_PAGE_CSP", "Cors", "PublicHost", "SecurityHeaders"]

DEFAULT_PAGE_CSP = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
"""The policy of an HTML page that sets none of its own."""


class PublicHost:
    """Replace the request's host and scheme by those of ``base_url``."""

    def __init__(self, app: ASGIApp, base_url: str) -> None:
        parts = urlsplit(base_url)
        if parts.scheme not in {"http", "https"} or not parts.netloc:
            raise ValueError(f"the base URL must be an absolute http(s) URL, not {base_url!r}")
        self.app = app
        self.scheme = parts.scheme
        self.host = parts.netloc.encode("latin-1")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in {"http", "websocket"}:
            headers = [(name, value) for name, value in scope["headers"] if name != b"host"]
            scope = {**scope, "scheme": self.scheme, "headers": [(b"host", self.host), *headers]}
        await self.app(scope, receive, send)


class SecurityHeaders:
    """``nosniff`` on every response; a CSP with ``frame-ancestors`` on every HTML page."""

    def __init__(self, app: ASGIApp, page_csp: str = DEFAULT_PAGE_CSP) -> None:
        self.app = app
        self.page_csp = page_csp

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def secured_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                if headers.get("content-type", "").startswith("text/html"):
                    headers["Content-Security-Policy"] = _with_frame_ancestors(
                        headers.get("content-security-policy") or self.page_csp
                    )
            await send(message)

        await self.app(scope, receive, secured_send)


def _with_frame_ancestors(policy: str) -> str:
    directives = [part.strip() for part in policy.split(";") if part.strip()]
    if any(part.split()[0].lower() == "frame-ancestors" for part in directives):
        return policy
    return "; ".join([*directives, "frame-ancestors 'none'"])


class Cors:
    """CORS for reads everywhere, and for ``POST`` on ``post_paths`` only."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        allow_origins: Sequence[str],
        post_paths: Iterable[str],
        allow_headers: Sequence[str] = ("Accept", "Content-Type"),
    ) -> None:
        self.app = app
        self.post_paths = frozenset(post_paths)
        self._reads = CORSMiddleware(
            app,
            allow_origins=allow_origins,
            allow_methods=["GET", "HEAD"],
            allow_headers=allow_headers,
        )
        self._posts = CORSMiddleware(
            app,
            allow_origins=allow_origins,
            allow_methods=["GET", "HEAD", "POST"],
            allow_headers=allow_headers,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
        elif scope["path"] in self.post_paths:
            await self._posts(scope, receive, send)
        elif scope["method"] in {"GET", "HEAD", "OPTIONS"}:
            await self._reads(scope, receive, send)
        else:
            await self.app(scope, receive, send)
