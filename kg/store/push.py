"""``kg push``: load a built graph into a shared SPARQL 1.1 server, replacing the old one whole.

The triples go in batches into a staging graph, by SPARQL Update
(``INSERT DATA``) or, given a Graph Store Protocol endpoint, by ``POST``; the
staging graph's size is checked; then one update, ``MOVE`` staging ``TO`` the
served graph, swaps it in. The server runs that one request as one
transaction where it can (Virtuoso does), so readers see the old graph or the
new one, never half of each. Blank-node labels only hold within one request,
so every triple that holds a blank node travels in one batch of its own.

The user and password come from ``KG_STORE_USER`` and ``KG_STORE_PASSWORD``;
the server is asked with digest authentication (Virtuoso's ``/sparql-auth``),
or basic with ``KG_STORE_AUTH=basic``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx
from pyoxigraph import BlankNode, Triple, parse, serialize

from kg.errors import KGError
from kg.formats import N_TRIPLES, rdf_format_for_path
from kg.store.oxigraph_query import oxigraph_format
from kg.store.remote import DEFAULT_GRAPH

__all__ = ["PushResult", "batches", "push_graph", "store_auth"]

_TIMEOUT = httpx.Timeout(120.0, connect=5.0)


@dataclass(frozen=True)
class PushResult:
    """What a push wrote: triples, batches, and the graph they now make up."""

    triples: int
    batches: int
    graph: str


def store_auth() -> httpx.Auth | None:
    """The credentials of ``KG_STORE_USER``/``KG_STORE_PASSWORD``, as digest (or basic) auth."""
    user = os.environ.get("KG_STORE_USER")
    if not user:
        return None
    password = os.environ.get("KG_STORE_PASSWORD", "")
    if os.environ.get("KG_STORE_AUTH", "digest").lower() == "basic":
        return httpx.BasicAuth(user, password)
    return httpx.DigestAuth(user, password)


def _triples(source: Path) -> list[Triple]:
    rdf_format = rdf_format_for_path(source)
    if rdf_format is None or rdf_format.dataset:
        raise KGError(f"{source}: push needs a one-graph RDF file (.nt, .ttl, .rdf, .jsonld)")
    try:
        return list(parse(path=str(source), format=oxigraph_format(rdf_format.media_type)))
    except (OSError, SyntaxError, ValueError) as error:
        raise KGError(f"{source}: cannot read the graph: {error}") from None


def batches(triples: Sequence[Triple], size: int) -> Iterator[list[Triple]]:
    """Triples in batches of ``size``; those holding a blank node together, first."""
    blank = [t for t in triples if _has_blank(t)]
    if blank:
        yield blank
    plain = [t for t in triples if not _has_blank(t)]
    for start in range(0, len(plain), size):
        yield plain[start : start + size]


def _has_blank(triple: Triple) -> bool:
    return isinstance(triple.subject, BlankNode) or isinstance(triple.object, BlankNode)


class _Server:
    """The update endpoint (and optionally the graph store) of one server."""

    def __init__(self, endpoint: str, graph_store: str | None, auth: httpx.Auth | None) -> None:
        self.endpoint = endpoint
        self.graph_store = graph_store
        self._client = httpx.Client(auth=auth, timeout=_TIMEOUT)

    def update(self, text: str) -> None:
        self._check(self._client.post(self.endpoint, data={"update": text}), "update")

    def count(self, graph: str) -> int:
        query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
        answer = self._client.post(
            self.endpoint,
            data={"query": query},
            headers={"Accept": "application/sparql-results+json"},
        )
        self._check(answer, "count")
        return int(answer.json()["results"]["bindings"][0]["n"]["value"])

    def add(self, graph: str, batch: list[Triple]) -> None:
        body = serialize(batch, format=oxigraph_format(N_TRIPLES.media_type)) or b""
        if self.graph_store is not None:
            headers = {"Content-Type": N_TRIPLES.media_type}
            answer = self._client.post(
                self.graph_store, params={"graph": graph}, content=body, headers=headers
            )
            self._check(answer, "graph store POST")
        elif any(_has_blank(triple) for triple in batch):
            # INSERT DATA takes no blank nodes; a template's become fresh ones, once each.
            text = body.decode("utf-8")
            self.update(f"INSERT {{ GRAPH <{graph}> {{\n{text}\n}} }} WHERE {{}}")
        else:
            self.update(f"INSERT DATA {{ GRAPH <{graph}> {{\n{body.decode('utf-8')}\n}} }}")

    @staticmethod
    def _check(answer: httpx.Response, what: str) -> None:
        if answer.status_code == 401:
            raise KGError(
                f"{answer.request.url}: {what} refused (401): set KG_STORE_USER and "
                "KG_STORE_PASSWORD to a user allowed to write"
            )
        if answer.status_code >= 400:
            first = next((line for line in answer.text.splitlines() if line.strip()), "")
            raise KGError(f"{answer.request.url}: {what} failed ({answer.status_code}): {first}")

    def close(self) -> None:
        self._client.close()


def push_graph(
    source: Path,
    endpoint: str,
    *,
    graph: str = DEFAULT_GRAPH,
    graph_store: str | None = None,
    batch_size: int = 20_000,
    auth: httpx.Auth | None = None,
) -> PushResult:
    """Replace ``graph`` on the server of update ``endpoint`` with the triples of ``source``."""
    triples = _triples(source)
    staging = f"{graph}/staging"
    server = _Server(endpoint, graph_store, auth if auth is not None else store_auth())
    try:
        server.update(f"DROP SILENT GRAPH <{staging}>")
        sent = 0
        for batch in batches(triples, batch_size):
            server.add(staging, batch)
            sent += 1
        staged = server.count(staging)
        if staged != len(triples):
            server.update(f"DROP SILENT GRAPH <{staging}>")
            raise KGError(
                f"{endpoint}: the staging graph holds {staged} triples, not {len(triples)}; "
                "the served graph was left as it was"
            )
        server.update(f"MOVE SILENT GRAPH <{staging}> TO GRAPH <{graph}>")
    except httpx.TransportError as error:
        raise KGError(f"{endpoint}: cannot reach the store: {error}") from None
    finally:
        server.close()
    return PushResult(len(triples), sent, graph)
