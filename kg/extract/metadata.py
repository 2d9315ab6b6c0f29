"""What a report says about itself: body, district, kind, dates, session, speaker, years.

Each field comes from a line the genre always prints in the same shape: the
doc number (江政〔2025〕1号), the dateline (——2024年12月29日在…会议上), the
speaker line (…人民政府代区长 郭小平), the printing line (…2025年1月20日印发),
section headings (一、2024年工作回顾 / 二、2025年工作安排). A field the document
does not state is None. Years inferred from the delivery date, when no heading
states them, carry a warning so that nothing is guessed silently.

Lines are matched in their normalised form (so a report printed in traditional
characters, 政府工作報告, reads like a simplified one) and every value is
returned as printed. Besides government work reports, plan reports and budget
reports, departmental budgets and final accounts (某某局2024年部门预算,
2023年度某某局部门决算) are a kind of their own: they carry a 名词解释 part too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from kg.chars import fold
from kg.model import CleanText, ExtractionWarning, ReportMetadata

__all__ = ["extract_metadata"]

_HEAD_PARAGRAPHS = 40
_DOC_NUMBER = re.compile(
    r"([\u4e00-\u9fff]{1,10})\s*([〔［\[【(（])\s*(\d{4})\s*([〕］\]】)）])\s*(\d{1,4})\s*号"
)
_DATELINE = re.compile(
    r"^[—－-]{1,2}\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*在\s*(.+?(?:会议|大会))\s*上"
)
_SESSION_IN_TEXT = re.compile(
    r"提请\s*((?:[\u4e00-\u9fff]{0,12})?人大[\u4e00-\u9fff]{1,6}会议)\s*审议"
)
_ROLES = (
    "代理区长|代区长|副区长|区长|代理市长|代市长|副市长|市长|代理县长|代县长|副县长|县长|"
    "代理省长|代省长|副省长|省长|代州长|副州长|州长|旗长|盟长|主席"
)
_SPEAKER = re.compile(
    rf"^(?P<body>[\u4e00-\u9fff]{{0,24}}?人民政府)?\s*(?P<role>{_ROLES})\s*"
    r"(?P<name>[\u4e00-\u9fff·]{2,5})$"
)
_PRINTED_ON = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*印\s*发")
_SIGNED_ON = re.compile(r"^(?:[\u4e00-\u9fff]{0,20}人民政府)?\s*(\d{4})年(\d{1,2})月(\d{1,2})日$")
# A signature line naming the government: "江汉区人民政府" or "江汉区人民政府2024年1月15日".
_BODY_NAME = re.compile(
    r"^(?:[\u4e00-\u9fff]{1,8}?[省市])?[\u4e00-\u9fff]{1,8}?[区县市旗州]人民政府(?=$|\d{4}年)"
)
_LEADING_WORDS = re.compile(r"^(?:\d{4}\s*年度?)?(?:关于|在|受|由)?")
_PLACE = re.compile(
    r"(?P<city>[\u4e00-\u9fff]{2,6}?市)?(?P<district>[\u4e00-\u9fff]{1,5}?[区县旗])"
    r"(?=第|人民政府|\d{4}年|国民经济|[\u4e00-\u9fff]{1,10}?(?:局|委员会)(?:\d{4}年|部门))"
)
_REVIEW_HEADING = re.compile(
    r"^[一二三四五六七八九十]{1,2}、\s*(\d{4})年(?:工作回顾|主要工作|工作总结|.{0,20}执行情况)"
)
_PLAN_HEADING = re.compile(
    r"^[一二三四五六七八九十]{1,2}、\s*(\d{4})年(?:.{0,20}(?:工作安排|重点工作|主要任务|工作任务|计划草案))"
)
_PLAN_TITLE = re.compile(r"(\d{4})年.{0,20}计划执行情况.{0,4}(\d{4})年.{0,20}计划(?:草案)?")
# The title of a departmental budget or final account, which does not end in 报告.
_DEPARTMENT_TITLE = re.compile(r"部门(?:预算|决算)(?:公开)?(?:说明)?$")
_DEPARTMENT_YEAR = re.compile(r"(\d{4})\s*年度?.{0,30}部门(?:预算|决算)")
_KINDS = (
    ("部门预算", "departmental_budget"),
    ("部门决算", "departmental_final_accounts"),
    ("政府工作报告", "government_work_report"),
    ("计划执行情况", "plan_report"),
    ("计划草案", "plan_report"),
    ("预算执行情况", "budget_report"),
    ("预算草案", "budget_report"),
)


@dataclass(frozen=True)
class _Line:
    """One paragraph of the report: the normalised form to match, the printed form to return."""

    folded: str
    printed: str

    def text(self, match: re.Match[str], group: int | str = 0) -> str:
        """The printed text of ``group`` of a match made on the folded form."""
        return self.printed[match.start(group) : match.end(group)]


def _lines(clean: CleanText, end: int) -> list[_Line]:
    lines: list[_Line] = []
    for folded, printed in zip(
        clean.normalized[:end].split("\n"), clean.text[:end].split("\n"), strict=True
    ):
        lead = len(folded) - len(folded.lstrip())
        if folded.strip():
            size = len(folded.strip())
            lines.append(_Line(folded[lead : lead + size], printed[lead : lead + size]))
    return lines


def _date(year: str, month: str, day: str) -> date | None:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def _first(pattern: re.Pattern[str], lines: list[_Line]) -> tuple[_Line, re.Match[str]] | None:
    for line in lines:
        match = pattern.search(line.folded)
        if match:
            return line, match
    return None


def _title(head: list[_Line]) -> _Line | None:
    for line in head:
        folded = line.folded
        titled = folded.endswith("报告") or _DEPARTMENT_TITLE.search(folded) is not None
        if titled and "印发" not in folded and len(folded) <= 100:
            return line
    return None


def _kind(title: _Line | None) -> str | None:
    if title is None:
        return None
    for marker, kind in _KINDS:
        if marker in title.folded:
            return kind
    return "report"


def _doc_number(head: list[_Line]) -> str | None:
    found = _first(_DOC_NUMBER, head)
    return re.sub(r"\s+", "", found[0].text(found[1])) if found else None


def _speaker(head: list[_Line], dateline_index: int | None) -> tuple[_Line, re.Match[str]] | None:
    candidates = head[dateline_index + 1 :] if dateline_index is not None else head
    for line in candidates[:3]:
        match = _SPEAKER.match(line.folded)
        if match:
            return line, match
    return None


def _issued_on(clean: CleanText, head: list[_Line], title: _Line | None) -> date | None:
    printed = _PRINTED_ON.search(fold(clean.source.text))
    if printed:
        return _date(*printed.groups())
    notice = head[: head.index(title)] if title in head else []
    signed = _first(_SIGNED_ON, notice)
    return _date(*signed[1].groups()) if signed else None


def _place(texts: list[str]) -> tuple[str | None, str | None]:
    """(city, district) named in the report's own header lines, first full mention wins.

    ``texts`` are folded; the names are returned folded too (simplified).
    """
    city, district = None, None
    for text in texts:
        for match in _PLACE.finditer(_LEADING_WORDS.sub("", text)):
            if match.group("city") and city is None:
                city = match.group("city")
            if district is None:
                district = match.group("district")
    return city, district


def _years(
    lines: list[_Line], title: _Line | None, delivered: date | None
) -> tuple[int | None, int | None, list[str]]:
    """(year reviewed, year planned, notes on any year inferred rather than stated)."""
    reviewed = planned = None
    if title and (match := _PLAN_TITLE.search(title.folded)):
        reviewed, planned = int(match.group(1)), int(match.group(2))
    if title and (match := _DEPARTMENT_YEAR.search(title.folded)):
        # A budget plans the year it names; a final account reviews it.
        if "决算" in title.folded:
            reviewed = int(match.group(1))
        else:
            planned = int(match.group(1))
    if reviewed is None and (review := _first(_REVIEW_HEADING, lines)):
        reviewed = int(review[1].group(1))
    if planned is None and (plan := _first(_PLAN_HEADING, lines)):
        planned = int(plan[1].group(1))
    notes: list[str] = []
    if delivered is not None:
        base = delivered.year if delivered.month >= 7 else delivered.year - 1
        if reviewed is None:
            reviewed = base
            notes.append(f"year reviewed not stated; taken as {base} from the delivery date")
        if planned is None:
            planned = base + 1
            notes.append(f"year planned not stated; taken as {base + 1} from the delivery date")
    return reviewed, planned, notes


def extract_metadata(
    clean: CleanText, body_end: int
) -> tuple[ReportMetadata, list[ExtractionWarning]]:
    """The report's metadata from its cleaned body text."""
    lines = _lines(clean, body_end)
    head = lines[:_HEAD_PARAGRAPHS]
    title = _title(head)
    dateline_index = next((i for i, line in enumerate(head) if _DATELINE.match(line.folded)), None)
    dateline = _DATELINE.match(head[dateline_index].folded) if dateline_index is not None else None
    speaker = _speaker(head, dateline_index)
    session: str | None = None
    folded_session: str | None = None
    if dateline is not None and dateline_index is not None:
        session, folded_session = head[dateline_index].text(dateline, 4), dateline.group(4)
    elif in_text := _first(_SESSION_IN_TEXT, head):
        session, folded_session = in_text[0].text(in_text[1], 1), in_text[1].group(1)
    delivered = _date(*dateline.groups()[:3]) if dateline else None
    body: str | None = None
    folded_body: str | None = None
    if speaker and speaker[1].group("body"):
        body, folded_body = speaker[0].text(speaker[1], "body"), speaker[1].group("body")
    elif named := _first(_BODY_NAME, head):
        body, folded_body = named[0].text(named[1]), named[1].group(0)
    folded_texts = [text for text in (folded_body, folded_session, title and title.folded) if text]
    city, district = _place(folded_texts)
    reviewed, planned, notes = _years(lines, title, delivered)
    metadata = ReportMetadata(
        title=title.printed if title else None,
        kind=_kind(title),
        issuing_body=body,
        district=district,
        city=city,
        doc_number=_doc_number(head),
        delivered_on=delivered,
        issued_on=_issued_on(clean, head, title),
        congress_session=session,
        speaker=speaker[0].text(speaker[1], "name") if speaker else None,
        speaker_role=speaker[0].text(speaker[1], "role") if speaker else None,
        year_reviewed=reviewed,
        year_planned=planned,
    )
    warnings = [ExtractionWarning(clean.source.path, note) for note in notes]
    return metadata, warnings
