"""What a numeral name promises: a count of parts, and a label, for each group it names.

A numeral slogan promises its parts: 六稳 six, 三所一庭 three and one, “235”
two, three and five. :func:`promised_counts` reads the promise from the name
alone; :func:`read_promise` also gives each group's label (一核, 两纵) and the
kind of promise, for :func:`kg.extract.slogans.extract_parts` to check against
the definition.

How a name is read:

- Chinese numerals count parts, one group per numeral: 一核两纵三区四带 → (1, 2, 3, 4).
  双 counts two (双区融合 → (2,)), or doubles a numeral after it (“双十” → (10, 10)).
  A run of bare units is one group per unit (“百千万” → (100, 1000, 10000)).
- A numeral that states an amount is not a count of parts: one holding 万 or 亿
  (“三千亿”城区) or followed by a unit of money, length, weight or time
  (元, 公里, 年, …), one after 第, and a lone 百, 千, 万 or 亿 inside a word.
- In N个一 (“四个一”) the 一 is the thing counted, not a group.
- A name whose only numeral is 一 (一事联办, “一路一证”, 多审合一) names a
  unity, not a list, and promises nothing.
- Digits count only in a quoted code (“235”: one group per digit) or a plus
  code (“1+6” → (1, 6)); digits glued to letters (C40, 5G) are names.
- An open member (+N, X) is not counted: “三所一庭+N” → (3, 1), 1+1+X → (1, 1).
  Parts the definition lists beyond the counted ones go to a group named N or X.
- The first character of a name read as a dash (“—场三馆”) is taken for 一.

A quoted digit code (企业开办“210”标准: 2 steps, 1 day and 0 fees) is a claim
to check, not a promise: a code with a 0 promises nothing (no group has no
parts), and any other is a :attr:`PromiseKind.CODE` that the definition must
enumerate. Round targets (“百千万”, “双十”) are a :attr:`PromiseKind.QUANTITY`,
met by stated amounts rather than by lists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from kg.extract.numerals import NUMERAL_CHARS, parse_chinese_number

__all__ = ["QUOTE_CHARS", "WIDTH_FOLD", "Promise", "PromiseKind", "promised_counts", "read_promise"]


class PromiseKind(Enum):
    """How a promise is kept: by a list of parts, by a digit code's groups, or by amounts."""

    LIST = "list"
    CODE = "code"
    QUANTITY = "quantity"


@dataclass(frozen=True)
class Promise:
    """What a name promises: a count and a label (一核, 两纵; 2, 3, 5) per group."""

    counts: tuple[int, ...]
    labels: tuple[str, ...]
    kind: PromiseKind
    open_label: str | None = None


QUOTE_CHARS = "“”‘’「」『』\"'"
"""Every quote mark a name or definition may print, curly, corner or straight."""
WIDTH_FOLD = str.maketrans(
    {
        **{chr(0xFF10 + i): str(i) for i in range(10)},
        **{chr(0xFF21 + i): chr(0x41 + i) for i in range(26)},
        **{chr(0xFF41 + i): chr(0x61 + i) for i in range(26)},
        "＋": "+",
    }
)
"""Full-width digits, Latin letters and plus signs to their ASCII forms."""

