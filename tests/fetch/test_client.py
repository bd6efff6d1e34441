"""The HTTP client against a real server on 127.0.0.1: address policy, redirects, limits, retries, validators."""

from __future__ import annotations

import gzip
import time
from collections.abc import Iterator

import pytest

from briefgen.config import FetchSettings
from briefgen.fetch.client import Client, FetchError
from tests.servers import ForwardProxy, Route, WebServer


@pytest.fixture
def web() -> Iterator[WebServer]:
    with WebServer() as server:
        yield server


def client(web: WebServer, **settings: object) -> Client:
    """A client that trusts the test server's own host and port (a private address) and nothing else."""
    options: dict[str, object] = {"private_hosts": [f"127.0.0.1:{web.port}"], "retries": 0, "backoff_seconds": 0,
                                  "host_interval_seconds": 0}
    return Client(FetchSettings.model_validate(options | settings), contact="desk@example.org")


def test_a_page_is_fetched_with_a_clear_user_agent(web: WebServer) -> None:
    web.routes["/a"] = Route(b"<html><body><p>Hello</p></body></html>")
    with client(web) as fetcher:
        page = fetcher.get(web.url("/a"))
    assert page.status == 200 and page.content_type == "text/html" and b"Hello" in page.body
    agent = web.requests[0][1]["User-Agent"]
    assert agent.startswith("briefgen/") and "desk@example.org" in agent


@pytest.mark.parametrize("address", [
    "http://127.0.0.1:{port}/a", "http://localhost:{port}/a", "http://2130706433:{port}/a",
    "http://0x7f.1:{port}/a", "http://[::1]:{port}/a", "HTTP://127.0.0.1:{port}/a", "http://10.0.0.5/a",
    "http://169.254.169.254/latest/meta-data/",
])
def test_loopback_private_and_link_local_addresses_are_refused_in_any_form(web: WebServer, address: str) -> None:
    web.routes["/a"] = Route(b"secret")
    settings = FetchSettings(retries=0, host_interval_seconds=0)
    with Client(settings) as fetcher, pytest.raises(FetchError, match="private or local address"):
        fetcher.get(address.format(port=web.port))
    assert web.requests == []


@pytest.mark.parametrize("address", ["file:///etc/passwd", "ftp://example.org/a", "gopher://x/", "javascript:1"])
def test_only_http_and_https_are_fetched(address: str) -> None:
    with Client(FetchSettings()) as fetcher, pytest.raises(FetchError, match="only http:// and https://"):
        fetcher.get(address)


@pytest.mark.parametrize("target", [
    "http://127.0.0.1:{other}/secret", "http://169.254.169.254/latest/meta-data/", "http://[::1]:{other}/",
    "http://192.168.1.1/admin", "file:///etc/passwd",
])
def test_a_redirect_to_a_private_address_or_another_scheme_is_refused(web: WebServer, target: str) -> None:
    web.routes["/moved"] = Route(location=target.format(other=web.port + 1))
    with client(web) as fetcher, pytest.raises(FetchError) as refused:
        fetcher.get(web.url("/moved"))
    assert "refused" in str(refused.value) or "only http:// and https://" in str(refused.value)
    assert str(refused.value).count("\n") == 0


def test_redirects_between_allowed_addresses_are_followed_and_counted(web: WebServer) -> None:
    web.routes["/old"] = Route(location="/new", status=301)
    web.routes["/new"] = Route(b"moved here")
    web.routes["/loop"] = Route(location="/loop")
    with client(web) as fetcher:
        assert fetcher.get(web.url("/old")).url == web.url("/new")
        with pytest.raises(FetchError, match="more than 5 redirects"):
            fetcher.get(web.url("/loop"))


def test_allow_private_addresses_lets_an_intranet_feed_through(web: WebServer) -> None:
    web.routes["/a"] = Route(b"intranet")
    with Client(FetchSettings(allow_private_addresses=True, retries=0, host_interval_seconds=0)) as fetcher:
        assert fetcher.get(web.url("/a")).body == b"intranet"


def test_an_oversized_response_is_refused_by_its_declared_length_or_as_it_arrives(web: WebServer) -> None:
    web.routes["/declared"] = Route(b"x" * 5000)
    web.routes["/undeclared"] = Route(b"x" * 50_000, length=-1, chunks=50)
    with client(web, max_bytes=4096) as fetcher:
        with pytest.raises(FetchError, match=r"5,000 bytes; the limit is 4,096 \(fetch.max_bytes"):
            fetcher.get(web.url("/declared"))
        with pytest.raises(FetchError, match=r"over 4,096 bytes"):
            fetcher.get(web.url("/undeclared"))


