"""Share and look: SVG charts in the HTML report, the phone-sized PNG card, one report per 分所."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

HOSTILE = '<script>alert(1)</script> & "引号" \'x\''


# --------------------------------------------------------------------------- svg


def test_funnel_svg_reads_top_down_with_values_and_shares():
    from qudao.report.svg import funnel

    out = funnel([("登记", 259), ("客户", 238), ("到访", 55), ("成交", 13)], "转化漏斗")
    root = ET.fromstring(out)  # well-formed XML
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert texts == ["转化漏斗", "登记", "259", "客户", "238（92%）", "到访", "55（23%）", "成交", "13（24%）"]
    bars = [r for r in root.iter("{http://www.w3.org/2000/svg}rect")]
    assert [float(r.get("y")) for r in bars] == [36, 70, 104, 138]  # 登记 at the top
    assert [float(r.get("width")) for r in bars] == [420, 385.9, 89.2, 21.1]
    assert "<script" not in out and "http" not in out.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_channel_bars_escape_names_and_use_whole_number_ticks():
    from qudao.report.svg import channel_bars

    rows = [(HOSTILE, (7, 3, 1)), ("拉萨布达拉物业服务有限公司（城关区）", (5, 2, 0))]
    out = channel_bars(rows, "渠道排名")
    assert "<script" not in out and ">1. &lt;script&gt;alert(1)&lt;/scrip…<" in out  # escaped, cut to 24 columns
    root = ET.fromstring(out)
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert texts[4:8] == ["0", "2", "4", "6"] or texts[4:9] == ["0", "2", "4", "6", "8"]
    assert "1. <script>alert(1)</scrip…" in texts
    assert "2. 拉萨布达拉物业服务有限…" in texts  # cut to 24 columns
    assert channel_bars(rows, "渠道排名") == out  # the same bytes every time


def test_trend_svg_lines_labels_and_escaping():
    from qudao.report.svg import BLUE, trend

    out = trend(["2026-W47", "<W48>"], [("登记", BLUE, [3, 12]), ("到访", "#000", [1, 11])])
    root = ET.fromstring(out)
    lines = list(root.iter("{http://www.w3.org/2000/svg}polyline"))
    assert len(lines) == 2 and lines[0].get("points") == "44,212 650,92"  # 0–15 in steps of 5
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "<W48>" in texts and "&lt;W48&gt;" in out
    ends = {t.text: float(t.get("y")) for t in root.iter("{http://www.w3.org/2000/svg}text") if t.text in ("登记 12",
                                                                                                        "到访 11")}
    assert ends["到访 11"] - ends["登记 12"] >= 13  # last-value labels pushed apart


def test_count_step_is_a_whole_number():
    from qudao.report.svg import count_step

    assert [count_step(n) for n in (0, 1, 4, 6, 11, 26, 60, 259)] == [1, 1, 1, 2, 5, 10, 20, 100]


def test_html_report_has_the_three_charts_inline(tmp_path, runner):
    from conftest import invoke, make_register

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    make_register(inbox / "a.xlsx", [[1, "2026-11-03", "张三", "13812345678", "A", "2026-11-05"],
                                     [2, "2026-11-12", "李四", "13912345678", "B"]],
                  block={"渠道名称": HOSTILE, "报送日期": "2026-11-27"},
                  header=["序号", "登记日期", "客户姓名", "联系电话", "意向等级", "到访日期"])
    html = tmp_path / "s.html"
    assert invoke(runner, "summarize", inbox, "--html", html, "--as-of", "2026-11-27").exit_code == 0
    text = html.read_text(encoding="utf-8")
    assert len(re.findall(r"<svg class=\"chart\"", text)) == 3
    titles = re.findall(r"<svg[^>]*aria-label=\"([^\"]*)\"", text)
    assert titles == ["转化漏斗：登记 → 客户 → 到访 → 成交", "渠道排名：登记、到访、成交", "每周趋势"]
    assert "<script" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert not re.search(r"(src|href)=\"https?:", text)  # nothing from the network
