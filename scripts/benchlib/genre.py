"""The genre, harvested from the bundled corpus: the raw material of generated reports.

Everything a generated report says comes from the five bundled reports, read
by the real pipeline (:func:`kg.pipeline.read_report`): body paragraphs (with
the bundled districts' names replaced by a placeholder), section subheadings,
the glossary entries (label, definition, enumerated parts), the clauses of
the definitions and the characters of the labels. Recombined, they give text
the extractor has seen the like of, in quantities no five reports hold.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from kg.corpus import corpus_paths
from kg.pipeline import read_report
from kg.text import QUOTE_MARKS

__all__ = ["CITY_MARK", "DISTRICT_MARK", "NUMERALS", "Genre", "Seed", "harvest"]

DISTRICT_MARK = "\x00"
"""Stands for the district's short name (江汉, 武昌) in harvested text."""
CITY_MARK = "\x01"
"""Stands for the city's short name (武汉) in harvested text."""
NUMERALS = frozenset("零一二两三四五六七八九十百千万")
_HOME_DISTRICTS = ("江汉", "武昌")
_HOME_CITY = "武汉"
_HEADING = re.compile(r"^(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[)）])")
_SUBHEADING = re.compile(r"^[（(]([一二三四五六七八九十]{1,3})[)）]\s*(\S.{4,30})$")
_UNSAFE = re.compile(r"名\s*词|术\s*语|印\s*发|抄\s*送|〔|［|附\s*件|会议上|人民政府.{0,3}长")
_CLAUSE_SPLIT = re.compile(r"[，,；;。]")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_MIN_PARAGRAPH = 40
_YEAR = re.compile(r"20[012]\d")
# "N个HEAD" slogans whose definition lists N "HEAD…" clauses: 六个致力, 八个坚持.
NUMERAL_HEAD = re.compile(r"^([一二三四五六七八九十]{1,2})个([\u4e00-\u9fff]{2})$")


@dataclass(frozen=True)
class Seed:
    """A bundled glossary entry: its label, definition and enumerated parts."""

    label: str
    definition: str
    parts: tuple[str, ...]
    promised: tuple[int, ...] | None


@dataclass(frozen=True)
class Paragraph:
    """A body paragraph and the year its report reviewed (to shift the years it names)."""

    text: str
    year: int


@dataclass(frozen=True)
class Genre:
    """The material: paragraphs, subheadings, glossary seeds, clauses, label characters."""

    paragraphs: tuple[Paragraph, ...]
    plan_paragraphs: tuple[Paragraph, ...]
    subheadings: tuple[str, ...]
    seeds: tuple[Seed, ...]
    clauses: tuple[str, ...]
    phrases: tuple[str, ...]
    label_chars: str
    heads: tuple[str, ...]


def _mark_places(text: str) -> str:
    for name in _HOME_DISTRICTS:
        text = text.replace(name, DISTRICT_MARK)
    return text.replace(_HOME_CITY, CITY_MARK)


def _body_paragraphs(lines: list[str]) -> list[str]:
    """The running paragraphs after the greeting, without headings or document furniture."""
    start = next((i for i, line in enumerate(lines) if line.startswith("各位代表")), 0)
    return [
        line
        for line in lines[start + 1 :]
        if len(line) >= _MIN_PARAGRAPH and not _HEADING.match(line) and not _UNSAFE.search(line)
    ]


def _clauses(definition: str) -> list[str]:
    return [
        clause.strip()
        for clause in _CLAUSE_SPLIT.split(definition)
        if 4 <= len(clause.strip()) <= 40 and not any(q in clause for q in QUOTE_MARKS)
    ]


def harvest(paths: list[str] | None = None) -> Genre:
    """Read the bundled corpus (or ``paths``) and collect the genre's material, in file order."""
    paragraphs: list[Paragraph] = []
    plan: list[Paragraph] = []
    subheadings: list[str] = []
    seeds: list[Seed] = []
    for path in paths or corpus_paths():
        report = read_report(path)
        year = report.metadata.year_reviewed or 2024
        lines = [line.strip() for line in report.body.split("\n") if line.strip()]
        found = [Paragraph(_mark_places(line), year) for line in _body_paragraphs(lines)]
        (plan if report.metadata.kind == "plan_report" else paragraphs).extend(found)
        subheadings.extend(
            _mark_places(match.group(2))
            for line in lines
            if (match := _SUBHEADING.match(line)) and not _UNSAFE.search(line)
        )
        for entry in report.entries:
            parts = (
                tuple(_mark_places(c.label) for c in entry.parts.components) if entry.parts else ()
            )
            promised = tuple(entry.parts.promised) if entry.parts else None
            seeds.append(
                Seed(_mark_places(entry.term), _mark_places(entry.definition), parts, promised)
            )
    clauses = sorted({c for seed in seeds for c in _clauses(seed.definition)})
    phrases = sorted(
        {
            piece
            for seed in seeds
            for piece in re.split(r"[、，,；;。：:（）()]", seed.definition)
            if 2 <= len(piece) <= 6 and all(_HAN.match(char) for char in piece)
        }
    )
    label_chars = "".join(
        sorted(
            {
                char
                for seed in seeds
                for char in seed.label
                if _HAN.match(char) and char not in NUMERALS
            }
        )
    )
    heads = sorted(
        {match.group(2) for seed in seeds if (match := NUMERAL_HEAD.match(seed.label))}
        | {"推进", "聚焦", "强化", "深化", "突出", "统筹"}
    )
    return Genre(
        paragraphs=tuple(paragraphs),
        plan_paragraphs=tuple(plan),
        subheadings=tuple(dict.fromkeys(subheadings)),
        seeds=tuple(seeds),
        clauses=tuple(clauses),
        phrases=tuple(phrases),
        label_chars=label_chars,
        heads=tuple(heads),
    )


def shift_years(text: str, delta: int) -> str:
    """``text`` with every year 2000–2029 it names moved by ``delta`` years."""
    if not delta:
        return text
    return _YEAR.sub(lambda match: str(int(match.group(0)) + delta), text)


def bundled_files() -> list[Path]:
    """The bundled report files, in the order :func:`harvest` reads them."""
    return [Path(path) for path in corpus_paths()]
