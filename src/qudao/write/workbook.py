"""Styled, ready-to-fill workbooks from a kind's schema (openpyxl).

Layout (tools.md → "Common layout"): the title merged across the table,
the header block (``label：value``), the table header row, pre-formatted
data rows; dropdowns whose sources live on a hidden ``_lists`` sheet behind
defined names; date, phone and number formats and validations; frozen
panes; CJK-aware widths; landscape fit-to-width printing with the header
row repeated; a ``填写说明`` sheet and the hidden ``_qudao`` sheet.
"""

from __future__ import annotations

import datetime as _dt
import math
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from qudao import __version__
from qudao.errors import UsageError
from qudao.normalize import header_key
from qudao.safe import xlsx_text
from qudao.schema.model import BlockSheet, Column, Field, Kind, Table
from qudao.write.style import (  # noqa: F401 (the names callers import from here)
    BLUE,
    FONT,
    GREY_FILL,
    LIGHT,
    LINE,
    ORANGE,
    PORTRAIT_WIDTH,
    ROW_HEIGHT,
    RULED_ROW,
    apply_openpyxl,
    fit_rows,
    header_text,
    plan_pages,
    rows_on_first_page,
    text_lines,
)
from qudao.schema.types import NO_CONTEXT, ParseContext
from qudao.text import display_width

