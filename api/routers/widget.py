"""The embeddable term widget: its script, and a page with the snippet and a live demo.

``GET /widget.js`` is one dependency-free script that any page, on any origin,
can load: it defines ``<policy-term>`` and annotates ``data-policy-terms``
containers through the JSON API (see ``docs/widget.md``). ``GET /widget`` shows
the snippet to copy and runs it on real sentences of the bundled corpus.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.templating import Jinja2Templates

__all__ = ["DEMO_DISTRICT", "DEMO_SENTENCES", "router"]

router = APIRouter(tags=["widget"])

_API = Path(__file__).resolve().parent.parent
_SCRIPT = _API / "static" / "widget.js"
# The script may change with every release; an hour keeps pages fast without pinning it.
_SCRIPT_CACHE = "public, max-age=3600"
# The page runs the widget from this server and calls this server's API, nothing else.
_PAGE_CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "script-src 'self'; connect-src 'self'"
)

DEMO_DISTRICT = "江汉区"
"""The district the demo sentences come from; it settles homonyms in the demo."""
DEMO_SENTENCES = (
    # jianghan-2024-12-29-government-work-report.txt, lines 41-45.
    "在市委、市政府和区委的坚强领导下，聚焦高质量发展首要任务，锚定“六个致力”，"
    "围绕“八个坚持”，着力转方式、调结构、提质量、增效益。",
    # jianghan-2023-12-25-government-work-report.md, line 64.
    "创新“三所一庭”矛盾纠纷化解机制，满春司法所、民意派出所荣获全省新时代“枫桥经验”典型。",
)
"""Sentences of the bundled corpus that the demo annotates."""


@lru_cache(maxsize=1)
def _templates() -> Jinja2Templates:
    """The site's templates (``widget.html`` extends its layout); values are escaped."""
    return Jinja2Templates(directory=_API / "templates")


@router.get("/widget.js", include_in_schema=False, name="widget_script")
def widget_script() -> FileResponse:
    """The widget, loadable from any origin; it finds the API next to its own URL."""
    return FileResponse(
        _SCRIPT,
        media_type="text/javascript; charset=utf-8",
        headers={"Access-Control-Allow-Origin": "*", "Cache-Control": _SCRIPT_CACHE},
    )


@router.get("/widget", response_class=HTMLResponse, include_in_schema=False, name="widget_page")
def widget_page(request: Request) -> HTMLResponse:
    """How to embed the widget, and the widget at work."""
    script_url = str(request.url_for("widget_script"))
    snippet = "\n".join(
        (
            f'<script src="{script_url}" defer></script>',
            "",
            "<policy-term>六个致力</policy-term>",
            "",
            f'<p data-policy-terms data-district="{DEMO_DISTRICT}">',
            f"  {DEMO_SENTENCES[0]}",
            "</p>",
        )
    )
    context = {"snippet": snippet, "district": DEMO_DISTRICT, "sentences": DEMO_SENTENCES}
    response = _templates().TemplateResponse(request, "widget.html", context)
    response.headers["Content-Security-Policy"] = _PAGE_CSP
    return response
