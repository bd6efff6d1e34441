"""`evaluate`: extraction from real spaCy runs scored against gold files written in tmp_path."""

from __future__ import annotations

import pytest

from briefgen.errors import ConfigError
from briefgen.evaluate import evaluate, load_gold

PERFECT = {"actors": 7, "roles": 2, "affiliations": 0, "places": 6, "quotes": 5, "events": 4, "quantities": 4}


def counts(report, category: str) -> tuple[int, int, int]:
    score = report.scores[category]
    return score.gold, score.found, score.matched


def test_perfect_gold_matches_every_fact(write_gold, golds, extractor) -> None:
    report = evaluate(write_gold(golds), extractor)
    for category, expected in PERFECT.items():
        assert counts(report, category) == (expected, expected, expected), category
    for name in ("speaker", "date", "planned", "subject"):
        assert report.accuracies[name].ratio == 1.0, name
    offsets = report.accuracies["offsets"]
    assert offsets.total > 20 and offsets.right == offsets.total
    assert report.years == 0 and report.passed and not report.skipped
    assert len(report.documents) == 2 and report.words == sum(document.words for document in report.documents)
    assert all(not (d.misses or d.false_positives or d.wrong) for d in report.documents)


def test_gold_published_dates_relative_expressions(write_gold, golds, extractor) -> None:
    (item,) = [item for item in load_gold(write_gold({"b": golds["b"]})).documents]
    assert item.document.published == "2025-03-12"
    report = evaluate(write_gold({"b": golds["b"]}), extractor)
    assert counts(report, "events") == (2, 2, 2)
    assert report.accuracies["date"].right == 2


def test_front_matter_published_wins_over_the_gold(write_gold, golds) -> None:
    golds["a"]["published"] = "2020-01"
    (item,) = load_gold(write_gold({"a": golds["a"]})).documents
    assert item.document.published == "2025-08-10"


def test_a_fact_missing_from_the_gold_lowers_precision(write_gold, golds, extractor) -> None:
    golds["a"]["actors"] = [a for a in golds["a"]["actors"] if a["name"] != "Joint Operations Command"]
    golds["a"]["quotes"] = [q for q in golds["a"]["quotes"] if q.get("speaker") != "Joint Operations Command"]
    golds["b"]["places"] = [{"name": "Kirkuk"}]
    report = evaluate(write_gold(golds), extractor)
    assert counts(report, "actors") == (6, 7, 6)
    assert counts(report, "places") == (5, 6, 5)
    assert report.scores["actors"].precision == pytest.approx(6 / 7)
    assert report.scores["actors"].recall == 1.0
    (first, second) = report.documents
    assert first.false_positives[0] == "actor: Joint Operations Command (organization)"
    assert second.false_positives == ["place: Hawija"]


def test_an_extra_gold_fact_lowers_recall(write_gold, golds, extractor) -> None:
    golds["a"]["places"].append({"name": "Mosul"})
    golds["a"]["quantities"].append({"text": "September 2025", "low": 2025, "high": 2025})
    report = evaluate(write_gold(golds), extractor)
    assert counts(report, "places") == (7, 6, 6)
    assert counts(report, "quantities") == (5, 4, 4)
    assert report.scores["places"].recall == pytest.approx(6 / 7)
    assert report.scores["places"].precision == 1.0
    assert report.documents[0].misses == ["place: Mosul", "quantity: “September 2025” = 2025"]


def test_a_wrong_speaker_lowers_speaker_accuracy(write_gold, golds, extractor) -> None:
    golds["a"]["quotes"][1]["speaker"] = "Joint Operations Command"
    report = evaluate(write_gold(golds), extractor)
    assert counts(report, "quotes") == (5, 5, 5)
    speaker = report.accuracies["speaker"]
    assert (speaker.right, speaker.total) == (4, 5)
    (line,) = report.documents[0].wrong
    assert line.startswith("speaker of “The cells are small but patient”: gold Joint Operations Command")


def test_a_date_at_another_precision_is_wrong(write_gold, golds, extractor) -> None:
    golds["a"]["events"][0]["date"] = "2025-08"
    report = evaluate(write_gold(golds), extractor)
    assert counts(report, "events") == (4, 4, 4)
    assert report.accuracies["date"].right == 3
    assert any(line.startswith("date of “Iraqi forces killed 12 ISIS militants”: gold 2025-08, found 2025-08-03")
               for line in report.documents[0].wrong)
    assert report.accuracies["date"].ratio == 0.75
    assert [target.label for target in report.failures()] == ["date accuracy"]


def test_targets_not_met_are_listed(write_gold, golds, extractor) -> None:
    golds["a"]["places"] += [{"name": "Mosul"}, {"name": "Tikrit"}, {"name": "Samarra"}]
    report = evaluate(write_gold(golds), extractor)
    assert [target.label for target in report.failures()] == ["places F1"]
    assert not report.passed


def test_a_missing_document_is_skipped_with_a_warning(write_gold, golds, extractor) -> None:
    golds["c"] = {"document": "../docs/absent.md", "places": [{"name": "Mosul"}]}
    gold = write_gold(golds)
    report = evaluate(gold, extractor)
    (line,) = report.skipped
    assert line.startswith(f"{gold / 'c.yaml'}: document ") and "absent.md not found; skipped" in line
    assert len(report.documents) == 2 and counts(report, "places") == (6, 6, 6)


def test_bad_gold_yaml_is_one_line_with_file_line_and_field(write_gold, golds) -> None:
    gold = write_gold({"a": golds["a"]})
    path = gold / "a.yaml"
    path.write_text(path.read_text().replace("kind: person", "kind: persn"))
    with pytest.raises(ConfigError) as raised:
        load_gold(gold)
    (line,) = raised.value.lines
    assert line.startswith(f"{path}:4:")
    assert "actors.0.kind: Input should be 'person' or 'organization'" in line


def test_unknown_gold_key_names_the_valid_ones(write_gold, golds) -> None:
    golds["a"]["quotes"][0]["who"] = "Omar Haddad"
    gold = write_gold({"a": golds["a"]})
    with pytest.raises(ConfigError) as raised:
        load_gold(gold)
    (line,) = raised.value.lines
    assert "quotes.0.who: unknown field 'who'; valid fields: text, speaker, direct" in line


def test_gold_text_not_in_the_document_names_the_field(write_gold, golds) -> None:
    golds["a"]["quotes"][1]["text"] = "The cells are big and impatient"
    golds["a"]["events"][1]["text"] = "Haddad"  # twice in the text
    gold = write_gold({"a": golds["a"]})
    with pytest.raises(ConfigError) as raised:
        load_gold(gold)
    quote, event = raised.value.lines
    assert quote.startswith(f"{gold / 'a.yaml'}:") and quote.split(":")[1].isdigit()
    assert "quotes[1].text: 'The cells are big and impatient' not found in the document's text" in quote
    assert "events[1].text: 'Haddad' found 2 times in the document's text; make it longer" in event


def test_a_speaker_must_be_a_gold_actor(write_gold, golds) -> None:
    golds["a"]["quotes"][0]["speaker"] = "Omar Hadad"
    with pytest.raises(ConfigError, match=r"quotes\[0\]\.speaker: 'Omar Hadad' is not the name or an alias"):
        load_gold(write_gold({"a": golds["a"]}))
