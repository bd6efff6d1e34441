"""The fact rules as spaCy components: registered, writing onto the Doc, extended by a project's cues."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from briefgen.config import EventCue, Gazetteer
from briefgen.errors import ConfigError
from briefgen.extract import Extractor
from briefgen.extract.components import RULE_COMPONENTS, facts_of
from briefgen.extract.paragraphs import TokenLines, sentence_of
from briefgen.facts import Actor, Document, Event, Location, Quote
from briefgen.project import load_project

TEXT = (
    "Gunmen ambushed a patrol near Niamey on 5 August 2025, killing 12 soldiers, Niger's army said. "
    '"We will hunt them down," Colonel Amadou Diallo, the army spokesman, told reporters.'
)
DOCUMENT = Document(id="d1", path="d1.md", text=TEXT, published="2025-08-06")


def test_rule_components_are_registered_factories_in_order(extractor: Extractor) -> None:
    for name in RULE_COMPONENTS:
        assert spacy.registry.factories.get(name)  # type: ignore[attr-defined]
    names = extractor.nlp.pipe_names
    assert names[names.index("ner") :] == ["ner", "briefgen_world", *RULE_COMPONENTS]


def test_facts_are_written_onto_the_doc_and_read_off_it(extractor: Extractor) -> None:
    doc = extractor.annotate(extractor.parse(TEXT), DOCUMENT)
    actors = {span.text: span._.fact for span in doc.spans["briefgen_actors"]}
    assert isinstance(actors["Amadou Diallo"], Actor) and actors["Amadou Diallo"].role == "army spokesman"
    places = {span.text: span.label_ for span in doc.spans["briefgen_places"]}
    assert places == {"Niamey": "city"}
    (event_span,) = doc.spans["briefgen_events"]
    assert isinstance(event_span._.fact, Event) and event_span.label_ == event_span._.fact.kind == "killing"
    assert event_span._.fact.date == "2025-08-05" and event_span.text.startswith("Gunmen ambushed")
    quotes = [span._.fact for span in doc.spans["briefgen_quotes"]]
    assert all(isinstance(quote, Quote) for quote in quotes)
    assert [quote.speaker_name for quote in quotes if quote.direct] == ["Amadou Diallo"]
    (figure,) = [span._.fact for span in doc.spans["briefgen_quantities"]]
    assert (figure.low, figure.subject) == (12, "soldiers")
    # the Doc's facts are the extractor's facts
    assert facts_of(doc) == next(extractor.extract([DOCUMENT]))


def test_a_span_shared_by_two_facts_keeps_each(extractor: Extractor) -> None:
    doc = extractor.annotate(extractor.parse("Niger ordered the troops out on 3 May 2025."), DOCUMENT)
    (actor,) = [span._.fact for span in doc.spans["briefgen_actors"] if span.text == "Niger"]
    (place,) = [span._.fact for span in doc.spans["briefgen_places"] if span.text == "Niger"]
    assert isinstance(actor, Actor) and isinstance(place, Location)


def test_event_cues_are_marked_on_tokens(extractor: Extractor) -> None:
    doc = extractor.annotate(extractor.parse("The troops pulled out of the base and militants ambushed them."),
                             DOCUMENT)
    assert {token.text: token._.event_cue for token in doc if token._.event_cue} == {
        "pulled": "withdrawal", "ambushed": "attack"
    }
    assert ("pulled out", "withdrawal") in {(span.text, span.label_) for span in doc.spans["briefgen_event_cues"]}


def test_a_project_adds_event_cues_as_words_or_token_patterns() -> None:
    text = "Pirates commandeered a tanker off Eyl on 3 May 2025. Gunmen seized control of Bosaso port on 4 May 2025."
    document = Document(id="d2", path="d2.md", text=text, published="2025-05-06")
    plain = next(Extractor(Gazetteer()).extract([document]))
    assert [event.kind for event in plain.events] == ["other", "other"]
    cues = [
        EventCue(label="piracy", pattern="commandeer"),
        EventCue(label="attack", pattern=[{"LEMMA": "seize"}, {"LOWER": "control"}]),
    ]
    extended = next(Extractor(Gazetteer(event_cues=cues)).extract([document]))
    assert [event.kind for event in extended.events] == ["piracy", "attack"]


def test_a_bad_cue_pattern_names_the_file_line_and_key(example_project: Path) -> None:
    path = example_project / "config/gazetteer.yaml"
    path.write_text(path.read_text() + "event_cues:\n  - label: attack\n    pattern: [{LEMMA: {FOO: seize}}]\n")
    with pytest.raises(ConfigError) as caught:
        load_project(example_project)
    (line,) = caught.value.lines
    assert line.startswith("config/gazetteer.yaml:") and "event_cues.0.pattern" in line
    assert "not a spaCy token pattern" in line


def test_a_cue_label_is_an_event_kind_name() -> None:
    with pytest.raises(ValueError, match="label"):
        EventCue(label="Attack!", pattern="storm")


def test_according_to_is_no_accord(extractor: Extractor) -> None:
    text = ("Air strikes on hideouts in Wadi Hauran killed 25 militants on 22 June, according to security officials. "
            "The two sides signed an accord on 3 May.")
    doc = extractor.annotate(extractor.parse(text), DOCUMENT)
    assert {token.text: token._.event_cue for token in doc if token._.event_cue} == {
        "strikes": "strike", "killed": "killing", "signed": "agreement", "accord": "agreement"}
    (strike, accord) = [span._.fact for span in doc.spans["briefgen_incidents"]]
    assert (strike.event_type, strike.sub_event_type) == ("Explosions/Remote violence", "Air/drone strike")
    assert accord.sub_event_type == "Agreement"


def test_sentence_bounds_read_once_a_doc_are_spacys(extractor: Extractor) -> None:
    text = ("MOSUL, Iraq -\nGunmen attacked a checkpoint on Monday. Two soldiers died.\n\n"
            "Researcher\nAhmed al-Yasseri said the cell had regrouped. \"We expected it,\" he said.")
    doc = extractor.parse(text)
    lines = TokenLines.of(doc)
    assert TokenLines.of(doc) is lines  # read once, kept on the Doc
    assert [lines.sentence(token.i) for token in doc] == [(token.sent.start, token.sent.end) for token in doc]
    assert lines.breaks_in == ["\n" in token.text for token in doc]
    assert sentence_of(doc[-3]).text == '"We expected it," he said.'
    assert all("\n" not in sentence_of(token).text.strip() for token in doc if not token.is_space)
