"""The API on the whole linked bundled corpus, as ``kg serve`` serves it.

One read model: these tests walk every term and check that its summary is
the same through ``/summary``, ``/annotate`` and the term page, and that
each of its label forms works at every path segment that takes a term id,
with the result ``/api/v1/lookup`` gives; the dump is the build. Undefined
terms: lists and the annotator show only the listed ones by default, and a
name explained inside another term's glossary entry is defined there.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from conftest import serve_reports, settings_for
from fastapi.testclient import TestClient
from opencc import OpenCC
from rdflib import Graph
from rdflib.compare import isomorphic

from api.app import create_app
from kg.build import build_corpus
from kg.chars import fold
from kg.corpus import BUNDLED_CORPUS, corpus_paths
from kg.link.matching import TextView, non_overlapping

_DESCRIPTION = re.compile(r'<meta name="description" content="([^"]*)">')


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The app serving the linked graph of the whole bundled corpus."""
    with serve_reports([Path(p) for p in corpus_paths()], tmp_path_factory.mktemp("all")) as c:
        yield c


@pytest.fixture(scope="module")
def terms(corpus: TestClient) -> list[dict[str, object]]:
    body = corpus.get("/api/v1/terms", params={"limit": 1, "unlisted": "true"}).json()
    found: list[dict[str, object]] = []
    for offset in range(0, body["total"], 100):
        page = corpus.get(
            "/api/v1/terms", params={"limit": 100, "offset": offset, "unlisted": "true"}
        ).json()
        found.extend(page["results"])
    assert len(found) == body["total"] > 300
    return found


def _annotated_summary(corpus: TestClient, term_id: str, label: str, district: str | None):
    text = f"坚持“{label}”。" if not label.startswith("“") else f"坚持{label}。"
    payload = {"text": text, "district": district, "unlisted": True}
    spans = corpus.post("/api/v1/annotate", json=payload).json()["spans"]
    return next((span["summary"] for span in spans if span["id"] == term_id), "not found")


def test_every_summary_is_the_same_through_summary_annotate_and_the_page(
    corpus: TestClient, terms: list[dict[str, object]]
) -> None:
    annotated = 0
    for term in terms:
        term_id, label = str(term["id"]), str(term["label"])
        card = corpus.get(f"/api/v1/terms/{term_id}/summary").json()
        assert card["definition"] == term["definition"], term_id
        page = corpus.get(f"/term/{term_id}").text
        described = _DESCRIPTION.search(page)
        shown = html.unescape(described.group(1)) if described else None
        assert shown == card["definition"], term_id
        from_annotate = _annotated_summary(corpus, term_id, label, card["district"])
        if from_annotate != "not found":
            annotated += 1
            assert from_annotate == card["definition"], term_id
    assert annotated / len(terms) > 0.9


def _label_forms(term: dict[str, object]) -> set[str]:
    label = str(term["label"])
    to_traditional = OpenCC("s2t")
    forms = {label, *map(str, term["alt_labels"]), to_traditional.convert(label)}  # type: ignore[call-overload]
    if not label.startswith("“"):
        forms.add(f"“{label}”")
    return {form for form in forms if "/" not in form}


def test_every_label_form_works_at_every_id_path(
    corpus: TestClient, terms: list[dict[str, object]]
) -> None:
    checked = 0
    for term in terms:
        own = str(term["id"])
        for form in sorted(_label_forms(term)):
            looked_up = corpus.get("/api/v1/lookup", params={"label": form})
            assert looked_up.status_code == 200, form
            expected = looked_up.json()["id"]
            segment = quote(form, safe="")
            assert corpus.get(f"/api/v1/terms/{segment}").json()["id"] == expected, form
            summary = corpus.get(f"/api/v1/terms/{segment}/summary").json()
            assert summary["id"] == expected, form
            lineage = corpus.get(f"/api/v1/terms/{segment}/lineage").json()
            assert lineage["term"]["id"] == expected, form
            page = corpus.get(f"/term/{segment}")
            assert page.status_code == 200, form
            assert f"/term/{expected}.ttl>" in page.headers["link"], form
            checked += 1
        assert corpus.get(f"/api/v1/lookup?label={quote(str(term['label']))}").json()["id"] == own
    assert checked > 2 * len(terms)


