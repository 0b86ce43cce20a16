"""The inbox over time (docs/time.md): series, copy dates, current copies, as-of.

A *series* is one document sent again and again (a channel's register, a
branch's feedback …); its key is declared per kind in the schema
(``Kind.series``). Of the copies read on a day D, those dated after D are
left out (received later); of the rest, the latest copy of each series is
current and the others are superseded: their findings are history.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from qudao.normalize import BadValue, parse_week
from qudao.records import FileReport
from qudao.schema import get_kind

# A week or a date written in a file name: 2026W47, 2026-W47, 2026年第47周; 2026-11-14, 20261114.
_WEEK_TAG = re.compile(r"(?<!\d)(\d{4})\s*[-_年]?\s*(?:W|w|第)\s*(\d{1,2})(?:\s*周)?(?!\d)")
_DATE_TAG = re.compile(r"(?<!\d)(\d{4})[-_.年]?(\d{1,2})[-_.月]?(\d{1,2})日?(?!\d)")
_TAG_SEPARATORS = " -_—–·.()（）[]【】"


def week_tag(name: str) -> tuple[int, int] | None:
    """(year, ISO week) written in a file name, if any."""
    m = _WEEK_TAG.search(name)
    if not m:
        return None
    try:  # the week rule of cells and --week: 1990–2100, and the week must exist (2025W53 does not)
        label = parse_week(f"{m[1]}-W{m[2]}")
    except BadValue:
        return None
    return int(label[:4]), int(label[6:])


REPORT_WEEKDAY = 5  # weekly copies are sent on Fridays: a week tag stands for its Friday


def tag_date(name: str) -> _dt.date | None:
    """The date a file name stands for: the Friday of its ISO week tag, else a written date."""
    tag = week_tag(name)
    if tag is not None:
        return _dt.date.fromisocalendar(tag[0], tag[1], REPORT_WEEKDAY)
    m = _DATE_TAG.search(name)
    if m:
        try:
            return _dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
    return None


def untagged_stem(path: str) -> str:
    """``拉萨分所/绵阳分所-汇总登记-2026W47.xlsx`` → ``拉萨分所/绵阳分所-汇总登记``: folder and name
    without the week or date tag and the extension (the series of a file that names no series)."""
    p = PurePosixPath(path)
    stem = _WEEK_TAG.sub("", p.stem)
    stem = _DATE_TAG.sub("", stem).strip(_TAG_SEPARATORS) or p.stem
    parent = p.parent.name
    return f"{parent}/{stem}" if parent else stem


def copy_date(report: FileReport) -> _dt.date | None:
    """A copy's date: the header-block date its kind declares (报送日期, 填报日期 …), the last day of a
    feedback's 周次, else the date its file name stands for; None when it has no date at all."""
    if report.kind:
        kind = get_kind(report.kind)
        for label in kind.dated_by:
            value = report.block.get(label)
            if isinstance(value, _dt.date):
                return value
        week = report.block.get("周次")
        if isinstance(week, str) and "-W" in week:
            year, number = week.split("-W")
            try:
                return _dt.date.fromisocalendar(int(year), int(number), REPORT_WEEKDAY)
            except ValueError:
                pass
    return tag_date(PurePosixPath(report.path).name)


def series_key(report: FileReport, canonical=None) -> str:
    """``kind|value|…`` from the kind's declared header-block labels (a channel name through
    ``canonical``), else ``kind|folder/name without its tag``."""
    kind = get_kind(report.kind) if report.kind else None
    parts: list[str] = []
    if kind is not None and kind.series:
        for label in kind.series:
            value = report.block.get(label)
            if label in ("所属分所", "分所") and not value:
                value = report.folder
            if not isinstance(value, str) or not value.strip():
                parts = []
                break
            value = value.strip()
            parts.append(canonical(value) if canonical and label == "渠道名称" else value)
    if not parts:
        parts = [untagged_stem(report.path)]
    return "|".join([report.kind or "?", *parts])


@dataclass
class Timeline:
    """What one as-of day sees of the reports read: which copies count, which are current."""

    as_of: _dt.date
    dates: dict[str, _dt.date | None] = field(default_factory=dict)  # path → copy date
    series: dict[str, str] = field(default_factory=dict)  # path → series key
    later: set[str] = field(default_factory=set)  # received after as_of: left out
    superseded_by: dict[str, str] = field(default_factory=dict)  # path → the current copy's path

    def counts(self, report: FileReport) -> bool:
        """The report was received by the as-of day (its rows and figures count)."""
        return report.path not in self.later

    def current(self, report: FileReport) -> bool:
        """Its findings count: received by the as-of day and the latest copy of its series."""
        return report.path not in self.later and report.path not in self.superseded_by


def timeline(reports: list[FileReport], as_of: _dt.date, canonical=None) -> Timeline:
    """Place every report on the as-of day: left out when dated after it; else superseded by the
    latest copy of its series (copy date, then the week in its file name, then file order)."""
    tl = Timeline(as_of)
    latest: dict[str, tuple[tuple, FileReport]] = {}
    for report in reports:
        day = copy_date(report)
        tl.dates[report.path] = day
        if day is not None and day > as_of:
            tl.later.add(report.path)
            continue
        if report.kind is None or report.unreadable:
            continue  # an unreadable file belongs to no series: its finding always counts
        key = series_key(report, canonical)
        tl.series[report.path] = key
        tag = week_tag(PurePosixPath(report.path).name) or (0, 0)
        rank = (day or _dt.date.min, tag, report.order)
        best = latest.get(key)
        if best is None or rank > best[0]:
            latest[key] = (rank, report)
    for path, key in tl.series.items():
        winner = latest[key][1].path
        if winner != path:
            tl.superseded_by[path] = winner
    return tl


def apply(tl: Timeline, reports: list[FileReport]) -> None:
    """Record the timeline on the reports (the as-of day of the output: JSON, totals, exit code)."""
    for report in reports:
        report.copy_date = tl.dates.get(report.path)
        report.series = tl.series.get(report.path, "")
        report.superseded_by = tl.superseded_by.get(report.path)
        report.received_later = report.path in tl.later
