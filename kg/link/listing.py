"""Which undefined-term candidates a reader would look up: real names, not quoted words.

A report quotes far more than policy names. Besides programmes, campaigns,
mechanisms, slogans, brands and established abbreviations (“放管服”,
“金牌店小二”, “15分钟就业服务圈”) it quotes ordinary words as metaphors
(“神经”, “面子”/“里子”, “底色”), generic phrases (“大变化”), honour titles and
rankings (获评“全国民政系统先进集体”) and pieces of a longer name (“一件事” of
“高效办成一件事”). :func:`is_listed` weighs the evidence a reader would use:

for a name
- it is shaped like one: led by a numeral (“四风”), holding a code (15分钟,
  3.0, +), or naming a place the reports are about (“才聚江汉”);
- a head noun after the quotes files it as a programme: “春风行动”, “清源”行动,
  “投资江汉”品牌, “招投联动”机制;
- a verb before the quotes launches it: 实施“法治体检”, 开展“益企成长”;
- its parts are listed right before it: 医疗、医保、医药“三医”;
- it recurs: used in two reports, or three times;

against a name
- it is a common word of general Chinese: its frequency in jieba's dictionary;
- it is a manner word (“雨林式”, “一站式”) or an open pattern (“数字+”赋能);
- every use is an honour or a ranking: 获评, 入选, 上榜 before it, 称号 after,
  or a title's tail (示范区, 先进集体, 500强);
- it is mostly seen inside a longer candidate that does not start with it
  (“一件事” inside “高效办成一件事”; a prefix such as “零号员工” of
  “零号员工快线” is the core of a brand, not a fragment);
- it is one side of a contrast (从“重大节庆火”走向“全年常态火”);
- it has two characters and nothing else speaks for it.

Each signal is a rule a reader can check in the sentence; none lists words.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import jieba

__all__ = ["Evidence", "Use", "WordFrequencies", "gather_evidence", "is_listed"]

_NUMERALS = "一二三四五六七八九十百千万两双"
_CODE = re.compile(r"[0-9A-Za-z+.·]")
_HEAD_NOUN = re.compile(
    r"^(?:行动|工程|计划|品牌|平台|机制|模式|理念|试点|改革|活动|系列|服务|项目|体系|战略|"
    r"布局|要求|政策|专项|工作法|工作|行|创建|建设|综合|标准|融合|发展|企业|单位|救助|"
    r"联动|管理|帮扶|制度|赛|大赛|特色|文化|招聘|惠民保|智库|培育库)"
)
_LAUNCH_VERB = re.compile(
    r"(?:实施|开展|推进|打造|建设|深化|推行|推广|举办|做实|搭建|塑造|唱响|擦亮|践行|落实|"
    r"坚持|做到|增强|坚定|用好|当好|聚焦|开通|首创|依托|做强|构建|突出|牢记|树立|出台|培育|"
    r"发展|探索|抢抓|纠治|纠|走好|按照)[\u4e00-\u9fff]{0,4}$"
)
_HONOUR_BEFORE = re.compile(r"(?:获评|荣获|评为|入选|上榜|授予|获批|争创)\w{0,6}$")
_HONOUR_AFTER = re.compile(r"^(?:称号|荣誉|奖|榜单|典型|评选)")
_TITLE_TAIL = re.compile(r"(?:示范区|示范市|先进集体|先进单位|基层党组织|\d+强|百强|基地)$")
_CONTRAST = re.compile(r'从"[^"]+"(?:到|走向|转向|迈向)$|^(?:到|走向|转向|迈向)"')
_LISTED_PARTS = re.compile(r"(?:[\u4e00-\u9fff]{1,4}、){1,}[\u4e00-\u9fff]{1,4}$")
# A degree word before an ordinary word makes a phrase, not a name: 大就业, 小切口, 全生命周期.
_DEGREE_PREFIX = "大小全新零微超强"
# A streak is a statistic: 九连降, 三连冠.
_STREAK = re.compile(rf"^[{_NUMERALS}]+连[\u4e00-\u9fff]$")
_FIX_VERB = re.compile(r"(?:打通|整治|解决|治理|消除|破解|根治)$")
_FUNCTION_CHARS = frozenset("的之都是而与和了在+·.0123456789")
_COMMON_WORD = 20
_COMMON_NUMERAL_WORD = 100
_THRESHOLD = 1


class WordFrequencies:
    """Word frequencies of general Chinese, from a private jieba dictionary.

    Loading the dictionary takes about a second; build one per corpus.
    """

    def __init__(self) -> None:
        logging.getLogger("jieba").setLevel(logging.WARNING)
        self._tokenizer = jieba.Tokenizer()
        self._tokenizer.initialize()

    def __getitem__(self, word: str) -> int:
        return int(self._tokenizer.FREQ.get(word, 0) or 0)

    def single_characters(self, label: str) -> int:
        """How many content characters of ``label`` the dictionary knows only as words alone.

        A coined compression (以展促消 → 以/展/促/消, 免申即享) leaves several;
        a phrase of ordinary words (志愿/服务, 金融/沙龙) leaves none.
        """
        tokens = self._tokenizer.lcut(label, HMM=False)
        return sum(1 for token in tokens if len(token) == 1 and token not in _FUNCTION_CHARS)


@dataclass(frozen=True)
class Use:
    """One use of a candidate: a few characters either side, in the folded body text."""

    before: str
    after: str
    quoted: bool


@dataclass
class Evidence:
    """What the corpus shows about one candidate."""

    label: str
    frequency: int
    report_count: int
    uses: list[Use] = field(default_factory=list)
    inside_longer: int = 0
    places: frozenset[str] = frozenset()
    single_characters: int = 0
    degree_phrase: bool = False
    explained: bool = False


def gather_evidence(
    label: str,
    bodies: Sequence[str],
    report_count: int,
    others: Iterable[str],
    frequencies: WordFrequencies,
    places: frozenset[str],
    explained: bool = False,
) -> Evidence:
    """The evidence on ``label`` in the folded ``bodies``, beside the ``others`` candidates.

    ``explained`` says that a glossary entry explains the label (as a part or an item).
    """
    longer = [other for other in others if label in other and not other.startswith(label)]
    evidence = Evidence(
        label,
        frequencies[label],
        report_count,
        places=places,
        single_characters=frequencies.single_characters(label),
        degree_phrase=label[0] in _DEGREE_PREFIX and frequencies[label[1:]] >= _COMMON_WORD,
        explained=explained,
    )
    for body in bodies:
        covered = _covered(body, longer)
        for match in re.finditer(re.escape(label), body):
            start, end = match.start(), match.end()
            if any(a <= start and end <= b for a, b in covered):
                evidence.inside_longer += 1
                continue
            quoted = body[start - 1 : start] == '"' and body[end : end + 1] == '"'
            outer_start, outer_end = (start - 1, end + 1) if quoted else (start, end)
            before = body[max(outer_start - 12, 0) : outer_start]
            after = body[outer_end : outer_end + 8]
            evidence.uses.append(Use(before, after, quoted))
    return evidence


def _covered(body: str, longer: Sequence[str]) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for other in longer for m in re.finditer(re.escape(other), body)]


def is_listed(evidence: Evidence) -> bool:
    """Whether a reader would want ``evidence.label`` listed among the undefined terms."""
    return _score(evidence) >= _THRESHOLD


def _score(evidence: Evidence) -> int:
    label, uses = evidence.label, evidence.uses
    quoted = [use for use in uses if use.quoted] or uses
    total = len(uses) + evidence.inside_longer
    if not uses or (evidence.inside_longer and evidence.inside_longer * 2 >= total):
        return -9  # a fragment of a longer name
    if label.endswith(("式", "+")) or all(_is_honour(label, use) for use in quoted):
        return -9
    numeral_led = label[0] in _NUMERALS
    score = 0
    score += 2 if numeral_led else 0
    score += 1 if _CODE.search(label) else 0
    score += 2 if any(place in label for place in evidence.places) else 0
    score += 2 if any(_HEAD_NOUN.match(use.after) for use in quoted) else 0
    score += 1 if any(_LAUNCH_VERB.search(use.before) for use in quoted) else 0
    score += 2 if numeral_led and any(_LISTED_PARTS.search(use.before) for use in quoted) else 0
    score += 1 if evidence.report_count >= 2 or len(uses) >= 3 else 0
    score += 1 if evidence.single_characters >= 2 else 0
    score += 2 if evidence.explained else 0
    score -= 3 if any(_FIX_VERB.search(use.before) for use in quoted) else 0
    common = _COMMON_NUMERAL_WORD if numeral_led else _COMMON_WORD
    score -= 4 if evidence.frequency >= common else 0
    score -= 3 if evidence.degree_phrase or _STREAK.match(label) else 0
    score -= 3 if any(_in_contrast(use) for use in quoted) else 0
    score -= 2 if len(label) == 2 and not numeral_led else 0
    return score


def _is_honour(label: str, use: Use) -> bool:
    if _TITLE_TAIL.search(label):
        return True
    return (bool(_HONOUR_BEFORE.search(use.before)) and not _HEAD_NOUN.match(use.after)) or bool(
        _HONOUR_AFTER.match(use.after)
    )


def _in_contrast(use: Use) -> bool:
    return bool(_CONTRAST.search(use.before) or _CONTRAST.match(use.after))
