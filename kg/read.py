"""Read a report file into a :class:`~kg.model.SourceText`: the first step of the pipeline.

Plain text and Markdown, PDF (pdfminer.six), Word ``.docx`` (python-docx) and web
pages (BeautifulSoup with lxml) come out as one string with ``\\n`` line ends, plus
the offset where each page starts when the format has pages. The format is chosen
by the file's suffix, or by its first bytes when the suffix is unknown.

Everything that makes a file unreadable (missing, empty, binary, truncated, too
large, a scan without a text layer) raises :class:`~kg.errors.InputError` with a
one-line reason, never a library's own exception.
"""

from __future__ import annotations

import codecs
import io
import os
import re
import stat
import zipfile
from collections.abc import Iterator
from pathlib import Path

import charset_normalizer
import docx
from bs4 import BeautifulSoup, NavigableString, PageElement, Tag
from bs4.dammit import EncodingDetector
from bs4.element import PreformattedString
from docx.opc.exceptions import OpcError
from lxml import etree
from pdfminer.high_level import extract_pages
from pdfminer.layout import LTPage, LTTextContainer
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

from kg.errors import InputError
from kg.model import SourceText

__all__ = ["MAX_BYTES", "read_source"]

MAX_BYTES: int = 64 * 1024 * 1024

_PLAIN = "text/plain"
_MARKDOWN = "text/markdown"
_PDF = "application/pdf"
_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_HTML = "text/html"

_SUFFIX_TYPES = {
    ".txt": _PLAIN,
    ".text": _PLAIN,
    ".md": _MARKDOWN,
    ".markdown": _MARKDOWN,
    ".pdf": _PDF,
    ".docx": _DOCX,
    ".html": _HTML,
    ".htm": _HTML,
    ".xhtml": _HTML,
}


def read_source(path: str | os.PathLike[str], *, max_bytes: int = MAX_BYTES) -> SourceText:
    """Read the file at ``path`` as text; ``SourceText.path`` is ``str(path)``.

    Files over ``max_bytes`` are refused from their size alone, before reading.
    Raises :class:`InputError` for any file that yields no usable text.
    """
    name = str(path)
    data = _read_bytes(name, max_bytes)
    media_type = _SUFFIX_TYPES.get(Path(name).suffix.lower()) or _sniff(name, data)
    if media_type == _PDF:
        source = _read_pdf(name, data)
    elif media_type == _DOCX:
        source = _read_docx(name, data, max_bytes)
    elif media_type == _HTML:
        source = _read_html(name, data)
    else:
        source = _read_text(name, data, media_type)
    if not source.text.strip():
        raise InputError(name, "no text: the file is empty or only whitespace")
    return source


# -- the file itself ---------------------------------------------------------------------


def _read_bytes(path: str, max_bytes: int) -> bytes:
    try:
        info = os.stat(path)
    except OSError as exc:
        raise InputError(path, _os_reason(exc)) from exc
    if stat.S_ISDIR(info.st_mode):
        raise InputError(path, "is a directory, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise InputError(path, "not a regular file")
    _check_size(path, info.st_size, max_bytes)
    try:
        with open(path, "rb") as file:
            # Asking for exactly what is there (plus one byte, to see growth) keeps
            # read() from reserving the whole size limit for a small file.
            data = file.read(min(info.st_size, max_bytes) + 1)
            if len(data) > info.st_size:
                data += file.read(max_bytes + 1 - len(data))
    except OSError as exc:
        raise InputError(path, _os_reason(exc)) from exc
    _check_size(path, len(data), max_bytes)  # the file may have grown since stat
    return data


def _check_size(path: str, size: int, max_bytes: int) -> None:
    if size == 0:
        raise InputError(path, "empty file (0 bytes)")
    if size > max_bytes:
        raise InputError(
            path,
            f"file too large: {_megabytes(size)}, over the size limit of {_megabytes(max_bytes)}",
        )


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MiB ({size} bytes)"


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError | NotADirectoryError):
        return "no such file"
    if isinstance(exc, PermissionError):
        return "permission denied"
    return f"cannot read: {(exc.strerror or str(exc)).lower()}"


