"""From a grid of raw cells to a kind's typed rows.

* :func:`recognise` finds which kind a workbook is (the ``_qudao`` sheet
  first, else by matching header rows against every kind's columns) and
  where each of its tables sits.
* :func:`parse_table` reads the header block above a table, maps columns
  (canonical header, aliases, units, any order, extra columns), skips blank
  and total rows and converts every cell with a per-column converter, so
  that each row carries typed values and remembers its sheet row.

Findings are produced here only for what reading itself discovers (types,
required values, ranges, hidden rows, uncached formulas, header problems);
cross-field rules run afterwards in :mod:`qudao.check`.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from typing import Any, Callable

from qudao.check.findings import Finding, make
from qudao.errors import Unreadable
from qudao.io.source import Grid, Source, cell_ref, col_letter
from qudao.normalize import (
    BadValue,
    fold,
    header_key,
    is_blank,
    match_enum,
    parse_date,
    parse_int,
    parse_money,
    parse_number,
    parse_percent,
    parse_phone,
    to_text,
)
from qudao.schema import Field, Kind, Table, all_kinds, get_kind

HEADER_SCAN_ROWS = 60
META_SHEET = "_qudao"
LISTS_SHEET = "_lists"
HELP_SHEET = "填写说明"
GENERIC_KEYS = frozenset({"序号", "备注"})
_TOTAL = re.compile(r"^(?:本周|本月|本页|本表|本期|累计|全部)?(?:合计|小计|总计|共计)")


# --------------------------------------------------------------------------- model


class Row:
    """One data row: typed values by canonical header (empty cells absent), extra columns,
    and the headers whose value could not be read (``bad``)."""

    __slots__ = ("number", "values", "bad", "extras", "rejected", "hidden")

    def __init__(self, number: int, values: dict, bad: tuple, extras: dict, hidden: bool = False):
        self.number = number  # sheet row, 1-based
        self.values = values
        self.bad = bad
        self.extras = extras
        self.rejected = False
        self.hidden = hidden

    def __reduce__(self):  # compact and fast to send between processes
        return (_row, (self.number, self.values, self.bad, self.extras, self.rejected, self.hidden))

    def get(self, header: str, default: Any = None) -> Any:
        value = self.values.get(header)
        return default if value is None else value

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"Row({self.number}, {self.values!r}{', rejected' if self.rejected else ''})"


def _row(number: int, values: dict, bad: tuple, extras: dict, rejected: bool, hidden: bool) -> Row:
    row = Row(number, values, bad, extras, hidden)
    row.rejected = rejected
    return row


@dataclass
class ParsedTable:
    schema_sheet: str
    sheet: str
    header_row: int  # 1-based; 0 when no header row was found
    columns: dict[str, int]  # canonical header → 0-based column
    extra_columns: list[tuple[str, int]] = field(default_factory=list)
    block: dict[str, Any] = field(default_factory=dict)
    block_cells: dict[str, str] = field(default_factory=dict)
    rows: list[Row] = field(default_factory=list)
    rows_skipped: int = 0
    missing: tuple[str, ...] = ()  # required headers that are absent

    def cell(self, header: str, row_number: int) -> str:
        col = self.columns.get(header)
        return f"{col_letter(col)}{row_number}" if col is not None else ""

    @property
    def accepted(self) -> list[Row]:
        return [r for r in self.rows if not r.rejected]


@dataclass
class Context:
    """What checking needs to know besides the file itself."""

    file: str
    as_of: _dt.date
    kind: Kind | None = None
    report_date: _dt.date | None = None  # the header block's date, when there is one
    findings: list[Finding] = field(default_factory=list)
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def ref_date(self) -> _dt.date:
        return self.report_date or self.as_of

    @property
    def settings(self):
        from qudao.config import Settings

        return self.options.get("settings") or Settings()

    def add(self, code: str, message: str, **where: Any) -> Finding:
        f = make(code, message, file=self.file, **where)
        self.findings.append(f)
        return f


# --------------------------------------------------------------------------- recognising


@dataclass
class Match:
    kind: str
    table: Table
    sheet: str
    header_row: int  # 0-based index into grid rows
    score: float
    required: int  # required columns among the matched ones


def _index(tables: list[tuple[str, Table]]) -> dict[str, list[tuple[str, Table, str]]]:
    """header key → [(kind id, table, canonical header)]."""
    out: dict[str, list[tuple[str, Table, str]]] = {}
    for kind_id, table in tables:
        for key, canon in table.key_map().items():
            out.setdefault(key, []).append((kind_id, table, canon))
    return out


_INDEXES: dict[str | None, dict[str, list[tuple[str, Table, str]]]] = {}


def _index_for(kind: Kind | None) -> dict[str, list[tuple[str, Table, str]]]:
    """Every kind's recognisable tables (kind None), or all tables of one known kind."""
    key = kind.id if kind else None
    if key not in _INDEXES:
        if kind is None:
            _INDEXES[key] = _index([(k.id, t) for k in all_kinds() for t in k.tables if t.recognise])
        else:
            _INDEXES[key] = _index([(kind.id, t) for t in kind.tables])
    return _INDEXES[key]


