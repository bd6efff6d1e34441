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


WITHDRAWAL = [
    ("2024-09-27", "Under the timetable agreed by a joint Iraqi–US commission, the mission ends in two phases"),
    ("2025-09-15", "Coalition troops are to leave Ain al-Asad Air Base and Camp Victory by September 2025"),
    ("2025-09-29", "Around 2,000 US troops were still deployed in Iraq at the end of September"),
    ("2025-11-16", "A convoy carrying about 180 Iraqi families left al-Hol camp"),
    ("2026-09-30", "The coalition's departure stays on schedule for September 2026"),
]


def withdrawal(day: str, what: str) -> TimelineEntry:
    when = dt.date.fromisoformat(day)
    upcoming = when > BUILD
    return TimelineEntry(date=day, date_label=f"{when.day} {when:%B %Y}", precision="day", what=what,
                         kind="withdrawal", planned=upcoming, upcoming=upcoming)


def label_lines(group: ET.Element) -> list[str]:
    """The label's lines of what happened (the texts after its date)."""
    return ["".join(t.itertext()) for t in group.iter(f"{SVG}text")][1:]


def test_labels_wrap_at_words_instead_of_ending_in_an_ellipsis() -> None:
    root = ET.fromstring(str(timeline_svg([withdrawal(*item) for item in WITHDRAWAL], BUILD, "Withdrawal")))
    for group, (_, what) in zip(events(root), WITHDRAWAL, strict=True):
        lines = label_lines(group)
        assert 1 <= len(lines) <= 3 and " ".join(lines) == what  # every word, in order, none cut
        assert not any(line.endswith("\u2026") for line in lines)
    assert any(len(label_lines(group)) > 1 for group in events(root))  # these do need more than one line


def test_wrapped_labels_stay_inside_their_ground_and_clear_of_each_other_and_the_leaders() -> None:
    crowded = [withdrawal((dt.date(2025, 6, 1) + dt.timedelta(days=9 * n)).isoformat(), WITHDRAWAL[n % 5][1])
               for n in range(14)]
    root = ET.fromstring(str(timeline_svg(crowded, BUILD, "Withdrawal")))
    boxes, leaders = [], []
    for group in events(root):
        box = label_box(group)
        if box is None:
            continue
        boxes.append(box)
        line = next(ln for ln in group.iter(f"{SVG}line") if ln.get("class") == "gfx-leader")
        leaders.append((float(line.get("x1") or 0), *sorted((float(line.get("y1") or 0), float(line.get("y2") or 0)))))
        baselines = [float(t.get("y") or 0) for t in group.iter(f"{SVG}text")]
        assert box[1] < min(baselines) and max(baselines) + 3 <= box[3]  # every line on the label's ground
    assert len(boxes) >= 4
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)
        for j, (lx, y1, y2) in enumerate(leaders):
            assert j == i or not (a[0] + 0.5 < lx < a[2] - 0.5 and y1 < a[3] - 0.5 and a[1] + 0.5 < y2), (a, lx)


def test_however_many_events_the_graphic_is_no_taller_than_it_is_wide() -> None:
    # Twenty-one events a day or two apart around the build date, each with a three-line label: before
    # the rows were capped, fourteen rows of labels made the graphic taller than a page under its heading.
    start = BUILD - dt.timedelta(days=12)
    spread = [withdrawal((start + dt.timedelta(days=n + n // 2)).isoformat(), WITHDRAWAL[n % 5][1]) for n in range(21)]
    root = ET.fromstring(str(timeline_svg(spread, BUILD, "Withdrawal")))
    assert float(root.get("height") or 0) <= float(root.get("width") or 0)
    labelled = sum(1 for group in events(root) if label_box(group) is not None)
    assert 8 <= labelled < len(spread)
    note = f"{len(spread) - labelled} of {len(spread)} events are too close together to label here"
    assert any(note in "".join(t.itertext()) for t in root.iter(f"{SVG}text"))
