"""渠道目标表: one row per channel (branch) and period (a period's spelling is its type's, schema.types.Period),
targets that agree with each other, channels the other workbooks know. The helpers are shared with 渠道考核评分表 (check.scores) and the
assessment (analysis.assess): which row counts when several files set the same thing, which channels exist."""

from __future__ import annotations

import datetime as _dt
from typing import Callable, Iterable

from qudao.channels import SHORT, Directory
from qudao.findings import Finding, make, row_place
from qudao.periods import parse_period
from qudao.records import Context, FileReport, ParsedTable, Row
from qudao.schema.targets import DEV_SHEET, DEV_TARGET, INDICATORS, SHEET

PERIOD = "考核期间"
TARGET_COLUMNS = tuple(column for _key, column, _label in INDICATORS)


def _settings(options):
    from qudao.config import Settings

    return (getattr(options, "extra", None) or {}).get("settings") or Settings()


# --------------------------------------------------------------------------- row rules


def some_target(table: ParsedTable, row: Row, ctx: Context) -> bool:
    """A channel's row sets at least one target (a blank row of targets is unfinished, not "no targets")."""
    if any(row.values.get(c) is not None for c in TARGET_COLUMNS) or any(c in row.bad for c in TARGET_COLUMNS):
        return False
    ctx.add("value.required", "这一行没有填写任何目标（登记、到访、成交套数、成交金额至少填一项；某项不考核可填 0）",
            sheet=table.sheet, cell=table.cell(TARGET_COLUMNS[0], row.number), row=row.number,
            column=TARGET_COLUMNS[0])
    return True


# --------------------------------------------------------------------------- one row per key and period


def channel_key(values: dict, settings) -> tuple[str, str]:
    return settings.canonical_channel(values.get("渠道名称") or ""), values.get(PERIOD) or ""


def branch_key(values: dict, settings) -> tuple[str, str]:
    return (values.get("所属分所") or "").strip(), values.get(PERIOD) or ""


def unique_per_period(report: FileReport, ctx: Context, sheet: str, key: Callable, code: str, what: str) -> None:
    """One row per key (channel or branch) and period in one file: a later row is ``code`` (error, rejected)."""
    seen: dict[tuple, tuple[str, int]] = {}
    for table in report.tables_for(sheet):
        for row in table.rows:
            if row.rejected:
                continue
            k = key(row.values, ctx.settings)
            if not k[0] or not k[1]:
                continue
            first = seen.setdefault(k, (table.sheet, row.number))
            if first != (table.sheet, row.number):
                column = "渠道名称" if "渠道名称" in table.columns else "所属分所"
                ctx.add(code, f"“{k[0]}”{k[1]} 的{what}与{row_place(first, table.sheet)}重复：同一{'渠道' if column == '渠道名称' else '分所'}"
                        f"同一考核期间只填一行，本行不计",
                        sheet=table.sheet, cell=table.cell(column, row.number), row=row.number, column=column,
                        value=row.values.get(column))
                row.rejected = True


def unique_targets(report: FileReport, ctx: Context) -> None:
    """One target row per channel and period (渠道目标), per branch and period (拓展目标)."""
    unique_per_period(report, ctx, SHEET, channel_key, "target.duplicate", "目标")
    unique_per_period(report, ctx, DEV_SHEET, branch_key, "target.duplicate", "拓展目标")


def nested_targets(report: FileReport, ctx: Context) -> None:
    """Overlapping periods agree: a half-year or year target is not below the sum of the periods inside it.

    2026H2 ≥ 2026Q3 + 2026Q4 (and 2026 ≥ its quarters, and its halves), per channel and per branch; else
    ``target.overlap`` (a warning, checked within one file)."""
    for sheet, key, columns in ((SHEET, channel_key, TARGET_COLUMNS), (DEV_SHEET, branch_key, (DEV_TARGET,))):
        groups: dict[str, list[tuple[ParsedTable, Row]]] = {}
        for table in report.tables_for(sheet):
            for row in table.rows:
                if not row.rejected and row.values.get(PERIOD):
                    groups.setdefault(key(row.values, ctx.settings)[0], []).append((table, row))
        for name, rows in sorted(groups.items()):
            periods = [(parse_period(row.values[PERIOD]), table, row) for table, row in rows]
            for longer, table, row in periods:
                for kind in ("Q", "H"):
                    inside = sorted(((p, r) for p, _t, r in periods if p.kind == kind and longer.covers(p)),
                                    key=lambda item: item[0].start)
                    if not inside:
                        continue
                    for column in columns:
                        whole = row.values.get(column)
                        parts = [(p, r.values[column]) for p, r in inside if r.values.get(column) is not None]
                        total = sum(v for _p, v in parts)
                        if whole is None or not parts or total <= whole:
                            continue
                        listed = " + ".join(f"{p.label} {_num(v)}" for p, v in parts)
                        ctx.add("target.overlap",
                                f"“{name}”{longer.label} 的{column} {_num(whole)} 小于其中各期目标之和 {_num(total)}"
                                f"（{listed}），请核对",
                                sheet=table.sheet, cell=table.cell(column, row.number), row=row.number,
                                column=column, value=whole)


