"""Event cues: the words that say what kind of event a clause tells, marked on the Doc by a Matcher.

The patterns are data: briefgen's own in data/patterns/event_cues.yaml, a project's added from its
gazetteer (`event_cues:`). The `briefgen_event_cues` component (registered in components.py) writes:

- `Token._.event_cue`: the kind of the longest cue that starts at the token (the first listed on a tie);
- `doc.spans["briefgen_event_cues"]`: every cue span, labelled with its kind.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

import yaml
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span, Token

from briefgen.extract.wordlists import DATA

SPANS_KEY = "briefgen_event_cues"
PATTERNS = DATA / "patterns" / "event_cues.yaml"
if not Token.has_extension("event_cue"):
    Token.set_extension("event_cue", default=None)


@cache
def _shipped() -> dict[str, Any]:
    """data/patterns/event_cues.yaml, read once."""
    data: dict[str, Any] = yaml.safe_load(PATTERNS.read_text(encoding="utf-8"))
    return data


def shipped_patterns() -> tuple[dict[str, Any], ...]:
    """briefgen's own cue patterns (data/patterns/event_cues.yaml)."""
    return tuple(_shipped()["patterns"])


@cache
def not_cues() -> dict[str, tuple[tuple[str, ...], ...]]:
    """The phrases none of whose words is a cue (data/patterns/event_cues.yaml `not_cues`), as word tuples by their
    first word."""
    phrases: dict[str, list[tuple[str, ...]]] = {}
    for phrase in _shipped().get("not_cues", []):
        words = tuple(str(phrase).lower().split())
        phrases.setdefault(words[0], []).append(words)
    return {first: tuple(group) for first, group in phrases.items()}


def token_patterns(pattern: str | list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Matcher token patterns for one cue pattern: a token pattern as it is; a word or phrase as two, its
    words matched by lemma ("hijacked" for "hijack") and as written."""
    if not isinstance(pattern, str):
        return [pattern]
    words = pattern.lower().replace("-", " - ").split()
    return [[{"LEMMA": word} for word in words], [{"LOWER": word} for word in words]]


class EventCues:
    """The `briefgen_event_cues` component: a Matcher over the shipped patterns, plus any added.

    A one-token pattern on LEMMA or LOWER alone (a word, or `{IN: [...]}`) is looked up in a table
    instead: the same matches, without the Matcher's per-token work for each of them.
    """

    def __init__(self, nlp: Language) -> None:
        self.matcher = Matcher(nlp.vocab, validate=True)
        self.labels: list[str] = []  # match id -> kind; a lower id was listed first
        self.words: dict[str, dict[str, int]] = {"LEMMA": {}, "LOWER": {}}  # word -> order of its first pattern
        self.add_patterns(shipped_patterns())

    def add_patterns(self, patterns: Iterable[Mapping[str, Any]]) -> None:
        """Add cue patterns, each a mapping with a `label` (the event kind) and a `pattern`."""
        for entry in patterns:
            order = len(self.labels)
            self.labels.append(str(entry["label"]))
            complex_patterns = []
            for pattern in token_patterns(entry["pattern"]):
                plain = plain_words(pattern)
                if plain is None:
                    complex_patterns.append(pattern)
                    continue
                for word in plain[1]:
                    self.words[plain[0]].setdefault(word, order)
            if complex_patterns:
                self.matcher.add(str(order), complex_patterns)

    def __call__(self, doc: Doc) -> Doc:
        matches = [(int(doc.vocab.strings[match_id]), start, end) for match_id, start, end in self.matcher(doc)]
        matches += self._word_matches(doc)
        if blocked := _in_not_cues(doc):
            matches = [match for match in matches if match[1] not in blocked]
        best: dict[int, tuple[int, int]] = {}  # start -> (end, order)
        spans = []
        for order, start, end in sorted(matches, key=lambda match: (match[1], match[0])):
            spans.append(Span(doc, start, end, label=self.labels[order]))
            held = best.get(start)
            if held is None or (end, -order) > (held[0], -held[1]):
                best[start] = (end, order)
        for start, (_end, order) in best.items():
            doc[start]._.event_cue = self.labels[order]
        doc.spans[SPANS_KEY] = spans
        return doc

    def _word_matches(self, doc: Doc) -> list[tuple[int, int, int]]:
        """(order, start, end) of each one-word pattern a token matches, by lemma or as written."""
        by_lemma, by_lower = self.words["LEMMA"], self.words["LOWER"]
        found: list[tuple[int, int, int]] = []
        for token in doc:
            orders = {by_lemma.get(token.lemma_), by_lower.get(token.lower_)}
            found += [(order, token.i, token.i + 1) for order in orders if order is not None]
        return found


def _in_not_cues(doc: Doc) -> set[int]:
    """The tokens of the Doc's `not_cues` phrases."""
    phrases, blocked = not_cues(), set[int]()
    for token in doc:
        for words in phrases.get(token.lower_, ()):
            end = token.i + len(words)
            if end <= len(doc) and tuple(word.lower_ for word in doc[token.i : end]) == words:
                blocked.update(range(token.i, end))
    return blocked


def plain_words(pattern: list[dict[str, Any]]) -> tuple[str, frozenset[str]] | None:
    """("LEMMA" or "LOWER", the words) of a one-token pattern that only compares one of them with words;
    None for any other pattern."""
    if len(pattern) != 1 or len(pattern[0]) != 1:
        return None
    ((attribute, value),) = pattern[0].items()
    if attribute not in ("LEMMA", "LOWER"):
        return None
    if isinstance(value, str):
        return attribute, frozenset([value])
    if isinstance(value, dict) and set(value) == {"IN"} and all(isinstance(word, str) for word in value["IN"]):
        return attribute, frozenset(value["IN"])
    return None
