"""Text from inputs made safe for every output (docs/decisions.md → Outputs).

A cell, a sheet name or a file name is whatever someone typed, pasted or
unzipped. Before it reaches an output it passes through one of these:

* :func:`display` — file names holding bytes that are not UTF-8 (a Windows
  zip unpacked on Linux gives GBK names, which Python keeps as lone
  surrogates): decoded as GB18030 when that works, else with U+FFFD. Lone
  surrogates cannot be encoded at all, so every writer would fail on them.
* :func:`xlsx_text` — text for an xlsx cell written by openpyxl or spliced
  into sheet XML: cut to Excel's 32,767 characters, C0 controls and the
  non-characters U+FFFE/U+FFFF written as Excel writes them (``_x0001_``),
  a literal ``_x0041_`` kept literal (``_x005F_x0041_``). xlsxwriter escapes
  by itself; :func:`cell_text` (display + cut) is what it gets.
* :func:`terminal` — no escape sequence, bell or other control character
  reaches a terminal (they are shown as ``\\x1b``); rich markup is escaped
  where it is printed (commands/_render.py).
* :func:`json_ready` / :func:`json_text` — finite numbers only (NaN and
  infinities become null: strict JSON parsers reject them), strings through
  :func:`display`, control characters escaped (``\u009b``).
* :func:`document_text` — a whole HTML or Markdown report: no control
  character left in it (U+FFFD).

Standard library only; every layer may use it.
"""

from __future__ import annotations

import math
import re
from typing import Any, Iterator

MAX_CELL_CHARS = 32_767  # Excel's limit for one cell

_SURROGATE = re.compile("[\ud800-\udfff]")
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_OOXML_ESCAPE = re.compile("_(x[0-9A-Fa-f]{4}_)")
_TERMINAL_BAD = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufffe\uffff]")


def display(text: str) -> str:
    """``text`` without lone surrogates: bytes Python could not decode (``os.fsdecode``) are decoded as
    GB18030 when the whole text then decodes, else replaced by U+FFFD. Clean text is returned as is."""
    if not _SURROGATE.search(text):
        return text
    try:
        raw = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # surrogates that are not escaped bytes
        return _SURROGATE.sub("\ufffd", text)
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        return raw.decode("utf-8", "replace")


def cut(text: str, limit: int = MAX_CELL_CHARS) -> str:
    return text if len(text) <= limit else text[:limit]


def cell_text(text: str) -> str:
    """Display-safe and at most 32,767 characters (for xlsxwriter, which escapes the rest itself)."""
    return cut(display(text))


def xlsx_text(text: str) -> str:
    """Text any xlsx writer can put into XML 1.0 and Excel reads back unchanged (see the module doc)."""
    text = cell_text(text)
    if "_x" in text:
        text = _OOXML_ESCAPE.sub(r"_x005F_\1", text)
    if _XML_BAD.search(text):
        text = _XML_BAD.sub(lambda m: f"_x{ord(m.group()):04X}_", text)
    return text


def xml_chars(text: str) -> str:
    """Text for XML that is not a cell (a comment, a sheet title): forbidden characters become U+FFFD."""
    text = display(text)
    return _XML_BAD.sub("\ufffd", text) if _XML_BAD.search(text) else text


_DOCUMENT_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def document_text(text: str) -> str:
    """A whole HTML or Markdown document: characters XML forbids, DEL and C1 controls (terminal sequences when
    the file is shown with ``cat``) become U+FFFD; lone surrogates as in :func:`display`."""
    text = display(text)
    return _DOCUMENT_BAD.sub("\ufffd", text) if _DOCUMENT_BAD.search(text) else text


def terminal(text: Any) -> str:
    """Text for a terminal: control characters (ESC, BEL, CR, C1, bidi overrides) shown as ``\\x1b``,
    never sent; line breaks and tabs kept."""
    text = display(str(text))
    if not _TERMINAL_BAD.search(text):
        return text
    return _TERMINAL_BAD.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                             else f"\\u{ord(m.group()):04x}", text)


def json_ready(value: Any) -> Any:
    """A copy of ``value`` that strict JSON accepts: NaN and infinities → None, strings display-safe."""
    cls = value.__class__
    if cls is str:
        return display(value)
    if cls is float:
        return value if math.isfinite(value) else None
    if cls is dict:
        return {json_ready(k) if k.__class__ is str else k: json_ready(v) for k, v in value.items()}
    if cls is list or cls is tuple:
        return [json_ready(v) for v in value]
    return value


def json_text(value: Any) -> str:
    """Strict JSON (UTF-8 text, no NaN/Infinity, no lone surrogates), indented one space, no final newline."""
    import json

    text = json.dumps(json_ready(value), ensure_ascii=False, indent=1, allow_nan=False)
    return _JSON_ESCAPE.sub(_json_escape, text)  # still the same JSON, lossless


def json_chunks(value: Any) -> Iterator[str]:
    """:func:`json_text` in pieces, the same characters: an indented dump is encoded in Python, and joined at
    once it holds a small string per token (≈ 0.5 KB per register row of a summary); written piece by piece
    only the document's copy ready for JSON stays in memory (issue 17)."""
    import json

    encoder = json.JSONEncoder(ensure_ascii=False, indent=1, allow_nan=False)
    search, sub = _JSON_ESCAPE.search, _JSON_ESCAPE.sub
    for chunk in encoder.iterencode(json_ready(value)):
        yield sub(_json_escape, chunk) if search(chunk) else chunk


def _json_escape(m: re.Match) -> str:
    return f"\\u{ord(m.group()):04x}"


_JSON_ESCAPE = re.compile("[\x7f-\x9f\u2028\u2029\ufffe\uffff]")  # C0 controls json.dumps escapes itself
