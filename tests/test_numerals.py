"""Chinese numerals and digits as they appear in policy names."""

from __future__ import annotations

import pytest

from kg.extract.numerals import NUMERAL_CHARS, parse_chinese_number


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("两", 2),
        ("十", 10),
        ("十二", 12),
        ("二十", 20),
        ("二十三", 23),
        ("两百", 200),
        ("一百零五", 105),
        ("百", 100),
        ("千", 1000),
        ("万", 10000),
        ("三千亿", 300_000_000_000),
        ("零", 0),
        ("二〇二四", 2024),
        ("10000", 10000),
        ("1000", 1000),
        ("４", 4),
        ("１０", 10),
        ("3千", 3000),
        (" 六 ", 6),
    ],
)
def test_numbers(text: str, value: int) -> None:
    assert parse_chinese_number(text) == value


@pytest.mark.parametrize(
    "text", ["", "   ", "六稳", "abc", "三点五", "负三", "1.5", "十四五", "百千万", "3二", "C40"]
)
def test_not_one_whole_number(text: str) -> None:
    assert parse_chinese_number(text) is None


def test_numeral_chars_cover_every_digit_and_unit() -> None:
    assert set("零〇一二两三四五六七八九十百千万亿") == set(NUMERAL_CHARS)
