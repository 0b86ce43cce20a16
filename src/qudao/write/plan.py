"""The plan's extras: the hidden holiday calendar behind 工期(天), the tasks, and the Gantt weeks.

The Gantt chart is conditional formatting: every week column is headed by
its Monday, and a cell is shaded when that week overlaps the row's
计划开始–计划完成 — so editing a date in Excel, WPS or LibreOffice moves
the bar. Finished tasks are shaded green.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName

from qudao.write.workbook import (
    BODY_FONT,
    BORDER,
    HEADER_FILL,
    HEADER_FONT,
    format_rows,
    set_value,
)

CALENDAR_SHEET = "_calendar"
BAR = PatternFill("solid", fgColor="5B9BD5")
DONE = PatternFill("solid", fgColor="70AD47")


def add_calendar_and_gantt(wb, kind, values: dict[str, Any], options: dict[str, Any]) -> None:
    from qudao.config import Settings
    from qudao.planning import Plan
    from qudao.workdays import WorkCalendar

    plan: Plan | None = options.get("plan")
    table = kind.main
    ws = wb[table.sheet]
    header_row = next(r for r in range(1, 20) if ws.cell(row=r, column=1).value == "序号")
    if plan is not None:
        calendar, weeks = plan.calendar, plan.weeks
    else:
        calendar = WorkCalendar.from_settings(options.get("settings") or Settings())
        today = options.get("today") or _dt.date.today()
        monday = today - _dt.timedelta(days=today.weekday())
        weeks = [monday + _dt.timedelta(days=7 * i) for i in range(13)]
    first, last = weeks[0] - _dt.timedelta(days=7), weeks[-1] + _dt.timedelta(days=120)
    write_calendar(wb, calendar, first, last)

    if plan is not None:
        headers = [c.header for c in table.columns]
        last_row = header_row + max(len(plan.tasks), 1)
        format_rows(ws, table, header_row, header_row + 1, max(last_row, header_row + table.blank_rows))
        for n, task in enumerate(plan.tasks, start=1):
            row = header_row + n
            line = {"序号": n, "阶段": task.phase, "工作事项": task.item, "负责人": options.get("owner") or "待定",
                    "计划开始": task.start, "计划完成": task.end, "交付物": task.deliverable, "状态": "未开始"}
            for header, value in line.items():
                if value != "":
                    set_value(ws.cell(row=row, column=headers.index(header) + 1), value)

    cols = {c.header: get_column_letter(i) for i, c in enumerate(table.columns, start=1)}
    first_week_col = len(table.columns) + 1
    for i, monday in enumerate(weeks):
        cell = ws.cell(row=header_row, column=first_week_col + i, value=monday)
        cell.number_format = "m/d"
        cell.font, cell.fill, cell.border = HEADER_FONT, HEADER_FILL, BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", text_rotation=90)
        ws.column_dimensions[get_column_letter(first_week_col + i)].width = 4.5
    last_data = header_row + max(table.blank_rows, len(plan.tasks) if plan else 0)
    a, b = get_column_letter(first_week_col), get_column_letter(first_week_col + len(weeks) - 1)
    for r in range(header_row + 1, last_data + 1):
        for c in range(first_week_col, first_week_col + len(weeks)):
            ws.cell(row=r, column=c).border = BORDER
    grid = f"{a}{header_row + 1}:{b}{last_data}"
    start, end, state = cols["计划开始"], cols["计划完成"], cols["状态"]
    r0 = header_row + 1
    overlap = f'AND(${start}{r0}<>"",${end}{r0}<>"",{a}${header_row}<=${end}{r0},{a}${header_row}+6>=${start}{r0})'
    ws.conditional_formatting.add(grid, FormulaRule(formula=[f'AND({overlap},${state}{r0}="已完成")'], fill=DONE,
                                                    stopIfTrue=True))
    ws.conditional_formatting.add(grid, FormulaRule(formula=[overlap], fill=BAR))
    title_end = first_week_col + len(weeks) - 1
    for merged in list(ws.merged_cells.ranges):
        if merged.min_row == 1 and merged.max_row == 1:
            ws.unmerge_cells(str(merged))
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=title_end)
    ws.auto_filter.ref = f"A{header_row}:{get_column_letter(len(table.columns))}{header_row}"
    note = ws.cell(row=header_row - 1, column=first_week_col, value="甘特图：每列为一周（周一日期），按计划开始/计划完成自动着色")
    note.font = Font(name=BODY_FONT.name, size=9, color="808080")


def write_calendar(wb, calendar, first: _dt.date, last: _dt.date) -> None:
    """Weekday holidays and weekend make-up workdays in [first, last], behind qd_holidays / qd_workdays."""
    if CALENDAR_SHEET in wb.sheetnames:
        del wb[CALENDAR_SHEET]
    ws = wb.create_sheet(CALENDAR_SHEET)
    ws.sheet_state = "hidden"
    ws["A1"], ws["B1"] = "节假日", "调休上班"
    off, on = calendar.special_days(first, last)
    for column, days in ((1, off), (2, on)):
        for r, day in enumerate(days, start=2):
            cell = ws.cell(row=r, column=column, value=day)
            cell.number_format = "yyyy-mm-dd"
    for name, letter, days in (("qd_holidays", "A", off), ("qd_workdays", "B", on)):
        end = max(len(days), 1) + 1
        wb.defined_names[name] = DefinedName(name, attr_text=f"'{CALENDAR_SHEET}'!${letter}$2:${letter}${end}")
