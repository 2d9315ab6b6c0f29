"""Counts of a served graph, as VoID states them: asked of the store, whichever store it is.

:func:`dataset_stats` sends four trusted ``SELECT`` queries through
:meth:`~kg.store.GraphStore.select`, so the embedded store and a shared
server count the same way: triples, distinct subjects, objects and
properties; entities (subjects named under the project's URI space);
instances per class and triples per property (VoID's class and property
partitions).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kg.vocab import BASE

if TYPE_CHECKING:
    from kg.store import GraphStore

__all__ = ["DatasetStats", "dataset_stats"]


@dataclass(frozen=True)
class DatasetStats:
    """What :func:`dataset_stats` counted; partitions map an IRI to its count."""

    triples: int
    entities: int
    distinct_subjects: int
    distinct_objects: int
    class_partitions: dict[str, int]
    property_partitions: dict[str, int]

    @property
    def classes(self) -> int:
        return len(self.class_partitions)

    @property
    def properties(self) -> int:
        return len(self.property_partitions)


_TOTALS = """
SELECT (COUNT(*) AS ?triples) (COUNT(DISTINCT ?s) AS ?subjects) (COUNT(DISTINCT ?o) AS ?objects)
WHERE { ?s ?p ?o }
"""
_ENTITIES = f"""
SELECT (COUNT(DISTINCT ?s) AS ?entities)
WHERE {{ ?s ?p ?o FILTER (isIRI(?s) && STRSTARTS(STR(?s), "{BASE}")) }}
"""
_CLASSES = "SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class"
_PROPERTIES = "SELECT ?property (COUNT(*) AS ?n) WHERE { ?s ?property ?o } GROUP BY ?property"


def dataset_stats(store: GraphStore) -> DatasetStats:
    """Count ``store``'s graph (the union of its graphs, as trusted queries see it)."""
    totals = store.select(_TOTALS)[0]
    entities = store.select(_ENTITIES)[0]
    return DatasetStats(
        triples=int(totals["triples"]),
        entities=int(entities["entities"]),
        distinct_subjects=int(totals["subjects"]),
        distinct_objects=int(totals["objects"]),
        class_partitions={row["class"]: int(row["n"]) for row in store.select(_CLASSES)},
        property_partitions={row["property"]: int(row["n"]) for row in store.select(_PROPERTIES)},
    )
