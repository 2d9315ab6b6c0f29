"""Term lineage read from the read model, the CLI renderer, and the lineage/annotate API."""

from __future__ import annotations

import asyncio
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import read_model_of
from fastapi import FastAPI
from rdflib import RDF, Graph
from rdflib.namespace import SKOS
from test_mentions import linked_corpus

from api.admission import Admission
from api.errors import install_error_handlers
from api.routers import lineage as lineage_router
from kg.build import write_graph
from kg.cli import main
from kg.link.rdf import to_networkx
from kg.readmodel import ReadModel, UnknownTerm
from kg.readmodel.lineage import render_lineage
from kg.text import normalize_label
from kg.vocab import BASE, term_iri


@lru_cache(maxsize=1)
def corpus_model() -> ReadModel:
    """The read model of the bundled corpus's linked graph, as the service builds it."""
    with tempfile.TemporaryDirectory() as directory:
        return read_model_of(linked_corpus()[1], Path(directory))


def lineage_of(label: str) -> dict[str, Any]:
    model = corpus_model()
    return model.lineage(model.term(label))


def defined_years(lineage: dict[str, Any]) -> list[int]:
    return [row["year"] for row in lineage["timeline"] if row["defined"]]


def test_years_of_definition_are_pinned() -> None:
    assert defined_years(lineage_of("六个致力")) == [2023, 2024]
    assert defined_years(lineage_of("八个坚持")) == [2024]
    assert defined_years(lineage_of("235现代化产业体系")) == [2023, 2024]
    assert defined_years(lineage_of("三所一庭")) == [2023]
    assert defined_years(lineage_of("五个统筹")) == [2024]


def test_timeline_rows_and_axis() -> None:
    lineage = lineage_of("“235”现代化产业体系")
    assert lineage["axis"] == "delivered"
    rows = lineage["timeline"]
    assert [row["report"] for row in rows] == [
        "jianghan-2023-gov-work-report",
        "jianghan-2024-gov-work-report",
        "jianghan-2024-plan-report",
    ]
    assert rows[0]["delivered_on"] == "2023-12-25"
    assert (rows[0]["year_reviewed"], rows[0]["year_planned"]) == (2023, 2024)
    assert rows[2]["year_source"] == "reviewed" and not rows[2]["defined"]
    assert [row["mentions"] for row in rows] == [2, 1, 1]
    assert all(len(row["sentences"]) <= 3 for row in rows)


def test_timeline_shows_the_definition_change() -> None:
    rows = lineage_of("六个致力")["timeline"]
    defined = [row for row in rows if row["defined"]]
    assert defined[0]["change"] is None
    assert "{+江汉+}" in defined[1]["change"] and "[-江汉区-]" in defined[1]["change"]
    assert "defined again, changed" in render_lineage(lineage_of("六个致力"))


def test_came_from_became_and_same_idea() -> None:
    came = lineage_of("八个坚持")["came_from"]
    assert [(link["term"]["label"], link["type"]) for link in came] == [
        ("八个着力", "evolved-changed-head")
    ]
    became = {link["term"]["label"] for link in lineage_of("一核两纵三区四带")["became"]}
    assert became == {"一核两纵五区"}
    same = {link["term"]["label"] for link in lineage_of("五个统筹")["same_idea"]}
    assert same == {"“必须统筹好”的五对重要关系"}
    cited = lineage_of("六个致力")["cites_reports"]
    assert {link["report"]["report"] for link in cited} == {"jianghan-2021-gov-work-report"}
    assert not cited[0]["report"]["held"]


def test_every_term_walks_through_lineage_and_renderer() -> None:
    graph = linked_corpus()[1]
    concepts = {c for c in graph.subjects(RDF.type, SKOS.Concept) if "/term/" in str(c)}
    assert len(concepts) > 300
    model = corpus_model()
    for concept in concepts:
        term_id = str(concept).removeprefix(BASE + "term/")
        lineage = model.lineage(model.catalog.terms[term_id])
        assert lineage["timeline"] or not lineage["term"]["defined"]
        assert render_lineage(lineage).startswith(lineage["term"]["label"])


