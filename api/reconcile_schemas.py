"""Request and response models of ``/reconcile``, the W3C Reconciliation Service API 0.2.

The shapes are the specification's (its JSON schemas are the tests' contract,
``tests/data/reconcile/schemas``); field names follow it, not this project's
JSON API. Optional fields are left out of answers when empty, as the
specification's examples do (:func:`dump`).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    model_validator,
)

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
]

MAX_LIMIT = 100


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


class ExtendIn(_In):
    """A data extension query: the values of some properties for some entities."""

    ids: list[StrictStr]
    properties: list[ExtendPropertyIn]


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
