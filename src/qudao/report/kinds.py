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
        ws = book.sheet(section.sheet)
        r = 0
        ws.write_string(r, 0, section.title, book.f["title"])
        r += 1
        if section.note:
            ws.write_string(r, 0, section.note, book.f["sub"])
            r += 1
        r += 1
        tops = []
        for table in section.tables:
            ws.write_string(r, 0, table.caption, book.f["label"])
            r += 1
            formats = table.formats or ["text"] * len(table.header)
            widths = table.widths or [14] + [10] * (len(table.header) - 1)
            columns = [(h, f, w) for h, f, w in zip(table.header, formats, widths)]
            tops.append((r, len(table.rows)))
            n = book.table(ws, r, columns, table.rows, freeze=False, autofilter=False)
            r += max(n, 0) + 3
        for k, chart in enumerate(section.charts):
            top, n = tops[chart.table]
            if not n:
                continue
            c = book.wb.add_chart({"type": chart.kind})
            series = {"name": chart.title, "categories": [section.sheet, top + 1, 0, top + n, 0],
                      "values": [section.sheet, top + 1, chart.value_column, top + n, chart.value_column]}
            if chart.kind == "pie":
                series["data_labels"] = {"percentage": True}
            else:
                series["fill"] = {"color": CHART_COLORS[k % len(CHART_COLORS)]}
                series["data_labels"] = {"value": True}
            c.add_series(series)
            c.set_title({"name": chart.title})
            c.set_legend({"none": True} if chart.kind != "pie" else {"position": "right"})
            c.set_size({"width": 480, "height": 260})
            ws.insert_chart(3 + 14 * k, 9, c)

    return write


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
