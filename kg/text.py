"""The text rules every step shares: quote folding, label normalisation, sentences.

- :func:`normalize_label` is the key a term is *identified* by in a build
  (quotes unified, one wrapping pair removed, width folded). Two labels with
  one key are one concept.
- :func:`search_key` is the looser form labels are *looked up* by: it also
  makes traditional characters simplified, drops every quote and space and
  lowercases, so 「六個致力」, “六个致力” and 六个致力 are one key. Every
  id-taking path of the service resolves a label through it.
- :data:`SENTENCE_ENDS` and :func:`first_sentence` split sentences; a term's
  summary is the first sentence of its latest definition, everywhere.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from opencc import OpenCC

__all__ = [
    "CLAUSE_ENDS",
    "QUOTE_MARKS",
    "SENTENCE_ENDS",
    "first_sentence",
    "language_tag",
    "normalize_label",
    "search_key",
    "sentence_bounds",
    "traditional_form",
    "unwrap_quotes",
]

QUOTE_MARKS = "\"'“”‘’「」『』〝〞〟＂"
"""Every quote mark :func:`search_key` drops."""

SENTENCE_ENDS = frozenset("。！？!?")
"""Marks that end a sentence (a Latin full stop ends one only before a space)."""

CLAUSE_ENDS = frozenset("。！？!?；;\n")
"""Marks that end the sentence a mention is quoted in: sentence ends, semicolons
(which end the items of a Chinese list sentence) and line breaks."""

_LATIN_STOP = re.compile(r"\.(?=\s|$)")

_OPENING_TO_CLOSING = {"“": "”", "‘": "’", "「": "」", "『": "』", "《": "》"}
# Straight and corner quotes fold to curly ones, the form the glossary extractor keeps.
_QUOTE_FOLDS = str.maketrans("「」『』", "“”‘’")
_DROP_QUOTES = str.maketrans("", "", QUOTE_MARKS)


def normalize_label(label: str) -> str:
    """The key a term is matched by: 六个致力, “六个致力” and "六个致力" all give 六个致力.

    Folds full-width forms to half-width (NFKC), turns straight and corner quotes
    into curly ones, removes all whitespace, and strips one pair of quotes
    wrapping the whole label. Inner quotes stay: “三库”“两算”“三评” keeps its
    quotes, since removing the outer pair would leave them unbalanced.
    """
    return unwrap_quotes("".join(unicodedata.normalize("NFKC", label).split()))


def unwrap_quotes(text: str) -> str:
    """``text`` with quotes made curly and one pair wrapping the whole of it removed.

    “中碳登” and 「中碳登」 give 中碳登; “两重”“两新” keeps its quotes.
    """
    return _strip_wrapping_quotes(_curl_straight_quotes(text.translate(_QUOTE_FOLDS)))


def _curl_straight_quotes(text: str) -> str:
    """Replace straight double quotes with curly ones, opening and closing in turn."""
    parts = text.split('"')
    curled = [parts[0]]
    for index, part in enumerate(parts[1:]):
        curled.append("“" if index % 2 == 0 else "”")
        curled.append(part)
    return "".join(curled)


def _strip_wrapping_quotes(text: str) -> str:
    """Remove one quote pair around the whole text, when no other quote sits inside."""
    if len(text) < 2:
        return text
    closing = _OPENING_TO_CLOSING.get(text[0])
    if closing is None or text[-1] != closing:
        return text
    inner = text[1:-1]
    if any(mark in inner for pair in _OPENING_TO_CLOSING.items() for mark in pair):
        return text
    return inner


@lru_cache(maxsize=1)
def _simplifier() -> OpenCC:
    """Traditional to simplified characters; loads its dictionaries on first use."""
    return OpenCC("t2s")


@lru_cache(maxsize=65536)
def search_key(text: str) -> str:
    """The form labels and queries are compared in: 「六個致力」 → 六个致力, “235” → 235."""
    folded = unicodedata.normalize("NFKC", text)
    simplified = _simplifier().convert(folded)
    return "".join(simplified.translate(_DROP_QUOTES).split()).lower()


@lru_cache(maxsize=1)
def _traditionalizer() -> OpenCC:
    return OpenCC("s2t")


@lru_cache(maxsize=65536)
def language_tag(text: str) -> str:
    """``zh-hant`` for text written in traditional characters, else ``zh-hans``.

    Text is traditional when folding it to simplified changes it; text that
    both scripts write alike (most short names) counts as simplified. Tags are
    lower-case, the canonical form stores write them in (BCP 47 tags are
    case-insensitive), so a graph and its dump compare equal.
    """
    return "zh-hant" if _simplifier().convert(text) != text else "zh-hans"


def traditional_form(text: str) -> str:
    """``text`` written in traditional characters: 六个致力 → 六個致力."""
    return str(_traditionalizer().convert(text))


def first_sentence(text: str) -> str:
    """``text`` up to and including its first sentence end (see :data:`SENTENCE_ENDS`).

    This is a term's summary: the first sentence of its latest definition.
    """
    ends = [index for index, char in enumerate(text) if char in SENTENCE_ENDS]
    latin = _LATIN_STOP.search(text)
    if latin is not None:
        ends.append(latin.start())
    return text[: min(ends) + 1].strip() if ends else text.strip()


def sentence_bounds(folded: str, start: int, end: int) -> tuple[int, int]:
    """The clause of ``folded`` holding ``[start, end)`` (see :data:`CLAUSE_ENDS`), as offsets,
    its end mark included (a line break excluded).

    ``folded`` is text with full-width punctuation folded to half-width
    (:func:`kg.clean.normalize_char`), so both widths of a mark end a sentence.
    """
    left = start
    while left > 0 and folded[left - 1] not in CLAUSE_ENDS:
        left -= 1
    right = end
    while right < len(folded) and folded[right] not in CLAUSE_ENDS:
        right += 1
    if right < len(folded) and folded[right] != "\n":
        right += 1
    return left, right
