"""Restatements: a report that tells an occurrence again is not a second event.

Two events restate each other when their dates agree (equal, or one a coarser form of the other) and
their clauses share most content words (at least half of the shorter clause's, and two or more). The
event kept is the one with the finer date, then the fuller clause, then the earlier one. A clause that
says nothing besides its date ("This will happen in the coming days") restates an earlier event with
an agreeing date.
"""

from __future__ import annotations

import re

from spacy.lang.en.stop_words import STOP_WORDS

from briefgen.extract.dates import MONTHS, WEEKDAYS
from briefgen.facts import Event

MERGE_REACH = 30  # earlier events compared with each new one: keeps merging linear in the text
MIN_SHARED = 2
MIN_SHARE = 0.5
EMPTY_CLAUSE = 1  # content words (besides the date's) of a clause that only repeats an earlier one's date
_WORD = re.compile(r"[a-z0-9][a-z0-9'’-]*")
_DATE_WORDS = frozenset(MONTHS) | frozenset(WEEKDAYS)


def content_words(text: str) -> frozenset[str]:
    """The clause's words that carry content: no stop words, dates or short words; plurals folded."""
    words = set()
    for word in _WORD.findall(text.lower()):
        if len(word) < 3 or word in STOP_WORDS or word in _DATE_WORDS:
            continue
        words.add(word[:-1] if word.endswith("s") and len(word) > 4 else word)
    return frozenset(words)


def merge_restatements(events: list[Event]) -> list[Event]:
    """The events without restatements (see the module docstring), in their original order."""
    kept: list[tuple[Event, frozenset[str]]] = []
    told = [content_words(event.what) - content_words(event.date_text or "") for event in events]
    for position, (event, words) in enumerate(zip(events, told, strict=True)):
        window = range(max(0, len(kept) - MERGE_REACH), len(kept))
        if len(words) <= EMPTY_CLAUSE and (any(_agree(kept[i][0], event) for i in window)
                                           or _told_next(events, told, position)):
            continue  # "This will happen in the coming days", "Two days later, on 15 October, ...": only a date
        same = next((i for i in window if restates(kept[i][0], kept[i][1], event, words)), None)
        if same is None:
            kept.append((event, words))
        elif _better(event, kept[same][0]):
            kept[same] = (event, words)
    return sorted((event for event, _ in kept), key=lambda event: event.start)


def _told_next(events: list[Event], told: list[frozenset[str]], position: int) -> bool:
    """The next event has the same date and says something: "Two days later, [on 15 October, a force
    arrested ...]"."""
    following = position + 1
    return (following < len(events) and len(told[following]) > EMPTY_CLAUSE
            and _agree(events[position], events[following]))


def restates(first: Event, first_words: frozenset[str], second: Event, second_words: frozenset[str]) -> bool:
    """Whether two events tell the same occurrence: agreeing dates and mostly shared content words."""
    if first.date is None or second.date is None or not _dates_agree(first.date, second.date):
        return False
    shared = len(first_words & second_words)
    shorter = min(len(first_words), len(second_words))
    return shared >= MIN_SHARED and shared >= MIN_SHARE * shorter


def _agree(first: Event, second: Event) -> bool:
    return first.date is not None and second.date is not None and _dates_agree(first.date, second.date)


def _dates_agree(first: str, second: str) -> bool:
    return first == second or first.startswith(second + "-") or second.startswith(first + "-")


def _better(candidate: Event, incumbent: Event) -> bool:
    """The finer date wins; at equal dates, the longer clause."""
    if len(candidate.date or "") != len(incumbent.date or ""):
        return len(candidate.date or "") > len(incumbent.date or "")
    return len(candidate.what) > len(incumbent.what)
