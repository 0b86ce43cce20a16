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


def _header_cell(ws, header: str) -> tuple[int, int]:
    """(row, column) of a table header written by write_table."""
    for row in ws.iter_rows(min_row=1, max_row=20):
        for cell in row:
            if cell.value == header:
                return cell.row, cell.column
    raise KeyError(header)  # pragma: no cover - the schema wrote it


def scores(wb, kind, values: dict[str, Any], options: dict[str, Any]) -> None:
    """考核评分: a 5…1 dropdown (with what each score means) on the four scores in place of the generic
    whole-number check (the 考核期间 dropdown is its type's: schema.types.Period)."""
    from openpyxl.worksheet.datavalidation import DataValidation

    from qudao.schema.scores import ITEMS, SCALE, SCALE_HINT
    from qudao.write.workbook import VALIDATION_ROWS

    ws = wb[kind.main.sheet]
    for _key, header in ITEMS:
        row, column = _header_cell(ws, header)
        letter = get_column_letter(column)
        target = f"{letter}{row + 1}:{letter}{row + VALIDATION_ROWS}"
        for old in list(ws.data_validations.dataValidation):
            if str(old.sqref) == target:
                ws.data_validations.dataValidation.remove(old)
        dv = DataValidation(type="list", formula1='"' + ",".join(str(n) for n, _name in SCALE) + '"',
                            allow_blank=True)
        dv.error, dv.errorTitle = f"请选择 1–5 分（{SCALE_HINT[6:]}）", header[:32]
        dv.prompt, dv.promptTitle = SCALE_HINT, header[:32]
        dv.showErrorMessage = dv.showInputMessage = True
        dv.add(target)
        ws.add_data_validation(dv)


def event(wb, kind, values: dict[str, Any], options: dict[str, Any]) -> None:
    """物料清单: a live 合计 under the rows (=SUM of 小计(元)); fill writes above it and moves it down
    when the rows reach it (qudao.write.append)."""
    from openpyxl.styles import Border, Side

    from qudao.write.workbook import FORMULA_FILL

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
    cell.number_format, cell.fill = table.column("小计(元)").datatype.number_format, FORMULA_FILL


def agreements(wb, kind, values: dict[str, Any], options: dict[str, Any]) -> None:
    """协议台账 (27 columns) prints split across A4 pages, each led by 协议编号 and 渠道名称, its pages ending
    only between groups of columns: the dates of the term, the terms, 乙方's details, the payee account,
    the targets."""
    from qudao.write.workbook import print_setup

    ws = wb["协议台账"]
    headers = [c.header for c in kind.main.columns]
    header_row = int(str(ws.print_title_rows).split(":")[0].strip("$"))
    ends = [headers.index(h) for h in ("到期日期", "状态", "我方签约人", "乙方电话", "收款账号") if h in headers]
    print_setup(ws, header_row, title=kind.title, key=2, breakable=ends)
