"""Approval before release: an audience with `approval: required` gets drafts, delivered once approved.

A build (by hand or scheduled) of a brief with such an audience publishes the edition as usual, and
records that audience's files as a draft in the store's approvals table (build.record_drafts). A
scheduled run plans the draft's deliveries (emails and drop copies) as "held": neither the run nor
`briefgen deliver` makes them. The reviewers (config/briefgen.yaml, review: reviewers) are told of
each draft by email, with a link to the review page (review: url) or to the draft's file; the brief
itself never goes to them.

`approve` records who approved which audiences of an edition, when, with a note, and then makes the
held deliveries of those audiences, once: approving again sends nothing. Its failed sends are
resent by `briefgen deliver`, as a scheduled run's are. `approve` and `drafts` need no CLI and no
HTTP: a review page calls them as they are.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

from briefgen.deliver import Delivery, compose_email, load_deliveries, send_emails, subject_for
from briefgen.editions import ApprovalRecord, Approvals, EditionRecord, Editions, settle
from briefgen.errors import BriefgenError
from briefgen.locks import RunLock, lock_folder
from briefgen.periodic import DELIVERIES, deliver_approved
from briefgen.project import Project
from briefgen.store import FactStore

MAX_NAME = 200
MAX_NOTE = 2000


@dataclass
class ApprovalResult:
    """What `approve` did for one edition of a brief."""

    brief: str
    edition: int
    approved: list[ApprovalRecord] = field(default_factory=list)  # approved now: their deliveries were made
    already: list[ApprovalRecord] = field(default_factory=list)  # approved before: nothing was sent for them
    deliveries: list[Delivery] = field(default_factory=list)  # made for the audiences approved now

    @property
    def undelivered_audiences(self) -> list[str]:
        """The audiences approved now for which there was nothing to deliver (no recipients, no drop)."""
        reached = {item.audience for item in self.deliveries}
        return [item.audience for item in self.approved if item.audience not in reached]


def drafts(project: Project, brief: str) -> list[ApprovalRecord]:
    """Every approval record of a brief, newest edition first: drafts awaiting approval and approved ones
    (edition, audience, state, approved_by, approved_at, note)."""
    _known_brief(project, brief)
    with FactStore(project.store_path) as store:
        return Approvals(store).of_brief(brief)


def draft_files(project: Project, brief: str, edition: int, audience: str) -> list[Path]:
    """The files of one audience's draft (its edition's AUDIENCE.html, AUDIENCE.pdf), for a review page."""
    _known_brief(project, brief)
    with FactStore(project.store_path) as store:
        record = _edition(store, brief, edition)
    return _files_of(project, record, audience)


def approve(project: Project, brief: str, by: str, audiences: list[str] | None = None, edition: int | None = None,
            note: str | None = None) -> ApprovalResult:
    """Approve the drafts of a brief's newest edition (or edition `edition`), all or only `audiences`.

    Records `by`, the time and `note` with each draft, then makes its held deliveries, under the brief's
    RunLock. A draft approved before is reported in `already` and nothing is sent for it. Raises a
    BriefgenError (one line) when the edition has no draft, or no draft for a named audience.
    """
    _known_brief(project, brief)
    by, note = checked_name(by), _checked_note(note)
    with RunLock(lock_folder(project.root), brief):
        with FactStore(project.store_path) as store:
            settle(project.root, project.output_dir, store, brief)  # what a killed build left, a replaced store
            record = _edition(store, brief, edition)
            approvals = Approvals(store)
            approvals.add_drafts(brief, record.number, _held_audiences(project, record))  # e.g. a store replaced
            chosen = _chosen(approvals, record, audiences)
            now = approvals.approve(brief, record.number, [item.audience for item in chosen], by, note)
            after = {item.audience: item for item in approvals.of_edition(brief, record.number)}
        delivered = deliver_approved(project, record, now)
    return ApprovalResult(brief, record.number, approved=[after[name] for name in now],
                          already=[after[item.audience] for item in chosen if item.audience not in now],
                          deliveries=delivered)


def _held_audiences(project: Project, edition: EditionRecord) -> list[str]:
    """The audiences whose deliveries of an edition are held (its deliveries.json), each once."""
    path = project.output_dir / edition.brief / edition.folder / DELIVERIES
    held = [item.audience for item in load_deliveries(path) if item.status == "held"] if path.exists() else []
    return sorted(set(held))


def checked_name(name: str) -> str:
    """A reviewer's name as recorded: one line of at most 200 characters; BriefgenError otherwise."""
    name = name.strip()
    if not name or len(name) > MAX_NAME or any(_is_control(char) for char in name):
        raise BriefgenError(f"the approver's name must be one line of 1 to {MAX_NAME} characters, "
                            f"got {name[:40]!r}")
    return name


def _checked_note(note: str | None) -> str | None:
    if note is None or not note.strip():
        return None
    if len(note) > MAX_NOTE:
        raise BriefgenError(f"the note has {len(note):,} characters; at most {MAX_NOTE:,}")
    return note.strip()


def _is_control(char: str) -> bool:
    return unicodedata.category(char).startswith("C") or unicodedata.category(char) in ("Zl", "Zp")


def _known_brief(project: Project, brief: str) -> None:
    if brief not in project.briefs:
        raise BriefgenError(f"unknown brief '{brief}'; valid briefs: {', '.join(sorted(project.briefs))}")


