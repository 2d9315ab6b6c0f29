"""The proportions of a built corpus, measured on its graph: how close generated is to real.

The same queries run on the bundled corpus's graph and on a generated
corpus's graph, so the generator is judged by what the real build makes of
its output: glossary entries per report, terms defined in more than one
report, evolution and same-idea links per defined term, citations, mentions
and undefined terms per report, triples per report.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph

__all__ = ["STATS", "corpus_stats"]

_PROLOGUE = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX kgo: <https://w3id.org/policy-terms/ontology#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""
_COUNTS = {
    "reports": "SELECT (COUNT(?r) AS ?n) WHERE { ?r kgo:held true }",
    "glossary_reports": "SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE { ?d kgo:inReport ?r . "
    "?t skos:definition ?d }",
    "entries": "SELECT (COUNT(?e) AS ?n) WHERE { ?e kgo:defines ?t }",
    "defined_terms": "SELECT (COUNT(DISTINCT ?t) AS ?n) WHERE { ?t skos:definition ?d }",
    "redefined_terms": "SELECT (COUNT(*) AS ?n) WHERE { { SELECT ?t WHERE { "
    "?t skos:definition/kgo:inReport ?r } GROUP BY ?t HAVING (COUNT(DISTINCT ?r) > 1) } }",
    "undefined_terms": "SELECT (COUNT(?t) AS ?n) WHERE { ?t kgo:defined false }",
    "mentions": "SELECT (COUNT(?m) AS ?n) WHERE { ?m kgo:mentionOf ?t }",
    "mentions_of_defined": "SELECT (COUNT(?m) AS ?n) WHERE { ?m kgo:mentionOf ?t . "
    "?t kgo:defined true }",
}
_LINKS = "SELECT ?type (COUNT(?x) AS ?n) WHERE { ?x kgo:refType ?type } GROUP BY ?type"

STATS: tuple[tuple[str, str], ...] = (
    ("reports", "reports held"),
    ("triples_per_report", "triples per report"),
    ("entries_per_report", "glossary entries per report"),
    ("share_without_glossary", "share of reports without a glossary"),
    ("share_redefined", "share of defined terms defined in more than one report"),
    (
        "evolved_per_100",
        "evolution links (all four kinds) per 100 defined terms",
    ),
    ("based_on_per_100", "… of which based-on, per 100 defined terms"),
    ("renamed_tail_per_100", "… renamed at the tail, per 100 defined terms"),
    ("changed_head_per_100", "… changed head, per 100 defined terms"),
    ("same_idea_per_100", "same-idea links per 100 defined terms"),
    ("cites_term_per_entry", "cites-term links per entry"),
    ("cites_report_per_entry", "cites-report links per entry"),
    ("mentions_per_report", "mentions per report"),
    ("mentions_per_defined_term", "mentions of defined terms per defined term"),
    ("undefined_per_report", "undefined terms per report"),
)
"""(key, description) of every proportion reported."""


def _number(store: pyoxigraph.Store, query: str) -> int:
    for row in store.query(_PROLOGUE + query):  # type: ignore[union-attr]
        return int(row[0].value)
    return 0


def corpus_stats(graph: Path) -> dict[str, float]:
    """The proportions of :data:`STATS` for the graph file ``graph``."""
    store = pyoxigraph.Store()
    store.bulk_load(path=str(graph), format=pyoxigraph.RdfFormat.N_TRIPLES)
    n = {name: _number(store, query) for name, query in _COUNTS.items()}
    links = {
        str(row[0].value): int(row[1].value)
        for row in store.query(_PROLOGUE + _LINKS)  # type: ignore[union-attr]
    }
    reports, defined, entries = max(n["reports"], 1), max(n["defined_terms"], 1), n["entries"]
    evolved = sum(v for k, v in links.items() if k.startswith("evolved"))
    return {
        "reports": n["reports"],
        "triples_per_report": len(store) / reports,
        "entries_per_report": entries / reports,
        "share_without_glossary": 1 - n["glossary_reports"] / reports,
        "share_redefined": n["redefined_terms"] / defined,
        "evolved_per_100": 100 * evolved / defined,
        "based_on_per_100": 100 * links.get("evolved-based-on", 0) / defined,
        "renamed_tail_per_100": 100 * links.get("evolved-renamed-tail", 0) / defined,
        "changed_head_per_100": 100 * links.get("evolved-changed-head", 0) / defined,
        "same_idea_per_100": 100 * links.get("same-idea", 0) / defined,
        "cites_term_per_entry": links.get("cites-term", 0) / max(entries, 1),
        "cites_report_per_entry": links.get("cites-report", 0) / max(entries, 1),
        "mentions_per_report": n["mentions"] / reports,
        "mentions_per_defined_term": n["mentions_of_defined"] / defined,
        "undefined_per_report": n["undefined_terms"] / reports,
    }
