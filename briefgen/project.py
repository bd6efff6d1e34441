"""A project directory: its configuration files, loaded and cross-checked together.

Every file is validated and every problem reported at once, one line each,
naming file, line, column and key (MkDocs-style), before anything is built.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from briefgen.config import (
    AnalystWrittenSection,
    AudienceConfig,
    BriefConfig,
    Gazetteer,
    ProjectConfig,
    load_yaml,
    locate,
    validate,
)
from briefgen.database import StoreLocation, is_postgresql
from briefgen.errors import ConfigError
from briefgen.eventkinds import event_kind_problems
from briefgen.review.corrections import Decision, load_corrections
from briefgen.svgclean import UnsafeSVGError, clean_svg

PACKAGE_DIR = Path(__file__).resolve().parent
BUILTIN_TEMPLATES = PACKAGE_DIR / "templates"
BUILTIN_STATIC = PACKAGE_DIR / "static"
MAX_LOGO_BYTES = 1 << 20
MAX_TEXT_BYTES = 1 << 20  # analyst Markdown read from a file beside a brief
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
    decisions: list[Decision] = field(default_factory=list)  # corrections.yaml: the analysts' decisions

    def path(self, relative: str) -> Path:
        """A path inside the project."""
        return self.root / relative

    @property
    def store_location(self) -> StoreLocation:
        """The fact store: a postgresql:// URL as written in the settings, else a SQLite file in the project."""
        store = self.settings.store
        return store if is_postgresql(store) else self.path(store)

    @property
    def output_dir(self) -> Path:
        """Where briefs are written."""
        return self.path(self.settings.output)

    def logo_uri(self, audience: str) -> str | None:
        """The audience's logo as a data: URI, so that HTML stays one file and PDFs fetch nothing.

        An SVG logo is sanitised first: drawing only, no script and no reference out of the file.
        """
        logo = self.audiences[audience].logo
        if logo is None:
            return None
        label = f"config/audiences/{audience}.yaml: logo"
        path = inside(self.root, logo)
        if path is None or not path.is_file():
            raise ConfigError(f"{label}: '{logo}' is not a file inside the project")
        try:
            content = path.read_bytes()
            if path.suffix.lower() == ".svg":
                content = clean_svg(content)
        except OSError as error:
            raise ConfigError(f"{label}: cannot read '{logo}': {error.strerror or error}") from None
        except UnsafeSVGError as error:
            raise ConfigError(f"{label}: '{logo}': {error}") from None
        encoded = base64.b64encode(content).decode("ascii")
        return f"data:{LOGO_TYPES[path.suffix.lower()]};base64,{encoded}"

    def audiences_for(self, brief: str) -> list[str]:
        """The audience names a brief is built for."""
        return list(self.briefs[brief].audiences or sorted(self.audiences))


def inside(root: Path, relative: str) -> Path | None:
    """`relative` resolved under `root` (symlinks followed), or None when it leads out of `root`."""
    try:
        path = (root / relative).resolve()
    except (OSError, RuntimeError, ValueError):
        return None
    return path if path.is_relative_to(root.resolve()) else None


def load_project(root: Path) -> Project:
    """Load and cross-check all configuration under `root`; raise ConfigError listing every problem."""
    root = root.resolve()
    config_dir = root / "config"
    if not config_dir.is_dir():
        raise ConfigError(f"{root}: not a briefgen project (no config/ folder); create one with 'briefgen init DIR'")
    errors: list[str] = []
    settings = _load(ProjectConfig, root, "config/briefgen.yaml", errors, optional=True) or ProjectConfig()
    outside = _settings_problems(root, settings)
    errors += outside
    gazetteer = _load_gazetteer(root, settings.gazetteer, errors) if not outside else Gazetteer()
    project = Project(root=root, settings=settings, gazetteer=gazetteer)
    for path in sorted((config_dir / "audiences").glob("*.yaml")):
        loaded_audience = _load_with_node(AudienceConfig, root, _relative(path, root), errors)
        if loaded_audience is not None:
            project.audiences[path.stem] = loaded_audience[0]
            _check_audience(project, path.stem, *loaded_audience, errors)
    for path in sorted((config_dir / "briefs").glob("*.yaml")):
        loaded = _load_with_node(BriefConfig, root, _relative(path, root), errors)
        if loaded is not None:
            project.briefs[path.stem] = loaded[0]
            _check_brief(project, path, *loaded, errors)
    project.decisions = _load_decisions(root, errors)
    if not project.briefs and not errors:
        errors.append("config/briefs/: no brief defined; add config/briefs/NAME.yaml")
    if errors:
        raise ConfigError(*errors)
    return project


def _load_decisions(root: Path, errors: list[str]) -> list[Decision]:
    try:
        return load_corrections(root)
    except ConfigError as error:
        errors += error.lines
        return []


def _load_gazetteer(root: Path, label: str, errors: list[str]) -> Gazetteer:
    """The gazetteer (empty when the project has none), its countries checked against the world data."""
    if not (root / label).exists():
        return Gazetteer()
    loaded = _load_with_node(Gazetteer, root, label, errors)
    if loaded is None:
        return Gazetteer()
    gazetteer, node = loaded
    from briefgen.extract.world import world  # imported here: needed only when the gazetteer names countries

    for number, name in enumerate(gazetteer.countries):
        if world().country(name) is None:
            where = locate(node, ("countries", number), label)
            errors.append(f"{where}: countries.{number}: '{name}' is no country briefgen knows; write its usual "
                          "English name (Mali, Burkina Faso, Democratic Republic of the Congo)")
    return gazetteer