_UNIT_VALUES = {"百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000}
_UNIT_CHARS = "".join(_UNIT_VALUES)
_MAGNITUDE_CHARS = "万亿"
_AMOUNT_UNIT = re.compile(r"元|亿|万|公里|千米|米|平方|吨|年|月|日|天|小时|分钟|秒|岁|%|倍")
_NUMERAL_RUN = re.compile(rf"双[{NUMERAL_CHARS}]+|双|[{NUMERAL_CHARS}]+")
_OPEN_MEMBER = re.compile(r"\+([NXnx])(?![A-Za-z])")
_PLUS_CODE = re.compile(r"(?<![A-Za-z0-9])(?:[0-9]+|[NXnx])(?:\+(?:[0-9]+|[NXnx]))+(?![A-Za-z0-9])")
_DIGIT_CODE = re.compile(r'"([0-9]+)"')
_SEGMENT_END = re.compile(r'["、+，,]')
_LEADING_DASH = re.compile(r'^("?)[—–－-](?=[\u4e00-\u9fff])')


def _normalize_term(term: str) -> str:
    text = re.sub(r"[*#\s]", "", term).translate(WIDTH_FOLD)
    text = re.sub(f"[{QUOTE_CHARS}]", '"', text)
    return _LEADING_DASH.sub(r"\g<1>一", text)


def _plus_code(text: str) -> Promise | None:
    match = _PLUS_CODE.search(text)
    if match is None:
        return None
    tokens = match.group().split("+")
    numbers = [token for token in tokens if token.isdigit()]
    opens = [token.upper() for token in tokens if not token.isdigit()]
    if not numbers:
        return None
    counts = tuple(int(token) for token in numbers)
    return Promise(counts, tuple(numbers), PromiseKind.LIST, opens[0] if opens else None)


def _digit_code(text: str) -> Promise | None:
    match = _DIGIT_CODE.search(text)
    if match is None or "0" in match.group(1):
        return None
    digits = match.group(1)
    return Promise(tuple(int(digit) for digit in digits), tuple(digits), PromiseKind.CODE)


def _run_values(text: str, match: re.Match[str]) -> list[int]:
    """The part counts one numeral run stands for; empty when it is no count."""
    run, start, end = match.group(), match.start(), match.end()
    if start > 0 and text[start - 1] == "第":
        return []
    if _AMOUNT_UNIT.match(text, end):
        return []
    if run == "双":
        return [2]
    doubled = run.startswith("双")
    run = run.removeprefix("双")
    if len(run) > 1 and all(char in _UNIT_CHARS for char in run):
        return [_UNIT_VALUES[char] for char in run]
    if run in _UNIT_CHARS or any(char in _MAGNITUDE_CHARS for char in run):
        return []
    if run == "一" and start >= 2 and text[start - 1] == "个" and text[start - 2] in NUMERAL_CHARS:
        return []  # 四个一: the 一 is what is counted
    value = parse_chinese_number(run)
    if not value:
        return []
    return [value, value] if doubled else [value]


def _segment(text: str, start: int, stop: int) -> str:
    """The stretch of the name a numeral heads: 两纵 of 一核两纵三区四带."""
    found = _SEGMENT_END.search(text, start + 1, stop)
    return text[start : found.start() if found else stop]


def _numeral_slogan(text: str) -> Promise | None:
    open_match = _OPEN_MEMBER.search(text)
    open_label = open_match.group(1).upper() if open_match else None
    text = _OPEN_MEMBER.sub("", text)
    runs = [(match, _run_values(text, match)) for match in _NUMERAL_RUN.finditer(text)]
    runs = [(match, values) for match, values in runs if values]
    counts: list[int] = []
    labels: list[str] = []
    for index, (match, values) in enumerate(runs):
        stop = runs[index + 1][0].start() if index + 1 < len(runs) else len(text)
        whole = _segment(text, match.start(), stop)
        counts.extend(values)
        units = match.group()
        each_unit = len(values) == len(units) > 1 and all(c in _UNIT_CHARS for c in units)
        labels.extend(list(units) if each_unit else [whole] * len(values))
    if not counts or all(count == 1 for count in counts):
        return None
    kind = PromiseKind.QUANTITY if all(_is_round(count) for count in counts) else PromiseKind.LIST
    return Promise(tuple(counts), tuple(labels), kind, open_label)


def _is_round(count: int) -> bool:
    return count >= 10 and str(count).rstrip("0") == "1"


def read_promise(term: str) -> Promise | None:
    """What ``term`` promises, or None when it promises no count."""
    text = _normalize_term(term)
    if not text:
        return None
    return _plus_code(text) or _digit_code(text) or _numeral_slogan(text)


def promised_counts(term: str) -> tuple[int, ...] | None:
    """The part count per group that ``term`` promises, or None when it promises none.

    >>> promised_counts("一核两纵三区四带"), promised_counts("“235”现代化产业体系")
    ((1, 2, 3, 4), (2, 3, 5))
    >>> promised_counts("“三千亿”城区") is None
    True
    """
    promise = read_promise(term)
    return promise.counts if promise else None
