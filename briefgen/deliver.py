"""Delivery of finished editions: email through SMTP, and/or a copy into a drop folder.

Everything a delivery needs is in the files a build already wrote, so a failed delivery is
retried from those files (`retry_failed`), never by rebuilding. Each Delivery records the
subject and the files it carried; `save_deliveries` / `load_deliveries` keep them as JSON.
"""

from __future__ import annotations

import json
import mimetypes
import os
import smtplib
import ssl
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field, replace
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from pathlib import Path
from typing import Literal

from briefgen.atomic import copy_atomically, write_atomically
from briefgen.config import DeliveryConfig, SmtpConfig
from briefgen.errors import BriefgenError

Sleep = Callable[[float], None]


@dataclass
class Attachment:
    """A file attached to an email."""

    filename: str
    content: bytes
    mime: str


@dataclass
class Delivery:
    """One edition to one target: an email to one recipient, or a file copied into the drop folder.

    `subject` and `files` are what was (or was to be) sent, so a retry needs nothing else.
    """

    method: Literal["email", "drop"]
    target: str
    audience: str
    status: Literal["sent", "failed"]
    attempts: int
    error: str | None = None
    subject: str | None = None
    files: list[str] = field(default_factory=list)


# --- composing -----------------------------------------------------------------


def subject_for(brief_title: str, audience_label: str, edition: int, marking: str | None) -> str:
    """The email subject; a TLP marking leads in brackets, another marking follows in brackets.

    "[TLP:AMBER] Iraq Security Situation Brief — Analyst brief, edition 3"
    """
    subject = f"{brief_title} — {audience_label}, edition {edition}"
    marking = (marking or "").strip()
    if not marking:
        return subject
    if marking.upper().startswith("TLP:"):
        return f"[{marking.upper()}] {subject}"
    return f"{subject} [{marking}]"


def compose_email(sender: str, recipient: str, subject: str, html_body: str, text_body: str,
                  attachments: list[Attachment]) -> EmailMessage:
    """A message with text and HTML alternatives (multipart/alternative), plus attachments (multipart/mixed)."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = recipient
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=_domain(sender))
    message.set_content(text_body)
    message.add_alternative(html_body, subtype="html")
    for attachment in attachments:
        maintype, _, subtype = attachment.mime.partition("/")
        message.add_attachment(attachment.content, maintype=maintype, subtype=subtype or "octet-stream",
                               filename=attachment.filename)
    return message


def _domain(address: str) -> str:
    # make_msgid would otherwise look up this host's name, which can stall on DNS.
    return parseaddr(address)[1].rpartition("@")[2] or "briefgen.invalid"


def text_from_html(html: str) -> str:
    """A plain-text rendering of an HTML brief for the text/plain alternative: block by block."""
    import lxml.html  # imported here: only email needs it

    root = lxml.html.document_fromstring(html)
    for element in root.xpath("//script|//style|//head|//svg|//*[local-name()='svg']"):
        element.drop_tree()
    blocks = root.xpath("//h1|//h2|//h3|//h4|//p|//li|//dt|//dd|//figcaption|//caption|//tr|//blockquote")
    seen = set(blocks)
    lines = []
    for block in blocks:
        if any(ancestor in seen for ancestor in block.iterancestors()):
            continue  # its text comes with the enclosing block
        content = " | ".join(cell.text_content() for cell in block) if block.tag == "tr" else block.text_content()
        text = " ".join(content.split())
        if text:
            lines.append(("• " if block.tag == "li" else "") + text)
    return "\n\n".join(lines) + "\n" if lines else " ".join(root.text_content().split()) + "\n"


def message_for(sender: str, recipient: str, subject: str, files: Iterable[Path]) -> EmailMessage:
    """An email from an edition's written files: the HTML file is the body, every other file is attached."""
    html_body, attachments = None, []
    for path in files:
        try:
            if path.suffix.lower() in (".html", ".htm") and html_body is None:
                html_body = path.read_text(encoding="utf-8")
            else:
                mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                attachments.append(Attachment(path.name, path.read_bytes(), mime))
        except (OSError, UnicodeDecodeError) as error:
            reason = getattr(error, "strerror", None) or str(error)
            raise BriefgenError(f"{path}: cannot read the edition to send it: {reason}") from None
    if html_body is None:
        names = ", ".join(attachment.filename for attachment in attachments)
        text = f"{subject}\n\nAttached: {names}\n"
        html_body = f"<p>{_escape(subject)}</p><p>Attached: {_escape(names)}</p>"
    else:
        text = text_from_html(html_body)
    return compose_email(sender, recipient, subject, html_body, text, attachments)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# --- sending ---------------------------------------------------------------------


