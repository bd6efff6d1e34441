"""Linear-time helpers over a parsed document's text and character offsets.

spaCy rebuilds `Doc.text` from every token on each access, so reading it once per entity or token
makes extraction quadratic in the text's length: every rule reads it through `doc_text`, which
builds it once per document. Intervals and word lookups go through bisection or one pass over the
text, never a scan per mention.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable

from spacy.tokens import Doc

_TEXT_KEY = "briefgen.text"


def doc_text(doc: Doc) -> str:
    """`doc.text`, built once per document and kept in its `user_data`."""
    text = doc.user_data.get(_TEXT_KEY)
    if text is None:
        text = doc.user_data[_TEXT_KEY] = doc.text
    return text


class Intervals:
    """Sorted, non-overlapping [start, end) intervals (quotations, say), searchable by offset."""

    def __init__(self, intervals: Iterable[tuple[int, int]]) -> None:
        self.items = sorted(intervals)
        self._starts = [start for start, _ in self.items]

    def holds(self, offset: int) -> bool:
        """Whether an interval contains `offset`."""
        position = bisect.bisect_right(self._starts, offset) - 1
        return position >= 0 and offset < self.items[position][1]

    def starts_within(self, start: int, end: int) -> bool:
        """Whether an interval starts inside [start, end)."""
        position = bisect.bisect_left(self._starts, start)
        return position < len(self._starts) and self._starts[position] < end


def merged(intervals: Iterable[tuple[int, int]]) -> Intervals:
    """Possibly overlapping intervals as their union (so that `holds` answers for any of them)."""
    union: list[tuple[int, int]] = []
    for start, end in sorted(intervals):
        if start >= end:
            continue
        if union and start <= union[-1][1]:
            union[-1] = (union[-1][0], max(union[-1][1], end))
        else:
            union.append((start, end))
    return Intervals(union)


def find_each(text: str, words: dict[str, tuple[str, re.Pattern[str]]]) -> dict[str, list[tuple[int, int]]]:
    """For each word, the (start, end) of every match of its pattern, as `pattern.finditer(text)` gives them.

    `words` maps a word to (the characters a match may start with, its pattern); a pattern must
    start at a word boundary, with one of those characters followed by the word's other letters.
    One pass over the text looks each word start up, so the cost does not grow with the number of
    words times the text's length.
    """
    keys: dict[str, list[str]] = {}  # a match's possible text -> its words
    for word, (firsts, _) in words.items():
        for first in dict.fromkeys(firsts):
            keys.setdefault(first + word[1:], []).append(word)
    found: dict[str, list[tuple[int, int]]] = {word: [] for word in words}
    if not keys:
        return found
    lengths = sorted({len(key) for key in keys})
    starts = re.compile(r"\b[" + "".join(re.escape(key[0]) for key in keys) + "]")
    for start in starts.finditer(text):
        offset = start.start()
        for length in lengths:
            for word in keys.get(text[offset : offset + length], ()):
                spans = found[word]
                if spans and offset < spans[-1][1]:
                    continue  # finditer does not return overlapping matches
                if match := words[word][1].match(text, offset):
                    spans.append(match.span())
    return found
