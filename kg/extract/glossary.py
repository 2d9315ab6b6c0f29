"""Glossary entries from a report's 名词解释 appendix.

An appendix is a numbered list, one entry per paragraph: a number (1. 1、
（1） 一、 ①), the term, a colon (： or :), and a definition that may run over
several paragraphs. The numbering style of the first entry is the style of the
list: a paragraph numbered another way, or out of sequence without a term,
continues the definition before it. Gaps, duplicates and entries without a
term separator produce a warning that names the line; no entry is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from kg.extract.numerals import parse_chinese_number
from kg.model import CleanText, EnumeratedParts, ExtractionWarning, GlossaryEntry
from kg.text import unwrap_quotes

__all__ = ["extract_glossary", "normalize_term"]

_NUMBER_STYLES: dict[str, re.Pattern[str]] = {
    "arabic": re.compile(r"^(\d{1,3})\s*[.．、](?!\d)\s*"),
    "paren": re.compile(r"^[（(]\s*(\d{1,3}|[一二三四五六七八九十]{1,3})\s*[)）]\s*"),
    "chinese": re.compile(r"^([一二三四五六七八九十]{1,3})\s*[、．.]\s*"),
    "circled": re.compile(r"^([①-⑳])\s*"),
    "bracket": re.compile(r"^[【\[]\s*(\d{1,3})\s*[】\]]\s*"),
    # "1 六稳：…", whose space the cleaner may have dropped; only taken with a term separator.
    "bare": re.compile(r"^(\d{1,3})\s*(?=[\u4e00-\u9fff“「《])"),
}
# "26.1+1+X 社区社会工作室": a number glued to a term that opens with a digit.
_GLUED_NUMBER = re.compile(r"^(\d{1,3})[.．]\s*")
_OPENERS = "“‘《（(【「"
_CLOSERS = "”’》）)】」"
_SEPARATORS = "：:"
_MAX_TERM_LENGTH = 60
_TRAILER = re.compile(r"^(?:\d{4}年\d{1,2}月\d{1,2}日|.{2,20}(?:人民政府|办公室|办公厅))$")

PartsExtractor = Callable[[str, str], EnumeratedParts | None]


@dataclass
class _Draft:
    n: int
    term_as_printed: str
    paragraphs: list[str]
    start: int
    end: int


def _number_value(token: str) -> int:
    if "①" <= token <= "⑳":
        return ord(token) - ord("①") + 1
    value = parse_chinese_number(token)
    return value if value is not None else -1


def _match_number(paragraph: str, style: str | None) -> tuple[str, int, int] | None:
    """(style, number, end of the number) when ``paragraph`` opens with a list number."""
    styles = [style] if style else list(_NUMBER_STYLES)
    for name in styles:
        match = _NUMBER_STYLES[name].match(paragraph)
        if match and (name != "bare" or _separator_at(paragraph[match.end() :]) is not None):
            return name, _number_value(match.group(1)), match.end()
    return None


def _match_glued(drafts: list[_Draft], paragraph: str) -> tuple[str, int, int] | None:
    """The next expected number glued to a term that starts with a digit."""
    match = _GLUED_NUMBER.match(paragraph)
    if not match or not drafts or int(match.group(1)) != drafts[-1].n + 1:
        return None
    return ("arabic", int(match.group(1)), match.end())


def _separator_at(text: str) -> int | None:
    """Offset of the colon that ends the term, ignoring colons inside quotes or brackets."""
    depth = 0
    for index, char in enumerate(text[: _MAX_TERM_LENGTH + 1]):
        if char in _OPENERS:
            depth += 1
        elif char in _CLOSERS:
            depth = max(depth - 1, 0)
        elif char in _SEPARATORS and depth == 0:
            return index
    return None


def normalize_term(term_as_printed: str) -> str:
    """The term with wrapping quotes removed and inner quotes kept: “中碳登” → 中碳登."""
    return unwrap_quotes(term_as_printed.strip()).strip()


def _paragraphs(text: str, start: int) -> Iterator[tuple[int, str]]:
    offset = start
    for paragraph in text[start:].split("\n"):
        yield offset, paragraph
        offset += len(paragraph) + 1


def _line_of(clean: CleanText, offset: int) -> int:
    origin = clean.origin[min(offset, len(clean.origin) - 1)] if clean.origin else 0
    return clean.source.text.count("\n", 0, origin) + 1


def extract_glossary(
    clean: CleanText,
    glossary_start: int,
    parts_of: PartsExtractor | None = None,
) -> tuple[list[GlossaryEntry], list[ExtractionWarning]]:
    """Every entry of the appendix that starts at ``glossary_start`` in ``clean.text``."""
    warnings: list[ExtractionWarning] = []

    def warn(offset: int, message: str) -> None:
        warnings.append(ExtractionWarning(clean.source.path, message, _line_of(clean, offset)))

    drafts = _drafts(clean, glossary_start, warn)
    if not drafts and clean.text[glossary_start:].strip():
        warn(glossary_start, "glossary heading found but no numbered entry could be parsed")
    entries = [_finish(clean, draft, parts_of, warn) for draft in drafts]
    return entries, warnings


def _drafts(
    clean: CleanText, glossary_start: int, warn: Callable[[int, str], None]
) -> list[_Draft]:
    drafts: list[_Draft] = []
    style: str | None = None
    for offset, paragraph in _paragraphs(clean.text, glossary_start):
        text = paragraph.strip()
        if not text:
            continue
        numbered = _match_number(text, style) or _match_glued(drafts, text)
        if numbered and _starts_entry(drafts, numbered[1], text[numbered[2] :]):
            style = numbered[0]
            _check_sequence(drafts, numbered[1], offset, warn)
            drafts.append(_open(numbered[1], text[numbered[2] :], offset, len(paragraph), warn))
        elif drafts and not (_TRAILER.match(text) and _is_last(clean, offset)):
            drafts[-1].paragraphs.append(text)
            drafts[-1].end = offset + len(paragraph)
        elif drafts:
            warn(offset, f"text after the last glossary entry left out: {text[:30]}")
        else:
            warn(offset, f"glossary text before the first numbered entry: {text[:30]}")
    return drafts


def _is_last(clean: CleanText, offset: int) -> bool:
    """True when the paragraph at ``offset`` is among the last two of the text."""
    return clean.text.count("\n", offset) <= 1


def _starts_entry(drafts: list[_Draft], number: int, rest: str) -> bool:
    if not drafts:
        return True
    if number == drafts[-1].n + 1:
        return True
    return number > drafts[-1].n and _separator_at(rest) is not None


def _check_sequence(
    drafts: list[_Draft], number: int, offset: int, warn: Callable[[int, str], None]
) -> None:
    expected = drafts[-1].n + 1 if drafts else 1
    if number != expected:
        warn(offset, f"glossary numbering jumps from {expected - 1} to {number}")


def _open(
    number: int, rest: str, offset: int, length: int, warn: Callable[[int, str], None]
) -> _Draft:
    separator = _separator_at(rest)
    if separator is None:
        warn(offset, f"glossary entry {number} has no term separator (： or :)")
        return _Draft(number, rest.strip(), [], offset, offset + length)
    return _Draft(
        number, rest[:separator].strip(), [rest[separator + 1 :].strip()], offset, offset + length
    )


def _finish(
    clean: CleanText,
    draft: _Draft,
    parts_of: PartsExtractor | None,
    warn: Callable[[int, str], None],
) -> GlossaryEntry:
    term = normalize_term(draft.term_as_printed)
    definition = "".join(draft.paragraphs).strip()
    if not definition:
        warn(draft.start, f"glossary entry {draft.n} ({term}) has an empty definition")
    parts = parts_of(term, definition) if parts_of and definition else None
    return GlossaryEntry(
        n=draft.n,
        term=term,
        term_as_printed=draft.term_as_printed,
        definition=definition,
        span=clean.span(draft.start, draft.end),
        parts=parts,
    )
