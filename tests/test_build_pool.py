"""The build's pool and per-report cache: the same bytes however the reports were read."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kg.build import build_corpus
from kg.report_cache import EXTRACTION_MODULES, ReportCache

ROOT = Path(__file__).resolve().parent.parent
KG = [sys.executable, "-m", "kg.cli"]


def _generate(out: Path, count: int, seed: int = 3) -> Path:
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "make_corpus.py"),
            str(count),
            "--seed",
            str(seed),
            "--out",
            str(out),
        ],
        check=True,
        capture_output=True,
    )
    return out


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Four generated reports, and a fifth kept aside (``extra/``) to add later."""
    folder = _generate(tmp_path_factory.mktemp("generated"), 5)
    reports = sorted(folder.glob("0*"))
    extra = folder / "extra"
    extra.mkdir()
    reports[-1].rename(extra / reports[-1].name)
    return folder


def build(*args: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [*KG, "build", *args], capture_output=True, text=True, timeout=600, check=False
    )
    assert result.returncode == 0, result.stderr
    return result


def test_one_and_two_jobs_write_the_same_bytes(corpus: Path, tmp_path: Path) -> None:
    one, two = tmp_path / "one.nt", tmp_path / "two.nt"
    build(str(corpus), "--jobs", "1", "--no-cache", "--out", str(one))
    build(str(corpus), "--jobs", "2", "--no-cache", "--out", str(two))
    assert one.read_bytes() == two.read_bytes()
    assert len(one.read_bytes().splitlines()) > 4000


def test_cache_reuses_reports_and_reads_only_what_changed(corpus: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    fresh = tmp_path / "fresh.nt"
    build(str(corpus), "--no-cache", "--out", str(fresh))

    first = build(str(corpus), "--cache-dir", str(cache), "--out", str(tmp_path / "a.nt"))
    assert "4 reports: 4 read, 0 reused" in first.stdout
    again = build(str(corpus), "--cache-dir", str(cache), "--out", str(tmp_path / "b.nt"))
    assert "4 reports: 0 read, 4 reused" in again.stdout
    assert (tmp_path / "b.nt").read_bytes() == fresh.read_bytes()

    added = build(
        str(corpus),
        str(corpus / "extra"),
        "--cache-dir",
        str(cache),
        "--out",
        str(tmp_path / "c.nt"),
    )
    assert "5 reports: 1 read, 4 reused" in added.stdout
    whole = tmp_path / "whole.nt"
    build(str(corpus), str(corpus / "extra"), "--no-cache", "--out", str(whole))
    assert (tmp_path / "c.nt").read_bytes() == whole.read_bytes()


def test_a_corrupt_or_foreign_cache_entry_is_read_again(corpus: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    fresh = tmp_path / "fresh.nt"
    build(str(corpus), "--no-cache", "--out", str(fresh))
    build(str(corpus), "--cache-dir", str(cache), "--out", str(tmp_path / "a.nt"))
    entries = sorted((cache / "reports").glob("*.pickle"))
    assert len(entries) == 4
    entries[0].write_bytes(entries[0].read_bytes()[:50])  # truncated
    entries[1].write_bytes(b"not a pickle at all")
    entries[2].write_bytes(entries[3].read_bytes())  # another report's entry under this key
    result = build(str(corpus), "--cache-dir", str(cache), "--out", str(tmp_path / "b.nt"))
    assert "4 reports: 3 read, 1 reused" in result.stdout
    assert (tmp_path / "b.nt").read_bytes() == fresh.read_bytes()
    result = build(str(corpus), "--cache-dir", str(cache), "--out", str(tmp_path / "c.nt"))
    assert "4 reports: 0 read, 4 reused" in result.stdout  # the bad entries were rewritten


def test_an_edited_report_is_read_again(corpus: Path, tmp_path: Path) -> None:
    folder = tmp_path / "copy"
    folder.mkdir()
    for report in sorted(corpus.glob("0*")):
        (folder / report.name).write_bytes(report.read_bytes())
    cache = tmp_path / "cache"
    build_corpus([folder], tmp_path / "a.nt", cache_dir=cache)
    edited = sorted(folder.iterdir())[0]
    edited.write_text(edited.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    rebuilt = build_corpus([folder], tmp_path / "b.nt", cache_dir=cache, jobs=2)
    assert (len(rebuilt.reports), rebuilt.reused) == (4, 3)


def test_cache_misses_when_the_extraction_code_changes(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = str(sorted(corpus.glob("0*"))[0])
    build_corpus([report], tmp_path / "a.nt", cache_dir=tmp_path / "c")
    cache = ReportCache(tmp_path / "c" / "reports")
    assert cache.get(report) is not None
    monkeypatch.setattr("kg.report_cache.extraction_version", lambda: "another version")
    assert cache.get(report) is None


def test_the_extraction_version_covers_everything_reading_imports() -> None:
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, kg.pipeline; print(' '.join(m for m in sys.modules if m.startswith('kg.')))",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    covered = {name.removesuffix(".py") for name in EXTRACTION_MODULES}
    assert loaded
    assert {module.split(".")[1] for module in loaded} <= covered
