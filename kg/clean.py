"""Undo conversion damage: source text -> :class:`~kg.model.CleanText`.

Text reaches us from PDF and Word converters with hard line breaks inside
sentences, page furniture ("- 12 -", printing lines, 抄送 blocks), markdown
marks and spaces between CJK characters; mirror sites inject pinyin after
characters (報(bào)告). Cleaning removes that damage without
losing content, and keeps, for every character it emits, the offset of the
source character it came from, so every fact can cite its place.

The cleaned text has one paragraph per line. A normalised copy of the same
length folds full-width forms, quote styles and traditional characters for
matching (see :mod:`kg.chars`); the text itself stays as printed.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import pairwise

from kg.chars import (
    drop_inner_spaces,
    drop_pinyin_glosses,
    fold,
    fold_punctuation,
    is_cjk,
    normalize_char,
)
from kg.model import CleanText, PageRuns, SourceText

__all__ = ["clean_text", "is_cjk", "normalize_char"]

# Source offsets as machine integers: a document is at most 64 MiB (kg.read.MAX_BYTES).
_OFFSET = "i"
# A page number on a line of its own: "- 12 -", "**—** 26 **—**", "— 3 —".
_PAGE_NUMBER = re.compile(r"^[-－—–]+(\d{1,4})[-－—–]+$")
# The printing line at the end of an official document: "…办公室 2025 年 1 月 20 日印发".
_PRINTING_LINE = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*印\s*发\s*$")
_CC_LINE = re.compile(r"^\s*抄\s*送\s*[:：]")
_MARKDOWN_HEADING = re.compile(r"^\s{0,3}#{1,6}\s*")
_MARKDOWN_BULLET = re.compile(r"^\s*(?:[-*+•·]|\d+\\\.)\s+(?=\S)")
_BLOCKQUOTE = re.compile(r"^\s*>\s?")
# A paragraph that opens a numbered item or a section: it never continues the line above.
_STRUCTURAL_START = re.compile(
    r"^(?:\d{1,6}\s*[.．、](?!\d)"
    r"|[（(]\s*[\d一二三四五六七八九十]{1,3}\s*[)）]"
    r"|[一二三四五六七八九十]{1,3}\s*[、．.]"
    r"|第[一二三四五六七八九十\d]{1,3}[章节条部分]"
    r"|[①-⑳]|——|附\s*件|各位代表|目\s*[录錄]$)"
)
# A list number left alone on its line when a converter wrapped right after it.
_BARE_NUMBER = re.compile(
    r"^(?:\d{1,6}\s*[.．、]|[（(]\s*[\d一二三四五六七八九十]{1,3}\s*[)）]"
    r"|[一二三四五六七八九十]{1,3}\s*、|[①-⑳])$"
)
# A page number printed bare on its own line ("7"), as some converters leave it.
_BARE_PAGE_NUMBER = re.compile(r"^\d{1,3}$")
# The tens of a Chinese list number wrapped away from its units: "十" / "一、…" is 十一、.
_NUMERAL_TENS = re.compile(r"^[一二三四五六七八九]?十$")
_NUMERAL_UNITS = re.compile(r"^[一二三四五六七八九][、．.]")
_TERMINAL = re.compile(r"[。！？!?：:；;…]['\"”’」』）)\]】]*$")
_DATELINE_END = re.compile(r"[会會][议議]?上$")
_SENTENCE_END = re.compile(r"[。！？!?：:]['\"”’」』）)\]】]*$")


@dataclass
class _Line:
    """A source line with markdown marks removed, and the source offset of each character.

    Kept compact (a string and an array of machine integers, not lists of
    objects), since every line of a document is held at once.
    """

    text: str
    origins: array[int]
    page: int | None
    heading: bool = False
    bullet: bool = False


def _split_lines(text: str) -> Iterator[tuple[int, str]]:
    offset = 0
    for line in text.split("\n"):
        yield offset, line
        offset += len(line) + 1


def _page_number(line: str) -> int | None:
    match = _PAGE_NUMBER.match(re.sub(r"[\s*_]", "", line))
    return int(match.group(1)) if match else None


def _line_pages(source: SourceText, lines: list[tuple[int, str]]) -> list[int | None]:
    """The page of every line: from the reader for paged formats, else from page breaks.

    Plain text converted from a PDF marks a page break with three or more blank
    lines; page numbers printed as "- N -" must agree with that count, or the
    breaks are not trusted and pages stay unknown.
    """
    if source.page_starts:
        return [source.page_at(offset) for offset, _ in lines]
    pages: list[int | None] = []
    page, blanks, consistent, breaks = 1, 0, True, 0
    for _, line in lines:
        if not line.strip():
            blanks += 1
            pages.append(None)
            continue
        if blanks >= 3:
            page += 1
            breaks += 1
        blanks = 0
        printed = _page_number(line)
        if printed is not None and printed != page:
            consistent = False
        pages.append(page)
    if not consistent or breaks == 0:
        return [None] * len(lines)
    return pages


def _furniture_lines(lines: list[tuple[int, str]]) -> set[int]:
    """Indexes of lines that are page furniture, not content."""
    furniture: set[int] = set()
    cc_from: int | None = None
    for index, (_, line) in enumerate(lines):
        stripped = line.strip()
        if _page_number(stripped) is not None:
            furniture.add(index)
        elif _CC_LINE.match(stripped):
            cc_from = index
        elif _PRINTING_LINE.search(stripped):
            furniture.add(index)
            start = cc_from if cc_from is not None else index
            furniture.update(range(start, index))
            furniture.update(_issuer_line_before(lines, index))
            cc_from = None
    if cc_from is not None:
        furniture.update(range(cc_from, len(lines)))
    return furniture | _bare_page_numbers(lines)


def _bare_page_numbers(lines: list[tuple[int, str]]) -> set[int]:
    """Lines holding only a number that are page numbers: they cut a sentence, or count up.

    A bare "7" between two halves of a sentence is a page number; so is every
    bare number when all of them in the document rise page by page.
    """
    content = [(index, line.strip()) for index, (_, line) in enumerate(lines) if line.strip()]
    bare = [
        (pos, index) for pos, (index, text) in enumerate(content) if _BARE_PAGE_NUMBER.match(text)
    ]
    values = [int(content[pos][1]) for pos, _ in bare]
    if len(values) >= 2 and all(a < b for a, b in pairwise(values)):
        return {index for _, index in bare}
    found: set[int] = set()
    for pos, index in bare:
        before = content[pos - 1][1] if pos > 0 else ""
        after = content[pos + 1][1] if pos + 1 < len(content) else ""
        if before and after and not _TERMINAL.search(before) and not _STRUCTURAL_START.match(after):
            found.add(index)
    return found


def _issuer_line_before(lines: list[tuple[int, str]], index: int) -> Iterable[int]:
    """The "…办公室" line that a printing line's date was split from, if any."""
    for previous in range(index - 1, max(index - 4, -1), -1):
        text = lines[previous][1].strip()
        if not text:
            continue
        if text.endswith(("办公室", "办公厅")) and len(text) <= 20:
            yield previous
        return


