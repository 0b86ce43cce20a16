"""``qudao fill``: rows from CSV / XLSX / XLS / ODS / JSON into a workbook of a kind.

The data is read by the same reader as every input (header matching by
canonical header or alias, units, any order; the same normalisers for
dates, phones and enums) and checked by the same rules; rows that
``validate`` would reject are not written and come back as findings that
point at the data's own rows. What is written keeps everything the
template has (see :mod:`qudao.write.append`).
"""

from __future__ import annotations

import datetime as _dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qudao.check.engine import apply_rules
from qudao.check.tasks import is_open
from qudao.errors import Unreadable, UsageError
from qudao.findings import Finding
from qudao.read.grid import Grid, fill_merged
from qudao.read.recognise import score_rows
from qudao.read.source import Source, open_source
from qudao.read.table import parse_table
from qudao.records import Context, FileReport, ParsedTable, Row
from qudao.schema import Kind, Table, get_kind
from qudao.schema.feedback import FOLLOW_CLOSED


@dataclass
class FillResult:
    kind: Kind
    table: Table
    written: list[int]  # sheet rows written
    rejected: list[Row]
    unknown_columns: list[str]
    findings: list[Finding]
    output: Path | None = None
    data_rows: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


def _json_grid(path: Path) -> Grid:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise Unreadable(f"JSON 文件无法读取（{exc}）") from None
    except RecursionError:
        raise Unreadable("JSON 文件嵌套层数过多，不像网络表单的导出，已跳过") from None
    if isinstance(data, dict):
        for value in data.values():
            if isinstance(value, list):
                data = value
                break
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise Unreadable("JSON 应为对象列表，如 [{\"客户姓名\": \"张三\", \"联系电话\": \"13812345678\"}, …]")
    keys: dict[str, None] = {}
    for item in data:
        for key in item:
            keys.setdefault(str(key), None)
    header = list(keys)
    rows = [header]
    for item in data:
        rows.append([_json_cell(item.get(k)) for k in header])
    return Grid("", rows)


def _json_cell(value: Any) -> Any:
    """One answer as a cell: a multiple-choice answer (a list) is its choices joined by 、, an object its JSON
    text; numbers, text and booleans as they are."""
    if value is None:
        return ""
    if isinstance(value, list):
        return "、".join(str(v) for v in (_json_cell(v) for v in value) if v != "")
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return value


# --------------------------------------------------------------------------- column mapping (--map, web forms)

HEADER_ROWS = 60  # where a header row is looked for (read.recognise)
_QUESTION_NUMBER = re.compile(r"^(?:[Qq]\d{1,3}|第\d{1,3}题|\d{1,3})\s*[、.:)]?\s*(?=\D)")


