"""Quantities: counted figures with bounds, unit and subject.

Bounds:
- a single value gives low = high = value ("roughly 1,000" -> 1000/1000, approximate);
- a range gives its ends, never averaged ("150-200" -> 150/200);
- "up to N", "fewer than N", "less than N", "under N", "at most N" give low 0, high N;
- "more than N", "over N", "at least N" give low = high = N (the qualifier stays in `text`);
- vague counts: "dozens" 24/99, "hundreds" 200/999, "thousands" 2000/9999, "several thousand"
  2000/9999 (approximate).
Years, dates, times, ordinals, percentages and numbers inside names ("F-16") are not quantities,
nor is a figure beyond MAX_VALUE (10^15: no count or sum in the news comes near it; a run of digits
that long is a serial number, a hash or garbage, and as a float it may not even be finite), nor one
written in more than MAX_FIGURE_CHARS characters (the number patterns would take time quadratic in
the length of a long run of digits).

Subject (what is counted): the noun the number modifies, an "of" object, the noun after it, or
for a figure with digits the subject of its clause ("levels are expected to fall from 2,500").
Never across a sentence end or line break; a number word alone ("hundreds returned") has none; the
holder of a figure ("the prison holds 5,000") is not what is counted; "down from 6,000" counts
what the figure before it in the sentence counts.
"""

from __future__ import annotations

import math
import re

from spacy.tokens import Doc, Span, Token

from briefgen.extract.lexicon import CONTAINER_VERBS
from briefgen.extract.offsets import doc_text
from briefgen.extract.paragraphs import sentence_of
from briefgen.facts import Quantity

LABELS = {"CARDINAL", "QUANTITY", "MONEY"}
NUMBER_WORDS = {
    word: value
    for value, word in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        ]
    )
}
NUMBER_WORDS.update(
    {
        "thirty": 30,
        "forty": 40,
        "fifty": 50,
        "sixty": 60,
        "seventy": 70,
        "eighty": 80,
        "ninety": 90,
        "a hundred": 100,
        "hundred": 100,
        "a thousand": 1000,
        "a dozen": 12,
        "dozen": 12,
    }
)
SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}
VAGUE = {
    "dozens": (24, 99),
    "several dozen": (24, 99),
    "a few dozen": (24, 99),
    "several hundred": (200, 999),
    "a few hundred": (200, 999),
    "several thousand": (2000, 9999),
    "a few thousand": (2000, 9999),
    "several million": (2_000_000, 9_999_999),
    "scores": (40, 99),
    "hundreds": (200, 999),
    "thousands": (2000, 9999),
    "tens of thousands": (20000, 99999),
    "hundreds of thousands": (200000, 999999),
    "millions": (2_000_000, 9_999_999),
}
APPROXIMATE = re.compile(
    r"\b(?:about|approximately|roughly|around|nearly|almost|some|an estimated|estimated"
    r"|close to|over|more than|fewer than|less than|up to|at least|at most|under)\b",
    re.I,
)
UPPER_ONLY = re.compile(r"\b(?:up to|fewer than|less than|under|at most)\b", re.I)
_NUMBER = r"\d+(?:,\d{3})*(?:\.\d+)?"
RANGE = re.compile(rf"({_NUMBER})\s*(?:–|-|—|to)\s*({_NUMBER})")
BETWEEN = re.compile(rf"between\s+({_NUMBER})\s+and\s+({_NUMBER})", re.I)
NUMBER = re.compile(rf"({_NUMBER})(?:\s+(million|billion|thousand|hundred))?", re.I)
UNIT_WORDS = {
    "kilometers",
    "kilometres",
    "km",
    "miles",
    "meters",
    "metres",
    "kilograms",
    "kg",
    "tons",
    "tonnes",
    "dollars",
    "percent",
    "hectares",
    "liters",
    "litres",
    "barrels",
    "square",
}
_LEAD = re.compile(r"^(?:the|a|an|some|of)\s+", re.I)
_COMPARISON_PREPS = {"from", "to"}
# Nouns that only stand for a count of something: "the number of fighters" counts fighters.
COUNT_NOUNS = {"number", "total", "count", "tally", "figure", "strength"}
MAX_VALUE = 1e15
MAX_FIGURE_CHARS = 100


def extract_quantities(doc: Doc, doc_id: str) -> list[Quantity]:
    """Quantities from CARDINAL/QUANTITY/MONEY entities, and digit figures the model left unlabelled."""
    found: list[tuple[Span, Quantity]] = []
    candidates = sorted([*map(_with_qualifier, doc.ents), *unlabelled_figures(doc)], key=lambda span: span.start)
    for ent in candidates:
        if ent.label_ not in LABELS or _inside_name(ent) or _is_year(ent):
            continue
        quantity = _quantity(ent, doc_id)
        if quantity is not None:
            _inherit_subject(ent, quantity, found)
            found.append((ent, quantity))
    return [quantity for _, quantity in found]