def _strip_markdown(offset: int, line: str, page: int | None) -> _Line:
    heading = bool(_MARKDOWN_HEADING.match(line)) and line.lstrip().startswith("#")
    start = 0
    for pattern in (_MARKDOWN_HEADING, _BLOCKQUOTE, _MARKDOWN_BULLET):
        match = pattern.match(line, start)
        if match and (pattern is not _MARKDOWN_HEADING or heading):
            bullet = pattern is _MARKDOWN_BULLET
            start = match.end()
            if bullet and match.group(0).strip().endswith("\\."):
                start = match.start() + len(match.group(0).rstrip()) - 2
    bullet = bool(_MARKDOWN_BULLET.match(line)) and not heading
    chars: list[str] = []
    origins: list[int] = []
    index = start
    while index < len(line):
        pair = line[index : index + 2]
        if pair in ("**", "__"):
            index += 2
            continue
        if line[index] == "\\" and index + 1 < len(line) and line[index + 1] in "*_#.-+[]()!`":
            index += 1
        chars.append(line[index])
        origins.append(offset + index)
        index += 1
    _strip_edges(chars, origins)
    return _Line("".join(chars), array(_OFFSET, origins), page, heading=heading, bullet=bullet)


def _strip_edges(chars: list[str], origins: list[int]) -> None:
    while chars and chars[-1].isspace():
        chars.pop()
        origins.pop()
    lead = 0
    while lead < len(chars) and chars[lead].isspace():
        lead += 1
    del chars[:lead]
    del origins[:lead]


def _display_width(text: str) -> int:
    return sum(2 if is_cjk(char) else 1 for char in text)


