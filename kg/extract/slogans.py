"""Enumerated slogans: the counts a policy name promises and the parts its definition lists.

A numeral slogan promises its parts: 六稳 six, 三所一庭 three and one, “235”
two, three and five. :func:`promised_counts` reads the promise from the name
alone; :func:`extract_parts` finds the parts in the glossary definition and
returns an :class:`~kg.model.EnumeratedParts` whose ``matches`` says whether
the definition keeps the promise. A mismatch is a finding about the document,
not an error.

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

A quoted digit code is a claim to check, not a promise: 企业开办“210”标准 means
2 steps, 1 day and 0 fees. A code with a 0 promises nothing (no group has no
parts), and :func:`extract_parts` keeps any other code only when the definition
enumerates groups that match it; otherwise it returns None.

Round targets (“百千万”, “双十”) are met by stated amounts, not by lists:
“集聚 100 家…，1000 家…，10000 名…” is found as (100, 1000, 10000).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import Enum

from kg.extract.numerals import NUMERAL_CHARS, parse_chinese_number
from kg.model import Component, EnumeratedParts

__all__ = ["extract_parts", "promised_counts"]


class _Kind(Enum):
    LIST = "list"
    CODE = "code"
    QUANTITY = "quantity"


@dataclass(frozen=True)
class _Promise:
    """What a name promises: a count and a label (一核, 两纵; 2, 3, 5) per group."""

    counts: tuple[int, ...]
    labels: tuple[str, ...]
    kind: _Kind
    open_label: str | None = None


@dataclass(frozen=True)
class _Reading:
    """Raw part texts per promised group, plus parts beyond them for an open member."""

    groups: tuple[tuple[str, ...], ...]
    extra: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Candidate:
    """One way of cutting a definition into a list; ``strong`` if it is surely a list."""

    items: tuple[str, ...]
    strong: bool = False


# ---------------------------------------------------------------- reading the name

_QUOTE_CHARS = "“”‘’「」『』\"'"
_WIDTH_FOLD = str.maketrans(
    {
        **{chr(0xFF10 + i): str(i) for i in range(10)},
        **{chr(0xFF21 + i): chr(0x41 + i) for i in range(26)},
        **{chr(0xFF41 + i): chr(0x61 + i) for i in range(26)},
        "＋": "+",
    }
)
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
    text = re.sub(r"[*#\s]", "", term).translate(_WIDTH_FOLD)
    text = re.sub(f"[{_QUOTE_CHARS}]", '"', text)
    return _LEADING_DASH.sub(r"\g<1>一", text)


def _plus_code(text: str) -> _Promise | None:
    match = _PLUS_CODE.search(text)
    if match is None:
        return None
    tokens = match.group().split("+")
    numbers = [token for token in tokens if token.isdigit()]
    opens = [token.upper() for token in tokens if not token.isdigit()]
    if not numbers:
        return None
    counts = tuple(int(token) for token in numbers)
    return _Promise(counts, tuple(numbers), _Kind.LIST, opens[0] if opens else None)


def _digit_code(text: str) -> _Promise | None:
    match = _DIGIT_CODE.search(text)
    if match is None or "0" in match.group(1):
        return None
    digits = match.group(1)
    return _Promise(tuple(int(digit) for digit in digits), tuple(digits), _Kind.CODE)


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


def _numeral_slogan(text: str) -> _Promise | None:
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
    kind = _Kind.QUANTITY if all(_is_round(count) for count in counts) else _Kind.LIST
    return _Promise(tuple(counts), tuple(labels), kind, open_label)


def _is_round(count: int) -> bool:
    return count >= 10 and str(count).rstrip("0") == "1"


def _read_promise(term: str) -> _Promise | None:
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
    promise = _read_promise(term)
    return promise.counts if promise else None


# ------------------------------------------------------------ reading the definition

_QUOTE_FOLD = str.maketrans({"‘": "“", "’": "”", "「": "“", "」": "”", "『": "“", "』": "”"})
_PUNCT_FOLD = str.maketrans({",": "，", ";": "；", ":": "：", "(": "（", ")": "）", "!": "！"})
_WIDE = r"\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’"
_SPACE_BY_WIDE = re.compile(rf"\s+(?=[{_WIDE}])|(?<=[{_WIDE}])\s+")
_CONJUNCTION = re.compile(r"以及|(?<![参涉普给赋])[和及与](?![时谐])")
_ORDINAL = re.compile(r"(?:^|(?<=[：；。，]))([一二三四五六七八九十]+)是")
_QUOTED = re.compile(r"“([^“”]+)”")
_WRAPPED_LIST = re.compile(r"^以(.+)为([^的，]+)$")
_NAMED_BY_ROLE = re.compile(r"以.+?为[^的，]{1,4}的(.+)$")
_LEAD = re.compile(
    r"^(?:(?:在|每个)[^，、]*?)?(?:全面)?"
    r"(必须统筹好|整合|落实|打造|设置|明确|组织|推动|提高|包括|配备|围绕|集聚|引入)"
)
_ET_CETERA_TAIL = re.compile(r"(?<=[^平高同均对相])等.*$")
_COUNTED_TAIL = re.compile(rf"(?<=..)[{NUMERAL_CHARS}0-9]+[项个类大方种位].*$")
_COLLECTIVE_TAIL = re.compile(r"(?<=..)(?:资源力量|融合联动)$")
_QUANTITY = re.compile(
    rf"([0-9]+|[{NUMERAL_CHARS}]+)(?:家|名|个|项|座|所|栋|位|条)([^，、；。和及与]+)"
)
_SHORT_LABEL = 14

_SEMICOLON = "；"
_COMMA = "，；"
_ANY = "、，；"


def _normalize_text(definition: str) -> str:
    text = definition.replace("*", "").translate(_WIDTH_FOLD).translate(_PUNCT_FOLD)
    text = _pair_straight_quotes(text).translate(_QUOTE_FOLD)
    return _SPACE_BY_WIDE.sub("", text).strip()


def _pair_straight_quotes(text: str) -> str:
    pieces = text.split('"')
    return (
        "".join(piece + ("“" if index % 2 == 0 else "”") for index, piece in enumerate(pieces[:-1]))
        + pieces[-1]
    )


def _split(text: str, separators: str) -> list[str]:
    """Cut ``text`` at ``separators`` outside brackets; drop empty pieces."""
    if "（" not in text:
        return _kept(re.split(f"[{separators}]", text))
    pieces: list[str] = []
    current: list[str] = []
    depth = 0
    for char in text:
        depth += (char == "（") - (char == "）")
        depth = max(depth, 0)
        if depth == 0 and char in separators:
            pieces.append("".join(current))
            current = []
        else:
            current.append(char)
    pieces.append("".join(current))
    return _kept(pieces)


def _kept(pieces: list[str]) -> list[str]:
    return [piece.strip(" 。") for piece in pieces if piece.strip(" 。")]


def _split_conjunction(item: str) -> list[str]:
    """A和B → [A, B] at the first 和/及/与/以及 outside brackets, both sides two chars or more."""
    for match in _CONJUNCTION.finditer(item):
        left, right = item[: match.start()], item[match.end() :]
        if left.count("（") == left.count("）") and len(left) >= 2 and len(right) >= 2:
            return [left, right]
    return [item]


def _variants(items: list[str]) -> Iterator[tuple[str, ...]]:
    """The items as cut, then with a 和 in the last item read as one more separator."""
    yield tuple(items)
    if items:
        last = _split_conjunction(items[-1])
        if len(last) > 1:
            yield (*items[:-1], *last)


def _sentences(text: str) -> list[str]:
    return [sentence for sentence in re.split(r"[。！？]", text) if sentence.strip()]


def _lead_regions(text: str) -> list[str]:
    """Text after 即 and after a colon: where a definition announces its list."""
    regions: list[str] = []
    for sentence in _sentences(text):
        if "即" in sentence:
            regions.append(sentence.split("即", 1)[1])
        if "：" in sentence:
            regions.append(sentence.rsplit("：", 1)[1])
    return [region for region in regions if region]


def _clauses(text: str) -> list[str]:
    clauses = [clause for sentence in _sentences(text) for clause in _split(sentence, "，；：")]
    return [_unwrap(clause) for clause in clauses]


def _unwrap(clause: str) -> str:
    """以A、B、C为三大主导产业 → A、B、C."""
    match = _WRAPPED_LIST.match(clause)
    return match.group(1) if match else clause


def _ordinal_items(text: str) -> list[str]:
    """一是A；二是B；… → [A, B, …] when numbered one, two, … in order."""
    matches = list(_ORDINAL.finditer(text))
    numbers = [parse_chinese_number(match.group(1)) for match in matches]
    if len(matches) < 2 or numbers != list(range(1, len(matches) + 1)):
        return []
    ends = [match.start() for match in matches[1:]] + [len(text)]
    return [
        text[match.end() : end].strip("；。， ") for match, end in zip(matches, ends, strict=True)
    ]


def _cuts(region: str, separators: Sequence[str], strong: bool) -> Iterator[_Candidate]:
    for separator in separators:
        for items in _variants(_split(region, separator)):
            if len(items) >= 2:
                yield _Candidate(items, strong)


def _is_plain_list(text: str, items: tuple[str, ...]) -> bool:
    """A definition that is nothing but a list of short names (六稳：稳就业、稳金融、…)."""
    one_sentence = len(_sentences(text)) == 1
    return one_sentence and all(len(label) <= _SHORT_LABEL for label in _labels(items))


def _candidates(text: str) -> Iterator[_Candidate]:
    """Ways to read the definition as one list, surest first."""
    ordinal = _ordinal_items(text)
    if ordinal:
        yield _Candidate(tuple(ordinal), strong=True)
    for region in _lead_regions(text):
        yield from _cuts(region, (_SEMICOLON, _COMMA, _ANY), strong=True)
    yield from _cuts(text, (_SEMICOLON,), strong=True)
    for candidate in _cuts(text, (_ANY,), strong=False):
        yield _Candidate(candidate.items, _is_plain_list(text, candidate.items))
    for quoted in _QUOTED.findall(text):
        yield from _cuts(quoted, (_COMMA, _ANY), strong=False)
    for clause in _clauses(text):
        yield from _cuts(clause, (_ANY,), strong=False)
    for sentence in _sentences(text):
        yield from _cuts(sentence, (_COMMA,), strong=False)


# ------------------------------------------------------------------ labels of parts


def _clean(item: str) -> str:
    label = re.sub(f"[{_QUOTE_CHARS}]", "", item).strip(" 。；，、：")
    if len(label) > 2 and label[0] in "即指":
        label = label[1:]
    role = _NAMED_BY_ROLE.search(label)
    return role.group(1) if role else label


def _head(item: str, prefix: str) -> str:
    """The clause that names a part: 致力能级跃升 of 致力能级跃升，打造高质量发展新标杆."""
    clauses = _split(item, "，")
    if not clauses:
        return item
    if prefix:
        for clause in clauses:
            if clause.startswith(prefix):
                return clause
    return clauses[0]


def _common_prefix(texts: Sequence[str]) -> str:
    if not texts:
        return ""
    first, last = min(texts), max(texts)
    size = 0
    while size < min(len(first), len(last)) and first[size] == last[size]:
        size += 1
    return first[:size] if size >= 2 else ""


def _trim_first(first: str, others: Sequence[str]) -> str:
    """Drop the lead-in of a list's first part: 整合司法所 → 司法所, …前期中的目录库 → 目录库."""
    lead = _LEAD.match(first)
    if lead and first[lead.end() :] and not any(o.startswith(lead.group(1)) for o in others):
        return first[lead.end() :]
    longest = max((len(other) for other in others), default=0)
    lead_in = "的" in first and "、" not in first and not any("的" in o for o in others)
    if others and lead_in and len(first) > 2 * longest:
        return first.rsplit("的", 1)[1] or first
    return first


