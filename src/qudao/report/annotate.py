"""``validate --annotate DIR``: a marked copy of every input that has findings.

xlsx/xlsm inputs are copied and marked in place (openpyxl; everything else
in the workbook kept): each problem cell filled (error red, warning amber,
info blue) with a comment holding the severity, the problem's Chinese title
and the message, and a ``问题清单`` sheet listing every finding with a link to
its cell (the code in the last column, for filtering). xls, ods
and csv inputs become an xlsx copy of their data, marked the same way. The
original is never opened for writing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from qudao.check.engine import Input
from qudao.findings import CODES, SEVERITY_ORDER, Finding
from qudao.labels import SEVERITY_CN
from qudao.records import FileReport

FILLS = {"error": "FFC7CE", "warning": "FFEB9C", "info": "DDEBF7"}
PROBLEM_SHEET = "问题清单"
PROBLEM_WIDTHS = (6, 16, 14, 52, 12, 16, 18)  # 134 wide: A4 landscape at ~100 %, 问题 and 说明 wrapped


def _printable(ws, name: str) -> None:
    """问题清单 on A4 landscape, one page wide: messages wrapped, rows as tall as they need."""
    from openpyxl.styles import Alignment

    from qudao.write.workbook import fit_rows, print_setup

    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(vertical="center", wrap_text=cell.column in (3, 4))
    fit_rows(ws, 2, ws.max_row)
    print_setup(ws, 1, title=f"问题清单 · {name}")


def _target(folder: Path, item: Input, report: FileReport) -> Path:
    parts = Path(item.display).parts
    relative = Path(*parts[1:]) if len(parts) > 1 else Path(parts[0])
    if report.format not in ("xlsx",) or item.path.suffix.lower() not in (".xlsx", ".xlsm"):
        relative = relative.with_name(relative.name + ".xlsx")
    return folder / relative


def _grid_workbook(item: Input, report: FileReport):
    """An xlsx holding the input's cells as they were read (for xls/ods/csv)."""
    from openpyxl import Workbook

    from qudao.read.source import open_source
    from qudao.write.workbook import set_value

    wb = Workbook()
    wb.remove(wb.active)
    with open_source(item.path) as source:
        for name in source.sheet_names:
            if name.startswith("_"):
                continue
            ws = wb.create_sheet((name or item.path.stem)[:31])
            for r, row in enumerate(source.grid(name).rows, start=1):
                for c, value in enumerate(row, start=1):
                    if value not in ("", None):
                        set_value(ws.cell(row=r, column=c), value)
    return wb


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


def annotate_one(item: Input, report: FileReport, target: Path) -> Path:
    from openpyxl import load_workbook
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

    if target.suffix.lower() in (".xlsx", ".xlsm") and report.format == "xlsx" and \
            item.path.suffix.lower() in (".xlsx", ".xlsm"):
        wb = load_workbook(item.path, keep_vba=item.path.suffix.lower() == ".xlsm", keep_links=True)
    else:
        wb = _grid_workbook(item, report)
    findings = sorted(report.findings, key=lambda f: (SEVERITY_ORDER[f.severity], f.sort_key()))
    notes: dict[tuple[str, str], list[Finding]] = {}
    for f in findings:
        cell = _cell_of(f)
        sheet = f.sheet or (wb.sheetnames[0] if wb.sheetnames else "")
        if cell and sheet in wb.sheetnames:
            notes.setdefault((sheet, cell), []).append(f)
    for (sheet, ref), items in notes.items():
        cell = wb[sheet][ref]
        if type(cell).__name__ == "MergedCell":
            continue
        worst = min(items, key=lambda f: SEVERITY_ORDER[f.severity]).severity
        cell.fill = PatternFill("solid", fgColor=FILLS[worst])
        text = "\n".join(f"【{SEVERITY_CN[f.severity]}·{title(f)}】{f.message}" for f in items)
        cell.comment = Comment(text[:30000], "qudao", width=320, height=min(60 + 40 * len(items), 400))
    if PROBLEM_SHEET in wb.sheetnames:
        del wb[PROBLEM_SHEET]
    ws = wb.create_sheet(PROBLEM_SHEET, 0)
    headers = ("级别", "位置", "问题", "说明", "列", "值", "代码")
    for c, h in enumerate(headers, start=1):
        cell = ws.cell(row=1, column=c, value=h)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    for r, f in enumerate(findings, start=2):
        ws.cell(row=r, column=1, value=SEVERITY_CN[f.severity]).fill = PatternFill("solid", fgColor=FILLS[f.severity])
        place = ws.cell(row=r, column=2, value=f.where or "（整个文件）")
        ref = _cell_of(f)
        sheet = f.sheet or (wb.sheetnames[1] if len(wb.sheetnames) > 1 else "")
        if ref and sheet in wb.sheetnames:
            place.hyperlink = Hyperlink(ref=place.coordinate, location=f"'{sheet}'!{ref}", display=place.value)
            place.font = Font(color="0563C1", underline="single")
        ws.cell(row=r, column=3, value=title(f))
        set_value(ws.cell(row=r, column=4), f.message)
        set_value(ws.cell(row=r, column=5), f.column or None)
        value = f.value if isinstance(f.value, (str, int, float)) else (str(f.value) if f.value is not None else None)
        set_value(ws.cell(row=r, column=6), value)
        ws.cell(row=r, column=7, value=f.code)
        for c in range(1, 8):
            if ws.cell(row=r, column=c).font == Font():
                ws.cell(row=r, column=c).font = BODY_FONT
    for letter, width in zip("ABCDEFG", PROBLEM_WIDTHS):
        ws.column_dimensions[letter].width = width
    _printable(ws, item.path.name)
    ws.freeze_panes = "A2"
    wb.active = 0
    return save(wb, target, force=True)


def annotate_all(reports: Iterable[FileReport], inputs: list[Input], folder: Path, force: bool = False) -> list[Path]:
    """Marked copies of the inputs with findings; returns the files written."""
    from qudao.errors import OutputError

    folder = Path(folder)
    written = []
    for item, report in zip(inputs, reports):
        if not report.findings or report.unreadable or not report.current:
            continue  # a superseded copy's problems are history: the current copy is the one to fix
        target = _target(folder, item, report)
        if target.resolve() == item.path.resolve():
            raise OutputError(f"--annotate 的文件夹不能是输入所在的文件夹（会覆盖 {item.path}）")
        if target.exists() and not force:
            raise OutputError(f"标注文件已存在：{target}（加 --force 覆盖）")
        written.append(annotate_one(item, report, target))
    return written
