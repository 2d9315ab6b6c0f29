"""Word ``.docx``: python-docx opens the package, and the body XML is walked in reading order.

Paragraphs come one a line, including those in table cells and content
controls; runs keep inserted and moved-to text and drop deletions. Pages start
at Word's own ``lastRenderedPageBreak`` marks when the file has any, else at
the page breaks the author typed.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

import docx
from docx.opc.exceptions import OpcError
from lxml import etree

from kg.errors import InputError
from kg.model import SourceText
from kg.read.files import describe, megabytes

__all__ = ["DOCX", "read_docx", "zip_member_size"]

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# Containers whose runs are part of the visible text (deletions and moved-from text are not).
_RUN_CONTAINERS = frozenset(
    _W + tag for tag in ("hyperlink", "ins", "moveTo", "smartTag", "fldSimple", "customXml")
)
_RUN_TEXT = {_W + "tab": "\t", _W + "ptab": "\t", _W + "cr": "\n", _W + "noBreakHyphen": "-"}


def read_docx(path: str, data: bytes, max_bytes: int) -> SourceText:
    """The text of the ``.docx`` file ``data``, one paragraph a line, with its page starts.

    Refused when its text part unpacks to more than ``max_bytes``.
    """
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
        path, "\n".join(lines), DOCX, page_starts=page_starts if len(page_starts) > 1 else ()
    )


def _docx_body(path: str, data: bytes, max_bytes: int) -> etree._Element:
    expanded = zip_member_size(data, "word/document.xml")
    if expanded is not None and expanded > max_bytes:
        raise InputError(path, f"docx text expands to {megabytes(expanded)}, over the size limit")
    try:
        return docx.Document(io.BytesIO(data)).element.body
    except (OpcError, zipfile.BadZipFile, etree.XMLSyntaxError, KeyError, ValueError) as exc:
        raise InputError(path, f"corrupt or truncated docx ({describe(exc)})") from exc


def zip_member_size(data: bytes, member: str) -> int | None:
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
