"""The one order of reports: by the day they were delivered.

Reports cite each other by the year they were *delivered* (see DOMAIN.md), so
every timeline, every "latest definition" and every "earliest label" follows
the delivery date. A report without one falls back to the day it was issued,
then to the last day of the year it was delivered or reviews, and an undated
report comes last; ties go by report id, so the order never depends on input
order.
"""

from __future__ import annotations

from datetime import date

__all__ = ["DeliveryKey", "delivery_key"]

DeliveryKey = tuple[date, str]


def delivery_key(
    report_id: str,
    delivered_on: date | None = None,
    issued_on: date | None = None,
    year: int | None = None,
) -> DeliveryKey:
    """The sort key of a report; ``year`` is its delivery year, else the year it reviews."""
    if delivered_on is not None:
        day = delivered_on
    elif issued_on is not None:
        day = issued_on
    elif year is not None and 1 <= year <= 9999:
        day = date(year, 12, 31)
    else:
        day = date.max
    return (day, report_id)
