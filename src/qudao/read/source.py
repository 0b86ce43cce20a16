"""Open any input as sheets of raw cell values, safely.

``open_source(path)`` recognises the real format from the bytes (not the
extension), measures the file with :mod:`qudao.read.guards` and returns a
:class:`Source` whose sheets load lazily into :class:`Grid` objects: rows of
raw values indexed from A1, plus merged ranges, hidden rows and formula
cells that had no cached value. Anything that cannot be read raises
:class:`qudao.errors.Unreadable` with a Chinese message — never a crash:

* Only a regular file is opened (a FIFO or a device would block or never end).
* Every limit of docs/reading.md is checked from the bytes *before*
  python-calamine opens the file: calamine loads every .xls/.ods sheet at
  open, preallocates the shared strings of an .xlsx, and allocates each
  sheet's whole used range, so one stray value at XFD1048576 would abort
  the process.
* A panic inside calamine (a ``BaseException``) becomes a finding naming
  the sheet and the row.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import stat
import zipfile
from pathlib import Path

from qudao.errors import Unreadable
from qudao.read import guards
from qudao.read.grid import Grid
from qudao.read.guards import LIMITS, CsvInfo, Limits, SheetInfo, size_text

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv")
KEEP_PARSED_CELLS = 10_000_000  # calamine sheets kept between recognising and reading (≈ 450 MB at most)

__all__ = ["LIMITS", "Limits", "SPREADSHEET_SUFFIXES", "Source", "open_source", "sniff", "decode_text"]


def sniff(path: Path, head: bytes) -> str:
    """The real format of a file: xlsx, ods, xls or csv; else Unreadable."""
    suffix = path.suffix.lower()
    if not head:
        raise Unreadable("文件是空的（0 字节）")
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        try:
            with zipfile.ZipFile(path) as zf:
                names = {guards.part_name(n) for n in zf.namelist()}  # xl\\workbook.xml read as xl/workbook.xml
                mimetype = zf.read("mimetype")[:100] if "mimetype" in names and "mimetype" in zf.NameToInfo else b""
                workbook = guards.workbook_part(zf)  # where _rels/.rels says, not only under xl/
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
            raise Unreadable(f"文件已损坏或不完整（压缩包无法打开：{exc}），请重新保存后再发") from None
        if workbook is not None:
            if workbook.endswith(".bin"):
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
        self._heads: dict[tuple[str, int], Grid] = {}
        self._parsed: dict[str, object] = {}  # calamine sheets kept from head() for grid(): parsed once
        self._wb = None
        self.csv: CsvInfo | None = None
        self.infos: dict[str, SheetInfo] = {}  # calamine's sheet name → what the guards measured
        self.sheet_names: list[str] = []
        self.sheet_states: dict[str, str] = {}
        if fmt == "csv":
            self.csv = guards.scan_csv(path, limits)
            self.sheet_names = [""]
            self.sheet_states = {"": "visible"}
            return
        measured = guards.scan(path, fmt, limits)  # every sheet, before calamine allocates anything
        self._open_calamine(measured)

    # -- opening ---------------------------------------------------------------
    def _open_calamine(self, measured: dict[str, SheetInfo]) -> None:
        from python_calamine import CalamineWorkbook

        try:
            self._wb = CalamineWorkbook.from_path(str(self.path))
            metas = self._wb.sheets_metadata
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as exc:  # calamine raises several unrelated types, and panics (BaseException)
            raise Unreadable(_calamine_message(exc)) from None
        names = [meta.name for meta in metas]
        infos = list(measured.values())
        if set(names) == set(measured):
            self.infos = {name: measured[name] for name in names}
        elif len(names) == len(infos):  # the same sheets, names decoded differently (an old .xls codepage)
            self.infos = dict(zip(names, infos))
        else:
            self.close()
            raise Unreadable(f"文件中的工作表无法逐一核对（读取库看到 {len(names)} 个，文件目录列出 {len(infos)} 个），"
                             "可能已损坏；请用 Excel 打开后另存再发")
        for meta in metas:
            name = meta.name
            self.sheet_names.append(name)
            vis = str(meta.visible).rsplit(".", 1)[-1].lower()
            self.sheet_states[name] = {"visible": "visible", "hidden": "hidden"}.get(vis, "veryHidden")

    # -- sheets ------------------------------------------------------------------
    def grid(self, name: str) -> Grid:
        if name not in self._grids:
            if self.format == "csv":
                self._grids[name] = Grid(name, _read_csv(self.path, self.csv, self.limits))
            else:
                self._grids[name] = self._load_sheet(name)
        return self._grids[name]

    def head(self, name: str, rows: int) -> Grid:
        """The first ``rows`` rows of a sheet (merged ranges clipped to them), without loading the rest into
        Python objects: recognising a kind looks at the top of every sheet, and only the sheets that hold a
        table are then loaded whole, one at a time. calamine's own copy of the sheet (≈ 45 bytes a cell) is
        kept for :meth:`grid` while the kept sheets stay under :data:`KEEP_PARSED_CELLS` cells, so that a
        sheet is parsed once."""
        if name in self._grids or self.format == "csv":
            full = self.grid(name)
            return Grid(name, full.rows[:rows], [m for m in full.merged if m[0] < rows],
                        frozenset(r for r in full.hidden_rows if r < rows),
                        frozenset(rc for rc in full.no_cache if rc[0] < rows), full.state)
        key = (name, rows)
        if key not in self._heads:
            self._heads[key] = self._load_sheet(name, rows)
        return self._heads[key]

    def release(self, name: str) -> None:
        """Forget a loaded sheet (its rows were parsed): the memory goes back before the next sheet loads."""
        self._grids.pop(name, None)
        self._parsed.pop(name, None)

    def keep_only(self, names: set[str]) -> None:
        """Forget what was loaded for recognising of every sheet but ``names`` (the ones to be read)."""
        self._heads.clear()
        for name in [n for n in self._parsed if n not in names]:
            del self._parsed[name]

    def _load_sheet(self, name: str, nrows: int | None = None) -> Grid:
        lim = self.limits
        info = self.infos.get(name)
        if info is None:  # never measured: not safe to hand to calamine
            raise Unreadable(f"{guards.sheet_label(name)}无法核对大小，已跳过", sheet=name)
        merged = list(info.merged_ranges) if self.format == "ods" else []
        try:
            sheet = self._parsed.pop(name, None) if nrows is None else self._parsed.get(name)
            if sheet is None:
                sheet = self._wb.get_sheet_by_name(name)
                if nrows is not None and info.cells + sum(self.infos[n].cells for n in self._parsed) \
                        <= KEEP_PARSED_CELLS:
                    self._parsed[name] = sheet
            end = sheet.end
            height, width = (end[0] + 1, end[1] + 1) if end is not None else (0, 0)
            if height * width > lim.max_cells:  # the guards measured less: never let calamine allocate more
                raise Unreadable(guards.extent_message(SheetInfo(name, height, width), lim), sheet=name)
            rows = sheet.to_python(skip_empty_area=False, nrows=nrows) if end is not None else []
            if self.format in ("xlsx", "xls"):
                merged = [(a[0], a[1], b[0], b[1]) for a, b in (sheet.merged_cell_ranges or [])]
            if nrows is not None:
                merged = [m for m in merged if m[0] < nrows]
        except Unreadable:
            raise
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as exc:  # a calamine panic is a BaseException (pyo3_runtime.PanicException)
            raise Unreadable(_sheet_failure(self._wb, name, exc), sheet=name) from None
        return Grid(name, rows, merged, info.hidden_rows, info.no_cache, self.sheet_states.get(name, "visible"))

    def close(self) -> None:
        self._parsed.clear()
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


def open_source(path: Path, limits: Limits = LIMITS) -> Source:
    """The input at ``path``, measured and opened (a regular file only: never blocks on a FIFO)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise Unreadable(f"无法打开文件（{os_error_text(exc)}）") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise Unreadable("不是普通文件（管道、设备或套接字），已跳过")
        size = st.st_size
        head = os.read(fd, 8192) if size else b""
    except OSError as exc:
        raise Unreadable(f"无法读取文件（{os_error_text(exc)}）") from None
    finally:
        os.close(fd)
    if size > limits.max_file_bytes:
        raise Unreadable(f"文件有 {size_text(size)}，超过上限 {size_text(limits.max_file_bytes)}，已跳过")
    fmt = sniff(path, head)
    return Source(path, fmt, limits)


