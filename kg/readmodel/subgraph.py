"""The neighbourhood of a term as a networkx graph, built from the catalog.

:func:`term_subgraph` walks the typed links of the catalog outwards from one
term, ``depth`` steps (1 by default, at most :data:`MAX_DEPTH`):

- a term reaches the reports that define it, mention it or that its
  definition cites, the parts of its latest definition, and the terms its
  cross-references and links name;
- a report reaches its district and the terms its glossary defines;
- a district reaches its reports.

The term's lineage chain (every term reached by evolution edges, in either
direction, however far) is always drawn, and each report brings its
district. Past :data:`MAX_NODES` nodes the nearest are kept, lineage first,
and :attr:`Subgraph.truncated` says that some were left out.

Nodes are named ``kind:id`` (``term:liu-ge-zhi-li``, ``report:…``,
``district:…``, ``component:<term id>:<n>``) and carry ``kind``, ``label``,
``ref`` (the id of the term, report or district, for its page), a plain-text
``title`` and their ``distance`` from the centre. Edges are keyed by their
``relation`` and carry its Chinese ``label``, a plain-text ``title`` (the
evidence, where there is one) and ``lineage``. Evolution edges point from
the older term to the newer, so that a chain reads in time order.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import networkx as nx

from kg.readmodel.catalog import (
    Catalog,
    CatalogDistrict,
    CatalogReport,
    CatalogTerm,
    Reference,
)
from kg.readmodel.names import reference_name, related_name, report_kind_name
from kg.vocab import EVOLUTION_TYPES

__all__ = [
    "DEFAULT_DEPTH",
    "EDGE_LABELS",
    "MAX_DEPTH",
    "MAX_NODES",
    "NODE_KINDS",
    "Subgraph",
    "term_subgraph",
]

DEFAULT_DEPTH = 1
MAX_DEPTH = 3
MAX_NODES = 60
NODE_KINDS: dict[str, str] = {
    "term": "术语",
    "report": "报告",
    "component": "组成部分",
    "district": "行政区",
}
"""Node kinds and their Chinese names, in the order a legend lists them."""
EDGE_LABELS: dict[str, str] = {
    "evolved": "演变为",
    "cites-term": "释义提到",
    "same-idea": "同一概念",
    "part-of": "包含",
    "related": "相关",
    "defined-in": "释义见于",
    "mentioned-in": "提及于",
    "cites-report": "释义引用",
    "has-part": "组成部分",
    "in-district": "行政区",
}
"""Edge relations and the Chinese label drawn on them."""
_KIND_RANK = {"term": 0, "report": 1, "district": 2, "component": 3}
_EVOLUTION = frozenset(EVOLUTION_TYPES)


@dataclass(frozen=True)
class _Edge:
    source: str
    target: str
    relation: str
    title: str
    lineage: bool = False


_Node = tuple[str, dict[str, Any]]
_Step = tuple[_Node, _Edge]
"""A neighbour found from a node, and the edge that reaches it."""


@dataclass(frozen=True)
class Subgraph:
    """The neighbourhood of :attr:`center`; :attr:`found` counts nodes before the cap."""

    center: str
    depth: int
    graph: nx.MultiDiGraph
    found: int
    max_nodes: int

    @property
    def truncated(self) -> bool:
        """Whether some nodes of the neighbourhood were left out."""
        return self.found > self.graph.number_of_nodes()

    def to_json(self) -> dict[str, Any]:
        """Nodes and edges as plain values, centre first."""
        nodes = [{"id": node, **data} for node, data in self.graph.nodes(data=True)]
        edges = [
            {"source": source, "target": target, **data}
            for source, target, data in self.graph.edges(data=True)
        ]
        return {
            "center": self.center,
            "depth": self.depth,
            "truncated": self.truncated,
            "nodes_found": self.found,
            "max_nodes": self.max_nodes,
            "nodes": nodes,
            "edges": edges,
        }


def term_subgraph(
    catalog: Catalog, term: CatalogTerm, depth: int = DEFAULT_DEPTH, max_nodes: int = MAX_NODES
) -> Subgraph:
    """The neighbourhood of ``term``, ``depth`` steps out (clamped to 1..MAX_DEPTH)."""
    depth = min(max(depth, 1), MAX_DEPTH)
    walk = _Walk(catalog)
    center = walk.add_node(_term_node(term), 0)
    frontier = [center]
    for step in range(1, depth + 1):
        frontier = [found for node in frontier for found in walk.expand(node, step)]
    walk.add_lineage(term)
    walk.add_districts()
    kept = walk.nearest(max_nodes)
    graph = nx.MultiDiGraph()
    for node in kept:
        graph.add_node(node, **walk.nodes[node], distance=walk.distance[node])
    for edge in walk.edges.values():
        if edge.source in graph and edge.target in graph:
            graph.add_edge(
                edge.source,
                edge.target,
                key=edge.relation,
                relation=edge.relation,
                label=EDGE_LABELS[edge.relation],
                title=edge.title,
                lineage=edge.lineage,
            )
    return Subgraph(center, depth, graph, len(walk.nodes), max_nodes)


class _Walk:
    """Nodes and edges found so far, each node with its distance and the order it was found."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.nodes: dict[str, dict[str, Any]] = {}
        self.distance: dict[str, int] = {}
        self.lineage: set[str] = set()
        self.edges: dict[tuple[str, str, str], _Edge] = {}

    def add_node(self, node: _Node, distance: int) -> str:
        name, data = node
        if name not in self.nodes:
            self.nodes[name] = data
            self.distance[name] = distance
        return name

    def add_edge(self, edge: _Edge) -> None:
        pair = (min(edge.source, edge.target), max(edge.source, edge.target))
        # One edge per pair and relation; a typed reference wins over the bare link.
        if edge.relation == "related" and any(
            key[:2] == pair for key in self.edges if key[2] != "related"
        ):
            return
        self.edges.setdefault((*pair, edge.relation), edge)

    def expand(self, node: str, step: int) -> list[str]:
        """Add the neighbours of ``node``; the ones new to the walk."""
        kind, _, ref = node.partition(":")
        found = []
        neighbours = {
            "term": self._term_neighbours,
            "report": self._report_neighbours,
            "district": self._district_neighbours,
        }.get(kind)
        for neighbour, edge in neighbours(ref) if neighbours else ():
            if neighbour[0] not in self.nodes:
                found.append(self.add_node(neighbour, step))
            self.add_edge(edge)
        return found

    def add_lineage(self, term: CatalogTerm) -> None:
        """The chain of evolution edges through ``term``, however long."""
        seen, todo = {term.id}, [term]
        while todo:
            current = todo.pop()
            self.lineage.add(f"term:{current.id}")
            for reference, other in self._linked_terms(current):
                if reference.type not in _EVOLUTION or other.id in seen:
                    continue
                seen.add(other.id)
                todo.append(other)
                self.add_node(_term_node(other), 1)
                self.add_edge(_term_edge(current, reference, other))

    def add_districts(self) -> None:
        """Each report's district, at the report's distance."""
        for name in [n for n in self.nodes if n.startswith("report:")]:
            report = self.catalog.reports.get(name.partition(":")[2])
            if report is not None and report.district_id:
                for neighbour, edge in self._report_district(report):
                    self.add_node(neighbour, self.distance[name])
                    self.add_edge(edge)

    def nearest(self, limit: int) -> list[str]:
        """The ``limit`` nodes nearest the centre: lineage first, then by kind."""
        order = {name: index for index, name in enumerate(self.nodes)}
        ranked = sorted(
            self.nodes,
            key=lambda name: (
                self.distance[name],
                name not in self.lineage,
                _KIND_RANK[self.nodes[name]["kind"]],
                order[name],
            ),
        )
        return ranked[: max(limit, 1)]

    def _linked_terms(self, term: CatalogTerm) -> Iterator[tuple[Reference, CatalogTerm]]:
        for reference in term.references:
            other = self.catalog.terms.get(reference.term or "")
            if other is not None and other is not term:
                yield reference, other

    def _term_neighbours(self, term_id: str) -> Iterator[_Step]:
        term = self.catalog.terms.get(term_id)
        if term is None:
            return
        here = f"term:{term.id}"
        for reference, other in self._linked_terms(term):
            yield _term_node(other), _term_edge(term, reference, other)
        for link in term.related:
            linked = self.catalog.terms.get(link.id)
            if linked is not None:
                edge = _Edge(here, f"term:{linked.id}", "related", related_name(link.type))
                yield _term_node(linked), edge
        yield from self._term_reports(term)
        for index, component in enumerate(term.components, start=1):
            name = f"component:{term.id}:{index}"
            title = f"{term.label}的组成部分" + (
                f"（{component.group}）" if component.group else ""
            )
            node = (name, {"kind": "component", "label": component.label, "ref": None})
            yield (node[0], {**node[1], "title": title}), _Edge(here, name, "has-part", title)

    def _term_reports(self, term: CatalogTerm) -> Iterator[_Step]:
        here = f"term:{term.id}"
        defined = {d.report for d in term.definitions}
        for definition in term.definitions:
            report = self._report(definition.report)
            where = (
                f"第 {definition.source.page} 页"
                if definition.source and definition.source.page
                else ""
            )
            title = "，".join(filter(None, [f"{_report_title(report)}的名词解释", where]))
            yield _report_node(report), _Edge(here, f"report:{report.id}", "defined-in", title)
        counts: dict[str, int] = {}
        for mention in term.mentions:
            counts[mention.report] = counts.get(mention.report, 0) + 1
        for report_id, count in counts.items():
            if report_id not in defined:
                report = self._report(report_id)
                title = f"{_report_title(report)}正文提及 {count} 处"
                yield (
                    _report_node(report),
                    _Edge(here, f"report:{report_id}", "mentioned-in", title),
                )
        for reference in term.references:
            if reference.type == "cites-report" and reference.outgoing and reference.report:
                report = self._report(reference.report)
                title = f"释义写道：“{reference.evidence}”" if reference.evidence else ""
                edge = _Edge(here, f"report:{report.id}", "cites-report", title)
                yield _report_node(report), edge

    def _report_neighbours(self, report_id: str) -> Iterator[_Step]:
        report = self.catalog.reports.get(report_id)
        if report is None:
            return
        yield from self._report_district(report)
        for item in report.glossary:
            term = self.catalog.terms.get(item.term or "")
            if term is not None:
                title = f"{_report_title(report)}名词解释第 {item.number} 条"
                yield (
                    _term_node(term),
                    _Edge(f"term:{term.id}", f"report:{report.id}", "defined-in", title),
                )

    def _report_district(self, report: CatalogReport) -> Iterator[_Step]:
        district = self.catalog.districts.get(report.district_id or "")
        if district is not None:
            node = _district_node(district)
            title = f"{_report_title(report)}，{district.label}"
            yield node, _Edge(f"report:{report.id}", node[0], "in-district", title)

    def _district_neighbours(self, district_id: str) -> Iterator[_Step]:
        district = self.catalog.districts.get(district_id)
        for report_id in district.reports if district else ():
            node = _report_node(self._report(report_id))
            yield node, _Edge(node[0], f"district:{district_id}", "in-district", "行政区")

    def _report(self, report_id: str) -> CatalogReport:
        found = self.catalog.reports.get(report_id)
        return found or CatalogReport(report_id, report_id, held=False)


