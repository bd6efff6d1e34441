"""Grouping a brief's sources into stories: copies of one report together, other reports apart."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from briefgen.errors import ConfigError
from briefgen.facts import Document
from briefgen.project import load_project
from briefgen.stories import (
    DEFAULT_SIMILARITY,
    LEAD_WORDS,
    Grouping,
    Signatures,
    Story,
    group_stories,
    jaccard,
    lead_days,
    shingle_set,
)
from tests.projects import make_project

REPORT = [
    "Fighters stormed a police station in the river town of Kalamo before dawn on Monday, killing six "
    "officers and freeing about forty detainees, a regional official said.",
    "The attackers arrived in pickup trucks and set fire to the station's archive before withdrawing "
    "towards the hills east of the town, the official said.",
    "\u201cThey knew exactly which cells to open,\u201d said Mariam Osei, a trader whose shop faces the "
    "station. She said the shooting lasted about forty minutes.",
    "No group has claimed the raid. Officials blame a faction that split from the main rebel movement "
    "last year and has since attacked several prisons in the province.",
    "The interior ministry said security forces had recaptured eleven of the escaped detainees by "
    "Monday evening and that a curfew would be imposed in Kalamo.",
    "Aid agencies said the fighting had forced hundreds of families from villages along the river road "
    "in recent weeks, and that clinics were short of staff.",
]
REWRITE = [
    "Six police officers were killed and about forty detainees freed when fighters stormed a police "
    "station in the river town of Kalamo before dawn on Monday, a regional official said.",
    "The interior ministry said security forces had recaptured eleven of the escaped detainees by "
    "Monday evening. A curfew will be imposed in Kalamo, it added.",
    "\u201cThey knew exactly which cells to open,\u201d said trader Mariam Osei, whose shop faces the station.",
    "The attackers arrived in pickup trucks and set fire to the station's archive before withdrawing "
    "towards the hills east of the town.",
    "No group has claimed the raid. Officials blame a faction that split from the main rebel movement last year.",
]
DAY_LEAD = ("Fighters stormed a police station in the river town of Kalamo before dawn on 3 March, killing six "
            "officers and freeing about forty detainees, a regional official said.")
OTHER_DAY_LEAD = ("Fighters attacked the court house in the river town of Kalamo on March 17, wounding two guards and "
                  "burning the registry, a regional official said.")
FOLLOW_UP = [
    "Security forces in Kalamo said on Tuesday they had arrested nine people suspected of helping the "
    "fighters who raided the police station a day earlier, killing six officers.",
    "\u201cThey knew exactly which cells to open,\u201d Mariam Osei, a trader, had said of the raid. On "
    "Tuesday she said most shops in the town remained shut under the curfew.",
    "The regional governor visited the burned station and promised to rebuild it within three months. "
    "He said patrols on the river road would be doubled.",
    "Twenty-nine of the detainees freed in the raid were still at large, a police spokesman said, and "
    "their photographs had been sent to checkpoints across the province.",
]
SAME_TEMPLATE = [
    "Fighters attacked an army checkpoint near the market town of Dunbar before dawn on Thursday, killing "
    "three soldiers, a regional official said.",
    "The attackers arrived on motorcycles and burned two vehicles before withdrawing into the forest, "
    "the official said.",
    "No group has claimed the attack. The interior ministry said security forces had launched an "
    "operation in the area.",
]


def doc(doc_id: str, sentences: list[str], published: str, outlet: str | None = None) -> Document:
    """A document whose paragraphs are the sentences given."""
    return Document(id=doc_id, path=f"{doc_id}.md", text="\n\n".join(sentences), published=published,
                    outlet=outlet)


def copies() -> list[Document]:
    """The report, and the copies of it other outlets ran."""
    return [
        doc("original", REPORT, "2025-03-03", "Wire One"),
        doc("verbatim", ["KALAMO, March 3 (Wire One) - Station raided, detainees freed", *REPORT], "2025-03-04",
            "Morning Post"),
        doc("trimmed", REPORT[:4], "2025-03-04", "Evening Star"),
        doc("local", [*REPORT, "In our own province, the police said they had raised the alert level at "
                               "every station along the border and cancelled leave."], "2025-03-04", "Border Daily"),
        doc("rewrite", REWRITE, "2025-03-05", "Weekly Review"),
    ]


def grouped(stories: list[Story]) -> list[list[str]]:
    """The ids of each story's documents."""
    return [[document.id for document in story.documents] for story in stories]


