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
- A month or month-day without a year ("July 26", "in November", "last December", "March last
  year") takes its year from the clause's tense: in the past, the latest such date not after
  publication; in the future, the first not before it; with no tense, the past, unless it falls
  within two months after publication.
- A stretch counted from publication ("three months ago", "over the past six months", "in the
  coming days", "a three-week-old offensive") gives the finest date holding all of it, never finer
  than its unit, and no date when it runs over a year's end ("the past year" in July).
- Words that count from another date ("two years later") are moved from it by `shift`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from briefgen.extract.eventwords import event_words
from briefgen.extract.quantities import NUMBER_WORDS

Tense = Literal["past", "future"] | None

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
_SEASON = r"(?:the\s+)?(?:summer|winter|spring|autumn|fall)(?:\s+of)?"
_QUALIFIER = (
    r"(?:(?:early|mid|late|the end of|end of|the start of|start of|the beginning of|beginning of"
    r"|the middle of|middle of|(?:the\s+)?(?:first|second|third|fourth|last|final)\s+week\s+of|"
    + _SEASON + r")[\s-]*)?"
)
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"((?:19|20)\d\d)"
_WHICH_YEAR = r"(last|this|next)\s+year"
_UNIT = r"(day|week|month|year)s?"

_MONTH_DAY_YEAR = re.compile(rf"^{_QUALIFIER}{_MONTH}\s+{_DAY},?\s+{_YEAR}$")
_DAY_MONTH_YEAR = re.compile(rf"^{_DAY}\s+{_MONTH},?\s+{_YEAR}$")
_MONTH_YEAR = re.compile(rf"^{_QUALIFIER}{_MONTH},?\s+(?:of\s+)?{_YEAR}$")
_MONTH_DAY = re.compile(rf"^{_MONTH}\s+{_DAY}$")
_DAY_MONTH = re.compile(rf"^{_DAY}\s+(?:of\s+)?{_MONTH}$")
_YEAR_ONLY = re.compile(
    rf"^(?:{_QUALIFIER}|(?:the\s+)?(?:first|second|third|fourth)\s+quarter\s+of\s+|q[1-4]\s+)?{_YEAR}$"
)
_MONTH_ONLY = re.compile(rf"^{_QUALIFIER}{_MONTH}$")
_MONTH_OF_WHICH_YEAR = re.compile(rf"^{_QUALIFIER}{_MONTH}(?:\s+{_DAY})?,?\s+(?:of\s+)?{_WHICH_YEAR}$")
_LAST_OR_NEXT_MONTH = re.compile(rf"^(last|next|this\s+past|this\s+coming)\s+{_MONTH}$")
_WHICH_YEAR_ONLY = re.compile(rf"^{_QUALIFIER}(?:earlier\s+|later\s+)?{_WHICH_YEAR}$")
_WEEKDAY = re.compile(r"^(?:on\s+|last\s+|this\s+(?:past\s+)?)?(" + "|".join(WEEKDAYS) + r")$")
_LEADING_WEEKDAY = re.compile(r"^(?:on\s+)?(?:" + "|".join(WEEKDAYS) + r"),?\s+(?=\S)")
_COUNT = r"(\d+|[a-z]+(?:\s+(?:few|of))?)"
_AGO = re.compile(rf"^{_COUNT}\s+{_UNIT}\s+ago$")
AGE = re.compile(rf"^(?:an?\s+)?{_COUNT}\s*-\s*{_UNIT}\s*-\s*old$")  # "a three-week-old offensive" began then
_PAST_SPAN = re.compile(rf"^(?:over\s+|in\s+|during\s+|within\s+)?(?:the\s+)?(?:last|past)\s+(?:{_COUNT}\s+)?{_UNIT}$")
_COMING_SPAN = re.compile(rf"^(?:over\s+|in\s+|during\s+|within\s+)?(?:the\s+)?coming\s+(?:{_COUNT}\s+)?{_UNIT}$")
_RECENT = re.compile(r"^(?:in\s+)?(?:the\s+)?recent\s+(days|weeks)$")
_SHIFT = re.compile(rf"^{_COUNT}\s+{_UNIT}\s+(later|after|afterwards|on|earlier|before)$")
# Spans that come without a count: "in the coming days" is up to a week, "recent weeks" one to three.
_UNCOUNTED = {"day": (1, 7), "week": (1, 4), "month": (1, 6), "year": (1, 3)}
_RECENT_DAYS = {"days": (-7, -1), "weeks": (-21, -7)}
_RELATIVE_CURRENT_MONTH = {
    "this week",
    "last week",
    "earlier this month",
    "later this month",
    "this month",
    "the past week",
    "past week",
    "earlier this week",
    "later this week",
    "earlier in the week",
    "later in the week",
}
_TODAY = {
    "today",
    "earlier today",
    "later today",
    "this morning",
    "early this morning",
    "earlier this morning",
    "this afternoon",
    "this evening",
    "tonight",
}
NEAR_FUTURE_DAYS = 62  # a month and day with no tense this far after publication still fall in its year
# Characters of an ISO date at each precision.
_WIDTH = {"day": 10, "month": 7, "year": 4}

# Dates the model may not label: relative words and explicit month-year forms.
CANDIDATES = re.compile(
    r"\b(?:(?:earlier\s+|later\s+)?this\s+(?:week|month|year)|last\s+(?:week|month|year)|next\s+(?:week|month|year)"
    r"|(?:earlier|later)\s+in\s+the\s+week|(?:early\s+|earlier\s+)?this\s+morning"
    r"|in\s+recent\s+(?:days|weeks)|(?:in|over)\s+the\s+coming\s+(?:days|weeks|months)"
    r"|(?:over|in|during)\s+the\s+(?:last|past)\s+(?:\w+\s+)?(?:days|weeks|months|years)"
    r"|at\s+(?:the|that)\s+time|by\s+then|at\s+that\s+point|[a-z0-9]+-(?:day|week|month|year)-old"
    r"|on\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
    r"|(?:(?:last|next)\s+|\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?)?(?:January|February|March|April|May|June|July"
    r"|August|September|October|November|December)(?:\s+\d{1,2}(?:st|nd|rd|th)?)?"
    r"(?:,?\s+(?:19|20)\d\d|\s+(?:of\s+)?(?:last|this|next)\s+year)?"
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


def _day(year: int | str, month: int, day: int | str, relative: bool = False) -> Resolved:
    """A day-precision date, or its month when the month has no such day."""
    if not is_date(int(year), month, int(day)):
        return Resolved(f"{int(year):04d}-{month:02d}", "month", relative)
    return Resolved(f"{int(year):04d}-{month:02d}-{int(day):02d}", "day", relative)


def normalise(text: str) -> str:
    """Lower case, single spaces, no leading article or trailing possessive."""
    text = re.sub(r"\s+", " ", text.lower().replace("’", "'")).strip()
    text = re.sub(r"'s$", "", text)
    return re.sub(r"^(?:the|in|by|on the) ", "", text) if not text.startswith("the same") else text


def resolve(
    text: str, published: Published | None, tense: Tense = None, month_cue: bool = False
) -> Resolved | None:
    """Resolve a date expression; None when it is not a date (durations, vague spans).

    `tense` ("past", "future" or None) picks the year of a month or day given without one, and the
    direction of a bare weekday; `month_cue` says a preposition stands before the words, so that a
    bare "May" is the month and not the modal verb."""
    words = normalise(text)
    if (without_weekday := _LEADING_WEEKDAY.sub("", words)) != words:
        explicit = _explicit(without_weekday, published, tense, month_cue)
        if explicit is not None:  # "Friday, 12 January": the date, not the weekday
            return explicit
    explicit = _explicit(words, published, tense, month_cue)
    if explicit is not None:
        return explicit
    return _relative(words, published, tense)


def _explicit(words: str, published: Published | None, tense: Tense, month_cue: bool) -> Resolved | None:
    if match := _MONTH_DAY_YEAR.match(words):
        return _day(match[3], MONTHS[match[1]], match[2])
    if match := _DAY_MONTH_YEAR.match(words):
        return _day(match[3], MONTHS[match[2]], match[1])
    if match := _MONTH_YEAR.match(words):
        return Resolved(f"{match[2]}-{MONTHS[match[1]]:02d}", "month")
    if match := _YEAR_ONLY.match(words):
        return Resolved(match[1], "year")
    return _month_without_year(words, published, tense, month_cue)


def _month_without_year(
    words: str, published: Published | None, tense: Tense, month_cue: bool
) -> Resolved | None:
    """A month (and day) whose year the text leaves to the reader: "July 26", "last December",
    "March last year", "in May"."""
    if (match := _MONTH_DAY.match(words)) or (match := _DAY_MONTH.match(words)):
        month, day = (match[1], match[2]) if match.re is _MONTH_DAY else (match[2], match[1])
        if published is None:
            return Resolved(None, None, relative=True)
        return _day(_year_of(MONTHS[month], int(day), published, tense), MONTHS[month], day, relative=True)
    if (match := _MONTH_OF_WHICH_YEAR.match(words)) and match[2]:  # "June 16 of this year"
        month_number, month_year = _month_and_year(words, published, tense, month_cue)
        if month_year is None:
            return Resolved(None, None, relative=True)
        return _day(month_year, MONTHS[match[1]], match[2], relative=True)
    month_number, month_year = _month_and_year(words, published, tense, month_cue)
    if month_number is None:
        return None
    if month_year is None:
        return Resolved(None, None, relative=True)
    return Resolved(f"{month_year:04d}-{month_number:02d}", "month", relative=True)


def _month_and_year(
    words: str, published: Published | None, tense: Tense, month_cue: bool
) -> tuple[int | None, int | None]:
    """The month named without a year, and the year it falls in (None without a publication date)."""
    if match := _MONTH_OF_WHICH_YEAR.match(words):
        month = MONTHS[match[1]]
        offset = {"last": -1, "this": 0, "next": 1}[match[3]]
        return month, None if published is None else published.year + offset
    if match := _LAST_OR_NEXT_MONTH.match(words):
        month = MONTHS[match[2]]
        if published is None:
            return month, None
        forward = match[1] in ("next", "this coming")
        year = published.year + (month <= published.month if forward else -(month >= published.month))
        return month, year
    if (match := _MONTH_ONLY.match(words)) and (len(words) > 3 or month_cue):
        month = MONTHS[match[1]]
        return month, None if published is None else _year_of(month, None, published, tense)
    return None, None


def _year_of(month: int, day: int | None, published: Published, tense: Tense) -> int:
    """The year of a month (and day) given without one: in the future, the first not before
    publication; in the past, the latest not after it; with no tense, the past too, unless the date
    falls within a couple of months after publication (then it is the publication year's)."""
    key = (month, day or 0) if published.day and day else (month,)
    now = (published.month, published.day or 0) if published.day and day else (published.month,)
    if tense == "future":
        return published.year + (key < now)
    if tense is None and key > now:
        ahead = (_safe_date(published.year, month, day or 1) - published.as_date()).days
        return published.year - (ahead > NEAR_FUTURE_DAYS)
    return published.year - (key > now)


def _safe_date(year: int, month: int, day: int) -> dt.date:
    """A calendar date, with a day past the month's end moved back to the month's last day."""
    while not is_date(year, month, day):
        day -= 1
    return dt.date(year, month, day)


_MONTH_OFFSETS = {"last month": -1, "next month": 1}


def _relative(words: str, published: Published | None, tense: Tense) -> Resolved | None:
    year_offset = _year_offset(words)
    weekday = _WEEKDAY.match(words)
    if year_offset is None and weekday is None and not _named_relative(words):
        return _span_date(words, published)
    future = words.startswith("next") or (weekday is not None and tense == "future")
    if published is None:
        return Resolved(None, None, relative=True, future_hint=future)
    if year_offset is not None:
        return Resolved(f"{published.year + year_offset:04d}", "year", True, future)
    if words in _MONTH_OFFSETS:
        return Resolved(published.month_text(_MONTH_OFFSETS[words]), "month", True, future)
    if published.day is None:
        return Resolved(published.month_text(), "month", True, future)
    return _relative_day(words, published, weekday, future)


def _named_relative(words: str) -> bool:
    """ "today", "yesterday", "this week", "last month", "next week" ..."""
    return (
        words in _RELATIVE_CURRENT_MONTH or words in _TODAY or words in _MONTH_OFFSETS
        or words in ("yesterday", "next week")
    )


def _span_date(words: str, published: Published | None) -> Resolved | None:
    """ "three months ago", "over the past six months", "in the coming days"; None for other words."""
    span = _span(words)
    if span is None:
        return None
    return _offset_range(published, *span) if published else Resolved(None, None, relative=True)


def _year_offset(words: str) -> int | None:
    """-1, 0 or 1 for "last year", "earlier this year", "the end of last year", "next year"."""
    match = _WHICH_YEAR_ONLY.match(words)
    return {"last": -1, "this": 0, "next": 1}[match[1]] if match else None


def _count(words: str | None, default: tuple[int, int]) -> tuple[int, int] | None:
    """A count of time units as (fewest, most): "three" (3, 3), "several" (3, 7), none: `default`."""
    if words is None:
        return default
    if words.isdigit():
        return int(words), int(words)
    if words in ("a", "an", "one"):
        return 1, 1
    vague = event_words().vague_counts.get(words)
    if vague is not None:
        return vague
    value = NUMBER_WORDS.get(words)
    return (value, value) if value else None


def _span(words: str) -> tuple[int, int, str] | None:
    """A stretch of time counted from publication, as (low, high, unit) offsets: "three months ago"
    (-3, -3, month), "over the past six months" (-6, 0, month), "in the coming days" (0, 7, day)."""
    if match := _RECENT.match(words):
        return (*_RECENT_DAYS[match[1]], "day")
    for pattern, sign in ((_AGO, -1), (AGE, -1), (_PAST_SPAN, -1), (_COMING_SPAN, 1)):
        match = pattern.match(words)
        if match is None:
            continue
        counted = _count(match[1], _UNCOUNTED[match[2]] if pattern is not _PAST_SPAN else (1, 1))
        if counted is None:
            return None
        low, high = counted
        if pattern in (_AGO, AGE):
            return -high, -low, match[2]
        return (-high, 0, match[2]) if sign < 0 else (0, high, match[2])
    return None


def shift(previous: Resolved, text: str) -> Resolved | None:
    """ "two years later", "three months earlier": the previous date moved by that much, at the
    precision of the unit; None when the words are no such shift or the previous date is too coarse."""
    match = _SHIFT.match(normalise(text))
    if match is None or previous.date is None:
        return None
    counted = _count(match[1], (1, 1))
    unit, sign = match[2], (-1 if match[3] in ("earlier", "before") else 1)
    if counted is None or len(previous.date) < _WIDTH[_precision_of(unit)]:
        return None
    base = dt.date(*(int(part) for part in (previous.date + "-01-01")[:10].split("-")))
    ends = [_add(base, sign * count, unit) for count in counted]
    resolved = _common(ends, _precision_of(unit))
    return Resolved(resolved.date, resolved.precision, True) if resolved else None


def _precision_of(unit: str) -> str:
    return {"day": "day", "week": "month", "month": "month", "year": "year"}[unit]


def _add(day: dt.date, count: int, unit: str) -> dt.date:
    """`day` moved by `count` units (months and years keep the day where the month has it)."""
    if unit in ("day", "week"):
        return day + dt.timedelta(days=count * (7 if unit == "week" else 1))
    months = count * (12 if unit == "year" else 1)
    index = day.year * 12 + day.month - 1 + months
    return _safe_date(index // 12, index % 12 + 1, day.day)


def _offset_range(published: Published, low: int, high: int, unit: str) -> Resolved | None:
    """The finest date that holds every day between the two offsets from publication (never finer
    than the publication date or the unit): None when the stretch runs over a year's end."""
    precision = _precision_of(unit)
    if published.day is None and precision == "day":
        precision = "month"
    reference = published.as_date()
    resolved = _common([_add(reference, low, unit), _add(reference, high, unit)], precision)
    return Resolved(resolved.date, resolved.precision, True, low >= 0 < high) if resolved else None


def _common(ends: list[dt.date], precision: str) -> Resolved | None:
    """The finest ISO date, at most `precision`, that all `ends` share; None when not even the year."""
    for level in ("day", "month", "year"):
        if _WIDTH[level] > _WIDTH[precision]:
            continue
        texts = {end.isoformat()[: _WIDTH[level]] for end in ends}
        if len(texts) == 1:
            return Resolved(texts.pop(), level)
    return None


def _relative_day(words: str, published: Published, weekday: re.Match[str] | None, future: bool) -> Resolved:
    day = published.as_date()
    if words in _TODAY:
        return Resolved(day.isoformat(), "day", True)
    if words == "yesterday":
        return Resolved((day - dt.timedelta(days=1)).isoformat(), "day", True)
    if weekday is not None:
        target = WEEKDAYS.index(weekday[1])
        step = (target - day.weekday()) % 7 if future else -((day.weekday() - target) % 7)
        return Resolved((day + dt.timedelta(days=step)).isoformat(), "day", True, future)
    if words in ("last week", "the past week", "past week"):
        return Resolved((day - dt.timedelta(days=7)).strftime("%Y-%m"), "month", True)
    if words == "next week":
        return Resolved((day + dt.timedelta(days=7)).strftime("%Y-%m"), "month", True, True)
    return Resolved(published.month_text(), "month", True)
