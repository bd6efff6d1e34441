"""Delivery: real SMTP sessions against an aiosmtpd server on 127.0.0.1, and the drop folder."""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from briefgen.config import DeliveryConfig, SmtpConfig
from briefgen.deliver import (
    Attachment,
    Delivery,
    compose_email,
    deliver_edition,
    drop,
    load_deliveries,
    message_for,
    retry_failed,
    save_deliveries,
    send_emails,
    subject_for,
    text_from_html,
)
from briefgen.errors import BriefgenError
from tests.servers import Collector, free_port

pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")
SENDER = "briefs@desk.example.org"
PDF_BYTES = b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"
HTML = """<!doctype html><html><head><title>Brief</title><style>p {color: red}</style></head>
<body><h1>Iraq Security Situation Brief</h1><p>ISIS <em>almost certainly</em> lacks strength.<sup>[1]</sup></p>
<ul><li>Anbar</li><li>Diyala</li></ul><table><tr><td>Fighters</td><td>1,000</td></tr></table></body></html>"""


def accept_desk(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (b"desk", b"s3cret-pw")
    return AuthResult(success=ok, handled=False)  # handled=False: the server itself answers 535


@pytest.fixture
def auth_server() -> Iterator[tuple[Collector, int]]:
    """An SMTP server requiring AUTH (allowed without TLS, for the test only)."""
    handler = Collector()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port(), authenticator=accept_desk,
                            auth_required=True, auth_require_tls=False)
    controller.start()
    yield handler, controller.port
    controller.stop()


def smtp_config(port: int, **extra: Any) -> SmtpConfig:
    return SmtpConfig(host="127.0.0.1", port=port, security="none", sender=SENDER, timeout=5, **extra)


@pytest.fixture
def edition(tmp_path: Path) -> list[Path]:
    """An edition as the build writes it: output/BRIEF/DATE/AUDIENCE.html and .pdf."""
    folder = tmp_path / "output" / "iraq-security" / "2026-03-09"
    folder.mkdir(parents=True)
    (folder / "analyst.html").write_text(HTML, encoding="utf-8")
    (folder / "analyst.pdf").write_bytes(PDF_BYTES)
    return [folder / "analyst.html", folder / "analyst.pdf"]


SUBJECT = "[TLP:AMBER] Iraq Security Situation Brief — Analyst brief, edition 3"


# --- composing --------------------------------------------------------------------


def test_subject_puts_a_tlp_label_first() -> None:
    assert subject_for("Iraq Security Situation Brief", "Analyst brief", 3, "TLP:AMBER") == SUBJECT
    assert subject_for("Brief", "Public", 1, "tlp:clear").startswith("[TLP:CLEAR] Brief")
    assert subject_for("Brief", "Executive", 2, None) == "Brief — Executive, edition 2"
    assert subject_for("Brief", "Executive", 2, "OFFICIAL") == "Brief — Executive, edition 2 [OFFICIAL]"


def test_compose_email_is_text_and_html_alternatives_plus_the_attachment() -> None:
    message = compose_email(SENDER, "a@example.org", SUBJECT, "<p>html</p>", "text",
                            [Attachment("analyst.pdf", PDF_BYTES, "application/pdf")])
    assert message.get_content_type() == "multipart/mixed"
    alternative, pdf = message.iter_parts()
    assert alternative.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in alternative.iter_parts()] == ["text/plain", "text/html"]
    assert (pdf.get_filename(), pdf.get_content()) == ("analyst.pdf", PDF_BYTES)
    assert message["Message-ID"].endswith("@desk.example.org>")


def test_text_alternative_reads_block_by_block() -> None:
    text = text_from_html(HTML)
    assert text.splitlines()[::2] == ["Iraq Security Situation Brief", "ISIS almost certainly lacks strength.[1]",
                                      "• Anbar", "• Diyala", "Fighters | 1,000"]
    assert "color" not in text


# --- sending over real SMTP ---------------------------------------------------------------


def test_an_edition_arrives_with_subject_html_body_and_pdf(server: tuple[Collector, int], edition: list[Path]) -> None:
    handler, port = server
    recipients = ["ana@example.org", "ben@example.org"]
    messages = [("analyst", message_for(SENDER, to, SUBJECT, edition)) for to in recipients]
    deliveries = send_emails(smtp_config(port), messages, attempts=3, backoff=1, sleep=pytest.fail)
    assert [(d.method, d.target, d.audience, d.status, d.attempts, d.error) for d in deliveries] == [
        ("email", to, "analyst", "sent", 1, None) for to in recipients]
    assert [(e.mail_from, e.rcpt_tos) for e in handler.envelopes] == [(SENDER, [to]) for to in recipients]
    for received, to in zip(handler.messages(), recipients, strict=True):
        assert (received["From"], received["To"], received["Subject"]) == (SENDER, to, SUBJECT)
        assert "<h1>Iraq Security Situation Brief</h1>" in received.get_body(("html",)).get_content()
        assert "• Anbar" in received.get_body(("plain",)).get_content()
        [pdf] = received.iter_attachments()
        assert pdf.get_content_type() == "application/pdf" and pdf.get_filename() == "analyst.pdf"
        assert pdf.get_content() == edition[1].read_bytes()


