"""Appending rows to a workbook of a known kind, keeping everything it has.

Used by ``qudao fill`` (new workbook or an existing one), the carry-over of
feedback/plan/handoff items and the demo inbox. Rows are written after the
sheet's last data row, in the sheet's own column order (it may differ from
the schema's); formula columns (工期(天), 小计(元), 加权得分 …) are extended,
the style of the template rows is copied, 序号 continues, and conditional
formatting ranges (the plan's Gantt) grow to cover the new rows.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from qudao.normalize import header_key, is_blank
from qudao.schema.model import Table
from qudao.write.workbook import (
    BODY_FONT,
    BORDER,
    formula_for,
    set_value,
)


def locate_header(ws: Worksheet, table: Table, scan: int = 60) -> tuple[int, dict[str, int]]:
    """(header row, canonical header → column index 1-based) of a table on a sheet."""
    keymap = table.key_map()
    best = (0, {})
    for r in range(1, min(ws.max_row, scan) + 1):
        found: dict[str, int] = {}
        for c in range(1, min(ws.max_column, 200) + 1):
            value = ws.cell(row=r, column=c).value
            if isinstance(value, str):
                canon = keymap.get(header_key(value))
                if canon and canon not in found:
                    found[canon] = c
        if len(found) > len(best[1]):
            best = (r, found)
    return best


def live_total_row(ws: Worksheet, header_row: int, columns: dict[str, int]) -> int | None:
    """The row of a live total (合计 … with ``=SUM(`` of the rows above it, as in the event's 物料清单)."""
    from qudao.read.table import TOTAL, row_role

    cols = sorted(columns.values())
    for r in range(header_row + 1, ws.max_row + 1):
        values = [ws.cell(row=r, column=c).value for c in cols]
        if row_role(values) == TOTAL and any(isinstance(v, str) and v.upper().startswith("=SUM(") for v in values):
            return r
    return None


def last_data_row(ws: Worksheet, header_row: int, table: Table, columns: dict[str, int],
                  skip: int | None = None) -> int:
    """The last row holding a value in a column that is neither 序号 nor a formula (``skip``: a live total)."""
    plain = [c for h, c in columns.items() if not table.column(h).seq and not table.column(h).formula]
    last = header_row
    for r in range(header_row + 1, ws.max_row + 1):
        if r == skip:
            continue
        for c in plain:
            value = ws.cell(row=r, column=c).value
            if not is_blank(value) and not (isinstance(value, str) and value.startswith("=")):
                last = r
                break
    return last


def append_rows(ws: Worksheet, table: Table, rows: list[dict[str, Any]]) -> list[int]:
    """Write ``rows`` (canonical header → typed value) after the last data row; return their row numbers."""
    header_row, columns = locate_header(ws, table)
    if not header_row:
        raise ValueError(f"no header row for {table.sheet}")
    letters = {h: get_column_letter(c) for h, c in columns.items()}
    total = live_total_row(ws, header_row, columns)
    last = last_data_row(ws, header_row, table, columns, skip=total)
    if total is not None and last < total <= last + len(rows):
        _move_total(ws, total, last + len(rows) + 1)  # the new rows reach it: it moves below them
    seq = next((h for h in columns if table.column(h).seq), None)
    number = 0
    if seq:
        for r in range(last, header_row, -1):
            value = ws.cell(row=r, column=columns[seq]).value
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                number = int(value)
                break
        else:
            number = last - header_row
    template = header_row + 1
    written = []
    for offset, values in enumerate(rows, start=1):
        r = last + offset
        for header, c in columns.items():
            col = table.column(header)
            cell = ws.cell(row=r, column=c)
            source = ws.cell(row=template, column=c)
            if r != template and source.has_style:
                cell._style = copy.copy(source._style)
            elif not cell.has_style:
                cell.border, cell.font = BORDER, BODY_FONT
                cell.number_format = col.datatype.number_format
            if col.formula:
                cell.value = formula_for(col, table, header_row, r, letters)
            elif col.seq:
                number += 1
                cell.value = number
            elif values.get(header) is not None:
                set_value(cell, values[header])
        written.append(r)
    if written:
        _grow_conditional_formats(ws, header_row + 1, written[-1])
    return written


_RANGE = re.compile(r"(\$?[A-Z]{1,3}\$?\d+:\$?[A-Z]{1,3}\$?)(\d+)")


def _move_total(ws: Worksheet, row: int, to: int) -> None:
    """Move a live total row down to ``to``; ranges ending just above it end just above ``to``."""
    for c in range(1, ws.max_column + 1):
        src, dst = ws.cell(row=row, column=c), ws.cell(row=to, column=c)
        value = src.value
        formula = src.data_type == "f"
        if formula and isinstance(value, str):
            value = _RANGE.sub(lambda m: m.group(1) + (str(to - 1) if int(m.group(2)) == row - 1 else m.group(2)),
                               value)
        dst.value = value
        if not formula and isinstance(value, str) and value.startswith("="):
            dst.data_type = "s"  # text that looks like a formula (=HYPERLINK(…) typed as text) stays text
        if src.has_style:
            dst._style = copy.copy(src._style)
        src.value = None


def _grow_conditional_formats(ws: Worksheet, first: int, last: int) -> None:
    """Conditional formats that start at the first data row are extended down to ``last``."""
    from openpyxl.formatting.formatting import ConditionalFormattingList

    old = ws.conditional_formatting
    grown = ConditionalFormattingList()
    for cf in old:
        ranges = []
        for rng in cf.sqref.ranges:
            if rng.min_row == first and rng.max_row < last:
                rng = copy.copy(rng)
                rng.expand(down=last - rng.max_row)
            ranges.append(rng.coord)
        for rule in cf.rules:
            grown.add(" ".join(ranges), rule)
    ws.conditional_formatting = grown
