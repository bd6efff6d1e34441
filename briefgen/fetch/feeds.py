"""Feeds: the items of an RSS or Atom document, newest first, read with feedparser."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Any

import feedparser

from briefgen.fetch.client import FetchError


@dataclass
class FeedItem:
    """One entry of a feed: its link, title, publication time (UTC ISO), author and the HTML it carries."""

    link: str
    title: str | None
    published: str | None
    content: str  # the entry's full content when the feed carries it, else its summary (HTML)
    outlet: str | None  # the feed's own title


def parse_feed(body: bytes, url: str, max_items: int) -> list[FeedItem]:
    """The newest `max_items` items with a link; FetchError when the document is not a usable feed."""
    parsed = feedparser.parse(body, response_headers={"content-location": url})
    if parsed.bozo and not parsed.entries:
        raise FetchError(f"{url}: not a readable RSS or Atom feed ({_problem(parsed)})")
    if not parsed.get("version") and not parsed.entries:
        raise FetchError(f"{url}: not an RSS or Atom feed")
    outlet = _text(parsed.feed.get("title"))
    items = [item for entry in parsed.entries if (item := _item(entry, outlet)) is not None]
    items.sort(key=lambda item: item.published or "", reverse=True)
    return items[:max_items]


def _item(entry: Any, outlet: str | None) -> FeedItem | None:
    link = entry.get("link") or ""
    if not link.startswith(("http://", "https://")):
        return None
    contents = entry.get("content") or []
    content = max((part.get("value", "") for part in contents), key=len, default="") or entry.get("summary", "")
    return FeedItem(link=link, title=_text(entry.get("title")), published=_published(entry),
                    content=content, outlet=outlet)


def _published(entry: Any) -> str | None:
    moment = entry.get("published_parsed") or entry.get("updated_parsed")
    if not moment:
        return None
    return dt.datetime.fromtimestamp(calendar.timegm(moment), dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _text(value: object) -> str | None:
    text = " ".join(str(value).split()) if value else ""
    return text or None


def _problem(parsed: Any) -> str:
    error = parsed.get("bozo_exception")
    line = getattr(error, "getLineNumber", lambda: None)()
    message = getattr(error, "getMessage", lambda: str(error))()
    return f"line {line}: {message}" if line else str(message)
