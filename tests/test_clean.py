"""Cleaning undoes conversion damage and keeps a map back to the source."""

from __future__ import annotations

import pytest

from kg.chars import fold
from kg.clean import clean_text, normalize_char
from kg.corpus import BUNDLED_CORPUS
from kg.model import SourceText


def clean(text: str, pages: tuple[int, ...] = ()) -> str:
    return clean_text(SourceText("t.txt", text, "text/plain", page_starts=pages)).text


WRAPPED = "\n\n".join(
    [
        "一、2024 年工作回顾",
        "2024 年极不平凡、殊为不易。党的二十届三中全会擘画了",
        "进一步全面深化改革、推进中国式现代化的宏伟蓝图。习近平总",
        "书记再次考察湖北，给予我们强大的思想指引、精神鼓舞和前进",
        "动力。一年来，全区上下坚持以习近平新时代中国特色社会主义",
        "思想为指导，全面贯彻党的二十大精神，锚定“六个致",
        "力”，围绕“八个坚持”，着力转方式、调结构、提质量、增效益，",
        "经济运行稳中有进、进中提质，社会大局和谐稳定，较好地完成",
        "了目标任务。",
        "- 13 -",
        "二、2025 年工作安排",
        "2025 年是“十四五”规划收官之年，是“十五五”规划谋篇布局",
        "之年。政府工作的总体要求是：坚持以习近平新时代中国特色社",
        "会主义思想为指导，坚持“五个统筹”。",
    ]
)


def test_hard_line_breaks_are_joined_and_headings_kept() -> None:
    paragraphs = clean(WRAPPED).split("\n")
    assert paragraphs[0] == "一、2024年工作回顾"
    assert paragraphs[1].startswith("2024年极不平凡")
    assert "锚定“六个致力”，围绕“八个坚持”" in paragraphs[1]
    assert paragraphs[1].endswith("了目标任务。")
    assert paragraphs[2] == "二、2025年工作安排"
    assert "- 13 -" not in clean(WRAPPED)


@pytest.mark.parametrize(
    "furniture",
    ["- 12 -", "**—** 26 **—**", "— 3 —", "江汉区人民政府办公室 2025 年 1 月 20 日印发"],
)
def test_page_furniture_is_removed(furniture: str) -> None:
    text = f"第一段正文。\n{furniture}\n第二段正文。"
    assert clean(text) == "第一段正文。\n第二段正文。"


def test_carbon_copy_block_is_removed() -> None:
    text = "正文。\n抄送：区委办公室，各人民团体。\n区人大办公室，区法院。\n江汉区人民政府办公室 2021 年 1 月 15 日印发"
    assert clean(text) == "正文。"


def test_markdown_marks_are_removed() -> None:
    text = "# 政府工作报告\n- 1.六个致力:**宜商江汉**是品牌。\n#### 各位代表:"
    assert clean(text) == "政府工作报告\n1.六个致力：宜商江汉是品牌。\n各位代表："


def test_spaces_between_cjk_go_and_latin_words_stay() -> None:
    assert clean("政 府 工 作 报 告") == "政府工作报告"
    assert clean("已经审 议通过，汉口 STAY 改造提速。") == "已经审议通过，汉口 STAY 改造提速。"
    assert clean("集聚 100 家企业。") == "集聚100家企业。"


def test_punctuation_takes_its_chinese_form() -> None:
    assert clean('提出, "十四五" 时期(草案):完成') == "提出，“十四五”时期（草案）：完成"
    assert clean("「昌七条」") == "“昌七条”"
    assert clean("24.—场三馆：体育场。") == "24.一场三馆：体育场。"
    assert clean("——2024年12月29日") == "——2024年12月29日"
    assert clean("增长６.５%") == "增长6.5%"


def test_normalized_copy_has_the_same_length() -> None:
    result = clean_text(SourceText("t.txt", "“六个致力”：（一）", "text/plain"))
    assert len(result.normalized) == len(result.text)
    assert result.normalized == '"六个致力":(一)'
    assert normalize_char("「") == '"'


def test_every_character_maps_back_to_its_source() -> None:
    source = (BUNDLED_CORPUS / "jianghan-2024-12-29-government-work-report.txt").read_text()
    result = clean_text(SourceText("r.txt", source, "text/plain"))
    assert len(result.origin) == len(result.text) == len(result.pages)
    assert list(result.origin) == sorted(result.origin)
    index = result.text.index("楚道智联：")
    assert source[result.origin[index] : result.origin[index] + 5] == "楚道智联："


def test_pages_come_from_page_breaks_or_the_reader() -> None:
    body = "\n\n".join(["第一页的文字。"] * 3) + "\n\n\n\n" + "第二页的文字。"
    result = clean_text(SourceText("t.txt", body, "text/plain"))
    assert result.pages[0] == 1
    assert result.pages[-1] == 2
    paged = SourceText("t.pdf", "第一页。\n第二页。", "application/pdf", page_starts=(0, 5))
    assert clean_text(paged).pages[-1] == 2
    unpaged = clean_text(SourceText("t.txt", "没有分页。\n一段。", "text/plain"))
    assert set(unpaged.pages) == {None}


def test_a_bare_page_number_inside_a_sentence_is_furniture() -> None:
    first, second = "由各级领导干部担任重点产业链链长，统筹推进产业链招商、", "补链、强链工作。"
    assert clean(f"{first}\n7\n{second}") == first + second
    assert clean("第一段。\n3\n第二段文字。\n4\n第三段。") == "第一段。\n第二段文字。\n第三段。"


def test_tens_of_a_chinese_list_number_join_their_units() -> None:
    assert clean("十\n一、“三零”村：无事故。") == "十一、“三零”村：无事故。"


def test_injected_pinyin_is_dropped_but_printed_brackets_stay() -> None:
    assert clean("政府工作報(bào)告，名詞(cí)解釋") == "政府工作報告，名詞解釋"
    assert clean("地区生产总值(GDP)增长") == "地区生产总值（GDP）增长"


def test_traditional_characters_fold_only_in_the_normalized_copy() -> None:
    result = clean_text(SourceText("t.txt", "名詞解釋：穩就業", "text/plain"))
    assert result.text == "名詞解釋：穩就業"
    assert result.normalized == "名词解释:稳就业"


def test_fold_is_normalize_char_on_every_character() -> None:
    bmp = "".join(chr(code) for code in range(0x10000) if not 0xD800 <= code < 0xE000)
    astral = "𠀀𡃁𪚥報“三”"
    for text in (bmp, astral, "報告“三所一庭”ＡＢＣ１２，", ""):
        folded = fold(text)
        assert len(folded) == len(text)
        assert folded == "".join(normalize_char(char) for char in text)
    assert fold("報告“三所一庭”") == '报告"三所一庭"'
