"""Response models of the API, in one place so the OpenAPI schema reads as one whole."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "ERROR_RESPONSES",
    "AnnotateRequest",
    "AnnotateResponse",
    "AnnotatedSpanOut",
    "CitedReportOut",
    "CitedReportRowOut",
    "ComponentOut",
    "DefinitionOut",
    "ErrorBody",
    "ErrorResponse",
    "GlossaryItemOut",
    "GraphEdgeOut",
    "GraphNodeOut",
    "Health",
    "LineageLinkOut",
    "LineageOut",
    "LineageReportOut",
    "LineageTermOut",
    "LinkedTermOut",
    "MentionOut",
    "MentionPage",
    "RelatedOut",
    "ReportDetail",
    "ReportOut",
    "ReportPage",
    "ReportRef",
    "ReportRefPage",
    "SourceOut",
    "Stats",
    "SubgraphOut",
    "Suggestion",
    "Suggestions",
    "TermHit",
    "TermOut",
    "TermPage",
    "TermSummary",
    "TimelineRowOut",
]


class ErrorBody(BaseModel):
    """What went wrong; some errors add fields (``row_limit``, ``timeout_seconds``, …)."""

    model_config = ConfigDict(extra="allow")

    status: int = Field(description="The HTTP status code, repeated.")
    message: str = Field(description="One line a person can act on.")


class ErrorResponse(BaseModel):
    """The body of every error response."""

    error: ErrorBody


def _error(description: str) -> dict[str, Any]:
    return {"model": ErrorResponse, "description": description}


def json_error(description: str) -> dict[str, Any]:
    """An error response of a route whose own answers are not JSON (an HTML page, say):
    the error body is JSON all the same, in the one error shape."""
    schema = {"$ref": "#/components/schemas/ErrorResponse"}
    return {"description": description, "content": {"application/json": {"schema": schema}}}


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: _error("Malformed request or query"),
    406: _error("No acceptable response format"),
    503: _error("Not ready, or busy"),
}
"""Error responses most routes can give, for their OpenAPI description."""


class Health(BaseModel):
    """The service is up and its store is loaded."""

    status: str = Field(examples=["ok"])


class Stats(BaseModel):
    """Counts of the served graph and when it was built."""

    triples: int = Field(description="Triples in the store.")
    reports: int = Field(description="Resources typed kgo:Report.")
    terms: int = Field(description="Resources typed skos:Concept.")
    definitions: int = Field(description="Resources typed kgo:Definition.")
    built_at: datetime = Field(description="When the serving store was built (UTC).")
    build_seconds: float = Field(description="How long loading and building took.")
    version: str = Field(description="Version of the policy-terms-kg package.")


# Terms and reports ------------------------------------------------------------


class SourceOut(BaseModel):
    """Where a definition stands in its report's source text."""

    page: int | None = Field(description="1-based page, when the source has pages.")
    start: int | None = Field(description="Offset of the first character in the source text.")
    end: int | None = Field(description="Offset just past the last character (exclusive).")
    quote: str | None = Field(description="The source text between the offsets.")


class DefinitionOut(BaseModel):
    """What one report says a term means."""

    text: str
    report: str = Field(description="Id of the report giving the definition.")
    report_title: str | None
    year: int | None = Field(description="The year the report was delivered.")
    delivered_on: date | None
    year_reviewed: int | None
    year_planned: int | None
    district: str | None
    source: SourceOut | None


class ComponentOut(BaseModel):
    """One part of an enumerated slogan, in the order the definition lists it."""

    label: str
    group: str | None = Field(description="The part of the name it belongs to, e.g. 两纵.")


class RelatedOut(BaseModel):
    """A link to another term, typed as seen from this term."""

    type: str = Field(
        examples=["evolvedFrom"],
        description="related, closeMatch, broader, narrower, evolvedFrom, evolvedInto, "
        "references or referencedBy.",
    )
    id: str
    label: str
    iri: str


class ReportRef(BaseModel):
    """A report a term appears in."""

    id: str
    title: str | None
    year: int | None
    district: str | None


class MentionOut(BaseModel):
    """One use of a term in a report's running text."""

    report: str = Field(description="Id of the report.")
    start: int = Field(description="Offset of the first character in the report's text.")
    end: int = Field(description="Offset just past the last character (exclusive).")
    page: int | None = Field(description="1-based page, when the source has pages.")
    form: str = Field(description="The words as printed, quotes included.")
    sentence: str = Field(description="The sentence holding them.")


