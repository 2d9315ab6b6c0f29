"""Every kind of IRI the graph mints resolves at the real ``kg serve``, as RDF and as a page.

The server builds and serves the bundled corpus. The sample is taken from
its own dump: two subjects (or every one, when there are fewer) of each kind
of IRI under ``https://w3id.org/policy-terms/``, the kind being the first
path segment, so a new kind of node that nothing answers fails here. Each is
read back by rdflib in Turtle, N-Triples, RDF/XML and JSON-LD (by suffix and
by Accept), and as a page. pyld expands and compacts the JSON-LD with a
document loader that reads only from this server.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from browser import kg_server
from pyld import jsonld
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDFS, SH, SKOS

from kg.vocab import BASE, KGO, SHAPES, SHAPES_PATH

FORMATS = {".ttl": "turtle", ".nt": "nt", ".rdf": "xml", ".jsonld": "json-ld", ".json": "json-ld"}
ACCEPTS = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
}
TERM = BASE + "term/liu-ge-zhi-li"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real ``kg serve`` on the bundled corpus."""
    with kg_server(tmp_path_factory.mktemp("cache")) as base:
        yield base


@pytest.fixture(scope="module")
def dump(server: str) -> Graph:
    """The whole graph, as the server's dump gives it."""
    response = httpx.get(f"{server}/api/v1/graph", params={"format": "nt"}, timeout=60)
    assert response.status_code == 200
    return Graph().parse(data=response.text, format="nt")


@pytest.fixture(scope="module")
def sample(dump: Graph) -> dict[str, list[str]]:
    """Two subject IRIs of each kind (``term``, ``definition``, ``terms``…), the first in order."""
    by_kind: dict[str, set[str]] = defaultdict(set)
    for subject in set(dump.subjects()):
        if isinstance(subject, URIRef) and str(subject).startswith(BASE):
            path = str(subject).removeprefix(BASE)
            by_kind[path.split("/")[0] if "/" in path else "scheme:" + path].add(str(subject))
    return {kind: sorted(iris)[:2] for kind, iris in sorted(by_kind.items())}


def url(server: str, iri: str) -> str:
    return server + "/" + iri.removeprefix(BASE)


def about(graph: Graph, iri: str) -> int:
    """How many triples of ``graph`` have ``iri`` as their subject."""
    return len(set(graph.triples((URIRef(iri), None, None))))


def test_the_sample_covers_every_kind_the_graph_mints(sample: dict[str, list[str]]) -> None:
    kinds = set(sample)
    expected = {"term", "report", "district", "definition", "entry", "location"}
    expected |= {"components", "body", "mention", "xref", "terms", "scheme:terms"}
    assert expected <= kinds, kinds
    # Groups of the scheme are terms/{district}, the scheme itself is terms.
    assert all(iri.count("/") > BASE.count("/") for iri in sample["terms"])
    for kind, iris in sample.items():
        assert len(iris) == 2 or kind.startswith("scheme:"), (kind, iris)


def test_every_sampled_iri_parses_in_every_rdf_format(
    server: str, sample: dict[str, list[str]]
) -> None:
    for iris in sample.values():
        for iri in iris:
            for suffix, rdflib_format in FORMATS.items():
                graph = Graph().parse(url(server, iri) + suffix, format=rdflib_format)
                assert about(graph, iri) > 0, (iri, suffix)


def test_rdf_by_accept_gives_the_same_triples_as_the_suffix(
    server: str, sample: dict[str, list[str]]
) -> None:
    for kind in ("definition", "mention", "xref", "terms"):
        iri = sample[kind][0]
        expected = Graph().parse(url(server, iri) + ".nt", format="nt")
        for accept, rdflib_format in ACCEPTS.items():
            response = httpx.get(url(server, iri), headers={"Accept": accept})
            assert response.status_code == 200
            assert response.headers["content-type"].startswith(accept)
            assert "Accept" in response.headers["vary"]
            got = Graph().parse(data=response.content, format=rdflib_format)
            assert isomorphic(got, expected), (iri, accept)


