"""Reading the numbers in policy names: Chinese numerals, digits, and a mix of both.

Slogans count with Chinese numerals (六稳, 十二证同发, “百千万”行动) and codes
use digits (“235”, 1+1+X), sometimes full-width (４). :func:`parse_chinese_number`
turns one such token into an int; it wraps ``cn2an`` and adds what cn2an
refuses: a bare unit (百, 千, 万, 亿 mean one of them), digit strings, and
digits followed by units (3千).
"""

from __future__ import annotations

import unicodedata

import cn2an

__all__ = ["NUMERAL_CHARS", "parse_chinese_number"]

NUMERAL_CHARS = "零〇一二两三四五六七八九十百千万亿"
"""Characters that make up a Chinese numeral."""

_UNIT_CHARS = "十百千万亿"
_BARE_UNITS = "百千万亿"


def _fold_width(text: str) -> str:
    """Full-width digits and letters to ASCII (４ → 4); Chinese numerals are left alone."""
    return unicodedata.normalize("NFKC", text)


def _is_numeral_token(text: str) -> bool:
    return all(char in NUMERAL_CHARS or (char.isascii() and char.isdigit()) for char in text)


def parse_chinese_number(text: str) -> int | None:
    """The integer ``text`` spells, or None when it is not exactly one whole number.

    >>> parse_chinese_number("一百零五"), parse_chinese_number("百"), parse_chinese_number("３")
    (105, 100, 3)
    """
    token = _fold_width(text).strip()
    if not token or not _is_numeral_token(token):
        return None
    if token.isdigit():
        return int(token)
    if token[0] in _BARE_UNITS:
        # cn2an wants a multiplier before a unit; 百 alone is 一百.
        token = "一" + token
    has_digits = any(char.isdigit() for char in token)
    if has_digits and not token.rstrip(_UNIT_CHARS).isdigit():
        return None
    try:
        value = cn2an.cn2an(token, "smart" if has_digits else "normal")
    except ValueError:
        return None
    if value != int(value):
        return None
    return int(value)
