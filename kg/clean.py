"""Undo conversion damage: source text -> :class:`~kg.model.CleanText`.

Text reaches us from PDF and Word converters with hard line breaks inside
sentences, page furniture ("- 12 -", printing lines, 抄送 blocks), markdown
marks and spaces between CJK characters. Cleaning removes that damage without
losing content, and keeps, for every character it emits, the offset of the
source character it came from, so every fact can cite its place.

The cleaned text has one paragraph per line. A normalised copy of the same
length folds full-width forms and quote styles for matching.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from kg.model import CleanText, SourceText

__all__ = ["clean_text", "is_cjk", "normalize_char"]

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
    r"^(?:\d{1,3}\s*[.．、](?!\d)"
    r"|[（(]\s*[\d一二三四五六七八九十]{1,3}\s*[)）]"
    r"|[一二三四五六七八九十]{1,3}\s*[、．.]"
    r"|第[一二三四五六七八九十\d]{1,3}[章节条部分]"
    r"|[①-⑳]|——|附\s*件|各位代表)"
)
# A list number left alone on its line when a converter wrapped right after it.
_BARE_NUMBER = re.compile(
    r"^(?:\d{1,3}\s*[.．、]|[（(]\s*[\d一二三四五六七八九十]{1,3}\s*[)）]"
    r"|[一二三四五六七八九十]{1,3}\s*、|[①-⑳])$"
)
_TERMINAL = re.compile(r"[。！？!?：:；;…]['\"”’」』）)\]】]*$")
_DATELINE_END = re.compile(r"会议?上$")
_SENTENCE_END = re.compile(r"[。！？!?：:]['\"”’」』）)\]】]*$")

_FULLWIDTH_OFFSET = 0xFEE0
_TO_FULLWIDTH_PUNCT = {",": "，", ":": "：", ";": "；", "!": "！", "?": "？", "(": "（", ")": "）"}
_QUOTE_FOLD = {"“": '"', "”": '"', "「": '"', "」": '"', "『": "'", "』": "'", "‘": "'", "’": "'"}
_PUNCT_FOLD = {
    "，": ",",
    "：": ":",
    "；": ";",
    "！": "!",
    "？": "?",
    "（": "(",
    "）": ")",
    "［": "[",
    "］": "]",
    "　": " ",
}


def is_cjk(char: str) -> bool:
    """True for Han characters and CJK punctuation (full-width forms included)."""
    code = ord(char)
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0x3000 <= code <= 0x303F
        or 0xFF00 <= code <= 0xFFEF
        or 0x2018 <= code <= 0x201F
        or 0xF900 <= code <= 0xFAFF
        or 0x20000 <= code <= 0x2FFFF
        or char in "《》〈〉【】〔〕…—·"
    )


def _is_han(char: str) -> bool:
    code = ord(char)
    return 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0x20000 <= code <= 0x2FFFF


def normalize_char(char: str) -> str:
    """Fold one character for matching: full-width to ASCII, every quote to a straight one."""
    if char in _QUOTE_FOLD:
        return _QUOTE_FOLD[char]
    if char in _PUNCT_FOLD:
        return _PUNCT_FOLD[char]
    code = ord(char)
    if 0xFF01 <= code <= 0xFF5E:
        return chr(code - _FULLWIDTH_OFFSET)
    return char


@dataclass
class _Line:
    """A source line with its characters and their source offsets, markdown marks removed."""

    chars: list[str]
    origins: list[int]
    page: int | None
    heading: bool = False
    bullet: bool = False

    @property
    def text(self) -> str:
        return "".join(self.chars)


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
    return furniture


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
    return _Line(chars, origins, page, heading=heading, bullet=bullet)


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
    candidates = [_display_width(line.text) for line in lines if line.chars]
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


def _drop_inner_spaces(chars: list[str], origins: list[int]) -> None:
    """Remove whitespace a converter put between CJK characters or beside them.

    Spaces between a Han character and a Latin word ("汉口 STAY 改造") are kept:
    they were printed.
    """
    keep_chars: list[str] = []
    keep_origins: list[int] = []
    index = 0
    while index < len(chars):
        if not chars[index].isspace():
            keep_chars.append(chars[index])
            keep_origins.append(origins[index])
            index += 1
            continue
        end = index
        while end < len(chars) and chars[end].isspace():
            end += 1
        before = keep_chars[-1] if keep_chars else ""
        after = chars[end] if end < len(chars) else ""
        if not _space_is_damage(before, after):
            keep_chars.append(" ")
            keep_origins.append(origins[index])
        index = end
    chars[:] = keep_chars
    origins[:] = keep_origins


def _space_is_damage(before: str, after: str) -> bool:
    if not before or not after:
        return True
    latin = str.isascii
    if is_cjk(before) and is_cjk(after):
        return True
    if is_cjk(before) and latin(after):
        return not after.isalpha() or not _is_han(before)
    if latin(before) and is_cjk(after):
        return not before.isalpha() or not _is_han(after)
    return False


def _fold_punctuation(chars: list[str]) -> None:
    """Give punctuation its Chinese form in Chinese context, as the printed page has it.

    Full-width digits and letters become ASCII; half-width , : ; ! ? ( ) beside
    a Han character become full-width; straight and corner quotes become “”;
    a lone dash opening a numeral slogan ("—场三馆") becomes 一.
    """
    open_double = True
    for index, char in enumerate(chars):
        code = ord(char)
        if 0xFF10 <= code <= 0xFF19 or 0xFF21 <= code <= 0xFF3A or 0xFF41 <= code <= 0xFF5A:
            chars[index] = chr(code - _FULLWIDTH_OFFSET)
        elif char in "「」":
            chars[index] = "“" if char == "「" else "”"
        elif char == '"':
            chars[index] = "“" if open_double else "”"
            open_double = not open_double
        elif char == "“":
            open_double = False
        elif char == "”":
            open_double = True
        elif char in _TO_FULLWIDTH_PUNCT and _beside_han(chars, index):
            chars[index] = _TO_FULLWIDTH_PUNCT[char]
        elif char == "—" and _is_misread_one(chars, index):
            chars[index] = "一"


def _beside_han(chars: list[str], index: int) -> bool:
    before = chars[index - 1] if index > 0 else ""
    after = chars[index + 1] if index + 1 < len(chars) else ""
    if chars[index] in "()" and (before.isascii() and after.isascii()):
        return False
    if chars[index] == ":" and before.isdigit() and after.isdigit():
        return False
    return bool(before and is_cjk(before)) or bool(after and is_cjk(after))


def _is_misread_one(chars: list[str], index: int) -> bool:
    before = chars[index - 1] if index > 0 else ""
    after = chars[index + 1] if index + 1 < len(chars) else ""
    return (
        bool(after)
        and _is_han(after)
        and before != "—"
        and (not before or before in '.．、：:“"' or before.isdigit())
    )


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
    lines = [line for line in lines if line.chars]
    chars: list[str] = []
    origins: list[int] = []
    line_pages: list[int | None] = []
    for paragraph in _paragraphs(lines):
        if chars:
            chars.append("\n")
            origins.append(origins[-1] + 1)
            line_pages.append(line_pages[-1])
        para_chars, para_origins, para_pages = _join(paragraph)
        chars.extend(para_chars)
        origins.extend(para_origins)
        line_pages.extend(para_pages)
    text = "".join(chars)
    normalized = "".join(normalize_char(char) for char in text)
    return CleanText(source, text, normalized, tuple(origins), tuple(line_pages))


def _join(paragraph: list[_Line]) -> tuple[list[str], list[int], list[int | None]]:
    chars: list[str] = []
    origins: list[int] = []
    for line in paragraph:
        if chars and _needs_space(chars[-1], line.chars[0]):
            chars.append(" ")
            origins.append(line.origins[0] - 1)
        chars.extend(line.chars)
        origins.extend(line.origins)
    _fold_punctuation(chars)
    _drop_inner_spaces(chars, origins)
    _fold_punctuation(chars)  # punctuation that only had Han neighbours once spaces were gone
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
