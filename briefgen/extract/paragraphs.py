"""Paragraph spans and heading detection over a document's plain text."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

_PARAGRAPH = re.compile(r"[^\n]+")
_SENTENCE_END = re.compile(r"[.!?:;”\"’)]\s*$")
HEADING_MAX_WORDS = 12
TITLE_MAX_WORDS = 30
SMALL_WORDS = 3  # letters: "by", "in", "of", "the" stay lower case in a title
_LINES_KEY = "briefgen.token_lines"  # where TokenLines keeps a Doc's, in its user_data


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
    if not doc.has_annotation("SENT_START"):
        raise ValueError("sentence_of needs a Doc with sentence boundaries (parsed, or sentencized)")
    lines = TokenLines.of(doc)
    start, sentence_end = lines.sentence(first.i)
    end = max(sentence_end, last.i + 1)
    while start > 0 and lines.joins[start - 1]:
        start = lines.sentence(start - 1)[0]
    for i in range(first.i - 1, start - 1, -1):
        if lines.breaks_in[i] or lines.breaks_after[i]:
            start = i + 1
            break
    for i in range(last.i, end):
        if lines.breaks_in[i]:
            end = i
            break
        if lines.breaks_after[i]:
            end = i + 1
            break
    return doc[start:end]


@dataclass(frozen=True)
class TokenLines:
    """What `sentence_of` asks of a parsed Doc's tokens, read once a Doc (spaCy makes a Token object on each
    `doc[i]`, and `Token.sent` walks the tokens): where its sentences start, and for each token whether a
    line break is in its text or after it, and whether it is a word with a space after it."""

    starts: list[int]  # the first token of each sentence, in order
    breaks_in: list[bool]
    breaks_after: list[bool]
    joins: list[bool]

    @classmethod
    def of(cls, doc: Doc) -> TokenLines:
        """The Doc's, made once and kept in its `user_data`."""
        lines: TokenLines | None = doc.user_data.get(_LINES_KEY)
        if lines is None:
            lines = doc.user_data[_LINES_KEY] = cls(
                starts=[sentence.start for sentence in doc.sents],
                breaks_in=["\n" in token.text for token in doc],
                breaks_after=["\n" in token.whitespace_ for token in doc],
                joins=[token.is_alpha and bool(token.whitespace_) for token in doc])
        return lines

    def sentence(self, i: int) -> tuple[int, int]:
        """The first token of token i's sentence and the token after its last (as `Token.sent` gives them)."""
        position = bisect.bisect_right(self.starts, i) - 1
        following = position + 1
        return self.starts[position], self.starts[following] if following < len(self.starts) else len(self.breaks_in)
