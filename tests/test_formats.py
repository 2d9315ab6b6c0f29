"""The same glossary comes out of every format a user may hold: PDF, DOCX, HTML, GB18030."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from documents import write_docx, write_gb18030, write_html, write_pdf, write_utf16

from kg.corpus import BUNDLED_CORPUS
from kg.model import Report
from kg.pipeline import read_report

SOURCES = (
    "jianghan-2020-12-29-government-work-report.txt",
    "wuchang-2024-12-27-government-work-report.txt",
)
Writer = Callable[[str, Path], Path]


def printed_lines(name: str) -> str:
    """The document as a converter would lay it out: one printed line per line."""
    text = (BUNDLED_CORPUS / name).read_text(encoding="utf-8")
    return "\n".join(line for line in text.splitlines() if line.strip())


def entries(report: Report) -> list[tuple[int, str, str]]:
    return [(e.n, e.term, e.definition) for e in report.entries]


@pytest.fixture(scope="module")
def expected() -> dict[str, list[tuple[int, str, str]]]:
    return {name: entries(read_report(BUNDLED_CORPUS / name)) for name in SOURCES}


@pytest.mark.parametrize("name", SOURCES)
@pytest.mark.parametrize(
    ("suffix", "write"),
    [
        (".pdf", write_pdf),
        (".docx", write_docx),
        (".html", write_html),
        (".txt", write_gb18030),
        (".md", write_utf16),
    ],
)
def test_same_entries_from_every_format(
    tmp_path: Path,
    expected: dict[str, list[tuple[int, str, str]]],
    name: str,
    suffix: str,
    write: Writer,
) -> None:
    path = write(printed_lines(name), tmp_path / f"copy{suffix}")
    report = read_report(path)
    assert entries(report) == expected[name]
    assert report.metadata.delivered_on is not None


def test_pdf_entries_cite_their_page(tmp_path: Path) -> None:
    path = write_pdf(printed_lines(SOURCES[1]), tmp_path / "wuchang.pdf")
    report = read_report(path)
    pages = [e.span.page for e in report.entries]
    assert all(page is not None and page > 1 for page in pages)
    assert pages == sorted(pages)
