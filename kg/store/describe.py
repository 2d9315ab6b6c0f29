"""What a resource's description is, as one query every store runs.

A resource owns its definitions, their source locations and component
lists, the components and the cells of their ordered lists; its
description is its own triples and theirs. Both stores answer
:meth:`~kg.store.GraphStore.describe` with this query, so a term's RDF is
the same whichever store serves it.
"""

from __future__ import annotations

from kg.vocab import prologue

__all__ = ["describe_query"]

_OWNED_PATH = (
    "(skos:definition|prov:atLocation|kgo:components|skos:member|skos:memberList|rdf:rest)+"
)
_NOT_IN_IRI = frozenset('<>"{}|^`\\ ')


def describe_query(iri: str) -> str | None:
    """The CONSTRUCT of ``iri``'s description; None for a text no IRI can be."""
    if not iri or any(char in _NOT_IN_IRI or ord(char) < 0x20 for char in iri):
        return None
    node = f"<{iri}>"
    return (
        prologue()
        + f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {{ BIND({node} AS ?s) ?s ?p ?o }} "
        + f"UNION {{ {node} {_OWNED_PATH} ?s . ?s ?p ?o }} }}"
    )
