"""Admiralty grades: the written syntax, what a grade means, how grades sort and where a document's comes from."""

from __future__ import annotations

import pytest

from briefgen.facts import Document
from briefgen.grading import Grade, GradeError, best_rank, grade_meaning, parse_grade, rank_of, resolve_grade


@pytest.mark.parametrize(("written", "text", "credibility"), [
    ("B2", "B2", 2), ("b2", "B2", 2), ("  F6 ", "F6", 6), ("B", "B", None), ("a", "A", None),
])
def test_a_grade_is_a_letter_and_an_optional_digit(written: str, text: str, credibility: int | None) -> None:
    grade = parse_grade(written)
    assert (grade.text, grade.credibility) == (text, credibility)


@pytest.mark.parametrize(("value", "problem"), [
    ("B 2", "'B 2': write the grade without a space or mark between letter and digit, e.g. B2"),
    ("B-2", "'B-2': write the grade without a space or mark between letter and digit, e.g. B2"),
    ("G1", "'G1': reliability G is not one of A–F"),
    ("B7", "'B7': credibility 7 is not one of 1–6"),
    ("B0", "'B0': credibility 0 is not one of 1–6"),
    ("2", "'2' is not a grade; expected a reliability letter A–F, optionally followed by a credibility digit 1–6"),
    ("B22", "'B22' is not a grade"),
    ("2B", "'2B' is not a grade"),
    ("", "empty grade"),
    (2, "got the number 2 (a grade starts with its reliability letter)"),
    (None, "got nothing"),
    (True, "got 'true'"),
])
def test_a_value_that_is_not_a_grade_says_what_is_wrong(value: object, problem: str) -> None:
    with pytest.raises(GradeError) as caught:
        parse_grade(value)
    assert problem in str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_grade_means_its_reliability_and_credibility_in_words() -> None:
    assert parse_grade("B2").meaning == "Usually reliable; probably true"
    assert parse_grade("E5").meaning == "Unreliable; improbable"
    assert parse_grade("C").meaning == "Fairly reliable; credibility not assessed"
    assert grade_meaning(None) == "No grade is set for this source"


def test_better_grades_sort_first_and_ungraded_last() -> None:
    written = [None, "F6", "B", "A", "B6", "A1", "B1", "E1"]
    assert sorted(written, key=rank_of) == ["A1", "A", "B1", "B6", "B", "E1", "F6", None]
    assert best_rank(["D4", None, "B2"]) == rank_of("B2")
    assert best_rank([None]) == best_rank([]) == rank_of(None)


def source(outlet: str | None, grade: str | None = None) -> Document:
    return Document(id="d", path="sources/d.md", text="Text.", outlet=outlet, grade=grade)


PROJECT = {"Reuters": "B2", "Ministry of Defence": "C3"}


def test_the_sources_own_grade_wins_then_the_brief_entry_then_the_project() -> None:
    assert resolve_grade(source("Reuters", "A1"), PROJECT, entry_grade="E5") == Grade("A", 1)
    assert resolve_grade(source("Reuters"), PROJECT, entry_grade="E5") == Grade("E", 5)
    assert resolve_grade(source("Reuters"), PROJECT) == Grade("B", 2)


def test_outlets_are_matched_ignoring_case_and_spacing() -> None:
    assert resolve_grade(source("  ministry of   DEFENCE "), PROJECT) == Grade("C", 3)


def test_a_source_nothing_grades_is_ungraded_never_guessed() -> None:
    assert resolve_grade(source("Local Radio"), PROJECT) is None
    assert resolve_grade(source(None), PROJECT) is None
    assert resolve_grade(source("Reuters Africa"), PROJECT) is None


def test_a_bad_brief_entry_grade_is_refused() -> None:
    with pytest.raises(GradeError, match="reliability Z"):
        resolve_grade(source("Reuters"), PROJECT, entry_grade="Z1")
