"""The 渠道汇总分析表 workbook (xlsxwriter: fast, real charts, deterministic).

Sheets in the order of tools.md §2: 总览 (KPIs, reconciliation, funnel and
channel charts), 按渠道, 按渠道类型, 按分所, 按楼盘, 按周 (trend chart),
撞单明细, 问题清单, 明细 — then one or more sheets per other kind present.

Every value that came from an input is written with an explicit typed call
(``write_string`` …) and the workbook is opened with ``strings_to_formulas``
off, so text starting with ``= + - @`` can never become a formula.
"""

from __future__ import annotations

import datetime as _dt
import math
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable, Sequence

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from qudao.analysis.register import NATURAL, GroupRow, Stats
from qudao.analysis.evidence import evidence_label
from qudao.analysis.summary import DETAIL_LEAD, DETAIL_TAIL, Summary
from qudao.findings import CODES
from qudao.labels import (
    KPI_CN,
    SEVERITY_CN,
    SHEET_BY_BRANCH,
    SHEET_BY_CHANNEL,
    SHEET_BY_PROPERTY,
    SHEET_BY_TYPE,
    SHEET_BY_WEEK,
    SHEET_CONFLICTS,
    SHEET_DETAILS,
    SHEET_FINDINGS,
    SHEET_OVERVIEW,
    SHEET_PROTECTION,
    SHEET_SETTLEMENT,
)
from qudao.money import ZERO, as_json
from qudao.money import fmt as money_fmt
from qudao.safe import cell_text
from qudao.write.atomic import atomic_path
from qudao.weeks import display as display_week
from qudao.text import display_width
from qudao.write.style import (
    FONT,
    MARGINS,
    PAPER_A4,
    PORTRAIT_WIDTH,
    PagePlan,
    apply_xlsxwriter,
    header_text,
    plan_pages,
    text_lines,
    xlsxwriter_footer,
    xlsxwriter_header,
)

# A4 in points, less the margins of Book.sheet: (width, height) of what one page holds at 100 %.
PAGE_PORTRAIT = (595 - 58, 842 - 97)
PAGE_LANDSCAPE = (842 - 58, 595 - 97)
# Excel's last row is 1,048,576: a 明细 sheet holds its header and at most this many rows; the rest continue on
# 明细(2), 明细(3) … (issue 17). A module constant so that a test can make it small.
DETAIL_SHEET_ROWS = 1_048_575
ROW_PT = 14.0  # a 10 pt row: ~12.8 pt in LibreOffice, ~13.5 in Excel (微软雅黑), estimated on the safe side


@dataclass
class Layout:
    """What decides how a sheet prints: its column widths, charts, repeated rows and the blocks
    (a table's head, a chart) that must not be split by a page break."""

    landscape: bool | None  # None: by width
    split: bool = True  # a very wide sheet may be split across pages (False: one page wide, however small)
    breakable: list[int] | None = None  # the columns a page may end after (None: any)
    key: int = 1  # leading columns that name a row: repeated on every page across
    fit_height: int = 0  # pages tall when fitted (0: any number)
    columns: dict[int, float] = field(default_factory=dict)
    charts: list[tuple[int, int]] = field(default_factory=list)  # (first column, width in pixels)
    repeat_pt: float = 0.0
    items: list[tuple[int, list[float], int]] = field(default_factory=list)  # (first row, row heights, keep)

    def total_width(self) -> float:
        width = sum(self.columns.values())
        for col, pixels in self.charts:
            left = sum(w for c, w in self.columns.items() if c < col) + 8.43 * (col - sum(1 for c in self.columns
                                                                                         if c < col))
            width = max(width, left + pixels / 7)
        return width

    def plan(self) -> PagePlan:
        """How the sheet prints (``write.style.plan_pages``): a sheet with charts is fitted to one page wide
        (a chart cannot be split); a table sheet wider than one landscape page at a readable scale is split
        across pages with its first column repeated."""
        # as stored: xlsxwriter adds 0.71 to every width it is given (Excel's cell padding), the unset ones 8.43
        widths = [self.columns[c] + 0.71 if c in self.columns else 8.43
                  for c in range(max(self.columns, default=-1) + 1)]
        if self.charts or not self.split:
            total = self.total_width()
            landscape = self.landscape if self.landscape is not None else total > PORTRAIT_WIDTH
            return PagePlan(landscape, None, (), 0, self.fit_height, (total,))
        return plan_pages(widths, key=self.key, landscape=self.landscape, fit_height=self.fit_height,
                          breakable=self.breakable)

    def page_breaks(self, plan: PagePlan) -> list[int]:
        """Rows to break before so that no kept block straddles two pages (heights are estimates,
        on the safe side: LibreOffice and Excel fit 10 pt rows in less than 15 pt)."""
        _page_w, page_h = PAGE_LANDSCAPE if plan.landscape else PAGE_PORTRAIT
        scale = plan.printed_scale() / 100
        capacity = page_h / scale * 0.97
        breaks, used = [], 0.0
        for first, heights, keep in self.items:
            head = sum(heights[:keep])
            if used > self.repeat_pt and used + head > capacity:
                breaks.append(first)
                used = self.repeat_pt
            used += head
            for h in heights[keep:]:
                used = used + h if used + h <= capacity else self.repeat_pt + h
        return breaks


