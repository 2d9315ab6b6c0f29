"""Namespaces of the policy-terms graph, and the IRIs of its instance data.

``ontology/kg.ttl`` is the source of truth for the ``kgo:`` vocabulary;
:class:`KGO` mirrors it, and ``tests/test_vocab.py`` checks that the two agree.
Instance IRIs live under :data:`BASE`, one path per kind of node, built from the
readable ids of :mod:`kg.ids`.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from types import MappingProxyType
from urllib.parse import quote

from rdflib import URIRef
from rdflib.namespace import DefinedNamespace, Namespace

__all__ = [
    "BASE",
    "EVOLUTION_TYPES",
    "KGO",
    "ONTOLOGY_DIR",
    "ONTOLOGY_IRI",
    "ONTOLOGY_PATH",
    "PREFIXES",
    "REF_TYPES",
    "SCHEME",
    "SHAPES",
    "SHAPES_PATH",
    "body_iri",
    "component_iri",
    "components_iri",
    "crossref_iri",
    "definition_iri",
    "district_iri",
    "entry_iri",
    "group_iri",
    "location_iri",
    "mention_iri",
    "prologue",
    "report_iri",
    "term_iri",
]

ONTOLOGY_DIR = Path(__file__).resolve().parent.parent / "ontology"
ONTOLOGY_PATH = ONTOLOGY_DIR / "kg.ttl"
SHAPES_PATH = ONTOLOGY_DIR / "shapes.ttl"

BASE = "https://w3id.org/policy-terms/"
ONTOLOGY_IRI = URIRef(BASE + "ontology")
SCHEME = URIRef(BASE + "terms")
SHAPES = Namespace(BASE + "shapes#")


class KGO(DefinedNamespace):
    """The policy-terms ontology: what SKOS, DCTERMS and PROV-O do not already say."""

    _fail = True

    # Classes
    Body: URIRef  # The government body that issues a report.
    Component: URIRef  # One part of an enumerated slogan as a definition lists it.
    ComponentList: URIRef  # The ordered parts a definition lists, with promised and found counts.
    Definition: URIRef  # What one report says a term means.
    District: URIRef  # An administrative division whose government delivers reports.
    GlossaryEntry: URIRef  # One numbered entry of a report's glossary appendix.
    Report: URIRef  # A report delivered to a people's congress.
    SourceLocation: URIRef  # Page, character offsets and quote in a report's source text.

    # Properties
    city: URIRef  # The name of the city a district belongs to.
    componentGroup: URIRef  # The group of the name a component belongs to.
    components: URIRef  # The parts a definition lists for the slogan it defines.
    congressSession: URIRef  # The congress session the report was delivered at.
    defines: URIRef  # The concept a glossary entry defines.
    deliveredOn: URIRef  # The day the report was delivered.
    district: URIRef  # The administrative division whose government delivered the report.
    docNumber: URIRef  # The number the issuing body gave the document.
    endOffset: URIRef  # The offset just past the last character of a source location.
    entryNumber: URIRef  # The number printed before a glossary entry.
    foundCounts: URIRef  # The count per group found in a definition, e.g. "1+2+3+4".
    inReport: URIRef  # The report an entry, definition or source location belongs to.
    jurisdiction: URIRef  # The administrative division a body governs.
    page: URIRef  # The 1-based page where a source location starts.
    partsMatch: URIRef  # Whether the counts found equal the counts promised.
    promisedCounts: URIRef  # The count per group a slogan's name promises.
    quote: URIRef  # The source text between the start and end offsets.
    reportKind: URIRef  # What sort of report this is.
    speaker: URIRef  # The name of the person who delivered the report.
    speakerRole: URIRef  # The speaker's office.
    startOffset: URIRef  # The offset of the first character of a source location.
    termAsPrinted: URIRef  # The term exactly as a glossary entry prints it.
    yearPlanned: URIRef  # The year whose work the report plans.
    yearReviewed: URIRef  # The year whose work the report reviews.

    # Term linking: mentions, undefined terms, cross-references (see kg.link)
    CrossReference: URIRef  # A typed link from a term to a term or report, with evidence.
    Mention: URIRef  # One use of a term in the running text of a report.
    citesReport: URIRef  # A report a definition names as the one that proposed the term.
    confidence: URIRef  # How sure the rules that found a fact are, from 0 to 1.
    defined: URIRef  # Whether some report's glossary defines the concept.
    definitionChange: URIRef  # How a definition differs from the one it revises.
    deliveredYear: URIRef  # The year a report was delivered, when only the year is known.
    discoveredBy: URIRef  # The rule that found an undefined term.
    evolvedFrom: URIRef  # An earlier term this term grew out of.
    listed: URIRef  # Whether lists and the annotator show an undefined term by default.
    fromTerm: URIRef  # The term a cross-reference starts from.
    held: URIRef  # Whether the corpus holds the report's text.
    mentionOf: URIRef  # The concept a mention uses.
    mentionedIn: URIRef  # A report whose running text uses the concept.
    refType: URIRef  # The kind of a cross-reference.
    sentence: URIRef  # The sentence of the report holding a mention.
    toReport: URIRef  # The report a cites-report cross-reference points at.
    toTerm: URIRef  # The term a cross-reference points at.

    _NS = Namespace(BASE + "ontology#")


_PREFIX_LINE = re.compile(r"^@prefix\s+([A-Za-z][\w-]*):\s*<([^>]*)>\s*\.", re.MULTILINE)


@cache
def _ontology_prefixes() -> MappingProxyType[str, str]:
    text = ONTOLOGY_PATH.read_text(encoding="utf-8")
    return MappingProxyType(dict(_PREFIX_LINE.findall(text)))


PREFIXES = _ontology_prefixes()
"""The prefixes ``ontology/kg.ttl`` declares: written into every RDF output, offered to
SPARQL users, and put before every query the service sends a store."""


def prologue() -> str:
    """``PREFIX`` declarations of :data:`PREFIXES`, to start a SPARQL query with."""
    return "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items())


def _iri(*segments: str | int) -> URIRef:
    """An instance IRI under BASE; each segment is percent-encoded should it need it."""
    return URIRef(BASE + "/".join(quote(str(segment), safe="") for segment in segments))


def term_iri(term_id: str) -> URIRef:
    """The concept of a term, e.g. ``…/term/liu-ge-zhi-li``."""
    return _iri("term", term_id)


def group_iri(district_id: str) -> URIRef:
    """The top concept grouping one district's terms, e.g. ``…/terms/jianghan``."""
    return _iri("terms", district_id)


