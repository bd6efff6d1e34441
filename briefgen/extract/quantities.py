"""Quantities: counted figures with bounds, unit and subject.

Bounds:
- a single value gives low = high = value ("roughly 1,000" -> 1000/1000, approximate);
- a range gives its ends, never averaged ("150-200" -> 150/200);
- a bounded figure is one figure: "up to N", "fewer than N", "less than N", "under N", "at most N"
  and "more than N", "over N", "at least N" give low = high = N; the qualifier stays in `text` and
  `bound` says which side it bounds ("upper" or "lower");
- two figures joined by "to" or a dash ("250 to 350 advisers"), or "between A and B", are one range,
  but not "from A to B", which is a change;
- vague counts: "dozens" 24/99, "hundreds" 200/999, "thousands" 2000/9999, "several thousand"
  2000/9999 (approximate).
Percentages are figures with the unit "percent". Years, numbers next to a month name ("18 Mar"),
clock times ("6 a.m."), "4 min read", ordinals and designations are not quantities: a number
glued to letters ("F-16"), after "#" or "No.", or after a capitalised word it does not count
("Resolution 2690", "Channel 4"). Nor is "one" as a pronoun: "one of the ...", or "one source said"
(a speaker, not a count). Nor is a figure beyond MAX_VALUE (10^15: no count or sum in the news
comes near it; a run of digits that long is a serial number, a hash or garbage, and as a float it
may not even be finite), nor one written in more than MAX_FIGURE_CHARS characters (the number
patterns would take time quadratic in the length of a long run of digits).

Subject (what is counted): the noun the number modifies, an "of" object, the noun after it, or
for a figure with digits the subject of its clause ("levels are expected to fall from 2,500").
Never across a sentence end or line break; a number word alone ("hundreds returned") has none; the
holder of a figure ("the prison holds 5,000") is not what is counted; "down from 6,000" counts
what the figure before it in the sentence counts, and so do "N others" and "N more".

A figure stated again for the same thing (headline, lead, body, quote) is listed once, at its first
statement: two figures with the same bounds, unit and counted noun in different sentences are one
fact, unless they report different outcomes (killed, wounded, held, displaced, missing:
data/quantities.yaml) or their sentences name different dates or different places. In one sentence
(a headline run into the lead) they are one fact only when they report the same outcome.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache
from typing import Literal

from spacy.tokens import Doc, Span, Token

from briefgen.extract.lexicon import CONTAINER_VERBS, CUE_VERBS
from briefgen.extract.offsets import doc_text
from briefgen.extract.paragraphs import sentence_of
from briefgen.extract.wordlists import WordLists, Words, load_words
from briefgen.facts import Quantity

LABELS = {"CARDINAL", "QUANTITY", "MONEY", "PERCENT"}
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
LOWER_ONLY = re.compile(r"\b(?:more than|over|at least)\b", re.I)
_NUMBER = r"\d+(?:,\d{3})*(?:\.\d+)?"
RANGE = re.compile(rf"({_NUMBER})\s*(?:–|-|—|\bto\b|\bor\b)\s*({_NUMBER})")
_WORDS = "|".join(word for word in NUMBER_WORDS if " " not in word and word != "dozen")
WORD_RANGE = re.compile(rf"\bbetween\s+({_WORDS})\s+and\s+({_WORDS})\b|\b({_WORDS})\s+(?:to|or)\s+({_WORDS})\b")
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


def extract_quantities(doc: Doc, doc_id: str) -> tuple[list[Quantity], list[Quantity]]:
    """Quantities from CARDINAL/QUANTITY/MONEY/PERCENT entities and digit figures the model left
    unlabelled: each fact once, and every statement of each (an incident's toll is read in its own
    sentence even when the headline gave it first)."""
    found: list[_Found] = []
    labelled = [_with_qualifier(_as_count(ent)) for ent in doc.ents]
    candidates = sorted([*labelled, *unlabelled_figures(doc)], key=lambda span: span.start)
    for ent in _joined_ranges(candidates):
        if ent.label_ not in LABELS or _inside_name(ent) or _is_year(ent) or not_a_count(ent):
            continue
        quantity = _quantity(ent, doc_id)
        if quantity is not None:
            figure = _Found(ent, quantity, _counted_head(ent))
            _inherit_subject(figure, found)
            found.append(figure)
    return [figure.quantity for figure in _distinct(found)], [figure.quantity for figure in found]


@dataclass
class _Found:
    """A figure while the document's figures are gathered: its span, its fact and the noun it counts."""

    span: Span
    quantity: Quantity
    head: Token | None


_APPROXIMATORS = {"about", "approximately", "roughly", "around", "nearly", "almost", "some", "over", "under",
                  "estimated"}
