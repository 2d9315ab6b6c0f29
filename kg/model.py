"""The values that flow through the pipeline, from source text to extracted facts.

Every step reads and returns these plain dataclasses, so each step can be
tested alone: ``read`` gives a :class:`SourceText`, ``clean`` a
:class:`CleanText`, ``extract`` a :class:`Report` with its
:class:`GlossaryEntry` list, and ``graph`` turns reports into RDF.
"""

from __future__ import annotations

import bisect
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import overload

from kg.chronology import DeliveryKey, delivery_key

__all__ = [
    "CleanText",
    "Component",
    "EnumeratedParts",
    "ExtractionWarning",
    "GlossaryEntry",
    "PageRuns",
    "Report",
    "ReportMetadata",
    "SourceSpan",
    "SourceText",
]


@dataclass(frozen=True)
class SourceText:
    """Text as a reader got it out of a file, before any cleaning.

    ``page_starts`` holds the offset in ``text`` where each page begins (page 1
    first); it is empty for formats without pages. For plain text with page
    furniture ("- 12 -"), the cleaner finds page numbers itself.
    """

    path: str
    text: str
    media_type: str
    encoding: str | None = None
    page_starts: tuple[int, ...] = ()

    def page_at(self, offset: int) -> int | None:
        """The 1-based page holding ``offset``, or None for a format without pages."""
        if not self.page_starts:
            return None
        return max(1, bisect.bisect_right(self.page_starts, offset))


@dataclass(frozen=True)
class SourceSpan:
    """Where a fact came from: character offsets in the source text, and its page."""

    start: int
    end: int
    page: int | None = None


class PageRuns(Sequence[int | None]):
    """The page of every character, stored as runs: one entry per change of page.

    A document has a handful of pages and hundreds of thousands of
    characters; a run per page keeps the map small while ``pages[i]`` still
    reads like a list.
    """

    def __init__(self, values: Iterable[int | None] = ()) -> None:
        self._starts = array("q")
        self._values: list[int | None] = []
        self._length = 0
        self.extend(values)

    def append(self, value: int | None) -> None:
        if not self._values or self._values[-1] != value:
            self._starts.append(self._length)
            self._values.append(value)
        self._length += 1

    def extend(self, values: Iterable[int | None]) -> None:
        for value in values:
            self.append(value)

    def __len__(self) -> int:
        return self._length

    @overload
    def __getitem__(self, index: int) -> int | None: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[int | None]: ...
    def __getitem__(self, index: int | slice) -> int | Sequence[int | None] | None:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._length))]
        if index < 0:
            index += self._length
        if not 0 <= index < self._length:
            raise IndexError("page index out of range")
        return self._values[bisect.bisect_right(self._starts, index) - 1]

    def __iter__(self) -> Iterator[int | None]:
        ends = [*self._starts[1:], self._length]
        for start, end, value in zip(self._starts, ends, self._values, strict=True):
            for _ in range(end - start):
                yield value


@dataclass(frozen=True)
class CleanText:
    """Cleaned text with a map back to the source.

    ``text`` is the document as printed, with conversion damage undone (line
    breaks inside sentences joined, page furniture and markdown marks gone).
    ``normalized`` has the same length as ``text``, character for character,
    with full-width forms folded and quotes unified: match on it, report from
    ``text``. ``origin[i]`` is the offset in ``source.text`` of ``text[i]``.
    ``pages[i]`` is the printed page number of ``text[i]`` when known. Both
    maps are compact sequences (an array of offsets, runs of pages), so a
    cleaned text costs a few bytes a character, not a tuple of objects.
    """

    source: SourceText
    text: str
    normalized: str
    origin: Sequence[int]
    pages: Sequence[int | None]

    def span(self, start: int, end: int) -> SourceSpan:
        """The source span of ``text[start:end]``."""
        if not self.text:
            return SourceSpan(0, 0, None)
        first = min(max(start, 0), len(self.text) - 1)
        last = min(max(end - 1, first), len(self.text) - 1)
        return SourceSpan(self.origin[first], self.origin[last] + 1, self.pages[first])


@dataclass(frozen=True)
class Component:
    """One part of an enumerated slogan, e.g. 稳就业 of 六稳, or 武汉中央商务区 of 一核."""

    label: str
    group: str | None = None


@dataclass(frozen=True)
class EnumeratedParts:
    """The parts a numeral slogan promises and the parts its definition lists.

    ``promised`` is the count per group the name carries (三所一庭 → (3, 1);
    “235” → (2, 3, 5)); ``found`` the count per group found in the definition.
    """

    promised: tuple[int, ...]
    found: tuple[int, ...]
    components: tuple[Component, ...]

    @property
    def matches(self) -> bool:
        return self.promised == self.found


@dataclass(frozen=True)
class GlossaryEntry:
    """One numbered entry of a 名词解释 appendix."""

    n: int
    term: str
    term_as_printed: str
    definition: str
    span: SourceSpan
    parts: EnumeratedParts | None = None


@dataclass(frozen=True)
class ExtractionWarning:
    """Something the extractor noticed and could not settle; it names the place."""

    source: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line is not None else self.source
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class ReportMetadata:
    """What a report says about itself. A field the document does not state is None."""

    title: str | None = None
    kind: str | None = None
    issuing_body: str | None = None
    district: str | None = None
    city: str | None = None
    doc_number: str | None = None
    delivered_on: date | None = None
    issued_on: date | None = None
    congress_session: str | None = None
    speaker: str | None = None
    speaker_role: str | None = None
    year_reviewed: int | None = None
    year_planned: int | None = None


@dataclass
class Report:
    """One document read end to end: its metadata, body text and glossary."""

    id: str
    source: str
    clean: CleanText
    metadata: ReportMetadata
    body_end: int
    entries: list[GlossaryEntry] = field(default_factory=list)
    warnings: list[ExtractionWarning] = field(default_factory=list)

    @property
    def delivery_key(self) -> DeliveryKey:
        """Where the report stands in delivery order (see :mod:`kg.chronology`)."""
        meta = self.metadata
        year = meta.delivered_on.year if meta.delivered_on else meta.year_reviewed
        return delivery_key(self.id, meta.delivered_on, meta.issued_on, year)

    @property
    def body(self) -> str:
        """The report's running text, without its glossary appendix."""
        return self.clean.text[: self.body_end]
