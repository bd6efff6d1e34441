"""Speakers named by a pronoun or a description: "he said", "it added", "the ministry said", "the
statement said", "the official said". Each resolves to the nearest compatible actor named before it
(a person for he/she and role nouns, an organization for "it" and body nouns, the issuer for a
statement), or, for an unnamed source, to the description it was introduced with ("a military official").
The word lists are data: data/speakers.yaml.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from pydantic import Field
from spacy.tokens import Token

from briefgen.extract.index import EntityIndex
from briefgen.extract.rolewords import role_words
from briefgen.extract.wordlists import WordLists, Words, load_words
from briefgen.extract.world import world
from briefgen.extract.worldspans import vocabulary as world_vocabulary

MAX_CANDIDATES = 8  # earlier mentions weighed for one pronoun or description
MAX_LOOKBACK = 400  # tokens searched back for a statement's issuer or a description's first mention
MAX_AHEAD = 1500  # characters searched ahead for a pronoun's referent when none comes before
MAX_BEHIND = 4000  # characters searched back for a referent (keeps extraction linear in text length)
_SUBJECT_DEPS = {"nsubj", "nsubjpass"}
_DEFINITE = {"the", "this", "that", "these", "those"}
_DESCRIPTION_DEPS = {"amod", "compound", "nmod"}

Speaker = tuple[str | None, str]


class SpeakerWords(WordLists):
    """The lists of data/speakers.yaml, in lower case."""

    person_pronouns: Words
    organization_pronouns: Words
    organization_nouns: Words
    statement_nouns: Words
    fillers: Words = Field(alias="description_fillers")
    more_cues: Words = Field(alias="more_cue_verbs")
    channel_nouns: Words


@cache
def speaker_words() -> SpeakerWords:
    """The word lists of data/speakers.yaml, loaded once."""
    return load_words("speakers", SpeakerWords)


def description(head: Token) -> str:
    """An unnamed speaker as its head noun and modifiers, without articles, numbers or "same", nor
    what follows the head: "one diplomatic source in the region" -> "diplomatic source"."""
    fillers = speaker_words().fillers
    if head.lower_ in fillers or head.pos_ in ("NUM", "PRON"):  # "one of the officers"
        members = [grand for child in head.children if child.dep_ == "prep" and child.lower_ == "of"
                   for grand in child.children if grand.dep_ == "pobj"]
        if members:
            return description(members[0])
    words = [
        token for token in head.subtree
        if token.i <= head.i and (token.i == head.i or token.dep_ in _DESCRIPTION_DEPS)
        and token.lower_ not in fillers and token.pos_ not in ("DET", "NUM", "PUNCT")
    ]
    return " ".join(token.text for token in words) or head.text


def is_definite(subject: Token) -> bool:
    """Whether a noun is a definite description: "the ministry", "this statement"."""
    return any(child.dep_ == "det" and child.lower_ in _DEFINITE for child in subject.children)


def is_subject(token: Token) -> bool:
    """Whether a mention's last word heads a subject, through compounds ("Gen. Ali Hamdan said")."""
    while token.dep_ in ("compound", "flat") and token.head.i != token.i:
        token = token.head
    return token.dep_ in _SUBJECT_DEPS


