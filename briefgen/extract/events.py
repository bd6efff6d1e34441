"""Events: one per dated clause, with kind from keywords nearest the date, actors and places.

An event's `what` is the clause around its date, without a leading complementizer or
relative word ("that", "which", "when" ...) or conjunction, without trailing punctuation
or conjunctions, and never starting or ending inside a word. When several dates share
one clause, the clause is cut between them so that each date gets the part nearest it.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import pairwise

from spacy.tokens import Doc, Span, Token

from briefgen.extract.dates import AGE, CANDIDATES, WEEKDAYS, Published, Resolved, Tense, resolve, shift
from briefgen.extract.eventwords import event_words
from briefgen.extract.furniture import is_furniture
from briefgen.extract.index import EntityIndex
from briefgen.extract.lexicon import COMPLEMENTIZERS, CONJUNCTIONS
from briefgen.extract.offsets import doc_text
from briefgen.extract.paragraphs import Paragraphs, sentence_of
from briefgen.extract.restatements import merge_restatements
from briefgen.facts import Event

_NAME_TYPES = {"ORG", "PERSON", "GPE", "NORP", "LOC", "FAC", "PRODUCT", "WORK_OF_ART", "LAW"}
_CLAUSE_DEPS = {"ROOT", "ccomp", "conj", "advcl", "relcl"}
_SUBJECTS = {"nsubj", "nsubjpass", "expl"}
MIN_CLAUSE_TOKENS = 5
MIN_PART_TOKENS = 3
_CUT_PUNCT = {",", ";", ":", "—", "–"}
_RELATIVE_TAGS = {"WDT", "WP", "WP$", "WRB"}
_RELATIVE_PRONOUNS = {"that", "which", "who", "whom"}
_LEAD_MARKS = {"—", "–", "-", ":"}
MAX_LEAD_TOKENS = 3
AGE_REACH = 3  # words after "three-week-old" searched for the noun it ages
MERGE_BACK = 5  # earlier events searched for the statement a "remarks came on ..." clause dates
DESCRIBED_REACH = 10  # words after a "since" date searched for "when" describing it
LEAD_REACH = 12  # sentences searched for a story's lead
HEADLINE_SHARE = 0.6  # more capitalised content words than this: a headline, not the lead
_QUOTE_MARKS = {'"', "“", "‘", "'"}
_SENTENCE_FINAL = re.compile(r"[.!?”\"’)]\s*$")
# "the same week" after a day: the month (a week has no ISO form); "the same year": the year.
_SAME_UNITS = {"week": (7, "month"), "month": (7, "month"), "year": (4, "year")}
COMPARISON_REACH = 8  # words before a date searched for "than", "down from" ...
_COMPARISON_PAIRS = {("down", "from"), ("up", "from"), ("compared", "with"), ("compared", "to")}
_CLAUSE_BREAKS = {",", ";", "and", "but"}
_CLOSERS = {"”": "“", ")": "(", "’": "‘", "]": "["}
_OPENERS = {*_CLOSERS.values(), '"'}
_WORD_JOINERS = {"-", "'", "’"}


@dataclass
class DateMarks:
    """First tokens of a document's dates, in text order: those of the story, and page furniture."""

    dates: list[int] = field(default_factory=list)
    furniture: list[int] = field(default_factory=list)


def date_spans(doc: Doc) -> list[Span]:
    """DATE entities plus regex date candidates, without overlaps (longest first)."""
    spans = [ent for ent in doc.ents if ent.label_ == "DATE"]
    for match in CANDIDATES.finditer(doc_text(doc)):
        span = doc.char_span(match.start(), match.end(), alignment_mode="expand")
        if span is not None:
            spans.append(span)
    chosen: list[Span] = []
    taken: set[int] = set()
    for span in sorted(spans, key=lambda span: (-(span.end_char - span.start_char), span.start_char)):
        if not taken.intersection(range(span.start_char, span.end_char)):
            chosen.append(span)
            taken.update(range(span.start_char, span.end_char))
    return _join_weekdays(sorted(chosen, key=lambda span: span.start_char))