def _trim_last(last: str) -> str:
    """Drop what closes a list: 个人等四方责任 → 个人, 规范管理四项计划 → 规范管理."""
    for tail in (_ET_CETERA_TAIL, _COUNTED_TAIL, _COLLECTIVE_TAIL):
        last = tail.sub("", last)
    return last


def _labels(items: Sequence[str]) -> tuple[str, ...]:
    """Short part names for the raw items of one list, in order."""
    heads = [_head(item, "") for item in items]
    prefix = _common_prefix(heads[1:]) if len(heads) > 2 else ""
    labels = [_clean(_head(item, prefix)) for item in items]
    if not labels:
        return ()
    labels[0] = _trim_first(labels[0], labels[1:])
    labels[-1] = _trim_last(labels[-1])
    return tuple(labels)


# ------------------------------------------------------------ matching parts to groups


def _fit(items: str, want: int) -> tuple[str, ...]:
    """The items of one group's text, reading a final 和 as a separator if that fits."""
    variants = list(_variants(_split(items, _ANY)))
    for variant in variants:
        if len(variant) == want:
            return variant
    return variants[-1] if variants else ()


def _labelled(promise: _Promise, text: str) -> _Reading | None:
    """“一核”指A；“两纵”指B、C；… : every group introduced by its own label."""
    starts: list[tuple[int, int]] = []
    for label in promise.labels:
        pattern = rf"“{re.escape(label)}”(?:指|即)|(?:^|(?<=[；。]))\s*{re.escape(label)}(?:指|即)"
        match = re.search(pattern, text)
        if match is None:
            return None
        starts.append((match.start(), match.end()))
    groups = []
    for (_, end), want in zip(starts, promise.counts, strict=True):
        stop = min([s for s, _ in starts if s > end] + [len(text)])
        body = re.split(r"[；。]", text[end:stop], maxsplit=1)[0]
        groups.append(_fit(body, want))
    return _Reading(tuple(groups))


