"""The summary's outputs agree with each other and are safe: xlsx, JSON, HTML, Markdown."""

from __future__ import annotations

import datetime as dt
import json
from html.parser import HTMLParser

import pytest
from conftest import AS_OF, ROOT, invoke, make_register, soffice_convert
from openpyxl import load_workbook

pytestmark = pytest.mark.slow  # end-to-end: whole inboxes and reports

SAMPLES = ROOT / "samples" / "inbox"
SHEETS = ["总览", "按渠道", "按渠道类型", "按分所", "按楼盘", "按周", "撞单明细", "结佣清单", "保护期预警", "问题清单", "明细"]


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    from typer.testing import CliRunner

    out = tmp_path_factory.mktemp("summary")
    result = invoke(CliRunner(), "summarize", SAMPLES, "-o", out / "s.xlsx", "--html", out / "s.html", "--md",
                    out / "s.md", "--json", out / "s.json", "--as-of", "2026-11-27")
    assert result.exit_code == 1, result.output
    return out, json.loads((out / "s.json").read_text(encoding="utf-8"))


ROLLUP_SHEETS = ["需协调", "异常监控", "案场核对", "计划进度", "对接事项", "谈判管道", "楼盘排名", "拓展漏斗", "中介机构", "关联企业", "客户调查", "活动效果",
                 "协议到期"]


def test_sheets_in_order(outputs):
    out, _data = outputs
    names = load_workbook(out / "s.xlsx", read_only=True).sheetnames
    assert names == SHEETS + ROLLUP_SHEETS + ["_qudao"]


def test_by_channel_sheet_equals_json(outputs):
    out, data = outputs
    ws = load_workbook(out / "s.xlsx")["按渠道"]
    header = [c.value for c in ws[1]]
    rows = [dict(zip(header, [c.value for c in row])) for row in ws.iter_rows(min_row=2)]
    channels = [r for r in rows if isinstance(r["排名"], int)]
    assert [r["渠道名称"] for r in channels] == [c["channel"] for c in data["by_channel"]]
    for r, c in zip(channels, data["by_channel"]):
        assert (r["登记数"], r["有效客户"], r["到访"], r["成交"], r["撞单"]) == \
            (c["registrations"], c["customers"], c["visits"], c["deals"], c["conflicts"])
        assert r["成交金额(万元)"] == pytest.approx(c["deal_amount_wan"])
        assert r["评分"] == pytest.approx(c["score"]) and r["建议等级"] == c["grade"]
    total = next(r for r in rows if r["排名"] == "合计")
    assert total["登记数"] == data["totals"]["registrations"] and total["到访"] == data["totals"]["visits"]
    assert any(r["渠道名称"] == "自然到访" for r in rows)
    fmt = {c.value: c.column_letter for c in ws[1]}
    assert ws[f"{fmt['到访率']}2"].number_format == "0.0%"
    assert ws[f"{fmt['成交金额(万元)']}2"].number_format == "#,##0.00"
    assert ws.freeze_panes == "A2"


def test_overview_has_kpis_reconciliation_and_charts(outputs):
    out, data = outputs
    wb = load_workbook(out / "s.xlsx")
    ws = wb["总览"]
    values = {row[0].value: row[1].value for row in ws.iter_rows(min_row=4, max_row=20) if row[0].value}
    assert values["读取行"] == data["inputs"]["rows_read"] and values["拒收行"] == data["inputs"]["rows_rejected"]
    assert values["对账"] == data["reconciliation"]["line"] + " ✔"
    # the line has the width of both tables (merged B:E, wrapped), so it is never cut off
    (line,) = [c for c in ws["B"] if c.value == values["对账"]]
    assert f"B{line.row}:E{line.row}" in {str(m) for m in ws.merged_cells.ranges}
    assert line.alignment.wrap_text
    kpis = {row[3].value: row[4].value for row in ws.iter_rows(min_row=4, max_row=20) if row[3].value}
    assert kpis["登记数"] == data["totals"]["registrations"] and kpis["撞单"] == data["totals"]["conflicts"]
    import zipfile

    with zipfile.ZipFile(out / "s.xlsx") as zf:
        charts = [n for n in zf.namelist() if n.startswith("xl/charts/chart")]
    assert len(charts) >= 3  # funnel, channels, weekly trend (+ the roll-ups' charts)


