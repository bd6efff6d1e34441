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
"""

from __future__ import annotations

import dataclasses
import math

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


def fitted_brief(renderer: Renderer, given: BriefInput, prepared: Prepared, whole: BriefView,
                 export: str | None, pdf: bool) -> FittedBrief:
    """The brief bounded, and, when a PDF is asked for and the audience has `max_pages`, cut to fit it."""
    citations = given.audience.max_citations
    bounded = bound(whole, citations, export)
    if not pdf:
        return FittedBrief(bounded, None, None, 0, [])
    laid_out = renderer.layout(bounded.view)  # laid out to count its pages; written as PDF once it fits
    pages = len(laid_out.pages)
    renders, limits, view, limit = 1, dict(given.audience.limits), whole, given.audience.max_pages
    while limit is not None and pages > limit and renders < MAX_RENDERS:
        tighter = tightened(item_counts(view), limits, citations, pages / limit)
        if tighter is None:
            break
        limits, citations = tighter
        audience = given.audience.model_copy(update={"limits": limits, "max_citations": citations})
        view = assemble_brief(dataclasses.replace(given, audience=audience), prepared)
        bounded = bound(view, citations, export)
        laid_out = renderer.layout(bounded.view)
        pages = len(laid_out.pages)
        renders += 1
    dropped = dropped_items(item_counts(whole), item_counts(view), given.audience.max_citations, citations)
    return FittedBrief(bounded, renderer.pdf_bytes(laid_out), pages, renders, dropped)


def tightened(counts: dict[str, int], limits: dict[str, int], citations: int,
              overrun: float) -> tuple[dict[str, int], int] | None:
    """Limits (and citations per item) for a brief `overrun` times as long as allowed; None when nothing
    more can be cut (every section down to one item, one citation per item)."""
    share = FILL_MARGIN / overrun
    tighter = dict(limits)
    for kind, shown in counts.items():
        if shown > 1:
            tighter[kind] = max(1, min(shown - 1, math.floor(shown * share)))
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
