"""The Chinese a reader sees for the graph's own codes: report kinds, link and reference types.

The graph names kinds and relations in ASCII (``government_work_report``,
``evolvedFrom``, ``cites-term``) so that queries stay stable; every page,
the subgraph and its legend show them through these tables, once.
An unknown code is shown as it is rather than hidden.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = [
    "DISCOVERY_NAMES",
    "REFERENCE_NAMES",
    "RELATED_NAMES",
    "REPORT_KIND_NAMES",
    "discovery_name",
    "reference_name",
    "related_name",
    "report_kind_name",
]

REPORT_KIND_NAMES: Mapping[str, str] = {
    "government_work_report": "政府工作报告",
    "plan_report": "国民经济和社会发展计划报告",
    "budget_report": "预算报告",
    "departmental_budget": "部门预算",
    "departmental_final_accounts": "部门决算",
}
"""``kgo:reportKind`` values (see :mod:`kg.extract.metadata`)."""

RELATED_NAMES: Mapping[str, str] = {
    "related": "相关",
    "closeMatch": "同一概念的另一名称",
    "broader": "上位概念",
    "narrower": "下位概念",
    "evolvedFrom": "演变自",
    "evolvedInto": "演变为",
    "references": "释义提到",
    "referencedBy": "被其释义提到",
}
""":class:`~kg.readmodel.catalog.RelatedTerm` types, read from the term whose page it is."""

# Each reference type, seen from the term it starts from and from the term it reaches.
_REFERENCE_NAMES: Mapping[str, tuple[str, str]] = {
    "cites-term": ("释义提到", "被其释义提到"),
    "cites-report": ("释义引用报告", "被引用"),
    "evolved-based-on": ("在其基础上形成", "发展为"),
    "evolved-renamed-tail": ("由其扩展名称而来", "扩展名称为"),
    "evolved-changed-head": ("由其改换提法而来", "改换提法为"),
    "evolved-similar": ("由相近提法演变而来", "演变为相近提法"),
    "same-idea": ("同一概念的另一名称", "同一概念的另一名称"),
    "part-of": ("是其组成部分", "包含组成部分"),
}
REFERENCE_NAMES: Mapping[str, str] = {code: names[0] for code, names in _REFERENCE_NAMES.items()}
"""``kgo:refType`` values, read from the term the reference starts from."""


DISCOVERY_NAMES: Mapping[str, str] = {
    "quoted-name": "正文中加引号的名称",
    "numeral-compound": "数字开头的概括性提法",
}
"""``kgo:discoveredBy`` values: the rule that found an undefined term (:mod:`kg.link.slogans`)."""


def report_kind_name(kind: str | None) -> str | None:
    """政府工作报告 for ``government_work_report``; None stays None."""
    return REPORT_KIND_NAMES.get(kind, kind) if kind else None


def related_name(link_type: str) -> str:
    """The Chinese name of a typed link between concepts."""
    return RELATED_NAMES.get(link_type, link_type)


def reference_name(ref_type: str, *, outgoing: bool = True) -> str:
    """The Chinese name of a reference type, from its start (``outgoing``) or its end."""
    names = _REFERENCE_NAMES.get(ref_type)
    if names is None:
        return ref_type
    return names[0] if outgoing else names[1]


def discovery_name(rule: str | None) -> str | None:
    """How an undefined term was found, in Chinese."""
    return DISCOVERY_NAMES.get(rule, rule) if rule else None
