"""Open any input as sheets of raw cell values, safely.

``open_source(path)`` recognises the real format from the bytes (not the
extension), applies the guards documented in ``docs/reading.md`` and returns
a :class:`Source` whose sheets load lazily into :class:`Grid` objects: rows
of raw values indexed from A1, plus merged ranges, hidden rows and formula
cells that had no cached value. Anything that cannot be read raises
:class:`qudao.errors.Unreadable` with a Chinese message — never a crash:

* python-calamine allocates the whole used range of a sheet, so one stray
  value at XFD1048576 aborts the process. Before calamine sees a sheet, the
  extent is measured from the XML (xlsx) or with a streaming parse (ods).
* Zip members that inflate past the limits (a 400 MB cell from a 400 KB
  file) are refused from the zip directory before anything is inflated.
* XML with a DOCTYPE (entity bombs) is refused; openpyxl elsewhere runs with
  defusedxml installed.
"""

from __future__ import annotations

import codecs
import csv
import html
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.parsers import expat

from qudao.cells import col_index
from qudao.errors import Unreadable
from qudao.read.grid import Grid

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv")


@dataclass(frozen=True)
class Limits:
    """Guards on what one input may cost. Documented in docs/reading.md."""

    max_file_bytes: int = 100 * 1024 * 1024
    max_member_bytes: int = 256 * 1024 * 1024
    max_total_bytes: int = 512 * 1024 * 1024
    max_ratio: int = 100  # uncompressed/compressed, for members over ratio_min_bytes
    ratio_min_bytes: int = 16 * 1024 * 1024
    max_cells: int = 5_000_000  # rows × columns of one sheet's used range


LIMITS = Limits()


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.0f} MB"


def sniff(path: Path, head: bytes) -> str:
    """The real format of a file: xlsx, ods, xls or csv; else Unreadable."""
    suffix = path.suffix.lower()
    if not head:
        raise Unreadable("文件是空的（0 字节）")
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        try:
            with zipfile.ZipFile(path) as zf:
                names = set(zf.namelist())
                mimetype = zf.read("mimetype")[:100] if "mimetype" in names else b""
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
            raise Unreadable(f"文件已损坏或不完整（压缩包无法打开：{exc}），请重新保存后再发") from None
        if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
            if "xl/workbook.bin" in names and "xl/workbook.xml" not in names:
                raise Unreadable("这是 Excel 二进制工作簿（.xlsb），请另存为 .xlsx 后再发")
            return "xlsx"
        if b"opendocument.spreadsheet" in mimetype or "content.xml" in names and not mimetype:
            return "ods"
        if "word/document.xml" in names or b"opendocument.text" in mimetype:
            raise Unreadable("这是 Word 文档，不是表格文件，请发送 Excel 表格")
        if "ppt/presentation.xml" in names:
            raise Unreadable("这是 PowerPoint 文件，不是表格文件")
        raise Unreadable("这是一个压缩包，但不是 Excel/WPS/LibreOffice 表格")
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        with path.open("rb") as fh:
            blob = fh.read(1 << 20)
        if "EncryptedPackage".encode("utf-16-le") in blob:
            raise Unreadable("文件已加密（设置了打开密码），请取消密码后另存再发")
        if "WordDocument".encode("utf-16-le") in blob:
            raise Unreadable("这是 Word 文档（.doc），不是表格文件")
        return "xls"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if stripped.startswith((b"<html", b"<!doctype html", b"<table", b"<?xml", b"<meta")):
        raise Unreadable("文件内容是网页/XML（常见于系统导出的“假 xls”），请用 Excel 打开后另存为 .xlsx")
    if head.startswith(b"%PDF"):
        raise Unreadable("这是 PDF 文件，不是表格文件")
    if suffix in (".xlsx", ".xlsm", ".xls", ".ods"):
        if b"\x00" in head[:4096]:
            raise Unreadable(f"文件内容不是 {suffix} 表格（可能已损坏或被改了扩展名）")
        raise Unreadable(f"文件扩展名是 {suffix}，但内容是纯文本（可能是改了扩展名的 CSV/文本文件），请用 Excel 打开后另存")
    if suffix == ".csv":
        if b"\x00" in head[:4096] and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            raise Unreadable("CSV 文件里有二进制内容，无法读取")
        return "csv"
    raise Unreadable(f"不支持的文件类型（{suffix or '无扩展名'}）：请发送 .xlsx/.xlsm/.xls/.ods/.csv")


