"""The spaCy pipeline: the English model, an entity ruler fed from the gazetteer, the world-knowledge
component, and the fact rules (components.py), which write what they find onto the Doc.

The ruler runs before the statistical NER so that known names win. Every ruler
pattern carries the slug of the canonical name as its `id`, read back through
`Span.ent_id_`.
"""

from __future__ import annotations

from functools import cache

from spacy.language import Language
from spacy.symbols import ORTH
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc

from briefgen.config import Gazetteer
from briefgen.extract import worldspans  # noqa: F401 - registers the briefgen_world factory
from briefgen.extract.components import RULE_COMPONENTS
from briefgen.extract.known import slugify
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
    """Load the model, mark paragraph breaks as sentence starts before "parser", add an entity ruler,
    before "ner", fed from the gazetteer (none when the gazetteer names nothing), then the world
    component and the fact rules, told the gazetteer's names, roles, tactics and event cues."""
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
    for name in RULE_COMPONENTS:
        nlp.add_pipe(name)
    nlp.get_pipe("briefgen_event_cues").add_patterns(  # type: ignore[attr-defined]
        cue.model_dump() for cue in gazetteer.event_cues
    )
    for name in ("briefgen_entities", "briefgen_tactics"):
        nlp.get_pipe(name).use_gazetteer(gazetteer)  # type: ignore[attr-defined]
    return nlp