def test_verbatim_trimmed_local_and_rewritten_copies_are_one_story_the_original_first() -> None:
    (story,) = group_stories(copies())
    assert story.original.id == "original" and story.id == "original"
    assert sorted(document.id for document in story.documents) == ["local", "original", "rewrite", "trimmed",
                                                                    "verbatim"]
    # Earliest published first; the longest first among those of one day.
    assert story.outlets == ["Wire One", "Border Daily", "Morning Post", "Evening Star", "Weekly Review"]


def test_a_follow_up_quoting_the_same_witness_and_a_same_template_report_are_stories_of_their_own() -> None:
    documents = [*copies(), doc("follow-up", FOLLOW_UP, "2025-03-04"), doc("template", SAME_TEMPLATE, "2025-03-06")]
    assert [story.id for story in group_stories(documents)] == ["original", "follow-up", "template"]


def test_two_short_reports_that_open_alike_are_two_stories_and_a_short_copy_is_one() -> None:
    army = "Gunmen attacked a border post near Menaka on 1 March 2025, killing four soldiers, the army said."
    official = ("Gunmen attacked a border post near Menaka on 1 March 2025, killing seven soldiers, a local "
                "official said.")
    alike = jaccard(shingle_set(army), shingle_set(official))
    assert DEFAULT_SIMILARITY < alike < 0.6  # alike in their lead, not copies
    documents = [doc("army", [army], "2025-03-02"), doc("official", [official], "2025-03-02"),
                 doc("reprint", [army], "2025-03-03")]
    assert grouped(group_stories(documents)) == [["official"], ["army", "reprint"]]


def test_stories_do_not_chain_through_a_middle_document() -> None:
    # b shares most of a's sentences, c most of b's new ones, and c nothing with a.
    words = [[f"w{number}x{index}" for index in range(10)] for number in range(20)]
    sentences = [" ".join(sentence) + "." for sentence in words]
    a = doc("a", sentences[0:8], "2025-01-01")
    b = doc("b", sentences[0:5] + sentences[8:11], "2025-01-02")
    c = doc("c", sentences[8:11] + sentences[11:16], "2025-01-03")
    shingles = {item.id: shingle_set(item.text) for item in (a, b, c)}
    assert jaccard(shingles["a"], shingles["b"]) > 0.4 and jaccard(shingles["b"], shingles["c"]) > 0.2
    assert grouped(group_stories([c, b, a], threshold=0.2)) == [["a", "b"], ["c"]]


def test_grouping_is_the_same_whatever_the_order_of_the_documents() -> None:
    documents = [*copies(), doc("follow-up", FOLLOW_UP, "2025-03-04"), doc("template", SAME_TEMPLATE, "2025-03-06")]
    expected = grouped(group_stories(documents))
    assert grouped(group_stories(list(reversed(documents)))) == expected
    assert grouped(group_stories(documents[3:] + documents[:3])) == expected


def test_case_quotes_and_dashes_do_not_tell_copies_apart() -> None:
    plain = "He said: \"it is over\" - the talks ended on Friday in the capital."
    typeset = "HE SAID: \u201cIT\u2019S OVER\u201d \u2014 THE TALKS ENDED ON FRIDAY IN THE CAPITAL!"
    assert shingle_set(plain.replace("it is", "it's")) == shingle_set(typeset)


def test_documents_without_words_are_stories_of_their_own() -> None:
    empty = [doc("one", [""], "2025-01-01"), doc("two", ["..."], "2025-01-01")]
    assert sorted(grouped(group_stories(empty))) == [["one"], ["two"]]


