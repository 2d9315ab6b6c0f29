"""Tests for kg.graph: building, determinism, the golden graph, serialisation, validation."""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Dataset, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from rdflib.namespace import DCTERMS, PROV, SKOS

from kg.build import write_graph
from kg.errors import KGError
from kg.formats import RDF_FORMATS
from kg.graph import build_graph
from kg.model import (
    CleanText,
    Component,
    EnumeratedParts,
    GlossaryEntry,
    Report,
    ReportMetadata,
    SourceText,
)
from kg.validate import validate_graph
from kg.vocab import KGO, ONTOLOGY_DIR, definition_iri, report_iri, term_iri

FORMATS = {f.suffix: f.rdflib_name for f in RDF_FORMATS}

# rdflib's own N-Quads and JSON-LD plugins still call its deprecated Dataset API.
pytestmark = pytest.mark.filterwarnings("ignore:.*deprecated, use Dataset:DeprecationWarning")

GOLDEN = Path(__file__).parent / "golden" / "two_reports.ttl"

TEXT_2023 = (
    "政府工作报告\n过去一年……\n名词解释\n"
    "1.六个致力：致力于建设国家中心城市核心区。\n"
    "2.“一核两翼”：一核即中央商务区，两翼即汉正街、汉口滨江。\n"
)
TEXT_2024 = "政府工作报告\n今年……\n名词解释\n1.“六个致力”：致力于打造现代化中心城区。\n"

META_2023 = ReportMetadata(
    kind="政府工作报告",
    district="江汉区",
    delivered_on=date(2023, 12, 25),
    year_reviewed=2023,
    year_planned=2024,
)
META_2024 = ReportMetadata(
    title="政府工作报告",
    kind="政府工作报告",
    issuing_body="江汉区人民政府",
    district="江汉区",
    city="武汉市",
    doc_number="江政〔2025〕1号",
    delivered_on=date(2024, 12, 29),
    issued_on=date(2025, 1, 20),
    congress_session="区第十六届人民代表大会第四次会议",
    speaker="李明",
    speaker_role="区长",
    year_reviewed=2024,
    year_planned=2025,
)
PARTS = EnumeratedParts(
    promised=(1, 2),
    found=(1, 2),
    components=(
        Component("中央商务区", "一核"),
        Component("汉正街", "两翼"),
        Component("汉口滨江", "两翼"),
    ),
)


def make_report(
    rid: str,
    path: str,
    text: str,
    metadata: ReportMetadata,
    entries: list[tuple[str, str, str, EnumeratedParts | None]],
) -> Report:
    """A report over ``text``: page 1 up to the glossary heading, page 2 after it.

    Each entry is (term as printed, term, definition, parts), found in ``text``.
    """
    source = SourceText(path=path, text=text, media_type="text/plain")
    glossary_at = text.index("名词解释")
    pages = tuple(1 if i < glossary_at else 2 for i in range(len(text)))
    clean = CleanText(source, text, text, tuple(range(len(text))), pages)
    built = []
    for n, (printed, term, definition, parts) in enumerate(entries, start=1):
        start = text.index(f"{n}.{printed}")
        end = text.index(definition, start) + len(definition)
        built.append(GlossaryEntry(n, term, printed, definition, clean.span(start, end), parts))
    return Report(rid, path, clean, metadata, glossary_at, built)


def sample_reports() -> list[Report]:
    """Two 江汉区 reports a year apart, both defining 六个致力, differently."""
    earlier = make_report(
        "jianghan-2023-gov-work-report",
        "corpus/jianghan-2023.txt",
        TEXT_2023,
        META_2023,
        [
            ("六个致力", "六个致力", "致力于建设国家中心城市核心区。", None),
            (
                "“一核两翼”",
                "一核两翼",
                "一核即中央商务区，两翼即汉正街、汉口滨江。",
                PARTS,
            ),
        ],
    )
    later = make_report(
        "jianghan-2024-gov-work-report",
        "corpus/jianghan-2024.txt",
        TEXT_2024,
        META_2024,
        [("“六个致力”", "六个致力", "致力于打造现代化中心城区。", None)],
    )
    return [later, earlier]


