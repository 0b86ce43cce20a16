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
Standard library only, apart from the exception and the A1 helpers.
"""

from __future__ import annotations

import codecs
import re
import struct
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from qudao.cells import col_letter
from qudao.errors import Unreadable

__all__ = [
    "Limits", "LIMITS", "SheetInfo", "CsvInfo",
    "scan", "scan_xlsx", "scan_ods", "scan_xls", "scan_csv", "check_zip", "format_of", "size_text",
]

Refused = Unreadable  # what every guard raises: a file.unreadable finding with the real figures


# --------------------------------------------------------------------------- limits and results


@dataclass(frozen=True)
class Limits:
    """What one input may cost. Every value is documented in docs/reading.md → Limits."""

    max_file_bytes: int = 100 * 1024 * 1024  # the file on disk
    max_member_bytes: int = 256 * 1024 * 1024  # one zip member, uncompressed
    max_total_bytes: int = 512 * 1024 * 1024  # all zip members, uncompressed
    max_ratio: int = 100  # uncompressed/compressed, for members over ratio_min_bytes
    ratio_min_bytes: int = 16 * 1024 * 1024
    max_cells: int = 5_000_000  # rows × columns of one sheet's used range (CSV: an upper bound of the fields)
    max_sheets: int = 200  # sheets in one workbook
    max_merged: int = 10_000  # merged ranges in one sheet
    max_merged_area: int = 5_000_000  # cells under merged ranges, counted per range: only overlaps exceed the
    #                                   extent, and Excel never writes overlapping ranges
    max_csv_line_bytes: int = 1024 * 1024  # one CSV line
    max_csv_lines: int = 1_000_000  # lines of one CSV file
    max_cell_xml_bytes: int = 8 * 1024 * 1024  # the XML of one xlsx cell (a streaming scan keeps at most this)
    max_row_xml_bytes: int = 64 * 1024 * 1024  # the XML of one ODS row
    max_cell_chars: int = 1_000_000  # one ODS cell's text after text:s expansion
    max_text_chars: int = 200_000_000  # one ODS sheet's text, counting every repeat


LIMITS = Limits()


@dataclass
class SheetInfo:
    """What a sheet will cost, measured from the bytes. Rows/columns are 1-based counts from A1."""

    name: str
    rows: int = 0  # up to the farthest cell holding a value (= calamine's sheet.end[0] + 1)
    cols: int = 0  # (= calamine's sheet.end[1] + 1)
    far_cell: str = ""  # reference of a cell that sets the extent (the last one found at the max)
    merged: int = 0  # merged ranges
    merged_ranges: list[tuple[int, int, int, int]] = field(default_factory=list)  # r1, c1, r2, c2 0-based inclusive
    merged_area: int = 0  # cells covered by merged ranges, counted per range, clipped to rows × cols
    hidden_rows: frozenset[int] = frozenset()  # 0-based
    no_cache: frozenset[tuple[int, int]] = frozenset()  # formula cells without a cached value (0-based)
    positional: int = 0  # xlsx cells without an r attribute (placed by position)
    dimension: str = ""  # what the file declares (xlsx <dimension ref>, xls DIMENSIONS); informational only
    state: str = "visible"  # visible / hidden / veryHidden where the format says so

    @property
    def cells(self) -> int:
        return self.rows * self.cols


@dataclass
class CsvInfo:
    bytes: int = 0
    lines: int = 0  # line breaks (\n, \r\n, lone \r) + a last line without one
    longest_line: int = 0  # bytes, without the line break
    longest_line_no: int = 0  # 1-based
    fields: int = 0  # upper bound of the fields: lines + delimiters of the most frequent candidate
    delimiter_counts: dict[str, int] = field(default_factory=dict)
    encoding: str = ""  # utf-8-sig, utf-8, utf-16, gb18030, or "" if none decodes
    bom_mismatch: bool = False  # a UTF-8 BOM but the text is not UTF-8 (GB18030 after a BOM)


# --------------------------------------------------------------------------- helpers


def col_index(letters: str | bytes) -> int:
    """``'A'`` → 0, ``'AA'`` → 26 (case-insensitive, any length)."""
    if isinstance(letters, bytes):
        letters = letters.decode("ascii")
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ord(ch) - 64)
    return n - 1


def _ref(row0: int, col0: int) -> str:
    return f"{col_letter(col0)}{row0 + 1}"


def size_text(n: int) -> str:
    """1.5 MB, 95 MB, 12 KB, 300 字节: sizes in messages."""
    if n >= 1024 * 1024:
        return f"{n / 1024 / 1024:.0f} MB" if n >= 10 * 1024 * 1024 else f"{n / 1024 / 1024:.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n} 字节"


def sheet_label(name: str) -> str:
    return f"工作表「{name}」" if name else "表格"


def extent_message(info: SheetInfo, lim: Limits) -> str:
    far = f"，最远的内容在 {info.far_cell}" if info.far_cell else ""
    return (f"{sheet_label(info.name)}的使用范围过大（{info.rows:,} 行 × {info.cols:,} 列 = {info.cells:,} 个单元格，"
            f"上限 {lim.max_cells:,} 个单元格{far}），通常是远处有误填的单元格；请删除多余内容后另存再发")


def _check_sheet(info: SheetInfo, lim: Limits) -> None:
    """Refuse a measured sheet that is over the limits."""
    if info.cells > lim.max_cells:
        raise Refused(extent_message(info, lim), sheet=info.name)
    if info.merged > lim.max_merged:
        raise Refused(_merged_count_message(info.name, info.merged, lim), sheet=info.name)
    if info.merged_area > lim.max_merged_area:
        raise Refused(
            f"{sheet_label(info.name)}的 {info.merged:,} 个合并单元格区域互相重叠，共覆盖 {info.merged_area:,} 个单元格"
            f"（上限 {lim.max_merged_area:,}），文件可能已损坏或被篡改；请取消合并后另存再发", sheet=info.name)


def _merged_count_message(name: str, n: int, lim: Limits) -> str:
    return (f"{sheet_label(name)}有 {n:,} 个合并单元格区域，超过上限 {lim.max_merged:,} 个"
            "（可能已损坏或为恶意文件）；请取消多余的合并后另存再发")


def _sheet_count_message(n: int, lim: Limits) -> str:
    return f"工作簿有 {n:,} 个工作表，超过上限 {lim.max_sheets:,} 个；请只保留需要的工作表后另存再发"


def _finish_merged(info: SheetInfo) -> None:
    area = 0
    for r1, c1, r2, c2 in info.merged_ranges:
        h = min(r2, info.rows - 1) - r1 + 1
        w = min(c2, info.cols - 1) - c1 + 1
        if h > 0 and w > 0:
            area += h * w
    info.merged_area = area


def _damaged(detail: str) -> Refused:
    return Refused(f"文件已损坏或不完整（{detail}），请用 Excel 打开后重新保存再发")


# --------------------------------------------------------------------------- format


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


# --------------------------------------------------------------------------- zip


def check_zip(zf: zipfile.ZipFile, lim: Limits) -> None:
    """Zip directory guards (sizes, ratio, encryption, entity declarations), before anything is inflated."""
    infos = zf.infolist()
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > lim.max_member_bytes:
            raise Refused(f"文件内部的「{info.filename}」解压后有 {size_text(info.file_size)}，超过上限 "
                          f"{size_text(lim.max_member_bytes)}（可能有超大单元格或为恶意文件），已跳过")
        if (info.file_size > lim.ratio_min_bytes and info.compress_size
                and info.file_size / info.compress_size > lim.max_ratio):
            raise Refused(f"文件内部的「{info.filename}」压缩比异常（{info.file_size // max(info.compress_size, 1)} 倍），"
                          "疑似压缩炸弹，已跳过")
    if total > lim.max_total_bytes:
        raise Refused(f"文件解压后共 {size_text(total)}，超过上限 {size_text(lim.max_total_bytes)}，已跳过")
    if any(info.flag_bits & 0x1 for info in infos):
        raise Refused("文件已加密（设置了打开密码），请取消密码后另存再发")
    for info in infos:
        if info.filename.endswith((".xml", ".rels")) and info.file_size:
            with zf.open(info) as fh:
                head = fh.read(2048)
            if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                raise Refused(f"文件内部的「{info.filename}」含有 XML 实体声明（可能是恶意文件），已跳过")


def _open_zip(path: Path, lim: Limits) -> zipfile.ZipFile:
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise _damaged(f"压缩包无法打开：{exc}") from None
    try:
        check_zip(zf, lim)
    except Refused:
        zf.close()
        raise
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError, KeyError) as exc:
        zf.close()
        raise _damaged(f"{type(exc).__name__}: {exc}") from None
    return zf


# --------------------------------------------------------------------------- xlsx

_CHUNK = 1 << 20
_XATTRS = rb'(?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|\'[^\']*\'))*'  # XML attributes; a ">" inside a value is fine
_PFX = rb'(?:[A-Za-z_][\w.\-]*:)?'  # any namespace prefix (calamine matches local names only)

# where a region may end: before a cell, a row or a row end
_BOUNDARY = re.compile(rb'<(?:/?' + _PFX + rb'row|' + _PFX + rb'c)(?=[\s>/])')
# the general tokenizer: rows, cells and what decides whether a cell holds a value
_TOK = re.compile(rb'<(/?)' + _PFX + rb'(row|c|v|is|f|mergeCell|dimension)(' + _XATTRS + rb')\s*(/?)>')
_ATTR = re.compile(rb'(?:^|\s)([^\s=/>]+)\s*=\s*(?:"([^"]*)"|\'([^\']*)\')')
_CELLREF = re.compile(rb'\s*([A-Za-z]+)0*(\d+)\s*$')
_RANGEREF = re.compile(rb'\s*\$?([A-Za-z]+)\$?(\d+)(?::\$?([A-Za-z]+)\$?(\d+))?\s*$')
_COMMENTS = re.compile(rb'<!--.*?-->|<\?.*?\?>', re.S)
_CDATA = re.compile(rb'<!\[CDATA\[.*?\]\]>', re.S)  # replaced by "0": content, never markup


def _strip_markup(region: bytes) -> bytes:
    region = _COMMENTS.sub(b"", region)
    return _CDATA.sub(b"0", region) if b"<![CDATA[" in region else region

# normal form: every cell tag is exactly '<c r="', every row tag '<row r="', no prefixes, no comments
_ODD_C = re.compile(rb'<c(?! r=")(?=[\s>/])')
_PREFIXED = re.compile(rb':(?:c|row)(?=[\s>/])')
_PREFIX_OF = re.compile(rb'</?([A-Za-z_][\w.\-]*):(?:c|row|v|is|f|sheetData|mergeCell)(?=[\s>/])')
_NORM_C = re.compile(rb'<c\s+r\s*=\s*(?:"([^"]*)"|\'([^\']*)\')(?=[\s>/])')
_F = rb'(?:<f(?:' + _XATTRS + rb')\s*/>\s*|<f(?:' + _XATTRS + rb')\s*>[^<]*</f>\s*)'
# a cell holding a value (precise; the caller checks <v></v> against the type)
_VALUED = re.compile(rb'<c r="([A-Za-z]+)0*(\d+)"(' + _XATTRS + rb')\s*>\s*' + _F + rb'?<(v>(?!<)|v></v>|v\s*/>|is\b[^>]*>)')
_FORMULA_NORMAL = re.compile(rb'<c r="([A-Za-z]+)0*(\d+)"' + _XATTRS + rb'\s*>\s*' + _F + rb'(<v>[^<]+</v>)?')
_HIDDEN_NORMAL = re.compile(rb'<row\s+r\s*=\s*["\']0*(\d+)["\'][^>]*?\shidden\s*=\s*["\'](?:1|true)["\']')
_MERGE = re.compile(rb'<' + _PFX + rb'mergeCell(' + _XATTRS + rb')\s*/?>')
_DIMENSION = re.compile(rb'<' + _PFX + rb'dimension(' + _XATTRS + rb')\s*/?>')
_T_ATTR = re.compile(rb'\st\s*=\s*["\']([^"\']*)["\']')
_NO_VALUE_WHEN_EMPTY = {None, b"n", b"s", b"b", b"e", b"inlineStr"}


def _gt_number(t: int) -> bytes:
    """A regex (bytes) for decimal numbers greater than t (no leading zeros; the caller allows them)."""
    s = str(t)
    n = len(s)
    alts = [rb"[1-9]\d{%d,}" % n]
    for i, ch in enumerate(s):
        d = int(ch)
        if d < 9:
            lo = 1 if i == 0 and d == 0 else d + 1
            alts.append(s[:i].encode() + (rb"[%d-9]" % lo) + (rb"\d{%d}" % (n - i - 1) if n - i - 1 else b""))
    return rb"(?:" + b"|".join(alts) + rb")(?!\d)"


def _gt_column(c: int) -> bytes:
    """A regex for column letters (any case) of a column index greater than c (0-based)."""
    s = col_letter(c) if c >= 0 else ""
    n = len(s)
    alts = [rb"[A-Za-z]{%d,}" % (n + 1)]
    for i, ch in enumerate(s):
        if ch < "Z":
            nxt = chr(ord(ch) + 1)
            prefix = b"".join(b"[%s%s]" % (x.encode(), x.lower().encode()) for x in s[:i])
            cls = b"[%s-Z%s-z]" % (nxt.encode(), nxt.lower().encode())
            alts.append(prefix + cls + (rb"[A-Za-z]{%d}" % (n - i - 1) if n - i - 1 else b""))
    return rb"(?:" + b"|".join(alts) + rb")(?=\d)"


_GT_CACHE: dict[tuple[int, int], re.Pattern] = {}


def _gt_pattern(max_row: int, max_col: int) -> re.Pattern:
    """A cell reference (normal form) whose row > max_row or column > max_col (1-based counts).

    Only the reference: whether the cell holds a value is checked on a hit."""
    key = (max_row, max_col)
    pat = _GT_CACHE.get(key)
    if pat is None:
        if len(_GT_CACHE) > 256:
            _GT_CACHE.clear()
        pat = re.compile(rb'<c(?: r="(?:[A-Za-z]+0*' + _gt_number(max_row) + rb'|' + _gt_column(max_col - 1) + rb')'
                         rb'|(?! r=")(?=[\s>/]))')  # or a cell tag not in the usual spelling
        _GT_CACHE[key] = pat
    return pat


# the general path, one match per cell in the usual shapes (any prefix, whitespace, quotes)
_GEN = re.compile(
    rb'<(/?)' + _PFX + rb'(row|c)(?=[\s/>])([^>]*)>'
    rb'(?:(\s*<' + _PFX + rb'f(?=[\s/>])[^>]*?(?:/>|>[^<]*</' + _PFX + rb'f\s*>))?'
    rb'\s*<' + _PFX + rb'(v|is)(?=[\s/>])([^>]*)>([^<]?)'
    rb'(?:[^<]*</' + _PFX + rb'v\s*>\s*</' + _PFX + rb'c\s*>())?)?')
_R_ATTR = re.compile(rb'(?:^|\s)r\s*=\s*(?:"([^"]*)"|\'([^\']*)\')')
_ROWTAG = re.compile(rb'<(/?)row(?=[\s>/])([^>]*)>')
_HIDDEN_ATTR = re.compile(rb'(?:^|\s)hidden\s*=\s*["\'](?:1|true)["\']')
_CELL_END = re.compile(rb'</' + _PFX + rb'c\s*>')
_LATE_VALUE = re.compile(rb'<' + _PFX + rb'(?:v(?=[\s>])[^>]*(?<!/)>[^<]|is(?=[\s>/]))')
_LATE_EMPTY_V = re.compile(rb'<' + _PFX + rb'v(?=[\s>/])[^>]*(?:/>|>\s*</' + _PFX + rb'v\s*>)')
_LATE_F = re.compile(rb'<' + _PFX + rb'f(?=[\s>/])')


def _attrs(raw: bytes) -> dict[bytes, bytes]:
    out: dict[bytes, bytes] = {}
    for m in _ATTR.finditer(raw):
        key = m.group(1)
        val = m.group(2) if m.group(2) is not None else m.group(3)
        if key in out and key == b"r":  # a duplicate r: keep the farther one (calamine refuses the cell)
            out[b"r2"] = val
        out[key] = val
    return out


class _XlsxSheetScan:
    """Streaming measure of one worksheet XML. Feed regions that end before a cell/row tag."""

    def __init__(self, name: str, lim: Limits):
        self.name = name
        self.lim = lim
        self.max_row = 0  # 1-based count from A1 of cells holding a value
        self.max_col = 0
        self.far_row = ""  # the cell that sets the last row / the last column
        self.far_col = ""
        self.row_index = 0  # calamine's state for cells without r (0-based)
        self.col_index = 0
        self.positional = 0
        self.hidden: set[int] = set()
        self.no_cache: set[tuple[int, int]] = set()
        self.merged: list[tuple[int, int, int, int]] = []
        self.n_merged = 0
        self.dimension = ""
        self.general_regions = 0
        self.normal_regions = 0
        self.seen_data = False  # a region with cells has passed (the dimension element comes before)

    # -- the cell extent ---------------------------------------------------------
    def _hit(self, row1: int, col1: int) -> None:
        if row1 > self.max_row:
            self.max_row = row1
            self.far_row = _ref(row1 - 1, col1 - 1)
        if col1 > self.max_col:
            self.max_col = col1
            self.far_col = _ref(row1 - 1, col1 - 1)

    @property
    def far(self) -> str:
        if self.far_row == self.far_col or not self.far_col:
            return self.far_row
        return f"{self.far_row} 和 {self.far_col}" if self.far_row else self.far_col

    def _valued_match(self, m: re.Match) -> bool:
        kind = m.group(4)
        tm = _T_ATTR.search(m.group(3)) if m.group(3) else None
        t = tm.group(1) if tm else None
        if kind.startswith(b"is"):
            return True
        if kind == b"v></v>" or kind.endswith(b"/>"):  # <v/>: calamine expands empty elements
            return t not in _NO_VALUE_WHEN_EMPTY
        return t != b"inlineStr"  # calamine ignores <v> of an inline string

    def feed(self, region: bytes, bang: bool = True) -> None:
        """bang: the region may hold a comment or CDATA (``b"<!" in region``; the caller knows)."""
        if bang and b"<!" in region:  # comments, CDATA: only the general path reads them right
            return self._general(region)
        if _PREFIXED.search(region):  # x:c, x:row: drop the prefixes (C speed), then the usual path
            for _ in range(16):
                m = _PREFIX_OF.search(region)
                if not m:
                    break
                p = m.group(1)
                region = region.replace(b"<" + p + b":", b"<").replace(b"</" + p + b":", b"</")
            if _PREFIXED.search(region):
                return self._general(region)  # prefixes left: per cell
        # rows spelled otherwise need no check here: a row's r only places cells without r, which the
        # search in _normal finds (and sends to the general path); _tail_state reads any spelling
        self._normal(region, True)

    def _normal(self, region: bytes, retry: bool = False) -> None:
        self.normal_regions += 1
        # 1. a candidate: the last cell holding a value in the region (usually the farthest row)
        pos = len(region)
        for _ in range(64):
            p = region.rfind(b'<c r="', 0, pos)
            if p < 0:
                break
            m = _VALUED.match(region, p)
            if m and self._valued_match(m):
                self._hit(int(m.group(2)), col_index(m.group(1)) + 1)
                break
            pos = p
        # ... and the last cell of the last complete row (usually the widest column)
        end_row = region.rfind(b"</row>")
        if end_row > 0:
            p = region.rfind(b'<c r="', 0, end_row)
            m = _VALUED.match(region, p) if p >= 0 else None
            if m and self._valued_match(m):
                self._hit(int(m.group(2)), col_index(m.group(1)) + 1)
        # 2. any reference beyond it? one search at C speed, usually nothing; else every cell from the hit
        hit = _gt_pattern(self.max_row, self.max_col).search(region)
        if hit and region[hit.start():hit.start() + 6] == b'<c r="':  # the search stopped early: odd cells later?
            odd = _ODD_C.search(region, hit.start())
            if odd:
                hit = odd
        if hit and region[hit.start():hit.start() + 6] != b'<c r="':
            self.normal_regions -= 1
            if retry:  # <c\tr=, <c r = '...': the usual spelling if r comes first, then once more
                return self._normal(_NORM_C.sub(rb'<c r="\1\2"', region))
            return self._general(region)  # a cell without r or with r elsewhere: per cell
        if hit:
            for m in _VALUED.finditer(region, hit.start()):
                if self._valued_match(m):
                    self._hit(int(m.group(2)), col_index(m.group(1)) + 1)
        # 3. hidden rows, formulas without a value, merged ranges, dimension
        if b"hidden" in region:
            for m in _HIDDEN_NORMAL.finditer(region):
                self.hidden.add(int(m.group(1)) - 1)
        if b"<f" in region:
            for m in _FORMULA_NORMAL.finditer(region):
                if not m.group(3):
                    self.no_cache.add((int(m.group(2)) - 1, col_index(m.group(1))))
        if b"mergeCell" in region:
            self._merges(region)
        if not self.dimension and not self.seen_data and b"dimension" in region:
            m = _DIMENSION.search(region)
            if m:
                self.dimension = (_attrs(m.group(1)).get(b"ref") or b"").decode("ascii", "replace")
        self.seen_data = True
        # 4. calamine's position state at the end of the region, for cells without r further on
        self._tail_state(region)

    def _general(self, region: bytes) -> None:
        """Any spelling: prefixes, any whitespace, single quotes, cells without r. One match per cell."""
        if b"<!" in region or b"<?" in region:
            region = _strip_markup(region)
        if _PREFIXED.search(region):  # x:c, x:row: drop the prefixes (C speed)
            for _ in range(16):
                m = _PREFIX_OF.search(region)
                if not m:
                    break
                p = m.group(1)
                region = region.replace(b"<" + p + b":", b"<").replace(b"</" + p + b":", b"</")
        self.general_regions += 1
        snapshot = (self.row_index, self.col_index, self.positional, self.n_merged, len(self.merged))
        if b"mergeCell" in region:
            self._merges(region)
        if not self.dimension and b"dimension" in region:
            m = _DIMENSION.search(region)
            if m:
                self.dimension = (_attrs(m.group(1)).get(b"ref") or b"").decode("ascii", "replace")
        open_cell = None  # [pos, valued, has_f, v_text] of a cell whose end tag is still to come
        for m in _GEN.finditer(region):
            close, name, raw = m.group(1), m.group(2), m.group(3)
            if (raw.count(b'"') & 1) or (raw.count(b"'") & 1):  # a ">" inside an attribute value
                self.general_regions -= 1
                self.row_index, self.col_index, self.positional, self.n_merged, n = snapshot
                del self.merged[n:]
                return self._general_precise(region)
            if name == b"c":
                if close:
                    if open_cell is not None:
                        self._end_cell(*open_cell)
                        open_cell = None
                    continue
                if open_cell is not None:  # an unclosed cell: close it as it stands
                    self._end_cell(*open_cell)
                    open_cell = None
                rm = _R_ATTR.search(raw)
                ref = _CELLREF.match(rm.group(1) if rm.group(1) is not None else rm.group(2)) if rm else None
                if ref:
                    pos = (int(ref.group(2)) - 1, col_index(ref.group(1)))
                    self.col_index = pos[1]
                else:
                    pos = (self.row_index, self.col_index)
                    self.positional += 1
                tm = _T_ATTR.search(raw) if b"t" in raw else None
                t = tm.group(1) if tm else None
                if raw.endswith(b"/"):  # <c .../>: calamine expands it to an empty cell, which moves the position
                    self._end_cell(pos, False, False, False)
                    continue
                has_f = m.group(4) is not None
                kind = m.group(5)
                if kind is None:  # no value right after the start tag: look inside the cell
                    end = _CELL_END.search(region, m.end())
                    stop = end.start() if end else len(region)
                    inner_v = _LATE_VALUE.search(region, m.end(), stop)
                    has_f = has_f or bool(_LATE_F.search(region, m.end(), stop))
                    valued = bool(inner_v) and not (inner_v.group(0).lstrip(b"<").split(b":")[-1].startswith(b"v")
                                                    and t == b"inlineStr")
                    if not valued and t not in _NO_VALUE_WHEN_EMPTY and _LATE_EMPTY_V.search(region, m.end(), stop):
                        valued = True  # <v></v> or <v/> of a str/d cell: calamine stores ""
                    open_cell = [pos, valued, has_f, bool(inner_v)]
                    continue
                vraw, text = m.group(6), m.group(7)
                if kind == b"is":
                    valued, v_text = True, True
                elif text and text != b"<" and not vraw.endswith(b"/"):
                    v_text = True
                    valued = t != b"inlineStr"
                else:
                    v_text = False
                    valued = t not in _NO_VALUE_WHEN_EMPTY or bool(text)
                if m.group(8) is not None:  # the cell's end tag was part of the match
                    self._end_cell(pos, valued, has_f, v_text)
                else:
                    open_cell = [pos, valued, has_f, v_text]
            else:  # row
                if open_cell is not None:
                    self._end_cell(*open_cell)
                    open_cell = None
                if close:
                    self.row_index += 1
                    self.col_index = 0
                else:
                    rm = _R_ATTR.search(raw)
                    ref = (rm.group(1) if rm.group(1) is not None else rm.group(2)).strip() if rm else b""
                    if ref.isdigit():
                        self.row_index = int(ref) - 1
                    if b"hidden" in raw and _HIDDEN_ATTR.search(raw):
                        self.hidden.add(self.row_index)
                    if raw.endswith(b"/"):  # <row .../>: expanded to a start and an end
                        self.row_index += 1
                        self.col_index = 0
        if open_cell is not None:
            self._end_cell(*open_cell)

    def _tail_state(self, region: bytes) -> None:
        """calamine's row/column position at the end of a normal region (rows in any spelling)."""
        last = -1
        start = 0
        pos = len(region)
        for _ in range(64):  # the last row tag that has an r: its number, then only the tags after it
            p = region.rfind(b"<row", 0, pos)
            if p < 0:
                break
            m = _ROWTAG.match(region, p)
            if m and not m.group(1) and _R_ATTR.search(m.group(2)):
                start = p
                break
            pos = p
        for m in _ROWTAG.finditer(region, start):
            if m.group(1):
                self.row_index += 1
                self.col_index = 0
            else:
                rm = _R_ATTR.search(m.group(2))
                ref = (rm.group(1) if rm.group(1) is not None else rm.group(2)).strip() if rm else b""
                if ref.isdigit():
                    self.row_index = int(ref) - 1
                if m.group(2).endswith(b"/"):  # <row .../> is a start and an end
                    self.row_index += 1
                    self.col_index = 0
            last = m.end()
        p = region.rfind(b'<c r="', max(last, 0))  # in a normal region every cell is spelled so
        while p >= 0:
            gt = region.find(b">", p)
            q = region.find(b'"', p + 6)
            m = _CELLREF.match(region[p + 6:q]) if q > 0 else None
            if gt > 0 and m:  # a cell, empty or not, sets the column (calamine expands <c/>)
                self.col_index = col_index(m.group(1)) + 1
                break
            p = region.rfind(b'<c r="', max(last, 0), p)

    def _merges(self, region: bytes) -> None:
        for m in _MERGE.finditer(region):
            self.n_merged += 1
            if self.n_merged > self.lim.max_merged:
                continue  # keep counting: the message states the real number
            ref = _attrs(m.group(1)).get(b"ref") or b""
            rm = _RANGEREF.match(ref)
            if rm:
                r1, c1 = int(rm.group(2)) - 1, col_index(rm.group(1))
                r2, c2 = (int(rm.group(4)) - 1, col_index(rm.group(3))) if rm.group(3) else (r1, c1)
                self.merged.append((min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)))

    def _general_precise(self, region: bytes) -> None:
        """Like _general, per tag and with exact attribute syntax (a ">" inside a value). Slower."""
        self.general_regions += 1
        in_cell = False
        pos = (0, 0)
        t = None
        valued = has_f = v_text = False
        for m in _TOK.finditer(region):
            close, name, raw, empty = m.group(1), m.group(2), m.group(3), m.group(4)
            if name == b"c":
                if close:
                    if in_cell:
                        self._end_cell(pos, valued, has_f, v_text)
                        in_cell = False
                    continue
                if in_cell:  # an unclosed cell: close it as it stands
                    self._end_cell(pos, valued, has_f, v_text)
                a = _attrs(raw)
                ref = a.get(b"r")
                rm = _CELLREF.match(ref) if ref is not None else None
                if rm:
                    pos = (int(rm.group(2)) - 1, col_index(rm.group(1)))
                    r2 = _CELLREF.match(a[b"r2"]) if b"r2" in a else None
                    if r2:
                        pos = (max(pos[0], int(r2.group(2)) - 1), max(pos[1], col_index(r2.group(1))))
                    self.col_index = pos[1]
                else:
                    pos = (self.row_index, self.col_index)
                    self.positional += 1
                t = a.get(b"t")
                in_cell = True
                valued = has_f = v_text = False
                if empty:  # <c .../>: an empty cell that moves the position
                    self._end_cell(pos, False, False, False)
                    in_cell = False
            elif name == b"row":
                if close:
                    self.row_index += 1
                    self.col_index = 0
                else:
                    a = _attrs(raw)
                    ref = a.get(b"r")
                    if ref is not None and ref.strip().isdigit():
                        self.row_index = int(ref) - 1
                    if a.get(b"hidden") in (b"1", b"true"):
                        self.hidden.add(self.row_index)
                    if empty:
                        self.row_index += 1
                        self.col_index = 0
            elif in_cell and not close:
                if name == b"v":
                    nxt = region[m.end():m.end() + 1] if not empty else b"<"
                    if nxt != b"<":
                        v_text = True
                        if t != b"inlineStr":
                            valued = True
                    elif t not in _NO_VALUE_WHEN_EMPTY:
                        valued = True
                elif name == b"is":
                    valued = True
                elif name == b"f":
                    has_f = True
            elif name == b"mergeCell" and not close:
                self._merges(m.group(0))
            elif name == b"dimension" and not self.dimension:
                self.dimension = (_attrs(raw).get(b"ref") or b"").decode("ascii", "replace")
        if in_cell:  # cannot happen for a region cut before a cell tag; be safe
            self._end_cell(pos, valued, has_f, v_text)

    def _end_cell(self, pos: tuple[int, int], valued: bool, has_f: bool, v_text: bool) -> None:
        if valued:
            self._hit(pos[0] + 1, pos[1] + 1)
        if has_f and not v_text:
            self.no_cache.add(pos)
        self.col_index += 1

    def info(self) -> SheetInfo:
        info = SheetInfo(self.name, self.max_row, self.max_col, self.far, self.n_merged, self.merged,
                         0, frozenset(self.hidden), frozenset(self.no_cache), self.positional, self.dimension)
        _finish_merged(info)
        return info