def test_login_with_the_password_from_the_environment(auth_server: tuple[Collector, int],
                                                      edition: list[Path]) -> None:
    handler, port = auth_server
    config = smtp_config(port, username="desk", password={"$env": "BRIEFGEN_SMTP_PASSWORD"})
    message = [("analyst", message_for(SENDER, "ana@example.org", SUBJECT, edition))]
    [delivery] = send_emails(config, message, 1, 0, environ={"BRIEFGEN_SMTP_PASSWORD": "s3cret-pw"})
    assert (delivery.status, delivery.error) == ("sent", None)
    assert handler.received_by() == Counter({"ana@example.org": 1})


def test_a_wrong_password_fails_without_revealing_it(auth_server: tuple[Collector, int], edition: list[Path],
                                                    caplog: pytest.LogCaptureFixture) -> None:
    handler, port = auth_server
    config = smtp_config(port, username="desk", password={"$env": "BRIEFGEN_SMTP_PASSWORD"})
    message = [("analyst", message_for(SENDER, "ana@example.org", SUBJECT, edition))]
    sleeps: list[float] = []
    with caplog.at_level(logging.DEBUG):
        [delivery] = send_emails(config, message, 2, 5, sleep=sleeps.append,
                                 environ={"BRIEFGEN_SMTP_PASSWORD": "wrong-horse"})
    assert (delivery.status, delivery.attempts, sleeps) == ("failed", 2, [5])
    assert delivery.error is not None and delivery.error.startswith("login as desk refused: 535")
    assert "wrong-horse" not in delivery.error + caplog.text
    assert handler.envelopes == []


def test_a_missing_password_variable_is_a_one_line_error(edition: list[Path]) -> None:
    config = smtp_config(1, username="desk", password={"$env": "BRIEFGEN_SMTP_PASSWORD"})
    message = [("analyst", message_for(SENDER, "ana@example.org", SUBJECT, edition))]
    with pytest.raises(BriefgenError, match="environment variable BRIEFGEN_SMTP_PASSWORD is not set") as caught:
        send_emails(config, message, 1, 0, environ={})
    assert len(caught.value.lines) == 1


def test_starttls_is_never_skipped_silently(server: tuple[Collector, int], edition: list[Path]) -> None:
    handler, port = server
    config = smtp_config(port).model_copy(update={"security": "starttls"})
    message = [("analyst", message_for(SENDER, "ana@example.org", SUBJECT, edition))]
    [delivery] = send_emails(config, message, 1, 0)
    assert delivery.status == "failed" and "STARTTLS extension not supported" in (delivery.error or "")
    assert handler.envelopes == []


def test_an_unreachable_server_fails_each_message(edition: list[Path]) -> None:
    message = [("analyst", message_for(SENDER, "ana@example.org", SUBJECT, edition))]
    sleeps: list[float] = []
    [delivery] = send_emails(smtp_config(free_port()), message, 3, 2, sleep=sleeps.append)
    assert (delivery.status, delivery.attempts, sleeps) == ("failed", 3, [2, 4])
    assert "ConnectionRefusedError" in (delivery.error or "")


def test_a_refused_recipient_is_retried_alone(server: tuple[Collector, int], edition: list[Path]) -> None:
    handler, port = server
    handler.refuse = {"gone@example.org"}
    recipients = ["ana@example.org", "gone@example.org", "ben@example.org"]
    messages = [("analyst", message_for(SENDER, to, SUBJECT, edition)) for to in recipients]
    sleeps: list[float] = []
    deliveries = send_emails(smtp_config(port), messages, attempts=3, backoff=0.5, sleep=sleeps.append)
    assert [(d.target, d.status, d.attempts) for d in deliveries] == [
        ("ana@example.org", "sent", 1), ("gone@example.org", "failed", 3), ("ben@example.org", "sent", 1)]
    assert deliveries[1].error == "recipient refused: 550 5.1.1 <gone@example.org>: mailbox unavailable"
    assert sleeps == [0.5, 1.0]
    assert handler.refused == Counter({"gone@example.org": 3})
    assert handler.received_by() == Counter({"ana@example.org": 1, "ben@example.org": 1})  # no duplicates


