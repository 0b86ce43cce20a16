"""ods: ``content.xml`` streamed, names matched literally as calamine does; repeats multiplied, never
looped over."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from qudao.read.guards import common
from qudao.read.guards.common import (
    LIMITS,
    Limits,
    Refused,
    SheetInfo,
    _check_sheet,
    _damaged,
    _finish_merged,
    _open_zip,
    _ref,
    _sheet_count_message,
    _unescape,
    extent_message,
    sheet_label,
    size_text,
)

_TABLE_NS = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE_NS = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_ODS_MAX_ROWS = 1_048_576  # calamine drops what lies beyond (measured)
_ODS_MAX_COLS = 16_384


def _int_attr(value, default: int = 1) -> int:
    if value is None:
        return default
    try:
        n = int(value)
    except ValueError:
        return default
    return n if n > 0 else default


def scan_ods(path: str | Path, limits: Limits = LIMITS) -> dict[str, SheetInfo]:
    """content.xml streamed, per row C-speed searches; repeats are multiplied, never looped over."""
    path = Path(path)
    zf = _open_zip(path, limits)
    try:
        try:
            fh = zf.open("content.xml")
        except KeyError:
            raise _damaged("缺少 content.xml") from None
        with fh:
            return _scan_ods_stream(fh, limits)
    finally:
        zf.close()


def _scan_ods_stream(fh, lim: Limits) -> dict[str, SheetInfo]:
    """content.xml in chunks cut before a row or table tag; per row C-speed searches, never per repeat.

    Names are matched literally (table:table-row, office:value, ...), as calamine matches them."""
    st = _OdsState(lim)
    carry = b""
    while True:
        try:
            chunk = fh.read(common._CHUNK)
        except (zipfile.BadZipFile, OSError, EOFError, RuntimeError) as exc:
            raise _damaged(f"{type(exc).__name__}: {exc}") from None
        buf = carry + chunk if carry else chunk
        if chunk:
            cut = max(buf.rfind(b"<table:table-row"), buf.rfind(b"<table:table "), buf.rfind(b"<table:table>"),
                      buf.rfind(b"</table:table>"))
            if cut <= 0:
                carry = buf
                if len(carry) > lim.max_row_xml_bytes:
                    raise Refused(f"ODS 文件中有一行的内容超过 {size_text(lim.max_row_xml_bytes)}（可能为恶意文件），已跳过")
                continue
            region, carry = buf[:cut], buf[cut:]
        else:
            region, carry = buf, b""
        st.feed(region)
        if not chunk:
            break
    st.finish_table()
    if st.n_tables > lim.max_sheets:
        raise Refused(_sheet_count_message(st.n_tables, lim))
    for info in st.order:
        _check_sheet(info, lim)
    return {info.name: info for info in st.order}


_ODS_TABLE = re.compile(rb'<table:table(?=[\s>/])([^>]*)>|</table:table\s*>')
_ODS_ATTR = re.compile(rb'([\w.:-]+)\s*=\s*(?:"([^"]*)"|\'([^\']*)\')')
_ODS_VALUE_MARKS = (b'office:value="', b'office:date-value="', b'office:time-value="', b'office:boolean-value="',
                    b'office:string-value="', b'office:value-type="string"')
_ODS_CELL = re.compile(rb'<table:(covered-)?table-cell(?=[\s>/])([^>]*)>')
_ODS_REPEAT = re.compile(rb'table:number-columns-repeated\s*=\s*["\'](\d+)')
_ODS_TEXT_C = re.compile(rb'text:c\s*=\s*["\'](\d+)')


def _ods_attrs(raw: bytes) -> dict[bytes, bytes]:
    return {m.group(1): (m.group(2) if m.group(2) is not None else m.group(3)) for m in _ODS_ATTR.finditer(raw)}


def _ods_valued(tag_attrs: bytes, self_closing: bool) -> bool:
    """calamine stores a value for office:value/date/time/boolean/string-value, or a string type with content."""
    if b"office:" not in tag_attrs:
        return False
    if any(m in tag_attrs for m in _ODS_VALUE_MARKS[:5]):
        return True
    return b'office:value-type="string"' in tag_attrs or b"office:value-type='string'" in tag_attrs


class _OdsState:
    def __init__(self, lim: Limits):
        self.lim = lim
        self.order: list[SheetInfo] = []
        self.info: SheetInfo | None = None
        self.n_tables = 0
        self.depth = 0
        self.hidden_total = 0
        self.r_spans = self.r_formula = self.r_text_c = self.r_covered = True
        self._reset()

    def _reset(self):
        self.row = 0
        self.max_r = self.max_c = 0
        self.text = 0
        self.hidden: list[tuple[int, int]] = []
        self.no_cache: list[tuple[int, int]] = []

    def feed(self, region: bytes) -> None:
        pos = 0
        has_table = b"table:table " in region or b"table:table>" in region  # <table:table …>, </table:table>
        # rare markers, looked for per row only when the region has them
        self.r_spans = b"-spanned=" in region
        self.r_formula = b"table:formula=" in region
        self.r_text_c = b"text:c=" in region
        self.r_covered = b"covered-table-cell" in region
        for m in _ODS_TABLE.finditer(region) if has_table else ():
            self._rows(region, pos, m.start())
            pos = m.end()
            if m.group(0).startswith(b"</"):
                self.depth -= 1
                if self.depth == 0:
                    self.finish_table()
            else:
                self.depth += 1
                if self.depth == 1:
                    self.n_tables += 1
                    if self.n_tables <= self.lim.max_sheets:
                        name = _unescape(_ods_attrs(m.group(1)).get(b"table:name", b""))
                        self.info = SheetInfo(name)
                        self.order.append(self.info)
                        self._reset()
                    else:
                        self.info = None
                    if m.group(1).endswith(b"/"):
                        self.depth -= 1
                        self.finish_table()
        self._rows(region, pos, len(region))

    def finish_table(self) -> None:
        info = self.info
        if info is None:
            return
        info.rows, info.cols = self.max_r, self.max_c
        if info.rows and info.cols:
            info.far_cell = _ref(info.rows - 1, info.cols - 1)
        hidden: set[int] = set()
        if info.rows * info.cols <= self.lim.max_cells:  # a sheet over the limit is refused anyway
            for start_row, count in self.hidden:
                n = max(0, min(start_row + count, info.rows) - start_row)
                self.hidden_total += n
                if self.hidden_total > self.lim.max_cells:
                    raise Refused(f"文件中隐藏的行超过 {self.lim.max_cells:,} 行，可能为恶意文件，已跳过", sheet=info.name)
                hidden.update(range(start_row, start_row + n))
        info.hidden_rows = frozenset(hidden)
        info.no_cache = frozenset(self.no_cache)
        _finish_merged(info)
        self.info = None

    def _rows(self, region: bytes, pos: int, end: int) -> None:
        if self.info is None or self.depth != 1:
            return
        find = region.find
        while True:
            p = find(b"<table:table-row", pos, end)
            if p < 0:
                return
            nxt = region[p + 16:p + 17]
            if nxt not in (b" ", b">", b"/", b"\t", b"\n", b"\r"):
                pos = p + 16  # table-row-group, table-rows
                continue
            gt = find(b">", p, end)
            if gt < 0:
                return
            rep = 1
            hidden = False
            if find(b"=", p, gt) >= 0:
                a = _ods_attrs(region[p + 16:gt])
                rep = _int_attr(a.get(b"table:number-rows-repeated"))
                hidden = (a.get(b"table:visibility") or b"visible") != b"visible"
            if region[gt - 1:gt] == b"/":
                start = stop = gt
                pos = gt + 1
            else:
                start = gt + 1
                stop = find(b"</table:table-row>", start, end)
                if stop < 0:
                    stop = end
                pos = stop + 18
            self._row(region, start, stop, rep, hidden)

    def _row(self, buf: bytes, start: int, stop: int, rep: int, hidden: bool) -> None:
        """One row: buf[start:stop] is its content."""
        lim, info, r = self.lim, self.info, self.row
        if hidden:
            self.hidden.append((r, rep))
        self.row = r + rep
        if stop <= start or r >= _ODS_MAX_ROWS:
            return
        find, rfind = buf.find, buf.rfind
        complex_row = ((self.r_spans and find(b"-spanned=", start, stop) >= 0)
                       or (self.r_formula and find(b"table:formula=", start, stop) >= 0))
        if self.r_text_c and find(b"text:c=", start, stop) >= 0:
            total = sum(int(x) for x in _ODS_TEXT_C.findall(buf, start, stop))
            if total > lim.max_cell_chars:
                raise Refused(f"{sheet_label(info.name)}第 {r + 1:,} 行的单元格文字展开后有 {total:,} 个字符"
                              f"（上限 {lim.max_cell_chars:,}），可能为恶意文件，已跳过", sheet=info.name)
        rows_to = min(r + rep, _ODS_MAX_ROWS)
        if not complex_row:
            # the usual row: walk back from the end to the last cell holding a value; no repeat up to it
            # (LibreOffice's trailing <table:table-cell table:number-columns-repeated="16364"/> comes after it)
            pos = stop
            for _ in range(8):
                cs = rfind(b"<table:table-cell", start, pos)
                if self.r_covered:
                    cs = max(cs, rfind(b"<table:covered-table-cell", start, pos))
                if cs < 0:
                    return  # no value in the row
                te = find(b">", cs, stop)
                tag = buf[cs:te if te > 0 else stop]
                if _ods_valued(tag, tag.endswith(b"/")):
                    if b"repeated" in tag or find(b"number-columns-repeated", start, cs) >= 0:
                        break  # a repeat before or on it: count cell by cell
                    col = buf.count(b"<table:table-cell", start, cs)
                    if self.r_covered:
                        col += buf.count(b"<table:covered-table-cell", start, cs)
                    self._extent(rows_to, min(col + 1, _ODS_MAX_COLS), col)
                    if rep > 1:  # a repeated row's text is stored once per copy
                        self._text((stop - start) * (rows_to - r))
                    return
                pos = cs
        self._row_cells(buf[start:stop], r, rep, rows_to)

    def _extent(self, rows_to: int, cols_to: int, col: int) -> None:
        if col >= _ODS_MAX_COLS:
            return
        if rows_to > self.max_r:
            self.max_r = rows_to
        if cols_to > self.max_c:
            self.max_c = cols_to

    def _row_cells(self, body: bytes, r: int, rep: int, rows_to: int) -> None:
        """Rows with repeated cells, spans or formulas: one match per cell."""
        lim, info = self.lim, self.info
        col = 0
        text_units = 0
        for m in _ODS_CELL.finditer(body):
            covered, raw = m.group(1), m.group(2)
            self_closing = raw.endswith(b"/")
            crep = 1
            if b"repeated" in raw:
                rm = _ODS_REPEAT.search(raw)
                crep = _int_attr(rm.group(1)) if rm else 1
            valued = _ods_valued(raw, self_closing)
            if valued and col < _ODS_MAX_COLS:
                self._extent(rows_to, min(col + crep, _ODS_MAX_COLS), col)
                if crep > 1 or rep > 1:
                    # text of a repeated cell is stored once per copy: bound it by the cell's XML
                    end = m.end() if self_closing else body.find(b"</table:", m.end())
                    size = max(1, (end if end > 0 else len(body)) - m.end())
                    text_units += size * min(crep, _ODS_MAX_COLS) * (rows_to - r)
            if not covered and (b"-spanned" in raw or b"table:formula" in raw):
                a = _ods_attrs(raw)
                cs = _int_attr(a.get(b"table:number-columns-spanned"))
                rs = _int_attr(a.get(b"table:number-rows-spanned"))
                if cs > 1 or rs > 1:
                    info.merged += rep * crep
                    if len(info.merged_ranges) <= lim.max_merged:
                        info.merged_ranges.append((r, col, r + rs - 1, col + cs - 1))
                if b"table:formula" in a and not valued and len(self.no_cache) < lim.max_cells:
                    self.no_cache.append((r, col))
            col += crep
        if text_units:
            self._text(text_units)

    def _text(self, units: int) -> None:
        lim, info = self.lim, self.info
        if units:
            self.text += units
            if self.text > lim.max_text_chars:
                if self.max_r * self.max_c > lim.max_cells:  # say what is wrong first: the extent so far
                    info.rows, info.cols = self.max_r, self.max_c
                    info.far_cell = _ref(info.rows - 1, info.cols - 1)
                    raise Refused(extent_message(info, lim), sheet=info.name)
                raise Refused(f"{sheet_label(info.name)}的文字（计入重复的单元格）超过 {lim.max_text_chars:,} 个字符，"
                              "可能为恶意文件，已跳过", sheet=info.name)