def period_text(summary: Summary) -> str:
    return f"统计期间：{summary.period_text}"


class SafeWorksheet(Worksheet):
    """Every string written (write, write_string, by any writer of the report) is display-safe and at most
    Excel's 32,767 characters; xlsxwriter itself escapes control characters and U+FFFE/U+FFFF."""

    def _write_string(self, row, col, string, cell_format=None):
        return super()._write_string(row, col, cell_text(string), cell_format)


class SafeWorkbook(xlsxwriter.Workbook):
    worksheet_class = SafeWorksheet


class Book:
    """A thin layer over xlsxwriter: named formats and typed, safe writes."""

    def __init__(self, path: Path, created: _dt.datetime, title: str = "渠道汇总分析表", period: str = "",
                 stamp: str = ""):
        self.wb = SafeWorkbook(str(path), {
            "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,
            "constant_memory": True, "default_date_format": "yyyy-mm-dd", "nan_inf_to_errors": True,
        })
        self.wb.set_properties({"title": "渠道汇总分析表", "author": "qudao", "created": created,
                                "comments": "由 qudao summarize 生成"})
        self.path = path
        self.title, self.period, self.stamp = title, period, stamp
        self.layout: dict[str, Layout] = {}
        self.deferred: list[tuple[Any, list, list[str]]] = []
        base = {"font_name": FONT, "font_size": 10, "valign": "vcenter"}
        self.f = {
            "title": self.wb.add_format({**base, "bold": True, "font_size": 16}),
            "sub": self.wb.add_format({**base, "font_color": "#595959"}),
            "sub_wrap": self.wb.add_format({**base, "font_color": "#595959", "text_wrap": True, "valign": "top"}),
            "head": self.wb.add_format({**base, "bold": True, "font_color": "#FFFFFF", "bg_color": "#1F4E78",
                                        "border": 1, "border_color": "#A6A6A6", "text_wrap": True,
                                        "align": "center"}),
            "text": self.wb.add_format({**base, "border": 1, "border_color": "#D9D9D9"}),
            "int": self.wb.add_format({**base, "border": 1, "border_color": "#D9D9D9", "num_format": "#,##0"}),
            "num": self.wb.add_format({**base, "border": 1, "border_color": "#D9D9D9", "num_format": "#,##0.0"}),
            "money": self.wb.add_format({**base, "border": 1, "border_color": "#D9D9D9",
                                         "num_format": "#,##0.00"}),
            "pct": self.wb.add_format({**base, "border": 1, "border_color": "#D9D9D9", "num_format": "0.0%"}),
            "date": self.wb.add_format({**base, "border": 1, "border_color": "#D9D9D9",
                                        "num_format": "yyyy-mm-dd"}),
            "label": self.wb.add_format({**base, "bold": True, "bg_color": "#DDEBF7", "border": 1,
                                         "border_color": "#A6A6A6"}),
            "kpi": self.wb.add_format({**base, "bold": True, "font_size": 12, "border": 1,
                                       "border_color": "#A6A6A6", "num_format": "#,##0.##"}),
            "ok": self.wb.add_format({**base, "font_color": "#006100", "bg_color": "#C6EFCE", "border": 1}),
            "bad": self.wb.add_format({**base, "font_color": "#9C0006", "bg_color": "#FFC7CE", "border": 1}),
            "ok_wrap": self.wb.add_format({**base, "font_color": "#006100", "bg_color": "#C6EFCE", "border": 1,
                                           "border_color": "#A6A6A6", "text_wrap": True}),
            "bad_wrap": self.wb.add_format({**base, "font_color": "#9C0006", "bg_color": "#FFC7CE", "border": 1,
                                            "border_color": "#A6A6A6", "text_wrap": True}),
            "wrap": self.wb.add_format({**base, "border": 1, "border_color": "#D9D9D9", "text_wrap": True}),
            # week-over-week changes: signed; green or red by conditional formats (report/week.py), so that a
            # rising 撞单 can be red (a colour in the number format would win over the conditional one)
            "int_change": self.wb.add_format({**base, "border": 1, "border_color": "#D9D9D9",
                                              "num_format": "+#,##0;-#,##0;0"}),
            "money_change": self.wb.add_format({**base, "border": 1, "border_color": "#D9D9D9",
                                                "num_format": "+#,##0.00;-#,##0.00;0.00"}),
            "up": self.wb.add_format({"font_color": "#006100"}),
            "down": self.wb.add_format({"font_color": "#C00000"}),
            "total": self.wb.add_format({**base, "bold": True, "top": 2, "border": 1, "border_color": "#A6A6A6",
                                         "num_format": "#,##0.##"}),
            "error": self.wb.add_format({**base, "font_color": "#9C0006", "border": 1, "border_color": "#D9D9D9"}),
            "warning": self.wb.add_format({**base, "font_color": "#9C5700", "border": 1, "border_color": "#D9D9D9"}),
            "info": self.wb.add_format({**base, "font_color": "#1F4E78", "border": 1, "border_color": "#D9D9D9"}),
        }

    def put(self, ws, r: int, c: int, value: Any, fmt: str = "text") -> None:
        f = self.f[fmt]
        if value is None or value == "":
            ws.write_blank(r, c, None, f)
        elif isinstance(value, bool):
            ws.write_string(r, c, "是" if value else "否", f)
        elif isinstance(value, Decimal):  # money: written as shown (rounded half-up), never re-rounded by Excel
            ws.write_number(r, c, as_json(value), f if fmt != "text" else self.f["money"])
        elif isinstance(value, (int, float)):
            ws.write_number(r, c, value, f if fmt != "text" else self.f["num"] if isinstance(value, float)
                            else self.f["int"])
        elif isinstance(value, _dt.datetime):
            ws.write_datetime(r, c, value, self.f["date"] if fmt == "text" else f)
        elif isinstance(value, _dt.date):
            ws.write_datetime(r, c, _dt.datetime(value.year, value.month, value.day), self.f["date"]
                              if fmt == "text" else f)
        else:
            ws.write_string(r, c, str(value), f)

    def table(self, ws, top: int, columns: Sequence[tuple[str, str, float]], rows: Iterable[Sequence[Any]],
              freeze: bool = True, total: Sequence[Any] | None = None, autofilter: bool = True,
              heights: Sequence[float] | None = None) -> int:
        """Header row at ``top`` and rows below (``heights``: each data row's, in points, set as it is written: the
        workbook keeps only the current row in memory); returns the number of data rows."""
        for c, (name, _fmt, width) in enumerate(columns):
            self.width(ws, c, c, max(width, display_width(name) + 2, self.layout_width(ws, c)))
        ws.set_row(top, 30)
        for c, (name, _fmt, _w) in enumerate(columns):
            ws.write_string(top, c, name, self.f["head"])
        n = 0
        widths = [self.layout_width(ws, c) or width for c, (_n, _f, width) in enumerate(columns)]
        for n, row in enumerate(rows, start=1):
            self.row(ws, top + n, columns, row, widths, heights[n - 1] if heights else None)
        if total is not None:
            n += 1
            for c, value in enumerate(total):
                if value is None:
                    ws.write_blank(top + n, c, None, self.f["total"])
                elif isinstance(value, str):
                    ws.write_string(top + n, c, value, self.f["total"])
                else:
                    ws.write_number(top + n, c, value, self.f["total"])
        if freeze:
            ws.freeze_panes(top + 1, 0)
        if columns and autofilter:
            ws.autofilter(top, 0, top + max(n, 1), len(columns) - 1)
        return n

    def row(self, ws, r: int, columns: Sequence[tuple[str, str, float]], values: Sequence[Any],
            widths: Sequence[float] | None = None, height: float | None = None) -> None:
        """One row of a table (``height``: at least this tall, in points). A text longer than its column wraps
        in it and the row is made as tall as it needs: left to run on, it would widen the printed page and
        shrink all of it."""
        widths = widths or [w for _n, _f, w in columns]
        lines, wraps = 1, set()
        for c, value in enumerate(values):
            if columns[c][1] == "text" and isinstance(value, str) and display_width(value) > widths[c] - 1:
                wraps.add(c)
                lines = max(lines, text_lines(value, widths[c]))
        tall = max(ROW_PT * lines + 2 if lines > 1 else 0, height or 0)
        if tall > ROW_PT:
            ws.set_row(r, tall)
        for c, value in enumerate(values):
            self.put(ws, r, c, value, "wrap" if c in wraps else columns[c][1])

    def bulk_table(self, ws, columns: Sequence[tuple[str, str, float]], rows: list[Sequence[Any]]) -> None:
        """A header row now; the (many) data rows are spliced in after closing (see report/bulk.py)."""
        for c, (name, fmt, width) in enumerate(columns):
            self.width(ws, c, c, max(width, display_width(name) + 2), self.f[fmt])
            ws.write_string(0, c, name, self.f["head"])
        ws.set_row(0, 30)
        ws.freeze_panes(1, 0)
        ws.autofilter(0, 0, max(len(rows), 1), len(columns) - 1)
        self.deferred.append((ws, rows, [fmt for _n, fmt, _w in columns]))

    def sheet(self, name: str, landscape: bool | None = None, repeat: tuple[int, int] | None = None):
        """A new sheet set up for A4: fit to one page wide, ``repeat`` rows (first, last) on every page,
        the report's title, the sheet and the period in the page header, page numbers in the footer.
        ``landscape`` None chooses by the sheet's width when the workbook is closed."""
        ws = self.wb.add_worksheet(name)
        ws.set_paper(PAPER_A4)
        ws.set_margins(left=MARGINS["left"], right=MARGINS["right"], top=MARGINS["top"], bottom=MARGINS["bottom"])
        ws.center_horizontally()
        ws.set_header(xlsxwriter_header(self.title, self.period, name), {"margin": MARGINS["header"]})
        ws.set_footer(xlsxwriter_footer(self.stamp), {"margin": MARGINS["footer"]})
        self.layout[ws.name] = Layout(landscape)
        if repeat is not None:
            ws.repeat_rows(*repeat)
            self.layout[ws.name].repeat_pt = ROW_PT * 1.5 * (repeat[1] - repeat[0] + 1)
        ws.hide_gridlines(2)
        return ws

    def width(self, ws, first: int, last: int, width: float, fmt=None) -> None:
        """``set_column`` that remembers the sheet's width (for the page orientation)."""
        if fmt is None:
            ws.set_column(first, last, width)
        else:
            ws.set_column(first, last, width, fmt)
        layout = self.layout.get(ws.name)
        if layout is not None:
            for c in range(first, last + 1):
                layout.columns[c] = width

    def layout_width(self, ws, col: int) -> float:
        """The width already given to ``col`` (several tables on one sheet share columns)."""
        layout = self.layout.get(ws.name)
        return layout.columns.get(col, 0) if layout is not None else 0

    def chart(self, ws, row: int, col: int, chart, width: int, height: int) -> None:
        """Insert a chart of ``width`` × ``height`` pixels; it counts in the sheet's width."""
        chart.set_size({"width": width, "height": height})
        ws.insert_chart(row, col, chart)
        layout = self.layout.get(ws.name)
        if layout is not None:
            layout.charts.append((col, width))

    def flow(self, ws, first: int, heights: list[float], keep: int) -> None:
        """Rows from ``first`` with these heights (points) follow on the page; the first ``keep``
        of them stay on one page (a page break goes before them when they would not fit)."""
        self.layout[ws.name].items.append((first, heights, keep))

    def orient(self) -> None:
        """Portrait when the sheet fits A4 portrait at a readable scale, else landscape; page
        breaks before blocks that would straddle a page."""
        for ws in self.wb.worksheets():
            layout = self.layout.get(ws.name)
            if layout is None:
                continue
            plan = layout.plan()
            apply_xlsxwriter(ws, plan)
            if plan.scale is not None:  # split across pages: each page starts at the left edge
                ws.hcenter = 0
            if layout.items:
                breaks = layout.page_breaks(plan)
                if breaks:
                    ws.set_h_pagebreaks(breaks)

    def mark(self, report: str | None = None) -> None:
        """The hidden ``_qudao`` sheet of every generated workbook: kind ``summary``, so that a report saved
        into an inbox is passed over, never read as data; ``report`` names which one (statement, todo …)."""
        meta = self.wb.add_worksheet("_qudao")
        pairs = [("kind", "summary"), ("version", 1), ("generator", "qudao")] + ([("report", report)] if report else [])
        for r, (key, value) in enumerate(pairs):
            meta.write_string(r, 0, key)
            if isinstance(value, int):
                meta.write_number(r, 1, value)
            else:
                meta.write_string(r, 1, value)
        meta.hide()

    def close(self) -> None:
        self.orient()
        from xlsxwriter.exceptions import FileCreateError

        try:
            self.wb.close()
        except FileCreateError as exc:  # a full disk, a read-only folder: the OSError it wraps says which
            raise exc.args[0] if exc.args and isinstance(exc.args[0], OSError) else OSError(str(exc)) from None
        from qudao.report.bulk import splice_rows

        for ws, rows, fmts in self.deferred:
            styles = [self.f[fmt].xf_index for fmt in fmts]
            splice_rows(self.path, f"xl/worksheets/sheet{ws.index + 1}.xml", rows, 2, styles)


