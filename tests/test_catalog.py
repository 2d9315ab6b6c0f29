"""The catalog reads terms, reports and districts back out of a built graph, through the store."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import read_model_of, store_of
from rdflib import RDF, XSD, Graph, Literal
from rdflib.namespace import SKOS

from kg.build import write_graph
from kg.corpus import BUNDLED_CORPUS
from kg.graph import build_graph
from kg.pipeline import read_reports
from kg.readmodel.catalog import Catalog
from kg.readmodel.load import load_catalog
from kg.store import OxigraphStore
from kg.text import first_sentence
from kg.vocab import KGO, definition_iri, report_iri, term_iri

CORPUS = (
    "jianghan-2023-12-25-government-work-report.md",
    "jianghan-2024-12-29-government-work-report.txt",
    "wuchang-2024-12-27-government-work-report.txt",
)


@pytest.fixture(scope="module")
def graph() -> Graph:
    return build_graph(read_reports([str(BUNDLED_CORPUS / name) for name in CORPUS]))


@pytest.fixture(scope="module")
def catalog(graph: Graph, tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    return read_model_of(graph, tmp_path_factory.mktemp("catalog")).catalog


def catalog_of(graph: Graph, directory: Path) -> Catalog:
    return read_model_of(graph, directory).catalog


def test_a_term_defined_twice_has_both_definitions_oldest_first(catalog: Catalog) -> None:
    term = catalog.terms["liu-ge-zhi-li"]
    assert term.label == "六个致力"
    assert term.defined
    assert [d.report for d in term.definitions] == [
        "jianghan-2023-gov-work-report",
        "jianghan-2024-gov-work-report",
    ]
    assert [d.year for d in term.definitions] == [2023, 2024]
    assert term.years == [2023, 2024]
    assert term.reports == ["jianghan-2023-gov-work-report", "jianghan-2024-gov-work-report"]
    assert term.latest is term.definitions[-1]


def test_a_definition_carries_its_report_years_and_source(catalog: Catalog) -> None:
    definition = catalog.terms["liu-ge-zhi-li"].definitions[-1]
    assert definition.district == "江汉区"
    assert definition.report_title
    assert str(definition.delivered_on) == "2024-12-29"
    assert (definition.year_reviewed, definition.year_planned) == (2024, 2025)
    source = definition.source
    assert source is not None and source.start is not None and source.end is not None
    assert source.start < source.end
    assert source.quote and "六个致力" in source.quote


def test_components_keep_their_order_and_group(catalog: Catalog) -> None:
    components = catalog.terms["235-xian-dai-hua-chan-ye-ti-xi"].components
    assert len(components) == 10
    assert components[0].label == "总部经济引领"
    assert [c.group for c in components] == ["2"] * 2 + ["3"] * 3 + ["5"] * 5


def test_reports_have_metadata_and_glossary_in_number_order(catalog: Catalog) -> None:
    report = catalog.reports["jianghan-2024-gov-work-report"]
    assert report.doc_number == "江政〔2025〕1号"
    assert report.year == 2024
    assert report.district_id == "jianghan" and report.city == "武汉市"
    numbers = [item.number for item in report.glossary]
    assert numbers == sorted(numbers) and numbers[0] == 1
    first = report.glossary[0]
    assert first.term == "liu-ge-zhi-li" and first.definition
    assert next(r.id for r in catalog.reports_in_order()) == "jianghan-2023-gov-work-report"


def test_districts_list_their_reports(catalog: Catalog) -> None:
    assert catalog.districts["jianghan"].label == "江汉区"
    assert catalog.districts["jianghan"].reports == [
        "jianghan-2023-gov-work-report",
        "jianghan-2024-gov-work-report",
    ]
    assert catalog.districts["wuchang"].reports == ["wuchang-2024-gov-work-report"]


def test_a_prebuilt_graph_file_gives_the_same_catalog(graph: Graph, tmp_path: Path) -> None:
    path = write_graph(graph, tmp_path / "graph.ttl")
    with OxigraphStore.load(path, tmp_path / "store") as store:
        again = load_catalog(store)
    original = catalog_of(graph, tmp_path / "original")
    assert again.terms == original.terms
    assert again.reports == original.reports
    assert again.districts == original.districts


def test_a_description_holds_the_term_and_the_nodes_it_owns(
    graph: Graph, catalog: Catalog, tmp_path: Path
) -> None:
    term = catalog.terms["liu-ge-zhi-li"]
    with store_of(graph, tmp_path) as store:
        description = Graph().parse(data=store.describe(term.iri), format="nt")
    subjects = {str(s) for s in description.subjects()}
    assert term.iri in subjects
    assert {d.iri for d in term.definitions} <= subjects
    assert any("/location/" in s for s in subjects)
    assert not any("/term/" in s and s != term.iri for s in subjects)


def _lineage_graph() -> Graph:
    graph = Graph()
    old, new, other = term_iri("san-suo-yi-ting"), term_iri("san-suo-yi-ting-n"), term_iri("x")
    report = report_iri("r-2024")
    graph.add((report, RDF.type, KGO.Report))
    graph.add((report, KGO.deliveredOn, Literal("2024-12-29", datatype=XSD.date)))
    for node, label in ((old, "三所一庭"), (new, "“三所一庭+N”工作机制"), (other, "两重")):
        graph.add((node, RDF.type, SKOS.Concept))
        graph.add((node, SKOS.prefLabel, Literal(label, lang="zh")))
    definition = definition_iri("r-2024", "san-suo-yi-ting-n")
    graph.add((new, SKOS.definition, definition))
    graph.add((definition, RDF.value, Literal("在三所一庭基础上……", lang="zh")))
    graph.add((definition, KGO.inReport, report))
    graph.add((new, KGO.evolvedFrom, old))
    graph.add((new, SKOS.related, other))
    graph.add((other, KGO.mentionedIn, report))
    graph.add((other, KGO.defined, Literal(False)))
    return graph


def test_links_are_read_from_both_ends(tmp_path: Path) -> None:
    catalog = catalog_of(_lineage_graph(), tmp_path)
    new, old, other = (catalog.terms[i] for i in ("san-suo-yi-ting-n", "san-suo-yi-ting", "x"))
    assert [(link.type, link.id) for link in new.related] == [
        ("evolvedFrom", "san-suo-yi-ting"),
        ("related", "x"),
    ]
    assert [(link.type, link.id) for link in old.related] == [("evolvedInto", "san-suo-yi-ting-n")]
    assert [(link.type, link.label) for link in other.related] == [
        ("related", "“三所一庭+N”工作机制")
    ]


def test_mentions_and_the_defined_flag_are_read(tmp_path: Path) -> None:
    catalog = catalog_of(_lineage_graph(), tmp_path)
    other = catalog.terms["x"]
    assert other.defined is False
    assert other.reports == ["r-2024"]
    assert other.summary is None
    assert catalog.terms["san-suo-yi-ting-n"].defined is True


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("设立于零售药店。提供服务。", "设立于零售药店。"),
        ("没有句号", "没有句号"),
        ("Rate 2.5 percent. Next.", "Rate 2.5 percent."),
    ],
)
def test_first_sentence(text: str, first: str) -> None:
    assert first_sentence(text) == first
