"""结佣台账: every 付款编号 once (付款日期 not after the file's date and 付款金额 > 0 are the schema's checks).

Whether a payment matches a deal, pays too much or pays twice is decided against the registers
(analysis/payments.py), where the deals are known."""

from __future__ import annotations

from qudao.findings import row_place
from qudao.records import Context, FileReport

SHEET = "结佣记录"


def unique_numbers(report: FileReport, ctx: Context) -> None:
    """payment.duplicate_id: a 付款编号 already used by an earlier row (the later row is rejected)."""
    seen: dict[str, tuple[str, int]] = {}
    for table in report.tables_for(SHEET):
        for row in table.rows:
            number = row.values.get("付款编号")
            if not number or row.rejected:
                continue
            first = seen.setdefault(number, (table.sheet, row.number))
            if first != (table.sheet, row.number):
                ctx.add("payment.duplicate_id", f"付款编号“{number}”与{row_place(first, table.sheet)}重复，付款编号必须唯一"
                        "（同一笔付款只记一行；不同的付款请用不同的编号）",
                        sheet=table.sheet, cell=table.cell("付款编号", row.number), row=row.number, column="付款编号",
                        value=number)
                row.rejected = True


FILE_RULES = (unique_numbers,)
