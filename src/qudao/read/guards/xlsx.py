"""xlsx: the package as calamine reads it (backslashes, the workbook where ``_rels/.rels`` says),
shared strings, and each sheet's XML streamed: extent, merged ranges, hidden rows, formulas without a value."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from qudao.cells import col_letter
from qudao.read.guards import common
from qudao.read.guards.common import (
    LIMITS,
    Limits,
    Refused,
    SheetInfo,
    _check_sheet,
    _damaged,
    _finish_merged,
    _merged_count_message,
    _open_zip,
    _ref,
    _sheet_count_message,
    _unescape,
    col_index,
    sheet_label,
    size_text,
)

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
        chunk = fh.read(common._CHUNK)
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
        chunk = fh.read(common._CHUNK)
        buf = carry + chunk
        if not chunk:
            return n + len(_MERGE.findall(buf))
        cut = buf.rfind(b"<")
        n += len(_MERGE.findall(buf, 0, cut if cut > 0 else len(buf)))
        carry = buf[cut:] if cut > 0 else b""


_REL = re.compile(rb"<" + _PFX + rb"Relationship\b(" + _XATTRS + rb")\s*/?>")
_SHEET = re.compile(rb"<" + _PFX + rb"sheet\b(" + _XATTRS + rb")\s*/?>")
_SST = re.compile(rb"<" + _PFX + rb"sst\b(" + _XATTRS + rb")\s*/?>")


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
