"""Delivery of finished editions: email through SMTP, and/or a copy into a drop folder.

Everything a delivery needs is in the files a build already wrote, so a failed delivery is
retried from those files (`retry_failed`), never by rebuilding. Each Delivery records the
subject and the files it carried; `save_deliveries` / `load_deliveries` keep them as JSON.

An edition's deliveries are first planned (`plan_edition`: each one "pending"), then made the way
a retry makes them, so a plan saved before sending lets a run that was killed mid-way be finished
later. A message that cannot be composed for one recipient (a bad address, an unreadable file)
fails for that recipient alone; the others are still sent.
"""

from __future__ import annotations

import contextlib
import json
import mimetypes
import os
import smtplib
import ssl
import time
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field, replace
from email.errors import MessageError
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from pathlib import Path
from typing import Literal

from email_validator import EmailNotValidError, validate_email

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
    status "pending": planned, not tried yet (a run stopped before trying it); retried like "failed".
    status "held": a draft's delivery, made only once a reviewer approves it (briefgen approve); never
    retried, and no failure.
    """

    method: Literal["email", "drop"]
    target: str
    audience: str
    status: Literal["sent", "failed", "pending", "held"]
    attempts: int
    error: str | None = None
    subject: str | None = None
    files: list[str] = field(default_factory=list)


def undelivered(deliveries: Iterable[Delivery]) -> list[Delivery]:
    """The deliveries that failed or were never tried; held ones (awaiting approval) are not among them."""
    return [item for item in deliveries if item.status in ("failed", "pending")]


# --- addresses -----------------------------------------------------------------


def address_problem(address: str, named: bool = False) -> str | None:
    """Why `address` cannot be used to send mail (one line), or None when it can.

    A plain address (local@domain, checked by email-validator without DNS look-ups) with no line
    break or control character; with `named`, a display name may precede it: 'Briefs <b@x.org>'.
    """
    control = sorted({f"U+{ord(char):04X}" for char in address if _is_control(char)})
    if control:
        return f"contains a line break or control character ({', '.join(control)})"
    if named:
        address = parseaddr(address)[1] or address
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError as error:
        return str(error)
    return None


def _is_control(char: str) -> bool:
    """True for control and format characters and line or paragraph separators."""
    category = unicodedata.category(char)
    return category.startswith("C") or category in ("Zl", "Zp")


# --- composing -----------------------------------------------------------------


def subject_for(brief_title: str, audience_label: str, edition: int, marking: str | None) -> str:
    """The email subject; a TLP marking leads in brackets, another marking follows in brackets.

    "[TLP:AMBER] Situation Brief — Analyst brief, edition 3"
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
    except (ValueError, LookupError, MessageError) as error:  # this message cannot go out as it is
        result.error = f"cannot send the message: {type(error).__name__}: {_one_line(str(error))}"
        _reset(connection)
        return None
    result.status, result.error = "sent", None
    return None


def _reset(connection: smtplib.SMTP) -> None:
    """End a transaction a failed message may have left open; a lost connection shows at the next send."""
    with contextlib.suppress(smtplib.SMTPException, OSError):
        connection.rset()


def _one_line(text: str) -> str:
    return " ".join(text.split())


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
    return [_redrop(item) for item in plan_drops(folder, files, relative_to)]


def plan_drops(folder: Path, files: list[Path], relative_to: Path | None = None) -> list[Delivery]:
    """The pending copies of `files` into `folder` (see drop() for `relative_to` and the audience)."""
    return [Delivery("drop", str(folder / (path.relative_to(relative_to) if relative_to else Path(path.name))),
                     path.stem, "pending", 0, None, None, [str(path)]) for path in files]


def _redrop(item: Delivery) -> Delivery:
    """Copy a drop delivery's file to its target; the Delivery as it ended (attempts: this try only)."""
    target = Path(item.target)
    if not item.files:
        return replace(item, status="failed", attempts=1, error=f"{target}: no file recorded to copy")
    try:
        copy_atomically(Path(item.files[0]), target)
        return replace(item, status="sent", attempts=1, error=None)
    except OSError as error:
        return replace(item, status="failed", attempts=1, error=f"{target}: {error.strerror or error}")


# --- whole editions and retries -----------------------------------------------------


