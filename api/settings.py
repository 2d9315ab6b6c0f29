"""Settings of the web service, read from ``KG_*`` environment variables.

Routes receive them through the :func:`get_settings` dependency; tests pass
their own :class:`Settings` to :func:`api.app.create_app`.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["Settings", "get_settings"]


class Settings(BaseSettings):
    """Where the graph comes from, and every limit the service holds (docs/reliability.md)."""

    model_config = SettingsConfigDict(env_prefix="KG_", frozen=True)

    graph_path: Path | None = Field(
        default=None, description="RDF file (Turtle, N-Triples, N-Quads, TriG…) to serve."
    )
    cache_dir: Path = Field(
        default=Path(".cache/kg"),
        description="Where `kg serve` caches the bundled build, a shared store's dumps, and "
        "store snapshots of graphs whose folder cannot be written.",
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
        default=10.0, ge=0, description="How long a query waits for a free worker before a 503."
    )
    sparql_max_query_chars: int = Field(
        default=20_000, gt=0, description="Longest SPARQL query text accepted (characters)."
    )
    sparql_max_nesting: int = Field(
        default=128, gt=0, description="Deepest nesting of braces and parentheses in a query."
    )
    sparql_worker_memory_mb: int = Field(
        default=2048,
        ge=0,
        description="Address space of one SPARQL worker process (MiB); 0: no cap.",
    )
    sparql_concurrency: int = Field(
        default=64, gt=0, description="SPARQL requests held at once; more answer 429."
    )
    base_url: str = Field(
        default="http://localhost:8000",
        description="Public URL the service is reached at; every link and redirect uses it.",
    )
    cors: list[str] = Field(
        default=["*"], description="Origins allowed to read the API from browsers (CORS)."
    )
    max_body_bytes: int = Field(
        default=65_536,
        gt=0,
        description="Largest request body (bytes) where annotate and SPARQL set no cap.",
    )
    annotate_max_chars: int = Field(
        default=200_000, gt=0, description="Longest text one annotate request may send."
    )
    annotate_max_spans: int = Field(
        default=5_000, gt=0, description="Most term spans one annotate answer holds."
    )
    term_page_size: int = Field(
        default=20,
        gt=0,
        le=100,
        description="Mentions and reports a term's own answer carries; paged routes give the rest.",
    )
    annotate_concurrency: int = Field(
        default=4, gt=0, description="Annotate requests computed at once."
    )
    annotate_queue: int = Field(
        default=64, ge=0, description="Annotate requests waiting for a slot; more answer 429."
    )
    annotate_queue_wait_seconds: float = Field(
        default=10.0, gt=0, description="How long an annotate request waits before a 503."
    )
    body_timeout_seconds: float = Field(
        default=30.0, gt=0, description="Time allowed to send a whole request body."
    )
    header_timeout_seconds: float = Field(
        default=10.0, gt=0, description="Time allowed to send a request's headers."
    )
    keep_alive_seconds: float = Field(
        default=5.0, gt=0, description="How long an idle keep-alive connection stays open."
    )
    max_connections: int = Field(
        default=1_000, gt=0, description="Open connections at once; more are answered 503."
    )
    http_protocol: Literal["httptools", "h11"] = Field(
        default="httptools",
        description="HTTP/1.1 parser of `kg serve`: httptools (llhttp, fast) or h11 (pure Python).",
    )
    access_log: bool = Field(
        default=False, description="Log one line per request (uvicorn's access log)."
    )


@lru_cache
def get_settings() -> Settings:
    """The settings from the environment, read once."""
    return Settings()