def _num(value) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


# --------------------------------------------------------------------------- across files


def _when(report: FileReport) -> _dt.date:
    day = report.block.get("填表日期")
    return day if isinstance(day, _dt.date) else _dt.date.min


def rows_by_key(reports: Iterable[FileReport], kind: str, sheet: str, key: Callable, settings
                ) -> dict[tuple, list[tuple[FileReport, ParsedTable, Row]]]:
    """Every accepted row of ``kind``'s ``sheet`` per key (name, period), oldest first: by the file's
    填表日期, then the file order. The last one counts (the newest file wins)."""
    out: dict[tuple, list] = {}
    ordered = sorted((r for r in reports if r.kind == kind), key=lambda r: (_when(r), r.order))
    for report in ordered:
        for table in report.tables_for(sheet):
            for row in table.rows:
                if row.rejected or not row.values.get(PERIOD):
                    continue
                k = key(row.values, settings)
                if k[0]:
                    out.setdefault(k, []).append((report, table, row))
    return out


def superseded_rows(reports: list[FileReport], kind: str, sheet: str, key: Callable, code: str, what: str,
                    options) -> list[Finding]:
    """The same key and period set in several files: the older rows get ``code`` as a warning."""
    out = []
    for (name, period), rows in sorted(rows_by_key(reports, kind, sheet, key, _settings(options)).items()):
        newest, newest_table, newest_row = rows[-1]
        for report, table, row in rows[:-1]:
            if report is newest:
                continue
            column = "渠道名称" if "渠道名称" in table.columns else "所属分所"
            out.append(make(code, f"较新的 {newest.path} 第 {newest_row.number} 行也有“{name}”{period} 的{what}，以较新的为准",
                            severity="warning", file=report.path, sheet=table.sheet,
                            cell=table.cell(column, row.number), row=row.number, column=column,
                            value=row.values.get(column)))
    return out


def known_channels(reports: list[FileReport], settings) -> set[str]:
    """The channels the run's registers, agreement ledgers and expansion trackers name (canonical)."""
    canonical = settings.canonical_channel
    known: set[str] = set()
    for report in reports:
        if report.kind == "register":
            known.update(report.facts.get("channels", ()))
        elif report.kind in ("agreements", "expansion"):
            sheet = "协议台账" if report.kind == "agreements" else "渠道拓展"
            for table in report.tables_for(sheet):
                known.update(canonical(r.values["渠道名称"]) for r in table.rows
                             if not r.rejected and r.values.get("渠道名称"))
    return known


def unknown_channels(reports: list[FileReport], kind: str, sheet: str, options) -> list[Finding]:
    """``channel.unknown``: a channel none of the run's registers, agreements or expansion trackers names.
    Not checked when the run has none of those (a targets file validated alone)."""
    settings = _settings(options)
    known = known_channels(reports, settings)
    if not known:
        return []
    out = []
    directory = Directory(known, settings)
    for report in reports:
        if report.kind != kind:
            continue
        for table in report.tables_for(sheet):
            for row in table.rows:
                raw = row.values.get("渠道名称")
                if row.rejected or not raw:
                    continue
                resolution = directory.resolve(raw)
                if resolution.how == SHORT:  # the assessment resolves it the same way: said, not silent
                    out.append(make("channel.matched", f"「{raw}」按简称对应渠道「{resolution.channel}」；"
                                    "如不是同一渠道，请在 qudao.toml 的 [channels] aliases 中写明",
                                    file=report.path, sheet=table.sheet, cell=table.cell("渠道名称", row.number),
                                    row=row.number, column="渠道名称", value=raw))
                if resolution.resolved:
                    continue  # exactly, by an alias or by its short name
                close = resolution.candidates
                hint = f"（是否为“{'”或“'.join(close)}”？）" if close else ""
                out.append(make("channel.unknown",
                                f"渠道“{raw}”不在本次读取的意向客户登记表、协议台账和渠道拓展表中{hint}：请核对名称，"
                                "或在 qudao.toml 的 [channels] aliases 中登记别名",
                                file=report.path, sheet=table.sheet, cell=table.cell("渠道名称", row.number),
                                row=row.number, column="渠道名称", value=raw))
    return out


def targets_across_files(reports: list[FileReport], options) -> list[Finding]:
    """Unknown channels; the same channel (branch) and period in several target files (the newest counts)."""
    return (unknown_channels(reports, "targets", SHEET, options)
            + superseded_rows(reports, "targets", SHEET, channel_key, "target.duplicate", "目标", options)
            + superseded_rows(reports, "targets", DEV_SHEET, branch_key, "target.duplicate", "拓展目标", options))


ROW_RULES = {SHEET: (some_target,)}  # 考核期间 is read by its type (schema.types.Period: period.invalid)
FILE_RULES = (unique_targets, nested_targets)
CROSS_RULES = (targets_across_files,)
