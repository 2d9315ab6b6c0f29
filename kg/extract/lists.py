"""The lists a definition may hold, surest first, and short labels for their items.

Nothing here knows how many parts the name promises. :func:`list_candidates`
gives the ways to cut a definition into one list (numbered 一是…二是…, after 即
or a colon, at semicolons, at 、, inside quotes, clause by clause),
:func:`clause_lists` the ways to cut it into one clause per group, and
:func:`part_labels` the short names of a list's items (整合司法所 → 司法所).
:func:`kg.extract.slogans.extract_parts` picks the reading that keeps the
promise of the name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from kg.extract.numerals import NUMERAL_CHARS, parse_chinese_number
from kg.extract.promises import QUOTE_CHARS, WIDTH_FOLD

__all__ = [
    "Candidate",
    "clause_lists",
    "clean_label",
    "fit_items",
    "list_candidates",
    "normalize_definition",
    "part_labels",
]


@dataclass(frozen=True)
class Candidate:
    """One way of cutting a definition into a list; ``strong`` if it is surely a list."""

    items: tuple[str, ...]
    strong: bool = False


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
_SHORT_LABEL = 14

_SEMICOLON = "；"
_COMMA = "，；"
_ANY = "、，；"


# ------------------------------------------------------------ cutting a definition


def normalize_definition(definition: str) -> str:
    """``definition`` with widths, punctuation and quotes folded, no spaces beside wide text."""
    text = definition.replace("*", "").translate(WIDTH_FOLD).translate(_PUNCT_FOLD)
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


def _cuts(region: str, separators: Sequence[str], strong: bool) -> Iterator[Candidate]:
    for separator in separators:
        for items in _variants(_split(region, separator)):
            if len(items) >= 2:
                yield Candidate(items, strong)


def _is_plain_list(text: str, items: tuple[str, ...]) -> bool:
    """A definition that is nothing but a list of short names (六稳：稳就业、稳金融、…)."""
    one_sentence = len(_sentences(text)) == 1
    return one_sentence and all(len(label) <= _SHORT_LABEL for label in part_labels(items))


def list_candidates(text: str) -> Iterator[Candidate]:
    """Ways to read the definition as one list, surest first."""
    ordinal = _ordinal_items(text)
    if ordinal:
        yield Candidate(tuple(ordinal), strong=True)
    for region in _lead_regions(text):
        yield from _cuts(region, (_SEMICOLON, _COMMA, _ANY), strong=True)
    yield from _cuts(text, (_SEMICOLON,), strong=True)
    for candidate in _cuts(text, (_ANY,), strong=False):
        yield Candidate(candidate.items, _is_plain_list(text, candidate.items))
    for quoted in _QUOTED.findall(text):
        yield from _cuts(quoted, (_COMMA, _ANY), strong=False)
    for clause in _clauses(text):
        yield from _cuts(clause, (_ANY,), strong=False)
    for sentence in _sentences(text):
        yield from _cuts(sentence, (_COMMA,), strong=False)


def fit_items(items: str, want: int) -> tuple[str, ...]:
    """The items of one group's text, reading a final 和 as a separator if that fits."""
    variants = list(_variants(_split(items, _ANY)))
    for variant in variants:
        if len(variant) == want:
            return variant
    return variants[-1] if variants else ()


def clause_lists(text: str) -> Iterator[list[str]]:
    """Ways to read the definition as one clause per group, surest first."""
    for region in [*_lead_regions(text), *_sentences(text)]:
        for clauses in (_split(region, _SEMICOLON), _split(region, _COMMA)):
            yield [_unwrap(clause) for clause in clauses]
        yield _split_conjunction(region)


# ------------------------------------------------------------------ labels of parts


def clean_label(item: str) -> str:
    """A part's text as a label: no quotes or edge punctuation, no leading 即/指, X of 以…为…的X."""
    label = re.sub(f"[{QUOTE_CHARS}]", "", item).strip(" 。；，、：")
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


def part_labels(items: Sequence[str]) -> tuple[str, ...]:
    """Short part names for the raw items of one list, in order."""
    heads = [_head(item, "") for item in items]
    prefix = _common_prefix(heads[1:]) if len(heads) > 2 else ""
    labels = [clean_label(_head(item, prefix)) for item in items]
    if not labels:
        return ()
    labels[0] = _trim_first(labels[0], labels[1:])
    labels[-1] = _trim_last(labels[-1])
    return tuple(labels)
