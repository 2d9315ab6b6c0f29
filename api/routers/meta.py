"""Service health and graph statistics."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import SummaryDep
from api.schemas import ERROR_RESPONSES, Health, Stats
from kg import __version__

__all__ = ["router"]

router = APIRouter(tags=["meta"], responses={503: ERROR_RESPONSES[503]})


@router.get("/healthz", response_model=Health, summary="Is the service up?")
def healthz(summary: SummaryDep) -> Health:
    """200 once the store is loaded; 503 before."""
    return Health(status="ok")


@router.get("/api/v1/stats", response_model=Stats, summary="Counts of the served graph")
def stats(summary: SummaryDep) -> Stats:
    """Triples, reports, terms and definitions in the graph, and when it was loaded."""
    return Stats(
        triples=summary.triples,
        reports=summary.reports,
        terms=summary.terms,
        definitions=summary.definitions,
        built_at=summary.built_at,
        build_seconds=summary.build_seconds,
        version=__version__,
    )
