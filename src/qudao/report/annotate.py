"""``validate --annotate DIR``: a marked copy of every input that has findings.

Each problem cell is filled (error red, warning amber, info blue) with a
comment holding the severity, the problem's Chinese title and the message,
and a ``问题清单`` sheet first lists every finding with a link to its cell
(the code in the last column, for filtering; A4 landscape, one page wide). The original is never
opened for writing. Annotating never stops the command and never overwrites
one copy with another (docs/decisions.md → fill, carry, annotate, agreement):

* **Names**: ``DIR/<path under the folder given>``; each part made safe
  (characters Windows forbids and control characters become ``_``, at most
  200 bytes with the suffix kept); xls/ods/csv inputs become
  ``<name>.xlsx``; a second input with the same name gets ``-2``, ``-3`` ….
* **xlsx/xlsm up to 500,000 cells** are copied with openpyxl: everything in
  the workbook is kept. **Larger ones, and xls/ods/csv inputs**, become a
  streamed xlsx of the values as read (xlsxwriter ``constant_memory``, one
  sheet in memory at a time; formatting is not kept), marked the same way;
  sheet titles are made valid for Excel.
* Every copy is written in a worker process (:func:`qudao.check.parallel.map_isolated`);
  a copy that cannot be written — a full disk, a crash — is an
  ``annotate.failed`` warning on its file, and the other copies are written.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Iterable

from qudao.check.engine import Input
from qudao.findings import CODES, SEVERITY_ORDER, Finding, make
from qudao.labels import SEVERITY_CN
from qudao.records import FileReport
from qudao.safe import display, xml_chars

FILLS = {"error": "FFC7CE", "warning": "FFEB9C", "info": "DDEBF7"}
PROBLEM_SHEET = "问题清单"
OPENPYXL_MAX_CELLS = 500_000  # above this (cells in the used ranges), a streamed copy of the values
OPENPYXL_MAX_XML_BYTES = 50 * 1024 * 1024  # … or above this much sheet XML (styled empty cells count there)
MAX_NAME_BYTES = 200  # one part of a copy's path, in UTF-8 bytes (file systems allow 255)
HEADERS = ("级别", "位置", "问题", "说明", "列", "值", "代码")
PROBLEM_WIDTHS = (6, 16, 14, 52, 12, 16, 18)  # 134 wide: A4 landscape at ~100 %, 问题 and 说明 wrapped

_BAD_NAME = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_BAD_TITLE = re.compile(r"[\[\]:*?/\\\x00-\x1f\x7f]")


def _printable(ws, name: str) -> None:
    """问题清单 on A4 landscape, one page wide: messages wrapped, rows as tall as they need."""
    from openpyxl.styles import Alignment

    from qudao.write.workbook import fit_rows, print_setup

    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(vertical="center", wrap_text=cell.column in (3, 4))
    fit_rows(ws, 2, ws.max_row)
    print_setup(ws, 1, title=f"问题清单 · {name}")


# --------------------------------------------------------------------------- names


def safe_part(part: str, limit: int = MAX_NAME_BYTES) -> str:
    """One part of a path: display-safe, no character Windows forbids, not empty, at most ``limit`` bytes
    (the last suffix kept)."""
    part = _BAD_NAME.sub("_", display(part)).strip().rstrip(". ")
    if part in ("", ".", ".."):
        part = "_"
    if len(part.encode("utf-8")) <= limit:
        return part
    dot = part.rfind(".")
    suffix = part[dot:] if 0 < dot and len(part) - dot <= 10 else ""
    stem = part[: len(part) - len(suffix)]
    while len((stem + suffix).encode("utf-8")) > limit:
        stem = stem[:-1]
    return stem + suffix


def targets_for(folder: Path, pairs: list[tuple[Input, FileReport]]) -> list[Path]:
    """The copy of each input: safe, bounded, and unique (also case-insensitively)."""
    used: set[str] = set()
    out = []
    for item, report in pairs:
        parts = Path(item.display).parts
        relative = list(parts[1:] if len(parts) > 1 else parts)
        name = relative[-1]
        if not (report.format == "xlsx" and item.path.suffix.lower() in (".xlsx", ".xlsm")):
            name += ".xlsx"
        relative[-1] = name
        relative = [safe_part(p) for p in relative]
        target = folder.joinpath(*relative)
        stem, suffix = target.stem, target.suffix
        n = 1
        while str(target).lower() in used:
            n += 1
            target = target.with_name(safe_part(f"{stem}-{n}{suffix}"))
        used.add(str(target).lower())
        out.append(target)
    return out


def sheet_titles(names: Iterable[str]) -> dict[str, str]:
    """Sheet name → a valid, unique Excel title (no []:*?/\\, at most 31 characters, not 问题清单, not
    History: Excel reserves it, in any case, and refuses to open a workbook with such a sheet)."""
    used = {PROBLEM_SHEET.lower(), "history"}
    out = {}
    for name in names:
        base = _BAD_TITLE.sub("_", display(name)).strip("'").strip() or "Sheet"
        title = base[:31]
        n = 1
        while title.lower() in used:
            n += 1
            tail = f"({n})"
            title = base[: 31 - len(tail)] + tail
        used.add(title.lower())
        out[name] = title
    return out


# --------------------------------------------------------------------------- marking


def _cell_of(finding: Finding) -> str | None:
    if finding.cell and finding.cell[0].isalpha():
        return finding.cell
    if finding.row:
        return f"A{finding.row}"
    return None


def title(finding: Finding) -> str:
    """The problem's short Chinese title (电话格式不对); the code when the catalogue lacks it."""
    entry = CODES.get(finding.code)
    return entry.title if entry else finding.code