_TWO_WORD_QUALIFIERS = {("more", "than"), ("fewer", "than"), ("less", "than"), ("up", "to"), ("at", "least"),
                        ("at", "most"), ("close", "to")}


def unlabelled_figures(doc: Doc) -> list[Span]:
    """Figures written in digits that count a noun ("around 2,000 US troops") but carry no entity label.

    The statistical model misses some of them; a digit token modifying a noun, or ending a range
    that does, outside every entity, is taken as a CARDINAL with the approximating words before it.
    """
    spans = []
    for token in doc:
        if token.ent_type_ or not token.like_num or not any(char.isdigit() for char in token.text):
            continue
        counts_a_noun = token.dep_ == "nummod" and token.head.pos_ in ("NOUN", "PROPN")
        if not counts_a_noun and not _second_end(token):
            continue
        start = _qualifier_start(doc, token.i)
        spans.append(Span(doc, start, token.i + 1, label="CARDINAL"))
    return spans


def _as_count(ent: Span) -> Span:
    """A figure the model took for a date ("130 mortars", "between 60 and 80 boats"), as a count.

    Only numbers that count a plural noun, with no time word or year among them (data/quantities.yaml):
    "30 years", "five days" and "between 2019 and 2021" stay dates.
    """
    if ent.label_ != "DATE":
        return ent
    words = _vocabulary()
    numbers = [token for token in ent if token.like_num]
    if not numbers or any(_is_time_word(token, words) or _YEAR.fullmatch(token.text) for token in ent):
        return ent
    counted = next((number.head for number in numbers if number.head.tag_ == "NNS"), None)
    if counted is None or _is_time_word(counted, words):
        return ent
    end = counted.i if ent.start <= counted.i < ent.end else ent.end
    return Span(ent.doc, ent.start, end, label="CARDINAL")


def _is_time_word(token: Token, words: _Words) -> bool:
    lower = token.lower_
    return lower in words.time_words or lower in words.months or token.lemma_.lower() in words.time_words


_YEAR = re.compile(r"(?:1[89]|20)\d\d")


def _second_end(token: Token) -> bool:
    """ "between 60 and 80 boats": the second number, conjoined to the first, ends the range."""
    return token.dep_ == "conj" and token.head.dep_ == "nummod" and token.head.like_num


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


def _inherit_subject(figure: _Found, before: list[_Found]) -> None:
    """ "holds 5,000 people, down from 6,000", "three soldiers were killed and four others wounded":
    a bare figure after "from"/"to", or one counting "others"/"more", counts what the previous figure
    of its sentence counts."""
    quantity, token = figure.quantity, _number_token(figure.span)
    after_comparison = token.dep_ == "pobj" and token.head.lower_ in _COMPARISON_PREPS and not quantity.subject
    if quantity.unit or not (after_comparison or _counts_the_rest(figure)):
        return
    sentence = sentence_of(figure.span)
    for other in reversed(before):
        if other.span.start < sentence.start:
            return
        if other.quantity.subject and not other.quantity.unit:
            quantity.subject, figure.head = other.quantity.subject, other.head
            return


def _counts_the_rest(figure: _Found) -> bool:
    """ "four others", "ten more": the figure counts more of what was counted before it."""
    if figure.head is not None:
        return figure.head.lower_ in _REST_WORDS
    following = figure.span.doc[figure.span.end : figure.span.end + 1]
    return bool(following) and following[0].lower_ in _REST_WORDS


_REST_WORDS = {"others", "more"}


def _distinct(found: list[_Found]) -> list[_Found]:
    """The figures less those that restate an earlier one (the headline's figure in the body): the
    first statement stands for all."""
    kept: list[_Found] = []
    seen: dict[tuple[float, float, str | None, str | None], list[_Found]] = {}
    for figure in found:
        twins = seen.setdefault(_fact_key(figure), [])
        # Only the last few of one key are compared, so that a pathological text stays linear.
        if not any(_same_fact(other, figure) for other in twins[-_TWINS_COMPARED:]):
            twins.append(figure)
            kept.append(figure)
    return kept


_TWINS_COMPARED = 8


def _fact_key(figure: _Found) -> tuple[float, float, str | None, str | None]:
    quantity = figure.quantity
    return quantity.low, quantity.high, quantity.unit, _lemma(figure.head) if figure.head is not None else None


