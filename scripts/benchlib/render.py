"""Write a planned report as the text a user has: PDF text, a markdown conversion, plain lines.

Three layouts, each copied from a bundled file:

``pdf`` (江汉区 2020 and 2024)
    hard line breaks every 27 characters with a blank line after each, page
    numbers ("- 12 -") on lines of their own, half the time the notice of
    issue with its doc number (江政〔2025〕1 号), the title spaced out
    (政 府 工 作 报 告), the dateline broken before 第N次会议上, 附件 / 名词解释,
    entries numbered 1.term：…, the 抄送 block and the printing line;
``markdown`` (江汉区 2023, and the plan report)
    headings (#, ####), "- " bullets, **bold** leads, half-width punctuation,
    spaces where a converter joined wrapped lines ("审 议通过"), page
    furniture "**—** 26 **—**", entries "- 1.term:…";
``plain`` (武昌区 2024)
    the first paragraphs wrapped at 28 characters without blank lines, the
    heading 《政府工作报告》名词注释 with its (按名词出现先后顺序) note, entries
    "1. term：…".
"""

from __future__ import annotations

import random
import re

from benchlib.corpus import ReportPlan
from benchlib.genre import CITY_MARK, DISTRICT_MARK, Genre, Paragraph, shift_years
from benchlib.terms import Entry

__all__ = ["render_report"]

_CN = "零一二三四五六七八九十"
_VERBS = ("锚定", "围绕", "深入推进", "持续深化", "全面落实", "加快打造", "大力推广", "扎实推进")
# A wrapped line must not open like a list item or a section, or the cleaner starts a paragraph.
_STRUCTURAL = re.compile(
    r"^(?:\d{1,3}\s*[.．、]|[（(]|[一二三四五六七八九十]{1,3}[、．.]|——|附|各位)"
)
_SLOGAN = re.compile(r"“([^“”]{2,8})”")
_NO_LINE_START = frozenset("，。、；：”）！？,.;:)")
_HALF_WIDTH = str.maketrans({"，": ",", "：": ":", "；": ";", "（": "(", "）": ")", "！": "!"})
_QUOTES = str.maketrans({"“": '"', "”": '"'})
_GREETING = "现在，我代表区人民政府，向大会报告工作，请予审议，并请区政协委员和列席人员提出意见。"
_CLOSING = (
    "各位代表！新征程上，让我们更加紧密地团结在以习近平同志为核心的党中央周围，"
    "凝心聚力、实干争先，为奋力谱写中国式现代化{D}篇章作出新的更大贡献！"
)


