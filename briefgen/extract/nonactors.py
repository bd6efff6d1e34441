"""Names that are no actor of the story: the document's outlet, news organizations, bylines, labels.

A whole cluster of linked mentions is dropped when one of its mentions names a
news organization (the document's own outlet, a name ending in "News" or
"Courier", "the newspaper X", the addressee of "told X") or a byline ("Filed by
X", "Reporting: X"). A cluster of single capitalised words not in the gazetteer
is dropped when every mention stands where a label or heading word stands
(before a colon, in a heading, or opening a sentence without being the subject
of a verb): "Methodology: three clinics ...".
"""

from __future__ import annotations

import re

from spacy.tokens import Span

from briefgen.extract.actors import Candidate
from briefgen.extract.lexicon import (
    ADDRESSEE_CUES,
    BYLINE_CUES,
    MEDIA_NAME_PAIRS,
    MEDIA_NAME_WORDS,
    MEDIA_NOUNS,
)
from briefgen.extract.offsets import doc_text
from briefgen.extract.paragraphs import Paragraphs, sentence_of
from briefgen.extract.pipeline import name_key

_WORD = re.compile(r"[A-Za-z]+")
_SUBJECT_DEPS = {"nsubj", "nsubjpass"}


def drop_non_actors(candidates: list[Candidate], paragraphs: Paragraphs, outlet: str | None) -> list[Candidate]:
    """The candidates left after removing clusters that name no actor of the story."""
    outlet_key = name_key(outlet) if outlet else None
    clusters: dict[int, list[Candidate]] = {}
    for candidate in candidates:
        clusters.setdefault(candidate.cluster, []).append(candidate)
    dropped = {
        cluster
        for cluster, members in clusters.items()
        if any(_names_source(member, paragraphs, outlet_key) for member in members)
        or all(_is_label_word(member, paragraphs) for member in members)
    }
    return [candidate for candidate in candidates if candidate.cluster not in dropped]


def _names_source(candidate: Candidate, paragraphs: Paragraphs, outlet_key: str | None) -> bool:
    """The outlet, a news organization or a byline name (never a gazetteer actor, except the outlet)."""
    span = candidate.span
    if outlet_key and name_key(span.text) == outlet_key:
        return True
    if candidate.known is not None:
        return False
    if candidate.kind == "organization" and (is_media_name(span) or is_addressee(span)):
        return True
    return is_byline(span, paragraphs)


def is_media_name(span: Span) -> bool:
    """A news organization by its name ("Valley News") or a noun before it ("the newspaper X")."""
    words = [word.lower() for word in _WORD.findall(span.text)]
    if len(words) >= 2 and (words[-1] in MEDIA_NAME_WORDS or tuple(words[-2:]) in MEDIA_NAME_PAIRS):
        return True
    return span.start > 0 and span.doc[span.start - 1].lower_ in MEDIA_NOUNS


def is_addressee(span: Span) -> bool:
    """An organization told something: "..., she told the Example Herald"."""
    root = span.root
    return span.label_ == "ORG" and root.dep_ in ("dobj", "dative") and root.head.lemma_ in ADDRESSEE_CUES


def is_byline(span: Span, paragraphs: Paragraphs) -> bool:
    """A name after "Filed by" / "Reporting by" / "By" / "Reporting:" at the start of a line."""
    paragraph = paragraphs.at(span.start_char)
    if paragraph is None or not paragraph.start <= span.start_char < paragraph.end:
        return False
    before = _cue_words(doc_text(span.doc), paragraph.start, span.start_char)
    if not before:
        return False
    return before[-1] == "by" or (len(before) == 1 and before[0].endswith(":"))


def _cue_words(text: str, start: int, end: int) -> list[str] | None:
    """The lower-case words of text[start:end] when each is a byline cue, else None. Read from the
    end and stopped at the first other word, so that a long line is not read again for every name."""
    words: list[str] = []
    position = end
    while True:
        while position > start and text[position - 1].isspace():
            position -= 1
        if position == start:
            return words[::-1]
        word_end = position
        while position > start and not text[position - 1].isspace():
            position -= 1
        word = text[position:word_end].lower()
        if word.rstrip(":") not in BYLINE_CUES:
            return None
        words.append(word)


def _is_label_word(candidate: Candidate, paragraphs: Paragraphs) -> bool:
    """A single unknown capitalised word standing as a label: before a colon ("Methodology: ..."), in a
    heading, or opening a sentence without being a name that does something ("Hassan warned" stays)."""
    span = candidate.span
    if candidate.known is not None or len(span) != 1 or candidate.kind != "person":
        return False
    doc, token = span.doc, span[0]
    if (span.end < len(doc) and doc[span.end].text == ":") or paragraphs.is_heading(span.start_char):
        return True
    opens_sentence = span.start == sentence_of(span).start
    return opens_sentence and (token.pos_ != "PROPN" or token.dep_ not in _SUBJECT_DEPS)
