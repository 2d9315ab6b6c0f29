"""Content negotiation, one way for every route: the Accept header, parsed, and the 406.

:class:`AcceptHeader` reads an ``Accept`` header (RFC 9110, section 12.5.1);
:func:`negotiate` picks the offer the client likes best or answers 406 with
the offers listed and ``Vary: Accept``. Resources, the dump and the SPARQL
endpoint all choose their format through it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from api.errors import ApiError

__all__ = ["VARY", "AcceptDep", "AcceptHeader", "MediaRange", "get_accept", "negotiate"]

VARY = {"Vary": "Accept"}


@dataclass(frozen=True)
class MediaRange:
    """One entry of an Accept header, e.g. ``text/*;q=0.5``."""

    type: str
    subtype: str
    q: float

    def specificity(self, media_type: str) -> int | None:
        """How precisely this range names ``media_type`` (2, 1, 0), or None if it does not."""
        kind, _, sub = media_type.lower().partition("/")
        if self.type == "*":
            return 0
        if self.type != kind:
            return None
        if self.subtype == "*":
            return 1
        return 2 if self.subtype == sub else None


class AcceptHeader:
    """The media ranges of an Accept header; a missing header accepts anything."""

    def __init__(self, ranges: Sequence[MediaRange]) -> None:
        self.ranges = tuple(ranges)

    @classmethod
    def parse(cls, header: str | None) -> AcceptHeader:
        """Parse ``header``, skipping malformed entries; none at all means ``*/*``."""
        if header is None or not header.strip():
            return cls([MediaRange("*", "*", 1.0)])
        return cls([r for part in header.split(",") if (r := _parse_range(part)) is not None])

    def quality(self, media_type: str) -> float:
        """The q-value of ``media_type``: that of the most specific range naming it."""
        matches = [
            (specificity, media_range.q)
            for media_range in self.ranges
            if (specificity := media_range.specificity(media_type)) is not None
        ]
        return max(matches)[1] if matches else 0.0

    def best(self, offers: Sequence[str]) -> str | None:
        """The acceptable offer of highest quality; ties go to the earlier offer."""
        best_offer, best_q = None, 0.0
        for offer in offers:
            q = self.quality(offer)
            if q > best_q:
                best_offer, best_q = offer, q
        return best_offer


def _parse_range(text: str) -> MediaRange | None:
    media_type, *params = (piece.strip() for piece in text.split(";"))
    media_type = "*/*" if media_type == "*" else media_type.lower()
    kind, slash, sub = media_type.partition("/")
    if not slash or not kind or not sub or (kind == "*" and sub != "*"):
        return None
    q = 1.0
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "q":
            try:
                q = float(value)
            except ValueError:
                return None
            if not 0.0 <= q <= 1.0:
                return None
    return MediaRange(kind, sub, q)


async def get_accept(request: Request) -> AcceptHeader:
    """The request's Accept header, parsed."""
    return AcceptHeader.parse(request.headers.get("accept"))


AcceptDep = Annotated[AcceptHeader, Depends(get_accept)]


def negotiate(accept: AcceptHeader, offers: Sequence[str], what: str) -> str:
    """The offer ``accept`` likes best; a 406 listing ``offers`` when it accepts none.

    ``what`` names the thing negotiated in the error ("the graph", "resources").
    """
    chosen = accept.best(offers)
    if chosen is None:
        listed = ", ".join(dict.fromkeys(offers))
        raise ApiError(
            406, f"{what} is available as {listed}; the request accepts none", headers=VARY
        )
    return chosen