def _join_weekdays(spans: list[Span]) -> list[Span]:
    """A weekday and the date after it, with only a comma between, as one date: "Friday, 12 January"."""
    joined: list[Span] = []
    for span in spans:
        last = joined[-1] if joined else None
        if last is not None and span.start == last.end + 1 and _weekday_comma(last):
            joined[-1] = span.doc[last.start : span.end]
            continue
        joined.append(span)
    return joined


def _weekday_comma(span: Span) -> bool:
    return span[-1].lower_ in WEEKDAYS and span.end < len(span.doc) and span.doc[span.end].text == ","


def extract_events(
    doc: Doc, doc_id: str, published: Published | None, index: EntityIndex, paragraphs: Paragraphs
) -> list[Event]:
    """One Event per resolvable date expression outside headings and page furniture, restatements
    merged, plus the undated lead when it reports an occurrence."""
    dated, marks = dated_clauses(doc, published, paragraphs)
    clauses = separate_shared([(span, clause) for span, _, clause in dated])
    lead = lead_event(doc, doc_id, published, index, paragraphs, marks)
    events = [lead] if lead else []
    for (span, resolved, whole), clause in zip(dated, clauses, strict=True):
        event = _event(doc, doc_id, span, clause, resolved, published, index)
        if event.kind == "other" and clause != whole:  # the part lost its keyword: ask the whole clause
            event.kind = event_kind(whole, span)
        if not (_dates_remarks(clause) and _give_date(events, event)):
            events.append(event)
    return merge_restatements(events)


def _dates_remarks(clause: Span) -> bool:
    """ "Deby's remarks came on Sunday": a clause that only says when something already told was said."""
    verb = clause.root
    return verb.lemma_ == "come" and any(
        child.dep_ == "nsubj" and child.lemma_.lower() in event_words().speech_nouns for child in verb.children
    )


def _give_date(events: list[Event], dating: Event) -> bool:
    """The latest statement before `dating` whose date `dating` refines takes its date; False when none."""
    for event in reversed(events[-MERGE_BACK:]):
        if event.kind == "statement" and event.date and dating.date and dating.date.startswith(event.date):
            event.date, event.precision, event.date_text = dating.date, dating.precision, dating.date_text
            return True
    return False


def dated_clauses(
    doc: Doc, published: Published | None, paragraphs: Paragraphs
) -> tuple[list[tuple[Span, Resolved, Span]], DateMarks]:
    """Each date that anchors an event, with its resolution and clause; and where the document's
    dates and its furniture dates lie (for the lead)."""
    dated: list[tuple[Span, Resolved, Span]] = []
    previous: Resolved | None = None
    marks = DateMarks()
    seen: set[str | None] = set()  # dates of the events so far
    for span in date_spans(doc):
        if paragraphs.is_heading(span.start_char) or _inside_name(span):
            continue
        if is_comparison(span) or is_furniture(span, paragraphs):
            (marks.dates if is_comparison(span) else marks.furniture).append(span.start)
            continue
        resolved = _resolve(span, published, previous)
        if resolved is None:
            continue
        previous = resolved
        marks.dates.append(span.start)
        clause = clause_span(span)
        if not _anchors_nothing(span, clause, resolved, seen):
            dated.append((span, resolved, clause))
            seen.add(resolved.date)
    return dated, marks


def _anchors_nothing(span: Span, clause: Span, resolved: Resolved, seen: set[str | None]) -> bool:
    """A date that dates no new occurrence: a background ("since 2007"), a back-reference ("Sunday's
    attack" after the attack was told), a descriptor ("the timeframe of 2025"), or "at the time" on a
    clause that names no occurrence ("they were wearing vests at the time")."""
    if is_background(span, clause) or is_descriptor(span) or _age_of_no_occurrence(span):
        return True
    if _possessive(span) and resolved.date in seen:
        return True
    return _anaphoric(span) and event_kind(clause, span) == "other"


def _age_of_no_occurrence(span: Span) -> bool:
    """ "a 35-year-old man": an age dates nothing; "a three-week-old offensive" dates the offensive's start."""
    if not AGE.match(" ".join(span.text.lower().split())):
        return False
    words = event_words()
    nouns = [span.root.head, *span.doc[span.end : span.end + AGE_REACH]]
    return not any(
        token._.event_cue or token.lemma_.lower() in words.lasting_nouns for token in nouns if token.pos_ == "NOUN"
    )


