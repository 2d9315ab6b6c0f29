"""Glossary entries for generated reports: new terms, and the ways terms live across years.

A new term takes the shape of a bundled seed (六个致力, 四清一化, “收调供”模式,
江汉“政企通”平台) with one or two of its non-numeral characters exchanged for
other characters of the bundled labels, and a definition recombined from the
bundled clauses (numeral slogans list as many parts as their name promises).
An existing term can be defined again (unchanged or revised), renamed at the
tail (三所一庭 → “三所一庭+N”工作机制), given a new head (八个着力 → 八个坚持),
grown into a new one (在传承“X”基础上…形成), or named differently by another
district (三件套 → 燃气“三件套”), as the bundled corpus does.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from benchlib.genre import DISTRICT_MARK, NUMERAL_HEAD, NUMERALS, Genre, Seed
from kg.text import QUOTE_MARKS, normalize_label

__all__ = ["Entry", "TermMaker"]

_NUMERAL_VALUES = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8}
_COUNTS = "一二三四五六七八"
_TAILS = ("工作机制", "升级版", "行动", "模式", "体系")
_PERIODS = ("“十四五”时期", "今后五年", "新的一年", "未来三年")
_GOALS = ("打造", "提升", "构建", "厚植", "树立", "形成")
_MAX_TRIES = 200


@dataclass(frozen=True)
class Entry:
    """A generated glossary entry: label and definition as printed, and how it came about."""

    label: str
    definition: str
    origin: str
    parent: str | None = None

    @property
    def key(self) -> str:
        """The label as the build identifies terms (:func:`kg.text.normalize_label`)."""
        return normalize_label(self.label)


def _quoted(label: str) -> bool:
    return any(mark in label for mark in QUOTE_MARKS)


class TermMaker:
    """Makes entries from the genre; every label it makes is new to the corpus."""

    def __init__(self, genre: Genre, rng: random.Random) -> None:
        self.genre = genre
        self.rng = rng
        self.used: set[str] = set()
        self.parts = sorted({part for seed in genre.seeds for part in seed.parts})

    # Names -------------------------------------------------------------------

    def _claim(self, label: str) -> bool:
        key = normalize_label(label)
        if key in self.used:
            return False
        self.used.add(key)
        return True

    def _mutate(self, label: str) -> str:
        """``label`` with one or two of its non-numeral Han characters exchanged."""
        chars = list(label)
        spots = [
            i
            for i, char in enumerate(chars)
            if "\u4e00" <= char <= "\u9fff" and char not in NUMERALS and char != DISTRICT_MARK
        ]
        if not spots:
            return label + self.rng.choice(self.genre.label_chars)
        for spot in self.rng.sample(spots, min(len(spots), self.rng.choice((1, 1, 2)))):
            chars[spot] = self.rng.choice(self.genre.label_chars)
        return "".join(chars)

    def _fresh(self, make: object) -> str:
        for _ in range(_MAX_TRIES):
            label = make() if callable(make) else str(make)
            if self._claim(label):
                return label
        raise RuntimeError("could not find an unused label")

    # Definitions -------------------------------------------------------------

    def _clauses(self, count: int) -> list[str]:
        return self.rng.sample(self.genre.clauses, count)

    def _recombined(self, seed: Seed) -> str:
        count = max(1, min(5, seed.definition.count("，") + seed.definition.count("；") + 1))
        return "，".join(self._clauses(count)) + "。"

    def _listing(self, seed: Seed) -> str:
        total = sum(seed.promised or (len(seed.parts),))
        lead = self.rng.choice(self.genre.clauses)
        return f"{lead}：{'、'.join(self.rng.sample(self.parts, total))}。"

    def _numeral_head(self, count: str, head: str, cite: int | None) -> str:
        pairs = []
        for _ in range(_NUMERAL_VALUES.get(count, 6)):
            aim, goal = self.rng.sample(self.genre.phrases, 2)
            pairs.append(f"{head}{aim}，{self.rng.choice(_GOALS)}{goal}")
        opening = f"{cite}年{DISTRICT_MARK}区《政府工作报告》提出，" if cite else ""
        period = self.rng.choice(_PERIODS)
        return f"{opening}{period}重点抓好的{count}个方面工作，即{'；'.join(pairs)}。"

    # Entries -----------------------------------------------------------------

    def new(self, year: int) -> Entry:
        """A term new to the corpus, in the shape of a random seed."""
        seed = self.rng.choice(self.genre.seeds)
        if NUMERAL_HEAD.match(seed.label) or self.rng.random() < 0.05:
            count = self.rng.choice(_COUNTS[2:])
            head = self._fresh(lambda: f"{count}个{self.rng.choice(self.genre.heads)}")
            cite = year - self.rng.choice((0, 1, 3)) if self.rng.random() < 0.7 else None
            return Entry(head, self._numeral_head(count, head[2:], cite), "new")
        label = self._fresh(lambda: self._mutate(seed.label))
        definition = self._listing(seed) if seed.parts else self._recombined(seed)
        return Entry(label, definition, "new")

    def redefine(self, old: Entry) -> Entry:
        """The same term defined again: as before, or with one clause changed."""
        if self.rng.random() < 0.5:
            return Entry(old.label, old.definition, "redefined", old.label)
        clauses = old.definition.rstrip("。").split("，")
        clauses[self.rng.randrange(len(clauses))] = self.rng.choice(self.genre.clauses)
        return Entry(old.label, "，".join(clauses) + "。", "redefined", old.label)

    def rename_tail(self, old: Entry) -> Entry:
        """A longer name starting with the old one: “三所一庭+N”工作机制."""
        if _quoted(old.label):
            label = self._fresh(lambda: old.label + self.rng.choice(_TAILS))
        else:
            label = self._fresh(lambda: f"“{old.label}+N”{self.rng.choice(_TAILS)}")
        clauses = old.definition.rstrip("。").split("，")[:2] + self._clauses(1)
        return Entry(label, "，".join(clauses) + "。", "renamed-tail", old.label)

    def change_head(self, old: Entry, year: int) -> Entry | None:
        """The same count with a new head: 八个着力 → 八个坚持; None if ``old`` has no head."""
        match = NUMERAL_HEAD.match(old.label)
        if match is None:
            return None
        count = match.group(1)
        heads = [head for head in self.genre.heads if head != match.group(2)]
        label = self._fresh(lambda: f"{count}个{self.rng.choice(heads)}")
        return Entry(label, self._numeral_head(count, label[2:], year), "changed-head", old.label)

    def based_on(self, old: Entry) -> Entry | None:
        """A term grown out of ``old``: 在传承“X”基础上，优化形成“Y”…; None if quoted."""
        if _quoted(old.label):
            return None
        label = self._fresh(lambda: self._mutate(old.label))
        definition = (
            f"统筹{DISTRICT_MARK}区全域，在传承“{old.label}”基础上，优化形成“{label}”新体系，"
            + "，".join(self._clauses(2))
            + "。"
        )
        return Entry(label, definition, "based-on", old.label)

    def same_idea(self, other: Entry) -> Entry:
        """Another district's name for ``other``'s idea: a qualifier and the same definition."""
        qualifier = "".join(self.rng.sample(self.genre.label_chars, 2))
        if _quoted(other.label):
            label = self._fresh(lambda: qualifier + other.label)
        else:
            label = self._fresh(lambda: f"{qualifier}“{other.label}”")
        clauses = other.definition.rstrip("。").split("，")
        self.rng.shuffle(clauses)
        return Entry(label, "，".join(clauses) + "。", "same-idea", other.label)
