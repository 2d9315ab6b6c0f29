"""The one way reports become a served graph: read, link, build, validate, write.

Every command that needs the graph goes through here: ``kg build`` writes it
where asked (:func:`build_corpus`); ``kg serve`` and ``kg lineage`` use the
cached build of their corpus (:func:`kg.cache.cached_build`), which runs
``kg build`` in a child process. A build is always
validated against the SHACL shapes and written by the store's serializer
(:func:`kg.store.oxigraph.write_rdf`), atomically and with a record of what
was written (:mod:`kg.store.integrity`), so the file ``kg build`` writes and
the dump the service serves hold the same literals, and a damaged file is
never served. A file that cannot be read is skipped and named in
:attr:`Build.skipped`; the build goes on with the others.

The stages: reading (per report, in a pool of ``jobs`` processes, each
report taken from the per-report cache when its file is unchanged; see
:mod:`kg.report_cache`), linking (once over the corpus, through indexes, so
it grows with the corpus, not with its pairs), the graph, validation
(:mod:`kg.validate`, shapes compiled once) and writing.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph
from tqdm import tqdm

from kg.corpus import corpus_paths
from kg.errors import InputError, KGError
from kg.formats import RDF_FORMATS, RdfFormat, rdf_format_for_path
from kg.graph import build_graph
from kg.link.rdf import add_links, link_reports
from kg.model import Report
from kg.pipeline import read_corpus
from kg.report_cache import ReportCache
from kg.store.oxigraph import write_rdf
from kg.validate import validate_graph

__all__ = [
    "Build",
    "InvalidGraph",
    "build_corpus",
    "linked_graph",
    "write_graph",
]


class InvalidGraph(KGError):
    """The built graph does not pass the SHACL shapes; the report says where."""


@dataclass(frozen=True)
class Build:
    """What a build wrote: the file, its triple count, the reports read and the files skipped."""

    path: Path
    triples: int
    reports: Sequence[Report]
    skipped: Sequence[InputError] = ()
    reused: int = 0
    """How many reports came from the per-report cache instead of being read."""

    @property
    def entries(self) -> int:
        """Glossary entries over all reports."""
        return sum(len(report.entries) for report in self.reports)


def linked_graph(reports: Sequence[Report]) -> Graph:
    """The graph of ``reports`` with all their links, term ids assigned once for the corpus."""
    links = link_reports(reports)
    graph = build_graph(reports, links.term_ids)
    add_links(graph, reports, links)
    return graph


def _format_of(target: Path) -> RdfFormat:
    rdf_format = rdf_format_for_path(target)
    if rdf_format is None:
        known = ", ".join(f.suffix for f in RDF_FORMATS)
        raise KGError(f"{target}: unknown RDF format {target.suffix or '(none)'!r}; use {known}")
    return rdf_format


def write_graph(graph: Graph, path: str | os.PathLike[str]) -> Path:
    """Write ``graph`` to ``path`` in the format its suffix names (.ttl, .nt, .jsonld, …)."""
    target = Path(path)
    rdf_format = _format_of(target)
    write_rdf(graph.serialize(format="nt", encoding="utf-8"), target, rdf_format)
    return target


def build_corpus(
    paths: Iterable[str | os.PathLike[str]],
    out: str | os.PathLike[str],
    *,
    progress: bool = False,
    jobs: int = 1,
    cache_dir: str | os.PathLike[str] | None = None,
) -> Build:
    """Read ``paths`` (files or folders; none: the bundled corpus), validate, write ``out``.

    ``jobs`` processes read the reports; with ``cache_dir``, each report's
    extraction is kept there and reused while its file is unchanged.
    """
    target = Path(out)
    _format_of(target)  # an unknown format is an error before any work is done
    cache = ReportCache(Path(cache_dir) / "reports") if cache_dir is not None else None
    corpus = read_corpus(corpus_paths(paths), progress=progress, jobs=jobs, cache=cache)
    if not corpus.reports:
        reasons = "; ".join(str(error) for error in corpus.skipped[:3])
        raise KGError(f"no report could be read, nothing written ({reasons or 'no files'})")
    with tqdm(total=3, desc="building graph", unit="step", disable=not progress) as steps:
        graph = linked_graph(corpus.reports)
        steps.update()
        ntriples = graph.serialize(format="nt", encoding="utf-8")
        conforms, text = validate_graph(graph, ntriples)
        if not conforms:
            raise InvalidGraph("the built graph does not pass the SHACL shapes:\n" + text)
        steps.update()
        write_rdf(ntriples, target, _format_of(target))
        steps.update()
    return Build(target, len(graph), corpus.reports, corpus.skipped, corpus.reused)
