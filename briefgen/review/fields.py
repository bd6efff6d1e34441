"""The fields an analyst may set on each kind of fact, and how a typed value is read from text.

Every value arrives as text (a command-line option, a form field, a YAML scalar) and is checked
here, once, for the command line, the review page and the corrections file alike.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from briefgen.config import INCIDENT_TYPES
from briefgen.facts import EVENT_KINDS

Parser = Callable[[str], Any]
PRECISIONS = ("year", "quarter", "month", "day")
ACTOR_KINDS = ("person", "organization")
PLACE_KINDS = ("city", "region", "facility", "country", "camp", "base", "other")
_NUMBER = r"\d[\d,]*(?:\.\d+)?"
_RANGE = re.compile(rf"^\s*({_NUMBER})\s*(?:(?:-|–|to)\s*({_NUMBER}))?\s*$")
MAX_TEXT = 500


def text(value: str) -> str:
    """A line of text: trimmed, not empty, at most MAX_TEXT characters, no control characters."""
    value = " ".join(str(value).split())
    if not value:
        raise ValueError("must not be empty")
    if len(value) > MAX_TEXT:
        raise ValueError(f"at most {MAX_TEXT} characters")
    return value


def optional_text(value: str) -> str | None:
    """Text, or nothing when given as empty or 'none'."""
    return None if str(value).strip().lower() in ("", "none", "null") else text(value)


def one_of(*choices: str) -> Parser:
    """A parser accepting exactly one of `choices`."""
    def parse(value: str) -> str:
        value = str(value).strip()
        if value not in choices:
            raise ValueError(f"'{value}' is not one of: {', '.join(choices)}")
        return value
    return parse


def iso_date(value: str) -> str:
    """A date as YYYY, YYYY-MM or YYYY-MM-DD that exists on the calendar."""
    value = str(value).strip()
    parts = value.split("-")
    if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value):
        raise ValueError(f"'{value}' is not a date as YYYY, YYYY-MM or YYYY-MM-DD")
    try:
        dt.date(int(parts[0]), int(parts[1]) if len(parts) > 1 else 1, int(parts[2]) if len(parts) > 2 else 1)
    except ValueError:
        raise ValueError(f"'{value}' is not a day of the calendar") from None
    return value


def value_range(value: str) -> tuple[float, float]:
    """A figure's value: '1,200' or a range '150-200' / '150–200' / '150 to 200'."""
    found = _RANGE.match(str(value))
    if not found:
        raise ValueError(f"'{value}' is not a number or a range such as 150-200")
    low = float(found.group(1).replace(",", ""))
    high = float(found.group(2).replace(",", "")) if found.group(2) else low
    if high < low:
        raise ValueError(f"'{value}': the range's end is below its start")
    return low, high


def flag(value: str) -> bool:
    """yes/no, true/false."""
    lowered = str(value).strip().lower()
    if lowered in ("yes", "true", "1", "on"):
        return True
    if lowered in ("no", "false", "0", "off"):
        return False
    raise ValueError(f"'{value}' is not yes or no")


# The fields each kind of fact may be given, with the parser of each.
EDITABLE: dict[str, dict[str, Parser]] = {
    "actor": {"name": text, "kind": one_of(*ACTOR_KINDS), "role": optional_text, "affiliation": optional_text},
    "place": {"name": text, "kind": one_of(*PLACE_KINDS), "country": optional_text},
    "quote": {"speaker": text, "text": text, "direct": flag, "disputed": flag},
    "event": {"date": iso_date, "precision": one_of(*PRECISIONS), "kind": one_of(*EVENT_KINDS), "what": text,
              "planned": flag, "place": text},
    "figure": {"value": value_range, "unit": optional_text, "subject": optional_text, "text": text},
    "incident": {"date": iso_date, "precision": one_of(*PRECISIONS), "event_type": one_of(*INCIDENT_TYPES),
                 "sub_event_type": text, "place": text, "fatalities": value_range, "agent": optional_text,
                 "target": optional_text, "what": text},
}
# What a fact added by hand must be given besides its document and sentence.
REQUIRED_TO_ADD: dict[str, tuple[str, ...]] = {
    "actor": ("name", "kind"),
    "quote": ("speaker",),
    "event": ("date", "kind"),
    "figure": ("value",),
}
ADDABLE = tuple(REQUIRED_TO_ADD)


def parse_fields(kind: str, given: dict[str, Any]) -> dict[str, Any]:
    """Check and convert the fields set on a fact of `kind`; ValueError names the first bad field."""
    allowed = EDITABLE[kind]
    parsed = {}
    for name, value in given.items():
        if name not in allowed:
            raise ValueError(f"a {kind} has no field '{name}'; its fields: {', '.join(allowed)}")
        if value is None:
            raise ValueError(f"{name}: give a value ('none' clears a field that may be empty)")
        try:
            parsed[name] = allowed[name](value if isinstance(value, str) else _scalar(value))
        except ValueError as error:
            raise ValueError(f"{name}: {error}") from None
    if "precision" in parsed and "date" in parsed:
        _check_precision(parsed["date"], parsed["precision"])
    return parsed


def precision_of(date: str) -> str:
    """The precision an ISO date is written to."""
    return ("year", "month", "day")[date.count("-")]


def _check_precision(date: str, precision: str) -> None:
    finest = precision_of(date)
    if PRECISIONS.index(precision) > PRECISIONS.index(finest):
        raise ValueError(f"precision: '{precision}' is finer than the date '{date}' gives")


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return str(value)
    raise ValueError(f"expected text, got {type(value).__name__}")
