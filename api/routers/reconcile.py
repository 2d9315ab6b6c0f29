"""``/reconcile``: the W3C Reconciliation Service API 0.2, as OpenRefine speaks it.

- ``GET /reconcile`` with no parameters is the service manifest;
- ``queries=`` (form POST, or GET) is a batch of queries, each answered with
  scored candidates (:func:`kg.readmodel.reconcile.reconcile`);
- ``extend=`` (form POST, or GET) fetches property values (data extension),
  and ``/reconcile/properties`` proposes the properties to fetch;
- ``/reconcile/suggest/{entity,property,type}`` autocomplete, and
  ``/reconcile/preview?id=`` is a small HTML card of a term.

Every URL of the manifest is made from ``Settings.base_url``, not from the
request's ``Host``. A GET answer is JSONP when ``callback=`` names a function.
Malformed parameters are a 400 in the project's one error shape.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.templating import Jinja2Templates

from api.deps import ModelDep, SettingsDep
from api.errors import ApiError
from api.reconcile_schemas import (
    MAX_LIMIT,
    CandidateOut,
    ExtendIn,
    ExtendMeta,
    ExtendOut,
    Feature,
    Manifest,
    ManifestExtend,
    ManifestPreview,
    ManifestSuggest,
    ManifestView,
    PropertyOut,
    ProposedProperties,
    QueryIn,
    QueryResult,
    ServicePath,
    SuggestEntities,
    SuggestEntity,
    SuggestProperties,
    SuggestTypes,
    TypeOut,
    dump,
    parse_batch,
    parse_extend,
)
from api.routers.terms import resolve_term
from api.schemas import json_error
from api.settings import Settings
from kg import __version__
from kg.readmodel import ReadModel
from kg.readmodel.catalog import CatalogReport, CatalogTerm
from kg.readmodel.reconcile import (
    EXTENSION_PROPERTIES,
    PROPERTIES,
    TERM_TYPE,
    Candidate,
    Constraint,
    ReconcileQuery,
    ServiceProperty,
    TermRef,
    extension_values,
    reconcile,
)
from kg.text import search_key
from kg.vocab import BASE, KGO

__all__ = ["router"]

router = APIRouter(prefix="/reconcile", tags=["reconciliation"])

_HERE = Path(__file__).resolve().parent.parent
_DEFAULT_LIMIT = 10
_SUGGEST_PAGE = 10
_PREVIEW_SIZE = (400, 200)
_CALLBACK = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]{0,63}(?:\.[A-Za-z_$][A-Za-z0-9_$]{0,63}){0,3}")
# The card is framed by other origins (OpenRefine); it runs no script.
_PREVIEW_CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'"
)
_TYPE = TypeOut(id=TERM_TYPE.id, name=TERM_TYPE.name)

QueriesParam = Annotated[
    str | None, Query(description='A JSON batch of queries: {"q0": {"query": "六个致力"}}.')
]
ExtendParam = Annotated[
    str | None,
    Query(description='A JSON data extension query: {"ids": [...], "properties": [...]}.'),
]
CallbackParam = Annotated[
    str | None,
    Query(
        description="Answer as JSONP, calling this function.",
        pattern=f"^(?:{_CALLBACK.pattern})$",
        max_length=200,
    ),
]
# With ``callback``, a GET answers the same JSON wrapped in a call, as JavaScript.
_JSONP: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/javascript": {"schema": {"type": "string"}}}}
}
_MALFORMED: dict[int | str, dict[str, Any]] = {
    400: json_error("queries or extend is not valid JSON, or asks for what is not offered")
}


# Answers are JSON or JSONP, built by hand; the response models document their JSON.
@router.get(
    "",
    name="reconcile",
    response_model=Manifest,
    response_model_exclude_none=True,
    summary="Manifest, reconciliation or data extension",
    responses={**_JSONP, **_MALFORMED},
)
def reconcile_get(
    model: ModelDep,
    settings: SettingsDep,
    queries: QueriesParam = None,
    extend: ExtendParam = None,
    callback: CallbackParam = None,
) -> Response:
    """With no parameter, the service manifest; with ``queries`` or ``extend``, their answer."""
    if queries is None and extend is None:
        return _json(dump(manifest(settings)), callback)
    return _json(_answer(model, queries, extend), callback)


@router.post(
    "",
    response_model=dict[str, QueryResult],
    response_model_exclude_none=True,
    summary="Reconcile a batch of queries, or extend data",
    responses=_MALFORMED,
)
def reconcile_post(
    model: ModelDep,
    queries: Annotated[str | None, Form(description="A JSON batch of queries.")] = None,
    extend: Annotated[str | None, Form(description="A JSON data extension query.")] = None,
) -> Response:
    """The form POST OpenRefine sends: ``queries=`` or ``extend=``."""
    if queries is None and extend is None:
        raise ApiError(400, "POST /reconcile needs a form field 'queries' or 'extend'")
    return _json(_answer(model, queries, extend), None)


def manifest(settings: Settings) -> Manifest:
    """The service manifest, every URL under ``settings.base_url``."""
    base = settings.base_url.rstrip("/")
    service = f"{base}/reconcile"
    width, height = _PREVIEW_SIZE
    return Manifest(
        versions=["0.2"],
        name="政策术语知识图谱 · Policy terms",
        identifierSpace=f"{BASE}term/",
        schemaSpace=str(KGO._NS),
        documentation=f"{base}/docs",
        serviceVersion=__version__,
        defaultTypes=[_TYPE],
        view=ManifestView(url=f"{base}/term/{{{{id}}}}"),
        preview=ManifestPreview(url=f"{service}/preview?id={{{{id}}}}", width=width, height=height),
        suggest=ManifestSuggest(
            entity=ServicePath(service_url=service, service_path="/suggest/entity"),
            property=ServicePath(service_url=service, service_path="/suggest/property"),
            type=ServicePath(service_url=service, service_path="/suggest/type"),
        ),
        extend=ManifestExtend(
            propose_properties=ServicePath(service_url=service, service_path="/properties")
        ),
    )


def _answer(model: ReadModel, queries: str | None, extend: str | None) -> Any:
    if queries is not None and extend is not None:
        raise ApiError(400, "give 'queries' or 'extend', not both")
    if queries is not None:
        return {key: dump(result) for key, result in reconcile_batch(model, queries).items()}
    assert extend is not None
    return dump(extend_data(model, parse_extend(extend)))


def reconcile_batch(model: ReadModel, queries: str) -> dict[str, QueryResult]:
    """The answer to a ``queries`` parameter: each query's candidates, under its key."""
    return {key: _result(model, query) for key, query in parse_batch(queries).items()}