def test_details_conflicts_and_findings_sheets(outputs):
    out, data = outputs
    wb = load_workbook(out / "s.xlsx")
    details = list(wb["明细"].iter_rows(values_only=True))
    header, rows = details[0], details[1:]
    assert len(rows) == data["totals"]["registrations"]  # one row per registration, however many copies
    phone = header.index("联系电话")
    assert all("****" in r[phone] for r in rows)  # masked by default
    assert header[:5] == ("来源文件", "行号", "渠道名称", "渠道类型", "所属分所")
    assert "客户来源说明" in header  # extra columns kept in 明细
    conflicts = list(wb["撞单明细"].iter_rows(min_row=2, values_only=True))
    assert sum(1 for c in conflicts if c[0] == "撞单") == data["totals"]["conflicts"]
    assert sum(1 for c in conflicts if c[0] == "待核") == data["totals"]["possible_conflicts"]
    problems = list(wb["问题清单"].iter_rows(min_row=2, values_only=True))
    counted = data["findings"]["errors"] + data["findings"]["warnings"] + data["findings"]["infos"]
    assert len(problems) == counted
    assert all(p[2] and p[7] for p in problems)  # file and message on every line


def test_show_phones(runner, tmp_path):
    out = tmp_path / "s.xlsx"
    assert invoke(runner, "summarize", SAMPLES, "-o", out, "--show-phones", "-q", "--as-of", "2026-11-27").exit_code == 1
    ws = load_workbook(out)["明细"]
    header = [c.value for c in ws[1]]
    phones = [row[header.index("联系电话")] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert any(p.isdigit() and len(p) == 11 for p in phones)


class KpiParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.kpis: dict[str, str] = {}
        self._key = None
        self._in_value = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "data-key" in attrs and tag == "div":
            self._key = attrs["data-key"]
        if attrs.get("class") == "value" and self._key:
            self._in_value = True

    def handle_data(self, data):
        if self._in_value:
            self.kpis[self._key] = data.strip()
            self._in_value = False
            self._key = None


def test_html_kpis_equal_json(outputs):
    out, data = outputs
    parser = KpiParser()
    parser.feed((out / "s.html").read_text(encoding="utf-8"))
    t = data["totals"]
    for key in ("registrations", "customers", "owned_customers", "natural_visits", "visits", "deals", "conflicts"):
        assert int(parser.kpis[key].replace(",", "")) == t[key], key
    assert float(parser.kpis["deal_amount_wan"].replace(",", "")) == pytest.approx(t["deal_amount_wan"])
    html = (out / "s.html").read_text(encoding="utf-8")
    assert "@page" in html and data["reconciliation"]["line"] in html
    for channel in data["by_channel"]:
        assert channel["channel"] in html


def test_markdown_report(outputs):
    out, data = outputs
    md = (out / "s.md").read_text(encoding="utf-8")
    assert md.startswith("# 渠道汇总分析表")
    assert f"| 登记数 | {data['totals']['registrations']} |" in md
    assert data["reconciliation"]["line"] in md


def test_input_text_never_becomes_a_formula_or_markup(runner, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    nasty = "=HYPERLINK(\"http://evil\",\"点我\")"
    make_register(inbox / "r.xlsx", [
        [1, "2026-11-03", "张三", "13812345678", "A", "+SUM(1,2)", "@cmd", "<script>alert(1)</script>|x"],
    ], header=["序号", "登记日期", "客户姓名", "联系电话", "意向等级", "意向楼盘", "跟进人", "备注"],
        block={"渠道名称": nasty, "报送日期": dt.date(2026, 11, 27)})
    from openpyxl import load_workbook as lw

    wb = lw(inbox / "r.xlsx")
    wb.active["B2"].data_type = "s"  # the name really is text in the file
    wb.save(inbox / "r.xlsx")
    out = tmp_path / "out"
    result = invoke(runner, "summarize", inbox, "-o", out / "s.xlsx", "--html", out / "s.html", "--md", out / "s.md",
                    "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    wb = load_workbook(out / "s.xlsx")
    seen = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value[:1] in "=+-@" and cell.value in (nasty, "+SUM(1,2)", "@cmd"):
                    assert cell.data_type == "s", (ws.title, cell.coordinate)
                    seen += 1
    assert seen >= 3
    html = (out / "s.html").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in html and "=HYPERLINK(&#34;http://evil&#34;" in html
    md = (out / "s.md").read_text(encoding="utf-8")
    assert "\\=HYPERLINK" in md


def test_periods_count_events_by_their_own_dates(runner, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    make_register(inbox / "r.xlsx", [
        [1, "2026-10-10", "张三", "13812345678", "A", "2026-11-02", "2026-11-20", "麓湖花园", 100],
        [2, "2026-11-05", "李四", "13912345678", "B", None, None, None, None],
        [3, "2026-11-06", "王五", "13712345678", "B", "2026-11-08", None, None, None],
    ], block={"渠道名称": "甲", "报送日期": dt.date(2026, 11, 27)})
    make_register(inbox / "s.xlsx", [[1, "2026-11-10", "李四", "13912345678", "B"]],
                  block={"渠道名称": "乙", "报送日期": dt.date(2026, 11, 27)})
    out = tmp_path / "s.json"
    invoke(runner, "summarize", inbox, "--json", out, "--from", "2026-11-01", "--to", "2026-11-15", "--as-of", AS_OF)
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["period"] == {"from": "2026-11-01", "to": "2026-11-15"}
    t = data["totals"]
    # registrations 11-05, 11-06 (甲) and 11-10 (乙, a conflict); visits 11-02, 11-08; the deal is on 11-20
    assert (t["registrations"], t["visits"], t["deals"], t["conflicts"]) == (3, 2, 0, 1)
    jia = next(c for c in data["by_channel"] if c["channel"] == "甲")
    assert (jia["registrations"], jia["customers"], jia["visits"]) == (2, 2, 2)
    # attribution used all history: 张三 registered on 10-10 is still 甲's customer
    all_time = tmp_path / "all.json"
    invoke(runner, "summarize", inbox, "--json", all_time, "--as-of", AS_OF)
    assert json.loads(all_time.read_text(encoding="utf-8"))["totals"]["deals"] == 1


@pytest.mark.libreoffice
def test_summary_workbook_opens_in_libreoffice(outputs, tmp_path):
    out, _data = outputs
    pdf = soffice_convert(out / "s.xlsx", "pdf", tmp_path)
    assert pdf.read_bytes()[:4] == b"%PDF" and pdf.stat().st_size > 10_000
    resaved = soffice_convert(out / "s.xlsx", "xlsx", tmp_path / "re")
    assert load_workbook(resaved, read_only=True).sheetnames[:len(SHEETS)] == SHEETS


def test_a_report_saved_into_the_inbox_is_not_counted(runner, tmp_path, outputs):
    out, data = outputs
    inbox = tmp_path / "inbox"
    import shutil

    shutil.copytree(SAMPLES, inbox)
    shutil.copy(out / "s.xlsx", inbox / "上周汇总.xlsx")
    again = json.loads(invoke(runner, "summarize", inbox, "--json", "-", "--as-of", "2026-11-27").output)
    assert again["totals"] == data["totals"]
    (item,) = [f for f in again["files"] if f["path"].endswith("上周汇总.xlsx")]
    assert item["kind"] == "summary" and item["rows_read"] == 0 and item["errors"] == 0


def test_one_channel_spelled_with_full_and_half_width_brackets(runner, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    make_register(inbox / "w47.xlsx", [[1, "2026-11-03", "张三", "13812345678", "A"]],
                  block={"渠道名称": "雪域物业（拉萨）", "报送日期": dt.date(2026, 11, 20)})
    make_register(inbox / "w48.xlsx", [[1, "2026-11-03", "张三", "13812345678", "A"], [2, "2026-11-20", "李四",
                                                                                    "13912345678", "B"]],
                  block={"渠道名称": " 雪域物业(拉萨) ", "报送日期": dt.date(2026, 11, 27)})
    data = json.loads(invoke(runner, "summarize", inbox, "--json", "-", "--as-of", AS_OF).output)
    assert [(c["channel"], c["registrations"]) for c in data["by_channel"]] == [("雪域物业(拉萨)", 2)]
    assert data["totals"]["conflicts"] == 0
