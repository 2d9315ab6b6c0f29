"""The build keeps going: bad files are named and skipped, stray quotes warned, no entry cap."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import TEST_REPORTS

from kg.cli import EXIT_SKIPPED
from kg.pipeline import read_corpus, read_report

REPORT_2024 = TEST_REPORTS / "jianghan-2024-12-29-government-work-report.txt"


def kg(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kg.cli", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
    )


def glossary_report(entries: int, directory: Path) -> Path:
    """The 2024 test report with a glossary of ``entries`` numbered entries."""
    body = REPORT_2024.read_text(encoding="utf-8").split("附件")[0]
    lines = [f"{n}.术语第{n}号：第{n}个术语的定义，推动高质量发展。" for n in range(1, entries + 1)]
    path = directory / f"glossary-{entries}.txt"
    path.write_text(body + "附件\n\n名词解释\n\n" + "\n\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_bad_file_in_a_folder_is_reported_and_skipped(tmp_path: Path) -> None:
    corpus = tmp_path / "reports"
    shutil.copytree(TEST_REPORTS, corpus)
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "binary.txt").write_bytes(bytes(range(256)) * 4)
    out = tmp_path / "graph.nt"
    result = kg("build", str(corpus), "--out", str(out))
    assert result.returncode == EXIT_SKIPPED, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("kg: error:")]
    assert len(errors) == 2
    assert any("empty.txt" in line for line in errors)
    assert any("binary.txt" in line for line in errors)
    assert "2 reports" in result.stdout and "2 files skipped" in result.stdout
    assert out.is_file()


def test_a_folder_with_nothing_readable_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    result = kg("build", str(tmp_path), "--out", str(tmp_path / "graph.nt"))
    assert result.returncode == 1
    assert result.stderr.strip().startswith("kg: error: no report could be read")
    assert not (tmp_path / "graph.nt").exists()


def test_a_stray_quote_in_a_term_is_a_warning(tmp_path: Path) -> None:
    text = REPORT_2024.read_text(encoding="utf-8").replace("2.一核两翼：", "2.“一核两翼：")
    path = tmp_path / "stray.txt"
    path.write_text(text, encoding="utf-8")
    report = read_report(path)
    assert [entry.term for entry in report.entries] == ["六稳", "“一核两翼"]
    assert report.entries[1].definition.startswith("以中心城区为核")
    assert any("unclosed quote" in str(warning) for warning in report.warnings)
    result = kg("build", str(path), "--out", str(tmp_path / "graph.nt"))
    assert result.returncode == 0, result.stderr


def test_a_ten_thousand_entry_glossary_is_read_whole(tmp_path: Path) -> None:
    report = read_report(glossary_report(10_000, tmp_path))
    numbers = [entry.n for entry in report.entries]
    assert numbers == list(range(1, 10_001))
    assert max(len(entry.definition) for entry in report.entries) < 40
    assert report.entries[-1].term == "术语第10000号"


def test_a_bug_met_on_one_file_skips_only_that_file(tmp_path: Path) -> None:
    directory = tmp_path / "reports"
    directory.mkdir()
    (directory / "folder.txt").mkdir()  # a directory with a report's name
    corpus = read_corpus([str(REPORT_2024), str(directory / "folder.txt")])
    assert len(corpus.reports) == 1
    assert [error.path for error in corpus.skipped] == [str(directory / "folder.txt")]
