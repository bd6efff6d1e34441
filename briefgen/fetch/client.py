"""A careful HTTP client: http(s) only, public addresses only, bounded in time and size, polite.

Every connection is made to an address vetted when it is made: the host is resolved once, each of its
addresses checked (loopback, private, link-local, reserved and multicast addresses are refused unless
the project allows them), and the socket opened to a vetted address, so a name that resolves
differently a moment later (DNS rebinding) changes nothing. Through a proxy (`fetch.proxy`) the only
connection is to the proxy, which resolves names itself: then addresses are checked as URLs write them.
Redirects are followed by hand, each hop checked the same way. A response is read in chunks and dropped
as soon as it passes the size limit, counted after decompression.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

import certifi
import httpcore
import httpx

from briefgen import __version__, urlpolicy
from briefgen.config import FetchSettings

MAX_REDIRECTS = 5
_RETRIED_STATUSES = (429, 500, 502, 503, 504)


class FetchError(Exception):
    """A URL that could not be fetched; the message says why in one line."""


@dataclass
class Fetched:
    """A response: the final URL (after redirects), status, headers that matter, and the body."""

    url: str
    status: int
    content_type: str
    body: bytes
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        """True when the server says the copy we hold is current (304)."""
        return self.status == 304


class AddressPolicy:
    """Which hosts and addresses may be connected to."""

    def __init__(self, settings: FetchSettings) -> None:
        self.allow_private = settings.allow_private_addresses
        self._trusted = {entry.lower() for entry in settings.private_hosts}
        if settings.proxy:  # the project's own proxy, often on a private address: the only host connected to
            proxy = httpx.URL(settings.proxy)
            self._trusted.add(f"{proxy.host}:{proxy.port or 80}")

    def trusts(self, host: str, port: int | None) -> bool:
        """Whether a host (or host:port) is one the project lets sit on a private address."""
        host = host.lower().strip("[]")
        return self.allow_private or host in self._trusted or f"{host}:{port}" in self._trusted

    def check_url(self, url: str) -> httpx.URL:
        """The URL, parsed, when its scheme and host may be fetched; FetchError saying why otherwise."""
        parts = urlpolicy.split(url)
        if parts is None or parts.scheme not in ("http", "https"):
            raise FetchError(f"{_shown(url)}: only http:// and https:// addresses are fetched")
        if not parts.hostname:
            raise FetchError(f"{_shown(url)}: no host name")
        if urlpolicy.is_private_host(parts.hostname) and not self.trusts(parts.hostname, parts.port):
            raise FetchError(f"{_shown(url)}: refused: {parts.hostname} is a private or local address "
                             "(fetch.allow_private_addresses or fetch.private_hosts in config/briefgen.yaml)")
        try:
            return httpx.URL(urlpolicy.normalise(url))
        except httpx.InvalidURL as error:
            raise FetchError(f"{_shown(url)}: not a valid address ({error})") from None

    def vetted_addresses(self, host: str, port: int) -> list[str]:
        """The host's addresses when every one of them is public (or the host is trusted)."""
        try:
            found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError) as error:
            raise httpcore.ConnectError(f"cannot resolve {host}: {error}") from None
        addresses = list(dict.fromkeys(str(info[4][0]) for info in found))
        if not self.trusts(host, port):
            private = [address for address in addresses if not _public(address)]
            if private:
                raise _RefusedAddressError(f"refused: {host} resolves to {private[0]}, a private or local address "
                                           "(fetch.allow_private_addresses in config/briefgen.yaml)")
        return addresses


class _RefusedAddressError(httpcore.ConnectError):
    """A connection refused by the address policy (never retried)."""


def _public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


class _GuardedBackend(httpcore.SyncBackend):
    """Opens each TCP connection to an address the policy vetted at that moment."""

    def __init__(self, policy: AddressPolicy) -> None:
        self._policy = policy

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        last: Exception | None = None
        for address in self._policy.vetted_addresses(host, port):
            try:
                return super().connect_tcp(address, port, timeout, local_address, socket_options)
            except httpcore.ConnectError as error:
                last = error
        raise last or httpcore.ConnectError(f"no address for {host}")


class _Stream(httpx.SyncByteStream):
    def __init__(self, parts: Iterable[bytes]) -> None:
        self._parts = parts

    def __iter__(self) -> Iterator[bytes]:
        yield from self._parts

    def close(self) -> None:
        close = getattr(self._parts, "close", None)
        if close is not None:
            close()


class _GuardedTransport(httpx.BaseTransport):
    """httpx's transport over an httpcore pool whose connections go through the address policy."""

    def __init__(self, policy: AddressPolicy, proxy: str | None = None) -> None:
        context, backend = ssl.create_default_context(cafile=certifi.where()), _GuardedBackend(policy)
        self._pool: httpcore.ConnectionPool = (
            httpcore.HTTPProxy(proxy_url=proxy, ssl_context=context, network_backend=backend, max_connections=4)
            if proxy else httpcore.ConnectionPool(ssl_context=context, network_backend=backend, max_connections=4))

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        core = httpcore.Request(
            method=request.method,
            url=httpcore.URL(scheme=request.url.raw_scheme, host=request.url.raw_host, port=request.url.port,
                             target=request.url.raw_path),
            headers=request.headers.raw, content=request.stream, extensions=request.extensions)
        answer = self._pool.handle_request(core)
        assert isinstance(answer.stream, Iterable)
        return httpx.Response(status_code=answer.status, headers=answer.headers, stream=_Stream(answer.stream),
                              extensions=answer.extensions)

    def close(self) -> None:
        self._pool.close()


