"""Request and response models of ``/reconcile``, the W3C Reconciliation Service API 0.2.

The shapes are the specification's (its JSON schemas are the tests' contract,
``tests/data/reconcile/schemas``); field names follow it, not this project's
JSON API. Optional fields are left out of answers when empty, as the
specification's examples do (:func:`dump`). :func:`parse_batch` and
:func:`parse_extend` read the ``queries`` and ``extend`` parameters; what is
malformed in them is a 400 with a one-line message.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    TypeAdapter,
    ValidationError,
    field_validator,
    model_validator,
)

from api.errors import ApiError
from kg.readmodel.reconcile import EXTENSION_PROPERTIES, QUERY_PROPERTIES

__all__ = [
    "BatchIn",
    "CandidateOut",
    "EntityValueIn",
    "ExtendIn",
    "ExtendMeta",
    "ExtendOut",
    "ExtendPropertyIn",
    "Feature",
    "Manifest",
    "ManifestExtend",
    "ManifestPreview",
    "ManifestSuggest",
    "ManifestView",
    "PropertyIn",
    "PropertyOut",
    "ProposedProperties",
    "QueryIn",
    "QueryResult",
    "ServicePath",
    "SuggestEntities",
    "SuggestEntity",
    "SuggestProperties",
    "SuggestTypes",
    "TypeOut",
    "dump",
    "parse_batch",
    "parse_extend",
]

MAX_LIMIT = 100
"""The most candidates one query, or properties one proposal, may ask for."""
MAX_QUERIES = 100
"""The most queries in one batch (OpenRefine sends ten)."""
MAX_IDS = 1000
"""The most entities one data extension query may ask about."""


class _In(BaseModel):
    # Clients add fields of later versions of the protocol; they are ignored, not refused.
    model_config = ConfigDict(extra="ignore", frozen=True)


class EntityValueIn(_In):
    """A property value that is an entity, e.g. a cell reconciled before."""

    id: StrictStr
    name: StrictStr | None = None


PropertyValue = StrictStr | StrictBool | StrictInt | StrictFloat | EntityValueIn


class PropertyIn(_In):
    """A property of a query: ``pid`` should have the value (or one of the values) ``v``."""

    pid: StrictStr
    v: PropertyValue | list[PropertyValue]

    @field_validator("pid")
    @classmethod
    def _known(cls, pid: str) -> str:
        if pid not in QUERY_PROPERTIES:
            raise ValueError(f"unknown property {pid!r} (known: {', '.join(QUERY_PROPERTIES)})")
        return pid

    def values(self) -> tuple[str | int | float | bool, ...]:
        """The values, an entity value standing for its id and its name."""
        values: list[str | int | float | bool] = []
        for value in self.v if isinstance(self.v, list) else [self.v]:
            if isinstance(value, EntityValueIn):
                values.extend(v for v in (value.id, value.name) if v)
            else:
                values.append(value)
        return tuple(values)


class QueryIn(_In):
    """One reconciliation query of a batch."""

    query: StrictStr | None = None
    type: StrictStr | list[StrictStr] | None = None
    limit: int | None = Field(default=None, ge=1, le=MAX_LIMIT)
    properties: list[PropertyIn] = Field(default_factory=list)
    type_strict: Literal["any", "should", "all"] | None = None

    @model_validator(mode="after")
    def _query_or_properties(self) -> QueryIn:
        if self.query is None and not self.properties:
            raise ValueError("a query needs 'query' or at least one of 'properties'")
        return self


BatchIn = dict[str, QueryIn]
"""A batch of queries by key (``q0``, ``q1``…), as the ``queries`` parameter holds it."""


class ExtendPropertyIn(_In):
    """A property to fetch; its ``settings`` are accepted and not used."""

    id: StrictStr
    settings: dict[str, Any] | None = None

    @field_validator("id")
    @classmethod
    def _known(cls, pid: str) -> str:
        if pid not in EXTENSION_PROPERTIES:
            known = ", ".join(EXTENSION_PROPERTIES)
            raise ValueError(f"unknown property {pid!r} (known: {known})")
        return pid


class ExtendIn(_In):
    """A data extension query: the values of some properties for some entities."""

    ids: list[StrictStr] = Field(max_length=MAX_IDS)
    properties: list[ExtendPropertyIn]


_BATCH: TypeAdapter[dict[str, QueryIn]] = TypeAdapter(BatchIn)


def parse_batch(text: str) -> dict[str, QueryIn]:
    """The ``queries`` parameter read, or a 400 saying in one line what is wrong with it."""
    batch: dict[str, QueryIn] = _parse("queries", text, _BATCH.validate_python)
    if len(batch) > MAX_QUERIES:
        raise ApiError(400, f"queries: at most {MAX_QUERIES} queries in one batch")
    return batch


def parse_extend(text: str) -> ExtendIn:
    """The ``extend`` parameter read, or a 400 saying in one line what is wrong with it."""
    extend: ExtendIn = _parse("extend", text, ExtendIn.model_validate)
    return extend


def _parse(name: str, text: str, validate: Callable[[Any], Any]) -> Any:
    try:
        return validate(json.loads(text))
    except json.JSONDecodeError as error:
        raise ApiError(400, f"{name}: not valid JSON ({error.msg} at {error.pos})") from None
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in (name, *first["loc"]))
        message = str(first["msg"]).removeprefix("Value error, ")
        raise ApiError(400, f"{where}: {message}") from None


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class TypeOut(_Out):
    """A type by id and name."""

    id: str
    name: str
    description: str | None = None


class Feature(_Out):
    """One fact a score is made of: a property the candidate has (True) or lacks."""

    id: str
    value: bool | float


class CandidateOut(_Out):
    """One candidate of a query's result."""

    id: str
    name: str
    description: str | None = None
    type: list[TypeOut]
    score: float
    match: bool
    features: list[Feature] | None = None


