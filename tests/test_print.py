"""Reports that print: page setup of every generated workbook, integer chart axes, funnels top-down,
the 本周 sheet's number formats; with LibreOffice, page counts of the PDFs."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, invoke, make_register
from openpyxl import load_workbook

SAMPLES = ROOT / "samples" / "inbox"
HEADER = ["序号", "登记日期", "客户姓名", "联系电话", "意向等级", "到访日期", "成交日期", "成交楼盘", "成交金额(万元)"]


def small_inbox(folder: Path) -> Path:
    """Two branches, two channels, two weekly cumulative registers each, a negotiation and an expansion file."""
    w47 = {"雪域物业": [[1, "2026-11-16", "张三", "13812345678", "A", "2026-11-18"]],
           "扎什旅行社": [[1, "2026-11-17", "王五", "13712345678", "A"]]}
    w48 = {"雪域物业": [[1, "2026-11-16", "张三", "13812345678", "A", "2026-11-18", "2026-11-25", "天府云城", 120.5],
                    [2, "2026-11-24", "李四", "13912345678", "B"],
                    [3, "2026-11-25", "王五", "13712345678", "B"]],  # 扎什旅行社 registered him first: a conflict
           "扎什旅行社": [[1, "2026-11-17", "王五", "13712345678", "A", "2026-11-26"],
                     [2, "2026-11-26", "赵六", "13612345678", "C"]]}
    channels = {"雪域物业": ("拉萨分所", "拉萨雪域物业", "物业"), "扎什旅行社": ("日喀则分所", "日喀则扎什旅行社", "旅行社")}
    for branch in ("拉萨分所", "日喀则分所", "总部"):
        (folder / branch).mkdir(parents=True, exist_ok=True)
    for week, end, rows in (("W47", dt.date(2026, 11, 20), w47), ("W48", dt.date(2026, 11, 27), w48)):
        for short, (branch, name, kind) in channels.items():
            make_register(folder / branch / f"{short}-2026{week}.xlsx", rows[short], header=HEADER,
                          block={"渠道名称": name, "渠道类型": kind, "报送日期": end})
    for name in ("楼盘谈判跟进汇总表-2026W48.xlsx",):
        shutil.copy(SAMPLES / "总部" / name, folder / "总部" / name)
    shutil.copy(SAMPLES / "拉萨分所" / "渠道拓展标准流程管理表-拉萨分所.xlsx", folder / "拉萨分所")
    return folder


@pytest.fixture(scope="module")
def week_book(tmp_path_factory) -> Path:
    from typer.testing import CliRunner

    root = tmp_path_factory.mktemp("print")
    inbox = small_inbox(root / "inbox")
    out = root / "out"
    runner = CliRunner()
    for week in ("2026-W47", "2026-W48"):
        result = invoke(runner, "rollup", "--inbox", inbox, "--out", out, "--week", week, "--quiet")
        assert result.exit_code in (0, 1), result.output
    return out / "2026-W48" / "汇总-2026-W48.xlsx"


def chart_xml(path: Path) -> dict[str, str]:
    """Each chart's XML by its title text."""
    out = {}
    with zipfile.ZipFile(path) as zf:
        for name in sorted(n for n in zf.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n)):
            xml = zf.read(name).decode("utf-8")
            title = "".join(re.findall(r"<a:t>([^<]*)</a:t>", xml.split("</c:title>")[0]))
            out[title] = xml
    return out


