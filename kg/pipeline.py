"""The extracting half of the pipeline: files -> :class:`~kg.model.Report` values.

``read_report`` runs one file through read, clean, split and extract;
``read_reports`` does it for many, with an optional progress bar, and gives
every report a unique id. With no paths, the bundled corpus in ``data/reports``
is read. :mod:`kg.build` takes the reports on to a validated graph file.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Sequence

from tqdm import tqdm

from kg.clean import clean_text
from kg.errors import InputError
from kg.extract.glossary import extract_glossary
from kg.extract.metadata import extract_metadata
from kg.extract.slogans import extract_parts
from kg.ids import report_id
from kg.model import GlossaryEntry, Report
from kg.read import read_source
from kg.split import split_sections

__all__ = [
    "read_report",
    "read_reports",
]


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
    return Report(
        id=report_id(metadata, source.path),
        source=source.path,
        clean=clean,
        metadata=metadata,
        body_end=sections.body_end,
        entries=entries,
        warnings=warnings,
    )


def read_reports(paths: Sequence[str], *, progress: bool = False) -> list[Report]:
    """Read every path; report ids are made unique by a numeric suffix where they collide."""
    reports = [
        read_report(path)
        for path in tqdm(paths, desc="reading", unit="doc", disable=not progress, leave=False)
    ]
    _deduplicate_ids(reports)
    return reports


def _deduplicate_ids(reports: list[Report]) -> None:
    counts = Counter(report.id for report in reports)
    seen: Counter[str] = Counter()
    for report in sorted(reports, key=lambda report: report.source):
        if counts[report.id] > 1:
            seen[report.id] += 1
            report.id = f"{report.id}-{seen[report.id]}"
