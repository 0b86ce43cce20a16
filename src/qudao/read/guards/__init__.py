"""Measure an input from its bytes before any parser allocates it (docs/reading.md → Limits).

python-calamine allocates every sheet's whole used range (rows × columns of
32-byte cells, then one Python object per cell), loads every .xls/.ods sheet
at ``CalamineWorkbook.from_path``, and preallocates ``<sst uniqueCount>``
strings. A stray value at XFD1048576 therefore aborts the process (an
allocation failure in Rust cannot be caught). The functions here read the raw
bytes in a bounded way and raise :class:`qudao.errors.Unreadable` (a Chinese
message with the real figures) for what is over the limits — before calamine
sees the file:

* :func:`scan_xlsx` — zip directory checks, ``sharedStrings`` ``uniqueCount``,
  sheet count, and per sheet the extent of every cell that calamine would
  store (cells with a value, positioned by their ``r`` reference or by
  position like calamine does; any namespace prefix, any whitespace, quotes,
  comments, CDATA), merged ranges, hidden rows, formulas without a cached
  value. Sheet XML is streamed in chunks.
* :func:`scan_ods` — ``content.xml`` streamed in chunks cut before a row tag,
  names matched literally as calamine does (``table:table-row``,
  ``office:value``...): the extent including ``number-rows-repeated`` /
  ``number-columns-repeated`` of cells that hold a value (trailing empty
  repeats, as LibreOffice writes them, do not count; never a loop over a
  repeat), clipped to 1,048,576 x 16,384 like calamine, merged ranges, hidden
  rows, ``text:s`` expansion, text multiplied by repeats.
* :func:`scan_xls` — a minimal OLE2/CFB reader and a BIFF5/8 record walk:
  sheet names, DIMENSIONS, the extent of every cell record (also beyond
  DIMENSIONS), MERGEDCELLS, hidden rows.
* :func:`scan_csv` — lines, longest line, an upper bound of the fields,
  encoding; streamed in chunks.

Extents follow what python-calamine reports as ``sheet.end`` + 1 (its
``to_python(skip_empty_area=False)`` pads the grid from A1): rows and
columns counted from A1 to the farthest cell holding a value. Empty cells
(``<c r="XFD1048576" s="1"/>``, a formula without a value, a repeated empty
ODS cell, a BLANK record) do not make calamine allocate and do not count.
Standard library only, apart from the exception and the A1 helpers. One module per format
(``xlsx``, ``ods``, ``xls``, ``csv``) and what they share (``common``); this package's names are the API.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from qudao.read.guards.common import (
    LIMITS,
    CsvInfo,
    Limits,
    Refused,
    SheetInfo,
    _damaged,
    check_zip,
    extent_message,
    sheet_label,
    size_text,
)
from qudao.read.guards.csv import scan_csv
from qudao.read.guards.ods import scan_ods
from qudao.read.guards.xls import scan_xls
from qudao.read.guards.xlsx import Package, part_name, scan_xlsx, workbook_part

__all__ = [
    "Limits", "LIMITS", "SheetInfo", "CsvInfo", "Refused", "Package",
    "scan", "scan_xlsx", "scan_ods", "scan_xls", "scan_csv", "check_zip", "format_of", "size_text", "sheet_label",
    "extent_message", "part_name", "workbook_part",
]


def format_of(path: str | Path) -> str:
    """xlsx, ods, xls or csv from the magic bytes alone (qudao.read.source.sniff says more)."""
    with open(path, "rb") as fh:
        head = fh.read(8)
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        try:
            with zipfile.ZipFile(path) as zf:
                return "xlsx" if workbook_part(zf) else "ods"
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
            raise _damaged(f"压缩包无法打开：{exc}") from None
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "xls"
    return "csv"


def scan(path: str | Path, fmt: str | None = None, limits: Limits = LIMITS):
    """``dict[str, SheetInfo]`` (sheets in workbook order) for workbooks, :class:`CsvInfo` for CSV.

    ``fmt`` is what :func:`qudao.read.source.sniff` found (else the magic bytes decide)."""
    path = Path(path)
    size = path.stat().st_size
    if size > limits.max_file_bytes:
        raise Refused(f"文件有 {size_text(size)}，超过上限 {size_text(limits.max_file_bytes)}，已跳过")
    fmt = fmt or format_of(path)
    return {"xlsx": scan_xlsx, "ods": scan_ods, "xls": scan_xls, "csv": scan_csv}[fmt](path, limits)