@pytest.mark.parametrize("threshold", [0.0, -0.1, 1.01])
def test_a_threshold_outside_zero_to_one_is_refused(threshold: float) -> None:
    with pytest.raises(ValueError, match="not between 0"):
        group_stories(copies(), threshold)


def test_the_default_threshold_separates_the_copies_from_the_other_reports() -> None:
    shingles = {item.id: shingle_set(item.text) for item in copies()}
    others = [shingle_set(item.text) for item in (doc("f", FOLLOW_UP, ""), doc("t", SAME_TEMPLATE, ""))]
    assert min(jaccard(shingles["original"], shingles[key]) for key in shingles) >= DEFAULT_SIMILARITY
    assert max(jaccard(shingles["original"], other) for other in others) < DEFAULT_SIMILARITY


@pytest.mark.parametrize(("value", "message"), [
    ("1.5", "stories.similarity: Input should be less than or equal to 1"),
    ("0", "stories.similarity: Input should be greater than 0"),
    ("high", "stories.similarity: Input should be a valid number"),
])
def test_the_similarity_setting_is_a_share_above_zero(tmp_path: Path, value: str, message: str) -> None:
    root = make_project(tmp_path, settings_extra=f"stories:\n  similarity: {value}\n")
    with pytest.raises(ConfigError) as caught:
        load_project(root)
    assert message in str(caught.value) and "briefgen.yaml:4" in str(caught.value)


def test_the_similarity_setting_defaults_to_the_measured_threshold(tmp_path: Path) -> None:
    assert load_project(make_project(tmp_path)).settings.stories.similarity == DEFAULT_SIMILARITY == 0.3
    custom = load_project(make_project(tmp_path / "custom", settings_extra="stories:\n  similarity: 0.6\n"))
    assert custom.settings.stories.similarity == 0.6


def test_signatures_kept_for_a_second_grouping_give_the_same_stories_and_follow_a_changed_text() -> None:
    documents = [*copies(), doc("follow-up", FOLLOW_UP, "2025-03-04"), doc("template", SAME_TEMPLATE, "2025-03-06")]
    signatures = Signatures()
    everything = grouped(group_stories(documents, signatures=signatures))
    assert everything == grouped(group_stories(documents))
    releasable = [document for document in documents if document.id != "original"]
    assert grouped(group_stories(releasable, signatures=signatures)) == grouped(group_stories(releasable))
    # The same id with another text (a source edited between two groupings) is signed again, not matched by id.
    edited = [doc("trimmed", FOLLOW_UP, "2025-03-04") if document.id == "trimmed" else document
              for document in documents]
    assert grouped(group_stories(edited, signatures=signatures)) == grouped(group_stories(edited))
    assert grouped(group_stories(edited)) != everything


def test_a_report_of_another_day_that_reuses_an_earlier_reports_paragraphs_is_a_story_of_its_own() -> None:
    # An agency's next report of a raid on Kalamo, with the same background and witness paragraphs: as alike to the
    # first as a copy, but its lead tells another day's news. A copy's lead that names no day joins either.
    first = doc("3 March", [DAY_LEAD, *REPORT[1:]], "2025-03-03")
    again = doc("17 March", [OTHER_DAY_LEAD, *REPORT[1:]], "2025-03-17")
    reprint = doc("reprint", ["KALAMO, Mar. 17th (Wire One) - Second raid in two weeks", OTHER_DAY_LEAD, *REPORT[1:]],
                  "2025-03-18")
    retold = doc("retold", REPORT, "2025-03-04")  # "before dawn on Monday": no day named
    assert jaccard(shingle_set(first.text), shingle_set(again.text)) > 0.6
    assert grouped(group_stories([again, reprint, first, retold])) == [["3 March", "retold"], ["17 March", "reprint"]]
    assert grouped(group_stories([again, reprint, retold])) == [["retold", "17 March", "reprint"]]


