"""The word lists of event extraction and date resolution, read once from data/events.yaml."""

from __future__ import annotations

from functools import cache

from briefgen.extract.wordlists import WordLists, Words, load_words


class EventWords(WordLists):
    """Words of force movements, plans, backgrounds, page furniture and anaphoric dates (the cues of
    each event kind are Matcher patterns: data/patterns/event_cues.yaml)."""

    force_kinds: Words
    force_words: Words
    civilian_words: Words
    judging_verbs: Words
    plan_nouns: Words
    planned_words: Words
    planned_before: tuple[str, ...]
    future_auxiliaries: Words
    background_before: Words
    described_after: Words
    timestamp_labels: Words
    credit_words: tuple[str, ...]
    same_date: tuple[str, ...]
    month_prepositions: Words
    vague_counts: dict[str, tuple[int, int]]
    simultaneous_marks: Words
    addressee_verbs: Words
    frame_marks: Words
    speech_nouns: Words
    lasting_nouns: Words
    attributions: Words


@cache
def event_words() -> EventWords:
    """The vocabularies of data/events.yaml, loaded once."""
    return load_words("events", EventWords)
