"""fill, carry-over and annotate (the agreement text: test_agreement.py)."""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

import pytest
from conftest import AS_OF, check, invoke, soffice_convert
from openpyxl import load_workbook
from test_kinds import fill as fill_openpyxl
from test_kinds import new

D = dt.date


def webform(path: Path, n: int, bad: dict[int, str] | None = None, encoding: str = "utf-8-sig") -> Path:
    """A web-form export: its own column order, aliases, numeric phones, 2026/11/3 dates."""
    rng = random.Random(n)
    lines = ["提交编号,姓名,手机号,报备日期,意向项目,预算（万元）,客户等级,来访日期,微信号"]
    for i in range(1, n + 1):
        phone = "1" + rng.choice("3589") + "".join(rng.choice("0123456789") for _ in range(9))
        cells = [str(1000 + i), f"客户{i}", f"{int(phone)}.0" if i % 3 == 0 else phone,
                 f"2026/11/{1 + i % 20}", rng.choice(("麓湖花园", "天府云城")), str(rng.randrange(60, 400)),
                 rng.choice("ABCD"), "", f"wx{i}"]
        if bad and i in bad:
            field, value = bad[i].split("=")
            cells[{"phone": 2, "date": 3, "grade": 6}[field]] = value
        lines.append(",".join(cells))
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


@pytest.mark.slow
def test_webform_csv_fills_a_clean_register(runner, tmp_path):
    data = webform(tmp_path / "表单.csv", 20, bad={4: "phone=1381234", 9: "date=2026/13/40", 15: "grade=Z"},
                   encoding="gb18030")
    out = tmp_path / "登记表.xlsx"
    result = invoke(runner, "fill", "register", "--from", data, "-o", out, "--set", "渠道名称=网络表单",
                    "--set", "报送日期=2026-11-27", "--set", "所属分所=拉萨分所")
    assert result.exit_code == 1, result.output  # three rows not written
    assert "忽略未识别的列：「提交编号」「微信号」" in result.output
    assert "C5" in result.output and "D10" in result.output and "G16" in result.output  # rows of 表单.csv
    assert result.output.splitlines()[-1] == f"已写入 {out}：意向客户登记表「意向客户登记」17 行；3 行有错误，未写入"
    report = check(out, as_of=AS_OF)
    assert report.findings == [] and report.rows_accepted == 17 and report.kind == "register"
    rows = report.tables["意向客户登记"].rows
    assert rows[0].values["登记日期"] == D(2026, 11, 2) and rows[2].values["联系电话"].isdigit()
    assert report.block["渠道名称"] == "网络表单" and report.block["所属分所"] == "拉萨分所"
    ws = load_workbook(out)["意向客户登记"]
    assert ws["A5"].value == 1 and ws["A21"].value == 17  # 序号 continues


@pytest.mark.slow
def test_a_150_row_export_becomes_150_registrations(runner, tmp_path):
    data = webform(tmp_path / "export.csv", 150)
    out = tmp_path / "inbox" / "网络表单.xlsx"
    out.parent.mkdir()  # fill writes into a folder that exists (issue 25)
    result = invoke(runner, "fill", "register", "--from", data, "-o", out, "--set", "渠道名称=网络表单",
                    "--set", "渠道类型=旅行社", "--set", "报送日期=2026-11-27")
    assert result.exit_code == 0, result.output
    assert "150 行" in result.output
    validated = json.loads(invoke(runner, "validate", out, "--format", "json", "--as-of", AS_OF).output)
    assert validated["totals"]["errors"] == 0 and validated["totals"]["rows_accepted"] == 150
    summary = json.loads(invoke(runner, "summarize", out.parent, "--json", "-", "--as-of", AS_OF).output)
    assert summary["totals"]["registrations"] == 150
    ws = load_workbook(out)["意向客户登记"]
    dv_ranges = " ".join(str(dv.sqref) for dv in ws.data_validations.dataValidation)
    assert "K5:K" in dv_ranges  # the dropdown on 意向等级 is still there
    assert ws["B154"].number_format == "yyyy-mm-dd" and ws["D154"].number_format == "@"