class Resolver:
    """Resolves pronoun and description subjects of one document to earlier actors."""

    def __init__(self, index: EntityIndex, token_at: Callable[[int], Token], quoted: Callable[[int], bool]) -> None:
        self.index, self.token_at, self.quoted = index, token_at, quoted

    def resolve(self, subject: Token) -> Speaker | None:
        """The speaker a pronoun or definite description stands for; None when `subject` is neither
        (or names an actor itself: that is read elsewhere)."""
        words, lower = speaker_words(), subject.lower_
        if lower in words.person_pronouns:
            return self.antecedent(subject.idx, "person")
        if lower in words.organization_pronouns:
            return self.antecedent(subject.idx, "organization")
        if not is_definite(subject):
            return None
        noun = subject.lemma_.lower()
        if noun in words.statement_nouns:
            return self.issuer(subject)
        if noun in words.organization_nouns:
            return self.antecedent(subject.idx, "organization", noun)
        if noun in role_words().heads | role_words().more_heads:
            return self.antecedent(subject.idx, "person", noun) or self.introduced(subject)
        return None

    def antecedent(self, offset: int, kind: str, noun: str | None = None) -> Speaker | None:
        """The nearest earlier actor of `kind` outside quotations; with `noun`, one whose role (for a
        person) or name (for an organization) holds it, which a person must; a subject beats others."""
        candidates = []
        for start, end, actor_id, _text in self.index.mentions_back(max(offset - MAX_BEHIND, 0), offset):
            actor = self.index.actors[actor_id]
            if actor.kind != kind or self.quoted(start):
                continue
            candidates.append((start, end, actor_id))
            if len(candidates) >= MAX_CANDIDATES:
                break
        if not candidates and noun is None:
            candidates = self._after(offset, kind)
        # "the government said": a state's words, never an armed group's
        if noun is not None and noun in world_vocabulary().state_bodies:
            candidates = [c for c in candidates if self._is_state(c[2]) or noun in _words(self._label(c[2], kind))]
        subjects = [c for c in candidates if is_subject(self.token_at(c[1] - 1))]
        if noun is not None:
            named = [c for c in candidates if noun in _words(self._label(c[2], kind))]
            # "the group said" after "Al-Shabaab said": a body not named by the noun must have spoken
            candidates = named if named or kind == "person" else subjects
        chosen = next((c for c in candidates if c in subjects), None) or (candidates[0] if candidates else None)
        return (chosen[2], self.index.actors[chosen[2]].name) if chosen else None

    def _after(self, offset: int, kind: str) -> list[tuple[int, int, str]]:
        """The first actor of `kind` named after `offset`: a lead quote whose "he said" comes before
        any name refers ahead to the speaker named next."""
        for start, end, actor_id, _text in self.index.mentions_from(offset, offset + MAX_AHEAD):
            if self.index.actors[actor_id].kind == kind and not self.quoted(start):
                return [(start, end, actor_id)]
        return []

    def _is_state(self, actor_id: str) -> bool:
        """A country (or its capital) speaking as a state, or one of its institutions ("Mali's junta")."""
        actor, countries = self.index.actors[actor_id], world()
        return countries.country(actor.name) is not None or (
            actor.affiliation is not None and countries.country(actor.affiliation) is not None
        )

    def _label(self, actor_id: str, kind: str) -> str:
        actor = self.index.actors[actor_id]
        return (actor.role or "") if kind == "person" else actor.name

    def issuer(self, statement: Token) -> Speaker | None:
        """Who issued the statement a definite "the statement" refers to: an actor named in it ("the
        statement, signed by X"), else the speaker of the last earlier statement ("X said in a
        statement", "a statement from X", "X's statement"), else the organization named last."""
        doc, words = statement.doc, speaker_words()
        named = self.index.mentions_from(statement.idx, statement.right_edge.idx + len(statement.right_edge))
        if named:
            return named[0][2], self.index.actors[named[0][2]].name
        for index in range(statement.i - 1, max(statement.i - MAX_LOOKBACK, 0) - 1, -1):
            token = doc[index]
            if token.lemma_.lower() in words.statement_nouns and not self.quoted(token.idx):
                found = self._issuer_of(token)
                if found is not None:
                    return found
        return self.antecedent(statement.idx, "organization")

    def _issuer_of(self, statement: Token) -> Speaker | None:
        for child in statement.children:
            if child.dep_ == "poss" or (child.dep_ == "prep" and child.lower_ in ("from", "by", "of")):
                target = child if child.dep_ == "poss" else next(iter(child.children), None)
                found = self._actor_in(target) if target is not None else None
                if found:
                    return found
        verb = statement.head.head if statement.dep_ == "pobj" else statement.head
        subject = next((child for child in verb.children if child.dep_ in _SUBJECT_DEPS), None)
        if subject is None:  # the parser lost the subject of "..., X said in a statement"
            return self._last_actor(verb.sent.start_char, verb.idx)
        if subject.i == statement.i:
            return None
        return self._actor_in(subject) or self.resolve(subject)

    def _last_actor(self, start: int, end: int) -> Speaker | None:
        for span_start, _end, actor_id, _text in self.index.mentions_back(start, end):
            if not self.quoted(span_start):
                return actor_id, self.index.actors[actor_id].name
        return None

    def _actor_in(self, token: Token) -> Speaker | None:
        found = self.index.actor_at(token.left_edge.idx, token.idx + len(token))
        return (found[0], self.index.actors[found[0]].name) if found else None

    def introduced(self, subject: Token) -> Speaker:
        """An unnamed definite speaker ("the official") as the description it was introduced with
        earlier ("a military official"), else as its own."""
        doc, lemma = subject.doc, subject.lemma_
        for index in range(subject.i - 1, max(subject.i - MAX_LOOKBACK, 0) - 1, -1):
            token = doc[index]
            if token.lemma_ == lemma and token.pos_ == "NOUN" and not self.quoted(token.idx) and not is_definite(token):
                return None, description(token)
        return None, description(subject)


def _words(text: str) -> set[str]:
    return set(text.lower().replace("-", " ").split())
