"""``/reconcile`` against the whole bundled corpus, as OpenRefine and the spec's schemas see it.

Every manifest, query batch sent, result batch, suggest answer, data
extension query and answer, and property proposal is validated against the
published JSON schemas of the Reconciliation Service API 0.2
(``tests/data/reconcile/schemas``, see its README). The acceptance test
reconciles a CSV column of 20 spellings the way OpenRefine does: batches of
ten, as a form POST of ``queries=``.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import DATA, build_reports
from fastapi.testclient import TestClient
from jsonschema import Draft7Validator
from jsonschema.exceptions import ValidationError
from referencing import Registry
from referencing.jsonschema import DRAFT7

from api.app import create_app
from api.settings import Settings
from kg.corpus import corpus_paths
from kg.readmodel import ReadModel

RECONCILE = DATA / "reconcile"
SCHEMAS = RECONCILE / "schemas"
BASE_URL = "https://terms.example.org"
CONCEPT = "http://www.w3.org/2004/02/skos/core#Concept"
OTHER_ORIGIN = "https://openrefine.example.net"
HOSTILE = "<script>alert(1)</script>"
# OpenRefine sends a column in batches of this many queries.
OPENREFINE_BATCH = 10


def _registry() -> Registry:
    """The schemas by ``$id``; openapi.json stands for http://swagger.io/v2/schema.json."""
    resources = []
    for path in SCHEMAS.glob("*.json"):
        contents = json.loads(path.read_text(encoding="utf-8"))
        resources.append((contents["$id"].rstrip("#"), DRAFT7.create_resource(contents)))
    return Registry().with_resources(resources)


REGISTRY = _registry()


def validator(name: str) -> Draft7Validator:
    """A validator for the schema file ``name``, its references resolved in the registry."""
    schema = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    return Draft7Validator(schema, registry=REGISTRY)


def valid(name: str, instance: Any) -> Any:
    """``instance``, after checking that the schema ``name`` accepts it."""
    validator(name).validate(instance)
    return instance


def _serve(graph: Path, directory: Path) -> TestClient:
    settings = Settings(
        graph_path=graph, cache_dir=directory / "cache", sparql_workers=1, base_url=BASE_URL
    )
    return TestClient(create_app(settings), raise_server_exceptions=False)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The app serving the linked graph of the whole bundled corpus, at ``BASE_URL``."""
    directory = tmp_path_factory.mktemp("reconcile")
    graph = build_reports([Path(p) for p in corpus_paths()], directory / "graph.nt")
    with _serve(graph, directory) as client:
        yield client


@pytest.fixture(scope="module")
def model(corpus: TestClient) -> ReadModel:
    """The read model the app serves from."""
    served = corpus.app.state.model  # type: ignore[attr-defined]
    assert isinstance(served, ReadModel)
    return served


def reconcile(client: TestClient, batch: dict[str, Any]) -> dict[str, Any]:
    """POST a batch as OpenRefine does; the batch and its answer must both be valid."""
    valid("reconciliation-query-batch.json", batch)
    response = client.post("/reconcile", data={"queries": json.dumps(batch, ensure_ascii=False)})
    assert response.status_code == 200, response.text
    return valid("reconciliation-result-batch.json", response.json())


def top(client: TestClient, query: dict[str, Any]) -> list[dict[str, Any]]:
    """The candidates of one query."""
    return list(reconcile(client, {"q0": query})["q0"]["result"])


def extend(client: TestClient, query: dict[str, Any]) -> dict[str, Any]:
    """POST a data extension query; the query and its answer must both be valid."""
    valid("data-extension-query.json", query)
    response = client.post("/reconcile", data={"extend": json.dumps(query)})
    assert response.status_code == 200, response.text
    return valid("data-extension-response.json", response.json())


def error(response: Any, status: int = 400) -> str:
    """The one-line message of an error answer in the project's error shape."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and body["error"]["status"] == status
    message = str(body["error"]["message"])
    assert message and "\n" not in message
    return message


# The manifest


