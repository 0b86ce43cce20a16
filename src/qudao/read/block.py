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
        except BadValue as exc:
            ctx.add("block.value", f"表头「{f.label}」{exc.message}（当前为“{to_text(value)}”）",
                    sheet=sheet, cell=cell_ref(r, c), row=r + 1, column=f.label, value=value)
    return values, cells


def block_year(block: dict[str, Any]) -> _dt.date | None:
    for value in block.values():
        if isinstance(value, _dt.date):
            return value
    return None
