"""Redefinitions in the bundled corpus: each change as an inline diff, with its similarity."""

from __future__ import annotations

import pytest
from test_mentions import linked_corpus

from kg.link.revisions import find_revisions, inline_diff, term_definitions
from kg.link.similarity import bigram_cosine


def test_redefinition_diff_is_readable() -> None:
    revisions = {r.key: r for r in find_revisions(term_definitions(linked_corpus()[0]))}
    change = revisions["六个致力"].change
    assert change is not None
    assert change.startswith("2021年{+江汉+}区《政府工作报告》提出")
    assert "[-江汉区-]" in change
    assert revisions["“235”现代化产业体系"].change is None


def test_inline_diff_and_similarity() -> None:
    assert inline_diff("八个着力", "八个坚持") == "八个[-着力-]{+坚持+}"
    assert bigram_cosine("稳就业稳金融", "稳就业稳金融") == pytest.approx(1.0)
    assert bigram_cosine("稳就业", "保民生") == 0.0
