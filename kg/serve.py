"""Run the web service with uvicorn: the bundled corpus by default, or a prebuilt graph."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import uvicorn

from kg.errors import KGError

__all__ = ["serve"]


def serve(*, host: str, port: int, graph: str | None) -> int:
    """Serve until interrupted; a graph file that cannot be served is a one-line error."""
    from api.app import create_app
    from api.settings import Settings

    if graph is not None and not Path(graph).is_file():
        raise KGError(f"{graph}: no such graph file")
    settings = Settings()
    changes: dict[str, object] = {}
    if graph is not None:
        changes["graph_path"] = Path(graph)
    if "KG_BASE_URL" not in os.environ:
        changes["base_url"] = f"http://{host}:{port}"
    settings = settings.model_copy(update=changes)
    print(f"kg: serving on http://{host}:{port}/ (API docs at /docs)", file=sys.stderr)
    uvicorn.run(create_app(settings), host=host, port=port, log_level="info")
    return 0