def _last_boundary(buf: bytes, bang: bool = True) -> int:
    """Offset of the last cell/row tag start in buf (0 if none): everything before it is whole cells."""
    n = len(buf)
    cut = max(buf.rfind(b'<c r="', n - 65536), buf.rfind(b"<row ", n - 65536), buf.rfind(b"</row>", n - 65536))
    if cut > 0:
        return _no_open_comment(buf, cut) if bang else cut
    window = 1 << 16
    while True:
        start = max(0, n - window)
        last = -1
        for m in _BOUNDARY.finditer(buf, start):
            last = m.start()
        if last > 0 or start == 0:
            cut = max(last, 0)
            break
        window *= 4
    return _no_open_comment(buf, cut)


def _no_open_comment(buf: bytes, cut: int) -> int:
    """Move a cut before a comment or CDATA section that is still open there."""
    if b"<!" not in buf:
        return cut
    for open_, close_ in ((b"<!--", b"-->"), (b"<![CDATA[", b"]]>")):
        o = buf.rfind(open_, 0, cut)
        if o >= 0 and buf.find(close_, o, cut) < 0:
            cut = o
    return cut


def _scan_sheet_stream(fh, name: str, lim: Limits) -> SheetInfo:
    scan = _XlsxSheetScan(name, lim)
    carry = b""
    while True:
        chunk = fh.read(_CHUNK)
        if not chunk:
            if carry:
                scan.feed(carry)
            break
        buf = carry + chunk if carry else chunk
        bang = b"<!" in buf
        cut = _last_boundary(buf, bang)
        if cut > 0:
            scan.feed(buf[:cut], bang)
            carry = buf[cut:]
        else:
            carry = buf
        if len(carry) > lim.max_cell_xml_bytes:
            raise Refused(f"{sheet_label(name)}中有一个单元格的内容超过 {size_text(lim.max_cell_xml_bytes)}"
                          "（可能为恶意文件），已跳过", sheet=name)
        if scan.n_merged > lim.max_merged:
            raise Refused(_merged_count_message(name, _count_rest(fh, buf[cut:] if cut > 0 else buf, scan), lim),
                          sheet=name)
    return scan.info()


