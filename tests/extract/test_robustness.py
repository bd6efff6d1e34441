"""Hostile input: long documents, impossible dates, absurd figures, documents whose extraction fails."""

from __future__ import annotations

import math
import time

import pytest
from spacy.tokens import Doc

from briefgen.extract import Extractor
from briefgen.extract.dates import Published, resolve
from briefgen.extract.offsets import doc_text, find_each
from briefgen.extract.pieces import PIECE_CHARS, split_text
from briefgen.extract.quantities import MAX_VALUE, parse_bounds
from briefgen.facts import Document, DocumentFacts
from tests.extract.conftest import assert_offsets
from tests.extract.prose import prose


def test_split_text_joins_back_and_prefers_paragraph_breaks() -> None:
    text = prose(1_200_000)
    pieces = split_text(text)
    assert "".join(pieces) == text
    assert all(len(piece) <= PIECE_CHARS for piece in pieces)
    assert all(piece.endswith("\n\n") for piece in pieces[:-1])


@pytest.mark.parametrize(
    ("text", "ending"),
    [("One sentence here. " * 3000, "here. "), ("word " * 10000, "word "), ("x" * 70000, "x")],
)
def test_split_text_falls_back_for_one_long_paragraph(text: str, ending: str) -> None:
    pieces = split_text(text)
    assert "".join(pieces) == text and len(pieces) > 1
    assert all(len(piece) <= PIECE_CHARS and piece.endswith(ending) for piece in pieces)


def test_pieces_tokenize_like_the_whole_text(extractor: Extractor) -> None:
    text = prose(3 * PIECE_CHARS)
    doc = extractor.parse(text)
    assert doc.text == text
    assert [token.text for token in doc] == [token.text for token in extractor.nlp.make_doc(text)]


def test_long_document_extracts_with_valid_offsets(extractor: Extractor) -> None:
    text = prose(300_000, seed=11)
    document = Document(id="long", path="long.txt", text=text, published="2025-06-15")
    doc = extractor.parse(text)
    assert doc.text == text and doc_text(doc) == text
    facts = extractor.facts(doc, document)
    assert len(facts.actors) > 20 and len(facts.events) > 100 and len(facts.quantities) > 100
    assert_offsets(document, facts)
    for actor in facts.actors:  # each mention reads back one of the actor's names, or its surname
        names = {actor.name, *actor.aliases}
        names |= {name.split()[-1] for name in names}
        assert all(text[mention.start : mention.end] in names for mention in actor.mentions), actor.name
    assert any(entity.start_char > 2 * PIECE_CHARS for entity in doc.ents)


def test_document_over_max_length_through_extract(extractor: Extractor, monkeypatch: pytest.MonkeyPatch) -> None:
    text = prose(2 * PIECE_CHARS + 5000, seed=3)
    monkeypatch.setattr(extractor.nlp, "max_length", 2 * PIECE_CHARS)  # parsed whole, the text raises E088
    document = Document(id="mid", path="mid.txt", text=text, published="2025-06")
    facts = next(extractor.extract([document]))
    assert facts.doc == "mid" and max(event.start for event in facts.events) > 2 * PIECE_CHARS
    assert_offsets(document, facts)


def test_impossible_days_keep_their_month() -> None:
    published = Published.parse("2025-03-10")
    for words, expected in [
        ("31 February 2026", "2026-02"),
        ("February 29, 2023", "2023-02"),
        ("0 May 2020", "2020-05"),
        ("April 31", "2025-04"),
        ("31st of June", "2024-06"),  # no tense, months after publication: the last June before it
    ]:
        resolved = resolve(words, published)
        assert (resolved.date, resolved.precision) == (expected, "month"), words
    assert resolve("February 29, 2024", published).date == "2024-02-29"


@pytest.mark.parametrize("value", ["0000-01-01", "2025-02-30", "2025-13", "2025-00", "0001-01-01", "9999-12-31"])
def test_impossible_publication_dates_are_ignored(value: str) -> None:
    assert Published.parse(value) is None
    for words in ("yesterday", "last week", "on Monday", "next year", "last month", "March 3"):
        resolve(words, Published.parse(value))


def test_extreme_publication_years_resolve() -> None:
    for value in ("0002-01-01", "9998-12-31"):
        published = Published.parse(value)
        assert published is not None
        for words in ("yesterday", "last week", "next week", "on Sunday", "next year", "last month"):
            assert resolve(words, published) is not None


