"""Dates that belong to page furniture, not to the story: time stamps, datelines and captions.

- A time stamp: a date next to a clock time ("10:21, May 7, 2025", "March 15, 2025 / 11:42 AM") or after
  a label such as "Published:" or "Updated".
- A dateline: a date after a capitalised place and a comma that opens a sentence ("CAIRO, July 8."),
  or one followed by an agency in brackets ("March 15 (UPI) --").
- A line that opens with a full date and goes on without a verb for it ("December 17, 2025 Release
  Number ..."), unless the date is the sentence's subject.
- A caption: the sentence holding the date is followed by a picture credit ("(AP Photo)", "Photo: ...",
  "Getty", "AGENCY/Photographer").
"""

from __future__ import annotations

import re
from functools import cache

from spacy.tokens import Span, Token

from briefgen.extract.eventwords import event_words
from briefgen.extract.offsets import doc_text
from briefgen.extract.paragraphs import Paragraphs, sentence_of

_CLOCK = re.compile(r"^\d{1,2}[:.]\d{2}$")
_MERIDIEM = {"am", "pm", "a.m.", "p.m."}
STAMP_REACH = 3  # tokens either side of a date searched for a clock time or a label
CAPTION_REACH = 160  # characters after a date searched for the end of its sentence and a credit
_SUBJECTS = {"nsubj", "nsubjpass"}


@cache
def _credit() -> re.Pattern[str]:
    """A picture credit opening the text after a caption."""
    words = "|".join(re.escape(word) for word in event_words().credit_words)
    return re.compile(
        rf"^(?:\([^()\n]{{0,30}}\b(?:{words})\b[^()\n]{{0,30}}\)"  # "(AP Photo)", "(Photo: X)"
        rf"|(?:{words})\s*(?::|/|\bcourtesy\b|\bby\b)"  # "Photo: X", "Photo courtesy of X"
        rf"|getty\b"  # "Getty", "Getty Images"
        r"|[A-Z]{2,}/[A-Z])",  # "AGENCY/Photographer"
        re.IGNORECASE,
    )


def is_furniture(span: Span, paragraphs: Paragraphs) -> bool:
    """Whether a date is a time stamp, a dateline or a caption's date (see the module docstring)."""
    return _is_stamp(span) or _is_dateline(span) or _opens_line(span, paragraphs) or _is_caption(span)


def _is_stamp(span: Span) -> bool:
    doc = span.doc
    near = [*doc[max(0, span.start - STAMP_REACH) : span.start], *doc[span.end : span.end + STAMP_REACH]]
    if any(_CLOCK.match(token.text) or token.lower_ in _MERIDIEM for token in near):
        return True
    before = doc[max(0, span.start - STAMP_REACH) : span.start]
    return any(_stamp_label(token) for token in before)


def _stamp_label(token: Token) -> bool:
    """ "Published:", "Updated", "Posted on": a label word, capitalised or followed by a colon (not
    "a statement posted on Thursday")."""
    if token.lower_ not in event_words().timestamp_labels:
        return False
    following = token.nbor() if token.i + 1 < len(token.doc) else None
    return token.is_title or token.is_upper or (following is not None and following.text == ":")


def _is_dateline(span: Span) -> bool:
    doc = span.doc
    if span.start >= 2 and doc[span.start - 1].text == "," and _place_caps(doc[span.start - 2]):
        opener = doc[span.start - 2]
        if opener.i == sentence_of(opener).start or "\n" in doc[opener.i - 1].whitespace_ + doc[opener.i - 1].text:
            return True
    after = doc[span.end : span.end + 4]
    return (
        len(after) == 4
        and after[0].text == "("
        and after[1].text[:1].isupper()
        and after[2].text == ")"
        and after[3].text in {"-", "--", "—", "–"}
    )


def _place_caps(token: Token) -> bool:
    """An all-capitals word of more than one letter: the place of a dateline."""
    return token.is_upper and token.is_alpha and len(token.text) > 1


def _opens_line(span: Span, paragraphs: Paragraphs) -> bool:
    """A full date opening a line, followed by more capitalised words and not a subject."""
    paragraph = paragraphs.at(span.start_char)
    if paragraph is None or paragraph.start != span.start_char or span.end >= len(span.doc):
        return False
    following = span.doc[span.end]
    has_year = any(token.like_num and len(token.text) == 4 for token in span)
    return has_year and following.is_title and span.root.dep_ not in _SUBJECTS


def _is_caption(span: Span) -> bool:
    """The sentence holding the date ends, and a picture credit follows."""
    text = doc_text(span.doc)
    tail = text[span.end_char : span.end_char + CAPTION_REACH].split("\n", 1)[0]
    end = re.search(r"[.!?]\s+", tail)
    return end is not None and bool(_credit().match(tail[end.end() :]))
