"""Reading what people really send: one test per quirk (rules.md → Reading)."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import AS_OF, check, codes, invoke, make_register
from openpyxl import Workbook, load_workbook

GOOD = [1, "2026-11-03", "张三", "13812345678", "A"]


def rows_of(report, sheet="意向客户登记"):
    return report.tables[sheet].rows


def test_header_found_below_inserted_rows_and_aliases(tmp_path):
    path = tmp_path / "r.xlsx"
    wb = Workbook()
    ws = wb.active
    ws["A1"] = "某某分所 2026 年渠道客户"
    ws["A2"] = "渠道名称：拉萨雪域物业"
    ws["A3"] = "备注：本表每周五报送"
    header = [" 报备日期 ", "姓名", "手机号", "客户等级", "来访日期", "预算（万元）", "意向面积（㎡）"]
    ws.append([])
    ws.append(header)
    ws.append(["2026/11/3", "张三", 13812345678, "a", "2026年11月10日", "120万", "95"])
    wb.save(path)
    report = check(path)
    assert report.kind == "register"
    (row,) = rows_of(report)
    assert row.number == 6
    assert row.values["登记日期"] == dt.date(2026, 11, 3)
    assert row.values["联系电话"] == "13812345678"
    assert row.values["意向等级"] == "A"
    assert row.values["到访日期"] == dt.date(2026, 11, 10)
    assert row.values["预算(万元)"] == 120.0
    assert row.values["意向面积(㎡)"] == 95.0
    assert not row.rejected


def test_columns_in_any_order_and_extra_columns_kept(tmp_path):
    path = make_register(tmp_path / "r.xlsx", [["A", "13812345678", "张三", "2026-11-03", "wx123"]],
                         header=["意向等级", "联系电话", "客户姓名", "登记日期", "微信号"])
    report = check(path)
    (row,) = rows_of(report)
    assert row.values["客户姓名"] == "张三" and row.extras == {"微信号": "wx123"}
    assert report.tables["意向客户登记"].extra_columns == [("微信号", 4)]


def test_blank_rows_seq_only_rows_and_total_rows(tmp_path):
    rows = [GOOD, [None] * 5, [2], [3, None, None, None, None], [4, "2026-11-04", "李四", "13912345678", "B"],
            ["合计", None, "共2人"], ["总计：", 2], [" 小 计 "], [None, "本周合计", 2], ["本页小计：2 人"],
            [None, "合计人数", 2], ["共计", 2]]
    report = check(make_register(tmp_path / "r.xlsx", rows, header=["序号", "登记日期", "客户姓名", "联系电话", "意向等级"]))
    assert [r.number for r in rows_of(report)] == [5, 9]
    assert (report.rows_read, report.rows_accepted, report.rows_rejected, report.rows_skipped) == (9, 2, 0, 7)


def test_merged_cells_fill_their_range(tmp_path):
    path = make_register(tmp_path / "r.xlsx", [
        [1, "2026-11-03", "张三", "13812345678", "A", "王芳"],
        [2, "2026-11-04", "李四", "13912345678", "B", None],
        [3, "2026-11-05", "王五", "13712345678", "C", None],
        [4], [5],  # pre-numbered rows the merge runs over: still blank
    ], header=["序号", "登记日期", "客户姓名", "联系电话", "意向等级", "跟进人"])
    wb = load_workbook(path)
    wb.active.merge_cells("F5:F9")
    wb.save(path)
    report = check(path)
    assert [r.values["跟进人"] for r in rows_of(report)] == ["王芳", "王芳", "王芳"]
    assert (report.rows_read, report.rows_accepted) == (3, 3) and not report.findings


def test_merged_channel_name_in_header_block(tmp_path):
    path = make_register(tmp_path / "r.xlsx", [GOOD], header=["序号", "登记日期", "客户姓名", "联系电话", "意向等级"],
                         block={"渠道名称": "拉萨雪域物业", "报送日期": "2026年11月27日"})
    wb = load_workbook(path)
    ws = wb.active
    ws["A2"] = "渠道名称："
    ws["B2"] = "拉萨雪域物业"
    ws.merge_cells("B2:D2")
    wb.save(path)
    report = check(path)
    assert report.block["渠道名称"] == "拉萨雪域物业"
    assert report.block["报送日期"] == dt.date(2026, 11, 27)


def test_label_and_value_in_one_cell(tmp_path):
    path = make_register(tmp_path / "r.xlsx", [GOOD], header=["序号", "登记日期", "客户姓名", "联系电话", "意向等级"],
                         block={})
    wb = load_workbook(path)
    ws = wb.active
    ws.insert_rows(2)
    ws["A2"] = "渠道名称：西藏川渝商会"
    ws["D2"] = "报送日期:2026-11-27"
    wb.save(path)
    report = check(path)
    assert report.block == {"渠道名称": "西藏川渝商会", "报送日期": dt.date(2026, 11, 27)}


def test_hidden_rows_are_read_and_flagged(tmp_path):
    path = make_register(tmp_path / "r.xlsx", [GOOD, [2, "2026-11-04", "李四", "13912345678", "B"]],
                         header=["序号", "登记日期", "客户姓名", "联系电话", "意向等级"])
    wb = load_workbook(path)
    wb.active.row_dimensions[6].hidden = True
    wb.save(path)
    report = check(path)
    assert report.rows_accepted == 2
    hidden = [f for f in report.findings if f.code == "row.hidden"]
    assert [(f.severity, f.row) for f in hidden] == [("info", 6)]


def test_formula_without_cached_value_is_empty_with_info(tmp_path):
    path = make_register(tmp_path / "r.xlsx", [
        ["=ROW()-3", "2026-11-03", "张三", "13812345678", "A", "=1+1"],
    ], header=["序号", "登记日期", "客户姓名", "联系电话", "意向等级", "预算(万元)"])
    report = check(path)
    (row,) = rows_of(report)
    assert row.values.get("预算(万元)") is None  # never the formula text
    assert "=1+1" not in str(row.values) and not row.rejected
    infos = [(f.code, f.cell) for f in report.findings if f.code == "formula.no_cache"]
    assert ("formula.no_cache", "F5") in infos


def test_serial_dates_and_numeric_phones_in_plain_cells(tmp_path):
    path = make_register(tmp_path / "r.xlsx", [[1, 46329, "张三", 13812345678.0, "A"]],
                         header=["序号", "登记日期", "客户姓名", "联系电话", "意向等级"])
    (row,) = rows_of(check(path))
    assert row.values["登记日期"] == dt.date(2026, 11, 3)
    assert row.values["联系电话"] == "13812345678"


def test_month_day_takes_the_report_year_with_info(tmp_path):
    path = make_register(tmp_path / "r.xlsx", [[1, "11月3日", "张三", "13812345678", "A"]],
                         header=["序号", "登记日期", "客户姓名", "联系电话", "意向等级"])
    report = check(path)
    (row,) = rows_of(report)
    assert row.values["登记日期"] == dt.date(2026, 11, 3)
    (f,) = [f for f in report.findings if f.code == "date.year_inferred"]
    assert f.severity == "info" and f.cell == "B5"


def test_month_day_after_the_report_date_belongs_to_the_year_before(tmp_path):
    path = make_register(tmp_path / "r.xlsx", [[1, "12月28日", "张三", "13812345678", "A"]],
                         header=["序号", "登记日期", "客户姓名", "联系电话", "意向等级"],
                         block={"渠道名称": "x", "报送日期": dt.date(2027, 1, 8)})
    (row,) = rows_of(check(path))
    assert row.values["登记日期"] == dt.date(2026, 12, 28)


def test_duplicate_header_uses_the_first_non_empty(tmp_path):
    path = make_register(tmp_path / "r.xlsx", [
        [1, "2026-11-03", "张三", "13812345678", None, "A"],
        [2, "2026-11-03", "李四", None, "13912345678", "A"],
    ], header=["序号", "登记日期", "客户姓名", "电话", "手机", "意向等级"])
    report = check(path)
    assert [r.values["联系电话"] for r in rows_of(report)] == ["13812345678", "13912345678"]
    (dup,) = [f for f in report.findings if f.code == "header.duplicate"]
    assert dup.severity == "warning" and dup.cell == "E4" and "电话" in dup.message


def test_missing_required_column_rejects_every_row_once(tmp_path):
    path = make_register(tmp_path / "r.xlsx", [[1, "2026-11-03", "张三", "A"], [2, "2026-11-04", "李四", "B"]],
                         header=["序号", "登记日期", "客户姓名", "意向等级"])
    report = check(path)
    missing = [f for f in report.findings if f.code == "header.missing"]
    assert len(missing) == 1 and missing[0].column == "联系电话"
    assert "手机号" in missing[0].message  # names the aliases
    assert (report.rows_read, report.rows_accepted, report.rows_rejected) == (2, 0, 2)


def test_stray_value_outside_the_table_is_a_warning(tmp_path):
    path = make_register(tmp_path / "r.xlsx", [GOOD], header=["序号", "登记日期", "客户姓名", "联系电话", "意向等级"])
    wb = load_workbook(path)
    wb.active["AB20"] = "随手记"
    wb.save(path)
    report = check(path)
    assert report.rows_read == 1
    (f,) = [f for f in report.findings if f.code == "value.unlabeled"]
    assert f.cell == "AB20" and f.severity == "warning"


def test_csv_encodings(tmp_path):
    text = "序号,登记日期,渠道名称,客户姓名,手机,意向等级\n1,2026/11/3,雪域物业,张三,138 1234 5678,B\n"
    tabs = "意向客户登记表\n" + text.replace(",", "\t")  # a title line without any delimiter first
    for name, data in (("utf8.csv", text.encode("utf-8")), ("bom.csv", text.encode("utf-8-sig")),
                       ("gbk.csv", text.encode("gb18030")), ("utf16.csv", text.encode("utf-16")),
                       ("tabs.csv", tabs.encode("utf-8"))):
        (tmp_path / name).write_bytes(data)
        report = check(tmp_path / name)
        assert report.kind == "register", name
        (row,) = rows_of(report)
        assert row.values["客户姓名"] == "张三" and row.values["联系电话"] == "13812345678"
        assert report.findings == [] and report.rows_accepted == 1


def test_csv_keeps_leading_zeros_and_never_guesses(tmp_path):
    (tmp_path / "x.csv").write_text("登记日期,渠道名称,客户姓名,联系电话,意向等级,备注\n2026-11-03,x,张三,13812345678,A,00123\n",
                                    encoding="utf-8")
    (row,) = rows_of(check(tmp_path / "x.csv"))
    assert row.values["备注"] == "00123"


def test_xlsm_is_read_and_macros_are_not_run(tmp_path):
    path = make_register(tmp_path / "r.xlsx", [GOOD], header=["序号", "登记日期", "客户姓名", "联系电话", "意向等级"])
    xlsm = tmp_path / "r.xlsm"
    xlsm.write_bytes(path.read_bytes())
    report = check(xlsm)
    assert report.kind == "register" and report.rows_accepted == 1


def test_the_qudao_sheet_decides_the_kind(tmp_path):
    from qudao.schema import get_kind
    from qudao.write.workbook import build

    wb = build(get_kind("register"), {"渠道名称": "雪域物业", "报送日期": dt.date(2026, 11, 27)})
    ws = wb["意向客户登记"]
    for c, v in enumerate(["", dt.date(2026, 11, 3), "张三", "13812345678"], start=1):
        ws.cell(row=5, column=c, value=v or None)
    ws.cell(row=5, column=11, value="A")
    path = tmp_path / "t.xlsx"
    wb.save(path)
    report = check(path)
    assert (report.kind, report.version) == ("register", 1)
    assert report.block["渠道名称"] == "雪域物业"
    assert report.rows_read == 1 and report.rows_accepted == 1


def test_unknown_headers_are_kind_unknown(tmp_path):
    wb = Workbook()
    wb.active.append(["品名", "数量", "单价"])
    wb.active.append(["苹果", 3, 5])
    wb.save(tmp_path / "x.xlsx")
    report = check(tmp_path / "x.xlsx")
    assert codes(report) == ["file.kind_unknown"] and report.kind is None and report.rows_read == 0


def test_forced_kind_with_no_header_row(tmp_path):
    wb = Workbook()
    wb.active.append(["品名", "数量"])
    wb.save(tmp_path / "x.xlsx")
    report = check(tmp_path / "x.xlsx", kind="register")
    assert codes(report) == ["header.missing"]


@pytest.mark.parametrize("value, code", [
    ("2026-13-45", "value.type"), ("E", "value.enum"), ("13812", "phone.format"),
])
def test_cell_level_errors_name_the_cell(tmp_path, value, code):
    line = [1, "2026-11-03", "张三", "13812345678", "A"]
    line[{"value.type": 1, "value.enum": 4, "phone.format": 3}[code]] = value
    report = check(make_register(tmp_path / "r.xlsx", [line], header=["序号", "登记日期", "客户姓名", "联系电话", "意向等级"]))
    (f,) = [f for f in report.findings if f.severity == "error"]
    assert f.code == code and f.row == 5 and f.cell[1:] == "5" and f.sheet == "意向客户登记"
    assert value in f.message or value in str(f.value)
    assert report.rows_rejected == 1


def test_as_of_is_used_without_a_report_date(tmp_path):
    path = make_register(tmp_path / "r.xlsx", [[1, "2026-11-30", "张三", "13812345678", "A"]],
                         header=["序号", "登记日期", "客户姓名", "联系电话", "意向等级"], block={"渠道名称": "x"})
    assert "date.future" in codes(check(path, as_of=AS_OF))
    assert "date.future" not in codes(check(path, as_of=dt.date(2026, 12, 31)))


def _sheets_workbook(path, sheets, hidden=()):
    """One register table per sheet: {sheet name: (channel in the sheet's header block, rows)}."""
    wb = Workbook()
    wb.remove(wb.active)
    for name, (channel, rows) in sheets.items():
        ws = wb.create_sheet(name)
        if not channel:
            ws["A1"] = "本表每周五报送；登记日期、客户姓名、联系电话、意向等级必填"
            continue
        ws.append(["渠道名称：", channel, "渠道类型：", "物业", "报送日期：", "2026-11-20"])
        ws.append(["序号", "登记日期", "客户姓名", "联系电话", "意向等级"])
        for i, r in enumerate(rows, 1):
            ws.append([i, *r])
        if name in hidden:
            ws.sheet_state = "hidden"
    wb.save(path)
    return path


def test_every_sheet_holding_the_table_is_read(tmp_path):
    path = _sheets_workbook(tmp_path / "r.xlsx", {
        "说明": ("", []),
        "10月": ("雪域物业", [["2026-10-05", "张三", "13800000001", "A"]]),
        "11月": ("雪域物业", [["2026-11-05", "李四", "13800000002", "B"], ["2026-11-06", "张三", "13800000001", "A"]]),
        "旧表备份": ("雪域物业", [["2026-09-01", "王五", "13800000003", "C"]]),
    }, hidden=("旧表备份",))
    report = check(path)
    assert [(t.sheet, len(t.rows)) for t in report.tables_for("意向客户登记")] == [("10月", 1), ("11月", 2)]
    assert (report.rows_read, report.rows_accepted) == (3, 3)
    (dup,) = [f for f in report.findings if f.code == "register.duplicate"]
    assert (dup.sheet, dup.cell) == ("11月", "D4") and "「10月」第 3 行" in dup.message


def test_one_sheet_per_channel_takes_each_sheets_header_block(tmp_path, runner):
    import json

    path = _sheets_workbook(tmp_path / "分所汇总.xlsx", {
        "雪域物业": ("雪域物业", [["2026-11-05", "李四", "13800000002", "B"]]),
        "圣城旅行社": ("圣城旅行社", [["2026-11-06", "赵六", "13800000004", "A"],
                                 ["2026-11-07", "李四", "13800000002", "A"]]),
    })
    out = tmp_path / "s.json"
    result = invoke(runner, "summarize", path, "--json", out, "--as-of", AS_OF.isoformat(), "-q")
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert {r["channel"]: (r["registrations"], r["customers"], r["conflicts"]) for r in data["by_channel"]} == {
        "雪域物业": (1, 1, 0), "圣城旅行社": (2, 1, 1)}
    assert [(c["winner"], c["loser"]) for c in data["conflicts"]] == [("雪域物业", "圣城旅行社")]


@pytest.mark.parametrize("merged", [True, False])
def test_header_over_two_rows(tmp_path, merged):
    """Group titles above sub-headers; the other headers merged down over both rows (or not merged at all)."""
    path = tmp_path / "r.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.title = "意向客户登记"
    ws.append(["意向客户登记表"])
    ws.append(["渠道名称：", "雪域物业", "联系电话：", "13900000000", "报送日期：", "2026-11-20"])
    ws.append(["序号", "登记日期", "客户姓名", "联系电话", "意向等级", "跟进情况", None, None])
    ws.append([None, None, None, None, None, "到访日期", "成交楼盘", "成交金额(万元)"])
    if merged:
        for c in "ABCDE":
            ws.merge_cells(f"{c}3:{c}4")
        ws.merge_cells("F3:H3")
    ws.append([1, "2026-11-05", "张三", "13800000001", "A", "2026-11-08", "麓湖花园", 120])
    ws.append([2, "2026-11-06", "李四", "13800000002", "B", None, None, None])
    wb.save(path)
    report = check(path)
    table = report.tables["意向客户登记"]
    assert table.header_row == 4
    assert [r.number for r in table.rows] == [5, 6]
    assert table.rows[0].values["成交金额(万元)"] == 120.0 and table.rows[0].values["成交楼盘"] == "麓湖花园"
    assert codes(report) == ["deal.incomplete"]  # 成交金额 without 成交日期: the sub-headers are columns
    assert report.block["联系电话"] == "13900000000"  # the block stops above the header


def test_signature_lines_under_the_table_are_not_rows(tmp_path):
    rows = [GOOD, [2, "2026-11-04", "李四", "13912345678", "B"], ["合计", None, "2人"], [],
            ["填表人：", "王芳", None, "报送日期：", "2026-11-20"], ["审核人:", None, None, "渠道盖章："],
            ["备注：本表每周五报送"]]
    path = make_register(tmp_path / "r.xlsx", rows, header=["序号", "登记日期", "客户姓名", "联系电话", "意向等级"],
                         block={"渠道名称": "雪域物业"})
    report = check(path)
    assert (report.rows_read, report.rows_accepted, report.rows_rejected, report.rows_skipped) == (3, 2, 0, 1)
    assert report.findings == []
    assert report.block["报送日期"] == dt.date(2026, 11, 20)  # taken from the signature line


def test_note_lines_between_rows_are_not_rows_either(tmp_path):
    """After `fill` appended below a signature line, the line sits between rows."""
    rows = [GOOD, ["填表人：", "王芳"], [2, "2026-11-04", "李四", "13912345678", "B"], [None, "2026-11-05", "王五"]]
    report = check(make_register(tmp_path / "r.xlsx", rows, header=["序号", "登记日期", "客户姓名", "联系电话", "意向等级"]))
    assert [r.number for r in rows_of(report)] == [5, 7, 8]
    assert report.rows_read == 3 and codes(report) == ["value.required", "value.required"]  # row 8 is data
