"""Sidecar metadata: `report.pdf.meta.yaml` beside `report.pdf` sets the fields front matter would.

Binary sources (PDF, DOCX) and fetched web pages have no front matter; a sidecar gives them a title, date,
url, outlet or releasability, and its values win over what the file itself says.
"""

from __future__ import annotations

from pathlib import Path

from briefgen.config import SourceLimits
from briefgen.ingest.fields import SkippedSourceError, parse_fields

SIDECAR_SUFFIX = ".meta.yaml"


def sidecar_path(source: Path) -> Path:
    """Where the sidecar of `source` would be."""
    return source.with_name(source.name + SIDECAR_SUFFIX)


def is_sidecar(path: Path) -> bool:
    """Whether `path` is named as a sidecar (of whatever file)."""
    return path.name.lower().endswith(SIDECAR_SUFFIX) and len(path.name) > len(SIDECAR_SUFFIX)


def read_sidecar(source: Path, limits: SourceLimits | None = None, label: str | None = None) -> dict[str, object]:
    """The validated fields of the sidecar of `source`, {} when it has none.

    Raises SkippedSourceError naming the sidecar (`label` + '.meta.yaml' when given), line and column.
    """
    path, limits = sidecar_path(source), limits or SourceLimits()
    shown = (label + SIDECAR_SUFFIX) if label else str(path)
    try:
        if not path.is_file():
            return {}
        with path.open("rb") as handle:
            raw = handle.read(limits.front_matter_bytes + 1)
    except OSError as error:
        raise SkippedSourceError(f"sidecar: cannot read: {error.strerror or error}", file=shown) from None
    if len(raw) > limits.front_matter_bytes:
        raise SkippedSourceError(f"sidecar is over {limits.front_matter_bytes:,} bytes "
                                 "(limits.front_matter_bytes in config/briefgen.yaml)", file=shown)
    try:
        block = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SkippedSourceError(f"sidecar: not UTF-8 text (byte {error.start})", file=shown) from None
    try:
        return parse_fields(block, 1, "sidecar")
    except SkippedSourceError as problem:
        raise SkippedSourceError(str(problem), problem.line, problem.column, file=shown) from None
