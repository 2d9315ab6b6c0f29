"""The part counts a numeral name promises, read from the name alone."""

from __future__ import annotations

import pytest

from kg.extract.promises import promised_counts
from kg.extract.slogans import extract_parts


@pytest.mark.parametrize(
    ("term", "counts"),
    [
        ("六稳", (6,)),
        ("六个致力", (6,)),
        ("八个坚持", (8,)),
        ("三所一庭", (3, 1)),
        ("一核两纵三区四带", (1, 2, 3, 4)),
        ("一核两纵五区", (1, 2, 5)),
        ("“235”现代化产业体系", (2, 3, 5)),
        ('"235" 现代化产业体系', (2, 3, 5)),
        ("“百千万”行动", (100, 1000, 10000)),
        ("四清一化", (4, 1)),
        ("五个统筹", (5,)),
        ("四办", (4,)),
        ("七种能力", (7,)),
        ("“三库”“两算”“三评”", (3, 2, 3)),
        ("“三所一庭+N”工作机制", (3, 1)),
        ("1+1+X 社区社会工作室", (1, 1)),
        ("“1+6”政务服务大厅", (1, 6)),
        ("十二证同发", (12,)),
        ("“必须统筹好”的五对重要关系", (5,)),
        ("“四个一”科技成果对接服务机制", (4,)),
        ("“一个培育、三个转型”", (1, 3)),
        ("—场三馆", (1, 3)),
        ("双区融合", (2,)),
        ("“双十”行动", (10, 10)),
        ("**三所一庭**", (3, 1)),
    ],
)
def test_promised_counts(term: str, counts: tuple[int, ...]) -> None:
    assert promised_counts(term) == counts


@pytest.mark.parametrize(
    "term",
    [
        "楚道智联",
        "企业开办“210”标准",  # 2 steps, 1 day, 0 fees: a standard, not parts
        "“三千亿”城区",  # an amount
        "一事联办",  # only 一: a unity, not a list
        "多审合一",
        "“一路一证”综合许可",
        "C40 绿色繁荣社区",  # digits glued to letters name a thing
        "AA+主体信用评级",
        "第三方",
        "“十四五”规划",
        "万松园",
        "",
    ],
)
def test_names_that_promise_no_count(term: str) -> None:
    assert promised_counts(term) is None
    assert extract_parts(term, "甲、乙、丙") is None
