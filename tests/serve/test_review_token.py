"""Off loopback, `briefgen serve` asks for a token: the URL it prints once carries it, a request with it gets an
HttpOnly SameSite=Strict cookie, and every request with neither is 401, preview files included."""

from __future__ import annotations

import re
import socket
from pathlib import Path

import pytest

from briefgen.serve import is_loopback
from tests.conftest import copy_example
from tests.serve.running import Running, request, running

TOKEN = "t0ken-for-the-tests_0123456789"
PATHS = ("/", "/iraq-security/analyst.html", "/review/", "/review/iraq-security/", "/review/_assets/review.js")


def outward_address() -> str | None:
    """An IPv4 address of this machine that is not a loopback one, if it has one (no packet is sent)."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))
            address = probe.getsockname()[0]
    except OSError:
        return None
    return None if is_loopback(address) or address == "0.0.0.0" else address


@pytest.mark.parametrize(("host", "loopback"), [("127.0.0.1", True), ("127.0.0.2", True), ("::1", True),
                                                ("localhost", True), ("192.0.2.2", False), ("0.0.0.0", False),
                                                ("::", False), ("example.org", False)])
def test_which_addresses_are_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def check_token_flow(server: Running, token: str) -> None:
    """Without the token 401 everywhere; ?token= sets the cookie and redirects; the cookie opens every page."""
    for path in PATHS:
        reply = request(server, "GET", path)
        assert reply.status == 401, path
        assert "Iraq" not in reply.body and "TLP" not in reply.body
    assert request(server, "GET", "/review/?token=wrong-token-0123456789").status == 401
    assert request(server, "GET", "/", headers={"Cookie": f"briefgen_token_{server.port}=wrong"}).status == 401
    assert request(server, "POST", "/review/iraq-security/decide", {"action": "accept"}).status == 401

    entry = request(server, "GET", f"/review/iraq-security/?kind=quote&token={token}")
    assert entry.status == 303 and entry.headers["location"] == "/review/iraq-security/?kind=quote"
    assert request(server, "GET", f"//attacker.example/?token={token}").headers["location"] == "/attacker.example/"
    cookie = entry.headers["set-cookie"]
    name = f"briefgen_token_{server.port}"  # each server its own cookie: a host's cookies are any port's
    assert cookie.startswith(f"{name}={token};") and "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert request(server, "GET", "/", headers={"Cookie": f"briefgen_token_1={token}"}).status == 401

    jar = {"Cookie": f"other=1; {name}={token}"}
    for path in PATHS:
        assert request(server, "GET", path, headers=jar).status == 200, path
    page = request(server, "GET", "/review/iraq-security/?kind=figure", headers=jar).body
    csrf = re.search(r'name="csrf" value="([^"]+)"', page)
    target = re.search(r'data-fact="(figure-[0-9a-f]{10})"', page)
    assert csrf and target
    form = {"action": "accept", "fact": target.group(1)}
    assert request(server, "POST", "/review/iraq-security/decide", form, headers=jar).status == 403  # no CSRF token
    assert request(server, "POST", "/review/iraq-security/decide", {**form, "csrf": csrf.group(1)},
                   headers=jar).status == 303


def test_a_token_given_on_loopback_is_asked_for(tmp_path: Path) -> None:
    with running(copy_example(tmp_path / "project"), token=TOKEN) as server:
        check_token_flow(server, TOKEN)


def test_off_loopback_a_token_is_made_printed_once_and_asked_for(tmp_path: Path) -> None:
    address = outward_address()
    if address is None:
        pytest.skip("this machine has no IPv4 address but loopback ones")
    with running(copy_example(tmp_path / "project"), host=address) as server:
        printed = [line for line in server.lines if "?token=" in line]
        assert len(printed) == 1 and printed[0].startswith(f"open http://{address}:{server.port}/?token=")
        token = printed[0].split("?token=")[1].split()[0]
        assert len(token) >= 32
        check_token_flow(server, token)
        # the Host check answers the bound address and still refuses other names
        assert request(server, "GET", "/", headers={"Host": f"attacker.example:{server.port}"}).status == 421
