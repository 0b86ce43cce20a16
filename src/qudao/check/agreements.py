"""协议台账: unique numbers, agreements expiring soon, and expired ones still marked 有效."""

from __future__ import annotations

import datetime as _dt

from qudao.findings import row_place
from qudao.records import Context, FileReport, ParsedTable, Row

SHEET = "协议台账"


def in_force(values: dict) -> bool:
    """An agreement row marked 有效 (or without a state)."""
    return values.get("状态") in ("有效", None)


def expiring_in(values: dict, as_of: _dt.date, settings) -> int | None:
    """Days until an agreement in force ends, when that is within the warning days; else None."""
    end = values.get("到期日期")
    if end is None or not in_force(values):
        return None
    days = (end - as_of).days
    return days if 0 <= days <= settings.agreement_warn_days else None


def expiry(table: ParsedTable, row: Row, ctx: Context) -> bool:
    """An agreement in force that ends within the warning days, or is marked 有效 after its end (a warning
    naming the 状态 cell: the dates govern, never a rejected row)."""
    end = row.values.get("到期日期")
    if end is None or not in_force(row.values):
        return False
    days = (end - ctx.as_of).days
    name = row.values.get("渠道名称", "")
    if days < 0 and row.values.get("状态") == "有效":  # rule 6: the dates govern, the row still prices its term
        ctx.add("agreement.expired_active",
                f"「{name}」的协议已于 {end.isoformat()} 到期，状态却仍为“有效”：请续签或把状态改为“到期”。"
                f"按日期计算：{end.isoformat()} 之前登记的客户仍按本协议计佣，之后登记的不再适用本协议",
                sheet=table.sheet, cell=table.cell("状态", row.number), row=row.number, column="状态", value="有效")
        return False
    if expiring_in(row.values, ctx.as_of, ctx.settings) is not None:
        ctx.add("agreement.expiring", f"「{name}」的协议将于 {end.isoformat()} 到期（还有 {days} 天），请安排续签",
                sheet=table.sheet, cell=table.cell("到期日期", row.number), row=row.number, column="到期日期",
                value=end)
    return False


def unique_numbers(report: FileReport, ctx: Context) -> None:
    """Every 协议编号 once in the ledger."""
    seen: dict[str, tuple[str, int]] = {}
    for table in report.tables_for(SHEET):
        for row in table.rows:
            number = row.values.get("协议编号")
            if not number or row.rejected:
                continue
            first = seen.setdefault(number, (table.sheet, row.number))
            if first != (table.sheet, row.number):
                ctx.add("agreement.duplicate_id", f"协议编号“{number}”与{row_place(first, table.sheet)}重复，协议编号必须唯一",
                        sheet=table.sheet, cell=table.cell("协议编号", row.number), row=row.number,
                        column="协议编号", value=number)
                row.rejected = True


ROW_RULES = {SHEET: (expiry,)}
FILE_RULES = (unique_numbers,)
