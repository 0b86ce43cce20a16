"""The header block above a table: ``label：value`` pairs, typed."""

from __future__ import annotations

import datetime as _dt
from typing import Any

from qudao.cells import cell_ref
from qudao.normalize import BadValue, fold, header_key, is_blank, to_text
from qudao.records import Context
from qudao.schema import Field
from qudao.schema.types import ParseContext


def read_block(rows: list[list], upto: int, fields: tuple[Field, ...]) -> dict[str, tuple[Any, int, int]]:
    """``label：value`` pairs in ``rows[:upto]`` → {label: (raw value, row0, col0)}.

    A label is a cell whose text (without spaces, units and colon) is a
    field's label or alias; its value is the text after the colon in the same
    cell, or the next non-empty cell to its right that is not itself a label.
    """
    keymap = {key: f.label for f in fields for key in f.keys}
    out: dict[str, tuple[Any, int, int]] = {}
    for r, row in enumerate(rows[:upto]):
        for c, value in enumerate(row):
            if not isinstance(value, str) or not value.strip():
                continue
            text = fold(value)
            label_part, sep, rest = text.replace("：", ":").partition(":")
            key = header_key(label_part)
            if key not in keymap or keymap[key] in out:
                continue
            label = keymap[key]
            if sep and rest.strip():
                out[label] = (rest.strip(), r, c)
                continue
            for c2 in range(c + 1, len(row)):
                nxt = row[c2]
                if is_blank(nxt):
                    continue
                if isinstance(nxt, str):
                    nkey = header_key(nxt.replace("：", ":").partition(":")[0])
                    if nkey == key:
                        continue  # the label repeated by a merged range
                    if nkey in keymap or nxt.strip().endswith((":", "：")):
                        break  # the next label: this one is empty
                out[label] = (nxt, r, c2)
                break
    return out


def typed_block(raw: dict[str, tuple[Any, int, int]], fields: tuple[Field, ...], ctx: Context, sheet: str,
                year_hint: int | None) -> tuple[dict[str, Any], dict[str, str]]:
    """The block's raw values typed by their fields' types, range included (a header date without a year:
    the latest by the as-of day). A value that does not parse or is out of range is left out (never a string
    where a date belongs) with a ``block.value`` warning naming its cell."""
    values: dict[str, Any] = {}
    cells: dict[str, str] = {}
    parse_ctx = ParseContext(year_hint=year_hint, ref=ctx.as_of)
    for f in fields:
        if f.label not in raw:
            continue
        value, r, c = raw[f.label]
        cells[f.label] = cell_ref(r, c)
        try:
            values[f.label] = f.datatype.parse(value, parse_ctx)
            if f.type == "date" and f.direction == "past":
                values[f.label] = _named_year(values[f.label], f.label, ctx, sheet, cell_ref(r, c), value)
        except BadValue as exc:
            ctx.add("block.value", f"表头「{f.label}」{exc.message}（当前为“{to_text(value)}”）",
                    sheet=sheet, cell=cell_ref(r, c), row=r + 1, column=f.label, value=value)
    return values, cells


def _named_year(day: _dt.date, label: str, ctx: Context, sheet: str, cell: str, raw: Any) -> _dt.date:
    """A header date whose year contradicts the week (or date) in the file name — the same day of the name's
    year lies within a week of it, its own year more than 300 days away — is a slip of the year: the copy is
    dated by its file name (a warning naming the cell), so it is neither taken for an old copy nor left out."""
    named = ctx.name_date
    if named is None or day.year == named.year:
        return day
    try:
        moved = day.replace(year=named.year)
    except ValueError:  # 02-29
        return day
    if abs((moved - named).days) > 7 or abs((day - named).days) < 300:
        return day
    ctx.add("block.wrong_year",
            f"表头「{label}」{day.isoformat()} 的年份与文件名中的日期（{named.isoformat()}）不符，应是笔误："
            f"按文件名计为 {named.isoformat()}；请改正年份", sheet=sheet, cell=cell, column=label, value=raw)
    return named


def block_year(block: dict[str, Any]) -> _dt.date | None:
    for value in block.values():
        if isinstance(value, _dt.date):
            return value
    return None
