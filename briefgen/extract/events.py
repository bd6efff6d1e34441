"""Events: one per dated clause, with kind from keywords nearest the date, actors and places."""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span, Token

from briefgen.extract.dates import CANDIDATES, Published, Resolved, resolve
from briefgen.extract.index import EntityIndex
from briefgen.extract.paragraphs import Paragraphs, sentence_of
from briefgen.facts import Event

# Keyword (lemma or lower form) -> event kind.
KIND_WORDS: dict[str, str] = {
    **dict.fromkeys(["withdraw", "withdrawal", "pullout", "drawdown", "closure", "reduction", "evacuation",
                     "exit", "departure"], "withdrawal"),
    **dict.fromkeys(["attack", "bombing", "ambush", "assault", "raid", "offensive"], "attack"),
    **dict.fromkeys(["airstrike", "strike", "bombard", "shelling"], "strike"),
    **dict.fromkeys(["arrest", "capture", "detain", "apprehend"], "arrest"),
    **dict.fromkeys(["kill", "execute", "assassinate", "assassination", "killing", "execution"], "killing"),
    **dict.fromkeys(["say", "stress", "warn", "tell", "announce", "state", "affirm", "acknowledge",
                     "confirm", "emphasize", "argue", "describe", "reiterate", "pledge", "voice"], "statement"),
    **dict.fromkeys(["agreement", "deal", "memorandum", "accord", "commission", "treaty", "sign",
                     "timetable"], "agreement"),
    **dict.fromkeys(["deploy", "redeploy", "redeployment", "deployment", "relocate", "station",
                     "reinforce"], "deployment"),
}
PHRASAL = {("pull", "out"): "withdrawal", ("troop", "reduction"): "withdrawal"}
PLANNED_BEFORE = re.compile(r"\b(?:by|until|before|scheduled for|due|set for|expected in|slated for)\s*$", re.I)
PLANNED_WORDS = {"will", "plan", "plans", "planned", "scheduled", "expected", "deadline", "upcoming", "slated",
                 "timetable", "due", "aim", "intend"}
_CLAUSE_DEPS = {"ROOT", "ccomp", "conj", "advcl", "relcl"}
_SUBJECTS = {"nsubj", "nsubjpass", "expl"}
MIN_CLAUSE_TOKENS = 5


def date_spans(doc: Doc) -> list[Span]:
    """DATE entities plus regex date candidates, without overlaps (longest first)."""
    spans = [ent for ent in doc.ents if ent.label_ == "DATE"]
    for match in CANDIDATES.finditer(doc.text):
        span = doc.char_span(match.start(), match.end(), alignment_mode="expand")
        if span is not None:
            spans.append(span)
    chosen: list[Span] = []
    taken: set[int] = set()
    for span in sorted(spans, key=lambda span: (-(span.end_char - span.start_char), span.start_char)):
        if not taken.intersection(range(span.start_char, span.end_char)):
            chosen.append(span)
            taken.update(range(span.start_char, span.end_char))
    return sorted(chosen, key=lambda span: span.start_char)


def extract_events(doc: Doc, doc_id: str, published: Published | None, index: EntityIndex,
                   paragraphs: Paragraphs) -> list[Event]:
    """One Event per resolvable date expression outside headings."""
    events = []
    previous: Resolved | None = None
    for span in date_spans(doc):
        if paragraphs.is_heading(span.start_char) or _inside_name(span):
            continue
        resolved = _resolve(span, published, previous)
        if resolved is None:
            continue
        previous = resolved
        events.append(_event(doc, doc_id, span, resolved, published, index))
    return events


def _inside_name(span: Span) -> bool:
    """Years glued into a name ("F-2024") or an entity of another kind."""
    return any(token.ent_type_ in ("PRODUCT", "ORG", "PERSON") for token in span)


def _resolve(span: Span, published: Published | None, previous: Resolved | None) -> Resolved | None:
    if span.text.lower().startswith("the same") and previous is not None:
        return previous
    return resolve(span.text, published)


def _event(doc: Doc, doc_id: str, span: Span, resolved: Resolved, published: Published | None,
           index: EntityIndex) -> Event:
    clause = clause_span(span)
    sentence = sentence_of(span)
    start, end = clause.start_char, clause.end_char
    actors = index.actors_in(start, end) or index.actors_in(sentence.start_char, sentence.end_char)
    places = index.places_in(start, end) or index.places_in(sentence.start_char, sentence.end_char)
    return Event(
        id=f"ev-{doc_id}-{span.start_char}", date=resolved.date, date_text=span.text,
        kind=event_kind(clause, span), what=clause.text, doc=doc_id, start=start, end=end,
        precision=resolved.precision,  # type: ignore[arg-type]
        planned=is_planned(doc, span, clause, resolved, published), actors=actors, locations=places,
    )


def clause_span(span: Span) -> Span:
    """The clause around a date: the subtree of the nearest verb with its own subject, else the sentence."""
    sentence = sentence_of(span)
    token: Token = span.root
    while token.head.i != token.i:
        token = token.head
        if token.pos_ in ("VERB", "AUX") and token.dep_ in _CLAUSE_DEPS and _has_subject(token):
            break
    else:
        return _trim(sentence)
    clause = _trim(token.doc[token.left_edge.i:token.right_edge.i + 1])
    if len(clause) < MIN_CLAUSE_TOKENS or not (sentence.start <= clause.start <= span.start
                                               and span.end <= clause.end <= sentence.end):
        return _trim(sentence)
    return clause


def _has_subject(token: Token) -> bool:
    return any(child.dep_ in _SUBJECTS for child in token.children)


def _trim(span: Span) -> Span:
    """Without leading/trailing punctuation, conjunctions or whitespace."""
    start, end = span.start, span.end
    while start < end and (span.doc[start].is_punct or span.doc[start].is_space or span.doc[start].dep_ == "cc"):
        start += 1
    while end > start and (span.doc[end - 1].is_space or span.doc[end - 1].text in ",;:—–"):
        end -= 1
    return span.doc[start:end] if end > start else span


def event_kind(clause: Span, date: Span) -> str:
    """The kind whose keyword sits nearest the date inside the clause; "other" when none."""
    best, distance = "other", len(clause) + 1
    for token in clause:
        kind = PHRASAL.get((token.lemma_.lower(), token.nbor().lower_ if token.i + 1 < len(token.doc) else ""))
        kind = kind or KIND_WORDS.get(token.lemma_.lower()) or KIND_WORDS.get(token.lower_)
        if kind is None and token.lower_.startswith("airstrike"):
            kind = "strike"
        if kind is None:
            continue
        gap = date.start - token.i if token.i < date.start else token.i - date.end + 1
        if gap < distance:
            best, distance = kind, gap
    return best


def is_planned(doc: Doc, span: Span, clause: Span, resolved: Resolved, published: Published | None) -> bool:
    """A deadline ("by September 2026"), a future cue in the clause, or a date after publication."""
    if resolved.future_hint or PLANNED_BEFORE.search(doc.text[max(0, span.start_char - 20):span.start_char]):
        return True
    if any(token.lower_ in PLANNED_WORDS for token in clause):
        return resolved.date is None or published is None or _after(resolved.date, published, inclusive=True)
    return resolved.date is not None and published is not None and _after(resolved.date, published)


def _after(date: str, published: Published, inclusive: bool = False) -> bool:
    """Whether `date` lies after the publication date, compared at the coarser precision."""
    reference = published.as_date().isoformat()[:len(date)] if published.day else published.month_text()[:len(date)]
    return date >= reference if inclusive else date > reference
