"""The ``kg`` command as a user runs it: a real process, its stdout, stderr and exit status."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from kg.corpus import BUNDLED_CORPUS

KG = [sys.executable, "-m", "kg.cli"]
JH2024 = BUNDLED_CORPUS / "jianghan-2024-12-29-government-work-report.txt"
PLAN = BUNDLED_CORPUS / "jianghan-2024-plan-execution-and-2025-plan-report.md"


def run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*KG, *args], capture_output=True, text=True, timeout=timeout, check=False
    )


def test_extract_prints_json_lines() -> None:
    relative = os.path.relpath(JH2024)
    result = run("extract", relative, str(PLAN))
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    documents = [r for r in records if r["type"] == "document"]
    assert [d["source"] for d in documents] == [relative, str(PLAN)]
    assert documents[0]["doc_number"] == "江政〔2025〕1号"
    assert documents[0]["delivered_on"] == "2024-12-29"
    assert documents[0]["issued_on"] == "2025-01-20"
    assert documents[1]["delivered_on"] is None
    entries = [r for r in records if r["type"] == "entry"]
    assert len(entries) == 22
    assert all(e["source"] == relative for e in entries)
    first = entries[0]
    assert (first["n"], first["term"]) == (1, "六个致力")
    assert first["components"][0] == "致力能级跃升"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20, "binary"),
    ],
)
def test_bad_input_gives_one_line_and_keeps_the_good(
    tmp_path: Path, content: bytes, reason: str
) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    result = run("extract", str(bad), str(PLAN))
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("kg: error:")]
    assert len(errors) == 1 and str(bad) in errors[0] and reason in errors[0]
    assert "Traceback" not in result.stderr
    assert json.loads(result.stdout.splitlines()[0])["source"] == str(PLAN)


def test_truncated_pdf_is_an_error(tmp_path: Path) -> None:
    bad = tmp_path / "cut.pdf"
    bad.write_bytes(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog")
    result = run("extract", str(bad))
    assert result.returncode == 1
    assert result.stderr.startswith("kg: error:") and "Traceback" not in result.stderr


def test_enormous_file_is_refused(tmp_path: Path) -> None:
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as handle:
        handle.truncate(100 * 1024 * 1024)
    result = run("extract", str(huge))
    assert result.returncode == 1
    assert "limit" in result.stderr and "Traceback" not in result.stderr


def test_build_twice_gives_isomorphic_graphs(tmp_path: Path) -> None:
    first, second = tmp_path / "a.ttl", tmp_path / "b.nt"
    assert run("build", "--out", str(first)).returncode == 0
    result = run("build", str(BUNDLED_CORPUS), "--out", str(second))
    assert result.returncode == 0, result.stderr
    assert "from 5 reports" in result.stdout
    one = Graph().parse(first)
    two = Graph().parse(second)
    assert len(one) > 1000
    assert isomorphic(one, two)


def test_build_refuses_an_unknown_format(tmp_path: Path) -> None:
    result = run("build", str(PLAN), "--out", str(tmp_path / "g.xyz"))
    assert result.returncode == 1
    assert result.stderr.startswith("kg: error:") and "Traceback" not in result.stderr


def test_lookup_prints_one_definition_per_report() -> None:
    result = run("lookup", "“六个致力”")
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("即致力能级跃升") == 2
    assert result.stdout.index("2023-12-25") < result.stdout.index("2024-12-29")


def test_lookup_of_an_unknown_term_suggests() -> None:
    result = run("lookup", "致力")
    assert result.returncode == 1
    assert "did you mean" in result.stderr and "六个致力" in result.stderr


def test_help_explains_itself() -> None:
    result = run("--help")
    assert result.returncode == 0
    for command in ("extract", "build", "lookup", "serve"):
        assert command in result.stdout
