"""Characters: which are CJK, how one folds for matching, and what converters did to them.

The cleaner works on lists of characters with their source offsets; this module
holds the character-level rules it applies:

- :func:`normalize_char` folds one character for matching: full-width forms to
  ASCII, every quote style to a straight quote, and a traditional character to
  its simplified form (報 → 报, 詞 → 词), so a document printed in traditional
  characters matches the same patterns and terms as a simplified one;
  :func:`fold` folds a whole text the same way, character for character, through
  one translation table the process builds once;
- :func:`fold_punctuation` gives punctuation its Chinese form in Chinese context;
- :func:`drop_inner_spaces` removes spaces a converter put between CJK characters;
- :func:`drop_pinyin_glosses` removes the pinyin that mirror sites inject after
  characters (報(bào)告 → 報告).

Each keeps the characters and their origins aligned, so every cleaned
character still maps to the source character it came from.
"""

from __future__ import annotations

import re
from functools import cache

from opencc import OpenCC

__all__ = [
    "drop_inner_spaces",
    "drop_pinyin_glosses",
    "fold",
    "fold_punctuation",
    "fold_table",
    "has_astral",
    "is_cjk",
    "is_han",
    "normalize_char",
]

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


def is_han(char: str) -> bool:
    code = ord(char)
    return 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0x20000 <= code <= 0x2FFFF


def normalize_char(char: str) -> str:
    """Fold one character for matching: full-width to ASCII, quotes straight, 報 to 报."""
    if char in _QUOTE_FOLD:
        return _QUOTE_FOLD[char]
    if char in _PUNCT_FOLD:
        return _PUNCT_FOLD[char]
    code = ord(char)
    if 0xFF01 <= code <= 0xFF5E:
        return chr(code - _FULLWIDTH_OFFSET)
    return _simplified(char) if is_han(char) else char


class _FoldTable(dict[int, str]):
    """Code point → folded character, filled on first sight (``str.translate`` asks it)."""

    def __missing__(self, code: int) -> str:
        folded = normalize_char(chr(code))
        self[code] = folded
        return folded


_ASTRAL_FOLDS = _FoldTable()
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


@cache
def fold_table() -> tuple[str, ...]:
    """The folded form of every character of the Basic Multilingual Plane, by code point."""
    return tuple(
        chr(code) if 0xD800 <= code < 0xE000 else normalize_char(chr(code))
        for code in range(0x10000)
    )


def has_astral(text: str) -> bool:
    """Whether ``text`` holds a character beyond the Basic Multilingual Plane."""
    return _ASTRAL.search(text) is not None


def fold(text: str) -> str:
    """``text`` with :func:`normalize_char` applied to every character (same length).

    A sequence indexed by code point is the fastest table ``str.translate`` takes;
    a text with characters beyond the Basic Multilingual Plane goes through a
    table filled as they are met.
    """
    if has_astral(text):
        return text.translate(_ASTRAL_FOLDS)
    return text.translate(fold_table())


@cache
def _to_simplified() -> OpenCC:
    return OpenCC("t2s")


@cache
def _simplified(char: str) -> str:
    """The simplified form of one Han character, or the character itself."""
    folded = _to_simplified().convert(char)
    return folded if len(folded) == 1 else char


# A pinyin syllable with a tone mark, as mirror sites print it after a rare character.
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
_PINYIN_GLOSS = re.compile(rf"[(（]((?:[a-zü{_TONED}]+ ?){{1,4}})[)）]")
_TONE_MARK = re.compile(f"[{_TONED}]")


def drop_pinyin_glosses(chars: list[str], origins: list[int]) -> None:
    """Remove "(bào)" glosses that follow Han characters: 報(bào)告 → 報告.

    A gloss is one to four Latin syllables in brackets right after as many Han
    characters, at least one syllable carrying a tone mark, so that a printed
    "(a)" or "(GDP)" stays.
    """
    text = "".join(chars)
    drop: set[int] = set()
    for match in _PINYIN_GLOSS.finditer(text):
        syllables = match.group(1).split()
        start = match.start()
        before = text[max(start - len(syllables), 0) : start]
        if (
            _TONE_MARK.search(match.group(1))
            and len(before) == len(syllables)
            and all(is_han(char) for char in before)
        ):
            drop.update(range(start, match.end()))
    if drop:
        chars[:] = [char for index, char in enumerate(chars) if index not in drop]
        origins[:] = [origin for index, origin in enumerate(origins) if index not in drop]


def drop_inner_spaces(chars: list[str], origins: list[int]) -> None:
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
        return not after.isalpha() or not is_han(before)
    if latin(before) and is_cjk(after):
        return not before.isalpha() or not is_han(after)
    return False


def fold_punctuation(chars: list[str]) -> None:
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
        and is_han(after)
        and before != "—"
        and (not before or before in '.．、：:“"' or before.isdigit())
    )
