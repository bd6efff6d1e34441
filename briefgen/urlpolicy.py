"""One URL policy for everything a brief may load or link to.

A brief embeds nothing from outside: the PDF renderer may load `data:` URLs and files inside the
allowed folders (resolved, symlinks included), nothing else; the HTML loads nothing at all (its
Content-Security-Policy says so too). A link a reader can follow from untrusted text (analyst
Markdown) must be http(s) to a public host, mailto, or in-page. Every decision starts from the
same normalised form of the URL, so case (`FILE:`), embedded whitespace and control characters,
percent-encoding, numeric host forms (`0x7f.1`, `2130706433`) and Unicode look-alikes of host
names decide nothing.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from pathlib import Path
from urllib.parse import SplitResult, unquote, urlsplit

LINK_SCHEMES = ("http", "https", "mailto")
RASTER_IMAGES = ("image/png", "image/jpeg", "image/gif", "image/webp")
_IGNORED = re.compile(r"[\x00-\x20\x7f]")  # browsers drop tabs, newlines and controls inside URLs
_NUMERIC_HOST = re.compile(r"(?:0x[0-9a-f]*|\d+)(?:\.(?:0x[0-9a-f]*|\d+)){0,3}")  # 127.1, 0x7f.1, 2130706433
_LOCAL_NAMES = ("localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback")


def normalise(url: str) -> str:
    """The URL as a browser or fetcher reads it: no whitespace or control characters anywhere in it."""
    return _IGNORED.sub("", url)


def split(url: str) -> SplitResult | None:
    """The normalised URL's parts (scheme in lower case), or None when it cannot be parsed."""
    try:
        parts = urlsplit(normalise(url))
        parts.port  # noqa: B018 - raises ValueError for a malformed port
    except ValueError:
        return None
    return parts


def scheme(url: str) -> str:
    """The URL's scheme in lower case ('' for a relative reference or an unparsable URL)."""
    parts = split(url)
    return parts.scheme if parts else ""


def is_private_host(host: str) -> bool:
    """True for loopback, private, link-local and other non-public hosts, however the address is written."""
    name = _canonical_host(host)
    if name is None:
        return True  # a host that cannot be read is never trusted to be public
    numeric = _NUMERIC_HOST.fullmatch(name) is not None
    if not numeric and (name in _LOCAL_NAMES or name.endswith((".localhost", ".local", ".internal"))
                        or "." not in name):
        return True
    address = _ip_address(name)
    if address is None:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return not address.is_global or address.is_multicast


def is_safe_link(url: str) -> bool:
    """A link untrusted text may carry: http(s) to a public host, mailto, or an in-page `#anchor`."""
    normalised = normalise(url)
    if normalised.startswith("#"):
        return True
    parts = split(normalised)
    if parts is None or parts.scheme not in LINK_SCHEMES:
        return False
    if parts.scheme == "mailto":
        return "@" in parts.path
    return bool(parts.hostname) and not is_private_host(parts.hostname or "")


def is_raster_data_image(url: str) -> bool:
    """True for a `data:` URL holding a PNG, JPEG, GIF or WebP image (never SVG, which can refer out)."""
    parts = split(url)
    if parts is None or parts.scheme != "data":
        return False
    media_type = parts.path.split(",", 1)[0].split(";", 1)[0].strip().lower()
    return media_type in RASTER_IMAGES


def allowed_file(url: str, folders: list[Path]) -> Path | None:
    """The local file a `file:` URL names, resolved (symlinks followed), if it lies inside one of `folders`."""
    parts = split(url)
    if parts is None or parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return None
    try:
        path = Path(unquote(parts.path)).resolve()
    except (OSError, RuntimeError, ValueError):
        return None
    if any(path.is_relative_to(folder.resolve()) for folder in folders) and path.is_file():
        return path
    return None


def _canonical_host(host: str) -> str | None:
    """The host as DNS would see it: IDNA-mapped (full-width and other look-alikes folded), lower case."""
    name = unquote(host).strip().strip("[]").rstrip(".").lower()
    if not name:
        return None
    if ":" in name:
        return name  # an IPv6 literal
    try:
        return name.encode("idna").decode("ascii").lower()
    except UnicodeError:
        return None


def _ip_address(name: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(name)
    except ValueError:
        pass
    if _NUMERIC_HOST.fullmatch(name):
        try:  # inet_aton reads the shorthand forms browsers accept: 127.1, 0x7f.0.0.1, 2130706433
            return ipaddress.IPv4Address(socket.inet_aton(name))
        except OSError:
            return None
    return None
