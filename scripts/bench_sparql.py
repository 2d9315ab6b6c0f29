"""Time typical SPARQL queries on pyoxigraph (the serving store) and on rdflib in memory.

The graph is generated in the shape the pipeline builds (SKOS concepts, kgo
definitions in reports, component lists), about 100k triples by default, or
read from an RDF file with ``--graph``. Each query runs once to warm up, then
``--repeat`` times; the median is reported, with the rdflib/pyoxigraph ratio.
rdflib runs in a forked process and is given up on after ``--rdflib-limit``
seconds (its property paths over a large graph can take many minutes).

    .venv/bin/python scripts/bench_sparql.py [--terms 8000] [--repeat 5] [--graph FILE]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import statistics
import tempfile
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path

from pyoxigraph import Store
from rdflib import RDF, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, SKOS
from rdflib.term import Node

from kg.store import OxigraphStore
from kg.vocab import PREFIXES

__all__ = ["QUERIES", "generate_graph", "main"]

KGO = Namespace(PREFIXES["kgo"])
BASE = "https://w3id.org/policy-terms/"
PROLOGUE = "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items())

QUERIES: dict[str, str] = {
    "count terms": "SELECT (COUNT(?t) AS ?n) WHERE { ?t a skos:Concept }",
    "term by label": 'SELECT ?t ?d WHERE { ?t skos:prefLabel "术语42"@zh ; skos:definition ?d }',
    "definitions + years (LIMIT 100)": """
        SELECT ?label ?year ?text WHERE {
          ?t a skos:Concept ; skos:prefLabel ?label ; skos:definition ?d .
          ?d rdf:value ?text ; kgo:inReport ?r .
          ?r kgo:deliveredOn ?date .
          BIND (YEAR(?date) AS ?year)
        } ORDER BY ?label ?year LIMIT 100""",
    "defined in >1 report": """
        SELECT ?t (COUNT(DISTINCT ?r) AS ?n) WHERE {
          ?t a skos:Concept ; skos:definition/kgo:inReport ?r .
        } GROUP BY ?t HAVING (COUNT(DISTINCT ?r) > 1)""",
    "components (path)": """
        SELECT ?t ?part WHERE {
          ?t skos:definition/kgo:components/skos:memberList/rdf:rest*/rdf:first ?c .
          ?c skos:prefLabel ?part .
        }""",
}


def generate_graph(terms: int, reports: int = 40) -> Graph:
    """A synthetic graph of ``terms`` concepts, each defined by one to three reports."""
    graph = Graph()
    report_iris = [URIRef(f"{BASE}report/r{n}") for n in range(reports)]
    for n, report in enumerate(report_iris):
        graph.add((report, RDF.type, KGO.Report))
        graph.add((report, DCTERMS.title, Literal(f"报告{n}", lang="zh")))
        graph.add((report, KGO.deliveredOn, Literal(f"{2000 + n % 25}-12-25", datatype=XSD.date)))
    for n in range(terms):
        term = URIRef(f"{BASE}term/t{n}")
        graph.add((term, RDF.type, SKOS.Concept))
        graph.add((term, SKOS.prefLabel, Literal(f"术语{n}", lang="zh")))
        for k in range(1 + n % 3):
            _add_definition(graph, term, report_iris[(n + 7 * k) % reports], n, with_parts=k == 0)
    return graph


def _add_definition(graph: Graph, term: URIRef, report: URIRef, n: int, with_parts: bool) -> None:
    definition = URIRef(f"{term}/def/{report.rsplit('/', 1)[-1]}")
    graph.add((term, SKOS.definition, definition))
    graph.add((definition, RDF.type, KGO.Definition))
    graph.add((definition, RDF.value, Literal(f"术语{n}的释义。", lang="zh")))
    graph.add((definition, KGO.inReport, report))
    if with_parts and n % 4 == 0:
        parts: list[Node] = []
        for p in range(3):
            component = BNode()
            graph.add((component, SKOS.prefLabel, Literal(f"部分{n}-{p}", lang="zh")))
            parts.append(component)
        head, component_list = BNode(), BNode()
        Collection(graph, head, parts)
        graph.add((component_list, SKOS.memberList, head))
        graph.add((definition, KGO.components, component_list))


def _median_seconds(run: Callable[[], object], repeat: int) -> float:
    run()
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def _time_in_child(connection: Connection, run: Callable[[], object], repeat: int) -> None:
    connection.send(_median_seconds(run, repeat))


def _median_seconds_capped(run: Callable[[], object], repeat: int, limit: float) -> float | None:
    """``_median_seconds`` in a forked process; None when it takes longer than ``limit``."""
    context = multiprocessing.get_context("fork")
    parent, child = context.Pipe()
    process = context.Process(target=_time_in_child, args=(child, run, repeat))
    process.start()
    result = parent.recv() if parent.poll(limit) else None
    process.kill()
    process.join()
    return result


def _machine() -> str:
    cpu = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return f"{cpu}, {os.cpu_count()} CPUs, Python {platform.python_version()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--terms", type=int, default=8000, help="concepts to generate")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per query")
    parser.add_argument("--graph", type=Path, help="benchmark this RDF file instead")
    parser.add_argument("--rdflib-limit", type=float, default=120.0, help="seconds per query")
    args = parser.parse_args()

    graph = Graph().parse(args.graph) if args.graph else generate_graph(args.terms)
    print(f"{len(graph)} triples; {_machine()}")
    with tempfile.TemporaryDirectory() as tmp:
        store = OxigraphStore.from_graph(graph, Path(tmp))
        oxigraph = Store.read_only(str(store.database_path))
        print(f"{'query':34} {'rdflib ms':>10} {'oxigraph ms':>12} {'ratio':>8}")
        for name, body in QUERIES.items():
            query = PROLOGUE + body

            def run_rdflib(q: str = query) -> object:
                return list(graph.query(q))

            def run_oxigraph(q: str = query) -> object:
                return list(oxigraph.query(q))  # type: ignore[arg-type]

            fast = _median_seconds(run_oxigraph, args.repeat)
            slow = _median_seconds_capped(run_rdflib, args.repeat, args.rdflib_limit)
            if slow is None:
                limit = f"> {args.rdflib_limit:g} s"
                print(f"{name:34} {limit:>10} {fast * 1e3:12.2f} {'-':>8}")
            else:
                print(f"{name:34} {slow * 1e3:10.1f} {fast * 1e3:12.2f} {slow / fast:7.0f}x")


if __name__ == "__main__":
    main()