STAT_COLUMNS = [
    ("登记数", "int", 8), ("有效客户", "int", 9), ("到访", "int", 7), ("成交", "int", 7),
    ("成交金额(万元)", "money", 14), ("到访率", "pct", 8), ("成交率", "pct", 8), ("转化率", "pct", 8),
    ("撞单", "int", 7), ("佣金(万元)", "money", 11),
]


def stat_values(s: Stats) -> list[Any]:
    return [s.registrations, s.customers, s.visits, s.deals, as_json(s.deal_amount), s.visit_rate, s.deal_rate,
            s.conversion, s.conflicts, as_json(s.commission)]


def _total_stats(stats: Iterable[Stats]) -> Stats:
    out = Stats()
    for s in stats:
        for f in ("registrations", "customers", "visits", "deals", "deal_amount", "conflicts", "commission",
                  "natural"):
            setattr(out, f, getattr(out, f) + getattr(s, f))
    return out


def _total_row(label: str, s: Stats, lead_blanks: int = 0) -> list[Any]:
    return [label, *([None] * lead_blanks), s.registrations, s.customers, s.visits, s.deals,
            as_json(s.deal_amount), None, None, None, s.conflicts, as_json(s.commission)]


class Buffer:
    """Cells collected in any order and written row by row (constant_memory needs row order)."""

    def __init__(self):
        self.cells: dict[tuple[int, int], tuple[Any, str]] = {}

    def __setitem__(self, rc: tuple[int, int], item: tuple[Any, str]) -> None:
        self.cells[rc] = item

    def flush(self, book: Book, ws) -> None:
        for (r, c) in sorted(self.cells):
            value, fmt = self.cells[(r, c)]
            book.put(ws, r, c, value, fmt)


