"""followup.stale, shared by the negotiation tracker and the feedback customers."""

from __future__ import annotations

import datetime as _dt

from qudao.records import Context, ParsedTable, Row


def days_stale(last: _dt.date | None, ref: _dt.date, settings) -> int:
    """Days since the last follow-up when that is more than the configured stale days, else 0."""
    if last is None:
        return 0
    days = (ref - last).days
    return days if days > settings.stale_days else 0


def stale(table: ParsedTable, row: Row, ctx: Context, subject: str) -> None:
    """A warning when 最近跟进日期 is more than the configured days before the file's date."""
    last = row.values.get("最近跟进日期")
    days = days_stale(last, ctx.ref_date, ctx.settings)
    limit = ctx.settings.stale_days
    if days:
        ctx.add("followup.stale", f"{subject}已 {days} 天未跟进（超过 {limit} 天）",
                sheet=table.sheet, cell=table.cell("最近跟进日期", row.number), row=row.number,
                column="最近跟进日期", value=last)