class Source:
    """An opened input. Sheets load on first use; :meth:`close` releases files."""

    def __init__(self, path: Path, fmt: str, limits: Limits = LIMITS):
        self.path = path
        self.format = fmt
        self.limits = limits
        self._grids: dict[str, Grid] = {}
        self._wb = None
        self._xml_paths: dict[str, str] = {}
        self._ods_meta: dict[str, dict] | None = None
        self.sheet_names: list[str] = []
        self.sheet_states: dict[str, str] = {}
        if fmt == "csv":
            self.sheet_names = [""]
            self.sheet_states = {"": "visible"}
            return
        if fmt in ("xlsx", "ods"):
            self._check_zip()
        self._open_calamine()

    # -- opening ---------------------------------------------------------------
    def _check_zip(self) -> None:
        lim = self.limits
        try:
            with zipfile.ZipFile(self.path) as zf:
                infos = zf.infolist()
                total = 0
                for info in infos:
                    total += info.file_size
                    if info.file_size > lim.max_member_bytes:
                        raise Unreadable(
                            f"文件内部的「{info.filename}」解压后有 {_mb(info.file_size)}，超过上限 "
                            f"{_mb(lim.max_member_bytes)}（可能有超大单元格或为恶意文件），已跳过")
                    if (info.file_size > lim.ratio_min_bytes and info.compress_size
                            and info.file_size / info.compress_size > lim.max_ratio):
                        raise Unreadable(
                            f"文件内部的「{info.filename}」压缩比异常（{info.file_size // max(info.compress_size, 1)} 倍），"
                            "疑似压缩炸弹，已跳过")
                if total > lim.max_total_bytes:
                    raise Unreadable(f"文件解压后共 {_mb(total)}，超过上限 {_mb(lim.max_total_bytes)}，已跳过")
                if info_is_encrypted(infos):
                    raise Unreadable("文件已加密（设置了打开密码），请取消密码后另存再发")
                for info in infos:
                    if info.filename.endswith((".xml", ".rels")) and info.file_size:
                        with zf.open(info) as fh:
                            head = fh.read(2048)
                        if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                            raise Unreadable(f"文件内部的「{info.filename}」含有 XML 实体声明（可能是恶意文件），已跳过")
                if self.format == "xlsx":
                    self._xml_paths = _xlsx_sheet_paths(zf)
        except (zipfile.BadZipFile, OSError, EOFError, KeyError, ValueError, RuntimeError) as exc:
            raise Unreadable(f"文件已损坏或不完整（{type(exc).__name__}: {exc}），请重新保存后再发") from None

    def _open_calamine(self) -> None:
        from python_calamine import CalamineWorkbook

        try:
            self._wb = CalamineWorkbook.from_path(str(self.path))
            metas = self._wb.sheets_metadata
        except Exception as exc:  # calamine raises several unrelated types
            raise Unreadable(_calamine_message(exc)) from None
        for meta in metas:
            name = meta.name
            self.sheet_names.append(name)
            vis = str(meta.visible).rsplit(".", 1)[-1].lower()
            self.sheet_states[name] = {"visible": "visible", "hidden": "hidden"}.get(vis, "veryHidden")

    # -- sheets ------------------------------------------------------------------
    def grid(self, name: str) -> Grid:
        if name not in self._grids:
            if self.format == "csv":
                self._grids[name] = Grid(name, _read_csv(self.path, self.limits))
            else:
                self._grids[name] = self._load_sheet(name)
        return self._grids[name]

    def _load_sheet(self, name: str) -> Grid:
        lim = self.limits
        hidden: frozenset[int] = frozenset()
        no_cache: frozenset[tuple[int, int]] = frozenset()
        merged: list[tuple[int, int, int, int]] = []
        if self.format == "xlsx":
            member = self._xml_paths.get(name)
            if member:
                hidden, no_cache = self._scan_xlsx_sheet(name, member)
        elif self.format == "ods":
            meta = self._ods_scan().get(name, {})
            rows, cols = meta.get("extent", (0, 0))
            if rows * cols > lim.max_cells:
                raise Unreadable(_extent_message(name, rows, cols, lim), sheet=name)
            hidden = frozenset(meta.get("hidden", ()))
            merged = list(meta.get("merged", ()))
            no_cache = frozenset(meta.get("no_cache", ()))
        try:
            sheet = self._wb.get_sheet_by_name(name)
            height, width = sheet.height, sheet.width
            end = sheet.end
            if end is not None:
                height, width = end[0] + 1, end[1] + 1
            if height * width > lim.max_cells:
                raise Unreadable(_extent_message(name, height, width, lim), sheet=name)
            rows = sheet.to_python(skip_empty_area=False) if end is not None else []
            if self.format in ("xlsx", "xls"):
                merged = [(a[0], a[1], b[0], b[1]) for a, b in (sheet.merged_cell_ranges or [])]
        except Unreadable:
            raise
        except Exception as exc:
            raise Unreadable(_calamine_message(exc), sheet=name) from None
        return Grid(name, rows, merged, hidden, no_cache, self.sheet_states.get(name, "visible"))

    def _scan_xlsx_sheet(self, name: str, member: str) -> tuple[frozenset[int], frozenset[tuple[int, int]]]:
        """Measure the used range, hidden rows and uncached formulas from the sheet XML."""
        try:
            with zipfile.ZipFile(self.path) as zf:
                data = zf.read(member)
        except (KeyError, zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError) as exc:
            raise Unreadable(f"工作表「{name}」已损坏（{exc}）", sheet=name) from None
        rows, cols = _xlsx_extent(data)
        if rows * cols > self.limits.max_cells:
            raise Unreadable(_extent_message(name, rows, cols, self.limits), sheet=name)
        hidden: set[int] = set()
        if b'hidden="1"' in data or b'hidden="true"' in data:
            for m in _ROW_HIDDEN.finditer(data):
                hidden.add(int(m.group(1) or m.group(2)) - 1)
        no_cache: set[tuple[int, int]] = set()
        if b"<f" in data:
            for m in _FORMULA_CELL.finditer(data):
                if not m.group(4):  # no <v> with content
                    no_cache.add((int(m.group(2)) - 1, col_index(m.group(1).decode())))
        return frozenset(hidden), frozenset(no_cache)

    def _ods_scan(self) -> dict[str, dict]:
        if self._ods_meta is None:
            try:
                with zipfile.ZipFile(self.path) as zf, zf.open("content.xml") as fh:
                    self._ods_meta = _scan_ods(fh)
            except Unreadable:
                raise
            except Exception as exc:
                raise Unreadable(f"ODS 文件内容已损坏（{exc}）") from None
        return self._ods_meta

    def close(self) -> None:
        if self._wb is not None:
            try:
                self._wb.close()
            except Exception:
                pass
            self._wb = None

    def __enter__(self) -> "Source":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def info_is_encrypted(infos: list[zipfile.ZipInfo]) -> bool:
    return any(info.flag_bits & 0x1 for info in infos)


