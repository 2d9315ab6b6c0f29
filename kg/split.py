"""Split a cleaned report into its running body and its glossary appendix.

The genre closes a report with a numbered list of explained terms under a
heading such as 名词解释, 名词注释, 《政府工作报告》名词注释 or 附件 名词解释,
sometimes followed by a note on the order of entries. Everything before the
appendix (and before the 附件 line that announces it) is the body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.model import CleanText

__all__ = ["Sections", "split_sections"]

_GLOSSARY_HEADING = re.compile(
    r"^(?:附\s*件\s*\d*\s*[:：]?\s*)?(?:附\s*[:：]\s*)?"
    r"(?:《[^》]{1,40}》|本报告|报告)?\s*(?:中的?)?\s*(?:有关|相关|部分|主要)?\s*"
    r"(?:名\s*词|词\s*语|术\s*语|用\s*语)\s*(?:解\s*释|注\s*释|释\s*义|说\s*明|解\s*读)"
    r"\s*(?:[（(][^）)]{0,30}[）)])?\s*[:：]?$"
    r"|^注\s*释\s*[:：]?$"
)
_ANNEX_LINE = re.compile(r"^附\s*件\s*\d*\s*[:：]?$")
_ORDER_NOTE = re.compile(r"^[（(][^）)]{1,40}[）)]$")


@dataclass(frozen=True)
class Sections:
    """Where the body ends and the glossary entries start, as offsets in the clean text.

    ``glossary_start`` is None when the report has no glossary appendix.
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
    """Find the glossary appendix of ``clean``; the last matching heading wins."""
    text = clean.text
    spans = _paragraph_spans(text)
    for index in range(len(spans) - 1, -1, -1):
        start, end = spans[index]
        heading = text[start:end].strip()
        if not _GLOSSARY_HEADING.match(heading):
            continue
        body_end = start
        if index > 0 and _ANNEX_LINE.match(text[spans[index - 1][0] : spans[index - 1][1]]):
            body_end = spans[index - 1][0]
        entries_from = index + 1
        if entries_from < len(spans):
            note_start, note_end = spans[entries_from]
            if _ORDER_NOTE.match(text[note_start:note_end].strip()):
                entries_from += 1
        glossary_start = spans[entries_from][0] if entries_from < len(spans) else len(text)
        return Sections(max(body_end - 1, 0), glossary_start, heading)
    return Sections(len(text), None, None)
