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
  hands its answer to another site's script. Browser code may read the
  ``Link``, ``ETag``, ``Location``, ``Last-Modified`` and ``Retry-After``
  headers of an answer (:data:`EXPOSED_HEADERS`).
- :class:`Methods` answers ``HEAD`` on every path that answers ``GET`` (the
  ``GET`` answer's headers, no body: FastAPI routes only declare ``GET``),
  ``OPTIONS`` with the path's ``Allow``, and makes every 405's ``Allow`` list
  all the methods of its path, not those of the first route that matched.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from urllib.parse import urlsplit

from starlette.datastructures import MutableHeaders
from starlette.middleware.cors import CORSMiddleware
from starlette.routing import BaseRoute, Match, Mount, Router
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = [
    "DEFAULT_PAGE_CSP",
    "EXPOSED_HEADERS",
    "Cors",
    "Methods",
    "PublicHost",
    "SecurityHeaders",
    "allowed_methods",
]

EXPOSED_HEADERS = ("Link", "ETag", "Location", "Last-Modified", "Retry-After")
"""Response headers a cross-origin script may read besides the CORS-safelisted ones."""

# In the order Allow lists them; HEAD follows GET, OPTIONS comes last.
_PROBED_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")

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
            expose_headers=EXPOSED_HEADERS,
        )
        self._posts = CORSMiddleware(
            app,
            allow_origins=allow_origins,
            allow_methods=["GET", "HEAD", "POST"],
            allow_headers=allow_headers,
            expose_headers=EXPOSED_HEADERS,
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


def allowed_methods(routes: Sequence[BaseRoute], scope: Scope) -> list[str] | None:
    """The methods the routes answer at ``scope``'s path, ``HEAD`` and ``OPTIONS`` included.

    Each method is tried against the routes as the router would (so included
    routers count); None when no route has the path, or when a mounted app
    does (it answers for itself).
    """
    if any(isinstance(r, Mount) and r.matches(scope)[0] is not Match.NONE for r in routes):
        return None
    methods = [
        method
        for method in _PROBED_METHODS
        if any(route.matches({**scope, "method": method})[0] is Match.FULL for route in routes)
    ]
    if not methods:
        return None
    if "GET" in methods:
        methods.insert(1, "HEAD")
    return [*methods, "OPTIONS"]


class Methods:
    """``HEAD`` as ``GET`` without the body, ``OPTIONS`` answered, and a true ``Allow`` on 405."""

    def __init__(self, app: ASGIApp, router: Router) -> None:
        self.app = app
        self.router = router

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method = scope["method"]
        # The path's methods are looked up with any one method: only the path counts.
        as_get = {**scope, "method": "GET"}
        if method == "OPTIONS":
            allowed = allowed_methods(self.router.routes, as_get)
            if allowed is not None:
                await _no_content(send, allowed)
                return
        body_sent = False

        async def checked_send(message: Message) -> None:
            nonlocal body_sent
            if message["type"] == "http.response.start" and message["status"] == 405:
                allowed = allowed_methods(self.router.routes, as_get)
                if allowed is not None:
                    MutableHeaders(scope=message)["Allow"] = ", ".join(allowed)
            if method == "HEAD" and message["type"] == "http.response.body":
                # The GET answer's body is drained and dropped; its headers were sent as they are.
                if body_sent:
                    return
                body_sent = True
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app(as_get if method == "HEAD" else scope, receive, checked_send)


async def _no_content(send: Send, allowed: list[str]) -> None:
    headers = [(b"allow", ", ".join(allowed).encode("latin-1")), (b"content-length", b"0")]
    await send({"type": "http.response.start", "status": 204, "headers": headers})
    await send({"type": "http.response.body", "body": b""})