def test_impossible_date_in_text_is_stored_as_its_month(run) -> None:
    document, facts = run("The ceasefire ends on 31 February 2026, the council said.", "2025-08-01")
    event = next(event for event in facts.events if "31 February" in (event.date_text or ""))
    assert (event.date, event.precision) == ("2026-02", "month")
    assert_offsets(document, facts)


@pytest.mark.parametrize(
    "text", ["1" * 400, "1,000,000,000,000,001", "between 1 and " + "9" * 30, "a billion billion", "1" * 5000]
)
def test_absurd_figures_are_no_quantity(text: str) -> None:
    assert parse_bounds(text) is None


def test_long_runs_of_digits_parse_quickly() -> None:
    started = time.perf_counter()
    for text in ("1" + ",000" * 50_000, "9" * 200_000, "1.5 " * 50_000):
        parse_bounds(text)
    assert time.perf_counter() - started < 1


def test_largest_sane_figure_stays() -> None:
    assert parse_bounds("999,999,999,999,999") == (999_999_999_999_999, 999_999_999_999_999, False)
    assert parse_bounds("1 billion") == (1e9, 1e9, False)


def test_huge_number_in_text_gives_only_finite_quantities(run) -> None:
    text = f"Officials counted {'7' * 400} fighters and 250 trucks near the border. Code {'3' * 2000} was read."
    document, facts = run(text, "2025-08")
    assert any(quantity.low == 250 for quantity in facts.quantities)
    assert all(math.isfinite(q.low) and math.isfinite(q.high) and q.high <= MAX_VALUE for q in facts.quantities)
    assert_offsets(document, facts)


def test_find_each_matches_finditer() -> None:
    import re

    text = "Haddad met al-Hassan and Al-Hassan; haddad-x Haddadi HADDAD. JOC, JOCS and (JOC) JO. Abdi-Karim, Abdi."
    words = {
        "Haddad": ("Hh", re.compile(r"\b[Hh]addad\b")),
        "Abdi": ("Aa", re.compile(r"\b[Aa]bdi\b")),
        "Abdi-Karim": ("Aa", re.compile(r"\b[Aa]bdi\-Karim\b")),
        "al-Hassan": ("Aa", re.compile(r"\b[Aa]l\-Hassan\b")),
        "JOC": ("J", re.compile(r"\bJOC\b")),
        "JO": ("J", re.compile(r"\bJO\b")),
    }
    found = find_each(text, words)
    for word, (_, pattern) in words.items():
        assert found[word] == [match.span() for match in pattern.finditer(text)], word


def _documents() -> list[Document]:
    return [
        Document(id=f"d{number}", path=f"d{number}.txt", text=prose(1500, seed=number), published="2025-05-02")
        for number in range(3)
    ]


def test_failed_document_is_reported_and_skipped(extractor: Extractor, monkeypatch: pytest.MonkeyPatch) -> None:
    facts_of = extractor.facts

    def failing(doc: Doc, document: Document) -> DocumentFacts:
        if document.id == "d1":
            raise ValueError("no facts here\nsecond line")
        return facts_of(doc, document)

    monkeypatch.setattr(extractor, "facts", failing)
    reported: list[tuple[str, str]] = []
    facts = list(extractor.extract(_documents(), on_failure=lambda d, reason: reported.append((d.id, reason))))
    assert [f.doc for f in facts] == ["d0", "d2"]
    assert reported == [("d1", "extraction failed: ValueError: no facts here second line")]
    with pytest.raises(ValueError, match="no facts here"):
        list(extractor.extract(_documents()))


def test_failed_parse_is_reported_and_skipped(extractor: Extractor, monkeypatch: pytest.MonkeyPatch) -> None:
    parse_batch = extractor._parse_batch

    def failing(batch: list[Document]) -> list[Doc]:
        if any(document.id == "d2" for document in batch):
            raise RuntimeError("parser broke")
        return parse_batch(batch)

    monkeypatch.setattr(extractor, "_parse_batch", failing)
    reported: list[str] = []
    facts = list(extractor.extract(_documents(), on_failure=lambda d, reason: reported.append(d.id + ": " + reason)))
    assert [f.doc for f in facts] == ["d0", "d1"]
    assert reported == ["d2: extraction failed: RuntimeError: parser broke"]
