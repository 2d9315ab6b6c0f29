"""Mentions of known terms in the bundled corpus: quoting, numbers, homonyms, offsets."""

from __future__ import annotations

from functools import lru_cache

from rdflib import Graph

from kg.corpus import corpus_paths
from kg.graph import build_graph
from kg.link.matching import KnownTerm
from kg.link.mentions import Annotator, Mention
from kg.link.rdf import Links, add_links, link_reports
from kg.model import Report
from kg.pipeline import read_reports
from kg.text import normalize_label


@lru_cache(maxsize=1)
def linked_corpus() -> tuple[list[Report], Graph, Links]:
    """The bundled corpus, its linked graph and its links: built once per test session."""
    reports = read_reports(corpus_paths())
    links = link_reports(reports)
    graph = build_graph(reports, links.term_ids)
    add_links(graph, reports, links)
    return reports, graph, links


def report_year(report_id: str) -> int:
    reports, _, _ = linked_corpus()
    meta = next(report for report in reports if report.id == report_id).metadata
    if meta.delivered_on is not None:
        return meta.delivered_on.year
    assert meta.year_reviewed is not None
    return meta.year_reviewed


def mentions_of(label: str) -> list[Mention]:
    _, _, links = linked_corpus()
    key = normalize_label(label)
    return [mention for mention in links.mentions if mention.key == key]


def test_mention_years_are_pinned() -> None:
    expected = {
        "六个致力": [2023, 2024, 2024],
        "八个坚持": [2024],
        "八个着力": [2023],
        "“235”现代化产业体系": [2023, 2023, 2024, 2024],
        "三所一庭": [2023],
        "“三所一庭+N”工作机制": [2024],
        "五个统筹": [2024],
    }
    for label, years in expected.items():
        assert sorted(report_year(m.report_id) for m in mentions_of(label)) == years, label


def test_a_number_is_not_a_mention() -> None:
    reports, _, _ = linked_corpus()
    wuchang = next(report for report in reports if report.id.startswith("wuchang"))
    at = wuchang.body.index("技术合同成交额235亿元")
    assert all(m.report_id != wuchang.id for m in mentions_of("“235”现代化产业体系"))
    assert not any(
        m.start <= at + 8 < m.end for m in linked_corpus()[2].mentions if m.report_id == wuchang.id
    )


def test_quoted_and_unquoted_forms_match() -> None:
    forms = {m.form for m in mentions_of("燃气“三件套”")}
    assert forms == {"燃气“三件套”", "燃气三件套"}
    assert {m.form for m in mentions_of("“三库”“两算”“三评”")} == {"“三库”“两算”“三评”"}


def test_homonyms_follow_the_district_that_defines_them() -> None:
    wuchang = mentions_of("三件套")
    assert [m.form for m in wuchang] == ["“三件套”"]
    assert all(m.report_id.startswith("wuchang") for m in wuchang)
    assert all(m.report_id.startswith("jianghan") for m in mentions_of("燃气“三件套”"))


def test_a_term_defined_elsewhere_is_mentioned_across_districts() -> None:
    reports = {m.report_id for m in mentions_of("“两重”“两新”")}
    assert reports == {
        "wuchang-2024-gov-work-report",
        "jianghan-2024-gov-work-report",
        "jianghan-2024-plan-report",
    }
    nested = [m for m in mentions_of("两重") if m.nested]
    assert len(nested) == 3


def test_mentions_carry_evidence() -> None:
    reports, _, _ = linked_corpus()
    by_id = {report.id: report for report in reports}
    for mention in linked_corpus()[2].mentions:
        report = by_id[mention.report_id]
        assert mention.end <= report.body_end
        assert report.clean.text[mention.start : mention.end] == mention.form
        assert mention.form.strip("“”") in mention.sentence or mention.nested
        assert mention.span == report.clean.span(mention.start, mention.end)
    pages = {m.span.page for m in mentions_of("一核两纵五区")}
    assert pages == {13}


def test_annotator_agrees_with_mentions_on_a_small_text() -> None:
    term = KnownTerm("“235”现代化产业体系", "“235”现代化产业体系", frozenset({"江汉区"}))
    annotator = Annotator([term])
    text = "成交额235亿元；构建“235”现代化产业体系；围绕“235”发展。"
    found = [(a.text, a.start) for a in annotator.annotate(text)]
    assert found == [("“235”现代化产业体系", text.index("“")), ("“235”", text.rindex("“"))]