TITLE_FONT = Font(name=FONT, size=16, bold=True)
LABEL_FONT = Font(name=FONT, size=10, bold=True)
BODY_FONT = Font(name=FONT, size=10)
HEADER_FONT = Font(name=FONT, size=10, bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor=BLUE)
REQUIRED_FILL = PatternFill("solid", fgColor=ORANGE)
LABEL_FILL = PatternFill("solid", fgColor=LIGHT)
FORMULA_FILL = PatternFill("solid", fgColor=GREY_FILL)
THIN = Side(style="thin", color=LINE)
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
UNDERLINE = Border(bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center")
RIGHT = Alignment(horizontal="right", vertical="center")

VALIDATION_ROWS = 2000  # data validation ranges reach this far below the header
LISTS_SHEET = "_lists"
META_SHEET = "_qudao"
HELP_SHEET = "填写说明"
HELP_WIDTHS = (20, 16, 8, 24, 46, 20)  # 工作表, 列名, 是否必填, 格式, 说明, 示例: 134 wide, A4 landscape


def column_width(col: Column) -> float:
    width = max(display_width(col.header) + 3, display_width(col.example) + 2 if col.example else 0, col.width or 0)
    return min(max(width, 6), 45)


def set_value(cell, value: Any) -> None:
    """Write a value; strings from outside are never turned into formulas, and always valid in the XML
    (qudao.safe.xlsx_text: controls escaped as Excel does, cut to 32,767 characters); NaN/inf are left empty."""
    if isinstance(value, str):
        value = xlsx_text(value)
    elif isinstance(value, float) and not math.isfinite(value):
        value = None
    cell.value = value
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        cell.data_type = "s"


class ListRegistry:
    """Enum sources on the hidden ``_lists`` sheet, each behind a defined name."""

    def __init__(self, wb: Workbook):
        self.wb = wb
        self.ws: Worksheet | None = None
        self.names: dict[tuple[str, ...], str] = {}

    def name_for(self, values: tuple[str, ...]) -> str:
        if values in self.names:
            return self.names[values]
        if self.ws is None:
            self.ws = self.wb.create_sheet(LISTS_SHEET)
            self.ws.sheet_state = "hidden"
        col = len(self.names) + 1
        letter = get_column_letter(col)
        for i, v in enumerate(values, start=1):
            self.ws.cell(row=i, column=col, value=v)
        name = f"qd_list_{col}"
        ref = f"'{LISTS_SHEET}'!${letter}$1:${letter}${len(values)}"
        self.wb.defined_names[name] = DefinedName(name, attr_text=ref)
        self.names[values] = name
        return name


def data_validation(item: Column | Field, lists: ListRegistry, first_cell: str,
                    ctx: ParseContext | None = None) -> DataValidation | None:
    """The Excel data validation of a column's or field's type (``schema.types``: the same rule the reader
    applies); ``first_cell`` is the validated range's first cell (custom formulas refer to it)."""
    spec = item.datatype.validation(ctx or NO_CONTEXT)
    if spec is None:
        return None
    label = item.name
    if spec.type == "list":
        dv = DataValidation(type="list", formula1=f"={lists.name_for(spec.values)}", allow_blank=True)
    else:
        formula1 = spec.formula1.replace("{cell}", first_cell) if spec.formula1 else None
        dv = DataValidation(type=spec.type, operator=spec.operator, formula1=formula1, formula2=spec.formula2,
                            allow_blank=True)
    if spec.warning:
        dv.errorStyle = "warning"
    dv.error = spec.error[:250]
    dv.errorTitle = label[:32]
    dv.prompt = spec.prompt[:250] or None
    dv.showErrorMessage = True
    dv.showInputMessage = bool(dv.prompt)
    if dv.prompt:
        dv.promptTitle = label[:32]
    return dv


def template_context(values: dict[str, Any]) -> ParseContext:
    """What a template's validations depend on: the first date among its header values (填表日期 …), else
    today (the 考核期间 dropdown lists that year's neighbours)."""
    day = next((v for v in values.values() if isinstance(v, _dt.date)), None)
    return ParseContext(today=day)


def resolve_set(kind: Kind, pairs: dict[str, str]) -> dict[str, Any]:
    """``--set 渠道名称=…``: labels (or aliases) → typed values; unknown labels and values that do not
    parse or are out of range (``报送日期=2026/13/45``, ``联系电话=12345``, ``目标到场人数=-5``) are an error."""
    fields: dict[str, Field] = {}
    for table in kind.tables:
        for f in table.block:
            for key in f.keys:
                fields.setdefault(key, f)
    for sheet in kind.block_sheets:
        for f in sheet.fields:
            for key in f.keys:
                fields.setdefault(key, f)
    out: dict[str, Any] = {}
    for label, value in pairs.items():
        f = fields.get(header_key(label))
        if f is None:
            labels = "、".join(dict.fromkeys(x.label for x in fields.values())) or "（本表没有表头信息）"
            raise UsageError(f"「{label}」不是{kind.title}的表头项；可用：{labels}")
        out[f.label] = f.datatype.option(value, f"--set {f.label}")  # the reader's rule, range included
    return out


def _block_rows(fields: tuple[Field, ...], width: int) -> list[list[Field]]:
    per_row = 3 if width >= 9 else 2 if width >= 6 else 1
    return [list(fields[i:i + per_row]) for i in range(0, len(fields), per_row)]


def write_block(ws: Worksheet, fields: tuple[Field, ...], top: int, width: int, values: dict[str, Any],
                lists: ListRegistry) -> int:
    """Write ``label：value`` pairs from row ``top``; return the next free row."""
    row = top
    per_row = len(_block_rows(fields, width)[0]) if fields else 1
    for group in _block_rows(fields, width):
        for i, f in enumerate(group):
            col = 1 + i * 3
            label = ws.cell(row=row, column=col, value=f"{f.label}：")
            label.font, label.alignment, label.fill = LABEL_FONT, RIGHT, LABEL_FILL
            cell = ws.cell(row=row, column=col + 1)
            if f.label in values:
                set_value(cell, values[f.label])
            cell.font, cell.alignment, cell.border = BODY_FONT, LEFT, UNDERLINE
            # the last field of a short row takes the table's width but its last column (工作日历 is a
            # sentence; the plan labels its calendar rows in that column)
            end = width - 1 if i == len(group) - 1 and len(group) < per_row and width - 1 > col + 2 else col + 2
            for c in range(col + 2, end + 1):
                ws.cell(row=row, column=c).border = UNDERLINE
            ws.merge_cells(start_row=row, start_column=col + 1, end_row=row, end_column=end)
            cell.number_format = f.datatype.number_format
            dv = data_validation(f, lists, cell.coordinate, template_context(values))
            if dv is not None:
                dv.add(cell.coordinate)
                ws.add_data_validation(dv)
            if f.hint or f.example:
                cell_note = "；".join(x for x in (f.hint, f"例：{f.example}" if f.example else "") if x)
                label.comment = Comment(cell_note, "qudao", width=220, height=60)
        ws.row_dimensions[row].height = 20
        row += 1
    return row


def formula_for(col: Column, table: Table, header_row: int, row: int,
                letters: dict[str, str] | None = None) -> str:
    """A column's live formula for one row; ``letters`` maps headers to columns (default: schema order)."""
    letters = letters or {c.header: get_column_letter(i + 1) for i, c in enumerate(table.columns)}
    text = col.formula or ""
    for header, letter in letters.items():
        text = text.replace("{" + header + "}", f"{letter}{row}")
    return text.replace("{r}", str(row)).replace("{h}", str(header_row))


def write_table(ws: Worksheet, kind: Kind, table: Table, values: dict[str, Any], lists: ListRegistry,
                rows: int | None = None, ruled: bool = False) -> int:
    """Title, block, header and formatted rows of one table sheet; returns the header row."""
    width = len(table.columns)
    header_row = 1
    if table.title_row:
        title = ws.cell(row=1, column=1, value=table.title or kind.title)
        title.font, title.alignment = TITLE_FONT, CENTER
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(width, 2))
        ws.row_dimensions[1].height = 32
        header_row = write_block(ws, table.block, 2, width, values, lists)
    for i, col in enumerate(table.columns, start=1):
        cell = ws.cell(row=header_row, column=i, value=col.header)
        cell.font, cell.alignment, cell.border = HEADER_FONT, CENTER, BORDER
        cell.fill = REQUIRED_FILL if col.required else HEADER_FILL
        note = [f"{'必填' if col.required else '选填'}；{col.datatype.describe()}"]
        if col.hint:
            note.append(col.hint)
        if col.example:
            note.append(f"例：{col.example}")
        cell.comment = Comment("\n".join(note), "qudao", width=240, height=90)
        ws.column_dimensions[get_column_letter(i)].width = column_width(col)
    fit_labels(ws, table.block, width)
    ws.row_dimensions[header_row].height = 30
    first = header_row + 1
    n = max(table.blank_rows if rows is None else rows, len(table.prefill))
    # a blank form to fill by hand (tables with live formulas print every formatted row already)
    blank_form = ruled and rows is None and n and not table.prefill and not any(c.formula for c in table.columns)
    format_rows(ws, table, header_row, first, first + n - 1, ruled=0 if blank_form else n)
    ctx = template_context(values)
    for i, col in enumerate(table.columns, start=1):
        letter = get_column_letter(i)
        dv = None if col.formula else data_validation(col, lists, f"{letter}{first}", ctx)
        if dv is not None:
            dv.add(f"{letter}{first}:{letter}{header_row + VALIDATION_ROWS}")
            ws.add_data_validation(dv)
    for r, prefill in enumerate(table.prefill, start=first):
        for i, value in enumerate(prefill, start=1):
            if value is not None:
                set_value(ws.cell(row=r, column=i), value)
    ws.freeze_panes = ws.cell(row=first, column=1)
    ws.auto_filter.ref = f"A{header_row}:{get_column_letter(width)}{header_row}"
    print_setup(ws, header_row, title=kind.title)
    if blank_form:
        rule_rows(ws, table, header_row, first, n)
    return header_row


