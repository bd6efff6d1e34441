"""Source grades on the Admiralty scale (NATO STANAG 2511): how far a source is trusted, and its information.

A grade is written as the source's reliability, a capital letter A–F, optionally followed at once by the
credibility of its information, a digit 1–6: `B2`, `C3`, or `B` alone (reliability judged, credibility not
assessed). Lower case is accepted and written in capitals (`b2` is `B2`); nothing else is: no space or
punctuation between the two (`B 2`, `B-2`), no credibility alone (`2`), no letter past F or digit past 6.

A document's grade comes from, most specific first: its own front matter (`grade:`), the brief's entry for
the source (when a brief lists it with a grade), the project's `grades:` by outlet (config/briefgen.yaml,
outlet names matched ignoring case and spacing). A source none of these grades is ungraded: never guessed.

Where sources give different values for the same thing, better grades come first (`Grade.rank`): A before B
... before F, then credibility 1 before 2 ... before 6, a grade without credibility after its letter's
graded ones, and ungraded sources last.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from briefgen.facts import Document

RELIABILITY = {
    "A": "Completely reliable", "B": "Usually reliable", "C": "Fairly reliable",
    "D": "Not usually reliable", "E": "Unreliable", "F": "Reliability cannot be judged",
}
CREDIBILITY = {
    1: "confirmed by other sources", 2: "probably true", 3: "possibly true",
    4: "doubtful", 5: "improbable", 6: "truth cannot be judged",
}
SYNTAX = "a reliability letter A–F, optionally followed by a credibility digit 1–6, e.g. B2 or B"
UNGRADED = "ungraded"
UNGRADED_MEANING = "No grade is set for this source"
KEY = ("Admiralty grading — reliability of the source: A completely reliable, B usually, C fairly, "
       "D not usually, E unreliable, F cannot be judged; credibility of the information: 1 confirmed, "
       "2 probably true, 3 possibly true, 4 doubtful, 5 improbable, 6 cannot be judged.")
_GRADE = re.compile(r"([A-Za-z])([0-9]?)")
_UNRANKED = (len(RELIABILITY), len(CREDIBILITY) + 1)


class GradeError(ValueError):
    """A value that is not a grade; the message says what is wrong with it in one line."""


@dataclass(frozen=True)
class Grade:
    """A source's reliability (A–F) and, when assessed, its information's credibility (1–6)."""

    reliability: str
    credibility: int | None = None

    @property
    def text(self) -> str:
        """The canonical form: 'B2', or 'B' when credibility is not assessed."""
        return self.reliability + (str(self.credibility) if self.credibility is not None else "")

    @property
    def meaning(self) -> str:
        """What the grade says in words: 'Usually reliable; probably true'."""
        credibility = CREDIBILITY[self.credibility] if self.credibility is not None else "credibility not assessed"
        return f"{RELIABILITY[self.reliability]}; {credibility}"

    @property
    def rank(self) -> tuple[int, int]:
        """Sort key, better grades first: reliability A..F, then credibility 1..6, unassessed last."""
        return list(RELIABILITY).index(self.reliability), self.credibility or len(CREDIBILITY) + 1

    def __str__(self) -> str:
        return self.text


def parse_grade(value: object) -> Grade:
    """A grade from its written form ('B2', 'B', 'b2'); GradeError saying what is wrong otherwise."""
    if isinstance(value, Grade):
        return value
    if not isinstance(value, str):
        raise GradeError(f"expected a grade, {SYNTAX}; got {_kind(value)}")
    text = value.strip()
    shown = text if len(text) <= 20 else text[:20] + "…"
    if not text:
        raise GradeError(f"empty grade; expected {SYNTAX}")
    if re.fullmatch(r"[A-Za-z]\W+[0-9]", text):
        raise GradeError(f"'{shown}': write the grade without a space or mark between letter and digit, "
                         f"e.g. {text[0].upper()}{text[-1]}")
    match = _GRADE.fullmatch(text)
    if match is None:
        raise GradeError(f"'{shown}' is not a grade; expected {SYNTAX}")
    letter, digit = match.group(1).upper(), match.group(2)
    if letter not in RELIABILITY:
        raise GradeError(f"'{shown}': reliability {letter} is not one of A–F")
    if digit and int(digit) not in CREDIBILITY:
        raise GradeError(f"'{shown}': credibility {digit} is not one of 1–6")
    return Grade(letter, int(digit) if digit else None)


def _kind(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"'{str(value).lower()}'"
    if isinstance(value, int | float):
        return f"the number {value} (a grade starts with its reliability letter)"
    return f"a {type(value).__name__}"


def outlet_key(outlet: str) -> str:
    """An outlet's name as grades are looked up: case and spacing ignored ('  reuters ' is 'Reuters')."""
    return " ".join(outlet.split()).casefold()


def grade_meaning(grade: str | None) -> str:
    """What a canonical grade ('B2'; None when ungraded) means, for hover text."""
    return parse_grade(grade).meaning if grade else UNGRADED_MEANING


def rank_of(grade: str | None) -> tuple[int, int]:
    """The sort key of a canonical grade (None when ungraded: after every grade)."""
    return parse_grade(grade).rank if grade else _UNRANKED


def best_rank(grades: Iterable[str | None]) -> tuple[int, int]:
    """The best (lowest) rank among some sources' grades; ungraded when there are none."""
    return min((rank_of(grade) for grade in grades), default=_UNRANKED)


def resolve_grade(document: Document, project_grades: Mapping[str, str | Grade],
                  entry_grade: str | Grade | None = None) -> Grade | None:
    """A document's grade, the most specific first: its front matter's, the brief entry's (`entry_grade`), the
    project's for its outlet (keys matched by `outlet_key`); None when ungraded.

    Raises GradeError when a grade given here is not one (configuration and front matter are validated when
    read, so a build never does).
    """
    if document.grade:
        return parse_grade(document.grade)
    if entry_grade is not None:
        return parse_grade(entry_grade)
    if not document.outlet:
        return None
    wanted = outlet_key(document.outlet)
    graded = next((grade for outlet, grade in project_grades.items() if outlet_key(outlet) == wanted), None)
    return parse_grade(graded) if graded is not None else None