def sorted_ntriples(graph: Graph) -> list[str]:
    return sorted(line for line in graph.serialize(format="nt").splitlines() if line)


def assert_same_graph(actual: Graph, expected: Graph) -> None:
    """Isomorphism, with the triples only one side has on failure."""
    if isomorphic(actual, expected):
        return
    _, only_actual, only_expected = graph_diff(to_isomorphic(actual), to_isomorphic(expected))
    pytest.fail(
        "graphs differ\n--- only in built graph:\n"
        + "\n".join(sorted_ntriples(only_actual))
        + "\n--- only in golden graph:\n"
        + "\n".join(sorted_ntriples(only_expected))
    )


@pytest.fixture(scope="module")
def graph() -> Graph:
    return build_graph(sample_reports())


def test_one_concept_with_one_definition_per_report(graph: Graph) -> None:
    concept = term_iri("liu-ge-zhi-li")
    assert list(graph.subjects(SKOS.prefLabel, Literal("六个致力", lang="zh-hans"))) == [concept]
    stated = set(graph.objects(concept, SKOS.definition))
    definitions = {node for node in stated if isinstance(node, URIRef)}
    assert definitions == {
        definition_iri("jianghan-2023-gov-work-report", "liu-ge-zhi-li"),
        definition_iri("jianghan-2024-gov-work-report", "liu-ge-zhi-li"),
    }
    texts = {str(graph.value(node, RDF.value)) for node in definitions}
    assert texts == {"致力于建设国家中心城市核心区。", "致力于打造现代化中心城区。"}
    # Beside each node, its text as a literal skos:definition, for SKOS tools.
    assert {str(text) for text in stated - definitions} == texts
    reports = {graph.value(node, KGO.inReport) for node in definitions}
    assert reports == {
        report_iri("jianghan-2023-gov-work-report"),
        report_iri("jianghan-2024-gov-work-report"),
    }


def test_labels_come_from_terms_and_printed_forms(graph: Graph) -> None:
    concept = term_iri("yi-he-liang-yi")
    assert graph.value(concept, SKOS.prefLabel) == Literal("一核两翼", lang="zh-hans")
    assert set(graph.objects(concept, SKOS.altLabel)) == {Literal("“一核两翼”", lang="zh-hans")}


def test_built_graph_conforms_to_shapes(graph: Graph) -> None:
    conforms, report = validate_graph(graph)
    assert conforms, report


def test_missing_metadata_is_omitted(graph: Graph) -> None:
    earlier = report_iri("jianghan-2023-gov-work-report")
    for predicate in (DCTERMS.title, KGO.docNumber, DCTERMS.issued, KGO.speaker, DCTERMS.publisher):
        assert graph.value(earlier, predicate) is None
    assert graph.value(earlier, KGO.deliveredOn) == Literal(date(2023, 12, 25))


def test_components_are_an_ordered_collection(graph: Graph) -> None:
    definition = definition_iri("jianghan-2023-gov-work-report", "yi-he-liang-yi")
    components = graph.value(definition, KGO.components)
    assert components is not None
    assert (components, RDF.type, SKOS.OrderedCollection) in graph
    head = graph.value(components, SKOS.memberList)
    assert head is not None
    members = list(Collection(graph, head))
    labels = [str(graph.value(member, RDFS.label)) for member in members]
    assert labels == ["中央商务区", "汉正街", "汉口滨江"]
    assert set(graph.objects(components, SKOS.member)) == set(members)
    assert graph.value(components, KGO.promisedCounts) == Literal("1+2")
    assert graph.value(components, KGO.partsMatch) == Literal(True)


def test_source_location_quotes_the_source(graph: Graph) -> None:
    definition = definition_iri("jianghan-2024-gov-work-report", "liu-ge-zhi-li")
    location = graph.value(definition, PROV.atLocation)
    start = graph.value(location, KGO.startOffset)
    end = graph.value(location, KGO.endOffset)
    assert isinstance(start, Literal) and isinstance(end, Literal)
    assert graph.value(location, KGO.page) == Literal(2)
    quote = graph.value(location, KGO.quote)
    assert str(quote) == TEXT_2024[start.toPython() : end.toPython()]
    assert str(quote) == "1.“六个致力”：致力于打造现代化中心城区。"


