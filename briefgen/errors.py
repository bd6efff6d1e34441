"""Errors a user can cause and fix: reported as one line each, never as a traceback."""

from __future__ import annotations


class BriefgenError(Exception):
    """A user error: bad configuration, a missing file, an unknown name.

    `lines` holds one message per problem, each already naming the file,
    line and field where it can; the CLI prints them and exits with `exit_code`.
    """

    exit_code = 1

    def __init__(self, *lines: str) -> None:
        super().__init__("\n".join(lines))
        self.lines = list(lines)


class ConfigError(BriefgenError):
    """Configuration or template that cannot be used as written."""

    exit_code = 2
