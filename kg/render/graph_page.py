"""A term's subgraph as an interactive page: pyvis builds the vis-network data, we serve it.

:func:`graph_view` hands a :class:`~kg.readmodel.subgraph.Subgraph` to a pyvis
``Network`` (colour and shape by node kind, the Chinese relation on each
edge, a fixed layout seed) and keeps what pyvis made: nodes, edges and
options. The page never uses pyvis's own template, which loads vis-network
and Bootstrap from CDNs and runs an inline script; instead the data goes into
a ``<script type="application/json">`` block (``<`` written ``\\u003c``, so no
text can end it) and the :func:`assets` (vis-network as pyvis ships it, and
``graph.js``) are served by the app, or inlined by :func:`offline_page` for
``kg graph --out``. Every title is plain text: vis-network shows a string
title with ``innerText``, and pyvis's ``innerHTML`` popup (chosen when a
title holds "href") belongs to the template we do not use.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from kg.readmodel.subgraph import EDGE_LABELS, NODE_KINDS, Subgraph

__all__ = ["TEMPLATES", "Asset", "GraphView", "assets", "graph_view", "offline_page", "script_json"]

TEMPLATES = Path(__file__).resolve().parent / "templates"
"""Templates of the graph: ``_graph.html`` (legend, canvas, data) and the offline page."""
_HERE = Path(__file__).resolve().parent / "assets"


def _vis_directory() -> Path:
    """The newest vis-network build in pyvis's package (``lib/vis-9.1.2`` in pyvis 0.3.2)."""
    builds = Path(str(files("pyvis") / "lib")).glob("vis-*/vis-network.min.js")
    version = re.compile(r"vis-(\d+)\.(\d+)\.(\d+)$")

    def key(script: Path) -> tuple[int, ...]:
        found = version.match(script.parent.name)
        return tuple(int(part) for part in found.groups()) if found else ()

    newest = max(builds, key=key, default=None)
    if newest is None:
        raise RuntimeError("pyvis ships no vis-network build under pyvis/lib/")
    return newest.parent


_TITLE_LENGTH = 140


@dataclass(frozen=True)
class Asset:
    """A file the graph page loads, and its media type."""

    path: Path
    media_type: str


@cache
def assets() -> dict[str, Asset]:
    """The graph page's scripts and styles by file name: vis-network as pyvis ships it, and ours."""
    vis = _vis_directory()
    return {
        "vis-network.min.js": Asset(vis / "vis-network.min.js", "text/javascript"),
        "vis-network.css": Asset(vis / "vis-network.css", "text/css"),
        "graph.js": Asset(_HERE / "graph.js", "text/javascript"),
        "graph.css": Asset(_HERE / "graph.css", "text/css"),
    }


_STYLES: dict[str, dict[str, Any]] = {
    "term": {"shape": "box", "color": {"background": "#dbe8fd", "border": "#0b57d0"}},
    "report": {"shape": "ellipse", "color": {"background": "#fdecd6", "border": "#b35c00"}},
    "component": {
        "shape": "dot",
        "size": 8,
        "color": {"background": "#a5d6a7", "border": "#2e7d32"},
    },
    "district": {
        "shape": "hexagon",
        "size": 14,
        "color": {"background": "#e1bee7", "border": "#7b1fa2"},
    },
}
_UNSURE = {
    "color": {"background": "#f2f2f7", "border": "#6e6e73"},
    "shapeProperties": {"borderDashes": [4, 3]},
}
_EDGE_COLOUR = "#8e8e93"
_LINEAGE_COLOUR = "#b3261e"
_OPTIONS: dict[str, Any] = {
    "layout": {"randomSeed": 7},
    "physics": {
        "solver": "barnesHut",
        "barnesHut": {"gravitationalConstant": -5000, "springLength": 150, "avoidOverlap": 0.3},
        "stabilization": {"enabled": True, "iterations": 400, "fit": True},
    },
    "interaction": {"hover": True, "tooltipDelay": 100, "keyboard": {"enabled": True}},
    "nodes": {"font": {"size": 14}, "borderWidth": 1, "widthConstraint": {"maximum": 180}},
    "edges": {
        "smooth": {"type": "continuous"},
        "font": {"size": 11, "color": "#3a3a3c", "strokeWidth": 3, "align": "middle"},
        "color": {"color": _EDGE_COLOUR},
    },
}