class Mapping:
    """How the data's columns become the kind's: ``--map 源列=目标列``, then numbered web-form questions
    (``3、手机号码`` → 手机号码), then the schema's web-form columns (``form_aliases``: 提交时间 → 登记日期,
    only where the row has no column by the header or an alias). ``applied``: (as written, column) pairs."""

    def __init__(self, kind: Kind, explicit: dict[str, str] | None = None) -> None:
        from qudao.normalize import header_key

        self.kind = kind
        keys: dict[str, str] = {}
        for table in kind.tables:
            for key, header in table.key_map().items():
                keys.setdefault(key, header)
        self.known = keys
        self.explicit: dict[str, str] = {}
        self.typed: dict[str, str] = {}  # header key → the source as typed after --map
        self.original: list[list] = []  # the first rows as the data has them (for messages)
        for source, target in (explicit or {}).items():
            header = keys.get(header_key(target))
            if header is None:
                columns = "、".join(dict.fromkeys(c.header for t in kind.tables for c in t.columns if not c.seq))
                raise UsageError(f"--map {source}={target}：「{target}」不是{kind.title}的列；可用：{columns}")
            self.explicit[header_key(source)] = header
            self.typed[header_key(source)] = source
        self.found: set[str] = set()
        self.applied: list[tuple[str, str]] = []

    def _key(self, value: object) -> tuple[str, str]:
        """(header key as written, header key without a question number)."""
        from qudao.normalize import fold, header_key

        key = header_key(value)
        bare = header_key(_QUESTION_NUMBER.sub("", fold(str(value)))) if key not in self.known else key
        return key, bare or key

    def apply(self, rows: list[list]) -> None:
        self.original = [list(row) for row in rows[:HEADER_ROWS]]
        for row in rows[:HEADER_ROWS]:
            if isinstance(row, list):
                self._row(row)

    def _row(self, row: list) -> None:
        for c, value in enumerate(row):
            if not isinstance(value, str) or not value.strip():
                continue
            key, bare = self._key(value)
            for k in (key, bare):
                if k in self.explicit:
                    self.found.add(k)
                    self._rename(row, c, self.explicit[k])
                    break
            else:
                if bare != key and bare in self.known:
                    row[c] = self.known[bare]
        present = {self.known.get(self._key(v)[0]) for v in row if isinstance(v, str)}
        for table in self.kind.tables:
            for col in table.columns:
                if not col.form_aliases or col.header in present:
                    continue
                wanted = {self._key(a)[0] for a in col.form_aliases}
                for c, value in enumerate(row):
                    if isinstance(value, str) and self._key(value)[1] in wanted:
                        self._rename(row, c, col.header)
                        present.add(col.header)
                        break

    def _rename(self, row: list, c: int, header: str) -> None:
        pair = (str(row[c]).strip(), header)
        if pair not in self.applied and pair[0] != header:
            self.applied.append(pair)
        row[c] = header

    def check(self, header_index: int | None = None) -> None:
        """Every --map source must be a column of the data."""
        from qudao.normalize import to_text

        missing = [self.typed[src] for src in self.explicit if src not in self.found]
        if missing:
            header = self.original[header_index] if header_index is not None and header_index < len(self.original) \
                else []
            have = "".join(f"「{to_text(v)}」" for v in header if to_text(v)) or "（没有找到表头）"
            raise UsageError(f"--map：数据里没有「{'」「'.join(missing)}」这一列；数据的表头：{have}")


def _pick_sheet(source: Source, kind: Kind, sheet: str | None,
                mapping: Mapping | None = None) -> tuple[Grid, Table, int]:
    names = [sheet] if sheet else [n for n in source.sheet_names if not n.startswith("_") and n != "填写说明"]
    if sheet and sheet not in source.sheet_names:
        raise UsageError(f"数据文件里没有工作表「{sheet}」；有：{'、'.join(source.sheet_names)}")
    best = None
    for name in names:
        grid = source.grid(name)
        fill_merged(grid)
        if mapping is not None:
            mapping.apply(grid.rows)
        for match in score_rows(grid.rows, kind):
            if best is None or match.score > best[3]:
                best = (grid, match.table, match.header_row, match.score)
    if best is None:
        tables = "；".join(f"{t.sheet}：{'、'.join(c.header for c in t.required)}" for t in kind.tables)
        raise UsageError(f"数据里找不到{kind.title}的表头（至少要有：{tables}）")
    grid, table, header, _score = best
    return grid, table, header


def read_data(path: Path, kind: Kind, sheet: str | None = None, block: dict[str, Any] | None = None,
              as_of: _dt.date | None = None, settings=None,
              mapping: Mapping | dict[str, str] | None = None) -> tuple[ParsedTable, list[Finding], str]:
    """The data's rows, typed and checked as ``kind`` would check them (block values from the target);
    columns renamed by ``mapping`` (a :class:`Mapping` or ``--map`` pairs) first."""
    display = path.name
    mapping = mapping if isinstance(mapping, Mapping) else Mapping(kind, mapping)
    ctx = Context(file=display, as_of=as_of or _dt.date.today(), kind=kind,
                  options={"settings": settings} if settings else {})
    if path.suffix.lower() == ".json":
        try:
            grid = _json_grid(path)
        except Unreadable as exc:
            raise UsageError(f"数据文件 {path} 无法读取：{exc.message}") from None
        mapping.apply(grid.rows)
        matches = score_rows(grid.rows, kind)
        if not matches:
            raise UsageError(f"JSON 的字段对不上{kind.title}的任何表头")
        best = max(matches, key=lambda m: m.score)
        table, header = best.table, best.header_row
    else:
        try:
            with open_source(path) as source:
                grid, table, header = _pick_sheet(source, kind, sheet, mapping)
        except Unreadable as exc:  # also a sheet that cannot be loaded (a calamine panic)
            raise UsageError(f"数据文件 {path} 无法读取：{exc.message}") from None
    mapping.check(header)
    report_date = None
    for value in (block or {}).values():
        if isinstance(value, _dt.date):
            report_date = value
            break
    ctx.report_date = report_date
    parsed = parse_table(grid, header, table, ctx, block_fields=())
    parsed.block = dict(block or {})
    report = FileReport(path=display, kind=kind.id, tables={table.sheet: parsed}, block=parsed.block)
    apply_rules(kind, report, ctx)
    if path.suffix.lower() == ".json":
        for f in ctx.findings:  # a JSON object has no cell: name the object instead
            if f.row:
                f.cell, f.row = "", f.row - 1
                f.message = f"第 {f.row} 条记录：{f.message}"
    return parsed, ctx.findings, table.sheet