def test_a_dropped_connection_is_reopened_for_the_rest(server: tuple[Collector, int], edition: list[Path]) -> None:
    handler, port = server
    handler.hang_up_once = True
    recipients = ["ana@example.org", "ben@example.org", "cy@example.org"]
    messages = [("analyst", message_for(SENDER, to, SUBJECT, edition)) for to in recipients]
    sleeps: list[float] = []
    deliveries = send_emails(smtp_config(port), messages, attempts=2, backoff=1, sleep=sleeps.append)
    assert [(d.status, d.attempts) for d in deliveries] == [("sent", 2)] * 3
    assert sleeps == [1]
    assert handler.received_by() == Counter({to: 1 for to in recipients})


# --- whole editions, retries, drop folder -----------------------------------------------------


def test_deliver_edition_then_retry_only_the_failed_from_the_written_files(
        server: tuple[Collector, int], edition: list[Path], tmp_path: Path) -> None:
    handler, port = server
    handler.refuse = {"gone@example.org"}
    config = DeliveryConfig(smtp=smtp_config(port), drop="drop", attempts=2, backoff=0)
    output = tmp_path / "output"
    deliveries = deliver_edition(config, tmp_path, "analyst", SUBJECT, edition,
                                 ["ana@example.org", "gone@example.org"], relative_to=output, sleep=lambda _: None)
    assert [(d.method, d.status) for d in deliveries] == [
        ("email", "sent"), ("email", "failed"), ("drop", "sent"), ("drop", "sent")]
    assert deliveries[1].files == [str(path) for path in edition] and deliveries[1].subject == SUBJECT
    record = edition[0].parent / "deliveries.json"
    save_deliveries(record, deliveries)
    assert load_deliveries(record) == deliveries

    handler.refuse.clear()
    retried = retry_failed(load_deliveries(record), config, sleep=pytest.fail)
    assert [(d.target, d.status, d.attempts) for d in retried[:2]] == [
        ("ana@example.org", "sent", 1), ("gone@example.org", "sent", 3)]
    assert retried[2:] == deliveries[2:]
    assert handler.received_by() == Counter({"ana@example.org": 1, "gone@example.org": 1})
    [late] = handler.messages()[1:]
    assert late["Subject"] == SUBJECT and next(late.iter_attachments()).get_content() == PDF_BYTES


def test_recipients_without_smtp_are_a_configuration_error(edition: list[Path], tmp_path: Path) -> None:
    with pytest.raises(BriefgenError, match=r"delivery\.smtp is not configured"):
        deliver_edition(DeliveryConfig(), tmp_path, "analyst", SUBJECT, edition, ["ana@example.org"])


def test_drop_copies_files_atomically(edition: list[Path], tmp_path: Path) -> None:
    folder = tmp_path / "drop"
    flat = drop(folder, edition)
    assert [(d.method, d.target, d.audience, d.status) for d in flat] == [
        ("drop", str(folder / "analyst.html"), "analyst", "sent"),
        ("drop", str(folder / "analyst.pdf"), "analyst", "sent")]
    assert (folder / "analyst.pdf").read_bytes() == PDF_BYTES
    kept = drop(folder, edition, relative_to=tmp_path / "output")
    assert Path(kept[1].target) == folder / "iraq-security" / "2026-03-09" / "analyst.pdf"
    assert Path(kept[1].target).read_bytes() == PDF_BYTES
    assert not [path for path in folder.rglob("*") if path.name.endswith(".tmp")]


def test_a_drop_that_cannot_be_written_fails_and_is_retried(edition: list[Path], tmp_path: Path) -> None:
    blocked = tmp_path / "drop"
    blocked.write_text("a file where the folder should be")
    [failed, _] = drop(blocked, edition)
    assert failed.status == "failed" and failed.error
    blocked.unlink()
    [again, _] = retry_failed([failed, Delivery("email", "x@example.org", "analyst", "sent", 1)], DeliveryConfig())
    assert (again.status, again.attempts) == ("sent", 2)
    assert (blocked / "analyst.html").read_text(encoding="utf-8") == HTML


def test_a_retry_whose_files_are_gone_fails_saying_which_file(tmp_path: Path) -> None:
    gone = Delivery("email", "ana@example.org", "analyst", "failed", 3, "421", SUBJECT, [str(tmp_path / "analyst.pdf")])
    [again] = retry_failed([gone], DeliveryConfig(smtp=smtp_config(1)))
    assert (again.status, again.attempts) == ("failed", 4)
    assert re.match(r".*analyst\.pdf: cannot read the edition to send it", again.error or "")
