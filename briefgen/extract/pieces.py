"""Long texts parsed in pieces and joined back into one Doc whose text and offsets are the original's.

spaCy refuses a text over `nlp.max_length` (1,000,000 characters, error E088), and the parser and
NER need temporary memory that grows with the length of the text parsed at once. A text longer
than PIECE_CHARS is cut into consecutive pieces (after a blank line where one fits, else after a
sentence end, else after whitespace, else at the limit), the pieces are parsed one at a time and
joined with `Doc.from_docs(..., ensure_whitespace=False)`, so the joined `doc.text` is exactly the
text and every character offset stays valid. A text of PIECE_CHARS or fewer is parsed whole.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from spacy.language import Language
from spacy.tokens import Doc

# 30,000 characters (about 5,000 words): nearly every news article still goes through whole, as
# before, while the parser's temporary memory for one piece stays a few hundred MB at most (measured
# with benchmarks/extract_scaling.py: about 3 MB per 1,000 characters parsed at once, on top of the
# model's 200 MB). Smaller pieces would only add junctions, where a sentence can be cut in two.
PIECE_CHARS = 30_000
# Where a piece may end, best first: after a blank line, after a sentence end, after whitespace.
_BREAKS = (
    re.compile(r"\n[^\S\n]*\n\s*"),
    re.compile(r"[.!?][\"'”’)\]]*\s+"),
    re.compile(r"\s+"),
)


def split_text(text: str, limit: int = PIECE_CHARS) -> list[str]:
    """`text` as consecutive pieces of at most `limit` characters that join back into it exactly."""
    pieces = []
    start = 0
    while len(text) - start > limit:
        end = _cut(text, start, start + limit)
        pieces.append(text[start:end])
        start = end
    pieces.append(text[start:])
    return pieces


def _cut(text: str, start: int, stop: int) -> int:
    """Where the piece starting at `start` ends: the last break of the best kind before `stop`."""
    for pattern in _BREAKS:
        end = start
        for match in pattern.finditer(text, start, stop):
            # A break cut off by `stop` would split a run of whitespace: only one that ends there.
            if match.end() < stop or not text[stop].isspace():
                end = match.end()
        if end > start:
            return end
    return stop


def parse_long(nlp: Language, text: str, disable: Iterable[str] = ()) -> Doc:
    """One Doc for a text of any length, parsed in pieces of at most PIECE_CHARS characters (by every
    component but those `disable` names)."""
    pieces = list(nlp.pipe(split_text(text), batch_size=1, disable=list(disable)))
    if len(pieces) == 1:
        return pieces[0]
    # The tensor (the model's internal token vectors) is no use to the fact rules: not copied.
    return Doc.from_docs(pieces, ensure_whitespace=False, exclude=["tensor"])  # type: ignore[call-arg]  # stub lags