def _same_fact(first: _Found, second: _Found) -> bool:
    """Same bounds, unit and counted noun, and nothing that tells the two apart: a different outcome,
    different date words or different places in their sentences. Within one sentence ("two soldiers
    were killed and two soldiers wounded") only with the same outcome."""
    if first.quantity.unit is None and first.head is None:
        return False
    outcomes = outcome(first.span), outcome(second.span)
    one, two = sentence_of(first.span), sentence_of(second.span)
    if one.start == two.start:
        return outcomes[0] is not None and outcomes[0] == outcomes[1]
    if None not in outcomes and outcomes[0] != outcomes[1]:
        return False
    return not any(_differ(_words_of(one, labels), _words_of(two, labels)) for labels in _TELLING_LABELS)


# Entity labels whose words tell two statements of a figure apart: when ("in May" / "last year") and
# where ("in Kano" / "in Maiduguri"). Organisations are left out: one fact is often told by two of them.
_TELLING_LABELS = ({"DATE"}, {"GPE", "LOC", "FAC"})


def _words_of(sentence: Span, labels: set[str]) -> set[str]:
    return {token.lower_ for token in sentence if token.ent_type_ in labels and not token.is_punct}


def _differ(first: set[str], second: set[str]) -> bool:
    return bool(first and second and first.isdisjoint(second))


def _lemma(token: Token) -> str:
    return token.lemma_.lower()


def outcome(span: Span) -> str | None:
    """What the figure's clause reports happened to what it counts (data/quantities.yaml), if anything."""
    outcomes = _vocabulary().outcomes
    for token in (span.root, *span.root.ancestors):
        if token.pos_ in ("VERB", "ADJ", "AUX") or token.dep_ == "ROOT":
            lemma = _lemma(token)
            return next((name for name, lemmas in outcomes.items() if lemma in lemmas), None)
    return None


def not_a_count(span: Span) -> bool:
    """Numbers that name, date or time something rather than count it: "Resolution 2690", "#2",
    "18 Mar", "6 a.m.", "4 min read", and "one" as a pronoun ("one of the", "one source said")."""
    return _is_designation(span) or _in_date_or_time(span) or _is_pronoun_one(span)


def _is_designation(span: Span) -> bool:
    """ "#2", "No. 3", "Resolution 2690", "Channel 4": a number that names rather than counts."""
    doc, words = span.doc, _vocabulary()
    before = doc[span.start - 1] if span.start > 0 else None
    if before is None:
        return False
    if span.text.startswith("#") or _after_mark(span, words.designation_marks):
        return True
    token = _number_token(span)
    counts_what_follows = token.head.i > token.i and token.head.pos_ in ("NOUN", "PROPN")
    return (
        token.i == span.start
        and any(char.isdigit() for char in token.text)
        and _capitalised(before)
        and not before.is_sent_start
        and before.lower_ not in words.months
        and not counts_what_follows
        and not _title_case(sentence_of(span))
    )


def _after_mark(span: Span, marks: frozenset[str]) -> bool:
    """Whether the words right before the figure end with a mark such as "#" or "No." ("No. 2")."""
    before = doc_text(span.doc)[max(0, span.start_char - 8) : span.start_char].rstrip().lower()
    return any(before.endswith(mark) and not before[: -len(mark)][-1:].isalpha() for mark in marks)


def _capitalised(token: Token) -> bool:
    return token.is_alpha and token.text[:1].isupper()


def _title_case(sentence: Span) -> bool:
    """A headline in title case ("Gunmen Kill 12 in Northern Town"), where a capital names nothing."""
    words = [token for token in sentence if token.is_alpha and len(token) > 3]
    return len(words) >= 3 and sum(map(_capitalised, words)) >= 0.6 * len(words)


def _in_date_or_time(span: Span) -> bool:
    """ "18 Mar", "June 30", "6 a.m.", "10:30", "4 min read"."""
    doc, words = span.doc, _vocabulary()
    after = doc[span.end : span.end + 2]
    if re.search(r"\d:\d\d", span.text):
        return True
    if after and after[0].lower_ in words.clock_words:
        return True
    if len(after) == 2 and after[0].lower_ in words.furniture_words and after[1].lower_ in words.furniture_tails:
        return True
    if not re.fullmatch(r"\d{1,2}", span.text.strip()):
        return False
    neighbours = [*doc[max(span.start - 1, 0) : span.start], *after[:1]]
    return any(token.text[:1].isupper() and token.lower_.rstrip(".") in words.months for token in neighbours)


def _is_pronoun_one(span: Span) -> bool:
    """ "one of the officers", "one diplomatic source said": "one" picks someone out, it counts nothing."""
    token = _number_token(span)
    if token.lower_ != "one":
        return False
    if token.i + 1 < len(span.doc) and span.doc[token.i + 1].lower_ == "of":
        return True
    speaker = token.head if token.dep_ == "nummod" else token
    return speaker.dep_ == "nsubj" and speaker.head.lemma_ in CUE_VERBS