def test_fill_into_a_sheet_with_a_total_and_a_signature_line(runner, tmp_path):
    from conftest import make_register

    target = make_register(tmp_path / "手填.xlsx", [
        [1, "2026-11-03", "张三", "13812345678", "A"], ["合计", None, "1人"], [],
        ["填表人：", "王芳", None, "报送日期：", "2026-11-27"]], header=["序号", "登记日期", "客户姓名", "联系电话", "意向等级"],
        block={"渠道名称": "雪域物业"})
    out = tmp_path / "out.xlsx"
    result = invoke(runner, "fill", target, "--from", webform(tmp_path / "w.csv", 3), "-o", out)
    assert result.exit_code == 0, result.output
    report = check(out, as_of=AS_OF)
    assert (report.rows_read, report.rows_accepted, report.rows_skipped) == (5, 4, 1) and report.findings == []
    ws = load_workbook(out)["意向客户登记"]
    assert ws["A7"].value == "填表人：" and ws["C8"].value == "客户1"  # new rows below the signature line


@pytest.mark.slow
def test_fill_from_json_and_xlsx(runner, tmp_path):
    items = [{"客户姓名": "张三", "联系电话": 13812345678, "登记日期": "2026-11-03", "意向等级": "a"},
             {"客户姓名": "李四", "联系电话": "139-1234-5678", "登记日期": "11月4日", "意向等级": "B"},
             {"客户姓名": "王五", "联系电话": "1391234", "登记日期": "2026-11-05", "意向等级": "B"}]
    data = tmp_path / "d.json"
    data.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "o.xlsx"
    result = invoke(runner, "fill", "register", "--from", data, "-o", out, "--set", "渠道名称=x",
                    "--set", "报送日期=2026-11-27")
    assert result.exit_code == 1 and "第 3 条记录" in result.output
    report = check(out)
    assert [r.values["意向等级"] for r in report.tables["意向客户登记"].rows] == ["A", "B"]
    # an xlsx export with a title row and an extra sheet
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "说明"
    wb.active["A1"] = "导出说明"
    ws = wb.create_sheet("导出")
    ws.append(["客户管理系统导出"])
    ws.append(["姓名", "电话", "登记时间", "等级"])
    ws.append(["赵六", "13712345678", dt.datetime(2026, 11, 6, 10, 30), "C"])
    wb.save(tmp_path / "export.xlsx")
    out2 = tmp_path / "o2.xlsx"
    assert invoke(runner, "fill", "register", "--from", tmp_path / "export.xlsx", "-o", out2, "--set",
                  "渠道名称=x").exit_code == 0
    assert check(out2).rows_accepted == 1
    result = invoke(runner, "fill", "register", "--from", tmp_path / "export.xlsx", "--sheet", "没有", "-o",
                    tmp_path / "o3.xlsx")
    assert result.exit_code == 2 and "没有工作表" in result.output