def _district_node(district: CatalogDistrict) -> _Node:
    data = {"kind": "district", "label": district.label, "ref": district.id}
    return f"district:{district.id}", {**data, "title": district.city or district.label}


def _term_node(term: CatalogTerm) -> _Node:
    years = "、".join(str(year) for year in term.years)
    if term.defined:
        title = "；".join(filter(None, [f"{years} 年释义" if years else "", term.summary or ""]))
    else:
        title = "未见名词解释" + (f"，识别置信度 {term.confidence:.2f}" if term.confidence else "")
    return (
        f"term:{term.id}",
        {
            "kind": "term",
            "label": term.label,
            "ref": term.id,
            "title": title,
            "defined": term.defined,
        },
    )


def _report_node(report: CatalogReport) -> _Node:
    year = report.year
    label = " ".join(
        filter(None, [f"{year}" if year else "", report.district or "", _short_kind(report)])
    )
    title = _report_title(report)
    if report.delivered_on:
        title += f"，{report.delivered_on.isoformat()} 报告"
    if not report.held:
        title += "（仅被引用，未收录全文）"
    return (
        f"report:{report.id}",
        {
            "kind": "report",
            "label": label or report.id,
            "ref": report.id,
            "title": title,
            "year": year,
            "held": report.held,
        },
    )


