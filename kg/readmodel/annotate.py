"""Mark the catalog's terms in any text: the service's ``/annotate``, the widget's source.

The matching rules are those of the build's mentions
(:class:`kg.link.mentions.Annotator`); this module only says which terms
there are, with the districts whose glossaries define them (to settle
homonyms), and gives each span the term's id, label and summary from the
catalog, so a hovercard says exactly what the term's page says.
"""

from __future__ import annotations

from dataclasses import dataclass

from kg.link.matching import KnownTerm
from kg.link.mentions import Annotator
from kg.readmodel.catalog import Catalog, CatalogTerm
from kg.text import normalize_label

__all__ = ["AnnotatedSpan", "TermAnnotator"]


@dataclass(frozen=True)
class AnnotatedSpan:
    """A term found in a text: offsets ``[start, end)`` of the input, and the term."""

    start: int
    end: int
    text: str
    term: CatalogTerm


class TermAnnotator:
    """An annotator over the listed terms of a catalog (all, with ``unlisted``); build once."""

    def __init__(self, catalog: Catalog, *, unlisted: bool = False) -> None:
        self._terms: dict[str, CatalogTerm] = {}
        known: list[KnownTerm] = []
        for term in catalog.terms.values():
            if not (term.listed or unlisted):
                continue
            key = normalize_label(term.label)
            self._terms[key] = term
            known.append(KnownTerm(key, term.label, term.districts))
        self._annotator = Annotator(known)

    def annotate(self, text: str, district: str | None = None) -> list[AnnotatedSpan]:
        """The spans of ``text`` naming a term, left to right, without overlaps."""
        return [
            AnnotatedSpan(found.start, found.end, found.text, self._terms[found.key])
            for found in self._annotator.annotate(text, district)
        ]
