"""Every serialization the project reads or writes, with its media type and file suffix.

One table for RDF (:data:`RDF_FORMATS`) and one for SPARQL results
(:data:`SOLUTION_FORMATS`); the build, the store, the dump, the resource pages
and the SPARQL endpoint all look formats up here, by suffix, short name or
media type.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath

from rdflib import Graph

from kg.jsonld import jsonld_context
from kg.vocab import PREFIXES

__all__ = [
    "GRAPH_FORMATS",
    "JSON_LD",
    "N_QUADS",
    "N_TRIPLES",
    "RDF_FORMATS",
    "RDF_XML",
    "SOLUTION_FORMATS",
    "TRIG",
    "TURTLE",
    "RdfFormat",
    "ResultFormat",
    "content_type",
    "convert_ntriples",
    "rdf_format_by_name",
    "rdf_format_for_path",
    "serialize_graph",
]


@dataclass(frozen=True)
class RdfFormat:
    """An RDF serialization: short name, media type, file suffix, rdflib's name for it,
    and its IRI in the W3C's list of formats (https://www.w3.org/ns/formats/).

    ``dataset`` formats hold named graphs (N-Quads, TriG); the others hold one graph.
    """

    name: str
    media_type: str
    suffix: str
    rdflib_name: str
    iri: str
    dataset: bool = False


_W3C_FORMATS = "http://www.w3.org/ns/formats/"

TURTLE = RdfFormat("ttl", "text/turtle", ".ttl", "turtle", _W3C_FORMATS + "Turtle")
N_TRIPLES = RdfFormat("nt", "application/n-triples", ".nt", "nt", _W3C_FORMATS + "N-Triples")
JSON_LD = RdfFormat("jsonld", "application/ld+json", ".jsonld", "json-ld", _W3C_FORMATS + "JSON-LD")
RDF_XML = RdfFormat("rdf", "application/rdf+xml", ".rdf", "xml", _W3C_FORMATS + "RDF_XML")
N_QUADS = RdfFormat(
    "nq", "application/n-quads", ".nq", "nquads", _W3C_FORMATS + "N-Quads", dataset=True
)
TRIG = RdfFormat("trig", "application/trig", ".trig", "trig", _W3C_FORMATS + "TriG", dataset=True)

RDF_FORMATS: tuple[RdfFormat, ...] = (TURTLE, N_TRIPLES, JSON_LD, RDF_XML, N_QUADS, TRIG)
"""Every RDF format, Turtle first (the default where a client states no preference)."""

GRAPH_FORMATS: tuple[RdfFormat, ...] = (TURTLE, N_TRIPLES, JSON_LD, RDF_XML)
"""Formats of one graph: resource descriptions and CONSTRUCT/DESCRIBE results."""


@dataclass(frozen=True)
class ResultFormat:
    """A serialization of SELECT and ASK results, with its IRI in the W3C's list of formats."""

    name: str
    media_type: str
    iri: str


SOLUTION_FORMATS: tuple[ResultFormat, ...] = (
    ResultFormat("json", "application/sparql-results+json", _W3C_FORMATS + "SPARQL_Results_JSON"),
    ResultFormat("xml", "application/sparql-results+xml", _W3C_FORMATS + "SPARQL_Results_XML"),
    ResultFormat("csv", "text/csv", _W3C_FORMATS + "SPARQL_Results_CSV"),
    ResultFormat("tsv", "text/tab-separated-values", _W3C_FORMATS + "SPARQL_Results_TSV"),
)
"""Formats for SELECT and ASK results, the default first."""


def rdf_format_by_name(name: str) -> RdfFormat | None:
    """The RDF format with short name ``name`` (``ttl``, ``nt``, …), or None."""
    return next((f for f in RDF_FORMATS if f.name == name), None)


def rdf_format_for_path(path: str | PurePath) -> RdfFormat | None:
    """The RDF format a file's suffix names (``graph.ttl`` → Turtle), or None."""
    suffix = PurePath(path).suffix.lower()
    return next((f for f in RDF_FORMATS if f.suffix == suffix), None)


def content_type(media_type: str) -> str:
    """The Content-Type header for ``media_type``: text types say they are UTF-8."""
    return f"{media_type}; charset=utf-8" if media_type.startswith("text/") else media_type


def convert_ntriples(data: bytes, rdf_format: RdfFormat) -> bytes:
    """A small graph given as N-Triples, written in ``rdf_format`` with the ontology's prefixes.

    For one resource's description, not for whole graphs.
    """
    if rdf_format is N_TRIPLES:
        return data
    graph = Graph(bind_namespaces="core").parse(data=data, format="nt")
    return serialize_graph(graph, rdf_format)


def serialize_graph(graph: Graph, rdf_format: RdfFormat) -> bytes:
    """A small rdflib graph in ``rdf_format``, with the ontology's prefixes.

    JSON-LD comes out compacted against :func:`kg.jsonld.jsonld_context`,
    which it carries inline, so it reads without fetching anything.
    """
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    if rdf_format is JSON_LD:
        text = graph.serialize(format="json-ld", context=jsonld_context(), auto_compact=True)
    else:
        text = graph.serialize(format=rdf_format.rdflib_name)
    return text.encode("utf-8")