def plan_edition(config: DeliveryConfig, root: Path, audience: str, subject: str, files: list[Path],
                 recipients: list[str], *, relative_to: Path | None = None) -> list[Delivery]:
    """One audience's deliveries, all pending: an email per recipient, then a drop per file if a folder is set.

    `root` is the project folder (the drop folder is relative to it); `relative_to`: see drop().
    """
    names = [str(path) for path in files]
    planned = [Delivery("email", recipient, audience, "pending", 0, None, subject, names) for recipient in recipients]
    if config.drop:
        planned += plan_drops(root / config.drop, files, relative_to)
    return planned


def deliver_edition(config: DeliveryConfig, root: Path, audience: str, subject: str, files: list[Path],
                    recipients: list[str], *, relative_to: Path | None = None, sleep: Sleep = time.sleep,
                    environ: Mapping[str, str] = os.environ) -> list[Delivery]:
    """Deliver one audience's edition: email it to `recipients`, and copy it to the drop folder if one is set.

    `root` is the project folder (the drop folder is relative to it); `relative_to`: see drop().
    """
    if recipients and config.smtp is None:
        raise BriefgenError(f"recipients are given for audience '{audience}' but delivery.smtp is not "
                            "configured in config/briefgen.yaml")
    planned = plan_edition(config, root, audience, subject, files, recipients, relative_to=relative_to)
    return retry_failed(planned, config, sleep=sleep, environ=environ)


def retry_failed(previous: list[Delivery], config: DeliveryConfig, *, sleep: Sleep = time.sleep,
                 environ: Mapping[str, str] = os.environ) -> list[Delivery]:
    """Deliver again only what failed (or is pending), from the files each Delivery names; return the whole list.

    Sent and held deliveries are kept as they are; a retried one's attempts add to its earlier ones. An
    email that cannot be composed or sent fails alone: it never stops the others.
    """
    results = list(previous)
    unsent = [number for number, item in enumerate(previous) if item.status in ("failed", "pending")]
    mail = [number for number in unsent if previous[number].method == "email"]
    for number, again in zip(mail, _resend([previous[n] for n in mail], config, sleep, environ), strict=True):
        results[number] = again
    for number in unsent:
        if previous[number].method == "drop":
            results[number] = _redrop(previous[number])
    return [replace(new, attempts=old.attempts + new.attempts) if new is not old else old
            for old, new in zip(previous, results, strict=True)]


def _resend(items: list[Delivery], config: DeliveryConfig, sleep: Sleep,
            environ: Mapping[str, str]) -> list[Delivery]:
    """Send each email delivery from its files; one Delivery per item, in order (attempts: this time only)."""
    if not items:
        return []
    if config.smtp is None:
        return [_failure(item, "delivery.smtp is not configured in config/briefgen.yaml") for item in items]
    composed = [_compose(config.smtp.sender, item) for item in items]
    results = [_failure(item, message) if isinstance(message, str) else item
               for item, message in zip(items, composed, strict=True)]
    ready = [(number, (items[number].audience, message)) for number, message in enumerate(composed)
             if isinstance(message, EmailMessage)]
    try:
        messages = [pair for _, pair in ready]
        sent = send_emails(config.smtp, messages, config.attempts, config.backoff, sleep, environ) if ready else []
    except BriefgenError as error:  # e.g. the password is not in the environment: nothing could be sent
        sent = [_failure(items[number], "; ".join(error.lines)) for number, _ in ready]
    for (number, _), again in zip(ready, sent, strict=True):
        item = items[number]
        results[number] = replace(again, target=item.target, subject=item.subject, files=item.files)
    return results


def _compose(sender: str, item: Delivery) -> EmailMessage | str:
    """The message for one email delivery, or why it cannot be composed (one line)."""
    problem = address_problem(item.target)
    if problem:
        return f"{item.target!r} is not a valid address: {problem}"
    try:
        return message_for(sender, item.target, item.subject or "", [Path(name) for name in item.files])
    except BriefgenError as error:
        return "; ".join(error.lines)
    except Exception as error:  # the email package refused a header or part: only this message fails
        return f"cannot compose the message: {type(error).__name__}: {_one_line(str(error))}"


def _failure(item: Delivery, error: str) -> Delivery:
    return replace(item, status="failed", attempts=1, error=error)


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