@pytest.mark.parametrize(("lead", "days"), [
    ("KALAMO, March 3 (Wire One) - Fighters stormed", {(3, 3)}),
    ("on the 3rd of March and on Sept. 21, after 4 May 2024", {(3, 3), (9, 21), (5, 4)}),
    ("in May 2025, before dawn on Monday, 40 March", set()),
    (" ".join(["word"] * LEAD_WORDS) + " on 3 March", set()),  # past the lead
])
def test_the_days_a_lead_names(lead: str, days: set[tuple[int, int]]) -> None:
    assert lead_days(lead) == days


def _documents() -> list[Document]:
    # The rewrite's copy names the day in its lead, and another day's report reuses the original's paragraphs: with
    # the original left out, the copies that name the day head the story and the other day's report stays apart.
    dated_rewrite = [REWRITE[0].replace("on Monday", "on Monday, 3 March"), *REWRITE[1:]]
    return [*copies(), doc("follow-up", FOLLOW_UP, "2025-03-04"), doc("template", SAME_TEMPLATE, "2025-03-06"),
            doc("rewrite-copy", dated_rewrite, "2025-03-07", "Reprint Weekly"), doc("short", REPORT[:1], "2025-03-08"),
            doc("another-day", [OTHER_DAY_LEAD, *REPORT[1:]], "2025-03-09")]


def test_grouping_fewer_documents_with_the_help_of_a_grouping_of_more_gives_the_same_stories() -> None:
    documents = _documents()
    signatures = Signatures()
    everything = group_stories(documents, signatures=signatures)
    assert any(len(story.documents) > 2 for story in everything)
    earlier = Grouping.of(everything, DEFAULT_SIMILARITY, signatures)
    # Every subset: left out, an original whose copies then group around the earliest of them, a copy, a
    # report no one copies; the stories are those grouping anew gives.
    for size in range(1, len(documents)):
        for chosen in itertools.combinations(documents, size):
            fresh = grouped(group_stories(list(chosen)))
            assert grouped(group_stories(list(chosen), signatures=signatures, earlier=earlier)) == fresh, \
                [document.id for document in chosen]


@pytest.mark.parametrize("share", [0.0, 1.0], ids=["lsh-index", "compared-at-once"])
def test_grouping_more_documents_with_the_help_of_a_grouping_of_fewer_gives_the_same_stories(
        monkeypatch: pytest.MonkeyPatch, share: float) -> None:
    # The next build's case: the last build's grouping, and sources added since (an earlier original among them).
    # The documents it cannot vouch for are looked up in the LSH index, or compared with every original's values
    # at once (what the index would propose): both give the stories of a fresh grouping.
    import briefgen.stories

    monkeypatch.setattr(briefgen.stories, "_LOOKED_UP_SHARE", share)
    documents = _documents()
    expected = grouped(group_stories(documents))
    for size in range(1, len(documents)):
        for chosen in itertools.combinations(documents, size):
            signatures = Signatures()
            earlier = Grouping.of(group_stories(list(chosen), signatures=signatures), DEFAULT_SIMILARITY, signatures)
            assert grouped(group_stories(documents, signatures=signatures, earlier=earlier)) == expected, \
                [document.id for document in chosen]


@pytest.mark.parametrize("change", ["text", "date"])
def test_a_document_changed_since_the_earlier_grouping_is_grouped_afresh(change: str) -> None:
    documents = _documents()
    signatures = Signatures()
    earlier = Grouping.of(group_stories(documents, signatures=signatures), DEFAULT_SIMILARITY, signatures)
    for position, before in enumerate(documents):
        # Edited into another report, or dated before every other: its copies and its own place change.
        after = (doc(before.id, SAME_TEMPLATE, before.published or "") if change == "text"
                 else Document(**{**before.__dict__, "published": "2025-03-01"}))
        changed = [*documents[:position], after, *documents[position + 1:]]
        assert grouped(group_stories(changed, signatures=signatures, earlier=earlier)) == \
            grouped(group_stories(changed)), before.id


def test_an_earlier_grouping_with_another_threshold_is_not_used() -> None:
    documents = _documents()
    signatures = Signatures()
    strict = Grouping.of(group_stories(documents, 0.9, signatures), 0.9, signatures)
    assert grouped(group_stories(documents, signatures=signatures, earlier=strict)) == grouped(group_stories(documents))
    assert strict.trusted(documents, DEFAULT_SIMILARITY, signatures) == {}


