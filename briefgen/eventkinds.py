"""The event kinds a brief may name: briefgen's own, 'other', and those a project's gazetteer adds.

briefgen's own kinds are the labels of its event cues (extract/data/patterns/event_cues.yaml), read
here from the data file so that checking a configuration never loads the extraction pipeline. An event
whose clause has no cue is of kind `other`; a project adds kinds with `event_cues:` in its gazetteer.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

from briefgen.config import Gazetteer, locate

SHIPPED_CUES = Path(__file__).resolve().parent / "extract" / "data" / "patterns" / "event_cues.yaml"
OTHER = "other"


@cache
def shipped_event_kinds() -> tuple[str, ...]:
    """briefgen's own event kinds, in the order its cues list them, then 'other'."""
    data: dict[str, Any] = yaml.safe_load(SHIPPED_CUES.read_text(encoding="utf-8"))
    return tuple(dict.fromkeys([*(str(pattern["label"]) for pattern in data["patterns"]), OTHER]))


def event_kinds(gazetteer: Gazetteer) -> tuple[str, ...]:
    """Every event kind a project's events can have: briefgen's own, 'other' and its gazetteer's labels."""
    return tuple(dict.fromkeys([*shipped_event_kinds(), *(cue.label for cue in gazetteer.event_cues)]))


def default_timeline_kinds(gazetteer: Gazetteer) -> list[str]:
    """The kinds a timeline without `event_kinds` shows: every kind but statements and 'other'."""
    return [kind for kind in event_kinds(gazetteer) if kind not in ("statement", OTHER)]


def event_kind_problems(sections: list[Any], gazetteer: Gazetteer, node: yaml.Node | None,
                        label: str) -> list[str]:
    """One line per event kind a brief's sections (timelines, changes) name that no event can have,
    naming file, line and key and listing the valid kinds."""
    valid = event_kinds(gazetteer)
    added = [cue.label for cue in gazetteer.event_cues]
    listing = ", ".join(valid) + (" (the gazetteer's event_cues add: " + ", ".join(dict.fromkeys(added)) + ")"
                                  if added else "; a project adds kinds with event_cues: in its gazetteer")
    problems = []
    for index, section in enumerate(sections):
        for position, kind in enumerate(getattr(section, "event_kinds", None) or []):
            if kind not in valid:
                loc = ("sections", index, "event_kinds", position)
                problems.append(f"{locate(node, loc, label)}: {'.'.join(map(str, loc))}: "
                                f"unknown event kind '{kind}'; valid kinds: {listing}")
    return problems
