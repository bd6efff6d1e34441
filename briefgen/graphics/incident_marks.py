"""How each ACLED event type is drawn, in the incidents chart and on the map: a fixed colour from the
Okabe-Ito palette (told apart with the common colour-vision deficiencies) and, on the map and in legends,
a shape of its own, so a type is never told by colour alone.

Every shape drawn with `marker(kind, x, y, r)` covers about the area of a circle of radius `r`, so symbols
sized by area compare fairly across types.
"""

from __future__ import annotations

import math

from briefgen.graphics._svg import INK, num

# ACLED's event types in the order charts stack them and legends list them: violence first.
EVENT_TYPES = ("Battles", "Explosions/Remote violence", "Violence against civilians", "Riots", "Protests",
               "Strategic developments")
COLOURS = {
    "Battles": "#D55E00",  # vermillion
    "Explosions/Remote violence": "#0072B2",  # blue
    "Violence against civilians": "#CC79A7",  # reddish purple
    "Riots": "#E69F00",  # orange
    "Protests": "#009E73",  # bluish green
    "Strategic developments": "#56B4E9",  # sky blue
}
SHAPES = {
    "Battles": "star",
    "Explosions/Remote violence": "triangle-down",
    "Violence against civilians": "plus",
    "Riots": "cross",
    "Protests": "hexagon",
    "Strategic developments": "ring",
}
OTHER_COLOUR = "#646d78"  # a type briefgen does not know (never from its own extraction)
OUTLINE = f'stroke="{INK}" stroke-width="0.7" stroke-linejoin="round"'


def colour(event_type: str) -> str:
    """The fixed fill colour of an ACLED event type."""
    return COLOURS.get(event_type, OTHER_COLOUR)


def shape(event_type: str) -> str:
    """The name of the shape an ACLED event type is drawn with ('star', 'triangle-down' ...)."""
    return SHAPES.get(event_type, "diamond")


def ordered(types: set[str] | list[str]) -> list[str]:
    """The given event types in the fixed order (unknown ones last, by name)."""
    known = [kind for kind in EVENT_TYPES if kind in types]
    return known + sorted(set(types) - set(EVENT_TYPES))


def marker(event_type: str, x: float, y: float, r: float, extra: str = "") -> str:
    """The type's symbol centred on (x, y), of about the area of a circle of radius `r`; `extra` adds
    attributes (a class ...) to the element."""
    fill, form = colour(event_type), shape(event_type)
    attrs = f'class="gfx-mark gfx-mark-{form}" fill="{fill}" {OUTLINE}' + (f" {extra}" if extra else "")
    if form == "ring":  # a disc with a hole: a fifth of its area is the hole
        return (f'<g class="gfx-mark gfx-mark-ring"{" " + extra if extra else ""}>'
                f'<circle cx="{num(x)}" cy="{num(y)}" r="{num(r * 1.118)}" fill="{fill}" {OUTLINE}/>'
                f'<circle cx="{num(x)}" cy="{num(y)}" r="{num(r * 0.5)}" fill="#ffffff" {OUTLINE}/></g>')
    return f'<polygon {attrs} points="{_points(_outline(form, r), x, y)}"/>'


def _outline(form: str, r: float) -> list[tuple[float, float]]:
    """The shape's corners around (0, 0), scaled so its area is about pi r^2."""
    if form == "star":  # five points, the inner radius half the outer: area 5 * 0.5 * sin(36°) R^2
        outer = r * math.sqrt(math.pi / (5 * 0.5 * math.sin(math.radians(36))))
        return [_polar(outer if i % 2 == 0 else outer * 0.5, -90 + 36 * i) for i in range(10)]
    if form == "triangle-down":  # equilateral, pointing down: area 1.299 R^2
        outer = r * math.sqrt(math.pi / 1.299)
        return [_polar(outer, angle) for angle in (90, 210, 330)]
    if form in ("plus", "cross"):  # arms 0.8 as thick as half their length: area 2.56 a^2
        a = r * math.sqrt(math.pi / 2.56)
        t = 0.4 * a
        corners = [(t, -a), (t, -t), (a, -t), (a, t), (t, t), (t, a), (-t, a), (-t, t), (-a, t), (-a, -t),
                   (-t, -t), (-t, -a)]
        if form == "cross":
            c = math.sqrt(0.5)
            corners = [((px - py) * c, (px + py) * c) for px, py in corners]
        return corners
    if form == "hexagon":  # area 2.598 R^2
        outer = r * math.sqrt(math.pi / 2.598)
        return [_polar(outer, -90 + 60 * i) for i in range(6)]
    outer = r * math.sqrt(math.pi / 2)  # diamond: area 2 R^2
    return [_polar(outer, angle) for angle in (-90, 0, 90, 180)]


def _polar(radius: float, degrees: float) -> tuple[float, float]:
    angle = math.radians(degrees)
    return radius * math.cos(angle), radius * math.sin(angle)


def _points(corners: list[tuple[float, float]], x: float, y: float) -> str:
    return " ".join(f"{num(x + cx)},{num(y + cy)}" for cx, cy in corners)


__all__ = ["COLOURS", "EVENT_TYPES", "SHAPES", "colour", "marker", "ordered", "shape"]
