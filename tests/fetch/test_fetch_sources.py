"""`briefgen fetch` and `build --fetch` against a real web server: feeds, pages, PDFs; then builds offline."""

from __future__ import annotations

import json
import logging
import re
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from briefgen.fetch import FULL_TEXT_WORDS, fetch_sources
from briefgen.project import load_project
from tests.projects import build, make_project, run, write
from tests.servers import Route, WebServer

# Our own reporting, written for these tests.
PORT_STORY = ("Gunmen attacked the river port of Kotaba on Monday, killing six dock workers and burning two barges, "
              "the regional governor said. Governor Idris Mahamat told reporters that the attackers arrived by boat "
              "before dawn and withdrew into the marshes east of the town. ")
CLINIC_STORY = ("A mobile clinic reopened in Sabra camp on Tuesday after a month's closure, the aid group Medical "
                "Relief said, and staff expect to treat about 400 patients a week. ")


def rss(items: list[tuple[str, str, str, str]], broken: bool = False) -> bytes:
    """An RSS 2.0 feed of (title, link, date, description) items; `broken` cuts it off mid-element."""
    entries = "".join(f"<item><title>{title}</title><link>{link}</link><pubDate>{date}</pubDate>"
                      f"<description><![CDATA[{body}]]></description></item>" for title, link, date, body in items)
    text = (f'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>Kotaba Courier</title>'
            f"<link>http://example.org/</link><description>News</description>{entries}</channel></rss>")
    return (text[: len(text) // 2] if broken else text).encode()


def page(title: str, text: str) -> bytes:
    return (f"<!DOCTYPE html><html><head><title>{title}</title><meta property='og:site_name' content='Sabra Daily'>"
            f"</head><body><nav>Home | World</nav><article><h1>{title}</h1><p>{text}</p>"
            f"<p>{text}</p></article><footer>© Sabra Daily</footer></body></html>").encode()


@pytest.fixture
def web() -> Iterator[WebServer]:
    with WebServer() as server:
        yield server


def desk(tmp_path: Path, web: WebServer, sources: str) -> Path:
    """A project whose brief lists `sources` (YAML lines), trusting the test server's address."""
    root = make_project(tmp_path / "desk", sources={},
                        settings_extra=f"fetch:\n  private_hosts: ['127.0.0.1:{web.port}']\n  retries: 0\n"
                                       "  host_interval_seconds: 0\n")
    write(root, "config/briefs/desk.yaml", "title: Desk brief\nsources:\n" + textwrap.indent(
        textwrap.dedent(sources), "  ") + "sections:\n  - kind: key_actors\n  - kind: sources\n")
    return root


def serve_desk(web: WebServer) -> None:
    long_story = " ".join([PORT_STORY] * (FULL_TEXT_WORDS // 40 + 1))
    web.routes["/rss"] = Route(rss([
        ("Attack on Kotaba port", web.url("/news/kotaba"), "Mon, 02 Mar 2026 08:00:00 GMT", long_story),
        ("Clinic reopens in Sabra", web.url("/news/sabra"), "Tue, 03 Mar 2026 09:30:00 GMT", "A clinic reopened."),
    ]), content_type="application/rss+xml", headers={"ETag": '"feed-1"'})
    web.routes["/news/sabra"] = Route(page("Clinic reopens in Sabra", CLINIC_STORY))
    web.routes["/article"] = Route(page("Governor visits Kotaba", PORT_STORY),
                                   headers={"Last-Modified": "Mon, 02 Mar 2026 10:00:00 GMT"})


def test_a_feed_and_a_page_are_fetched_then_the_brief_builds_offline(tmp_path: Path, web: WebServer) -> None:
    serve_desk(web)
    root = desk(tmp_path, web, f"""\
        - feed: {web.url("/rss")}
          outlet: Kotaba Courier
        - url: {web.url("/article")}
        """)
    fetched = run("fetch", "--project", str(root))
    assert fetched.exit_code == 0, fetched.output
    assert "Fetched 2 feeds and pages" in fetched.output and "3 new items" in fetched.output
    assert web.hits("/news/kotaba") == 0, "a feed item carrying the whole article is not fetched again"
    web.routes.clear()  # offline from here on
    built = build(root, "--format", "html")
    assert built.exit_code == 0, built.output
    html = (root / "output/desk/latest/analyst.html").read_text()
    assert "Kotaba Courier" in html and "Idris Mahamat" in html
    assert "3 sources" in html or "3 independent" in html


def test_a_second_fetch_asks_conditionally_and_reports_nothing_new(tmp_path: Path, web: WebServer) -> None:
    serve_desk(web)
    root = desk(tmp_path, web, f"- feed: {web.url('/rss')}\n- url: {web.url('/article')}\n")
    first = fetch_sources(load_project(root), ["desk"])
    second = fetch_sources(load_project(root), ["desk"])
    assert (len(first.new), len(second.new), second.unchanged, second.failed) == (3, 0, 1, [])
    asked = [headers for path, headers in web.requests if path in ("/rss", "/article")][2:]
    assert asked[0].get("If-None-Match") == '"feed-1"'
    assert asked[1].get("If-Modified-Since") == "Mon, 02 Mar 2026 10:00:00 GMT"
    state = next((root / "fetched").glob("feed-*/.fetch-state.json"))
    assert json.loads(state.read_text())["etag"] == '"feed-1"'


def test_items_are_kept_raw_with_their_metadata(tmp_path: Path, web: WebServer) -> None:
    serve_desk(web)
    root = desk(tmp_path, web, f"- feed: {web.url('/rss')}\n")
    fetch_sources(load_project(root), ["desk"])
    folder = next((root / "fetched").glob("feed-127-0-0-1-rss-*"))
    kept = sorted(path.name for path in folder.iterdir())
    assert [re.sub(r"-[0-9a-f]{6}\.", "-HASH.", name) for name in kept] == [
        ".fetch-state.json", "2026-03-02-kotaba-HASH.html", "2026-03-02-kotaba-HASH.html.meta.yaml",
        "2026-03-03-sabra-HASH.html", "2026-03-03-sabra-HASH.html.meta.yaml"]
    sidecar = (folder / kept[4]).read_text()
    assert "url: http://127.0.0.1" in sidecar and "title: Clinic reopens in Sabra" in sidecar
    assert "fetched: '20" in sidecar and "published: '2026-03-03T09:30:00Z'" in sidecar


def test_a_broken_feed_is_reported_in_one_line_and_the_rest_is_fetched(tmp_path: Path, web: WebServer) -> None:
    serve_desk(web)
    web.routes["/broken"] = Route(rss([("A", web.url("/a"), "", "b")], broken=True), content_type="application/xml")
    root = desk(tmp_path, web, f"- feed: {web.url('/broken')}\n- url: {web.url('/article')}\n")
    result = run("fetch", "--project", str(root))
    assert result.exit_code == 0, result.output
    failed = [line for line in result.output.splitlines() if line.startswith("failed:")]
    assert len(failed) == 1 and "config/briefs/desk.yaml: " in failed[0]
    assert "not a readable RSS or Atom feed" in failed[0]
    assert "1 new item" in result.output


def test_a_failed_item_is_tried_again_at_the_next_fetch(tmp_path: Path, web: WebServer) -> None:
    serve_desk(web)
    web.routes["/news/sabra"] = Route(b"", fail_times=1)  # 503 once; the feed's summary is too short to stand in
    web.routes["/rss"].body = web.routes["/rss"].body.replace(b"A clinic reopened.", b"")
    root = desk(tmp_path, web, f"- feed: {web.url('/rss')}\n")
    first = fetch_sources(load_project(root), ["desk"])
    web.routes["/news/sabra"] = Route(page("Clinic reopens in Sabra", CLINIC_STORY))
    second = fetch_sources(load_project(root), ["desk"])
    assert (len(first.new), len(first.failed), len(second.new)) == (1, 1, 1)
    assert "503" in first.failed[0]


def test_refused_redirects_and_oversized_pages_are_one_clear_line_each(tmp_path: Path, web: WebServer) -> None:
    web.routes["/moved"] = Route(location="http://169.254.169.254/latest/meta-data/")
    web.routes["/huge"] = Route(b"x" * 20_000)
    root = desk(tmp_path, web, f"- url: {web.url('/moved')}\n- url: {web.url('/huge')}\n")
    with (root / "config/briefgen.yaml").open("a") as settings:
        settings.write("  max_bytes: 10000\n")
    result = run("fetch", "--project", str(root))
    assert result.exit_code == 1
    failed = [line for line in result.output.splitlines() if line.startswith("failed:")]
    assert failed == [
        f"failed: config/briefs/desk.yaml: {web.url('/moved')}: redirected to http://169.254.169.254/latest/meta-data/:"
        " refused: 169.254.169.254 is a private or local address (fetch.allow_private_addresses or "
        "fetch.private_hosts in config/briefgen.yaml)",
        f"failed: config/briefs/desk.yaml: {web.url('/huge')}: 20,000 bytes; the limit is 10,000 (fetch.max_bytes in "
        "config/briefgen.yaml)"]


def test_build_with_fetch_fetches_first_and_goes_on_when_a_source_fails(tmp_path: Path, web: WebServer) -> None:
    serve_desk(web)
    root = desk(tmp_path, web, f"- url: {web.url('/article')}\n- feed: {web.url('/gone')}\n")
    result = build(root, "--fetch", "--format", "html")
    assert result.exit_code == 0, result.output
    assert "new: fetched/url-127-0-0-1-article-" in result.output
    assert "warning: config/briefs/desk.yaml: " + web.url("/gone") + ": the server answered 404" in " ".join(
        result.output.split())
    assert "Governor visits Kotaba" in (root / "output/desk/latest/analyst.html").read_text()


def test_a_scheduled_run_fetches_before_it_builds(tmp_path: Path, web: WebServer,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    import datetime as dt

    from briefgen.periodic import run_scheduled
    from briefgen.schedule import jobs

    serve_desk(web)
    root = desk(tmp_path, web, f"- feed: {web.url('/rss')}\n")
    with (root / "config/briefs/desk.yaml").open("a") as brief:
        brief.write("schedules:\n  - cron: '0 6 * * 1'\n")
    caplog.set_level(logging.INFO, logger="briefgen.periodic")
    job = jobs(load_project(root))[0]
    run_scheduled(root, job, dt.datetime(2026, 3, 9, 6, 0, tzinfo=dt.UTC))
    assert "Fetched 1 feed or page" in caplog.text and "2 new items" in caplog.text
    assert "new source fetched/feed-127-0-0-1-rss-" in caplog.text
    assert "Clinic reopens in Sabra" in (root / "output/desk/latest/analyst.html").read_text()


@pytest.mark.parametrize(("entry", "message"), [
    ("- feed: ftp://example.org/rss", "sources.0.feed: 'ftp://example.org/rss' is not an http:// or https:// address"),
    ("- {feed: 'https://a.example/rss', url: 'https://a.example/'}",
     "sources.0: a source is a glob, or a mapping with exactly one of files, feed, url (found feed, url)"),
    ("- {url: 'https://a.example/', max_items: 3}", "sources.0: max_items applies to a feed only"),
    ("- {feed: 'https://a.example/rss', colour: red}", "sources.0.colour: unknown field 'colour'"),
    ("- ../elsewhere/*.md", "'../elsewhere/*.md' reaches outside the project"),
])
def test_source_entries_are_checked_with_file_and_line(tmp_path: Path, entry: str, message: str) -> None:
    root = make_project(tmp_path / "p")
    write(root, "config/briefs/desk.yaml", f"title: T\nsources:\n  {entry}\nsections:\n  - kind: sources\n")
    result = run("check", "--project", str(root))
    assert result.exit_code != 0
    assert "config/briefs/desk.yaml:3:" in result.output and message in " ".join(result.output.split())


def test_a_build_says_which_feeds_were_never_fetched(tmp_path: Path, web: WebServer) -> None:
    root = desk(tmp_path, web, f"- feed: {web.url('/rss')}\n- sources/*.md\n")
    write(root, "sources/a.md", "---\ntitle: A\npublished: 2026-03-01\n---\n" + PORT_STORY)
    result = build(root, "--format", "html")
    assert result.exit_code == 0, result.output
    assert (f"warning: config/briefs/desk.yaml: {web.url('/rss')}: nothing fetched from it yet; run 'briefgen "
            "fetch'") in " ".join(result.output.split())
    assert web.requests == [], "a build does not fetch unless asked"


def test_a_source_in_a_language_extraction_cannot_read_is_skipped_by_name(tmp_path: Path, web: WebServer) -> None:
    serve_desk(web)
    root = desk(tmp_path, web, f"- url: {web.url('/article')}\n  language: fr\n- sources/*.md\n")
    write(root, "sources/a.md", "---\ntitle: A\npublished: 2026-03-01\nlanguage: en-GB\n---\n" + PORT_STORY)
    result = build(root, "--fetch", "--format", "html")
    assert result.exit_code == 0, result.output
    output = " ".join(result.output.split())
    assert "skipped: fetched/url-127-0-0-1-article-" in output
    assert "in language 'fr'; briefgen extracts facts from 'en' sources only" in output
    assert "1 sources (1 extracted" in output