_APPROXIMATORS = {"about", "approximately", "roughly", "around", "nearly", "almost", "some", "over", "under",
                  "estimated"}
_TWO_WORD_QUALIFIERS = {("more", "than"), ("fewer", "than"), ("less", "than"), ("up", "to"), ("at", "least"),
                        ("at", "most"), ("close", "to")}


def unlabelled_figures(doc: Doc) -> list[Span]:
    """Figures written in digits that count a noun ("around 2,000 US troops") but carry no entity label.

    The statistical model misses some of them; a digit token modifying a noun, outside every
    entity, is taken as a CARDINAL with the approximating words before it.
    """
    spans = []
    for token in doc:
        if token.ent_type_ or not token.like_num or not any(char.isdigit() for char in token.text):
            continue
        if token.dep_ != "nummod" or token.head.pos_ not in ("NOUN", "PROPN"):
            continue
        start = _qualifier_start(doc, token.i)
        spans.append(Span(doc, start, token.i + 1, label="CARDINAL"))
    return spans


def _with_qualifier(ent: Span) -> Span:
    """The figure with the approximating words the model left outside it ("around" 2,000)."""
    start = _qualifier_start(ent.doc, ent.start)
    return ent if start == ent.start else Span(ent.doc, start, ent.end, label=ent.label_)


def _qualifier_start(doc: Doc, index: int) -> int:
    if index >= 2 and (doc[index - 2].lower_, doc[index - 1].lower_) in _TWO_WORD_QUALIFIERS \
            and not doc[index - 2].ent_type_:
        return index - 2
    if index >= 1 and doc[index - 1].lower_ in _APPROXIMATORS and not doc[index - 1].ent_type_:
        return index - 1
    return index


def _inherit_subject(ent: Span, quantity: Quantity, before: list[tuple[Span, Quantity]]) -> None:
    """ "holds 5,000 people, down from 6,000": a bare figure after "from"/"to" counts what the
    previous figure of its sentence counts."""
    token = _number_token(ent)
    if quantity.subject or quantity.unit or token.dep_ != "pobj" or token.head.lower_ not in _COMPARISON_PREPS:
        return
    sentence = sentence_of(ent)
    for other, previous in reversed(before):
        if other.start < sentence.start:
            return
        if previous.subject and not previous.unit:
            quantity.subject = previous.subject
            return


def _inside_name(span: Span) -> bool:
    """A number glued to letters by a hyphen: "F-16", "MQ-9"."""
    before = doc_text(span.doc)[max(0, span.start_char - 2) : span.start_char]
    return len(before) == 2 and before[1] == "-" and before[0].isalpha()


def _is_year(span: Span) -> bool:
    return bool(re.fullmatch(r"(?:19|20)\d\d", span.text.strip())) and span.label_ != "MONEY"


def parse_bounds(text: str) -> tuple[float, float, bool] | None:
    """(low, high, approximate) from a figure's words; None if no number is found or a bound is not a
    finite number within MAX_VALUE."""
    if len(text) > MAX_FIGURE_CHARS:
        return None
    bounds = _bounds(text)
    if bounds is None or not all(math.isfinite(value) and abs(value) <= MAX_VALUE for value in bounds[:2]):
        return None
    return bounds


def _bounds(text: str) -> tuple[float, float, bool] | None:
    lower = text.lower().replace("’", "'")
    approximate = bool(APPROXIMATE.search(lower))
    for phrase, (vague_low, vague_high) in sorted(VAGUE.items(), key=lambda item: -len(item[0])):
        if re.search(rf"\b{phrase}\b", lower):
            return float(vague_low), float(vague_high), True
    if match := RANGE.search(text) or BETWEEN.search(text):
        return _number(match[1]), _number(match[2]), approximate
    value = _value(lower)
    if value is None:
        return None
    low = 0.0 if UPPER_ONLY.search(lower) else value
    return low, value, approximate


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def _value(lower: str) -> float | None:
    if match := NUMBER.search(lower):
        return _number(match[1]) * SCALES.get((match[2] or "").lower(), 1)
    words = re.findall(r"[a-z]+", lower)
    value = None
    for word in words:
        if word in NUMBER_WORDS:
            value = (value or 0) + NUMBER_WORDS[word]
        elif word in SCALES:
            value = (value or 1) * SCALES[word]
    return float(value) if value is not None else None