def test_the_manifest_is_valid_and_every_url_comes_from_the_base_url(corpus: TestClient) -> None:
    response = corpus.get("/reconcile", headers={"Host": "evil.example.com"})
    manifest = valid("manifest.json", response.json())
    assert manifest["versions"] == ["0.2"]
    assert manifest["identifierSpace"] == "https://w3id.org/policy-terms/term/"
    assert manifest["schemaSpace"] == "https://w3id.org/policy-terms/ontology#"
    assert manifest["defaultTypes"] == [{"id": CONCEPT, "name": "政策术语"}]
    assert manifest["view"]["url"] == f"{BASE_URL}/term/{{{{id}}}}"
    assert manifest["preview"]["url"] == f"{BASE_URL}/reconcile/preview?id={{{{id}}}}"
    urls = re.findall(r'"(https?://[^"]*)"', json.dumps(manifest))
    service_urls = [u for u in urls if "w3id.org" not in u and "w3.org" not in u]
    assert service_urls and all(u.startswith(BASE_URL) for u in service_urls)
    assert "evil.example.com" not in response.text


def test_the_manifest_urls_answer_here(corpus: TestClient) -> None:
    manifest = corpus.get("/reconcile").json()
    local = manifest["view"]["url"].replace("{{id}}", "liu-ge-zhi-li").removeprefix(BASE_URL)
    assert corpus.get(local).status_code == 200
    for kind in ("entity", "property", "type"):
        service = manifest["suggest"][kind]
        path = (service["service_url"] + service["service_path"]).removeprefix(BASE_URL)
        assert corpus.get(path, params={"prefix": "liu"}).status_code == 200, kind
    propose = manifest["extend"]["propose_properties"]
    path = (propose["service_url"] + propose["service_path"]).removeprefix(BASE_URL)
    assert corpus.get(path, params={"type": CONCEPT}).status_code == 200


def test_the_schemas_refuse_what_they_should() -> None:
    """The registry is wired: a broken manifest fails, the swagger reference resolves."""
    manifest = {"versions": ["0.2"], "name": "n", "identifierSpace": "i", "schemaSpace": "s"}
    valid("manifest.json", manifest)
    with pytest.raises(ValidationError):
        valid("manifest.json", {**manifest, "view": {"url": "no placeholder"}})
    valid("manifest.json", {**manifest, "authentication": {"type": "basic"}})
    with pytest.raises(ValidationError):
        valid("manifest.json", {**manifest, "authentication": {"type": "telepathy"}})
    with pytest.raises(ValidationError):
        valid("reconciliation-result-batch.json", {"q0": {"result": [{"id": "x", "name": "x"}]}})


def test_the_manifest_is_jsonp_with_a_callback(corpus: TestClient) -> None:
    response = corpus.get("/reconcile", params={"callback": "jQuery123_456"})
    assert response.headers["content-type"].startswith("application/javascript")
    assert response.headers["x-content-type-options"] == "nosniff"
    body = response.text
    assert body.startswith("/**/jQuery123_456(") and body.endswith(");")
    valid("manifest.json", json.loads(body[len("/**/jQuery123_456(") : -2]))
    # A callback that is not a function name is refused like any malformed parameter (422).
    refused = corpus.get("/reconcile", params={"callback": "alert(1)//"})
    assert refused.status_code == 422
    assert "callback" in refused.json()["error"]["message"]


def test_browsers_on_another_origin_may_get_and_post(corpus: TestClient) -> None:
    origin = {"Origin": OTHER_ORIGIN}
    got = corpus.get("/reconcile", headers=origin)
    assert got.headers["access-control-allow-origin"] in ("*", OTHER_ORIGIN)
    batch = json.dumps({"q0": {"query": "六稳"}})
    posted = corpus.post("/reconcile", data={"queries": batch}, headers=origin)
    assert posted.status_code == 200
    assert posted.headers["access-control-allow-origin"] in ("*", OTHER_ORIGIN)
    preflight = corpus.options(
        "/reconcile",
        headers={
            **origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "Content-Type",
        },
    )
    assert preflight.status_code == 200
    assert "POST" in preflight.headers["access-control-allow-methods"]


# Reconciliation