def _possessive(span: Span) -> bool:
    """ "Sunday's attack": a date naming something by when it happened."""
    doc = span.doc
    return span.end < len(doc) and doc[span.end].tag_ == "POS"


def _anaphoric(span: Span) -> bool:
    return " ".join(span.text.lower().split()) in event_words().same_date


def is_descriptor(span: Span) -> bool:
    """A bare year that only describes a noun: "the timeframe of 2025", "the events of 2012", and the
    years coordinated with it ("of 2025 and 2026")."""
    root = span.root
    while root.dep_ == "conj" and root.head.like_num:
        root = root.head
    return (
        len(span) == 1
        and root.like_num
        and root.dep_ == "pobj"
        and root.head.lower_ == "of"
        and root.head.head.pos_ == "NOUN"
    )


def is_background(span: Span, clause: Span) -> bool:
    """ "since 2007" only sets a background ("has waged an insurgency since 2007"), unless the clause
    counts what happened in that time ("13 attacks since April") or the date is described ("since
    2014, when they bombed a hotel")."""
    words = event_words()
    doc = span.doc
    before = doc[span.start - 1].lower_ if span.start > 0 else ""
    if before not in words.background_before and span[0].lower_ not in words.background_before:
        return False
    after = doc[span.end : min(span.end + DESCRIBED_REACH, clause.sent.end)]
    if any(token.lower_ in words.described_after for token in after):
        return False
    return not any(_counts(token, span) for token in clause)


def _counts(token: Token, date: Span) -> bool:
    """A cardinal number counting something (not part of the date)."""
    return token.dep_ == "nummod" and token.like_num and not (date.start <= token.i < date.end)


def lead_event(
    doc: Doc,
    doc_id: str,
    published: Published | None,
    index: EntityIndex,
    paragraphs: Paragraphs,
    marks: DateMarks,
) -> Event | None:
    """The story's lead as an event when it gives no date of its own but reports an occurrence (a
    cue word of some kind): what a report leads with happened shortly before publication, so it is
    dated to the publication month."""
    if published is None:
        return None
    sentence = _lead_sentence(doc, paragraphs, marks)
    if sentence is None:
        return None
    clause = trim_clause(sentence)
    kind = event_kind(clause)
    if kind == "other" or not _names_occurrence(clause):
        return None
    start, end = clause.start_char, clause.end_char
    future = any(token.lower_ in event_words().future_auxiliaries for token in clause)
    return Event(
        id=f"ev-{doc_id}-{start}",
        date=published.month_text(),
        date_text=None,
        kind=kind,
        what=clause.text,
        doc=doc_id,
        start=start,
        end=end,
        precision="month",
        planned=future,
        actors=index.actors_in(start, end),
        locations=index.places_in(start, end),
        resolved=True,
    )


def _names_occurrence(clause: Span) -> bool:
    """A cue word of some kind besides a plain attribution ("said", "told"): "X said the group still
    has fighters" reports commentary; "X has warned", "X announced", "forces killed" report an act."""
    words = event_words()
    return any(
        token._.event_cue is not None and token.lemma_.lower() not in words.attributions
        for token in clause
        if token.ent_type_ not in _NAME_TYPES
    )


def _lead_sentence(doc: Doc, paragraphs: Paragraphs, marks: DateMarks) -> Span | None:
    """The first sentence of the story proper (not a heading, headline, stand-first, quotation or
    caption, and with a verb in the past, the perfect or the future), when no date comes before its
    end: a lead that gives its date needs no help, and a date before it means the story has begun."""
    for count, sent in enumerate(doc.sents):
        sentence = sentence_of(sent[0])
        if count >= LEAD_REACH or _holds(marks.dates, sentence):
            return None
        if _holds(marks.furniture, sentence) or not _story_sentence(sentence, paragraphs):
            continue
        if _main_verb_reports(sentence):
            return sentence
    return None


