"""A delivery that cannot be made fails alone: the other recipients and the drop folder are still served."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from briefgen.config import DeliveryConfig
from briefgen.deliver import Delivery, address_problem, deliver_edition, plan_edition, retry_failed
from tests.deliver.test_deliver import HTML, PDF_BYTES, SUBJECT, smtp_config
from tests.servers import Collector

GOOD = ["ana@example.org", "ben@example.org"]


@pytest.fixture
def edition(tmp_path: Path) -> list[Path]:
    """An edition as the build writes it: output/BRIEF/DATE/AUDIENCE.html and .pdf."""
    folder = tmp_path / "output" / "iraq-security" / "2026-03-09"
    folder.mkdir(parents=True)
    (folder / "analyst.html").write_text(HTML, encoding="utf-8")
    (folder / "analyst.pdf").write_bytes(PDF_BYTES)
    return [folder / "analyst.html", folder / "analyst.pdf"]


def test_address_problem_names_what_is_wrong() -> None:
    assert address_problem("ana@example.org") is None
    assert address_problem("ana@example.org\nBcc: all@example.org") == \
        "contains a line break or control character (U+000A)"
    assert "U+2028" in (address_problem("ana@example.org\u2028") or "")
    assert "@-sign" in (address_problem("ana") or "")
    assert address_problem("Briefs <b@example.org>") is not None
    assert address_problem("Briefs <b@example.org>", named=True) is None


def test_a_recipient_whose_message_cannot_be_composed_fails_alone(server: tuple[Collector, int],
                                                                  edition: list[Path], tmp_path: Path) -> None:
    handler, port = server
    bad = ["ana@example.org\r\nBcc: all@example.org", "not an address"]
    config = DeliveryConfig(smtp=smtp_config(port), drop="drop", attempts=1, backoff=0)
    deliveries = deliver_edition(config, tmp_path, "analyst", SUBJECT, edition, [GOOD[0], *bad, GOOD[1]])
    assert [(d.method, d.target, d.status) for d in deliveries[:4]] == [
        ("email", GOOD[0], "sent"), ("email", bad[0], "failed"), ("email", bad[1], "failed"),
        ("email", GOOD[1], "sent")]
    assert deliveries[1].error == ("'ana@example.org\\r\\nBcc: all@example.org' is not a valid address: "
                                   "contains a line break or control character (U+000A, U+000D)")
    assert "is not a valid address" in (deliveries[2].error or "")
    assert [d.status for d in deliveries[4:]] == ["sent", "sent"]  # the drop folder still gets its copies
    assert handler.received_by() == Counter(GOOD)  # nobody else, and no injected Bcc
    assert all("all@example.org" not in str(message) for message in handler.messages())


def test_unreadable_files_fail_each_email_but_not_the_run(server: tuple[Collector, int], tmp_path: Path) -> None:
    handler, port = server
    config = DeliveryConfig(smtp=smtp_config(port), attempts=1, backoff=0)
    planned = plan_edition(config, tmp_path, "analyst", SUBJECT, [tmp_path / "gone.html"], GOOD)
    results = retry_failed(planned, config)
    assert [(d.status, d.attempts) for d in results] == [("failed", 1), ("failed", 1)]
    assert all("gone.html: cannot read the edition to send it" in (d.error or "") for d in results)
    assert handler.envelopes == []


def test_a_missing_password_fails_the_emails_and_still_drops(edition: list[Path], tmp_path: Path) -> None:
    smtp = smtp_config(1, username="desk", password={"$env": "BRIEFGEN_TEST_NO_SUCH_VARIABLE"})
    config = DeliveryConfig(smtp=smtp, drop="drop", attempts=1, backoff=0)
    planned = plan_edition(config, tmp_path, "analyst", SUBJECT, edition, GOOD)
    results = retry_failed(planned, config, environ={})
    assert [(d.method, d.status) for d in results] == [("email", "failed")] * 2 + [("drop", "sent")] * 2
    assert results[0].error == ("delivery.smtp.password: environment variable BRIEFGEN_TEST_NO_SUCH_VARIABLE "
                                "is not set")


def test_without_smtp_a_retry_fails_the_emails_and_still_drops(edition: list[Path], tmp_path: Path) -> None:
    email = Delivery("email", GOOD[0], "analyst", "failed", 1, "421", SUBJECT, [str(path) for path in edition])
    dropped = Delivery("drop", str(tmp_path / "drop" / "analyst.html"), "analyst", "pending", 0, None, None,
                       [str(edition[0])])
    results = retry_failed([email, dropped], DeliveryConfig())
    assert (results[0].status, results[0].attempts, results[0].error) == (
        "failed", 2, "delivery.smtp is not configured in config/briefgen.yaml")
    assert (results[1].status, results[1].attempts) == ("sent", 1)


def test_pending_deliveries_are_made_by_a_retry_and_sent_ones_never_again(server: tuple[Collector, int],
                                                                          edition: list[Path],
                                                                          tmp_path: Path) -> None:
    handler, port = server
    config = DeliveryConfig(smtp=smtp_config(port), drop="drop", attempts=1, backoff=0)
    planned = plan_edition(config, tmp_path, "analyst", SUBJECT, edition, GOOD, relative_to=tmp_path)
    assert {d.status for d in planned} == {"pending"} and {d.attempts for d in planned} == {0}
    first = retry_failed(planned, config)
    assert {d.status for d in first} == {"sent"}
    assert retry_failed(first, config) == first
    assert handler.received_by() == Counter(GOOD)
    assert (tmp_path / "drop" / edition[0].parent.relative_to(tmp_path) / "analyst.pdf").is_file()
