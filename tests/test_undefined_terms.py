"""Which undefined terms are listed, measured against a hand label of every corpus candidate.

``tests/data/undefined_terms.tsv`` labels each candidate that
:func:`kg.link.slogans.discover_slogans` finds in the bundled corpus: is it a
name a reader would look up? The classifier must keep precision of what it
lists at 0.9 or more and list at least 85% of the real names.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from kg.corpus import corpus_paths
from kg.link.listing import Evidence, Use, is_listed
from kg.link.mentions import glossary_terms
from kg.link.slogans import Slogan, discover_slogans
from kg.pipeline import read_reports

LABELS = Path(__file__).parent / "data" / "undefined_terms.tsv"
PRECISION_TARGET = 0.9
RECALL_TARGET = 0.85


@cache
def candidates() -> dict[str, Slogan]:
    reports = read_reports(corpus_paths())
    return {slogan.label: slogan for slogan in discover_slogans(reports, glossary_terms(reports))}


def hand_labels() -> dict[str, bool]:
    lines = [line for line in LABELS.read_text("utf-8").splitlines() if not line.startswith("#")]
    rows = [line.split("\t") for line in lines[1:]]
    assert all(len(row) == 3 and row[1] in ("yes", "no") and row[2] for row in rows)
    return {label: real == "yes" for label, real, _ in rows}


def test_every_candidate_is_labelled_once() -> None:
    labels = hand_labels()
    assert len(labels) == len(LABELS.read_text("utf-8").splitlines()) - 5
    assert set(labels) == set(candidates())


def test_precision_and_recall_meet_the_targets() -> None:
    labels = hand_labels()
    listed = [label for label, slogan in candidates().items() if slogan.listed]
    real_listed = [label for label in listed if labels[label]]
    precision = len(real_listed) / len(listed)
    recall = len(real_listed) / sum(labels.values())
    assert precision >= PRECISION_TARGET, f"precision {precision:.3f}"
    assert recall >= RECALL_TARGET, f"recall {recall:.3f}"


@pytest.mark.parametrize("label", ["放管服", "金牌店小二", "15分钟就业服务圈", "两重", "江汉九条"])
def test_real_names_are_listed(label: str) -> None:
    assert candidates()[label].listed


@pytest.mark.parametrize(
    "label", ["神经", "面子", "里子", "底色", "一件事", "全国民政系统先进集体"]
)
def test_quoted_words_fragments_and_honours_are_kept_but_not_listed(label: str) -> None:
    slogan = candidates()[label]
    assert not slogan.listed
    assert slogan.rule == "quoted-name" and 0 < slogan.confidence <= 1


def test_terms_explained_inside_glossary_entries_point_to_them() -> None:
    found = candidates()
    assert found["两重"].explained_by == "“两重”“两新”"
    assert found["一次办"].explained_by == "四办"
    assert found["网上办"].explained_by == "四办"
    assert found["江汉九条"].explained_by is None


def evidence(label: str, before: str, after: str, **fields: int) -> Evidence:
    return Evidence(label, fields.pop("frequency", 0), 1, [Use(before, after, True)], **fields)


def test_the_rules_generalise_beyond_the_corpus() -> None:
    assert is_listed(evidence("一网通办", "深化", "改革"))
    assert is_listed(evidence("惠企直通车", "推广", "服务"))
    assert not is_listed(evidence("温度", "让城市更有", "。", frequency=3000))
    assert not is_listed(evidence("全国文明城市", "荣获", "称号"))
    assert not is_listed(evidence("菜单式", "推行", "服务"))
    assert not is_listed(evidence("五连增", "实现", "。"))