def _settings_problems(root: Path, settings: ProjectConfig) -> list[str]:
    """Folders and files briefgen reads while rendering must lie inside the project."""
    return [f"config/briefgen.yaml: {key}: '{value}' is outside the project"
            for key, value in (("gazetteer", settings.gazetteer), ("templates", settings.templates),
                               ("static", settings.static)) if inside(root, value) is None]


def _relative(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()


def _load(model: Any, root: Path, label: str, errors: list[str], optional: bool = False) -> Any:
    if optional and not (root / label).exists():
        return None
    loaded = _load_with_node(model, root, label, errors)
    return loaded[0] if loaded else None


def _load_with_node(model: Any, root: Path, label: str, errors: list[str]) -> tuple[Any, yaml.Node | None] | None:
    try:
        data, node = load_yaml(root / label, label)
        return validate(model, data, node, label), node
    except ConfigError as error:
        errors.extend(error.lines)
        return None


def _check_audience(project: Project, name: str, audience: AudienceConfig, node: yaml.Node | None,
                    errors: list[str]) -> None:
    label = f"config/audiences/{name}.yaml"
    if audience.approval == "required" and not project.settings.review.reviewers:
        errors.append(f"{locate(node, ('approval',), label)}: approval: 'required' needs reviewers to approve "
                      "the drafts; list them in config/briefgen.yaml under review: reviewers: [ADDRESS, ...]")
    if audience.templates:
        folder = inside(project.root, audience.templates)
        if folder is None:
            errors.append(f"{label}: templates: '{audience.templates}' is outside the project")
        elif not folder.is_dir():
            errors.append(f"{label}: templates: folder '{audience.templates}' does not exist")
    if audience.logo:
        errors += _logo_problems(project, label, audience.logo)


def _logo_problems(project: Project, label: str, logo: str) -> list[str]:
    path = inside(project.root, logo)
    if path is None:
        return [f"{label}: logo: '{logo}' is outside the project; put the logo in the project's static folder"]
    if not path.is_file():
        return [f"{label}: logo: file '{logo}' does not exist"]
    if path.suffix.lower() not in LOGO_TYPES:
        return [f"{label}: logo: '{logo}' is not one of {', '.join(sorted(LOGO_TYPES))}"]
    if path.stat().st_size > MAX_LOGO_BYTES:
        return [f"{label}: logo: '{logo}' is over {MAX_LOGO_BYTES:,} bytes"]
    return []


def _check_brief(project: Project, path: Path, brief: BriefConfig, node: yaml.Node | None,
                 errors: list[str]) -> None:
    label = _relative(path, project.root)
    valid = ", ".join(sorted(project.audiences)) or "none defined"
    for index, name in enumerate(brief.audiences or []):
        if name not in project.audiences:
            errors.append(f"{locate(node, ('audiences', index), label)}: audiences.{index}: "
                          f"unknown audience '{name}'; valid audiences: {valid}")
    errors += _schedule_problems(project, path.stem, node, label)
    if not any(line.startswith(project.settings.gazetteer) for line in errors):  # else its kinds are unknown
        errors += event_kind_problems(brief.sections, project.gazetteer, node, label)
    for index, section in enumerate(brief.sections):
        if not isinstance(section, AnalystWrittenSection) or (section.text is None and section.file is None):
            continue
        text = section.text if section.file is None else _read_beside(project.root, path, section.file)
        if text is None:
            errors.append(f"{locate(node, ('sections', index, 'file'), label)}: sections.{index}.file: "
                          f"cannot read '{section.file}' beside {label} (a UTF-8 file inside the project, "
                          f"at most {MAX_TEXT_BYTES:,} bytes)")
            continue
        project.section_texts.setdefault(path.stem, {})[section.kind] = text
        if section.kind == "key_judgments":
            project.judgments[path.stem] = text


def _schedule_problems(project: Project, name: str, node: yaml.Node | None, label: str) -> list[str]:
    """Recipients only for audiences the schedule builds (and its brief too), and only with delivery.smtp set."""
    problems, by_brief = [], project.audiences_for(name)

    def problem(loc: tuple[Any, ...], message: str) -> None:
        problems.append(f"{locate(node, loc, label)}: {'.'.join(str(part) for part in loc)}: {message}")

    for index, schedule in enumerate(project.briefs[name].schedules):
        built = [audience for audience in schedule.audiences or by_brief if audience in by_brief]
        for audience in schedule.recipients:
            if audience not in built:
                problem(("schedules", index, "recipients", audience),
                        f"this schedule does not build audience '{audience}'; it builds: {', '.join(built) or 'none'}")
        if any(schedule.recipients.values()) and project.settings.delivery.smtp is None:
            problem(("schedules", index, "recipients"),
                    "email needs delivery.smtp in config/briefgen.yaml, and it is not configured")
    return problems


def _read_beside(root: Path, config_path: Path, name: str) -> str | None:
    """The text of a file named relative to a config file, if it is inside the project and not too big."""
    path = inside(root, (config_path.parent / name).relative_to(root).as_posix())
    try:
        if path is None or path.stat().st_size > MAX_TEXT_BYTES:
            return None
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