def test_the_dump_is_isomorphic_to_the_build(corpus: TestClient, tmp_path: Path) -> None:
    built = build_corpus([str(BUNDLED_CORPUS)], tmp_path / "graph.ttl").path
    dump = corpus.get("/api/v1/graph", params={"format": "nt"})
    assert dump.status_code == 200
    served = Graph().parse(data=dump.content, format="nt")
    assert isomorphic(served, Graph().parse(built, format="turtle"))


def _undefined(corpus: TestClient, **params: str) -> list[dict[str, object]]:
    query = {"defined": "false", "limit": "100", **params}
    found: list[dict[str, object]] = []
    url: str | None = "/api/v1/terms"
    while url is not None:
        body = corpus.get(url, params=query if url == "/api/v1/terms" else None).json()
        found.extend(body["results"])
        url = body["next"]
    return found


def test_undefined_terms_are_listed_only_when_a_reader_would_look_them_up(
    corpus: TestClient,
) -> None:
    listed = {str(t["label"]) for t in _undefined(corpus)}
    everything = {str(t["label"]) for t in _undefined(corpus, unlisted="true")}
    assert listed < everything
    assert {"放管服", "金牌店小二"} <= listed
    assert "底色" in everything - listed
    term = corpus.get("/api/v1/lookup", params={"label": "底色"}).json()
    assert term["listed"] is False and term["discovered_by"] == "quoted-name"
    assert 0 < term["confidence"] <= 1
    suggested = corpus.get("/api/v1/suggest", params={"q": "底色"}).json()["results"]
    assert term["id"] not in {s["id"] for s in suggested}


def test_the_annotator_leaves_unlisted_terms_out_unless_asked(corpus: TestClient) -> None:
    text = "守住“底色”，推进“放管服”改革。"
    default = corpus.post("/api/v1/annotate", json={"text": text}).json()["spans"]
    assert [span["text"] for span in default] == ["“放管服”"]
    every = corpus.post("/api/v1/annotate", json={"text": text, "unlisted": True}).json()
    assert [span["text"] for span in every["spans"]] == ["“底色”", "“放管服”"]


def test_a_name_explained_in_a_combined_entry_is_defined_there(corpus: TestClient) -> None:
    both = corpus.get("/api/v1/lookup", params={"label": "“两重”“两新”"}).json()
    for part in ("两重", "两新"):
        term = corpus.get("/api/v1/lookup", params={"label": part}).json()
        assert term["defined"] is True, part
        assert [d["text"] for d in term["definitions"]] == [d["text"] for d in both["definitions"]]
        assert term["definitions"][0]["source"]["quote"].startswith(
            both["definitions"][0]["source"]["quote"][:10]
        )


_ANNOTATED = Path(__file__).parent / "golden" / "annotate_bundled.json"


def _bundled_texts() -> list[Path]:
    return sorted(
        path
        for path in BUNDLED_CORPUS.iterdir()
        if path.suffix in (".txt", ".md") and path.name != "README.md"
    )


def test_annotate_marks_the_bundled_reports_as_recorded(corpus: TestClient) -> None:
    """Every span of every bundled file, by district and with unlisted terms, as recorded
    (``tests/golden/annotate_bundled.json``) before the annotator took its fast path."""
    recorded = json.loads(_ANNOTATED.read_text(encoding="utf-8"))
    seen = 0
    for path in _bundled_texts():
        text = path.read_text(encoding="utf-8")
        for district in (None, "江汉区", "武昌区"):
            for unlisted in (False, True):
                payload = {"text": text, "district": district, "unlisted": unlisted}
                spans = corpus.post("/api/v1/annotate", json=payload).json()["spans"]
                key = f"{path.name} district={district or '-'} unlisted={str(unlisted).lower()}"
                assert [[s["start"], s["end"], s["id"]] for s in spans] == recorded[key], key
                assert all(s["text"] == text[s["start"] : s["end"]] for s in spans)
                seen += len(spans)
    assert seen == sum(map(len, recorded.values())) > 3000