def _count_rest(fh, tail: bytes, scan: _XlsxSheetScan) -> int:
    """The real number of merged ranges: count the rest without keeping them."""
    n = scan.n_merged
    carry = tail
    while True:
        chunk = fh.read(_CHUNK)
        buf = carry + chunk
        if not chunk:
            return n + len(_MERGE.findall(buf))
        cut = buf.rfind(b"<")
        n += len(_MERGE.findall(buf, 0, cut if cut > 0 else len(buf)))
        carry = buf[cut:] if cut > 0 else b""


_REL = re.compile(rb"<" + _PFX + rb"Relationship\b(" + _XATTRS + rb")\s*/?>")
_SHEET = re.compile(rb"<" + _PFX + rb"sheet\b(" + _XATTRS + rb")\s*/?>")
_SST = re.compile(rb"<" + _PFX + rb"sst\b(" + _XATTRS + rb")\s*/?>")


def _unescape(raw: bytes) -> str:
    import html

    return html.unescape(raw.decode("utf-8", "replace"))


class Package:
    """An xlsx's zip as python-calamine reads it. Entry names are compared with ``\\`` read as ``/`` (some
    HR/OA systems write ``xl\\worksheets\\sheet1.xml``; calamine reads them); the workbook's folder is the one of
    the ``officeDocument`` relationship of ``_rels/.rels`` (``xl`` in every file Excel writes; any folder, or the
    package's root, in other generators'), and, as calamine does, the workbook, its relationships and the
    shared strings have their usual names in that folder, sheets are where the workbook's relationships say.
    Two entries with the same name (once separators are read alike) are refused: which one a reader takes
    is not defined, so neither could be measured for sure."""

    def __init__(self, zf: zipfile.ZipFile):
        self.zf = zf
        self.parts: dict[str, zipfile.ZipInfo] = {}
        for info in zf.infolist():
            name = part_name(info.filename)
            if name in self.parts:
                raise _damaged(f"压缩包里有两个同名的部件「{name}」")
            self.parts[name] = info
        self.base = self._base()

    def _base(self) -> str | None:
        """The workbook's folder ("" for the root), None when the package names no workbook."""
        if "_rels/.rels" not in self.parts:
            return "xl" if "xl/workbook.xml" in self.parts else None
        found = set()
        for raw in _REL.findall(self.read("_rels/.rels")):
            a = _attrs(raw)
            if a.get(b"Type", b"").endswith(b"/officeDocument") and b"Target" in a:
                target = _resolve("", _unescape(a[b"Target"]))
                found.add(target.rpartition("/")[0])
        if len(found) > 1:
            raise _damaged("压缩包里有不止一个工作簿")
        return found.pop() if found else ("xl" if "xl/workbook.xml" in self.parts else None)

    def where(self, name: str) -> str:
        """``name`` in the workbook's folder."""
        return f"{self.base}/{name}" if self.base else name

    @property
    def workbook(self) -> str | None:
        return self.where("workbook.xml") if self.base is not None else None

    def read(self, name: str) -> bytes:
        return self.zf.read(self.parts[name])

    def open(self, name: str):
        return self.zf.open(self.parts[name])


