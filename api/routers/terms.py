"""Terms as JSON: search, autocomplete, lookup by label, one term, a hovercard summary.

Ranking and normalisation are :mod:`kg.search`'s; this module turns catalog
values into the response models of :mod:`api.schemas`.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response

from api.deps import CatalogDep, ModelDep, Page, PageDep, SearchDep, SettingsDep
from api.errors import ApiError
from api.schemas import (
    ERROR_RESPONSES,
    ComponentOut,
    DefinitionOut,
    ErrorResponse,
    MentionOut,
    MentionPage,
    RelatedOut,
    ReportRef,
    ReportRefPage,
    SourceOut,
    Suggestion,
    Suggestions,
    TermHit,
    TermOut,
    TermPage,
    TermSummary,
)
from kg.readmodel import ReadModel, UnknownTerm
from kg.readmodel.catalog import Catalog, CatalogReport, CatalogTerm, Definition, MentionRef
from kg.readmodel.search import SearchFilters, SearchHit

__all__ = ["resolve_term", "router", "term_hit", "term_out", "term_summary"]

router = APIRouter(
    prefix="/api/v1",
    tags=["terms"],
    responses={503: ERROR_RESPONSES[503]},
)

_NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorResponse, "description": "No such term"}
}
_SUGGESTIONS_ON_MISS = 5

Q = Annotated[
    str | None, Query(description="Label, pinyin (liugezhili), initials (lgzl) or definition text.")
]
District = Annotated[
    str | None, Query(description="District id (jianghan) or name (江汉区) of a report.")
]
Year = Annotated[int | None, Query(ge=1949, le=2100, description="Year a report was delivered in.")]
Defined = Annotated[bool | None, Query(description="true: defined terms only; false: undefined.")]
Unlisted = Annotated[
    bool,
    Query(
        description="Also list undefined terms left out by default: ordinary words quoted "
        "for effect, generic phrases, honour titles, fragments of longer names."
    ),
]


@router.get("/terms", response_model=TermPage, summary="Search terms")
async def search_terms(
    request: Request,
    index: SearchDep,
    page: PageDep,
    q: Q = None,
    district: District = None,
    year: Year = None,
    defined: Defined = None,
    unlisted: Unlisted = False,
) -> TermPage:
    """Terms matching ``q``, best first; without ``q``, every term in pinyin order.

    Filters keep terms appearing in a report of ``district`` or delivered in
    ``year``, and defined (or undefined) terms. Undefined terms a reader would
    not look up are left out unless ``unlisted=true``. Pinyin is read as input
    methods read it (``sanshuo`` finds 三所一庭); when nothing matches,
    ``suggestions`` lists the terms the query may have meant.
    """
    filters = SearchFilters(district=district, year=year, defined=defined, unlisted=unlisted)
    hits: list[SearchHit] | list[CatalogTerm]
    hits = index.search(q, filters) if q and q.strip() else index.all_terms(filters)
    window = hits[page.window(len(hits))]
    near = index.did_you_mean(q, _SUGGESTIONS_ON_MISS) if q and q.strip() and not hits else []
    return TermPage(
        results=[_hit(item) for item in window],
        total=len(hits),
        next=page.next_url(request, len(hits)),
        suggestions=[Suggestion(id=t.id, label=t.label, defined=t.defined) for t in near],
    )


@router.get("/suggest", response_model=Suggestions, summary="Autocomplete term labels")
async def suggest(
    index: SearchDep,
    q: Annotated[str, Query(description="What has been typed so far.")] = "",
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
) -> Suggestions:
    """Terms whose label or pinyin is or starts with ``q`` (then labels containing it)."""
    hits = index.suggest(q, limit) if q.strip() else []
    return Suggestions(
        results=[Suggestion(id=h.id, label=h.term.label, defined=h.term.defined) for h in hits]
    )


@router.get(
    "/lookup",
    response_model=TermOut,
    summary="Look a term up by its exact label",
    responses=_NOT_FOUND,
)
async def lookup(
    request: Request,
    index: SearchDep,
    catalog: CatalogDep,
    settings: SettingsDep,
    label: Annotated[str, Query(min_length=1, description="The label, quotes optional.")],
) -> TermOut:
    """The term whose label is ``label`` once both are normalised (quotes, width, 繁/简).

    A 404 lists ``suggestions``: terms whose label starts with or contains it.
    """
    term = index.lookup(label)
    if term is None:
        suggestions = [
            {"id": hit.id, "label": hit.term.label}
            for hit in index.suggest(label, _SUGGESTIONS_ON_MISS)
        ]
        raise ApiError(404, f"no term is labelled {label!r}", suggestions=suggestions)
    return term_out(term, catalog, request, settings.term_page_size)


TermName = Annotated[str, Path(description="The term's id, or any label form /lookup accepts.")]


@router.get("/terms/{term_id}", response_model=TermOut, summary="One term", responses=_NOT_FOUND)
async def get_term(
    term_id: TermName, model: ModelDep, request: Request, settings: SettingsDep
) -> TermOut:
    """Labels, definitions by year with their sources, components, links, and the first
    page of its reports and of its mentions (``reports_next``, ``mentions_next`` page on)."""
    return term_out(resolve_term(model, term_id), model.catalog, request, settings.term_page_size)


@router.get(
    "/terms/{term_id}/mentions",
    response_model=MentionPage,
    summary="A term's uses in running text, a page at a time",
    responses=_NOT_FOUND,
)
async def term_mentions(
    term_id: TermName, model: ModelDep, page: PageDep, request: Request, response: Response
) -> MentionPage:
    """Mentions in delivery order of the reports, then by position; ``Link`` names the
    next and previous pages."""
    mentions = resolve_term(model, term_id).mentions
    _link(response, page.links(request, len(mentions)))
    return MentionPage(
        results=[_mention_out(m) for m in mentions[page.window(len(mentions))]],
        total=len(mentions),
        next=page.next_url(request, len(mentions)),
    )


@router.get(
    "/terms/{term_id}/reports",
    response_model=ReportRefPage,
    summary="The reports a term appears in, a page at a time",
    responses=_NOT_FOUND,
)
async def term_reports(
    term_id: TermName, model: ModelDep, page: PageDep, request: Request, response: Response
) -> ReportRefPage:
    """Reports defining or mentioning the term, oldest first; ``Link`` names the next and
    previous pages."""
    reports = _reports(resolve_term(model, term_id), model.catalog)
    _link(response, page.links(request, len(reports)))
    return ReportRefPage(
        results=[_report_ref(r) for r in reports[page.window(len(reports))]],
        total=len(reports),
        next=page.next_url(request, len(reports)),
    )


def _link(response: Response, value: str | None) -> None:
    if value is not None:
        response.headers["Link"] = value


@router.get(
    "/terms/{term_id}/summary",
    response_model=TermSummary,
    summary="A term's hovercard",
    responses=_NOT_FOUND,
)
async def get_term_summary(term_id: TermName, model: ModelDep, request: Request) -> TermSummary:
    """The label and first sentence of the latest definition, with a link to the term's page."""
    return term_summary(resolve_term(model, term_id), request)