def rule_rows(ws: Worksheet, table: Table, header_row: int, first: int, n: int) -> None:
    """A blank form prints its first page of rows ruled, tall enough to write in by hand. LibreOffice prints
    only rows that hold something, so each of those rows holds one space in its 序号 (else its first) cell:
    nothing to see, a blank cell to the reader (spaces are trimmed), written over by ``fill`` and by whoever
    types there. Excel prints every formatted row anyway."""
    plan = plan_pages(column_widths(ws), key=key_columns(ws, header_row))
    above = sum(ws.row_dimensions[r].height or ROW_HEIGHT for r in range(1, header_row + 1))
    count = min(n, rows_on_first_page(plan, above))
    seq = next((i for i, col in enumerate(table.columns, start=1) if col.seq), 1)
    for r in range(first, first + count):
        ws.row_dimensions[r].height = RULED_ROW
        for c in range(1, len(table.columns) + 1):
            ws.cell(row=r, column=c).border = BORDER
        ws.cell(row=r, column=seq).value = " "


def format_rows(ws: Worksheet, table: Table, header_row: int, first: int, last: int, ruled: int | None = None) -> None:
    """Borders (the first ``ruled`` rows, default all), fonts, number formats and live formulas for data rows
    ``first``–``last``. A blank form rules only the rows of its first page (``rule_rows``): LibreOffice would
    print every page of empty bordered rows once the sheet holds anything."""
    ruled = last - first + 1 if ruled is None else ruled
    for i, col in enumerate(table.columns, start=1):
        fmt = col.datatype.number_format
        for r in range(first, last + 1):
            cell = ws.cell(row=r, column=i)
            cell.font, cell.number_format = BODY_FONT, fmt
            if r < first + ruled:
                cell.border = BORDER
            if col.formula:
                cell.value = formula_for(col, table, header_row, r)
                cell.fill = FORMULA_FILL


