"""Assessment periods (考核期间): quarters, half-years and years.

A period is written ``2026Q4`` (a quarter), ``2026H2`` (a half-year) or
``2026`` (a year); :func:`parse_period` also takes what people type in a
sheet (``2026年第四季度``, ``2026 Q4``, ``2026年下半年``, ``2026年度`` …). The
previous period is the one of the same length just before (``2026Q1`` →
``2025Q4``). Pure and cheap: no I/O, no third-party imports.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass

from qudao.normalize import MAX_YEAR, MIN_YEAR, BadValue, fold, to_text

__all__ = ["ReviewPeriod", "parse_period", "periods_ending_in", "periods_containing", "PERIOD_HELP"]

PERIOD_HELP = "考核期间应写成 2026Q4（季度）、2026H2（半年）或 2026（全年）"
LENGTHS = {"Q": 3, "H": 6, "Y": 12}  # months
CN_NUMBERS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}


@dataclass(frozen=True)
class ReviewPeriod:
    """One assessment period: ``kind`` Q (quarter, ``number`` 1–4), H (half, 1–2) or Y (year, 0)."""

    year: int
    kind: str
    number: int = 0

    @property
    def months(self) -> int:
        return LENGTHS[self.kind]

    @property
    def label(self) -> str:
        return f"{self.year}" if self.kind == "Y" else f"{self.year}{self.kind}{self.number}"

    @property
    def title(self) -> str:
        """The Chinese name: 2026年第四季度 / 2026年下半年 / 2026年度."""
        if self.kind == "Q":
            return f"{self.year}年第{'一二三四'[self.number - 1]}季度"
        if self.kind == "H":
            return f"{self.year}年{'上下'[self.number - 1]}半年"
        return f"{self.year}年度"

    @property
    def start(self) -> _dt.date:
        first_month = 1 if self.kind == "Y" else (self.number - 1) * self.months + 1
        return _dt.date(self.year, first_month, 1)

    @property
    def end(self) -> _dt.date:
        last_month = 12 if self.kind == "Y" else self.number * self.months
        if last_month == 12:
            return _dt.date(self.year, 12, 31)
        return _dt.date(self.year, last_month + 1, 1) - _dt.timedelta(days=1)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def __contains__(self, day: _dt.date | None) -> bool:
        return day is not None and self.start <= day <= self.end

    def covers(self, other: "ReviewPeriod") -> bool:
        """This period contains the whole of ``other`` (and is longer)."""
        return self.months > other.months and self.start <= other.start and other.end <= self.end

    def previous(self, steps: int = 1) -> "ReviewPeriod":
        """The period of the same length ``steps`` periods before."""
        if self.kind == "Y":
            return ReviewPeriod(self.year - steps, "Y")
        per_year = 12 // self.months
        index = self.year * per_year + self.number - 1 - steps
        return ReviewPeriod(index // per_year, self.kind, index % per_year + 1)

    def elapsed_days(self, day: _dt.date) -> int:
        """Days of this period up to and including ``day`` (0 before it starts, all after it ends)."""
        if day < self.start:
            return 0
        return (min(day, self.end) - self.start).days + 1

    def __str__(self) -> str:
        return self.label


_QUARTER = re.compile(r"^(\d{4})\s*年?\s*[-_/.]?\s*(?:q\s*([1-4])|第?\s*([一二三四1-4])\s*季度?)$")
_QUARTER_AFTER = re.compile(r"^q\s*([1-4])\s*[-_/.]?\s*(\d{4})\s*年?$")
_HALF = re.compile(r"^(\d{4})\s*年?\s*[-_/.]?\s*(?:h\s*([12])|([上下])\s*半\s*年度?)$")
_YEAR = re.compile(r"^(\d{4})\s*(?:年|年度|全年|年全年)?$")


def parse_period(value: object) -> ReviewPeriod:
    """``2026Q4`` / ``2026H2`` / ``2026`` (and their Chinese spellings) → a period; else :class:`BadValue`
    (its message does not repeat the value: the cell's finding and the option's message add it)."""
    if isinstance(value, bool) or value is None:
        raise BadValue("period.invalid", PERIOD_HELP)
    text = fold(to_text(value)).lower().replace("　", " ").strip()
    year = kind = None
    number = 0
    m = _QUARTER.match(text)
    if m:
        year, kind, number = int(m.group(1)), "Q", CN_NUMBERS[m.group(2) or m.group(3)]
    elif (m := _QUARTER_AFTER.match(text)):
        year, kind, number = int(m.group(2)), "Q", int(m.group(1))
    elif (m := _HALF.match(text)):
        year, kind = int(m.group(1)), "H"
        number = int(m.group(2)) if m.group(2) else (1 if m.group(3) == "上" else 2)
    elif (m := _YEAR.match(text)):
        year, kind = int(m.group(1)), "Y"
    if year is None or kind is None:
        raise BadValue("period.invalid", PERIOD_HELP)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise BadValue("period.invalid", f"考核期间的年份应在 {MIN_YEAR}–{MAX_YEAR} 之间", impossible=True)
    return ReviewPeriod(year, kind, number)


def periods_containing(day: _dt.date) -> list[ReviewPeriod]:
    """The quarter, half-year and year that contain ``day``, shortest first."""
    quarter = (day.month - 1) // 3 + 1
    return [ReviewPeriod(day.year, "Q", quarter), ReviewPeriod(day.year, "H", 1 if day.month <= 6 else 2),
            ReviewPeriod(day.year, "Y")]


def periods_ending_in(start: _dt.date, end: _dt.date) -> list[ReviewPeriod]:
    """Every quarter, half-year and year whose last day falls in ``start``–``end``, shortest first."""
    out = []
    day = start
    while day <= end:
        for period in periods_containing(day):
            if period.end == day:
                out.append(period)
        day += _dt.timedelta(days=1)
    return sorted(out, key=lambda p: (p.end, p.months))
