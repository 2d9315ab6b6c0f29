"""What the service says about itself, for crawlers and RDF tools: descriptions, sitemap, robots.

- :func:`service_description`: the SPARQL 1.1 Service Description of
  ``/sparql`` (``sd:Service``: endpoint, language, results formats, the
  default dataset with its VoID counts);
- :func:`void_description`: the VoID description of the dataset
  (``/.well-known/void``): counts from the store
  (:func:`kg.store.stats.dataset_stats`), class and property partitions,
  endpoint, dumps, URI space, vocabularies;
- :func:`sitemap_documents` and :func:`robots_txt`: the sitemaps.org files
  and ``robots.txt``.

:class:`Discovery` makes each once per store (the counts take a few queries)
and keeps the serialized bytes, with their ETag, for the life of the store.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from xml.sax.saxutils import escape

from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, VOID

from kg.formats import (
    GRAPH_FORMATS,
    N_QUADS,
    RDF_FORMATS,
    SOLUTION_FORMATS,
    TRIG,
    RdfFormat,
)
from kg.readmodel.catalog import Catalog
from kg.store import GraphStore
from kg.store.stats import DatasetStats, dataset_stats
from kg.vocab import BASE, PREFIXES

__all__ = [
    "SD",
    "SITEMAP_MAX_URLS",
    "Discovery",
    "Document",
    "Service",
    "page_urls",
    "robots_txt",
    "serialize_graph",
    "service_description",
    "sitemap_documents",
    "void_description",
]

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
SITEMAP_MAX_URLS = 50_000
"""The sitemaps.org limit of URLs in one sitemap file; past it, ``/sitemap.xml`` is an index."""

_SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
_SIMPLE_ENTAILMENT = URIRef("http://www.w3.org/ns/entailment/Simple")
# Paths a crawler should leave alone: each answer is computed, or is not a page.
_DISALLOWED = ("/sparql", "/api/", "/reconcile", "/search", "/graph/")


@dataclass(frozen=True)
class Service:
    """Where the service is, what it is called, and when its graph last changed."""

    base_url: str
    title: str
    modified: datetime

    def url(self, path: str) -> str:
        return self.base_url.rstrip("/") + path

    @property
    def endpoint(self) -> URIRef:
        return URIRef(self.url("/sparql"))

    @property
    def void_url(self) -> str:
        return self.url("/.well-known/void")

    @property
    def dataset(self) -> URIRef:
        return URIRef(self.void_url + "#dataset")


@dataclass(frozen=True)
class Document:
    """Bytes to send, with the strong ETag that names exactly them."""

    body: bytes

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha256(self.body).hexdigest()[:32] + '"'


def _graph() -> Graph:
    graph = Graph(bind_namespaces="core")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    graph.bind("sd", SD)
    graph.bind("void", VOID)
    graph.bind("foaf", FOAF)
    return graph


def _count(value: int) -> Literal:
    return Literal(value, datatype=XSD.integer)


def _add_counts(graph: Graph, node: URIRef | BNode, stats: DatasetStats) -> None:
    graph.add((node, VOID.triples, _count(stats.triples)))
    graph.add((node, VOID.entities, _count(stats.entities)))
    graph.add((node, VOID.distinctSubjects, _count(stats.distinct_subjects)))
    graph.add((node, VOID.distinctObjects, _count(stats.distinct_objects)))
    graph.add((node, VOID.classes, _count(stats.classes)))
    graph.add((node, VOID.properties, _count(stats.properties)))


def service_description(service: Service, stats: DatasetStats) -> Graph:
    """The ``sd:Service`` of ``/sparql``: what it speaks, and its default dataset's size.

    No ``sd:feature`` is stated because none holds: the default graph is the
    store's default graph (not the union of its graphs), URIs are never
    dereferenced, no dataset is required, ``SERVICE`` is refused.
    """
    graph = _graph()
    node = URIRef(service.endpoint + "#service")
    graph.add((node, RDF.type, SD.Service))
    graph.add((node, SD.endpoint, service.endpoint))
    graph.add((node, SD.supportedLanguage, SD.SPARQL11Query))
    graph.add((node, SD.defaultEntailmentRegime, _SIMPLE_ENTAILMENT))
    format_iris = [f.iri for f in SOLUTION_FORMATS] + [f.iri for f in GRAPH_FORMATS]
    for iri in format_iris:
        graph.add((node, SD.resultFormat, URIRef(iri)))
    dataset = service.dataset
    graph.add((node, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    graph.add((dataset, RDF.type, VOID.Dataset))
    graph.add((dataset, RDFS.seeAlso, URIRef(service.void_url)))
    default_graph = BNode()
    graph.add((dataset, SD.defaultGraph, default_graph))
    graph.add((default_graph, RDF.type, SD.Graph))
    _add_counts(graph, default_graph, stats)
    return graph


def _vocabularies(stats: DatasetStats) -> set[str]:
    """The namespaces (of the ontology's prefixes) that the classes and properties used are in."""
    used = [*stats.class_partitions, *stats.property_partitions]
    found = set()
    for iri in used:
        matches = [str(ns) for ns in PREFIXES.values() if iri.startswith(str(ns))]
        if matches:
            found.add(max(matches, key=len))
    return found


def void_description(service: Service, stats: DatasetStats) -> Graph:
    """The VoID description of the served dataset, with its counts and partitions."""
    graph = _graph()
    document, dataset = URIRef(service.void_url), service.dataset
    graph.add((document, RDF.type, VOID.DatasetDescription))
    graph.add((document, DCTERMS.title, Literal(f"VoID description of {service.title}", lang="en")))
    graph.add((document, FOAF.primaryTopic, dataset))
    graph.add((dataset, RDF.type, VOID.Dataset))
    graph.add((dataset, DCTERMS.title, Literal(service.title, lang="en")))
    graph.add((dataset, DCTERMS.modified, Literal(service.modified, datatype=XSD.dateTime)))
    graph.add((dataset, VOID.sparqlEndpoint, service.endpoint))
    graph.add((dataset, VOID.uriSpace, Literal(BASE)))
    for rdf_format in RDF_FORMATS:
        graph.add(
            (dataset, VOID.dataDump, URIRef(service.url(f"/api/v1/graph{rdf_format.suffix}")))
        )
        graph.add((dataset, VOID.feature, URIRef(rdf_format.iri)))
    for vocabulary in sorted(_vocabularies(stats)):
        graph.add((dataset, VOID.vocabulary, URIRef(vocabulary)))
    _add_counts(graph, dataset, stats)
    for iri, entities in sorted(stats.class_partitions.items()):
        partition = BNode()
        graph.add((dataset, VOID.classPartition, partition))
        graph.add((partition, VOID["class"], URIRef(iri)))
        graph.add((partition, VOID.entities, _count(entities)))
    for iri, triples in sorted(stats.property_partitions.items()):
        partition = BNode()
        graph.add((dataset, VOID.propertyPartition, partition))
        graph.add((partition, VOID.property, URIRef(iri)))
        graph.add((partition, VOID.triples, _count(triples)))
    return graph


def serialize_graph(graph: Graph, rdf_format: RdfFormat) -> bytes:
    """``graph`` in ``rdf_format``; as a dataset, it is the default graph alone.

    N-Triples and Turtle documents are N-Quads and TriG documents of a dataset
    with only a default graph, so those two are written as the one-graph forms.
    """
    name = {N_QUADS: "nt", TRIG: "turtle"}.get(rdf_format, rdf_format.rdflib_name)
    if name == "json-ld":
        return graph.serialize(format=name, context=dict(PREFIXES), auto_compact=True).encode()
    return graph.serialize(format=name, encoding="utf-8")


def page_urls(catalog: Catalog, url_for: Callable[[str, str], str], home: str) -> list[str]:
    """The home page, the scheme, ontology and shapes, then every term, report and district page."""
    urls = [home, *(home + path for path in ("terms", "ontology", "shapes"))]
    urls += [url_for("term_resource", term_id) for term_id in sorted(catalog.terms)]
    urls += [url_for("report_resource", report_id) for report_id in sorted(catalog.reports)]
    urls += [url_for("district_resource", district) for district in sorted(catalog.districts)]
    return urls


def _urlset(urls: Sequence[str]) -> bytes:
    lines = [f"<url><loc>{escape(url)}</loc></url>" for url in urls]
    return _xml("urlset", lines)


def _xml(root: str, lines: list[str]) -> bytes:
    text = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<{root} xmlns="{_SITEMAP_NS}">\n'
        + "".join(line + "\n" for line in lines)
        + f"</{root}>\n"
    )
    return text.encode("utf-8")