def part_name(filename: str) -> str:
    """A zip entry's name as a package part name: ``\\`` read as ``/``, no leading ``/``."""
    return filename.replace("\\", "/").lstrip("/")


def _resolve(folder: str, target: str) -> str:
    """A relationship's target as a part name: absolute (``/x/y.xml``) from the root, else from ``folder``;
    ``.`` and ``..`` resolved (calamine takes ``..`` literally and finds nothing: measuring more is harmless)."""
    target = target.replace("\\", "/")
    path = target.lstrip("/") if target.startswith("/") else (f"{folder}/{target}" if folder else target)
    parts: list[str] = []
    for part in path.split("/"):
        if part == "..":
            if parts:
                parts.pop()
        elif part and part != ".":
            parts.append(part)
    return "/".join(parts)


def workbook_part(zf: zipfile.ZipFile) -> str | None:
    """The workbook part of an xlsx (or xlsb) zip, None when it is no spreadsheet package (qudao.read.source
    and :func:`format_of` recognise a workbook with this); refused when the package is ambiguous."""
    package = Package(zf)
    if package.base is None:
        return None
    for name in ("workbook.xml", "workbook.bin"):
        if package.where(name) in package.parts:
            return package.where(name)
    return None


def _xlsx_sheets(package: Package, lim: Limits) -> list[tuple[str, str, str]]:
    """(name, zip part, state) of every sheet in the workbook; refuses too many sheets first."""
    if package.workbook is None or package.workbook not in package.parts:
        raise _damaged(f"缺少 {package.workbook or 'xl/workbook.xml'}")
    wb = package.read(package.workbook)
    tags = _SHEET.findall(wb)
    if len(tags) > lim.max_sheets:
        raise Refused(_sheet_count_message(len(tags), lim))
    targets: dict[bytes, str] = {}
    rels_name = package.where("_rels/workbook.xml.rels")
    rels = package.read(rels_name) if rels_name in package.parts else b""
    for raw in _REL.findall(rels):
        a = _attrs(raw)
        if b"Id" in a and b"Target" in a:
            targets[a[b"Id"]] = _resolve(package.base or "", a[b"Target"].decode("utf-8", "replace"))
    out = []
    for raw in tags:
        a = _attrs(raw)
        name = _unescape(a.get(b"name", b""))
        rid = next((v for k, v in a.items() if k == b"r:id" or k.endswith(b":id")), None)
        state = (a.get(b"state") or b"visible").decode("ascii", "replace")
        out.append((name, targets.get(rid, "") if rid else "", state))
    return out