def test_the_annotators_view_matches_the_folded_texts(corpus: TestClient) -> None:
    """The annotator's view (folded and stripped in one pass, folded again only where read)
    finds what the build's matcher finds on the folded text, astral characters included."""
    model = corpus.app.state.model  # type: ignore[attr-defined]
    matcher = model.full_annotator._annotator.matcher
    texts = [path.read_text(encoding="utf-8") for path in _bundled_texts()]
    texts.append("𠀀“六个致力”𠀀，「三所一庭」　与＂八个坚持＂\n及“两重”“两新”。")
    for text in texts:
        for district in (None, "江汉区", "武昌区", "不存在区"):
            slow = non_overlapping(matcher.matches(fold(text), district))
            fast = non_overlapping(matcher.matches_in(TextView.of_text(text), district))
            assert fast == slow
            assert len(fast) > 1


def _walk(corpus: TestClient, url: str | None) -> tuple[list[dict[str, object]], list[str]]:
    """Every result of a paged route, following ``Link: rel="next"``; and the Link headers."""
    found: list[dict[str, object]] = []
    links: list[str] = []
    while url is not None:
        response = corpus.get(url)
        assert response.status_code == 200, url
        body = response.json()
        found.extend(body["results"])
        links.append(response.headers.get("link", ""))
        following = re.search(r'<([^>]+)>; rel="next"', links[-1])
        assert (following.group(1) if following else None) == body["next"]
        url = body["next"]
    return found, links


def test_a_terms_mentions_and_reports_come_a_page_at_a_time(
    corpus: TestClient, tmp_path: Path
) -> None:
    """A term's answer holds the first page of its mentions and reports, with totals and
    the URL of the next page; walking the paged routes gives each one once, in order."""
    served = corpus.app.state.settings  # type: ignore[attr-defined]
    settings = settings_for(served.graph_path, tmp_path / "cache", term_page_size=3)
    with TestClient(create_app(settings)) as small:
        term = small.get("/api/v1/lookup", params={"label": "专精特新"}).json()
        assert small.get(f"/api/v1/terms/{term['id']}").json() == term
        assert term["mentions_total"] > 3 and len(term["mentions"]) == 3
        assert term["reports_total"] > 3 and len(term["reports"]) == 3
        paged = f"http://testserver/api/v1/terms/{term['id']}"
        assert term["mentions_next"] == f"{paged}/mentions?offset=3&limit=3"
        assert term["reports_next"] == f"{paged}/reports?offset=3&limit=3"

        mentions, links = _walk(small, f"/api/v1/terms/{term['id']}/mentions?limit=2")
        assert len(mentions) == term["mentions_total"]
        assert len(links) == (len(mentions) + 1) // 2
        assert mentions[:3] == term["mentions"]
        assert len({(m["report"], m["start"]) for m in mentions}) == len(mentions)
        assert 'rel="prev"' not in links[0] and 'rel="prev"' in links[1]
        assert [m["start"] for m in mentions if m["report"] == mentions[0]["report"]] == sorted(
            m["start"] for m in mentions if m["report"] == mentions[0]["report"]
        )
        assert all(m["form"] in m["sentence"] for m in mentions)

        reports, _ = _walk(small, term["reports_next"])
        assert (
            term["reports"] + reports == corpus.get(f"/api/v1/terms/{term['id']}").json()["reports"]
        )
        assert {m["report"] for m in mentions} <= {r["id"] for r in term["reports"] + reports}
    whole = corpus.get(f"/api/v1/terms/{term['id']}").json()
    assert whole["mentions_next"] is None and whole["reports_next"] is None
    assert len(whole["mentions"]) == whole["mentions_total"] == term["mentions_total"]


def test_paged_term_routes_answer_404_for_an_unknown_term(corpus: TestClient) -> None:
    for route in ("mentions", "reports"):
        response = corpus.get(f"/api/v1/terms/no-such-term/{route}")
        assert response.status_code == 404
        assert response.json()["error"]["status"] == 404