def open_source(path: Path, limits: Limits = LIMITS) -> Source:
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(8192)
    except OSError as exc:
        raise Unreadable(f"无法打开文件（{exc.strerror or exc}）") from None
    if size > limits.max_file_bytes:
        raise Unreadable(f"文件有 {_mb(size)}，超过上限 {_mb(limits.max_file_bytes)}，已跳过")
    fmt = sniff(path, head)
    return Source(path, fmt, limits)


# --------------------------------------------------------------------------- helpers


def _extent_message(sheet: str, rows: int, cols: int, lim: Limits) -> str:
    return (f"工作表「{sheet}」的使用范围过大（约 {rows} 行 × {cols} 列 = {rows * cols:,} 个单元格，上限 "
            f"{lim.max_cells:,}），通常是远处有误填的单元格；请删除多余内容后另存再发")


def _calamine_message(exc: Exception) -> str:
    text = str(exc)
    name = type(exc).__name__
    if "Password" in name or "password" in text.lower() or "encrypt" in text.lower():
        return "文件已加密（设置了打开密码），请取消密码后另存再发"
    return f"文件已损坏或格式无法识别（{text[:200] or name}），请用 Excel 打开后重新保存"


_ROW_HIDDEN = re.compile(rb'<row\b[^>]*?\br="(\d+)"[^>]*?\bhidden="(?:1|true)"|'
                         rb'<row\b[^>]*?\bhidden="(?:1|true)"[^>]*?\br="(\d+)"')