def test_every_sampled_iri_is_a_page_for_browsers(
    server: str, sample: dict[str, list[str]], dump: Graph
) -> None:
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    for iris in sample.values():
        for iri in iris:
            response = httpx.get(url(server, iri), headers={"Accept": browser})
            assert response.status_code == 200, iri
            assert response.headers["content-type"].startswith("text/html")
            assert "unsafe-inline" not in response.headers["content-security-policy"]
            assert 'rel="alternate"' in response.headers["link"]
            shown = [
                str(text)
                for prop in (SKOS.prefLabel, RDFS.label, KGO.quote, KGO.termAsPrinted)
                for text in dump.objects(URIRef(iri), prop)
                if isinstance(text, Literal) and text.language != "en"
            ]
            if shown:
                assert any(_escaped(text) in response.text for text in shown), iri
            assert iri in response.text


def _escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def test_a_definition_page_shows_its_text_and_links_to_its_term(server: str, dump: Graph) -> None:
    definition = next(iter(dump.objects(URIRef(TERM), SKOS.definition)))
    assert isinstance(definition, URIRef)
    page = httpx.get(url(server, str(definition))).text
    text = next(iter(dump.objects(definition, RDF.value)))
    assert str(text) in page
    report = str(definition).rsplit("/", 2)[-2]
    assert f'/term/liu-ge-zhi-li#definition-{report}"' in page
    term_page = httpx.get(f"{server}/term/liu-ge-zhi-li").text
    assert f'id="definition-{report}"' in term_page


def test_the_scheme_and_a_group_list_their_concepts(server: str, dump: Graph) -> None:
    scheme = httpx.get(f"{server}/terms")
    assert scheme.status_code == 200 and "政策术语" in scheme.text
    for top in dump.objects(URIRef(BASE + "terms"), SKOS.hasTopConcept):
        assert f'href="{url(server, str(top))}"' in scheme.text
    group = BASE + "terms/jianghan"
    page = httpx.get(url(server, group)).text
    assert "下位概念" in page
    assert f'href="{server}/term/liu-ge-zhi-li">六个致力</a>' in page


def test_the_ontology_resolves_as_its_file_and_as_a_page(server: str) -> None:
    turtle = httpx.get(f"{server}/ontology", headers={"Accept": "text/turtle"})
    assert turtle.status_code == 200
    assert turtle.text.startswith("# The policy-terms ontology")
    ontology = Graph().parse(data=turtle.text, format="turtle")
    for suffix, rdflib_format in FORMATS.items():
        assert isomorphic(
            Graph().parse(f"{server}/ontology{suffix}", format=rdflib_format), ontology
        )
    page = httpx.get(f"{server}/ontology").text
    for name in ("Definition", "CrossReference", "inReport", "yearReviewed"):
        assert f'id="{name}"' in page
    assert "释义" in page and "所在报告" in page


def test_the_shapes_resolve_as_their_file_and_as_a_page(server: str) -> None:
    turtle = httpx.get(f"{server}/shapes", headers={"Accept": "text/turtle"})
    assert turtle.status_code == 200
    assert turtle.content == SHAPES_PATH.read_bytes()
    shapes = Graph().parse(data=turtle.text, format="turtle")
    for suffix, rdflib_format in FORMATS.items():
        assert isomorphic(Graph().parse(f"{server}/shapes{suffix}", format=rdflib_format), shapes)
    page = httpx.get(f"{server}/shapes").text
    node_shapes = set(shapes.subjects(RDF.type, SH.NodeShape))
    assert len(node_shapes) >= 5
    for shape in node_shapes:
        assert f'id="{str(shape).removeprefix(str(SHAPES))}"' in page
    assert "A concept has exactly one skos:prefLabel" in page
    assert httpx.get(f"{server}/shapes.png").status_code == 404


