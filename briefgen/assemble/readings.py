"""What is read from one document alone, read once for every set of a build's documents.

A build assembles its brief from several sets of documents (all sources; the releasable ones for a public
audience). What depends on one document's text, publication date and facts alone (a figure's reading, the
sentence a citation quotes) is the same in every set holding the document, so the indexes and citers of one
build share a dict of such readings, each under a key naming the fact or span it is read for.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")
Readings = dict[Hashable, Any]


def read_once(readings: Readings, key: Hashable, compute: Callable[[], T]) -> T:
    """What `compute` returns, computed the first time `key` is asked for in these readings."""
    if key not in readings:
        readings[key] = compute()
    return readings[key]
