"""A term's life across reports, read from the catalog, and its plain-text rendering.

:func:`term_lineage` gives the reports that define or mention a term, in
delivery order (see :mod:`kg.chronology`: reports cite each other by the
year they were *delivered*). A report without a delivery date sorts by the
year it reviews, at the end of that year, and its row says so
(``year_source``). Then come the term's links: what it came from, what it
became, the same idea under other names, the terms and reports it cites.
"""

from __future__ import annotations

import re
from typing import Any

from kg.readmodel.catalog import Catalog, CatalogReport, CatalogTerm, Reference
from kg.vocab import EVOLUTION_TYPES

__all__ = ["compact_diff", "render_lineage", "term_lineage"]

_SENTENCES_PER_ROW = 3
_LINK_SECTIONS = (("came from", "came_from"), ("became", "became"), ("same idea", "same_idea"))
_DIFF_CONTEXT = 8
_CHANGE = re.compile(r"(\[-.*?-\]|\{\+.*?\+\})", re.DOTALL)


def _report_row(report: CatalogReport) -> dict[str, Any]:
    return {
        "report": report.id,
        "title": report.title,
        "district": report.district,
        "delivered_on": report.delivered_on.isoformat() if report.delivered_on else None,
        "year": report.year,
        "year_source": report.year_source,
        "year_reviewed": report.year_reviewed,
        "year_planned": report.year_planned,
    }


def _timeline(catalog: Catalog, term: CatalogTerm) -> list[dict[str, Any]]:
    definitions = {d.report: d for d in term.definitions}
    sentences: dict[str, list[str]] = {}
    counts: dict[str, int] = {}
    for mention in term.mentions:
        counts[mention.report] = counts.get(mention.report, 0) + 1
        sentences.setdefault(mention.report, [])
        if mention.sentence not in sentences[mention.report]:
            sentences[mention.report].append(mention.sentence)
    rows: list[dict[str, Any]] = []
    for report_id in sorted(set(definitions) | set(counts), key=catalog.report_key):
        report = catalog.reports.get(report_id) or CatalogReport(report_id, report_id)
        definition = definitions.get(report_id)
        row = _report_row(report)
        row.update(
            defined=definition is not None,
            definition=definition.text if definition else None,
            change=definition.change if definition else None,
            mentions=counts.get(report_id, 0),
            sentences=sentences.get(report_id, [])[:_SENTENCES_PER_ROW],
        )
        rows.append(row)
    return rows


def _link(catalog: Catalog, reference: Reference) -> dict[str, Any]:
    other = catalog.terms.get(reference.term or "")
    return {
        "term": {"id": other.id, "label": other.label} if other else None,
        "type": reference.type,
        "evidence": reference.evidence,
        "confidence": reference.confidence,
    }


def _cited_report(catalog: Catalog, reference: Reference) -> dict[str, Any]:
    report = catalog.reports.get(reference.report or "")
    row = _link(catalog, reference)
    del row["term"]
    found = report or CatalogReport(reference.report or "", reference.report or "", held=False)
    row["report"] = _report_row(found) | {"held": found.held}
    return row


def term_lineage(catalog: Catalog, term: CatalogTerm) -> dict[str, Any]:
    """The timeline of ``term`` and its links to other terms."""
    sections: dict[str, list[dict[str, Any]]] = {
        "came_from": [],
        "became": [],
        "same_idea": [],
        "cites": [],
        "cites_reports": [],
    }
    for reference in term.references:
        evolution = reference.type in EVOLUTION_TYPES
        if reference.type == "same-idea" and reference.term:
            sections["same_idea"].append(_link(catalog, reference))
        elif not reference.outgoing:
            if evolution:
                sections["became"].append(_link(catalog, reference))
        elif evolution:
            sections["came_from"].append(_link(catalog, reference))
        elif reference.type == "cites-report" and reference.report:
            sections["cites_reports"].append(_cited_report(catalog, reference))
        elif reference.term:
            sections["cites"].append(_link(catalog, reference))
    for name in ("came_from", "became", "same_idea", "cites"):
        sections[name].sort(key=_sort_links)
    sections["cites_reports"].sort(key=lambda row: (row["report"]["report"], row["evidence"] or ""))
    return {
        "term": {
            "id": term.id,
            "label": term.label,
            "defined": term.defined,
            "summary": term.summary,
        },
        "axis": "delivered",
        "timeline": _timeline(catalog, term),
        **sections,
    }


def _sort_links(link: dict[str, Any]) -> tuple[str, str]:
    term = link.get("term") or {}
    return (str(term.get("id", "")), link["type"])


def compact_diff(diff: str, context: int = _DIFF_CONTEXT) -> str:
    """An inline diff with unchanged runs cut to ``context`` characters beside each change."""
    pieces = _CHANGE.split(diff)
    last = len(pieces) - 1
    for index in range(0, len(pieces), 2):
        run = pieces[index]
        if index == 0 and index != last and len(run) > context:
            pieces[index] = "…" + run[-context:]
        elif index == last and index != 0 and len(run) > context:
            pieces[index] = run[:context] + "…"
        elif 0 < index < last and len(run) > 2 * context + 1:
            pieces[index] = f"{run[:context]}…{run[-context:]}"
    return "".join(pieces)


def render_lineage(lineage: dict[str, Any]) -> str:
    """The lineage as plain text for a terminal."""
    term = lineage["term"]
    status = "defined" if term["defined"] else "undefined (used without a glossary entry)"
    lines = [f"{term['label']}  ({term['id']}, {status})", "timeline, by delivery date:"]
    for row in lineage["timeline"]:
        when = row["delivered_on"] or f"{row['year']} (year reviewed; delivery date unknown)"
        where = " ".join(part for part in (row["district"], row["title"]) if part)
        lines.append(f"  {when}  {row['report']}  {where}")
        if row["defined"]:
            if row["change"]:
                lines.append(f"    defined again, changed: {compact_diff(row['change'])}")
            else:
                lines.append(f"    defined: {row['definition']}")
        lines.append(f"    mentions: {row['mentions']}")
        lines.extend(f"      “{sentence}”" for sentence in row["sentences"])
    for title, name in _LINK_SECTIONS:
        for link in lineage[name]:
            how = f"{link['type']}, {link['confidence']}"
            lines.append(f"{title}: {link['term']['label']} ({how}) — {link['evidence']}")
    for link in lineage["cites_reports"]:
        report = link["report"]
        held = "held" if report["held"] else "not held"
        lines.append(f"cites report: {report['report']} ({held}) — {link['evidence']}")
    return "\n".join(lines)
