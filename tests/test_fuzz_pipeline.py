"""Property tests of the reader, cleaner and glossary extractor on mutated corpus files.

Each example takes a real report (bundled corpus or genre fixture) and damages
it the way files arrive damaged: cut short, lines shuffled, re-encoded, stray
list numbers, deeply nested quotes, a long generated glossary. Whatever comes
in, reading ends in a report or in a one-line :class:`~kg.errors.InputError`
(never another exception, never a hang), cleaning its own output changes no
content, every definition is text of the cleaned document, and entry numbers
only increase. Runs are derandomized so CI sees the same examples every time;
``scripts/fuzz_readers.py`` runs the readers under atheris for longer.
"""

from __future__ import annotations

import os
import random
import re
import tempfile
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.clean import clean_text
from kg.errors import InputError
from kg.extract.glossary import extract_glossary
from kg.model import CleanText, Report, SourceText
from kg.pipeline import read_report
from kg.split import split_sections

ROOT = Path(__file__).resolve().parent.parent
CORPUS = sorted(
    path
    for folder in (ROOT / "data" / "reports", ROOT / "tests" / "data" / "genre")
    for path in folder.iterdir()
    if path.suffix in {".txt", ".md"} and path.name != "README.md"
)
FUZZ = settings(
    max_examples=int(os.environ.get("KG_FUZZ_EXAMPLES", "40")),
    deadline=timedelta(seconds=20),
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
_SPACE = re.compile(r"\s")


def _cut(text: str, rng: random.Random) -> str:
    return text[: rng.randrange(len(text) + 1)]


def _shuffle(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    rng.shuffle(lines)
    return "\n".join(lines)


def _stray_numbers(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    for _ in range(rng.randrange(1, 20)):
        number = rng.choice(["1.", "999.", "1000.", "（3）", "十一、", "①", "0.", "12345、"])
        lines.insert(rng.randrange(len(lines) + 1), number + rng.choice(["", "六稳：", "：", "“"]))
    return "\n".join(lines)


def _deep_quotes(text: str, rng: random.Random) -> str:
    depth = rng.randrange(1, 3000)
    opener, closer = rng.choice([("“", "”"), ("「", "」"), ("《", "》"), ("（", "）")])
    middle = len(text) // 2
    nested = opener * depth + "六稳：定义" + closer * rng.randrange(depth + 1)
    return text[:middle] + "\n1." + nested + "\n" + text[middle:]


def _long_glossary(text: str, rng: random.Random) -> str:
    count = rng.randrange(1, 3000)
    entries = "\n".join(f"{n}.术语{n}：术语{n}的定义。" for n in range(1, count + 1))
    return text + "\n附件\n名词解释\n" + entries + "\n"


MUTATIONS = {
    "cut": _cut,
    "shuffle": _shuffle,
    "stray-numbers": _stray_numbers,
    "deep-quotes": _deep_quotes,
    "long-glossary": _long_glossary,
}
ENCODINGS = ["utf-8", "utf-8-sig", "gb18030", "utf-16", "big5"]


@st.composite
def damaged_files(draw: st.DrawFn) -> tuple[str, bytes]:
    """A corpus file's bytes after one to three mutations and a re-encoding."""
    path = draw(st.sampled_from(CORPUS))
    rng = random.Random(draw(st.integers(0, 2**32)))
    text = path.read_text(encoding="utf-8")
    for name in draw(st.lists(st.sampled_from(sorted(MUTATIONS)), min_size=1, max_size=3)):
        text = MUTATIONS[name](text, rng)
    encoding = draw(st.sampled_from(ENCODINGS))
    data = text.encode(encoding, errors="replace")
    if draw(st.booleans()):
        data = data[: rng.randrange(len(data) + 1)]  # cut through a multi-byte character
    return path.suffix, data


def _read(suffix: str, data: bytes) -> Report | None:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / f"damaged{suffix}"
        path.write_bytes(data)
        try:
            return read_report(path)
        except InputError as error:
            assert str(error).count("\n") == 0
            return None


def _check_entries(report: Report) -> None:
    flat = report.clean.text.replace("\n", "")
    numbers = [entry.n for entry in report.entries]
    assert numbers == sorted(set(numbers)), numbers[:20]
    for entry in report.entries:
        assert entry.definition in flat, entry.n


def _check_idempotent(clean: CleanText) -> None:
    again = clean_text(SourceText("again.txt", clean.text, "text/plain"))
    # Paragraph breaks may move (a heading is told by its line's width), and with them
    # the half- or full-width form of punctuation beside them; what matching reads may not.
    assert _SPACE.sub("", again.normalized) == _SPACE.sub("", clean.normalized)
    assert len(clean.normalized) == len(clean.text) == len(clean.origin) == len(clean.pages)


@FUZZ
@given(damaged_files())
def test_damaged_files_read_or_fail_in_one_line(damaged: tuple[str, bytes]) -> None:
    report = _read(*damaged)
    if report is not None:
        _check_entries(report)
        _check_idempotent(report.clean)


_PIECES = st.sampled_from(
    [
        "名词解释",
        "附件",
        "\n",
        "1.",
        "2.",
        "（1）",
        "一、",
        "①",
        "：",
        ":",
        "“",
        "”",
        "「",
        "」",
        "《",
        "》",
        "。",
        "，",
        "六稳",
        "稳就业",
        " ",
        "\u3000",
        "- 3 -",
        "**",
        "#",
        "\\",
    ]
)


@FUZZ
@given(st.lists(st.one_of(_PIECES, st.text(max_size=8)), max_size=400))
def test_any_text_cleans_and_extracts(pieces: list[str]) -> None:
    text = "".join(pieces)
    clean = clean_text(SourceText("any.txt", text, "text/plain"))
    _check_idempotent(clean)
    sections = split_sections(clean)
    if sections.glossary_start is not None:
        entries, _ = extract_glossary(clean, sections.glossary_start)
        flat = clean.text.replace("\n", "")
        assert [e.n for e in entries] == sorted({e.n for e in entries})
        assert all(entry.definition in flat for entry in entries)
