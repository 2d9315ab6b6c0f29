"""Inline slogan discovery on the bundled corpus: what it finds, and what it filters out."""

from __future__ import annotations

import pytest
from test_mentions import linked_corpus

from kg.link.slogans import Slogan, slogan_confidence


def slogans() -> dict[str, Slogan]:
    return {slogan.key: slogan for slogan in linked_corpus()[2].slogans}


@pytest.mark.parametrize("label", ["江汉九条", "两重", "两新", "五育", "一老一小", "一企一策"])
def test_undefined_slogans_are_found(label: str) -> None:
    assert label in slogans()


def test_two_zhong_two_xin_are_found_in_the_plan_report_as_parts() -> None:
    for label in ("两重", "两新"):
        slogan = slogans()[label]
        assert "jianghan-2024-plan-report" in slogan.report_ids
        assert slogan.part_of == "“两重”“两新”"


@pytest.mark.parametrize(
    "label",
    ["十四五", "十五五", "七五", "用", "化积案、解民忧、促和谐", "三个月", "一批", "六个致力"],
)
def test_non_slogans_and_glossary_terms_are_left_out(label: str) -> None:
    assert label not in slogans()


def test_glossary_parts_and_cores_are_not_new_slogans() -> None:
    found = slogans()
    assert "235" not in found and "三件套" not in found and "四首经济" not in found


def test_confidence_follows_the_rules() -> None:
    assert slogan_confidence("五育", "quoted-name", 1) == 0.9
    assert slogan_confidence("江汉九条", "quoted-name", 2) == 0.9
    assert slogan_confidence("颜值", "quoted-name", 1) == 0.4
    assert slogan_confidence("一企一策", "numeral-compound", 1) == 0.5
    assert all(0 <= slogan.confidence <= 1 for slogan in slogans().values())


def test_undefined_slogans_are_mentioned() -> None:
    _, _, links = linked_corpus()
    mentioned = {mention.key for mention in links.mentions}
    assert {"江汉九条", "五育", "两重"} <= mentioned
