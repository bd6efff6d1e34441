"""The review page's Approve button: a draft awaiting approval is listed with it; pressing it (this server's own
form) records who approved and delivers the held edition once; a forged or cross-site press is refused."""

from __future__ import annotations

import re
from pathlib import Path

from briefgen.approval import drafts
from briefgen.project import load_project
from tests.approval.test_approval import ANALYSTS, SCHEDULE, scheduled_run, settings
from tests.projects import BRIEF, make_project
from tests.serve.running import request, running
from tests.servers import Collector

PAGE = f"/review/{BRIEF}/"


def test_the_approve_button_delivers_the_draft_once(tmp_path: Path, server: tuple[Collector, int]) -> None:
    collector, port = server
    root = make_project(tmp_path / "project", settings_extra=settings(port), audience_extra="approval: required\n",
                        brief_extra=SCHEDULE)
    scheduled_run(root)
    held = {address for envelope in collector.envelopes for address in envelope.rcpt_tos}
    assert not held & set(ANALYSTS)
    with running(root) as started:
        page = request(started, "GET", PAGE).body
        assert "Edition 1 · analyst awaits approval" in page and "Approve and deliver" in page
        token = re.search(r'name="csrf" value="([^"]+)"', page)
        assert token
        form = {"csrf": token.group(1), "edition": "1", "audience": "analyst", "reviewer": "Desk <b>chief</b>",
                "note": "checked against the sources"}
        forged = request(started, "POST", PAGE + "approve", {**form, "csrf": "forged"})
        cross = request(started, "POST", PAGE + "approve", form, headers={"Sec-Fetch-Site": "cross-site"})
        assert (forged.status, cross.status) == (403, 403)
        assert not [record for record in drafts(load_project(root), BRIEF) if record.state == "approved"]
        reply = request(started, "POST", PAGE + "approve", form)
        assert reply.status == 303
        after = request(started, "GET", reply.headers["location"]).body
        assert "Approved edition 1 for analyst: 3 deliveries made." in after
        assert "awaits approval" not in after
        again = request(started, "POST", PAGE + "approve", form)
        assert again.status == 409 and "already approved by Desk &lt;b&gt;chief&lt;/b&gt;" in again.body
    sent = [address for envelope in collector.envelopes for address in envelope.rcpt_tos]
    assert sorted(address for address in sent if address in ANALYSTS) == sorted(ANALYSTS)
    (record,) = drafts(load_project(root), BRIEF)
    assert (record.state, record.approved_by, record.note) == ("approved", "Desk <b>chief</b>",
                                                             "checked against the sources")
