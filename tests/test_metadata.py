"""Report metadata of every bundled document, with nulls where a field is absent."""

from __future__ import annotations

from datetime import date

import pytest

from kg.clean import clean_text
from kg.corpus import BUNDLED_CORPUS
from kg.extract.metadata import extract_metadata
from kg.model import ReportMetadata, SourceText
from kg.pipeline import read_report

EXPECTED = {
    "jianghan-2024-12-29-government-work-report.txt": ReportMetadata(
        title="政府工作报告",
        kind="government_work_report",
        issuing_body="武汉市江汉区人民政府",
        district="江汉区",
        city="武汉市",
        doc_number="江政〔2025〕1号",
        delivered_on=date(2024, 12, 29),
        issued_on=date(2025, 1, 20),
        congress_session="江汉区第十六届人民代表大会第四次会议",
        speaker="郭小平",
        speaker_role="代区长",
        year_reviewed=2024,
        year_planned=2025,
    ),
    "jianghan-2020-12-29-government-work-report.txt": ReportMetadata(
        title="政府工作报告",
        kind="government_work_report",
        issuing_body="武汉市江汉区人民政府",
        district="江汉区",
        city="武汉市",
        doc_number=None,
        delivered_on=date(2020, 12, 29),
        issued_on=date(2021, 1, 15),
        congress_session="江汉区第十五届人民代表大会第五次会议",
        speaker="许光辉",
        speaker_role="副区长",
        year_reviewed=2020,
        year_planned=2021,
    ),
    "jianghan-2023-12-25-government-work-report.md": ReportMetadata(
        title="政府工作报告",
        kind="government_work_report",
        issuing_body="江汉区人民政府",
        district="江汉区",
        city=None,
        doc_number="江政〔2024〕1号",
        delivered_on=date(2023, 12, 25),
        issued_on=date(2024, 1, 15),
        congress_session="江汉区第十六届人民代表大会第三次会议",
        speaker="叶文静",
        speaker_role="区长",
        year_reviewed=2023,
        year_planned=2024,
    ),
    "jianghan-2024-plan-execution-and-2025-plan-report.md": ReportMetadata(
        title=(
            "关于江汉区2024年国民经济和社会发展计划执行情况与2025年国民经济和社会发展计划草案的报告"
        ),
        kind="plan_report",
        issuing_body=None,
        district="江汉区",
        city=None,
        doc_number=None,
        delivered_on=None,
        issued_on=None,
        congress_session="区十六届人大四次会议",
        speaker=None,
        speaker_role=None,
        year_reviewed=2024,
        year_planned=2025,
    ),
    "wuchang-2024-12-27-government-work-report.txt": ReportMetadata(
        title="政府工作报告",
        kind="government_work_report",
        issuing_body="武昌区人民政府",
        district="武昌区",
        city="武汉市",
        doc_number=None,
        delivered_on=date(2024, 12, 27),
        issued_on=None,
        congress_session="武汉市武昌区第十六届人民代表大会第四次会议",
        speaker="范礼奎",
        speaker_role="区长",
        year_reviewed=2024,
        year_planned=2025,
    ),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_metadata_of_every_bundled_document(name: str) -> None:
    report = read_report(BUNDLED_CORPUS / name)
    assert report.metadata == EXPECTED[name]
    assert not [w for w in report.warnings if "not stated" in w.message]


def test_report_ids_are_readable() -> None:
    report = read_report(BUNDLED_CORPUS / "jianghan-2024-12-29-government-work-report.txt")
    assert report.id == "jianghan-2024-gov-work-report"


def metadata_of(text: str) -> tuple[ReportMetadata, list[str]]:
    clean = clean_text(SourceText("t.txt", text, "text/plain"))
    metadata, warnings = extract_metadata(clean, len(clean.text))
    return metadata, [w.message for w in warnings]


def test_a_text_without_header_lines_gives_nulls() -> None:
    metadata, warnings = metadata_of("今年我们做了很多工作。\n明年继续努力。")
    assert metadata == ReportMetadata()
    assert warnings == []


def test_years_inferred_from_delivery_date_are_warned() -> None:
    metadata, warnings = metadata_of(
        "政府工作报告\n——2025年1月8日在某某区第五届人民代表大会第三次会议上\n某某区人民政府区长 张三"
    )
    assert metadata.delivered_on == date(2025, 1, 8)
    assert (metadata.year_reviewed, metadata.year_planned) == (2024, 2025)
    assert any("year planned not stated" in w for w in warnings)
    assert metadata.district == "某某区"
    assert metadata.speaker == "张三"


def test_doc_number_spacing_and_bracket_variants() -> None:
    metadata, _ = metadata_of("武政 [ 2023 ] 12 号\n政府工作报告")
    assert metadata.doc_number == "武政[2023]12号"