def fit_labels(ws: Worksheet, fields: tuple[Field, ...], width: int) -> None:
    """Label columns of the header block as wide as their labels: a right-aligned label in a narrow
    column (序号) is cut off on the left when printed (「道联系人：」) or spills past the table."""
    for group in _block_rows(fields, width):
        for i, f in enumerate(group):
            letter = get_column_letter(1 + i * 3)
            need = display_width(f"{f.label}：") + 2
            if (ws.column_dimensions[letter].width or 0) < need:
                ws.column_dimensions[letter].width = need


def sheet_width(ws: Worksheet) -> float:
    """The used columns' total width (column-width units; unset columns count 8.43)."""
    return sum(column_widths(ws))


def column_widths(ws: Worksheet) -> list[float]:
    """Each used column's width (unset: 8.43); a dimension may span several columns (min–max), as
    xlsxwriter writes neighbours of the same width."""
    from openpyxl.utils import column_index_from_string

    widths: dict[int, float] = {}
    for letter, dim in list(ws.column_dimensions.items()):
        if dim.width:
            first = dim.min or column_index_from_string(letter)
            for c in range(first, max(dim.max or first, first) + 1):
                widths[c] = dim.width
    return [widths.get(c, 8.43) for c in range(1, ws.max_column + 1)]


def key_columns(ws: Worksheet, header_row: int | None) -> int:
    """How many leading columns identify a row (repeated on every page of a sheet split across pages): up to
    the first name among the first three headers (序号, 登记日期, 客户姓名), else the first."""
    if not header_row:
        return 1
    heads = [str(ws.cell(row=header_row, column=c).value or "") for c in range(1, min(ws.max_column, 3) + 1)]
    for words in (("名称", "姓名"), ("楼盘", "分所", "渠道", "编号")):
        for c, value in enumerate(heads, start=1):
            if any(word in value for word in words):
                return c
    return 1


def print_setup(ws: Worksheet, header_row: int | None = None, title: str = "", period: str = "",
                repeat: tuple[int, int] | None = None, split: bool = True, key: int | None = None,
                breakable: list[int] | None = None) -> None:
    """A4 by ``write.style.plan_pages``: portrait or landscape by the sheet's width, one page wide or (a very
    wide sheet) split across pages with its key columns repeated; the header rows (``repeat``, else
    ``header_row``) on every page; the title (and ``period``, else the sheet's name) in the page header and
    page numbers in the footer."""
    plan = plan_pages(column_widths(ws), key=key or key_columns(ws, header_row), split=split, breakable=breakable)
    repeat = repeat or ((header_row, header_row) if header_row else None)
    apply_openpyxl(ws, plan, title, period, repeat, sheet_in_header=False)
    if plan.breaks:  # split across pages: the title centred over the first page, not cut in two
        for merged in list(ws.merged_cells.ranges):
            if merged.min_row == merged.max_row == 1 and merged.min_col == 1 and merged.max_col > plan.breaks[0] + 1:
                ws.unmerge_cells(str(merged))
                ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=plan.breaks[0] + 1)
    if not period and ws.title not in title:
        ws.oddHeader.right.text = header_text(ws.title)


