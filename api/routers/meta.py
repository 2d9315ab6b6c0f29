"""Service health and graph statistics."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import ProbeDep, SummaryDep
from api.schemas import ERROR_RESPONSES, Health, Stats
from kg import __version__

__all__ = ["router"]

router = APIRouter(tags=["meta"], responses={503: ERROR_RESPONSES[503]})


@router.get("/healthz", response_model=Health, summary="Is the service up?")
async def healthz(summary: SummaryDep, probe: ProbeDep) -> Health:
    """200 once the store is loaded and answering; 503 before, or while it does not answer.

    The store is asked at most once a second, off the event loop, so a load
    balancer polling this route costs the store nothing.
    """
    await probe.check()
    return Health(status="ok")


@router.get("/api/v1/stats", response_model=Stats, summary="Counts of the served graph")
async def stats(summary: SummaryDep) -> Stats:
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
