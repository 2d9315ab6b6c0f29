"""The plan of a generated corpus: districts, their years, and each report's glossary.

Each synthetic district delivers a government work report every year from
2017 to 2024 and a plan report in two of those years (one report in five has
no glossary, as in the bundled corpus). A report's glossary continues the
district's previous one at the rates measured on the bundled corpus's one
pair of consecutive glossaries (江汉区 2023 → 2024: of 35 terms, 2 defined
again, 1 renamed at the tail, 1 given a new head), grows a term out of an
earlier one for 1 entry in 103, and borrows another district's idea under
another name for 2 entries in 103 (the two same-idea pairs of 武昌区 and
江汉区). Glossary sizes are drawn from the bundled ones (28, 35, 22, 18).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from benchlib.genre import Genre
from benchlib.terms import Entry, TermMaker
from kg.ids import district_id

__all__ = ["District", "ReportPlan", "plan_corpus"]

FIRST_YEAR = 2017
SLOTS = (
    (2017, "gov"),
    (2018, "gov"),
    (2019, "gov"),
    (2020, "gov"),
    (2020, "plan"),
    (2021, "gov"),
    (2022, "gov"),
    (2023, "gov"),
    (2024, "gov"),
    (2024, "plan"),
)
"""A district's reports, in the order they are generated (delivery year, kind)."""
LAYOUTS = ("pdf", "pdf", "markdown", "plain")
"""Layouts of government work reports, in the bundled corpus's proportions."""
GLOSSARY_SIZES = (28, 35, 22, 18)
REDEFINED = 2 / 35
RENAMED_TAIL = 1 / 35
CHANGED_HEAD = 1 / 35
BASED_ON = 1 / 103
SAME_IDEA = 2 / 103
_PLACE_CHARS = "东西南北江河湖山城青阳岸新华光明兴安平福宁德永泰丰和盛嘉金玉龙凤鹤桥川云海"
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
_GIVEN = "文武建国志明华伟强军平安宏光晓燕静敏丽峰涛斌磊鹏飞海波勇毅"
_ROLES = ("区长", "区长", "区长", "代区长", "副区长")


@dataclass(frozen=True)
class District:
    """A synthetic district and its city."""

    short: str
    city_short: str

    @property
    def name(self) -> str:
        """The district's full name: 东湖区."""
        return f"{self.short}区"


@dataclass
class ReportPlan:
    """One report to write: who, when, what kind, in which layout, with which entries."""

    index: int
    district: District
    year: int
    kind: str
    layout: str
    speaker: str
    role: str
    entries: list[Entry] = field(default_factory=list)
    earlier_terms: list[Entry] = field(default_factory=list)


@dataclass
class _DistrictState:
    district: District
    previous: list[Entry] = field(default_factory=list)
    defined: list[Entry] = field(default_factory=list)
    speaker: str = ""


def _districts(rng: random.Random, count: int) -> list[District]:
    seen = {"jianghan", "wuchang"}
    cities = ["".join(rng.sample(_PLACE_CHARS, 2)) for _ in range(count // 10 + 1)]
    districts: list[District] = []
    while len(districts) < count:
        short = "".join(rng.sample(_PLACE_CHARS, 2))
        if district_id(short + "区") not in seen:
            seen.add(district_id(short + "区"))
            districts.append(District(short, cities[len(districts) // 10]))
    return districts


def _speaker(rng: random.Random) -> str:
    given = "".join(rng.sample(_GIVEN, rng.choice((1, 2))))
    return rng.choice(_SURNAMES) + given


def _continued(maker: TermMaker, state: _DistrictState, year: int) -> list[Entry]:
    """Entries that carry on terms of the district's previous glossary."""
    rng = maker.rng
    carried: list[Entry] = []
    for old in state.previous:
        draw = rng.random()
        if draw < REDEFINED:
            carried.append(maker.redefine(old))
        elif draw < REDEFINED + RENAMED_TAIL:
            carried.append(maker.rename_tail(old))
        elif draw < REDEFINED + RENAMED_TAIL + CHANGED_HEAD:
            changed = maker.change_head(old, year - 1)
            if changed is not None:
                carried.append(changed)
    return carried


def _glossary(
    maker: TermMaker, state: _DistrictState, others: list[Entry], year: int
) -> list[Entry]:
    rng = maker.rng
    size = max(8, rng.choice(GLOSSARY_SIZES) + rng.randint(-3, 3))
    entries = _continued(maker, state, year)
    while len(entries) < size:
        draw = rng.random()
        grown = None
        if draw < BASED_ON and (state.defined or entries):
            grown = maker.based_on(rng.choice(state.defined or entries))
        elif draw < BASED_ON + SAME_IDEA and others:
            grown = maker.same_idea(rng.choice(others))
        entries.append(grown or maker.cite_terms(maker.new(year), state.defined))
    rng.shuffle(entries)
    return entries


def plan_corpus(genre: Genre, count: int, seed: int) -> list[ReportPlan]:
    """The plans of ``count`` reports, the same for the same ``seed``."""
    rng = random.Random(seed)
    maker = TermMaker(genre, rng)
    districts = _districts(rng, -(-count // len(SLOTS)))
    states: dict[str, _DistrictState] = {}
    defined_elsewhere: list[Entry] = []
    plans: list[ReportPlan] = []
    for index in range(count):
        district = districts[index // len(SLOTS)]
        year, kind = SLOTS[index % len(SLOTS)]
        state = states.setdefault(district.short, _DistrictState(district))
        if not state.speaker or rng.random() < 0.2:
            state.speaker = _speaker(rng)
        layout = "markdown" if kind == "plan" else rng.choice(LAYOUTS)
        plan = ReportPlan(index, district, year, kind, layout, state.speaker, rng.choice(_ROLES))
        plan.earlier_terms = rng.sample(state.defined, min(len(state.defined), 4))
        if kind == "gov":
            maker.district = district.short
            others = defined_elsewhere[-2000:]
            plan.entries = _glossary(maker, state, others, year)
            state.previous = plan.entries
            state.defined.extend(entry for entry in plan.entries if entry.origin != "redefined")
        plans.append(plan)
        if index % len(SLOTS) == len(SLOTS) - 1:
            defined_elsewhere.extend(state.defined)
    return plans
