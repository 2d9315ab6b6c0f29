"""A term's life across reports, read from the RDF graph, and its plain-text rendering.

:func:`term_lineage` needs only the graph (built here or loaded from a file):
its rows are the reports that define or mention the term, ordered by the date
each report was *delivered* (the year reports cite each other by). A report
without a delivery date sorts by the year it reviews, at the end of that year,
and its row says so (``year_source``).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDFS, SKOS
from rdflib.term import Node

from kg.ids import normalize_label
from kg.link.mentions import Annotator, KnownTerm, view_form
from kg.link.references import EVOLUTION_TYPES
from kg.vocab import BASE, KGO, term_iri

__all__ = [
    "GraphAnnotator",
    "UnknownTerm",
    "compact_diff",
    "graph_annotator",
    "render_lineage",
    "resolve_term",
    "term_lineage",
    "term_summary",
]

_SENTENCES_PER_ROW = 3
_LINK_SECTIONS = (("came from", "came_from"), ("became", "became"), ("same idea", "same_idea"))
_DIFF_CONTEXT = 8
_CHANGE = re.compile(r"(\[-.*?-\]|\{\+.*?\+\})", re.DOTALL)


class UnknownTerm(LookupError):
    """No concept has this id or label; ``suggestions`` holds near labels."""

    def __init__(self, query: str, suggestions: list[str]) -> None:
        super().__init__(query)
        self.query = query
        self.suggestions = suggestions

    def __str__(self) -> str:
        hint = f"; did you mean: {', '.join(self.suggestions)}" if self.suggestions else ""
        return f"no term {self.query!r} in the graph{hint}"


def _local(node: Node, kind: str) -> str:
    return str(node).removeprefix(f"{BASE}{kind}/")


def _text(graph: Graph, node: Node | None, predicate: URIRef) -> str | None:
    if node is None:
        return None
    value = graph.value(node, predicate)
    return None if value is None else str(value)


def _label(graph: Graph, concept: Node) -> str:
    return _text(graph, concept, SKOS.prefLabel) or _local(concept, "term")


def resolve_term(graph: Graph, query: str) -> str:
    """The term id of ``query``, an id or a label (any quoting); :class:`UnknownTerm` if none."""
    if (term_iri(query), RDF.type, SKOS.Concept) in graph:
        return query
    wanted = normalize_label(query)
    labels: dict[str, Node] = {}
    for predicate in (SKOS.prefLabel, SKOS.altLabel):
        for concept, label in graph.subject_objects(predicate):
            labels.setdefault(normalize_label(str(label)), concept)
    if wanted in labels:
        return _local(labels[wanted], "term")
    unquoted = {view_form(label): concept for label, concept in labels.items()}
    if view_form(wanted) in unquoted:
        return _local(unquoted[view_form(wanted)], "term")
    near = [label for label in labels if wanted and wanted in label]
    near += difflib.get_close_matches(wanted, list(labels), n=5, cutoff=0.5)
    raise UnknownTerm(query, sorted(dict.fromkeys(near))[:5])


def _int(value: Node | None) -> int | None:
    return int(str(value)[:4]) if value is not None else None


def _report_row(graph: Graph, report: Node) -> dict[str, Any]:
    delivered = graph.value(report, KGO.deliveredOn)
    reviewed = _int(graph.value(report, KGO.yearReviewed))
    year = _int(delivered) or _int(graph.value(report, KGO.deliveredYear))
    district = graph.value(report, KGO.district)
    return {
        "report": _local(report, "report"),
        "title": _text(graph, report, DCTERMS.title),
        "district": _text(graph, district, RDFS.label) if district is not None else None,
        "delivered_on": str(delivered) if delivered is not None else None,
        "year": year if year is not None else reviewed,
        "year_source": "delivered" if year is not None else "reviewed",
        "year_reviewed": reviewed,
        "year_planned": _int(graph.value(report, KGO.yearPlanned)),
    }


def _row_order(row: dict[str, Any]) -> tuple[int, str, str]:
    day = row["delivered_on"] or f"{row['year'] or 9999:04d}-12-31~"
    return (row["year"] or 9999, day, row["report"])


def _definitions(graph: Graph, concept: Node) -> dict[Node, Node]:
    """The concept's definitions by report."""
    found: dict[Node, Node] = {}
    for definition in graph.objects(concept, SKOS.definition):
        report = graph.value(definition, KGO.inReport)
        if report is not None:
            found[report] = definition
    return found


def _mentions(graph: Graph, concept: Node) -> dict[Node, list[tuple[int, str]]]:
    """The concept's mentions by report, as (offset, sentence) in text order."""
    found: dict[Node, list[tuple[int, str]]] = {}
    for mention in graph.subjects(KGO.mentionOf, concept):
        report = graph.value(mention, KGO.inReport)
        start = graph.value(mention, KGO.startOffset)
        sentence = _text(graph, mention, KGO.sentence) or ""
        if report is not None:
            found.setdefault(report, []).append((int(str(start or 0)), sentence))
    return {report: sorted(items) for report, items in found.items()}


def _timeline(graph: Graph, concept: Node) -> list[dict[str, Any]]:
    definitions = _definitions(graph, concept)
    mentions = _mentions(graph, concept)
    rows: list[dict[str, Any]] = []
    for report in set(definitions) | set(mentions):
        row = _report_row(graph, report)
        definition = definitions.get(report)
        has = definition is not None
        sentences = list(dict.fromkeys(sentence for _, sentence in mentions.get(report, [])))
        row.update(
            defined=has,
            definition=_text(graph, definition, RDF.value),
            change=_text(graph, definition, KGO.definitionChange),
            mentions=len(mentions.get(report, [])),
            sentences=sentences[:_SENTENCES_PER_ROW],
        )
        rows.append(row)
    return sorted(rows, key=_row_order)


