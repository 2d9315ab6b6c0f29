"""Discovery and HTTP plumbing, against the real ``kg serve`` process over HTTP.

The service description on ``GET /sparql`` and the VoID description parse
with rdflib in every RDF format, and VoID's counts are those of the dump;
the sitemap and ``robots.txt`` parse and lead to live pages; ``HEAD`` works on
every ``GET`` operation of the OpenAPI schema; the dump answers 304 to its
validators and gzips to the same bytes; ``/sparql/`` is ``/sparql``;
``OPTIONS`` and 405 say the path's methods; CORS exposes the headers
browser code needs.
"""

from __future__ import annotations

import gzip
import re
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from rdflib import RDF, XSD, Dataset, Graph, Literal, URIRef
from rdflib.namespace import VOID

from api.conditional import accepts_gzip, none_match, not_modified_since
from api.discovery import SD, sitemap_documents
from kg.formats import GRAPH_FORMATS, RDF_FORMATS, SOLUTION_FORMATS, RdfFormat
from kg.vocab import BASE

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
IDENTITY = {"Accept-Encoding": "identity"}
OTHER_ORIGIN = "http://127.0.0.2:9999"
SAMPLES = {
    "suffix": "ttl",
    "term_id": "liu-wen",
    "report_id": "jianghan-2024-gov-work-report",
    "label": "六稳",
    "type": "https://w3id.org/policy-terms/ontology#Term",
    "id": "liu-wen",
}
NAMES = {
    "/term/{name}": "liu-wen",
    "/report/{name}": "jianghan-2024-gov-work-report",
    "/district/{name}": "jianghan",
}


@pytest.fixture(scope="module")
def data(graph_file: Path) -> Graph:
    return Graph().parse(graph_file)


def _parse(body: bytes, rdf_format: RdfFormat) -> Graph:
    """``body`` read by rdflib; a dataset format's default graph."""
    if rdf_format.dataset:
        dataset = Dataset()
        dataset.parse(data=body, format=rdf_format.rdflib_name)
        return dataset.default_graph
    return Graph().parse(data=body, format=rdf_format.rdflib_name)


def _get(url: str, **headers: str) -> httpx.Response:
    return httpx.get(url, headers=headers, follow_redirects=False, timeout=30)


# The service description -----------------------------------------------------


def test_the_service_description_is_turtle_by_default(live_server: str, data: Graph) -> None:
    response = _get(f"{live_server}/sparql")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/turtle")
    assert "Accept" in response.headers["vary"]
    graph = Graph().parse(data=response.content, format="turtle")
    service = graph.value(predicate=RDF.type, object=SD.Service)
    assert service is not None
    assert graph.value(service, SD.endpoint) == URIRef(f"{live_server}/sparql")
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in graph
    formats = {str(iri) for iri in graph.objects(service, SD.resultFormat)}
    assert formats == {f.iri for f in SOLUTION_FORMATS} | {f.iri for f in GRAPH_FORMATS}
    dataset = graph.value(service, SD.defaultDataset)
    default_graph = graph.value(dataset, SD.defaultGraph)
    assert (default_graph, RDF.type, SD.Graph) in graph
    assert graph.value(default_graph, VOID.triples) == Literal(len(data), datatype=XSD.integer)


@pytest.mark.parametrize("rdf_format", RDF_FORMATS, ids=lambda f: f.name)
def test_the_service_description_in_every_rdf_format(
    live_server: str, rdf_format: RdfFormat
) -> None:
    response = _get(f"{live_server}/sparql", Accept=rdf_format.media_type)
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == rdf_format.media_type
    graph = _parse(response.content, rdf_format)
    assert len(list(graph.subjects(RDF.type, SD.Service))) == 1


def test_without_a_query_a_browser_still_gets_the_page_and_a_results_client_a_400(
    live_server: str,
) -> None:
    page = _get(f"{live_server}/sparql", Accept="text/html,application/xhtml+xml,*/*;q=0.8")
    assert page.headers["content-type"].startswith("text/html")
    missing = _get(f"{live_server}/sparql", Accept="application/sparql-results+json")
    assert missing.status_code == 400
    assert "missing query" in missing.json()["error"]["message"]


