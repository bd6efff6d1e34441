"""The scale benchmark's generated corpus (benchmarks/corpus.py): reproducible, readable as sources, and
full of what extraction looks for in real reporting."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from benchmarks.corpus import YEAR_DAYS, copies_of, generate, placed, story
from briefgen.extract import Extractor
from briefgen.ingest import read_sources

END = dt.date(2026, 11, 30)
SEED = 5


def _files(folder: Path) -> dict[str, str]:
    return {path.name: path.read_text(encoding="utf-8") for path in sorted(folder.iterdir())}


def test_same_seed_same_files_and_later_files_leave_earlier_ones_alone(tmp_path: Path) -> None:
    generate(tmp_path / "whole", 8, SEED, END)
    generate(tmp_path / "parts", 5, SEED, END)
    first_five = _files(tmp_path / "parts")
    generate(tmp_path / "parts", 3, SEED, END, start_index=5)
    assert _files(tmp_path / "parts") == _files(tmp_path / "whole")
    assert {name: text for name, text in _files(tmp_path / "parts").items() if name in first_five} == first_five
    generate(tmp_path / "other", 8, SEED + 1, END)
    assert set(_files(tmp_path / "other").values()).isdisjoint(_files(tmp_path / "whole").values())


def test_sources_ingest_cleanly_over_a_year_and_copies_share_their_story(tmp_path: Path) -> None:
    paths = generate(tmp_path, 40, SEED, END)
    result = read_sources(paths, tmp_path)
    assert result.skipped == [] and result.warnings == []
    documents = result.documents
    dates = sorted(dt.date.fromisoformat(document.published or "") for document in documents)
    assert END - dt.timedelta(days=YEAR_DAYS) <= dates[0] and dates[-1] <= END
    assert (dates[-1] - dates[0]).days > 180
    assert len({document.outlet for document in documents}) >= 6
    assert all(380 <= len(document.text.split()) <= 650 for document in documents)
    placement = placed(SEED, 39)
    told_twice = [index for index, (number, copy) in enumerate(placement) if copy == 1]
    assert told_twice and all(copies_of(SEED, placement[index][0]) >= 2 for index in told_twice)
    for index in told_twice:
        original, copy = (set(documents[i].text.split("\n\n")) for i in (index - 1, index))
        assert len(original & copy) / len(original | copy) >= 0.5, "a copy tells its story in mostly the same words"
        assert documents[index - 1].outlet != documents[index].outlet
    assert len({document.text for document in documents}) == len(documents)


def test_extraction_finds_the_officials_their_quotes_tolls_and_dates(tmp_path: Path, extractor: Extractor) -> None:
    paths = generate(tmp_path, 6, SEED, END)
    documents = read_sources(paths, tmp_path).documents
    placement = placed(SEED, 5)
    speakers_found = 0
    for document, facts in zip(documents, extractor.extract(documents, processes=1), strict=True):
        told = story(SEED, placement[documents.index(document)][0], END)
        people = {actor.name: actor for actor in facts.actors if actor.kind == "person"}
        assert any(actor.role for actor in people.values()), document.path
        assert any(quote.speaker_name in people for quote in facts.quotes), document.path
        assert any(event.date == told.day.isoformat() for event in facts.events), document.path
        counted = told.killed if told.kind == "attack" else told.count
        if told.kind != "politics":
            assert counted in {quantity.low for quantity in facts.quantities}, (document.path, counted)
        speaker = people.get(told.speaker.name)
        speakers_found += bool(speaker and speaker.role and any(
            quote.speaker_name == told.speaker.name for quote in facts.quotes))
    assert speakers_found >= 4, "the story's first speaker, with a role and a quote, in most accounts"