def _note(items: list[Finding]) -> str:
    text = "\n".join(f"【{SEVERITY_CN[f.severity]}·{title(f)}】{f.message}" for f in items)
    return xml_chars(text[:30000])


def _link(title: str, ref: str) -> str:
    return "'{}'!{}".format(title.replace("'", "''"), ref)


def _shown(value: Any) -> Any:
    return value if isinstance(value, (str, int, float)) else (str(value) if value is not None else None)


def annotate_one(item: Input, fmt: str | None, findings: list[Finding], target: Path) -> Path:
    """The marked copy of one input (in this process)."""
    from qudao.read.source import open_source

    findings = sorted(findings, key=lambda f: (SEVERITY_ORDER[f.severity], f.sort_key()))
    if fmt == "xlsx" and item.path.suffix.lower() in (".xlsx", ".xlsm"):
        with open_source(item.path) as source:
            cells = sum(info.cells for info in source.infos.values())
        if cells <= OPENPYXL_MAX_CELLS and _sheet_xml_bytes(item.path) <= OPENPYXL_MAX_XML_BYTES:
            wb = _load_openpyxl(item.path)
            if wb is not None:
                return _annotate_openpyxl(wb, findings, target, item.path.name)
    return _annotate_streamed(item, findings, target)


def _load_openpyxl(path: Path):
    """The workbook for a faithful copy, or None when openpyxl cannot read it (raw control characters in the
    XML, which python-calamine reads): then the streamed copy of the values."""
    from openpyxl import load_workbook

    try:
        return load_workbook(path, keep_vba=path.suffix.lower() == ".xlsm", keep_links=True)
    except (KeyboardInterrupt, SystemExit, MemoryError):
        raise
    except Exception:
        return None


def _sheet_xml_bytes(path: Path) -> int:
    import zipfile

    with zipfile.ZipFile(path) as zf:
        return sum(i.file_size for i in zf.infolist() if "worksheets/" in i.filename.replace("\\", "/"))


