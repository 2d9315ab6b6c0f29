"""Glossary entries from a report's 名词解释 appendix.

An appendix is a numbered list, one entry per paragraph: a number (1. 1、
（1） 一、 ①), the term, a colon (： or :), and a definition that may run over
several paragraphs. The numbering style of the first entry is the style of the
list: a paragraph numbered another way, or out of sequence without a term,
continues the definition before it. The list ends with the text, or at the
next part of a document in parts (第四部分 附件).

Real appendices bend that shape, and each bend is read:

- entries run together on one line: "…稳预期。2.四办：…" is two entries;
- no colon after a quoted term: "1.“六稳”指…", "“六稳”是…" (the definition keeps
  its 指, 是 or 即, as printed);
- no colon at all: the term ends where the source had a space ("1.六稳 稳就业"),
  or is the whole line with the definition below it; both are warned;
- no numbers, as newspapers print it: one paragraph per entry opening with a
  quoted term (“六稳”：… or “六稳”指…), numbered here by position.

Gaps, duplicates, a list that does not start at 1, and entries without a term
separator produce a warning that names the line; no entry is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from kg.extract.numerals import parse_chinese_number
from kg.model import CleanText, EnumeratedParts, ExtractionWarning, GlossaryEntry
from kg.split import split_sections
from kg.text import unwrap_quotes

__all__ = ["extract_glossary", "normalize_term"]

_NUMBER_STYLES: dict[str, re.Pattern[str]] = {
    "arabic": re.compile(r"^(\d{1,6})\s*[.．、](?!\d)\s*"),
    "paren": re.compile(r"^[（(]\s*(\d{1,6}|[一二三四五六七八九十百零]{1,7})\s*[)）]\s*"),
    "chinese": re.compile(r"^([一二三四五六七八九十百零]{1,7})\s*[、．.]\s*"),
    "circled": re.compile(r"^([①-⑳])\s*"),
    "bracket": re.compile(r"^[【\[]\s*(\d{1,6})\s*[】\]]\s*"),
    # "1 六稳：…", whose space the cleaner may have dropped; only taken with a term separator.
    "bare": re.compile(r"^(\d{1,6})\s*(?=[\u4e00-\u9fff“「《])"),
}
# "26.1+1+X 社区社会工作室": a number glued to a term that opens with a digit.
_GLUED_NUMBER = re.compile(r"^(\d{1,6})[.．]\s*")
_OPENERS = "“‘《（(【「"
_CLOSERS = "”’》）)】」"
_SEPARATORS = "：:"
_MAX_TERM_LENGTH = 60
_TRAILER = re.compile(r"^(?:\d{4}年\d{1,2}月\d{1,2}日|.{2,20}(?:人民政府|办公室|办公厅))$")
# The next part of a document printed in parts (部门预算: 第三部分 名词解释, 第四部分 附件).
_NEXT_PART = re.compile(r"^第\s*[一二三四五六七八九十\d]{1,3}\s*部分")
# An entry glued to the end of the one before: "…稳预期。2.四办：…".
_GLUED_ENTRY = re.compile(
    r"(?<=[。])\s*(?:(\d{1,6})\s*[.．、](?!\d)|([一二三四五六七八九十]{1,3})\s*、"
    r"|[（(]\s*(\d{1,6}|[一二三四五六七八九十]{1,3})\s*[)）])\s*(?=[^。，；：:\n]{1,30}[：:])"
)
# A quoted term (with a qualifier after it) that a definition follows without a colon.
_QUOTED_TERM = re.compile(
    r"^((?:[“「][^”」“「]{1,20}[”」])+[^\s，。；：:、“”「」]{0,12}?)\s*[，,]?\s*(?=是指|指|是|即)"
)
# A paragraph of an unnumbered list: “六稳”：… or “六稳”指…
_UNNUMBERED_QUOTED = re.compile(
    r"^(?:[“「][^”」“「]{1,20}[”」])+[^\s，。；：:、“”「」]{0,12}?\s*(?:[：:]|[，,]?\s*(?:是指|指|是|即))"
)
_SHORT_TERM = 20
_SENTENCE_PUNCT = re.compile(r"[，,。、；;]")
_UNNUMBERED = "unnumbered"
_GLUED_STYLES = ("arabic", "chinese", "paren")

PartsExtractor = Callable[[str, str], EnumeratedParts | None]
Warn = Callable[[int, str], None]


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


def _unbalanced_separator(text: str) -> int | None:
    """The first colon of a term whose quote or bracket is never closed before it: “六稳：…"""
    head = text[: _MAX_TERM_LENGTH + 1]
    first = next((index for index, char in enumerate(head) if char in _SEPARATORS), None)
    if first is None:
        return None
    before = head[:first]
    opened = sum(before.count(char) for char in _OPENERS)
    closed = sum(before.count(char) for char in _CLOSERS)
    return first if opened > closed else None


def normalize_term(term_as_printed: str) -> str:
    """The term with wrapping quotes removed and inner quotes kept: “中碳登” → 中碳登."""
    return unwrap_quotes(term_as_printed.strip()).strip()


def _paragraphs(text: str, start: int) -> Iterator[tuple[int, str]]:
    """(offset, text) of every non-empty paragraph from ``start``, stripped."""
    offset = start
    for paragraph in text[start:].split("\n"):
        stripped = paragraph.strip()
        if stripped:
            yield offset + len(paragraph) - len(paragraph.lstrip()), stripped
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

    sections = split_sections(clean)
    if sections.heading is None and sections.glossary_start == glossary_start:
        warn(glossary_start, "glossary heading not seen; a closing run of numbered entries is read")
    reader = _ListReader(clean, warn)
    for offset, paragraph in _paragraphs(clean.text, glossary_start):
        if reader.drafts and _NEXT_PART.match(paragraph):
            break
        reader.read(offset, paragraph)
    if not reader.drafts and clean.text[glossary_start:].strip():
        warn(glossary_start, "glossary heading found but no numbered entry could be parsed")
    entries = [_finish(clean, draft, parts_of, warn) for draft in reader.drafts]
    return entries, warnings


class _ListReader:
    """Reads the appendix paragraph by paragraph into drafts, remembering the list's style."""

    def __init__(self, clean: CleanText, warn: Warn) -> None:
        self.clean = clean
        self.warn = warn
        self.drafts: list[_Draft] = []
        self.style: str | None = None

    def read(self, offset: int, text: str) -> None:
        """Read one paragraph: it opens entries, continues the last one, or is left out."""
        while text:
            cut = self._step(offset, text)
            if cut is None:
                return
            tail = text[cut:].lstrip()
            offset, text = offset + len(text) - len(tail), tail

    def _step(self, offset: int, text: str) -> int | None:
        """Read ``text`` up to the next entry glued to it; the offset of that entry, or None."""
        drafts = self.drafts
        numbered = None if self.style == _UNNUMBERED else self._number(text)
        if numbered and _starts_entry(drafts, numbered[1], text[numbered[2] :]):
            self.style = numbered[0]
            _check_sequence(drafts, numbered[1], offset, self.warn)
            cut = self._glued_entry(text, numbered[1] + 1, numbered[2])
            drafts.append(self._open(numbered[1], offset, text[:cut], numbered[2]))
        elif self.style in (None, _UNNUMBERED) and _UNNUMBERED_QUOTED.match(text):
            self.style = _UNNUMBERED
            cut = None
            drafts.append(self._open(len(drafts) + 1, offset, text, 0))
        elif drafts and not (_TRAILER.match(text) and _is_last(self.clean, offset)):
            cut = self._glued_entry(text, drafts[-1].n + 1, 0)
            drafts[-1].paragraphs.append(text[:cut])
            drafts[-1].end = offset + len(text[:cut])
        elif drafts:
            self.warn(offset, f"text after the last glossary entry left out: {text[:30]}")
            return None
        else:
            self.warn(offset, f"glossary text before the first numbered entry: {text[:30]}")
            return None
        return cut

    def _number(self, text: str) -> tuple[str, int, int] | None:
        return _match_number(text, self.style) or _match_glued(self.drafts, text)

    def _glued_entry(self, text: str, expected: int, start: int) -> int | None:
        """Where entry ``expected`` of the list's style starts inside ``text``, if it does."""
        for match in _GLUED_ENTRY.finditer(text, start):
            style = _GLUED_STYLES[next(i for i, group in enumerate(match.groups()) if group)]
            token = next(group for group in match.groups() if group)
            if style == self.style and _number_value(token) == expected:
                return match.start()
        return None

    def _open(self, number: int, offset: int, text: str, number_end: int) -> _Draft:
        rest = text[number_end:]
        end = offset + len(text)
        separator = _separator_at(rest)
        if separator is not None and not _SENTENCE_PUNCT.search(rest[:separator]):
            term, definition = rest[:separator], rest[separator + 1 :]
            return _Draft(number, term.strip(), [definition.strip()], offset, end)
        quoted = _QUOTED_TERM.match(rest)
        if quoted:
            return _Draft(number, quoted.group(1), [rest[quoted.end() :]], offset, end)
        if separator is not None:
            term, definition = rest[:separator], rest[separator + 1 :]
            return _Draft(number, term.strip(), [definition.strip()], offset, end)
        stray = _unbalanced_separator(rest)
        if stray is not None:
            self.warn(offset, f"glossary entry {number} has an unclosed quote in its term")
            term, definition = rest[:stray], rest[stray + 1 :]
            return _Draft(number, term.strip(), [definition.strip()], offset, end)
        gap = _source_gap(self.clean, offset + number_end, rest)
        where = "the term ends at a space" if gap else "the whole line is taken as the term"
        self.warn(offset, f"glossary entry {number} has no term separator (： or :); {where}")
        if gap:
            return _Draft(number, rest[:gap], [rest[gap:]], offset, end)
        return _Draft(number, rest.strip(), [], offset, end)


