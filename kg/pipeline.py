"""The extracting half of the pipeline: files -> :class:`~kg.model.Report` values.

``read_report`` runs one file through read, clean, split and extract;
``read_corpus`` does it for many, with an optional progress bar, and gives
every report a unique id. A file that cannot be read (empty, binary,
truncated, or one that trips a bug) is skipped and named in
:attr:`Corpus.skipped`; the others are still read. With no paths, the bundled
corpus in ``data/reports`` is read. :mod:`kg.build` takes the reports on to a
validated graph file.

Each file is read on its own, so ``read_corpus`` can spread the files over a
pool of processes (``jobs``); the reports come back in the order of the
paths, so the result does not depend on the number of processes. With a
``cache`` (:class:`kg.report_cache.ReportCache`), a file whose bytes and
extraction code are unchanged since it was last read is not read again.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections import Counter
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

from tqdm import tqdm

from kg.clean import clean_text
from kg.errors import InputError, KGError
from kg.extract.glossary import extract_glossary
from kg.extract.metadata import extract_metadata
from kg.extract.slogans import extract_parts
from kg.ids import report_id
from kg.model import ExtractionWarning, GlossaryEntry, Report
from kg.read import read_source
from kg.report_cache import ReportCache
from kg.split import split_sections

__all__ = [
    "Corpus",
    "read_corpus",
    "read_report",
    "read_reports",
]

logger = logging.getLogger(__name__)


@dataclass
class Corpus:
    """The reports read, and the files skipped with the one-line reason for each."""

    reports: list[Report] = field(default_factory=list)
    skipped: list[InputError] = field(default_factory=list)
    reused: int = 0
    """How many of the reports came from the cache rather than being read."""

    @property
    def read(self) -> int:
        """How many of the reports were read and extracted in this run."""
        return len(self.reports) - self.reused


def read_report(path: str | os.PathLike[str]) -> Report:
    """Read one document into a report with its metadata and glossary entries."""
    source = read_source(path)
    clean = clean_text(source)
    if not clean.text.strip():
        raise InputError(source.path, "no text left after removing page furniture")
    sections = split_sections(clean)
    metadata, warnings = extract_metadata(clean, sections.body_end)
    entries: list[GlossaryEntry] = []
    if sections.glossary_start is not None:
        entries, glossary_warnings = extract_glossary(
            clean, sections.glossary_start, parts_of=extract_parts
        )
        warnings.extend(glossary_warnings)
        entries = _defined(entries, source.path, warnings)
    return Report(
        id=report_id(metadata, source.path),
        source=source.path,
        clean=clean,
        metadata=metadata,
        body_end=sections.body_end,
        entries=entries,
        warnings=warnings,
    )


def _defined(
    entries: list[GlossaryEntry], path: str, warnings: list[ExtractionWarning]
) -> list[GlossaryEntry]:
    """The entries with a definition; an entry without one (already warned) is left out."""
    kept = []
    for entry in entries:
        if entry.definition and entry.term:
            kept.append(entry)
        else:
            warnings.append(
                ExtractionWarning(path, f"glossary entry {entry.n} left out: no term or definition")
            )
    return kept


Outcome = tuple[Report, bool] | tuple[str, str]
"""One file's outcome: the report and whether it came from the cache, or (path, why skipped)."""


def _outcome(path: str, cache: ReportCache | None) -> Outcome:
    """Read one file (or take it from the cache); never raises, so one file cannot stop a pool."""
    if cache is not None:
        cached = cache.get(path)
        if cached is not None:
            return cached, True
    try:
        report = read_report(path)
    except InputError as error:
        return error.path, error.reason
    except KGError as error:
        return path, str(error)
    except Exception as error:  # a bug met on one file must not lose the others
        logger.debug("reading %s failed", path, exc_info=True)
        return path, f"could not be read ({type(error).__name__}: {error})"
    if cache is not None:
        cache.put(path, report)
    return report, False


def _outcomes(paths: Sequence[str], jobs: int, cache: ReportCache | None) -> Iterator[Outcome]:
    """Each path's outcome, in the order of ``paths``, from ``jobs`` processes."""
    jobs = max(1, min(jobs, len(paths)))
    if jobs == 1:
        yield from (_outcome(path, cache) for path in paths)
        return
    # forkserver: workers forked from a clean server process, never from this one's threads
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["kg.pipeline"])
    chunk = max(1, len(paths) // (jobs * 8))
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        yield from pool.map(_outcome, paths, [cache] * len(paths), chunksize=chunk)


def read_corpus(
    paths: Sequence[str],
    *,
    progress: bool = False,
    jobs: int = 1,
    cache: ReportCache | None = None,
) -> Corpus:
    """Read every path, skipping (and naming) those that cannot be read.

    ``jobs`` processes read the files; ``cache`` keeps each file's report for
    the next run. Report ids are made unique by a numeric suffix where they
    collide.
    """
    corpus = Corpus()
    outcomes = _outcomes(paths, jobs, cache)
    for outcome in tqdm(
        outcomes, total=len(paths), desc="reading reports", unit="doc", disable=not progress
    ):
        if isinstance(outcome[0], Report):
            corpus.reports.append(outcome[0])
            corpus.reused += bool(outcome[1])
        else:
            path, reason = outcome
            corpus.skipped.append(InputError(str(path), str(reason)))
    _deduplicate_ids(corpus.reports)
    return corpus


def read_reports(paths: Sequence[str], *, progress: bool = False) -> list[Report]:
    """Read every path; the first file that cannot be read is an error (see :func:`read_corpus`)."""
    corpus = read_corpus(paths, progress=progress)
    if corpus.skipped:
        raise corpus.skipped[0]
    return corpus.reports


def _deduplicate_ids(reports: list[Report]) -> None:
    counts = Counter(report.id for report in reports)
    seen: Counter[str] = Counter()
    for report in sorted(reports, key=lambda report: report.source):
        if counts[report.id] > 1:
            seen[report.id] += 1
            report.id = f"{report.id}-{seen[report.id]}"
