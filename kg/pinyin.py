"""Pinyin for labels and queries: the keys a term is found by, and queries typed in pinyin.

One home for every pinyin rule: the full pinyin and initials of a label
(:func:`pinyin_keys`: 六个致力 → liugezhili, lgzl), a query typed in pinyin
with spaces, tone marks or tone numbers (:func:`pinyin_query`), and the
"fuzzy pinyin" folding input methods offer (:func:`fuzzy_pinyin`). The search
index and the graph's ``skos:hiddenLabel`` forms both come from here.
"""

from __future__ import annotations

import re
import unicodedata

from pypinyin import Style, lazy_pinyin

__all__ = ["fuzzy_pinyin", "pinyin_forms", "pinyin_keys", "pinyin_query", "syllables"]

_TONE_NUMBER = re.compile(r"(?<=[a-z])[1-5]")
_NOT_PINYIN = re.compile(r"[^a-z0-9]")
_PINYIN_QUERY = re.compile(r"[a-z0-9\s'’\-üÜ\u0300-\u036f]+")
_HAN_RUN = re.compile(r"([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+)")
# Pairs input methods treat as one ("fuzzy pinyin"), folded in this order.
_FUZZY = (("zh", "z"), ("ch", "c"), ("sh", "s"), ("ang", "an"), ("eng", "en"), ("ing", "in"))


def pinyin_keys(key: str) -> tuple[str, str]:
    """The full pinyin and the initials of a search key: 六个致力 → (liugezhili, lgzl).

    Runs of other characters are kept whole in both: 235现代化 → (235xiandaihua, 235xdh).
    """
    return pinyin_forms(syllables(key))


def pinyin_forms(syllables: list[tuple[str, bool]]) -> tuple[str, str]:
    full = "".join(text for text, _ in syllables)
    initials = "".join(text[:1] if han else text for text, han in syllables)
    return _NOT_PINYIN.sub("", full), _NOT_PINYIN.sub("", initials)


def syllables(key: str) -> list[tuple[str, bool]]:
    """The pinyin of each Chinese character, and each other run whole; True marks pinyin."""
    syllables: list[tuple[str, bool]] = []
    for index, run in enumerate(_HAN_RUN.split(key)):
        if index % 2:
            syllables.extend((s, True) for s in lazy_pinyin(run, style=Style.NORMAL))
        elif run:
            syllables.append((run.lower(), False))
    return syllables


def fuzzy_pinyin(pinyin: str) -> str:
    """Bare pinyin with the sounds input methods confuse folded together: sanshuo → salsuo.

    zh, ch, sh become z, c, s; ang, eng, ing become an, en, in; then every n
    becomes l. Both the index and the query are folded the same way, so that
    any of the spellings finds the others.
    """
    for spelled, folded in _FUZZY:
        pinyin = pinyin.replace(spelled, folded)
    return pinyin.replace("n", "l")


def pinyin_query(text: str) -> str | None:
    """A query typed in pinyin, bare: ``Liù gè zhì lì`` and ``liu4-ge4`` → liugezhili, liuge.

    None when the query is not pinyin (it holds characters that are not Latin letters).
    """
    lowered = unicodedata.normalize("NFC", text.strip().lower())
    if not lowered or not _PINYIN_QUERY.fullmatch(unicodedata.normalize("NFD", lowered)):
        return None
    # ü is typed v in pypinyin's NORMAL style (绿 → lv).
    lowered = lowered.replace("ü", "v")
    bare = "".join(c for c in unicodedata.normalize("NFD", lowered) if not unicodedata.combining(c))
    bare = _TONE_NUMBER.sub("", bare)
    return _NOT_PINYIN.sub("", bare) or None