def _main_verb_reports(sentence: Span) -> bool:
    """The sentence's main verb (or a verb coordinated with it) is of the past, the perfect or the future:
    "Iraq is approaching the deadline, years after the coalition was formed" reports no occurrence."""
    root = sentence.root
    verbs = [root, *(child for child in root.children if child.dep_ == "conj" and child.pos_ in ("VERB", "AUX"))]
    return any(_reports(verb) or any(_reports(child) for child in verb.children if child.dep_ == "aux")
               for verb in verbs)


def _holds(starts: list[int], sentence: Span) -> bool:
    """Whether a date (by its first token, in `starts`, sorted) lies in the sentence."""
    position = bisect.bisect_left(starts, sentence.start)
    return position < len(starts) and starts[position] < sentence.end


def _story_sentence(sentence: Span, paragraphs: Paragraphs) -> bool:
    """A sentence of running text: not in a heading or a line without final punctuation, not in a
    paragraph or sentence opening with a quotation mark, and not in headline case."""
    paragraph = paragraphs.at(sentence.start_char)
    if paragraph is None or paragraph.heading or sentence.text[:1] in _QUOTE_MARKS:
        return False
    body = doc_text(sentence.doc)[paragraph.start : paragraph.end]
    if body.lstrip()[:1] in _QUOTE_MARKS or not _SENTENCE_FINAL.search(body):
        return False
    words = [token for token in sentence if token.is_alpha and not token.is_stop]
    return bool(words) and sum(token.is_title for token in words) <= HEADLINE_SHARE * len(words)


def _reports(token: Token) -> bool:
    """A finite verb of the past, the perfect or the future: something that happened or will."""
    if token.tag_ == "VBD":
        return True
    if token.tag_ == "VBN":
        return any(child.dep_ == "aux" and child.lemma_ == "have" for child in token.children)
    return token.tag_ == "MD" and token.lower_ in event_words().future_auxiliaries


def separate_shared(dated: list[tuple[Span, Span]]) -> list[Span]:
    """The clause of each (date, clause) pair; dates sharing one clause get the part nearest them."""
    clauses = [clause for _, clause in dated]
    groups: dict[tuple[int, int], list[int]] = {}
    for position, clause in enumerate(clauses):
        groups.setdefault((clause.start, clause.end), []).append(position)
    for positions in groups.values():
        if len(positions) < 2:
            continue
        parts = _split(clauses[positions[0]], [dated[position][0] for position in positions])
        if parts is not None:
            for position, part in zip(positions, parts, strict=True):
                clauses[position] = part
    return clauses


def _split(clause: Span, dates: list[Span]) -> list[Span] | None:
    """`clause` cut between consecutive dates (in text order), or None where no cut leaves each part whole."""
    doc = clause.doc
    order = sorted(range(len(dates)), key=lambda i: dates[i].start)
    parts: list[Span] = [clause] * len(dates)
    start = clause.start
    for a, b in pairwise(order):
        cut = next(
            (cut for cut in _cuts_between(doc, dates[a], dates[b]) if _fits(doc[start:cut], dates[a])),
            None,
        )
        if cut is None:
            return None
        parts[a], start = trim_clause(doc[start:cut]), cut + 1
    last = order[-1]
    if not _fits(doc[start : clause.end], dates[last]):
        return None
    parts[last] = trim_clause(doc[start : clause.end])
    return parts


def _fits(part: Span, date: Span) -> bool:
    """A part long enough to read as a clause that still holds its date, and tells something: a verb or
    a noun of an event ("Burkina Faso in 2023", left of "their departure from Mali in 2022, Burkina Faso
    in 2023", tells nothing alone)."""
    trimmed = trim_clause(part) if len(part) else part
    if not (len(trimmed) >= MIN_PART_TOKENS and trimmed.start <= date.start and date.end <= trimmed.end):
        return False
    rest = [token for token in trimmed if not date.start <= token.i < date.end and not token.is_punct]
    # A part that is its date alone ("Three days later, on 6 May, ...") is an apposition, resolved later.
    return all(token.is_stop for token in rest) or any(
        token.pos_ in ("VERB", "AUX") or token._.event_cue for token in rest)


