"""A term's neighbourhood as a networkx graph, built from the catalog; its page made by pyvis."""

from __future__ import annotations

import json
import re
from pathlib import Path

import networkx as nx
import pytest
from test_lineage import corpus_model

from kg.cli import main
from kg.readmodel.catalog import Catalog, CatalogTerm, Reference
from kg.readmodel.subgraph import EDGE_LABELS, MAX_DEPTH, NODE_KINDS, term_subgraph
from kg.render.graph_page import graph_view, offline_page, script_json


def subgraph_of(label: str, depth: int = 1, max_nodes: int = 60):  # type: ignore[no-untyped-def]
    model = corpus_model()
    return term_subgraph(model.catalog, model.term(label), depth, max_nodes)


def test_the_neighbourhood_of_liu_ge_zhi_li() -> None:
    graph = subgraph_of("六个致力").graph
    kinds = nx.get_node_attributes(graph, "kind")
    assert graph.nodes["term:liu-ge-zhi-li"]["distance"] == 0
    assert sorted(n for n, k in kinds.items() if k == "report") == [
        "report:jianghan-2021-gov-work-report",
        "report:jianghan-2023-gov-work-report",
        "report:jianghan-2024-gov-work-report",
    ]
    parts = [graph.nodes[n]["label"] for n, k in kinds.items() if k == "component"]
    assert len(parts) == 6 and "致力能级跃升" in parts
    assert kinds["district:jianghan"] == "district"
    # The 2021 report is only cited by the definitions: a node, marked as not held.
    cited = graph.nodes["report:jianghan-2021-gov-work-report"]
    assert cited["held"] is False and "仅被引用" in cited["title"]
    relations = {(source, target): data["label"] for source, target, data in graph.edges(data=True)}
    assert relations["term:liu-ge-zhi-li", "report:jianghan-2024-gov-work-report"] == "释义见于"
    assert relations["term:liu-ge-zhi-li", "report:jianghan-2021-gov-work-report"] == "释义引用"
    assert relations["report:jianghan-2023-gov-work-report", "district:jianghan"] == "行政区"


def test_edges_carry_chinese_labels_and_plain_text_titles() -> None:
    graph = subgraph_of("八个坚持", depth=2).graph
    for _, _, data in graph.edges(data=True):
        assert data["label"] == EDGE_LABELS[data["relation"]]
        assert not re.search(r"[A-Za-z]{4,}", data["label"])
    for _, data in graph.nodes(data=True):
        assert data["kind"] in NODE_KINDS and isinstance(data["title"], str)


def test_evolution_runs_from_the_older_term_to_the_newer() -> None:
    graph = subgraph_of("八个坚持").graph
    edge = graph.get_edge_data("term:ba-ge-zhuo-li", "term:ba-ge-jian-chi", "evolved")
    assert edge is not None and edge["label"] == "演变为" and edge["lineage"] is True
    assert not graph.has_edge("term:ba-ge-jian-chi", "term:ba-ge-zhuo-li")
    # The path question the whole-graph networkx view answered, asked of the subgraph.
    path = nx.shortest_path(graph.to_undirected(), "term:ba-ge-jian-chi", "term:ba-ge-zhuo-li")
    assert len(path) == 2


def _chain_catalog(length: int) -> Catalog:
    """Terms t0 → t1 → … each evolved from the one before, and one term cited by t0."""
    terms = {
        f"t{n}": CatalogTerm(f"t{n}", f"urn:t{n}", f"提法{n}", defined=True) for n in range(length)
    }
    terms["cited"] = CatalogTerm("cited", "urn:cited", "被引用的词")
    for n in range(1, length):
        newer, older = terms[f"t{n}"], terms[f"t{n - 1}"]
        newer.references.append(
            Reference("evolved-based-on", True, older.id, None, "基础上", 0.95, None)
        )
        older.references.append(
            Reference("evolved-based-on", False, newer.id, None, "基础上", 0.95, None)
        )
    terms["t0"].references.append(
        Reference("cites-term", True, "cited", None, "被引用的词", 0.9, None)
    )
    terms["cited"].references.append(
        Reference("cites-term", False, "t0", None, "被引用的词", 0.9, None)
    )
    return Catalog(terms, {}, {})


