"""Approval before release: an audience with `approval: required` gets a draft, delivered only once approved.

Real builds of the small test project, a real SMTP server on 127.0.0.1 and the real store: the tests that
take `project` run on a SQLite store and on a real PostgreSQL server.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from email.message import EmailMessage
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from briefgen.approval import approve, drafts
from briefgen.cli import main
from briefgen.deliver import Delivery, load_deliveries
from briefgen.editions import Runs
from briefgen.errors import BriefgenError
from briefgen.periodic import run_scheduled
from briefgen.project import load_project
from briefgen.schedule import RunState, jobs
from briefgen.store import FactStore
from tests.postgres import StoreBackend
from tests.projects import BRIEF, make_project
from tests.servers import Collector

UTC = dt.UTC
REVIEWERS = ["rev@desk.example.org", "chief@desk.example.org"]
ANALYSTS = ["ana@desk.example.org", "bo@desk.example.org"]
PUBLIC = ["press@desk.example.org"]
SLOT = dt.datetime(dt.datetime.now(UTC).year, 1, 1, tzinfo=UTC)  # '0 0 1 1 *': due (caught up) all year
SCHEDULE = f"""\
schedules:
  - cron: "0 0 1 1 *"
    timezone: UTC
    formats: [html]
    recipients:
      analyst: [{", ".join(ANALYSTS)}]
      public: [{", ".join(PUBLIC)}]
