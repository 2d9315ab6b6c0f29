"""The JSON-LD ``@context`` of the graph: short keys for every property it uses.

:func:`jsonld_context` is the one context every JSON-LD answer is compacted
against (resource descriptions, the ontology, ``/context.jsonld``). It holds
the ontology's prefixes, ``@vocab`` set to ``kgo:`` (so ``inReport`` or
``Definition`` need no prefix) and a term definition for each property:

- the ``kgo:`` properties come from ``ontology/kg.ttl``: an
  ``owl:ObjectProperty`` is ``@id``-typed, a datatype property with a range
  other than ``xsd:string`` is typed with that range (``xsd:gYear``,
  ``xsd:integer``, ``xsd:date``…), so a year reads ``"yearReviewed": "2023"``;
- the SKOS, DCTERMS, PROV, RDFS and RDF properties the graph and the ontology
  use are listed in :data:`_BORROWED`: labels and titles are language maps
  (``"prefLabel": {"zh-Hans": "六个致力"}``), links are ``@id``-typed and a
  component list's ``memberList`` is a JSON array.

A value a definition does not fit (an untagged label, say) keeps its full
form under the prefixed name, so compaction never loses a triple.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from rdflib import OWL, RDF, RDFS, XSD, Graph, URIRef

from kg.vocab import KGO, ONTOLOGY_PATH, PREFIXES

__all__ = ["jsonld_context"]

_ID = {"@type": "@id"}
_LANGUAGE = {"@container": "@language"}
_LIST = {"@container": "@list"}
_BORROWED: dict[str, tuple[str, dict[str, str]]] = {
    "prefLabel": ("skos:prefLabel", _LANGUAGE),
    "altLabel": ("skos:altLabel", _LANGUAGE),
    "hiddenLabel": ("skos:hiddenLabel", _LANGUAGE),
    "definition": ("skos:definition", {}),
    "broader": ("skos:broader", _ID),
    "narrower": ("skos:narrower", _ID),
    "related": ("skos:related", _ID),
    "closeMatch": ("skos:closeMatch", _ID),
    "exactMatch": ("skos:exactMatch", _ID),
    "inScheme": ("skos:inScheme", _ID),
    "topConceptOf": ("skos:topConceptOf", _ID),
    "hasTopConcept": ("skos:hasTopConcept", _ID),
    "member": ("skos:member", _ID),
    "memberList": ("skos:memberList", _LIST),
    "title": ("dcterms:title", _LANGUAGE),
    "description": ("dcterms:description", _LANGUAGE),
    "issued": ("dcterms:issued", {"@type": "xsd:date"}),
    "publisher": ("dcterms:publisher", _ID),
    "references": ("dcterms:references", _ID),
    "source": ("dcterms:source", {}),
    "wasDerivedFrom": ("prov:wasDerivedFrom", _ID),
    "wasRevisionOf": ("prov:wasRevisionOf", _ID),
    "atLocation": ("prov:atLocation", _ID),
    "label": ("rdfs:label", _LANGUAGE),
    "comment": ("rdfs:comment", _LANGUAGE),
    "seeAlso": ("rdfs:seeAlso", _ID),
    "domain": ("rdfs:domain", _ID),
    "range": ("rdfs:range", _ID),
    "subClassOf": ("rdfs:subClassOf", _ID),
    "subPropertyOf": ("rdfs:subPropertyOf", _ID),
    "value": ("rdf:value", {}),
    "versionInfo": ("owl:versionInfo", {}),
}


@cache
def _context() -> dict[str, Any]:
    ontology = Graph().parse(ONTOLOGY_PATH, format="turtle")
    context: dict[str, Any] = {"@vocab": str(KGO._NS), **PREFIXES}
    for name, (curie, extra) in _BORROWED.items():
        context[name] = {"@id": curie, **extra}
    namespace = str(KGO._NS)
    for prop in sorted(set(ontology.subjects(RDF.type, OWL.ObjectProperty))):
        if str(prop).startswith(namespace):
            context[str(prop).removeprefix(namespace)] = {"@id": f"kgo:{_local(prop)}", **_ID}
    for prop in sorted(set(ontology.subjects(RDF.type, OWL.DatatypeProperty))):
        if not str(prop).startswith(namespace):
            continue
        definition: dict[str, str] = {"@id": f"kgo:{_local(prop)}"}
        datatype = ontology.value(prop, RDFS.range)
        if isinstance(datatype, URIRef) and datatype != XSD.string:
            definition["@type"] = f"xsd:{str(datatype).removeprefix(str(XSD))}"
        context[_local(prop)] = definition
    return context


def _local(prop: URIRef) -> str:
    return str(prop).removeprefix(str(KGO._NS))


def jsonld_context() -> dict[str, Any]:
    """The context, a fresh copy each call (callers may add to it)."""
    return {key: dict(value) if isinstance(value, dict) else value for key, value in _context().items()}
