"""xls: a minimal OLE2/CFB reader and a BIFF5/8 record walk (sheets, DIMENSIONS, every cell record,
MERGEDCELLS, hidden rows)."""

from __future__ import annotations

import struct
from pathlib import Path

from qudao.read.guards.common import (
    LIMITS,
    Limits,
    Refused,
    SheetInfo,
    _check_sheet,
    _damaged,
    _finish_merged,
    _ref,
    _sheet_count_message,
    size_text,
)

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