def _read_data_of_kind(path: Path, kind_id: str, sheet: str | None, block: dict[str, Any] | None,
                       as_of: _dt.date | None, settings, mapping: dict[str, str] | None = None
                       ) -> tuple[ParsedTable, list[Finding], str, list[tuple[str, str]]]:
    """:func:`read_data` in a worker: what it read and the columns it renamed."""
    columns = Mapping(get_kind(kind_id), mapping)
    parsed, findings, sheet_name = read_data(path, get_kind(kind_id), sheet, block, as_of, settings, columns)
    return parsed, findings, sheet_name, columns.applied


def set_block(ws, fields, values: dict[str, Any]) -> None:
    """Fill header-block values of an existing sheet (the cell right of each label)."""
    from qudao.normalize import header_key
    from qudao.write.workbook import set_value

    wanted = {key: f.label for f in fields for key in f.keys}
    for row in ws.iter_rows(min_row=1, max_row=min(ws.max_row, 12)):
        for cell in row:
            if not isinstance(cell.value, str):
                continue
            label = wanted.get(header_key(cell.value.replace("：", ":").partition(":")[0]))
            if label in values:
                target = ws.cell(row=cell.row, column=cell.column + 1)
                if type(target).__name__ == "MergedCell":
                    continue
                set_value(target, values[label])


def _row_key(kind: Kind, table: Table, values: dict[str, Any], channel: str) -> tuple | None:
    """What makes two rows the same row: a register's customer for one channel; elsewhere every value
    but 序号 and formula columns. None: a row that cannot be compared (a register row without a phone)."""
    if kind.id == "register":
        from qudao.check.register import customer_key

        phone = values.get("联系电话")
        if not phone:
            return None
        return (values.get("渠道名称") or channel, *customer_key(phone, values.get("客户姓名")))
    skip = {c.header for c in table.columns if c.seq or c.formula}
    return tuple(sorted((k, str(v)) for k, v in values.items() if k not in skip and v is not None))


def _duplicates(kind: Kind, table: Table, parsed: ParsedTable, existing: list[tuple[Row, str]],
                channel: str, data_name: str) -> tuple[list[Row], list[Finding]]:
    """The accepted data rows already in the target (or earlier in the data): skipped, each with a warning."""
    from qudao.findings import make

    seen: dict[tuple, str] = {}
    for row, where in existing:
        key = _row_key(kind, table, row.values, channel)
        if key is not None:
            seen.setdefault(key, where)
    skipped: list[Row] = []
    findings: list[Finding] = []
    what = "同一渠道的同一客户" if kind.id == "register" else "相同的行"
    shown = "联系电话" if kind.id == "register" else next(
        (c.header for c in table.columns if c.header in parsed.columns and not c.seq), "")
    for row in parsed.rows:
        if row.rejected:
            continue
        key = _row_key(kind, table, row.values, channel)
        if key is None:
            continue
        if key in seen:
            skipped.append(row)
            findings.append(make("row.duplicate", f"与 {seen[key]}是{what}", sheet=parsed.sheet,
                                 cell=parsed.cell(shown, row.number) if shown else "",
                                 row=row.number))
        else:
            seen[key] = f"{data_name} 第 {row.number} 行"
    return skipped, findings


