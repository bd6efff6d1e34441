"""A small project written from scratch, for tests that build often: one brief, one audience, two sources.

The example project builds four audiences; this one builds in a second or two, so tests that feed
briefgen hostile input, kill builds or run two at once can afford many builds.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from click.testing import CliRunner, Result

from briefgen.cli import main

BRIEF = "desk"
SOURCES = {
    "sources/2025-03-02-border-post.md": """\
        ---
        title: Militants attack a border post
        published: 2025-03-02
        outlet: Desk Wire
        ---
        Gunmen attacked a border post near Menaka on 1 March 2025, killing four soldiers, the army said.
        "The attackers came at dawn," said Colonel Amadou Sanou, a regional army spokesman.
        """,
    "sources/2025-03-05-talks.md": """\
        ---
        title: Talks on the withdrawal resume
        published: 2025-03-05
        outlet: Desk Wire
        releasable: false
        ---
        Officials said the withdrawal of the remaining 300 foreign troops would be completed by June 2025.
        """,
}


def write(root: Path, relative: str, text: str | bytes) -> Path:
    """Write a file under `root`, creating its folders; text is dedented."""
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def make_project(root: Path, *, brief_extra: str = "", audience_extra: str = "", settings_extra: str = "",
                 sources: dict[str, str | bytes] | None = None) -> Path:
    """A project in `root`: brief `desk`, audiences `analyst` and `public` (releasable sources only)."""
    write(root, "config/briefgen.yaml", "producer: Test Desk\ntimezone: UTC\n" + settings_extra)
    write(root, f"config/briefs/{BRIEF}.yaml", textwrap.dedent("""\
        title: Desk brief
        sources: [sources/*]
        sections:
          - kind: key_judgments
            text: The situation is **tense**.
          - kind: key_actors
          - kind: sources
        """) + brief_extra)
    write(root, "config/audiences/analyst.yaml", "label: Analyst brief\nmarking: TLP:AMBER\n" + audience_extra)
    write(root, "config/audiences/public.yaml", "label: Public brief\nreleasable_only: true\n")
    for relative, text in (SOURCES if sources is None else sources).items():
        write(root, relative, text)
    return root


def run(*args: str) -> Result:
    """Run the command line in-process; exceptions are caught and returned on the result."""
    return CliRunner().invoke(main, list(args))


def build(root: Path, *args: str) -> Result:
    """`briefgen build --project ROOT ...`"""
    return run("build", "--project", str(root), *args)
