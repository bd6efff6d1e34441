"""A project directory: its configuration files, loaded and cross-checked together.

Every file is validated and every problem reported at once, one line each,
naming file, line, column and key (MkDocs-style), before anything is built.
"""

from __future__ import annotations

import base64
import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from briefgen.config import (
    AudienceConfig,
    BriefConfig,
    Gazetteer,
    ProjectConfig,
    load_yaml,
    locate,
    validate,
)
from briefgen.errors import ConfigError

PACKAGE_DIR = Path(__file__).resolve().parent
BUILTIN_TEMPLATES = PACKAGE_DIR / "templates"
BUILTIN_STATIC = PACKAGE_DIR / "static"
TEXT_SECTIONS = ("key_judgments", "outlook")  # sections whose Markdown may sit in a file beside the brief
LOGO_TYPES = {".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}


@dataclass
class Project:
    """A loaded project: its root folder and every validated configuration file."""

    root: Path
    settings: ProjectConfig
    gazetteer: Gazetteer
    briefs: dict[str, BriefConfig] = field(default_factory=dict)
    audiences: dict[str, AudienceConfig] = field(default_factory=dict)
    judgments: dict[str, str] = field(default_factory=dict)  # brief name -> analyst Markdown
    # brief name -> section kind -> the analyst Markdown of sections written in `text` or `file` (outlook ...)
    section_texts: dict[str, dict[str, str]] = field(default_factory=dict)

    def path(self, relative: str) -> Path:
        """A path inside the project."""
        return self.root / relative

    @property
    def store_path(self) -> Path:
        """The SQLite fact store."""
        return self.path(self.settings.store)

    @property
    def output_dir(self) -> Path:
        """Where briefs are written."""
        return self.path(self.settings.output)

    def logo_uri(self, audience: str) -> str | None:
        """The audience's logo as a data: URI, so that HTML stays one file and PDFs fetch nothing."""
        logo = self.audiences[audience].logo
        if logo is None:
            return None
        content = base64.b64encode(self.path(logo).read_bytes()).decode("ascii")
        return f"data:{LOGO_TYPES[Path(logo).suffix.lower()]};base64,{content}"

    def audiences_for(self, brief: str) -> list[str]:
        """The audience names a brief is built for."""
        return list(self.briefs[brief].audiences or sorted(self.audiences))


def load_project(root: Path) -> Project:
    """Load and cross-check all configuration under `root`; raise ConfigError listing every problem."""
    root = root.resolve()
    config_dir = root / "config"
    if not config_dir.is_dir():
        raise ConfigError(f"{root}: not a briefgen project (no config/ folder); create one with 'briefgen init DIR'")
    errors: list[str] = []
    settings = _load(ProjectConfig, root, "config/briefgen.yaml", errors, optional=True) or ProjectConfig()
    _check_settings(settings, errors)
    gazetteer = _load(Gazetteer, root, settings.gazetteer, errors, optional=True) or Gazetteer()
    project = Project(root=root, settings=settings, gazetteer=gazetteer)
    for path in sorted((config_dir / "audiences").glob("*.yaml")):
        audience = _load(AudienceConfig, root, _relative(path, root), errors)
        if audience is not None:
            project.audiences[path.stem] = audience
            _check_audience(project, path.stem, audience, errors)
    for path in sorted((config_dir / "briefs").glob("*.yaml")):
        loaded = _load_with_node(BriefConfig, root, _relative(path, root), errors)
        if loaded is not None:
            project.briefs[path.stem] = loaded[0]
            _check_brief(project, path, *loaded, errors)
    if not project.briefs and not errors:
        errors.append("config/briefs/: no brief defined; add config/briefs/NAME.yaml")
    if errors:
        raise ConfigError(*errors)
    return project


def _relative(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()


def _load(model: Any, root: Path, label: str, errors: list[str], optional: bool = False) -> Any:
    if optional and not (root / label).exists():
        return None
    loaded = _load_with_node(model, root, label, errors)
    return loaded[0] if loaded else None


def _load_with_node(model: Any, root: Path, label: str, errors: list[str]) -> tuple[Any, yaml.Node] | None:
    try:
        data, node = load_yaml(root / label, label)
        return validate(model, data, node, label), node
    except ConfigError as error:
        errors.extend(error.lines)
        return None


def _check_settings(settings: ProjectConfig, errors: list[str]) -> None:
    try:
        zoneinfo.ZoneInfo(settings.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        errors.append(f"config/briefgen.yaml: timezone: unknown time zone '{settings.timezone}'")


def _check_audience(project: Project, name: str, audience: AudienceConfig, errors: list[str]) -> None:
    if audience.templates and not project.path(audience.templates).is_dir():
        errors.append(f"config/audiences/{name}.yaml: templates: folder '{audience.templates}' does not exist")
    if audience.logo and not project.path(audience.logo).is_file():
        errors.append(f"config/audiences/{name}.yaml: logo: file '{audience.logo}' does not exist")
    elif audience.logo and Path(audience.logo).suffix.lower() not in LOGO_TYPES:
        errors.append(f"config/audiences/{name}.yaml: logo: '{audience.logo}' is not one of "
                      f"{', '.join(sorted(LOGO_TYPES))}")


def _check_brief(project: Project, path: Path, brief: BriefConfig, node: yaml.Node, errors: list[str]) -> None:
    label = _relative(path, project.root)
    valid = ", ".join(sorted(project.audiences)) or "none defined"
    for index, name in enumerate(brief.audiences or []):
        if name not in project.audiences:
            errors.append(f"{locate(node, ('audiences', index), label)}: audiences.{index}: "
                          f"unknown audience '{name}'; valid audiences: {valid}")
    for index, section in enumerate(brief.sections):
        if section.kind not in TEXT_SECTIONS or (section.text is None and section.file is None):
            continue
        text = section.text if section.file is None else _read_beside(path, section.file)
        if text is None:
            errors.append(f"{locate(node, ('sections', index, 'file'), label)}: sections.{index}.file: "
                          f"cannot read '{section.file}' beside {label}")
            continue
        project.section_texts.setdefault(path.stem, {})[section.kind] = text
        if section.kind == "key_judgments":
            project.judgments[path.stem] = text


def _read_beside(config_path: Path, name: str) -> str | None:
    try:
        return (config_path.parent / name).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
