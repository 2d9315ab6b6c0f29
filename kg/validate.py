"""Check a built graph against ``ontology/shapes.ttl``: the shapes compiled once, run in one pass.

Every build validates (:func:`kg.build.build_corpus`); a graph that fails the
shapes is never written. pySHACL re-parses a SPARQL constraint for every
focus node and walks its generic machinery for every value, so validating
grew to most of a build. Here the shapes file is compiled once per process
into :class:`Shape` values, and checking a graph is a walk over its indexes:

- the SHACL Core constraints the shapes use (listed in :data:`_COMPONENTS`),
  with nested shapes (``sh:or``, ``sh:xone``, ``sh:not``, ``sh:node``)
  checked for conformance the way the SHACL spec defines them;
- each SPARQL-based constraint runs once over the whole graph, ``$this``
  left free, and its rows are kept for the shape's focus nodes. For the
  queries of the shapes file (``$this`` always in a triple pattern) this
  gives the rows pre-binding ``$this`` to each focus node would.

A shapes file using any SHACL parameter this module does not implement is an
error when it is compiled, never a constraint silently skipped. The tests
check it reports what pySHACL reports on a graph broken against each shape
(``tests/test_validate.py``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

import pyoxigraph
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Node

from kg.errors import KGError
from kg.vocab import SHAPES_PATH

__all__ = ["Shape", "Violation", "compile_shapes", "validate_graph", "violations"]

Path = Callable[[Graph, Node], list[Node]]


@dataclass(frozen=True)
class Violation:
    """One validation result: which shape, which constraint, which node and value."""

    shape: Node
    component: str
    focus: Node
    value: Node | None
    message: str

    def __str__(self) -> str:
        value = f" value {self.value.n3()}" if self.value is not None else ""
        return f"{_name(self.shape)} ({self.component}): {self.focus.n3()}{value}: {self.message}"


@dataclass
class Shape:
    """A compiled shape: its targets, its path (none for a node shape) and its checks."""

    node: Node
    path: Path | None = None
    message: str = ""
    target_classes: list[Node] = field(default_factory=list)
    target_nodes: list[Node] = field(default_factory=list)
    checks: list[tuple[str, Check]] = field(default_factory=list)
    properties: list[Shape] = field(default_factory=list)
    sparql: list[_SparqlConstraint] = field(default_factory=list)


Check = Callable[[Graph, Node, list[Node]], Iterator[Node | None]]
"""A constraint: given the graph, a focus node and its value nodes, the values that break it
(``None`` for a violation that has no single value, as a too-small count)."""


@dataclass(frozen=True)
class _SparqlConstraint:
    node: Node
    text: str  # prefixes declared, $this written ?this
    query: Query  # the same, parsed by rdflib: for a focus node that is a blank node
    message: str


def _name(node: Node) -> str:
    text = str(node)
    return text.rsplit("#", 1)[-1] if isinstance(node, URIRef) else node.n3()


# --- paths -------------------------------------------------------------------------------


def _unique(nodes: Iterable[Node]) -> list[Node]:
    return list(dict.fromkeys(nodes))


def _compile_path(shapes: Graph, path: Node) -> Path:
    if isinstance(path, URIRef):
        return lambda graph, focus: _unique(graph.objects(focus, path))
    if (path, RDF.first, None) in shapes:
        steps = [_compile_path(shapes, step) for step in Collection(shapes, path)]

        def sequence(graph: Graph, focus: Node) -> list[Node]:
            nodes = [focus]
            for step in steps:
                nodes = _unique(value for node in nodes for value in step(graph, node))
            return nodes

        return sequence
    inverse = shapes.value(path, SH.inversePath)
    if isinstance(inverse, URIRef):
        return lambda graph, focus: _unique(graph.subjects(inverse, focus))
    repeated = shapes.value(path, SH.zeroOrMorePath)
    if repeated is not None:
        step = _compile_path(shapes, repeated)

        def closure(graph: Graph, focus: Node) -> list[Node]:
            seen = {focus: None}
            frontier = [focus]
            while frontier:
                frontier = [
                    value
                    for node in frontier
                    for value in step(graph, node)
                    if value not in seen and not seen.setdefault(value, None)
                ]
            return list(seen)

        return closure
    raise KGError(f"{SHAPES_PATH}: unsupported SHACL path {path.n3()}")


# --- constraint components ---------------------------------------------------------------


def _instance_of(graph: Graph, node: Node, cls: Node) -> bool:
    types = list(graph.objects(node, RDF.type))
    seen: set[Node] = set()
    while types:
        current = types.pop()
        if current == cls:
            return True
        if current not in seen:
            seen.add(current)
            types.extend(graph.objects(current, RDFS.subClassOf))
    return False


def _well_formed_datatype(node: Node, datatype: Node) -> bool:
    if not isinstance(node, Literal):
        return False
    if datatype == RDF.langString:
        return node.language is not None
    if node.language is not None or node.datatype != datatype:
        return datatype == XSD.string and node.datatype is None and node.language is None
    return not node.ill_typed


def _number(node: Node) -> int | float | Decimal | None:
    if not isinstance(node, Literal) or node.ill_typed:
        return None
    value = node.toPython()
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    return value


def _compare(value: Node, bound: Node, holds: Callable[[float, float], bool]) -> bool:
    a, b = _number(value), _number(bound)
    if a is None or b is None:
        return False
    return holds(float(a) if isinstance(a, float) else a, float(b) if isinstance(b, float) else b)  # type: ignore[arg-type]


def _lang_matches(node: Node, tags: list[str]) -> bool:
    if not isinstance(node, Literal) or node.language is None:
        return False
    language = node.language.lower()
    return any(language == tag or language.startswith(tag + "-") for tag in tags)


@dataclass
class _Compiler:
    shapes: Graph
    compiled: dict[Node, Shape] = field(default_factory=dict)

    def shape(self, node: Node) -> Shape:
        if node in self.compiled:
            return self.compiled[node]
        path = self.shapes.value(node, SH.path)
        shape = Shape(node, _compile_path(self.shapes, path) if path is not None else None)
        self.compiled[node] = shape  # before the parts: shapes may refer to each other
        shape.message = str(self.shapes.value(node, SH.message) or "")
        for predicate, value in sorted(
            self.shapes.predicate_objects(node), key=lambda pair: (str(pair[0]), pair[1].n3())
        ):
            self._parameter(shape, predicate, value)
        return shape

    def _parameter(self, shape: Shape, predicate: Node, value: Node) -> None:
        if predicate in _IGNORED or not str(predicate).startswith(str(SH)):
            return
        name = str(predicate)[len(str(SH)) :]
        if predicate == SH.targetClass:
            shape.target_classes.append(value)
        elif predicate == SH.targetNode:
            shape.target_nodes.append(value)
        elif predicate == SH.property:
            shape.properties.append(self.shape(value))
        elif predicate == SH.sparql:
            shape.sparql.append(self._sparql(value))
        elif name in _COMPONENTS:
            shape.checks.append((_COMPONENTS[name][0], _COMPONENTS[name][1](self, value)))
        else:
            raise KGError(f"{SHAPES_PATH}: unsupported SHACL parameter sh:{name}")

    def _list(self, node: Node) -> list[Node]:
        return list(Collection(self.shapes, node))

    def _sparql(self, node: Node) -> _SparqlConstraint:
        text = str(self.shapes.value(node, SH.select))
        prefixes = "".join(
            f"PREFIX {self.shapes.value(declared, SH.prefix)}: "
            f"<{self.shapes.value(declared, SH.namespace)}>\n"
            for source in self.shapes.objects(node, SH.prefixes)
            for declared in self.shapes.objects(source, SH.declare)
        )
        if "$this" not in text:
            raise KGError(f"{SHAPES_PATH}: SPARQL constraint {_name(node)} does not use $this")
        text = prefixes + text.replace("$this", "?this")
        message = str(self.shapes.value(node, SH.message) or "")
        return _SparqlConstraint(node, text, prepareQuery(text), message)


_IGNORED = {SH.message, SH.path, SH.name, SH.description, SH.declare, SH.prefixes}


def _min_count(_: _Compiler, value: Node) -> Check:
    least = int(value)  # type: ignore[call-overload]

    def check(graph: Graph, focus: Node, values: list[Node]) -> Iterator[Node | None]:
        if len(values) < least:
            yield None

    return check


def _max_count(_: _Compiler, value: Node) -> Check:
    most = int(value)  # type: ignore[call-overload]

    def check(graph: Graph, focus: Node, values: list[Node]) -> Iterator[Node | None]:
        if len(values) > most:
            yield None

    return check


def _each(holds: Callable[[Graph, Node, Node], bool]) -> Check:
    """A constraint on each value node alone: the values for which ``holds`` fails."""

    def check(graph: Graph, focus: Node, values: list[Node]) -> Iterator[Node | None]:
        return (value for value in values if not holds(graph, focus, value))

    return check


def _datatype(_: _Compiler, datatype: Node) -> Check:
    return _each(lambda graph, focus, value: _well_formed_datatype(value, datatype))


def _class(_: _Compiler, cls: Node) -> Check:
    return _each(lambda graph, focus, value: _instance_of(graph, value, cls))


def _language_in(compiler: _Compiler, value: Node) -> Check:
    tags = [str(tag).lower() for tag in compiler._list(value)]
    return _each(lambda graph, focus, node: _lang_matches(node, tags))


def _in(compiler: _Compiler, value: Node) -> Check:
    allowed = set(compiler._list(value))
    return _each(lambda graph, focus, node: node in allowed)


def _min_length(_: _Compiler, value: Node) -> Check:
    least = int(value)  # type: ignore[call-overload]
    return _each(lambda graph, focus, node: not isinstance(node, BNode) and len(str(node)) >= least)


def _pattern(compiler: _Compiler, value: Node) -> Check:
    pattern = re.compile(str(value))
    return _each(
        lambda graph, focus, node: not isinstance(node, BNode) and bool(pattern.search(str(node)))
    )


def _min_inclusive(_: _Compiler, bound: Node) -> Check:
    return _each(lambda graph, focus, node: _compare(node, bound, lambda a, b: a >= b))


def _max_inclusive(_: _Compiler, bound: Node) -> Check:
    return _each(lambda graph, focus, node: _compare(node, bound, lambda a, b: a <= b))


def _has_value(_: _Compiler, expected: Node) -> Check:
    def check(graph: Graph, focus: Node, values: list[Node]) -> Iterator[Node | None]:
        if expected not in values:
            yield None

    return check


def _disjoint(_: _Compiler, other: Node) -> Check:
    return _each(lambda graph, focus, node: (focus, other, node) not in graph)


def _less(compiler: _Compiler, other: Node, holds: Callable[[float, float], bool]) -> Check:
    def check(graph: Graph, focus: Node, values: list[Node]) -> Iterator[Node | None]:
        bounds = list(graph.objects(focus, other))
        for value in values:
            if not all(_compare(value, bound, holds) for bound in bounds):
                yield value

    return check


def _less_than(compiler: _Compiler, other: Node) -> Check:
    return _less(compiler, other, lambda a, b: a < b)


def _less_than_or_equals(compiler: _Compiler, other: Node) -> Check:
    return _less(compiler, other, lambda a, b: a <= b)


def _nested(count_ok: Callable[[int, int], bool]) -> Callable[[_Compiler, Node], Check]:
    """sh:or, sh:xone: how many of the listed shapes a value conforms to decides."""

    def compile_list(compiler: _Compiler, value: Node) -> Check:
        members = [compiler.shape(member) for member in compiler._list(value)]

        def holds(graph: Graph, focus: Node, node: Node) -> bool:
            conforming = sum(1 for member in members if _conforms(graph, node, member))
            return count_ok(conforming, len(members))

        return _each(holds)

    return compile_list


def _not(compiler: _Compiler, value: Node) -> Check:
    negated = compiler.shape(value)
    return _each(lambda graph, focus, node: not _conforms(graph, node, negated))


def _node(compiler: _Compiler, value: Node) -> Check:
    required = compiler.shape(value)
    return _each(lambda graph, focus, node: _conforms(graph, node, required))


_COMPONENTS: dict[str, tuple[str, Callable[[_Compiler, Node], Check]]] = {
    "minCount": ("MinCountConstraintComponent", _min_count),
    "maxCount": ("MaxCountConstraintComponent", _max_count),
    "datatype": ("DatatypeConstraintComponent", _datatype),
    "class": ("ClassConstraintComponent", _class),
    "languageIn": ("LanguageInConstraintComponent", _language_in),
    "in": ("InConstraintComponent", _in),
    "minLength": ("MinLengthConstraintComponent", _min_length),
    "pattern": ("PatternConstraintComponent", _pattern),
    "minInclusive": ("MinInclusiveConstraintComponent", _min_inclusive),
    "maxInclusive": ("MaxInclusiveConstraintComponent", _max_inclusive),
    "hasValue": ("HasValueConstraintComponent", _has_value),
    "disjoint": ("DisjointConstraintComponent", _disjoint),
    "lessThan": ("LessThanConstraintComponent", _less_than),
    "lessThanOrEquals": ("LessThanOrEqualsConstraintComponent", _less_than_or_equals),
    "or": ("OrConstraintComponent", _nested(lambda conforming, _: conforming >= 1)),
    "xone": ("XoneConstraintComponent", _nested(lambda conforming, _: conforming == 1)),
    "not": ("NotConstraintComponent", _not),
    "node": ("NodeConstraintComponent", _node),
}
"""The SHACL Core constraint parameters implemented, with the component each reports."""


# --- evaluation --------------------------------------------------------------------------


def _shape_violations(graph: Graph, focus: Node, shape: Shape) -> Iterator[Violation]:
    values = shape.path(graph, focus) if shape.path is not None else [focus]
    for component, check in shape.checks:
        for value in check(graph, focus, values):
            yield Violation(
                shape.node,
                component,
                focus,
                value if shape.path is not None else focus,
                shape.message,
            )
    for prop in shape.properties:
        for value in values:
            yield from _shape_violations(graph, value, prop)


def _conforms(graph: Graph, focus: Node, shape: Shape) -> bool:
    if shape.sparql:
        raise KGError(f"{SHAPES_PATH}: a SPARQL constraint inside a nested shape is not supported")
    return next(_shape_violations(graph, focus, shape), None) is None


def _focus_nodes(graph: Graph, shape: Shape) -> list[Node]:
    nodes: list[Node] = list(shape.target_nodes)
    for cls in shape.target_classes:
        classes = {cls}
        frontier = [cls]
        while frontier:  # subclasses declared in the data graph count, as SHACL says
            frontier = [c for parent in frontier for c in graph.subjects(RDFS.subClassOf, parent)]
            frontier = [c for c in frontier if c not in classes and not classes.add(c)]  # type: ignore[func-returns-value]
        for each in classes:
            nodes.extend(graph.subjects(RDF.type, each))
    return _unique(nodes)


class _Engine:
    """Where SPARQL constraints run: the graph loaded once into an in-memory Oxigraph store.

    rdflib's SPARQL engine joins triple patterns one binding at a time; a
    constraint over a whole corpus would take longer than the rest of the build.
    """

    def __init__(self, graph: Graph, ntriples: bytes | None) -> None:
        self._graph = graph
        self._ntriples = ntriples
        self._store: pyoxigraph.Store | None = None

    def rows(self, constraint: _SparqlConstraint) -> Iterator[dict[str, str]]:
        """Each solution's IRIs and literals as strings; blank nodes are left out."""
        if self._store is None:
            data = self._ntriples or self._graph.serialize(format="nt", encoding="utf-8")
            self._store = pyoxigraph.Store()
            self._store.bulk_load(data, format=pyoxigraph.RdfFormat.N_TRIPLES)
        solutions = self._store.query(constraint.text)
        assert isinstance(solutions, pyoxigraph.QuerySolutions)
        names = [variable.value for variable in solutions.variables]
        for solution in solutions:
            yield {
                name: term.value
                for name, term in zip(names, solution, strict=True)
                if isinstance(term, pyoxigraph.NamedNode | pyoxigraph.Literal)
            }