def fill(target: str, data: Path, output: Path | None, sets: dict[str, str], sheet: str | None = None,
         in_place: bool = False, force: bool = False, as_of: _dt.date | None = None, settings=None,
         mapping: dict[str, str] | None = None) -> FillResult:
    """Fill a new workbook of a kind (``target`` is a kind) or append to an existing one (a path).

    Rows ``validate`` would reject are not written; nor are rows already in the target (a register:
    the same customer for the same channel) or twice in the data. When no row is left to write,
    nothing is written (``result.output`` is None)."""
    from openpyxl import load_workbook

    from qudao.check.engine import Input, Options, check_one
    from qudao.check.parallel import WorkerCrashed, isolated
    from qudao.write.append import append_rows
    from qudao.write.atomic import check_target, protect
    from qudao.write.workbook import build, resolve_set, save

    if not data.is_file():
        raise UsageError(f"找不到数据文件：{data}")
    existing = Path(target)
    report = None
    if existing.suffix:
        if not existing.is_file():
            raise UsageError(f"找不到要填写的文件：{target}")
        if existing.suffix.lower() not in (".xlsx", ".xlsm"):
            raise UsageError(f"只能向 .xlsx/.xlsm 工作簿追加（{existing.name} 是 {existing.suffix}）；请先用 Excel 另存为 .xlsx")
        report = check_one(Input(existing, existing.name, 0), Options(as_of=as_of or _dt.date.today()))
        if report.kind is None or report.unreadable:
            why = report.findings[0].message if report.findings else "无法识别"
            raise UsageError(f"{existing.name} 不是可填写的表格：{why}")
        kind = get_kind(report.kind)
        values = {**report.block, **resolve_set(kind, sets)}
        if output is None and not in_place:
            raise UsageError("请用 -o 指定输出文件（原文件不会被修改），或加 --in-place 直接替换原文件（会保留 .bak 备份）")
    else:
        kind = get_kind(target)
        if kind.generated:
            raise UsageError("渠道汇总分析表由 qudao summarize 生成，不能填写")
        values = resolve_set(kind, sets)
        if output is None:
            raise UsageError("请用 -o 指定输出文件")
    protect([data] + ([existing] if report is not None and not in_place else []))  # never an output
    if output is not None:
        check_target(output, force)  # before reading the data: a retry learns it at once
    Mapping(kind, mapping)  # a --map to no column of the kind: said before anything is read
    # read where an abort only loses the read (docs/decisions.md → Isolation)
    try:
        parsed, findings, table_sheet, applied = isolated(_read_data_of_kind, data, kind.id, sheet, values, as_of,
                                                          settings, mapping)
    except WorkerCrashed as exc:
        raise UsageError(f"数据文件 {data} 无法读取：{exc.message}") from None
    table = kind.table(table_sheet)
    before: list[tuple[Row, str]] = []
    if report is not None:
        for t in report.tables_for(table.sheet):
            before += [(r, f"{existing.name} 第 {r.number} 行") for r in t.rows]
    channel = values.get("渠道名称") or ""
    duplicates, dup_findings = _duplicates(kind, table, parsed, before, channel, data.name)
    findings = findings + dup_findings
    dup_rows = {id(r) for r in duplicates}
    accepted = [r.values for r in parsed.rows if not r.rejected and id(r) not in dup_rows]
    rejected = [r for r in parsed.rows if r.rejected]
    result = FillResult(kind, table, [], rejected, [name for name, _c in parsed.extra_columns], findings,
                        data_rows=len(parsed.rows))
    result.extra["duplicates"] = duplicates
    result.extra["mapped"] = applied
    if not accepted:
        return result  # nothing to write: no file
    wb = load_workbook(existing, keep_vba=existing.suffix.lower() == ".xlsm") if report is not None else build(kind, values)
    ws = wb[table.sheet] if table.sheet in wb.sheetnames else None
    if ws is None:
        raise UsageError(f"目标工作簿里没有工作表「{table.sheet}」")
    if sets and report is not None:
        for t in kind.tables:
            if t.block and t.sheet in wb.sheetnames:
                set_block(wb[t.sheet], t.block, resolve_set(kind, sets))
    result.written = append_rows(ws, table, accepted)
    if in_place and output is None:
        import shutil

        from qudao.write.atomic import atomic_path

        backup = existing.with_name(existing.name + ".bak")
        with atomic_path(backup, force=True) as tmp:  # a regular file, never through a link or onto a device
            shutil.copy2(existing, tmp)
        result.output = save(wb, existing, force=True)
        result.extra["backup"] = backup
    else:
        result.output = save(wb, output, force=force)
    return result