def _cuts_between(doc: Doc, first: Span, second: Span) -> list[int]:
    """Places to cut between two dates, best first: a conjunction joining two verbs ("..., and on
    6 May a mortar hit"), then conjunctions and commas highest in the parse tree; at equal rank
    the one nearest the second date (what precedes it belongs to the first)."""
    found = [
        (0 if _joins_verbs(token) else 1 + sum(1 for _ in token.ancestors), -token.i)
        for token in doc[first.end : second.start]
        if token.dep_ == "cc" or token.text in _CUT_PUNCT
    ]
    return [-position for _, position in sorted(found)]


def _joins_verbs(token: Token) -> bool:
    """A coordinating conjunction that opens a coordinated verb's clause ("and on 6 May a mortar
    hit"), not one between two nouns."""
    if token.dep_ != "cc" or token.i + 1 >= len(token.doc):
        return False
    following = token.doc[token.i + 1]
    for head in (following, *following.ancestors):
        if head.left_edge.i != following.i:
            return False
        if head.dep_ == "conj" and head.pos_ in ("VERB", "AUX"):
            return True
    return False


def is_comparison(span: Span) -> bool:
    """A date that is only a point of comparison: "more dangerous than in 2014", "than it was in 2014",
    "down from 57,000 at the end of 2024", "compared with 2023"."""
    before: list[str] = []
    for token in reversed(span.doc[max(span.sent.start, span.start - COMPARISON_REACH) : span.start]):
        if token.lower_ in _CLAUSE_BREAKS:
            break
        before.insert(0, token.lower_)
    return "than" in before or bool(set(pairwise(before)) & _COMPARISON_PAIRS)


def _inside_name(span: Span) -> bool:
    """Years glued into a name ("F-2024") or an entity of another kind."""
    return any(token.ent_type_ in ("PRODUCT", "ORG", "PERSON") for token in span)


def _resolve(span: Span, published: Published | None, previous: Resolved | None) -> Resolved | None:
    """The date of `span`: "the same week/month/year" and "at the time" repeat the previous date (at
    that precision at most), "two years later" moves it; anything else is resolved against the
    publication date, in the tense of its clause."""
    words = span.text.lower()
    if words.startswith("the same") and previous is not None:
        coarser = next((unit for unit in _SAME_UNITS if unit in words), None)
        if coarser and previous.date and previous.precision == "day":
            return Resolved(previous.date[: _SAME_UNITS[coarser][0]], _SAME_UNITS[coarser][1], True)
        return Resolved(previous.date, previous.precision, True)
    if " ".join(words.split()) in event_words().same_date:
        return Resolved(previous.date, previous.precision, True) if previous else None
    moved = shift(previous, span.text) if previous is not None else None
    if moved is not None:
        return moved
    before = span.doc[span.start - 1].lower_ if span.start > 0 else ""
    return resolve(span.text, published, tense_of(span), before in event_words().month_prepositions)


def tense_of(span: Span) -> Tense:
    """ "past" or "future" for the verb that governs a date, None for the present or no verb: a
    month or weekday without a year is placed before or after publication by it."""
    verb = next((token for token in span.root.ancestors if token.pos_ in ("VERB", "AUX")), None)
    if verb is None:
        return "future" if _planned_before(span.doc, span) else None
    words = event_words()
    auxiliaries = [child for child in verb.children if child.dep_ in ("aux", "auxpass")]
    if any(aux.lower_ in words.future_auxiliaries for aux in auxiliaries):
        return "future"
    if verb.dep_ == "xcomp" and verb.head.lower_ in words.planned_words:
        return "future"  # "is scheduled to end in May", "plans to leave in June"
    if verb.tag_ == "VBD" or any(aux.tag_ == "VBD" or aux.lemma_ == "have" for aux in auxiliaries):
        return "past"
    return "future" if _planned_before(span.doc, span) else None


