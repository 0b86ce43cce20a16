"""Plain lines on stdout for the commands that print long lists (statement, todo)."""

from __future__ import annotations

import os
import sys
from typing import Iterable

import typer


def echo_lines(lines: Iterable[str]) -> None:
    """Print ``lines``; a reader that stops early (``| head``) ends the output quietly, not with an error."""
    try:
        for line in lines:
            typer.echo(line)
        sys.stdout.flush()
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # Python's own flush at exit would fail again
        raise typer.Exit(0) from None
