"""The figures chart: reported counts (troops, fighters, cells ...) as horizontal bars on one scale, each
labelled with what it counts (for key figures: what, where and when, never the outlet); the bars of one
subject (the values sources give for one thing) stand together under one label."""

from __future__ import annotations

from markupsafe import Markup

from briefgen.assemble.views import FigureItem
from briefgen.graphics._svg import (
    ACCENT,
    ACCENT_LIGHT,
    GREY,
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
    truncate,
)

LABEL_SIZE = 10.0
VALUE_SIZE = 10.0
ROW_H = 25.0
BAR_H = 13.0
LABEL_SHARE = 0.4  # a label may take this share of the width: "Soldiers killed, <town>, Mar 2025"


def figures_chart_svg(figures: list[FigureItem], width: int = 680) -> Markup | None:
    """Unit-less counts as horizontal bars on one linear scale: a solid bar up to the low bound, a
    lighter bar from low to high for a range, each labelled with the figure as written and its subject
    (what it counts, and where and when if the caller says so: 'Soldiers killed, <town>, Mar 2025').
    Returns None when fewer than two figures qualify (no unit, positive upper bound)."""
    items = [f for f in figures if not (f.unit or "").strip() and f.high is not None and f.high > 0]
    if len(items) < 2:
        return None
    items = _ordered(items)

    subjects = [truncate(_subject(f), width * LABEL_SHARE, LABEL_SIZE) for f in items]
    values = [truncate(" ".join(f.text.split()), 150, VALUE_SIZE, bold=True) for f in items]
    label_w = max(text_width(s, LABEL_SIZE) for s in subjects)
    value_w = max(text_width(v, VALUE_SIZE, bold=True) for v in values)
    x0 = 8 + label_w + 12
    x_max = width - 10 - value_w - 8
    if x_max - x0 < 160:  # very long labels: give the bars room back
        x0 = min(x0, width * 0.42)
        x_max = max(x_max, x0 + 160)

    top = 8.0
    top_value = max(max(f.high, f.low) for f in items)
    step = nice_step(top_value, 5)
    scale_max = step * -(-top_value // step)  # the first tick at or above the largest value
    if scale_max < top_value:
        scale_max += step

    def xpos(value: float) -> float:
        return x0 + (x_max - x0) * max(0.0, value) / scale_max

    plot_bottom = top + len(items) * ROW_H
    out: list[str] = []
    # gridlines and tick labels
    tick = 0.0
    while tick <= scale_max + step / 1000:
        x = xpos(tick)
        out.append(f'<line x1="{num(x)}" y1="{num(top - 2)}" x2="{num(x)}" y2="{num(plot_bottom)}" '
                   f'stroke="{RULE if tick else "#9aa3ad"}" stroke-width="{0.7 if tick else 1}"/>')
        out.append(text(x, plot_bottom + 12, thousands(tick), size=8.5, fill=GREY, anchor="middle"))
        tick += step

    for i, (fig, subject, value) in enumerate(zip(items, subjects, values, strict=True)):
        y = top + i * ROW_H + (ROW_H - BAR_H) / 2
        base = y + BAR_H / 2 + 3.6
        low, high = min(fig.low, fig.high), max(fig.low, fig.high)
        full = f"{_subject(fig)}: {' '.join(fig.text.split())}"
        out.append(f'<g class="gfx-figure"><title>{esc(full)}</title>')
        if i == 0 or _subject(items[i - 1]) != _subject(fig):  # a subject's further bars go under its label
            out.append(text(x0 - 10, base, esc(subject), size=LABEL_SIZE, fill=INK_2, anchor="end"))
        if low > 0:
            out.append(f'<rect class="gfx-bar gfx-value" x="{num(xpos(0))}" y="{num(y)}" '
                       f'width="{num(xpos(low) - xpos(0))}" height="{num(BAR_H)}" fill="{ACCENT}"/>')
        if high > low:
            out.append(f'<rect class="gfx-bar gfx-range" x="{num(xpos(low))}" y="{num(y)}" '
                       f'width="{num(max(xpos(high) - xpos(low), 1.5))}" height="{num(BAR_H)}" fill="{ACCENT_LIGHT}"/>')
            out.append(f'<line x1="{num(xpos(high))}" y1="{num(y)}" x2="{num(xpos(high))}" y2="{num(y + BAR_H)}" '
                       f'stroke="{ACCENT}" stroke-width="1.2"/>')
        elif low == 0:
            out.append(f'<rect class="gfx-bar gfx-value" x="{num(xpos(0))}" y="{num(y)}" width="1.5" '
                       f'height="{num(BAR_H)}" fill="{ACCENT}"/>')
        out.append(text(xpos(high) + 6, base, esc(value), size=VALUE_SIZE, fill=INK, bold=True))
        out.append("</g>")

    legend_y = plot_bottom + 30
    out += [
        f'<rect x="{num(x0)}" y="{num(legend_y - 8)}" width="14" height="9" fill="{ACCENT}"/>',
        text(x0 + 19, legend_y, "Reported value", size=8.5, fill=GREY),
        f'<rect x="{num(x0 + 104)}" y="{num(legend_y - 8)}" width="14" height="9" fill="{ACCENT_LIGHT}"/>',
        text(x0 + 123, legend_y, "Reported range or upper bound", size=8.5, fill=GREY),
    ]
    height = legend_y + 8

    title = "Reported figures"
    desc = "Horizontal bar chart of reported figures: " + "; ".join(
        f"{_subject(f)}: {' '.join(f.text.split())}" + (
            f" ({thousands(f.low)} to {thousands(f.high)})" if f.low != f.high else "")
        for f in items
    )
    return svg_root(width, height, title, desc, out, "figures")


def _subject(figure: FigureItem) -> str:
    subject = " ".join((figure.subject or "").split())
    return subject[:1].upper() + subject[1:] if subject else "Unspecified"


def _ordered(items: list[FigureItem]) -> list[FigureItem]:
    """Figures of the same subject together, subjects by their largest figure, then largest first."""
    groups: dict[str, list[FigureItem]] = {}
    for fig in items:
        groups.setdefault(_subject(fig).lower(), []).append(fig)
    ordered = sorted(groups.values(), key=lambda group: -max(f.high for f in group))
    return [fig for group in ordered for fig in sorted(group, key=lambda f: -f.high)]


__all__ = ["figures_chart_svg"]