def _sniff(path: str, data: bytes) -> str:
    """The media type of a file whose suffix says nothing, from its first bytes."""
    head = data[:1024]
    if b"%PDF-" in head:
        return _PDF
    if data.startswith(b"PK\x03\x04"):
        if _zip_member_size(data, "word/document.xml") is None:
            raise InputError(path, "a zip archive that is not a word .docx document")
        return _DOCX
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise InputError(path, "an old binary office file (.doc); save it as .docx")
    start = head.removeprefix(codecs.BOM_UTF8).lstrip().lower()
    if start.startswith((b"<!doctype html", b"<html")):
        return _HTML
    if start.startswith((b"<?xml", b"<!--")) and b"<html" in start:
        return _HTML
    return _PLAIN


# -- plain text and encodings ---------------------------------------------------------------

# Longest first: the UTF-32 LE mark begins with the UTF-16 LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_GB_CODECS = frozenset({"gb2312", "gbk", "gb18030", "cp936", "hz"})
_CJK_CODECS = _GB_CODECS | {"big5", "big5hkscs", "cp950", "cp949", "euc_kr", "euc_jp"}
_CJK_CODECS |= {"euc_jis_2004", "euc_jisx0213", "shift_jis", "cp932", "iso2022_jp"}
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def _read_text(path: str, data: bytes, media_type: str) -> SourceText:
    text, encoding = _decode(path, data)
    return SourceText(path, text, media_type, encoding)


