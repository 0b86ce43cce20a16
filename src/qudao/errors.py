"""The one family of exceptions the library raises.

The CLI turns every :class:`QudaoError` into a Chinese message and an exit
code in one place (``qudao.cli``); nothing below the command layer prints.
"""

from __future__ import annotations


class QudaoError(Exception):
    """A problem the user can act on. ``exit_code`` follows cli.md."""

    exit_code = 2
    code = "error"

    def __init__(self, message: str, *, code: str | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code


class UsageError(QudaoError):
    """Bad options, unknown kind, a path that does not exist (exit 2)."""

    code = "usage"


class OutputError(QudaoError):
    """An output cannot be written (exists without --force, no permission)."""

    code = "output"


class ConfigError(QudaoError):
    """qudao.toml is invalid; the message names the key."""

    code = "config"


class LockedError(QudaoError):
    """Another rollup holds the lock on the output folder."""

    code = "locked"


class Unreadable(QudaoError):
    """An input cannot be read at all; becomes a ``file.unreadable`` finding."""

    code = "file.unreadable"

    def __init__(self, message: str, *, sheet: str = ""):
        super().__init__(message)
        self.sheet = sheet