def count_axis(largest: float, **extra: Any) -> dict[str, Any]:
    """A value axis for counts: from 0, whole-number steps (never 0.5, 1.5 …)."""
    raw = max(float(largest), 1.0) / 6
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(f * magnitude for f in (1, 2, 5, 10) if f * magnitude >= raw)
    return {"min": 0, "major_unit": max(1, int(round(step))), "num_format": "0", **extra}


def write_overview(book: Book, summary: Summary) -> None:
    ws = book.sheet(SHEET_OVERVIEW, landscape=False, repeat=(0, 1))
    book.layout[ws.name].fit_height = 1  # the overview is one page
    for col, width in enumerate((22, 18, 4, 22, 16)):
        book.width(ws, col, col, width)
    cells = Buffer()
    cells[0, 0] = (summary.title, "title")
    cells[1, 0] = (f"{period_text(summary)}    依据日期：{summary.as_of.isoformat()}    "
                   f"保护期：{summary.settings.protection_days} 天", "sub")
    cells[2, 0] = (summary.grade_basis, "sub")  # issue 16: what 评分/建议等级 stand on
    i = summary.inputs
    inputs = [("输入文件", i["files"]), ("无法读取的文件", summary.files_unreadable), ("读取行", i["rows_read"]),
              ("接收行", i["rows_accepted"]), ("拒收行", i["rows_rejected"]), ("跳过行（合计行）", i["rows_skipped"])]
    cells[3, 0] = ("输入与对账", "head")
    cells[3, 1] = ("", "head")
    for r, (label, value) in enumerate(inputs, start=4):
        cells[r, 0] = (label, "label")
        cells[r, 1] = (value, "kpi")
    t = summary.registers.totals if summary.registers else {}
    kpis = [(label, t.get(key, 0)) for key, label in KPI_CN.items()]
    kpis += [(SEVERITY_CN[sev], sum(1 for f in summary.findings if f.severity == sev)) for sev in ("error", "warning")]
    cells[3, 3] = ("关键指标", "head")
    cells[3, 4] = ("", "head")
    for k, (label, value) in enumerate(kpis, start=4):
        cells[k, 3] = (label, "label")
        cells[k, 4] = (value, "kpi")
    # the reconciliation line under both tables, across the page (a cell of its own would cut it off)
    check = 4 + max(len(inputs), len(kpis)) + 1
    top = check + 2
    cells[check + 1, 0] = (summary.settings.config_line(), "sub")  # which qudao.toml (issue 13)
    note = details_note(summary.detail_count())
    if note:  # issue 17: the 明细 continues on 明细(2) …
        cells[check + 2, 0] = (note, "sub")
        top += 1
    funnel = [("登记", t.get("registrations", 0)), ("客户", t.get("customers", 0)),
              ("到访", t.get("visits", 0)), ("成交", t.get("deals", 0))]
    cells[top, 0] = ("转化漏斗", "head")
    cells[top, 1] = ("数量", "head")
    for k, (label, value) in enumerate(funnel, start=1):
        cells[top + k, 0] = (label, "label")
        cells[top + k, 1] = (value, "int")
    line = summary.reconciliation + (" ✔" if summary.reconciled else " ✘ 不平衡")
    ws.set_row(check, 20 if display_width(line) < 58 else 34)  # B:E is 60 wide; a longer line wraps
    _flush_with_line(book, ws, cells, check, line, summary.reconciled)
    chart = book.wb.add_chart({"type": "bar"})
    chart.add_series({"name": "转化漏斗", "categories": [SHEET_OVERVIEW, top + 1, 0, top + len(funnel), 0],
                      "values": [SHEET_OVERVIEW, top + 1, 1, top + len(funnel), 1], "fill": {"color": "#2E75B6"},
                      "data_labels": {"value": True}, "gap": 60})
    chart.set_title({"name": "转化漏斗：登记 → 客户 → 到访 → 成交", "name_font": {"size": 12}})
    chart.set_y_axis({"reverse": True})  # categories top-down: 登记 first
    chart.set_x_axis(count_axis(max(v for _l, v in funnel)))
    chart.set_legend({"none": True})
    book.chart(ws, top + len(funnel) + 2, 0, chart, 560, 260)
    if summary.registers and summary.registers.by_channel:
        rows = summary.registers.by_channel
        n = len(rows)
        bar = book.wb.add_chart({"type": "column"})
        for col, name, color in ((4, "登记数", "#9DC3E6"), (6, "到访", "#2E75B6"), (7, "成交", "#C55A11")):
            bar.add_series({"name": name, "categories": [SHEET_BY_CHANNEL, 1, 1, n, 1],
                            "values": [SHEET_BY_CHANNEL, 1, col, n, col], "fill": {"color": color}})
        bar.set_title({"name": "各渠道登记、到访、成交", "name_font": {"size": 12}})
        bar.set_x_axis({"num_font": {"rotation": -45}})
        bar.set_y_axis(count_axis(max(r.stats.registrations for r in rows)))
        bar.set_legend({"position": "top"})
        book.chart(ws, top + len(funnel) + 17, 0, bar, 580, 340)


