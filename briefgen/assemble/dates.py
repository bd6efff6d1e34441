"""Date labels of ISO dates, at the precision they are known to."""

from __future__ import annotations

import calendar
import datetime as dt
from functools import lru_cache


@lru_cache(maxsize=8192)  # a brief has a few hundred dates, labelled once for each of thousands of items
def date_label(iso: str, precision: str) -> str:
    """'2025', 'Q3 2025', 'September 2025' or '23 November 2024'."""
    parts = [int(part) for part in iso.split("-")]
    if precision == "quarter" and len(parts) >= 2:
        return f"Q{(parts[1] - 1) // 3 + 1} {parts[0]}"
    if len(parts) == 1 or precision == "year":
        return str(parts[0])
    month = calendar.month_name[parts[1]]
    return f"{parts[2]} {month} {parts[0]}" if len(parts) == 3 else f"{month} {parts[0]}"


def precision_of(iso: str) -> str:
    """The precision an ISO date is written at: year, month or day."""
    return {1: "year", 2: "month", 3: "day"}[len(iso.split("-"))]


@lru_cache(maxsize=8192)
def period_end(iso: str) -> dt.date:
    """The last day of the period an ISO date names (a year, a month or a day)."""
    parts = [int(part) for part in iso.split("-")]
    if len(parts) == 1:
        return dt.date(parts[0], 12, 31)
    if len(parts) == 2:
        return dt.date(parts[0], parts[1], calendar.monthrange(parts[0], parts[1])[1])
    return dt.date(parts[0], parts[1], parts[2])