def _report_title(report: CatalogReport) -> str:
    year = f"{report.year} 年" if report.year else ""
    kind = report.title or report_kind_name(report.kind) or report.id
    return f"{year}{report.district or ''}《{kind}》"


def _short_kind(report: CatalogReport) -> str:
    kind = report_kind_name(report.kind) or ""
    return "计划报告" if kind.startswith("国民经济") else kind


def _term_edge(term: CatalogTerm, reference: Reference, other: CatalogTerm) -> _Edge:
    """The edge a reference of ``term`` makes with ``other``, oriented as it reads."""
    source, target = (term, other) if reference.outgoing else (other, term)
    evidence = f"：“{reference.evidence}”" if reference.evidence else ""
    backward = reference.type in _EVOLUTION or reference.type == "part-of"
    title = reference_name(reference.type, outgoing=not backward) + evidence
    if reference.type in _EVOLUTION:
        # The reference starts at the newer term; the edge runs older → newer.
        return _Edge(f"term:{target.id}", f"term:{source.id}", "evolved", title, lineage=True)
    if reference.type == "part-of":
        return _Edge(f"term:{target.id}", f"term:{source.id}", "part-of", title)
    relation = reference.type if reference.type in EDGE_LABELS else "related"
    return _Edge(f"term:{source.id}", f"term:{target.id}", relation, title)