"""


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def smtp(port: int) -> str:
    return (f"  smtp:\n    host: 127.0.0.1\n    port: {port}\n    security: none\n"
            "    sender: briefs@desk.example.org\n    timeout: 5\n  attempts: 1\n  backoff: 0\n")


def settings(port: int | None, url: str | None = "http://127.0.0.1:8000") -> str:
    """Project settings: a drop folder, maybe the test SMTP server, the reviewers and maybe the review page."""
    review = f"review:\n  reviewers: [{', '.join(REVIEWERS)}]\n" + (f"  url: {url}\n" if url else "")
    return "delivery:\n  drop: outbox\n" + (smtp(port) if port else "") + review


@pytest.fixture
def project(tmp_path: Path, server: tuple[Collector, int], store_backend: StoreBackend) -> Path:
    """Brief `desk` built every 1 January for `analyst` (approval required) and `public` (no approval)."""
    return make_project(tmp_path / "project", settings_extra=settings(server[1]) + store_backend.settings(),
                        audience_extra="approval: required\n", brief_extra=SCHEDULE)


def scheduled_run(root: Path) -> list[Delivery]:
    (job,) = jobs(load_project(root))
    return run_scheduled(root, job, SLOT)


def edition_folder(root: Path) -> Path:
    return root / f"output/{BRIEF}/{SLOT.date().isoformat()}"


def reviewer_notices(handler: Collector) -> list[EmailMessage]:
    return [message for message in handler.messages() if "Awaiting approval" in message["Subject"]]


def plain_text(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


def test_a_scheduled_run_holds_the_draft_tells_the_reviewers_and_delivers_the_other_audience(
        project: Path, server: tuple[Collector, int]) -> None:
    handler = server[0]
    deliveries = scheduled_run(project)
    # The reviewers are told, the public audience (no approval) is delivered; the analysts get nothing.
    assert handler.received_by() == Counter({REVIEWERS[0]: 1, REVIEWERS[1]: 1, PUBLIC[0]: 1})
    notice = reviewer_notices(handler)[0]
    assert notice["Subject"] == "[TLP:AMBER] Awaiting approval: Desk brief — Analyst brief, edition 1"
    body = plain_text(notice)
    assert "http://127.0.0.1:8000/review/desk/" in body
    assert "briefgen approve --brief desk --edition 1 --audience analyst" in body
    assert not list(notice.iter_attachments())
    assert "situation is" not in body  # a link, never the brief itself

    status = {(item.method, item.audience, Path(item.target).name): item.status for item in deliveries}
    assert status == {
        ("email", "analyst", ANALYSTS[0]): "held", ("email", "analyst", ANALYSTS[1]): "held",
        ("drop", "analyst", "analyst.html"): "held",
        ("email", "public", PUBLIC[0]): "sent", ("drop", "public", "public.html"): "sent"}
    assert sorted(path.name for path in (project / "outbox" / BRIEF).rglob("*.html")) == ["public.html"]
    saved = load_deliveries(edition_folder(project) / "deliveries.json")
    assert sorted(item.status for item in saved) == ["held", "held", "held", "sent", "sent"]

    (draft,) = drafts(load_project(project), BRIEF)
    assert (draft.edition, draft.audience, draft.state, draft.approved_by) == (1, "analyst", "draft", None)
    assert draft.notified_at is not None
    with FactStore(load_project(project).store_location) as store:
        (record,) = Runs(store).recent(BRIEF)
    assert record.status == "succeeded"  # held is not failed
    assert [item["state"] for item in record.approvals] == ["draft"]


def test_deliver_and_a_retried_slot_never_send_held_deliveries(project: Path, server: tuple[Collector, int]) -> None:
    handler = server[0]
    scheduled_run(project)
    before = Counter(handler.received_by())
    result = run("deliver", "--project", str(project), "--brief", BRIEF)
    assert result.exit_code == 0, result.output
    assert f"held email {ANALYSTS[0]} (analyst), 0 attempt(s): awaiting approval" in result.stderr
    scheduled_run(project)  # the same slot again: builds nothing, sends nothing held, tells nobody twice
    assert handler.received_by() == before
    assert not (project / "outbox" / BRIEF / SLOT.date().isoformat() / "analyst.html").exists()


def test_approve_delivers_each_recipient_once_and_records_who_and_when(
        project: Path, server: tuple[Collector, int]) -> None:
    handler = server[0]
    scheduled_run(project)
    handler.envelopes.clear()
    result = run("approve", "--project", str(project), "--brief", BRIEF, "--by", "Ana Head", "--note", "checked")
    assert result.exit_code == 0, result.output
    assert re.search(r"^approved edition 1 of desk for analyst by Ana Head at \d{4}-", result.stderr, re.MULTILINE)
    assert handler.received_by() == Counter({ANALYSTS[0]: 1, ANALYSTS[1]: 1})
    message = handler.messages()[0]
    assert message["Subject"] == "[TLP:AMBER] Desk brief — Analyst brief, edition 1"
    assert (project / "outbox" / BRIEF / SLOT.date().isoformat() / "analyst.html").is_file()
    assert {item.status for item in load_deliveries(edition_folder(project) / "deliveries.json")} == {"sent"}

    (draft,) = drafts(load_project(project), BRIEF)
    assert (draft.state, draft.approved_by, draft.note) == ("approved", "Ana Head", "checked")
    assert dt.datetime.fromisoformat(draft.approved_at or "").tzinfo is not None

    listed = run("runs", "--project", str(project), "--format", "json")
    assert listed.exit_code == 0, listed.output
    (record,) = json.loads(listed.stdout)
    (approval,) = record["approvals"]
    assert (approval["audience"], approval["approved_by"], approval["note"]) == ("analyst", "Ana Head", "checked")
    assert sum(1 for item in record["deliveries"] if item["status"] == "sent" and item["audience"] == "analyst") == 3
    table = run("runs", "--project", str(project))
    assert "analyst: approved by Ana Head" in table.stdout

    again = run("approve", "--project", str(project), "--brief", BRIEF, "--by", "Someone Else")
    assert again.exit_code == 0, again.output
    assert "edition 1 of desk for analyst was already approved by Ana Head" in again.stderr
    assert "nothing sent" in again.stderr
    assert handler.received_by() == Counter({ANALYSTS[0]: 1, ANALYSTS[1]: 1})  # nothing more
    assert run("deliver", "--project", str(project), "--brief", BRIEF).exit_code == 0
    assert handler.received_by() == Counter({ANALYSTS[0]: 1, ANALYSTS[1]: 1})


def test_a_send_that_fails_on_approval_is_resent_by_deliver_alone(
        project: Path, server: tuple[Collector, int], monkeypatch: pytest.MonkeyPatch) -> None:
    handler = server[0]
    scheduled_run(project)
    handler.envelopes.clear()
    handler.refuse = {ANALYSTS[1]}
    monkeypatch.setenv("BRIEFGEN_REVIEWER", "Desk Chief")
    result = run("approve", "--project", str(project), "--brief", BRIEF, "--audience", "analyst")
    assert result.exit_code == 1, result.output
    assert f"failed email {ANALYSTS[1]} (analyst), 1 attempt(s): recipient refused" in result.stderr
    assert drafts(load_project(project), BRIEF)[0].approved_by == "Desk Chief"

    handler.refuse = set()
    resent = run("deliver", "--project", str(project), "--brief", BRIEF)
    assert resent.exit_code == 0, resent.output
    assert handler.received_by() == Counter({ANALYSTS[0]: 1, ANALYSTS[1]: 1})
    with FactStore(load_project(project).store_location) as store:
        (record,) = Runs(store).recent(BRIEF)
    assert (record.status, record.error) == ("succeeded", None)


def test_a_draft_held_in_deliveries_json_survives_a_replaced_store(project: Path, server: tuple[Collector, int],
                                                                  store_backend: StoreBackend) -> None:
    handler = server[0]
    scheduled_run(project)
    store_backend.delete(project)
    handler.envelopes.clear()
    result = run("approve", "--project", str(project), "--brief", BRIEF, "--by", "Ana Head")
    assert result.exit_code == 0, result.output
    assert handler.received_by() == Counter({ANALYSTS[0]: 1, ANALYSTS[1]: 1})
    assert run("approve", "--project", str(project), "--brief", BRIEF, "--by", "Ana Head").exit_code == 0
    assert handler.received_by() == Counter({ANALYSTS[0]: 1, ANALYSTS[1]: 1})


def test_schedule_once_reports_the_held_deliveries_without_failing(
        project: Path, server: tuple[Collector, int]) -> None:
    (job,) = jobs(load_project(project))
    RunState.for_project(load_project(project)).record(job, SLOT.replace(year=SLOT.year - 2))
    result = run("schedule", "once", "--project", str(project))
    assert result.exit_code == 0, result.output
    assert re.search(r"^ok desk#0 for \d{4}-01-01 00:00 UTC", result.stderr, re.MULTILINE)
    assert "held email ana@desk.example.org (analyst)" in result.stderr
    assert ANALYSTS[0] not in server[0].received_by()


def test_a_manual_build_makes_a_draft_that_approval_delivers_to_every_schedules_recipients(
        tmp_path: Path, server: tuple[Collector, int]) -> None:
    handler = server[0]
    second = ('  - cron: "0 6 * * MON"\n    audiences: [analyst]\n    recipients:\n'
              f"      analyst: [{ANALYSTS[1].upper()}, late@desk.example.org]\n")
    root = make_project(tmp_path / "project", settings_extra=settings(server[1], url=None),
                        audience_extra="approval: required\n", brief_extra=SCHEDULE + second)
    built = run("build", "--project", str(root), "--format", "html")
    assert built.exit_code == 0, built.output
    assert "edition 1 of desk for analyst awaits approval: briefgen approve --brief desk" in built.stderr
    assert "public awaits" not in built.stderr
    assert handler.received_by() == Counter(REVIEWERS)  # a manual build delivers nothing itself
    body = plain_text(reviewer_notices(handler)[0])
    (folder,) = [path for path in (root / "output" / BRIEF).iterdir() if path.is_dir() and not path.is_symlink()]
    assert str(folder / "analyst.html") in body  # no review page configured: the draft's file

    result = approve(load_project(root), BRIEF, "Ana Head")
    assert [item.audience for item in result.approved] == ["analyst"] and not result.already
    assert handler.received_by() == Counter({**Counter(REVIEWERS), ANALYSTS[0]: 1, ANALYSTS[1]: 1,
                                             "late@desk.example.org": 1})  # the union, each address once
    assert (root / "outbox" / BRIEF / folder.name / "analyst.html").is_file()
    assert not (root / "outbox" / BRIEF / folder.name / "public.html").exists()  # never held, never dropped
    assert approve(load_project(root), BRIEF, "Ana Head").already


def test_without_smtp_the_build_warns_and_approval_only_records_when_nobody_is_to_receive(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project", settings_extra=settings(None), audience_extra="approval: required\n")
    built = run("build", "--project", str(root), "--format", "html")
    assert built.exit_code == 0, built.output
    warnings = [line for line in built.stderr.splitlines() if "reviewers not told" in line]
    assert len(warnings) == 1 and "delivery.smtp is not configured" in warnings[0], built.stderr

    result = run("approve", "--project", str(root), "--brief", BRIEF, "--by", "Ana Head")
    assert result.exit_code == 0, result.output
    assert "nothing delivered for analyst: no schedule of desk gives it recipients" in result.stderr
    assert drafts(load_project(root), BRIEF)[0].state == "approved"
    assert not (root / "outbox").exists()


def test_approving_without_a_draft_is_one_line_and_exit_1(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project", settings_extra=settings(None), audience_extra="approval: required\n")
    before = run("approve", "--project", str(root), "--brief", BRIEF, "--by", "x")
    assert before.exit_code == 1
    assert before.stderr.strip().splitlines() == ["error: brief 'desk' has no edition yet, so no draft to approve"]
    assert run("build", "--project", str(root), "--format", "html").exit_code == 0

    wrong = run("approve", "--project", str(root), "--brief", BRIEF, "--by", "x", "--audience", "public")
    assert wrong.exit_code == 1 and "Traceback" not in wrong.output
    assert wrong.stderr.strip().splitlines() == [
        "error: edition 1 of 'desk' has no draft for audience 'public'; its drafts: analyst"]
    unknown = run("approve", "--project", str(root), "--brief", "nope", "--by", "x")
    assert unknown.exit_code == 1 and len(unknown.stderr.strip().splitlines()) == 1
    missing = run("approve", "--project", str(root), "--brief", BRIEF, "--by", "x", "--edition", "7")
    assert missing.exit_code == 1
    assert missing.stderr.strip() == "error: brief 'desk' has no edition 7; its editions are 1 to 1"
    with pytest.raises(BriefgenError, match="one line"):
        approve(load_project(root), BRIEF, "two\nlines")

    (root / "config/audiences/analyst.yaml").write_text("label: Analyst brief\n")  # approval no longer required
    assert run("build", "--project", str(root), "--format", "html").exit_code == 0
    none = run("approve", "--project", str(root), "--brief", BRIEF, "--by", "x")
    assert none.exit_code == 1
    assert none.stderr.strip().splitlines() == [
        "error: edition 2 of 'desk' has no draft awaiting approval; drafts await approval in edition 1: "
        "give --edition"]
    assert run("approve", "--project", str(root), "--brief", BRIEF, "--by", "x", "--edition", "1").exit_code == 0


def test_check_rejects_approval_without_reviewers(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project", audience_extra="approval: required\n")
    result = run("check", "--project", str(root))
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        "error: config/audiences/analyst.yaml:3:1: approval: 'required' needs reviewers to approve the drafts; "
        "list them in config/briefgen.yaml under review: reviewers: [ADDRESS, ...]"]


@pytest.mark.parametrize(("review", "expected"), [
    ("review:\n  reviewers: [not-an-address]\n",
     "config/briefgen.yaml:4:15: review.reviewers.0: 'not-an-address' is not a valid email address"),
    ("review:\n  reviewers: [a@x.org]\n  url: ftp://x.org\n",
     "config/briefgen.yaml:5:3: review.url: 'ftp://x.org' is not an http:// or https:// address"),
    ("review:\n  reviewers: [a@x.org, A@x.org]\n",
     "config/briefgen.yaml:4:3: review.reviewers: A@x.org, a@x.org listed twice"),
    ("delivery:\n  drop: out\n", None),
])
def test_review_settings_are_checked(tmp_path: Path, review: str, expected: str | None) -> None:
    root = make_project(tmp_path / "project", settings_extra=review)
    result = run("check", "--project", str(root))
    if expected is None:
        assert result.exit_code == 0, result.output
        return
    assert result.exit_code == 2
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"error: {expected}"), line
