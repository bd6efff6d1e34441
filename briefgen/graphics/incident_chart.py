"""The incidents chart: one stacked bar per month (months without incidents left empty, so gaps show),
stacked by ACLED event type in fixed colours, the total over each bar, and a second row of figures under
the months: fatalities when the bars count incidents, incidents when they count fatalities."""

from __future__ import annotations

import calendar
from collections.abc import Callable
from typing import TYPE_CHECKING

from markupsafe import Markup

from briefgen.graphics._svg import (
    GREY,
    GREY_LIGHT,
    INK,
    INK_2,
    RULE,
    esc,
    nice_step,
    num,
    svg_root,
    text,
    text_width,
    thousands,
)
from briefgen.graphics.incident_marks import colour, ordered

if TYPE_CHECKING:  # only for annotations: briefgen.assemble imports the graphics
    from briefgen.assemble.views import IncidentMonth

LEFT = 62.0  # room for the axis's numbers and the second row's name
RIGHT = 8.0
TOP = 16.0
PLOT_H = 130.0
PLOT_H_LOW = 90.0  # when the scale reaches only 1 or 2: tall bars for one incident would overstate it
TICK_SIZE = 8.5
LABEL_SIZE = 8.5


def incident_chart_svg(months: list[IncidentMonth], measure: str = "incidents", width: int = 680) -> Markup | None:
    """A stacked bar per month of `months` (each `by_type` counting `measure`: 'incidents' or 'fatalities'),
    a legend of the types present, and under the months the other measure. None when there are no months
    or nothing to draw (every month empty)."""
    if not months or not any(sum(month.by_type.values()) for month in months):
        return None
    types = ordered({kind for month in months for kind, value in month.by_type.items() if value})
    top_value = max(sum(month.by_type.values()) for month in months)
    step = nice_step(top_value, 4)
    step = 2.0 if step == 2.5 else max(1.0, step)  # whole incidents and deaths: no 2.5 ticks
    scale_max = step * -(-top_value // step)
    x1 = width - RIGHT
    slot = (x1 - LEFT) / len(months)
    bar_w = min(slot * 0.64, 34.0)
    plot_h = PLOT_H_LOW if scale_max <= 2 else PLOT_H
    base_y = TOP + plot_h

    def height(value: float) -> float:
        return plot_h * value / scale_max

    out: list[str] = []
    tick = 0.0
    while tick <= scale_max + step / 1000:  # gridlines and the axis's numbers
        y = base_y - height(tick)
        out.append(f'<line x1="{num(LEFT)}" y1="{num(y)}" x2="{num(x1)}" y2="{num(y)}" '
                   f'stroke="{RULE if tick else "#9aa3ad"}" stroke-width="{0.7 if tick else 1}"/>')
        out.append(text(LEFT - 6, y + 3, thousands(tick), size=TICK_SIZE, fill=GREY, anchor="end"))
        tick += step
    out.append(text(LEFT - 6, TOP - 6, "Incidents" if measure == "incidents" else "Fatalities", size=TICK_SIZE,
                    fill=GREY, anchor="end"))
    out += _bars(months, types, slot, bar_w, base_y, height)
    label_every = 1 if slot >= 24 else 2 if slot >= 13 else 3
    other_y = base_y + 38
    out.append(text(LEFT - 6, other_y, "Killed" if measure == "incidents" else "Incidents", size=LABEL_SIZE,
                    fill=INK_2, anchor="end", bold=True))
    for i, month in enumerate(months):
        cx = LEFT + slot * (i + 0.5)
        first_of_year = month.month.endswith("-01") or i == 0
        if i % label_every == 0 or first_of_year:
            name, year = calendar.month_abbr[int(month.month[5:7])], month.month[:4]
            out.append(text(cx, base_y + 12, esc(name), size=LABEL_SIZE, fill=INK_2, anchor="middle"))
            if first_of_year:
                out.append(text(cx, base_y + 23, esc(year), size=LABEL_SIZE, fill=GREY, anchor="middle"))
        out.append(text(cx, other_y, esc(_other(month, measure)), size=LABEL_SIZE, fill=INK, anchor="middle"))
    legend, bottom = _legend(types, other_y + 20, width, measure)
    out += legend
    title = "Incidents by month and type" if measure == "incidents" else "Fatalities by month and type"
    return svg_root(width, bottom, title, description(months, measure), out, "incidents")


def _bars(months: list[IncidentMonth], types: list[str], slot: float, bar_w: float, base_y: float,
          scale: Callable[[float], float]) -> list[str]:
    """Each month's bar: a segment per type, bottom up in the fixed order, and its total above it (a grey 0
    over an empty month)."""
    out: list[str] = []
    for i, month in enumerate(months):
        x = LEFT + slot * (i + 0.5) - bar_w / 2
        total = sum(month.by_type.values())
        y = base_y
        out.append(f'<g class="gfx-month" data-month="{esc(month.month)}"><title>{esc(_tip(month))}</title>')
        for kind in types:
            value = month.by_type.get(kind, 0)
            if not value:
                continue
            h = scale(value)
            y -= h
            out.append(f'<rect class="gfx-bar" data-type="{esc(kind)}" data-value="{value}" x="{num(x)}" '
                       f'y="{num(y)}" width="{num(bar_w)}" height="{num(h)}" fill="{colour(kind)}" '
                       f'stroke="#ffffff" stroke-width="0.8"/>')
        out.append(text(x + bar_w / 2, y - 4, thousands(total), size=LABEL_SIZE, fill=INK if total else GREY_LIGHT,
                        anchor="middle", bold=bool(total)))
        out.append("</g>")
    return out


def _other(month: IncidentMonth, measure: str) -> str:
    """The second row's figure: fatalities ('–' when no incident of the month states a toll) or incidents;
    nothing under a month without incidents."""
    if not month.incidents:
        return ""
    if measure != "incidents":
        return str(month.incidents)
    return thousands(month.fatalities) if month.tolls_stated else "–"


def _tip(month: IncidentMonth) -> str:
    parts = [f"{kind} {value}" for kind, value in month.by_type.items() if value]
    killed = f", {month.fatalities} killed" if month.tolls_stated else ""
    noun = "incident" if month.incidents == 1 else "incidents"
    return f"{month.label}: {month.incidents} {noun}{killed}" + (f" ({'; '.join(parts)})" if parts else "")


def _legend(types: list[str], y: float, width: int, measure: str) -> tuple[list[str], float]:
    """A swatch and name per type present, flowing onto more lines when they do not fit, and what the
    fatality figures are; the svg's height."""
    out: list[str] = []
    x = LEFT
    for kind in types:
        w = 20 + text_width(kind, LABEL_SIZE) + 16
        if x > LEFT and x + w > width - RIGHT:
            x, y = LEFT, y + 15
        out.append(f'<rect x="{num(x)}" y="{num(y - 8)}" width="13" height="10" fill="{colour(kind)}"/>')
        out.append(text(x + 18, y, esc(kind), size=LABEL_SIZE, fill=INK_2))
        x += w
    note = ("Killed: the lowest toll each incident's sources report, summed; – none stated" if measure == "incidents"
            else "Fatalities: the lowest toll each incident's sources report, summed")
    if x + text_width(note, 8) > width - RIGHT:
        y += 15
    out.append(text(width - RIGHT, y, note, size=8, fill=GREY, anchor="end"))
    return out, y + 7


def description(months: list[IncidentMonth], measure: str) -> str:
    """The chart's text equivalent: each month's count by type, empty months included."""
    noun = "incidents" if measure == "incidents" else "fatalities"
    lines = []
    for month in months:
        total = sum(month.by_type.values())
        parts = [f"{kind} {value}" for kind, value in month.by_type.items() if value]
        lines.append(f"{month.label}: {total}" + (f" ({', '.join(parts)})" if parts else ""))
    span = f"{months[0].label} to {months[-1].label}" if months else ""
    return f"Stacked bar chart of {noun} per month by event type, {span}: " + "; ".join(lines) + "."


__all__ = ["description", "incident_chart_svg"]
