"""One table of a sheet → typed rows.

:func:`parse_table` reads the header block above a table, maps columns
(canonical header, aliases, units, any order, extra columns), skips blank
and total rows and converts every cell with a per-column converter, so
that each row carries typed values and remembers its sheet row.

Findings are produced here only for what reading itself discovers (types,
required values, ranges, hidden rows, uncached formulas, header problems)
and for the cross-field checks the schema declares (date order, future
dates, required-when); the kinds' own rules run afterwards in
:mod:`qudao.check`.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any

from qudao.cells import cell_ref, col_letter
from qudao.normalize import BadValue, fold, header_key, header_unit, is_blank, parse_money, to_text
from qudao.read.block import block_year, read_block, typed_block
from qudao.read.convert import blank as _blank
from qudao.read.grid import Grid
from qudao.records import Context, ParsedTable, Row
from qudao.safe import MAX_CELL_CHARS
from qudao.schema import Field, Table
from qudao.schema.types import ParseContext

_NONE: dict = {}  # the extras of a row in a table without extra columns: one shared (never written) dict
_TOTAL = re.compile(r"^(?:本周|本月|本页|本表|本期|累计|全部)?(?:合计|小计|总计|共计)")
_MISS = object()



DATA, TOTAL, NOTE = 0, 1, 2
_NOTE = re.compile(r"^[^\d:]{1,10}:")


def row_role(row: list) -> int:
    """By the row's first value: TOTAL (合计/小计/总计 …, skipped and counted), NOTE (a
    ``label：`` text — 填表人：王芳, 审核人：, 备注：本表每周五报送 — not a row at all) or DATA."""
    for value in row:
        if is_blank(value):
            continue
        if isinstance(value, str):
            if _TOTAL.match(header_key(value)):
                return TOTAL
            if _NOTE.match(fold(value)):  # NFKC folds ：to :
                return NOTE
        return DATA
    return DATA


def note_rows(rows: list[list], header_index: int, limit: int = 20) -> list[int]:
    """The note and signature lines at the bottom of a table (below its last data row)."""
    out: list[int] = []
    seen = 0
    for r in range(len(rows) - 1, header_index, -1):
        role = row_role(rows[r])
        if role == DATA and all(is_blank(v) for v in rows[r]):
            continue
        seen += 1
        if role == DATA or seen > limit:
            break
        if role == NOTE:
            out.append(r)
    return sorted(out)


def header_rows(grid: Grid, index: int, table: Table) -> tuple[int, int, list]:
    """A header written over two rows → (first header row, last header row, the header cells).

    Two layouts are common. Group titles above sub-headers (跟进情况 over
    到访日期/成交日期) with the other headers merged down over both rows: the
    vertical merges make a band of header rows, each column's header is the
    lowest text in the band, and the header block stops above the band.
    Without merges, a row right below the matched one that holds only
    sub-headers of this table is laid over it. Data starts after the last.
    """
    rows = grid.rows
    top = bottom = index
    for r1, _c1, r2, _c2 in grid.merged:
        if r1 <= index <= r2 and r1 < r2 and r2 - r1 <= 3:
            top, bottom = min(top, r1), max(bottom, r2)
    band = rows[top:bottom + 1]
    width = max((len(r) for r in band), default=0)
    header: list = []
    for c in range(width):
        cells = [r[c] for r in band if c < len(r) and not is_blank(r[c])]
        header.append(cells[-1] if cells else "")
    below = rows[bottom + 1] if bottom + 1 < len(rows) else []
    keymap = table.key_map()
    new = 0
    for c, value in enumerate(below):
        if is_blank(value):
            continue
        key = header_key(value) if isinstance(value, str) else None
        if key not in keymap and not (c < len(header) and value == header[c]):
            return top, bottom, header  # a data row (or anything else): the header ends here
        if key in keymap and not (c < len(header) and keymap.get(header_key(header[c])) == keymap[key]):
            new += 1
    if not new:
        return top, bottom, header
    header += [""] * (len(below) - len(header))
    for c, value in enumerate(below):
        if isinstance(value, str) and header_key(value) in keymap:
            header[c] = value
    return top, bottom + 1, header


def map_header(header: list, table: Table) -> tuple[dict[str, list[int]], list[tuple[str, int]]]:
    keymap = table.key_map()
    mapped: dict[str, list[int]] = {}
    extras: list[tuple[str, int]] = []
    for c, value in enumerate(header):
        if is_blank(value):
            continue
        canon = keymap.get(header_key(value))
        if canon is None:
            extras.append((to_text(value), c))
        else:
            mapped.setdefault(canon, []).append(c)
    return mapped, extras


def parse_table(grid: Grid, header_index: int, table: Table, ctx: Context,
                block_fields: tuple[Field, ...] | None = None) -> ParsedTable:
    """Read one table: its header block, header row and typed rows."""
    rows = grid.rows
    sheet = grid.name
    fields = table.block if block_fields is None else block_fields
    top, header_index, header = header_rows(grid, header_index, table)
    raw_block = read_block(rows, top, fields) if fields else {}
    notes = note_rows(rows, header_index) if fields else []
    if notes:  # 报送日期：… in the signature lines fills what the block above lacks
        only = set(notes)
        below = read_block([rows[r] if r in only else [] for r in range(notes[-1] + 1)], notes[-1] + 1, fields)
        raw_block.update({k: v for k, v in below.items() if k not in raw_block})
    pre_hint = None
    for label, (value, _r, _c) in raw_block.items():
        f = next(x for x in fields if x.label == label)
        if f.datatype.dated:
            try:
                pre_hint = f.datatype.convert(value)
                break
            except BadValue:
                pass
    block, block_cells = typed_block(raw_block, fields, ctx, sheet, pre_hint.year if pre_hint else None)
    report_date = block_year({k: v for k, v in block.items()
                              if next(f for f in fields if f.label == k).datatype.dated})
    if report_date is not None and ctx.report_date is None:
        ctx.report_date = report_date
    ref = ctx.ref_date

    mapped, extras = map_header(header, table)
    for canon, cols in mapped.items():
        if len(cols) > 1:
            letters = "、".join(f"{col_letter(c)}列" for c in cols)
            ctx.add("header.duplicate",
                    f"有 {len(cols)} 列都表示「{canon}」（{letters}）；每行取第一个非空的值，请删掉多余的列",
                    sheet=sheet, cell=cell_ref(header_index, cols[1]), row=header_index + 1, column=canon,
                    value=header[cols[1]])
    columns = {canon: cols[0] for canon, cols in mapped.items()}
    missing = tuple(c.header for c in table.required if c.header not in columns)
    for name in missing:
        col = table.column(name)
        also = f"（也可写作：{'、'.join(col.aliases)}）" if col.aliases else ""
        ctx.add("header.missing", f"缺少必需的列「{name}」{also}；没有这一列，本表的数据行都无法接收",
                sheet=sheet, row=header_index + 1, column=name)

    parsed = ParsedTable(table.sheet, sheet, header_index + 1, columns, extras, block, block_cells, missing=missing)
    for canon, c in columns.items():  # 成交总价(元) in a 万元 column: the unit written in the header wins
        if table.column(canon).type == "money" and header_unit(header[c]):
            parsed.units[canon] = header_unit(header[c])
    _parse_rows(grid, header_index, table, mapped, extras, parsed, ctx, ref, required_missing=bool(missing))
    return parsed


def _parse_rows(grid: Grid, header_index: int, table: Table, mapped: dict[str, list[int]],
                extras: list[tuple[str, int]], parsed: ParsedTable, ctx: Context, ref: _dt.date,
                required_missing: bool) -> None:
    """The hot loop: classify rows (blank / total / data) and convert every mapped cell.

    Conversions are memoised per column (dates, enums, numbers repeat a lot) and text
    columns are handled inline; findings are built only when something is wrong.
    """
    rows = grid.rows
    sheet = grid.name
    parse_ctx = ParseContext(year_hint=ref.year, ref=ref)
    plan = []
    for col in table.columns:
        cols = mapped.get(col.header)
        if not cols:
            continue
        datatype = col.datatype  # a live formula's value is ours, from checked cells: never range-checked
        conv = datatype.reader(parse_ctx)
        written = parsed.units.get(col.header)
        if written and written != col.unit:
            conv = _in_unit(written, col.unit)
        plan.append((col.header, cols[0], tuple(cols[1:]), conv, {}, col.required,
                     datatype.dated, None if col.formula else datatype.in_range, col))
    seq_cols = {c for col_header, cols in mapped.items() if table.column(col_header).seq for c in cols}
    labelled = {c for cols in mapped.values() for c in cols} | {c for _, c in extras}
    hidden_rows = grid.hidden_rows
    no_cache = grid.no_cache
    merge_filled = grid.merge_filled
    cross = [col for col in table.columns
             if col.required_when or ((col.not_before or col.future_check) and col.header in mapped)]
    add = ctx.add
    out = parsed.rows

    header_width = max(labelled, default=-1) + 1
    content_cols = sorted(labelled - seq_cols)
    gaps = [c for c in range(header_width) if c not in labelled]
    for r in range(header_index + 1, len(rows)):
        row = rows[r]
        width = len(row)
        filled_count = width - row.count("")  # calamine and csv give "" for empty cells
        if filled_count <= 2:  # the precise test only where it can matter (None, NaN, "  ")
            filled_count = sum(1 for v in row if v is not None and (v.strip() if v.__class__ is str else v == v))
        if not filled_count:
            continue
        role = row_role(row)
        if role:
            if role == TOTAL:
                parsed.rows_skipped += 1
            continue
        stray = [c for c in gaps if c < width and not _blank(row[c])] if gaps else []
        if width > header_width:
            stray += [c for c in range(header_width, width) if not _blank(row[c])]
        for c in stray:
            add("value.unlabeled",
                f"单元格 {cell_ref(r, c)} 有内容“{to_text(row[c])[:30]}”，但它不在表格任何一列之下，已忽略",
                sheet=sheet, cell=cell_ref(r, c), row=r + 1, value=row[c])
        spans = merge_filled.get(r) if merge_filled else None  # cells holding a copy of a merged value
        if spans or filled_count <= len(stray) + len(seq_cols):  # maybe nothing but 序号, stray cells or copies
            if not any(not _blank(row[c]) for c in content_cols
                       if c < width and not (spans and any(a <= c <= b for a, b in spans))):
                continue  # a blank row (跟进人 merged down past the last customer makes no rows either)
        values: dict[str, Any] = {}
        bad: list[str] = []
        errors = False
        for header, c, alternatives, conv, cache, required, is_date, in_range, col in plan:
            value = row[c] if c < width else ""
            if alternatives and _blank(value):
                for c2 in alternatives:
                    if c2 < width and not _blank(row[c2]):
                        c, value = c2, row[c2]
                        break
            if no_cache and (r, c) in no_cache and not col.formula:  # our own live formulas are expected
                add("formula.no_cache", f"「{header}」是公式但没有计算结果（文件未在 Excel 中打开保存过），按空值处理",
                    sheet=sheet, cell=cell_ref(r, c), row=r + 1, column=header)
            if (not value.strip()) if value.__class__ is str else (value is None or value != value):
                if required:
                    add("value.required", f"「{header}」必填，不能为空", sheet=sheet, cell=cell_ref(r, c),
                        row=r + 1, column=header, value=value)
                    errors = True
                continue
            if conv is None:  # text
                text = value.strip() if value.__class__ is str else to_text(value)
                if len(text) > MAX_CELL_CHARS:
                    add("value.truncated", f"「{header}」有 {len(text):,} 个字符，超过 Excel 单元格的上限 "
                        f"{MAX_CELL_CHARS:,}，报告中只保留前 {MAX_CELL_CHARS:,} 个", sheet=sheet, cell=cell_ref(r, c),
                        row=r + 1, column=header, value=text[:40] + "…")
                    text = text[:MAX_CELL_CHARS]
                values[header] = text
                continue
            typed = cache.get(value, _MISS)
            if typed is _MISS:
                try:
                    typed = conv(value)
                except BadValue as exc:
                    typed = exc.with_traceback(None)  # no frame cycle kept alive by the cache
                cache[value] = typed
            if typed.__class__ is BadValue:
                bad.append(header)
                message = typed.message if col.datatype.names_itself else f"「{header}」{typed.message}"
                add(typed.code, f"{message}（当前为“{to_text(value)[:40]}”）", sheet=sheet, cell=cell_ref(r, c),
                    row=r + 1, column=header, value=value)
                errors = True
                continue
            if is_date:
                typed, inferred = typed
                if inferred:
                    add("date.year_inferred", f"「{header}」没有写年份，按 {typed.year} 年处理（{typed.isoformat()}）",
                        sheet=sheet, cell=cell_ref(r, c), row=r + 1, column=header, value=value)
            if in_range is not None and not in_range(typed):
                add("value.range", f"「{header}」{col.datatype.range_problem(typed)}（当前为 {to_text(value)}）",
                    sheet=sheet, cell=cell_ref(r, c), row=r + 1, column=header, value=value)
                errors = True
                bad.append(header)
                continue
            values[header] = typed
        extra_values = {name: row[c] for name, c in extras if c < width and not _blank(row[c])} if extras else _NONE
        item = Row(r + 1, values, tuple(bad), extra_values, hidden=r in hidden_rows)
        if item.hidden:
            add("row.hidden", "该行在表格中被隐藏，已照常读取，请确认是否有效", sheet=sheet, row=r + 1)
        if cross:
            errors |= _cross_checks(cross, parsed, item, ctx, ref)
        item.rejected = errors or required_missing
        out.append(item)


def _in_unit(written: str, unit: str):
    """An amount of a column whose header writes another unit than the column's (成交总价(元) read into a 万元
    column), converted into the column's unit; a unit written in the cell still wins."""
    if written == "元":
        return lambda v: round(parse_money(v, False) / 10000, 6)
    return lambda v: round(parse_money(v, True) * 10000, 6)