def _column() -> list[dict[str, str]]:
    with (RECONCILE / "terms.csv").open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def test_openrefine_reconciles_a_column_of_twenty_spellings(corpus: TestClient) -> None:
    """Done when: each spelling finds its term first; exact spellings are sure matches."""
    rows = _column()
    assert len(rows) == 20
    manifest = corpus.get("/reconcile").json()
    type_id = manifest["defaultTypes"][0]["id"]
    results: list[list[dict[str, Any]]] = []
    for start in range(0, len(rows), OPENREFINE_BATCH):
        chunk = rows[start : start + OPENREFINE_BATCH]
        batch = {
            f"q{i}": {"query": row["term"], "type": type_id, "type_strict": "should"}
            for i, row in enumerate(chunk)
        }
        answer = reconcile(corpus, batch)
        assert set(answer) == set(batch)
        results.extend(answer[f"q{i}"]["result"] for i in range(len(chunk)))
    for row, candidates in zip(rows, results, strict=True):
        where = f"{row['term']} ({row['spelling']})"
        assert candidates, where
        first = candidates[0]
        assert first["id"] == row["expected_id"], where
        assert first["match"] is (row["exact"] == "true"), where
        assert first["type"] == [{"id": CONCEPT, "name": "政策术语"}], where
        assert all(not c["match"] for c in candidates[1:]), where
        scores = [c["score"] for c in candidates]
        assert scores == sorted(scores, reverse=True), where


def test_a_batch_by_get_answers_like_the_post(corpus: TestClient) -> None:
    batch = {"q0": {"query": "lgzl"}, "q1": {"query": "証照分離", "limit": 1}}
    posted = reconcile(corpus, batch)
    got = corpus.get("/reconcile", params={"queries": json.dumps(batch, ensure_ascii=False)})
    assert valid("reconciliation-result-batch.json", got.json()) == posted
    assert len(posted["q1"]["result"]) == 1


def test_an_id_is_a_sure_match(corpus: TestClient) -> None:
    first = top(corpus, {"query": "liu-ge-zhi-li"})[0]
    assert (first["id"], first["name"], first["score"], first["match"]) == (
        "liu-ge-zhi-li",
        "六个致力",
        100,
        True,
    )
    assert first["description"].startswith("2021年江汉区《政府工作报告》提出")


def test_initials_two_terms_share_are_no_match(corpus: TestClient) -> None:
    candidates = top(corpus, {"query": "lw"})
    assert [c["name"] for c in candidates[:2]] == ["六稳", "两委"]
    # 六稳 is defined, 两委 only used: the defined term ranks first, but neither is sure.
    assert candidates[0]["score"] > candidates[1]["score"]
    assert not any(c["match"] for c in candidates)


def test_properties_rerank_candidates(corpus: TestClient) -> None:
    def ranked(year: int) -> list[str]:
        query = {"query": "五个", "properties": [{"pid": "year", "v": year}]}
        return [c["id"] for c in top(corpus, query)]

    assert ranked(2020).index("wu-ge-zhong-xin") < ranked(2020).index("wu-ge-tong-chou")
    assert ranked(2024).index("wu-ge-tong-chou") < ranked(2024).index("wu-ge-zhong-xin")


def test_a_property_the_term_lacks_lowers_it_and_takes_the_match_away(
    corpus: TestClient,
) -> None:
    def first(district: Any) -> dict[str, Any]:
        properties = [{"pid": "district", "v": district}, {"pid": "year", "v": "2024年"}]
        return top(corpus, {"query": "中碳登", "properties": properties})[0]

    right = first("武昌区")
    assert (right["id"], right["score"], right["match"]) == ("zhong-tan-deng", 100, True)
    assert right["features"] == [{"id": "district", "value": True}, {"id": "year", "value": True}]
    by_entity = first({"id": "wuchang", "name": "武昌区"})
    assert by_entity["match"] is True
    wrong = first("江汉区")
    assert wrong["id"] == "zhong-tan-deng" and wrong["match"] is False
    assert wrong["score"] < right["score"]
    assert {"id": "district", "value": False} in wrong["features"]


def test_properties_alone_list_the_terms_that_have_them(
    corpus: TestClient, model: ReadModel
) -> None:
    query = {"properties": [{"pid": "district", "v": "武昌"}, {"pid": "defined", "v": True}]}
    candidates = top(corpus, {**query, "limit": 50})
    assert candidates and not any(c["match"] for c in candidates)
    for candidate in candidates:
        term = model.catalog.terms[candidate["id"]]
        districts = {model.catalog.reports[r].district for r in term.reports}
        assert term.defined and "武昌区" in districts, candidate["id"]


def test_terms_lists_leave_out_are_candidates_that_score_lower(
    corpus: TestClient, model: ReadModel
) -> None:
    unlisted = next(t for t in model.catalog.terms.values() if not t.listed)
    first = top(corpus, {"query": unlisted.label})[0]
    assert first["id"] == unlisted.id
    assert first["score"] < 100
    listed = next(t for t in model.catalog.terms.values() if t.listed and t.defined)
    assert top(corpus, {"query": listed.label})[0]["score"] == 100


