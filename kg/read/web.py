"""Web pages with BeautifulSoup and lxml: the text a browser would show, one block a line.

The page is decoded by its declared charset when that fits (see
:func:`kg.read.text.codec_for_label`); ``head``, scripts, styles and templates
are dropped; whitespace collapses as a browser would, and a line break between
two CJK characters disappears (CSS Text 3).
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, NavigableString, PageElement, Tag
from bs4.dammit import EncodingDetector
from bs4.element import PreformattedString

from kg.model import SourceText
from kg.read.text import codec_for_label, decode

__all__ = ["HTML", "read_html"]

HTML = "text/html"

_DROPPED = ["head", "script", "style", "noscript", "template"]
_BLOCKS = (
    frozenset({"html", "body", "main", "article", "section", "nav", "aside", "header", "footer"})
    | {"div", "p", "pre", "blockquote", "address", "center", "hr", "h1", "h2", "h3", "h4", "h5"}
    | {"h6", "ul", "ol", "li", "dl", "dt", "dd", "dir", "menu", "table", "caption", "thead"}
    | {"tbody", "tfoot", "tr", "th", "td", "form", "fieldset", "legend", "option", "details"}
    | {"summary", "dialog", "figure", "figcaption", "hgroup"}
)
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")
_CJK = r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\U00020000-\U0003ffff]"
# A line break between two CJK characters renders as nothing (CSS Text 3, segment breaks).
_CJK_SEGMENT_BREAK = re.compile(rf"(?<={_CJK})[ \t\r\f]*\n[ \t\n\r\f]*(?={_CJK})")


def read_html(path: str, data: bytes) -> SourceText:
    """The visible text of the web page ``data``, and the encoding it was read in."""
    declared = EncodingDetector.find_declared_encoding(data[:4096], is_html=True)
    markup, encoding = decode(path, data, codec_for_label(declared))
    soup = BeautifulSoup(markup, "lxml")
    for element in soup(_DROPPED):
        element.decompose()
    return SourceText(path, _html_text(soup), HTML, encoding)


def _html_text(soup: BeautifulSoup) -> str:
    """The page's text: one line per block element, whitespace collapsed as a browser
    would, blank lines dropped."""
    pieces: list[str] = []
    # Items are (node, inside <pre>); None closes a block element.
    stack: list[tuple[PageElement, bool] | None] = [(soup, False)]
    while stack:
        item = stack.pop()
        if item is None:
            pieces.append("\n")
            continue
        node, preformatted = item
        if isinstance(node, NavigableString):
            if not isinstance(node, PreformattedString):  # comments, doctype, CDATA
                pieces.append(str(node) if preformatted else _collapse(str(node)))
        elif isinstance(node, Tag):
            if node.name == "br":
                pieces.append("\n")
                continue
            if node.name in _BLOCKS:
                pieces.append("\n")
                stack.append(None)
            inner = preformatted or node.name in ("pre", "textarea")
            stack.extend((child, inner) for child in reversed(node.contents))
    lines = (line.strip() for line in "".join(pieces).split("\n"))
    return "\n".join(line for line in lines if line)


def _collapse(text: str) -> str:
    return _HTML_SPACE.sub(" ", _CJK_SEGMENT_BREAK.sub("", text))
