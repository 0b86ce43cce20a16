"""楼盘筛选: the six weights must add up to 100."""

from __future__ import annotations

from qudao.records import Context, FileReport
from qudao.schema.screening import weights_add_up


def weights_sum(report: FileReport, ctx: Context) -> None:
    """The six weights of the 权重 sheet add up to 100."""
    table = report.tables.get("权重")
    if table is None:
        return
    rows = [r for r in table.rows if r.values.get("权重(%)") is not None]
    total = sum(r.values["权重(%)"] for r in rows)
    if rows and not weights_add_up(total):
        first = rows[0]
        ctx.add("weights.sum", f"六项评分的权重合计为 {total:g}，应为 100；加权得分因此不准确",
                sheet=table.sheet, cell=table.cell("权重(%)", first.number), row=first.number, column="权重(%)",
                value=total)
        for row in rows:
            row.rejected = True


FILE_RULES = (weights_sum,)