def _score_rows(rows: list[list], kind: Kind | None) -> list[Match]:
    """Best header row per (kind, table) in the first rows of a grid."""
    index = _index_for(kind)
    best: dict[tuple[str, str], Match] = {}
    for r, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        hits: dict[tuple[str, str], tuple[Table, set[str]]] = {}
        for value in row:
            if not isinstance(value, str) or not value.strip():
                continue
            key = header_key(value)
            if key in GENERIC_KEYS:
                continue
            for kind_id, table, canon in index.get(key, ()):
                hits.setdefault((kind_id, table.sheet), (table, set()))[1].add(canon)
        for tkey, (table, canons) in hits.items():
            required = sum(1 for c in table.columns if c.required and c.header in canons)
            if len(canons) < 2 or (required == 0 and len(canons) < 3):
                continue
            score = len(canons) + 2 * required
            current = best.get(tkey)
            if current is None or score > current.score:
                best[tkey] = Match(tkey[0], table, "", r, score, required)
    return list(best.values())


def _meta(source: Source) -> tuple[str | None, int | None]:
    """kind and version from the hidden ``_qudao`` sheet, when present and sane."""
    if META_SHEET not in source.sheet_names:
        return None, None
    try:
        grid = source.grid(META_SHEET)
    except Unreadable:
        return None, None
    kind = version = None
    for row in grid.rows[:20]:
        if len(row) < 2:
            continue
        key = header_key(row[0])
        if key == "kind":
            kind = to_text(row[1]) or None
        elif key == "version":
            try:
                version = parse_int(row[1])
            except BadValue:
                version = None
    return kind, version


def candidate_sheets(source: Source) -> list[str]:
    return [s for s in source.sheet_names if not s.startswith("_") and s != HELP_SHEET]


def recognise(source: Source, forced: str | None = None
              ) -> tuple[Kind | None, int | None, dict[str, list[tuple[str, int]]]]:
    """(kind, version, {schema sheet: [(sheet name, header row index), …]}).

    With ``forced`` (``--kind``) or a ``_qudao`` sheet the kind is known and
    only its tables are looked for; otherwise every kind competes and the
    best-scoring header row decides. Each table gets its best sheet first;
    further visible sheets holding the same table with every required
    column (a register kept one sheet per month) follow in workbook order.
    """
    meta_kind, version = _meta(source)
    kind_id = forced or (meta_kind if meta_kind in _known_ids() else None)
    sheets = candidate_sheets(source)
    kind = get_kind(kind_id) if kind_id is not None else None
    matches: list[Match] = []
    for name in sheets:
        grid = source.grid(name)
        fill_merged(grid)  # a header cell merged down over two rows counts on both
        for m in _score_rows(grid.rows, kind):
            m.sheet = name
            if name == m.table.sheet:
                m.score += 3
            matches.append(m)
    if kind is None:
        if not matches:
            return None, None, {}
        totals: dict[str, float] = {}
        for m in matches:
            totals[m.kind] = max(totals.get(m.kind, 0), m.score)
        kind = get_kind(max(sorted(totals), key=lambda k: totals[k]))
        version = None
    placed: dict[str, list[tuple[str, int]]] = {}
    used: set[str] = set()
    for table in kind.tables:
        options = [m for m in matches if m.kind == kind.id and m.table.sheet == table.sheet and m.sheet not in used]
        options.sort(key=lambda m: (-m.score, sheets.index(m.sheet)))
        if options:
            placed[table.sheet] = [(options[0].sheet, options[0].header_row)]
            used.add(options[0].sheet)
    full = {t.sheet: sum(1 for c in t.columns if c.required) for t in kind.tables}
    for m in sorted(matches, key=lambda m: sheets.index(m.sheet)):
        if (m.kind == kind.id and m.sheet not in used and m.table.sheet in placed and m.required == full[m.table.sheet]
                and source.sheet_states.get(m.sheet, "visible") == "visible"):
            placed[m.table.sheet].append((m.sheet, m.header_row))
            used.add(m.sheet)
    return kind, version if meta_kind == kind.id else None, placed


