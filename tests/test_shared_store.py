"""Serving from a shared store: a real Virtuoso, ``kg push``, several stateless instances.

The tests start Debian's Virtuoso on loopback ports with a database folder of
their own (:mod:`virtuoso`), push the bundled corpus's build with the real
``kg push``, and start two ``kg serve --sparql-endpoint`` processes beside one
``kg serve --graph`` on the same build. Every term's JSON and lineage, and the
search and suggest answers, must be the same from all three; the guards of
``/sparql`` hold before anything reaches Virtuoso; and when Virtuoso stops,
the instances answer 502/504 at once and heal when it returns.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from browser import kg_server
from conftest import TEST_REPORTS, build_reports
from virtuoso import Virtuoso, requires_virtuoso

from kg.corpus import BUNDLED_CORPUS
from kg.store.remote import DEFAULT_GRAPH

pytestmark = requires_virtuoso

SEARCHES = ("六个致力", "lgzl", "sanshuo", "三所", "235", "jiang", "“宜商", "不存在的词")
SUGGESTS = ("l", "liu", "六个", "235", "zhz", "三所")
TIMEOUT = "3"


@dataclass
class Shared:
    virtuoso: Virtuoso
    graph: Path
    embedded: str
    remotes: tuple[str, str]


def _push(virtuoso: Virtuoso, graph: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KG_STORE_USER": virtuoso.user, "KG_STORE_PASSWORD": virtuoso.password}
    command = [sys.executable, "-m", "kg.cli", "push", "--graph", str(graph)]
    command += ["--endpoint", virtuoso.update_endpoint, "--batch", "3000", *extra]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Shared]:
    root = tmp_path_factory.mktemp("shared")
    graph = build_reports([BUNDLED_CORPUS], root / "graph.nt")
    virtuoso = Virtuoso(root / "virtuoso")
    virtuoso.start()
    try:
        pushed = _push(virtuoso, graph)
        assert pushed.returncode == 0, pushed.stderr
        remote = ("--sparql-endpoint", virtuoso.query_endpoint)
        limits = {"sparql_timeout_seconds": TIMEOUT, "store_start_timeout_seconds": "5"}
        with (
            kg_server(root / "embedded", "--graph", str(graph)) as embedded,
            kg_server(root / "one", *remote, **limits) as one,
            kg_server(root / "two", *remote, **limits) as two,
        ):
            yield Shared(virtuoso, graph, embedded, (one, two))
    finally:
        virtuoso.stop()


def _all_term_ids(base: str) -> list[str]:
    ids: list[str] = []
    url: str | None = f"{base}/api/v1/terms?limit=100&unlisted=true"
    while url is not None:
        body = httpx.get(url, timeout=30).json()
        ids.extend(item["id"] for item in body["results"])
        url = body["next"]
    return ids


def _page(body: dict[str, object]) -> dict[str, object]:
    """A page of results without its ``next`` link, which names the instance's own address."""
    return {key: value for key, value in body.items() if key != "next"}


def test_push_loads_the_whole_build_into_its_graph(shared: Shared) -> None:
    lines = [line for line in shared.graph.read_text(encoding="utf-8").splitlines() if line]
    assert shared.virtuoso.count(DEFAULT_GRAPH) == len(lines) > 9000
    assert shared.virtuoso.count(DEFAULT_GRAPH + "/staging") == 0


def test_every_answer_is_the_same_from_both_instances_and_the_embedded_store(
    shared: Shared,
) -> None:
    bases = (shared.embedded, *shared.remotes)
    ids = _all_term_ids(shared.embedded)
    assert len(ids) > 300
    assert all(_all_term_ids(base) == ids for base in shared.remotes)
    with httpx.Client(timeout=30) as client:
        for term_id in ids:
            for path in (f"/api/v1/terms/{term_id}", f"/api/v1/terms/{term_id}/lineage"):
                answers = [client.get(base + path).json() for base in bases]
                assert answers[0] == answers[1] == answers[2], path
        for query in SEARCHES:
            pages = [
                _page(client.get(f"{b}/api/v1/terms", params={"q": query}).json()) for b in bases
            ]
            assert pages[0] == pages[1] == pages[2], query
        for prefix in SUGGESTS:
            found = [client.get(f"{b}/api/v1/suggest", params={"q": prefix}).json() for b in bases]
            assert found[0] == found[1] == found[2], prefix