def _cn(number: int) -> str:
    if number <= 10:
        return _CN[number]
    return ("十" if number < 20 else _CN[number // 10] + "十") + (
        _CN[number % 10] if number % 10 else ""
    )


def _congress(year: int) -> tuple[str, str]:
    """(届, 次) of the people's congress a report delivered in ``year`` is given to."""
    if year <= 2020:
        return "十五", _cn(year - 2015)
    return "十六", _cn(year - 2020)


def _mention(label: str) -> str:
    return label if any(q in label for q in '“”"「') else f"“{label}”"


def _inject(paragraphs: list[str], labels: list[str], rng: random.Random) -> None:
    """Mention each label in a random paragraph, at a clause boundary."""
    for label in labels:
        index = rng.randrange(len(paragraphs))
        text = paragraphs[index]
        commas = [i for i, char in enumerate(text) if char == "，"]
        at = rng.choice(commas) + 1 if commas else 0
        phrase = f"{rng.choice(_VERBS)}{_mention(label)}，"
        paragraphs[index] = text[:at] + phrase + text[at:]


def _vary_slogans(text: str, genre: Genre, rng: random.Random) -> str:
    """Half the quoted slogans of a bundled paragraph with one character exchanged.

    Each report of a real corpus coins slogans of its own; reused as they are,
    the bundled paragraphs' few dozen would be all a large corpus ever uses.
    """

    def vary(match: re.Match[str]) -> str:
        slogan = match.group(1)
        spots = [i for i, char in enumerate(slogan) if char in genre.label_chars]
        if not spots or rng.random() < 0.5:
            return match.group(0)
        spot = rng.choice(spots)
        return f"“{slogan[:spot]}{rng.choice(genre.label_chars)}{slogan[spot + 1 :]}”"

    return _SLOGAN.sub(vary, text)


def _body(plan: ReportPlan, genre: Genre, rng: random.Random) -> list[str]:
    """Headings and paragraphs of the running text, terms mentioned, places named."""
    pool: tuple[Paragraph, ...] = genre.plan_paragraphs if plan.kind == "plan" else genre.paragraphs
    count = rng.randint(46, 58)
    chosen = [rng.choice(pool) for _ in range(count)]
    texts = [_vary_slogans(shift_years(p.text, plan.year - p.year), genre, rng) for p in chosen]
    labels = [e.label for e in plan.entries for _ in range(1 + (rng.random() < 0.35))]
    _inject(texts, labels + [e.label for e in plan.earlier_terms], rng)
    review, outlook = texts[: count * 3 // 5], texts[count * 3 // 5 :]
    subheadings = rng.sample(genre.subheadings, 6)
    lines = [_GREETING, f"一、{plan.year} 年工作回顾"]
    for number, start in enumerate(range(0, len(review), len(review) // 3 + 1), 1):
        lines.append(f"（{_cn(number)}）{subheadings[number - 1]}")
        lines.extend(review[start : start + len(review) // 3 + 1])
    lines.append(f"二、{plan.year + 1} 年工作安排")
    for number, start in enumerate(range(0, len(outlook), len(outlook) // 3 + 1), 1):
        lines.append(f"（{_cn(number)}）{subheadings[number + 2]}")
        lines.extend(outlook[start : start + len(outlook) // 3 + 1])
    lines.append(_CLOSING)
    return lines


def _wrap(text: str, width: int, skip: int = 0) -> list[str]:
    """``text`` cut every ``width`` characters (the first cut after ``skip``), as a PDF prints."""
    lines: list[str] = []
    start = 0
    while len(text) - start > width:
        cut = start + max(width, skip if not lines else 0)
        while cut < len(text) and (text[cut] in _NO_LINE_START or _STRUCTURAL.match(text[cut:])):
            cut += 1
        lines.append(text[start:cut])
        start = cut
    lines.append(text[start:])
    return [line for line in lines if line]


def _entry_text(number: int, entry: Entry, layout: str, rng: random.Random) -> str:
    if layout == "plain":
        return f"{number}. {entry.label}：{entry.definition}"
    if layout == "markdown":
        label = f"**{entry.label}**" if rng.random() < 0.1 else entry.label
        return f"- {number}.{label}:{entry.definition}".translate(_HALF_WIDTH).translate(_QUOTES)
    return f"{number}.{entry.label}：{entry.definition}"


def _dateline(plan: ReportPlan, day: int, city: bool) -> tuple[str, str]:
    congress, session = _congress(plan.year)
    place = f"{plan.district.city_short}市{plan.district.name}" if city else plan.district.name
    return (
        f"——{plan.year}年12月{day}日在{place}第{congress}届人民代表大会",
        f"第{session}次会议上",
    )


def _pdf(plan: ReportPlan, body: list[str], rng: random.Random) -> str:
    congress, session = _congress(plan.year)
    issued = f"{plan.year + 1} 年 1 月 {rng.randint(10, 25)} 日"
    out: list[str] = []
    if rng.random() < 0.5:
        out += ["- 1 -", f"{plan.district.short[0]}政〔{plan.year + 1}〕1 号"]
        out += [
            "区人民政府关于印发政府工作报告的",
            "通 知",
            "各街道办事处，区人民政府各部门，区属各单位：",
        ]
        out += _wrap(
            f"政府工作报告已经区第{congress}届人民代表大会第{session}次会议审议通过，"
            "现印发给你们，请认真组织学习，抓好贯彻落实。",
            27,
        )
        out += [f"{plan.district.name}人民政府", issued, " 政 府 工 作 报 告"]
    else:
        out += ["政府工作报告"]
    first, second = _dateline(plan, rng.randint(25, 30), False)
    out += [first + second] if rng.random() < 0.5 else [first, second]
    out += [f"{plan.district.city_short}市{plan.district.name}人民政府{plan.role} {plan.speaker}"]
    out += ["各位代表："]
    for line in body:
        out += _wrap(line, 27)
    out += ["附件", "名词解释"]
    for number, entry in enumerate(plan.entries, 1):
        out += _wrap(_entry_text(number, entry, "pdf", rng), 27, skip=len(entry.label) + 4)
    out += [
        "抄送：区委办公室，区纪委办公室，各人民团体。",
        "区人大办公室，区政协办公室，区法院，区检察院。",
    ]
    out += [f"{plan.district.name}人民政府办公室 {issued}印发"]
    paged: list[str] = []
    for index, line in enumerate(out):
        paged.append(line)
        if index % 23 == 22:
            paged.append(f"- {index // 23 + 2} -")
    return "\n\n".join(paged) + "\n"


def _spaced(text: str, rng: random.Random) -> str:
    """A markdown paragraph joined from wrapped lines, a space left at some joins."""
    if len(text) < 60 or rng.random() < 0.5:
        return text
    return " ".join(_wrap(text, 30, skip=30))


def _markdown(plan: ReportPlan, body: list[str], rng: random.Random) -> str:
    congress, session = _congress(plan.year)
    day = rng.randint(10, 25)
    out: list[str] = []
    if plan.kind == "plan":
        out += [
            f"# 关于{plan.district.name} {plan.year} 年国民经济和社会发展 计划执行情况与 "
            f"{plan.year + 1} 年国民经济和 社会发展计划草案的报告",
            "各位代表：",
            f"受区人民政府委托，现将全区 {plan.year} 年国民经济和社会发展计划执行情况与 "
            f"{plan.year + 1} 年国民经济和社会发展计划草案"
            f"提请区{congress}届人大{session}次会议审议，"
            "并请区政协委员和列席人员提出意见。",
        ]
        body = body[1:]
    else:
        out += [f"## {plan.district.short[0]}政〔{plan.year + 1}〕1号"]
        out += [
            "# 区人民政府关于印发政府工作报告的 通 知",
            "各街道办事处,区人民政府各部门,区属各单位:",
        ]
        out += [
            f"政府工作报告已经区第{congress}届人民代表大会第{session}次会议审 议通过,"
            "现印发给你们,请认真组织学习,抓好贯彻落实。",
            f"{plan.district.name}人民政府 {plan.year + 1}年1月{day}日",
            "# 政府工作报告",
            " ".join(_dateline(plan, rng.randint(25, 30), False)),
            f"{plan.district.name}人民政府{plan.role} {plan.speaker}",
            "#### 各位代表:",
        ]
    for line in body:
        if line.startswith(("一、", "二、")):
            out.append(f"#### {line}")
        elif line.startswith("（"):
            out.append(f"- {line}".translate(_HALF_WIDTH))
        elif rng.random() < 0.2 and "。" in line[:40]:
            lead, rest = line.split("。", 1)
            out.append(
                f"**{lead}。**{_spaced(rest, rng)}".translate(_HALF_WIDTH).translate(_QUOTES)
            )
        else:
            out.append(_spaced(line, rng).translate(_HALF_WIDTH).translate(_QUOTES))
    if plan.entries:
        out.append("# 名词解释")
        for number, entry in enumerate(plan.entries, 1):
            out.append(_entry_text(number, entry, "markdown", rng))
            if number % 12 == 0:
                out.append(f"**—** {20 + number // 12} **—** ")
        out += [f"{plan.district.name}人民政府办公室", f"{plan.year + 1}年1月{day}日印发"]
    return "\n\n".join(out) + "\n"


def _plain(plan: ReportPlan, body: list[str], rng: random.Random) -> str:
    first, second = _dateline(plan, rng.randint(25, 30), True)
    out = [
        "",
        "政府工作报告",
        "",
        first,
        second,
        "",
        f"{plan.district.name}人民政府{plan.role} {plan.speaker}",
    ]
    out += ["", "各位代表：", ""]
    for index, line in enumerate(body):
        out += _wrap(line, 28) if index < 8 else [line]
        out.append("")
    out += ["《政府工作报告》名词注释", "", "(按名词出现先后顺序)", ""]
    for number, entry in enumerate(plan.entries, 1):
        out += [_entry_text(number, entry, "plain", rng), ""]
    return "\n".join(out)


def render_report(plan: ReportPlan, genre: Genre, rng: random.Random) -> str:
    """The text of the planned report, in its layout, with its district's names filled in."""
    body = _body(plan, genre, rng)
    writer = {"pdf": _pdf, "markdown": _markdown, "plain": _plain}[plan.layout]
    text = writer(plan, body, rng)
    return text.replace(DISTRICT_MARK, plan.district.short).replace(
        CITY_MARK, plan.district.city_short
    )


def expand(text: str, plan: ReportPlan) -> str:
    """A label or definition with the district's names filled in, as :func:`render_report` does."""
    return text.replace(DISTRICT_MARK, plan.district.short).replace(
        CITY_MARK, plan.district.city_short
    )
