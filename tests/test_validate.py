"""The compiled validator reports what pySHACL reports, on every broken graph of the shape tests."""

from __future__ import annotations

import pytest
import test_link_shapes
import test_shapes
from pyshacl import validate
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from kg.validate import compile_shape_graph, validate_graph, violations
from kg.vocab import SHAPES_PATH

Result = tuple[Node, Node, str]


def pyshacl_results(data: Graph, shapes: Graph) -> set[Result]:
    """(focus node, named shape or constraint, component name) of each pySHACL result."""
    _, results, _ = validate(data, shacl_graph=test_shapes.copy_of(shapes), inference="none")
    assert isinstance(results, Graph)
    found = set()
    for result in results.objects(None, SH.result):  # top-level results, not their sh:detail
        shape = results.value(result, SH.sourceConstraint) or results.value(result, SH.sourceShape)
        component = str(results.value(result, SH.sourceConstraintComponent)).rsplit("#", 1)[-1]
        found.add((results.value(result, SH.focusNode), shape, component))
    return found


def compiled_results(data: Graph, shapes: Graph) -> set[Result]:
    return {
        (violation.focus, violation.shape, violation.component)
        for violation in violations(data, compile_shape_graph(shapes))
    }


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(SHAPES_PATH, format="turtle")


def test_valid_graphs_conform(shapes: Graph) -> None:
    for graph in (
        Graph().parse(test_shapes.GOLDEN, format="turtle"),
        test_link_shapes.valid_graph(),
    ):
        assert compiled_results(graph, shapes) == set()
        assert validate_graph(graph) == (True, "Conforms: True")


@pytest.mark.parametrize("case", test_shapes.CASES, ids=[case.id for case in test_shapes.CASES])
def test_same_results_as_pyshacl_on_broken_graphs(case: test_shapes.Case, shapes: Graph) -> None:
    valid = Graph().parse(test_shapes.GOLDEN, format="turtle")
    broken = test_shapes.copy_of(valid)
    case.break_graph(broken)
    if case.target_list:
        shapes = test_shapes.copy_of(shapes)
        cell = test_shapes.list_cells(valid)[0]
        shapes.add((test_shapes.SHAPES[case.shape], SH.targetNode, cell))
        shapes.add((test_shapes.SHAPES.ListShape, SH.targetNode, cell))
    expected = pyshacl_results(broken, shapes)
    assert expected  # the case breaks something
    assert compiled_results(broken, shapes) == expected


@pytest.mark.parametrize(("shape", "mutate"), test_link_shapes.CASES)
def test_same_results_as_pyshacl_on_broken_linked_graphs(
    shape: str, mutate: test_link_shapes.Mutation, shapes: Graph
) -> None:
    graph = test_link_shapes.valid_graph()
    mutate(graph)
    expected = pyshacl_results(graph, shapes)
    assert any(named == test_link_shapes.SHAPES[shape] for _, named, _ in expected)
    assert compiled_results(graph, shapes) == expected
    conforms, report = validate_graph(graph)
    assert not conforms
    assert shape in report


def test_an_unsupported_parameter_is_an_error(shapes: Graph) -> None:
    from kg.errors import KGError

    odd = test_shapes.copy_of(shapes)
    odd.add((URIRef(test_shapes.SHAPES["Concept-prefLabel"]), SH.uniqueLang, Literal(True)))
    with pytest.raises(KGError, match="uniqueLang"):
        compile_shape_graph(odd)