def _flush_with_line(book: Book, ws, cells: Buffer, row: int, line: str, ok: bool) -> None:
    """Write the buffered cells in row order with the reconciliation line (merged B:E) in ``row``."""
    before = {rc: v for rc, v in cells.cells.items() if rc[0] < row}
    after = {rc: v for rc, v in cells.cells.items() if rc[0] > row}
    for (r, c) in sorted(before):
        book.put(ws, r, c, *before[(r, c)])
    book.put(ws, row, 0, "对账", "label")
    ws.merge_range(row, 1, row, 4, line, book.f["ok_wrap" if ok else "bad_wrap"])
    for (r, c) in sorted(after):
        book.put(ws, r, c, *after[(r, c)])


CHANNEL_COLUMNS = [("排名", "int", 6), ("渠道名称", "text", 24), ("渠道类型", "text", 10), ("所属分所", "text", 10),
                   *STAT_COLUMNS, ("评分", "num", 7), ("建议等级", "text", 8), ("评分依据", "text", 14),
                   ("佣金依据", "text", 28)]


def write_by_channel(book: Book, summary: Summary) -> None:
    ws = book.sheet(SHEET_BY_CHANNEL, repeat=(0, 0))
    book.layout[ws.name].key = 2  # 排名 and 渠道名称 on every page across
    reg = summary.registers
    rows = []
    if reg:
        for rank, row in enumerate(reg.by_channel, start=1):
            rows.append([rank, row.channel, row.type, row.branch, *stat_values(row.stats), round(row.score, 1),
                         row.grade, f"目标 {row.target_period}" if row.basis == "target" else "相对本期最佳",
                         row.commission_basis])
        nat = reg.natural
        rows.append([None, NATURAL, "—", "—", 0, 0, nat.visits, nat.deals, as_json(nat.deal_amount), None, None,
                     None, 0, 0, None, None, None, "不计佣"])
    total = None
    if reg:
        s = _total_stats([r.stats for r in reg.by_channel] + [reg.natural])
        total = ["合计", None, None, None, *_total_row("", s)[1:], None, None, None]
    book.table(ws, 0, CHANNEL_COLUMNS, rows, total=total)