def _decode(path: str, data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Text and encoding name: a byte-order mark first, then ``declared``, then
    strict UTF-8, then charset-normalizer's guess. Newlines come out as ``\\n``."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _decode_as(path, data[len(bom) :], encoding), encoding
    if b"\x00" in data:
        raise InputError(path, "binary data, not text (it contains NUL bytes)")
    codec = _strict_codec(data, declared, "utf-8") or _guess_encoding(data)
    if codec is None:
        raise InputError(path, "binary data, not text (no text encoding fits its bytes)")
    return _decode_as(path, data, codec), codec


def _strict_codec(data: bytes, *encodings: str | None) -> str | None:
    """The first of ``encodings`` that decodes ``data`` without an error."""
    for encoding in encodings:
        if encoding is None:
            continue
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return encoding
    return None


def _decode_as(path: str, data: bytes, encoding: str) -> str:
    try:
        return _checked_text(path, data.decode(encoding))
    except UnicodeDecodeError as exc:
        raise InputError(path, f"not valid {encoding} text at byte {exc.start}") from exc


def _checked_text(path: str, text: str) -> str:
    if len(_CONTROL.findall(text)) * 100 > len(text):
        raise InputError(path, "binary data, not text (too many control characters)")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _guess_encoding(data: bytes) -> str | None:
    """charset-normalizer's guess, read as GB18030 when that is a GB codec or a
    close call between Chinese codecs: GB18030 is the superset of GB2312 and GBK
    and what Chinese government text is written in."""
    matches = charset_normalizer.from_bytes(data)
    best = matches.best()
    if best is None:
        return None
    candidates = {match.encoding for match in matches}
    if best.encoding in _CJK_CODECS and candidates & _GB_CODECS:
        return "gb18030"
    return best.encoding


# -- PDF ----------------------------------------------------------------------------------

_CID = re.compile(r"\(cid:\d+\)")


def _read_pdf(path: str, data: bytes) -> SourceText:
    pages = _pdf_pages(path, data)
    if not pages:
        raise InputError(path, "pdf has no pages")
    text = "\n".join(pages)
    # Glyphs without a Unicode mapping come out as "(cid:123)": that is no text either.
    if not _CID.sub("", text).strip():
        raise InputError(path, "pdf has no text layer (a scan?); run OCR on it first")
    return SourceText(path, text, _PDF, page_starts=_starts(pages))


def _pdf_pages(path: str, data: bytes) -> list[str]:
    try:
        return [_pdf_page_text(page) for page in extract_pages(io.BytesIO(data))]
    except PDFPasswordIncorrect as exc:
        raise InputError(path, "pdf is protected by a password") from exc
    except PDFEncryptionError as exc:
        raise InputError(path, f"pdf encryption not supported ({_describe(exc)})") from exc
    except Exception as exc:  # pdfminer reports damage with built-in exception types too
        raise InputError(path, f"corrupt or truncated pdf ({_describe(exc)})") from exc


def _pdf_page_text(page: LTPage) -> str:
    return "".join(box.get_text() for box in page if isinstance(box, LTTextContainer)).rstrip()


def _starts(pages: list[str]) -> tuple[int, ...]:
    """Where each of ``pages`` begins in ``"\\n".join(pages)``."""
    starts, offset = [], 0
    for page in pages:
        starts.append(offset)
        offset += len(page) + 1
    return tuple(starts)


def _describe(exc: BaseException) -> str:
    message = " ".join(str(exc).split()) or type(exc).__name__
    return message[:80].lower()


# -- Word .docx ----------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# Containers whose runs are part of the visible text (deletions and moved-from text are not).
_RUN_CONTAINERS = frozenset(
    _W + tag for tag in ("hyperlink", "ins", "moveTo", "smartTag", "fldSimple", "customXml")
)
_RUN_TEXT = {_W + "tab": "\t", _W + "ptab": "\t", _W + "cr": "\n", _W + "noBreakHyphen": "-"}


def _read_docx(path: str, data: bytes, max_bytes: int) -> SourceText:
    body = _docx_body(path, data, max_bytes)
    rendered = next(body.iter(_W + "lastRenderedPageBreak"), None) is not None
    lines: list[str] = []
    starts: list[int] = [0]
    offset, pending_break = 0, False
    for paragraph in _docx_paragraphs(body):
        text, breaks = _docx_paragraph(paragraph, rendered)
        if pending_break:
            starts.append(offset)
        starts.extend(offset + at for at in breaks if at < len(text))
        # A break at the end of a paragraph starts the page at the next one.
        pending_break = any(at >= len(text) for at in breaks)
        lines.append(text)
        offset += len(text) + 1
    page_starts = tuple(sorted(set(starts)))
    return SourceText(
        path, "\n".join(lines), _DOCX, page_starts=page_starts if len(page_starts) > 1 else ()
    )


def _docx_body(path: str, data: bytes, max_bytes: int) -> etree._Element:
    expanded = _zip_member_size(data, "word/document.xml")
    if expanded is not None and expanded > max_bytes:
        raise InputError(path, f"docx text expands to {_megabytes(expanded)}, over the size limit")
    try:
        return docx.Document(io.BytesIO(data)).element.body
    except (OpcError, zipfile.BadZipFile, etree.XMLSyntaxError, KeyError, ValueError) as exc:
        raise InputError(path, f"corrupt or truncated docx ({_describe(exc)})") from exc


def _zip_member_size(data: bytes, member: str) -> int | None:
    """The unpacked size of ``member`` in the zip archive ``data``, None if absent."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return archive.getinfo(member).file_size
    except (zipfile.BadZipFile, KeyError):
        return None


def _docx_paragraphs(container: etree._Element) -> Iterator[etree._Element]:
    """Paragraphs in reading order, including those in table cells and content controls."""
    for child in container.iterchildren():
        if child.tag == _W + "p":
            yield child
        elif child.tag == _W + "tbl":
            for cell in child.iterfind(f"{_W}tr/{_W}tc"):
                yield from _docx_paragraphs(cell)
        elif child.tag == _W + "customXml":
            yield from _docx_paragraphs(child)
        elif child.tag == _W + "sdt":
            yield from _docx_paragraphs(_sdt_content(child))


def _docx_paragraph(paragraph: etree._Element, rendered: bool) -> tuple[str, list[int]]:
    """A paragraph's text and the offsets in it where a new page starts.

    Word records each page it laid out with ``lastRenderedPageBreak``; use those when
    the document has any, else the explicit page breaks typed by the author.
    """
    parts: list[str] = []
    breaks: list[int] = []
    length = 0
    if not rendered and paragraph.find(f"{_W}pPr/{_W}pageBreakBefore") is not None:
        breaks.append(0)
    for run in _docx_runs(paragraph):
        for item in run.iterchildren():
            if _docx_is_page_break(item, rendered):
                breaks.append(length)
                continue
            piece = _docx_run_text(item)
            parts.append(piece)
            length += len(piece)
    return "".join(parts), breaks


def _docx_runs(element: etree._Element) -> Iterator[etree._Element]:
    for child in element.iterchildren():
        if child.tag == _W + "r":
            yield child
        elif child.tag in _RUN_CONTAINERS:
            yield from _docx_runs(child)
        elif child.tag == _W + "sdt":
            yield from _docx_runs(_sdt_content(child))


def _sdt_content(sdt: etree._Element) -> etree._Element:
    """The content of a content control (an empty element when it has none)."""
    content = sdt.find(_W + "sdtContent")
    return content if content is not None else etree.Element(_W + "sdtContent")


def _docx_is_page_break(item: etree._Element, rendered: bool) -> bool:
    if rendered:
        return item.tag == _W + "lastRenderedPageBreak"
    return item.tag == _W + "br" and item.get(_W + "type") == "page"


def _docx_run_text(item: etree._Element) -> str:
    if item.tag == _W + "t":
        return item.text or ""
    if item.tag == _W + "br":
        return "\n" if item.get(_W + "type") in (None, "textWrapping") else ""
    return _RUN_TEXT.get(item.tag, "")


# -- web pages ----------------------------------------------------------------------------

_DROPPED = ["head", "script", "style", "noscript", "template"]
_BLOCKS = (
    frozenset({"html", "body", "main", "article", "section", "nav", "aside", "header", "footer"})
    | {"div", "p", "pre", "blockquote", "address", "center", "hr", "h1", "h2", "h3", "h4", "h5"}
    | {"h6", "ul", "ol", "li", "dl", "dt", "dd", "dir", "menu", "table", "caption", "thead"}
    | {"tbody", "tfoot", "tr", "th", "td", "form", "fieldset", "legend", "option", "details"}
    | {"summary", "dialog", "figure", "figcaption", "hgroup"}
)
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")
_CJK = r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\U00020000-\U0003ffff]"
# A line break between two CJK characters renders as nothing (CSS Text 3, segment breaks).
_CJK_SEGMENT_BREAK = re.compile(rf"(?<={_CJK})[ \t\r\f]*\n[ \t\n\r\f]*(?={_CJK})")


def _read_html(path: str, data: bytes) -> SourceText:
    declared = EncodingDetector.find_declared_encoding(data[:4096], is_html=True)
    markup, encoding = _decode(path, data, _codec_for_label(declared))
    soup = BeautifulSoup(markup, "lxml")
    for element in soup(_DROPPED):
        element.decompose()
    return SourceText(path, _html_text(soup), _HTML, encoding)


def _codec_for_label(label: str | None) -> str | None:
    """The Python codec for a page's declared charset; GB labels read as GB18030, as
    browsers do, and UTF-16/32 labels without a byte-order mark are ignored, also as
    browsers do."""
    if not label:
        return None
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    if name in _GB_CODECS:
        return "gb18030"
    return None if name.startswith(("utf-16", "utf-32")) else name


def _html_text(soup: BeautifulSoup) -> str:
    """The page's text: one line per block element, whitespace collapsed as a browser
    would, blank lines dropped."""
    pieces: list[str] = []
    # Items are (node, inside <pre>); None closes a block element.
    stack: list[tuple[PageElement, bool] | None] = [(soup, False)]
    while stack:
        item = stack.pop()
        if item is None:
            pieces.append("\n")
            continue
        node, preformatted = item
        if isinstance(node, NavigableString):
            if not isinstance(node, PreformattedString):  # comments, doctype, CDATA
                pieces.append(str(node) if preformatted else _collapse(str(node)))
        elif isinstance(node, Tag):
            if node.name == "br":
                pieces.append("\n")
                continue
            if node.name in _BLOCKS:
                pieces.append("\n")
                stack.append(None)
            inner = preformatted or node.name in ("pre", "textarea")
            stack.extend((child, inner) for child in reversed(node.contents))
    lines = (line.strip() for line in "".join(pieces).split("\n"))
    return "\n".join(line for line in lines if line)


def _collapse(text: str) -> str:
    return _HTML_SPACE.sub(" ", _CJK_SEGMENT_BREAK.sub("", text))