@pytest.mark.slow  # two rollups
def test_every_summary_sheet_prints_with_titles_on_every_page(week_book):
    wb = load_workbook(week_book)
    sheets = [ws for ws in wb.worksheets if ws.sheet_state == "visible"]
    assert [ws.title for ws in sheets][:4] == ["总览", "本周", "按渠道", "按渠道类型"]
    for ws in sheets:
        assert ws.print_title_rows, ws.title
        assert ws.page_setup.paperSize == 9 and ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert ws.page_setup.fitToWidth in (None, 1), ws.title  # openpyxl reads the default 1 as None
        header = ws.oddHeader
        assert header.left.text.startswith("&B渠道汇总分析表&B · ") and ws.title in header.left.text, ws.title
        assert header.right.text == "统计期间：最早 至 2026-11-29", ws.title
        assert ws.oddFooter.center.text == "第 &P 页，共 &N 页"
    rows = {ws.title: ws.print_title_rows for ws in sheets}
    assert rows["总览"] == "$1:$2" and rows["按渠道"] == rows["按分所"] == rows["明细"] == "$1:$1"
    orientation = {ws.title: ws.page_setup.orientation for ws in sheets}
    assert orientation["总览"] == "portrait" and orientation["明细"] == orientation["按渠道"] == "landscape"
    assert orientation["谈判管道"] == "portrait"  # narrow tables, the chart under them
    assert wb["总览"].page_setup.fitToHeight in (None, 1)  # the overview is one page (1 is the default)
    assert wb["按渠道"].page_setup.fitToHeight == 0
    assert wb["明细"].page_margins.left == 0.25


@pytest.mark.slow  # two rollups
def test_count_charts_have_whole_number_axes_and_funnels_read_top_down(week_book):
    charts = chart_xml(week_book)
    pipeline = charts["各阶段楼盘数"]
    assert '<c:majorUnit val="1"/>' in pipeline and 'formatCode="0"' in pipeline
    assert '<c:orientation val="maxMin"/>' in pipeline  # stages in the table's order, the first at the top
    funnel = charts["拓展漏斗"]
    assert '<c:orientation val="maxMin"/>' in funnel and '<c:majorUnit val="1"/>' in funnel
    overview = charts["转化漏斗：登记 → 客户 → 到访 → 成交"]
    assert '<c:orientation val="maxMin"/>' in overview and '<c:majorUnit val="1"/>' in overview
    assert '<c:majorUnit val="1"/>' in charts["各渠道登记、到访、成交"]


def test_count_axis_steps_are_whole_numbers():
    from qudao.report.xlsx import count_axis

    assert [count_axis(n)["major_unit"] for n in (0, 1, 3, 6, 7, 12, 40, 259, 1234)] == [1, 1, 1, 1, 2, 2, 10,
                                                                                         50, 500]
    assert count_axis(5)["num_format"] == "0" and count_axis(5)["min"] == 0


@pytest.mark.slow  # two rollups
def test_week_sheet_counts_money_and_signed_coloured_changes(week_book):
    ws = load_workbook(week_book)["本周"]
    rows = {ws.cell(row=r, column=1).value: r for r in range(4, 13)}
    assert [ws.cell(row=3, column=c).value for c in range(1, 8)] == ["指标", "本周", "上周", "变化", "累计", "上周累计",
                                                                     "累计变化"]
    reg, amount, conflicts = rows["登记数"], rows["成交金额(万元)"], rows["撞单"]
    assert [ws.cell(row=reg, column=c).value for c in range(2, 8)] == [3, 2, 1, 5, 2, 3]
    assert [ws.cell(row=conflicts, column=c).value for c in range(2, 8)] == [1, 0, 1, 1, 0, 1]
    assert ws.cell(row=reg, column=2).number_format == "#,##0"
    assert ws.cell(row=reg, column=4).number_format == "+#,##0;-#,##0;0"
    assert ws.cell(row=amount, column=2).value == 120.5
    assert ws.cell(row=amount, column=2).number_format == "#,##0.00"
    assert ws.cell(row=amount, column=4).number_format == "+#,##0.00;-#,##0.00;0.00"
    # green when a KPI goes up, red when down; 撞单 the other way round
    rules = {}
    for cf in ws.conditional_formatting:
        for rule in cf.rules:
            rules.setdefault(str(cf.sqref), []).append((rule.operator, rule.dxf.font.color.rgb))
    assert rules[f"D{reg}"] == [("greaterThan", "FF006100"), ("lessThan", "FFC00000")]
    assert rules[f"D{conflicts}"] == [("greaterThan", "FFC00000"), ("lessThan", "FF006100")]