def _result(model: ReadModel, query: QueryIn) -> QueryResult:
    if not _wants_terms(query):
        return QueryResult(result=[])
    request = ReconcileQuery(
        text=query.query,
        limit=query.limit or _DEFAULT_LIMIT,
        constraints=tuple(Constraint(p.pid, p.values()) for p in query.properties),
    )
    return QueryResult(result=[_candidate(c) for c in reconcile(model, request)])


def _wants_terms(query: QueryIn) -> bool:
    """Whether the query's types admit terms, the one type of this service."""
    types = [query.type] if isinstance(query.type, str) else query.type
    if not types or query.type_strict == "should":
        return True
    ours = [t == TERM_TYPE.id for t in types]
    return all(ours) if query.type_strict == "all" else any(ours)


def _candidate(candidate: Candidate) -> CandidateOut:
    term = candidate.term
    features = [Feature(id=pid, value=ok) for pid, ok in candidate.properties.items()]
    return CandidateOut(
        id=term.id,
        name=term.label,
        description=term.summary,
        type=[_TYPE],
        score=round(candidate.score, 2),
        match=candidate.match,
        features=features or None,
    )


def extend_data(model: ReadModel, extend: ExtendIn) -> ExtendOut:
    """The values of the asked properties for each asked id; an unknown id has none."""
    pids = list(dict.fromkeys(p.id for p in extend.properties))
    meta = [_meta(EXTENSION_PROPERTIES[pid]) for pid in pids]
    rows: dict[str, dict[str, list[dict[str, str | int]]]] = {}
    for term_id in extend.ids:
        term = model.catalog.terms.get(term_id)
        rows[term_id] = {pid: _values(term, pid) for pid in pids}
    return ExtendOut(meta=meta, rows=rows)


def _meta(prop: ServiceProperty) -> ExtendMeta:
    entity_type = _TYPE if prop.id == "related" else None
    return ExtendMeta(id=prop.id, name=prop.name, type=entity_type)


def _values(term: CatalogTerm | None, pid: str) -> list[dict[str, str | int]]:
    if term is None:
        return []
    cells: list[dict[str, str | int]] = []
    for value in extension_values(term, pid):
        if isinstance(value, TermRef):
            cells.append({"id": value.id, "name": value.name})
        elif isinstance(value, int):
            cells.append({"int": value})
        else:
            cells.append({"str": value})
    return cells


def _json(body: Any, callback: str | None) -> Response:
    """The answer as JSON, or as JSONP calling ``callback``."""
    if callback is None:
        return JSONResponse(body)
    if not _CALLBACK.fullmatch(callback):
        raise ApiError(400, "callback: not a JavaScript function name")
    text = json.dumps(body, ensure_ascii=False).replace("<", "\\u003c")
    # The leading comment keeps the answer from being sniffed as Flash (Rosetta Flash).
    return Response(
        f"/**/{callback}({text});",
        media_type="application/javascript; charset=utf-8",
        headers={"X-Content-Type-Options": "nosniff"},
    )