class QueryResult(_Out):
    """The candidates for one query, best first."""

    result: list[CandidateOut]


class ServicePath(_Out):
    """Where a sub-service answers: ``service_url`` followed by ``service_path``."""

    service_url: str
    service_path: str


class ManifestView(_Out):
    """The template of an entity's page."""

    url: str


class ManifestPreview(_Out):
    """The template of an entity's preview card, and the size of its frame."""

    url: str
    width: int
    height: int


class ManifestSuggest(_Out):
    """The suggest services."""

    entity: ServicePath
    property: ServicePath
    type: ServicePath


class ManifestExtend(_Out):
    """Data extension: where properties are proposed; no property has settings."""

    propose_properties: ServicePath
    property_settings: list[dict[str, Any]] = Field(default_factory=list)


class Manifest(_Out):
    """The service manifest, answered by ``GET /reconcile`` with no parameters."""

    versions: list[str]
    name: str
    identifierSpace: str  # the specification spells these in camelCase
    schemaSpace: str
    documentation: str
    serviceVersion: str
    defaultTypes: list[TypeOut]
    view: ManifestView
    preview: ManifestPreview
    suggest: ManifestSuggest
    extend: ManifestExtend


class SuggestEntity(_Out):
    """An entity the typed prefix may stand for."""

    id: str
    name: str
    description: str | None = None
    notable: list[TypeOut]


class SuggestEntities(_Out):
    """The answer of entity suggest."""

    result: list[SuggestEntity]


class PropertyOut(_Out):
    """A property by id and name."""

    id: str
    name: str
    description: str | None = None


class SuggestProperties(_Out):
    """The answer of property suggest."""

    result: list[PropertyOut]


class SuggestTypes(_Out):
    """The answer of type suggest."""

    result: list[TypeOut]


class ProposedProperties(_Out):
    """The properties data extension offers for a type."""

    type: str
    properties: list[PropertyOut]
    limit: int | None = None


class ExtendMeta(_Out):
    """A column of a data extension answer: the property, and the type of entity values."""

    id: str
    name: str
    type: TypeOut | None = None


class ExtendOut(_Out):
    """Property values by entity id, then by property id (``{"str": …}``, ``{"int": …}``…)."""

    meta: list[ExtendMeta]
    rows: dict[str, dict[str, list[dict[str, str | int]]]]


def dump(model: BaseModel) -> Any:
    """The JSON value of an answer, optional fields left out when empty."""
    return model.model_dump(mode="json", exclude_none=True)
