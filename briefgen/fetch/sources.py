"""Fetching one feed or page entry: the requests, what is kept, and how each item is counted."""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from briefgen.config import SourceEntry
from briefgen.fetch import FULL_TEXT_WORDS, FetchReport
from briefgen.fetch.archive import SUFFIX_BY_TYPE, Archive
from briefgen.fetch.client import Client, Fetched, FetchError
from briefgen.fetch.feeds import FeedItem, parse_feed
from briefgen.project import Project


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


def fetch_entry(project: Project, client: Client, entry: SourceEntry, report: FetchReport, label: str) -> None:
    """Fetch one feed or page entry into its archive folder; a failure becomes one line of `report.failed`."""
    job = _Job(project, client, entry, report)
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