def _known_ids() -> set[str]:
    from qudao.schema import KIND_MODULES

    return set(KIND_MODULES)


# --------------------------------------------------------------------------- grids


def fill_merged(grid: Grid) -> None:
    """A value in a merged range applies to every cell of the range (once per grid)."""
    if grid.merged_filled:
        return
    grid.merged_filled = True
    rows = grid.rows
    for r1, c1, r2, c2 in grid.merged:
        if r1 >= len(rows):
            continue
        top = rows[r1]
        value = top[c1] if c1 < len(top) else ""
        if is_blank(value):
            continue
        for r in range(r1, min(r2, len(rows) - 1) + 1):
            row = rows[r]
            for c in range(c1, min(c2, len(row) - 1) + 1):
                if is_blank(row[c]):
                    row[c] = value
            span = (c1 + 1 if r == r1 else c1, c2)
            if span[0] <= span[1]:
                grid.merge_filled.setdefault(r, []).append(span)


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


# --------------------------------------------------------------------------- converters

def parse_week(value: Any) -> str:
    """``2026-W48`` (also ``2026W48``, ``2026年第48周``) → ``'2026-W48'``."""
    import re

    text = fold(to_text(value)).upper().replace(" ", "")
    m = re.match(r"^(\d{4})-?W(\d{1,2})$", text) or re.match(r"^(\d{4})年第?(\d{1,2})周$", text)
    if not m or not 1 <= int(m[2]) <= 53:
        raise BadValue("value.type", "应为周次，如 2026-W48")
    return f"{m[1]}-W{int(m[2]):02d}"


def typed_block(raw: dict[str, tuple[Any, int, int]], fields: tuple[Field, ...], ctx: Context, sheet: str,
                year_hint: int | None) -> tuple[dict[str, Any], dict[str, str]]:
    values: dict[str, Any] = {}
    cells: dict[str, str] = {}
    for f in fields:
        if f.label not in raw:
            continue
        value, r, c = raw[f.label]
        cells[f.label] = cell_ref(r, c)
        convert = _converter(f, year_hint, None)
        try:
            typed = to_text(value) if convert is None else convert(value)
            values[f.label] = typed[0] if f.type == "date" else typed
        except BadValue as exc:
            values[f.label] = to_text(value)
            ctx.add("block.value", f"表头「{f.label}」{exc.message}（当前为“{to_text(value)}”）",
                    sheet=sheet, cell=cell_ref(r, c), row=r + 1, column=f.label, value=value)
    return values, cells


def block_year(block: dict[str, Any]) -> _dt.date | None:
    for value in block.values():
        if isinstance(value, _dt.date):
            return value
    return None


# --------------------------------------------------------------------------- parsing


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
        if f.type == "date":
            try:
                pre_hint = parse_date(value)[0]
                break
            except BadValue:
                pass
    block, block_cells = typed_block(raw_block, fields, ctx, sheet, pre_hint.year if pre_hint else None)
    report_date = block_year({k: v for k, v in block.items()
                              if next(f for f in fields if f.label == k).type == "date"})
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
    _parse_rows(grid, header_index, table, mapped, extras, parsed, ctx, ref, required_missing=bool(missing))
    return parsed