def _annotate_openpyxl(wb, findings: list[Finding], target: Path, name: str) -> Path:
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.worksheet.hyperlink import Hyperlink

    from qudao.write.workbook import (
        BODY_FONT,
        HEADER_FILL,
        HEADER_FONT,
        save,
        set_value,
    )

    renamed = {}  # Excel reserves the sheet name History (any case): the copy would not open
    for sheet_ws in wb.worksheets:
        if sheet_ws.title.lower() == "history":
            n = 2
            while f"{sheet_ws.title}({n})".lower() in {t.lower() for t in wb.sheetnames}:
                n += 1
            new_title = f"{sheet_ws.title}({n})"
            renamed[sheet_ws.title] = new_title
            sheet_ws.title = new_title
    notes: dict[tuple[str, str], list[Finding]] = {}
    for f in findings:
        cell = _cell_of(f)
        sheet = renamed.get(f.sheet, f.sheet) or (wb.sheetnames[0] if wb.sheetnames else "")
        if cell and sheet in wb.sheetnames:
            notes.setdefault((sheet, cell), []).append(f)
    for (sheet, ref), items in notes.items():
        cell = wb[sheet][ref]
        if type(cell).__name__ == "MergedCell":
            continue
        worst = min(items, key=lambda f: SEVERITY_ORDER[f.severity]).severity
        cell.fill = PatternFill("solid", fgColor=FILLS[worst])
        cell.comment = Comment(_note(items), "qudao", width=320, height=min(60 + 40 * len(items), 400))
    if PROBLEM_SHEET in wb.sheetnames:
        del wb[PROBLEM_SHEET]
    ws = wb.create_sheet(PROBLEM_SHEET, 0)
    for c, h in enumerate(HEADERS, start=1):
        cell = ws.cell(row=1, column=c, value=h)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    for r, f in enumerate(findings, start=2):
        ws.cell(row=r, column=1, value=SEVERITY_CN[f.severity]).fill = PatternFill("solid", fgColor=FILLS[f.severity])
        place = ws.cell(row=r, column=2)
        set_value(place, f.where or "（整个文件）")
        ref = _cell_of(f)
        sheet = renamed.get(f.sheet, f.sheet) or (wb.sheetnames[1] if len(wb.sheetnames) > 1 else "")
        if ref and sheet in wb.sheetnames:
            place.hyperlink = Hyperlink(ref=place.coordinate, location=_link(sheet, ref), display=place.value)
            place.font = Font(color="0563C1", underline="single")
        ws.cell(row=r, column=3, value=title(f))
        set_value(ws.cell(row=r, column=4), f.message)
        set_value(ws.cell(row=r, column=5), f.column or None)
        set_value(ws.cell(row=r, column=6), _shown(f.value))
        ws.cell(row=r, column=7, value=f.code)
        for c in range(1, 8):
            if ws.cell(row=r, column=c).font == Font():
                ws.cell(row=r, column=c).font = BODY_FONT
    for letter, width in zip("ABCDEFG", PROBLEM_WIDTHS):
        ws.column_dimensions[letter].width = width
    _printable(ws, name)
    ws.freeze_panes = "A2"
    wb.active = 0
    return save(wb, target, force=True)


def _annotate_streamed(item: Input, findings: list[Finding], target: Path) -> Path:
    """The values as read, written row by row (bounded memory), marked like the openpyxl copy."""
    import datetime as _dt
    import math

    from qudao.cells import col_index
    from qudao.read.source import open_source
    from qudao.report.xlsx import SafeWorkbook
    from qudao.write.atomic import atomic_path

    with open_source(item.path) as source, atomic_path(target, force=True) as tmp:
        names = [n for n in source.sheet_names if not n.startswith("_")]
        titles = sheet_titles(n or item.path.stem for n in names)
        titles = {n: titles[n or item.path.stem] for n in names}
        wb = SafeWorkbook(str(tmp), {"constant_memory": True, "strings_to_formulas": False,
                                     "strings_to_urls": False, "strings_to_numbers": False})
        head = wb.add_format({"bold": True, "font_color": "#FFFFFF", "bg_color": "#1F4E78"})
        link = wb.add_format({"font_color": "#0563C1", "underline": 1})
        sev = {s: wb.add_format({"bg_color": "#" + FILLS[s]}) for s in FILLS}
        day = wb.add_format({"num_format": "yyyy-mm-dd"})
        marked = {s: wb.add_format({"bg_color": "#" + FILLS[s], "num_format": "yyyy-mm-dd"}) for s in FILLS}
        first = names[0] if names else ""
        notes: dict[str, dict[tuple[int, int], list[Finding]]] = {}
        ws = wb.add_worksheet(PROBLEM_SHEET)
        for c, (h, w) in enumerate(zip(HEADERS, PROBLEM_WIDTHS)):
            ws.set_column(c, c, w)
            ws.write_string(0, c, h, head)
        ws.freeze_panes(1, 0)
        for r, f in enumerate(findings, start=1):
            ws.write_string(r, 0, SEVERITY_CN[f.severity], sev[f.severity])
            ref = _cell_of(f)
            sheet = f.sheet if f.sheet in titles else first if not f.sheet else None
            if ref and sheet is not None and names:
                ws.write_url(r, 1, "internal:" + _link(titles[sheet], ref), link, string=f.where or ref)
                m = re.match(r"([A-Z]+)(\d+)$", ref)
                if m:
                    notes.setdefault(sheet, {}).setdefault((int(m.group(2)) - 1, col_index(m.group(1))), []).append(f)
            else:
                ws.write_string(r, 1, f.where or "（整个文件）")
            ws.write_string(r, 2, title(f))
            ws.write_string(r, 3, f.message)
            ws.write_string(r, 4, f.column or "")
            value = _shown(f.value)
            if isinstance(value, str):
                ws.write_string(r, 5, value)
            elif isinstance(value, (int, float)) and math.isfinite(value):
                ws.write_number(r, 5, value)
            ws.write_string(r, 6, f.code)
        for name in names:
            ws = wb.add_worksheet(titles[name])
            cell_notes = notes.get(name, {})
            worst = {rc: min(items, key=lambda f: SEVERITY_ORDER[f.severity]).severity
                     for rc, items in cell_notes.items()}
            by_row: dict[int, list[int]] = {}
            for r, c in worst:
                by_row.setdefault(r, []).append(c)
            rows = source.grid(name).rows
            for r in sorted(set(range(len(rows))) | set(by_row)):
                row = rows[r] if r < len(rows) else []
                for c in sorted(set(i for i, v in enumerate(row) if v not in ("", None)) | set(by_row.get(r, ()))):
                    v = row[c] if c < len(row) else None
                    s = worst.get((r, c))
                    fmt = sev[s] if s else None
                    if isinstance(v, bool):
                        ws.write_boolean(r, c, v, fmt)
                    elif isinstance(v, (int, float)):
                        if math.isfinite(v):
                            ws.write_number(r, c, v, fmt)
                        else:
                            ws.write_blank(r, c, None, fmt)
                    elif isinstance(v, (_dt.datetime, _dt.date, _dt.time, _dt.timedelta)):
                        ws.write_datetime(r, c, v, marked[s] if s else day)
                    elif v in ("", None):
                        ws.write_blank(r, c, None, fmt)
                    else:
                        ws.write_string(r, c, str(v), fmt)
                    if (r, c) in cell_notes:
                        ws.write_comment(r, c, _note(cell_notes[(r, c)]), {"author": "qudao", "x_scale": 2,
                                                                            "y_scale": 2})
            source.release(name)
        wb.worksheets()[0].activate()
        _close(wb)
    return target


