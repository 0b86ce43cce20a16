"""Assessment periods: what people type for a quarter, half-year or year, and the calendar of each."""

from __future__ import annotations

import datetime as dt

import pytest

from qudao.normalize import BadValue
from qudao.periods import (
    ReviewPeriod,
    parse_period,
    periods_containing,
    periods_ending_in,
)

D = dt.date


@pytest.mark.parametrize("text, label", [
    ("2026Q4", "2026Q4"), ("2026-Q4", "2026Q4"), ("2026 q4", "2026Q4"), ("Q4 2026", "2026Q4"), ("２０２６Ｑ４", "2026Q4"),
    ("2026年第四季度", "2026Q4"), ("2026年第4季度", "2026Q4"), ("2026年四季度", "2026Q4"), ("2026年Q1", "2026Q1"),
    ("2026H2", "2026H2"), ("2026年下半年", "2026H2"), ("2026上半年", "2026H1"),
    ("2026", "2026"), (2026, "2026"), (2026.0, "2026"), ("2026年", "2026"), ("2026年度", "2026"), ("2026全年", "2026"),
])
def test_spellings(text, label):
    assert parse_period(text).label == label


@pytest.mark.parametrize("text", ["2026Q5", "26Q4", "2026H3", "四季度", "", None, True, "1980Q1", "2026-10"])
def test_not_a_period(text):
    with pytest.raises(BadValue) as exc:
        parse_period(text)
    assert exc.value.code == "period.invalid" and exc.value.message.startswith("考核期间")


def test_calendar():
    q4, h1, year = ReviewPeriod(2026, "Q", 4), ReviewPeriod(2026, "H", 1), ReviewPeriod(2026, "Y")
    assert (q4.start, q4.end, q4.days, q4.title) == (D(2026, 10, 1), D(2026, 12, 31), 92, "2026年第四季度")
    assert (h1.start, h1.end, h1.title) == (D(2026, 1, 1), D(2026, 6, 30), "2026年上半年")
    assert (year.end, year.title, year.label) == (D(2026, 12, 31), "2026年度", "2026")
    assert [ReviewPeriod(2026, "Q", 1).previous().label, h1.previous(2).label, year.previous().label] == [
        "2025Q4", "2025H1", "2025"]
    assert year.covers(q4) and ReviewPeriod(2026, "H", 2).covers(q4) and not h1.covers(q4) and not q4.covers(q4)
    assert [q4.elapsed_days(D(2026, 9, 30)), q4.elapsed_days(D(2026, 11, 15)), q4.elapsed_days(D(2027, 1, 4))] == [
        0, 46, 92]
    assert [p.label for p in periods_containing(D(2026, 11, 15))] == ["2026Q4", "2026H2", "2026"]


def test_periods_ending_in_a_week():
    # 2026-W53 (Mon 12-28 – Sun 01-03) holds the end of 2026Q4, 2026H2 and 2026
    assert [p.label for p in periods_ending_in(D(2026, 12, 28), D(2027, 1, 3))] == ["2026Q4", "2026H2", "2026"]
    assert [p.label for p in periods_ending_in(D(2026, 3, 30), D(2026, 4, 5))] == ["2026Q1"]
    assert periods_ending_in(D(2026, 11, 23), D(2026, 11, 29)) == []
