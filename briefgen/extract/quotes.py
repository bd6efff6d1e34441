"""Quotes: direct quotations with their speaker, and reported claims ("X warned that ...").

A speaker is found, in order: a cue verb after the quote ("..., he said"), a cue
verb before it in the same sentence ("X said ..."), the last person named earlier
in the paragraph, or in the previous paragraph when it ends with a colon.
"he"/"she" resolve to the last person named outside quotations.
"""

from __future__ import annotations

import bisect
import re

from spacy.tokens import Doc, Span, Token

from briefgen.extract.index import EntityIndex
from briefgen.extract.lexicon import CUE_VERBS, DISPUTED_CUES
from briefgen.extract.paragraphs import Paragraphs, sentence_of
from briefgen.facts import Quote

PRONOUNS = {"he", "she"}
_SUBJECT_DEPS = {"nsubj", "nsubjpass"}
ACCORDING = re.compile(r"\b[Aa]ccording to ([^,.;]{2,80}),\s*([^.;]+)")
DISPUTE_MARKERS = re.compile(
    r"\b(?:unverified|unconfirmed|disputed|politically charged|rather than established fact|allegedly"
    r"|could not be (?:independently )?verified|without evidence)\b", re.I)
AFTER_WINDOW = 8
MIN_CLAIM_TOKENS = 3


