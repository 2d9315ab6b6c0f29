"""Real documents made from plain text, for tests of every step that reads files.

Each writer takes the text and a target path and returns the path, so a test can
say ``read_source(write_pdf(text, tmp_path / "r.pdf"))``. The PDF writer needs a
CJK font from Debian (``make system-deps`` installs it).
"""

from __future__ import annotations

import html
import logging
from pathlib import Path

import docx
from fpdf import FPDF

__all__ = [
    "CJK_FONT",
    "write_docx",
    "write_gb18030",
    "write_html",
    "write_image_pdf",
    "write_pdf",
    "write_utf16",
]

CJK_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")

_FONT_SIZE = 12
_LINE_HEIGHT = 6.0


def _cjk_pdf() -> FPDF:
    if not CJK_FONT.is_file():
        raise RuntimeError(f"CJK font {CJK_FONT} is missing; run `make system-deps` to install it")
    # fontTools notes every table it cannot subset; the font's bitmap tables are not needed.
    logging.getLogger("fontTools.subset").setLevel(logging.ERROR)
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    # The .ttc holds several faces; face 0 is WenQuanYi Zen Hei.
    pdf.add_font("zenhei", fname=str(CJK_FONT), collection_font_number=0)
    pdf.set_font("zenhei", size=_FONT_SIZE)
    return pdf


def write_pdf(text: str, path: Path, *, lines_per_page: int = 40) -> Path:
    """A text PDF: one printed line per input line, long lines wrapped, a new page
    every ``lines_per_page`` input lines (and wherever a page fills up)."""
    pdf = _cjk_pdf()
    for number, line in enumerate(text.splitlines()):
        if number % lines_per_page == 0:
            pdf.add_page()
        if line.strip():
            pdf.multi_cell(0, _LINE_HEIGHT, line, new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.ln(_LINE_HEIGHT)
    if pdf.page == 0:
        pdf.add_page()
    pdf.output(str(path))
    return path


def write_image_pdf(path: Path) -> Path:
    """A PDF whose only page holds drawing and no text, as a scan would."""
    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.set_fill_color(40, 40, 40)
    for row in range(20):
        pdf.rect(20, 20 + row * 12, 170, 4, style="F")
    pdf.output(str(path))
    return path


def write_docx(text: str, path: Path) -> Path:
    """A Word document with one paragraph per non-empty line."""
    document = docx.Document()
    for line in text.splitlines():
        if line.strip():
            document.add_paragraph(line)
    document.save(str(path))
    return path


def write_html(text: str, path: Path) -> Path:
    """A UTF-8 web page with one ``<p>`` per non-empty line, text escaped."""
    paragraphs = "\n".join(
        f"<p>{html.escape(line)}</p>" for line in text.splitlines() if line.strip()
    )
    page = (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        f"<title>文档</title>\n</head>\n<body>\n{paragraphs}\n</body>\n</html>\n"
    )
    path.write_bytes(page.encode("utf-8"))
    return path


def write_gb18030(text: str, path: Path) -> Path:
    """The text encoded as GB18030, as Windows editors in China save it."""
    path.write_bytes(text.encode("gb18030"))
    return path


def write_utf16(text: str, path: Path) -> Path:
    """The text as UTF-16 little-endian with a byte-order mark."""
    path.write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
    return path