def term_summary(term: CatalogTerm, request: Request) -> TermSummary:
    """A term's hovercard: the summary the term page and ``/annotate`` show too."""
    latest = term.latest
    return TermSummary(
        id=term.id,
        label=term.label,
        definition=term.summary,
        year=latest.year if latest else None,
        district=latest.district if latest else None,
        url=str(request.url_for("term_resource", name=term.id)),
    )


def resolve_term(model: ReadModel, name: str) -> CatalogTerm:
    """The term a path segment names (an id or a label form), or a 404 with near labels."""
    try:
        return model.term(name)
    except UnknownTerm as unknown:
        message = f"no term has the id {name!r}"
        if unknown.suggestions:
            raise ApiError(404, message, suggestions=unknown.suggestions) from None
        raise ApiError(404, message) from None


def _hit(item: SearchHit | CatalogTerm) -> TermHit:
    if isinstance(item, SearchHit):
        return term_hit(item.term, item.kind.code)
    return term_hit(item, None)


def term_hit(term: CatalogTerm, match: str | None) -> TermHit:
    """A term as one search result."""
    return TermHit(
        id=term.id,
        iri=term.iri,
        label=term.label,
        alt_labels=term.alt_labels,
        defined=term.defined,
        years=term.years,
        definition=term.summary,
        match=match,
    )


def term_out(term: CatalogTerm, catalog: Catalog, request: Request, page_size: int) -> TermOut:
    """A term with its definitions, components, links, and the first ``page_size`` of its
    reports and of its mentions."""
    first = Page(limit=page_size, offset=0)
    reports = _reports(term, catalog)
    mentions = term.mentions
    return TermOut(
        id=term.id,
        iri=term.iri,
        label=term.label,
        alt_labels=term.alt_labels,
        defined=term.defined,
        listed=term.listed,
        confidence=term.confidence,
        discovered_by=term.discovered_by,
        definitions=[_definition_out(d) for d in term.definitions],
        components=[ComponentOut(label=c.label, group=c.group) for c in term.components],
        related=[
            RelatedOut(type=link.type, id=link.id, label=link.label, iri=link.iri)
            for link in term.related
        ],
        reports=[_report_ref(r) for r in reports[first.window(len(reports))]],
        reports_total=len(reports),
        reports_next=_second_page(request, "term_reports", term, first, len(reports)),
        mentions=[_mention_out(m) for m in mentions[first.window(len(mentions))]],
        mentions_total=len(mentions),
        mentions_next=_second_page(request, "term_mentions", term, first, len(mentions)),
    )


def _reports(term: CatalogTerm, catalog: Catalog) -> list[CatalogReport]:
    return [catalog.reports[r] for r in term.reports if r in catalog.reports]


def _report_ref(report: CatalogReport) -> ReportRef:
    return ReportRef(id=report.id, title=report.title, year=report.year, district=report.district)


def _second_page(
    request: Request, route: str, term: CatalogTerm, first: Page, total: int
) -> str | None:
    """The paged route's page after ``first``, when ``first`` does not hold everything."""
    if total <= first.limit:
        return None
    url = request.url_for(route, term_id=term.id)
    return str(url.include_query_params(offset=first.limit, limit=first.limit))


def _mention_out(mention: MentionRef) -> MentionOut:
    return MentionOut(
        report=mention.report,
        start=mention.start,
        end=mention.end,
        page=mention.page,
        form=mention.form,
        sentence=mention.sentence,
    )


def _definition_out(definition: Definition) -> DefinitionOut:
    source = definition.source
    return DefinitionOut(
        text=definition.text,
        report=definition.report,
        report_title=definition.report_title,
        year=definition.year,
        delivered_on=definition.delivered_on,
        year_reviewed=definition.year_reviewed,
        year_planned=definition.year_planned,
        district=definition.district,
        source=None
        if source is None
        else SourceOut(page=source.page, start=source.start, end=source.end, quote=source.quote),
    )