def test_another_type_has_no_candidates(corpus: TestClient) -> None:
    other = "http://xmlns.com/foaf/0.1/Person"
    assert top(corpus, {"query": "六稳", "type": other}) == []
    assert top(corpus, {"query": "六稳", "type": [other, CONCEPT]})[0]["id"] == "liu-wen"
    assert top(corpus, {"query": "六稳", "type": [other, CONCEPT], "type_strict": "all"}) == []
    assert top(corpus, {"query": "六稳", "type": other, "type_strict": "should"})


@pytest.mark.parametrize(
    ("form", "said"),
    [
        ({"queries": "{not json"}, "queries: not valid JSON"),
        ({"queries": "[1, 2]"}, "queries"),
        ({"queries": json.dumps({"q0": {"query": "x", "limit": 0}})}, "queries.q0.limit"),
        ({"queries": json.dumps({"q0": {"limit": 3}})}, "queries.q0"),
        (
            {
                "queries": json.dumps(
                    {"q0": {"query": "x", "properties": [{"pid": "color", "v": 1}]}}
                )
            },
            "unknown property 'color'",
        ),
        ({"extend": json.dumps({"ids": ["liu-wen"]})}, "extend.properties"),
        (
            {"extend": json.dumps({"ids": ["liu-wen"], "properties": [{"id": "color"}]})},
            "unknown property 'color'",
        ),
        ({"queries": "{}", "extend": "{}"}, "not both"),
        ({}, "needs a form field"),
    ],
)
def test_malformed_parameters_are_a_400_in_the_error_shape(
    corpus: TestClient, form: dict[str, str], said: str
) -> None:
    assert said in error(corpus.post("/reconcile", data=form))


def test_too_many_queries_or_ids_at_once_are_a_400(corpus: TestClient) -> None:
    batch = {f"q{i}": {"query": "六稳"} for i in range(101)}
    assert "at most 100" in error(corpus.post("/reconcile", data={"queries": json.dumps(batch)}))
    query = {"ids": ["liu-wen"] * 1001, "properties": [{"id": "years"}]}
    assert "extend.ids" in error(corpus.post("/reconcile", data={"extend": json.dumps(query)}))


# Suggest


def test_entity_suggest_is_valid_and_pages_by_cursor(corpus: TestClient) -> None:
    def page(cursor: int) -> list[dict[str, Any]]:
        response = corpus.get("/reconcile/suggest/entity", params={"prefix": "l", "cursor": cursor})
        return list(valid("suggest-entities-response.json", response.json())["result"])

    first, second = page(0), page(10)
    assert len(first) == 10 and second
    assert not {s["id"] for s in first} & {s["id"] for s in second}
    answer = corpus.get("/reconcile/suggest/entity", params={"prefix": "liugezh"}).json()
    assert [s["id"] for s in answer["result"]] == ["liu-ge-zhi-li"]
    assert answer["result"][0]["notable"] == [{"id": CONCEPT, "name": "政策术语"}]
    assert corpus.get("/reconcile/suggest/entity", params={"prefix": ""}).json() == {"result": []}


def test_property_and_type_suggest_are_valid(corpus: TestClient) -> None:
    properties = corpus.get("/reconcile/suggest/property", params={"prefix": "year"}).json()
    ids = [p["id"] for p in valid("suggest-properties-response.json", properties)["result"]]
    assert ids == ["year", "years"]
    every = corpus.get("/reconcile/suggest/property").json()["result"]
    assert {"district", "year", "defined", "definition", "parts"} <= {p["id"] for p in every}
    types = corpus.get("/reconcile/suggest/type", params={"prefix": "术语"}).json()
    assert valid("suggest-types-response.json", types)["result"][0]["id"] == CONCEPT
    assert corpus.get("/reconcile/suggest/type", params={"prefix": "人物"}).json() == {"result": []}


# Data extension