def _event(
    doc: Doc,
    doc_id: str,
    span: Span,
    clause: Span,
    resolved: Resolved,
    published: Published | None,
    index: EntityIndex,
) -> Event:
    sentence = sentence_of(span)
    start, end = clause.start_char, clause.end_char
    actors = index.actors_in(start, end) or index.actors_in(sentence.start_char, sentence.end_char)
    places = index.places_in(start, end) or index.places_in(sentence.start_char, sentence.end_char)
    return Event(
        id=f"ev-{doc_id}-{span.start_char}",
        date=resolved.date,
        date_text=span.text,
        kind=event_kind(clause, span),
        what=clause.text,
        doc=doc_id,
        start=start,
        end=end,
        precision=resolved.precision,  # type: ignore[arg-type]
        planned=is_planned(doc, span, clause, resolved, published),
        actors=actors,
        locations=places,
        resolved=resolved.relative,
    )


def clause_span(span: Span) -> Span:
    """The clause around a date: the subtree of the nearest verb with its own subject, else the sentence."""
    sentence = sentence_of(span)
    token: Token = span.root
    while token.head.i != token.i:
        token = token.head
        if _clause_verb(token) and not _simultaneous(token):
            if _trailing_attribution(token):
                return trim_clause(sentence)
            break
    else:  # no verb with its own subject: the sentence, up to a later coordinated clause
        end = min(_clause_end(token, span), sentence.end) if token.pos_ in ("VERB", "AUX") else sentence.end
        return trim_clause(token.doc[sentence.start : max(end, span.end)])
    clause = token.doc[_clause_start(token, sentence) : min(_clause_end(token, span), sentence.end)]
    if len(clause) < MIN_CLAUSE_TOKENS or not (
        sentence.start <= clause.start <= span.start and span.end <= clause.end <= sentence.end
    ):
        return trim_clause(sentence)
    return trim_clause(clause)


def _clause_verb(token: Token) -> bool:
    """A verb heading a clause of its own, with its own subject."""
    return token.pos_ in ("VERB", "AUX") and token.dep_ in _CLAUSE_DEPS and _has_subject(token)


def _trailing_attribution(verb: Token) -> bool:
    """ "..., sources told AFP on Sunday": a reporting verb after a comma with no reported clause of its
    own; what it reports is the sentence before it (whatever the parser attached it to)."""
    if verb._.event_cue != "statement" or verb.left_edge.i == 0:
        return False
    content = ("ccomp", "xcomp") if verb.lemma_.lower() in event_words().addressee_verbs else ("ccomp", "xcomp", "dobj")
    reported = any(child.dep_ in content and child.i > verb.i for child in verb.children)
    return not reported and verb.doc[verb.left_edge.i - 1].text == ","


def _simultaneous(verb: Token) -> bool:
    """A clause that only frames another in time: progressive after "as" or "while" ("as it was
    travelling through the city on Tuesday"), or after "after" or "before" when what it hangs on
    happened in the past ("had paused their attacks after a ceasefire started in January"). The event
    is told with the clause it hangs on."""
    if verb.dep_ != "advcl":
        return False
    words = event_words()
    marks = {child.lower_ for child in verb.children if child.dep_ == "mark"}
    if marks & words.frame_marks:
        return _past_occurrence(verb.head)
    return verb.tag_ == "VBG" and bool(marks & words.simultaneous_marks)


def _past_occurrence(verb: Token) -> bool:
    """A verb in the simple past or the past perfect: something that happened, not a state that holds
    ("has been a hotbed ... years after 2017")."""
    if verb.tag_ == "VBD":
        return verb.lemma_ != "be"
    return verb.tag_ == "VBN" and any(child.dep_ == "aux" and child.lower_ == "had" for child in verb.children)


def _clause_start(verb: Token, sentence: Span) -> int:
    """Where a verb's clause starts; a relative clause starts with the noun phrase it describes ("Mali's
    junta, which seized power in 2020"): that noun is the clause's subject."""
    start = verb.left_edge.i
    if verb.dep_ == "relcl" and verb.head.pos_ in ("NOUN", "PROPN"):
        start = max(min(start, verb.head.left_edge.i), sentence.start)
    return start


