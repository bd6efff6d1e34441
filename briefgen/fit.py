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
Those limits say nothing of a section that brief did not show (the changes section of a brief's second
edition; a section that had no items): when one appears, its share of the brief's text is taken to add the
same share of pages, and when that estimate runs past the limit the brief is tightened before its first layout
rather than after it.
"""

from __future__ import annotations

import dataclasses
import math
from concurrent.futures import Future
from functools import cached_property
from typing import Any

from markupsafe import Markup

from briefgen.assemble import BriefInput, Prepared, assemble_brief
from briefgen.assemble.bounded import BoundedBrief, bound, item_counts
from briefgen.assemble.views import BriefView
from briefgen.render import LaidOut, Renderer, laid_out

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
    refused: list[str] = dataclasses.field(default_factory=list)  # URLs refused while laying it out


@dataclasses.dataclass
class _Attempt:
    """One try at fitting: the view assembled under some limits, bounded, and its layout (started, maybe not yet
    done: `Renderer.start_layout`)."""

    view: BriefView
    bounded: BoundedBrief
    layout: Future[LaidOut]
    limits: dict[str, int]
    citations: int

    @property
    def laid_out(self) -> LaidOut:
        return laid_out(self.layout)

    @property
    def pages(self) -> int:
        return self.laid_out.pages


def fitted_brief(renderer: Renderer, given: BriefInput, prepared: Prepared, whole: BriefView,
                 export: str | None, pdf: bool, start: dict[str, Any] | None = None) -> FittedBrief:
    """The brief bounded, and, when a PDF is asked for and the audience has `max_pages`, cut to fit it (`Fitting`)."""
    return Fitting(renderer, given, prepared, whole, export, pdf, start).result()


class Fitting:
    """One audience's brief being fitted to its pages: made, its first layout is under way (in the renderer's layout
    process, if it has one, while the build assembles the next brief); `result` finishes it.

    `start` is the fit of the audience's previous edition (EditionRecord.fitted), tried first: a brief a few
    sources longer than the last usually fits those limits at once, so it is laid out once rather than once per
    step. When it comes out more than a page shorter than the last (fewer sources), or the page limit has
    changed, fitting starts again from the audience's own limits."""

    def __init__(self, renderer: Renderer, given: BriefInput, prepared: Prepared, whole: BriefView,
                 export: str | None, pdf: bool, start: dict[str, Any] | None = None) -> None:
        self.renderer, self.given, self.prepared, self.whole, self.export = renderer, given, prepared, whole, export
        self.own_limits, self.own_citations = dict(given.audience.limits), given.audience.max_citations
        self.limit, self.start = given.audience.max_pages, start
        first = None
        if pdf and start and start["max_pages"] == self.limit:
            first = _start_from(start, self.own_limits, self.own_citations)
        self.from_start = first is not None
        self.first = None if not pdf else self._from_start(*first) if first else self._whole()

    def result(self) -> FittedBrief:
        """The brief as fitted: laid out again, tighter, while it has more pages than allowed (module docstring)."""
        if self.first is None:
            return FittedBrief(self.bounded, None, None, 0, [])
        attempt, renders, most = self.first, 1, MAX_RENDERS
        if self.from_start and self.start and attempt.pages < self.start["pages"] - 1:
            attempt, renders, most = self._whole(), renders + 1, MAX_RENDERS + 1
        while self.limit is not None and attempt.pages > self.limit and renders < most:
            tighter = tightened(item_counts(attempt.view), attempt.limits, attempt.citations,
                                attempt.pages / self.limit)
            if tighter is None:
                break
            attempt = self._laid_out(*tighter)
            renders += 1
        dropped = dropped_items(item_counts(self.whole), item_counts(attempt.view), self.own_citations,
                                attempt.citations)
        fit = None if attempt.view is self.whole else {"limits": attempt.limits, "citations": attempt.citations,
                                                       "pages": attempt.pages, "max_pages": self.limit}
        done = attempt.laid_out
        return FittedBrief(attempt.bounded, self.renderer.pdf_of(done), done.pages, renders, dropped, fit,
                           refused=done.refused)

    @cached_property
    def bounded(self) -> BoundedBrief:
        """The whole brief bounded (`assemble.bounded.bound`): made only when it is laid out or no PDF is asked for."""
        return bound(self.whole, self.own_citations, self.export)

    def _whole(self) -> _Attempt:
        """The brief under the audience's own limits, laid out to count its pages."""
        return _Attempt(self.whole, self.bounded, self.renderer.start_layout(self.bounded.view), self.own_limits,
                        self.own_citations)

    def _laid_out(self, limits: dict[str, int], citations: int) -> _Attempt:
        """The brief assembled under these limits and citations per item, bounded and laid out."""
        view, bounded = self._assembled(limits, citations)
        return _Attempt(view, bounded, self.renderer.start_layout(bounded.view), limits, citations)

    def _assembled(self, limits: dict[str, int], citations: int) -> tuple[BriefView, BoundedBrief]:
        """The brief assembled under these limits and citations per item, and bounded."""
        audience = self.given.audience.model_copy(update={"limits": limits, "max_citations": citations})
        view = assemble_brief(dataclasses.replace(self.given, audience=audience), self.prepared)
        return view, bound(view, citations, self.export)

    def _from_start(self, limits: dict[str, int], citations: int) -> _Attempt:
        """The brief under the last edition's limits, laid out; tightened first when sections that edition did not
        show are estimated to take it past the page limit (module docstring)."""
        view, bounded = self._assembled(limits, citations)
        if (tighter := self._room_for_new_sections(view, bounded, limits, citations)) is not None:
            limits, citations = tighter
            view, bounded = self._assembled(limits, citations)
        return _Attempt(view, bounded, self.renderer.start_layout(bounded.view), limits, citations)

    def _room_for_new_sections(self, view: BriefView, bounded: BoundedBrief, limits: dict[str, int],
                               citations: int) -> tuple[dict[str, int], int] | None:
        """Tighter limits when the sections the last fit did not cover are estimated to take the brief past its page
        limit (module docstring); None when they are not, or there are none."""
        if self.start is None or self.limit is None:
            return None
        estimate = self.start["pages"] * _grown(self.renderer, bounded.view, _new_kinds(view, self.start["limits"]))
        return tightened(item_counts(view), limits, citations, estimate / self.limit) if estimate > self.limit else None