class TermOut(BaseModel):
    """A term with everything known about it."""

    id: str = Field(examples=["liu-ge-zhi-li"])
    iri: str
    label: str = Field(examples=["六个致力"])
    alt_labels: list[str]
    defined: bool = Field(description="Whether some report's glossary defines it.")
    listed: bool = Field(
        default=True,
        description="False for an undefined term lists and the annotator leave out by default.",
    )
    confidence: float | None = Field(
        default=None, description="For a term found in running text: how sure the rule is (0–1)."
    )
    discovered_by: str | None = Field(
        default=None, description="The rule that found an undefined term (quoted-name, …)."
    )
    definitions: list[DefinitionOut] = Field(description="Oldest report first.")
    components: list[ComponentOut] = Field(description="From the latest definition listing any.")
    related: list[RelatedOut]
    reports: list[ReportRef] = Field(
        description="The first page of the reports defining or mentioning it, oldest first; "
        "reports_next pages on."
    )
    reports_total: int = Field(description="Reports defining or mentioning it, over all pages.")
    reports_next: str | None = Field(
        description="Absolute URL of the next page of reports "
        "(/api/v1/terms/{id}/reports), null when this page holds them all."
    )
    mentions: list[MentionOut] = Field(
        description="The first page of its uses in running text, in delivery order of the "
        "reports, then by position; mentions_next pages on."
    )
    mentions_total: int = Field(description="Uses in running text, over all pages.")
    mentions_next: str | None = Field(
        description="Absolute URL of the next page of mentions "
        "(/api/v1/terms/{id}/mentions), null when this page holds them all."
    )


class MentionPage(BaseModel):
    """One page of a term's mentions."""

    results: list[MentionOut]
    total: int = Field(description="Mentions over all pages.")
    next: str | None = Field(description="Absolute URL of the next page, null on the last.")


class ReportRefPage(BaseModel):
    """One page of the reports a term appears in, oldest first."""

    results: list[ReportRef]
    total: int = Field(description="Reports over all pages.")
    next: str | None = Field(description="Absolute URL of the next page, null on the last.")


class TermHit(BaseModel):
    """A term in a list of search results."""

    id: str
    iri: str
    label: str
    alt_labels: list[str]
    defined: bool
    years: list[int] = Field(description="Delivery years of the reports defining it.")
    definition: str | None = Field(description="First sentence of the latest definition.")
    match: str | None = Field(
        description="How it matched the query: label, alt_label, pinyin, label_prefix, "
        "pinyin_prefix, fuzzy_pinyin, label_substring or definition; null without a query."
    )


class TermPage(BaseModel):
    """One page of terms."""

    results: list[TermHit]
    total: int = Field(description="Results over all pages.")
    next: str | None = Field(description="Absolute URL of the next page, null on the last.")
    suggestions: list[Suggestion] = Field(
        default_factory=list,
        description="When a query finds nothing: terms it may have meant, nearest first.",
    )


class Suggestion(BaseModel):
    """An autocomplete entry."""

    id: str
    label: str
    defined: bool


class Suggestions(BaseModel):
    """Autocomplete entries, best first."""

    results: list[Suggestion]


class TermSummary(BaseModel):
    """The short form of a term, for hovercards."""

    id: str
    label: str
    definition: str | None = Field(description="First sentence of the latest definition.")
    year: int | None = Field(description="Delivery year of the report giving that definition.")
    district: str | None = Field(
        default=None, description="District of the report giving that definition."
    )
    url: str = Field(description="The term's page on this server.")


class GlossaryItemOut(BaseModel):
    """One numbered entry of a report's glossary."""

    number: int
    term: str | None = Field(description="Id of the term the entry defines.")
    label: str
    definition: str | None


class ReportOut(BaseModel):
    """A report's metadata."""

    id: str = Field(examples=["jianghan-2024-gov-work-report"])
    iri: str
    title: str | None
    kind: str | None
    district: str | None
    district_id: str | None
    city: str | None
    doc_number: str | None = Field(examples=["江政〔2025〕1号"])
    delivered_on: date | None
    issued_on: date | None
    year: int | None = Field(description="The year delivered, by which reports cite each other.")
    year_reviewed: int | None
    year_planned: int | None
    session: str | None
    speaker: str | None
    speaker_role: str | None
    held: bool = Field(description="False for a report only cited by another.")
    glossary_size: int = Field(description="Entries in its glossary appendix.")


class ReportDetail(ReportOut):
    """A report's metadata and its glossary, in entry order."""

    glossary: list[GlossaryItemOut]


