"""What every format's guard shares: the limits, what a scan returns, the messages with the real figures,
and the zip directory checks (xlsx, ods)."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from qudao.cells import col_letter
from qudao.errors import Unreadable

Refused = Unreadable  # what every guard raises: a file.unreadable finding with the real figures
_CHUNK = 1 << 20  # bytes read at a time by the streaming scans (tests make it small)


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


def _unescape(raw: bytes) -> str:
    import html

    return html.unescape(raw.decode("utf-8", "replace"))


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
