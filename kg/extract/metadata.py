"""What a report says about itself: body, district, kind, dates, session, speaker, years.

Each field comes from a line the genre always prints in the same shape: the
doc number (江政〔2025〕1号), the dateline (——2024年12月29日在…会议上), the
speaker line (…人民政府代区长 郭小平), the printing line (…2025年1月20日印发),
section headings (一、2024年工作回顾 / 二、2025年工作安排). A field the document
does not state is None. Years inferred from the delivery date, when no heading
states them, carry a warning so that nothing is guessed silently.
"""

from __future__ import annotations

import re
from datetime import date

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
_LEADING_WORDS = re.compile(r"^(?:关于|在|受|由)")
_PLACE = re.compile(
    r"(?P<city>[\u4e00-\u9fff]{2,6}?市)?(?P<district>[\u4e00-\u9fff]{1,5}?[区县旗])"
    r"(?=第|人民政府|\d{4}年|国民经济)"
)
_REVIEW_HEADING = re.compile(
    r"^[一二三四五六七八九十]{1,2}、\s*(\d{4})年(?:工作回顾|主要工作|工作总结|.{0,20}执行情况)"
)
_PLAN_HEADING = re.compile(
    r"^[一二三四五六七八九十]{1,2}、\s*(\d{4})年(?:.{0,20}(?:工作安排|重点工作|主要任务|工作任务|计划草案))"
)
_PLAN_TITLE = re.compile(r"(\d{4})年.{0,20}计划执行情况.{0,4}(\d{4})年.{0,20}计划(?:草案)?")
_KINDS = (
    ("政府工作报告", "government_work_report"),
    ("计划执行情况", "plan_report"),
    ("计划草案", "plan_report"),
    ("预算执行情况", "budget_report"),
    ("预算草案", "budget_report"),
)


def _paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n") if line.strip()]


def _date(year: str, month: str, day: str) -> date | None:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def _first(pattern: re.Pattern[str], paragraphs: list[str]) -> re.Match[str] | None:
    for paragraph in paragraphs:
        match = pattern.search(paragraph)
        if match:
            return match
    return None


def _title(head: list[str]) -> str | None:
    for paragraph in head:
        if paragraph.endswith("报告") and "印发" not in paragraph and len(paragraph) <= 100:
            return paragraph
    return None


def _kind(title: str | None) -> str | None:
    if title is None:
        return None
    for marker, kind in _KINDS:
        if marker in title:
            return kind
    return "report"


def _doc_number(head: list[str]) -> str | None:
    match = _first(_DOC_NUMBER, head)
    return re.sub(r"\s+", "", match.group(0)) if match else None


def _speaker(head: list[str], dateline_index: int | None) -> re.Match[str] | None:
    candidates = head[dateline_index + 1 :] if dateline_index is not None else head
    for paragraph in candidates[:3]:
        match = _SPEAKER.match(paragraph)
        if match:
            return match
    return None


def _issued_on(clean: CleanText, head: list[str], title: str | None) -> date | None:
    printed = _PRINTED_ON.search(clean.source.text)
    if printed:
        return _date(*printed.groups())
    notice = head[: head.index(title)] if title in head else []
    signed = _first(_SIGNED_ON, notice)
    return _date(*signed.groups()) if signed else None


def _place(texts: list[str]) -> tuple[str | None, str | None]:
    """(city, district) named in the report's own header lines, first full mention wins."""
    city, district = None, None
    for text in texts:
        for match in _PLACE.finditer(_LEADING_WORDS.sub("", text)):
            if match.group("city") and city is None:
                city = match.group("city")
            if district is None:
                district = match.group("district")
    return city, district


def _years(
    paragraphs: list[str], title: str | None, delivered: date | None
) -> tuple[int | None, int | None, list[str]]:
    """(year reviewed, year planned, notes on any year inferred rather than stated)."""
    reviewed = planned = None
    if title and (match := _PLAN_TITLE.search(title)):
        reviewed, planned = int(match.group(1)), int(match.group(2))
    if reviewed is None and (review := _first(_REVIEW_HEADING, paragraphs)):
        reviewed = int(review.group(1))
    if planned is None and (plan := _first(_PLAN_HEADING, paragraphs)):
        planned = int(plan.group(1))
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
    paragraphs = _paragraphs(clean.text[:body_end])
    head = paragraphs[:_HEAD_PARAGRAPHS]
    title = _title(head)
    dateline_index = next((i for i, p in enumerate(head) if _DATELINE.match(p)), None)
    dateline = _DATELINE.match(head[dateline_index]) if dateline_index is not None else None
    speaker = _speaker(head, dateline_index)
    session = dateline.group(4) if dateline else None
    if session is None and (in_text := _first(_SESSION_IN_TEXT, head)):
        session = in_text.group(1)
    delivered = _date(*dateline.groups()[:3]) if dateline else None
    body = speaker.group("body") if speaker and speaker.group("body") else None
    if body is None:
        named = _first(_BODY_NAME, head)
        body = named.group(0) if named else None
    city, district = _place([text for text in (body, session, title) if text])
    reviewed, planned, notes = _years(paragraphs, title, delivered)
    metadata = ReportMetadata(
        title=title,
        kind=_kind(title),
        issuing_body=body,
        district=district,
        city=city,
        doc_number=_doc_number(head),
        delivered_on=delivered,
        issued_on=_issued_on(clean, head, title),
        congress_session=session,
        speaker=speaker.group("name") if speaker else None,
        speaker_role=speaker.group("role") if speaker else None,
        year_reviewed=reviewed,
        year_planned=planned,
    )
    warnings = [ExtractionWarning(clean.source.path, note) for note in notes]
    return metadata, warnings
