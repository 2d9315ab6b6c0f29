"""Glossary entries of the bundled corpus, pinned exactly, plus the parser's edge cases."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.clean import clean_text
from kg.corpus import BUNDLED_CORPUS
from kg.extract.glossary import extract_glossary, normalize_term
from kg.model import Report, SourceText
from kg.pipeline import read_report
from kg.split import split_sections

JH2024 = "jianghan-2024-12-29-government-work-report.txt"
JH2020 = "jianghan-2020-12-29-government-work-report.txt"
JH2023 = "jianghan-2023-12-25-government-work-report.md"
PLAN = "jianghan-2024-plan-execution-and-2025-plan-report.md"
WC2024 = "wuchang-2024-12-27-government-work-report.txt"


@pytest.fixture(scope="module")
def corpus() -> dict[str, Report]:
    return {
        name: read_report(BUNDLED_CORPUS / name) for name in (JH2024, JH2020, JH2023, PLAN, WC2024)
    }


def entry(corpus: dict[str, Report], name: str, n: int) -> tuple[str, str, str]:
    found = [e for e in corpus[name].entries if e.n == n]
    assert len(found) == 1, f"{name} has {len(found)} entries numbered {n}"
    return found[0].term, found[0].term_as_printed, found[0].definition


@pytest.mark.parametrize(
    ("name", "count"), [(JH2024, 22), (JH2020, 28), (JH2023, 35), (PLAN, 0), (WC2024, 18)]
)
def test_entry_counts_and_numbering(corpus: dict[str, Report], name: str, count: int) -> None:
    numbers = [e.n for e in corpus[name].entries]
    assert numbers == list(range(1, count + 1))
    assert not [w for w in corpus[name].warnings if "glossary" in w.message]


def test_jianghan_2024_entries(corpus: dict[str, Report]) -> None:
    assert entry(corpus, JH2024, 1) == (
        "六个致力",
        "六个致力",
        "2021年江汉区《政府工作报告》提出，“十四五”时期重点抓好的六个方面工作，"
        "即致力能级跃升，打造高质量发展新标杆；致力活力激发，打造改革创新新引擎；"
        "致力宜居宜业，打造美丽生态新典范；致力共建共享，打造现代化治理新高地；"
        "致力文化繁荣，打造城市形象新品牌；致力民生幸福，打造共同富裕新样板。",
    )
    assert entry(corpus, JH2024, 13)[:2] == ("“235”现代化产业体系", "“235”现代化产业体系")
    assert entry(corpus, JH2024, 14)[2].endswith(
        "集聚100家专精特新中小企业，1000家科技型中小企业，10000名科技创新型人才。"
    )
    assert entry(corpus, JH2024, 12)[0] == "“三库”“两算”“三评”"
    last = entry(corpus, JH2024, 22)
    assert last[0] == "“三所一庭+N”工作机制"
    assert last[2].endswith("争取“一揽子”化解更多纠纷。")
    assert "印发" not in last[2]


def test_jianghan_2020_entries_across_page_breaks(corpus: dict[str, Report]) -> None:
    assert entry(corpus, JH2020, 1) == (
        "六稳",
        "六稳",
        "稳就业、稳金融、稳外贸、稳外资、稳投资、稳预期",
    )
    # Entry 5 runs over a page break ("有编" / "制").
    assert entry(corpus, JH2020, 5)[2] == "有机构、有编制、有人员、有经费、有保障。"
    assert entry(corpus, JH2020, 11)[:2] == ("“六清”行动", "“六清”行动")
    assert entry(corpus, JH2020, 24)[0] == "一场三馆"
    assert entry(corpus, JH2020, 26) == (
        "1+1+X 社区社会工作室",
        "1+1+X 社区社会工作室",
        "每个社区社会工作室配备1名专业社区工作者、1名专业社会工作者、若干名社区社会组织骨干。",
    )
    assert entry(corpus, JH2020, 27)[2] == (
        "我区的一支群防群治力量。人员从网格员、安保队员、志愿者、退休党员、热心群众等"
        "社会各界力量中挑选组成，承担平安宣传员、信息收集员、治安服务员、矛盾调解员职责。"
    )
    last = entry(corpus, JH2020, 28)[2]
    assert last.endswith("群众工作能力、抓落实能力。")
    assert "抄送" not in last


def test_jianghan_2023_markdown_entries(corpus: dict[str, Report]) -> None:
    assert entry(corpus, JH2023, 3)[0] == "“235”现代化产业体系"
    # Entry 4 crosses a page break and had its term in bold.
    assert entry(corpus, JH2023, 4) == (
        "宜商江汉",
        "宜商江汉",
        "江汉区对照国家营商环境评价以及世界银行宜商环境评价指标体系，提出打造“宜商江汉”品牌，"
        "对标各指标领域国内先进城市经验做法，提出二十四项创新举措。",
    )
    assert entry(corpus, JH2023, 14)[:2] == ("燃气“三件套”", "燃气“三件套”")
    assert entry(corpus, JH2023, 16)[0] == "社区康复直通车"
    assert entry(corpus, JH2023, 27)[2].endswith("打造优质法律服务生态圈。")
    assert entry(corpus, JH2023, 28)[2] == (
        "全称为 Multi-Channel Network，指网红孵化中心，是专业培养和扶持网红达人的经纪公司或者机构。"
    )
    assert entry(corpus, JH2023, 31) == ("四首经济", "四首经济", "首店、首发、首秀、首展。")
    assert "印发" not in entry(corpus, JH2023, 35)[2]


def test_wuchang_entries(corpus: dict[str, Report]) -> None:
    assert entry(corpus, WC2024, 1) == (
        "中碳登",
        "“中碳登”",
        "全国碳排放权注册登记结算系统，自开市以来碳市场配额累计成交6.2亿吨。",
    )
    assert entry(corpus, WC2024, 10)[0] == "“必须统筹好”的五对重要关系"
    assert entry(corpus, WC2024, 15)[0] == "“两重”“两新”"
    assert entry(corpus, WC2024, 18)[0] == "安全生产“两个清单”和“四方责任”"


def test_plan_report_has_no_glossary(corpus: dict[str, Report]) -> None:
    assert corpus[PLAN].entries == []
    assert corpus[PLAN].body_end == len(corpus[PLAN].clean.text)


def test_entries_cite_their_source(corpus: dict[str, Report]) -> None:
    report = corpus[JH2020]
    first = report.entries[0]
    source = report.clean.source.text
    assert source[first.span.start : first.span.end].startswith("1.六稳")
    assert first.span.page == 22


def test_definitions_have_no_debris(corpus: dict[str, Report]) -> None:
    for report in corpus.values():
        for e in report.entries:
            assert "\n" not in e.definition
            assert "**" not in e.definition and "**" not in e.term
            assert not any(marker in e.definition for marker in ("- 2", "— 2", "印发", "抄送"))


def glossary_of(text: str) -> tuple[list[tuple[int, str, str]], list[str]]:
    clean = clean_text(SourceText("test.txt", text, "text/plain"))
    sections = split_sections(clean)
    assert sections.glossary_start is not None
    entries, warnings = extract_glossary(clean, sections.glossary_start)
    return [(e.n, e.term, e.definition) for e in entries], [str(w) for w in warnings]


@pytest.mark.parametrize(
    "text",
    [
        "名词解释\n1、六稳：稳就业、稳金融。\n2、四办：马上办、网上办。",
        "名词注释\n（1）六稳:稳就业、稳金融。\n（2）四办:马上办、网上办。",
        "附件\n名词解释\n一、六稳：稳就业、稳金融。\n二、四办：马上办、网上办。",
        "本报告有关名词解释\n① 「六稳」：稳就业、稳金融。\n② 「四办」：马上办、网上办。",
        "附件：名词解释\n【1】六稳：稳就业、稳金融。\n【2】四办：马上办、网上办。",
        "注释：\n1 六稳：稳就业、稳金融。\n2 四办：马上办、网上办。",
        "名词解释（按出现先后排序）\n1．六稳：稳就业、\n稳金融。\n2．四办：马上办、网上办。",
    ],
)
def test_numbering_and_punctuation_variants(text: str) -> None:
    entries, warnings = glossary_of(text)
    assert entries == [(1, "六稳", "稳就业、稳金融。"), (2, "四办", "马上办、网上办。")]
    assert warnings == []


def test_definition_containing_numbers_and_colons() -> None:
    text = "名词解释\n1.三项制度：包括：\n（1）房屋体检；\n（2）养老。\n2.四办：马上办。"
    entries, _ = glossary_of(text)
    assert entries == [(1, "三项制度", "包括：（1）房屋体检；（2）养老。"), (2, "四办", "马上办。")]


def test_gaps_and_missing_separator_are_warned_with_their_line() -> None:
    entries, warnings = glossary_of(
        "名词解释\n1.六稳：稳就业。\n3.四办：马上办。\n4.没有冒号的条目"
    )
    assert [n for n, _, _ in entries] == [1, 3, 4]
    assert any("jumps from 1 to 3" in w and "test.txt:3" in w for w in warnings)
    assert any("entry 4 has no term separator" in w for w in warnings)


def test_unparseable_appendix_is_warned() -> None:
    _, warnings = glossary_of("正文。\n名词解释\n这里没有编号的条目。")
    assert any("no numbered entry" in w for w in warnings)


@pytest.mark.parametrize(
    ("printed", "term"),
    [
        ("“中碳登”", "中碳登"),
        ('"六稳"', "六稳"),
        ("「昌七条」", "昌七条"),
        ("“两重”“两新”", "“两重”“两新”"),
    ],
)
def test_normalize_term(printed: str, term: str) -> None:
    assert normalize_term(printed) == term


def test_read_report_from_a_path_keeps_it_as_given(tmp_path: Path) -> None:
    path = tmp_path / "r.txt"
    path.write_text("名词解释\n1.六稳：稳就业。", encoding="utf-8")
    assert read_report(path).source == str(path)
