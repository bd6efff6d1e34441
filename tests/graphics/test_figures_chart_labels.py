"""The figures chart labels each bar with what, where and when, whole, as key figures gives them."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from briefgen.assemble.views import FigureItem
from briefgen.graphics import figures_chart_svg

SVG = "{http://www.w3.org/2000/svg}"


def bar(label: str, text: str, value: float) -> FigureItem:
    """A bar of a key figures row."""
    return FigureItem(text=text, low=value, high=value, subject=label, unit=None, sentence=text)


def test_row_labels_are_shown_whole_beside_their_bars() -> None:
    labels = ["Soldiers wounded, Tillaberi region, Mar 2025 [12]", "Soldiers killed, Tillaberi region, Mar 2025 [3]"]
    svg = figures_chart_svg([bar(labels[0], "Eight", 8), bar(labels[1], "Fifteen", 15)])
    assert svg is not None
    root = ET.fromstring(str(svg))
    shown = [" ".join("".join(node.itertext()).split()) for node in root.iter(f"{SVG}text")]
    assert set(labels) <= set(shown)
    assert not any("\u2026" in text for text in shown)


def test_a_label_too_long_for_its_share_of_the_width_is_cut_at_a_word() -> None:
    long = "Soldiers killed, " + ", ".join(f"Town {number}" for number in range(20)) + ", Mar 2025"
    svg = figures_chart_svg([bar(long, "12", 12), bar("Soldiers wounded", "8", 8)])
    assert svg is not None
    shown = [" ".join("".join(node.itertext()).split()) for node in ET.fromstring(str(svg)).iter(f"{SVG}text")]
    (cut,) = [text for text in shown if text.startswith("Soldiers killed")]
    assert cut.endswith("\u2026") and long.startswith(cut[:-1].rstrip(" ,"))
