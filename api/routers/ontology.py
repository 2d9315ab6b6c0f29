"""The ontology and the shapes resolve here, as Turtle files or pages; the JSON-LD context too.

``/ontology`` answers by the rules of :mod:`api.linked_data`: Turtle is the
file itself, comments and all; N-Triples, RDF/XML and JSON-LD are written
from it once per process; the page lists every class and property with its
labels, comment, domain and range, each under an anchor of its local name,
so ``/ontology#Definition`` (the IRI of ``kgo:Definition``) lands on it.
``/shapes`` is ``ontology/shapes.ttl`` the same way: the file, the other
formats, or a page listing each shape (``/shapes#ConceptShape``) with its
target and the rules it states.
``/context.jsonld`` is the context every JSON-LD answer is compacted against.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from rdflib import RDF, Graph, URIRef
from rdflib.namespace import SH

from api.errors import ApiError
from api.linked_data import RESPONSES, finish, format_links, rdf_media_type, render, wanted
from api.negotiation import VARY, AcceptDep
from kg.formats import TURTLE, content_type, serialize_graph
from kg.jsonld import jsonld_context
from kg.ontology import BORROWED_CLASSES, ontology_terms
from kg.vocab import KGO, ONTOLOGY_IRI, ONTOLOGY_PATH, PREFIXES, SHAPES, SHAPES_PATH

__all__ = ["router"]

router = APIRouter(tags=["linked data"])

_DESCRIPTION = (
    "The ontology: a page listing its classes and properties by default; Turtle "
    "(ontology/kg.ttl), N-Triples, JSON-LD or RDF/XML by the Accept header or a suffix."
)


@cache
def _file_in(path: Path, media_type: str) -> bytes:
    """The Turtle file ``path`` written in the RDF format of ``media_type``, once per format."""
    if media_type == TURTLE.media_type:
        return path.read_bytes()
    graph = Graph(bind_namespaces="core").parse(path, format="turtle")
    return serialize_graph(graph, rdf_media_type(media_type))


@dataclass(frozen=True)
class _Rule:
    """One rule of a shape: the path it constrains (if any) and what it says."""

    path: str
    message: str


@dataclass(frozen=True)
class _Shape:
    """A node shape as its page shows it."""

    name: str
    targets: tuple[str, ...]
    rules: tuple[_Rule, ...]


def _shapes() -> list[_Shape]:
    """Every node shape of ``ontology/shapes.ttl``, with its targets and its rules' messages."""
    graph = Graph().parse(SHAPES_PATH, format="turtle")
    namespace = str(SHAPES)

    def text(node: object) -> str:
        named = _named(str(node)) if isinstance(node, URIRef) else None
        return named[0] if named else str(node)

    def message(node: object) -> str:
        return " ".join(str(m) for m in graph.objects(node, SH.message))  # type: ignore[arg-type]

    shapes = []
    for shape in sorted(set(graph.subjects(RDF.type, SH.NodeShape)), key=str):
        targets = [
            text(target)
            for kind in (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode)
            for target in graph.objects(shape, kind)
        ]
        rules = [
            _Rule(text(graph.value(prop, SH.path)), message(prop))
            for prop in sorted(graph.objects(shape, SH.property), key=str)
        ]
        rules += [
            _Rule("", message(constraint))
            for constraint in sorted(graph.objects(shape, SH.sparql), key=str)
        ]
        name = str(shape).removeprefix(namespace)
        shapes.append(_Shape(name, tuple(sorted(targets)), tuple(rules)))
    return shapes


def _named(iri: str | None) -> tuple[str, str] | None:
    """(text, link) of a domain, range or parent: kgo terms link to their anchor."""
    if iri is None:
        return None
    namespace = str(KGO._NS)
    if iri.startswith(namespace):
        return "kgo:" + iri.removeprefix(namespace), "#" + iri.removeprefix(namespace)
    for prefix, prefixed in PREFIXES.items():
        if iri.startswith(prefixed):
            return f"{prefix}:{iri.removeprefix(prefixed)}", iri
    return BORROWED_CLASSES.get(iri, iri), iri


def _ontology_page() -> dict[str, Any]:
    terms = ontology_terms()
    return {
        "iri": str(ONTOLOGY_IRI),
        "classes": [t for t in terms if t.kind == "class"],
        "properties": [t for t in terms if t.kind != "class"],
        "named": _named,
    }


def _shapes_page() -> dict[str, Any]:
    return {"iri": str(SHAPES).removesuffix("#"), "shapes": _shapes()}


@dataclass(frozen=True)
class _Document:
    """A Turtle file of ``ontology/`` served at ``/{id}``: the file, other formats, a page."""

    id: str
    path: Path
    route: str
    template: str
    page: Callable[[], dict[str, Any]]


_ONTOLOGY = _Document(
    "ontology", ONTOLOGY_PATH, "ontology_resource", "ontology.html", _ontology_page
)
_SHAPES = _Document("shapes", SHAPES_PATH, "shapes_resource", "shapes.html", _shapes_page)


def _answer(request: Request, accept: AcceptDep, document: _Document, name: str) -> Response:
    want = wanted(name, accept)
    if want.id != document.id:
        raise ApiError(404, f"no {document.id} document is named {want.id!r}", headers=VARY)
    page_url = str(request.url_for(document.route))

    def url_for_suffix(suffix: str) -> str:
        return page_url + suffix

    if want.html:
        context = document.page()
        response: Response = render(
            request, document.template, links=format_links(url_for_suffix), **context
        )
    else:
        body = _file_in(document.path, want.media_type)
        response = Response(body, media_type=content_type(want.media_type))
    return finish(response, url_for_suffix)


@router.get(
    "/ontology",
    name="ontology_resource",
    summary="The ontology",
    description=_DESCRIPTION,
    responses=RESPONSES,
)
def ontology_resource(request: Request, accept: AcceptDep) -> Response:
    """The ontology ``https://w3id.org/policy-terms/ontology``."""
    return _answer(request, accept, _ONTOLOGY, "ontology")


@router.get("/ontology.{suffix}", include_in_schema=False)
def ontology_in_format(request: Request, accept: AcceptDep, suffix: str) -> Response:
    """The ontology with a format suffix, ``/ontology.ttl``."""
    return _answer(request, accept, _ONTOLOGY, f"ontology.{suffix}")


@router.get(
    "/shapes",
    name="shapes_resource",
    summary="The SHACL shapes",
    description=_DESCRIPTION.replace("ontology/kg.ttl", "ontology/shapes.ttl").replace(
        "The ontology: a page listing its classes and properties",
        "The SHACL shapes every build is validated against: a page listing them",
    ),
    responses=RESPONSES,
)
def shapes_resource(request: Request, accept: AcceptDep) -> Response:
    """The shapes graph ``https://w3id.org/policy-terms/shapes``."""
    return _answer(request, accept, _SHAPES, "shapes")


@router.get("/shapes.{suffix}", include_in_schema=False)
def shapes_in_format(request: Request, accept: AcceptDep, suffix: str) -> Response:
    """The shapes with a format suffix, ``/shapes.ttl``."""
    return _answer(request, accept, _SHAPES, f"shapes.{suffix}")


@router.get(
    "/context.jsonld",
    summary="The JSON-LD context",
    response_class=JSONResponse,
    responses={200: {"content": {"application/ld+json": {}}}},
)
def context_document() -> Response:
    """The ``@context`` every JSON-LD answer of this service carries."""
    return JSONResponse({"@context": jsonld_context()}, media_type="application/ld+json")
