"""Run the web service with uvicorn on a graph file that :mod:`kg.build` wrote."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import uvicorn

__all__ = ["serve"]


def serve(
    *, host: str, port: int, graph: Path | None = None, sparql_endpoint: str | None = None
) -> int:
    """Serve the graph file ``graph``, or the shared store at ``sparql_endpoint``, until stopped."""
    from api.app import create_app
    from api.settings import Settings

    changes: dict[str, object] = {"graph_path": graph, "sparql_endpoint": sparql_endpoint}
    if "KG_BASE_URL" not in os.environ:
        changes["base_url"] = f"http://{host}:{port}"
    settings = Settings().model_copy(update=changes)
    source = graph or sparql_endpoint
    print(f"kg: serving {source} on http://{host}:{port}/ (API docs at /docs)", file=sys.stderr)
    uvicorn.run(create_app(settings), host=host, port=port, log_level="info")
    return 0