def smtp_password(smtp: SmtpConfig, environ: Mapping[str, str] = os.environ) -> str | None:
    """The SMTP password from its environment variable; None when no login is configured."""
    if smtp.username is None:
        return None
    if smtp.password is None:
        raise BriefgenError("delivery.smtp: 'username' is set but 'password' is not; "
                            "give password: {$env: VARIABLE}")
    value = environ.get(smtp.password.env)
    if not value:
        raise BriefgenError(f"delivery.smtp.password: environment variable {smtp.password.env} is not set")
    return value


def connect(smtp: SmtpConfig, password: str | None) -> smtplib.SMTP:
    """An open, logged-in SMTP connection as the configuration says (STARTTLS, implicit TLS or plain)."""
    context = ssl.create_default_context()
    if smtp.security == "tls":
        connection: smtplib.SMTP = smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=smtp.timeout, context=context)
    else:
        connection = smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout)
    try:
        if smtp.security == "starttls":
            connection.starttls(context=context)
        if smtp.username is not None and password is not None:
            connection.login(smtp.username, password)
    except BaseException:
        _close(connection)
        raise
    return connection


def send_emails(smtp: SmtpConfig, messages: list[tuple[str, EmailMessage]], attempts: int, backoff: float,
                sleep: Sleep = time.sleep, environ: Mapping[str, str] = os.environ) -> list[Delivery]:
    """Send each (audience, message) to the message's one recipient; one Delivery per message, in order.

    Messages are sent one by one; those that fail are tried again, alone, in up to `attempts`
    rounds, `backoff` seconds before the second round and doubling, over a fresh connection.
    A message once accepted is never sent again.
    """
    password = smtp_password(smtp, environ)
    results = [Delivery("email", str(message["To"]), audience, "failed", 0, None, str(message["Subject"]))
               for audience, message in messages]
    pending = list(range(len(messages)))
    for round_number in range(1, attempts + 1):
        if round_number > 1:
            sleep(backoff * 2 ** (round_number - 2))
        pending = _send_round(smtp, password, messages, pending, results)
        if not pending:
            break
    return results


def _send_round(smtp: SmtpConfig, password: str | None, messages: list[tuple[str, EmailMessage]],
                pending: list[int], results: list[Delivery]) -> list[int]:
    """Try every pending message over one connection; return those still unsent."""
    try:
        connection = connect(smtp, password)
    except (smtplib.SMTPException, OSError) as error:
        for index in pending:
            results[index].attempts += 1
            results[index].error = _smtp_error(error, smtp)
        return pending
    failed: list[int] = []
    try:
        for number, index in enumerate(pending):
            results[index].attempts += 1
            lost = _send_one(connection, smtp, messages[index][1], results[index])
            if lost is not None:
                # The connection is gone: this message and the rest wait for the next round.
                for later in pending[number + 1:]:
                    results[later].attempts += 1
                for later in pending[number:]:
                    results[later].error = _smtp_error(lost, smtp)
                return failed + pending[number:]
            if results[index].status == "failed":
                failed.append(index)
    finally:
        _close(connection)
    return failed


def _send_one(connection: smtplib.SMTP, smtp: SmtpConfig, message: EmailMessage, result: Delivery) -> OSError | None:
    """Send one message, recording the outcome in `result`; return the error when the connection was lost."""
    try:
        connection.send_message(message, from_addr=smtp.sender, to_addrs=[message["To"]])
    except smtplib.SMTPServerDisconnected as error:
        return error
    except smtplib.SMTPException as error:  # refused: smtplib has already reset the transaction
        result.error = _smtp_error(error, smtp)
        return None
    except OSError as error:  # SMTPException is an OSError too, hence this order
        return error
    result.status, result.error = "sent", None
    return None


