"""Settings of the web service, read from ``KG_*`` environment variables.

Routes receive them through the :func:`get_settings` dependency; tests pass
their own :class:`Settings` to :func:`api.app.create_app`.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["Settings", "get_settings"]


class Settings(BaseSettings):
    """Where the graph comes from and how the SPARQL endpoint is limited."""

    model_config = SettingsConfigDict(env_prefix="KG_", frozen=True)

    graph_path: Path | None = Field(
        default=None, description="RDF file (Turtle, N-Triples, N-Quads, TriG…) to serve."
    )
    cache_dir: Path = Field(
        default=Path(".cache/kg"), description="Where the serving store is built."
    )
    sparql_endpoint: str | None = Field(
        default=None,
        description="Serve from this SPARQL 1.1 query endpoint of a shared store instead of "
        "a graph file (the graph `kg push` wrote there).",
    )
    store_graph: str = Field(
        default="https://w3id.org/policy-terms/graph",
        description="The named graph of the shared store that holds the policy-terms graph.",
    )
    store_start_timeout_seconds: float = Field(
        default=60.0, ge=0, description="How long start-up waits for a shared store to answer."
    )
    sparql_timeout_seconds: float = Field(
        default=10.0, gt=0, description="Hard time limit of one SPARQL query."
    )
    sparql_row_limit: int = Field(
        default=10_000, gt=0, description="Most rows (or triples) one SPARQL query may return."
    )
    sparql_workers: int = Field(
        default=2, ge=1, description="Worker processes that run SPARQL queries."
    )
    sparql_queue_wait_seconds: float = Field(
        default=2.0, ge=0, description="How long a query waits for a free worker before a 503."
    )
    base_url: str = Field(
        default="http://localhost:8000", description="Public URL the service is reached at."
    )
    cors: list[str] = Field(
        default=["*"], description="Origins allowed to GET from browsers (CORS)."
    )


@lru_cache
def get_settings() -> Settings:
    """The settings from the environment, read once."""
    return Settings()
