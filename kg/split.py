"""Split a cleaned report into its running body and its glossary appendix.

The genre closes a report with a numbered list of explained terms under a
heading. Headings seen in the genre, all matched on the normalised text (so
名詞解釋 in traditional characters is 名词解释 too):

- 名词解释, 名词注释, 名词解释说明, 主要/有关/相关/专业名词解释, 术语解释, 注释;
- with a title or a part before it: 《政府工作报告》名词解释, 本报告有关名词解释,
  附件：名词解释, 第三部分：专业名词解释, 三、名词解释, 【名词解释】;
- on its own line, under an 附件2 line, glued to the end of the last sentence of
  the body (…贡献！名词解释), or glued to the first entry (名词解释1.财政拨款收入：…);
- followed by a note on the order of entries: （按名词出现先后排序）.

Everything before the appendix (and before the 附件 line that announces it) is
the body. A page that starts inside the list has no heading: a run of at least
three consecutively numbered ``term：definition`` paragraphs that closes the
document is taken as the glossary, and :func:`extract_glossary` warns that the
heading was not seen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.extract.numerals import parse_chinese_number
from kg.model import CleanText

__all__ = ["Sections", "split_sections"]

_PART = (
    r"(?:第\s*[一二三四五六七八九十\d]{1,3}\s*部分|[一二三四五六七八九十]{1,3}\s*、)\s*[:：、.]?\s*"
)
_CORE = (
    r"(?:附\s*件\s*\d*\s*[:：]?\s*)?(?:附\s*[:：]\s*)?(?:" + _PART + r")?"
    r"[【\[■◎●◆]?\s*"
    r"(?:《[^》]{1,40}》|本报告|报告)?\s*(?:中的?)?\s*"
    r"(?:有关|相关|部分|主要|专业|重要|常用)?\s*"
    r"(?:名\s*词|词\s*语|术\s*语|用\s*语)\s*(?:解\s*释|注\s*释|释\s*义|说\s*明|解\s*读)"
    r"(?:\s*说\s*明)?\s*[】\]]?"
    r"\s*(?:[（(][^）)]{0,30}[）)])?\s*[:：]?"
)
_GLOSSARY_HEADING = re.compile(rf"^(?:{_CORE}|注\s*释\s*[:：]?)$")
# A heading glued to the first entry: 名词解释1.财政拨款收入：…
_HEADING_BEFORE_ENTRY = re.compile(
    rf"^{_CORE}\s*(?=\d{{1,3}}\s*[.．、]|[（(]\s*[\d一二三四五六七八九十]|[一二三四五六七八九十]{{1,3}}、|[①-⑳])"
)
# A heading glued to the end of the last sentence of the body: …贡献！名词解释
_HEADING_AFTER_SENTENCE = re.compile(rf"(?<=[。！？!?”\"])\s*({_CORE})$")
_ANNEX_LINE = re.compile(r"^附\s*件\s*\d*\s*[:：]?$")
_ORDER_NOTE = re.compile(r"^[（(][^）)]{1,40}[）)]$")
_ENTRY = re.compile(
    r"^(?:(\d{1,3})\s*[.．、](?!\d)|[（(]\s*(\d{1,3}|[一二三四五六七八九十]{1,3})\s*[)）]"
    r"|([一二三四五六七八九十]{1,3})\s*[、．.])\s*([^。，,；;:：]{1,30})[:：]"
)
_MIN_RUN = 3
_MAX_GAP = 3


@dataclass(frozen=True)
class Sections:
    """Where the body ends and the glossary entries start, as offsets in the clean text.

    ``glossary_start`` is None when the report has no glossary appendix;
    ``heading`` is None when it has none, or when the glossary was recognised
    by its entries alone.
    """

    body_end: int
    glossary_start: int | None
    heading: str | None


def _paragraph_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    for line in text.split("\n"):
        spans.append((start, start + len(line)))
        start += len(line) + 1
    return spans


def split_sections(clean: CleanText) -> Sections:
    """Find the glossary appendix of ``clean``; the last heading wins, else a closing run."""
    folded = clean.normalized
    spans = _paragraph_spans(folded)
    for index in range(len(spans) - 1, -1, -1):
        found = _heading_in(clean, spans, index)
        if found is not None:
            return found
    return _headless_run(folded, spans)


def _heading_in(clean: CleanText, spans: list[tuple[int, int]], index: int) -> Sections | None:
    """The sections when paragraph ``index`` holds a glossary heading, else None."""
    start, end = spans[index]
    paragraph = clean.normalized[start:end]
    stripped = paragraph.strip()
    if _GLOSSARY_HEADING.match(stripped):
        lead = len(paragraph) - len(paragraph.lstrip())
        heading = clean.text[start + lead : start + lead + len(stripped)]
        return _sections(clean, spans, index, start, None, heading)
    glued = _HEADING_BEFORE_ENTRY.match(paragraph)
    if glued:
        heading = clean.text[start : start + glued.end()].strip()
        return _sections(clean, spans, index, start, start + glued.end(), heading)
    after = _HEADING_AFTER_SENTENCE.search(paragraph)
    if after:
        heading = clean.text[start + after.start(1) : end].strip()
        return _sections(clean, spans, index, start + after.start(1), None, heading)
    return None


def _sections(
    clean: CleanText,
    spans: list[tuple[int, int]],
    index: int,
    heading_start: int,
    entries_at: int | None,
    heading: str,
) -> Sections:
    text = clean.normalized
    body_end = heading_start
    if heading_start == spans[index][0]:
        if index > 0 and _ANNEX_LINE.match(text[spans[index - 1][0] : spans[index - 1][1]]):
            body_end = spans[index - 1][0]
        body_end = max(body_end - 1, 0)
    if entries_at is not None:
        return Sections(body_end, entries_at, heading)
    entries_from = index + 1
    if entries_from < len(spans):
        note_start, note_end = spans[entries_from]
        if _ORDER_NOTE.match(text[note_start:note_end].strip()):
            entries_from += 1
    glossary_start = spans[entries_from][0] if entries_from < len(spans) else len(text)
    return Sections(body_end, glossary_start, heading)


def _entry_number(paragraph: str) -> int | None:
    match = _ENTRY.match(paragraph.strip())
    if match is None:
        return None
    token = next(group for group in match.groups()[:3] if group)
    return parse_chinese_number(token)


def _headless_run(folded: str, spans: list[tuple[int, int]]) -> Sections:
    """A run of numbered entries that closes the document, taken as a glossary without heading."""
    numbered = [
        (index, number)
        for index, (start, end) in enumerate(spans)
        if (number := _entry_number(folded[start:end])) is not None
    ]
    if not numbered or len(spans) - 1 - numbered[-1][0] > _MAX_GAP:
        return Sections(len(folded), None, None)
    run = [numbered[-1]]
    for index, number in reversed(numbered[:-1]):
        if number != run[-1][1] - 1 or run[-1][0] - index > _MAX_GAP + 1:
            break
        run.append((index, number))
    if len(run) < _MIN_RUN:
        return Sections(len(folded), None, None)
    first = spans[run[-1][0]][0]
    return Sections(max(first - 1, 0), first, None)
