"""The read side of the service: one model of the graph, built once from the store.

:class:`ReadModel` holds the :class:`~kg.readmodel.catalog.Catalog` (terms,
reports, districts), its :class:`~kg.readmodel.search.SearchIndex` and its
:class:`~kg.readmodel.annotate.TermAnnotator`; lineage is computed from the
catalog on request. Every router and renderer reads this one model, so a fact
is read one way: a term's summary, its label forms, the order of reports.
:meth:`ReadModel.term` is the one way a path segment names a term: its id or
any label form that ``/api/v1/lookup`` accepts.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from kg.readmodel.annotate import AnnotatedSpan, TermAnnotator
from kg.readmodel.catalog import Catalog, CatalogTerm
from kg.readmodel.lineage import term_lineage
from kg.readmodel.load import load_catalog
from kg.readmodel.search import SearchIndex
from kg.store import GraphStore

__all__ = ["AnnotatedSpan", "ReadModel", "UnknownTerm"]

_SUGGESTIONS = 5


class UnknownTerm(LookupError):
    """No term has this id or label; ``suggestions`` holds near labels."""

    def __init__(self, query: str, suggestions: list[str]) -> None:
        super().__init__(query)
        self.query = query
        self.suggestions = suggestions

    def __str__(self) -> str:
        hint = f"; did you mean: {', '.join(self.suggestions)}" if self.suggestions else ""
        return f"no term {self.query!r} in the graph{hint}"


@dataclass(frozen=True)
class ReadModel:
    """The catalog, its search index and its annotator."""

    catalog: Catalog
    search: SearchIndex
    annotator: TermAnnotator

    @classmethod
    def from_catalog(cls, catalog: Catalog) -> ReadModel:
        """Index a catalog for search and annotation."""
        return cls(catalog, SearchIndex(catalog), TermAnnotator(catalog))

    @classmethod
    def from_store(cls, store: GraphStore) -> ReadModel:
        """Read the catalog out of ``store`` and index it; call once, at start-up."""
        return cls.from_catalog(load_catalog(store))

    @cached_property
    def full_annotator(self) -> TermAnnotator:
        """An annotator that also marks the terms lists leave out; built on first use."""
        return TermAnnotator(self.catalog, unlisted=True)

    def find_term(self, name: str) -> CatalogTerm | None:
        """The term whose id is ``name``, else whose label or alternative label it is."""
        return self.catalog.terms.get(name) or self.search.lookup(name)

    def term(self, name: str) -> CatalogTerm:
        """Like :meth:`find_term`, but :class:`UnknownTerm` (with near labels) when none."""
        term = self.find_term(name)
        if term is None:
            near = [hit.term.label for hit in self.search.suggest(name, _SUGGESTIONS)] or [
                found.label for found in self.search.did_you_mean(name, _SUGGESTIONS)
            ]
            raise UnknownTerm(name, near)
        return term

    def lineage(self, term: CatalogTerm) -> dict[str, Any]:
        """The term's timeline across reports and its links (see :mod:`kg.readmodel.lineage`)."""
        return term_lineage(self.catalog, term)
