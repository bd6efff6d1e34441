"""Shared SVG helpers: escaping, text measurement, number formatting and the root element."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

from markupsafe import Markup, escape

FONT = "'Source Sans Pro', 'DejaVu Sans', 'Liberation Sans', Arial, sans-serif"

# Palette (matches brief.css).
ACCENT = "#1f3a5f"
ACCENT_MID = "#5d7ea6"
ACCENT_LIGHT = "#aabcd2"
ACCENT_SOFT = "#e8eef5"
INK = "#1b2027"
INK_2 = "#3d4651"
GREY = "#646d78"
GREY_LIGHT = "#8d959f"
RULE = "#d3d9e0"
TINT = "#f4f6f9"
WARN = "#8a4b00"
NOW = "#a33a2c"

# Advance widths (1/1000 em) of DejaVu Sans and DejaVu Sans Bold for ASCII 32..126: the widest of the
# fonts named in FONT, so text measured with these never comes out wider than estimated.
_REGULAR = (
    318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636, 636, 636, 636,
    636, 636, 636, 636, 337, 337, 838, 838, 838, 531, 1000, 684, 686, 698, 770, 632, 575, 775, 752, 295, 295, 656,
    557, 863, 748, 787, 603, 787, 695, 635, 611, 732, 684, 989, 685, 611, 685, 390, 337, 390, 838, 500, 500, 613,
    635, 550, 635, 615, 352, 635, 634, 278, 278, 579, 278, 974, 634, 612, 635, 635, 411, 521, 392, 634, 592, 818,
    592, 592, 525, 636, 337, 636, 838,
)
_BOLD = (
    348, 456, 521, 838, 696, 1002, 872, 306, 457, 457, 523, 838, 380, 415, 380, 365, 696, 696, 696, 696, 696, 696,
    696, 696, 696, 696, 400, 400, 838, 838, 838, 580, 1000, 774, 762, 734, 830, 683, 683, 821, 837, 372, 372, 775,
    637, 995, 837, 850, 733, 850, 770, 720, 682, 812, 774, 1103, 771, 724, 725, 457, 365, 457, 838, 500, 500, 675,
    716, 593, 716, 678, 435, 716, 712, 343, 343, 665, 343, 1042, 712, 687, 716, 716, 493, 595, 478, 712, 652, 924,
    645, 652, 582, 712, 365, 712, 838,
)
_WIDE = {"\u2013": 500, "\u2014": 1000, "\u2026": 1000, "\u00b7": 318, "\u2019": 318, "\u2018": 318}


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def esc(text: object) -> str:
    """XML-escape untrusted text for element content or a double-quoted attribute.

    Characters that XML 1.0 does not allow at all (control characters, lone surrogates) are dropped."""
    return str(escape(_NOT_XML.sub("", str(text))))


def text_width(text: str, size: float, bold: bool = False, spacing: float = 0.0) -> float:
    """Estimated advance width of `text` at font `size` (user units), plus letter `spacing`."""
    table = _BOLD if bold else _REGULAR
    total = 0
    for ch in text:
        code = ord(ch)
        if 32 <= code <= 126:
            total += table[code - 32]
        else:
            total += _WIDE.get(ch, 720 if bold else 660)
    return total * size / 1000 + spacing * len(text)


def truncate(text: str, max_width: float, size: float, bold: bool = False, max_words: int | None = None) -> str:
    """Whole words of `text` that fit `max_width`, ending in an ellipsis when anything was cut."""
    text = " ".join(str(text).split())
    words = text.split(" ")
    cut = max_words is not None and len(words) > max_words
    if max_words is not None:
        words = words[:max_words]
    candidate = " ".join(words)
    if not cut and text_width(candidate, size, bold) <= max_width:
        return candidate
    ellipsis = "\u2026"
    out = ""
    for word in words:
        trial = f"{out} {word}" if out else word
        if text_width(trial + ellipsis, size, bold) > max_width:
            break
        out = trial
    if not out:  # the first word alone is too long: cut inside it
        for ch in words[0] if words else "":
            if text_width(out + ch + ellipsis, size, bold) > max_width:
                break
            out += ch
    return out.rstrip(" ,;:-\u2013\u2014") + ellipsis


def wrap(text: str, max_width: float, size: float, max_lines: int, bold: bool = False) -> list[str]:
    """`text` broken at spaces into at most `max_lines` lines of `max_width`; only what still does not fit
    is cut, the last line then ending in an ellipsis (a word wider than a line is cut inside it)."""
    words = " ".join(str(text).split()).split(" ")
    lines: list[str] = []
    while words and words != [""] and len(lines) < max_lines:
        line = words.pop(0)
        while words and text_width(f"{line} {words[0]}", size, bold) <= max_width:
            line = f"{line} {words.pop(0)}"
        if text_width(line, size, bold) > max_width or (words and len(lines) == max_lines - 1):
            line = truncate(" ".join([line, *words]), max_width, size, bold)
            words = []
        lines.append(line)
    return lines


def num(value: float) -> str:
    """A coordinate for SVG output: at most one decimal."""
    rounded = round(value, 1)
    return str(int(rounded)) if rounded == int(rounded) else f"{rounded:.1f}"


def thousands(value: float) -> str:
    """1234.0 -> '1,234'; 2.5 -> '2.5'."""
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.1f}"


def nice_step(span: float, target: int = 5) -> float:
    """A round step (1, 2, 2.5 or 5 times a power of ten) giving about `target` intervals over `span`."""
    if span <= 0:
        return 1.0
    raw = span / target
    power = 10 ** int(f"{raw:e}".split("e")[1])
    for factor in (1, 2, 2.5, 5, 10):
        if factor * power >= raw:
            return factor * power
    return 10 * power


def text(x: float, y: float, content: str, *, size: float = 10, fill: str = INK, anchor: str = "start",
         bold: bool = False, italic: bool = False, spacing: float = 0.0, extra: str = "") -> str:
    """A <text> element; `content` must already be escaped (use esc())."""
    attrs = [f'x="{num(x)}"', f'y="{num(y)}"', f'font-size="{num(size)}"', f'fill="{fill}"']
    if anchor != "start":
        attrs.append(f'text-anchor="{anchor}"')
    if bold:
        attrs.append('font-weight="bold"')
    if italic:
        attrs.append('font-style="italic"')
    if spacing:
        attrs.append(f'letter-spacing="{num(spacing)}"')
    if extra:
        attrs.append(extra)
    return f"<text {' '.join(attrs)}>{content}</text>"


def svg_root(width: float, height: float, title: str, desc: str, body: Iterable[str], kind: str) -> Markup:
    """The <svg> element: scalable (viewBox, width 100%), accessible (role, title, desc), self-contained.

    `title` and `desc` are plain text and escaped here; `body` is trusted SVG markup.
    """
    content = "\n".join(body)
    uid = "gfx-" + hashlib.sha1(f"{kind}{title}{desc}{content}".encode()).hexdigest()[:10]
    w, h = num(width), num(height)
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" class="gfx gfx-{kind}" '
        f'viewBox="0 0 {w} {h}" width="{w}" height="{h}" '
        f'style="width:100%;height:auto;max-width:100%;display:block" preserveAspectRatio="xMidYMid meet" '
        f'role="img" aria-labelledby="{uid}-t {uid}-d" font-family="{FONT}">'
    )
    parts = [
        head,
        f'<title id="{uid}-t">{esc(title)}</title>',
        f'<desc id="{uid}-d">{esc(desc)}</desc>',
        content,
        "</svg>",
    ]
    return Markup("\n".join(parts))
