"""Every kind: generate → fill with openpyxl → validate; each rule failing and passing; the plan."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import AS_OF, ROOT, check, invoke, soffice_convert
from openpyxl import load_workbook

from qudao.schema import all_kinds, get_kind

D = dt.date


def new(runner, kind: str, path: Path, *sets: str) -> Path:
    args = ["new", kind, "-o", path, "--force"]
    for s in sets:
        args += ["--set", s]
    result = invoke(runner, *args)
    assert result.exit_code == 0, result.output
    return path


def fill(path: Path, sheet: str, rows: list[dict], out: Path | None = None) -> Path:
    """Write rows under the header row with plain openpyxl (not qudao's own fill)."""
    wb = load_workbook(path)
    ws = wb[sheet]
    header_row = next(r for r in range(1, 30)
                      if sum(1 for c in ws[r] if isinstance(c.value, str) and c.value) >= 2 and
                      not str(ws.cell(row=r, column=1).value or "").endswith("："))
    cols = {c.value: c.column for c in ws[header_row] if isinstance(c.value, str)}
    for i, row in enumerate(rows, start=1):
        for header, value in row.items():
            ws.cell(row=header_row + i, column=cols[header], value=value)
    wb.save(out or path)
    return out or path


def codes(report, severity=None):
    return sorted(f.code for f in report.findings if severity is None or f.severity == severity)


SAMPLES = {
    "handoff": ("对接事项", [{"事项类别": "楼盘资料", "对接事项": "价格表", "分所负责人": "王芳", "提出日期": D(2026, 11, 20),
                          "要求完成日期": D(2026, 11, 30), "状态": "进行中", "优先级": "高"}]),
    "feedback": ("工作进展", [{"工作事项": "商会洽谈", "本周进展": "已提交协议", "完成度(%)": 60, "状态": "进行中"}]),
    "negotiation": ("谈判跟进", [{"楼盘名称": "麓湖花园", "开发商": "麓湖置业", "我方负责人": "李强", "当前阶段": "方案提报",
                              "最近跟进日期": D(2026, 11, 25), "签约概率(%)": 40}]),
    "screening": ("楼盘筛选", [{"楼盘名称": "麓湖花园", "开发商": "麓湖置业", "区位评分": 4, "价格评分": 3, "产品评分": 5,
                            "开发商评分": 4, "佣金评分": 3, "去化评分": 4}]),
    "expansion": ("渠道拓展", [{"渠道名称": "拉萨雪域物业", "渠道类型": "物业", "渠道等级": "C", "初访日期": D(2026, 10, 1),
                            "洽谈演示日期": D(2026, 10, 8), "本月拜访次数": 2}]),
    "agencies": ("中介机构", [{"机构名称": "房友中介", "机构类型": "二手中介", "合作状态": "已合作", "报备客户数": 12}]),
    "affiliates": ("关联企业", [{"企业名称": "西藏建工集团", "关联类型": "合作单位", "合作状态": "洽谈中", "推荐客户数": 3}]),
    "survey": ("调查记录", [{"调查日期": D(2026, 10, 12), "年龄段": "35-44岁", "家庭年收入": "20-50万", "购房意向": "有",
                         "了解渠道": "单位"}]),
    "event": ("物料清单", [{"物料": "易拉宝", "数量": 4, "单价(元)": 120.5}]),
    "agreements": ("协议台账", [{"协议编号": "QD-1", "渠道名称": "拉萨雪域物业", "生效日期": D(2026, 10, 1),
                             "到期日期": D(2027, 9, 30), "状态": "有效", "保护期(天)": 45}]),
    "dev-process": ("洽谈流程", []),
    "qa": ("洽谈百问", [{"分类": "佣金政策", "问题": "佣金按什么基数计算？", "适用对象": "开发商"}]),
    "plan": ("工作计划", [{"阶段": "渠道拓展", "工作事项": "走访物业", "负责人": "王芳", "计划开始": D(2026, 11, 23),
                          "计划完成": D(2026, 11, 27), "状态": "进行中"}]),
    "targets": ("渠道目标", [{"考核期间": "2026Q4", "渠道名称": "拉萨雪域物业", "所属分所": "拉萨分所", "登记目标": 30,
                          "到访目标": 12, "成交套数目标": 3, "成交金额目标(万元)": 450.5}]),
    "scores": ("考核评分", [{"考核期间": "2026Q4", "渠道名称": "拉萨雪域物业", "服务质量/满意度": 4, "市场开发": 3,
                         "配合度": 5, "培训参与": 4, "评语": "配合积极", "评分人": "李强", "评分日期": D(2027, 1, 6)}]),
    "payments": ("结佣记录", [{"付款编号": "FK-1", "渠道名称": "拉萨雪域物业", "客户姓名": "周杰", "联系电话": "138****0001",
                           "付款日期": D(2026, 11, 20), "付款金额(万元)": 2.24, "付款方式": "银行转账"}]),
}


@pytest.mark.slow
@pytest.mark.parametrize("kind_id", sorted(SAMPLES))
def test_generate_fill_validate_clean(runner, tmp_path, kind_id):
    sheet, rows = SAMPLES[kind_id]
    path = fill(new(runner, kind_id, tmp_path / f"{kind_id}.xlsx"), sheet, rows)
    report = check(path)
    assert report.kind == kind_id and report.version == get_kind(kind_id).version
    assert codes(report, "error") == [] and codes(report, "warning") == [], report.findings
    assert report.rows_rejected == 0
    expected = len(rows) + (9 if kind_id == "dev-process" else 0) + (6 if kind_id == "screening" else 0)
    assert report.rows_accepted == expected


@pytest.mark.slow
def test_every_kind_is_recognised_without_the_qudao_sheet(runner, tmp_path):
    for kind_id, (sheet, rows) in SAMPLES.items():
        if not rows:
            continue
        path = fill(new(runner, kind_id, tmp_path / f"{kind_id}.xlsx"), sheet, rows)
        wb = load_workbook(path)
        del wb["_qudao"]
        wb.save(path)
        assert check(path).kind == kind_id, kind_id


@pytest.mark.slow
def test_templates_carry_their_canonical_headers(runner, tmp_path):
    for kind in all_kinds():
        if kind.generated or kind.id == "plan":
            continue
        wb = load_workbook(new(runner, kind.id, tmp_path / f"{kind.id}.xlsx"))
        assert [s for s in wb.sheetnames if not s.startswith("_") and s != "填写说明"] == list(kind.sheet_names)
        for table in kind.tables:
            ws = wb[table.sheet]
            rows = [[c.value for c in row] for row in ws.iter_rows(max_row=12)]
            assert any(row[:len(table.headers)] == list(table.headers) for row in rows), (kind.id, table.sheet)


# --------------------------------------------------------------------------- rules, failing and passing


def test_task_overdue(runner, tmp_path):
    path = fill(new(runner, "handoff", tmp_path / "h.xlsx"), "对接事项", [
        {"对接事项": "逾期", "分所负责人": "王芳", "提出日期": D(2026, 11, 1), "要求完成日期": D(2026, 11, 10), "状态": "进行中"},
        {"对接事项": "已完成", "分所负责人": "王芳", "提出日期": D(2026, 11, 1), "要求完成日期": D(2026, 11, 10),
         "状态": "已完成", "实际完成日期": D(2026, 11, 9)},
        {"对接事项": "未到期", "分所负责人": "王芳", "提出日期": D(2026, 11, 1), "要求完成日期": D(2026, 12, 10), "状态": "未开始"},
    ])
    report = check(path, as_of=AS_OF)
    (f,) = [f for f in report.findings if f.code == "task.overdue"]
    assert f.row == 4 + 1 and "已逾期 17 天" in f.message and f.severity == "warning"
    assert codes(check(path, as_of=D(2026, 11, 9))) == []


@pytest.mark.slow
def test_required_when_done(runner, tmp_path):
    path = fill(new(runner, "handoff", tmp_path / "h.xlsx"), "对接事项", [
        {"对接事项": "x", "分所负责人": "王芳", "提出日期": D(2026, 11, 1), "要求完成日期": D(2026, 12, 10), "状态": "已完成"}])
    report = check(path)
    assert [(f.code, f.column) for f in report.findings] == [("value.required", "实际完成日期")]
    assert report.rows_rejected == 1


@pytest.mark.slow
def test_followup_stale_negotiation_and_feedback(runner, tmp_path):
    path = fill(new(runner, "negotiation", tmp_path / "n.xlsx", "填表日期=2026-11-27"), "谈判跟进", [
        {"楼盘名称": "A", "开发商": "x", "我方负责人": "李强", "当前阶段": "条件谈判", "最近跟进日期": D(2026, 11, 1)},
        {"楼盘名称": "B", "开发商": "x", "我方负责人": "李强", "当前阶段": "已搁置", "最近跟进日期": D(2026, 9, 1)},
        {"楼盘名称": "C", "开发商": "x", "我方负责人": "李强", "当前阶段": "方案提报", "最近跟进日期": D(2026, 11, 20)},
    ])
    assert [(f.code, f.row) for f in check(path).findings] == [("followup.stale", 4)]
    fb = new(runner, "feedback", tmp_path / "f.xlsx", "填报日期=2026-11-27")
    fill(fb, "客户内容", [
        {"客户姓名": "张三", "联系电话": "13812345678", "最近跟进日期": D(2026, 11, 1), "意向等级": "A"},
        {"客户姓名": "李四", "联系电话": "13912345678", "最近跟进日期": D(2026, 11, 1), "意向等级": "C"},
        {"客户姓名": "王五", "联系电话": "13712345678", "最近跟进日期": D(2026, 11, 20), "意向等级": "B"},
    ])
    stale = [f for f in check(fb).findings if f.code == "followup.stale"]
    assert [(f.sheet, f.row) for f in stale] == [("客户内容", 3)] and "26 天" in stale[0].message


@pytest.mark.slow
def test_stage_regressed_between_files(runner, tmp_path):
    a = fill(new(runner, "negotiation", tmp_path / "a-W47.xlsx", "填表日期=2026-11-20"), "谈判跟进", [
        {"楼盘名称": "麓湖花园", "开发商": "x", "我方负责人": "李强", "当前阶段": "条件谈判", "最近跟进日期": D(2026, 11, 19)},
        {"楼盘名称": "天府云城", "开发商": "y", "我方负责人": "李强", "当前阶段": "资料收集", "最近跟进日期": D(2026, 11, 19)}])
    fill(new(runner, "negotiation", tmp_path / "b-W48.xlsx", "填表日期=2026-11-27"), "谈判跟进", [
        {"楼盘名称": "麓湖花园", "开发商": "x", "我方负责人": "李强", "当前阶段": "方案提报", "最近跟进日期": D(2026, 11, 26)},
        {"楼盘名称": "天府云城", "开发商": "y", "我方负责人": "李强", "当前阶段": "已放弃", "最近跟进日期": D(2026, 11, 26)}])
    result = invoke(runner, "validate", tmp_path, "--format", "json", "--as-of", AS_OF)
    data = json.loads(result.output)
    found = [(item["path"].rsplit("/", 1)[-1], f["code"], f["cell"]) for item in data["files"] for f in item["findings"]]
    assert found == [("b-W48.xlsx", "stage.regressed", "J4")]
    assert a.exists() and result.exit_code == 0  # a warning: nothing rejected


@pytest.mark.slow
def test_visits_below_minimum_and_steps_order(runner, tmp_path):
    path = fill(new(runner, "expansion", tmp_path / "e.xlsx"), "渠道拓展", [
        {"渠道名称": "A", "渠道类型": "物业", "渠道等级": "A", "本月拜访次数": 4},
        {"渠道名称": "B", "渠道类型": "物业", "渠道等级": "C", "本月拜访次数": 2},
        {"渠道名称": "C", "渠道类型": "物业", "初访日期": D(2026, 10, 10), "洽谈演示日期": D(2026, 10, 5)},
        {"渠道名称": "D", "渠道类型": "物业", "初访日期": D(2026, 10, 1), "协议签订日期": D(2026, 10, 20),
         "首批客户日期": D(2026, 10, 15)},
        {"渠道名称": "E", "渠道类型": "物业", "初访日期": D(2026, 10, 1), "协议签订日期": D(2026, 10, 20),
         "首批客户日期": D(2026, 11, 15)},
    ])
    found = [(f.code, f.row, f.column) for f in check(path).findings]
    assert found == [("visits.below_minimum", 5, "本月拜访次数"), ("steps.order", 7, "洽谈演示日期"),
                     ("steps.order", 8, "首批客户日期")]
    assert "还没有签订" in check(path).findings[-1].message


@pytest.mark.slow
@pytest.mark.parametrize("day, found, message", [
    # A channel (minimum 5) with 2 visits: on 11-06 it is on pace (ceil(5 × 6/30) = 1), on 11-15 behind
    # (ceil(2.5) = 3), on 11-30 (the month's last day) the whole minimum is due
    (D(2026, 11, 6), [], None),
    (D(2026, 11, 15), [("visits.below_minimum", 5)],
     "A 级渠道「甲」本月拜访 2 次，每月规定至少 5 次，按进度本月此时（11月15日）应至少拜访 3 次"),
    (D(2026, 11, 30), [("visits.below_minimum", 5)], "A 级渠道「甲」本月拜访 2 次，每月规定至少 5 次"),
])
def test_visit_minimum_is_judged_by_pace_before_month_end(runner, tmp_path, day, found, message):
    path = fill(new(runner, "expansion", tmp_path / "e.xlsx", f"填表日期={day.isoformat()}"), "渠道拓展", [
        {"渠道名称": "甲", "渠道类型": "物业", "渠道等级": "A", "本月拜访次数": 2}])
    report = check(path, as_of=D(2026, 12, 31))
    assert [(f.code, f.row) for f in report.findings] == found
    if message:
        assert report.findings[0].message == message


def test_agreement_rules(runner, tmp_path):
    base = {"渠道名称": "x", "生效日期": D(2025, 12, 1), "状态": "有效"}
    path = fill(new(runner, "agreements", tmp_path / "a.xlsx"), "协议台账", [
        {**base, "协议编号": "A1", "到期日期": D(2026, 12, 10)},  # expiring in 13 days
        {**base, "协议编号": "A2", "到期日期": D(2026, 11, 20)},  # expired but 有效: a warning (the dates govern)
        {**base, "协议编号": "A3", "到期日期": D(2027, 11, 20)},  # fine
        {**base, "协议编号": "A3", "到期日期": D(2027, 11, 20)},  # duplicate number
        {**base, "协议编号": "A5", "到期日期": D(2026, 11, 20), "状态": "到期"},  # expired and says so
    ])
    report = check(path, as_of=AS_OF)
    assert [(f.code, f.row) for f in report.findings] == [
        ("agreement.expiring", 3), ("agreement.expired_active", 4), ("agreement.duplicate_id", 6)]
    assert [(f.severity, f.cell) for f in report.findings if f.code == "agreement.expired_active"] == [("warning", "M4")]
    assert report.rows_rejected == 1  # only the duplicate number: an expired 有效 row still prices its term


def test_weights_sum(runner, tmp_path):
    path = new(runner, "screening", tmp_path / "s.xlsx")
    assert codes(check(path)) == []
    wb = load_workbook(path)
    wb["权重"]["B2"] = 30
    wb.save(path)
    report = check(path)
    assert [(f.code, f.sheet, f.severity) for f in report.findings] == [("weights.sum", "权重", "error")]
    assert "110" in report.findings[0].message


@pytest.mark.slow
def test_date_order_in_plan(runner, tmp_path):
    path = fill(new(runner, "plan", tmp_path / "p.xlsx"), "工作计划", [
        {"阶段": "x", "工作事项": "y", "负责人": "王芳", "计划开始": D(2026, 11, 20), "计划完成": D(2026, 11, 10),
         "状态": "未开始"}])
    assert [f.code for f in check(path).findings if f.severity == "error"] == ["date.order"]


# --------------------------------------------------------------------------- the plan


def plan_file(runner, tmp_path, plan_type="西藏本地", start="2026-09-21", *extra):
    target = tmp_path / f"plan-{plan_type}.xlsx"
    result = invoke(runner, "new-plan", "--type", plan_type, "--branch", "拉萨分所", "--city", "拉萨", "--start", start,
                    "--owner", "王芳", "-o", target, *extra)
    assert result.exit_code == 0, result.output
    return target, result.output


def tasks_of(path: Path):
    report = check(path, as_of=D(2026, 9, 1))
    return report, [r.values for r in report.tables["工作计划"].rows]


@pytest.mark.parametrize("plan_type", ["西藏本地", "成都本地", "二级城市"])
def test_plan_schedule_avoids_weekends_and_holidays(runner, tmp_path, plan_type):
    import chinese_calendar

    path, output = plan_file(runner, tmp_path, plan_type)
    report, tasks = tasks_of(path)
    assert report.errors == 0 and len(tasks) >= 10
    holidays = {D(2026, 9, 25), D(2026, 9, 26), D(2026, 9, 27)} | {D(2026, 10, d) for d in range(1, 8)}
    spans_makeup = False
    for t in tasks:
        for day in (t["计划开始"], t["计划完成"]):
            assert day not in holidays and chinese_calendar.is_workday(day), (t["工作事项"], day)
            assert day.weekday() < 5 or day in (D(2026, 9, 20), D(2026, 10, 10))
        spans_makeup |= t["计划开始"] <= D(2026, 10, 10) <= t["计划完成"]
        assert t["交付物"] and t["负责人"] == "王芳" and t["状态"] == "未开始"
    assert spans_makeup  # the make-up Saturday counts as a working day
    assert "中国法定节假日" in report.block["工作日历"] and "中国法定节假日" in output
    assert report.block["计划类型"] == plan_type
    deliverables = " ".join(t["交付物"] for t in tasks)
    assert "意向客户登记表" in deliverables


@pytest.mark.slow
def test_plan_types_differ(runner, tmp_path):
    items = {}
    for plan_type in ("西藏本地", "成都本地", "二级城市"):
        _r, tasks = tasks_of(plan_file(runner, tmp_path, plan_type)[0])
        items[plan_type] = " ".join(t["工作事项"] for t in tasks)
    assert "客户调查" in items["西藏本地"] and "旅行社" in items["西藏本地"]
    assert "楼盘" in items["成都本地"] and "开发商" in items["成都本地"]
    assert "现场主题活动" in items["二级城市"]


def test_plan_for_2027_uses_holidays_from_the_config(runner, tmp_path):
    config = tmp_path / "qudao.toml"
    spring = [D(2027, 2, 5) + dt.timedelta(days=i) for i in range(9)]  # 2027 Spring Festival, as planned
    config.write_text("[calendar]\nholidays = [" + ", ".join(f'"{d.isoformat()}"' for d in spring) + "]\n"
                      'workdays = ["2027-02-20"]\n', encoding="utf-8")
    path, output = plan_file(runner, tmp_path, "成都本地", "2027-01-25", "--config", config)
    report, tasks = tasks_of(path)
    for t in tasks:
        assert t["计划开始"] not in spring and t["计划完成"] not in spring
    assert any(t["计划开始"] <= D(2027, 2, 20) <= t["计划完成"] for t in tasks)
    assert "qudao.toml" in report.block["工作日历"]
    ws = load_workbook(path)["工作计划"]
    weeks = {ws.cell(row=5, column=c).value.date(): c for c in range(13, ws.max_column + 1)}
    spring_week = weeks[D(2027, 2, 8)]  # Monday 2-8 … Sunday 2-14: all off
    assert (ws.cell(row=3, column=spring_week).value, ws.cell(row=4, column=spring_week).value) == ("假日", 0)
    marks = [(ws.cell(row=3, column=weeks[m]).value, ws.cell(row=4, column=weeks[m]).value)
             for m in (D(2027, 2, 1), D(2027, 2, 15), D(2027, 2, 22))]
    assert marks == [("假日", 4), ("调休", 6), (None, 5)]  # 2-5 off; Saturday 2-20 a working day
    assert "calendar_warning" not in output and "警告" not in output  # 2027 is in the config: no warning
    path2, output2 = plan_file(runner, tmp_path, "二级城市", "2028-03-06")
    assert "仅排除周末" in output2
    assert ("警告：计划跨到 2028 年，内置的节假日数据只到 2026 年：2028 年只排除了周末，春节等法定节假日"
            "仍按工作日排期。请在 qudao.toml 中逐日补充放假日和调休上班日") in output2
    assert 'holidays = ["2028-01-01"]' in output2
    ws = load_workbook(path2)["工作计划"]
    assert ws["L2"].value == "甘特图：" and "2028 年没有节假日数据，只排除了周末" in ws["M2"].value
    assert ws["M3"].value == "？" and ws["M4"].value == 5
    assert "请在 qudao.toml 的 calendar.holidays / calendar.workdays 中补充" in ws["B4"].value


def test_plan_starts_on_the_first_working_day_and_shows_the_holidays(runner, tmp_path):
    path, output = plan_file(runner, tmp_path, "西藏本地", "2026-09-19")  # a Saturday; Sunday 9-20 is a 调休 workday
    report, tasks = tasks_of(path)
    assert report.block["计划周期"] == "2026-09-20 – 2026-12-09" and tasks[0]["计划开始"] == D(2026, 9, 20)
    assert "2026-09-20 – 2026-12-09" in output and "警告" not in output
    ws = load_workbook(path)["工作计划"]
    assert [ws.cell(row=5, column=c).value.date() for c in (13, 14, 15, 16)] == [
        D(2026, 9, 14), D(2026, 9, 21), D(2026, 9, 28), D(2026, 10, 5)]
    assert [ws.cell(row=3, column=c).value for c in (13, 14, 15, 16, 17)] == ["调休", "中秋", "国庆", "国庆\n调休", None]
    assert [ws.cell(row=4, column=c).value for c in (13, 14, 15, 16, 17)] == [6, 4, 3, 3, 5]
    assert ws["M3"].fill.fgColor.rgb == "00E4DFEC" and ws["N3"].fill.fgColor.rgb == "00FFE699"
    assert ws["M2"].value.endswith("；本期中秋 9/25–9/27 放假，国庆 10/1–10/7 放假，9/20（日）、10/10（六） 调休上班。")
    assert [ws[f"L{r}"].value for r in (2, 3, 4)] == ["甘特图：", "节假日：", "工作日："]
    assert ws.print_title_rows == "$3:$5" and ws.oddHeader.right.text == "计划周期：2026-09-20 – 2026-12-09"


def test_plan_usage_errors(runner, tmp_path):
    result = invoke(runner, "new-plan", "--type", "火星", "--branch", "x", "--city", "y", "--start", "2026-09-21",
                    "-o", tmp_path / "p.xlsx")
    assert result.exit_code == 2 and "--type「火星」不是可选的值：应为以下之一：西藏本地、成都本地、二级城市" in result.output
    result = invoke(runner, "new-plan", "--type", "西藏本地", "--branch", "x", "--city", "y", "--start", "someday",
                    "-o", tmp_path / "p.xlsx")
    assert result.exit_code == 2 and "--start" in result.output


def test_gantt_is_conditional_formatting_on_the_dates(runner, tmp_path):
    path, _ = plan_file(runner, tmp_path)
    ws = load_workbook(path)["工作计划"]
    rules = [(str(cf.sqref), rule.formula[0]) for cf in ws.conditional_formatting for rule in cf.rules]
    assert len(rules) == 3
    overlap = "AND($F6<>\"\",$G6<>\"\",M$5<=$G6,M$5+6>=$F6)"
    assert rules == [("M6:X36", f"AND({overlap},M$4=0)"), ("M6:X36", f'AND({overlap},$J6="已完成")'),
                     ("M6:X36", overlap)]  # grey (no working day), green, blue; 11 tasks + 20 spare rows
    assert ws["M5"].value.date() == D(2026, 9, 21) and ws["N5"].value.date() == D(2026, 9, 28)
    assert ws["H6"].value.startswith("=IF(OR(F6=\"\",G6=\"\"),\"\",NETWORKDAYS(F6,G6,qd_holidays)")


class Cells(HTMLParser):
    """Rows of (text, bgcolor) from LibreOffice's HTML export."""

    def __init__(self):
        super().__init__()
        self.rows: list[list[tuple[str, str]]] = []
        self._cell = None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag == "td" and self.rows is not None:
            attrs = dict(attrs)
            self._cell = ["", (attrs.get("bgcolor") or "").upper()]
            for _ in range(int(attrs.get("colspan") or 1) - 1):
                self.rows[-1].append(("", ""))

    def handle_data(self, data):
        if self._cell is not None:
            self._cell[0] += data

    def handle_endtag(self, tag):
        if tag == "td" and self._cell is not None:
            self.rows[-1].append((self._cell[0].strip(), self._cell[1]))
            self._cell = None


@pytest.mark.libreoffice
def test_libreoffice_computes_durations_and_draws_the_gantt(runner, tmp_path):
    from qudao.config import Settings
    from qudao.workdays import WorkCalendar

    path, _ = plan_file(runner, tmp_path)
    resaved = soffice_convert(path, "xlsx", tmp_path / "lo")
    report, tasks = tasks_of(resaved)
    calendar = WorkCalendar.from_settings(Settings())
    for t in tasks:
        assert t["工期(天)"] == calendar.count(t["计划开始"], t["计划完成"]), t["工作事项"]
    # the Gantt bars as LibreOffice paints them, week by week
    html = soffice_convert(path, "html", tmp_path / "html")
    parser = Cells()
    parser.feed(html.read_text(encoding="utf-8", errors="replace"))
    body = [row for row in parser.rows if row and re.fullmatch(r"\d+", row[0][0] or "")]
    weeks = [D(2026, 9, 21) + dt.timedelta(days=7 * i) for i in range(len(body[0]) - 12)]
    for row, task in zip(body, tasks):
        shaded = [w for w, cell in zip(weeks, row[12:]) if cell[1] == "#5B9BD5"]
        expected = [w for w in weeks if w <= task["计划完成"] and w + dt.timedelta(days=6) >= task["计划开始"]]
        assert shaded == expected, task["工作事项"]
    # editing a date moves the bar: LibreOffice recomputes from the new dates
    wb = load_workbook(path)
    wb["工作计划"]["G6"] = dt.datetime(2026, 10, 30)
    wb.save(path)
    parser = Cells()
    parser.feed(soffice_convert(path, "html", tmp_path / "html2").read_text(encoding="utf-8", errors="replace"))
    first = [row for row in parser.rows if row and row[0][0] == "1"][0]
    assert sum(1 for cell in first[12:] if cell[1] == "#5B9BD5") == 6


@pytest.mark.libreoffice
def test_libreoffice_computes_weighted_scores_and_subtotals(runner, tmp_path):
    path = fill(new(runner, "screening", tmp_path / "s.xlsx"), "楼盘筛选", SAMPLES["screening"][1] + [
        {"楼盘名称": "天府云城", "开发商": "y", "区位评分": 2, "价格评分": 2, "产品评分": 3, "开发商评分": 2, "佣金评分": 3,
         "去化评分": 2}])
    report = check(soffice_convert(path, "xlsx", tmp_path / "lo"))
    rows = [r.values for r in report.tables["楼盘筛选"].rows]
    assert [(r["加权得分"], r["推荐结论"]) for r in rows] == [(3.8, "备选"), (2.3, "不推荐")]
    event = fill(new(runner, "event", tmp_path / "e.xlsx"), "物料清单", [
        {"物料": "易拉宝", "数量": 4, "单价(元)": 120.5}, {"物料": "楼书", "数量": 200, "单价(元)": 15}])
    report = check(soffice_convert(event, "xlsx", tmp_path / "lo"))
    assert [r.values["小计(元)"] for r in report.tables["物料清单"].rows] == [482.0, 3000.0]


# --------------------------------------------------------------------------- roll-ups


@pytest.mark.slow
def test_mixed_folder_rolls_up_every_kind_and_keeps_register_figures(runner, tmp_path, fixture_inbox, expected):
    inbox = tmp_path / "inbox"
    shutil.copytree(fixture_inbox, inbox)
    others = ROOT / "samples" / "inbox"
    for path in others.rglob("*.xlsx"):
        if "登记" in path.name or "-2026W" in path.name and "反馈" not in path.name and "对接" not in path.name \
                and "谈判" not in path.name:
            continue
        target = inbox / "其他" / path.name
        target.parent.mkdir(exist_ok=True)
        shutil.copy(path, target)
    out = tmp_path / "out"
    result = invoke(runner, "summarize", inbox, "-o", out / "s.xlsx", "--html", out / "s.html", "--json", out / "s.json",
                    "--as-of", AS_OF)
    assert result.exit_code == 1, result.output
    data = json.loads((out / "s.json").read_text(encoding="utf-8"))
    for key in ("registrations", "customers", "owned_customers", "natural_visits", "visits", "deals",
                "deal_amount_wan", "conflicts"):
        assert data["totals"][key] == expected["totals"][key], key
    ours = {c["channel"]: c for c in data["by_channel"]}
    for row in expected["by_channel"]:
        assert {k: ours[row["channel"]][k] for k in row} == row
    for kind in ("plan", "handoff", "negotiation", "screening", "expansion", "agencies", "affiliates", "survey",
                 "event", "agreements"):
        assert kind in data, kind
    assert data["plan"]["by_branch"] and data["negotiation"]["pipeline"] and data["survey"]["respondents"] == 60
    assert data["expansion"]["funnel"][0]["step"] == "初访" and data["event"]["events"][0]["registrations"] == 38
    sheets = load_workbook(out / "s.xlsx", read_only=True).sheetnames
    for name in ("计划进度", "对接事项", "谈判管道", "楼盘排名", "拓展漏斗", "中介机构", "关联企业", "客户调查", "活动效果",
                 "协议到期"):
        assert name in sheets
    html = (out / "s.html").read_text(encoding="utf-8")
    for title in ("本地工作计划进度", "楼盘谈判管道", "客户调查分布", "渠道合作协议"):
        assert title in html


@pytest.mark.slow
def test_agreement_protection_days_feed_attribution(runner, tmp_path):
    from conftest import make_register

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    make_register(inbox / "a.xlsx", [[1, "2026-10-01", "张三", "13812345678", "A"]],
                  block={"渠道名称": "甲", "报送日期": D(2026, 11, 27)})
    make_register(inbox / "b.xlsx", [[1, "2026-11-10", "张三", "13812345678", "A"]],
                  block={"渠道名称": "乙", "报送日期": D(2026, 11, 27)})
    before = json.loads(invoke(runner, "summarize", inbox, "--json", "-", "--as-of", AS_OF).output)
    assert before["totals"]["conflicts"] == 0  # 40 days apart: 乙 takes over after 30 days
    fill(new(runner, "agreements", inbox / "协议.xlsx"), "协议台账", [
        {"协议编号": "Q1", "渠道名称": "甲", "生效日期": D(2026, 9, 1), "到期日期": D(2027, 8, 31), "状态": "有效",
         "保护期(天)": 60, "佣金点位(%)": 2.0}])
    after = json.loads(invoke(runner, "summarize", inbox, "--json", "-", "--as-of", AS_OF).output)
    assert after["totals"]["conflicts"] == 1 and after["conflicts"][0]["winner"] == "甲"
    assert after["agreements"]["protection_days"] == {"甲": 60}


# --------------------------------------------------------------------------- targets and scores (issue 16)


@pytest.mark.slow
def test_target_rules(runner, tmp_path):
    path = fill(new(runner, "targets", tmp_path / "t.xlsx", "填表日期=2026-10-08"), "渠道目标", [
        {"考核期间": "2026Q4", "渠道名称": "甲", "登记目标": 10, "到访目标": 5},
        {"考核期间": "2026年第四季度", "渠道名称": "甲", "登记目标": 12},  # the same period again
        {"考核期间": "2026H2", "渠道名称": "乙", "登记目标": 10, "成交套数目标": 2},
        {"考核期间": "2026Q3", "渠道名称": "乙", "登记目标": 6, "成交套数目标": 1},
        {"考核期间": "2026Q4", "渠道名称": "乙", "登记目标": 6, "成交套数目标": 1},
        {"考核期间": "2026Q4", "渠道名称": "丙", "到访目标": -3},
        {"考核期间": "2026Q5", "渠道名称": "丁", "登记目标": 6},
        {"考核期间": "2026Q4", "渠道名称": "戊", "备注": "待定"},
        {"考核期间": "2026", "渠道名称": "己", "成交金额目标(万元)": 0},  # explicit zeros: no target, accepted
    ])
    fill(path, "拓展目标", [{"考核期间": "2026H2", "所属分所": "拉萨分所", "新拓展渠道目标": 1},
                        {"考核期间": "2026Q4", "所属分所": "拉萨分所", "新拓展渠道目标": 2}])
    report = check(path)
    found = [(f.code, f.severity, f.cell) for f in report.findings]
    assert found == [
        ("value.range", "error", "F9"), ("period.invalid", "error", "B10"), ("value.required", "error", "E11"),
        ("target.duplicate", "error", "C5"), ("target.overlap", "warning", "E6"), ("target.overlap", "warning", "D3"),
    ]
    messages = {f.cell: f.message for f in report.findings}
    assert messages["F9"] == "「到访目标」应在 0–100000 之间（当前为 -3）"
    assert messages["C5"] == "“甲”2026Q4 的目标与第 4 行重复：同一渠道同一考核期间只填一行，本行不计"
    assert messages["E6"] == "“乙”2026H2 的登记目标 10 小于其中各期目标之和 12（2026Q3 6 + 2026Q4 6），请核对"
    assert messages["D3"] == "“拉萨分所”2026H2 的新拓展渠道目标 1 小于其中各期目标之和 2（2026Q4 2），请核对"
    assert messages["B10"] == "考核期间应写成 2026Q4（季度）、2026H2（半年）或 2026（全年）（当前为“2026Q5”）"
    assert report.rows_accepted == 7 and report.rows_rejected == 4
    rows = [r.values for r in report.tables["渠道目标"].rows if not r.rejected]
    assert [r["考核期间"] for r in rows] == ["2026Q4", "2026H2", "2026Q3", "2026Q4", "2026"]
    assert invoke(runner, "validate", path, "--annotate", tmp_path / "marked").exit_code == 1
    marked = load_workbook(tmp_path / "marked" / "t.xlsx")
    assert marked["渠道目标"]["C5"].fill.fgColor.rgb.endswith("FFC7CE") and "重复" in marked["渠道目标"]["C5"].comment.text
    assert marked["拓展目标"]["D3"].comment is not None


@pytest.mark.slow
def test_score_rules(runner, tmp_path):
    row = {"考核期间": "2026Q4", "渠道名称": "甲", "服务质量/满意度": 4, "市场开发": 3, "配合度": 5, "培训参与": 4,
           "评分人": "李强"}
    path = fill(new(runner, "scores", tmp_path / "s.xlsx"), "考核评分", [
        row, {**row, "市场开发": 2}, {**row, "渠道名称": "乙", "培训参与": 6}, {**row, "渠道名称": "丙", "配合度": 0},
        {**row, "渠道名称": "丁", "评分人": None}])
    report = check(path)
    assert [(f.code, f.cell) for f in report.findings] == [
        ("value.range", "H6"), ("value.range", "G7"), ("value.required", "J8"), ("score.duplicate", "C5")]
    assert report.findings[0].message == "「培训参与」应在 1–5 之间（当前为 6）"
    assert report.findings[3].message == "“甲”2026Q4 的评分与第 4 行重复：同一渠道同一考核期间只填一行，本行不计"
    assert report.rows_accepted == 1


@pytest.mark.slow
def test_unknown_channels_and_duplicates_across_files(runner, tmp_path):
    """channel.unknown compares with the registers (also a consolidated one, whose rows are released after
    reading), the agreements and the expansion trackers of the same run; the newer of two files counts."""
    from conftest import make_register

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    make_register(inbox / "汇总登记.xlsx", [[1, "2026-11-03", "拉萨雪域物业", "张三", "13812345678", "A"]],
                  header=["序号", "登记日期", "渠道名称", "客户姓名", "联系电话", "意向等级"], block={})
    fill(new(runner, "agreements", inbox / "协议.xlsx"), "协议台账", [
        {"协议编号": "Q1", "渠道名称": "西藏浙江商会", "生效日期": D(2026, 9, 1), "到期日期": D(2027, 8, 31), "状态": "有效"}])
    older = fill(new(runner, "targets", inbox / "目标-1.xlsx", "填表日期=2026-10-08"), "渠道目标", [
        {"考核期间": "2026Q4", "渠道名称": "拉萨雪域物业", "登记目标": 10},
        {"考核期间": "2026Q4", "渠道名称": "西藏浙江商会 ", "登记目标": 8},
        {"考核期间": "2026Q4", "渠道名称": "拉萨雪域物业公司", "登记目标": 5}])
    fill(new(runner, "targets", inbox / "目标-2.xlsx", "填表日期=2026-10-15"), "渠道目标", [
        {"考核期间": "2026Q4", "渠道名称": "拉萨雪域物业", "登记目标": 12}])
    result = invoke(runner, "validate", inbox, "--format", "json", "--as-of", AS_OF)
    data = {f["path"]: f for f in json.loads(result.output)["files"]}
    first = [(x["code"], x["severity"], x["cell"], x["message"]) for x in data["inbox/目标-1.xlsx"]["findings"]]
    assert first == [
        ("target.duplicate", "warning", "C4", "较新的 inbox/目标-2.xlsx 第 4 行也有“拉萨雪域物业”2026Q4 的目标，以较新的为准"),
        ("channel.matched", "info", "C6", "「拉萨雪域物业公司」按简称对应渠道「拉萨雪域物业」；"
                                          "如不是同一渠道，请在 qudao.toml 的 [channels] aliases 中写明"),
    ]
    assert data["inbox/目标-2.xlsx"]["findings"] == [] and result.exit_code == 0
    assert older.is_file()
    # validated alone, nothing to compare the channels with: no channel.unknown
    assert codes(check(inbox / "目标-1.xlsx")) == []


@pytest.mark.libreoffice
@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
def test_libreoffice_round_trip_of_targets_and_scores(runner, tmp_path, fmt):
    """Filled in qudao's templates, saved again by LibreOffice: the same rows, values and no finding."""
    for kind_id in ("targets", "scores"):
        sheet, rows = SAMPLES[kind_id]
        path = fill(new(runner, kind_id, tmp_path / f"{kind_id}.xlsx", "填表日期=2026-10-08"), sheet, rows)
        if kind_id == "targets":
            fill(path, "拓展目标", [{"考核期间": "2026年下半年", "所属分所": "拉萨分所", "新拓展渠道目标": 3}])
        ours = check(path)
        theirs = check(soffice_convert(path, fmt, tmp_path / fmt))
        assert theirs.kind == kind_id and theirs.findings == [], theirs.findings
        for name, table in ours.tables.items():
            assert [r.values for r in theirs.tables[name].rows] == [r.values for r in table.rows], (kind_id, name)
        assert theirs.block == ours.block


@pytest.mark.slow
def test_fill_targets_from_a_csv(runner, tmp_path):
    data = tmp_path / "目标.csv"
    data.write_text("考核期间,渠道名称,所属分所,登记目标,到访目标,成交套数目标,成交金额目标\n"
                    "2026Q4,拉萨雪域物业,拉萨分所,30,12,3,450\n"
                    "2026年第四季度,日喀则扎什物业,日喀则分所,20,8,2,-5\n"
                    "2026Q7,西藏浙江商会,拉萨分所,20,8,2,300\n", encoding="utf-8")
    result = invoke(runner, "fill", "targets", "--from", data, "-o", tmp_path / "t.xlsx", "--set", "填表日期=2026-10-08")
    assert result.exit_code == 1 and "「渠道目标」1 行；2 行有错误，未写入" in result.output
    assert "考核期间应写成 2026Q4（季度）、2026H2（半年）或 2026（全年）（当前为“2026Q7”）" in result.output
    report = check(tmp_path / "t.xlsx")
    assert report.findings == [] and [r.values["成交金额目标(万元)"] for r in report.tables["渠道目标"].rows] == [450]