# --------------------------------------------------------------------------- carrying work forward



@dataclass
class CarryResult:
    kind: Kind
    output: Path
    counts: dict[str, int]  # table → rows carried
    skipped_rejected: int
    values: dict[str, Any]
    overdue: int = 0  # customers carried whose 下次跟进日期 had passed (marked, first)
    closed: dict[str, int] = field(default_factory=dict)  # why items were not carried → how many
    gantt: tuple[int, int] | None = None  # (weeks the plan spans, weeks drawn) when the Gantt was cut

    def lines(self) -> list[str]:
        """What happened, in Chinese: carried, closed and dropped, and why."""
        parts = "，".join(f"{sheet} {n} 行" for sheet, n in self.counts.items())
        out = [f"结转 {parts}"]
        if self.overdue:
            out.append(f"其中 {self.overdue} 位客户已过下次跟进日期（逾期），已排在最前并标红")
        if self.closed:
            out.append("不再结转：" + "，".join(f"{why} {n} 项" for why, n in self.closed.items()))
        if self.skipped_rejected:
            out.append(f"上一期有 {self.skipped_rejected} 行有错误，没有结转；请核对上一期文件")
        if self.gantt:
            out.append(f"上一期有任务的日期跨 {self.gantt[0]:,} 周（多半是年份填错）：甘特图只画本周前后的 "
                       f"{self.gantt[1]} 周；请核对计划开始、计划完成日期")
        return out


def _read(path: Path, kind_id: str, as_of: _dt.date) -> FileReport:
    from qudao.check.engine import Input, Options, check_one

    if not path.is_file():
        raise UsageError(f"找不到上一期的文件：{path}")
    report = check_one(Input(path, path.name, 0), Options(as_of=as_of))
    if report.kind != kind_id:
        what = get_kind(report.kind).title if report.kind else "无法识别的文件"
        raise UsageError(f"{path.name} 是{what}，不是{get_kind(kind_id).title}")
    return report


def _closed_count(rows: list, state_column: str) -> dict[str, int]:
    """How many items each closing state ended (状态 已完成/取消, or a customer's 已成交/已放弃)."""
    out: dict[str, int] = {}
    for r in rows:
        state = r.values.get(state_column)
        closed = state in FOLLOW_CLOSED if state_column == "跟进状态" else not is_open(r.values)
        if closed:
            out[state] = out.get(state, 0) + 1
    return out


def _carry_feedback(rows, block, as_of, week, settings, result: dict) -> dict[str, list[dict]]:
    """Open progress items with 本周进展 cleared; every customer still being followed up (跟进状态 blank
    or 跟进中), overdue ones first."""
    from qudao.weeks import resolve, week_range

    previous = block.get("周次")
    if week:
        label = resolve(week, as_of)
    elif previous:
        first, _ = week_range(previous)
        label = resolve("this", first + _dt.timedelta(days=7))
    else:
        label = resolve("this", as_of)
    first, _last = week_range(label)
    block.update({"周次": label, "填报日期": first + _dt.timedelta(days=4)})
    progress = rows.get("工作进展", [])
    customers = rows.get("客户内容", [])
    following = [r for r in customers if r.values.get("跟进状态") not in FOLLOW_CLOSED]
    overdue = [r for r in following if r.values.get("下次跟进日期") and r.values["下次跟进日期"] < first]
    overdue.sort(key=lambda r: r.values["下次跟进日期"])
    rest = [r for r in following if r not in overdue]
    result["overdue"] = [r.values for r in overdue]
    result["closed"] = {**_closed_count(progress, "状态"), **{f"客户{k}": n for k, n in
                                                             _closed_count(customers, "跟进状态").items()}}
    return {"工作进展": [{**r.values, "本周进展": None} for r in progress if is_open(r.values)],
            "客户内容": [dict(r.values) for r in overdue + rest]}


def _carry_handoff(rows, block, as_of, week, settings, result: dict) -> dict[str, list[dict]]:
    items = rows.get("对接事项", [])
    block["填表日期"] = as_of
    result["closed"] = _closed_count(items, "状态")
    return {"对接事项": [dict(r.values) for r in items if is_open(r.values)]}


