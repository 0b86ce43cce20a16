"""Plain lines on stdout for the commands that print long lists (statement, todo)."""

from __future__ import annotations

from typing import Iterable

import typer

from qudao.commands._common import plain


def echo_lines(lines: Iterable[str]) -> None:
    """Print ``lines``, terminal-safe (a cell's escape sequence never reaches the terminal). A reader that
    stops early (``| head``) ends the command quietly with 141, as everywhere (``_common``)."""
    for line in lines:
        typer.echo(plain(line))
