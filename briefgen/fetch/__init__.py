"""Fetch: bring the feeds and web pages briefs list among their sources into the project.

`fetch_sources()` reads as the step: for each feed or page entry of the chosen briefs, a conditional
request; a feed's new items fetched (the page an item links to, or the item's own content when the
feed carries the whole article); each item kept raw with its metadata in the project's fetched folder
(see `archive`). A source that fails is reported in one line and the others go on; what was kept
before stays, so the next build still has it.
"""

from __future__ import annotations

import datetime as dt
import html
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Protocol
from urllib.parse import urlsplit

from briefgen.config import SourceEntry
from briefgen.fetch.archive import SUFFIX_BY_TYPE, Archive
from briefgen.fetch.client import Client, Fetched, FetchError
from briefgen.fetch.feeds import FeedItem, parse_feed
from briefgen.locks import RunLock, lock_folder
from briefgen.project import Project

__all__ = ["FetchError", "FetchReport", "fetch_sources", "live_entries"]
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
    try:
        with Client(project.settings.fetch, project.settings.contact) as client:
            for brief, entry in entries:
                _fetch_entry(_Job(project, client, entry, report), f"config/briefs/{brief}.yaml")
                if progress:
                    progress.advance()
    finally:
        lock.release()
    report.seconds = time.perf_counter() - started
    return report


@dataclass
class _Job:
    """One entry being fetched, and where its results go."""

    project: Project
    client: Client
    entry: SourceEntry
    report: FetchReport

    def __post_init__(self) -> None:
        self.archive = Archive(self.project.root, self.entry, self.project.settings.fetch.folder)
        self.now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    def get(self, url: str, etag: str | None = None, last_modified: str | None = None) -> Fetched:
        self.report.requests += 1
        return self.client.get(url, etag, last_modified)

    def kept(self, url: str, fetched: Fetched | None, body: bytes, suffix: str,
             metadata: dict[str, object]) -> None:
        """Keep an item and count it as new, updated or unchanged."""
        known = url in self.archive.state.items
        changed = self.archive.keep(url, body, suffix, metadata, self.now,
                                    fetched.etag if fetched else None, fetched.last_modified if fetched else None)
        path = (self.archive.folder / self.archive.state.items[url].file).relative_to(self.project.root).as_posix()
        if not changed:
            self.report.unchanged += 1
        else:
            (self.report.updated if known else self.report.new).append(path)


def _fetch_entry(job: _Job, label: str) -> None:
    try:
        if job.entry.feed:
            _fetch_feed(job, job.entry.feed, label)
        else:
            _fetch_page(job, job.entry.url or "")
    except FetchError as problem:
        job.report.failed.append(f"{label}: {problem}")
    finally:
        job.archive.state.checked = job.now
        job.archive.save_state()


def _fetch_feed(job: _Job, address: str, label: str) -> None:
    state = job.archive.state
    fetched = job.get(address, state.etag, state.last_modified)
    if fetched.not_modified:
        return
    limit = job.entry.max_items or job.project.settings.fetch.max_items
    all_kept = True
    for item in parse_feed(fetched.body, address, limit):
        if item.link in state.items:
            job.report.unchanged += 1
            continue
        try:
            body, suffix, page = _item_body(job, item)
        except FetchError as problem:
            job.report.failed.append(f"{label}: feed {address}: item {problem}")
            all_kept = False
            continue
        metadata: dict[str, object] = {"title": item.title, "published": item.published, "outlet": item.outlet,
                    "url": page.url if page else item.link}
        job.kept(item.link, page, body, suffix, metadata)
    if all_kept:  # else the next fetch must not be told "not modified": the failed items are tried again
        state.etag, state.last_modified = fetched.etag, fetched.last_modified


def _item_body(job: _Job, item: FeedItem) -> tuple[bytes, str, Fetched | None]:
    """An item's article: the feed's own content when it is the whole article, else the page it links to
    (the feed's summary when that page cannot be had)."""
    if len(html.unescape(item.content).split()) >= FULL_TEXT_WORDS:
        return _as_page(item), ".html", None
    try:
        page = job.get(item.link)
        return page.body, _suffix(page), page
    except FetchError:
        if not item.content.strip():
            raise
        return _as_page(item), ".html", None


def _as_page(item: FeedItem) -> bytes:
    title = html.escape(item.title or "")
    return (f"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{title}</title></head>\n"
            f"<body><article><h1>{title}</h1>\n{item.content}\n</article></body></html>\n").encode()


def _fetch_page(job: _Job, address: str) -> None:
    known = job.archive.state.items.get(address)
    fetched = job.get(address, known.etag if known else None, known.last_modified if known else None)
    if fetched.not_modified:
        job.report.unchanged += 1
        return
    job.kept(address, fetched, fetched.body, _suffix(fetched), {"url": fetched.url})


def _suffix(fetched: Fetched) -> str:
    """The file suffix a response is kept under, from its media type (or its URL's, for a generic type)."""
    suffix = SUFFIX_BY_TYPE.get(fetched.content_type)
    if suffix is None and fetched.content_type in ("", "application/octet-stream", "binary/octet-stream"):
        guessed = PurePosixPath(urlsplit(fetched.url).path).suffix.lower()
        suffix = guessed if guessed in set(SUFFIX_BY_TYPE.values()) else None
    if suffix is None:
        raise FetchError(f"{fetched.url}: a {fetched.content_type or 'typeless'} response is not a kind of "
                         "source briefgen reads (HTML, PDF, DOCX, plain text)")
    return suffix