_FORMULA_CELL = re.compile(
    rb'<c\b[^>]*?\br="([A-Z]+)(\d+)"[^>]*>\s*(<f\b[^>]*/>|<f\b[^>]*>[^<]*</f>)\s*(<v>[^<]+</v>)?')
_LAST_ROW = re.compile(rb'<row\b[^>]*?\br="(\d+)"')
_WIDE_CELL = re.compile(rb'r="([A-Z]{2,3})[0-9]')  # a cell reference in column AA or beyond


def _xlsx_extent(data: bytes) -> tuple[int, int]:
    """(rows, columns) of the used range, from the last row and every wide cell reference."""
    pos = data.rfind(b"<row ")
    rows = 0
    if pos >= 0:
        m = _LAST_ROW.match(data, pos)
        if m:
            rows = int(m.group(1))
    else:
        rows = data.count(b"<row")
    cols = 26  # single-letter columns need no scan
    wide = set(_WIDE_CELL.findall(data))
    if wide:
        cols = max(cols, max(col_index(w.decode()) + 1 for w in wide))
    return rows, cols


def _xlsx_sheet_paths(zf: zipfile.ZipFile) -> dict[str, str]:
    """sheet name → zip member of its XML, from workbook.xml and its rels."""
    try:
        wb = zf.read("xl/workbook.xml")
        rels = zf.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return {}
    targets: dict[str, str] = {}
    for m in re.finditer(rb"<Relationship\b[^>]*>", rels):
        tag = m.group(0)
        rid = re.search(rb'\bId="([^"]+)"', tag)
        tgt = re.search(rb'\bTarget="([^"]+)"', tag)
        if rid and tgt:
            target = tgt.group(1).decode()
            target = target.lstrip("/") if target.startswith("/") else "xl/" + target
            targets[rid.group(1).decode()] = target
    out: dict[str, str] = {}
    for m in re.finditer(rb"<(?:\w+:)?sheet\b[^>]*>", wb):
        tag = m.group(0)
        name = re.search(rb'\bname="([^"]*)"', tag)
        rid = re.search(rb'\br:id="([^"]+)"|\b\w+:id="([^"]+)"', tag)
        if name and rid:
            key = (rid.group(1) or rid.group(2)).decode()
            if key in targets:
                out[html.unescape(name.group(1).decode())] = targets[key]
    return out


_TABLE_NS = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE_NS = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"


