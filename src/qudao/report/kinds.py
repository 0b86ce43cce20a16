"""xlsx sheets and html/md sections for the other kinds' roll-ups."""

from __future__ import annotations

from typing import Any, Callable

from qudao.rollup.summary import Summary


def extra_sheet_writers(summary: Summary) -> list[Callable]:
    return []


def report_sections(summary: Summary) -> list[dict[str, Any]]:
    return []
