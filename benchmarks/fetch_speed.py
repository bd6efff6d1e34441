"""Fetching: what `briefgen fetch` costs over the bare HTTP client doing the same requests.

    python benchmarks/fetch_speed.py [--items 200] [--page-kib 60]

A real web server on 127.0.0.1 serves an RSS feed of N items, each linking to an HTML page of the given
size. Printed side by side: N sequential GETs with a bare `httpx.Client` (no checks, nothing kept); the
first `briefgen fetch` of the feed (address checks, limits, each page kept raw with its sidecar, state
written); and a second fetch (one conditional request, answered 304). Requests to one host are not
spaced here (host_interval_seconds: 0), so the figures are briefgen's own cost, not its politeness.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from briefgen.fetch import fetch_sources
from briefgen.project import load_project
from tests.servers import Route, WebServer


def main() -> None:
    """Run the benchmark and print its figures."""
    options = _options()
    with WebServer() as web, tempfile.TemporaryDirectory() as folder:
        links = _serve(web, options.items, options.page_kib * 1024)
        root = _project(Path(folder), web)
        bare = _timed(lambda: _bare(links))
        first = _timed(lambda: fetch_sources(load_project(root), ["desk"]))
        second = _timed(lambda: fetch_sources(load_project(root), ["desk"]))
        kept = sum(path.stat().st_size for path in (root / "fetched").rglob("*") if path.is_file())
    print(f"{options.items} feed items, pages of {options.page_kib} KiB, server on 127.0.0.1")
    print(f"{'':34}{'seconds':>9}{'ms/item':>9}")
    for label, seconds in (("bare httpx, GET each page", bare), ("briefgen fetch, first", first),
                           ("briefgen fetch, again (304)", second)):
        print(f"{label:34}{seconds:9.2f}{seconds * 1000 / options.items:9.1f}")
    print(f"kept in fetched/: {kept / 1024 / 1024:.1f} MiB ({first / bare:.2f}× the bare client's time)")


def _serve(web: WebServer, items: int, page_bytes: int) -> list[str]:
    paragraph = "<p>" + "Officials said the convoy reached the town after a week on the road. " * 12 + "</p>"
    body = ("<html><head><title>Item</title></head><body><article><h1>Item</h1>"
            + paragraph * max(1, page_bytes // len(paragraph)) + "</article></body></html>").encode()
    links = [web.url(f"/news/{number}") for number in range(items)]
    for link in links:
        web.routes[link.removeprefix(web.url(""))] = Route(body)
    entries = "".join(f"<item><title>Item {number}</title><link>{link}</link>"
                      f"<pubDate>Mon, 02 Mar 2026 08:{number % 60:02d}:00 GMT</pubDate></item>"
                      for number, link in enumerate(links))
    web.routes["/rss"] = Route(f'<rss version="2.0"><channel><title>Bench</title>{entries}</channel></rss>'.encode(),
                               content_type="application/rss+xml", headers={"ETag": '"1"'})
    return links


def _project(folder: Path, web: WebServer) -> Path:
    root = folder / "bench"
    (root / "config/briefs").mkdir(parents=True)
    (root / "config/audiences").mkdir()
    (root / "config/briefgen.yaml").write_text(textwrap.dedent(f"""\
        fetch:
          private_hosts: ['127.0.0.1:{web.port}']
          host_interval_seconds: 0
          max_items: 1000
        """))
    (root / "config/audiences/analyst.yaml").write_text("label: Analyst\n")
    (root / "config/briefs/desk.yaml").write_text(
        f"title: Bench\nsources:\n  - feed: {web.url('/rss')}\nsections:\n  - kind: sources\n")
    return root


def _bare(links: list[str]) -> None:
    with httpx.Client() as client:
        for link in links:
            client.get(link).raise_for_status()


def _timed(work: object) -> float:
    started = time.perf_counter()
    work()  # type: ignore[operator]
    return time.perf_counter() - started


def _options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=200)
    parser.add_argument("--page-kib", type=int, default=60)
    return parser.parse_args()


if __name__ == "__main__":
    main()
