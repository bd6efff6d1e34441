"""Date expressions resolved against a document's publication date.

Output is ISO `YYYY`, `YYYY-MM` or `YYYY-MM-DD` with a precision. Choices:
- With a month-precision publication date, relative expressions ("last week",
  "on Monday") resolve to the publication month at most.
- "recently" gives no date: it may reach back weeks or months.
- With a day-precision publication date, "today", "yesterday" and "on <weekday>"
  resolve to a day; "last week" to the month of the day seven days earlier
  (a week has no ISO form here, and the month is the honest bound).
- Seasons of a year ("early 2024") keep year precision; quarters too (no ISO form).
- Without a publication date, relative expressions resolve to None.
- Every date given is a real calendar date: a day its month does not have ("31 February 2026",
  "0 May") gives the month alone ("2026-02", month precision): the month and year are still
  stated, and a made-up day would sort and chart as if it were known.
- A publication date that is no real date, or whose year lies outside 2..9998 (so that a week
  either side stays a date), is ignored, as if absent.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTHS = {
    name: number
    for number, name in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        start=1,
    )
}
MONTHS.update({name[:3]: number for name, number in list(MONTHS.items())})
MONTHS["sept"] = 9
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MONTH = r"(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_QUALIFIER = (
    r"(?:(?:early|mid|late|the end of|end of|the start of|start of|the beginning of|beginning of)[\s-]*)?"
)
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"((?:19|20)\d\d)"

_MONTH_DAY_YEAR = re.compile(rf"^{_QUALIFIER}{_MONTH}\s+{_DAY},?\s+{_YEAR}$")
_DAY_MONTH_YEAR = re.compile(rf"^{_DAY}\s+{_MONTH},?\s+{_YEAR}$")
_MONTH_YEAR = re.compile(rf"^{_QUALIFIER}{_MONTH},?\s+(?:of\s+)?{_YEAR}$")
_MONTH_DAY = re.compile(rf"^{_MONTH}\s+{_DAY}$")
_DAY_MONTH = re.compile(rf"^{_DAY}\s+(?:of\s+)?{_MONTH}$")
_YEAR_ONLY = re.compile(
    rf"^(?:{_QUALIFIER}|(?:the\s+)?(?:first|second|third|fourth)\s+quarter\s+of\s+|q[1-4]\s+)?{_YEAR}$"
)
_MONTH_ONLY = re.compile(rf"^{_QUALIFIER}{_MONTH}$")
_WEEKDAY = re.compile(r"^(?:on\s+|last\s+)?(" + "|".join(WEEKDAYS) + r")$")
_RELATIVE_CURRENT_MONTH = {
    "this week",
    "last week",
    "earlier this month",
    "this month",
    "today",
    "yesterday",
    "the past week",
    "past week",
    "earlier this week",
}

# Dates the model may not label: relative words and explicit month-year forms.
CANDIDATES = re.compile(
    r"\b(?:(?:earlier\s+)?this\s+(?:week|month)|last\s+(?:week|month|year)|next\s+(?:week|month|year)"
    r"|on\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
    r"|(?:January|February|March|April|May|June|July|August|September|October|November|December)"
    r"(?:\s+\d{1,2}(?:st|nd|rd|th)?)?(?:,?\s+(?:19|20)\d\d)?"
    r"|(?:19|20)\d\d)\b"
)


@dataclass(frozen=True)
class Resolved:
    """A resolved date: ISO text and precision; `future_hint` for "next ..." expressions."""

    date: str | None
    precision: str | None
    relative: bool = False
    future_hint: bool = False


@dataclass(frozen=True)
class Published:
    """A publication date with its precision."""

    year: int
    month: int
    day: int | None

    @classmethod
    def parse(cls, value: str | None) -> Published | None:
        """Parse `YYYY-MM-DD` or `YYYY-MM`; None when absent, malformed or no real date."""
        match = re.fullmatch(r"(\d{4})-(\d{2})(?:-(\d{2}))?", value or "")
        if not match:
            return None
        year, month, day = int(match[1]), int(match[2]), int(match[3]) if match[3] else None
        if not dt.MINYEAR < year < dt.MAXYEAR or not is_date(year, month, day or 1):
            return None
        return cls(year, month, day)

    def month_text(self, offset: int = 0) -> str:
        """The ISO month `offset` months from the publication month."""
        index = self.year * 12 + self.month - 1 + offset
        return f"{index // 12:04d}-{index % 12 + 1:02d}"

    def as_date(self) -> dt.date:
        """The publication day (day 1 for a month-precision date)."""
        return dt.date(self.year, self.month, self.day or 1)


def is_date(year: int, month: int, day: int) -> bool:
    """Whether the day exists in the calendar (years 1 to 9999)."""
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def _day(year: int | str, month: int, day: int | str) -> Resolved:
    """A day-precision date, or its month when the month has no such day."""
    if not is_date(int(year), month, int(day)):
        return Resolved(f"{int(year):04d}-{month:02d}", "month")
    return Resolved(f"{int(year):04d}-{month:02d}-{int(day):02d}", "day")


def normalise(text: str) -> str:
    """Lower case, single spaces, no leading article or trailing possessive."""
    text = re.sub(r"\s+", " ", text.lower().replace("’", "'")).strip()
    text = re.sub(r"'s$", "", text)
    return re.sub(r"^(?:the|in|by|on the) ", "", text) if not text.startswith("the same") else text


def resolve(text: str, published: Published | None) -> Resolved | None:
    """Resolve a date expression; None when it is not a date (durations, vague spans)."""
    words = normalise(text)
    explicit = _explicit(words, published)
    if explicit is not None:
        return explicit
    return _relative(words, published)


def _explicit(words: str, published: Published | None) -> Resolved | None:
    if match := _MONTH_DAY_YEAR.match(words):
        return _day(match[3], MONTHS[match[1]], match[2])
    if match := _DAY_MONTH_YEAR.match(words):
        return _day(match[3], MONTHS[match[2]], match[1])
    if match := _MONTH_YEAR.match(words):
        return Resolved(f"{match[2]}-{MONTHS[match[1]]:02d}", "month")
    if match := _YEAR_ONLY.match(words):
        return Resolved(match[1], "year")
    if (match := _MONTH_DAY.match(words)) or (match := _DAY_MONTH.match(words)):
        month, day = (match[1], match[2]) if match.re is _MONTH_DAY else (match[2], match[1])
        if published is None:
            return Resolved(None, None, relative=True)
        return _day(published.year, MONTHS[month], day)
    if (match := _MONTH_ONLY.match(words)) and len(words) > 3:
        if published is None:
            return Resolved(None, None, relative=True)
        return Resolved(f"{published.year}-{MONTHS[match[1]]:02d}", "month")
    return None


def _relative(words: str, published: Published | None) -> Resolved | None:
    year_offsets = {"last year": -1, "this year": 0, "next year": 1}
    month_offsets = {"last month": -1, "next month": 1}
    weekday = _WEEKDAY.match(words)
    if not (
        words in _RELATIVE_CURRENT_MONTH
        or words in year_offsets
        or words in month_offsets
        or weekday
        or words in ("next week",)
    ):
        return None
    future = words.startswith("next")
    if published is None:
        return Resolved(None, None, relative=True, future_hint=future)
    if words in year_offsets:
        return Resolved(f"{published.year + year_offsets[words]:04d}", "year", True, future)
    if words in month_offsets:
        return Resolved(published.month_text(month_offsets[words]), "month", True, future)
    if published.day is None:
        return Resolved(published.month_text(), "month", True, future)
    return _relative_day(words, published, weekday, future)


def _relative_day(words: str, published: Published, weekday: re.Match[str] | None, future: bool) -> Resolved:
    day = published.as_date()
    if words == "today":
        return Resolved(day.isoformat(), "day", True)
    if words == "yesterday":
        return Resolved((day - dt.timedelta(days=1)).isoformat(), "day", True)
    if weekday is not None:
        back = (day.weekday() - WEEKDAYS.index(weekday[1])) % 7
        return Resolved((day - dt.timedelta(days=back)).isoformat(), "day", True)
    if words in ("last week", "the past week", "past week"):
        return Resolved((day - dt.timedelta(days=7)).strftime("%Y-%m"), "month", True)
    if words == "next week":
        return Resolved((day + dt.timedelta(days=7)).strftime("%Y-%m"), "month", True, True)
    return Resolved(published.month_text(), "month", True)
