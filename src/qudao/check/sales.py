"""Rules of the 案场成交台账 (issue 24) beyond what the schema declares: every row's 楼盘, a deal's date and
amount together, and the unit of an amount column whose header writes none."""

from __future__ import annotations

from qudao.records import Context, FileReport, ParsedTable, Row
from qudao.schema.sales import AMOUNT, CANCELLED

SHEET = "成交台账"
YUAN_FROM = 10_000  # an amount column whose every value is at least this is in 元 (no deal is 1 亿 万元)
MAX_WAN = 100_000  # 10 亿元: beyond it an amount is a typo (as the register's 成交金额)
DEAL_DATES = ("认购日期", "签约日期")


def deal_date(values) -> object:
    """The day a ledger row's deal was made: its 认购日期, else its 签约日期 (None: not a deal, or 退房)."""
    if values.get("交易状态") == CANCELLED:
        return None
    return values.get("认购日期") or values.get("签约日期")


def deal_complete(table: ParsedTable, row: Row, ctx: Context) -> bool:
    """deal.incomplete: a deal date without an amount, or an amount without a date (退房 rows need neither)."""
    v = row.values
    if v.get("交易状态") == CANCELLED or any(h in row.bad for h in (*DEAL_DATES, AMOUNT)):
        return False
    dated = any(v.get(h) is not None for h in DEAL_DATES)
    priced = v.get(AMOUNT) is not None
    if dated == priced:
        return False
    target = AMOUNT if dated else DEAL_DATES[0]
    ctx.add("deal.incomplete", "成交信息不全：有认购/签约日期但没有成交金额" if dated
            else "成交信息不全：有成交金额但没有认购日期或签约日期",
            sheet=table.sheet, cell=table.cell(target, row.number), row=row.number, column=target)
    return True


def property_known(report: FileReport, ctx: Context) -> None:
    """Every row needs its 楼盘: the row's, else its sheet's or the file's header block (an export of one
    project names it in its title block)."""
    for table in report.tables_for(SHEET):
        fallback = table.block.get("楼盘") or report.block.get("楼盘")
        for row in table.rows:
            if row.rejected or row.values.get("楼盘"):
                continue
            if fallback:
                row.values["楼盘"] = fallback
                continue
            where = (dict(cell=table.cell("楼盘", row.number), column="楼盘") if "楼盘" in table.columns
                     else dict(column="楼盘"))
            ctx.add("value.required", "「楼盘」为空，表头也没有写楼盘，无法与登记表的成交对应",
                    sheet=table.sheet, row=row.number, **where)
            row.rejected = True


def amount_unit(report: FileReport, ctx: Context) -> None:
    """The unit of 成交金额 when the header writes none: 元 when every amount is at least 10,000 (an info
    finding on the header), else 万元 — and then an amount of 10,000 or more is an error (which unit?)."""
    for table in report.tables_for(SHEET):
        if AMOUNT not in table.columns:
            continue
        rows = [r for r in table.rows if not r.rejected and r.values.get(AMOUNT) is not None]
        if AMOUNT not in table.units and rows and all(r.values[AMOUNT] >= YUAN_FROM for r in rows):
            for r in rows:
                r.values[AMOUNT] = round(r.values[AMOUNT] / 10000, 6)
            table.units[AMOUNT] = "元"
            header = table.cell(AMOUNT, table.header_row)
            ctx.add("sales.amount_yuan", f"「成交金额」的表头没有写单位，整列金额都不小于 {YUAN_FROM:,}，按元换算成万元"
                    f"（如 {_plain(rows[0].values[AMOUNT] * 10000)} 元 = {_plain(rows[0].values[AMOUNT])} 万元）；"
                    "表头写成“成交总价(元)”或“成交金额(万元)”可免去这条提示",
                    sheet=table.sheet, cell=header, row=table.header_row, column=AMOUNT)
            continue
        for r in rows:
            value = r.values[AMOUNT]
            if AMOUNT not in table.units and value >= YUAN_FROM:
                message = (f"「成交金额」为 {_plain(value)}，而本列其他金额不到 {YUAN_FROM:,}：单位不明（元还是万元？）；"
                           "请在表头写明单位，如“成交总价(元)”")
            elif value > MAX_WAN:
                message = f"「成交金额」{_plain(value)} 万元超过 {MAX_WAN:,} 万元，请核对单位"
            else:
                continue
            ctx.add("value.range", message, sheet=table.sheet, cell=table.cell(AMOUNT, r.number), row=r.number,
                    column=AMOUNT, value=value)
            r.rejected = True


def _plain(x: float) -> str:
    return f"{x:,.2f}".rstrip("0").rstrip(".")


ROW_RULES = {SHEET: (deal_complete,)}
FILE_RULES = (property_known, amount_unit)