# VoID ----------------------------------------------------------------------------


def _true_counts(dump: Graph) -> dict[URIRef, int]:
    subjects = set(dump.subjects())
    return {
        VOID.triples: len(dump),
        VOID.distinctSubjects: len(subjects),
        VOID.distinctObjects: len(set(dump.objects())),
        VOID.properties: len(set(dump.predicates())),
        VOID.classes: len(set(dump.objects(predicate=RDF.type))),
        VOID.entities: sum(1 for s in subjects if str(s).startswith(BASE)),
    }


def test_void_counts_are_those_of_the_dump(live_server: str, data: Graph) -> None:
    dump = Graph().parse(data=_get(f"{live_server}/api/v1/graph.nt").content, format="nt")
    assert len(dump) == len(data)
    response = _get(f"{live_server}/.well-known/void")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/turtle")
    void = Graph().parse(data=response.content, format="turtle")
    dataset = void.value(predicate=RDF.type, object=VOID.Dataset)
    assert dataset is not None
    for predicate, count in _true_counts(dump).items():
        assert void.value(dataset, predicate).toPython() == count, predicate  # type: ignore[union-attr]

    classes = Counter(dump.objects(predicate=RDF.type))
    for partition in void.objects(dataset, VOID.classPartition):
        cls = void.value(partition, VOID["class"])
        instances = {s for s in dump.subjects(RDF.type, cls)}
        assert void.value(partition, VOID.entities).toPython() == len(instances)  # type: ignore[union-attr]
        assert classes[cls] == len(instances)
    assert len(set(void.objects(dataset, VOID.classPartition))) == len(classes)
    properties = Counter(dump.predicates())
    found = {
        void.value(p, VOID.property): void.value(p, VOID.triples).toPython()  # type: ignore[union-attr]
        for p in void.objects(dataset, VOID.propertyPartition)
    }
    assert found == dict(properties)


def test_void_names_the_endpoint_dumps_space_and_vocabularies(live_server: str) -> None:
    void = Graph().parse(data=_get(f"{live_server}/.well-known/void").content, format="turtle")
    dataset = void.value(predicate=RDF.type, object=VOID.Dataset)
    assert void.value(dataset, VOID.sparqlEndpoint) == URIRef(f"{live_server}/sparql")
    assert void.value(dataset, VOID.uriSpace) == Literal(BASE)
    vocabularies = {str(v) for v in void.objects(dataset, VOID.vocabulary)}
    assert "http://www.w3.org/2004/02/skos/core#" in vocabularies
    assert "https://w3id.org/policy-terms/ontology#" in vocabularies
    assert void.value(dataset, URIRef("http://purl.org/dc/terms/modified")) is not None
    dumps = sorted(str(d) for d in void.objects(dataset, VOID.dataDump))
    assert len(dumps) == len(RDF_FORMATS)
    for url in dumps:
        head = httpx.head(url, headers=IDENTITY)
        assert head.status_code == 200, url
        suffix = "." + url.rsplit(".", 1)[1]
        wanted = next(f for f in RDF_FORMATS if f.suffix == suffix).media_type
        assert head.headers["content-type"].split(";")[0] == wanted


@pytest.mark.parametrize("rdf_format", RDF_FORMATS, ids=lambda f: f.name)
def test_void_in_every_rdf_format(live_server: str, rdf_format: RdfFormat) -> None:
    response = _get(f"{live_server}/.well-known/void", Accept=rdf_format.media_type)
    assert response.headers["content-type"].split(";")[0] == rdf_format.media_type
    graph = _parse(response.content, rdf_format)
    assert len(list(graph.subjects(RDF.type, VOID.Dataset))) == 1


def test_void_refuses_a_format_it_lacks_and_lists_them(live_server: str) -> None:
    response = _get(f"{live_server}/.well-known/void", Accept="text/csv")
    assert response.status_code == 406
    message = response.json()["error"]["message"]
    assert all(f.media_type in message for f in RDF_FORMATS)


