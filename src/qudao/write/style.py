"""Presentation basics once, for both writers (openpyxl: templates, fill, annotated copies; xlsxwriter: the
reports): the font and colours, CJK-aware widths and wrapped-row heights, page header and footer text, and
the page setup — A4, portrait or landscape by width, one page wide or split across pages with the key
columns repeated, never below a readable scale (docs/decisions.md → "Printing" and "Where people read and
work (issue 25)").

Neither writer is imported here: ``apply_openpyxl`` and ``apply_xlsxwriter`` take the sheet they are given.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Sequence

from qudao.text import display_width

FONT = "微软雅黑"
BLUE = "1F4E78"  # header fill, titles
LIGHT = "DDEBF7"  # labels
ORANGE = "C55A11"  # required columns' headers
GREY_FILL = "F2F2F2"  # live formulas
LINE = "A6A6A6"  # borders of headers and labels
LINE_LIGHT = "D9D9D9"  # borders of data cells
GREY_TEXT = "595959"

ROW_HEIGHT = 14.0  # points per line of 10 pt text, for rows whose wrapped text we size
RULED_ROW = 20.0  # points: a blank form's row, tall enough to write in by hand (7 mm)

# Page geometry, measured with LibreOffice (docs/decisions.md): how many column-width units one A4 page holds
# at 100 % with 0.4" side margins, and the smallest scale we print at (10 pt type → 6.5 pt).
PAPER_A4 = 9
UNITS_PORTRAIT = 75.0  # 76.7 measured
UNITS_LANDSCAPE = 110.0  # 112 measured; 2 to spare
MIN_SCALE = 65
# A sheet up to this wide prints portrait (≥ 76 %); up to LANDSCAPE_WIDTH landscape, one page wide (≥ 65 %);
# a wider one is split across pages, its key columns repeated on each, at the scale its widest page needs.
PORTRAIT_WIDTH = 100
LANDSCAPE_WIDTH = UNITS_LANDSCAPE * 100 / MIN_SCALE  # ≈ 169
MARGINS = {"left": 0.4, "right": 0.4, "top": 0.75, "bottom": 0.6, "header": 0.3, "footer": 0.3}
FOOTER = "第 &P 页，共 &N 页"


def text_lines(text: Any, width: float) -> int:
    """Lines that ``text`` takes in a wrapped cell ``width`` units wide (CJK counted double)."""
    if text is None or text == "":
        return 1
    usable = max(width * 0.9 - 1, 1)  # fonts differ (微软雅黑, its substitutes): wrap a little early
    return sum(max(1, math.ceil(display_width(part) / usable)) for part in str(text).split("\n"))


def fit_rows(ws: Worksheet, first: int, last: int, widths: dict[int, float] | None = None) -> None:
    """Rows ``first``–``last`` as tall as their wrapped cells' text (LibreOffice and Excel keep an explicit
    height; without one a wrapped cell is cut off when printed)."""
    for r in range(first, last + 1):
        lines = 1
        for cell in ws[r]:
            if cell.value is None or type(cell).__name__ == "MergedCell" or not cell.alignment.wrap_text:
                continue
            width = (widths or {}).get(cell.column) or ws.column_dimensions[cell.column_letter].width or 8.43
            lines = max(lines, text_lines(cell.value, width))
        if lines > 1:
            ws.row_dimensions[r].height = ROW_HEIGHT * lines + 2




def header_text(text: object, limit: int = 80) -> str:
    """Text for a page header/footer (openpyxl and xlsxwriter alike): cut to ``limit`` characters, then every
    ``&`` doubled (it starts a code there; cutting after doubling could leave half of one)."""
    return str(text)[:limit].replace("&", "&&")


def page_header(title: str, right: str = "", sheet: str = "") -> tuple[str, str]:
    """The left (the workbook's own title in bold, then the sheet when it says more) and right (the period,
    else nothing) parts of a page header."""
    left = f"&B{header_text(title)}&B"
    if sheet and sheet not in title:
        left += f" · {header_text(sheet)}"
    return left, header_text(right) if right else ""


@dataclass(frozen=True)
class PagePlan:
    """How a sheet prints on A4."""

    landscape: bool
    scale: int | None = None  # None: fitted to one page wide (and ``fit_height`` pages tall, 0 = any)
    breaks: tuple[int, ...] = ()  # 0-based columns after which a page ends (split across pages)
    repeat_cols: int = 0  # leading columns printed on every page across
    fit_height: int = 0
    widths: tuple[float, ...] = field(default=(), compare=False)

    @property
    def pages_across(self) -> int:
        return len(self.breaks) + 1

    def printed_scale(self) -> float:
        """The scale the widest page prints at (%): fitted sheets shrink to the page, split ones as set."""
        if self.scale is not None:
            return float(self.scale)
        capacity = UNITS_LANDSCAPE if self.landscape else UNITS_PORTRAIT
        return min(100.0, 100.0 * capacity / max(sum(self.widths), 1.0))


def plan_pages(widths: Sequence[float], key: int = 1, split: bool = True, landscape: bool | None = None,
               fit_height: int = 0, breakable: Sequence[int] | None = None) -> PagePlan:
    """The page plan of a sheet whose columns are ``widths`` wide (column-width units).

    Up to ``PORTRAIT_WIDTH`` portrait, up to ``LANDSCAPE_WIDTH`` landscape, both fitted to one page wide;
    wider (when ``split``), landscape across several pages: the columns are cut greedily into pages that
    each hold the first ``key`` columns again, at the scale the widest page needs (never below
    ``MIN_SCALE``, never above 100). ``landscape`` forces an orientation (a fitted sheet only);
    ``breakable``: the only columns a page may end after (a group of columns under one heading stays
    together)."""
    widths = tuple(float(w) for w in widths)
    total = sum(widths)
    if landscape is None:
        landscape = total > PORTRAIT_WIDTH
    if not split or total <= LANDSCAPE_WIDTH or len(widths) <= key + 1:
        return PagePlan(landscape, None, (), 0, fit_height, widths)
    capacity = UNITS_LANDSCAPE * 100 / MIN_SCALE
    lead = sum(widths[:key])
    ok = set(range(len(widths))) if breakable is None else set(breakable)
    units: list[tuple[int, float]] = []  # runs of columns that stay together: (last column, width)
    for c in range(key, len(widths)):
        if not units or (c - 1) in ok:
            units.append((c, 0.0))
        units[-1] = (c, units[-1][1] + widths[c])
    pages, used = 1, lead
    for _last, w in units:
        if used + w > capacity and used > lead:
            pages, used = pages + 1, lead
        used += w
    # as many pages, evened out: a page ends near an equal share of the width, and never past the capacity
    target = (total - lead) / pages + lead
    breaks, used = [], lead
    for k, (last, w) in enumerate(units):
        if used > lead and len(breaks) < pages - 1 and (used + w / 2 > target or used + w > capacity):
            breaks.append(units[k - 1][0])
            used = lead
        used += w
    widest = max(_page_widths(widths, key, breaks))
    scale = min(100, math.floor(100 * UNITS_LANDSCAPE / widest))  # below MIN_SCALE only for one unsplittable run
    return PagePlan(True, scale, tuple(breaks), key, 0, widths)


def _page_widths(widths: Sequence[float], key: int, breaks: Sequence[int]) -> list[float]:
    lead = sum(widths[:key])
    edges = [key - 1, *breaks, len(widths) - 1]
    return [lead + sum(widths[a + 1:b + 1]) for a, b in zip(edges, edges[1:])]


def rows_on_first_page(plan: PagePlan, above_pt: float, row_pt: float = RULED_ROW) -> int:
    """How many rows of ``row_pt`` fit on the first page below ``above_pt`` points of title and header."""
    height = (595 if plan.landscape else 842) - (MARGINS["top"] + MARGINS["bottom"]) * 72
    return max(0, int((height * 100 / plan.printed_scale() - above_pt) // row_pt))


def apply_openpyxl(ws, plan: PagePlan, title: str, right: str = "", repeat: tuple[int, int] | None = None,
                   sheet_in_header: bool = True) -> None:
    """``plan`` on an openpyxl sheet: A4, orientation, fit or scale and column breaks, repeated rows (1-based)
    and columns, the page header and footer."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.pagebreak import Break, ColBreak

    ws.page_setup.orientation = "landscape" if plan.landscape else "portrait"
    ws.page_setup.paperSize = PAPER_A4
    ws.col_breaks = ColBreak()  # set up again (the plan's Gantt widens its sheet): no earlier plan's breaks
    ws.print_title_cols = None
    ws.page_setup.scale = None
    if plan.scale is None:
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = plan.fit_height
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    else:  # LibreOffice ignores manual breaks in a sheet fitted to pages: a fixed scale instead
        ws.sheet_properties.pageSetUpPr.fitToPage = False
        ws.page_setup.scale = plan.scale
        for c in plan.breaks:
            ws.col_breaks.append(Break(id=c + 1))
        if plan.repeat_cols:
            ws.print_title_cols = f"A:{get_column_letter(plan.repeat_cols)}"
    ws.print_options.horizontalCentered = plan.scale is None
    for side, inches in MARGINS.items():
        setattr(ws.page_margins, side, inches)
    if repeat:
        ws.print_title_rows = f"{repeat[0]}:{repeat[1]}"
    left, right_text = page_header(title, right, ws.title if sheet_in_header else "")
    ws.oddHeader.left.text = left
    if right_text:
        ws.oddHeader.right.text = right_text
    ws.oddFooter.center.text = FOOTER


def apply_xlsxwriter(ws, plan: PagePlan) -> None:
    """``plan`` on an xlsxwriter sheet (the header, footer and repeated rows are set when it is made)."""
    ws.set_paper(PAPER_A4)
    if plan.landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    if plan.scale is None:
        ws.fit_to_pages(1, plan.fit_height)
    else:
        ws.set_print_scale(plan.scale)
        ws.set_v_pagebreaks([c + 1 for c in plan.breaks])
        if plan.repeat_cols:
            ws.repeat_columns(0, plan.repeat_cols - 1)


def xlsxwriter_header(title: str, right: str = "", sheet: str = "") -> str:
    left, right_text = page_header(title, right, sheet)
    return f"&L{left}" + (f"&R{right_text}" if right_text else "")


def xlsxwriter_footer(stamp: str = "") -> str:
    return (f"&L{header_text(stamp)}" if stamp else "") + f"&C{FOOTER}"
