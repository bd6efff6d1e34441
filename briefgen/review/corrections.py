"""The corrections file: an analyst's decisions about facts, one YAML entry each, applied on every build.

PROJECT/corrections.yaml holds a `corrections:` list in the order the decisions were taken, each
with who took it, when and why, so a desk can keep it in git and read its history in a diff.
New decisions are appended as text under a lock (the file's comments and layout stay as they
are) and the file is replaced by a rename: two reviewers saving at once both keep their decision.
"""

from __future__ import annotations

import datetime as dt
import getpass
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import Field, field_validator, model_validator

from briefgen.atomic import write_atomically
from briefgen.config import ConfigError, StrictModel, load_yaml, validate
from briefgen.errors import BriefgenError
from briefgen.locks import RunLock, lock_folder
from briefgen.review.fields import ADDABLE, REQUIRED_TO_ADD, parse_fields
from briefgen.review.identity import FACT_KINDS, NAMED_KINDS, FactKey

CORRECTIONS_FILE = "corrections.yaml"
MAX_CORRECTIONS_BYTES = 16 * 1024 * 1024
ACTIONS = ("accept", "reject", "edit", "pin", "unpin", "merge", "split", "add")
HEADER = ("# Analyst decisions about extracted facts, applied on every build, oldest first.\n"
          "# Written by `briefgen review` and the review page of `briefgen serve`; see README.md.\n"
          "corrections:\n")


class FactRef(StrictModel):
    """Which fact a decision is about: a kind and a name, or a kind, a document and its words."""

    kind: Literal["actor", "place", "quote", "event", "figure", "incident"]
    name: str | None = Field(None, min_length=1, max_length=300)
    doc: str | None = Field(None, pattern=r"^[0-9a-f]{16}$", description="The document's id.")
    source: str | None = Field(None, min_length=1, max_length=1000, description="The document's path.")
    words: str | None = Field(None, min_length=1, max_length=20_000)
    sentence: str | None = Field(None, max_length=20_000)

    @model_validator(mode="after")
    def _complete(self) -> FactRef:
        if self.kind in NAMED_KINDS and not self.name:
            raise ValueError(f"a {self.kind} is named by 'name'")
        if self.kind not in NAMED_KINDS and not (self.words and (self.doc or self.source)):
            raise ValueError(f"a {self.kind} is found by 'words' and its 'doc' or 'source'")
        return self

    def key(self) -> FactKey:
        """The fact key this reference holds."""
        return FactKey(self.kind, name=self.name, doc=self.doc, source=self.source, words=self.words,
                       sentence=self.sentence)


class NewFact(StrictModel):
    """A fact added by hand: its kind, the document and the quoted sentence it rests on, and its fields."""

    kind: Literal["actor", "quote", "event", "figure"]
    doc: str | None = Field(None, pattern=r"^[0-9a-f]{16}$")
    source: str | None = Field(None, min_length=1, max_length=1000)
    sentence: str = Field(min_length=1, max_length=20_000, description="The sentence, quoted from the source.")
    fields: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _complete(self) -> NewFact:
        if not (self.doc or self.source):
            raise ValueError("name the document by 'doc' (its id) or 'source' (its path)")
        missing = [name for name in REQUIRED_TO_ADD[self.kind] if name not in self.fields]
        if missing:
            raise ValueError(f"a {self.kind} added by hand needs: {', '.join(missing)}")
        parse_fields(self.kind, self.fields)
        return self