def write_block_sheet(ws: Worksheet, kind: Kind, sheet: BlockSheet, values: dict[str, Any],
                      lists: ListRegistry) -> None:
    title = ws.cell(row=1, column=1, value=sheet.title or sheet.sheet)
    title.font, title.alignment = TITLE_FONT, CENTER
    ws.merge_cells("A1:D1")
    for r, f in enumerate(sheet.fields, start=2):
        label = ws.cell(row=r, column=1, value=f"{f.label}：")
        label.font, label.alignment, label.fill, label.border = LABEL_FONT, RIGHT, LABEL_FILL, BORDER
        cell = ws.cell(row=r, column=2)
        if f.label in values:
            set_value(cell, values[f.label])
        cell.font, cell.border, cell.number_format = BODY_FONT, BORDER, f.datatype.number_format
        for c in (3, 4):
            ws.cell(row=r, column=c).border = BORDER
        ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=4)
        dv = data_validation(f, lists, cell.coordinate, template_context(values))
        if dv is not None:
            dv.add(cell.coordinate)
            ws.add_data_validation(dv)
        note = "；".join(x for x in (f.hint, f"例：{f.example}" if f.example else "") if x)
        if note:
            label.comment = Comment(note, "qudao", width=220, height=60)
        ws.row_dimensions[r].height = 20
    ws.column_dimensions["A"].width = max([16, *(display_width(f"{f.label}：") + 2 for f in sheet.fields)])
    for letter in "BCD":
        ws.column_dimensions[letter].width = 18
    print_setup(ws, title=kind.title, repeat=(1, 1))


def write_help(wb: Workbook, kind: Kind) -> None:
    ws = wb.create_sheet(HELP_SHEET)
    ws["A1"] = f"{kind.title} · 填写说明"
    ws["A1"].font = TITLE_FONT
    ws.merge_cells("A1:F1")
    row = 2
    widths = dict(zip(range(1, 7), HELP_WIDTHS))
    for line in (kind.description, *kind.notes,
                 "橙色表头为必填列；下拉列只能选列表中的值；日期请写成 2026-11-03；手机号按文本填写。"):
        if line:
            cell = ws.cell(row=row, column=1, value=line)
            cell.font, cell.alignment = BODY_FONT, Alignment(vertical="top", wrap_text=True)
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=6)
            # a merged cell never grows by itself: as many lines as the text needs across A:F
            ws.row_dimensions[row].height = ROW_HEIGHT * text_lines(line, sum(HELP_WIDTHS)) + 2
            row += 1
    row += 1
    heads = ("工作表", "列名", "是否必填", "格式", "说明", "示例")
    sections: list[tuple[str, list[tuple[str, bool, str, str, str]]]] = []
    for sheet in kind.block_sheets:
        sections.append((sheet.sheet, [(f"{f.label}：", False, f.datatype.describe(), f.hint, f.example)
                                       for f in sheet.fields]))
    for table in kind.tables:
        if table.block:
            sections.append((f"{table.sheet}（表头）",
                             [(f"{f.label}：", False, f.datatype.describe(), f.hint, f.example) for f in table.block]))
        lines = []
        for col in table.columns:
            hint = col.hint
            if col.aliases:
                hint = (hint + "；" if hint else "") + "也认：" + "、".join(col.aliases)
            if col.formula:
                hint = (hint + "；" if hint else "") + "自动计算，请勿手填"
            lines.append((col.header, col.required, col.datatype.describe(), hint, col.example))
        sections.append((table.sheet, lines))
    for i, h in enumerate(heads, start=1):
        c = ws.cell(row=row, column=i, value=h)
        c.font, c.fill, c.alignment, c.border = HEADER_FONT, HEADER_FILL, CENTER, BORDER
    header_row = row
    row += 1
    for sheet_name, lines in sections:
        for name, required, fmt, hint, example in lines:
            for i, v in enumerate((sheet_name, name, "必填" if required else "", fmt, hint, example), start=1):
                c = ws.cell(row=row, column=i, value=v or None)
                c.font, c.border = BODY_FONT, BORDER
                c.alignment = Alignment(vertical="top", wrap_text=True)
            row += 1
    for letter, width in zip("ABCDEF", HELP_WIDTHS):
        ws.column_dimensions[letter].width = width
    fit_rows(ws, header_row + 1, row - 1, widths)
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    print_setup(ws, header_row, title=f"{kind.title} · 填写说明")


