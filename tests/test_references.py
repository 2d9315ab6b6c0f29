"""Cross-references in the bundled corpus: citations of terms and reports, evolution, same idea."""

from __future__ import annotations

from rdflib import Literal
from rdflib.namespace import DCTERMS, SKOS
from test_mentions import linked_corpus

from kg.link.references import CrossReference
from kg.vocab import KGO, definition_iri, report_iri, term_iri


def refs(ref_type: str, from_key: str) -> list[CrossReference]:
    return [
        ref
        for ref in linked_corpus()[2].references
        if ref.ref_type == ref_type and ref.from_key == from_key
    ]


def test_definition_names_another_term() -> None:
    (ref,) = [r for r in refs("cites-term", "一核两纵五区") if r.to_key == "一核两纵三区四带"]
    assert "一核两纵三区四带" in ref.quote
    assert ref.report_id == "jianghan-2020-gov-work-report"
    graph = linked_corpus()[1]
    assert (
        term_iri("yi-he-liang-zong-wu-qu"),
        DCTERMS.references,
        term_iri("yi-he-liang-zong-san-qu-si-dai"),
    ) in graph


def test_citation_resolves_to_the_report_delivered_that_year() -> None:
    (ref,) = refs("cites-report", "八个坚持")
    assert ref.to_report is not None and ref.to_report.held
    assert ref.to_report.id == "jianghan-2023-gov-work-report"
    reports = linked_corpus()[0]
    cited = next(report for report in reports if report.id == ref.to_report.id)
    assert str(cited.metadata.delivered_on) == "2023-12-25"
    assert "2023年江汉区《政府工作报告》" in ref.quote


def test_citation_of_a_report_not_held_gets_a_node() -> None:
    (ref,) = {r.to_report: r for r in refs("cites-report", "六个致力")}.values()
    assert ref.to_report is not None and not ref.to_report.held
    assert ref.to_report.id == "jianghan-2021-gov-work-report"
    graph = linked_corpus()[1]
    node = report_iri("jianghan-2021-gov-work-report")
    assert graph.value(node, KGO.held) == Literal(False)
    assert str(graph.value(node, KGO.deliveredYear)) == "2021"
    citing = definition_iri("jianghan-2024-gov-work-report", "liu-ge-zhi-li")
    assert (citing, KGO.citesReport, node) in graph


def evolved(ref_type: str) -> set[tuple[str, str | None]]:
    return {
        (ref.from_key, ref.to_key)
        for ref in linked_corpus()[2].references
        if ref.ref_type == ref_type
    }


def test_each_evolution_rule_finds_its_pair() -> None:
    assert ("一核两纵五区", "一核两纵三区四带") in evolved("evolved-based-on")
    assert ("“三所一庭+N”工作机制", "三所一庭") in evolved("evolved-renamed-tail")
    assert ("八个坚持", "八个着力") in evolved("evolved-changed-head")
    assert ("“三所一庭+N”工作机制", "三所一庭") in evolved("evolved-similar")


def test_evolution_is_a_direct_triple() -> None:
    graph = linked_corpus()[1]
    assert (term_iri("ba-ge-jian-chi"), KGO.evolvedFrom, term_iri("ba-ge-zhuo-li")) in graph


def test_same_idea_across_districts() -> None:
    pairs = evolved("same-idea")
    assert ("五个统筹", "“必须统筹好”的五对重要关系") in pairs or (
        "“必须统筹好”的五对重要关系",
        "五个统筹",
    ) in pairs
    assert not any("五个中心" in pair for pair in pairs)
    graph = linked_corpus()[1]
    wu_ge, bi_xu = term_iri("wu-ge-tong-chou"), None
    matches = set(graph.objects(wu_ge, SKOS.closeMatch)) | set(
        graph.subjects(SKOS.closeMatch, wu_ge)
    )
    bi_xu = next(iter(matches))
    assert "必须统筹好" in str(graph.value(bi_xu, SKOS.prefLabel))


def test_every_reference_has_evidence_and_confidence() -> None:
    for ref in linked_corpus()[2].references:
        assert ref.quote and 0 < ref.confidence <= 1
        assert (ref.to_key is None) != (ref.to_report is None)