def write_groups(book: Book, name: str, label: str, groups: list[GroupRow], extra_natural: bool,
                 channel_counts: dict[str, int] | None = None) -> None:
    ws = book.sheet(name, repeat=(0, 0))
    columns = [(label, "text", 16)]
    if channel_counts is not None:
        columns.append(("渠道数", "int", 7))
    columns += STAT_COLUMNS
    if extra_natural:
        columns.append(("自然到访", "int", 9))
    rows = []
    week_keys = name == SHEET_BY_WEEK
    for g in groups:
        line = [display_week(g.key) if week_keys else g.key]
        if channel_counts is not None:
            line.append(channel_counts.get(g.key, 0))
        line += stat_values(g.stats)
        if extra_natural:
            line.append(g.stats.natural)
        rows.append(line)
    s = _total_stats(g.stats for g in groups)
    total = ["合计"] + ([sum((channel_counts or {}).values())] if channel_counts is not None else []) + \
        _total_row("", s)[1:] + ([s.natural] if extra_natural else [])
    n = book.table(ws, 0, columns, rows, total=total)
    if name == SHEET_BY_WEEK and n > 1:
        chart = book.wb.add_chart({"type": "line"})
        offset = 1 if channel_counts is None else 2
        for col, series, color in ((offset, "登记数", "#9DC3E6"), (offset + 2, "到访", "#2E75B6"),
                                   (offset + 3, "成交", "#C55A11")):
            chart.add_series({"name": series, "categories": [name, 1, 0, len(groups), 0],
                              "values": [name, 1, col, len(groups), col], "line": {"color": color, "width": 2},
                              "marker": {"type": "circle"}})
        chart.set_title({"name": "每周趋势", "name_font": {"size": 12}})
        chart.set_y_axis(count_axis(max(g.stats.registrations for g in groups)))
        chart.set_legend({"position": "top"})
        book.flow(ws, 0, [30.0] + [ROW_PT] * (n + 1), keep=1)
        book.flow(ws, n + 2, [320 * 0.75 + ROW_PT], keep=1)
        book.chart(ws, n + 2, 0, chart, 720, 320)


CONFLICT_COLUMNS = [("状态", "text", 7), ("客户电话", "text", 14), ("客户姓名", "text", 9),
                    ("先登记渠道", "text", 24), ("先登记日期", "date", 11), ("后登记渠道", "text", 24),
                    ("后登记日期", "date", 11), ("间隔(天)", "int", 8)]


def write_conflicts(book: Book, summary: Summary) -> None:
    ws = book.sheet(SHEET_CONFLICTS, repeat=(0, 0))
    rows = [[c["status"], c["customer"], c["name"], c["winner"], c["winner_date"], c["loser"], c["loser_date"],
             c["days"]] for c in summary.conflict_rows()]
    book.table(ws, 0, CONFLICT_COLUMNS, rows)


