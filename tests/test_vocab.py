"""Tests for kg.vocab and kg.ids: the code's vocabulary matches ontology/kg.ttl; ids are stable."""

from __future__ import annotations

from datetime import date

import pytest
from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef

from kg.ids import assign_term_ids, body_id, district_id, label_hash, report_id, term_id
from kg.model import ReportMetadata
from kg.text import normalize_label
from kg.vocab import BASE, KGO, ONTOLOGY_PATH, SHAPES_PATH, entry_iri, report_iri, term_iri

DECLARATION_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_PATH, format="turtle")


def declared_terms(ontology: Graph) -> set[URIRef]:
    return {
        subject
        for kind in DECLARATION_TYPES
        for subject in ontology.subjects(RDF.type, kind)
        if isinstance(subject, URIRef) and subject.startswith(str(KGO))
    }


def code_terms() -> set[URIRef]:
    return {KGO[name] for name in KGO.__annotations__}


def test_every_code_term_is_declared_in_the_ontology(ontology: Graph) -> None:
    assert code_terms() - declared_terms(ontology) == set()


def test_every_ontology_term_is_in_the_code(ontology: Graph) -> None:
    assert declared_terms(ontology) - code_terms() == set()


def test_every_term_has_english_and_chinese_labels_and_a_comment(ontology: Graph) -> None:
    for term in declared_terms(ontology):
        labels = ontology.objects(term, RDFS.label)
        languages = {label.language for label in labels if isinstance(label, Literal)}
        assert {"en", "zh"} <= languages, term
        assert ontology.value(term, RDFS.comment) is not None, term


def test_undeclared_terms_fail() -> None:
    with pytest.raises(AttributeError):
        _ = KGO.notATerm


def test_shapes_only_use_declared_terms(ontology: Graph) -> None:
    shapes = Graph().parse(SHAPES_PATH, format="turtle")
    used = {
        node
        for triple in shapes
        for node in triple
        if isinstance(node, URIRef) and node.startswith(str(KGO))
    }
    assert used - declared_terms(ontology) == set()


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("“235”现代化产业体系", "235-xian-dai-hua-chan-ye-ti-xi"),
        ("六个致力", "liu-ge-zhi-li"),
        ("“六个致力”", "liu-ge-zhi-li"),
        ("“三所一庭+N”工作机制", "san-suo-yi-ting-n-gong-zuo-ji-zhi"),
        ("企业开办“２１０”标准", "qi-ye-kai-ban-210-biao-zhun"),
        ("绿色发展", "lv-se-fa-zhan"),
    ],
)
def test_term_id_is_readable_pinyin(label: str, expected: str) -> None:
    assert term_id(label) == expected


@pytest.mark.parametrize(
    "variant", ["六个致力", "“六个致力”", '"六个致力"', "「六个致力」", " 六个 致力 ", "六个致力\n"]
)
def test_normalize_label_folds_quotes_width_and_spaces(variant: str) -> None:
    assert normalize_label(variant) == "六个致力"


def test_normalize_label_keeps_inner_quotes() -> None:
    assert normalize_label("“三库”“两算”“三评”") == "“三库”“两算”“三评”"
    assert normalize_label('"三库""两算"') == "“三库”“两算”"
    assert normalize_label("燃气“三件套”") == "燃气“三件套”"


def test_term_id_of_unspellable_label_is_a_hash() -> None:
    assert term_id("“”") == f"term-{label_hash('')}"


def test_homophones_get_distinct_ids_only_when_they_collide() -> None:
    labels = ["“三库”“两算”“三评”", "三库两算三评", "六个致力", "“六个致力”"]
    ids = assign_term_ids(labels)
    assert ids == assign_term_ids(reversed(labels))
    assert ids["六个致力"] == "liu-ge-zhi-li"
    first, second = ids["“三库”“两算”“三评”"], ids["三库两算三评"]
    assert first != second
    assert first.startswith("san-ku-liang-suan-san-ping-")
    assert len(ids) == 3


def test_district_and_body_ids() -> None:
    assert district_id("江汉区") == "jianghan"
    assert district_id("武昌区") == "wuchang"
    assert district_id("武汉市") == "wuhan"
    assert body_id("江汉区人民政府") == "jiang-han-qu-ren-min-zheng-fu"


def test_report_id_from_metadata() -> None:
    metadata = ReportMetadata(
        kind="政府工作报告", district="江汉区", delivered_on=date(2024, 12, 29), year_reviewed=2024
    )
    assert report_id(metadata, "x.txt") == "jianghan-2024-gov-work-report"
    undated = ReportMetadata(kind="计划报告", district="江汉区", year_reviewed=2024)
    assert report_id(undated, "x.txt") == "jianghan-2024-plan-report"


def test_report_id_falls_back_to_the_file_name() -> None:
    source = "data/reports/jianghan-2024-plan-execution-and-2025-plan-report.md"
    assert (
        report_id(ReportMetadata(), source) == "jianghan-2024-plan-execution-and-2025-plan-report"
    )
    assert report_id(ReportMetadata(), "C:\\docs\\江汉 报告.PDF") == "jiang-han-bao-gao"


def test_instance_iris_are_under_base_and_url_safe() -> None:
    assert term_iri("liu-ge-zhi-li") == URIRef(BASE + "term/liu-ge-zhi-li")
    assert entry_iri("jianghan-2024-gov-work-report", 3) == URIRef(
        BASE + "entry/jianghan-2024-gov-work-report/3"
    )
    assert report_iri("a b/c") == URIRef(BASE + "report/a%20b%2Fc")
