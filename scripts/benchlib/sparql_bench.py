"""A fixed SPARQL set on the endpoint (HTTP), on the engine in process, and on rdflib in memory.

The same five queries, on the same graph file, three ways:

- the service's ``/sparql`` endpoint, one request at a time over a kept-alive
  connection (what one user waits for);
- pyoxigraph in process, a ``Store`` bulk-loaded on disk from the same file,
  results serialised to SPARQL JSON (or N-Triples) as an endpoint must: the
  limit any endpoint over this engine can reach;
- rdflib's in-memory ``Graph`` parsed from the same file, the naive
  baseline, in a child process given up on after a cap per query.

Each figure is the median of ``repeat`` runs after one warm-up.
"""

from __future__ import annotations

import multiprocessing
import statistics
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path

import pyoxigraph

__all__ = ["QUERIES", "bench_sparql", "one_at_a_time"]

_PROLOGUE = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX kgo: <https://w3id.org/policy-terms/ontology#>
"""
QUERIES: dict[str, str] = {
    "label search (CONTAINS, LIMIT 20)": """SELECT ?t ?l WHERE {
  ?t skos:prefLabel ?l . FILTER(CONTAINS(STR(?l), "PREFIX2"))
} LIMIT 20""",
    "2-hop neighbourhood of a term": """SELECT ?p ?o ?p2 ?o2 WHERE {
  ?t skos:prefLabel "LABEL"@zh-hans ; ?p ?o . OPTIONAL { ?o ?p2 ?o2 }
}""",
    "terms defined per delivery year (GROUP BY)": """SELECT ?year (COUNT(DISTINCT ?t) AS ?terms)
WHERE {
  ?t skos:definition ?d . ?d kgo:inReport ?r . ?r kgo:deliveredOn ?date .
  BIND(YEAR(?date) AS ?year)
} GROUP BY ?year ORDER BY ?year""",
    "components (definition/components/memberList/rdf:rest*/rdf:first)": """SELECT ?t ?part
WHERE {
  ?t skos:definition/kgo:components/skos:memberList/rdf:rest*/rdf:first ?c .
  ?c skos:prefLabel ?part .
}""",
    "CONSTRUCT a term's definitions": """CONSTRUCT { ?t skos:prefLabel ?l ; skos:definition ?d .
  ?d rdf:value ?v ; kgo:inReport ?r }
WHERE { ?t skos:prefLabel "LABEL"@zh-hans ; skos:prefLabel ?l ; skos:definition ?d .
  ?d rdf:value ?v ; kgo:inReport ?r }""",
}
"""The fixed set; ``LABEL`` is a term defined in several reports, ``PREFIX2`` its first two
characters."""


def _fill(query: str, label: str) -> str:
    return _PROLOGUE + query.replace("LABEL", label).replace("PREFIX2", label[:2])


def _timed(run: Callable[[], object], repeat: int) -> float:
    run()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def _engine(store: pyoxigraph.Store, query: str) -> Callable[[], object]:
    def run() -> object:
        result = store.query(query)
        if isinstance(result, pyoxigraph.QueryTriples):
            return pyoxigraph.serialize(result, format=pyoxigraph.RdfFormat.N_TRIPLES)
        if isinstance(result, pyoxigraph.QuerySolutions):
            return result.serialize(format=pyoxigraph.QueryResultsFormat.JSON)
        return result

    return run


def _endpoint(base: str, query: str) -> Callable[[], object]:
    url = f"{base}/sparql?query={urllib.parse.quote(query)}"
    accept = "application/n-triples" if "CONSTRUCT" in query else "application/sparql-results+json"

    def run() -> object:
        request = urllib.request.Request(url, headers={"Accept": accept})
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.read()

    return run


def one_at_a_time(url: str, repeat: int) -> float:
    """Median milliseconds of GET ``url``, one request at a time."""

    def run() -> object:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.read()

    return _timed(run, repeat)


def _rdflib_child(path: str, queries: list[str], repeat: int, pipe: Connection) -> None:
    from rdflib import Graph

    graph = Graph()
    started = time.perf_counter()
    graph.parse(path, format="nt")
    pipe.send(("parsed", time.perf_counter() - started))
    for query in queries:

        def run(text: str = query) -> object:
            return list(graph.query(text))

        pipe.send(("done", _timed(run, repeat)))


def _rdflib(path: Path, queries: list[str], repeat: int, cap: float) -> list[float | None]:
    """Medians in ms, None where rdflib did not finish within ``cap`` seconds."""
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_rdflib_child, args=(str(path), queries, repeat, send))
    child.start()
    results: list[float | None] = []
    if receive.poll(600):
        receive.recv()  # parsing time is not a query's
        for _ in queries:
            if not receive.poll(cap * (repeat + 1)):
                break
            results.append(receive.recv()[1])
    child.kill()
    child.join()
    return results + [None] * (len(queries) - len(results))


def bench_sparql(
    graph: Path, label: str, base: str | None, repeat: int, rdflib_cap: float
) -> list[dict[str, object]]:
    """One row per query: endpoint, engine and rdflib medians (ms)."""
    queries = [_fill(query, label) for query in QUERIES.values()]
    with tempfile.TemporaryDirectory() as directory:
        store = pyoxigraph.Store(directory)
        store.bulk_load(path=str(graph), format=pyoxigraph.RdfFormat.N_TRIPLES)
        store.optimize()
        engine = [_timed(_engine(store, query), repeat) for query in queries]
        del store
    endpoint = [_timed(_endpoint(base, query), repeat) if base else None for query in queries]
    baseline = _rdflib(graph, queries, repeat, rdflib_cap)
    return [
        {"query": name, "endpoint_ms": e, "engine_ms": g, "rdflib_ms": r}
        for name, e, g, r in zip(QUERIES, endpoint, engine, baseline, strict=True)
    ]
