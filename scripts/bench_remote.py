"""What it costs to build the read model from a shared SPARQL store, against the embedded one.

Pushes a built graph to a running SPARQL 1.1 server (``kg push``'s code), then
times ``ReadModel.from_store`` on a :class:`~kg.store.RemoteStore` reading it and
on an :class:`~kg.store.OxigraphStore` loaded from the same file, in the same
run, and counts the trusted queries and pages each sent. Start the server
yourself (see docs/shared-store.md), e.g. for Virtuoso::

    KG_STORE_USER=dba KG_STORE_PASSWORD=dba python scripts/bench_remote.py graph.nt \\
        --update http://127.0.0.1:8890/sparql-auth --query http://127.0.0.1:8890/sparql
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

from kg.readmodel import ReadModel
from kg.store import OxigraphStore, RemoteStore
from kg.store.push import push_graph


class _Counted(RemoteStore):
    """A remote store that counts the requests its trusted queries send."""

    requests = 0

    def _send(self, query: str, accept: str, timeout: float | None = None):  # type: ignore[no-untyped-def]
        type(self).requests += 1
        return super()._send(query, accept, timeout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("graph", type=Path, help="a built graph file (.nt)")
    parser.add_argument("--update", required=True, help="the SPARQL Update endpoint")
    parser.add_argument("--query", required=True, help="the SPARQL query endpoint")
    args = parser.parse_args()

    started = time.perf_counter()
    pushed = push_graph(args.graph, args.update)
    push_seconds = time.perf_counter() - started

    with tempfile.TemporaryDirectory() as directory:
        started = time.perf_counter()
        with OxigraphStore.load(args.graph, Path(directory) / "store") as local:
            load_seconds = time.perf_counter() - started
            started = time.perf_counter()
            embedded = ReadModel.from_store(local)
            embedded_seconds = time.perf_counter() - started

    started = time.perf_counter()
    with _Counted(args.query) as remote:
        shared = ReadModel.from_store(remote)
    remote_seconds = time.perf_counter() - started
    assert len(shared.catalog.terms) == len(embedded.catalog.terms)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(
        f"graph: {pushed.triples} triples, {len(embedded.catalog.reports)} reports, "
        f"{len(embedded.catalog.terms)} terms"
    )
    print(f"kg push: {push_seconds:.1f} s in {pushed.batches} batches")
    print(f"embedded: bulk load {load_seconds:.1f} s, read model {embedded_seconds:.1f} s")
    print(
        f"shared store: read model {remote_seconds:.1f} s in {_Counted.requests} requests "
        f"({remote_seconds / embedded_seconds:.1f}x the embedded store)"
    )
    print(f"peak resident memory of this process: {peak:.0f} MiB")


if __name__ == "__main__":
    main()
