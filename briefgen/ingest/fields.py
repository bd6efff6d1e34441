"""The metadata fields a source may set (front matter or sidecar), validated strictly, and the error that
skips a source."""

from __future__ import annotations

import datetime as dt
import re

import yaml

from briefgen import safeyaml
from briefgen.grading import GradeError, parse_grade

FRONT_MATTER_FIELDS = ("title", "published", "url", "outlet", "releasable", "tags", "grade", "language", "fetched")
_PUBLISHED = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?(?:[T ].*)?$")


class SkippedSourceError(Exception):
    """A source that cannot be used; the message says why in one line, `line` and `column` (1-based) where.

    `file` names the file the line refers to when it is not the source itself (a sidecar).
    """

    def __init__(self, message: str, line: int | None = None, column: int | None = None,
                 file: str | None = None) -> None:
        super().__init__(message)
        self.line, self.column, self.file = line, column, file

    def located(self, label: str) -> str:
        """'label:LINE:COL: message', or 'label: message' when the place is unknown."""
        label = self.file or label
        where = f"{label}:{self.line}:{self.column or 1}" if self.line else label
        return f"{where}: {self}"


def parse_fields(block: str, first_line: int, what: str) -> dict[str, object]:
    """The fields of a YAML metadata block whose line 0 is line `first_line` of its file, checked against
    FRONT_MATTER_FIELDS; `what` ('front matter', 'sidecar') starts every error message."""
    try:
        data, node = safeyaml.load(block)
    except safeyaml.BadYAMLError as problem:
        line = first_line + problem.line if problem.line is not None else None
        column = (problem.column or 0) + 1 if problem.line is not None else None
        raise SkippedSourceError(f"{what}: {problem}", line, column) from None
    if data is None:
        return {}
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        raise SkippedSourceError(f"{what}: expected 'key: value' lines", first_line + 1)
    for key, _ in node.value:
        where = (first_line + key.start_mark.line, key.start_mark.column + 1)
        if key.value not in FRONT_MATTER_FIELDS:
            raise SkippedSourceError(f"{what}: unknown field '{key.value}'; valid: "
                                     f"{', '.join(FRONT_MATTER_FIELDS)}", *where)
        if key.value == "published":
            try:
                data["published"] = published(data["published"], what)
            except SkippedSourceError as problem:
                raise SkippedSourceError(str(problem), *where) from None
        if key.value == "grade":
            try:
                data["grade"] = parse_grade(data["grade"]).text
            except GradeError as problem:
                raise SkippedSourceError(f"{what}: grade: {problem}", *where) from None
    return dict(data)


def published(value: object, what: str = "front matter") -> str | None:
    """A publication date as YYYY-MM-DD or YYYY-MM; SkippedSourceError when it is not one."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    match = _PUBLISHED.match(text)
    if not match:
        raise SkippedSourceError(f"{what}: published: expected YYYY-MM-DD or YYYY-MM, got '{text[:40]}'")
    year, month, day = (int(part) if part else None for part in match.groups())
    try:
        dt.date(year or 0, month or 0, day or 1)
    except ValueError as error:
        raise SkippedSourceError(f"{what}: published: '{text[:40]}' is not a date ({error})") from None
    return match.group(0)[:10] if day else match.group(0)[:7]