Prefix = Annotated[str, Query(description="What has been typed so far.")]


@router.get(
    "/suggest/entity",
    response_model=SuggestEntities,
    response_model_exclude_none=True,
    summary="Suggest terms",
    responses=_JSONP,
)
async def suggest_entity(
    model: ModelDep,
    prefix: Prefix = "",
    cursor: Annotated[int, Query(ge=0, description="Suggestions to skip.")] = 0,
    type: Annotated[str | None, Query(description="Only entities of this type.")] = None,
    callback: CallbackParam = None,
) -> Response:
    """Terms whose label, pinyin or initials start with ``prefix``, best first."""
    found: list[SuggestEntity] = []
    if prefix.strip() and type in (None, "", TERM_TYPE.id):
        hits = model.search.suggest(prefix, cursor + _SUGGEST_PAGE)[cursor:]
        found = [
            SuggestEntity(id=h.id, name=h.term.label, description=h.term.summary, notable=[_TYPE])
            for h in hits
        ]
    return _json(dump(SuggestEntities(result=found)), callback)


@router.get(
    "/suggest/property",
    response_model=SuggestProperties,
    response_model_exclude_none=True,
    summary="Suggest properties",
    responses=_JSONP,
)
async def suggest_property(prefix: Prefix = "", callback: CallbackParam = None) -> Response:
    """Properties whose id or name contains ``prefix``: query properties and extension ones."""
    found = [_property(p) for p in PROPERTIES if _has(prefix, p.id, p.name)]
    return _json(dump(SuggestProperties(result=found)), callback)


@router.get(
    "/suggest/type",
    response_model=SuggestTypes,
    response_model_exclude_none=True,
    summary="Suggest types",
    responses=_JSONP,
)
async def suggest_type(prefix: Prefix = "", callback: CallbackParam = None) -> Response:
    """The one type of the service, when ``prefix`` is part of its id or name."""
    found = [_TYPE] if _has(prefix, TERM_TYPE.id, TERM_TYPE.name, "policy term") else []
    return _json(dump(SuggestTypes(result=found)), callback)


@router.get(
    "/properties",
    response_model=ProposedProperties,
    response_model_exclude_none=True,
    summary="Propose properties for data extension",
    responses=_JSONP,
)
async def propose_properties(
    type: Annotated[str, Query(description="The type of the entities to extend.")],
    limit: Annotated[int | None, Query(ge=1, le=MAX_LIMIT)] = None,
    callback: CallbackParam = None,
) -> Response:
    """The properties data extension fetches for terms; none for any other type."""
    offered = list(EXTENSION_PROPERTIES.values()) if type == TERM_TYPE.id else []
    proposed = ProposedProperties(
        type=type, properties=[_property(p) for p in offered[:limit]], limit=limit
    )
    return _json(dump(proposed), callback)


def _property(prop: ServiceProperty) -> PropertyOut:
    return PropertyOut(id=prop.id, name=prop.name, description=prop.description)


def _has(prefix: str, *names: str) -> bool:
    key = search_key(prefix)
    return any(key in search_key(name) for name in names)


@lru_cache(maxsize=1)
def _templates() -> Jinja2Templates:
    """The preview template; every ``{{ value }}`` is escaped."""
    return Jinja2Templates(directory=_HERE / "templates")


@router.get(
    "/preview",
    response_class=HTMLResponse,
    summary="A term's preview card",
    responses={404: json_error("No such term")},
)
def preview(
    request: Request,
    model: ModelDep,
    settings: SettingsDep,
    id: Annotated[str, Query(min_length=1, description="The term's id (or a label).")],
) -> HTMLResponse:
    """A small HTML card: label, the first sentence of the latest definition, year, district."""
    term = resolve_term(model, id)
    latest = term.latest
    reports = [model.catalog.reports[r] for r in term.reports if r in model.catalog.reports]
    context = {
        "term": term,
        "url": f"{settings.base_url.rstrip('/')}/term/{term.id}",
        "year": latest.year if latest else max((r.year for r in reports if r.year), default=None),
        "district": latest.district if latest else _districts(reports),
    }
    response = _templates().TemplateResponse(request, "reconcile_preview.html", context)
    response.headers["Content-Security-Policy"] = _PREVIEW_CSP
    return response


def _districts(reports: list[CatalogReport]) -> str | None:
    names = sorted({r.district for r in reports if r.district})
    return "、".join(names) or None