def _clause_groups(promise: _Promise, text: str) -> _Reading | None:
    """One clause per group (总部经济引领、数字经济赋能，以A、B、C为…，以…): counts must fit."""
    for region in [*_lead_regions(text), *_sentences(text)]:
        for clauses in (_split(region, _SEMICOLON), _split(region, _COMMA)):
            reading = _fit_clauses(promise, [_unwrap(clause) for clause in clauses])
            if reading:
                return reading
        reading = _fit_clauses(promise, _split_conjunction(region))
        if reading:
            return reading
    return None


def _fit_clauses(promise: _Promise, clauses: list[str]) -> _Reading | None:
    if len(clauses) != len(promise.counts):
        return None
    groups = tuple(_fit(c, want) for c, want in zip(clauses, promise.counts, strict=True))
    if tuple(len(group) for group in groups) != promise.counts:
        return None
    return _Reading(groups)


def _sequential(promise: _Promise, items: tuple[str, ...]) -> _Reading:
    """Cut one list into the promised groups in order; what is left is the open member."""
    groups: list[tuple[str, ...]] = []
    start = 0
    for count in promise.counts:
        groups.append(items[start : start + count])
        start += count
    return _Reading(tuple(groups), items[start:])


def _list_reading(promise: _Promise, text: str) -> _Reading | None:
    total = sum(promise.counts)
    if len(promise.counts) > 1:
        grouped = _labelled(promise, text) or _clause_groups(promise, text)
        if grouped:
            return grouped
    candidates = list(_candidates(text))
    for candidate in candidates:
        if len(candidate.items) == total:
            return _sequential(promise, candidate.items)
    if promise.open_label:
        for candidate in candidates:
            if len(candidate.items) > total:
                return _sequential(promise, candidate.items)
    if promise.kind is _Kind.CODE:
        return None
    strong = next((candidate for candidate in candidates if candidate.strong), None)
    return _Reading((strong.items,)) if strong else None