def _source_gap(clean: CleanText, start: int, rest: str) -> int | None:
    """Where the cleaner dropped the one space between Han characters near the start of ``rest``.

    "1.六稳 稳就业" was printed with the term and definition apart; the cleaned
    text joins them, the origin map still shows the gap.
    """
    gaps = []
    for index in range(1, min(len(rest), _SHORT_TERM * 2)):
        before, after = clean.origin[start + index - 1], clean.origin[start + index]
        between = clean.source.text[before + 1 : after]
        if (
            between
            and not between.strip(" \t\u3000")
            and _is_han(rest[index - 1])
            and (_is_han(rest[index]) or rest[index] in _OPENERS)
        ):
            gaps.append(index)
    if len(gaps) != 1 or not 2 <= gaps[0] <= _SHORT_TERM:
        return None
    return gaps[0]


def _is_han(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff" or char in _CLOSERS


def _is_last(clean: CleanText, offset: int) -> bool:
    """True when the paragraph at ``offset`` is among the last two of the text."""
    return clean.text.count("\n", offset) <= 1


def _starts_entry(drafts: list[_Draft], number: int, rest: str) -> bool:
    if not drafts:
        return True
    if number == drafts[-1].n + 1:
        return True
    return number > drafts[-1].n and _separator_at(rest) is not None


def _check_sequence(drafts: list[_Draft], number: int, offset: int, warn: Warn) -> None:
    if not drafts:
        if number != 1:
            warn(offset, f"glossary starts at entry {number}, not 1")
        return
    if number != drafts[-1].n + 1:
        warn(offset, f"glossary numbering jumps from {drafts[-1].n} to {number}")


def _finish(
    clean: CleanText,
    draft: _Draft,
    parts_of: PartsExtractor | None,
    warn: Warn,
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