def _scan_ods(fh) -> dict[str, dict]:
    """One streaming pass over content.xml: per sheet, the used extent (cells
    holding a value), hidden rows, merged ranges and formulas without values."""
    sheets: dict[str, dict] = {}
    state = {"sheet": None, "row": 0, "col": 0, "row_rep": 1, "row_hidden": False, "max_r": 0, "max_c": 0,
             "depth_text": 0, "cell": None}
    sep = "\x1f"

    def a(attrs, local, ns=_TABLE_NS):
        return attrs.get(ns + sep + local)

    def start(tag, attrs):
        ns, _, local = tag.rpartition(sep)
        if ns == _TABLE_NS:
            if local == "table":
                name = a(attrs, "name") or ""
                state.update(sheet=name, row=0, max_r=0, max_c=0)
                sheets[name] = {"hidden": [], "merged": [], "no_cache": [], "extent": (0, 0)}
            elif local == "table-row":
                state["row_rep"] = int(a(attrs, "number-rows-repeated") or 1)
                state["row_hidden"] = (a(attrs, "visibility") or "visible") != "visible"
                state["col"] = 0
            elif local in ("table-cell", "covered-table-cell"):
                rep = int(a(attrs, "number-columns-repeated") or 1)
                has_value = a(attrs, "value-type", _OFFICE_NS) is not None
                formula = a(attrs, "formula")
                state["cell"] = {"rep": rep, "value": has_value, "text": False}
                sheet = sheets.get(state["sheet"])
                if sheet is not None and local == "table-cell":
                    r, c = state["row"], state["col"]
                    cs = int(a(attrs, "number-columns-spanned") or 1)
                    rs = int(a(attrs, "number-rows-spanned") or 1)
                    if cs > 1 or rs > 1:
                        sheet["merged"].append((r, c, r + rs - 1, c + cs - 1))
                    if formula and not has_value:
                        sheet["no_cache"].append((r, c))
        elif ns == _TEXT_NS and local == "p" and state["cell"] is not None:
            state["cell"]["text"] = True

    def end(tag):
        ns, _, local = tag.rpartition(sep)
        if ns != _TABLE_NS:
            return
        if local in ("table-cell", "covered-table-cell"):
            cell = state["cell"] or {"rep": 1, "value": False, "text": False}
            if cell["value"] or cell["text"]:
                state["max_r"] = max(state["max_r"], state["row"] + state["row_rep"])
                state["max_c"] = max(state["max_c"], state["col"] + cell["rep"])
            state["col"] += cell["rep"]
            state["cell"] = None
        elif local == "table-row":
            sheet = sheets.get(state["sheet"])
            if sheet is not None and state["row_hidden"] and state["row_rep"] <= 10000:
                sheet["hidden"].extend(range(state["row"], state["row"] + state["row_rep"]))
            state["row"] += state["row_rep"]
        elif local == "table":
            sheet = sheets.get(state["sheet"])
            if sheet is not None:
                sheet["extent"] = (state["max_r"], state["max_c"])
                sheet["hidden"] = [r for r in sheet["hidden"] if r < state["max_r"]]

    def no_dtd(*_args):
        raise Unreadable("ODS 文件含有 DTD/实体声明（可能是恶意文件），已跳过")

    parser = expat.ParserCreate(namespace_separator=sep)
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.StartDoctypeDeclHandler = no_dtd
    parser.EntityDeclHandler = no_dtd
    parser.buffer_text = True
    parser.ParseFile(fh)
    return sheets


# --------------------------------------------------------------------------- csv


def decode_text(raw: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030."""
    if raw.startswith(codecs.BOM_UTF8):
        return raw[3:].decode("utf-8", errors="strict")
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        raise Unreadable("无法识别 CSV 的文字编码（既不是 UTF-8 也不是 GBK/GB18030），请用 Excel 另存为“CSV UTF-8”") from None


def _read_csv(path: Path, limits: Limits) -> list[list]:
    raw = path.read_bytes()
    text = decode_text(raw)
    head = "\n".join(text.split("\n", 30)[:30])  # a title line may have no delimiter at all
    delimiter = max((",", "\t", ";", "，"), key=head.count)
    if head.count(delimiter) == 0:
        delimiter = ","
    try:
        rows = [row for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error as exc:
        raise Unreadable(f"CSV 格式有误（{exc}）") from None
    width = max((len(r) for r in rows), default=0)
    if len(rows) * max(width, 1) > limits.max_cells:
        raise Unreadable(_extent_message("", len(rows), width, limits))
    return rows
