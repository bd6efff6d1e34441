"""Fetch: bring the feeds and web pages briefs list among their sources into the project.

`fetch_sources()` reads as the step: for each feed or page entry of the chosen briefs, a conditional
request; a feed's new items fetched (the page an item links to, or the item's own content when the
feed carries the whole article); each item kept raw with its metadata in the project's fetched folder
(see `archive`). A source that fails is reported in one line and the others go on; what was kept
before stays, so the next build still has it.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from briefgen.config import SourceEntry
from briefgen.locks import RunLock, lock_folder
from briefgen.project import Project

__all__ = ["FULL_TEXT_WORDS", "FetchReport", "fetch_sources", "live_entries"]
# A feed item carrying at least this many words of content is the article itself: its page is not fetched.
FULL_TEXT_WORDS = 150


class Progress(Protocol):
    """What fetching reports progress to."""

    def step(self, label: str, total: int) -> None:
        """A new step of `total` units begins."""

    def advance(self, units: int = 1) -> None:
        """Units of the current step are done."""


@dataclass
class FetchReport:
    """What a fetch did: items kept new or changed (project-relative paths), how many were unchanged, and one
    line per feed, page or item that failed."""

    sources: int = 0
    new: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    failed: list[str] = field(default_factory=list)
    requests: int = 0
    seconds: float = 0.0

    def summary(self) -> str:
        """One line: 'Fetched 4 feeds and pages in 2.1 s: 3 new items, 1 updated, 12 unchanged, 1 failed.'"""
        noun = "feed or page" if self.sources == 1 else "feeds and pages"
        counts = [f"{len(self.new)} new {'item' if len(self.new) == 1 else 'items'}", f"{len(self.updated)} updated",
                  f"{self.unchanged} unchanged"] + ([f"{len(self.failed)} failed"] if self.failed else [])
        return f"Fetched {self.sources} {noun} in {self.seconds:.1f} s: {', '.join(counts)}."


def live_entries(project: Project, briefs: Iterable[str]) -> list[tuple[str, SourceEntry]]:
    """The feed and page entries of the briefs, each address once, with the first brief listing it."""
    seen: dict[str, tuple[str, SourceEntry]] = {}
    for name in briefs:
        for entry in project.briefs[name].sources:
            if entry.kind != "files" and entry.address not in seen:
                seen[entry.address] = (name, entry)
    return list(seen.values())


def fetch_sources(project: Project, briefs: Iterable[str], progress: Progress | None = None) -> FetchReport:
    """Fetch every feed and page the briefs list (module docstring), one fetch at a time per project."""
    started, report = time.perf_counter(), FetchReport()
    entries = live_entries(project, briefs)
    report.sources = len(entries)
    if not entries:
        return report
    if progress:
        progress.step(f"Fetching {len(entries)} {'feed or page' if len(entries) == 1 else 'feeds and pages'}",
                      len(entries))
    lock = RunLock(lock_folder(project.root), "_fetch")  # "_": no brief is named so
    lock.acquire(wait=True)  # a second fetch waits, then finds most items already kept
    from briefgen.fetch.client import Client  # the HTTP stack loads only when something is fetched
    from briefgen.fetch.sources import fetch_entry

    try:
        with Client(project.settings.fetch, project.settings.contact) as client:
            for brief, entry in entries:
                fetch_entry(project, client, entry, report, f"config/briefs/{brief}.yaml")
                if progress:
                    progress.advance()
    finally:
        lock.release()
    report.seconds = time.perf_counter() - started
    return report
