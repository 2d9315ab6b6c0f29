"""How alike two texts are: cosine and Jaccard similarity of their character bigrams.

Bigrams are taken over the folded text (:func:`kg.link.matching.fold`) with
only its Han characters, digits and Latin letters kept: punctuation, quotes and
spaces never count. No pair of texts is listed by hand.
"""

from __future__ import annotations

import math
import re
from collections import Counter

from kg.link.matching import fold

__all__ = ["bigram_cosine", "bigram_jaccard"]

_GRAM_CHARS = re.compile(r"[\u4e00-\u9fff0-9A-Za-z]")


def _bigrams(text: str) -> Counter[str]:
    chars = "".join(_GRAM_CHARS.findall(fold(text)))
    return Counter(chars[i : i + 2] for i in range(len(chars) - 1))


def bigram_cosine(first: str, second: str) -> float:
    """Cosine similarity of the character-bigram counts of two texts."""
    a, b = _bigrams(first), _bigrams(second)
    dot = sum(count * b[gram] for gram, count in a.items())
    norm = math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values()))
    return dot / norm if norm else 0.0


def bigram_jaccard(first: str, second: str) -> float:
    """Jaccard similarity of the character-bigram sets of two texts."""
    a, b = set(_bigrams(first)), set(_bigrams(second))
    return len(a & b) / len(a | b) if a | b else 0.0
