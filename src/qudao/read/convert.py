"""Raw cell value → typed value, one converter per column or header-block field."""

from __future__ import annotations

import datetime as _dt
from typing import Any, Callable

from qudao.errors import UsageError
from qudao.normalize import (
    BadValue,
    match_enum,
    parse_date,
    parse_int,
    parse_money,
    parse_number,
    parse_percent,
    parse_phone,
    parse_week,
    place_year,
)


def converter(col, year_hint: int | None, ref: _dt.date | None) -> Callable[[Any], Any] | None:
    """The raw → typed function of one column or header-block field (None: text, handled inline).
    Dates come back as ``(date, year_inferred)``; a date written without a year takes it from ``ref``
    (the file's date) by the column's direction (normalize.place_year)."""
    if col.type == "text":
        return None
    if col.type == "phone":
        return lambda v: parse_phone(v)[0]
    if col.type == "date":
        forward = col.direction == "forward"
        hint = year_hint if year_hint is not None else ref.year if ref is not None else None

        def convert(v: Any) -> Any:
            d, inferred = parse_date(v, hint)
            if inferred and ref is not None:
                d = place_year(d, ref, forward)
            return (d, inferred)
        return convert
    if col.type == "int":
        return parse_int
    if col.type == "money":
        wan = col.unit == "万元"
        return lambda v: parse_money(v, wan)
    if col.type == "number":
        return parse_number
    if col.type == "percent":
        return parse_percent
    if col.type in ("enum", "grade"):
        enum, synonyms = col.enum, getattr(col, "synonyms", None)
        return lambda v: match_enum(v, enum, synonyms)
    if col.type == "week":
        return parse_week
    raise ValueError(col.type)  # pragma: no cover - the schema model forbids it


def convert_option(item, raw: str, where: str) -> Any:
    """A value typed on the command line for a column or header-block field (``--set 报送日期=…``,
    ``--start``), converted by the same converter as a cell of it. One that does not convert is a
    UsageError saying whether it is impossible (2026年13月45日) or badly written (明天, 12345)."""
    convert = converter(item, None, None)
    if convert is None:
        return raw.strip()
    try:
        typed = convert(raw)
    except BadValue as bad:
        raise UsageError(bad_option_message(where, raw, bad)) from None
    return typed[0] if item.type == "date" else typed


def bad_option_message(where: str, raw: str, bad: BadValue) -> str:
    if bad.impossible:
        return f"{where}「{raw}」{bad.message}"
    if bad.code == "value.enum":
        return f"{where}「{raw}」不是可选的值：{bad.message}"
    return f"{where}「{raw}」格式不对：{bad.message}"


def blank(value: Any) -> bool:
    return value == "" or value is None or (value.__class__ is str and not value.strip()) or (
        value.__class__ is float and value != value)


def range_text(col) -> str:
    if col.min is not None and col.max is not None:
        return f"在 {_num(col.min)}–{_num(col.max)} 之间"
    if col.min is not None:
        return f"大于 {_num(col.min)}" if col.min_exclusive else f"不小于 {_num(col.min)}"
    return f"不大于 {_num(col.max)}"


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)