def _sparql_violations(
    graph: Graph, engine: _Engine, shape: Shape, focus: list[Node]
) -> Iterator[Violation]:
    targets = {str(node): node for node in focus if isinstance(node, URIRef)}
    blank = [node for node in focus if isinstance(node, BNode)]
    for constraint in shape.sparql:
        if targets:
            for row in engine.rows(constraint):
                this = targets.get(row.get("this", ""))
                if this is not None:
                    message = _substitute(constraint.message, row)
                    yield Violation(constraint.node, _SPARQL, this, None, message)
        for node in blank:
            for result in graph.query(constraint.query, initBindings={"this": node}):
                bindings = {name: str(value) for name, value in result.asdict().items()}  # type: ignore[union-attr]
                message = _substitute(constraint.message, bindings)
                yield Violation(constraint.node, _SPARQL, node, None, message)


_SPARQL = "SPARQLConstraintComponent"


def _substitute(message: str, bindings: Mapping[str, str]) -> str:
    """The message with each ``{?name}`` replaced by that variable's value in the row."""
    return re.sub(r"\{[?$](\w+)\}", lambda m: bindings.get(m.group(1), m.group(0)), message)


@lru_cache(maxsize=1)
def compile_shapes() -> tuple[Shape, ...]:
    """The shapes of ``ontology/shapes.ttl`` that have targets, compiled once per process."""
    return compile_shape_graph(Graph().parse(SHAPES_PATH, format="turtle"))