def _references(graph: Graph, concept: Node, role: URIRef) -> Iterator[tuple[str, Node]]:
    """(type, cross-reference node) for the references where the concept plays ``role``."""
    for node in graph.subjects(role, concept):
        yield str(graph.value(node, KGO.refType)), node


def _link(graph: Graph, node: Node, other: Node | None, ref_type: str) -> dict[str, Any]:
    confidence = graph.value(node, KGO.confidence)
    return {
        "term": {"id": _local(other, "term"), "label": _label(graph, other)} if other else None,
        "type": ref_type,
        "evidence": _text(graph, node, KGO.quote),
        "confidence": float(str(confidence)) if isinstance(confidence, Literal) else None,
    }


def _cited_reports(graph: Graph, concept: Node) -> list[dict[str, Any]]:
    cited: list[dict[str, Any]] = []
    for ref_type, node in _references(graph, concept, KGO.fromTerm):
        report = graph.value(node, KGO.toReport)
        if ref_type == "cites-report" and report is not None:
            row = _link(graph, node, None, ref_type)
            del row["term"]
            held = graph.value(report, KGO.held)
            row["report"] = _report_row(graph, report) | {"held": str(held) == "true"}
            cited.append(row)
    return sorted(cited, key=lambda row: (row["report"]["report"], row["evidence"] or ""))


def term_lineage(graph: Graph, term_id: str) -> dict[str, Any]:
    """The timeline of a term and its links to other terms, from ``graph`` alone."""
    concept = term_iri(term_id)
    if (concept, RDF.type, SKOS.Concept) not in graph:
        raise UnknownTerm(term_id, [])
    came_from, became, same_idea, cites = [], [], [], []
    for ref_type, node in _references(graph, concept, KGO.fromTerm):
        other = graph.value(node, KGO.toTerm)
        if ref_type in EVOLUTION_TYPES:
            came_from.append(_link(graph, node, other, ref_type))
        elif ref_type == "same-idea":
            same_idea.append(_link(graph, node, other, ref_type))
        elif other is not None:
            cites.append(_link(graph, node, other, ref_type))
    for ref_type, node in _references(graph, concept, KGO.toTerm):
        other = graph.value(node, KGO.fromTerm)
        if ref_type in EVOLUTION_TYPES:
            became.append(_link(graph, node, other, ref_type))
        elif ref_type == "same-idea":
            same_idea.append(_link(graph, node, other, ref_type))
    defined = graph.value(concept, KGO.defined)
    return {
        "term": {
            "id": term_id,
            "label": _label(graph, concept),
            "defined": str(defined) != "false",
            "summary": term_summary(graph, concept),
        },
        "axis": "delivered",
        "timeline": _timeline(graph, concept),
        "came_from": sorted(came_from, key=_sort_links),
        "became": sorted(became, key=_sort_links),
        "same_idea": sorted(same_idea, key=_sort_links),
        "cites": sorted(cites, key=_sort_links),
        "cites_reports": _cited_reports(graph, concept),
    }


def _sort_links(link: dict[str, Any]) -> tuple[str, str]:
    term = link.get("term") or {}
    return (str(term.get("id", "")), link["type"])


def term_summary(graph: Graph, concept: Node) -> str:
    """The first sentence of the latest definition, or "undefined term"."""
    rows = [
        (_row_order(_report_row(graph, report)), definition)
        for report, definition in _definitions(graph, concept).items()
    ]
    if not rows:
        return "undefined term"
    text = _text(graph, max(rows, key=lambda row: row[0])[1], RDF.value) or ""
    first = re.split(r"(?<=[。！？；])", text, maxsplit=1)[0]
    return first.strip() or "undefined term"


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


@dataclass(frozen=True)
class GraphAnnotator:
    """An :class:`~kg.link.mentions.Annotator` over a graph's concepts, with ids and summaries."""

    annotator: Annotator
    ids: dict[str, str]
    labels: dict[str, str]
    summaries: dict[str, str]

    def annotate(self, text: str, district: str | None = None) -> list[dict[str, Any]]:
        """The spans of ``text`` naming a term: offsets, text, term id, label and summary."""
        return [
            {
                "start": found.start,
                "end": found.end,
                "text": found.text,
                "id": self.ids[found.key],
                "label": self.labels[found.key],
                "summary": self.summaries[found.key],
            }
            for found in self.annotator.annotate(text, district)
        ]


def graph_annotator(graph: Graph) -> GraphAnnotator:
    """An annotator for every concept of ``graph``; build once per graph, it takes ~0.1 s."""
    terms: list[KnownTerm] = []
    ids: dict[str, str] = {}
    labels: dict[str, str] = {}
    summaries: dict[str, str] = {}
    for concept in set(graph.subjects(RDF.type, SKOS.Concept)):
        label = _label(graph, concept)
        key = normalize_label(label)
        districts = {
            str(name)
            for definition in graph.objects(concept, SKOS.definition)
            for report in graph.objects(definition, KGO.inReport)
            for district in graph.objects(report, KGO.district)
            for name in graph.objects(district, RDFS.label)
        }
        terms.append(KnownTerm(key, label, frozenset(districts)))
        ids[key], labels[key] = _local(concept, "term"), label
        summaries[key] = term_summary(graph, concept)
    return GraphAnnotator(Annotator(terms), ids, labels, summaries)
