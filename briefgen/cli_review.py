"""`briefgen review`: list a brief's facts and take decisions on them from the command line.

Each verb takes a fact's stable id (from `review list`); decisions go to corrections.yaml and are
applied by every later build. Nothing here is imported until a review command runs.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.markup import escape

from briefgen.cli import _split, project_option, user_errors
from briefgen.errors import BriefgenError

KINDS = ("actor", "place", "quote", "event", "figure", "incident")
stdout = Console(highlight=False, soft_wrap=True)
stderr = Console(stderr=True, highlight=False, soft_wrap=True)


def _review(project_dir: Path, brief: str | None, with_sections: bool = False) -> Any:
    from briefgen.project import load_project
    from briefgen.reviewdesk import review_brief

    return review_brief(load_project(project_dir), brief, with_sections=with_sections)


def brief_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """--brief, optional when the project has one brief."""
    return click.option("--brief", default=None, help="The brief (default: the project's only brief).")(command)


def decision_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """--why and --by, shared by every verb that decides."""
    command = click.option("--why", default=None, help="Why: kept with the decision in corrections.yaml.")(command)
    return click.option("--by", default=None,
                        help="Who decides (default: $BRIEFGEN_REVIEWER, else your login name).")(command)


@click.group()
def review() -> None:
    """Review a brief's facts: reject, edit, merge, split, pin or add them (kept in corrections.yaml)."""


@review.command("list")
@project_option
@brief_option
@click.option("--kind", "kinds", multiple=True, help=f"Only facts of these kinds: {', '.join(KINDS)}.")
@click.option("--status", "statuses", multiple=True,
              help="Only facts with these statuses: 'not reviewed', accepted, rejected, edited, pinned, added.")
