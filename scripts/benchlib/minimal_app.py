"""The floor: a minimal FastAPI app with one ``async`` route, on uvicorn as ``kg serve`` runs it.

    python scripts/benchlib/minimal_app.py --port 8001

Same server, same settings as :func:`kg.serve.serve` (uvloop, httptools, the
access log off as ``KG_ACCESS_LOG`` is by default; ``--access-log`` turns it
on); one route, ``/healthz``.
"""

from __future__ import annotations

import argparse

import uvicorn
from fastapi import FastAPI

__all__ = ["create_minimal_app"]


def create_minimal_app() -> FastAPI:
    """An app with one async route that returns a constant."""
    app = FastAPI()

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--access-log", action="store_true")
    args = parser.parse_args()
    uvicorn.run(
        create_minimal_app(),
        host="127.0.0.1",
        port=args.port,
        log_level="info",
        loop="uvloop",
        http="httptools",
        access_log=args.access_log,
    )