def _carry_plan(rows, block, as_of, week, settings, result: dict) -> dict[str, list[dict]]:
    from qudao.planning import MAX_WEEKS, Plan
    from qudao.workdays import WorkCalendar

    items = rows.get("工作计划", [])
    tasks = [dict(r.values) for r in items if is_open(r.values)]
    for t in tasks:
        t.pop("工期(天)", None)
    calendar = WorkCalendar.from_settings(settings)
    dates = [d for t in tasks for d in (t.get("计划开始"), t.get("计划完成")) if d] or [as_of]
    start, end = min(dates), max(dates)
    monday = start - _dt.timedelta(days=start.weekday())
    count = (end - monday).days // 7 + 1
    if count > MAX_WEEKS:  # a typed year (1990 … 2100) must not make thousands of week columns
        result["gantt"] = (count, MAX_WEEKS)
        this_week = as_of - _dt.timedelta(days=as_of.weekday())
        monday = min(max(monday, this_week - _dt.timedelta(weeks=4)),
                     end - _dt.timedelta(days=end.weekday(), weeks=MAX_WEEKS - 1))
        count = MAX_WEEKS
    weeks = [monday + _dt.timedelta(days=7 * i) for i in range(count)]
    result["plan"] = Plan(block.get("计划类型") or "", start, end, weeks, [], calendar)
    result["closed"] = _closed_count(items, "状态")
    block.update({"编制日期": as_of, "计划周期": f"{start.isoformat()} – {end.isoformat()}",
                  "工作日历": calendar.describe(start, end)})
    return {"工作计划": tasks}


CARRY = {"feedback": _carry_feedback, "handoff": _carry_handoff, "plan": _carry_plan}


def carry(kind_id: str, last: Path, output: Path, week: str | None = None, force: bool = False,
          as_of: _dt.date | None = None, settings=None) -> CarryResult:
    """Next period's workbook with every open item of ``last`` carried over: nothing is dropped until
    someone closes it (状态 已完成/取消; a customer's 跟进状态 已成交/已放弃)."""
    from qudao.config import Settings
    from qudao.write.append import append_rows
    from qudao.write.workbook import build, save

    if kind_id not in CARRY:
        raise UsageError(f"--carry 只适用于 {'、'.join(CARRY)}")
    settings = settings or Settings()
    as_of = as_of or _dt.date.today()
    report = _read(last, kind_id, as_of)
    kind = get_kind(kind_id)
    rows: dict[str, list] = {}
    for t in report.tables.values():
        rows.setdefault(t.schema_sheet, []).extend(r for r in t.rows if not r.rejected)
    skipped = sum(1 for t in report.tables.values() for r in t.rows if r.rejected)
    block = dict(report.block)
    extra: dict[str, Any] = {}
    carried = CARRY[kind_id](rows, block, as_of, week, settings, extra)
    options: dict[str, Any] = {"settings": settings}
    if "plan" in extra:
        options["plan"] = extra["plan"]
    wb = build(kind, block, options)
    counts = {}
    for sheet, items in carried.items():
        for item in items:
            if kind.table(sheet).column("序号").seq:
                item.pop("序号", None)
        written = append_rows(wb[sheet], kind.table(sheet), items)
        counts[sheet] = len(items)
        if sheet == "客户内容" and extra.get("overdue"):
            _mark_overdue(wb[sheet], kind.table(sheet), written[:len(extra["overdue"])], extra["overdue"])
    save(wb, output, force=force)
    return CarryResult(kind, output, counts, skipped, block, overdue=len(extra.get("overdue", ())),
                       closed=extra.get("closed", {}), gantt=extra.get("gantt"))


def _mark_overdue(ws, table, rows: list[int], values: list[dict]) -> None:
    """Overdue customers: 下次跟进日期 filled red, with a note saying since when."""
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    from qudao.write.append import locate_header

    _header, columns = locate_header(ws, table)
    col = columns.get("下次跟进日期")
    if col is None:
        return
    for r, v in zip(rows, values):
        cell = ws.cell(row=r, column=col)
        cell.fill = PatternFill("solid", fgColor="FFC7CE")
        cell.comment = Comment(f"逾期：应于 {v['下次跟进日期'].isoformat()} 跟进，请尽快跟进并更新日期", "qudao",
                               width=220, height=50)