def _check_shared_strings(package: Package, lim: Limits) -> None:
    """calamine reserves uniqueCount strings up front (24 bytes each): 4e9 aborts the process."""
    info = package.parts.get(package.where("sharedStrings.xml"))
    if info is None:
        return
    with package.zf.open(info) as fh:
        head = fh.read(64 * 1024)
    m = _SST.search(head)
    if not m:
        return
    val = _attrs(m.group(1)).get(b"uniqueCount")
    if val is None:
        return
    try:
        n = int(val)
    except ValueError:
        raise _damaged("共享字符串表的 uniqueCount 不是数字") from None
    # every <si> takes at least 5 bytes (<si/>), so a true count is at most size / 5
    if n > info.file_size // 5 + 16:
        raise Refused(f"文件内部的共享字符串表声明了 {n:,} 个字符串，但只有 {size_text(info.file_size)}"
                      "（可能已损坏或为恶意文件），已跳过")


def scan_xlsx(path: str | Path, limits: Limits = LIMITS) -> dict[str, SheetInfo]:
    """Every worksheet's extent and details, from the zip, without inflating a member twice."""
    path = Path(path)
    zf = _open_zip(path, limits)
    try:
        package = Package(zf)
        sheets = _xlsx_sheets(package, limits)
        _check_shared_strings(package, limits)
        out: dict[str, SheetInfo] = {}
        for name, member, state in sheets:
            if not member or member not in package.parts:
                info = SheetInfo(name, state=state)  # calamine reports it missing / a chartsheet
            else:
                try:
                    with package.open(member) as fh:
                        info = _scan_sheet_stream(fh, name, limits)
                except (zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError) as exc:
                    raise Refused(f"{sheet_label(name)}已损坏（{exc}），请用 Excel 打开后重新保存再发",
                                  sheet=name) from None
                info.state = state
            _check_sheet(info, limits)
            out[name] = info
        return out
    finally:
        zf.close()