class Decision(StrictModel):
    """One entry of the corrections file."""

    action: Literal["accept", "reject", "edit", "pin", "unpin", "merge", "split", "add"]
    fact: FactRef | None = Field(None, description="The fact decided on (all actions but add).")
    set: dict[str, Any] | None = Field(None, description="edit: the fields and their new values.")
    into: FactRef | None = Field(None, description="merge: the actor or place `fact` becomes part of.")
    names: list[str] | None = Field(None, min_length=1, description="split: the forms that name another one.")
    new: NewFact | None = Field(None, description="add: the fact added by hand.")
    by: str = Field(min_length=1, max_length=120, description="Who decided.")
    at: str = Field(min_length=1, max_length=40, description="When, as ISO 8601 UTC.")
    why: str | None = Field(None, max_length=2000)

    @model_validator(mode="after")
    def _complete(self) -> Decision:
        needs = {"edit": "set", "merge": "into", "split": "names", "add": "new"}.get(self.action)
        if needs and getattr(self, needs) is None:
            raise ValueError(f"'{self.action}' needs '{needs}'")
        if (self.action == "add") != (self.fact is None):
            raise ValueError("'add' takes 'new' and no 'fact'" if self.action == "add" else "name the 'fact'")
        if self.fact and self.action in ("merge", "split") and self.fact.kind not in NAMED_KINDS:
            raise ValueError(f"only actors and places are merged or split, not a {self.fact.kind}")
        if self.fact and self.into and self.into.kind != self.fact.kind:
            raise ValueError(f"a {self.fact.kind} is merged into a {self.fact.kind}, not a {self.into.kind}")
        if self.fact and self.set is not None:
            parse_fields(self.fact.kind, self.set)
        return self


class CorrectionsFile(StrictModel):
    """PROJECT/corrections.yaml."""

    corrections: list[Decision] = Field(default_factory=list)

    @field_validator("corrections", mode="before")
    @classmethod
    def _none_is_empty(cls, value: Any) -> Any:
        return [] if value is None else value


def corrections_path(root: Path) -> Path:
    """Where a project keeps its corrections."""
    return root / CORRECTIONS_FILE


def load_corrections(root: Path) -> list[Decision]:
    """The project's decisions, oldest first; none when it has no corrections file.

    A file that cannot be used stops with one line per problem (file, line, field, what is wrong).
    """
    path = corrections_path(root)
    if not path.exists():
        return []
    data, node = load_yaml(path, CORRECTIONS_FILE, MAX_CORRECTIONS_BYTES)
    return validate(CorrectionsFile, data, node, CORRECTIONS_FILE).corrections


REVIEWER_VARIABLE = "BRIEFGEN_REVIEWER"


def reviewer(environ: Mapping[str, str] = os.environ) -> str:
    """Who decides (or approves), when not told: $BRIEFGEN_REVIEWER, else the login name."""
    name = environ.get(REVIEWER_VARIABLE, "").strip()
    if name:
        return name
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):
        raise BriefgenError(f"cannot tell who you are: give --by NAME or set {REVIEWER_VARIABLE}") from None


def now() -> str:
    """The time of a decision, ISO 8601 UTC to the second."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def decision(action: str, *, by: str, why: str | None = None, fact: FactKey | None = None,
             **details: Any) -> Decision:
    """A new decision taken now, checked as the file would check it (ValueError says what is wrong)."""
    entry: dict[str, Any] = {"action": action}
    if fact is not None:
        entry["fact"] = fact.as_entry()
    entry.update({name: value for name, value in details.items() if value is not None})
    entry.update({"by": by, "at": now()})
    if why:
        entry["why"] = why
    try:
        return Decision.model_validate(entry)
    except ValueError as error:
        raise ValueError(_first_problem(error)) from None


def record(root: Path, decisions: list[Decision]) -> None:
    """Append decisions to the corrections file, under the project's corrections lock."""
    path = corrections_path(root)
    lock = RunLock(lock_folder(root), "_corrections")  # "_": no brief is named so
    lock.acquire(wait=True)
    try:
        current = path.read_text(encoding="utf-8-sig") if path.exists() else HEADER
        load_corrections(root)  # never append to a file that does not read back
        write_atomically(path, _with_newline(current) + "".join(_entry_text(item) for item in decisions))
    finally:
        lock.release()


def _entry_text(item: Decision) -> str:
    entry = item.model_dump(exclude_none=True)
    return yaml.safe_dump([entry], sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)


def _with_newline(text: str) -> str:
    return text if not text or text.endswith("\n") else text + "\n"


def _first_problem(error: ValueError) -> str:
    errors = getattr(error, "errors", None)
    if not callable(errors):
        return str(error)
    item = errors()[0]
    where = ".".join(str(part) for part in item["loc"])
    message = str(item["msg"]).removeprefix("Value error, ")
    return f"{where}: {message}" if where else message


__all__ = ["ACTIONS", "ADDABLE", "CORRECTIONS_FILE", "FACT_KINDS", "ConfigError", "Decision", "decision",
           "load_corrections", "record", "reviewer"]
