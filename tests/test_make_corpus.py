"""The scale corpus generator: deterministic for a seed, and every generated entry is extracted."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kg.corpus import corpus_paths
from kg.pipeline import read_reports
from kg.text import normalize_label

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "make_corpus.py"


def _generate(out: Path, count: int = 5, seed: int = 7) -> dict[str, object]:
    subprocess.run(
        [sys.executable, str(SCRIPT), str(count), "--seed", str(seed), "--out", str(out)],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, object]]:
    out = tmp_path_factory.mktemp("generated")
    return out, _generate(out)


def _files(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def test_same_seed_gives_identical_files(
    corpus: tuple[Path, dict[str, object]], tmp_path: Path
) -> None:
    folder, _ = corpus
    _generate(tmp_path / "again")
    assert _files(tmp_path / "again") == _files(folder)


def test_another_seed_gives_another_corpus(
    corpus: tuple[Path, dict[str, object]], tmp_path: Path
) -> None:
    folder, _ = corpus
    _generate(tmp_path / "other", seed=8)
    assert _files(tmp_path / "other") != _files(folder)


def test_reports_are_the_size_of_real_ones(corpus: tuple[Path, dict[str, object]]) -> None:
    _, manifest = corpus
    reports = manifest["reports"]
    assert isinstance(reports, list) and len(reports) == 5
    glossaries = [len(report["entries"]) for report in reports if report["entries"]]
    assert len(glossaries) == 4  # one report in five has no glossary, as in the bundled corpus
    assert all(15 <= size <= 40 for size in glossaries)


def test_the_pipeline_extracts_every_generated_entry(
    corpus: tuple[Path, dict[str, object]],
) -> None:
    folder, manifest = corpus
    read = {Path(report.source).name: report for report in read_reports(corpus_paths([folder]))}
    reports = manifest["reports"]
    assert isinstance(reports, list)
    assert sorted(read) == sorted(report["file"] for report in reports)
    for record in reports:
        report = read[record["file"]]
        assert [normalize_label(entry.term) for entry in report.entries] == [
            normalize_label(entry["label"]) for entry in record["entries"]
        ]
        assert report.metadata.district == record["district"]
        if record["kind"] == "gov":
            assert report.metadata.delivered_on is not None
            assert report.metadata.delivered_on.year == record["year_delivered"]


def test_kg_build_counts_every_generated_entry(
    corpus: tuple[Path, dict[str, object]], tmp_path: Path
) -> None:
    folder, manifest = corpus
    reports = manifest["reports"]
    assert isinstance(reports, list)
    generated = sum(len(report["entries"]) for report in reports)
    done = subprocess.run(
        [sys.executable, "-m", "kg.cli", "build", str(folder), "--out", str(tmp_path / "g.nt")],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert f"from 5 reports ({generated} glossary entries)" in done.stdout
    assert (tmp_path / "g.nt").stat().st_size > 0
