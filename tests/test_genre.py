"""Glossaries as the whole genre prints them: one fixture per variant, each read exactly.

The fixtures in ``tests/data/genre/`` are written in the style of real reports
(government work reports, departmental budgets and final accounts, plan
reports, newspaper reprints, mirror sites). ``expected.json`` holds, for each,
the report kind, the heading as printed, every entry as (n, term, definition)
and every warning as (line, message).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from kg.clean import clean_text
from kg.extract.glossary import extract_glossary
from kg.model import SourceText
from kg.pipeline import read_report
from kg.read import read_source
from kg.split import split_sections

GENRE = Path(__file__).parent / "data" / "genre"
EXPECTED: dict[str, dict[str, Any]] = json.loads((GENRE / "expected.json").read_text("utf-8"))

VARIANTS = {
    "annex-numbered-title.txt": "附件2 above 《政府工作报告》名词解释; a page number between pages",
    "part-heading-budget.txt": "部门预算 with 第三部分：专业名词解释, ended by 第四部分 附件",
    "final-accounts-paren.txt": "部门决算 with 三、名词解释 and （一） numbering",
    "heading-glued-to-sentence.txt": "…奋斗！名词解释 on the last line of the body",
    "heading-glued-to-entry.txt": "名词解释1.财政拨款收入：… on one line",
    "traditional.txt": "a whole report in traditional characters, 名詞解釋",
    "pinyin-mirror.txt": "a mirror site's text with pinyin after characters: 報(bào)告",
    "numerals-split.txt": "十 / 一、 split by a line break, and a gap in the numbering",
    "run-together.txt": "entries run together on one line",
    "no-colon.txt": "entries without a colon: 指, 是, a space, the term on its own line",
    "page-numbers-inside.txt": "page numbers -23- and a bare 7 inside definitions",
    "headless-page.txt": "a page that starts inside the list, at entry 7, with no heading",
    "newspaper.txt": "unnumbered explanations, one paragraph per quoted term",
    "definitions-and-terms.txt": "definitions opening with 是, 即, 指; terms with + · () and digits",
    "plan-report.md": "a plan report with the same appendix",
}


def test_every_fixture_has_a_variant_and_an_expectation() -> None:
    files = {path.name for path in GENRE.iterdir() if path.suffix in (".txt", ".md")}
    assert files == set(VARIANTS) == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_fixture_extracts_exactly(name: str) -> None:
    clean = clean_text(read_source(GENRE / name))
    sections = split_sections(clean)
    assert sections.glossary_start is not None, VARIANTS[name]
    entries, warnings = extract_glossary(clean, sections.glossary_start)
    expected = EXPECTED[name]
    assert [[e.n, e.term, e.definition] for e in entries] == expected["entries"]
    assert [[w.line, w.message] for w in warnings] == expected["warnings"]
    assert sections.heading == expected["heading"]


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_fixture_report_kind(name: str) -> None:
    assert read_report(GENRE / name).metadata.kind == EXPECTED[name]["kind"]


def test_body_stops_where_a_glued_heading_starts() -> None:
    report = read_report(GENRE / "heading-glued-to-sentence.txt")
    assert report.body.endswith("为建设现代化强区而不懈奋斗！")
    glued = read_report(GENRE / "heading-glued-to-entry.txt")
    assert glued.body.endswith("本部门负责全省某某事业的管理。")


def test_traditional_text_is_kept_as_printed_and_matched_folded() -> None:
    report = read_report(GENRE / "traditional.txt")
    assert report.metadata.title == "政府工作報告"
    assert report.metadata.congress_session == "某某市第十屆人民代表大會第三次會議"
    assert (report.metadata.speaker, report.metadata.speaker_role) == ("陳志遠", "市長")
    assert "名詞解釋" in report.clean.text
    assert "名词解释" in report.clean.normalized
    assert len(report.clean.normalized) == len(report.clean.text)


def test_injected_pinyin_is_dropped_and_offsets_still_map_back() -> None:
    report = read_report(GENRE / "pinyin-mirror.txt")
    clean = report.clean
    assert "(" not in clean.text and "bào" not in clean.text
    assert len(clean.normalized) == len(clean.text) == len(clean.origin)
    assert list(clean.origin) == sorted(clean.origin)
    first = report.entries[0]
    printed = clean.source.text[first.span.start : first.span.end]
    assert printed.startswith("1.“一網通辦(bàn)”：")


def test_departmental_reports_state_their_year_and_place() -> None:
    budget = read_report(GENRE / "part-heading-budget.txt").metadata
    assert (budget.district, budget.city, budget.year_planned) == ("江汉区", "武汉市", 2024)
    assert budget.year_reviewed is None and budget.delivered_on is None
    accounts = read_report(GENRE / "final-accounts-paren.txt")
    assert (accounts.metadata.year_reviewed, accounts.metadata.year_planned) == (2023, None)
    assert accounts.id == "jianghan-2023-dept-final-accounts"


def sections_of(text: str) -> tuple[str | None, str | None]:
    clean = clean_text(SourceText("t.txt", text, "text/plain"))
    sections = split_sections(clean)
    start = sections.glossary_start
    return sections.heading, None if start is None else clean.text[start:].split("\n")[0]


@pytest.mark.parametrize(
    "heading",
    [
        "主要名词解释",
        "有关名词解释",
        "名词注释",
        "名词解释说明",
        "名詞解釋",
        "【名词解释】",
        "《政府工作报告》名词解释",
        "第三部分：专业名词解释",
        "第三部分 名词解释",
        "四、名词解释",
    ],
)
def test_heading_variants(heading: str) -> None:
    text = f"正文第一段。\n{heading}\n1.六稳：稳就业、稳金融。\n2.四办：马上办。"
    # The cleaner drops the space a converter left between Han characters.
    assert sections_of(text) == (heading.replace(" ", ""), "1.六稳：稳就业、稳金融。")


def test_a_numbered_list_inside_the_body_is_no_glossary() -> None:
    text = (
        "一、工作回顾\n1.经济：增长5%。\n2.民生：就业稳定。\n3.生态：空气改善。\n"
        "二、工作安排\n今年要继续努力。\n我们一定能完成任务。\n让我们团结奋斗。\n各位代表，加油。"
    )
    assert sections_of(text) == (None, None)


def test_two_numbered_entries_are_not_enough_without_a_heading() -> None:
    assert sections_of("正文。\n7.六稳：稳就业。\n8.四办：马上办。") == (None, None)
