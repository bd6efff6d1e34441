"""`briefgen init`: a new project, neutral or copied from one of the worked examples briefgen ships.

The neutral starter (briefgen/starters/neutral) names no theatre: an empty gazetteer, one generic
brief, two audiences, the producer named after the folder and the system's time zone. The worked
examples are whole desks with their own sources, one folder each: examples/NAME in the repository
(examples/iraq links to the repository's root project), briefgen/starter/NAME inside a wheel.
"""

from __future__ import annotations

import string
from pathlib import Path

from briefgen.atomic import copy_atomically, write_atomically
from briefgen.errors import BriefgenError
from briefgen.project import PACKAGE_DIR

NEUTRAL = PACKAGE_DIR / "starters" / "neutral"
EXAMPLE_FOLDERS = ("config", "sources", "templates", "static")
# Where the worked examples live: inside an installed wheel, then in the source checkout briefgen runs from.
EXAMPLE_HOMES = (PACKAGE_DIR / "starter", PACKAGE_DIR.parent / "examples")


def examples() -> dict[str, Path]:
    """The worked examples this installation has, by name."""
    for home in EXAMPLE_HOMES:
        found = {path.parent.parent.name: path.parent.parent for path in sorted(home.glob("*/config/briefgen.yaml"))}
        if found:
            return found
    return {}


def example_root(name: str) -> Path:
    """The folder of the worked example `name`."""
    found = examples()
    if name not in found:
        names = ", ".join(found) or "none (reinstall briefgen)"
        raise BriefgenError(f"unknown example '{name}'; examples: {names}")
    return found[name]


def create_project(directory: Path, example: str | None = None) -> list[Path]:
    """Make a project in `directory` (which must not hold one yet): the neutral starter, or a copy of the
    worked example `example`. Returns the files written."""
    if (directory / "config").exists():
        raise BriefgenError(f"{directory}: already holds a config/ folder; choose a new or empty folder")
    written = _copy_example(example_root(example), directory) if example else _write_neutral(directory)
    for folder in ("sources", "output"):
        (directory / folder).mkdir(parents=True, exist_ok=True)
    return written


def _copy_example(source: Path, directory: Path) -> list[Path]:
    written: list[Path] = []
    for folder in EXAMPLE_FOLDERS:
        for path in sorted((source / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                target = directory / path.relative_to(source)
                copy_atomically(path, target)
                written.append(target)
    return written


def _write_neutral(directory: Path) -> list[Path]:
    """The neutral starter, with the producer and the time zone filled in."""
    values = {"producer": producer_name(directory), "timezone": system_time_zone()}
    written: list[Path] = []
    for path in sorted(NEUTRAL.rglob("*.yaml")):
        target = directory / path.relative_to(NEUTRAL)
        text = string.Template(path.read_text(encoding="utf-8")).safe_substitute(values)
        write_atomically(target, text.encode("utf-8"))
        written.append(target)
    return written


def producer_name(directory: Path) -> str:
    """A producer named after the project folder: "sahel-desk" -> "Sahel Desk"."""
    words = directory.resolve().name.replace("-", " ").replace("_", " ").split()
    return " ".join(word[:1].upper() + word[1:] for word in words) or "Situation Desk"


def system_time_zone() -> str:
    """The IANA name of this machine's time zone (UTC when it has none that names one)."""
    import tzlocal

    from briefgen.config import check_time_zone

    try:
        return check_time_zone(tzlocal.get_localzone_name() or "UTC")
    except (ValueError, LookupError, OSError):
        return "UTC"