class QuoteFinder:
    """Finds the quotes of one parsed document."""

    def __init__(self, doc: Doc, doc_id: str, index: EntityIndex, paragraphs: Paragraphs) -> None:
        self.doc, self.doc_id, self.index, self.paragraphs = doc, doc_id, index, paragraphs
        self._token_starts = [token.idx for token in doc]
        self.regions = quote_regions(doc.text, paragraphs)

    def find(self) -> list[Quote]:
        """Direct quotes then reported claims, with disputed marks applied."""
        quotes = [quote for start, end in self.regions if (quote := self._direct(start, end))]
        quotes += self._claims()
        disputed = [p for p in self.paragraphs.items if DISPUTE_MARKERS.search(self.doc.text, p.start, p.end)]
        for quote in quotes:
            if any(p.start <= quote.start < p.end for p in disputed):
                quote.disputed = True
        return sorted(quotes, key=lambda quote: quote.start)

    def _token(self, offset: int) -> Token:
        return self.doc[max(bisect.bisect_right(self._token_starts, offset) - 1, 0)]

    def _direct(self, start: int, end: int) -> Quote | None:
        inner_start, inner_end = _strip(self.doc.text, start, end)
        if inner_end - inner_start < 2:
            return None
        speaker = self._speaker_after(end) or self._speaker_before(start) or self._speaker_nearby(start)
        actor_id, name, cue = speaker if speaker else (None, None, None)
        return Quote(id=f"quote-{self.doc_id}-{inner_start}", speaker=actor_id, speaker_name=name,
                     text=self.doc.text[inner_start:inner_end], doc=self.doc_id, start=inner_start,
                     end=inner_end, cue=cue, direct=True)

    def _speaker_after(self, end: int) -> tuple[str | None, str, str] | None:
        first = self._token(end)
        sentence_end = sentence_of(first).end
        for token in self.doc[first.i:min(first.i + AFTER_WINDOW, sentence_end)]:
            if token.lemma_ in CUE_VERBS and token.pos_ == "VERB" and not self._in_region(token.idx):
                return self._subject_of(token, after=True)
        return None

    def _speaker_before(self, start: int) -> tuple[str | None, str, str] | None:
        token = self._token(start)
        sentence = sentence_of(token)
        verbs = [t for t in self.doc[sentence.start:token.i]
                 if t.lemma_ in CUE_VERBS and t.pos_ == "VERB" and not self._in_region(t.idx)]
        for verb in reversed(verbs):
            if found := self._subject_of(verb):
                return found
        root = sentence.root
        if root.i < token.i:
            subject = self._actor_subject(root)
            if subject is not None:
                return subject[0], subject[1], root.lemma_
        return None

    def _speaker_nearby(self, start: int) -> tuple[str | None, str, str] | None:
        index = self.paragraphs.index(start)
        paragraph = self.paragraphs.items[index]
        found = self._person_between(paragraph.start, start)
        if found is None and index > 0:
            previous = self.paragraphs.items[index - 1]
            if self.doc.text[previous.start:previous.end].rstrip().endswith(":"):
                found = self._person_between(previous.start, previous.end)
        return (found[0], found[1], None) if found else None  # type: ignore[return-value]

    def _person_between(self, start: int, end: int) -> tuple[str, str] | None:
        found = None
        for span_start, span_end, actor_id, text in self.index.actor_spans:
            if start <= span_start < end and not self._in_region(span_start) \
                    and self.index.actors[actor_id].kind == "person":
                found = (actor_id, text)
        return found

    def _in_region(self, offset: int) -> bool:
        return any(start <= offset < end for start, end in self.regions)

    def _subject_of(self, verb: Token, after: bool = False) -> tuple[str | None, str, str] | None:
        """The (actor id, name, cue) who does `verb`: its subject, or a name right after it."""
        subject = self._actor_subject(verb)
        if subject is not None:
            return subject[0], subject[1], verb.lemma_
        if after and verb.i + 1 < len(self.doc):
            found = self.index.actor_at(verb.idx + len(verb.text) + 1, verb.nbor().idx + len(verb.nbor().text))
            if found:
                return found[0], found[1], verb.lemma_
        return None

    def _actor_subject(self, verb: Token) -> tuple[str | None, str] | None:
        for child in verb.children:
            if child.dep_ not in _SUBJECT_DEPS:
                continue
            if child.lower_ in PRONOUNS:
                person = self.index.last_person_before(child.idx, self.regions)
                return (person[0], child.text if person is None else person[1]) if person else None
            span = self.doc[child.left_edge.i:child.i + 1]
            found = self.index.actor_at(child.idx, child.idx + len(child.text))
            found = found or self.index.person_in(span.start_char, span.end_char)
            return found or (None, span.text)
        if verb.dep_ in ("advcl", "xcomp", "conj") and verb.head.i != verb.i:
            return self._actor_subject(verb.head)
        return None

    def _claims(self) -> list[Quote]:
        claims = []
        for token in self.doc:
            if token.lemma_ not in CUE_VERBS or token.pos_ != "VERB" or self._in_region(token.idx):
                continue
            claim = self._claim(token)
            if claim is not None:
                claims.append(claim)
        claims += self._according()
        return claims

    def _claim(self, verb: Token) -> Quote | None:
        subject = self._actor_subject(verb)
        if subject is not None and subject[0] is None:
            subject = None
        complement = next((c for c in verb.children if c.dep_ in ("ccomp", "dobj", "xcomp", "oprd")
                           and c.i > verb.i), None)
        if subject is None or complement is None:
            return None
        first = verb.i + 1
        while first < len(self.doc) and self.doc[first].lower_ in ("that", ","):
            first += 1
        span = _trim(self.doc[first:complement.right_edge.i + 1])
        if len(span) < MIN_CLAIM_TOKENS or any(self._in_region(t.idx) for t in (span[0], span[-1])) \
                or any(span.start_char <= start < span.end_char for start, _ in self.regions):
            return None
        return Quote(id=f"quote-{self.doc_id}-{span.start_char}", speaker=subject[0], speaker_name=subject[1],
                     text=span.text, doc=self.doc_id, start=span.start_char, end=span.end_char,
                     cue=verb.lemma_, direct=False, disputed=verb.lemma_ in DISPUTED_CUES)

    def _according(self) -> list[Quote]:
        claims = []
        for match in ACCORDING.finditer(self.doc.text):
            found = self.index.actor_at(match.start(1), match.end(1))
            start, end = match.span(2)
            claims.append(Quote(id=f"quote-{self.doc_id}-{start}", speaker=found[0] if found else None,
                                speaker_name=found[1] if found else match[1], text=self.doc.text[start:end],
                                doc=self.doc_id, start=start, end=end, cue="according to", direct=False))
        return claims


def quote_regions(text: str, paragraphs: Paragraphs) -> list[tuple[int, int]]:
    """(start, end) of each quotation including its marks; an unclosed quote runs to the paragraph end."""
    regions = []
    for paragraph in paragraphs.items:
        opened: int | None = None
        for position in range(paragraph.start, paragraph.end):
            char = text[position]
            if char == "“" or (char == '"' and opened is None):
                opened = position if opened is None or char == '"' else opened
            elif (char == "”" or char == '"') and opened is not None:
                regions.append((opened, position + 1))
                opened = None
        if opened is not None:
            regions.append((opened, paragraph.end))
    return regions


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    """The quoted words without marks, spaces, or a trailing comma."""
    while start < end and text[start] in "“”\" ":
        start += 1
    while end > start and text[end - 1] in "“”\" ,":
        end -= 1
    return start, end


def _trim(span: Span) -> Span:
    start, end = span.start, span.end
    while end > start and (span.doc[end - 1].is_punct or span.doc[end - 1].is_space):
        end -= 1
    return span.doc[start:end] if end > start else span
