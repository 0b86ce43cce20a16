"""Presentation basics once, for both writers (openpyxl: templates, fill, annotated copies; xlsxwriter: the
reports): fonts, fills, CJK-aware widths and wrapped-row heights, page header and footer text, page setup.

Every workbook qudao writes prints on A4 (docs/decisions.md → "Printing" and "Where people read and work
(issue 25)"): portrait up to ``PORTRAIT_WIDTH`` column-width units, landscape above; one page wide; the
workbook's own title in the page header; 「第 N 页，共 M 页」 in the footer.
"""

from __future__ import annotations

import math
import unicodedata
from typing import Any

ROW_HEIGHT = 14.0  # points per line of 10 pt text, for rows whose wrapped text we size


def text_width(text: str) -> float:
    """Display width in Excel column units: CJK and full-width count double."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(text))


def text_lines(text: Any, width: float) -> int:
    """Lines that ``text`` takes in a wrapped cell ``width`` units wide (CJK counted double)."""
    if text is None or text == "":
        return 1
    usable = max(width * 0.9 - 1, 1)  # fonts differ (微软雅黑, its substitutes): wrap a little early
    return sum(max(1, math.ceil(text_width(part) / usable)) for part in str(text).split("\n"))


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


