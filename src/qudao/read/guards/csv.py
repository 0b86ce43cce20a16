"""CSV: lines, the longest line, a bound of the fields and the encoding, streamed in chunks."""

from __future__ import annotations

import codecs
from pathlib import Path

from qudao.read.guards import common
from qudao.read.guards.common import (
    CsvInfo,
    LIMITS,
    Limits,
    Refused,
    size_text,
)

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
            chunk = fh.read(common._CHUNK)
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
        chunk = fh.read(common._CHUNK)
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
        chunk = fh.read(common._CHUNK)
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