# --------------------------------------------------------------------------- ods

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
            chunk = fh.read(_CHUNK)
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


# --------------------------------------------------------------------------- xls (OLE2 + BIFF)

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENDOFCHAIN = 0xFFFFFFFE
_FREESECT = 0xFFFFFFFF
_MAXREGSECT = 0xFFFFFFFA


class _Ole:
    """A minimal read-only compound file: header, FAT (with DIFAT), directory, streams, mini stream."""

    def __init__(self, data: bytes):
        if len(data) < 512 or not data.startswith(_OLE_MAGIC):
            raise _damaged("不是有效的 OLE2 复合文档")
        self.data = data
        (self.minor, self.major, bom, shift, mini_shift) = struct.unpack_from("<HHHHH", data, 0x18)
        if bom != 0xFFFE or shift not in (9, 12) or mini_shift != 6:
            raise _damaged("OLE2 文件头无效")
        self.ss = 1 << shift
        self.mss = 1 << mini_shift
        (self.n_dir, self.n_fat, self.first_dir, _txn, self.cutoff, self.first_minifat, self.n_minifat,
         self.first_difat, self.n_difat) = struct.unpack_from("<IIIIIIIII", data, 0x28)
        self.n_sectors = max(0, (len(data) - self.ss) // self.ss + (1 if (len(data) - self.ss) % self.ss else 0))
        self.fat = self._read_fat()
        self.entries = self._read_directory()

    def _sector(self, sid: int) -> bytes:
        if sid > _MAXREGSECT or sid >= self.n_sectors:
            raise _damaged(f"扇区编号 {sid} 超出文件范围")
        off = (sid + 1) * self.ss
        return self.data[off:off + self.ss]

    def _read_fat(self) -> list[int]:
        sids = [s for s in struct.unpack_from("<109I", self.data, 0x4C)]
        sid = self.first_difat
        per = self.ss // 4 - 1
        seen = 0
        while sid not in (_ENDOFCHAIN, _FREESECT) and seen <= self.n_sectors:
            sec = self._sector(sid)
            vals = struct.unpack("<%dI" % (per + 1), sec)
            sids.extend(vals[:per])
            sid = vals[per]
            seen += 1
        if seen > self.n_sectors:
            raise _damaged("DIFAT 链有环")
        fat_sids = [s for s in sids if s <= _MAXREGSECT][: max(self.n_fat, 0) or len(sids)]
        if len(fat_sids) > self.n_sectors:
            raise _damaged("FAT 扇区数超出文件大小")
        fat: list[int] = []
        n = self.ss // 4
        for s in fat_sids:
            fat.extend(struct.unpack("<%dI" % n, self._sector(s)))
        return fat

    def _chain(self, start: int, table: list[int], limit: int) -> list[int]:
        out = []
        sid = start
        while sid != _ENDOFCHAIN:
            if sid >= len(table) or sid > _MAXREGSECT or len(out) > limit:
                raise _damaged("扇区链无效或有环")
            out.append(sid)
            sid = table[sid]
        return out

    def _read_directory(self) -> list[tuple[str, int, int, int]]:
        raw = b"".join(self._sector(s) for s in self._chain(self.first_dir, self.fat, self.n_sectors))
        out = []
        for off in range(0, len(raw) - 127, 128):
            name_len, typ = struct.unpack_from("<HB", raw, off + 64)
            name = raw[off:off + max(0, min(name_len, 64) - 2)].decode("utf-16-le", "replace")
            start, size_lo, size_hi = struct.unpack_from("<III", raw, off + 116)
            size = size_lo if self.major == 3 else size_lo | (size_hi << 32)
            out.append((name, typ, start, size))
        return out

    def stream(self, names: tuple[str, ...]) -> bytes | None:
        wanted = {n.lower() for n in names}
        entry = next((e for e in self.entries if e[1] == 2 and e[0].lower() in wanted), None)
        if entry is None:
            return None
        _name, _typ, start, size = entry
        if size > len(self.data) * 64:
            raise _damaged("流的大小超出文件")
        if size < self.cutoff:
            root = next((e for e in self.entries if e[1] == 5), None)
            if root is None:
                raise _damaged("缺少根目录项")
            mini_data = b"".join(self._sector(s) for s in self._chain(root[2], self.fat, self.n_sectors))
            minifat: list[int] = []
            for s in self._chain(self.first_minifat, self.fat, self.n_sectors) if self.n_minifat else []:
                minifat.extend(struct.unpack("<%dI" % (self.ss // 4), self._sector(s)))
            parts = []
            for s in self._chain(start, minifat, len(mini_data) // self.mss + 1):
                off = s * self.mss
                if off >= len(mini_data):
                    raise _damaged("迷你流扇区超出范围")
                parts.append(mini_data[off:off + self.mss])
            data = b"".join(parts)
        else:
            data = b"".join(self._sector(s) for s in self._chain(start, self.fat, self.n_sectors))
        if len(data) < size:
            raise _damaged("流比声明的短")
        return data[:size]


# BIFF record types
_BOF, _EOF, _BOUNDSHEET, _DIMENSIONS, _MERGEDCELLS, _ROW, _FILEPASS = 0x0809, 0x000A, 0x0085, 0x0200, 0x00E5, 0x0208, 0x002F
_VALUE_RECORDS = {0x00FD, 0x0203, 0x027E, 0x0006, 0x0204, 0x0205, 0x00D6, 0x0406}  # LABELSST NUMBER RK FORMULA LABEL BOOLERR RSTRING FORMULA(BIFF4)
_MULRK = 0x00BD  # BLANK (0x0201) and MULBLANK (0x00BE) hold no value: calamine does not store them
_BIFF_STATES = {0: "visible", 1: "hidden", 2: "veryHidden"}


def scan_xls(path: str | Path, limits: Limits = LIMITS) -> dict[str, SheetInfo]:
    """Sheets of a BIFF5/BIFF8 workbook: extents from every cell record, before calamine loads them all."""
    path = Path(path)
    data = path.read_bytes()  # bounded by max_file_bytes (scan() checks; callers should too)
    if len(data) > limits.max_file_bytes:
        raise Refused(f"文件有 {size_text(len(data))}，超过上限 {size_text(limits.max_file_bytes)}，已跳过")
    ole = _Ole(data)
    stream = ole.stream(("Workbook", "Book"))
    if stream is None:
        if any(e[0] == "EncryptedPackage" for e in ole.entries):
            raise Refused("文件已加密（设置了打开密码），请取消密码后另存再发")
        raise _damaged("没有 Workbook 流，不是 Excel 97-2003 工作簿")
    return _scan_biff(stream, limits)


def _scan_biff(s: bytes, lim: Limits) -> dict[str, SheetInfo]:
    n = len(s)
    if n < 8:
        raise _damaged("Workbook 流太短")
    rtype, rlen = struct.unpack_from("<HH", s, 0)
    if rtype not in (_BOF, 0x0409, 0x0209, 0x0009):
        raise _damaged("Workbook 流不以 BOF 开头")
    version = struct.unpack_from("<H", s, 4)[0]
    biff8 = version >= 0x0600
    # globals: BOUNDSHEET records until the globals EOF
    sheets: list[tuple[str, int, str, int]] = []
    pos = 4 + rlen
    while pos + 4 <= n:
        rtype, rlen = struct.unpack_from("<HH", s, pos)
        body = pos + 4
        if rtype == _EOF:
            break
        if rtype == _FILEPASS:
            raise Refused("文件已加密（设置了打开密码），请取消密码后另存再发")
        if rtype == _BOUNDSHEET and rlen >= 8:
            offset, hs, dt, cch = struct.unpack_from("<IBBB", s, body)
            if biff8:
                flag = s[body + 7] if body + 7 < n else 0
                raw = s[body + 8: body + 8 + cch * (2 if flag & 1 else 1)]
                name = raw.decode("utf-16-le" if flag & 1 else "latin-1", "replace")
            else:
                name = s[body + 7: body + 7 + cch].decode("cp1252", "replace")
            sheets.append((name, offset, _BIFF_STATES.get(hs & 3, "visible"), dt))
            if len(sheets) > lim.max_sheets:
                total = len(sheets) + sum(1 for _ in _records_of(s, pos + 4 + rlen, _BOUNDSHEET, _EOF))
                raise Refused(_sheet_count_message(total, lim))
        pos = body + rlen
    out: dict[str, SheetInfo] = {}
    starts = sorted({off for _, off, _, dt in sheets if dt == 0 and 0 <= off < n})
    for name, offset, state, dt in sheets:
        info = SheetInfo(name, state=state)
        if dt == 0 and 0 <= offset < n:  # a worksheet (charts and VB modules hold no cells)
            if info.name in out or sum(1 for _, o, _, d in sheets if o == offset and d == 0) > 1:
                raise _damaged("两个工作表指向同一位置")
            i = starts.index(offset)
            stop = starts[i + 1] if i + 1 < len(starts) else n  # the next sheet's BOF: never read past it
            _scan_biff_sheet(memoryview(s)[:stop], offset, info, biff8, lim)  # no copy
        _finish_merged(info)
        _check_sheet(info, lim)
        out[name] = info
    return out


def _records_of(s: bytes, pos: int, wanted: int, stop: int):
    n = len(s)
    while pos + 4 <= n:
        rtype, rlen = struct.unpack_from("<HH", s, pos)
        if rtype == stop:
            return
        if rtype == wanted:
            yield pos
        pos += 4 + rlen


def _scan_biff_sheet(s: bytes, pos: int, info: SheetInfo, biff8: bool, lim: Limits) -> None:
    n = len(s)
    unpack = struct.unpack_from
    max_r = max_c = -1
    far_r = far_c = (-1, -1)
    depth = 0
    hidden: set[int] = set()
    merged_n = 0
    values = _VALUE_RECORDS
    while pos + 4 <= n:
        if pos + 8 <= n:  # header and the first two fields (row, column of a cell record) in one call
            rtype, rlen, r, c = unpack("<HHHH", s, pos)
        else:
            rtype, rlen = unpack("<HH", s, pos)
            r = c = -1
        body = pos + 4
        pos = body + rlen
        if rtype in values:
            if rlen >= 4:
                if r > max_r:
                    max_r, far_r = r, (r, c)
                if c > max_c:
                    max_c, far_c = c, (r, c)
        elif rtype == _MULRK:
            if rlen >= 6:
                r, c1 = unpack("<HH", s, body)
                c2 = unpack("<H", s, body + rlen - 2)[0]
                c = max(c1, c2)
                if r > max_r:
                    max_r, far_r = r, (r, c)
                if c > max_c:
                    max_c, far_c = c, (r, c)
        elif rtype == _BOF:
            depth += 1
        elif rtype == _EOF:
            depth -= 1
            if depth <= 0:
                break
        elif rtype == _DIMENSIONS and rlen >= 10:
            if biff8 and rlen >= 14:
                r1, r2, c1, c2 = unpack("<IIHH", s, body)
            else:
                r1, r2, c1, c2 = unpack("<HHHH", s, body)
            if r2 > r1 and c2 > c1:
                info.dimension = f"{_ref(r1, c1)}:{_ref(r2 - 1, c2 - 1)}"
        elif rtype == _MERGEDCELLS and rlen >= 2:
            count = unpack("<H", s, body)[0]
            count = min(count, (rlen - 2) // 8)
            merged_n += count
            for i in range(count):
                if len(info.merged_ranges) > lim.max_merged:
                    break
                r1, r2, c1, c2 = unpack("<HHHH", s, body + 2 + 8 * i)
                info.merged_ranges.append((r1, c1, r2, c2))
        elif rtype == _ROW and rlen >= 16:
            r = unpack("<H", s, body)[0]
            if unpack("<H", s, body + 12)[0] & 0x20:  # fDyZero: the row is hidden
                hidden.add(r)
    info.merged = merged_n
    if max_r >= 0:
        info.rows, info.cols = max_r + 1, max_c + 1
        a, b = _ref(*far_r), _ref(*far_c)
        info.far_cell = a if a == b else f"{a} 和 {b}"
    info.hidden_rows = frozenset(h for h in hidden if h < max(info.rows, 0))


# --------------------------------------------------------------------------- csv

_CANDIDATES = {",": ",", "\t": "\t", ";": ";", "，": "，"}


def scan_csv(path: str | Path, limits: Limits = LIMITS) -> CsvInfo:
    """Lines, longest line, a bound of the fields and the encoding, in 1 MB chunks."""
    path = Path(path)
    info = CsvInfo()
    with open(path, "rb") as fh:
        head = fh.read(4)
        fh.seek(0)
        utf16 = head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
        if utf16:
            return _scan_csv_utf16(fh, info, limits, head)
        bom = head.startswith(codecs.BOM_UTF8)
        utf8 = codecs.getincrementaldecoder("utf-8")("strict")
        gb = codecs.getincrementaldecoder("gb18030")("strict")
        utf8_ok = gb_ok = True
        delims = {k: 0 for k in _CANDIDATES}
        delim_bytes = {k: k.encode("utf-8") for k in _CANDIDATES}
        gb_comma = "，".encode("gb18030")
        lines = 0  # line breaks seen
        cur = 0  # bytes of the line in progress
        longest = longest_no = 0
        pending_cr = False  # a chunk ended in \r: \r\n or a lone \r, decided with the next chunk
        first = True
        while True:
            chunk = fh.read(_CHUNK)
            if not chunk:
                break
            info.bytes += len(chunk)
            if first and bom:
                chunk = chunk[3:]
            first = False
            # encodings (C speed; GB18030 only once UTF-8 has failed)
            if utf8_ok:
                try:
                    utf8.decode(chunk)
                except UnicodeDecodeError:
                    utf8_ok = False
            if not utf8_ok and gb_ok:
                try:
                    gb.decode(chunk)
                except UnicodeDecodeError:
                    gb_ok = False
            for k, b in delim_bytes.items():
                delims[k] += chunk.count(b)
            # line breaks: \n, \r\n and a lone \r (csv.reader splits on all three)
            if pending_cr:
                chunk = b"\r" + chunk
                pending_cr = False
            if chunk.endswith(b"\r"):
                chunk = chunk[:-1]
                pending_cr = True
            norm = chunk.replace(b"\r\n", b"\n").replace(b"\r", b"\n") if b"\r" in chunk else chunk
            cur, longest, longest_no, lines = _lines(norm, cur, longest, longest_no, lines,
                                                     lines <= limits.max_csv_lines)
        if pending_cr:
            cur, longest, longest_no, lines = _lines(b"\n", cur, longest, longest_no, lines, True)
        if cur > 0:
            lines += 1  # the last line has no break
            if cur > longest:
                longest, longest_no = cur, lines
        if utf8_ok:
            try:
                utf8.decode(b"", True)
            except UnicodeDecodeError:
                utf8_ok = False
        if not utf8_ok and gb_ok:
            try:
                gb.decode(b"", True)
            except UnicodeDecodeError:
                gb_ok = False
        info.encoding = ("utf-8-sig" if bom else "utf-8") if utf8_ok else ("gb18030" if gb_ok else "")
        info.bom_mismatch = bom and not utf8_ok
        if not utf8_ok and gb_ok:
            delims["，"] = _count_in_file(fh, gb_comma)
        info.lines, info.longest_line, info.longest_line_no = lines, longest, longest_no
        info.delimiter_counts = delims
        info.fields = lines + max(delims.values(), default=0)
    _check_csv(info, limits)
    return info


def _lines(norm: bytes, cur: int, longest: int, longest_no: int, lines: int, exact: bool):
    """Advance the line count and the longest line over one chunk whose breaks are all \\n."""
    breaks = norm.count(b"\n")
    if not breaks:
        cur += len(norm)
        if cur > longest:
            longest, longest_no = cur, lines + 1
        return cur, longest, longest_no, lines
    first = cur + norm.find(b"\n")
    if first > longest:
        longest, longest_no = first, lines + 1
    if exact and breaks > 1:  # every line of the chunk; skipped once the file is over the line limit
        parts = norm.split(b"\n")
        inner = max(map(len, parts[1:-1]))
        if inner > longest:
            idx = next(i for i in range(1, len(parts) - 1) if len(parts[i]) == inner)
            longest, longest_no = inner, lines + 1 + idx
    cur = len(norm) - norm.rfind(b"\n") - 1
    return cur, longest, longest_no, lines + breaks


def _count_in_file(fh, needle: bytes) -> int:
    fh.seek(0)
    n = 0
    carry = b""
    while True:
        chunk = fh.read(_CHUNK)
        if not chunk:
            return n
        buf = carry + chunk
        n += buf.count(needle)
        carry = buf[-(len(needle) - 1):] if len(needle) > 1 else b""
        n -= carry.count(needle)


def _scan_csv_utf16(fh, info: CsvInfo, lim: Limits, head: bytes) -> CsvInfo:
    enc = "utf-16-le" if head.startswith(codecs.BOM_UTF16_LE) else "utf-16-be"
    fh.read(2)
    dec = codecs.getincrementaldecoder(enc)("strict")
    info.bytes = 2
    delims = {k: 0 for k in _CANDIDATES}
    lines = cur = longest = longest_no = 0
    ok = True
    prev_cr = False
    while True:
        chunk = fh.read(_CHUNK)
        if not chunk:
            break
        info.bytes += len(chunk)
        try:
            text = dec.decode(chunk)
        except UnicodeDecodeError:
            ok = False
            text = chunk.decode(enc, "replace")
        if prev_cr and text.startswith("\n"):
            text = text[1:]
        prev_cr = text.endswith("\r")
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        for k in delims:
            delims[k] += text.count(k)
        parts = text.split("\n")
        if len(parts) == 1:
            cur += len(parts[0]) * 2
        else:
            first_len = cur + len(parts[0]) * 2
            if first_len > longest:
                longest, longest_no = first_len, lines + 1
            for i, p in enumerate(parts[1:-1], 1):
                if len(p) * 2 > longest:
                    longest, longest_no = len(p) * 2, lines + 1 + i
            cur = len(parts[-1]) * 2
            lines += len(parts) - 1
        if cur > longest:
            longest, longest_no = cur, lines + 1
    if cur:
        lines += 1
    info.lines, info.longest_line, info.longest_line_no = lines, longest, longest_no
    info.delimiter_counts = delims
    info.fields = lines + max(delims.values(), default=0)
    info.encoding = "utf-16" if ok else ""
    _check_csv(info, lim)
    return info


def _check_csv(info: CsvInfo, lim: Limits) -> None:
    if info.longest_line > lim.max_csv_line_bytes:
        raise Refused(f"CSV 文件第 {info.longest_line_no:,} 行长达 {info.longest_line:,} 字节（{size_text(info.longest_line)}），"
                      f"超过上限 {size_text(lim.max_csv_line_bytes)}，不像正常的表格导出，已跳过")
    if info.lines > lim.max_csv_lines:
        raise Refused(f"CSV 文件有 {info.lines:,} 行，超过上限 {lim.max_csv_lines:,} 行，已跳过")
    if info.fields > lim.max_cells:
        raise Refused(f"CSV 文件约有 {info.fields:,} 个单元格（{info.lines:,} 行），超过上限 {lim.max_cells:,} 个，已跳过")