def compile_shape_graph(shapes: Graph) -> tuple[Shape, ...]:
    """The targeted shapes of a shapes graph, compiled; an unsupported parameter is an error."""
    compiler = _Compiler(shapes)
    targeted = _unique(
        node
        for predicate in (SH.targetClass, SH.targetNode)
        for node in shapes.subjects(predicate, None)
    )
    for node in _unique([*shapes.subjects(RDF.type, SH.NodeShape), *targeted]):
        compiler.shape(node)  # every declared shape compiles, targeted or not
    return tuple(compiler.shape(node) for node in sorted(targeted, key=lambda n: n.n3()))


def violations(
    graph: Graph, shapes: Sequence[Shape] | None = None, ntriples: bytes | None = None
) -> list[Violation]:
    """Every violation of the shapes (default: ``ontology/shapes.ttl``) in ``graph``.

    ``ntriples``, if given, is the graph as N-Triples, saving one serialisation.
    """
    engine = _Engine(graph, ntriples)
    found: list[Violation] = []
    for shape in compile_shapes() if shapes is None else shapes:
        focus = _focus_nodes(graph, shape)
        for node in focus:
            found.extend(_shape_violations(graph, node, shape))
        found.extend(_sparql_violations(graph, engine, shape, focus))
    return found


def validate_graph(graph: Graph, ntriples: bytes | None = None) -> tuple[bool, str]:
    """Check ``graph`` against the shapes: whether it conforms, and a report of what broke.

    ``ntriples``, if given, is the graph as N-Triples, saving one serialisation.
    """
    found = violations(graph, ntriples=ntriples)
    if not found:
        return True, "Conforms: True"
    lines = sorted({str(violation) for violation in found})
    shown = lines[:50] + ([f"… and {len(lines) - 50} more"] if len(lines) > 50 else [])
    return False, f"Conforms: False ({len(lines)} violations)\n" + "\n".join(shown)