def _start_from(start: dict[str, Any], limits: dict[str, int], citations: int) -> tuple[dict[str, int], int] | None:
    """A previous fit's limits, none looser than the audience's own; None when it cuts nothing."""
    tighter = dict(limits)
    for kind, items in start["limits"].items():
        tighter[kind] = min(items, limits.get(kind, items))
    fewer = min(start["citations"], citations)
    return None if (tighter, fewer) == (limits, citations) else (tighter, fewer)


def _new_kinds(view: BriefView, fitted: dict[str, int]) -> set[str]:
    """The section kinds showing more than one item that a fit's limits do not cover: a fit limits every kind it
    found showing more than one item (`tightened`), so these were empty, a single item or not shown."""
    return {kind for kind, shown in item_counts(view).items() if shown > 1 and kind not in fitted}


def _grown(renderer: Renderer, view: BriefView, kinds: set[str]) -> float:
    """How many times longer the brief reads with the sections of these kinds than without them, by the length of
    its text as laid out (1.0 when there are none)."""
    if not kinds:
        return 1.0
    without = dataclasses.replace(view, sections=[section for section in view.sections
                                                  if getattr(section, "kind", "") not in kinds])
    return _text_length(renderer, view) / max(1, _text_length(renderer, without))


def _text_length(renderer: Renderer, view: BriefView) -> int:
    return len(Markup(renderer.html(view, for_pdf=True)).striptags())


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
