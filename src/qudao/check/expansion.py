"""渠道拓展: visits below the grade's minimum; steps out of the standard order."""

from __future__ import annotations

import calendar
import datetime as _dt
import math

from qudao.records import Context, ParsedTable, Row
from qudao.schema.expansion import STEPS


def visit_shortfall(values: dict, settings, day: _dt.date) -> tuple[int, int] | None:
    """(visits required by ``day``, the month's minimum) when 本月拜访次数 is below what the grade asks
    by that day of the month, else None. On the month's last day the whole minimum is due; earlier,
    the minimum in proportion to the days elapsed, rounded up (docs/decisions.md)."""
    grade, count = values.get("渠道等级"), values.get("本月拜访次数")
    if grade is None or count is None:
        return None
    minimum = settings.visit_minimums.get(grade, 0)
    days = calendar.monthrange(day.year, day.month)[1]
    due = minimum if day.day >= days else math.ceil(minimum * day.day / days)
    return (due, minimum) if count < due else None


def visits(table: ParsedTable, row: Row, ctx: Context) -> bool:
    """本月拜访次数 below the grade's minimum at month end (A/B 5, C/D 2 by default), or behind pace earlier."""
    grade, count = row.values.get("渠道等级"), row.values.get("本月拜访次数")
    day = ctx.ref_date
    short = visit_shortfall(row.values, ctx.settings, day)
    if short:
        due, minimum = short
        pace = "" if due == minimum else f"，按进度本月此时（{day.month}月{day.day}日）应至少拜访 {due} 次"
        ctx.add("visits.below_minimum",
                f"{grade} 级渠道「{row.values.get('渠道名称', '')}」本月拜访 {count} 次，每月规定至少 {minimum} 次{pace}",
                sheet=table.sheet, cell=table.cell("本月拜访次数", row.number), row=row.number,
                column="本月拜访次数", value=count)
    return False


def steps(table: ParsedTable, row: Row, ctx: Context) -> bool:
    """Step dates in the standard order (初访 → … → 首批客户); customers before a signed agreement."""
    values = row.values
    first_customers, signed = values.get("首批客户日期"), values.get("协议签订日期")
    customers_early = first_customers is not None and (signed is None or first_customers < signed)
    previous = None
    for step in STEPS:
        day = values.get(step)
        if day is None:
            continue
        if previous is not None and day < previous[1] and not (step == "首批客户日期" and customers_early):
            ctx.add("steps.order",
                    f"「{step}」（{day.isoformat()}）早于前一步「{previous[0]}」（{previous[1].isoformat()}），"
                    "拓展步骤应依次为：" + " → ".join(s.replace("日期", "") for s in STEPS),
                    sheet=table.sheet, cell=table.cell(step, row.number), row=row.number, column=step, value=day)
        previous = (step, day) if previous is None or day >= previous[1] else previous
    if customers_early:
        ctx.add("steps.order", "还没有签订渠道合作协议就已有客户，请先签协议（统一版本）",
                sheet=table.sheet, cell=table.cell("首批客户日期", row.number), row=row.number,
                column="首批客户日期", value=first_customers)
    return False


ROW_RULES = {"渠道拓展": (visits, steps)}
