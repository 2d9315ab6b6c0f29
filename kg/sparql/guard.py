"""The lexical check every query passes before any store sees it.

:func:`check_query` refuses SPARQL Update and queries that would make the
server fetch a URL (``SERVICE``; ``LOAD`` belongs to Update). It reads the
keywords of the query outside strings, IRIs and comments, so ``"SERVICE"``
inside a literal is fine. Oxigraph *does* perform ``SERVICE`` calls, so this
check is what stops them; it runs the same way whichever store answers.
``FROM``/``FROM NAMED`` are allowed: stores read them as names of graphs
already held and never dereference them (a store serving one graph of a shared
server may refuse them, see :mod:`kg.store.remote`). Engine extensions that
reach outside the query are refused too: Virtuoso's ``DEFINE`` pragmas (one
turns on fetching the ``FROM`` IRIs) and its built-in ``bif:``/``sql:``
functions (one fetches a URL), written as prefixed names or as IRIs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kg.sparql.errors import QueryRefused, UpdateRefused

__all__ = ["check_query", "code_words", "iri_refs", "query_form"]

_UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}
)
_FETCHING_KEYWORDS = frozenset({"SERVICE", "LOAD"})
_QUERY_FORMS = frozenset({"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"})
# Engine extensions: Virtuoso's pragmas and its built-in function namespaces.
_ENGINE_KEYWORDS = frozenset({"DEFINE"})
_ENGINE_SCHEMES = ("BIF:", "SQL:")
# Characters an IRIREF cannot hold (SPARQL 1.1 grammar, rule 139), besides controls and space.
_NOT_IN_IRI = frozenset('<>"{}|^`\\')
_WORD = re.compile(r"[\w:]+")
_CODEPOINT_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def code_words(text: str) -> Iterator[str]:
    """The bare words of a SPARQL text, upper-cased, outside strings, IRIs and comments.

    Variables (``?x``, ``$x``) are skipped; prefixed names keep their colon, so
    ``ex:service`` is never the keyword ``SERVICE``. ``.`` and ``-`` split words:
    a keyword glued to a ``.`` is still found.
    """
    i, end = 0, len(text)
    while i < end:
        char = text[i]
        if char == "#":
            i = _skip_comment(text, i)
        elif char in "\"'":
            i = _skip_string(text, i)
        elif char == "<":
            i = _skip_iri(text, i)
        elif char == "\\":
            i += 2  # an escaped character of a prefixed name, e.g. ex:a\'b
        elif char in "?$":
            match = _WORD.match(text, i + 1)
            i = match.end() if match else i + 1
        else:
            match = _WORD.match(text, i)
            if match:
                yield match.group().upper()
                i = match.end()
            else:
                i += 1


def _skip_comment(text: str, start: int) -> int:
    ends = [p for p in (text.find("\n", start), text.find("\r", start)) if p != -1]
    return min(ends) + 1 if ends else len(text)


def _skip_string(text: str, start: int) -> int:
    quote = text[start] * 3 if text.startswith(text[start] * 3, start) else text[start]
    i = start + len(quote)
    while i < len(text):
        if text[i] == "\\":
            i += 2
        elif text.startswith(quote, i):
            return i + len(quote)
        else:
            i += 1
    return len(text)


def iri_refs(text: str) -> Iterator[str]:
    """The IRIs written ``<…>`` in a SPARQL text, outside strings and comments."""
    i, end = 0, len(text)
    while i < end:
        char = text[i]
        if char == "#":
            i = _skip_comment(text, i)
        elif char in "\"'":
            i = _skip_string(text, i)
        elif char == "<":
            after = _skip_iri(text, i)
            if after > i + 1:
                yield text[i + 1 : after - 1]
            i = after
        else:
            i += 1


def _skip_iri(text: str, start: int) -> int:
    """Past the IRI at ``start``, or just past ``<`` when it is an operator."""
    i = start + 1
    while i < len(text) and text[i] not in _NOT_IN_IRI and ord(text[i]) > 0x20:
        i += 1
    return i + 1 if i < len(text) and text[i] == ">" else start + 1


def _decode_codepoint_escapes(text: str) -> str:
    def decode(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code < 0x110000 and not 0xD800 <= code < 0xE000 else match.group()

    return _CODEPOINT_ESCAPE.sub(decode, text)


def query_form(query: str) -> str | None:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the form of a query, read lexically; else None."""
    form = _first_operation_keyword(list(code_words(query)))
    return form if form in _QUERY_FORMS else None


def _first_operation_keyword(words: list[str]) -> str | None:
    """The first keyword after the prologue (``BASE`` and ``PREFIX`` declarations)."""
    remaining = iter(words)
    for word in remaining:
        if word == "PREFIX":
            next(remaining, None)
        elif word != "BASE":
            return word
    return None


def check_query(query: str) -> None:
    """Refuse updates and queries that would fetch a URL, before anything runs.

    The SPARQL spec lets ``\\u`` escapes appear anywhere, so the text is read
    both as written and with escapes decoded; a refusal in either reading counts.
    """
    for text in (query, _decode_codepoint_escapes(query)):
        words = list(code_words(text))
        if _first_operation_keyword(words) in _UPDATE_KEYWORDS:
            raise UpdateRefused(
                "this endpoint is read-only: SPARQL Update (INSERT, DELETE, LOAD, CLEAR, "
                "DROP, CREATE, ADD, MOVE, COPY) is not accepted"
            )
        fetching = sorted(_FETCHING_KEYWORDS.intersection(words))
        if fetching:
            raise QueryRefused(
                f"{', '.join(fetching)} is not allowed: this endpoint never fetches remote "
                "data; query the local graph only"
            )
        _refuse_engine_extensions(text, words)


def _refuse_engine_extensions(text: str, words: list[str]) -> None:
    names = [word for word in words if word.startswith(_ENGINE_SCHEMES)]
    names += [iri for iri in iri_refs(text) if iri.upper().startswith(_ENGINE_SCHEMES)]
    if _ENGINE_KEYWORDS.intersection(words) or names:
        found = ", ".join(sorted({*(_ENGINE_KEYWORDS.intersection(words)), *names}))
        raise QueryRefused(
            f"{found}: engine pragmas and built-in functions (DEFINE, bif:, sql:) are not "
            "allowed; write standard SPARQL 1.1"
        )
