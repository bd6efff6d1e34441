"""`briefgen init`: a new project made from the example project briefgen ships."""

from __future__ import annotations

from pathlib import Path

from briefgen.atomic import copy_atomically
from briefgen.errors import BriefgenError
from briefgen.project import PACKAGE_DIR

STARTER_FOLDERS = ("config", "sources", "templates", "static")


def starter_root() -> Path:
    """The example project: packaged inside briefgen, or the source checkout it runs from."""
    packaged = PACKAGE_DIR / "starter"
    if (packaged / "config" / "briefgen.yaml").is_file():
        return packaged
    checkout = PACKAGE_DIR.parent
    if (checkout / "config" / "briefgen.yaml").is_file():
        return checkout
    raise BriefgenError("this briefgen installation lacks its example project; reinstall briefgen")


def create_project(directory: Path) -> list[Path]:
    """Copy the example project into `directory` (which must not hold a project yet)."""
    if (directory / "config").exists():
        raise BriefgenError(f"{directory}: already holds a config/ folder; choose a new or empty folder")
    source = starter_root()
    written: list[Path] = []
    for folder in STARTER_FOLDERS:
        for path in sorted((source / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                target = directory / path.relative_to(source)
                copy_atomically(path, target)
                written.append(target)
    (directory / "output").mkdir(parents=True, exist_ok=True)
    return written
