"""工作进程反馈表: A/B customers not followed up for more than the stale days."""

from __future__ import annotations

from qudao.check.followups import stale
from qudao.records import Context, ParsedTable, Row
from qudao.schema.feedback import FOLLOW_CLOSED


def stale_customer(table: ParsedTable, row: Row, ctx: Context) -> bool:
    """An A/B customer still followed up whose 最近跟进日期 is more than the stale days before the file's date."""
    grade = row.values.get("意向等级")
    if grade in ("A", "B") and row.values.get("跟进状态") not in FOLLOW_CLOSED:
        stale(table, row, ctx, f"{grade} 级客户「{row.values.get('客户姓名', '')}」")
    return False


ROW_RULES = {"客户内容": (stale_customer,)}
