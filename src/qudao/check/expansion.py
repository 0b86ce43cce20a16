"""渠道拓展: visits below the grade's minimum; steps out of the standard order."""

from __future__ import annotations

from qudao.records import Context, ParsedTable, Row
from qudao.schema.expansion import STEPS


def visit_shortfall(values: dict, settings) -> int:
    """The grade's monthly visit minimum when 本月拜访次数 is below it, else 0."""
    grade, count = values.get("渠道等级"), values.get("本月拜访次数")
    if grade is None or count is None:
        return 0
    minimum = settings.visit_minimums.get(grade, 0)
    return minimum if count < minimum else 0


def visits(table: ParsedTable, row: Row, ctx: Context) -> bool:
    """本月拜访次数 below the minimum of the channel's grade (A/B 5, C/D 2 by default)."""
    grade, count = row.values.get("渠道等级"), row.values.get("本月拜访次数")
    minimum = visit_shortfall(row.values, ctx.settings)
    if minimum:
        ctx.add("visits.below_minimum",
                f"{grade} 级渠道「{row.values.get('渠道名称', '')}」本月拜访 {count} 次，少于规定的 {minimum} 次",
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