def test_sparql_and_rdf_answers_match_the_embedded_store(shared: Shared) -> None:
    query = (
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
        "SELECT ?t ?label WHERE { ?t skos:prefLabel ?label }"
    )
    # Stores order strings differently (ORDER BY on text is theirs to define): compare rows.
    csv = [
        httpx.get(f"{b}/sparql", params={"query": query}, headers={"Accept": "text/csv"}).text
        for b in (shared.embedded, *shared.remotes)
    ]
    rows = [(text.splitlines()[0], sorted(text.splitlines()[1:])) for text in csv]
    assert rows[0] == rows[1] == rows[2] and len(rows[0][1]) > 300
    ask = httpx.get(
        f"{shared.remotes[0]}/sparql",
        params={"query": "ASK { ?s ?p ?o }"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert ask.json()["boolean"] is True
    from rdflib import Graph
    from rdflib.compare import isomorphic

    term = "/term/liu-ge-zhi-li.ttl"
    local = Graph().parse(data=httpx.get(shared.embedded + term).text, format="turtle")
    remote = Graph().parse(data=httpx.get(shared.remotes[0] + term).text, format="turtle")
    assert isomorphic(local, remote) and len(local) > 50
    dump = httpx.get(f"{shared.remotes[1]}/api/v1/graph", params={"format": "nt"}, timeout=120)
    assert isomorphic(Graph().parse(data=dump.content, format="nt"), Graph().parse(shared.graph))


def _void_counts(base: str) -> dict[str, object]:
    from rdflib import Graph
    from rdflib.namespace import VOID

    void = Graph().parse(data=httpx.get(f"{base}/.well-known/void").text, format="turtle")
    dataset = next(void.subjects(VOID.sparqlEndpoint))
    counts: dict[str, object] = {
        str(p): o.toPython()  # type: ignore[union-attr]
        for p, o in void.predicate_objects(dataset)
        if str(p)
        in {
            str(VOID.triples),
            str(VOID.entities),
            str(VOID.classes),
            str(VOID.properties),
            str(VOID.distinctSubjects),
            str(VOID.distinctObjects),
        }
    }
    counts["classes"] = sorted(
        (str(void.value(c, VOID["class"])), void.value(c, VOID.entities).toPython())  # type: ignore[union-attr]
        for c in void.objects(dataset, VOID.classPartition)
    )
    counts["properties"] = sorted(
        (str(void.value(c, VOID.property)), void.value(c, VOID.triples).toPython())  # type: ignore[union-attr]
        for c in void.objects(dataset, VOID.propertyPartition)
    )
    return counts


def test_void_counts_the_shared_store_as_the_embedded_one(shared: Shared) -> None:
    counts = [_void_counts(base) for base in (shared.embedded, *shared.remotes)]
    assert counts[0] == counts[1] == counts[2]
    lines = [line for line in shared.graph.read_text(encoding="utf-8").splitlines() if line]
    assert counts[1]["http://rdfs.org/ns/void#triples"] == len(lines)


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("INSERT DATA { <http://x/s> <http://x/p> 1 }", 403),
        ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", 403),
        ('DEFINE get:soft "replace" SELECT * WHERE { ?s ?p ?o } LIMIT 1', 403),
        ("SELECT (<bif:http_get>('http://127.0.0.1:9/') AS ?x) WHERE {}", 403),
        ("SELECT * FROM <http://www.openlinksw.com/schemas/virtrdf#> WHERE { ?s ?p ?o }", 403),
        ("SELECT * WHERE { ?s ?p ?o }", 400),
        ("SELECT * WHERE { ?s ?p }", 400),
    ],
)
def test_the_guards_hold_before_the_shared_store(shared: Shared, query: str, status: int) -> None:
    before = shared.virtuoso.count(DEFAULT_GRAPH)
    response = httpx.post(f"{shared.remotes[0]}/sparql", data={"query": query}, timeout=30)
    assert response.status_code == status, response.text
    assert response.json()["error"]["status"] == status
    assert shared.virtuoso.count(DEFAULT_GRAPH) == before


def test_an_update_sent_as_update_is_refused(shared: Shared) -> None:
    response = httpx.post(
        f"{shared.remotes[1]}/sparql",
        content="DROP GRAPH <https://w3id.org/policy-terms/graph>",
        headers={"Content-Type": "application/sparql-update"},
    )
    assert response.status_code == 403


def test_a_second_push_replaces_the_graph(shared: Shared, tmp_path: Path) -> None:
    small = build_reports([TEST_REPORTS], tmp_path / "small.nt")
    other = DEFAULT_GRAPH + "/other"
    assert _push(shared.virtuoso, small, "--graph-iri", other).returncode == 0
    first = shared.virtuoso.count(other)
    graph_store = ("--graph-store", shared.virtuoso.graph_store)
    assert _push(shared.virtuoso, small, "--graph-iri", other, *graph_store).returncode == 0
    assert shared.virtuoso.count(other) == first == len(small.read_text().splitlines())
    assert shared.virtuoso.count(DEFAULT_GRAPH) > first


def test_a_push_without_credentials_is_a_one_line_error(shared: Shared) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KG_STORE_")}
    command = [sys.executable, "-m", "kg.cli", "push", "--graph", str(shared.graph)]
    command += ["--endpoint", shared.virtuoso.update_endpoint]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert done.stderr.startswith("kg: error:") and done.stderr.count("\n") == 1
    assert "KG_STORE_USER" in done.stderr


def _sparql(base: str) -> tuple[int, float]:
    started = time.monotonic()
    try:
        response = httpx.get(
            f"{base}/sparql",
            params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"},
            headers={"Accept": "application/sparql-results+json"},
            timeout=30,
        )
        return response.status_code, time.monotonic() - started
    except httpx.TimeoutException:
        return 0, time.monotonic() - started


def test_a_stopped_store_gives_502_and_the_instances_heal(shared: Shared) -> None:
    base = shared.remotes[0]
    assert _sparql(base)[0] == 200
    with ThreadPoolExecutor(max_workers=8) as pool:
        load = [pool.submit(_sparql, b) for _ in range(20) for b in shared.remotes]
        shared.virtuoso.stop()
        answers = [future.result() for future in load]
        during = list(pool.map(_sparql, [base, shared.remotes[1]] * 10))
    assert {status for status, _ in answers} <= {200, 502, 504}
    assert {status for status, _ in during} <= {502, 504}
    assert max(seconds for _, seconds in during) < float(TIMEOUT) + 3
    health = httpx.get(f"{base}/healthz", timeout=10)
    assert health.status_code == 503 and "graph store" in health.json()["error"]["message"]
    assert httpx.get(f"{base}/api/v1/terms/liu-ge-zhi-li").status_code == 200
    shared.virtuoso.start()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and httpx.get(f"{base}/healthz").status_code != 200:
        time.sleep(0.5)
    assert httpx.get(f"{base}/healthz").status_code == 200
    assert all(_sparql(b)[0] == 200 for b in shared.remotes)