def _clause_end(verb: Token, date: Span) -> int:
    """The end of a verb's clause, before a coordinated clause with its own subject after the date
    ("On 4 May X attacked ..., and on 6 May a bomb hit ...": the second clause is another event)."""
    doc, end = verb.doc, verb.right_edge.i + 1
    for child in verb.children:
        start = child.left_edge.i
        if child.dep_ == "conj" and start >= date.end and _has_subject(child) and _coordinates(doc[start - 1]):
            end = min(end, start)
    return end


def _coordinates(token: Token) -> bool:
    """A word that joins two clauses: "and", "but", a semicolon."""
    return token.dep_ == "cc" or token.lower_ in CONJUNCTIONS or token.text == ";"


def _has_subject(token: Token) -> bool:
    return any(child.dep_ in _SUBJECTS for child in token.children)


def trim_clause(span: Span) -> Span:
    """Whole words only, without a leading complementizer, relative word or conjunction, and
    without trailing punctuation (except a balanced closing quote or bracket) or conjunctions."""
    doc, start, end = span.doc, span.start, span.end
    sentence = sentence_of(span)
    while start > sentence.start and _glued(doc[start - 1]):
        start -= 1  # "led force" in "Kurdish-led force" starts at "Kurdish"
    while end < sentence.end and _glued(doc[end - 1]):
        end += 1
    if start == sentence.start:
        start = _after_lead(doc, start, end)
    while start < end and _droppable_start(doc[start], start == sentence.start):
        start += 1
    while end > start and _droppable_end(doc[start:end]):
        end -= 1
    return doc[start:end] if end > start else span


def _glued(token: Token) -> bool:
    """A word or hyphen with no space after it: the next token continues the same word."""
    return not token.whitespace_ and (token.is_alpha or token.like_num or token.text in _WORD_JOINERS)


def _after_lead(doc: Doc, start: int, end: int) -> int:
    """After a dateline ("MOSUL —") or a short label ("Field note:") opening a sentence."""
    for position in range(start, min(start + MAX_LEAD_TOKENS + 1, end - 1)):
        token = doc[position]
        if token.text in _LEAD_MARKS and position > start:
            dateline = token.text != ":" and all(t.is_upper or t.is_punct for t in doc[start:position])
            label = token.text == ":" and doc[start].is_title and doc[position + 1].is_title
            return position + 1 if dateline or label else start
        if not token.is_alpha:
            return start
    return start


def _droppable_start(token: Token, opens_sentence: bool) -> bool:
    if token.is_space or (token.is_punct and token.text not in _OPENERS):
        return True
    if token.lower_ in CONJUNCTIONS or token.dep_ == "cc":
        return True
    if token.dep_ == "advmod" and token.i + 1 < len(token.doc) and token.nbor().dep_ == "mark":
        return True  # "even as ...", "just as ..."
    if token.lower_ in _RELATIVE_PRONOUNS:  # "that the crisis unleashed", not "That was the last ..."
        return token.dep_ != "det" and not opens_sentence
    return token.lower_ in COMPLEMENTIZERS and (token.dep_ == "mark" or token.tag_ in _RELATIVE_TAGS)


def _droppable_end(span: Span) -> bool:
    last = span[-1]
    if last.is_space or last.lower_ in CONJUNCTIONS or last.dep_ == "cc":
        return True
    if not last.is_punct:
        return False
    text = span.text
    if last.text in _CLOSERS:
        return text.count(_CLOSERS[last.text]) < text.count(last.text)
    if last.text == '"':
        return text.count('"') % 2 == 1
    return True


def event_kind(clause: Span, date: Span | None = None) -> str:
    """The kind whose cue word sits nearest the date inside the clause (the first cue without a
    date); "other" when none. Cues are marked by briefgen_event_cues (data/patterns/event_cues.yaml).
    A clause that judges a plan ("defended its timetable for the withdrawal") tells a statement."""
    words = event_words()
    if any(_judges_a_plan(token) for token in clause):
        return "statement"
    best, distance, cue = "other", len(clause) + 1, None
    for token in clause:
        kind = token._.event_cue
        if kind is None or token.ent_type_ in _NAME_TYPES:  # "Joint Strike Force": a name, not a cue
            continue
        gap = token.i - clause.start if date is None else _gap(token, date)
        if gap < distance:
            best, distance, cue = kind, gap, token
    if best in words.force_kinds and (not any(_about_forces(token) for token in clause) or _civilians_move(cue)):
        return "other"  # families departing a camp, or a "handover" of documents, is not a troop movement
    return best


