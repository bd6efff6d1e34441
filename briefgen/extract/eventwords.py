"""The word lists of event extraction and date resolution, read once from data/events.yaml."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from briefgen.extract.wordlists import word_lists


@dataclass(frozen=True)
class EventWords:
    """Cue words for event kinds, plans, backgrounds, page furniture and anaphoric dates."""

    kinds: dict[str, str]
    phrasal: dict[tuple[str, str], str]
    force_kinds: frozenset[str]
    force_words: frozenset[str]
    planned_words: frozenset[str]
    planned_before: tuple[str, ...]
    future_auxiliaries: frozenset[str]
    background_before: frozenset[str]
    described_after: frozenset[str]
    timestamp_labels: tuple[str, ...]
    credit_words: tuple[str, ...]
    same_date: tuple[str, ...]
    month_prepositions: frozenset[str]
    vague_counts: dict[str, tuple[int, int]]
    simultaneous_marks: frozenset[str]
    addressee_verbs: frozenset[str]
    frame_marks: frozenset[str]
    speech_nouns: frozenset[str]
    lasting_nouns: frozenset[str]
    attributions: frozenset[str]


@cache
def event_words() -> EventWords:
    """The vocabularies of data/events.yaml, loaded once."""
    data = word_lists("events")
    kinds = {word: kind for kind, words in data["kinds"].items() for word in words}
    return EventWords(
        kinds=kinds,
        phrasal={(first, second): kind for first, second, kind in data["phrasal"]},
        force_kinds=frozenset(data["force_kinds"]),
        force_words=frozenset(data["force_words"]),
        planned_words=frozenset(data["planned_words"]),
        planned_before=tuple(data["planned_before"]),
        future_auxiliaries=frozenset(data["future_auxiliaries"]),
        background_before=frozenset(data["background_before"]),
        described_after=frozenset(data["described_after"]),
        timestamp_labels=tuple(data["timestamp_labels"]),
        credit_words=tuple(data["credit_words"]),
        same_date=tuple(data["same_date"]),
        month_prepositions=frozenset(data["month_prepositions"]),
        vague_counts={words: (low, high) for words, (low, high) in data["vague_counts"].items()},
        simultaneous_marks=frozenset(data["simultaneous_marks"]),
        addressee_verbs=frozenset(data["addressee_verbs"]),
        frame_marks=frozenset(data["frame_marks"]),
        speech_nouns=frozenset(data["speech_nouns"]),
        lasting_nouns=frozenset(data["lasting_nouns"]),
        attributions=frozenset(data["attributions"]),
    )