def _quantity(ent: Span, doc_id: str) -> Quantity | None:
    bounds = parse_bounds(ent.text)
    if bounds is None:
        return None
    unit = _unit(ent)
    return Quantity(
        id=f"qty-{doc_id}-{ent.start_char}",
        text=ent.text,
        low=bounds[0],
        high=bounds[1],
        doc=doc_id,
        start=ent.start_char,
        end=ent.end_char,
        unit=unit,
        subject=None if unit else subject(ent),
        approximate=bounds[2],
    )


def _unit(ent: Span) -> str | None:
    if ent.label_ == "MONEY":
        words = [token.text for token in ent if not token.like_num and token.is_alpha]
        return " ".join(words) or "currency"
    words = [token.text for token in ent if token.lower_ in UNIT_WORDS]
    return " ".join(words) if words else None


def _number_token(ent: Span) -> Token:
    numbers = [token for token in ent if token.like_num or token.lower_ in VAGUE or token.pos_ == "NUM"]
    return numbers[-1] if numbers else ent.root


def subject(ent: Span) -> str | None:
    """What is counted: the noun the number modifies, its modifiers and conjuncts, or an "of" object.

    Only words of the figure's own sentence count; a number word needs a counted noun.
    """
    token = _number_token(ent)
    doc = ent.doc
    sentence = sentence_of(ent)
    head = token.head
    if (
        token.dep_ in ("nummod", "quantmod", "amod", "compound")
        and ent.end <= head.i < sentence.end
        and head.pos_ in ("NOUN", "PROPN")
    ):
        return _noun_phrase(doc, ent.end, head, sentence.end)
    of = next((child for child in token.children if child.lower_ == "of"), None)
    if of is not None:
        objects = [child for child in of.children if child.dep_ == "pobj" and child.i < sentence.end]
        if objects:
            return _noun_phrase(doc, of.i + 1, objects[0], sentence.end)
    if ent.end < sentence.end and doc[ent.end].pos_ == "NOUN":
        return _noun_phrase(doc, ent.end, doc[ent.end], sentence.end)
    if not any(char.isdigit() for char in ent.text):
        return None
    return _object_valued(token, sentence) or _subject_of_clause(token, sentence)


def _object_valued(token: Token, sentence: Span) -> str | None:
    """ "put the number of gunmen at 300", "estimated the toll at 40": the object is what is counted."""
    prep = token.head
    if token.dep_ != "pobj" or prep.lower_ != "at" or prep.head.pos_ != "VERB":
        return None
    target = next((child for child in prep.head.children if child.dep_ == "dobj"), None)
    if target is None or not sentence.start <= target.i < sentence.end:
        return None
    of = next((child for child in target.children if child.lower_ == "of"), None)
    objects = [child for child in of.children if child.dep_ == "pobj"] if of is not None else []
    if target.lemma_ in COUNT_NOUNS and objects:
        return _noun_phrase(token.doc, of.i + 1, objects[0], sentence.end)  # type: ignore[union-attr]
    return _noun_phrase(token.doc, target.left_edge.i, target, sentence.end)


def _noun_phrase(doc: Doc, start: int, head: Token, limit: int) -> str | None:
    """Words from `start` to the head noun, extended over conjoined nouns and hyphenated tails (before `limit`)."""
    end = head.i
    for conj in head.conjuncts:
        if end < conj.i < limit and all(
            doc[i].dep_ in ("cc", "compound", "amod", "det", "poss", "conj") or doc[i] is conj
            for i in range(end + 1, conj.i + 1)
        ):
            end = conj.i
    while (
        end + 2 < limit
        and doc[end + 1].text == "-"
        and not doc[end].whitespace_
        and not doc[end + 1].whitespace_
    ):
        end += 2
    text = doc[start : end + 1].text if end >= start else None
    return _LEAD.sub("", text).strip() or None if text else None


def _subject_of_clause(token: Token, sentence: Span) -> str | None:
    """For "levels are expected to fall from 2,500 to 500": the clause subject ("troop levels").

    Not when the figure is the verb's object or the verb holds it ("the prison holds 5,000"): the
    subject is then the holder, not what is counted.
    """
    if token.dep_ in ("dobj", "dative", "attr"):
        return None
    for ancestor in token.ancestors:
        if ancestor.dep_ in ("dobj", "dative"):
            return None
        subjects = [child for child in ancestor.children if child.dep_ in ("nsubj", "nsubjpass")]
        if subjects and ancestor.pos_ in ("VERB", "AUX"):
            head = subjects[0]
            if ancestor.lemma_ in CONTAINER_VERBS or head.pos_ not in ("NOUN", "PROPN"):
                return None
            if not sentence.start <= head.i < sentence.end:
                return None
            return head.doc[max(head.left_edge.i, sentence.start) : head.i + 1].text.lower()
    return None