def _components(promise: _Promise, reading: _Reading) -> tuple[Component, ...]:
    named = len(promise.counts) > 1 and len(reading.groups) == len(promise.counts)
    components: list[Component] = []
    for index, group in enumerate(reading.groups):
        group_label = promise.labels[index] if named else None
        components.extend(Component(label, group_label) for label in _labels(group))
    components.extend(Component(label, promise.open_label) for label in _labels(reading.extra))
    return tuple(components)


def _quantity_parts(promise: _Promise, text: str) -> EnumeratedParts:
    """Round targets met by stated amounts: 集聚 100 家A，1000 家B，10000 名C."""
    found: list[int] = []
    components: list[Component] = []
    for match in _QUANTITY.finditer(text):
        value = parse_chinese_number(match.group(1))
        if not value:
            continue
        index = len(found)
        group = promise.labels[index] if index < len(promise.labels) else None
        found.append(value)
        components.append(Component(_clean(match.group(2)), group))
    return EnumeratedParts(promise.counts, tuple(found), tuple(components))


def extract_parts(term: str, definition: str) -> EnumeratedParts | None:
    """The parts of ``term`` listed in ``definition``, against the counts the name promises.

    None when the name promises no count, or is a digit code the definition does
    not enumerate. When the definition lists nothing, ``found`` is all zeros.
    """
    promise = _read_promise(term)
    if promise is None:
        return None
    text = _normalize_text(definition)
    if promise.kind is _Kind.QUANTITY:
        return _quantity_parts(promise, text)
    reading = _list_reading(promise, text)
    if reading is None:
        if promise.kind is _Kind.CODE:
            return None
        return EnumeratedParts(promise.counts, tuple(0 for _ in promise.counts), ())
    found = tuple(len(group) for group in reading.groups)
    if promise.kind is _Kind.CODE and found != promise.counts:
        return None
    return EnumeratedParts(promise.counts, found, _components(promise, reading))
