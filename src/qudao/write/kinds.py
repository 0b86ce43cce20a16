"""Per-kind additions to generated workbooks: a function named like the kind's module (qudao.schema)."""

from __future__ import annotations

from typing import Any

from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from qudao.write.workbook import BORDER, LABEL_FONT


def screening(wb, kind, values: dict[str, Any], options: dict[str, Any]) -> None:
    """权重: a live total under the six weights; 推荐结论 coloured by verdict."""
    ws = wb["权重"]
    total = 2 + len(kind.table("权重").prefill)
    ws.cell(row=total, column=1, value="合计").font = LABEL_FONT
    cell = ws.cell(row=total, column=2, value=f"=SUM(B2:B{total - 1})")
    cell.font = LABEL_FONT
    for c in (1, 2, 3):
        ws.cell(row=total, column=c).border = BORDER
    ws.cell(row=total, column=3, value="六项合计必须为 100；修改后“楼盘筛选”表的加权得分自动重算").font = Font(
        size=9, color="808080")
    main = wb["楼盘筛选"]
    headers = [c.header for c in kind.main.columns]
    letter = get_column_letter(headers.index("推荐结论") + 1)
    header_row = next(r for r in range(1, 10) if main.cell(row=r, column=1).value == "序号")
    rng = f"{letter}{header_row + 1}:{letter}{header_row + kind.main.blank_rows}"
    from qudao.schema.screening import OTHERWISE, VERDICTS

    names = [name for _cut, name in VERDICTS] + [OTHERWISE]
    for verdict, color in zip(names, ("C6EFCE", "FFEB9C", "FFC7CE")):
        main.conditional_formatting.add(rng, CellIsRule(operator="equal", formula=[f'"{verdict}"'],
                                                        fill=PatternFill("solid", fgColor=color)))


def plan(wb, kind, values: dict[str, Any], options: dict[str, Any]) -> None:
    """工作计划: the working calendar and the Gantt chart (qudao.write.plan)."""
    from qudao.write.plan import add_calendar_and_gantt

    add_calendar_and_gantt(wb, kind, values, options)


def agreements(wb, kind, values: dict[str, Any], options: dict[str, Any]) -> None:
    """协议台账 prints on three A4 pages across, each starting with 协议编号 and 渠道名称: the terms
    (the version-1 columns), 乙方's details and payee account, the targets. 27 columns fitted to one
    page would print unreadably small; a fixed scale, because LibreOffice ignores manual page breaks
    when a sheet is fitted to pages."""
    from openpyxl.worksheet.pagebreak import Break

    ws = wb["协议台账"]
    headers = [c.header for c in kind.main.columns]
    last = headers.index("我方签约人") + 1  # the first page's last column (1-based)
    ws.print_title_cols = "A:B"
    ws.sheet_properties.pageSetUpPr.fitToPage = False
    ws.page_setup.scale = 55
    for column in ("我方签约人", "收款账号"):  # a page ends after each of these
        ws.col_breaks.append(Break(id=headers.index(column) + 1))
    for merged in list(ws.merged_cells.ranges):  # the title, centred over the first page rather than both
        if merged.min_row == merged.max_row == 1 and merged.min_col == 1:
            ws.unmerge_cells(str(merged))
            ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=last)
