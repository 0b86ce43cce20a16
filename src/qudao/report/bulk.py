"""Fast rows for very large report sheets (the 明细 sheet of 100,000 rows).

xlsxwriter spends ~7 µs on every cell; a detail sheet of 100,000 rows × 25
columns would take ~15 s. The workbook is therefore written by xlsxwriter
with that sheet's header, column widths, column formats, frozen pane and
filter but no data rows, and the rows are spliced into the sheet's XML
afterwards by :func:`splice_rows`, ~1 µs per cell. Text is written as
inline strings (never a formula, whatever it starts with), numbers as
numbers, dates as serial numbers with the column's date style.
"""

from __future__ import annotations

import datetime as _dt
import re
import zipfile
from pathlib import Path
from typing import Any, Iterable, Sequence

from qudao.cells import col_letter
from qudao.safe import xlsx_text

_EPOCH = _dt.date(1899, 12, 30)
_DIMENSION = re.compile(rb'<dimension ref="[^"]*"/>')
_CACHED_TEXTS = 1024  # per column
STAMP = (1980, 1, 31, 0, 0, 0)  # the member timestamp xlsxwriter uses: deterministic bytes


def _escape(text: str) -> str:
    """Cell text for the sheet XML: qudao.safe.xlsx_text (controls as Excel writes them, 32,767 characters at
    most, display-safe), then the XML entities."""
    text = xlsx_text(text)
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def rows_xml(rows: Iterable[Sequence[Any]], first_row: int, styles: Sequence[int]) -> Iterable[str]:
    """``<row>`` elements for ``rows`` starting at sheet row ``first_row`` (1-based)."""
    letters = [col_letter(i) for i in range(len(styles))]
    # per column, the XML of repeated texts (file, channel, status …); bounded, since names and phones are unique
    texts: list[dict[str, str]] = [{} for _ in styles]
    for r, row in enumerate(rows, start=first_row):
        rs = str(r)
        parts = [f'<row r="{rs}">']
        for i, value in enumerate(row):
            if value is None or value == "":
                continue
            cls = value.__class__
            if cls is str:
                cache = texts[i]
                cell = cache.get(value)
                if cell is None:
                    space = ' xml:space="preserve"' if value != value.strip() else ""
                    cell = f'" s="{styles[i]}" t="inlineStr"><is><t{space}>{_escape(value)}</t></is></c>'
                    if len(cache) < _CACHED_TEXTS:
                        cache[value] = cell
                parts.append(f'<c r="{letters[i]}{rs}{cell}')
            elif cls is int or cls is float:
                parts.append(f'<c r="{letters[i]}{rs}" s="{styles[i]}"><v>{value!r}</v></c>')
            elif cls is _dt.date:
                parts.append(f'<c r="{letters[i]}{rs}" s="{styles[i]}"><v>{(value - _EPOCH).days}</v></c>')
            elif isinstance(value, _dt.datetime):
                serial = (value - _dt.datetime(1899, 12, 30)).total_seconds() / 86400
                parts.append(f'<c r="{letters[i]}{rs}" s="{styles[i]}"><v>{serial!r}</v></c>')
            else:
                cell = f'" s="{styles[i]}" t="inlineStr"><is><t>{_escape(str(value))}</t></is></c>'
                parts.append(f'<c r="{letters[i]}{rs}{cell}')
        parts.append("</row>")
        yield "".join(parts)


def splice_rows(path: Path, member: str, rows: Sequence[Sequence[Any]], first_row: int, styles: Sequence[int],
                chunk: int = 2000) -> None:
    """Rewrite the xlsx at ``path`` with ``rows`` appended to the sheet XML ``member``."""
    tmp = path.with_name(path.name + ".splice")
    try:
        _splice(path, tmp, member, rows, first_row, styles, chunk)
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)  # a full disk never leaves a half-written copy behind
        raise


def _splice(path: Path, tmp: Path, member: str, rows: Sequence[Sequence[Any]], first_row: int,
            styles: Sequence[int], chunk: int) -> None:
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            out = zipfile.ZipInfo(info.filename, date_time=STAMP)
            out.compress_type = zipfile.ZIP_DEFLATED
            out.external_attr = info.external_attr
            if info.filename != member:
                dst.writestr(out, data)
                continue
            last = first_row + len(rows) - 1
            ref = f"A1:{col_letter(len(styles) - 1)}{max(last, first_row - 1)}".encode()
            data = _DIMENSION.sub(b'<dimension ref="' + ref + b'"/>', data, count=1)
            if b"<sheetData/>" in data:
                data = data.replace(b"<sheetData/>", b"<sheetData></sheetData>", 1)
            head, tail = data.split(b"</sheetData>", 1)
            out.compress_type = zipfile.ZIP_DEFLATED
            with dst.open(out, "w", force_zip64=True) as fh:
                fh.write(head)
                batch: list[str] = []
                for line in rows_xml(rows, first_row, styles):
                    batch.append(line)
                    if len(batch) >= chunk:
                        fh.write("".join(batch).encode("utf-8"))
                        batch.clear()
                if batch:
                    fh.write("".join(batch).encode("utf-8"))
                fh.write(b"</sheetData>" + tail)