SETTLEMENT_COLUMNS = [("渠道", "text", 22), ("分所", "text", 10), ("跟进人", "text", 8), ("客户电话", "text", 14),
                      ("客户姓名", "text", 9), ("成交日期", "date", 11), ("成交楼盘", "text", 12),
                      ("成交金额(万元)", "money", 13), ("佣金点位(%)", "num", 10), ("点位依据", "text", 26),
                      ("佣金(万元)", "money", 11), ("结佣周期(天)", "int", 10), ("应结日期", "date", 11),
                      ("已付(万元)", "money", 10), ("未付(万元)", "money", 10), ("状态", "text", 8)]
EVIDENCE_COLUMN = ("案场确认", "text", 16)  # with a sales ledger (issue 24)


def write_settlement(book: Book, summary: Summary) -> None:
    """结佣清单: one line per attributed deal; totals per status below."""
    ws = book.sheet(SHEET_SETTLEMENT, repeat=(0, 0))
    lines = summary.registers.settlement if summary.registers else []
    ledger = summary.registers is not None and summary.registers.ledger is not None
    rows = [[d["channel"], d["branch"], d["follower"], summary.phone(d["customer"]), d["name"], d["deal"],
             d["property"], d["amount"], float(d["rate"]), d["rate_source"], d["commission"], d["settle_days"],
             d["due"], d["paid"], d["remaining"], d["status"]] + ([evidence_label(d)] if ledger else []) for d in lines]

    def total(key: str) -> float:
        return as_json(sum((d[key] for d in lines), ZERO))

    n = book.table(ws, 0, SETTLEMENT_COLUMNS + ([EVIDENCE_COLUMN] if ledger else []), rows,
                   total=["合计", None, None, None, None, None, None, total("amount"), None, None, total("commission"),
                          None, None, total("paid"), total("remaining"), None] + ([None] if ledger else []))
    r = n + 2
    paid = summary.registers is not None and summary.registers.payments is not None
    for status, t in summary.settlement_totals().items():
        ws.write_string(r, 0, f"{status}：{t['deals']} 笔，佣金 {money_fmt(t['commission_wan'])} 万元"
                        + (f"，已付 {money_fmt(t['paid_wan'])} 万元，未付 {money_fmt(t['unpaid_wan'])} 万元" if paid else ""),
                        book.f["sub"])
        r += 1
    if not paid:
        ws.write_string(r, 0, "未读取结佣台账：已付/未付按没有付款记录计，应结、逾期表示按协议应当支付的。", book.f["sub"])


PROTECTION_COLUMNS = [("状态", "text", 12), ("渠道", "text", 22), ("分所", "text", 10), ("跟进人", "text", 8),
                      ("客户电话", "text", 14), ("客户姓名", "text", 9), ("登记日期", "date", 11),
                      ("保护期至", "date", 11), ("天数", "int", 7)]


def write_protection(book: Book, summary: Summary) -> None:
    """保护期预警: protections ending within the warning days, and those that ended without a visit."""
    ws = book.sheet(SHEET_PROTECTION, repeat=(0, 0))
    reg = summary.registers
    rows = [["即将到期", e["channel"], e["branch"], e["follower"], summary.phone(e["customer"]), e["name"],
             e["registered"], e["protection_end"], e["days_left"]] for e in (reg.expiring if reg else [])]
    rows += [["已到期未到访", e["channel"], e["branch"], e["follower"], summary.phone(e["customer"]), e["name"],
              e["registered"], e["protection_end"], -e["days_ago"]] for e in (reg.ended if reg else [])]
    book.table(ws, 0, PROTECTION_COLUMNS, rows)


# One landscape A4 page wide at a readable scale (150 units; LibreOffice prints it at ~66 %); 文件 and 说明 wrap
# (a long path or message makes its row taller, never the page smaller). The code last: for filtering.
FINDING_COLUMNS = [("级别", "text", 6), ("问题", "text", 14), ("文件", "text", 26), ("工作表", "text", 12),
                   ("单元格", "text", 8), ("列", "text", 12), ("值", "text", 14), ("说明", "text", 42),
                   ("代码", "text", 16)]


