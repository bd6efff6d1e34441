"""Linguistic lexicons of the fact rules, read once from data/lexicon.yaml (role heads and ranks from
data/roles.yaml): cue verbs of speech, place heads, news-organization words, clause words.

The lists are module constants, as the rule modules import them; their meaning is told beside each in
the data file.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator

from briefgen.extract.rolewords import PhraseSet, role_words
from briefgen.extract.wordlists import WordLists, Words, load_words


def _phrase_keys(value: Any) -> Any:
    """A mapping whose keys are phrases, with each key as a tuple of its words."""
    return {tuple(str(key).lower().split()): item for key, item in value.items()} if isinstance(value, dict) else value


class Lexicon(WordLists):
    """The lists of data/lexicon.yaml."""

    title_words: Words
    title_of_heads: Words
    place_heads: Annotated[dict[tuple[str, ...], str], BeforeValidator(_phrase_keys)]
    cue_verbs: Words
    disputed_cues: Words
    phrasal_cues: Annotated[dict[tuple[str, ...], str], BeforeValidator(_phrase_keys)]
    addressee_cues: Words
    content_object_cues: Words
    source_nouns: Words
    clause_only_cues: Words
    directive_cues: Words
    media_name_words: Words
    media_name_pairs: PhraseSet
    media_nouns: Words
    byline_cues: Words
    container_verbs: Words
    complementizers: Words
    conjunctions: Words
    particle_only_cues: Words
    locative_prepositions: Words
    place_nouns: Words


_LEXICON = load_words("lexicon", Lexicon)

ROLE_HEADS: frozenset[str] = role_words().heads
RANKS: frozenset[str] = role_words().rank_words
TITLE_WORDS = _LEXICON.title_words
TITLE_OF_HEADS = _LEXICON.title_of_heads
PLACE_HEADS = _LEXICON.place_heads
CUE_VERBS = _LEXICON.cue_verbs
DISPUTED_CUES = _LEXICON.disputed_cues
PHRASAL_CUES = _LEXICON.phrasal_cues
ADDRESSEE_CUES = _LEXICON.addressee_cues
CONTENT_OBJECT_CUES = _LEXICON.content_object_cues
SOURCE_NOUNS = _LEXICON.source_nouns
CLAUSE_ONLY_CUES = _LEXICON.clause_only_cues
DIRECTIVE_CUES = _LEXICON.directive_cues
MEDIA_NAME_WORDS = _LEXICON.media_name_words
MEDIA_NAME_PAIRS = _LEXICON.media_name_pairs
MEDIA_NOUNS = _LEXICON.media_nouns
BYLINE_CUES = _LEXICON.byline_cues
CONTAINER_VERBS = _LEXICON.container_verbs
COMPLEMENTIZERS = _LEXICON.complementizers
CONJUNCTIONS = _LEXICON.conjunctions
PARTICLE_ONLY_CUES = _LEXICON.particle_only_cues
LOCATIVE_PREPOSITIONS = _LEXICON.locative_prepositions
PLACE_NOUNS = _LEXICON.place_nouns
