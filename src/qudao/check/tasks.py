"""Plans and handoff items: task.overdue (relative to --as-of)."""

from __future__ import annotations

import datetime as _dt

from qudao.records import Context, ParsedTable, Row
from qudao.schema.model import TASK_CLOSED

DUE = {"工作计划": ("计划完成", "工作事项"), "对接事项": ("要求完成日期", "对接事项")}


def is_open(values: dict) -> bool:
    """A plan, handoff or progress item that is not 已完成 or 取消 (carried over, may be overdue)."""
    return values.get("状态") not in TASK_CLOSED


def overdue(row: Row, due_column: str, as_of: _dt.date) -> int:
    """Days overdue (0 when not overdue)."""
    due = row.values.get(due_column)
    if due is None or not is_open(row.values):
        return 0
    return max((as_of - due).days, 0)


def task_overdue(table: ParsedTable, row: Row, ctx: Context) -> bool:
    """An open item (not 已完成/取消) past its due date (计划完成 / 要求完成日期) on the as-of date."""
    due_column, item_column = DUE[table.schema_sheet]
    days = overdue(row, due_column, ctx.as_of)
    if days:
        item = row.values.get(item_column) or ""
        ctx.add("task.overdue",
                f"「{item[:30]}」应于 {row.values[due_column].isoformat()} 完成，已逾期 {days} 天，"
                f"状态仍为“{row.values.get('状态') or '未填'}”",
                sheet=table.sheet, cell=table.cell(due_column, row.number), row=row.number, column=due_column,
                value=row.values[due_column])
    return False



