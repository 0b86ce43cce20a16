"""Working days: Chinese public holidays and make-up workdays (调休).

Years the ``chinese-calendar`` package knows come from it; for later years
(2027 is already being planned) the holidays and make-up days listed in
``qudao.toml`` (``[calendar] holidays / workdays``) are used; a year known to
neither has weekends only. :meth:`WorkCalendar.describe` says which applied,
for the plan's header block.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field

ONE_DAY = _dt.timedelta(days=1)
# chinese-calendar's holiday names → the short names a plan's Gantt shows
HOLIDAY_NAMES = {"New Year's Day": "元旦", "Spring Festival": "春节", "Tomb-sweeping Day": "清明",
                 "Labour Day": "五一", "Dragon Boat Festival": "端午", "National Day": "国庆",
                 "Mid-autumn Festival": "中秋", "Anti-Fascist 70th Day": "纪念日"}


def _package_years() -> tuple[int, int] | None:
    try:
        import chinese_calendar
    except ImportError:  # pragma: no cover - a declared dependency
        return None
    years = sorted({d.year for d in chinese_calendar.holidays})
    return (years[0], years[-1]) if years else None


@dataclass
class WorkCalendar:
    holidays: set[_dt.date] = field(default_factory=set)  # from qudao.toml
    workdays: set[_dt.date] = field(default_factory=set)  # make-up working days from qudao.toml
    package_years: tuple[int, int] | None = None

    @classmethod
    def from_settings(cls, settings) -> "WorkCalendar":
        return cls(set(settings.holidays), set(settings.workdays), _package_years())

    def source(self, year: int) -> str:
        """package | config | weekends"""
        if self.package_years and self.package_years[0] <= year <= self.package_years[1]:
            return "package"
        if any(d.year == year for d in self.holidays | self.workdays):
            return "config"
        return "weekends"

    def is_workday(self, day: _dt.date) -> bool:
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        if self.source(day.year) == "package":
            import chinese_calendar

            return chinese_calendar.is_workday(day)
        return day.weekday() < 5

    def next_workday(self, day: _dt.date) -> _dt.date:
        while not self.is_workday(day):
            day += ONE_DAY
        return day

    def finish(self, start: _dt.date, days: int) -> _dt.date:
        """The working day on which a task of ``days`` working days starting on ``start`` ends."""
        day = self.next_workday(start)
        for _ in range(max(days, 1) - 1):
            day = self.next_workday(day + ONE_DAY)
        return day

    def count(self, start: _dt.date, end: _dt.date) -> int:
        n, day = 0, start
        while day <= end:
            n += self.is_workday(day)
            day += ONE_DAY
        return n

    def special_days(self, first: _dt.date, last: _dt.date) -> tuple[list[_dt.date], list[_dt.date]]:
        """(holidays on weekdays, working days on weekends) in [first, last] — for the sheet's formulas."""
        off, on = [], []
        day = first
        while day <= last:
            work = self.is_workday(day)
            if day.weekday() < 5 and not work:
                off.append(day)
            elif day.weekday() >= 5 and work:
                on.append(day)
            day += ONE_DAY
        return off, on

    def uncovered_years(self, first: _dt.date, last: _dt.date) -> list[int]:
        """Years in [first, last] with no holiday data at all: only weekends are excluded there."""
        return [y for y in range(first.year, last.year + 1) if self.source(y) == "weekends"]

    def holiday_name(self, day: _dt.date) -> str:
        """The short name of the holiday a day off (or a make-up workday) belongs to: 国庆, 春节 …;
        假日 / 调休 when it comes from qudao.toml (no names there)."""
        if self.source(day.year) == "package" and day not in self.holidays | self.workdays:
            import chinese_calendar

            _on, name = chinese_calendar.get_holiday_detail(day)
            if name:
                return HOLIDAY_NAMES.get(name, name)
        return "调休" if self.is_workday(day) else "假日"

    def is_holiday(self, day: _dt.date) -> bool:
        """A day off that is a public holiday (not an ordinary weekend)."""
        if day in self.holidays:
            return True
        if day in self.workdays or self.source(day.year) != "package":
            return False
        import chinese_calendar

        off, name = chinese_calendar.get_holiday_detail(day)
        return bool(off and name)

    def holiday_spans(self, first: _dt.date, last: _dt.date) -> list[tuple[str, _dt.date, _dt.date]]:
        """(name, first day, last day) of every holiday in [first, last], weekend days inside it included."""
        spans: list[tuple[str, _dt.date, _dt.date]] = []
        day = first
        while day <= last:
            if self.is_holiday(day):
                name = self.holiday_name(day)
                if spans and spans[-1][0] == name and spans[-1][2] == day - ONE_DAY:
                    spans[-1] = (name, spans[-1][1], day)
                else:
                    spans.append((name, day, day))
            day += ONE_DAY
        return spans

    def week(self, monday: _dt.date) -> tuple[int, list[_dt.date], list[_dt.date]]:
        """(working days, weekday holidays, weekend make-up workdays) of the week from ``monday``."""
        off, on = self.special_days(monday, monday + 6 * ONE_DAY)
        return self.count(monday, monday + 6 * ONE_DAY), off, on

    def describe(self, first: _dt.date, last: _dt.date) -> str:
        parts = []
        for year in range(first.year, last.year + 1):
            src = self.source(year)
            if src == "package":
                parts.append(f"{year} 年：中国法定节假日及调休（按国务院办公厅公布的安排）")
            elif src == "config":
                parts.append(f"{year} 年：qudao.toml 中列出的节假日及调休")
            else:
                parts.append(f"{year} 年：仅排除周末（没有节假日数据，春节等仍按工作日排期；请在 qudao.toml 的 "
                             "calendar.holidays / calendar.workdays 中补充）")
        return "；".join(parts)