_MISS = object()


def _converter(col, year_hint: int | None, ref: _dt.date | None) -> Callable[[Any], Any] | None:
    """The raw → typed function of one column or header-block field (None: text, handled inline).
    Dates come back as ``(date, year_inferred)``; a year-less date after ``ref`` is the year before."""
    if col.type == "text":
        return None
    if col.type == "phone":
        return lambda v: parse_phone(v)[0]
    if col.type == "date":
        def convert(v: Any) -> Any:
            d, inferred = parse_date(v, year_hint)
            if inferred and ref is not None and d > ref:
                d = d.replace(year=d.year - 1)
            return (d, inferred)
        return convert
    if col.type == "int":
        return parse_int
    if col.type == "money":
        wan = not col.header.endswith("(元)")
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


def _blank(value: Any) -> bool:
    return value == "" or value is None or (value.__class__ is str and not value.strip()) or (
        value.__class__ is float and value != value)


def _parse_rows(grid: Grid, header_index: int, table: Table, mapped: dict[str, list[int]],
                extras: list[tuple[str, int]], parsed: ParsedTable, ctx: Context, ref: _dt.date,
                required_missing: bool) -> None:
    """The hot loop: classify rows (blank / total / data) and convert every mapped cell.

    Conversions are memoised per column (dates, enums, numbers repeat a lot) and text
    columns are handled inline; findings are built only when something is wrong.
    """
    rows = grid.rows
    sheet = grid.name
    year_hint = ref.year
    plan = []
    for col in table.columns:
        cols = mapped.get(col.header)
        if not cols:
            continue
        rng = (col.min, col.max, col.min_exclusive) if col.min is not None or col.max is not None else None
        plan.append((col.header, cols[0], tuple(cols[1:]), _converter(col, year_hint, ref), {}, col.required,
                     col.type == "date", rng, col))
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
        for header, c, alternatives, conv, cache, required, is_date, rng, col in plan:
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
                values[header] = value.strip() if value.__class__ is str else to_text(value)
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
                message = typed.message if typed.code == "phone.format" else f"「{header}」{typed.message}"
                add(typed.code, f"{message}（当前为“{to_text(value)[:40]}”）", sheet=sheet, cell=cell_ref(r, c),
                    row=r + 1, column=header, value=value)
                errors = True
                continue
            if is_date:
                typed, inferred = typed
                if inferred:
                    add("date.year_inferred", f"「{header}」没有写年份，按 {typed.year} 年处理（{typed.isoformat()}）",
                        sheet=sheet, cell=cell_ref(r, c), row=r + 1, column=header, value=value)
            if rng is not None:
                low, high, exclusive = rng
                if (low is not None and (typed <= low if exclusive else typed < low)) or (
                        high is not None and typed > high):
                    add("value.range", f"「{header}」应{_range_text(col)}（当前为 {to_text(value)}）",
                        sheet=sheet, cell=cell_ref(r, c), row=r + 1, column=header, value=value)
                    errors = True
                    bad.append(header)
                    continue
            values[header] = typed
        extra_values = {name: row[c] for name, c in extras if c < width and not _blank(row[c])} if extras else {}
        item = Row(r + 1, values, tuple(bad), extra_values, hidden=r in hidden_rows)
        if item.hidden:
            add("row.hidden", "该行在表格中被隐藏，已照常读取，请确认是否有效", sheet=sheet, row=r + 1)
        if cross:
            errors |= _cross_checks(cross, parsed, item, ctx, ref)
        item.rejected = errors or required_missing
        out.append(item)


def _range_text(col) -> str:
    if col.min is not None and col.max is not None:
        return f"在 {_num(col.min)}–{_num(col.max)} 之间"
    if col.min is not None:
        return f"大于 {_num(col.min)}" if col.min_exclusive else f"不小于 {_num(col.min)}"
    return f"不大于 {_num(col.max)}"


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


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
            basis = "报送日期" if ctx.report_date else "今天"
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
