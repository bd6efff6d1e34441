"""The matching rules of benchmarks/gold/README.md, on hand-written facts (no extraction)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from briefgen.evaluate import GoldDocument, load_gold, score_document
from briefgen.facts import Actor, DocumentFacts, Event, Location, Mention, Quantity, Quote

TEXT = ("Security analyst Omar Haddad warned that ISIS cells are regrouping in the Hamrin Mountains. "
        "The group held Mosul in 2014, when its commander Abu Yasir led about 300 fighters.")
GOLD = {
    "document": "doc.txt",
    "actors": [
        {"name": "Omar Haddad", "kind": "person", "aliases": ["Haddad"], "role": "security analyst"},
        {"name": "Islamic State", "kind": "organization", "aliases": ["ISIS"]},
        {"name": "Abu Yasir", "kind": "person", "role": "commander", "affiliation": "ISIS"},
    ],
    "places": [{"name": "Hamrin Mountains"}, {"name": "Mosul"}],
    "quotes": [{"text": "ISIS cells are regrouping in the Hamrin Mountains", "speaker": "Omar Haddad"}],
    "events": [{"text": "The group held Mosul", "date": "2014"}],
    "quantities": [{"text": "about 300", "low": 300, "high": 300, "subject": "fighters"}],
}


def load(folder: Path, data: dict) -> GoldDocument:
    (folder / "doc.txt").write_text(TEXT, encoding="utf-8")
    (folder / "doc.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    (item,) = load_gold(folder).documents
    assert item.document.text == TEXT
    return item


@pytest.fixture
def gold(tmp_path: Path) -> GoldDocument:
    return load(tmp_path, GOLD)


def at(phrase: str) -> tuple[int, int]:
    start = TEXT.index(phrase)
    return start, start + len(phrase)


def mention(phrase: str) -> Mention:
    return Mention("d", *at(phrase))


def actor(name: str, kind: str = "person", phrases: tuple[str, ...] = (), **fields: object) -> Actor:
    return Actor(id=name.lower().replace(" ", "-"), name=name, kind=kind,  # type: ignore[arg-type]
                 mentions=[mention(phrase) for phrase in phrases], **fields)  # type: ignore[arg-type]


def quote(phrase: str, speaker: str | None = "omar-haddad") -> Quote:
    return Quote(f"q{phrase}", speaker, "Omar Haddad" if speaker else None, phrase, "d", *at(phrase))


def event(phrase: str, date: str | None, date_text: str | None = "2014") -> Event:
    return Event(f"e{phrase}", date, date_text, "other", phrase, "d", *at(phrase))


def quantity(phrase: str, low: float, subject: str | None = None) -> Quantity:
    return Quantity(f"n{phrase}", phrase, low, low, "d", *at(phrase), subject=subject)


def test_names_ignore_case_hyphens_apostrophes_and_a_leading_the(gold) -> None:
    actors = [actor("the islamic-state", "organization"), actor("OMAR HADDAD", "organization")]
    places = [Location("m", "mosul", "city"), Location("h", "Hamrin", "region", mentions=[mention("Hamrin Mountains")])]
    facts = DocumentFacts("d", actors=actors, locations=places)
    result = score_document(gold, facts)
    assert (result.scores["actors"].gold, result.scores["actors"].found, result.scores["actors"].matched) == (3, 2, 1)
    assert "actor: OMAR HADDAD (organization)" in result.false_positives  # kinds must agree
    assert result.scores["places"].matched == 2


def test_each_gold_fact_pairs_with_one_extracted_fact(gold) -> None:
    facts = DocumentFacts("d", quotes=[
        quote("ISIS cells are regrouping"),  # overlaps the gold by more than half of itself
        quote("ISIS cells are regrouping in the Hamrin Mountains. The group"),  # the better overlap
        quote("Mountains. The group held Mosul"),  # shares "Mountains", less than half of the shorter
    ])
    result = score_document(gold, facts)
    score = result.scores["quotes"]
    assert (score.gold, score.found, score.matched) == (1, 3, 1)
    assert result.false_positives == ["quote: “ISIS cells are regrouping”", "quote: “Mountains. The group held Mosul”"]
    assert result.accuracies["speaker"].ratio == 1.0
    alone = score_document(gold, DocumentFacts("d", quotes=[quote("Mountains. The group held Mosul")]))
    assert alone.scores["quotes"].matched == 0


def test_events_prefer_the_pair_with_the_right_date(gold) -> None:
    facts = DocumentFacts("d", events=[
        event("The group held Mosul in", "2014-06"),  # the closer span, but the wrong date
        event("The group held Mosul in 2014, when its commander", "2014"),
        event("The group held Mosul", None, None),  # undated: not counted
    ])
    result = score_document(gold, facts)
    assert (result.scores["events"].found, result.scores["events"].matched) == (2, 1)
    assert result.accuracies["date"].ratio == 1.0
    assert result.false_positives == ["event: 2014-06 “The group held Mosul in”"]


def test_quantities_need_both_bounds_and_years_are_counted(gold) -> None:
    facts = DocumentFacts("d", quantities=[
        quantity("300", 30), quantity("about 300", 300, "Fighters"), quantity("2014", 2014),
    ])
    result = score_document(gold, facts)
    assert (result.scores["quantities"].found, result.scores["quantities"].matched) == (3, 1)
    assert result.accuracies["subject"].ratio == 1.0
    assert result.years == 1
    wrong_bounds = score_document(gold, DocumentFacts("d", quantities=[quantity("about 300", 30)]))
    assert wrong_bounds.scores["quantities"].matched == 0


def test_a_subject_without_the_gold_word_is_wrong(gold) -> None:
    result = score_document(gold, DocumentFacts("d", quantities=[quantity("about 300", 300, "fighter groups")]))
    assert result.accuracies["subject"].ratio == 0.0
    assert result.wrong == ["subject of “about 300”: gold fighters, found fighter groups"]


def test_roles_and_affiliations_match_by_word_overlap(gold) -> None:
    facts = DocumentFacts("d", actors=[
        actor("Omar Haddad", phrases=("Omar Haddad",), role="analyst"),  # word F1 2/3
        actor("Abu Yasir", phrases=("Abu Yasir",), role="spokesman", affiliation="Islamic State"),
        actor("Islamic State", "organization", ("ISIS",), aliases=["ISIS"]),
    ])
    result = score_document(gold, facts)
    assert (result.scores["roles"].gold, result.scores["roles"].found, result.scores["roles"].matched) == (2, 2, 1)
    assert "role: commander (Abu Yasir)" in result.misses and "role: spokesman (Abu Yasir)" in result.false_positives
    assert result.scores["affiliations"].matched == 1  # "ISIS" names the actor Islamic State


def test_offsets_must_read_back(gold) -> None:
    start, end = at("ISIS cells are regrouping in the Hamrin Mountains")
    facts = DocumentFacts(
        "d",
        actors=[actor("Omar Haddad", phrases=("Omar Haddad", "Haddad", "warned"))],
        locations=[Location("hamrin-mountains", "Hamrin Mountains", "region", mentions=[mention("Hamrin")])],
        quotes=[Quote("q", None, None, TEXT[start:end], "d", start + 1, end + 1)],
        events=[event("The group held Mosul in 2014", "2014"), event("The group held Mosul", "2014")],
        quantities=[quantity("about 300", 300)],
    )
    result = score_document(gold, facts)
    offsets = result.accuracies["offsets"]
    assert (offsets.right, offsets.total) == (5, 8)  # "warned", the shifted quote, the event without its date
    assert [line for line in result.wrong if line.startswith("offsets")] == [
        "offsets 29–35 read “warned”, expected “Omar Haddad”",
        "offsets 42–91 read “SIS cells are regrouping in the Hamrin Mountains.”, expected “ISIS cells are "
        "regrouping in the Hamrin Mountains”",
        "offsets 92–112 read “The group held Mosul”, expected “2014”",
    ]


def test_a_quote_without_a_named_speaker_must_name_no_actor(tmp_path: Path) -> None:
    data = {**GOLD, "quotes": [{"text": "ISIS cells are regrouping in the Hamrin Mountains", "speaker": None}]}
    item = load(tmp_path, data)
    nobody = score_document(item, DocumentFacts("d", quotes=[quote("ISIS cells are regrouping", None)]))
    haddad = score_document(item, DocumentFacts("d", quotes=[quote("ISIS cells are regrouping")]))
    assert nobody.accuracies["speaker"].ratio == 1.0
    assert haddad.accuracies["speaker"].ratio == 0.0


def test_empty_sections_and_unquoted_dates_are_read(tmp_path: Path) -> None:
    (tmp_path / "doc.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "doc.yaml").write_text(
        "document: doc.txt\npublished: 2025-08-04\nquotes:\nevents:\n  - text: The group held Mosul\n"
        "    date: 2014\n  - text: when its commander\n    date: 2014-06-10\n", encoding="utf-8")
    (item,) = load_gold(tmp_path).documents
    assert item.gold.quotes == [] and [event.date for event in item.gold.events] == ["2014", "2014-06-10"]
    assert item.document.published == "2025-08-04"