def _cross_checks(columns: list, parsed: ParsedTable, row: Row, ctx: Context, ref: _dt.date) -> bool:
    """Declarative cross-field checks: date order, future dates, required-when."""
    bad = False
    values = row.values
    for col in columns:
        value = values.get(col.header)
        if col.not_before and value is not None:
            other = values.get(col.not_before)
            if other is not None and value < other:
                ctx.add("date.order", f"「{col.header}」（{value.isoformat()}）早于「{col.not_before}」（{other.isoformat()}）",
                        sheet=parsed.sheet, cell=parsed.cell(col.header, row.number), row=row.number,
                        column=col.header, value=value)
                bad = True
        if col.future_check and value is not None and value > ref:
            basis = ctx.ref_basis
            ctx.add("date.future", f"「{col.header}」（{value.isoformat()}）晚于{basis}（{ref.isoformat()}），请核对",
                    sheet=parsed.sheet, cell=parsed.cell(col.header, row.number), row=row.number,
                    column=col.header, value=value)
            bad = True
        if col.required_when and value is None:
            other, wanted = col.required_when
            ov = values.get(other)
            if ov is not None and (not wanted or ov in wanted):
                cond = f"「{other}」为“{ov}”" if wanted else f"填了「{other}」"
                ctx.add("value.required", f"{cond}时「{col.header}」必填",
                        sheet=parsed.sheet, cell=parsed.cell(col.header, row.number),
                        row=row.number, column=col.header)
                bad = True
    return bad
