"""How old a brief's newest source is, and whether that is older than the brief allows (`stale_after`).

A source's date is its `published` (YYYY-MM-DD or YYYY-MM); its age is counted in whole days back
from the brief's as-of date (the build date). A source dated only by its month is taken at the
month's last day, so it is never called older than it may be. A brief is stale when the age of its
newest source exceeds its `stale_after` (14d, 2w, 36h ...); with no `stale_after` there is no limit,
and the masthead still shows the age.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from briefgen.facts import Document

_DURATION = re.compile(r"(\d{1,6})\s*([hdw])", re.IGNORECASE)
_UNITS = {"h": ("hour", dt.timedelta(hours=1)), "d": ("day", dt.timedelta(days=1)),
          "w": ("week", dt.timedelta(weeks=1))}
_LONGEST = dt.timedelta(days=36_600)  # 100 years
DURATION_HELP = "a number then h (hours), d (days) or w (weeks), such as 14d, 2w or 36h"


def check_duration(value: object) -> str | None:
    """`value` as a normalised duration ('14d') if it is one, None if None; ValueError saying what is wrong."""
    if value is None:
        return None
    shown = repr(value) if len(repr(value)) <= 40 else repr(value)[:40] + "…"
    match = _DURATION.fullmatch(value.strip()) if isinstance(value, str) else None
    if match is None:
        unit = f" (a number needs its unit: {value}d for days)" if isinstance(value, int) else ""
        raise ValueError(f"expected a duration: {DURATION_HELP}; got {shown}{unit}")
    text = f"{int(match[1])}{match[2].lower()}"
    if not dt.timedelta(0) < parse_duration(text) <= _LONGEST:
        raise ValueError(f"{shown} is out of range: a duration is more than zero and at most 100 years")
    return text


def parse_duration(text: str) -> dt.timedelta:
    """The length of a normalised duration ('14d', '2w', '36h'; see `check_duration`)."""
    return int(text[:-1]) * _UNITS[text[-1]][1]


def describe_duration(text: str) -> str:
    """A normalised duration in words: '14d' -> '14 days', '1w' -> '1 week'."""
    amount, (unit, _) = int(text[:-1]), _UNITS[text[-1]]
    return f"{amount} {unit}{'' if amount == 1 else 's'}"


@dataclass(frozen=True)
class Freshness:
    """How current a brief is: its newest source's date and age, and its `stale_after` limit.

    `age` is for the masthead ('3 days old', 'at least 2 months old'); None when no source is dated.
    `stale` is true when a limit is set and the newest source is older than it, or no source is dated.
    """

    newest: str | None  # the newest source's published date as given: YYYY-MM-DD or YYYY-MM
    newest_label: str | None  # for display: '5 March 2025', 'March 2025'
    age_days: int | None  # whole days from the newest source (a month's last day) to the as-of date
    age: str | None
    limit: str | None  # stale_after in words: '14 days'
    stale: bool

    @property
    def days_old(self) -> str | None:
        """The age in days: '15 days old', 'at least 40 days old' (dated by month); None when undated."""
        if self.age_days is None or self.newest is None:
            return None
        at_least = "at least " if len(self.newest.split("-")) == 2 else ""
        return f"{at_least}{self.age_days} day{'' if self.age_days == 1 else 's'} old"


def freshness(documents: Iterable[Document], as_of: dt.date, stale_after: str | None) -> Freshness:
    """How old the newest dated document is on `as_of`, and whether that exceeds `stale_after`."""
    published_dates = {document.published for document in documents if document.published}  # a few hundred
    dated = [(last, published) for published in published_dates if (last := _last_day(published)) is not None]
    limit = describe_duration(stale_after) if stale_after else None
    if not dated:
        return Freshness(None, None, None, None, limit, stale=stale_after is not None)
    last, published = max(dated)
    days = (as_of - last).days
    stale = stale_after is not None and dt.timedelta(days=days) > parse_duration(stale_after)
    return Freshness(published, _label(published), days, _age(days, published, as_of), limit, stale)


def stale_warning(brief: str, checks: list[tuple[str, Freshness]]) -> str | None:
    """One warning line naming the brief when any audience's brief is stale; None when none is.

    `checks` holds each rendered audience with the freshness of the sources it may use.
    """
    stale = [(audience, item) for audience, item in checks if item.stale]
    if not stale:
        return None
    newest = min((item for _, item in stale), key=_age_order)
    whose = "" if len(stale) == len(checks) else f" for {', '.join(audience for audience, _ in stale)}"
    if newest.age_days is None:
        what = f"no source{whose} has a publication date, so how old the sources are is unknown"
    else:
        what = f"the newest source{whose} is {newest.days_old} (published {newest.newest})"
    return f"{brief}: {what}, beyond stale_after ({newest.limit}); the brief shows a notice that it may be out of date"


def _age_order(item: Freshness) -> int:
    return item.age_days if item.age_days is not None else 1 << 30


def _last_day(published: str) -> dt.date | None:
    """The last day a published date may stand for: the day itself, or a month's last day."""
    try:
        parts = [int(part) for part in published.split("-")]
        if len(parts) == 2:
            return dt.date(parts[0], parts[1], calendar.monthrange(parts[0], parts[1])[1])
        return dt.date(parts[0], parts[1], parts[2]) if len(parts) == 3 else None
    except (ValueError, calendar.IllegalMonthError):
        return None


def _label(published: str) -> str:
    parts = [int(part) for part in published.split("-")]
    month = calendar.month_name[parts[1]]
    return f"{parts[2]} {month} {parts[0]}" if len(parts) == 3 else f"{month} {parts[0]}"


def _age(days: int, published: str, as_of: dt.date) -> str:
    """The age in words; a month-dated source is at least as old as its month's last day."""
    by_month = len(published.split("-")) == 2
    if by_month and published == as_of.strftime("%Y-%m"):
        return "from this month"
    if days < 0:
        return "dated after the as-of date"
    if days == 0:
        return "less than a day old"
    return ("at least " if by_month else "") + _span(days) + " old"


def _span(days: int) -> str:
    for limit, size, unit in ((14, 1, "day"), (61, 7, "week"), (730, 30, "month"), (1 << 30, 365, "year")):
        if days < limit:
            count = days // size
            return f"{count} {unit}{'' if count == 1 else 's'}"
    raise AssertionError("unreachable")