def _judges_a_plan(token: Token) -> bool:
    """A verb of judgement whose object is a plan ("questioned the government's plan"): what happened is
    the judgement, not what the plan is about."""
    words = event_words()
    return token.pos_ == "VERB" and token.lemma_.lower() in words.judging_verbs and any(
        child.dep_ == "dobj" and child.lemma_.lower() in words.plan_nouns for child in token.children)


def _civilians_move(cue: Token | None) -> bool:
    """Whether who moves are civilians: the cue's subject or object, or the noun it describes ("a convoy
    carrying 180 families left the camp", "Iraq repatriated 400 families", "the evacuation of civilians");
    without any, the subject of the verb the cue hangs on ("families crossed ..., the latest group to return
    under a repatriation programme")."""
    if cue is None:
        return False
    civilian = event_words().civilian_words
    subjects = [child for child in cue.children if child.dep_ in ("nsubj", "nsubjpass")]
    movers = [word for subject in subjects for word in subject.subtree if word.i < cue.i]
    movers += [cue.head] if cue.dep_ in ("acl", "relcl") else []
    movers += _objects(cue)
    return any(word.lemma_.lower() in civilian for word in movers or _movers_above(cue))


def _objects(cue: Token) -> list[Token]:
    """Who a cue moves: its direct object, or the object of its "of" ("the departure of the troops"), with
    their conjuncts and what they count ("thousands of families")."""
    objects = [child for child in cue.children if child.dep_ == "dobj"]
    if cue.pos_ == "NOUN":
        objects += [word for of in cue.children if of.dep_ == "prep" and of.lower_ == "of"
                    for word in of.children if word.dep_ == "pobj"]
    objects += [conjunct for word in objects for conjunct in word.conjuncts]
    return objects + [word for counted in objects for of in counted.children if of.lower_ == "of"
                      for word in of.children if word.dep_ == "pobj"]


def _movers_above(cue: Token) -> Iterator[Token]:
    """The nouns described by the clauses a cue sits in, then the subject of the first verb above it that has one."""
    token = cue
    while token.head is not token:
        if token.dep_ in ("acl", "relcl"):
            yield token.head
        token = token.head
        subjects = [child for child in token.children if child.dep_ in ("nsubj", "nsubjpass")]
        if subjects:
            yield from (word for subject in subjects for word in subject.subtree)
            return


def _gap(token: Token, date: Span) -> int:
    return date.start - token.i if token.i < date.start else token.i - date.end + 1


def _about_forces(token: Token) -> bool:
    """A word for armed forces, or a base or facility (bases are what forces leave and hand over)."""
    return token.lemma_.lower() in event_words().force_words or token.ent_type_ == "FAC"


def _planned_before(doc: Doc, span: Span) -> bool:
    """A deadline word just before the date: "by", "until", "scheduled for"."""
    before = doc_text(doc)[max(0, span.start_char - 20) : span.start_char].lower().rstrip()
    return any(re.search(rf"\b{re.escape(cue)}$", before) for cue in event_words().planned_before)


def is_planned(doc: Doc, span: Span, clause: Span, resolved: Resolved, published: Published | None) -> bool:
    """A deadline ("by September 2026"), a future cue in the clause, or a date after publication."""
    if resolved.future_hint or _planned_before(doc, span):
        return True
    if any(token.lower_ in event_words().planned_words for token in clause):
        return resolved.date is None or published is None or _after(resolved.date, published, inclusive=True)
    return resolved.date is not None and published is not None and _after(resolved.date, published)


def _after(date: str, published: Published, inclusive: bool = False) -> bool:
    """Whether `date` lies after the publication date, compared at the coarser precision."""
    reference = (
        published.as_date().isoformat()[: len(date)] if published.day else published.month_text()[: len(date)]
    )
    return date >= reference if inclusive else date > reference
