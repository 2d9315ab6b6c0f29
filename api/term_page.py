"""What the page of a term shows, built once from the read model: the template only lays it out.

:func:`term_page` gathers a term's definitions by year with the change from
the one before (``{+…+}`` and ``[-…-]`` of :attr:`Definition.change` become
``<ins>`` and ``<del>``), its parts by group, its timeline across reports
(defined, mentioned, cited), the sentences that use it, its related terms
with the evidence, and its schema.org ``DefinedTerm`` as JSON-LD. Every piece
of text is escaped here or by the template; the JSON-LD is written with
``<`` as ``\\u003c`` so that no text can close its script element.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape

from kg.readmodel import ReadModel
from kg.readmodel.catalog import Catalog, CatalogReport, CatalogTerm, Definition, MentionRef
from kg.readmodel.names import discovery_name, reference_name, related_name
from kg.render.graph_page import script_json
from kg.vocab import EVOLUTION_TYPES

__all__ = ["DefinitionView", "TimelineRow", "diff_markup", "highlight", "term_page"]

_CHANGE = re.compile(r"\{\+(.*?)\+\}|\[-(.*?)-\]", re.DOTALL)
_SENTENCES_PER_REPORT = 12
# Lineage first, then the same idea elsewhere, then citations; bare links last.
_RANKS = {**dict.fromkeys(EVOLUTION_TYPES, 0), "same-idea": 1}


@dataclass(frozen=True)
class DefinitionView:
    """A definition, and how it differs from the one of the report before."""

    definition: Definition
    previous: Definition | None
    change: Markup | None

    @property
    def unchanged(self) -> bool:
        """Defined before, in the same words."""
        return self.previous is not None and self.change is None


@dataclass
class TimelineRow:
    """One report in a term's life: what it does with the term."""

    report: CatalogReport
    defined: bool = False
    mentions: int = 0
    cited: bool = False
    pages: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class RelatedView:
    """A term at the other end of a link, the link's Chinese name and its evidence."""

    term: CatalogTerm
    relation: str
    evidence: str | None
    confidence: float | None
    rank: int = 3


def diff_markup(change: str) -> Markup:
    """An inline diff as HTML: insertions in ``<ins>``, deletions in ``<del>``, all escaped."""
    pieces: list[str] = []
    position = 0
    for match in _CHANGE.finditer(change):
        pieces.append(escape(change[position : match.start()]))
        if match.group(1) is not None:
            pieces.append(Markup("<ins>%s</ins>") % match.group(1))
        else:
            pieces.append(Markup("<del>%s</del>") % match.group(2))
        position = match.end()
    pieces.append(escape(change[position:]))
    return Markup("").join(pieces)


def highlight(sentence: str, form: str) -> Markup:
    """``sentence`` with its first ``form`` in ``<mark>``, escaped."""
    at = sentence.find(form) if form else -1
    if at < 0:
        return escape(sentence)
    before, after = sentence[:at], sentence[at + len(form) :]
    return escape(before) + Markup("<mark>%s</mark>") % form + escape(after)


def _definitions(term: CatalogTerm) -> list[DefinitionView]:
    """Newest first, each with the definition of the report before it."""
    views = []
    for index, definition in enumerate(term.definitions):
        previous = term.definitions[index - 1] if index else None
        change = diff_markup(definition.change) if definition.change and previous else None
        views.append(DefinitionView(definition, previous, change))
    return views[::-1]


def _parts(term: CatalogTerm) -> list[tuple[str | None, list[str]]]:
    """The latest parts, by the group of the name they belong to, in printed order."""
    groups: dict[str | None, list[str]] = {}
    for component in term.components:
        groups.setdefault(component.group, []).append(component.label)
    return list(groups.items())


def _timeline(catalog: Catalog, term: CatalogTerm) -> list[TimelineRow]:
    rows: dict[str, TimelineRow] = {}

    def row(report_id: str) -> TimelineRow:
        if report_id not in rows:
            report = catalog.reports.get(report_id) or CatalogReport(
                report_id, report_id, held=False
            )
            rows[report_id] = TimelineRow(report)
        return rows[report_id]

    for definition in term.definitions:
        row(definition.report).defined = True
    for mention in term.mentions:
        found = row(mention.report)
        found.mentions += 1
        if mention.page and mention.page not in found.pages:
            found.pages.append(mention.page)
    for reference in term.references:
        if reference.type == "cites-report" and reference.outgoing and reference.report:
            row(reference.report).cited = True
    return sorted(rows.values(), key=lambda r: catalog.report_key(r.report.id))


def _sentences(catalog: Catalog, term: CatalogTerm) -> list[tuple[CatalogReport, list[MentionRef]]]:
    """The sentences using the term, by report in delivery order, each sentence once."""
    by_report: dict[str, list[MentionRef]] = {}
    for mention in sorted(term.mentions, key=lambda m: (catalog.report_key(m.report), m.start)):
        found = by_report.setdefault(mention.report, [])
        if len(found) < _SENTENCES_PER_REPORT and all(
            m.sentence != mention.sentence for m in found
        ):
            found.append(mention)
    return [
        (catalog.reports.get(report_id) or CatalogReport(report_id, report_id, held=False), rows)
        for report_id, rows in by_report.items()
    ]


def _related(catalog: Catalog, term: CatalogTerm) -> list[RelatedView]:
    """Typed references with their evidence, then links no reference explains."""
    views: list[RelatedView] = []
    seen: set[str] = set()
    for reference in term.references:
        other = catalog.terms.get(reference.term or "")
        if other is None or other is term:
            continue
        name = reference_name(reference.type, outgoing=reference.outgoing)
        rank = _RANKS.get(reference.type, 2)
        views.append(RelatedView(other, name, reference.evidence, reference.confidence, rank))
        seen.add(other.id)
    for link in term.related:
        other = catalog.terms.get(link.id)
        if other is not None and other.id not in seen:
            views.append(RelatedView(other, related_name(link.type), None, None))
    views.sort(key=lambda view: (view.rank, view.relation, view.term.label))
    return views


def _json_ld(term: CatalogTerm, page_url: str) -> Markup:
    latest = term.latest
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "DefinedTerm",
        "@id": term.iri,
        "name": term.label,
        "termCode": term.id,
        "url": page_url,
        "inDefinedTermSet": {"@type": "DefinedTermSet", "name": "政策术语知识图谱"},
    }
    if term.alt_labels:
        data["alternateName"] = term.alt_labels
    if latest is not None:
        data["description"] = latest.text
        data["subjectOf"] = [
            {
                "@type": "Report",
                "name": " ".join(filter(None, [d.district, d.report_title or d.report])),
                **({"datePublished": d.delivered_on.isoformat()} if d.delivered_on else {}),
            }
            for d in term.definitions
        ]
    return Markup(script_json(data))


def term_page(model: ReadModel, term: CatalogTerm, page_url: str) -> dict[str, Any]:
    """The context of ``term.html`` for ``term``, whose page is at ``page_url``."""
    catalog = model.catalog
    evolution = any(r.type in EVOLUTION_TYPES for r in term.references)
    return {
        "term": term,
        "definitions": _definitions(term),
        "parts": _parts(term),
        "timeline": _timeline(catalog, term),
        "sentences": _sentences(catalog, term),
        "mention_count": len(term.mentions),
        "related": _related(catalog, term),
        "has_lineage": evolution,
        "discovery": discovery_name(term.discovered_by),
        "json_ld": _json_ld(term, page_url),
    }