def sitemap_documents(
    urls: Sequence[str], part_url: Callable[[int], str], max_urls: int = SITEMAP_MAX_URLS
) -> tuple[bytes, list[bytes]]:
    """``/sitemap.xml`` and its parts: one urlset if it fits, else an index of parts 1, 2, …

    ``part_url(n)`` is the URL of part ``n``; the parts list is empty when there is no index.
    """
    if len(urls) <= max_urls:
        return _urlset(urls), []
    parts = [_urlset(urls[start : start + max_urls]) for start in range(0, len(urls), max_urls)]
    index = [
        f"<sitemap><loc>{escape(part_url(number))}</loc></sitemap>"
        for number in range(1, len(parts) + 1)
    ]
    return _xml("sitemapindex", index), parts


def robots_txt(sitemap_url: str) -> str:
    """Pages allowed, the computed endpoints not, and where the sitemap is."""
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in _DISALLOWED), "Allow: /"]
    return "\n".join([*lines, "", f"Sitemap: {sitemap_url}", ""])


class Discovery:
    """The descriptions of one store, made on first request and kept while it is served."""

    def __init__(self, store: GraphStore, service: Service) -> None:
        self.store = store
        self.service = service
        self._lock = threading.Lock()
        self._stats: DatasetStats | None = None
        self._documents: dict[tuple[str, str], Document] = {}
        self._sitemap: list[Document] | None = None

    def stats(self) -> DatasetStats:
        """The store's counts; blocks while a first caller asks the store."""
        with self._lock:
            if self._stats is None:
                self._stats = dataset_stats(self.store)
            return self._stats

    def rdf(self, what: str, rdf_format: RdfFormat) -> Document:
        """The ``"void"`` or ``"service"`` description in ``rdf_format``; blocks on first use."""
        key = (what, rdf_format.name)
        found = self._documents.get(key)
        if found is None:
            describe = void_description if what == "void" else service_description
            found = Document(serialize_graph(describe(self.service, self.stats()), rdf_format))
            self._documents[key] = found
        return found

    def sitemap(self, catalog: Catalog, url_for: Callable[[str, str], str]) -> list[Document]:
        """``/sitemap.xml`` first, then its parts (when it is an index)."""
        if self._sitemap is None:
            urls = page_urls(catalog, url_for, self.service.url("/"))
            index, parts = sitemap_documents(urls, self._part_url)
            self._sitemap = [Document(index), *(Document(part) for part in parts)]
        return self._sitemap

    def _part_url(self, number: int) -> str:
        return self.service.url(f"/sitemap-{number}.xml")
