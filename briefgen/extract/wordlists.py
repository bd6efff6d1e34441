"""The word lists extraction reads as data (briefgen/extract/data/*.yaml): one reader, each file read once.

No rule module holds a list of words in code: cue verbs, role heads, ranks, place heads, institution
names and the like live in these files, where a reviewer can read them and a desk can see what counts.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).with_name("data")


@cache
def word_lists(name: str) -> dict[str, Any]:
    """The mapping in data/<name>.yaml (shared by every caller: treat it as read-only)."""
    data: dict[str, Any] = yaml.safe_load((DATA / f"{name}.yaml").read_text(encoding="utf-8"))
    return data
