"""Tests for kg.read: every format round-trips Chinese text, and every bad input
is refused with an InputError that says why."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import docx
import pytest
from documents import (
    write_docx,
    write_gb18030,
    write_html,
    write_image_pdf,
    write_pdf,
    write_utf16,
)
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from fpdf import FPDF

from kg.errors import InputError
from kg.read import MAX_BYTES, read_source

REPORTS = Path(__file__).resolve().parent.parent / "data" / "reports"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture(scope="module")
def report_lines() -> list[str]:
    """Sixty non-empty lines from the start of a real report, as the PDF text has them."""
    text = (REPORTS / "jianghan-2024-12-29-government-work-report.txt").read_text("utf-8")
    return [line.strip() for line in text.splitlines() if line.strip()][:60]


@pytest.fixture(scope="module")
def report_text(report_lines: list[str]) -> str:
    return "\n".join(report_lines)


def _refused(path: Path, **kwargs: int) -> str:
    with pytest.raises(InputError) as caught:
        read_source(path, **kwargs)
    assert caught.value.path == str(path)
    assert "\n" not in caught.value.reason
    return caught.value.reason


# -- plain text and encodings ---------------------------------------------------------------


def test_utf8_text_is_read_as_is(tmp_path: Path, report_text: str) -> None:
    path = tmp_path / "report.txt"
    path.write_text(report_text, encoding="utf-8")
    source = read_source(path)
    assert source.text == report_text
    assert source.encoding == "utf-8"
    assert source.media_type == "text/plain"
    assert source.page_starts == ()
    assert source.page_at(10) is None


def test_path_is_kept_exactly_as_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a.txt").write_text("六个致力", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert read_source("./a.txt").path == "./a.txt"
    assert read_source(Path("a.txt")).path == "a.txt"


def test_bundled_corpus_reads_as_utf8_with_markdown_type() -> None:
    source = read_source(REPORTS / "jianghan-2023-12-25-government-work-report.md")
    assert source.media_type == "text/markdown"
    assert source.encoding == "utf-8"
    assert "名词解释" in source.text


@pytest.mark.parametrize("name", sorted(p.name for p in REPORTS.glob("*-report.*")))
def test_gb18030_copy_of_a_corpus_file_decodes_like_utf8(tmp_path: Path, name: str) -> None:
    original = (REPORTS / name).read_text("utf-8").replace("\r\n", "\n")
    source = read_source(write_gb18030(original, tmp_path / "gb.txt"))
    assert source.encoding == "gb18030"
    assert source.text == original


def test_short_gbk_snippet_is_read_as_gb18030(tmp_path: Path) -> None:
    path = tmp_path / "short.txt"
    path.write_bytes("一核两纵五区".encode("gbk"))
    source = read_source(path)
    assert source.text == "一核两纵五区"
    assert source.encoding == "gb18030"


def test_utf16_with_bom_decodes_like_utf8(tmp_path: Path, report_text: str) -> None:
    source = read_source(write_utf16(report_text, tmp_path / "u16.txt"))
    assert source.text == report_text
    assert source.encoding == "utf-16-le"


@pytest.mark.parametrize(
    ("encoded", "encoding"),
    [
        ("\ufeff三所一庭".encode("utf-16-be"), "utf-16-be"),
        ("\ufeff三所一庭".encode("utf-32-le"), "utf-32-le"),
        ("\ufeff三所一庭".encode(), "utf-8-sig"),
    ],
)
def test_byte_order_marks_choose_the_encoding(
    tmp_path: Path, encoded: bytes, encoding: str
) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(encoded)
    source = read_source(path)
    assert source.text == "三所一庭"
    assert source.encoding == encoding


def test_crlf_and_cr_become_newlines(tmp_path: Path) -> None:
    path = tmp_path / "crlf.txt"
    path.write_bytes("第一行\r\n第二行\r第三行\n".encode())
    assert read_source(path).text == "第一行\n第二行\n第三行\n"


# -- PDF ----------------------------------------------------------------------------------


def test_pdf_round_trips_chinese_text(tmp_path: Path, report_text: str) -> None:
    source = read_source(write_pdf(report_text, tmp_path / "report.pdf", lines_per_page=20))
    assert source.media_type == "application/pdf"
    assert source.encoding is None
    assert source.text.splitlines() == report_text.splitlines()


def test_pdf_page_starts_find_the_page_of_a_line(tmp_path: Path, report_lines: list[str]) -> None:
    source = read_source(write_pdf("\n".join(report_lines), tmp_path / "r.pdf", lines_per_page=20))
    assert len(source.page_starts) == 3
    assert source.page_starts[0] == 0
    on_page_two = source.text.index(report_lines[25])
    assert source.page_at(on_page_two) == 2
    assert source.page_at(source.text.index(report_lines[19])) == 1
    assert source.page_at(source.text.index(report_lines[20])) == 2
    assert source.page_at(source.text.index(report_lines[40])) == 3


def test_long_pdf_lines_wrap_but_keep_their_text(tmp_path: Path) -> None:
    line = "政府工作报告已经区第十六届人民代表大会第四次会议审议通过，现印发给你们，" * 3
    source = read_source(write_pdf(line, tmp_path / "long.pdf"))
    assert len(source.text.splitlines()) > 1
    assert source.text.replace("\n", "") == line


def test_scanned_pdf_without_text_layer_is_refused(tmp_path: Path) -> None:
    assert "no text layer" in _refused(write_image_pdf(tmp_path / "scan.pdf"))


def test_truncated_pdf_is_refused(tmp_path: Path, report_text: str) -> None:
    whole = write_pdf(report_text, tmp_path / "whole.pdf").read_bytes()
    half = tmp_path / "half.pdf"
    half.write_bytes(whole[: len(whole) // 2])
    assert "pdf" in _refused(half)


def test_text_renamed_pdf_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "fake.pdf"
    path.write_text("这不是PDF文件", encoding="utf-8")
    assert "corrupt or truncated pdf" in _refused(path)


# -- Word .docx ----------------------------------------------------------------------------


def test_docx_round_trips_chinese_text(tmp_path: Path, report_text: str) -> None:
    source = read_source(write_docx(report_text, tmp_path / "report.docx"))
    assert source.media_type == DOCX_TYPE
    assert source.text == report_text
    assert source.page_starts == ()


def test_docx_tables_are_read_in_document_order(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("表格之前")
    table = document.add_table(rows=2, cols=2)
    for row, cells in zip(table.rows, [("名称", "释义"), ("六稳", "稳就业")], strict=True):
        for cell, value in zip(row.cells, cells, strict=True):
            cell.text = value
    document.add_paragraph("表格之后")
    path = tmp_path / "table.docx"
    document.save(str(path))
    assert read_source(path).text == "表格之前\n名称\n释义\n六稳\n稳就业\n表格之后"


def test_docx_page_breaks_start_pages(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("第一页")
    document.add_paragraph("仍在第一页").add_run().add_break(WD_BREAK.PAGE)
    document.add_paragraph("第二页")
    document.add_page_break()
    document.add_paragraph("第三页")
    path = tmp_path / "pages.docx"
    document.save(str(path))
    source = read_source(path)
    assert source.page_at(source.text.index("仍在第一页")) == 1
    assert source.page_at(source.text.index("第二页")) == 2
    assert source.page_at(source.text.index("第三页")) == 3


def test_truncated_docx_is_refused(tmp_path: Path, report_text: str) -> None:
    whole = write_docx(report_text, tmp_path / "whole.docx").read_bytes()
    half = tmp_path / "half.docx"
    half.write_bytes(whole[: len(whole) // 2])
    assert "docx" in _refused(half)


def test_docx_that_unpacks_beyond_the_limit_is_refused(tmp_path: Path) -> None:
    path = write_docx("六稳\n" * 2000, tmp_path / "big.docx")
    assert "limit" in _refused(path, max_bytes=20_000)


# -- web pages ----------------------------------------------------------------------------


def test_html_round_trips_chinese_text(tmp_path: Path, report_text: str) -> None:
    source = read_source(write_html(report_text, tmp_path / "report.html"))
    assert source.media_type == "text/html"
    assert source.encoding == "utf-8"
    assert source.text == report_text


def test_html_drops_scripts_and_keeps_escaped_markup_as_text(tmp_path: Path) -> None:
    path = tmp_path / "page.htm"
    path.write_text(
        "<html><head><title>标题</title><style>p{color:red}</style></head><body>"
        "<script>var secret = '脚本内容';</script><noscript>请启用脚本</noscript>"
        "<p>写 &lt;script&gt; 不是脚本</p><p>“宜商<b>江汉</b>”&amp;汉融通</p></body></html>",
        encoding="utf-8",
    )
    text = read_source(path).text
    assert "脚本内容" not in text
    assert "secret" not in text
    assert "请启用脚本" not in text
    assert "color" not in text
    assert "标题" not in text
    assert text == "写 <script> 不是脚本\n“宜商江汉”&汉融通"


def test_html_block_elements_break_lines_and_inline_ones_do_not(tmp_path: Path) -> None:
    path = tmp_path / "blocks.html"
    path.write_text(
        "<body><h1>名词解释</h1><div>1.<span>六个</span><em>致力</em>：<br>致力于</div>"
        "<table><tr><td>六稳</td><td>稳就业</td></tr></table>"
        "<ul><li>一核</li><li>两纵</li></ul><p>江汉\n区人民政府</p></body>",
        encoding="utf-8",
    )
    assert (
        read_source(path).text
        == "名词解释\n1.六个致力：\n致力于\n六稳\n稳就业\n一核\n两纵\n江汉区人民政府"
    )


def test_html_meta_charset_gb2312_is_read_as_gb18030(tmp_path: Path) -> None:
    page = '<html><head><meta charset="gb2312"></head><body><p>“汉融通”平台</p></body></html>'
    path = tmp_path / "gb.html"
    path.write_bytes(page.encode("gb18030"))
    source = read_source(path)
    assert source.encoding == "gb18030"
    assert source.text == "“汉融通”平台"


def test_html_mislabelled_charset_falls_back_to_detection(tmp_path: Path, report_text: str) -> None:
    page = (
        f'<html><head><meta charset="utf-8"></head><body><p>{report_text[:400]}</p></body></html>'
    )
    path = tmp_path / "wrong.html"
    path.write_bytes(page.encode("gb18030"))
    source = read_source(path)
    assert source.encoding == "gb18030"
    assert "政府工作报告已经区第十六届人民代表大会" in source.text


# -- files without a known suffix -----------------------------------------------------------


def test_unknown_suffix_is_sniffed(tmp_path: Path, report_text: str) -> None:
    pdf = write_pdf(report_text, tmp_path / "a.pdf").rename(tmp_path / "a.bin")
    docx_file = write_docx(report_text, tmp_path / "b.docx").rename(tmp_path / "b.dat")
    html = write_html(report_text, tmp_path / "c.html").rename(tmp_path / "c.page")
    text = tmp_path / "d"
    text.write_text(report_text, encoding="utf-8")
    assert read_source(pdf).media_type == "application/pdf"
    assert read_source(docx_file).media_type == DOCX_TYPE
    assert read_source(html).text == report_text
    assert read_source(html).media_type == "text/html"
    assert read_source(text).media_type == "text/plain"


def test_suffix_is_matched_without_case(tmp_path: Path, report_text: str) -> None:
    path = write_docx(report_text, tmp_path / "REPORT.DOCX")
    assert read_source(path).media_type == DOCX_TYPE


def test_zip_that_is_not_a_docx_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "archive"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "不是文档")
    assert "not a word" in _refused(path)


# -- unreadable input -----------------------------------------------------------------------


def test_missing_file_is_refused(tmp_path: Path) -> None:
    assert _refused(tmp_path / "nowhere.txt") == "no such file"


def test_directory_is_refused(tmp_path: Path) -> None:
    assert "directory" in _refused(tmp_path)


def test_empty_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    assert "empty" in _refused(path)


def test_whitespace_only_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "blank.md"
    path.write_text(" \n\t\r\n\u3000\n", encoding="utf-8")
    assert "whitespace" in _refused(path)


def test_empty_docx_is_refused(tmp_path: Path) -> None:
    assert "no text" in _refused(write_docx("", tmp_path / "empty.docx"))


def test_binary_renamed_txt_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + os.urandom(4096))
    assert "binary" in _refused(path)


def test_random_bytes_without_nul_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "noise.txt"
    path.write_bytes(bytes(byte for byte in os.urandom(8192) if byte))
    assert "binary" in _refused(path)


def test_enormous_file_is_refused_from_its_size(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with open(path, "wb") as file:
        file.truncate(100 * 1024 * 1024)  # sparse: no disk or memory spent
    reason = _refused(path)
    assert "too large" in reason
    assert "limit" in reason
    assert "64.0 MiB" in reason
    assert "100.0 MiB" in reason


def test_size_limit_can_be_lowered(tmp_path: Path) -> None:
    path = tmp_path / "small.txt"
    path.write_text("六稳六保" * 100, encoding="utf-8")
    assert "limit" in _refused(path, max_bytes=100)
    assert read_source(path, max_bytes=MAX_BYTES).text == "六稳六保" * 100


def test_password_protected_pdf_is_refused(tmp_path: Path) -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="secret")
    pdf.set_encryption(owner_password="owner", user_password="reader")
    path = tmp_path / "locked.pdf"
    pdf.output(str(path))
    assert "password" in _refused(path)


def test_docx_rendered_page_breaks_win_over_typed_ones(tmp_path: Path) -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("第一页末")
    run = paragraph.add_run("第二页开头")
    run._r.insert(0, OxmlElement("w:lastRenderedPageBreak"))
    document.add_paragraph("第二页").add_run().add_break(WD_BREAK.PAGE)
    document.add_paragraph("仍在第二页")
    path = tmp_path / "rendered.docx"
    document.save(str(path))
    source = read_source(path)
    assert source.text == "第一页末第二页开头\n第二页\n仍在第二页"
    assert source.page_starts == (0, len("第一页末"))
    assert source.page_at(source.text.index("仍在第二页")) == 2
