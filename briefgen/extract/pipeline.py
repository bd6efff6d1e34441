"""The spaCy pipeline: the small English model plus an entity ruler fed from the gazetteer.

The ruler runs before the statistical NER so that known names win. Every ruler
pattern carries the slug of the canonical name as its `id`, read back through
`Span.ent_id_`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache

from spacy.language import Language
from spacy.symbols import ORTH
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc

from briefgen.config import Gazetteer, KnownActor, KnownPlace
from briefgen.extract import worldspans  # noqa: F401 - registers the briefgen_world factory
from briefgen.extract.model import load_pipeline
from briefgen.extract.rolewords import role_words

PLACE_LABELS = {
    "country": "GPE",
    "city": "GPE",
    "region": "LOC",
    "other": "LOC",
    "facility": "FAC",
    "base": "FAC",
    "camp": "FAC",
}
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "–": "-", "—": "-"})
_NON_SLUG = re.compile(r"[^a-z0-9]+")
_LEADING_AL = re.compile(r"\b(?:al|el|as|ad|ar)-", re.IGNORECASE)


def slugify(name: str) -> str:
    """A stable id for a name: ASCII, lower case, words joined by hyphens."""
    ascii_name = unicodedata.normalize("NFKD", name.translate(_APOSTROPHES))
    ascii_name = ascii_name.encode("ascii", "ignore").decode().lower().replace("'", "")
    return _NON_SLUG.sub("-", ascii_name).strip("-")


def name_key(name: str) -> str:
    """A loose key to compare names: no article, possessive, al- prefix, case or punctuation."""
    text = name.translate(_APOSTROPHES).strip()
    text = re.sub(r"^(?:the)\s+", "", text, flags=re.IGNORECASE)
    text = re.sub(r"'s?$", "", text)
    return slugify(_LEADING_AL.sub("", text))


@dataclass
class Known:
    """Gazetteer entries indexed by slug and by loose name key."""

    actors: dict[str, KnownActor] = field(default_factory=dict)
    places: dict[str, KnownPlace] = field(default_factory=dict)
    actor_keys: dict[str, str] = field(default_factory=dict)
    place_keys: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_gazetteer(cls, gazetteer: Gazetteer) -> Known:
        """Index a gazetteer."""
        known = cls()
        for actor in gazetteer.actors:
            slug = slugify(actor.name)
            known.actors[slug] = actor
            for alias in (actor.name, *actor.aliases):
                known.actor_keys.setdefault(name_key(alias), slug)
        for place in gazetteer.places:
            slug = slugify(place.name)
            known.places[slug] = place
            for alias in (place.name, *place.aliases):
                known.place_keys.setdefault(name_key(alias), slug)
        return known


def _pattern(nlp: Language, phrase: str) -> str | list[dict[str, str]]:
    """Match words case-insensitively, except all-caps words (acronyms), which must match exactly.

    A phrase without an acronym stays a phrase: the ruler's phrase matcher compares the same
    lower-case words as token patterns would, about ten times as fast.
    """
    tokens = nlp.make_doc(phrase)
    if not any(_is_acronym(token.text) for token in tokens):
        return phrase
    return [{"ORTH": token.text} if _is_acronym(token.text) else {"LOWER": token.lower_} for token in tokens]


def _is_acronym(word: str) -> bool:
    return word.isupper() and any(char.isalpha() for char in word)


def ruler_patterns(nlp: Language, gazetteer: Gazetteer) -> list[dict[str, object]]:
    """Entity-ruler patterns for every gazetteer actor and place name and alias."""
    patterns: list[dict[str, object]] = []
    for actor in gazetteer.actors:
        label = "PERSON" if actor.kind == "person" else "ORG"
        for name in dict.fromkeys((actor.name, *actor.aliases)):
            patterns.append({"label": label, "pattern": _pattern(nlp, name), "id": slugify(actor.name)})
    for place in gazetteer.places:
        label = PLACE_LABELS[place.kind]
        for name in dict.fromkeys((place.name, *place.aliases)):
            patterns.append({"label": label, "pattern": _pattern(nlp, name), "id": slugify(place.name)})
    return patterns


@Language.component("paragraph_breaks")
def paragraph_breaks(doc: Doc) -> Doc:
    """Start a sentence after every line break, so a heading never becomes the subject of the next line,
    and none after a title's abbreviation ("Capt. X")."""
    abbreviations = _abbreviations()
    for token in doc[1:]:
        if "\n" in doc[token.i - 1].text:  # line breaks are tokens of their own
            token.is_sent_start = True
        elif doc[token.i - 1].text in abbreviations:
            token.is_sent_start = False
    return doc


@cache
def _abbreviations() -> frozenset[str]:
    return frozenset(role_words().abbreviations)


def build_nlp(gazetteer: Gazetteer) -> Language:
    """Load the model, mark paragraph breaks as sentence starts before "parser", and add an entity
    ruler, before "ner", fed from the gazetteer (none when the gazetteer names nothing)."""
    nlp = load_pipeline()
    if isinstance(nlp.tokenizer, Tokenizer):
        for abbreviation in role_words().abbreviations:  # "Lt. Col. X": no sentence ends after "Lt."
            nlp.tokenizer.add_special_case(abbreviation, [{ORTH: abbreviation}])
    nlp.add_pipe("paragraph_breaks", before="parser")
    patterns = ruler_patterns(nlp, gazetteer)
    if patterns:
        ruler = nlp.add_pipe("entity_ruler", before="ner",
                             config={"overwrite_ents": True, "phrase_matcher_attr": "LOWER"})
        ruler.add_patterns(patterns)  # type: ignore[attr-defined]
    nlp.add_pipe("briefgen_world", after="ner")
    return nlp
