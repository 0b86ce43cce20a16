"""The plan's extras: the hidden holiday calendar behind 工期(天), the tasks, and the Gantt weeks.

The Gantt chart is conditional formatting: every week column is headed by
its Monday, and a cell is shaded when that week overlaps the row's
计划开始–计划完成 — so editing a date in Excel, WPS or LibreOffice moves
the bar. Finished tasks are shaded green. Above the week headers, beside
the header block, the calendar shows through: a legend naming this plan's
holidays and make-up days with their dates, a row marking each week's
holidays (国庆, 春节 …, amber; 调休, lilac) and a row with each week's working
days (red under 5); a week without any working day greys the bar out.
One column per week keeps a 13-week plan readable on A4 landscape (a column
per day would print at half the size); see docs/decisions.md.
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
    ROW_HEIGHT,
    format_rows,
    print_setup,
    set_value,
    text_lines,
)

CALENDAR_SHEET = "_calendar"
BAR = PatternFill("solid", fgColor="5B9BD5")
DONE = PatternFill("solid", fgColor="70AD47")
OFF = PatternFill("solid", fgColor="D9D9D9")  # a week of the bar without working days
HOLIDAY = PatternFill("solid", fgColor="FFE699")
MAKEUP = PatternFill("solid", fgColor="E4DFEC")
UNKNOWN = PatternFill("solid", fgColor="EDEDED")  # a year without holiday data
WEEK_WIDTH = 4.5
SMALL = Font(name=BODY_FONT.name, size=9, color="595959")
SMALL_BOLD = Font(name=BODY_FONT.name, size=9, bold=True, color="595959")
LEGEND = "每列一周（表头为周一日期），按计划开始/计划完成自动着色：蓝为计划，绿为已完成，灰为整周放假"


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

    blank = options.get("rows", {}).get(table.sheet, table.blank_rows)  # the rows write_table formatted
    if plan is not None:
        headers = [c.header for c in table.columns]
        last_row = header_row + max(len(plan.tasks), 1)
        format_rows(ws, table, header_row, header_row + 1, max(last_row, header_row + blank))
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
        ws.column_dimensions[get_column_letter(first_week_col + i)].width = WEEK_WIDTH
    last_data = header_row + max(blank, len(plan.tasks) if plan else 0)
    a, b = get_column_letter(first_week_col), get_column_letter(first_week_col + len(weeks) - 1)
    for r in range(header_row + 1, last_data + 1):
        for c in range(first_week_col, first_week_col + len(weeks)):
            ws.cell(row=r, column=c).border = BORDER
    marks = header_row >= 5  # the header block leaves three rows beside it for the calendar rows
    if marks:
        calendar_rows(ws, calendar, weeks, header_row, first_week_col)
    grid = f"{a}{header_row + 1}:{b}{last_data}"
    start, end, state = cols["计划开始"], cols["计划完成"], cols["状态"]
    r0 = header_row + 1
    overlap = f'AND(${start}{r0}<>"",${end}{r0}<>"",{a}${header_row}<=${end}{r0},{a}${header_row}+6>=${start}{r0})'
    if marks:  # a week without a single working day (春节) interrupts the bar
        ws.conditional_formatting.add(grid, FormulaRule(formula=[f"AND({overlap},{a}${header_row - 1}=0)"],
                                                        fill=OFF, stopIfTrue=True))
    ws.conditional_formatting.add(grid, FormulaRule(formula=[f'AND({overlap},${state}{r0}="已完成")'], fill=DONE,
                                                    stopIfTrue=True))
    ws.conditional_formatting.add(grid, FormulaRule(formula=[overlap], fill=BAR))
    title_end = first_week_col + len(weeks) - 1
    for merged in list(ws.merged_cells.ranges):
        if merged.min_row == 1 and merged.max_row == 1:
            ws.unmerge_cells(str(merged))
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=title_end)
    ws.auto_filter.ref = f"A{header_row}:{get_column_letter(len(table.columns))}{header_row}"
    if not marks:
        note = ws.cell(row=header_row - 1, column=first_week_col, value=LEGEND)
        note.font = SMALL
    # the calendar rows repeat with the header on every page; the sheet is now wider: orientation again
    print_setup(ws, header_row, title=kind.title, period=f"计划周期：{values['计划周期']}" if values.get("计划周期")
                else "", repeat=(header_row - 2 if marks else header_row, header_row),
                key=3, breakable=[first_week_col - 2])  # wide: the tasks, then 序号/阶段/工作事项 beside the Gantt


def calendar_rows(ws, calendar, weeks: list[_dt.date], header_row: int, first_col: int) -> None:
    """Three rows beside the header block, over the week columns: the legend with this plan's holidays
    and make-up days (row header-3), each week's holidays (header-2, coloured) and its working days
    (header-1). Each row's label ends with ：, so a reader never takes the row for a header-block value."""
    last_col = first_col + len(weeks) - 1
    note_row, mark_row, days_row = header_row - 3, header_row - 2, header_row - 1
    span_first, span_last = weeks[0], weeks[-1] + _dt.timedelta(days=6)
    parts = [f"{name} {_md(a)}{'–' + _md(b) if b != a else ''} 放假"
             for name, a, b in calendar.holiday_spans(span_first, span_last)]
    _off, on = calendar.special_days(span_first, span_last)
    if on:
        parts.append("、".join(f"{_md(d)}（{'六日'[d.weekday() - 5]}）" for d in on) + " 调休上班")
    uncovered = calendar.uncovered_years(span_first, span_last)
    if uncovered:
        years = "、".join(str(y) for y in uncovered)
        parts.append(f"{years} 年没有节假日数据，只排除了周末（标“？”的周；在 qudao.toml 的 calendar.holidays / "
                     "calendar.workdays 中补充）")
    text = LEGEND + ("；本期" + "，".join(parts) + "。" if parts else "；本期没有法定节假日。")
    for row, label in ((note_row, "甘特图："), (mark_row, "节假日："), (days_row, "工作日：")):
        cell = ws.cell(row=row, column=first_col - 1, value=label)
        cell.font, cell.alignment = SMALL_BOLD, Alignment(horizontal="right", vertical="center")
    note = ws.cell(row=note_row, column=first_col, value=text)
    note.font, note.alignment = SMALL, Alignment(vertical="center", wrap_text=True)
    ws.merge_cells(start_row=note_row, start_column=first_col, end_row=note_row, end_column=last_col)
    width = WEEK_WIDTH * len(weeks)
    ws.row_dimensions[note_row].height = max(20, ROW_HEIGHT * text_lines(text, width) + 2)
    lines = 1
    for i, monday in enumerate(weeks):
        count, _off, on = calendar.week(monday)
        names = list(dict.fromkeys(calendar.holiday_name(d) for d in _days(monday) if calendar.is_holiday(d)))
        if on:
            names.append("调休")
        unknown = any(d.year in uncovered for d in _days(monday))
        if unknown and not names:
            names = ["？"]
        mark = ws.cell(row=mark_row, column=first_col + i, value="\n".join(names) or None)
        mark.font, mark.border = SMALL, BORDER
        mark.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        if names:
            mark.fill = UNKNOWN if names == ["？"] else MAKEUP if names == ["调休"] else HOLIDAY
        lines = max(lines, len(names))
        days = ws.cell(row=days_row, column=first_col + i, value=count)
        days.font = SMALL_BOLD if count < 5 else SMALL
        days.border, days.number_format = BORDER, "0"
        days.alignment = Alignment(horizontal="center", vertical="center")
        if count != 5:
            days.font = Font(name=BODY_FONT.name, size=9, bold=True, color="C00000" if count < 5 else "7030A0")
    ws.row_dimensions[mark_row].height = max(20, ROW_HEIGHT * lines + 2)


def _days(monday: _dt.date) -> list[_dt.date]:
    return [monday + _dt.timedelta(days=k) for k in range(7)]


def _md(day: _dt.date) -> str:
    return f"{day.month}/{day.day}"


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
