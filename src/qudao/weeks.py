"""ISO weeks (``2026-W48``), with a configurable first day of the week."""

from __future__ import annotations

import datetime as _dt
import re

from qudao.errors import UsageError
from qudao.normalize import BadValue
from qudao.normalize import parse_week as _parse


def iso_label(day: _dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def week_start(day: _dt.date, start: int = 1) -> _dt.date:
    """The first day of the week holding ``day`` (start: 1 = Monday … 7 = Sunday)."""
    return day - _dt.timedelta(days=(day.isoweekday() - start) % 7)


def week_label(day: _dt.date, start: int = 1) -> str:
    """The label of ``day``'s week: the ISO week that holds most of its days."""
    return iso_label(week_start(day, start) + _dt.timedelta(days=3))


def parse_week(text: str) -> tuple[int, int]:
    """A week label → (year, week) by the one week rule (normalize.parse_week: the spellings a cell takes,
    years 1990–2100, the week must exist); anything else is a UsageError."""
    try:
        label = _parse(text)
    except BadValue as bad:
        raise UsageError(f"周次「{text.strip()}」{bad.message}") from None
    return int(label[:4]), int(label[6:])


def week_range(label: str, start: int = 1) -> tuple[_dt.date, _dt.date]:
    """First and last day of a labelled week (the week whose day 4 is in that ISO week)."""
    year, week = parse_week(label)
    monday = _dt.date.fromisocalendar(year, week, 1)
    for offset in range(7):
        first = monday - _dt.timedelta(days=3) + _dt.timedelta(days=offset)
        if first.isoweekday() == start:
            return first, first + _dt.timedelta(days=6)
    raise AssertionError(start)  # pragma: no cover


def resolve(spec: str, as_of: _dt.date, start: int = 1) -> str:
    """``last`` / ``this`` / ``2026-W48`` → a week label, relative to ``as_of``."""
    spec = spec.strip().lower()
    if spec == "this":
        return week_label(as_of, start)
    if spec == "last":
        return week_label(as_of - _dt.timedelta(days=7), start)
    year, week = parse_week(spec)
    return f"{year}-W{week:02d}"


def previous(label: str, start: int = 1) -> str:
    first, _ = week_range(label, start)
    return week_label(first - _dt.timedelta(days=7), start)


_LABEL = re.compile(r"^(\d{4})-W(\d{2})$")


def display(label: str, short: bool = False) -> str:
    """A week as people say it: ``2026-W48`` → 「2026年第48周」 (``short``: 「第48周」). File names and JSON keep
    the ISO label; anything that is not a week label is returned as it is."""
    m = _LABEL.match(str(label).strip())
    if not m:
        return str(label)
    return f"第{int(m[2])}周" if short else f"{m[1]}年第{int(m[2])}周"
