"""followup.stale, shared by the negotiation tracker and the feedback customers."""

from __future__ import annotations

from qudao.records import Context, ParsedTable, Row


def stale(table: ParsedTable, row: Row, ctx: Context, subject: str) -> None:
    """A warning when 最近跟进日期 is more than the configured days before the file's date."""
    last = row.values.get("最近跟进日期")
    if last is None:
        return
    days = (ctx.ref_date - last).days
    limit = ctx.settings.stale_days
    if days > limit:
        ctx.add("followup.stale", f"{subject}已 {days} 天未跟进（超过 {limit} 天）",
                sheet=table.sheet, cell=table.cell("最近跟进日期", row.number), row=row.number,
                column="最近跟进日期", value=last)