def _loader(server: str) -> Any:
    """A pyld document loader that reads from ``server`` and refuses every other host."""
    host = urlsplit(server).netloc

    def load(address: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
        if urlsplit(address).netloc != host:
            raise jsonld.JsonLdError("only the local server", "loading document failed")
        response = httpx.get(address, headers={"Accept": "application/ld+json"})
        return {"contextUrl": None, "documentUrl": address, "document": response.json()}

    return load


def test_pyld_expands_the_term_to_the_same_triples_as_n_triples(server: str) -> None:
    options = {"documentLoader": _loader(server)}
    document = httpx.get(f"{server}/term/liu-ge-zhi-li.jsonld").json()
    expanded = jsonld.expand(document, options)
    nquads = jsonld.to_rdf(expanded, {**options, "format": "application/n-quads"})
    from_pyld = Graph().parse(data=nquads, format="nt")
    expected = Graph().parse(f"{server}/term/liu-ge-zhi-li.nt", format="nt")
    assert len(expected) > 20
    assert isomorphic(from_pyld, expected)


def test_pyld_compaction_with_the_served_context_gives_readable_keys(server: str) -> None:
    options = {"documentLoader": _loader(server)}
    context = httpx.get(f"{server}/context.jsonld")
    assert context.headers["content-type"].startswith("application/ld+json")
    document = httpx.get(f"{server}/term/liu-ge-zhi-li.jsonld").json()
    compacted = jsonld.compact(document, f"{server}/context.jsonld", options)
    nodes = compacted.get("@graph", [compacted])
    term = next(node for node in nodes if node["@id"] == "term:liu-ge-zhi-li")
    assert term["prefLabel"] == {"zh-hans": "六个致力"}
    assert "lgzl" in term["hiddenLabel"]["zh-latn-pinyin"]
    assert term["inScheme"] == BASE + "terms"
    definition = next(node for node in nodes if node.get("@type") == "Definition")
    assert definition["inReport"].startswith("report:")
    report = httpx.get(f"{server}/report/jianghan-2024-gov-work-report.json").json()
    described = next(n for n in report.get("@graph", [report]) if n.get("@type") == "Report")
    assert described["yearReviewed"] == "2024"


def test_the_served_json_ld_carries_the_context_inline(server: str) -> None:
    document = httpx.get(f"{server}/definition/jianghan-2024-gov-work-report/liu-ge-zhi-li.json")
    assert document.headers["content-type"].startswith("application/ld+json")
    body = document.json()
    served = httpx.get(f"{server}/context.jsonld").json()
    assert body["@context"] == served["@context"]
    assert body["@context"]["@vocab"] == str(KGO._NS)
    assert json.dumps(body).count('"@id"') > 3


@pytest.mark.parametrize("form", ["DESCRIBE <{iri}>", "CONSTRUCT WHERE {{ <{iri}> ?p ?o }}"])
def test_sparql_json_ld_carries_the_context_and_the_same_triples(server: str, form: str) -> None:
    iri = BASE + "term/liu-ge-zhi-li"
    query = form.format(iri=iri)
    answer = httpx.get(
        f"{server}/sparql", params={"query": query}, headers={"Accept": "application/ld+json"}
    )
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/ld+json")
    served = httpx.get(f"{server}/context.jsonld").json()
    assert answer.json()["@context"] == served["@context"]
    turtle = httpx.get(
        f"{server}/sparql", params={"query": query}, headers={"Accept": "text/turtle"}
    )
    expected = Graph().parse(data=turtle.text, format="turtle")
    assert len(expected) > 5
    assert isomorphic(Graph().parse(data=answer.text, format="json-ld"), expected)


@pytest.mark.parametrize(
    "path",
    [
        "definition/no-such-report/no-such-term",
        "entry/jianghan-2024-gov-work-report/9999.ttl",
        "mention/x",
        "terms/no-such-district",
        "xref/cites-term/a/b.json",
        "ontology-of-nothing",
    ],
)
def test_unknown_iris_are_404_with_vary(server: str, path: str) -> None:
    response = httpx.get(f"{server}/{path}")
    assert response.status_code == 404
    assert response.json()["error"]["status"] == 404
    if not path.startswith("ontology-"):
        assert "Accept" in response.headers["vary"]


@pytest.mark.parametrize(
    "path", ["terms", "terms/jianghan", "ontology", "body/wu-chang-qu-ren-min-zheng-fu"]
)
def test_an_unacceptable_format_is_406_listing_the_formats(server: str, path: str) -> None:
    response = httpx.get(f"{server}/{path}", headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert "Accept" in response.headers["vary"]
    message = response.json()["error"]["message"]
    for media_type in ("text/html", "text/turtle", "application/n-triples", "application/rdf+xml"):
        assert media_type in message