def test_propose_properties_offers_what_extension_returns(corpus: TestClient) -> None:
    proposal = corpus.get("/reconcile/properties", params={"type": CONCEPT}).json()
    valid("data-extension-property-proposal.json", proposal)
    assert proposal["type"] == CONCEPT
    ids = [p["id"] for p in proposal["properties"]]
    assert {"definition", "years", "districts", "parts", "alt_labels", "defined"} <= set(ids)
    limited = corpus.get("/reconcile/properties", params={"type": CONCEPT, "limit": 2}).json()
    assert len(valid("data-extension-property-proposal.json", limited)["properties"]) == 2
    other = corpus.get("/reconcile/properties", params={"type": "x"}).json()
    assert other["properties"] == []
    assert "type" in error(corpus.get("/reconcile/properties"), 422)


def test_data_extension_returns_each_property_of_each_id(
    corpus: TestClient, model: ReadModel
) -> None:
    proposal = corpus.get("/reconcile/properties", params={"type": CONCEPT}).json()
    pids = [p["id"] for p in proposal["properties"]]
    answer = extend(
        corpus,
        {
            "ids": ["liu-ge-zhi-li", "chang-qi-tiao", "nope"],
            "properties": [{"id": p} for p in pids],
        },
    )
    assert [m["id"] for m in answer["meta"]] == pids
    row = answer["rows"]["liu-ge-zhi-li"]
    term = model.catalog.terms["liu-ge-zhi-li"]
    assert row["definition"] == [{"str": term.definitions[-1].text}]
    assert row["years"] == [{"int": 2023}, {"int": 2024}]
    assert row["districts"] == [{"str": "江汉区"}]
    assert row["parts"] == [{"str": part.label} for part in term.components]
    assert len(row["parts"]) == 6
    assert row["defined"] == [{"str": "true"}]
    assert answer["rows"]["chang-qi-tiao"]["alt_labels"] == [{"str": "“昌七条”"}]
    assert answer["rows"]["nope"] == {pid: [] for pid in pids}


def test_related_terms_are_entities_of_this_service(corpus: TestClient, model: ReadModel) -> None:
    linked = next(t for t in model.catalog.terms.values() if t.related)
    answer = extend(corpus, {"ids": [linked.id], "properties": [{"id": "related"}]})
    assert answer["meta"] == [
        {"id": "related", "name": "相关术语", "type": {"id": CONCEPT, "name": "政策术语"}}
    ]
    values = answer["rows"][linked.id]["related"]
    assert values and {v["id"] for v in values} <= set(model.catalog.terms)


def test_data_extension_by_get_answers_like_the_post(corpus: TestClient) -> None:
    query = {"ids": ["liu-wen"], "properties": [{"id": "years"}, {"id": "definition"}]}
    posted = extend(corpus, query)
    assert corpus.get("/reconcile", params={"extend": json.dumps(query)}).json() == posted


# Preview


def test_the_preview_card_shows_label_summary_year_and_district(
    corpus: TestClient, model: ReadModel
) -> None:
    response = corpus.get("/reconcile/preview", params={"id": "liu-ge-zhi-li"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    policy = response.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "script-src" not in policy
    card = response.text
    summary = model.catalog.terms["liu-ge-zhi-li"].summary
    assert summary and summary in card
    assert ">六个致力</a>" in card and "2024 年 · 江汉区" in card
    assert f'href="{BASE_URL}/term/liu-ge-zhi-li"' in card
    assert "<script" not in card
    assert "no term" in error(corpus.get("/reconcile/preview", params={"id": "nope"}), 404)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The app serving a report whose glossary term and definition hold markup."""
    directory = tmp_path_factory.mktemp("hostile")
    report = directory / "evil-2024.txt"
    report.write_text(
        f""" 政 府 工 作 报 告
——2024年12月29日在坏区第一届人民代表大会第一次会议上

坏区人民政府区长 张明

各位代表：

现在，我代表区人民政府，向大会报告工作。全区推进坏<b>词</b>工作。

附件

名词解释

1.坏<b>词</b>：定义{HOSTILE}。
""",
        encoding="utf-8",
    )
    with _serve(build_reports([report], directory / "graph.nt"), directory) as client:
        yield client


def test_markup_in_a_term_shows_as_text_in_its_preview(hostile: TestClient) -> None:
    candidates = top(hostile, {"query": "坏<b>词</b>"})
    assert candidates[0]["match"] is True
    card = hostile.get("/reconcile/preview", params={"id": candidates[0]["id"]}).text
    assert "<script" not in card and "<b>" not in card
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in card
    assert "坏&lt;b&gt;词&lt;/b&gt;" in card
