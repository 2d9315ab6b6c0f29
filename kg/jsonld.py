"""The JSON-LD ``@context`` of the graph: short keys for every property it uses.

:func:`jsonld_context` is the one context every JSON-LD answer is compacted
against (resource descriptions, the ontology; ``/context.jsonld`` serves it).
It holds the ontology's prefixes, ``@vocab`` set to ``kgo:`` (so
``inReport`` or ``Definition`` need no prefix) and a term definition for
each property:

- the ``kgo:`` properties of ``ontology/kg.ttl``: an object property is
  ``@id``-typed; a datatype property whose range is not ``xsd:string`` is
  typed with that range, so a year reads ``"yearReviewed": "2023"``;
- the properties borrowed from SKOS, DCTERMS, PROV, RDFS and RDF
  (:data:`kg.ontology.BORROWED`): labels and titles are language maps
  (``"prefLabel": {"zh-hans": "六个致力"}``), links are ``@id``-typed and a
  component list's ``memberList`` is a JSON array.

A value a definition does not fit (an untagged label, say) keeps its full
form under the prefixed name, so compaction never loses a triple.
"""

from __future__ import annotations

from functools import cache
from types import MappingProxyType
from typing import Any

from kg.ontology import BORROWED, ontology_terms
from kg.vocab import KGO, PREFIXES

__all__ = ["jsonld_context"]

_XSD = PREFIXES["xsd"]
_COERCIONS: MappingProxyType[str, dict[str, str]] = MappingProxyType(
    {
        "": {},
        "id": {"@type": "@id"},
        "language": {"@container": "@language"},
        "list": {"@container": "@list"},
    }
)


@cache
def _context() -> MappingProxyType[str, Any]:
    context: dict[str, Any] = {"@vocab": str(KGO._NS), **PREFIXES}
    for borrowed in BORROWED:
        if not borrowed.name.startswith("@"):
            coercion = _COERCIONS.get(borrowed.coercion, {"@type": borrowed.coercion})
            context[borrowed.name] = {"@id": borrowed.curie, **coercion}
    for term in ontology_terms():
        if term.kind == "class":
            continue
        definition = {"@id": f"kgo:{term.name}"}
        if term.kind == "object":
            definition["@type"] = "@id"
        elif term.range and term.range.startswith(_XSD) and term.range != _XSD + "string":
            definition["@type"] = "xsd:" + term.range.removeprefix(_XSD)
        context[term.name] = definition
    return MappingProxyType(context)


def jsonld_context() -> dict[str, Any]:
    """The context, as a fresh dictionary each call (callers may change it)."""
    return {
        key: dict(value) if isinstance(value, dict) else value for key, value in _context().items()
    }