def _wrap_widths(lines: list[_Line]) -> tuple[int, ...]:
    """The widths at which a converter hard-wrapped lines; empty for paragraph text.

    A document can mix several (a body wrapped at one width, an appendix at
    another, unwrapped paragraphs between), so every width shared by enough
    lines counts.
    """
    candidates = [_display_width(line.text) for line in lines if line.text]
    candidates = [width for width in candidates if 16 <= width <= 120]
    support = {
        width: sum(1 for other in candidates if abs(other - width) <= _tolerance(width))
        for width in set(candidates)
    }
    chosen: list[int] = []
    for width in sorted(support, key=lambda width: (-support[width], -width)):
        if support[width] < max(8, len(candidates) * 0.04):
            break
        if all(abs(width - other) > _tolerance(other) for other in chosen):
            chosen.append(width)
    return tuple(sorted(chosen))


def _tolerance(width: int) -> int:
    return max(3, width // 12)


def _is_heading(line: _Line) -> bool:
    """A title (名词解释, 政府工作报告) or a short numbered heading (一、2024年工作回顾)."""
    width = _display_width(line.text)
    if _TERMINAL.search(line.text) or width > 40:
        return False
    return width <= 24 or bool(_STRUCTURAL_START.match(line.text))


def _continues(previous: _Line, line: _Line, wrap_widths: tuple[int, ...]) -> bool:
    """Whether ``line`` continues the paragraph that ``previous`` ended on."""
    if _BARE_NUMBER.match(previous.text):
        return True
    if _NUMERAL_TENS.match(previous.text) and _NUMERAL_UNITS.match(line.text):
        return True
    if previous.heading or line.heading or line.bullet or _is_heading(previous):
        return False
    if _STRUCTURAL_START.match(line.text) or _DATELINE_END.search(previous.text):
        return False
    width = _display_width(previous.text)
    if any(wrap * 0.8 <= width <= wrap * 1.15 for wrap in wrap_widths):
        # A full wrapped line ending in ； or ， is cut mid-paragraph.
        return not _SENTENCE_END.search(previous.text)
    return not _TERMINAL.search(previous.text)


def _paragraphs(lines: list[_Line]) -> Iterator[list[_Line]]:
    wrap_widths = _wrap_widths(lines)
    current: list[_Line] = []
    for line in lines:
        if current and not _continues(current[-1], line, wrap_widths):
            yield current
            current = []
        current.append(line)
    if current:
        yield current


def clean_text(source: SourceText) -> CleanText:
    """Clean ``source`` into paragraphs, one per line, each character mapped to its origin."""
    raw_lines = list(_split_lines(source.text))
    pages = _line_pages(source, raw_lines)
    furniture = _furniture_lines(raw_lines)
    lines = [
        _strip_markdown(offset, line, pages[index])
        for index, (offset, line) in enumerate(raw_lines)
        if index not in furniture and line.strip()
    ]
    lines = [line for line in lines if line.text]
    pieces: list[str] = []
    origins = array(_OFFSET)
    page_runs = PageRuns()
    for paragraph in _paragraphs(lines):
        if pieces:
            pieces.append("\n")
            origins.append(origins[-1] + 1)
            page_runs.append(page_runs[-1])
        para_chars, para_origins, para_pages = _join(paragraph)
        pieces.append("".join(para_chars))
        origins.extend(para_origins)
        page_runs.extend(para_pages)
    text = "".join(pieces)
    del pieces
    return CleanText(source, text, _normalized(text), origins, page_runs)


def _normalized(text: str) -> str:
    """``text`` folded for matching, character for character (see :func:`normalize_char`)."""
    return fold(text)


def _join(paragraph: list[_Line]) -> tuple[list[str], list[int], list[int | None]]:
    chars: list[str] = []
    origins: list[int] = []
    for line in paragraph:
        if chars and _needs_space(chars[-1], line.text[0]):
            chars.append(" ")
            origins.append(line.origins[0] - 1)
        chars.extend(line.text)
        origins.extend(line.origins)
    drop_pinyin_glosses(chars, origins)
    fold_punctuation(chars)
    drop_inner_spaces(chars, origins)
    fold_punctuation(chars)  # punctuation that only had Han neighbours once spaces were gone
    pages = _pages_of(paragraph, origins)
    return chars, origins, pages


def _needs_space(before: str, after: str) -> bool:
    """Latin words broken across lines keep a space; CJK text joins without one."""
    return before.isascii() and after.isascii() and before.isalnum() and after.isalnum()


def _pages_of(paragraph: list[_Line], origins: list[int]) -> list[int | None]:
    starts = [(line.origins[0], line.page) for line in paragraph]
    pages: list[int | None] = []
    current = 0
    for origin in origins:
        while current + 1 < len(starts) and origin >= starts[current + 1][0]:
            current += 1
        pages.append(starts[current][1])
    return pages
