"""How alike two texts are: cosine and Jaccard similarity of their character bigrams.

Bigrams are taken over the folded text (:func:`kg.link.matching.fold`) with
only its Han characters, digits and Latin letters kept: punctuation, quotes and
spaces never count. No pair of texts is listed by hand.

A text's bigrams are counted once into a :class:`Bigrams` profile; the linking
passes keep one profile per definition and compare profiles, so comparing many
pairs never re-reads a text. :class:`CosineIndex` finds, among many profiles,
every pair whose cosine can reach a threshold without comparing all pairs.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from kg.link.matching import fold

__all__ = ["Bigrams", "CosineIndex", "bigram_cosine", "bigram_jaccard", "bigrams"]

_GRAM_CHARS = re.compile(r"[\u4e00-\u9fff0-9A-Za-z]")


@dataclass(frozen=True)
class Bigrams:
    """A text's character-bigram counts and the Euclidean norm of those counts."""

    counts: Counter[str]
    norm: float

    def cosine(self, other: Bigrams) -> float:
        """Cosine similarity of the two count vectors (0.0 when either is empty)."""
        small, large = (
            (self.counts, other.counts)
            if len(self.counts) <= len(other.counts)
            else (other.counts, self.counts)
        )
        dot = sum(count * large[gram] for gram, count in small.items())  # exact: integers
        norm = self.norm * other.norm
        return dot / norm if norm else 0.0

    def jaccard(self, other: Bigrams) -> float:
        """Jaccard similarity of the two bigram sets (0.0 when both are empty)."""
        a, b = self.counts.keys(), other.counts.keys()
        union = len(a | b)
        return len(a & b) / union if union else 0.0


def bigrams(text: str) -> Bigrams:
    """The bigram profile of ``text``."""
    chars = "".join(_GRAM_CHARS.findall(fold(text)))
    counts = Counter(chars[i : i + 2] for i in range(len(chars) - 1))
    return Bigrams(counts, math.sqrt(sum(v * v for v in counts.values())))


def bigram_cosine(first: str, second: str) -> float:
    """Cosine similarity of the character-bigram counts of two texts."""
    return bigrams(first).cosine(bigrams(second))


def bigram_jaccard(first: str, second: str) -> float:
    """Jaccard similarity of the character-bigram sets of two texts."""
    return bigrams(first).jaccard(bigrams(second))


class CosineIndex:
    """The pairs of profiles whose cosine may reach ``threshold``: never a pair missed.

    An inverted index of bigrams, after the all-pairs algorithm of Bayardo, Ma
    and Srikant (2007). Each profile's bigrams are ordered from the rarest in
    the collection to the most common, and only a prefix is indexed: the
    common tail left out has a norm below ``threshold`` times the profile's
    norm, so by Cauchy–Schwarz it alone can never give a cosine of
    ``threshold``, and a pair that reaches it shares a bigram of the indexed
    prefix. Probing the index with each profile gives, for every earlier
    profile sharing such a bigram, the dot product over its prefix; a pair is
    proposed only if that product plus a bound on what the tail can add (the
    smaller of the tail's norm times the other norm, and the tail's total
    count times the other's largest count) can reach the threshold. Common
    bigrams, which every definition has, are thus seldom indexed, and the
    pairs proposed stay near the pairs that are alike.
    """

    def __init__(self, profiles: Sequence[Bigrams], threshold: float) -> None:
        self._profiles = profiles
        self._threshold = threshold
        frequency: Counter[str] = Counter()
        for profile in profiles:
            frequency.update(profile.counts.keys())
        # a margin below the threshold, so float rounding can never lose a pair
        allowed = (threshold * (1 - 1e-6)) ** 2
        self._prefixes: list[list[tuple[str, int]]] = []
        self._tail_norms: list[float] = []
        self._tail_counts: list[int] = []
        for profile in profiles:
            grams = sorted(profile.counts.items(), key=lambda item: (frequency[item[0]], item[0]))
            limit = allowed * profile.norm * profile.norm
            cut, tail = len(grams), 0
            while cut > 0 and tail + grams[cut - 1][1] ** 2 < limit:
                cut -= 1
                tail += grams[cut][1] ** 2
            self._prefixes.append(grams[:cut])
            self._tail_norms.append(math.sqrt(tail))
            self._tail_counts.append(sum(count for _, count in grams[cut:]))

    def pairs(self) -> Iterator[tuple[int, int]]:
        """Every pair ``(i, j)``, ``i < j``, that may reach the threshold, ordered by ``j``
        then ``i``."""
        postings: dict[str, list[tuple[int, int]]] = {}
        for j, profile in enumerate(self._profiles):
            if profile.counts:
                dots: dict[int, int] = {}
                for gram, count in profile.counts.items():
                    for i, other in postings.get(gram, ()):
                        dots[i] = dots.get(i, 0) + other * count
                largest = max(profile.counts.values())
                for i in sorted(dots):
                    tail = min(self._tail_norms[i] * profile.norm, self._tail_counts[i] * largest)
                    need = self._threshold * self._profiles[i].norm * profile.norm
                    if dots[i] + tail >= need * (1 - 1e-9):
                        yield i, j
            for gram, count in self._prefixes[j]:
                postings.setdefault(gram, []).append((j, count))
