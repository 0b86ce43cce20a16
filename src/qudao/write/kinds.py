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


def event(wb, kind, values: dict[str, Any], options: dict[str, Any]) -> None:
    """物料清单: a live 合计 under the rows (=SUM of 小计(元)); fill writes above it and moves it down
    when the rows reach it (qudao.write.append)."""
    from openpyxl.styles import Border, Side

    from qudao.write.workbook import FORMULA_FILL, NUMBER_FORMATS

    table = kind.table("物料清单")
    ws = wb[table.sheet]
    headers = [c.header for c in table.columns]
    header_row = next(r for r in range(1, 10) if ws.cell(row=r, column=1).value == headers[0])
    first, last = header_row + 1, header_row + table.blank_rows
    total = last + 1
    top = Border(left=BORDER.left, right=BORDER.right, top=Side(style="double", color="595959"),
                 bottom=BORDER.bottom)
    for c in range(1, len(headers) + 1):
        cell = ws.cell(row=total, column=c)
        cell.border, cell.font = top, LABEL_FONT
    ws.cell(row=total, column=1, value="合计")
    letter = get_column_letter(headers.index("小计(元)") + 1)
    cell = ws.cell(row=total, column=headers.index("小计(元)") + 1, value=f"=SUM({letter}{first}:{letter}{last})")
    cell.number_format, cell.fill = NUMBER_FORMATS["money"], FORMULA_FILL