@pytest.mark.slow
def test_fill_into_an_existing_half_filled_workbook(runner, tmp_path):
    event = fill_openpyxl(new(runner, "event", tmp_path / "e.xlsx"), "物料清单", [{"物料": "易拉宝", "数量": 4, "单价(元)": 120}])
    original = event.read_bytes()
    data = tmp_path / "materials.csv"
    data.write_text("物料,数量,单价\n楼书,200,15\n礼品,50,30.5\n", encoding="utf-8")
    out = tmp_path / "e2.xlsx"
    result = invoke(runner, "fill", event, "--from", data, "-o", out)
    assert result.exit_code == 0, result.output
    assert event.read_bytes() == original  # the input is never modified
    ws = load_workbook(out)["物料清单"]
    assert [ws.cell(row=r, column=1).value for r in (3, 4, 5)] == ["易拉宝", "楼书", "礼品"]
    assert ws["D4"].value == '=IF(OR(B4="",C4=""),"",B4*C4)' and ws["D5"].value.startswith("=IF(OR(B5")
    assert load_workbook(out)["_qudao"]["B1"].value == "event"
    plan = tmp_path / "plan.xlsx"
    invoke(runner, "new-plan", "--type", "西藏本地", "--branch", "拉萨分所", "--city", "拉萨", "--start", "2026-09-21",
           "--owner", "王芳", "-o", plan)
    extra = tmp_path / "more.csv"
    extra.write_text("阶段,工作事项,负责人,计划开始,计划完成,状态\n推广活动,第二场推介会,王芳,2026-12-14,2026-12-18,未开始\n",
                     encoding="utf-8")
    out_plan = tmp_path / "plan2.xlsx"
    assert invoke(runner, "fill", plan, "--from", extra, "-o", out_plan).exit_code == 0
    ws = load_workbook(out_plan)["工作计划"]
    assert ws["B17"].value == "推广活动" and ws["A17"].value == 12 and ws["H17"].value.startswith("=IF(OR(F17")
    cf = [str(c.sqref) for c in ws.conditional_formatting]
    # the Gantt still covers the pre-formatted rows (11 tasks + 20 spare rows from row 6)
    assert cf and all(int(ref.split(":")[1].lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")) >= 36 for ref in cf)
    assert len(ws.data_validations.dataValidation) >= 3


@pytest.mark.libreoffice
def test_libreoffice_recomputes_extended_formulas(runner, tmp_path):
    event = new(runner, "event", tmp_path / "e.xlsx")
    data = tmp_path / "m.csv"
    data.write_text("物料,数量,单价(元)\n" + "".join(f"物料{i},{i},10\n" for i in range(1, 61)), encoding="utf-8")
    out = tmp_path / "filled.xlsx"
    assert invoke(runner, "fill", event, "--from", data, "-o", out).exit_code == 0
    report = check(soffice_convert(out, "xlsx", tmp_path / "lo"))
    rows = report.tables["物料清单"].rows
    assert len(rows) == 60 and [r.values["小计(元)"] for r in rows] == [10.0 * i for i in range(1, 61)]


@pytest.mark.slow
def test_fill_in_place_keeps_a_backup_and_refuses_other_formats(runner, tmp_path):
    target = fill_openpyxl(new(runner, "qa", tmp_path / "qa.xlsx"), "洽谈百问", [{"问题": "第一问", "分类": "其他"}])
    before = target.read_bytes()
    data = tmp_path / "q.csv"
    data.write_text("分类,问题,应答要点\n佣金政策,佣金何时结算？,开发商回款后 30 天内\n", encoding="utf-8")
    assert invoke(runner, "fill", target, "--from", data).exit_code == 2  # neither -o nor --in-place
    result = invoke(runner, "fill", target, "--from", data, "--in-place")
    assert result.exit_code == 0 and ".bak" in result.output
    assert (tmp_path / "qa.xlsx.bak").read_bytes() == before
    assert check(target).rows_accepted == 2
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    result = invoke(runner, "fill", tmp_path / "old.xls", "--from", data, "-o", tmp_path / "x.xlsx")
    assert result.exit_code == 2 and "另存为 .xlsx" in result.output
    assert invoke(runner, "fill", "register", "--from", tmp_path / "missing.csv", "-o", tmp_path / "y.xlsx").exit_code == 2


# --------------------------------------------------------------------------- carry-over


@pytest.mark.slow
def test_feedback_carry_over(runner, tmp_path):
    last = new(runner, "feedback", tmp_path / "W48.xlsx", "分所=拉萨分所", "填报人=王芳", "周次=2026-W48",
               "填报日期=2026-11-27")
    fill_openpyxl(last, "工作进展", [
        {"工作事项": "商会洽谈", "本周进展": "签了", "完成度(%)": 100, "状态": "已完成"},
        {"工作事项": "推介会筹备", "本周进展": "物料下单", "完成度(%)": 60, "状态": "进行中", "下周计划": "确认名单"},
        {"工作事项": "物业走访", "本周进展": "约了时间", "完成度(%)": 10, "状态": "延期"}])
    fill_openpyxl(last, "客户内容", [
        {"客户姓名": "张三", "联系电话": "13812345678", "最近跟进日期": D(2026, 11, 25), "下次跟进日期": D(2026, 12, 1)},
        {"客户姓名": "李四", "联系电话": "13912345678", "最近跟进日期": D(2026, 11, 25), "下次跟进日期": D(2026, 12, 8)},
        {"客户姓名": "王五", "联系电话": "13712345678", "最近跟进日期": D(2026, 11, 25), "下次跟进日期": D(2026, 11, 29)},
        {"客户姓名": "赵六", "联系电话": "13612345678", "最近跟进日期": D(2026, 11, 25), "下次跟进日期": D(2026, 12, 6)},
        {"客户姓名": "孙七", "联系电话": "13512345678", "最近跟进日期": D(2026, 11, 20), "下次跟进日期": D(2026, 11, 24),
         "跟进状态": "已成交"},
        {"客户姓名": "周八", "联系电话": "13412345678", "最近跟进日期": D(2026, 11, 20), "下次跟进日期": D(2026, 11, 26),
         "跟进状态": "已放弃"}])
    out = tmp_path / "W49.xlsx"
    result = invoke(runner, "fill", "feedback", "--carry", last, "-o", out)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].endswith("结转 工作进展 2 行，客户内容 4 行")
    assert "其中 1 位客户已过下次跟进日期（逾期），已排在最前并标红" in result.output
    assert "不再结转：已完成 1 项，客户已成交 1 项，客户已放弃 1 项" in result.output
    report = check(out, as_of=D(2026, 12, 4))
    progress = [r.values for r in report.tables["工作进展"].rows]
    assert [p["工作事项"] for p in progress] == ["推介会筹备", "物业走访"]
    assert [p.get("完成度(%)") for p in progress] == [60, 10] and all("本周进展" not in p for p in progress)
    # every customer still followed up is carried, whatever its next date; the overdue one first, marked red
    assert [c.values["客户姓名"] for c in report.tables["客户内容"].rows] == ["王五", "张三", "李四", "赵六"]
    from openpyxl import load_workbook

    ws = load_workbook(out)["客户内容"]
    marked = [c for row in ws.iter_rows() for c in row if c.comment and "逾期" in c.comment.text]
    assert [(c.value.date(), c.fill.fgColor.rgb) for c in marked] == [(D(2026, 11, 29), "00FFC7CE")]
    assert report.block["周次"] == "2026-W49" and report.block["填报日期"] == D(2026, 12, 4)
    assert report.block["分所"] == "拉萨分所" and report.block["填报人"] == "王芳"
    # 本周进展 is required: the new sheet asks for it until it is filled
    assert sorted({f.column for f in report.findings if f.code == "value.required"}) == ["本周进展"]
    out2 = tmp_path / "W50.xlsx"
    invoke(runner, "fill", "feedback", "--carry", last, "-o", out2, "--week", "2026-W50")
    assert check(out2).block["周次"] == "2026-W50"
    assert [c.values["客户姓名"] for c in check(out2).tables["客户内容"].rows] == ["王五", "张三", "赵六", "李四"]


@pytest.mark.slow
def test_plan_and_handoff_carry_over(runner, tmp_path):
    handoff = fill_openpyxl(new(runner, "handoff", tmp_path / "h.xlsx", "分所=拉萨分所", "填表日期=2026-11-20"), "对接事项", [
        {"对接事项": "完成了", "分所负责人": "王芳", "提出日期": D(2026, 11, 1), "要求完成日期": D(2026, 11, 10),
         "状态": "已完成", "实际完成日期": D(2026, 11, 9)},
        {"对接事项": "取消了", "分所负责人": "王芳", "提出日期": D(2026, 11, 1), "要求完成日期": D(2026, 11, 10), "状态": "取消"},
        {"对接事项": "还在做", "分所负责人": "王芳", "提出日期": D(2026, 11, 1), "要求完成日期": D(2026, 11, 30),
         "状态": "受阻", "进展说明": "等总部回复"}])
    out = tmp_path / "h2.xlsx"
    assert invoke(runner, "fill", "handoff", "--carry", handoff, "-o", out, "--as-of", "2026-11-27").exit_code == 0
    report = check(out)
    assert [(r.values["对接事项"], r.values["进展说明"]) for r in report.tables["对接事项"].rows] == [("还在做", "等总部回复")]
    assert report.block["填表日期"] == D(2026, 11, 27) and report.block["分所"] == "拉萨分所"
    plan = tmp_path / "plan.xlsx"
    invoke(runner, "new-plan", "--type", "成都本地", "--branch", "总部", "--city", "成都", "--start", "2026-09-21",
           "--owner", "李强", "-o", plan)
    wb = load_workbook(plan)
    wb["工作计划"]["J6"] = "已完成"
    wb["工作计划"]["K6"] = dt.datetime(2026, 9, 25)
    wb["工作计划"]["J7"] = "取消"
    wb.save(plan)
    out_plan = tmp_path / "plan2.xlsx"
    assert invoke(runner, "fill", "plan", "--carry", plan, "-o", out_plan, "--as-of", "2026-10-15").exit_code == 0
    before = check(plan, as_of=D(2026, 10, 15)).tables["工作计划"].rows
    after = check(out_plan, as_of=D(2026, 10, 15))
    assert [r.values["工作事项"] for r in after.tables["工作计划"].rows] == [r.values["工作事项"] for r in before[2:]]
    assert after.block["编制日期"] == D(2026, 10, 15) and after.errors == 0
    result = invoke(runner, "fill", "register", "--carry", plan, "-o", tmp_path / "x.xlsx")
    assert result.exit_code == 2 and "只适用于" in result.output
