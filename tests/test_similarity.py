"""The candidate index finds every pair the all-pairs comparison finds, and the same links."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pytest

from kg.corpus import corpus_paths
from kg.link import references
from kg.link.matching import view_form
from kg.link.references import CrossReference
from kg.link.revisions import TermDefinition, term_definitions
from kg.link.similarity import CosineIndex, bigram_cosine, bigrams
from kg.pipeline import read_reports

ROOT = Path(__file__).resolve().parent.parent


def all_pairs_same_idea(definitions: list[TermDefinition]) -> list[CrossReference]:
    """The reference: every pair of terms of different districts compared (the old code)."""
    latest: dict[str, TermDefinition] = {}
    districts: dict[str, set[str]] = {}
    for definition in definitions:
        latest[definition.key] = definition
        districts.setdefault(definition.key, set()).add(definition.district)
    keys = sorted(latest)
    found = []
    for i, first in enumerate(keys):
        for second in keys[i + 1 :]:
            if districts[first] & districts[second]:
                continue
            a, b = latest[first], latest[second]
            similarity = bigram_cosine(a.text, b.text)
            nested = view_form(first) in view_form(second) or view_form(second) in view_form(first)
            if similarity >= 0.5 or (similarity >= 0.3 and nested):
                older, newer = (a, b) if (a.position, a.key) <= (b.position, b.key) else (b, a)
                found.append(
                    CrossReference(
                        "same-idea",
                        newer.key,
                        f"{older.key}：{older.text[:60]} ≈ {newer.key}：{newer.text[:60]}",
                        round(similarity, 2),
                        to_key=older.key,
                        report_id=newer.report_id,
                    )
                )
    return found


@pytest.mark.parametrize("threshold", [0.1, 0.3, 0.5, 0.8])
def test_index_proposes_every_pair_at_or_above_the_threshold(threshold: float) -> None:
    rng = random.Random(threshold)
    alphabet = "发展改革创新建设城市乡村产业服务民生安全绿色开放协调共享"
    texts = [
        "".join(
            rng.choice(alphabet[: rng.randint(4, len(alphabet))]) for _ in range(rng.randint(0, 60))
        )
        for _ in range(300)
    ]
    profiles = [bigrams(text) for text in texts]
    proposed = set(CosineIndex(profiles, threshold).pairs())
    alike = {
        (i, j)
        for j in range(len(profiles))
        for i in range(j)
        if profiles[i].cosine(profiles[j]) >= threshold
    }
    assert alike  # the case has pairs to find
    assert alike <= proposed
    assert len(proposed) < len(profiles) * (len(profiles) - 1) // 2  # and it prunes


def test_profile_cosine_is_the_text_cosine() -> None:
    first, second = "推动“两新”加力扩围", "两新工作加力扩围见效"
    assert bigrams(first).cosine(bigrams(second)) == bigram_cosine(first, second) > 0


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> list[TermDefinition]:
    out = tmp_path_factory.mktemp("generated")
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "make_corpus.py"),
            "40",
            "--seed",
            "5",
            "--out",
            str(out),
        ],
        check=True,
        capture_output=True,
    )
    return term_definitions(read_reports(corpus_paths([out])))


def test_same_idea_links_equal_the_all_pairs_computation(generated: list[TermDefinition]) -> None:
    expected = all_pairs_same_idea(generated)
    found = list(references._same_idea(generated, references._Profiles()))
    assert len(expected) > 3
    assert sorted(found, key=repr) == sorted(expected, key=repr)
