"""The fetched-items archive: one folder per feed or page a brief lists, inside the project.

Each item is kept as it was received (`NAME.html`, `.pdf`, `.docx`, `.txt`) beside a sidecar
`NAME.html.meta.yaml` holding what the fetch learned — URL, title, publication and fetch times,
outlet — so ingest reads it like any source file and a brief is rebuilt offline from exactly what
it cited. The folder's `.fetch-state.json` keeps the validators (ETag, Last-Modified) for
conditional requests and which item came from which URL.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from briefgen.atomic import write_atomically
from briefgen.config import SourceEntry
from briefgen.ingest import SIDECAR_SUFFIX

STATE_FILE = ".fetch-state.json"
# What a response's media type is kept as; ingest reads each of these suffixes.
SUFFIX_BY_TYPE = {
    "text/html": ".html", "application/xhtml+xml": ".html", "application/pdf": ".pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "text/plain": ".txt", "text/markdown": ".md",
}
_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass
class ItemState:
    """What is known of one fetched URL."""

    file: str
    fetched: str
    sha256: str
    etag: str | None = None
    last_modified: str | None = None


@dataclass
class SourceState:
    """What is known of one feed or page: its validators, when it was last checked, and its items."""

    address: str
    checked: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    items: dict[str, ItemState] = field(default_factory=dict)


class Archive:
    """The folder of one feed or page: its state and its items."""

    def __init__(self, root: Path, entry: SourceEntry, fetched_folder: str) -> None:
        self.folder = root / entry.folder(fetched_folder)
        self.state = self._load(entry.address)

    def _load(self, address: str) -> SourceState:
        try:
            data = json.loads((self.folder / STATE_FILE).read_text(encoding="utf-8"))
            items = {url: ItemState(**item) for url, item in data.pop("items", {}).items()}
            return SourceState(**data, items=items)
        except (OSError, ValueError, TypeError):
            return SourceState(address=address)  # none yet, or unreadable: fetched afresh

    def save_state(self) -> None:
        """Write the state file (by rename)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        write_atomically(self.folder / STATE_FILE, json.dumps(asdict(self.state), indent=1, sort_keys=True))

    def keep(self, url: str, body: bytes, suffix: str, metadata: dict[str, object], fetched: str,
             etag: str | None = None, last_modified: str | None = None) -> bool:
        """Keep an item (raw bytes and sidecar); True when it is new or changed, False when identical."""
        digest = hashlib.sha256(body).hexdigest()
        known = self.state.items.get(url)
        if known and known.sha256 == digest and (self.folder / known.file).is_file():
            known.etag, known.last_modified = etag or known.etag, last_modified or known.last_modified
            return False
        name = known.file if known and known.file.endswith(suffix) else self._new_name(url, suffix, metadata)
        self.folder.mkdir(parents=True, exist_ok=True)
        write_atomically(self.folder / (name + SIDECAR_SUFFIX), _sidecar(url, metadata, fetched))
        write_atomically(self.folder / name, body)
        if known and known.file != name:
            for stale in (known.file, known.file + SIDECAR_SUFFIX):
                (self.folder / stale).unlink(missing_ok=True)
        self.state.items[url] = ItemState(file=name, fetched=fetched, sha256=digest, etag=etag,
                                          last_modified=last_modified)
        return True

    def _new_name(self, url: str, suffix: str, metadata: dict[str, object]) -> str:
        parts = urlsplit(url)
        last = _slug(Path(parts.path).stem or parts.hostname or "item")[:60].strip("-") or "item"
        published = str(metadata.get("published") or "")[:10]
        prefix = f"{published}-" if re.fullmatch(r"\d{4}-\d{2}-\d{2}", published) else ""
        return f"{prefix}{last}-{hashlib.sha256(url.encode()).hexdigest()[:6]}{suffix}"


MAX_FIELD = 2000  # characters of a sidecar value: what a feed says of an item is not trusted to be short


def _sidecar(url: str, metadata: dict[str, object], fetched: str) -> str:
    fields = {key: str(value)[:MAX_FIELD] for key, value in metadata.items() if value not in (None, "")}
    fields.setdefault("url", url)
    fields["fetched"] = fetched
    return yaml.safe_dump(fields, sort_keys=False, allow_unicode=True, width=1000)


def _slug(text: str) -> str:
    return _SLUG.sub("-", text.lower())