def write_meta(wb: Workbook, kind: Kind) -> None:
    ws = wb.create_sheet(META_SHEET)
    for row in (("kind", kind.id), ("version", kind.version), ("title", kind.title), ("generator", f"qudao {__version__}")):
        ws.append(row)
    ws.sheet_state = "hidden"


def build(kind: Kind, values: dict[str, Any] | None = None, options: dict[str, Any] | None = None) -> Workbook:
    """A new workbook of ``kind`` (header-block ``values`` filled in)."""
    values = values or {}
    wb = Workbook()
    wb.remove(wb.active)
    lists = ListRegistry(wb)
    for sheet in kind.block_sheets:
        write_block_sheet(wb.create_sheet(sheet.sheet), kind, sheet, values, lists)
    rows = (options or {}).get("rows", {})  # sheet → pre-formatted rows, instead of the schema's blank_rows
    for table in kind.tables:
        write_table(wb.create_sheet(table.sheet), kind, table, values, lists, rows.get(table.sheet),
                    ruled=bool((options or {}).get("ruled")))
    from qudao.write import kinds as kind_writers

    addition = getattr(kind_writers, kind.module, None)  # a kind's own additions to the generic workbook
    if addition is not None:
        addition(wb, kind, values, options or {})
    write_help(wb, kind)
    write_meta(wb, kind)
    if lists.ws is not None:  # keep the hidden helper sheets last
        wb.move_sheet(lists.ws, offset=len(wb.sheetnames) - 1 - wb.sheetnames.index(LISTS_SHEET))
    wb.active = 0
    props = wb.properties
    props.title = kind.title
    props.creator = "qudao"
    props.subject = f"{kind.id} v{kind.version}"
    return wb


def workbook_bytes(wb: Workbook, created: _dt.datetime | None = None) -> bytes:
    """The saved workbook. With ``created`` the bytes are deterministic: document
    dates pinned (openpyxl stamps "modified" with the wall clock) and zip member
    timestamps fixed."""
    import io
    import re
    import zipfile

    if created is not None:
        wb.properties.created = created
    buf = io.BytesIO()
    wb.save(buf)
    if created is None:
        return buf.getvalue()
    stamp = created.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)", rb"\g<1>" + stamp + rb"\g<2>",
                              data)
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, data)
    return out.getvalue()


def save(wb: Workbook, target: str | Path, force: bool = False, created: _dt.datetime | None = None) -> Path:
    """Save atomically. ``created`` pins the document timestamps (deterministic output)."""
    from qudao.write.atomic import write_bytes

    return write_bytes(target, workbook_bytes(wb, created), force=force)


def new_workbook(kind: Kind, target: str | Path, values: dict[str, Any] | None = None, force: bool = False,
                 options: dict[str, Any] | None = None) -> Path:
    """A template a person fills (``qudao new``, ``new-plan``): its blank tables print ruled rows to fill by
    hand. A workbook built to be filled by a program (``fill``, the demo) has no such rows."""
    return save(build(kind, values, {"ruled": True, **(options or {})}), target, force)