def _edition(store: FactStore, brief: str, number: int | None) -> EditionRecord:
    """The brief's newest edition, or its edition `number`; BriefgenError when there is none."""
    editions = Editions(store).all(brief)
    if not editions:
        raise BriefgenError(f"brief '{brief}' has no edition yet, so no draft to approve")
    if number is None:
        return editions[-1]
    found = next((edition for edition in editions if edition.number == number), None)
    if found is None:
        raise BriefgenError(f"brief '{brief}' has no edition {number}; its editions are "
                            f"{editions[0].number} to {editions[-1].number}")
    return found


def _chosen(approvals: Approvals, edition: EditionRecord, audiences: list[str] | None) -> list[ApprovalRecord]:
    """The approval records of the edition to approve: all, or those of `audiences`; BriefgenError when none."""
    brief, number = edition.brief, edition.number
    rows = approvals.of_edition(brief, number)
    if not rows:
        waiting = sorted({item.edition for item in approvals.of_brief(brief) if item.state == "draft"})
        hint = f"; drafts await approval in edition {', '.join(map(str, waiting))}: give --edition" if waiting else ""
        raise BriefgenError(f"edition {number} of '{brief}' has no draft awaiting approval{hint}")
    by_audience = {item.audience: item for item in rows}
    unknown = [name for name in audiences or [] if name not in by_audience]
    if unknown:
        raise BriefgenError(f"edition {number} of '{brief}' has no draft for audience '{unknown[0]}'; "
                            f"its drafts: {', '.join(by_audience)}")
    return [by_audience[name] for name in dict.fromkeys(audiences)] if audiences else rows


# --- telling the reviewers --------------------------------------------------------------


def unnotified(project: Project, edition: EditionRecord) -> list[ApprovalRecord]:
    """The drafts of an edition whose reviewers were not told of them yet."""
    with FactStore(project.store_path) as store:
        return [item for item in Approvals(store).of_edition(edition.brief, edition.number)
                if item.state == "draft" and item.notified_at is None]


def notify_reviewers(project: Project, pending: list[ApprovalRecord]) -> list[str]:
    """Email each reviewer a notice of each draft not notified yet (a link, never the brief itself).

    Returns warning lines: one when delivery.smtp is not configured, one per notice that failed.
    A draft is marked notified once every reviewer has its notice.
    """
    pending = [item for item in pending if item.notified_at is None and item.state == "draft"]
    if not pending:
        return []
    smtp, reviewers = project.settings.delivery.smtp, project.settings.review.reviewers
    named = ", ".join(f"edition {item.edition} of {item.brief} for {item.audience}" for item in pending)
    if smtp is None:
        return [f"reviewers not told of the drafts awaiting approval ({named}): delivery.smtp is not configured "
                "in config/briefgen.yaml"]
    with FactStore(project.store_path) as store:
        editions = {edition.number: edition for edition in Editions(store).all(pending[0].brief)}
    messages = [(item.audience, notice(project, editions[item.edition], item.audience, smtp.sender, reviewer))
                for item in pending for reviewer in reviewers]
    delivery = project.settings.delivery
    try:
        sent = send_emails(smtp, messages, delivery.attempts, delivery.backoff)
    except BriefgenError as error:
        return [f"reviewers not told of the drafts awaiting approval ({named}): {'; '.join(error.lines)}"]
    warnings, failed = [], set()
    for (audience, message), result in zip(messages, sent, strict=True):
        if result.status != "sent":
            failed.add(audience)
            warnings.append(f"reviewer notice to {message['To']} ({audience}) failed: {result.error}")
    with FactStore(project.store_path) as store:
        for item in pending:
            if item.audience not in failed:
                Approvals(store).notified(item.brief, item.edition, item.audience)
    return warnings


def notice(project: Project, edition: EditionRecord, audience: str, sender: str, reviewer: str) -> EmailMessage:
    """The email telling one reviewer that an audience's edition awaits approval, with the link to review it."""
    config = project.audiences[audience]
    title = project.briefs[edition.brief].title
    subject = subject_for(f"Awaiting approval: {title}", config.label, edition.number, config.marking)
    link = review_link(project, edition, audience)
    command = f"briefgen approve --brief {edition.brief} --edition {edition.number} --audience {audience}"
    lines = [f"Edition {edition.number} of brief '{edition.brief}' ({title}) for audience '{audience}' "
             f"({config.label}) awaits approval.", f"Review it: {link}", f"Approve it: {command}",
             "Nothing goes to the audience's recipients or the drop folder until it is approved."]
    html = "".join(f"<p>{_escape(line)}</p>" for line in lines)
    if link.startswith(("http://", "https://")):
        html = html.replace(_escape(link), f'<a href="{_escape(link)}">{_escape(link)}</a>', 1)
    return compose_email(sender, reviewer, subject, html, "\n\n".join(lines) + "\n", [])


def review_link(project: Project, edition: EditionRecord, audience: str) -> str:
    """The review page of the brief ({review.url}/review/BRIEF/), else the path of the draft's HTML file."""
    if project.settings.review.url:
        return f"{project.settings.review.url}/review/{edition.brief}/"
    files = _files_of(project, edition, audience)
    html = [path for path in files if path.suffix == ".html"]
    return str((html or files or [project.output_dir / edition.brief / edition.folder])[0])


def _files_of(project: Project, edition: EditionRecord, audience: str) -> list[Path]:
    folder = project.output_dir / edition.brief / edition.folder
    return [folder / name for name in edition.files if Path(name).stem == audience]


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
