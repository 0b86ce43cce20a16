"""Generated templates, read back with openpyxl — and after a LibreOffice re-save."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import AS_OF, check, invoke, soffice_convert
from openpyxl import load_workbook

from qudao.schema import all_kinds, get_kind


@pytest.fixture(scope="module")
def register_book(tmp_path_factory):
    from qudao.write.workbook import new_workbook, resolve_set

    kind = get_kind("register")
    path = tmp_path_factory.mktemp("tpl") / "register.xlsx"
    new_workbook(kind, path, resolve_set(kind, {"渠道名称": "拉萨雪域物业", "报送日期": "2026-11-27"}))
    return path


@pytest.mark.slow
def test_layout_title_block_header(register_book):
    wb = load_workbook(register_book)
    assert wb.sheetnames == ["意向客户登记", "填写说明", "_qudao", "_lists"]
    ws = wb["意向客户登记"]
    assert ws["A1"].value == "意向客户登记表"
    assert any(str(r) == "A1:L1" for r in ws.merged_cells.ranges)  # centred over the first of its two pages
    labels = [c.value for row in ws.iter_rows(min_row=2, max_row=3) for c in row if c.value and str(c.value).endswith("：")]
    assert labels == ["渠道名称：", "渠道类型：", "所属分所：", "渠道联系人：", "联系电话：", "报送日期："]
    header = [c.value for c in ws[4]]
    assert header == [c.header for c in get_kind("register").main.columns]
    assert ws.freeze_panes == "A5"
    assert ws["H3"].number_format == "yyyy-mm-dd"


def test_formats_and_validations(register_book):
    wb = load_workbook(register_book)
    ws = wb["意向客户登记"]
    cols = {c.value: c.column_letter for c in ws[4]}
    assert ws[f"{cols['登记日期']}5"].number_format == "yyyy-mm-dd"
    assert ws[f"{cols['联系电话']}5"].number_format == "@"
    assert ws[f"{cols['成交金额(万元)']}5"].number_format == "0.00"
    by_range = {}
    for dv in ws.data_validations.dataValidation:
        for rng in str(dv.sqref).split():
            by_range[rng.split(":")[0]] = dv
    grade = by_range[f"{cols['意向等级']}5"]
    assert grade.type == "list" and grade.formula1.startswith("=qd_list_")
    name = grade.formula1[1:]
    target = wb.defined_names[name].attr_text
    sheet, ref = target.split("!")
    values = [c.value for row in wb[sheet.strip("'")][ref.replace("$", "")] for c in row]
    assert values == ["A", "B", "C", "D"]
    assert by_range[f"{cols['登记日期']}5"].type == "date"
    assert by_range[f"{cols['联系电话']}5"].type == "textLength"
    assert wb["_lists"].sheet_state == "hidden"


def test_meta_help_and_print_setup(register_book):
    wb = load_workbook(register_book)
    meta = {row[0]: row[1] for row in wb["_qudao"].iter_rows(values_only=True)}
    assert meta["kind"] == "register" and meta["version"] == 1 and wb["_qudao"].sheet_state == "hidden"
    help_text = [c for row in wb["填写说明"].iter_rows(values_only=True) for c in row if c]
    for col in get_kind("register").main.columns:
        assert col.header in help_text
    assert "必填" in help_text
    ws = wb["意向客户登记"]
    # 20 columns: split across two landscape pages at 73 %, 序号/登记日期/客户姓名 on both
    assert ws.page_setup.orientation == "landscape" and not ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.scale == 73 and [b.id for b in ws.col_breaks.brk] == [12]
    assert ws.print_title_rows == "$4:$4" and ws.print_title_cols == "$A:$C"
    widths = {k: v.width for k, v in ws.column_dimensions.items()}
    assert widths["C"] >= 10 and widths["D"] >= 15  # CJK-aware widths


def fill_rows(path, rows, out):
    from qudao.write.workbook import (
        set_value,  # text that looks like a formula stays text
    )

    wb = load_workbook(path)
    ws = wb["意向客户登记"]
    cols = {c.value: c.column for c in ws[4]}
    for r, row in enumerate(rows, start=5):
        for header, value in row.items():
            set_value(ws.cell(row=r, column=cols[header]), value)
    wb.save(out)
    return out


ROWS = [
    {"登记日期": dt.date(2026, 11, 3), "客户姓名": "张三", "联系电话": "13812345678", "意向等级": "A", "性别": "男",
     "预算(万元)": 150.5, "意向楼盘": "麓湖花园"},
    {"登记日期": dt.date(2026, 11, 4), "客户姓名": "李四", "联系电话": "138****5678", "意向等级": "B",
     "到访日期": dt.date(2026, 11, 10), "成交日期": dt.date(2026, 11, 20), "成交楼盘": "天府云城",
     "成交金额(万元)": 180.25},
    {"登记日期": dt.date(2026, 11, 5), "客户姓名": "=HYPERLINK(\"http://x\")", "联系电话": "13912345678",
     "意向等级": "C", "备注": "+86 备注"},
]


def typed_rows(report):
    return [(r.number, r.values, r.rejected) for r in report.tables["意向客户登记"].rows]


def test_filled_template_validates_clean(register_book, tmp_path):
    path = fill_rows(register_book, ROWS, tmp_path / "filled.xlsx")
    report = check(path)
    assert report.kind == "register" and report.findings == []
    assert report.rows_read == 3 and report.rows_accepted == 3


@pytest.mark.libreoffice
@pytest.mark.parametrize("fmt", ["xlsx", "ods", "xls"])
def test_libreoffice_resave_reads_back_identically(register_book, tmp_path, fmt):
    path = fill_rows(register_book, ROWS, tmp_path / "filled.xlsx")
    ours = check(path)
    resaved = soffice_convert(path, fmt, tmp_path / "lo")
    theirs = check(resaved)
    assert theirs.kind == "register" and theirs.version == 1, theirs.findings
    assert typed_rows(theirs) == typed_rows(ours)
    assert theirs.block == ours.block
    assert theirs.findings == []


@pytest.mark.libreoffice
def test_every_template_opens_in_libreoffice(tmp_path, runner):
    for kind in all_kinds():
        if kind.generated:
            continue
        target = tmp_path / f"{kind.id}.xlsx"
        if kind.id == "plan":
            result = invoke(runner, "new-plan", "--type", "西藏本地", "--branch", "拉萨分所", "--city", "拉萨",
                            "--start", "2026-09-21", "-o", target)
        else:
            result = invoke(runner, "new", kind.id, "-o", target)
        assert result.exit_code == 0, result.output
        pdf = soffice_convert(target, "pdf", tmp_path / "pdf")
        assert pdf.stat().st_size > 1000
        resaved = soffice_convert(target, "xlsx", tmp_path / "lo")
        report = check(resaved, as_of=AS_OF)
        assert report.kind == kind.id, (kind.id, report.findings)
        assert report.errors == 0, (kind.id, [f.message for f in report.findings])