# Sitemap and robots.txt -----------------------------------------------------------


def test_robots_points_at_the_sitemap_and_keeps_crawlers_off_costly_paths(
    live_server: str,
) -> None:
    response = _get(f"{live_server}/robots.txt")
    assert response.headers["content-type"].startswith("text/plain")
    lines = response.text.splitlines()
    assert "User-agent: *" in lines
    assert f"Sitemap: {live_server}/sitemap.xml" in lines
    disallowed = [line.split(": ", 1)[1] for line in lines if line.startswith("Disallow:")]
    for path in ("/sparql", "/api/v1/annotate", "/reconcile"):
        assert any(path.startswith(prefix) for prefix in disallowed), path
    assert not any("/term/".startswith(prefix) for prefix in disallowed)


def test_the_sitemap_lists_every_page_and_each_answers(live_server: str, data: Graph) -> None:
    response = _get(f"{live_server}/sitemap.xml")
    assert response.headers["content-type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{SITEMAP}urlset"
    urls = [loc.text or "" for loc in root.iter(f"{SITEMAP}loc")]
    assert f"{live_server}/term/liu-wen" in urls
    assert {f"{live_server}/{path}" for path in ("terms", "ontology", "shapes")} <= set(urls)
    concepts = {
        s for s in data.subjects(RDF.type, URIRef("http://www.w3.org/2004/02/skos/core#Concept"))
    }
    terms = [url for url in urls if "/term/" in url]
    assert len(terms) == len([c for c in concepts if "/term/" in str(c)])
    for url in urls:
        assert urlsplit(url).netloc == urlsplit(live_server).netloc
        page = _get(url, Accept="text/html")
        assert page.status_code == 200, url
        assert page.headers["content-type"].startswith("text/html")


def test_a_long_sitemap_becomes_an_index_of_parts() -> None:
    urls = [f"http://example.org/term/{n}" for n in range(5)]
    index, parts = sitemap_documents(urls, lambda n: f"http://example.org/sitemap-{n}.xml", 2)
    root = ET.fromstring(index)
    assert root.tag == f"{SITEMAP}sitemapindex"
    locations = [loc.text for loc in root.iter(f"{SITEMAP}loc")]
    assert locations == [f"http://example.org/sitemap-{n}.xml" for n in (1, 2, 3)]
    listed = [loc.text for part in parts for loc in ET.fromstring(part).iter(f"{SITEMAP}loc")]
    assert listed == urls
    single, none = sitemap_documents(urls, lambda n: "", 5)
    assert ET.fromstring(single).tag == f"{SITEMAP}urlset" and none == []


# HEAD, OPTIONS, Allow ---------------------------------------------------------------


def _node_path(data: Graph, route: str) -> str | None:
    """The rest of the IRI of a node the graph holds under the route's kind, e.g. ``entry/``."""
    kind = route.removeprefix("/").removesuffix("/{path}")
    prefix = f"{BASE}{kind}/"
    held = sorted(str(s).removeprefix(prefix) for s in data.subjects() if str(s).startswith(prefix))
    return held[0] if held else None


def _sample_get_urls(server: str, data: Graph) -> list[str]:
    schema = _get(f"{server}/openapi.json").json()
    urls = []
    for path, operations in schema["paths"].items():
        if "get" not in operations:
            continue
        query = {}
        url = path
        for parameter in operations["get"].get("parameters", []):
            name = parameter["name"]
            if name == "name":
                value = NAMES[path]
            elif name == "path":
                node = _node_path(data, path)
                if node is None:  # the test graph holds no node of this kind
                    break
                value = node
            else:
                value = SAMPLES.get(name, "")
            if parameter.get("required") and parameter["in"] == "path":
                url = url.replace("{" + name + "}", value)
            elif parameter.get("required"):
                query[name] = value
        if "{" not in url:
            urls.append(str(httpx.URL(server + url, params=query)))
    return urls


@pytest.mark.parametrize("encoding", ["identity", "gzip"])
def test_head_answers_every_get_operation_like_get_without_a_body(
    live_server: str, data: Graph, encoding: str
) -> None:
    urls = _sample_get_urls(live_server, data)
    assert len(urls) >= 20
    for url in urls:
        with httpx.Client(headers={"Accept-Encoding": encoding}) as client:
            got = client.get(url)
            head = client.head(url)
        assert got.status_code == 200, url
        assert head.status_code == 200, url
        assert head.content == b"", url
        for name in ("content-type", "content-encoding", "etag", "vary"):
            assert head.headers.get(name) == got.headers.get(name), (url, name)
        if "content-length" in got.headers and "content-encoding" not in got.headers:
            assert head.headers["content-length"] == str(len(got.content)), url


def test_options_and_405_list_every_method_of_the_path(live_server: str) -> None:
    for path in ("/sparql", "/sparql/"):
        options = httpx.options(f"{live_server}{path}")
        assert options.status_code == 204
        assert options.headers["allow"] == "GET, HEAD, POST, OPTIONS"
        refused = httpx.delete(f"{live_server}{path}")
        assert refused.status_code == 405
        assert refused.headers["allow"] == "GET, HEAD, POST, OPTIONS"
        assert refused.json()["error"]["status"] == 405
    assert httpx.options(f"{live_server}/api/v1/terms").headers["allow"] == "GET, HEAD, OPTIONS"
    assert httpx.options(f"{live_server}/api/v1/annotate").headers["allow"] == "POST, OPTIONS"
    assert httpx.put(f"{live_server}/term/liu-wen").headers["allow"] == "GET, HEAD, OPTIONS"
    assert httpx.options(f"{live_server}/no/such/path").status_code == 404


def test_cors_exposes_the_headers_browser_code_reads(live_server: str) -> None:
    response = _get(f"{live_server}/term/liu-wen.ttl", Origin=OTHER_ORIGIN)
    exposed = {
        h.strip().lower() for h in response.headers["access-control-expose-headers"].split(",")
    }
    assert {"link", "etag", "location", "last-modified", "retry-after"} <= exposed
    dump = _get(f"{live_server}/api/v1/graph.ttl", Origin=OTHER_ORIGIN)
    assert "etag" in dump.headers and "access-control-expose-headers" in dump.headers


# /sparql/ -----------------------------------------------------------------------------


def test_sparql_with_a_trailing_slash_answers_without_a_redirect(live_server: str) -> None:
    query = "ASK { ?s ?p ?o }"
    accept = {"Accept": "application/sparql-results+json"}
    posted = httpx.post(f"{live_server}/sparql/", data={"query": query}, headers=accept)
    assert posted.status_code == 200 and posted.json()["boolean"] is True
    direct = httpx.post(
        f"{live_server}/sparql/",
        content=query.encode(),
        headers={**accept, "Content-Type": "application/sparql-query"},
    )
    assert direct.status_code == 200 and direct.json()["boolean"] is True
    got = _get(f"{live_server}/sparql/?query=ASK%7B%7D", **accept)
    assert got.status_code == 200 and got.json()["boolean"] is True
    described = _get(f"{live_server}/sparql/")
    assert described.status_code == 200 and described.headers["content-type"].startswith(
        "text/turtle"
    )


def test_other_trailing_slashes_redirect_to_the_canonical_url(live_server: str) -> None:
    response = _get(f"{live_server}/api/v1/terms/")
    assert response.status_code == 307
    assert response.headers["location"] == f"{live_server}/api/v1/terms"


# The dump: formats, conditional requests, gzip ---------------------------------------------


@pytest.mark.parametrize("rdf_format", RDF_FORMATS, ids=lambda f: f.name)
def test_the_dump_in_every_format_by_accept_parameter_and_suffix(
    live_server: str, data: Graph, rdf_format: RdfFormat
) -> None:
    answers = [
        _get(f"{live_server}/api/v1/graph", Accept=rdf_format.media_type),
        _get(f"{live_server}/api/v1/graph?format={rdf_format.name}"),
        _get(f"{live_server}/api/v1/graph{rdf_format.suffix}", Accept="text/html"),
    ]
    for response in answers:
        assert response.status_code == 200
        assert response.headers["content-type"].split(";")[0] == rdf_format.media_type
        assert response.headers["content-disposition"].endswith(f'policy-terms{rdf_format.suffix}"')
        assert len(_parse(response.content, rdf_format)) == len(data)


def test_the_dump_lists_every_format_in_its_406(live_server: str) -> None:
    response = _get(f"{live_server}/api/v1/graph", Accept="text/csv")
    assert response.status_code == 406
    assert "Accept" in response.headers["vary"]
    message = response.json()["error"]["message"]
    for media_type in ("application/trig", "application/n-quads", "application/rdf+xml"):
        assert media_type in message


@pytest.mark.parametrize("encoding", ["identity", "gzip"])
def test_the_dump_answers_304_to_its_validators(live_server: str, encoding: str) -> None:
    url = f"{live_server}/api/v1/graph.ttl"
    first = _get(url, **{"Accept-Encoding": encoding})
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    assert re.fullmatch(r'"[0-9a-f]{32}(-gzip)?"', etag)
    assert etag.endswith('-gzip"') == (encoding == "gzip")
    assert "Accept-Encoding" in first.headers["vary"]
    conditions: list[tuple[dict[str, str], int]] = [
        ({"If-None-Match": etag}, 304),
        ({"If-None-Match": f'"other", {etag}'}, 304),
        ({"If-None-Match": "*"}, 304),
        ({"If-None-Match": '"other"'}, 200),
        ({"If-Modified-Since": modified}, 304),
        ({"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"}, 200),
        # If-None-Match decides when both are sent.
        ({"If-None-Match": '"other"', "If-Modified-Since": modified}, 200),
    ]
    for headers, status in conditions:
        response = _get(url, **{"Accept-Encoding": encoding}, **headers)
        assert response.status_code == status, headers
        if status == 304:
            assert response.content == b""
            assert response.headers["etag"] == etag
            assert response.headers["last-modified"] == modified
        head = httpx.head(url, headers={"Accept-Encoding": encoding, **headers})
        assert head.status_code == status, headers


def test_gzip_decodes_to_the_identical_bytes(live_server: str) -> None:
    for url in (
        f"{live_server}/api/v1/graph.nt",
        f"{live_server}/api/v1/graph?format=jsonld",
        f"{live_server}/openapi.json",
        f"{live_server}/.well-known/void",
        f"{live_server}/sparql?query=SELECT%20*%20%7B%3Fs%20%3Fp%20%3Fo%7D",
    ):
        plain = _get(url, **IDENTITY)
        assert "content-encoding" not in plain.headers
        with httpx.stream("GET", url, headers={"Accept-Encoding": "gzip"}) as packed:
            assert packed.headers["content-encoding"] == "gzip", url
            assert "Accept-Encoding" in packed.headers["vary"], url
            raw = b"".join(packed.iter_raw())
        assert len(raw) < len(plain.content)
        assert gzip.decompress(raw) == plain.content, url


def test_a_strong_etag_names_one_encoding() -> None:
    assert none_match('"a", W/"b"', '"b"') and none_match("*", '"x"')
    assert not none_match('"a-gzip"', '"a"')
    modified = "Tue, 03 Dec 2024 13:17:00 GMT"
    assert not_modified_since(modified, modified)
    assert not not_modified_since("Mon, 02 Dec 2024 13:17:00 GMT", modified)
    assert not not_modified_since("yesterday", modified)


def test_gzip_only_for_clients_that_accept_it() -> None:
    assert accepts_gzip("gzip, deflate, br") and accepts_gzip("br;q=1, gzip;q=0.5")
    assert not accepts_gzip("gzip;q=0") and not accepts_gzip("identity") and not accepts_gzip(None)


def test_a_client_refusing_gzip_gets_identity(live_server: str) -> None:
    for url in (f"{live_server}/api/v1/graph.nt", f"{live_server}/openapi.json"):
        response = _get(url, **{"Accept-Encoding": "gzip;q=0, identity"})
        assert "content-encoding" not in response.headers, url