def _close(wb) -> None:
    from xlsxwriter.exceptions import FileCreateError

    try:
        wb.close()
    except FileCreateError as exc:
        raise exc.args[0] if exc.args and isinstance(exc.args[0], OSError) else OSError(str(exc)) from None


def _annotate_worker(item: Input, fmt: str | None, findings: list[Finding], target: Path) -> tuple[bool, str]:
    """(True, path) or (False, why in Chinese): never raises (runs in a worker process)."""
    from qudao.errors import QudaoError, os_error_cn

    try:
        return True, str(annotate_one(item, fmt, findings, target))
    except (KeyboardInterrupt, SystemExit):
        raise
    except QudaoError as exc:
        return False, exc.message
    except OSError as exc:
        return False, os_error_cn(exc, path=False)
    except BaseException as exc:  # one copy never stops the others
        return False, f"{type(exc).__name__}: {str(exc)[:200]}"


def annotate_all(reports: Iterable[FileReport], inputs: list[Input], folder: Path, force: bool = False,
                 workers: int | None = None) -> list[Path]:
    """Marked copies of the inputs with findings; returns the files written. A copy that cannot be written
    becomes an ``annotate.failed`` warning on its report. A copy that exists already without ``force``, or a
    folder holding the inputs themselves, is refused before anything is written (OutputError)."""
    from qudao.check.parallel import CRASH_MESSAGE, map_isolated, usable
    from qudao.errors import OutputError

    folder = Path(folder)
    pairs = [(item, report) for item, report in zip(inputs, reports)
             if report.findings and not report.unreadable and report.current]
    # (a superseded copy's problems are history: the current copy is the one to fix)
    targets = targets_for(folder, pairs)
    originals = {item.path.resolve() for item in inputs}
    for target in targets:
        if target.resolve() in originals:
            raise OutputError(f"--annotate 的文件夹不能是输入所在的文件夹（会覆盖 {target}）")
        if target.exists() and not force:
            raise OutputError(f"标注文件已存在：{target}（加 --force 覆盖）")
    calls = [(item, report.format, list(report.findings), target) for (item, report), target in zip(pairs, targets)]
    outcomes = map_isolated(_annotate_worker, calls, usable(len(calls), workers),
                            on_crash=lambda _args: (False, CRASH_MESSAGE)) if calls else []
    written = []
    for (_item, report), target, (ok, what) in zip(pairs, targets, outcomes):
        if ok:
            written.append(Path(what))
        else:
            report.findings.append(make("annotate.failed", f"无法写出标注副本 {display(str(target))}（{what}），"
                                        "其余结果照常", file=report.path))
    return written
