"""Read a report file into a :class:`~kg.model.SourceText`: the first step of the pipeline.

Plain text and Markdown, PDF (pdfminer.six), Word ``.docx`` (python-docx) and web
pages (BeautifulSoup with lxml) come out as one string with ``\\n`` line ends, plus
the offset where each page starts when the format has pages. The format is chosen
by the file's suffix, or by its first bytes when the suffix is unknown; one module
reads each (:mod:`kg.read.text`, :mod:`kg.read.pdf`, :mod:`kg.read.word`,
:mod:`kg.read.web`), and :mod:`kg.read.files` reads the bytes.

Everything that makes a file unreadable (missing, empty, binary, truncated, too
large, a scan without a text layer) raises :class:`~kg.errors.InputError` with a
one-line reason, never a library's own exception.
"""

from __future__ import annotations

import codecs
import os
from pathlib import Path

from kg.errors import InputError
from kg.model import SourceText
from kg.read.files import read_bytes
from kg.read.pdf import PDF, read_pdf
from kg.read.text import MARKDOWN, PLAIN, read_text
from kg.read.web import HTML, read_html
from kg.read.word import DOCX, read_docx, zip_member_size

__all__ = ["MAX_BYTES", "read_source"]

MAX_BYTES: int = 64 * 1024 * 1024

_SUFFIX_TYPES = {
    ".txt": PLAIN,
    ".text": PLAIN,
    ".md": MARKDOWN,
    ".markdown": MARKDOWN,
    ".pdf": PDF,
    ".docx": DOCX,
    ".html": HTML,
    ".htm": HTML,
    ".xhtml": HTML,
}


def read_source(path: str | os.PathLike[str], *, max_bytes: int = MAX_BYTES) -> SourceText:
    """Read the file at ``path`` as text; ``SourceText.path`` is ``str(path)``.

    Files over ``max_bytes`` are refused from their size alone, before reading.
    Raises :class:`InputError` for any file that yields no usable text.
    """
    name = str(path)
    data = read_bytes(name, max_bytes)
    media_type = _SUFFIX_TYPES.get(Path(name).suffix.lower()) or _sniff(name, data)
    if media_type == PDF:
        source = read_pdf(name, data)
    elif media_type == DOCX:
        source = read_docx(name, data, max_bytes)
    elif media_type == HTML:
        source = read_html(name, data)
    else:
        source = read_text(name, data, media_type)
    if not source.text.strip():
        raise InputError(name, "no text: the file is empty or only whitespace")
    return source


def _sniff(path: str, data: bytes) -> str:
    """The media type of a file whose suffix says nothing, from its first bytes."""
    head = data[:1024]
    if b"%PDF-" in head:
        return PDF
    if data.startswith(b"PK\x03\x04"):
        if zip_member_size(data, "word/document.xml") is None:
            raise InputError(path, "a zip archive that is not a word .docx document")
        return DOCX
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise InputError(path, "an old binary office file (.doc); save it as .docx")
    start = head.removeprefix(codecs.BOM_UTF8).lstrip().lower()
    if start.startswith((b"<!doctype html", b"<html")):
        return HTML
    if start.startswith((b"<?xml", b"<!--")) and b"<html" in start:
        return HTML
    return PLAIN