def test_remembered_signatures_are_not_made_again() -> None:
    documents = _documents()
    first = Signatures()
    expected = grouped(group_stories(documents, signatures=first))
    assert len(first.made) == len({document.text for document in documents})
    second = Signatures(first.made)
    assert grouped(group_stories(documents, signatures=second)) == expected
    assert second.made == {}


def test_a_regrouping_with_nothing_new_reads_no_text(monkeypatch: pytest.MonkeyPatch) -> None:
    # Everything is trusted from the earlier grouping: no document has a candidate to be compared with.
    import briefgen.stories

    documents = _documents()
    signatures = Signatures()
    expected = grouped(group_stories(documents, signatures=signatures))
    earlier = Grouping.of(group_stories(documents, signatures=signatures), DEFAULT_SIMILARITY, signatures)
    shingled: list[str] = []
    monkeypatch.setattr(briefgen.stories, "shingle_set", lambda text, *more: shingled.append(text) or set())
    assert grouped(group_stories(documents, signatures=signatures, earlier=earlier)) == expected
    assert shingled == []


def test_new_originals_are_proposed_exactly_as_the_lsh_index_proposes_them() -> None:
    from datasketch import MinHashLSH

    from briefgen.stories import PERMUTATIONS, _Values, minhash

    # Sets from alike to unlike (a shared core and some words of their own), so that some share a band and some not.
    sets = {f"set-{number}": {f"core {word}" for word in range(number % 7 * 10)} | {f"own {number} {word}" for word
                                                                                   in range(40)}
            for number in range(70)}  # past the first 64 rows: the matrix of values grows
    signatures = {key: minhash(shingles) for key, shingles in sets.items()}
    bands = (16, 6)  # 16 bands of 6 rows: 96 of the 128 values, as the index leaves the rest unused
    index, newcomers = MinHashLSH(num_perm=PERMUTATIONS, params=bands), _Values()
    for key, signature in signatures.items():
        index.insert(key, signature)
        newcomers.add(key, signature.hashvalues)
    proposals = [sorted(index.query(signature)) for signature in signatures.values()]
    assert any(1 < len(proposed) < len(sets) for proposed in proposals)
    assert proposals == [sorted(newcomers.sharing_a_band(signature.hashvalues, bands))
                         for signature in signatures.values()]


def test_hashed_shingle_sets_are_as_similar_as_the_sets() -> None:
    from briefgen.stories import hashed, hashed_jaccard

    sets = [shingle_set(item.text) for item in _documents()] + [set(), {"one shingle"}]
    for first, second in itertools.product(sets, repeat=2):
        assert hashed_jaccard(hashed(first), hashed(second)) == pytest.approx(jaccard(first, second), abs=1e-12)
    assert [len(hashed(item)) for item in sets] == [len(item) for item in sets]


def test_originals_compared_at_once_find_the_first_that_comparing_in_turn_finds() -> None:
    import random

    from briefgen.stories import _alike, _first_alike, hashed

    generator = random.Random(7)
    vocabulary = [f"shingle {number}" for number in range(300)]
    homes = 0
    for _ in range(300):
        words = [set(generator.sample(vocabulary, generator.choice([0, 5, 39, 40, 80, 150])))
                 for _ in range(generator.randrange(0, 12))]
        copied = sorted(generator.choice(words)) if words else []  # a document copying part of an original
        kept = generator.sample(copied, int(len(copied) * generator.random()))
        other = hashed(set(kept) | set(generator.sample(vocabulary, generator.choice([0, 10, 60]))))
        originals = [hashed(item) for item in words]
        for threshold in (0.1, DEFAULT_SIMILARITY, 0.5, 0.9):
            in_turn = next((number for number, original in enumerate(originals)
                            if _alike(original, other, threshold)), None)
            assert _first_alike(originals, other, threshold) == in_turn
            homes += in_turn is not None
    assert 50 < homes < 1100  # some documents find a home, some do not