class _Words(WordLists):
    """The word lists of data/quantities.yaml."""

    months: Words
    designation_marks: Words
    clock_words: Words
    furniture_words: Words
    furniture_tails: Words
    time_words: Words
    outcomes: dict[str, frozenset[str]]


@cache
def _vocabulary() -> _Words:
    """The word lists of data/quantities.yaml, loaded once."""
    return load_words("quantities", _Words)


def _joined_ranges(spans: list[Span]) -> list[Span]:
    """ "250 to 350 advisers", "between 20 and 30": two figures the model left apart, as one range."""
    joined: list[Span] = []
    for span in spans:
        if joined and _joins(joined[-1], span):
            first = joined[-1]
            start = first.start - 1 if first.start and first.doc[first.start - 1].lower_ == "between" else first.start
            joined[-1] = Span(span.doc, start, span.end, label=span.label_)
        else:
            joined.append(span)
    return joined


def _joins(first: Span, second: Span) -> bool:
    """Whether two figures are the ends of one range; not "from A to B" or "by A to B", a change."""
    if second.start != first.end + 1 or first.label_ not in LABELS or second.label_ not in LABELS:
        return False
    doc = first.doc
    link = doc[first.end].lower_
    before = doc[first.start - 1].lower_ if first.start else ""
    if link in ("to", "or", "-", "–", "—"):
        return before not in ("from", "by")
    return link == "and" and before == "between"


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
    if (words := _word_range(lower)) is not None:
        return words[0], words[1], approximate
    value = _value(lower)
    return None if value is None else (value, value, approximate)


def _word_range(lower: str) -> tuple[float, float] | None:
    """ "two or three", "five to seven", "between ten and twelve": the ends of a range in words."""
    match = WORD_RANGE.search(lower)
    if match is None:
        return None
    low, high = (NUMBER_WORDS[word] for word in match.groups() if word)
    return (float(low), float(high)) if low < high else None


def bound(text: str) -> Literal["upper", "lower"] | None:
    """Which side a qualified figure bounds: "upper" for "fewer than 500", "lower" for "at least 7"."""
    lower = text.lower()
    if UPPER_ONLY.search(lower):
        return "upper"
    return "lower" if LOWER_ONLY.search(lower) else None


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
        bound=None if bounds[0] != bounds[1] else bound(ent.text),
    )


def _unit(ent: Span) -> str | None:
    if ent.label_ == "PERCENT":
        return "percent"
    if ent.label_ == "MONEY":
        words = [token.text for token in ent if not token.like_num and token.is_alpha]
        return " ".join(words) or "currency"
    words = [token.text for token in ent if token.lower_ in UNIT_WORDS]
    after = ent.doc[ent.end] if ent.end < len(ent.doc) else None
    if not words and after is not None and after.lower_ in UNIT_WORDS:
        words = [after.text]  # "about 60 km west of Dibis": the model's entity stops before its unit
    return " ".join(words) if words else None


def _number_token(ent: Span) -> Token:
    numbers = [token for token in ent if token.like_num or token.lower_ in VAGUE or token.pos_ == "NUM"]
    return numbers[-1] if numbers else ent.root


def subject(ent: Span) -> str | None:
    """What is counted: the noun the number modifies, its modifiers and conjuncts, or an "of" object.

    Only words of the figure's own sentence count; a number word needs a counted noun.
    """
    token = _number_token(ent)
    sentence = sentence_of(ent)
    counted = _counted_noun(ent, token, sentence)
    if counted is not None:
        return _noun_phrase(ent.doc, counted[0], counted[1], sentence.end)
    if not any(char.isdigit() for char in ent.text):
        return None
    return _object_valued(token, sentence) or _subject_of_clause(token, sentence)


def _counted_head(ent: Span) -> Token | None:
    """The noun a figure counts when the figure modifies it, governs it with "of" or precedes it."""
    counted = _counted_noun(ent, _number_token(ent), sentence_of(ent))
    return counted[1] if counted else None


def _counted_noun(ent: Span, token: Token, sentence: Span) -> tuple[int, Token] | None:
    """Where the counted noun phrase starts, and its head noun."""
    doc = ent.doc
    head = token.head
    if (
        token.dep_ in ("nummod", "quantmod", "amod", "compound")
        and ent.end <= head.i < sentence.end
        and head.pos_ in ("NOUN", "PROPN")
    ):
        return ent.end, head
    of = next((child for child in token.children if child.lower_ == "of"), None)
    if of is not None:
        objects = [child for child in of.children if child.dep_ == "pobj" and child.i < sentence.end]
        if objects:
            return of.i + 1, objects[0]
    if ent.end < sentence.end and doc[ent.end].pos_ == "NOUN":
        return ent.end, doc[ent.end]
    return None


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
