"""Local servers for tests: a real SMTP server (aiosmtpd on 127.0.0.1) and free ports."""

from __future__ import annotations

import email
import email.policy
import socket
from collections import Counter
from email.message import EmailMessage
from typing import Any


class Collector:
    """An aiosmtpd handler keeping every accepted envelope; it refuses the addresses in `refuse`."""

    def __init__(self) -> None:
        self.envelopes: list[Any] = []
        self.refuse: set[str] = set()
        self.refused: Counter[str] = Counter()
        self.hang_up_once = False

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,  # noqa: N802
                          rcpt_options: list[str]) -> str:
        if address in self.refuse:
            self.refused[address] += 1
            return "550 5.1.1 <%s>: mailbox unavailable" % address  # noqa: UP031
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        if self.hang_up_once:
            self.hang_up_once = False
            return "421 4.3.2 Service shutting down"  # smtplib closes the connection on 421
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def messages(self) -> list[EmailMessage]:
        return [email.message_from_bytes(envelope.original_content, policy=email.policy.default)  # type: ignore[misc]
                for envelope in self.envelopes]

    def received_by(self) -> Counter[str]:
        return Counter(address for envelope in self.envelopes for address in envelope.rcpt_tos)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