@click.option("--section", default=None, help="Only facts the section with this title cites.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@user_errors
def review_list(project_dir: Path, brief: str | None, kinds: tuple[str, ...], statuses: tuple[str, ...],
                section: str | None, fmt: str) -> None:
    """List the brief's facts with their ids, what each says, its source sentence and status."""
    chosen_kinds = _split(kinds)
    for kind in chosen_kinds or []:
        if kind not in KINDS:
            raise BriefgenError(f"--kind: unknown kind '{kind}'; valid kinds: {', '.join(KINDS)}")
    found = _review(project_dir, brief, with_sections=section is not None or fmt == "json")
    items = [item for item in found.items
             if (not chosen_kinds or item.kind in chosen_kinds) and (not statuses or item.status in statuses)
             and (section is None or section.casefold() in (title.casefold() for title in item.sections))]
    if fmt == "json":
        json.dump([item.as_json() for item in items], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return
    for item in items:
        pin = " pinned" if item.pinned and item.status != "pinned" else ""
        stdout.print(f"[bold]{item.id}[/]  [dim]{item.status}{pin}[/]  {escape(item.text)}")
    stderr.print(f"{len(items)} of {len(found.items)} facts of brief {found.brief}")


@review.command("show")
@project_option
@brief_option
@click.argument("fact_id")
@user_errors
def review_show(project_dir: Path, brief: str | None, fact_id: str) -> None:
    """Show one fact: what it says, its fields, status, sections and every citation."""
    found = _review(project_dir, brief, with_sections=True)
    item = found.item(fact_id)
    stdout.print(f"[bold]{item.id}[/] {item.kind}, {item.status}{', pinned' if item.pinned else ''}")
    stdout.print(escape(item.text))
    for name, value in item.fields.items():
        stdout.print(f"  {name}: {escape(value) or '[dim]none[/]'}")
    if item.sections:
        stdout.print(f"  in: {escape(', '.join(item.sections))}")
    for citation in item.citations:
        marked = (escape(citation.sentence[:citation.start]) + "[reverse]"
                  + escape(citation.sentence[citation.start:citation.end]) + "[/]"
                  + escape(citation.sentence[citation.end:]))
        stdout.print(f"  [dim]{escape(citation.where)}:[/] {marked}")


def _decide(project_dir: Path, brief: str | None, action: str, fact_id: str | None, by: str | None,
            why: str | None, **details: Any) -> None:
    from briefgen.review import reviewer
    from briefgen.reviewdesk import decide

    found = _review(project_dir, brief)
    taken = decide(found, action, fact_id, by or reviewer(), why, **details)
    what = f"{taken.fact.kind} {fact_id}" if taken.fact else f"a {taken.new.kind if taken.new else 'fact'}"
    stderr.print(f"{action} {what}: recorded in corrections.yaml by {taken.by}; applied from the next build")


def _simple_verb(action: str, summary: str) -> None:
    @review.command(action, help=summary)
    @project_option
    @brief_option
    @click.argument("fact_id")
    @decision_options
    @user_errors
    def verb(project_dir: Path, brief: str | None, fact_id: str, by: str | None, why: str | None) -> None:
        _decide(project_dir, brief, action, fact_id, by, why)


_simple_verb("accept", "Mark a fact as checked and right.")
_simple_verb("reject", "Leave a fact out of every brief (it stays listed, as rejected).")
_simple_verb("pin", "Keep a fact in every section that shows its kind, whatever the section's cap.")
_simple_verb("unpin", "Let a pinned fact be capped again.")


@review.command("edit")
@project_option
@brief_option
@click.argument("fact_id")
@click.option("--set", "assignments", multiple=True, required=True, metavar="FIELD=VALUE",
              help="A field and its new value, e.g. --set role='interior minister'; 'none' clears it.")
@decision_options
@user_errors
def review_edit(project_dir: Path, brief: str | None, fact_id: str, assignments: tuple[str, ...], by: str | None,
                why: str | None) -> None:
    """Change a fact's fields (`review show` lists them)."""
    _decide(project_dir, brief, "edit", fact_id, by, why, set=_assigned(assignments))


@review.command("merge")
@project_option
@brief_option
@click.argument("fact_id")
@click.option("--into", required=True, metavar="ID", help="The actor or place the fact is another name of.")
@decision_options
@user_errors
def review_merge(project_dir: Path, brief: str | None, fact_id: str, into: str, by: str | None,
                 why: str | None) -> None:
    """Merge an actor or place into another: its names become the other's aliases."""
    _decide(project_dir, brief, "merge", fact_id, by, why, into=into)


@review.command("split")
@project_option
@brief_option
@click.argument("fact_id")
@click.option("--name", "names", multiple=True, required=True,
              help="A form that names a different actor or place (repeat for several forms of it).")
@decision_options
@user_errors
def review_split(project_dir: Path, brief: str | None, fact_id: str, names: tuple[str, ...], by: str | None,
                 why: str | None) -> None:
    """Split a wrong merge: the given forms, and the mentions written so, become an actor or place of their own."""
    _decide(project_dir, brief, "split", fact_id, by, why, names=list(names))


@review.command("add")
@project_option
@brief_option
@click.option("--kind", type=click.Choice(["actor", "quote", "event", "figure"]), required=True)
@click.option("--source", required=True, help="The source's path in the project (or its document id).")
@click.option("--sentence", required=True, help="The sentence the fact rests on, quoted from the source.")
@click.option("--set", "assignments", multiple=True, metavar="FIELD=VALUE",
              help="The fact's fields: quote speaker (and text), event date and kind, figure value, actor name "
                   "and kind.")
@decision_options
@user_errors
def review_add(project_dir: Path, brief: str | None, kind: str, source: str, sentence: str,
               assignments: tuple[str, ...], by: str | None, why: str | None) -> None:
    """Add a fact the extractor missed, citing the sentence of a source it rests on."""
    new = {"kind": kind, "source": source, "sentence": sentence, "fields": _assigned(assignments)}
    _decide(project_dir, brief, "add", None, by, why, new=new)


def _assigned(assignments: tuple[str, ...]) -> dict[str, str]:
    values = {}
    for assignment in assignments:
        name, equals, value = assignment.partition("=")
        if not equals or not name.strip():
            raise BriefgenError(f"--set: '{assignment}' is not FIELD=VALUE")
        values[name.strip()] = value
    return values
