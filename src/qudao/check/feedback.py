"""工作进程反馈表: A/B customers not followed up for more than the stale days."""

from __future__ import annotations

from qudao.io.tables import Context, ParsedTable, Row


def stale_customer(table: ParsedTable, row: Row, ctx: Context) -> bool:
    last = row.values.get("最近跟进日期")
    if last is None or row.values.get("意向等级") not in ("A", "B"):
        return False
    days = (ctx.ref_date - last).days
    limit = ctx.settings.stale_days
    if days > limit:
        ctx.add("followup.stale",
                f"{row.values.get('意向等级')} 级客户「{row.values.get('客户姓名', '')}」已 {days} 天未跟进（超过 {limit} 天）",
                sheet=table.sheet, cell=table.cell("最近跟进日期", row.number), row=row.number,
                column="最近跟进日期", value=last)
    return False


ROW_RULES = {"客户内容": (stale_customer,)}
