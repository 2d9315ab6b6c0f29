"""Reports as JSON: the list, in the order they were delivered, and one report with its glossary."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from api.deps import CatalogDep, PageDep
from api.errors import ApiError
from api.schemas import (
    ERROR_RESPONSES,
    ErrorResponse,
    GlossaryItemOut,
    ReportDetail,
    ReportOut,
    ReportPage,
)
from kg.readmodel.catalog import CatalogReport

__all__ = ["report_fields", "router"]

router = APIRouter(prefix="/api/v1", tags=["reports"], responses={503: ERROR_RESPONSES[503]})

_NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorResponse, "description": "No such report"}
}


@router.get("/reports", response_model=ReportPage, summary="List reports")
async def list_reports(request: Request, catalog: CatalogDep, page: PageDep) -> ReportPage:
    """Every report, oldest delivered first; undated reports last."""
    reports = catalog.reports_in_order()
    return ReportPage(
        results=[ReportOut(**report_fields(r)) for r in reports[page.window(len(reports))]],
        total=len(reports),
        next=page.next_url(request, len(reports)),
    )


@router.get(
    "/reports/{report_id}", response_model=ReportDetail, summary="One report", responses=_NOT_FOUND
)
async def get_report(report_id: str, catalog: CatalogDep) -> ReportDetail:
    """A report's metadata, its three years, and its glossary in entry order."""
    report = catalog.reports.get(report_id)
    if report is None:
        raise ApiError(404, f"no report has the id {report_id!r}")
    glossary = [
        GlossaryItemOut(
            number=item.number, term=item.term, label=item.label, definition=item.definition
        )
        for item in report.glossary
    ]
    return ReportDetail(**report_fields(report), glossary=glossary)


def report_fields(report: CatalogReport) -> dict[str, Any]:
    """The fields of :class:`~api.schemas.ReportOut` for a report."""
    return {
        "id": report.id,
        "iri": report.iri,
        "title": report.title,
        "kind": report.kind,
        "district": report.district,
        "district_id": report.district_id,
        "city": report.city,
        "doc_number": report.doc_number,
        "delivered_on": report.delivered_on,
        "issued_on": report.issued_on,
        "year": report.year,
        "year_reviewed": report.year_reviewed,
        "year_planned": report.year_planned,
        "session": report.session,
        "speaker": report.speaker,
        "speaker_role": report.speaker_role,
        "held": report.held,
        "glossary_size": len(report.glossary),
    }