def test_the_lineage_chain_is_drawn_however_long_and_wherever_the_walk_starts() -> None:
    catalog = _chain_catalog(6)
    subgraph = term_subgraph(catalog, catalog.terms["t3"], depth=1)
    chain = [(s, t) for s, t, d in subgraph.graph.edges(data=True) if d["lineage"]]
    assert sorted(chain) == [(f"term:t{n}", f"term:t{n + 1}") for n in range(5)]
    # Depth 1 from t3 does not reach what t0 cites.
    assert "term:cited" not in subgraph.graph


def test_depth_is_clamped_and_reaches_further() -> None:
    near = subgraph_of("六个致力", depth=1).graph.number_of_nodes()
    far = subgraph_of("六个致力", depth=MAX_DEPTH)
    assert far.graph.number_of_nodes() > near
    assert subgraph_of("六个致力", depth=99).depth == MAX_DEPTH
    assert subgraph_of("六个致力", depth=0).depth == 1


def test_a_big_neighbourhood_is_capped_to_the_nearest_nodes_and_says_so() -> None:
    subgraph = subgraph_of("三所一庭", depth=3, max_nodes=20)
    graph = subgraph.graph
    assert graph.number_of_nodes() == 20 and subgraph.truncated
    assert subgraph.found > 20
    distances = [data["distance"] for _, data in graph.nodes(data=True)]
    assert "term:san-suo-yi-ting" in graph and max(distances) <= 2
    # The lineage survives the cap.
    assert any(data["lineage"] for _, _, data in graph.edges(data=True))
    body = subgraph.to_json()
    assert body["truncated"] is True and body["nodes"][0]["id"] == subgraph.center
    assert len(body["nodes"]) == 20 and body["nodes_found"] == subgraph.found


def test_pyvis_gives_each_kind_its_shape_and_each_node_its_link() -> None:
    view = graph_view(subgraph_of("六个致力"), lambda kind, ref: f"/{kind}/{ref}")
    shapes = {node["kind"]: node["shape"] for node in view.nodes}
    assert len(set(shapes.values())) == len(shapes) == 4
    urls = {node["id"]: node["url"] for node in view.nodes}
    assert urls["term:liu-ge-zhi-li"] == "/term/liu-ge-zhi-li"
    assert all(url is None for node, url in urls.items() if node.startswith("component:"))
    assert {edge["label"] for edge in view.edges} >= {"释义见于", "组成部分"}
    assert view.options["layout"]["randomSeed"] == 7
    assert [name for _, name in view.legend_nodes] == ["术语", "报告", "组成部分", "行政区"]


def test_script_json_cannot_close_its_script_element() -> None:
    text = script_json({"label": "</script><script>alert(1)</script>&"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"label": "</script><script>alert(1)</script>&"}


def test_the_offline_page_inlines_everything() -> None:
    view = graph_view(
        subgraph_of("六个致力"), lambda kind, ref: f"https://example.org/{kind}/{ref}"
    )
    page = offline_page(view)
    assert not re.search(r"""<(script|link)[^>]+(src|href)=""", page)
    assert "vis-network" in page and "window.policyGraph" in page
    assert page.count("</script>") == 3  # the data, vis-network, graph.js


def test_cli_graph_writes_an_offline_page(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from test_mentions import linked_corpus

    graph = tmp_path / "graph.nt"
    linked_corpus()[1].serialize(graph, format="nt", encoding="utf-8")
    out = tmp_path / "liu.html"
    assert main(["graph", "六个致力", "--graph", str(graph), "--out", str(out)]) == 0
    assert "11 nodes" in capsys.readouterr().out
    page = out.read_text(encoding="utf-8")
    assert "https://w3id.org/policy-terms/term/liu-ge-zhi-li" in page
    assert main(["graph", "不存在的词", "--graph", str(graph), "--out", str(out)]) == 1
    assert capsys.readouterr().err.count("\n") == 1