def test_building_twice_gives_identical_triples() -> None:
    first = build_graph(sample_reports())
    second = build_graph(list(reversed(sample_reports())))
    assert isomorphic(first, second)
    assert sorted_ntriples(first) == sorted_ntriples(second)


def test_graph_matches_golden(graph: Graph) -> None:
    if os.environ.get("KG_UPDATE_GOLDEN"):
        write_graph(graph, GOLDEN)
    expected = Graph().parse(GOLDEN, format="turtle")
    assert_same_graph(graph, expected)


def test_report_without_id_gets_one_from_metadata() -> None:
    report = replace(sample_reports()[0], id="")
    graph = build_graph([report])
    assert (report_iri("jianghan-2024-gov-work-report"), RDF.type, KGO.Report) in graph


def test_city_report_uses_the_city_as_its_division() -> None:
    report = sample_reports()[0]
    report.metadata = replace(report.metadata, district=None, city="武汉市")
    graph = build_graph([report])
    division = graph.value(report_iri(report.id), KGO.district)
    assert str(division).endswith("/district/wuhan")
    assert validate_graph(graph)[0]


def parse_back(path: Path) -> Graph:
    if path.suffix in (".nq", ".trig"):
        dataset = Dataset()
        dataset.parse(path, format=FORMATS[path.suffix])
        graph = Graph()
        for subject, predicate, obj, _ in dataset.quads():
            graph.add((subject, predicate, obj))
        return graph
    return Graph().parse(path, format=FORMATS[path.suffix])


@pytest.mark.parametrize("suffix", sorted(FORMATS))
def test_serialization_round_trips(graph: Graph, tmp_path: Path, suffix: str) -> None:
    path = write_graph(graph, tmp_path / f"graph{suffix}")
    assert_same_graph(parse_back(path), graph)


HOSTILE = 'A <script>alert(1)</script> & "quoted" \'single\' \\ back\nnew line\r\n"""triple"""'


@pytest.mark.parametrize("suffix", sorted(FORMATS))
def test_hostile_text_survives_as_literal(tmp_path: Path, suffix: str) -> None:
    text = "名词解释\n1.“<b>坏</b>”：" + HOSTILE + "\n"
    report = make_report(
        "hostile-2024-gov-work-report",
        "hostile.txt",
        text,
        META_2024,
        [("“<b>坏</b>”", "<b>坏</b>", HOSTILE, None)],
    )
    graph = build_graph([report])
    parsed = parse_back(write_graph(graph, tmp_path / f"hostile{suffix}"))
    assert_same_graph(parsed, graph)
    assert (None, RDF.value, Literal(HOSTILE, lang="zh-hans")) in parsed
    assert (None, SKOS.prefLabel, Literal("<b>坏</b>", lang="zh-hans")) in parsed
    assert (
        None,
        KGO.quote,
        Literal(text[len("名词解释\n") :].rstrip("\n"), lang="zh-hans"),
    ) in parsed


def test_unknown_extension_is_a_one_line_error(graph: Graph, tmp_path: Path) -> None:
    with pytest.raises(KGError, match="unknown RDF format") as raised:
        write_graph(graph, tmp_path / "graph.xlsx")
    assert "\n" not in str(raised.value)
    assert not (tmp_path / "graph.xlsx").exists()


def test_ontology_files_are_found() -> None:
    assert (ONTOLOGY_DIR / "kg.ttl").is_file()
    assert (ONTOLOGY_DIR / "shapes.ttl").is_file()


def test_validation_reports_a_broken_graph(graph: Graph) -> None:
    broken = Graph()
    for triple in graph:
        broken.add(triple)
    broken.remove((None, KGO.reportKind, None))
    conforms, report = validate_graph(broken)
    assert not conforms
    assert "kind" in report