class ReportPage(BaseModel):
    """One page of reports, in the order they were delivered."""

    results: list[ReportOut]
    total: int
    next: str | None


# Lineage and annotation ----------------------------------------------------------


class LineageTermOut(BaseModel):
    """The term a lineage is about."""

    id: str
    label: str
    defined: bool
    summary: str | None = Field(description="First sentence of the latest definition.")


class LineageReportOut(BaseModel):
    """A report on a timeline, with its three years."""

    report: str
    title: str | None
    district: str | None
    delivered_on: str | None
    year: int | None = Field(description="The year delivered, else the year reviewed.")
    year_source: str = Field(description="delivered, or reviewed when no delivery date is known.")
    year_reviewed: int | None
    year_planned: int | None


class TimelineRowOut(LineageReportOut):
    """One report defining or mentioning the term."""

    defined: bool
    definition: str | None
    change: str | None = Field(
        description="The definition with changes from the previous one: {+added+}, [-removed-]."
    )
    mentions: int
    sentences: list[str] = Field(description="Up to three sentences using the term.")


class LinkedTermOut(BaseModel):
    id: str
    label: str


class LineageLinkOut(BaseModel):
    """A link to another term, with the evidence."""

    term: LinkedTermOut | None
    type: str
    evidence: str | None
    confidence: float | None


class CitedReportRowOut(LineageReportOut):
    held: bool = Field(description="False for a report the corpus only knows from citations.")


class CitedReportOut(BaseModel):
    """A report the term's definition names as the one that proposed it."""

    type: str
    evidence: str | None
    confidence: float | None
    report: CitedReportRowOut


class LineageOut(BaseModel):
    """A term's timeline across reports, by delivery date, and its links."""

    term: LineageTermOut
    axis: str = Field(description="What the timeline is ordered by: delivered.")
    timeline: list[TimelineRowOut]
    came_from: list[LineageLinkOut]
    became: list[LineageLinkOut]
    same_idea: list[LineageLinkOut]
    cites: list[LineageLinkOut]
    cites_reports: list[CitedReportOut]


class AnnotateRequest(BaseModel):
    """Text to mark up; ``district`` (e.g. 江汉区) settles terms two districts name alike."""

    text: str
    district: str | None = None
    unlisted: bool = Field(
        default=False,
        description="Also mark undefined terms lists leave out (words quoted for effect, …).",
    )


class AnnotatedSpanOut(BaseModel):
    """A term found in the text: character offsets ``[start, end)`` of the input."""

    start: int
    end: int
    text: str
    id: str
    label: str
    summary: str | None = Field(description="First sentence of the latest definition.")


class AnnotateResponse(BaseModel):
    spans: list[AnnotatedSpanOut] = Field(default_factory=list)


# Subgraphs --------------------------------------------------------------------


class GraphNodeOut(BaseModel):
    """A node of a term's subgraph."""

    id: str = Field(examples=["term:liu-ge-zhi-li"], description="kind:id, unique in the graph.")
    kind: str = Field(description="term, report, component or district.")
    label: str
    title: str = Field(description="Plain text shown when pointing at the node.")
    ref: str | None = Field(description="Id of the term, report or district; null for a part.")
    url: str | None = Field(description="The node's page on this server; null for a part.")
    distance: int = Field(description="Steps from the centre (the lineage chain counts as 1).")
    defined: bool | None = Field(default=None, description="Terms: defined by some glossary.")
    year: int | None = Field(default=None, description="Reports: the year delivered.")
    held: bool | None = Field(default=None, description="Reports: false when only cited.")


class GraphEdgeOut(BaseModel):
    """A typed edge of a term's subgraph."""

    source: str
    target: str
    relation: str = Field(
        description="evolved, cites-term, same-idea, part-of, related, defined-in, "
        "mentioned-in, cites-report, has-part or in-district."
    )
    label: str = Field(examples=["演变为"], description="The relation in Chinese.")
    title: str = Field(description="Plain text: the evidence or what the edge means.")
    lineage: bool = Field(description="Whether the edge is part of the term's lineage chain.")


class SubgraphOut(BaseModel):
    """The neighbourhood of a term, capped to the nearest nodes."""

    center: str = Field(examples=["term:liu-ge-zhi-li"])
    depth: int
    truncated: bool = Field(description="True when nodes were left out to keep the graph small.")
    nodes_found: int = Field(description="Nodes in the neighbourhood before the cap.")
    max_nodes: int
    nodes: list[GraphNodeOut] = Field(description="Nearest first, the centre first of all.")
    edges: list[GraphEdgeOut]