class Client:
    """Fetches URLs under the project's fetch settings; one per fetch run (it keeps connections open)."""

    def __init__(self, settings: FetchSettings, contact: str | None = None,
                 sleep: Any = time.sleep) -> None:
        self.settings, self.policy, self._sleep = settings, AddressPolicy(settings), sleep
        self._last_request: dict[str, float] = {}  # host → when a request to it last went out (monotonic)
        agent = settings.user_agent or f"briefgen/{__version__}" + (f" (+{contact})" if contact else "")
        self._client = httpx.Client(
            transport=_GuardedTransport(self.policy, settings.proxy), follow_redirects=False, trust_env=False,
            timeout=httpx.Timeout(settings.timeout_seconds), headers={"User-Agent": agent})

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *_: object) -> None:
        self._client.close()

    def get(self, url: str, etag: str | None = None, last_modified: str | None = None) -> Fetched:
        """GET a URL, following redirects and retrying failures; a conditional request when a validator is
        known (304 then means unchanged). FetchError names the URL and what went wrong."""
        headers = {key: value for key, value in (("If-None-Match", etag), ("If-Modified-Since", last_modified))
                   if value}
        for attempt in range(self.settings.retries + 1):
            try:
                return self._follow(url, headers)
            except _RetriableError as problem:
                if attempt == self.settings.retries:
                    raise FetchError(f"{_shown(url)}: {problem}") from None
                self._sleep(self.settings.backoff_seconds * 2 ** attempt)
        raise AssertionError("unreachable")

    def _follow(self, url: str, headers: dict[str, str]) -> Fetched:
        """Fetch `url`, each redirect checked like the URL itself; an error on a hop names the URL asked for."""
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            try:
                answer = self._once(self.policy.check_url(current), headers)
            except FetchError as problem:
                if current == url:
                    raise
                raise FetchError(f"{_shown(url)}: redirected to {problem}") from None
            if isinstance(answer, Fetched):
                return answer
            current = urljoin(current, answer)
        raise FetchError(f"{_shown(url)}: more than {MAX_REDIRECTS} redirects")

    def _once(self, target: httpx.URL, headers: dict[str, str]) -> Fetched | str:
        """The response, or the Location a redirect points to."""
        self._wait_for_turn(target.host)
        try:
            with self._client.stream("GET", target, headers=headers) as response:
                if response.status_code == 304:
                    return Fetched(url=str(target), status=304, content_type="", body=b"")
                if response.status_code in (301, 302, 303, 307, 308):
                    location = response.headers.get("Location")
                    if not location:
                        raise FetchError(f"{_shown(str(target))}: redirect without a Location")
                    return location
                if response.status_code in _RETRIED_STATUSES:
                    raise _RetriableError(f"the server answered {response.status_code} {response.reason_phrase}")
                if response.status_code >= 400:
                    raise FetchError(f"{_shown(str(target))}: the server answered {response.status_code} "
                                     f"{response.reason_phrase}")
                return Fetched(url=str(target), status=response.status_code,
                               content_type=response.headers.get("Content-Type", "").split(";")[0].strip().lower(),
                               body=self._body(response, target), etag=response.headers.get("ETag"),
                               last_modified=response.headers.get("Last-Modified"))
        except _RefusedAddressError as error:
            raise FetchError(f"{_shown(str(target))}: {error}") from None
        except (httpx.TimeoutException, httpcore.TimeoutException):
            raise _RetriableError(f"no answer within {self.settings.timeout_seconds:g} s "
                             "(fetch.timeout_seconds)") from None
        except httpx.DecodingError as error:
            raise FetchError(f"{_shown(str(target))}: the response cannot be decoded ({error})") from None
        except (httpx.TransportError, httpcore.NetworkError, httpcore.ProtocolError) as error:
            raise _RetriableError(f"cannot connect: {error or type(error).__name__}") from None

    def _wait_for_turn(self, host: str) -> None:
        """Keep `host_interval_seconds` between two requests to one host: a feed's items do not come all at once."""
        last = self._last_request.get(host)
        if last is not None:
            remaining = last + self.settings.host_interval_seconds - time.monotonic()
            if remaining > 0:
                self._sleep(remaining)
        self._last_request[host] = time.monotonic()

    def _body(self, response: httpx.Response, target: httpx.URL) -> bytes:
        limit = self.settings.max_bytes
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > limit:
            raise FetchError(f"{_shown(str(target))}: {int(declared):,} bytes; the limit is {limit:,} "
                             "(fetch.max_bytes in config/briefgen.yaml)")
        received, deadline = bytearray(), time.monotonic() + self.settings.total_seconds
        for chunk in response.iter_bytes():
            received += chunk
            if time.monotonic() > deadline:
                raise FetchError(f"{_shown(str(target))}: still arriving after {self.settings.total_seconds:g} s "
                                 "(fetch.total_seconds in config/briefgen.yaml)")
            if len(received) > limit:
                raise FetchError(f"{_shown(str(target))}: over {limit:,} bytes; the limit is {limit:,} "
                                 "(fetch.max_bytes in config/briefgen.yaml)")
        return bytes(received)


class _RetriableError(Exception):
    """A failure worth another try: no connection, a timeout, a 429 or 5xx answer."""


def _shown(url: str) -> str:
    return url if len(url) <= 120 else url[:119] + "…"