def _smtp_error(error: BaseException, smtp: SmtpConfig) -> str:
    """One line for an SMTP failure: the server's code and reply, never the password."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        replies = [_reply(code, text) for code, text in error.recipients.values()]
        return "recipient refused: " + "; ".join(replies)
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return f"login as {smtp.username} refused: {_reply(error.smtp_code, error.smtp_error)}"
    if isinstance(error, smtplib.SMTPSenderRefused):
        return f"sender {smtp.sender} refused: {_reply(error.smtp_code, error.smtp_error)}"
    if isinstance(error, smtplib.SMTPResponseException):
        return _reply(error.smtp_code, error.smtp_error)
    if isinstance(error, smtplib.SMTPNotSupportedError):
        return f"{smtp.host}:{smtp.port}: {error}"
    return f"{smtp.host}:{smtp.port}: {type(error).__name__}: {error}"


def _reply(code: int, text: bytes | str) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {' '.join(text.split())}"


def _close(connection: smtplib.SMTP) -> None:
    try:
        connection.quit()
    except (smtplib.SMTPException, OSError):
        connection.close()


# --- drop folder ------------------------------------------------------------------


def drop(folder: Path, files: list[Path], relative_to: Path | None = None) -> list[Delivery]:
    """Copy files into `folder`, each atomically (a temporary file, then a rename); one Delivery per file.

    With `relative_to` (e.g. the output folder) a file keeps its path below it, so editions of
    different briefs and dates do not overwrite each other; otherwise only its name is kept.
    The audience is the file's stem, as the build names files AUDIENCE.FORMAT.
    """
    results = []
    for path in files:
        target = folder / (path.relative_to(relative_to) if relative_to else Path(path.name))
        try:
            copy_atomically(path, target)
            results.append(Delivery("drop", str(target), path.stem, "sent", 1, None, None, [str(path)]))
        except OSError as error:
            reason = error.strerror or str(error)
            results.append(Delivery("drop", str(target), path.stem, "failed", 1, f"{target}: {reason}", None,
                                    [str(path)]))
    return results


# --- whole editions and retries -----------------------------------------------------


def deliver_edition(config: DeliveryConfig, root: Path, audience: str, subject: str, files: list[Path],
                    recipients: list[str], *, relative_to: Path | None = None, sleep: Sleep = time.sleep,
                    environ: Mapping[str, str] = os.environ) -> list[Delivery]:
    """Deliver one audience's edition: email it to `recipients`, and copy it to the drop folder if one is set.

    `root` is the project folder (the drop folder is relative to it); `relative_to`: see drop().
    """
    results = []
    if recipients:
        if config.smtp is None:
            raise BriefgenError(f"recipients are given for audience '{audience}' but delivery.smtp is not "
                                "configured in config/briefgen.yaml")
        messages = [(audience, message_for(config.smtp.sender, recipient, subject, files))
                    for recipient in recipients]
        results += _with_files(send_emails(config.smtp, messages, config.attempts, config.backoff, sleep, environ),
                               files)
    if config.drop:
        results += drop(root / config.drop, files, relative_to)
    return results


def _with_files(deliveries: list[Delivery], files: list[Path]) -> list[Delivery]:
    return [replace(delivery, files=[str(path) for path in files]) for delivery in deliveries]


def retry_failed(previous: list[Delivery], config: DeliveryConfig, *, sleep: Sleep = time.sleep,
                 environ: Mapping[str, str] = os.environ) -> list[Delivery]:
    """Deliver again only what failed, from the files each Delivery names; return the whole updated list.

    Sent deliveries are kept as they are; a retried one's attempts add to its earlier ones.
    """
    failed_mail = [(number, item) for number, item in enumerate(previous)
                   if item.status == "failed" and item.method == "email"]
    results = list(previous)
    if failed_mail:
        if config.smtp is None:
            raise BriefgenError("cannot resend email: delivery.smtp is not configured in config/briefgen.yaml")
        messages = [(item.audience, message_for(config.smtp.sender, item.target, item.subject or "",
                                                [Path(name) for name in item.files]))
                    for _, item in failed_mail]
        sent = send_emails(config.smtp, messages, config.attempts, config.backoff, sleep, environ)
        for (number, item), again in zip(failed_mail, sent, strict=True):
            results[number] = replace(again, attempts=item.attempts + again.attempts, files=item.files)
    for number, item in enumerate(previous):
        if item.status == "failed" and item.method == "drop":
            again = _redrop(item)
            results[number] = replace(again, attempts=item.attempts + again.attempts)
    return results


def _redrop(item: Delivery) -> Delivery:
    source, target = Path(item.files[0]), Path(item.target)
    try:
        copy_atomically(source, target)
        return replace(item, status="sent", attempts=1, error=None)
    except OSError as error:
        return replace(item, status="failed", attempts=1, error=f"{target}: {error.strerror or error}")


def save_deliveries(path: Path, deliveries: list[Delivery]) -> None:
    """Write deliveries as JSON (atomically), e.g. beside the edition: output/BRIEF/DATE/deliveries.json."""
    text = json.dumps([asdict(item) for item in deliveries], indent=2, ensure_ascii=False) + "\n"
    write_atomically(path, text)


def load_deliveries(path: Path) -> list[Delivery]:
    """Read deliveries written by save_deliveries()."""
    try:
        return [Delivery(**item) for item in json.loads(path.read_text(encoding="utf-8"))]
    except FileNotFoundError:
        raise BriefgenError(f"{path}: no delivery record") from None
    except (ValueError, TypeError) as error:
        raise BriefgenError(f"{path}: not a delivery record ({error})") from None