def test_a_compressed_bomb_is_stopped_at_the_limit_after_decompression(web: WebServer) -> None:
    web.routes["/bomb"] = Route(gzip.compress(b"\0" * 5_000_000), headers={"Content-Encoding": "gzip"})
    with client(web, max_bytes=100_000) as fetcher, pytest.raises(FetchError, match="over 100,000 bytes"):
        fetcher.get(web.url("/bomb"))


def test_a_slow_server_times_out_and_a_trickling_one_is_cut_off(web: WebServer) -> None:
    web.routes["/silent"] = Route(b"late", pause=3.0, chunks=2)
    web.routes["/trickle"] = Route(b"x" * 40, chunks=40, pause=0.1)
    with client(web, timeout_seconds=0.5) as fetcher:
        started = time.monotonic()
        with pytest.raises(FetchError, match=r"no answer within 0.5 s \(fetch.timeout_seconds\)"):
            fetcher.get(web.url("/silent"))
        assert time.monotonic() - started < 3
    with client(web, timeout_seconds=1, total_seconds=1) as fetcher, pytest.raises(FetchError, match="after 1 s"):
        fetcher.get(web.url("/trickle"))


def test_failures_are_retried_with_backoff_then_reported(web: WebServer) -> None:
    web.routes["/flaky"] = Route(b"at last", fail_times=2)
    waits: list[float] = []
    settings = FetchSettings(private_hosts=[f"127.0.0.1:{web.port}"], retries=2, backoff_seconds=0.5,
                             host_interval_seconds=0)
    with Client(settings, sleep=waits.append) as fetcher:
        assert fetcher.get(web.url("/flaky")).body == b"at last"
    assert waits == [0.5, 1.0]
    web.routes["/down"] = Route(b"", fail_times=10)
    with Client(settings, sleep=waits.append) as fetcher, pytest.raises(FetchError, match="503"):
        fetcher.get(web.url("/down"))
    assert web.hits("/down") == 3


def test_not_found_is_reported_at_once(web: WebServer) -> None:
    with client(web, retries=3) as fetcher, pytest.raises(FetchError, match="404"):
        fetcher.get(web.url("/missing"))
    assert web.hits("/missing") == 1


def test_conditional_requests_send_the_validators_and_read_304_as_unchanged(web: WebServer) -> None:
    web.routes["/feed"] = Route(b"<rss/>", headers={"ETag": '"v1"', "Last-Modified": "Mon, 30 Nov 2026 06:00:00 GMT"})
    with client(web) as fetcher:
        first = fetcher.get(web.url("/feed"))
        again = fetcher.get(web.url("/feed"), first.etag, first.last_modified)
    assert first.etag == '"v1"' and not first.not_modified
    assert again.not_modified and again.body == b""
    assert web.requests[1][1]["If-None-Match"] == '"v1"'


def test_requests_to_one_host_are_spaced(web: WebServer) -> None:
    web.routes["/a"] = Route(b"a")
    waits: list[float] = []
    settings = FetchSettings(private_hosts=[f"127.0.0.1:{web.port}"], host_interval_seconds=5)
    with Client(settings, sleep=waits.append) as fetcher:
        fetcher.get(web.url("/a"))
        fetcher.get(web.url("/a"))
    assert len(waits) == 1 and 4 < waits[0] <= 5


def test_through_a_proxy_requests_go_to_the_proxy_and_addresses_in_urls_are_still_checked(web: WebServer) -> None:
    web.routes["/a"] = Route(b"via proxy")
    web.routes["/moved"] = Route(location="http://169.254.169.254/latest/meta-data/")
    with ForwardProxy() as proxy:
        settings = FetchSettings(proxy=proxy.url, private_hosts=[f"127.0.0.1:{web.port}"], retries=0,
                                 host_interval_seconds=0)
        with Client(settings) as fetcher:
            assert fetcher.get(web.url("/a")).body == b"via proxy"
            with pytest.raises(FetchError, match=r"redirected to .*169\.254\.169\.254 is a private or local address"):
                fetcher.get(web.url("/moved"))
        with Client(FetchSettings(proxy=proxy.url, retries=0)) as fetcher, pytest.raises(FetchError, match="private"):
            fetcher.get(web.url("/a"))  # the proxy itself is trusted; what it is asked for is not
    assert proxy.asked == [web.url("/a"), web.url("/moved")]