def test_lineage_works_from_a_serialized_graph(tmp_path: Any) -> None:
    path = tmp_path / "graph.ttl"
    linked_corpus()[1].serialize(path, format="turtle", encoding="utf-8")
    model = read_model_of(Graph().parse(path), tmp_path / "again")
    assert model.lineage(model.term("liu-ge-zhi-li")) == lineage_of("六个致力")


def test_unknown_term_has_suggestions() -> None:
    with pytest.raises(UnknownTerm) as caught:
        corpus_model().term("六个致")
    assert caught.value.suggestions == ["六个致力"]


def test_cli_lineage(tmp_path: Any, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_graph(linked_corpus()[1], tmp_path / "graph.nt")  # with its build record
    assert main(["lineage", "八个着力", "--graph", str(path)]) == 0
    assert "became: 八个坚持" in capsys.readouterr().out
    assert main(["lineage", "不存在的词", "--graph", str(path)]) == 1
    assert capsys.readouterr().err.count("\n") == 1


def test_shortest_lineage_path_in_networkx() -> None:
    import networkx as nx

    view = to_networkx(linked_corpus()[1]).to_undirected()
    path = nx.shortest_path(view, str(term_iri("ba-ge-jian-chi")), str(term_iri("ba-ge-zhuo-li")))
    assert len(path) == 2


def test_annotating_a_report_body_finds_its_glossary_terms() -> None:
    reports, _, links = linked_corpus()
    annotator = corpus_model().annotator
    for report in reports:
        own = {normalize_label(entry.term) for entry in report.entries}
        used = {m.key for m in links.mentions if m.report_id == report.id and m.key in own}
        spans = annotator.annotate(report.body, report.metadata.district)
        found = {normalize_label(span.term.label) for span in spans}
        assert used <= found, report.id
        for span in spans:
            assert report.body[span.start : span.end] == span.text


# The router, in process ----------------------------------------------------------


def app() -> FastAPI:
    served = FastAPI()
    install_error_handlers(served)
    served.include_router(lineage_router.router)
    served.state.model = corpus_model()
    served.state.annotate = Admission("annotate", 2, 8, 5.0)
    return served


def call(method: str, url: str, **kwargs: Any) -> httpx.Response:
    async def run() -> httpx.Response:
        transport = httpx.ASGITransport(app=app())
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return await client.request(method, url, **kwargs)

    return asyncio.run(run())


def test_lineage_endpoint() -> None:
    response = call("GET", "/api/v1/terms/ba-ge-jian-chi/lineage")
    assert response.status_code == 200
    assert response.json()["came_from"][0]["term"]["id"] == "ba-ge-zhuo-li"
    missing = call("GET", "/api/v1/terms/no-such-term/lineage")
    assert missing.status_code == 404
    assert missing.json()["error"]["status"] == 404


def test_annotate_endpoint() -> None:
    text = "技术合同成交额235亿元。坚持“八个坚持”，完善“235”现代化产业体系。"
    response = call("POST", "/api/v1/annotate", json={"text": text})
    assert response.status_code == 200
    spans = response.json()["spans"]
    assert [(s["text"], s["id"]) for s in spans] == [
        ("“八个坚持”", "ba-ge-jian-chi"),
        ("“235”现代化产业体系", "235-xian-dai-hua-chan-ye-ti-xi"),
    ]
    assert text[spans[0]["start"] : spans[0]["end"]] == "“八个坚持”"
    assert spans[0]["summary"].startswith("2023年江汉区《政府工作报告》提出")


def test_annotate_rejects_huge_text() -> None:
    response = call("POST", "/api/v1/annotate", json={"text": "字" * 200_001})
    assert response.status_code == 413
    assert "200000" in response.json()["error"]["message"]
