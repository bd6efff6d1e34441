"""The review page of `briefgen serve`, over real HTTP against a real store: escaping of untrusted fact text,
CSRF and cross-site refusals, input validation, decisions written to corrections.yaml, two browsers at once."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator

import pytest
import yaml

from briefgen.project import load_project
from briefgen.review import corrections_path
from briefgen.reviewdesk import BriefReview, review_brief
from tests.conftest import copy_example
from tests.serve.running import HOSTILE, Running, request, running

PAGE = "/review/iraq-security/"
DECIDE = PAGE + "decide"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    """The example project with a source whose quote holds HTML, served once for the module."""
    root = copy_example(tmp_path_factory.mktemp("review") / "project")
    (root / "sources/2025-11-20-hostile-note.txt").write_text(HOSTILE, encoding="utf-8")
    with running(root) as started:
        yield started


def review(server: Running) -> BriefReview:
    return review_brief(load_project(server.root), "iraq-security")


def csrf(server: Running) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', request(server, "GET", PAGE + "?kind=figure").body)
    assert found
    return found.group(1)


def decisions(server: Running) -> list[dict]:
    path = corrections_path(server.root)
    return (yaml.safe_load(path.read_text()) or {}).get("corrections") or [] if path.exists() else []


def fact(server: Running, kind: str, index: int = 0) -> str:
    return [item.id for item in review(server).items if item.kind == kind and item.status == "not reviewed"][index]


def card(body: str, fact_id: str) -> str:
    """The HTML of one fact's card on a page."""
    start = body.index(f'id="f-{fact_id}"')
    return body[body.rindex("<li", 0, start): body.index("</li>", start)]


def test_the_index_lists_the_briefs_and_pages_carry_a_strict_policy(server: Running) -> None:
    reply = request(server, "GET", "/review/")
    assert reply.status == 200 and 'href="/review/iraq-security/"' in reply.body
    page = request(server, "GET", PAGE)
    policy = page.headers["content-security-policy"]
    assert page.status == 200 and "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert page.headers["x-frame-options"] == "DENY"
    assert request(server, "GET", "/iraq-security/analyst.html").status == 200  # the preview is still served
    assert request(server, "GET", "/review/no-such-brief/").status == 404
    assert request(server, "GET", PAGE + "?status=bogus").status == 400


def test_hostile_fact_text_arrives_escaped(server: Running) -> None:
    quote = next(item for item in review(server).items if item.kind == "quote" and "<script>" in item.text)
    body = request(server, "GET", PAGE + "?kind=quote").body
    shown = card(body, quote.id)
    assert "&lt;script&gt;alert(&#39;pwned&#39;)&lt;/script&gt;" in shown
    assert "&lt;img src=x onerror=alert(1)&gt;" in shown
    assert "<mark>We will not allow &lt;script&gt;" in shown  # the fact's words marked in its sentence
    assert "<script>alert" not in body and "<img src=x" not in body and "onerror=alert(1)>" not in body
    assert "sources/2025-11-20-hostile-note.txt" in shown


def test_a_post_without_the_csrf_token_is_403(server: Running) -> None:
    target = fact(server, "figure")
    for form in ({"action": "reject", "fact": target}, {"action": "reject", "fact": target, "csrf": "forged"}):
        reply = request(server, "POST", DECIDE, form)
        assert reply.status == 403 and "CSRF" in reply.body
    assert target not in str(decisions(server))


@pytest.mark.parametrize("headers", [{"Sec-Fetch-Site": "cross-site"}, {"Origin": "http://attacker.example"},
                                     {"Origin": "null"}, {"Referer": "http://attacker.example/page"}])
def test_a_cross_site_post_is_403_even_with_the_token(server: Running, headers: dict[str, str]) -> None:
    before = len(decisions(server))
    reply = request(server, "POST", DECIDE, {"csrf": csrf(server), "action": "reject", "fact": fact(server, "figure")},
                    headers)
    assert reply.status == 403 and "\n" not in reply.body.strip()
    assert len(decisions(server)) == before


@pytest.mark.parametrize(("form", "said"), [
    ({"action": "explode"}, "action: &#39;explode&#39; is not one of"),
    ({"action": "reject", "fact": "<script>"}, "fact: &#39;&lt;script&gt;&#39; is not a fact id"),
    ({"action": "reject", "fact": "quote-0000000000"}, "no fact &#39;quote-0000000000&#39;"),
    ({"action": "reject", "why": "x" * 3000}, "why: at most 2000 characters"),
    ({"action": "edit"}, "nothing to save"),
    ({"action": "add", "kind": "quote", "source": "sources/nope.md", "sentence": "x"}, "is not a source of brief"),
])
def test_bad_input_is_400_with_one_line(server: Running, form: dict[str, str], said: str) -> None:
    before = len(decisions(server))
    sent = {"csrf": csrf(server), "fact": fact(server, "figure"), **form}
    reply = request(server, "POST", DECIDE + "?kind=figure", sent)
    assert reply.status == 400
    error = re.search(r'<p class="flash error" role="alert">(.*?)</p>', reply.body, re.S)
    assert error and said in error.group(1) and "\n" not in error.group(1)
    assert "Traceback" not in reply.body
    assert len(decisions(server)) == before


def test_an_oversized_or_unframed_body_is_refused(server: Running) -> None:
    big = request(server, "POST", DECIDE, body=b"why=" + b"x" * (65 * 1024))
    assert big.status == 413
    assert request(server, "POST", DECIDE, headers={"Content-Type": "application/json", "Content-Length": "2"},
                   body=b"{}").status == 415
    assert request(server, "POST", PAGE).status == 405


def test_reject_is_written_and_the_next_page_shows_it_rejected(server: Running) -> None:
    target = fact(server, "figure", 2)
    why = "double-counted <b>figure</b>"
    reply = request(server, "POST", DECIDE + "?kind=figure&status=not+reviewed",
                    {"csrf": csrf(server), "action": "reject", "fact": target, "why": why, "reviewer": "Ana <i>"})
    assert reply.status == 303
    location = reply.headers["location"]
    assert location.startswith("/review/iraq-security/?kind=figure&status=not+reviewed&done=reject&on=" + target)
    assert "#f-figure-" in location and not location.endswith(target)  # rejected: the next fact unrejected
    entry = decisions(server)[-1]
    assert entry["action"] == "reject" and entry["why"] == why and entry["by"] == "Ana <i>"
    assert entry["fact"]["kind"] == "figure"
    page = request(server, "GET", location.split("#")[0].replace("status=not+reviewed&", "")).body
    assert 'class="flash ok"' in page and "Rejected figure" in page
    assert "status-rejected" in card(page, target) and ">rejected<" in card(page, target)
    assert any("review: Ana <i> rejected " + target in line for line in server.lines)


def test_two_browsers_deciding_at_once_both_land(server: Running) -> None:
    token = csrf(server)
    first, second = fact(server, "event", 0), fact(server, "event", 1)
    start = threading.Barrier(2)
    replies: dict[str, int] = {}

    def post(target: str, action: str) -> None:
        start.wait()
        replies[target] = request(server, "POST", DECIDE, {"csrf": token, "action": action, "fact": target}).status

    threads = [threading.Thread(target=post, args=pair) for pair in ((first, "accept"), (second, "pin"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert replies == {first: 303, second: 303}
    statuses = {item.id: (item.status, item.pinned) for item in review(server).items}
    assert statuses[first] == ("accepted", False) and statuses[second][1] is True
    assert [item["action"] for item in decisions(server)[-2:]] in (["accept", "pin"], ["pin", "accept"])
