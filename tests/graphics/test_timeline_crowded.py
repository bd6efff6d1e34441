"""The timeline graphic on a crowded axis: labels that cannot be placed are left out, never overlapped."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

from briefgen.assemble.views import TimelineEntry
from briefgen.graphics import timeline_svg

SVG = "{http://www.w3.org/2000/svg}"
BUILD = dt.date(2025, 10, 1)


def attack(day: dt.date) -> TimelineEntry:
    upcoming = day > BUILD
    return TimelineEntry(date=day.isoformat(), date_label=f"{day.day} {day:%B %Y}", precision="day",
                         what=f"Gunmen attacked a checkpoint on {day:%d %B}", kind="attack", planned=upcoming,
                         upcoming=upcoming)


def events(root: ET.Element) -> list[ET.Element]:
    return [group for group in root.iter(f"{SVG}g") if "gfx-event" in (group.get("class") or "").split()]


def label_box(group: ET.Element) -> tuple[float, float, float, float] | None:
    rect = next((r for r in group.iter(f"{SVG}rect") if r.get("class") == "gfx-label-bg"), None)
    if rect is None:
        return None
    x, y, w, h = (float(rect.get(key) or 0) for key in ("x", "y", "width", "height"))
    return x, y, x + w, y + h


# One event years back squeezes forty within three months into a few centimetres of the axis.
CROWDED = [attack(dt.date(2019, 3, 1)), *(attack(dt.date(2025, 8, 1) + dt.timedelta(days=2 * n)) for n in range(40))]


def test_a_crowded_axis_keeps_every_marker_and_no_two_labels_overlap() -> None:
    root = ET.fromstring(str(timeline_svg(CROWDED, BUILD, "Attacks")))
    groups = events(root)
    assert len(groups) == len(CROWDED) and all(group.find(f"{SVG}circle") is not None for group in groups)
    boxes = [box for box in map(label_box, groups) if box is not None]
    assert 0 < len(boxes) < len(CROWDED)
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)
    note = f"{len(CROWDED) - len(boxes)} of {len(CROWDED)} events are too close together to label here"
    assert any(note in "".join(t.itertext()) for t in root.iter(f"{SVG}text"))


def test_where_labels_clash_the_nearest_upcoming_event_keeps_its_own() -> None:
    root = ET.fromstring(str(timeline_svg(CROWDED, BUILD)))
    labelled = [label_box(group) is not None for group in events(root)]
    assert labelled[next(i for i, entry in enumerate(CROWDED) if entry.upcoming)]


def test_an_axis_with_room_labels_every_event() -> None:
    root = ET.fromstring(str(timeline_svg(CROWDED[::8], BUILD)))
    assert all(label_box(group) is not None for group in events(root))
    assert not any("too close together" in "".join(t.itertext()) for t in root.iter(f"{SVG}text"))