def report_iri(report_id: str) -> URIRef:
    """A report, e.g. ``…/report/jianghan-2024-gov-work-report``."""
    return _iri("report", report_id)


def district_iri(district_id: str) -> URIRef:
    """An administrative division, e.g. ``…/district/jianghan``."""
    return _iri("district", district_id)


def body_iri(body_id: str) -> URIRef:
    """An issuing body, e.g. ``…/body/jiang-han-qu-ren-min-zheng-fu``."""
    return _iri("body", body_id)


def entry_iri(report_id: str, n: int) -> URIRef:
    """Glossary entry ``n`` of a report, e.g. ``…/entry/jianghan-2024-gov-work-report/3``."""
    return _iri("entry", report_id, n)


def location_iri(report_id: str, n: int) -> URIRef:
    """Where glossary entry ``n`` of a report stands in its source text."""
    return _iri("location", report_id, n)


def definition_iri(report_id: str, term_id: str) -> URIRef:
    """What one report says a term means, e.g. ``…/definition/<report>/liu-ge-zhi-li``."""
    return _iri("definition", report_id, term_id)


def components_iri(report_id: str, term_id: str) -> URIRef:
    """The ordered parts one report's definition of a term lists."""
    return _iri("components", report_id, term_id)


def component_iri(report_id: str, term_id: str, position: int) -> URIRef:
    """Part ``position`` (1-based) of one report's definition of a term."""
    return _iri("components", report_id, term_id, position)


# Term linking ------------------------------------------------------------------

EVOLUTION_TYPES: tuple[str, ...] = (
    "evolved-based-on",
    "evolved-renamed-tail",
    "evolved-changed-head",
    "evolved-similar",
)
REF_TYPES: tuple[str, ...] = (
    "cites-term",
    "cites-report",
    *EVOLUTION_TYPES,
    "same-idea",
    "part-of",
)
"""The values of ``kgo:refType``; :mod:`kg.link.references` says what each means."""


def mention_iri(report_id: str, start: int, term_id: str) -> URIRef:
    """A use of a term at clean-text offset ``start`` of a report."""
    return _iri("mention", report_id, start, term_id)


def crossref_iri(ref_type: str, from_id: str, to_id: str, report_id: str | None = None) -> URIRef:
    """A typed cross-reference, e.g. ``…/xref/cites-term/yi-he-liang-zong-wu-qu/<to>``.

    A reference whose evidence is a definition (a citation) names that report too,
    since each report's definition of a term can cite the same target.
    """
    tail = (report_id,) if report_id else ()
    return _iri("xref", ref_type, from_id, to_id, *tail)
