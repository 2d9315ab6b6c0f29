"""Check a built graph against ``ontology/shapes.ttl`` with pySHACL.

Every build validates (:func:`kg.build.build_corpus`); a graph that fails the
shapes is never written.
"""

from __future__ import annotations

from functools import lru_cache

from pyshacl import validate
from rdflib import Graph

from kg.vocab import SHAPES_PATH

__all__ = ["validate_graph"]


@lru_cache(maxsize=1)
def _shapes() -> Graph:
    """The SHACL shapes, parsed once; callers validate with a copy (pySHACL issue 314)."""
    return Graph().parse(SHAPES_PATH, format="turtle")


def _copy(graph: Graph) -> Graph:
    copy = Graph()
    for prefix, namespace in graph.namespaces():
        copy.bind(prefix, namespace)
    for triple in graph:
        copy.add(triple)
    return copy


def validate_graph(graph: Graph) -> tuple[bool, str]:
    """Check ``graph`` against the shapes: whether it conforms, and pySHACL's report."""
    conforms, _, text = validate(
        graph, shacl_graph=_copy(_shapes()), inference="none", allow_warnings=False
    )
    return bool(conforms), str(text)
