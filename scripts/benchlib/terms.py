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
from collections.abc import Callable
from dataclasses import dataclass

from benchlib.genre import DISTRICT_MARK, NUMERAL_HEAD, NUMERALS, Genre, Seed
from kg.text import QUOTE_MARKS, normalize_label

__all__ = ["Entry", "LabelsExhausted", "TermMaker"]

_NUMERAL_VALUES = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8}
_COUNTS = "一二三四五六七八"
_TAILS = ("工作机制", "升级版", "行动", "模式", "体系")
_PERIODS = ("“十四五”时期", "今后五年", "新的一年", "未来三年")
_GOALS = ("打造", "提升", "构建", "厚植", "树立", "形成")
_MAX_TRIES = 200
_MAX_PARTS = 12
_CITES_TERM = 0.2
_EXCHANGED = 0.15
_LINKING = ("是深化", "是落实", "助力", "与", "配合")


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


class LabelsExhausted(RuntimeError):
    """No unused label of the wanted shape was found."""


def _quoted(label: str) -> bool:
    return any(mark in label for mark in QUOTE_MARKS)


class TermMaker:
    """Makes entries from the genre; every label it makes is new to the corpus."""

    def __init__(self, genre: Genre, rng: random.Random) -> None:
        self.genre = genre
        self.rng = rng
        self.used: set[str] = set()
        self.tries = 0
        self.district = ""
        """The district entries are made for: numeral slogans (八个坚持) are unique per district."""
        self.plain_seeds = [seed for seed in genre.seeds if not NUMERAL_HEAD.match(seed.label)]
        self.parts = sorted({part for seed in genre.seeds for part in seed.parts})

    # Names -------------------------------------------------------------------

    def _claim(self, label: str) -> bool:
        key = normalize_label(label)
        if NUMERAL_HEAD.match(key):
            key = f"{self.district}/{key}"
        if key in self.used:
            return False
        self.used.add(key)
        return True

    def _mutate(self, label: str) -> str:
        """``label`` with one or two of its non-numeral Han characters exchanged.

        A short label runs out of variants; after many tries one character is added.
        """
        if self.tries > _MAX_TRIES // 2:
            label += self.rng.choice(self.genre.label_chars)
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

    def _fresh(self, make: Callable[[], str]) -> str:
        for self.tries in range(_MAX_TRIES):
            label = make()
            if self._claim(label):
                return label
        raise LabelsExhausted(self.district)

    # Definitions -------------------------------------------------------------

    def _clause(self) -> str:
        """A clause spliced from two bundled ones, a few characters exchanged.

        Whole bundled clauses would recur in thousands of definitions and make
        unrelated terms look alike to the linker (same-idea at cosine ≥ 0.5).
        """
        first, second = self.rng.sample(self.genre.clauses, 2)
        cut = self.rng.randint(2, max(2, len(first) - 2))
        chars = list(first[:cut] + second[self.rng.randint(1, max(1, len(second) - 3)) :])
        for spot in range(len(chars)):
            if "\u4e00" <= chars[spot] <= "\u9fff" and self.rng.random() < _EXCHANGED:
                chars[spot] = self.rng.choice(self.genre.label_chars)
        return "".join(chars)

    def _clauses(self, count: int) -> list[str]:
        return [self._clause() for _ in range(count)]

    def _recombined(self, seed: Seed) -> str:
        count = max(1, min(5, seed.definition.count("，") + seed.definition.count("；") + 1))
        return "，".join(self._clauses(count)) + "。"

    def _listing(self, seed: Seed) -> str:
        total = sum(seed.promised or ())
        if not 2 <= total <= _MAX_PARTS:
            total = min(len(seed.parts), _MAX_PARTS)
        lead = self._clause()
        return f"{lead}：{'、'.join(self.rng.sample(self.parts, total))}。"

    def _numeral_head(self, count: str, head: str, cite: int | None) -> str:
        pairs = []
        for _ in range(_NUMERAL_VALUES.get(count, 6)):
            aim, goal = self.rng.sample(self.genre.phrases, 2)
            pairs.append(f"{head}{aim}，{self.rng.choice(_GOALS)}{goal}")
        opening = f"{cite}年{DISTRICT_MARK}区《政府工作报告》提出，" if cite else ""
        what = self.rng.choice((f"{count}个方面工作", f"{count}项重点任务", "主要工作"))
        return f"{opening}{self.rng.choice(_PERIODS)}重点抓好的{what}，即{'；'.join(pairs)}。"

    def cite_terms(self, entry: Entry, known: list[Entry]) -> Entry:
        """``entry`` with its definition naming a known term, as one definition in five does."""
        if not known or self.rng.random() >= _CITES_TERM or entry.origin != "new":
            return entry
        cited = self.rng.choice(known).label
        name = cited if _quoted(cited) else f"“{cited}”"
        definition = f"{entry.definition.rstrip('。')}，{self.rng.choice(_LINKING)}{name}。"
        return Entry(entry.label, definition, entry.origin, entry.parent)

    # Entries -----------------------------------------------------------------

    def new(self, year: int) -> Entry:
        """A term new to the corpus, in the shape of a random seed."""
        seed = self.rng.choice(self.genre.seeds)
        if NUMERAL_HEAD.match(seed.label):
            count = self.rng.choice(_COUNTS[2:])
            cite = year - self.rng.choice((0, 1, 3)) if self.rng.random() < 0.3 else None
            try:
                head = self._fresh(lambda: f"{count}个{self.rng.choice(self.genre.heads)}")
                return Entry(head, self._numeral_head(count, head[2:], cite), "new")
            except LabelsExhausted:
                seed = self.rng.choice(self.plain_seeds)
        label = self._fresh(lambda: self._mutate(seed.label))
        definition = self._listing(seed) if seed.parts else self._recombined(seed)
        return Entry(label, definition, "new")

    def redefine(self, old: Entry) -> Entry:
        """The same term defined again: as before, or with one clause changed."""
        if self.rng.random() < 0.5:
            return Entry(old.label, old.definition, "redefined", old.label)
        clauses = old.definition.rstrip("。").split("，")
        clauses[self.rng.randrange(len(clauses))] = self._clause()
        return Entry(old.label, "，".join(clauses) + "。", "redefined", old.label)

    def rename_tail(self, old: Entry) -> Entry:
        """A longer name starting with the old one: “三所一庭+N”工作机制 (八个坚持 is kept)."""
        if NUMERAL_HEAD.match(old.label):
            return self.redefine(old)
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
        try:
            label = self._fresh(lambda: f"{count}个{self.rng.choice(heads)}")
        except LabelsExhausted:
            return None
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