def os_error_text(exc: OSError) -> str:
    from qudao.errors import os_error_cn

    return os_error_cn(exc, path=False)


# --------------------------------------------------------------------------- helpers


def _calamine_message(exc: BaseException) -> str:
    text = str(exc)
    name = type(exc).__name__
    if "Password" in name or "password" in text.lower() or "encrypt" in text.lower():
        return "文件已加密（设置了打开密码），请取消密码后另存再发"
    return f"文件已损坏或格式无法识别（{text[:200] or name}），请用 Excel 打开后重新保存"


def _sheet_failure(wb, name: str, exc: BaseException) -> str:
    """What went wrong loading a sheet, in Chinese; for a panic, the row it happened in when it can be found."""
    text = str(exc)
    label = guards.sheet_label(name)
    if type(exc).__name__ != "PanicException":
        return f"{label}无法读取（{text[:200] or type(exc).__name__}），请用 Excel 打开后重新保存"
    row = None
    try:  # rows convert one at a time: the first one that panics again is the one
        sheet = wb.get_sheet_by_name(name)
        row = sheet.start[0] if sheet.start else 0
        for _values in sheet.iter_rows():
            row += 1
        row = None
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException:
        pass
    where = f"第 {row + 1:,} 行" if row is not None else ""
    if any(word in text for word in ("TimeDelta", "Duration", "date", "Date", "time", "Time")):
        what = "有超出范围的日期或时间（常见于设成日期格式的极大或极小数字，如 -1000000000000）"
    else:
        what = f"有读取库无法处理的内容（{text[:120]}）"
    return f"{label}{where}{what}，整张表无法读取；请改正或删除该单元格后另存再发"


