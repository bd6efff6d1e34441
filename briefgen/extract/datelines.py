"""Datelines: the place a report was filed from, which is not where what it tells happened.

Plain text only (no spaCy), so that assembly can tell a dateline without loading the pipeline.
"""

from __future__ import annotations

import re

_DATELINE_AFTER = re.compile(r"\s*(?:,[^,\n]{1,40}?)?\s*(?:\([^)]{0,40}\)\s*)?[—–-]")


def is_dateline(text: str, start: int, end: int) -> bool:
    """Whether a place opening a paragraph in capitals before a dash ("<TOWN> — ...", "<TOWN>, Aug. 5
    (Agency) --") says where a report was filed, not where what it tells happened."""
    opens = start == 0 or text[start - 1] == "\n"
    return opens and text[start:end].isupper() and bool(_DATELINE_AFTER.match(text, end))
