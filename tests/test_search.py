"""Search keys, pinyin, ranking, filters, suggest and lookup over a catalog."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import read_model_of
from fastapi.testclient import TestClient
from rdflib import RDF, XSD, Graph, Literal, URIRef
from rdflib.namespace import RDFS, SKOS

from kg.pinyin import fuzzy_pinyin, pinyin_keys, pinyin_query
from kg.readmodel.search import MatchKind, SearchFilters, SearchIndex
from kg.text import search_key
from kg.vocab import KGO, definition_iri, district_iri, report_iri, term_iri

# (id, label, alt labels, definition or None, report)
TERMS = [
    ("liu-wen", "六稳", ["“六稳”"], "稳就业、稳金融。", "jianghan-2023"),
    ("liu-wen-liu-bao", "六稳六保", [], "六稳和六保的合称。", "jianghan-2024"),
    ("wen-jiu-ye", "稳就业", [], None, "wuchang-2024"),
    ("bao-zhang", "保障", ["稳保障"], "与六稳相关的兜底工作。", "wuchang-2024"),
    ("liu-ge-zhi-li", "六个致力", [], "致力能级跃升。", "jianghan-2024"),
    ("235", "“235”现代化产业体系", ['"235"现代化产业体系'], "两大引领。", "jianghan-2023"),
]
REPORTS = {
    "jianghan-2023": ("jianghan", "江汉区", "2023-12-25"),
    "jianghan-2024": ("jianghan", "江汉区", "2024-12-29"),
    "wuchang-2024": ("wuchang", "武昌区", "2024-12-27"),
}


def _graph() -> Graph:
    graph = Graph()
    for rid, (did, name, delivered) in REPORTS.items():
        graph.add((report_iri(rid), RDF.type, KGO.Report))
        graph.add((report_iri(rid), KGO.deliveredOn, Literal(delivered, datatype=XSD.date)))
        graph.add((report_iri(rid), KGO.district, district_iri(did)))
        graph.add((district_iri(did), RDF.type, KGO.District))
        graph.add((district_iri(did), RDFS.label, Literal(name, lang="zh")))
    for tid, label, alts, text, rid in TERMS:
        node = term_iri(tid)
        graph.add((node, RDF.type, SKOS.Concept))
        graph.add((node, SKOS.prefLabel, Literal(label, lang="zh")))
        for alt in alts:
            graph.add((node, SKOS.altLabel, Literal(alt, lang="zh")))
        if text is None:
            graph.add((node, KGO.mentionedIn, report_iri(rid)))
            graph.add((node, KGO.defined, Literal(False)))
            continue
        definition = definition_iri(rid, tid)
        graph.add((node, SKOS.definition, definition))
        graph.add((definition, RDF.value, Literal(text, lang="zh")))
        graph.add((definition, KGO.inReport, report_iri(rid)))
    return graph


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> SearchIndex:
    return read_model_of(_graph(), tmp_path_factory.mktemp("search")).search


def _ids(hits: list) -> list[str]:  # type: ignore[type-arg]
    return [hit.id for hit in hits]


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("“235”", "235"),
        ('"235"', "235"),
        ("「235」", "235"),
        ("２３５", "235"),
        ("六個致力", "六个致力"),
        (" 六 个 致 力 ", "六个致力"),
        ("AA+主体", "aa+主体"),
    ],
)
def test_search_key_folds_quotes_width_spaces_script_and_case(text: str, key: str) -> None:
    assert search_key(text) == key


def test_pinyin_keys() -> None:
    assert pinyin_keys("六个致力") == ("liugezhili", "lgzl")
    assert pinyin_keys("235现代化产业体系") == ("235xiandaihuachanyetixi", "235xdhcytx")


@pytest.mark.parametrize(
    ("text", "bare"),
    [
        ("liugezhili", "liugezhili"),
        ("liu ge zhi li", "liugezhili"),
        ("Liù gè zhì lì", "liugezhili"),
        ("liu4ge4zhi4li4", "liugezhili"),
        ("liu-ge-zhi-li", "liugezhili"),
        ("六个", None),
    ],
)
def test_pinyin_query(text: str, bare: str | None) -> None:
    assert pinyin_query(text) == bare


def test_ranking_exact_label_then_alt_then_prefix_then_substring_then_definition(
    index: SearchIndex,
) -> None:
    hits = index.search("六稳")
    assert _ids(hits) == ["liu-wen", "liu-wen-liu-bao", "bao-zhang"]
    assert [h.kind for h in hits] == [
        MatchKind.EXACT_LABEL,
        MatchKind.LABEL_PREFIX,
        MatchKind.DEFINITION,
    ]
    assert index.search("稳保障")[0].kind == MatchKind.EXACT_ALT_LABEL
    assert [h.kind for h in index.search("就业")][:1] == [MatchKind.LABEL_SUBSTRING]


@pytest.mark.parametrize(
    "query", ["六个致力", "六個致力", "liugezhili", "liu ge zhi li", "lgzl", "LGZL", "liu4ge4"]
)
def test_chinese_traditional_pinyin_and_initials_find_the_term(
    index: SearchIndex, query: str
) -> None:
    assert _ids(index.search(query))[0] == "liu-ge-zhi-li"


@pytest.mark.parametrize("query", ["“235”", '"235"', "235", "「235」"])
def test_quote_variants_are_one_query(index: SearchIndex, query: str) -> None:
    assert _ids(index.search(query)) == ["235"]


def test_filters(index: SearchIndex) -> None:
    assert set(_ids(index.search("稳", SearchFilters(district="wuchang")))) == {
        "wen-jiu-ye",
        "bao-zhang",
    }
    assert _ids(index.search("稳", SearchFilters(district="武昌区"))) == _ids(
        index.search("稳", SearchFilters(district="武昌"))
    )
    assert _ids(index.search("六稳", SearchFilters(year=2023))) == ["liu-wen"]
    assert _ids(index.all_terms(SearchFilters(defined=False))) == ["wen-jiu-ye"]
    assert "wen-jiu-ye" not in _ids(index.all_terms(SearchFilters(defined=True)))


def test_all_terms_in_pinyin_order(index: SearchIndex) -> None:
    assert _ids(index.all_terms()) == [
        "235",
        "bao-zhang",
        "liu-ge-zhi-li",
        "liu-wen",
        "liu-wen-liu-bao",
        "wen-jiu-ye",
    ]


def test_suggest_is_prefix_first_and_limited(index: SearchIndex) -> None:
    assert _ids(index.suggest("liu", 10)) == ["liu-wen", "liu-ge-zhi-li", "liu-wen-liu-bao"]
    assert len(index.suggest("l", 2)) == 2
    assert _ids(index.suggest("致力", 5)) == ["liu-ge-zhi-li"]
    assert index.suggest("", 5) == []


def test_lookup_by_normalised_label(index: SearchIndex) -> None:
    for label in ("六稳", "“六稳”", "「六稳」"):
        term = index.lookup(label)
        assert term is not None and term.id == "liu-wen"
    assert index.lookup("liuwen") is None
    assert index.lookup("六") is None


def test_an_unrelated_uri_is_not_a_term(tmp_path: Path) -> None:
    graph = _graph()
    graph.add((URIRef("http://example.org/x"), RDF.type, SKOS.Concept))
    assert "http://example.org/x" not in read_model_of(graph, tmp_path).catalog.terms


@pytest.mark.parametrize(
    ("pinyin", "folded"),
    [
        ("sanshuo", "salsuo"),
        ("sansuo", "salsuo"),
        ("zhang", "zal"),
        ("cheng", "cel"),
        ("ling", "lil"),
    ],
)
def test_fuzzy_pinyin_folds_what_input_methods_confuse(pinyin: str, folded: str) -> None:
    assert fuzzy_pinyin(pinyin) == folded


@pytest.fixture(scope="module")
def corpus_index() -> SearchIndex:
    from test_lineage import corpus_model

    return corpus_model().search


@pytest.mark.parametrize("query", ["sanshuo", "sansuo", "sanshuoyiting", "sansuoyitin"])
def test_fuzzy_pinyin_finds_san_suo_yi_ting(corpus_index: SearchIndex, query: str) -> None:
    assert corpus_index.search(query)[0].term.label == "三所一庭"


def test_fuzzy_matches_rank_after_exact_and_prefix_matches(corpus_index: SearchIndex) -> None:
    exact = corpus_index.search("liugezhili")
    assert exact[0].term.label == "六个致力" and exact[0].kind == MatchKind.EXACT_PINYIN
    assert corpus_index.search("sansuo")[0].kind == MatchKind.PINYIN_PREFIX
    fuzzy = corpus_index.search("sanshuo")
    assert {hit.kind for hit in fuzzy} == {MatchKind.FUZZY_PINYIN}
    # n/l: 六 typed as niu.
    assert corpus_index.search("niugezhili")[0].term.label == "六个致力"
    kinds = [hit.kind for hit in corpus_index.search("liu")]
    assert kinds == sorted(kinds)


@pytest.mark.parametrize(
    ("query", "meant"),
    [
        ("bagejianshou", "八个坚持"),
        ("六个至立", "六个致力"),
        ("八个坚守", "八个坚持"),
        ("sanshou", "三所一庭"),
    ],
)
def test_did_you_mean_when_nothing_matches(
    corpus_index: SearchIndex, query: str, meant: str
) -> None:
    assert corpus_index.search(query) == []
    assert corpus_index.did_you_mean(query)[0].label == meant


def test_did_you_mean_offers_nothing_for_noise(corpus_index: SearchIndex) -> None:
    assert corpus_index.did_you_mean("qqqqqqq") == []
    assert corpus_index.did_you_mean("") == []


def test_api_search_reads_fuzzy_pinyin_and_suggests_on_a_miss(client: TestClient) -> None:
    for query in ("niuwen", "liuweng"):
        body = client.get("/api/v1/terms", params={"q": query}).json()
        assert body["results"][0]["label"] == "六稳", query
        assert body["results"][0]["match"] == "fuzzy_pinyin" and body["suggestions"] == []
    miss = client.get("/api/v1/terms", params={"q": "liuwan"}).json()
    assert miss["total"] == 0 and miss["results"] == []
    assert miss["suggestions"][0] == {"id": "liu-wen", "label": "六稳", "defined": True}