Link = Callable[[str, str], str | None]
"""The URL of a node's page from its kind and id, or None for nodes without one."""


@dataclass(frozen=True)
class GraphView:
    """What a graph page shows: the subgraph, pyvis's nodes, edges and options, a legend."""

    subgraph: Subgraph
    label: str
    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    options: dict[str, Any]
    legend_nodes: list[tuple[str, str]] = field(default_factory=list)
    legend_edges: list[tuple[str, str]] = field(default_factory=list)

    @property
    def data(self) -> Markup:
        """Nodes, edges and options as JSON that is safe inside a ``<script>`` element."""
        return Markup(
            script_json({"nodes": self.nodes, "edges": self.edges, "options": self.options})
        )


def script_json(value: Any) -> str:
    """``value`` as JSON in which ``<``, ``>`` and ``&`` are escapes, to sit in a script element."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, escape)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def graph_view(subgraph: Subgraph, link: Link) -> GraphView:
    """The pyvis network of ``subgraph``; ``link`` gives each node's page."""
    from pyvis.network import Network

    network = Network(directed=True, cdn_resources="local")
    graph = subgraph.graph
    for name, data in graph.nodes(data=True):
        network.add_node(name, **_node_style(name, data, subgraph.center, link))
    for source, target, data in graph.edges(data=True):
        network.add_edge(source, target, **_edge_style(data))
    network.options = dict(_OPTIONS)
    nodes, edges, _heading, _height, _width, options = network.get_network_data()
    kinds = {data["kind"] for _, data in graph.nodes(data=True)}
    relations = {data["relation"] for _, _, data in graph.edges(data=True)}
    center = graph.nodes[subgraph.center]
    return GraphView(
        subgraph=subgraph,
        label=center["label"],
        nodes=list(nodes),
        edges=list(edges),
        options=json.loads(options),
        legend_nodes=[(kind, name) for kind, name in NODE_KINDS.items() if kind in kinds],
        legend_edges=[(key, text) for key, text in EDGE_LABELS.items() if key in relations],
    )


def _node_style(name: str, data: dict[str, Any], center: str, link: Link) -> dict[str, Any]:
    kind = data["kind"]
    style: dict[str, Any] = {
        **_STYLES[kind],
        "label": data["label"],
        "title": _plain(data["title"]),
    }
    if (kind == "term" and not data.get("defined", True)) or (
        kind == "report" and not data.get("held", True)
    ):
        style.update(_UNSURE)
    if name == center:
        style.update(borderWidth=3, font={"size": 18}, mass=2)
    style["kind"] = kind
    style["url"] = link(kind, data["ref"]) if data.get("ref") else None
    return style


def _edge_style(data: dict[str, Any]) -> dict[str, Any]:
    style: dict[str, Any] = {
        "label": data["label"],
        "title": _plain(data["title"] or data["label"]),
    }
    style["relation"] = data["relation"]
    if data["lineage"]:
        style.update(color=_LINEAGE_COLOUR, width=3)
    if data["relation"] == "same-idea":
        style["arrows"] = ""
    return style


def _plain(text: str) -> str:
    """A popup's text: one string, cut to a readable length."""
    text = " ".join(str(text).split())
    return text if len(text) <= _TITLE_LENGTH else text[: _TITLE_LENGTH - 1] + "…"


@cache
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True)
    )


def offline_page(view: GraphView) -> str:
    """A whole HTML page of ``view`` with every script and style inlined: it opens from a file."""
    inlined = {
        name: Markup(asset.path.read_text(encoding="utf-8")) for name, asset in assets().items()
    }
    for name, text in inlined.items():
        if "</script" in text.lower() or "</style" in text.lower():
            raise ValueError(f"{name} cannot be inlined: it holds a closing tag")
    return _environment().get_template("graph_offline.html").render(view=view, assets=inlined)