# --------------------------------------------------------------------------- csv


def decode_text(raw: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030 (also after a UTF-8 BOM: some tools write
    one in front of GBK text)."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16")
    body = raw[3:] if raw.startswith(codecs.BOM_UTF8) else raw
    for encoding in ("utf-8", "gb18030"):
        try:
            return body.decode(encoding)
        except UnicodeDecodeError:
            pass
    raise Unreadable(_ENCODING_MESSAGE)


_ENCODING_MESSAGE = "无法识别 CSV 的文字编码（既不是 UTF-8 也不是 GBK/GB18030），请用 Excel 另存为“CSV UTF-8”"
_DELIMITERS = (",", "\t", ";", "，")
_HEAD_LINES = 30


def _read_csv(path: Path, info: CsvInfo, limits: Limits) -> list[list]:
    """The rows of a CSV the guards measured, streamed (never the whole text in memory twice)."""
    encoding = info.encoding
    if not encoding:
        raise Unreadable(_ENCODING_MESSAGE)
    skip = 0
    if info.bom_mismatch:  # a UTF-8 BOM in front of GB18030 text
        encoding, skip = "gb18030", len(codecs.BOM_UTF8)
    if csv.field_size_limit() < limits.max_csv_line_bytes:
        csv.field_size_limit(limits.max_csv_line_bytes)  # a field may be as long as a line (quoted, several)
    try:
        with _text(path, encoding, skip) as text:  # a title line may have no delimiter at all
            head = "".join(line for _, line in zip(range(_HEAD_LINES), text))
        delimiter = max(_DELIMITERS, key=head.count)
        if head.count(delimiter) == 0:
            delimiter = ","
        with _text(path, encoding, skip) as text:
            rows = list(csv.reader(text, delimiter=delimiter))
    except csv.Error as exc:
        raise Unreadable(f"CSV 格式有误（{exc}），请用 Excel 打开后另存为 CSV") from None
    except UnicodeDecodeError:
        raise Unreadable(_ENCODING_MESSAGE) from None
    width = max(map(len, rows), default=0)
    if len(rows) * max(width, 1) > limits.max_cells:
        raise Unreadable(guards.extent_message(SheetInfo("", len(rows), width), limits))
    return rows


def _text(path: Path, encoding: str, skip: int) -> io.TextIOWrapper:
    raw = open(path, "rb")
    if skip:
        raw.read(skip)
    return io.TextIOWrapper(raw, encoding=encoding, newline="")
