"""xlsx sheets and html/md sections for the other kinds' roll-ups (qudao.analysis.kinds)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Callable

from qudao.analysis.kinds import Section, sections_in_order
from qudao.analysis.summary import Summary
from qudao.money import fmt as money_fmt

CHART_COLORS = ("#2E75B6", "#C55A11", "#70AD47", "#FFC000", "#7030A0", "#9DC3E6", "#A5A5A5")


def _sheet_writer(section: Section) -> Callable:
    def write(book, summary) -> None:
        from qudao.report.xlsx import ROW_PT, count_axis

        from qudao.write.style import text_lines

        r = 0
        lead = 1 + bool(section.note)
        ws = book.sheet(section.sheet, repeat=(0, lead - 1))  # the section's title (and note) on every page
        ws.write_string(r, 0, section.title, book.f["title"])
        r += 1
        note_lines = 1
        if section.note:
            # the note wraps over the widest table's columns: run on to the right, it would widen the printed
            # page (LibreOffice prints the cells a text overflows into) and shrink all of it
            span = max((len(t.header) for t in section.tables), default=1)
            width = max((sum(t.widths[:span] if t.widths else [_width(t, i) for i in range(len(t.header))])
                         for t in section.tables), default=60)
            note_lines = text_lines(section.note, width)
            if note_lines > 1 and span > 1:
                ws.set_row(r, ROW_PT * note_lines + 2)
                ws.merge_range(r, 0, r, span - 1, section.note, book.f["sub_wrap"])
            else:
                ws.write_string(r, 0, section.note, book.f["sub"])
            r += 1
        book.flow(ws, 0, [22.0] + [ROW_PT * note_lines] * lead, keep=lead + 1)
        r += 1
        tops = []
        for table in section.tables:
            ws.write_string(r, 0, table.caption, book.f["label"])
            formats = table.formats or ["text"] * len(table.header)
            columns = [(h, f, table.widths[i] if table.widths else _width(table, i)) for i, (h, f) in enumerate(zip(table.header, formats))]
            tops.append((r + 1, len(table.rows)))
            heights = _wrapped_heights(table, columns)  # "wrap" columns: rows as tall as their text
            n = book.table(ws, r + 1, columns, table.rows, freeze=False, autofilter=False, heights=heights)
            # the caption, header and first rows stay together on a page
            book.flow(ws, r, [ROW_PT, 30.0] + (heights or [ROW_PT] * n) + [ROW_PT] * 2, keep=2 + min(n, 3))
            r += 1 + max(n, 0) + 3
        # charts under the tables (beside them, the page would be too wide to print readably)
        for k, chart in enumerate(section.charts):
            top, n = tops[chart.table]
            if not n:
                continue
            c = book.wb.add_chart({"type": chart.kind})
            series = {"name": chart.title, "categories": [section.sheet, top + 1, 0, top + n, 0],
                      "values": [section.sheet, top + 1, chart.value_column, top + n, chart.value_column]}
            table = section.tables[chart.table]
            if chart.kind == "pie":
                series["data_labels"] = {"percentage": True}
            else:
                series["fill"] = {"color": CHART_COLORS[k % len(CHART_COLORS)]}
                series["data_labels"] = {"value": True}
                values = [row[chart.value_column] for row in table.rows
                          if isinstance(row[chart.value_column], (int, float))]
                counts = (table.formats or [])[chart.value_column:chart.value_column + 1] == ["int"]
                axis = count_axis(max(values, default=1)) if counts else {"min": 0}
                if chart.kind == "bar":  # horizontal bars: categories top-down, in the table's order
                    c.set_y_axis({"reverse": True})
                    c.set_x_axis(axis)
                else:
                    c.set_y_axis(axis)
            c.add_series(series)
            c.set_title({"name": chart.title, "name_font": {"size": 12}})
            c.set_legend({"none": True} if chart.kind != "pie" else {"position": "right"})
            book.chart(ws, r, 0, c, 480, 260)
            book.flow(ws, r, [260 * 0.75 + 2 * ROW_PT], keep=1)  # the chart and a gap: never split by a page break
            r += 15

    return write


def _wrapped_heights(table, columns) -> list[float]:
    """Row heights for a table with "wrap" columns (LibreOffice does not fit rows on opening): the most lines any
    wrapped cell of the row needs, at 13.5 pt a line with a 10 % margin; [] without such columns."""
    import math

    from qudao.text import display_width as text_width

    wrapped = [(i, width) for i, (_h, fmt, width) in enumerate(columns) if fmt == "wrap"]
    if not wrapped:
        return []
    out = []
    for row in table.rows:
        lines = max(math.ceil(text_width(str(row[i] or "")) * 1.1 / max(width - 1, 1)) for i, width in wrapped)
        out.append(13.5 * max(lines, 1) + 2)
    return out


def _width(table, i: int) -> float:
    """A column as wide as its longest text (within 10–36), so that printed cells are not cut off."""
    from qudao.text import display_width

    texts = [row[i] for row in table.rows if isinstance(row[i], str)]
    return min(max([14 if i == 0 else 10, *(display_width(t) + 1 for t in texts)]), 36)


def extra_sheet_writers(summary: Summary) -> list[Callable]:
    return [_sheet_writer(section) for section in sections_in_order(summary.kinds)]


def report_sections(summary: Summary) -> list[dict[str, Any]]:
    out = []
    for section in sections_in_order(summary.kinds):
        out.append({"title": section.title, "note": section.note,
                    "tables": [{"caption": t.caption, "header": t.header,
                                "rows": [[_cell(v, f) for v, f in zip(row, t.formats or ["text"] * len(row))]
                                         for row in t.rows]} for t in section.tables]})
    return out


def _cell(value: Any, fmt: str) -> Any:
    if value is None:
        return ""
    if fmt == "pct" and isinstance(value, (int, float)):
        return f"{value * 100:.1f}%"
    if fmt == "money" and isinstance(value, (int, float, Decimal)):
        return money_fmt(value)
    return value
