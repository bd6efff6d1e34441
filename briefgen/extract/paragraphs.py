"""Paragraph spans and heading detection over a document's plain text."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from spacy.tokens import Span, Token

_PARAGRAPH = re.compile(r"[^\n]+")
_SENTENCE_END = re.compile(r"[.!?:;”\"’)]\s*$")
HEADING_MAX_WORDS = 12
TITLE_MAX_WORDS = 30
SMALL_WORDS = 3  # letters: "by", "in", "of", "the" stay lower case in a title


@dataclass(frozen=True)
class Paragraph:
    """A paragraph's offsets and whether it reads as a heading."""

    start: int
    end: int
    heading: bool


class Paragraphs:
    """The paragraphs of a text (ingest leaves one paragraph per line), searchable by offset."""

    def __init__(self, text: str) -> None:
        self.items = [self._paragraph(match) for match in _PARAGRAPH.finditer(text) if match.group().strip()]
        self._starts = [item.start for item in self.items]

    @staticmethod
    def _paragraph(match: re.Match[str]) -> Paragraph:
        body = match.group()
        # A short line with no sentence-final punctuation is a section heading, and so is a longer one in
        # title case ("Wagner Replaced by Russia's Africa Corps in Mali, Diplomatic Sources Say").
        words = body.split()
        heading = not _SENTENCE_END.search(body) and (
            len(words) < HEADING_MAX_WORDS or (len(words) <= TITLE_MAX_WORDS and _title_case(words)))
        return Paragraph(match.start(), match.end(), heading)

    def index(self, offset: int) -> int:
        """The index of the paragraph holding `offset` (the one before it, between paragraphs)."""
        return max(bisect.bisect_right(self._starts, offset) - 1, 0)

    def at(self, offset: int) -> Paragraph | None:
        """The paragraph holding `offset`, or None."""
        if not self.items:
            return None
        return self.items[self.index(offset)]

    def is_heading(self, offset: int) -> bool:
        """True when `offset` lies in a heading line."""
        paragraph = self.at(offset)
        return paragraph is not None and paragraph.heading and paragraph.start <= offset < paragraph.end


def _title_case(words: list[str]) -> bool:
    """Every word longer than a small word starts with a capital or a digit."""
    long_words = [word for word in words if len(word.strip("\"'“”‘’(),:")) > SMALL_WORDS]
    return bool(long_words) and all(word.lstrip("\"'“‘(")[:1].isupper() or word[:1].isdigit()
                                    for word in long_words)


def sentence_of(item: Span | Token) -> Span:
    """The sentence around a token or span, cut at line breaks (the parser may run across paragraphs)
    and joined across a break the parser made between two words ("Researcher | Ahmed al-Yasseri")."""
    first = item if isinstance(item, Token) else item[0]
    last = item if isinstance(item, Token) else item[-1]
    doc = first.doc
    start, end = first.sent.start, max(first.sent.end, last.i + 1)
    while start > 0 and doc[start - 1].is_alpha and doc[start - 1].whitespace_:
        start = doc[start - 1].sent.start
    for i in range(first.i - 1, start - 1, -1):
        if "\n" in doc[i].text or "\n" in doc[i].whitespace_:
            start = i + 1
            break
    for i in range(last.i, end):
        if "\n" in doc[i].text:
            end = i
            break
        if "\n" in doc[i].whitespace_:
            end = i + 1
            break
    return doc[start:end]
