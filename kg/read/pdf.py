"""PDF with pdfminer.six: the text page by page, joined with ``\\n``, and where each page starts.

A file without a text layer (a scan), with a password, or that pdfminer cannot
parse is refused with a one-line reason.
"""

from __future__ import annotations

import io
import re

from pdfminer.high_level import extract_pages
from pdfminer.layout import LTPage, LTTextContainer
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

from kg.errors import InputError
from kg.model import SourceText
from kg.read.files import describe

__all__ = ["PDF", "read_pdf"]

PDF = "application/pdf"

_CID = re.compile(r"\(cid:\d+\)")


def read_pdf(path: str, data: bytes) -> SourceText:
    """The text of the PDF file ``data``, with the offset where each page starts."""
    pages = _pdf_pages(path, data)
    if not pages:
        raise InputError(path, "pdf has no pages")
    text = "\n".join(pages)
    # Glyphs without a Unicode mapping come out as "(cid:123)": that is no text either.
    if not _CID.sub("", text).strip():
        raise InputError(path, "pdf has no text layer (a scan?); run OCR on it first")
    return SourceText(path, text, PDF, page_starts=_starts(pages))


def _pdf_pages(path: str, data: bytes) -> list[str]:
    try:
        return [_pdf_page_text(page) for page in extract_pages(io.BytesIO(data))]
    except PDFPasswordIncorrect as exc:
        raise InputError(path, "pdf is protected by a password") from exc
    except PDFEncryptionError as exc:
        raise InputError(path, f"pdf encryption not supported ({describe(exc)})") from exc
    except Exception as exc:  # pdfminer reports damage with built-in exception types too
        raise InputError(path, f"corrupt or truncated pdf ({describe(exc)})") from exc


def _pdf_page_text(page: LTPage) -> str:
    return "".join(box.get_text() for box in page if isinstance(box, LTTextContainer)).rstrip()


def _starts(pages: list[str]) -> tuple[int, ...]:
    """Where each of ``pages`` begins in ``"\\n".join(pages)``."""
    starts, offset = [], 0
    for page in pages:
        starts.append(offset)
        offset += len(page) + 1
    return tuple(starts)