def write_findings(book: Book, summary: Summary) -> None:
    ws = book.sheet(SHEET_FINDINGS, landscape=True, repeat=(0, 0))
    for c, (name, _f, width) in enumerate(FINDING_COLUMNS):
        book.width(ws, c, c, max(width, display_width(name) + 2))
        ws.write_string(0, c, name, book.f["head"])
    r = 0
    widths = {name: width for name, _f, width in FINDING_COLUMNS}
    for r, f in enumerate(summary.sorted_findings(), start=1):
        title = CODES[f.code].title if f.code in CODES else f.code
        lines = max(text_lines(f.message, widths["说明"]), text_lines(f.file, widths["文件"]),
                    text_lines(title, widths["问题"]))
        if lines > 1:  # the row grows with its wrapped text (LibreOffice does not fit rows on opening)
            ws.set_row(r, ROW_PT * lines + 2)
        fmt = f.severity
        ws.write_string(r, 0, SEVERITY_CN[f.severity], book.f[fmt])
        ws.write_string(r, 1, title, book.f["wrap"])
        ws.write_string(r, 2, f.file, book.f["wrap"])
        ws.write_string(r, 3, f.sheet, book.f["text"])
        ws.write_string(r, 4, f.cell, book.f["text"])
        ws.write_string(r, 5, f.column, book.f["text"])
        value = f.value
        if f.column == "联系电话" and isinstance(value, str) and not summary.show_phones:
            value = summary.phone(value)
        book.put(ws, r, 6, "" if value is None else value if not isinstance(value, float) else value)
        ws.write_string(r, 7, f.message, book.f["wrap"])  # long messages wrap instead of running off the page
        ws.write_string(r, 8, f.code, book.f["text"])
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(r, 1), len(FINDING_COLUMNS) - 1)


def detail_sheets(rows: int) -> list[str]:
    """The names of the sheets that hold ``rows`` 明细 rows: 明细, then 明细(2), 明细(3) … past a sheet's limit."""
    parts = max(1, -(-rows // DETAIL_SHEET_ROWS))
    return [SHEET_DETAILS] + [f"{SHEET_DETAILS}({k})" for k in range(2, parts + 1)]


def details_note(rows: int) -> str:
    """The 总览's sentence when the 明细 does not fit one sheet ("" when it does)."""
    names = detail_sheets(rows)
    if len(names) == 1:
        return ""
    return (f"明细共 {rows:,} 行，超过一个工作表的上限（{DETAIL_SHEET_ROWS:,} 行），"
            f"依次分在 {len(names)} 个工作表：{'、'.join(names)}。")


def write_details(book: Book, summary: Summary) -> None:
    columns, extras = summary.detail_header()
    from qudao.schema import get_kind

    schema = {c.header: c for c in get_kind("register").main.columns}
    fmt_of = {"date": "date", "money": "money", "number": "num", "int": "int"}
    spec = [("来源文件", "text", 36), ("行号", "int", 6), ("渠道名称", "text", 22), ("渠道类型", "text", 9),
            ("所属分所", "text", 10)]
    for h in columns:
        col = schema[h]
        spec.append((h, fmt_of.get(col.type, "text"), min(max(col.width or 8, display_width(h) + 2), 30)))
    spec += [(e, "text", 12) for e in extras]
    spec += [("归属状态", "text", 22), ("客户归属", "text", 22)]
    assert len(DETAIL_LEAD) + len(DETAIL_TAIL) + len(columns) + len(extras) == len(spec)
    rows = summary.detail_rows()
    for k, name in enumerate(detail_sheets(len(rows))):
        # 24+ columns: landscape, one page wide, narrow margins, the header row on every page
        ws = book.sheet(name, landscape=True, repeat=(0, 0))
        book.layout[ws.name].split = False  # the register's rows whole: one page wide (docs/decisions.md)
        ws.set_margins(left=0.25, right=0.25, top=0.75, bottom=0.6)
        book.bulk_table(ws, spec, rows.part(k * DETAIL_SHEET_ROWS, (k + 1) * DETAIL_SHEET_ROWS))


def write_summary_xlsx(summary: Summary, target: str | Path, force: bool = False,
                       created: _dt.datetime | None = None, extra_writers: Iterable = (),
                       lead_writers: Iterable = ()) -> Path:
    """Write the workbook atomically. ``created`` pins the document date (deterministic output)."""
    created = created or _dt.datetime.combine(summary.as_of, _dt.time(0, 0))
    with atomic_path(target, force) as tmp:
        book = Book(tmp, created, title=summary.title, period=period_text(summary),
                    stamp=f"依据日期：{summary.as_of.isoformat()}")
        write_overview(book, summary)
        for writer in lead_writers:
            writer(book, summary)
        write_by_channel(book, summary)
        reg = summary.registers
        types = reg.by_type if reg else []
        branches = reg.by_branch if reg else []
        type_counts: dict[str, int] = {}
        branch_counts: dict[str, int] = {}
        if reg:
            for row in reg.by_channel:
                type_counts[row.type] = type_counts.get(row.type, 0) + 1
                branch_counts[row.branch] = branch_counts.get(row.branch, 0) + 1
        write_groups(book, SHEET_BY_TYPE, "渠道类型", types, False, type_counts)
        write_groups(book, SHEET_BY_BRANCH, "所属分所", branches, False, branch_counts)
        write_groups(book, SHEET_BY_PROPERTY, "楼盘", reg.by_property if reg else [], True)
        write_groups(book, SHEET_BY_WEEK, "周次", reg.by_week if reg else [], True)
        write_conflicts(book, summary)
        write_settlement(book, summary)
        write_protection(book, summary)
        write_findings(book, summary)
        write_details(book, summary)
        for writer in extra_writers:
            writer(book, summary)
        book.mark()
        book.close()
    return Path(target)
