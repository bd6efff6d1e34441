"""Keeping a brief to its audience's page limit (`max_pages`), not only warning about it.

The brief is bounded first (`assemble.bounded`: `max_citations` per item, a Sources list of the cited
sources) and rendered. While its PDF has more pages than the limit, the audience's limits are tightened and
the brief assembled and laid out again, at most `MAX_RENDERS` layouts in all (laying out a long brief costs
seconds, so each step is estimated from the last layout rather than found by trying item by item; only the
last is written as PDF):
each section kind that shows more than one item keeps the share of its items that the page limit is of the
pages rendered (less a margin for what does not shrink: the masthead, the analyst's text), at least one item
and at least one fewer than before; the citations per item shrink by the same share, to no fewer than one.
A section's items are in its own order of significance, so what is dropped is the least significant.
The analyst's own items (judgments, indicators, gaps) and the sections without items are never cut.
The limits a brief was cut to are kept in its edition's record, and the next edition tries them first.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

from weasyprint.document import Document

from briefgen.assemble import BriefInput, Prepared, assemble_brief
from briefgen.assemble.bounded import BoundedBrief, bound, item_counts
from briefgen.assemble.views import BriefView
from briefgen.render import Renderer

MAX_RENDERS = 4  # the first render and at most three tighter ones
# The share of the page limit that tightened items aim at: the rest is for what does not shrink.
FILL_MARGIN = 0.9


@dataclasses.dataclass
class FittedBrief:
    """The bounded brief as rendered: its view, source numbers and PDF (None when no PDF was asked for)."""

    bounded: BoundedBrief
    pdf: bytes | None
    pages: int | None
    renders: int
    dropped: list[str]  # what was left out to keep to the page limit, one phrase each
    # The limits it was cut to, as EditionRecord.fitted keeps them ({"limits": {kind: items}, "citations": per
    # item, "pages": its pages, "max_pages": the audience's limit}); None when the audience's own limits served.
    fit: dict[str, Any] | None = None


@dataclasses.dataclass
class _Attempt:
    """One try at fitting: the view assembled under some limits, bounded and laid out."""

    view: BriefView
    bounded: BoundedBrief
    laid_out: Document
    limits: dict[str, int]
    citations: int

    @property
    def pages(self) -> int:
        return len(self.laid_out.pages)


def fitted_brief(renderer: Renderer, given: BriefInput, prepared: Prepared, whole: BriefView,
                 export: str | None, pdf: bool, start: dict[str, Any] | None = None) -> FittedBrief:
    """The brief bounded, and, when a PDF is asked for and the audience has `max_pages`, cut to fit it.

    `start` is the fit of the audience's previous edition (EditionRecord.fitted), tried first: a brief a few
    sources longer than the last usually fits those limits at once, so it is laid out once rather than once per
    step. When it comes out more than a page shorter than the last (fewer sources), or the page limit has
    changed, fitting starts again from the audience's own limits."""
    own_limits, own_citations = dict(given.audience.limits), given.audience.max_citations
    bounded = bound(whole, own_citations, export)
    if not pdf:
        return FittedBrief(bounded, None, None, 0, [])
    limit, renders, most = given.audience.max_pages, 0, MAX_RENDERS
    attempt = None
    if start and start["max_pages"] == limit and (first := _start_from(start, own_limits, own_citations)):
        attempt, renders = _laid_out(renderer, given, prepared, export, *first), 1
        if attempt.pages < start["pages"] - 1:
            attempt, most = None, MAX_RENDERS + 1
    if attempt is None:  # laid out to count its pages; written as PDF once it fits
        attempt = _Attempt(whole, bounded, renderer.layout(bounded.view), own_limits, own_citations)
        renders += 1
    while limit is not None and attempt.pages > limit and renders < most:
        tighter = tightened(item_counts(attempt.view), attempt.limits, attempt.citations, attempt.pages / limit)
        if tighter is None:
            break
        attempt = _laid_out(renderer, given, prepared, export, *tighter)
        renders += 1
    dropped = dropped_items(item_counts(whole), item_counts(attempt.view), own_citations, attempt.citations)
    fit = None if attempt.view is whole else {"limits": attempt.limits, "citations": attempt.citations,
                                              "pages": attempt.pages, "max_pages": limit}
    return FittedBrief(attempt.bounded, renderer.pdf_bytes(attempt.laid_out), attempt.pages, renders, dropped, fit)


def _start_from(start: dict[str, Any], limits: dict[str, int], citations: int) -> tuple[dict[str, int], int] | None:
    """A previous fit's limits, none looser than the audience's own; None when it cuts nothing."""
    tighter = dict(limits)
    for kind, items in start["limits"].items():
        tighter[kind] = min(items, limits.get(kind, items))
    fewer = min(start["citations"], citations)
    return None if (tighter, fewer) == (limits, citations) else (tighter, fewer)


def _laid_out(renderer: Renderer, given: BriefInput, prepared: Prepared, export: str | None,
              limits: dict[str, int], citations: int) -> _Attempt:
    """The brief assembled under these limits and citations per item, bounded and laid out."""
    audience = given.audience.model_copy(update={"limits": limits, "max_citations": citations})
    view = assemble_brief(dataclasses.replace(given, audience=audience), prepared)
    bounded = bound(view, citations, export)
    return _Attempt(view, bounded, renderer.layout(bounded.view), limits, citations)


def tightened(counts: dict[str, int], limits: dict[str, int], citations: int,
              overrun: float) -> tuple[dict[str, int], int] | None:
    """Limits (and citations per item) for a brief `overrun` times as long as allowed; None when nothing
    more can be cut (every section down to one item, one citation per item)."""
    share = FILL_MARGIN / overrun
    tighter = dict(limits)
    for kind, shown in counts.items():
        # a section may show more than its limit (a timeline's upcoming entries beyond it): the limit shrinks
        current = min(shown, limits.get(kind, shown))
        if shown > 1 and current > 1:
            tighter[kind] = max(1, min(current - 1, math.floor(current * share)))
    fewer = max(1, min(citations - 1, round(citations * share))) if citations > 1 else 1
    if tighter == limits and fewer == citations:
        return None
    return tighter, fewer


def dropped_items(before: dict[str, int], after: dict[str, int], citations: int, fewer: int) -> list[str]:
    """One phrase per section kind that lost items ('5 of 8 key_figures items'), and the citations."""
    phrases = [f"{before[kind] - after.get(kind, 0)} of {before[kind]} {kind} items"
               for kind in before if after.get(kind, 0) < before[kind]]
    if fewer < citations:
        phrases.append(f"citations beyond {fewer} per item (the audience shows {citations})")
    return phrases
