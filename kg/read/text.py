"""Plain text and Markdown, and the text encodings every text format is decoded with.

The encoding is chosen in order: a byte-order mark, a declared charset (web
pages), strict UTF-8, then charset-normalizer's guess, read as GB18030 when the
guess is a Chinese GB codec or a close call with one.
"""

from __future__ import annotations

import codecs
import re

import charset_normalizer

from kg.errors import InputError
from kg.model import SourceText

__all__ = ["MARKDOWN", "PLAIN", "codec_for_label", "decode", "read_text"]

PLAIN = "text/plain"
MARKDOWN = "text/markdown"

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


def read_text(path: str, data: bytes, media_type: str) -> SourceText:
    """A plain text or Markdown file (``media_type``), decoded."""
    text, encoding = decode(path, data)
    return SourceText(path, text, media_type, encoding)


def decode(path: str, data: bytes, declared: str | None = None) -> tuple[str, str]:
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


def codec_for_label(label: str | None) -> str | None:
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
