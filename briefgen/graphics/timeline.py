"""The timeline graphic: dated events on a horizontal time axis with a "today" line.

Layout: the axis runs left to right over the events' span (padded, whole months). Each event has a
marker on the axis (filled: past; hollow: upcoming or planned) and, for a month, quarter or year date,
a bar over that period. Its label (date, then the first words of what happened) hangs like a flag from
a thin leader, above the axis or below the month/year scale. Labels never overlap one another and no
leader crosses a label: see `_place_labels`.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from markupsafe import Markup

from briefgen.assemble.views import TimelineEntry
from briefgen.graphics._svg import (
    ACCENT,
    ACCENT_MID,
    ACCENT_SOFT,
    GREY,
    GREY_LIGHT,
    INK,
    INK_2,
    NOW,
    RULE,
    esc,
    num,
    svg_root,
    text,
    text_width,
    truncate,
    wrap,
)

DATE_SIZE = 10.0
DATE_MAX = 112.0  # the widest date label, '30 September 2025' in bold
WHAT_SIZE = 9.5
LINE_H = 12.0  # one line of a label's `what`
MAX_LINES = 3  # of `what` under the date: a longer text is cut (ellipsis), the full text in the tooltip
LABEL_GAP = 12.0  # between the axis and the first row above it
SCALE_H = 40.0  # month and year labels below the axis
# Rows of labels on each side of the axis: ten rows in all keep the graphic no taller than it is wide, so
# on a page it fits under its section's heading; a label with no room is left out (its marker stays).
MAX_LEVELS = 5
PAD_X = 4.0  # between a leader and its label text
SEP = 8.0  # between two labels in a row
SEARCH_BUDGET = 40_000  # placement attempts for the row-saving search
ABOVE, BELOW = 1, -1
Slot = tuple[int, int, str]  # where a label goes: side, level, anchor


@dataclass
class _Event:
    entry: TimelineEntry
    start: dt.date
    end: dt.date  # exclusive
    x: float = 0.0
    x0: float = 0.0
    x1: float = 0.0
    date_text: str = ""
    what_lines: list[str] = field(default_factory=list)
    width: float = 0.0
    side: int = ABOVE
    level: int = 0
    anchor: str = "start"
    labelled: bool = True  # False: a marker only, where the axis is too crowded for its label

    @property
    def upcoming(self) -> bool:
        return bool(self.entry.upcoming)

    @property
    def mid(self) -> float:
        """The day (or the middle of the period) as a fractional ordinal."""
        if self.end - self.start <= dt.timedelta(days=1):
            return float(self.start.toordinal())
        return (self.start.toordinal() + self.end.toordinal()) / 2


@dataclass
class _Box:
    x0: float
    x1: float
    side: int
    level: int


def timeline_svg(entries: list[TimelineEntry], build_date: dt.date, title: str = "Timeline of events",
                 width: int = 680) -> Markup:
    """Dated events on a time axis: filled markers for past events, hollow for upcoming or planned ones,
    a bar over the period for month/quarter/year dates, and a "today" line at `build_date`. `title` names
    the graphic for screen readers (the section's title: a brief may have several timelines)."""
    events = [ev for ev in (_event(entry) for entry in entries) if ev is not None]
    events.sort(key=lambda ev: (ev.mid, ev.entry.what))

    left, right = 14.0, width - 14.0
    first = min([ev.start for ev in events] + [build_date])
    last = max([ev.end for ev in events] + [build_date + dt.timedelta(days=1)])
    pad = max(dt.timedelta(days=12), (last - first) * 0.04)
    lo = _month_floor(first - pad)
    hi = _month_ceil(last + pad)
    total = (hi - lo).days

    def xpos(day: dt.date | float) -> float:
        ordinal = day if isinstance(day, float) else day.toordinal()
        return left + (right - left) * (ordinal - lo.toordinal()) / total

    for ev in events:
        ev.x = xpos(ev.mid)
        ev.x0 = xpos(ev.start)
        ev.x1 = xpos(ev.end)
    # labels as wide as the axis allows; narrower (fewer words) when that saves rows on a crowded axis
    widest = max(110.0, min(160.0, (right - left) / 4.2))
    labelled = _fit_labels(events, left, right, widest)
    unlabelled = len(events) - len(labelled)
    above, below = _rows([(ev.side, ev.level, ev.anchor) for ev in labelled])
    row_h = _row_height(labelled)
    top_band = 24.0
    axis_y = top_band + above * row_h + LABEL_GAP
    below_top = axis_y + SCALE_H
    legend_y = below_top + below * row_h + (16 if below else 8)
    height = legend_y + 9 + (14 if unlabelled else 0)

    def row_top(ev: _Event) -> float:
        if ev.side == ABOVE:
            return axis_y - LABEL_GAP - (ev.level + 1) * row_h + 2
        return below_top + ev.level * row_h + 4

    out: list[str] = []
    # today line, behind everything
    tx = xpos(build_date)
    out.append(f'<line class="gfx-today" x1="{num(tx)}" y1="{num(top_band - 6)}" x2="{num(tx)}" '
               f'y2="{num(legend_y - 14)}" stroke="{NOW}" stroke-width="1.1" stroke-dasharray="3 2"/>')
    today = f"Today {build_date.day} {calendar.month_abbr[build_date.month]} {build_date.year}"
    tw = text_width(today, 9, bold=True) + 10
    bx = min(max(tx - tw / 2, 1.0), width - tw - 1)
    out.append(f'<rect x="{num(bx)}" y="2" width="{num(tw)}" height="15" rx="2" fill="{NOW}"/>')
    out.append(text(bx + tw / 2, 13, esc(today), size=9, fill="#ffffff", anchor="middle", bold=True))

    # the scale: its names make way for the leaders that cross it
    out.extend(_axis(lo, hi, xpos, axis_y, left, right, build_date,
                     [ev.x for ev in events if ev.side == BELOW and ev.labelled]))

    # period bars on the axis
    for ev in events:
        if ev.entry.precision == "day" or ev.x1 - ev.x0 < 3:
            continue
        style = (f'fill="#ffffff" stroke="{ACCENT_MID}" stroke-width="0.9" stroke-dasharray="2 1.5"' if ev.upcoming
                 else f'fill="{ACCENT_SOFT}" stroke="{ACCENT_MID}" stroke-width="0.9"')
        out.append(f'<rect class="gfx-period" x="{num(ev.x0)}" y="{num(axis_y - 4)}" width="{num(ev.x1 - ev.x0)}" '
                   f'height="8" {style}/>')

    # one group per event: full text as its tooltip, leader and label (where there is room), marker
    for ev in events:
        state = "upcoming" if ev.upcoming else "past"
        top = row_top(ev)
        y0, y1 = (axis_y - 6, top) if ev.side == ABOVE else (axis_y + 6, top + row_h - 8)
        tx0 = ev.x + PAD_X if ev.anchor == "start" else ev.x - PAD_X
        bg_x = tx0 - 1 if ev.anchor == "start" else tx0 - ev.width - 1
        full = f"{ev.entry.date_label or ev.entry.date}: {' '.join(ev.entry.what.split())}"
        out.append(f'<g class="gfx-event gfx-{state}{"" if ev.labelled else " gfx-unlabelled"}">'
                   f'<title>{esc(full)}</title>')
        if ev.labelled:
            out.extend(_label(ev, top, y0, y1, tx0, bg_x, row_h))
        if ev.upcoming:
            out.append(f'<circle class="gfx-marker" cx="{num(ev.x)}" cy="{num(axis_y)}" r="4.3" fill="#ffffff" '
                       f'stroke="{ACCENT}" stroke-width="1.8"/>')
        else:
            out.append(f'<circle class="gfx-marker" cx="{num(ev.x)}" cy="{num(axis_y)}" r="5" fill="{ACCENT}" '
                       f'stroke="#ffffff" stroke-width="1.2"/>')
        out.append("</g>")
    if not events:
        out.append(text((left + right) / 2, axis_y - 18, "No dated events", size=10, fill=GREY,
                        anchor="middle", italic=True))

    out.extend(_legend(left, legend_y, any(ev.entry.precision != "day" for ev in events)))
    if unlabelled:
        out.append(text(left, legend_y + 15, f"{unlabelled} of {len(events)} events are too close together to "
                        "label here; every event is listed below", size=8.5, fill=GREY, italic=True))

    past = sum(1 for ev in events if not ev.upcoming)
    desc = (
        f"{len(events)} dated events between {lo:%B %Y} and {hi:%B %Y}: {past} past, {len(events) - past} "
        f"upcoming or planned; the brief was built on {build_date.day} {build_date:%B %Y}. "
        + "; ".join(f"{ev.entry.date_label or ev.entry.date}: {' '.join(ev.entry.what.split())}" for ev in events)
    )
    return svg_root(width, height, title, desc, out, "timeline")


def _row_height(events: list[_Event]) -> float:
    """The height of a row of labels: a date line and as many `what` lines as the longest label has."""
    return 19.0 + LINE_H * max([len(ev.what_lines) for ev in events] + [1])


def _label(ev: _Event, top: float, y0: float, y1: float, tx0: float, bg_x: float, row_h: float) -> list[str]:
    """An event's leader and its label (date, then what happened, on up to three lines) on a white ground."""
    out = [f'<line class="gfx-leader" x1="{num(ev.x)}" y1="{num(y0)}" x2="{num(ev.x)}" y2="{num(y1)}" '
           f'stroke="{GREY_LIGHT}" stroke-width="0.8"/>',
           f'<rect class="gfx-label-bg" x="{num(bg_x)}" y="{num(top)}" width="{num(ev.width + 2)}" '
           f'height="{num(row_h - 7)}" fill="#ffffff" fill-opacity="0.9"/>',
           text(tx0, top + 9, esc(ev.date_text), size=DATE_SIZE, bold=True,
                fill=INK_2 if ev.upcoming else ACCENT, anchor=ev.anchor)]
    for n, line in enumerate(ev.what_lines):
        out.append(text(tx0, top + 21 + n * LINE_H, esc(line), size=WHAT_SIZE, fill=INK, anchor=ev.anchor))
    return out


def _fit_labels(events: list[_Event], left: float, right: float, widest: float) -> list[_Event]:
    """Lay out the labels (setting each event's side, level and anchor); return the events labelled.

    Labels are as wide as the axis allows, narrower (more lines) where that avoids a clash, or cuts no more
    texts and makes the graphic less tall. On an axis too crowded for every label without a clash, the
    labels that would clash are left out (where two clash, the nearer upcoming or the more recent event
    keeps its own); those events keep their marker alone.
    """
    best = None
    for label_max in (widest, widest * 0.78, widest * 0.6):
        _label_texts(events, label_max)
        slots = _place_labels(events, left, right)
        cut = sum(1 for ev in events if ev.what_lines and ev.what_lines[-1].endswith("\u2026"))
        rank = (_clashes(events, slots, left, right), cut, sum(_rows(slots)) * _row_height(events))
        if best is None or rank < best[0]:
            best = (rank, label_max, slots)
        if sum(_rows(slots)) <= 4:
            break
    assert best is not None  # the loop runs at least once
    _, label_max, slots = best
    _label_texts(events, label_max)
    if not _clashes(events, slots, left, right):
        return _assign(events, dict(enumerate(slots)))
    return _assign(events, _without_empty_rows(_keep_clear(events, slots, left, right)))


def _keep_clear(events: list[_Event], slots: list[Slot], left: float, right: float) -> dict[int, Slot]:
    """The labels of a layout that clash with none kept before them, taken in order of importance (the
    nearest upcoming events, then the most recent past ones), by event index."""
    boxes: list[_Box] = []
    leaders: list[tuple[float, int, int]] = []
    kept: dict[int, Slot] = {}
    for i in sorted(range(len(events)), key=lambda i: _importance(events[i])):
        (side, level, anchor), ev = slots[i], events[i]
        x0, x1 = _anchor_options(ev, left, right)[anchor]
        if not _conflicts(ev.x, x0, x1, side, level, boxes, leaders):
            kept[i] = slots[i]
            boxes.append(_Box(x0, x1, side, level))
            leaders.append((ev.x, side, level))
    return kept


def _importance(ev: _Event) -> tuple[int, float]:
    """Sorts the nearest upcoming events first, then the most recent past ones."""
    return (0, ev.mid) if ev.upcoming else (1, -ev.mid)


def _without_empty_rows(slots: dict[int, Slot]) -> dict[int, Slot]:
    """The same layout with the rows no label is left in taken out (the order of rows, so every clash
    rule, is kept)."""
    levels = {side: sorted({level for s, level, _ in slots.values() if s == side}) for side in (ABOVE, BELOW)}
    return {i: (side, levels[side].index(level), anchor) for i, (side, level, anchor) in slots.items()}


def _clashes(events: list[_Event], slots: list[Slot], left: float, right: float) -> bool:
    """Whether the labels laid out so overlap one another or a leader."""
    return _score(events, [_anchor_options(ev, left, right) for ev in events], slots)[0] > 0


def _assign(events: list[_Event], slots: dict[int, Slot]) -> list[_Event]:
    """Give each event its slot; an event without one is unlabelled. Returns the events labelled."""
    for i, ev in enumerate(events):
        ev.labelled = i in slots
        if ev.labelled:
            ev.side, ev.level, ev.anchor = slots[i]
    return [ev for ev in events if ev.labelled]


def _label_texts(events: list[_Event], label_max: float) -> None:
    """Each label's date, and what happened wrapped at spaces onto at most MAX_LINES lines, within `label_max`;
    a date is never cut ('30 September 2025')."""
    for ev in events:
        ev.date_text = truncate(ev.entry.date_label or ev.entry.date, max(label_max, DATE_MAX), DATE_SIZE, bold=True)
        ev.what_lines = wrap(ev.entry.what, label_max, WHAT_SIZE, MAX_LINES) if ev.entry.what else []
        ev.width = max([text_width(ev.date_text, DATE_SIZE, bold=True)]
                       + [text_width(line, WHAT_SIZE) for line in ev.what_lines])


# ---- dates -----------------------------------------------------------------------------------------------


def _event(entry: TimelineEntry) -> _Event | None:
    """The period an entry's ISO date names, or None when the date does not parse."""
    try:
        parts = [int(p) for p in str(entry.date).split("-")[:3]]
        if len(parts) == 1 or entry.precision == "year":
            start = dt.date(parts[0], 1, 1)
            end = dt.date(parts[0] + 1, 1, 1)
        elif entry.precision == "quarter":
            start = dt.date(parts[0], (parts[1] - 1) // 3 * 3 + 1, 1)
            end = _add_months(start, 3)
        elif len(parts) == 2 or entry.precision == "month":
            start = dt.date(parts[0], parts[1], 1)
            end = _add_months(start, 1)
        else:
            start = dt.date(parts[0], parts[1], parts[2])
            end = start + dt.timedelta(days=1)
    except (ValueError, TypeError, IndexError):
        return None
    return _Event(entry, start, end)


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _month_floor(day: dt.date) -> dt.date:
    return dt.date(day.year, day.month, 1)


def _month_ceil(day: dt.date) -> dt.date:
    return day if day.day == 1 else _add_months(_month_floor(day), 1)


# ---- label layout ------------------------------------------------------------------------------------------


def _place_labels(events: list[_Event], left: float, right: float) -> list[tuple[int, int, str]]:
    """Give every label a side (above the axis or below the scale) and a level (rows out from the axis).

    Rules: labels in a row do not overlap, and a leader never crosses a label, so a label that spans
    another event's leader must sit closer to the axis than that event's label (or on the other side).
    A label hangs right of its leader, or left where that fits better. Several greedy passes (right to
    left or left to right; hanging right only, preferably, or preferably left; trying above or below
    first) each put every label in the nearest slot where it clashes least; the pass with the fewest
    clashes, then the fewest rows, wins. If it has no clashes, a depth-first search (on a budget)
    looks for a clash-free layout in fewer rows. Returns (side, level, anchor) per event.
    """
    if not events:
        return []
    options = [_anchor_options(ev, left, right) for ev in events]
    best = None
    for reverse in (True, False):
        for prefer in ("start-only", "start", "end"):
            for sides in ((ABOVE, BELOW), (BELOW, ABOVE), (ABOVE,)):
                _, slots = _greedy(events, options, reverse, prefer, sides)
                score = _score(events, options, slots)
                if best is None or score < best[0]:
                    best = (score, slots)
    assert best is not None  # the loop runs at least once
    score, slots = best
    # then look for a layout without clashes in fewer rows, by depth-first search on a budget
    if score[0] == 0:
        budget = [SEARCH_BUDGET]
        rows = score[1]
        for total_rows in range(2, rows):
            found = None
            for above in sorted(range(1, total_rows + 1), key=lambda a: (abs(2 * a - total_rows), -a)):
                found = _search(events, options, above, total_rows - above, budget)
                if found or budget[0] <= 0:
                    break
            if found:
                slots = found
                break
            if budget[0] <= 0:
                break
    return slots


def _rows(slots: list[tuple[int, int, str]]) -> tuple[int, int]:
    """Rows used above the axis (at least one) and below the scale."""
    above = 1 + max((lvl for side, lvl, _ in slots if side == ABOVE), default=0)
    below = 1 + max((lvl for side, lvl, _ in slots if side == BELOW), default=-1)
    return above, below


def _search(events: list[_Event], options: list[dict[str, tuple[float, float]]], above: int, below: int,
            budget: list[int]) -> list[tuple[int, int, str]] | None:
    """A clash-free layout within `above` and `below` rows (depth first, left to right), or None."""
    slots = [(side, level, anchor) for level in range(max(above, below))
             for side in (ABOVE, BELOW) if level < (above if side == ABOVE else below)
             for anchor in ("start", "end")]
    chosen: list[tuple[int, int, str]] = []
    boxes: list[_Box] = []
    leaders: list[tuple[float, int, int]] = []

    def place(i: int) -> bool:
        if i == len(events):
            return True
        for side, level, anchor in slots:
            if anchor not in options[i]:
                continue
            budget[0] -= 1
            if budget[0] <= 0:
                return False
            x0, x1 = options[i][anchor]
            if _conflicts(events[i].x, x0, x1, side, level, boxes, leaders):
                continue
            chosen.append((side, level, anchor))
            boxes.append(_Box(x0, x1, side, level))
            leaders.append((events[i].x, side, level))
            if place(i + 1):
                return True
            chosen.pop()
            boxes.pop()
            leaders.pop()
        return False

    return list(chosen) if place(0) else None


def _anchor_options(ev: _Event, left: float, right: float) -> dict[str, tuple[float, float]]:
    """The label's extent when hanging right ("start") or left ("end") of its leader, where it fits."""
    span = ev.width + PAD_X
    options = {}
    if ev.x + span <= right + 10:
        options["start"] = (ev.x + PAD_X - 1, ev.x + span)
    if ev.x - span >= left - 10:
        options["end"] = (ev.x - span, ev.x - PAD_X + 1)
    return options or {"start": (ev.x + PAD_X - 1, ev.x + span)}


def _score(events: list[_Event], options: list[dict[str, tuple[float, float]]],
           slots: list[tuple[int, int, str]]) -> tuple[float, int, int, int, int]:
    """Clash cost, rows, sum of levels, imbalance of sides, left-hanging labels: lower is better."""
    boxes = [_Box(*options[i][anchor], side, level) for i, (side, level, anchor) in enumerate(slots)]
    cost = 0.0
    for i, box in enumerate(boxes):
        cost += _conflicts(events[i].x, box.x0, box.x1, box.side, box.level, boxes[:i],
                           [(events[j].x, b.side, b.level) for j, b in enumerate(boxes[:i])])
    above, below = _rows(slots)
    return (cost, above + below, sum(b.level for b in boxes), abs(above - below),
            sum(1 for _, _, anchor in slots if anchor == "end"))


def _greedy(events: list[_Event], options: list[dict[str, tuple[float, float]]], reverse: bool, prefer: str,
            sides: tuple[int, ...]) -> tuple[float, list[tuple[int, int, str]]]:
    """One greedy pass: its total clash cost and (side, level, anchor) per event."""
    boxes: list[_Box] = []
    leaders: list[tuple[float, int, int]] = []
    placed: dict[int, tuple[int, int, str]] = {}
    total = 0.0
    order = sorted(range(len(events)), key=lambda i: (events[i].x, events[i].entry.what), reverse=reverse)
    for i in order:
        ev = events[i]
        anchors = sorted(options[i], key=lambda a: a != "start") if prefer != "end" else sorted(options[i])
        if prefer == "start-only" and "start" in anchors:
            anchors = ["start"]
        choice = None
        for level in range(MAX_LEVELS):
            for side in sides:
                for anchor in anchors:
                    x0, x1 = options[i][anchor]
                    cost = _conflicts(ev.x, x0, x1, side, level, boxes, leaders)
                    if choice is None or cost < choice[0]:
                        choice = (cost, side, level, anchor, x0, x1)
                    if cost == 0:
                        break
                if choice is not None and choice[0] == 0:
                    break
            if choice is not None and choice[0] == 0:
                break
        assert choice is not None  # every event has at least one option
        cost, side, level, anchor, x0, x1 = choice
        total += cost
        boxes.append(_Box(x0, x1, side, level))
        leaders.append((ev.x, side, level))
        placed[i] = (side, level, anchor)
    return total, [placed[i] for i in range(len(events))]


def _conflicts(x: float, x0: float, x1: float, side: int, level: int, boxes: list[_Box],
               leaders: list[tuple[float, int, int]]) -> float:
    """How badly a label [x0, x1] at (side, level), with its leader at x, clashes with those placed."""
    cost = 0.0
    for box in boxes:
        if box.side != side:
            continue
        if box.level == level and x0 < box.x1 + SEP and box.x0 < x1 + SEP:
            cost += min(x1, box.x1) - max(x0, box.x0) + SEP + 100  # labels overlap
        if box.level < level and box.x0 - 1 < x < box.x1 + 1:
            cost += 50  # this leader would cross that label
    for lx, lside, llevel in leaders:
        if lside == side and llevel > level and x0 - 1 < lx < x1 + 1:
            cost += 50  # that leader would cross this label
    return cost


# ---- axis and legend ------------------------------------------------------------------------------------


def _axis(lo: dt.date, hi: dt.date, xpos: Callable[[dt.date], float], axis_y: float, left: float, right: float,
          build_date: dt.date, crossing: list[float]) -> list[str]:
    """The axis line (solid up to today, dashed after), month or quarter ticks and names, and years.
    Names that a leader in `crossing` would run through are left out (months) or moved (years)."""
    out: list[str] = []
    tx = min(max(xpos(build_date), left), right)
    out.append(f'<line x1="{num(left)}" y1="{num(axis_y)}" x2="{num(tx)}" y2="{num(axis_y)}" '
               f'stroke="{ACCENT}" stroke-width="2"/>')
    out.append(f'<line x1="{num(tx)}" y1="{num(axis_y)}" x2="{num(right)}" y2="{num(axis_y)}" '
               f'stroke="{ACCENT_MID}" stroke-width="2" stroke-dasharray="5 3"/>')

    crossing = [*crossing, xpos(build_date)]  # the today line crosses the scale too

    def clear(cx: float, w: float) -> bool:
        return not any(cx - w / 2 - 2 < lx < cx + w / 2 + 2 for lx in crossing)

    months = (hi.year - lo.year) * 12 + hi.month - lo.month
    px_month = (right - left) / max(months, 1)
    sub_y = axis_y + 16
    year_y = axis_y + 31
    if px_month >= 9:
        step = 1 if px_month >= 15 else 3
        day = lo if step == 1 else dt.date(lo.year, (lo.month - 1) // 3 * 3 + 1, 1)
        while day < hi:
            nxt = _add_months(day, step)
            x0, x1 = xpos(max(day, lo)), xpos(min(nxt, hi))
            if day >= lo and day.month != 1:
                out.append(f'<line x1="{num(x0)}" y1="{num(axis_y + 1)}" x2="{num(x0)}" y2="{num(axis_y + 5)}" '
                           f'stroke="{GREY_LIGHT}" stroke-width="0.8"/>')
            if step == 1:
                name = calendar.month_abbr[day.month] if px_month >= 24 else calendar.month_abbr[day.month][0]
            else:
                name = f"Q{(day.month - 1) // 3 + 1}"
            w = text_width(name, 8.5)
            if x1 - x0 >= w + 2 and clear((x0 + x1) / 2, w):
                out.append(text((x0 + x1) / 2, sub_y, name, size=8.5, fill=GREY, anchor="middle"))
            day = nxt
    years = range(lo.year, hi.year + (1 if hi > dt.date(hi.year, 1, 1) else 0))
    every = 1 if len(years) <= 8 else 2 if len(years) <= 16 else 5 if len(years) <= 40 else 10
    for year in years:
        start = max(dt.date(year, 1, 1), lo)
        end = min(dt.date(year + 1, 1, 1), hi)
        x0, x1 = xpos(start), xpos(end)
        if start == dt.date(year, 1, 1) and start > lo:
            out.append(f'<line x1="{num(x0)}" y1="{num(axis_y - 7)}" x2="{num(x0)}" y2="{num(year_y + 3)}" '
                       f'stroke="{RULE if px_month >= 9 else GREY_LIGHT}" stroke-width="1"/>')
        label = str(year)
        w = text_width(label, 10, bold=True)
        if year % every or x1 - x0 < w + 6:
            continue
        mid = (x0 + x1) / 2
        spots = sorted((x0 + w / 2 + 3 + i * (x1 - x0 - w - 6) / 12 for i in range(13)), key=lambda c: abs(c - mid))
        cx = next((c for c in spots if clear(c, w)), None)
        if cx is not None:
            out.append(text(cx, year_y, label, size=10, fill=INK_2, anchor="middle", bold=True))
    return out


def _legend(x: float, y: float, periods: bool) -> list[str]:
    items = [
        (f'<circle cx="{num(x + 4)}" cy="{num(y - 3.5)}" r="4" fill="{ACCENT}"/>', 12, "Past"),
        (f'<circle cx="{num(x + 4)}" cy="{num(y - 3.5)}" r="3.5" fill="#ffffff" stroke="{ACCENT}" '
         'stroke-width="1.6"/>', 12, "Upcoming or planned"),
    ]
    if periods:
        items.append((f'<rect x="{num(x)}" y="{num(y - 7)}" width="16" height="7" fill="{ACCENT_SOFT}" '
                      f'stroke="{ACCENT_MID}" stroke-width="0.9"/>', 21, "Month, quarter or year only"))
    items.append((f'<line x1="{num(x + 4)}" y1="{num(y - 9)}" x2="{num(x + 4)}" y2="{num(y + 1)}" stroke="{NOW}" '
                  f'stroke-width="1.1" stroke-dasharray="3 2"/>', 11, "Date of this brief"))
    out: list[str] = []
    offset = 0.0
    for symbol, gap, label in items:
        out.append(symbol.replace(f'"{num(x + 4)}"', f'"{num(x + 4 + offset)}"').replace(
            f'x="{num(x)}"', f'x="{num(x + offset)}"'))
        out.append(text(x + offset + gap, y, label, size=8.5, fill=GREY))
        offset += gap + text_width(label, 8.5) + 16
    return out


__all__ = ["timeline_svg"]
