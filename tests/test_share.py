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
    assert [float(r.get("y")) for r in bars] == [34, 64, 94, 124]  # 登记 at the top
    assert [float(r.get("width")) for r in bars] == [208, 191.1, 44.2, 10.4]
    assert root.get("viewBox") == "0 0 360 160"  # drawn for a phone: 360 wide, no text under 12
    assert min(int(t.get("font-size")) for t in root.iter("{http://www.w3.org/2000/svg}text")) >= 12
    assert "<script" not in out and "http" not in out.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_channel_bars_escape_names_and_use_whole_number_ticks():
    from qudao.report.svg import channel_bars

    rows = [(HOSTILE, (7, 3, 1)), ("拉萨布达拉物业服务有限公司（城关区）", (5, 2, 0))]
    out = channel_bars(rows, "渠道排名")
    assert "<script" not in out and ">1. &lt;script&gt;alert(1)&lt;/script&gt; &amp; " in out  # escaped
    root = ET.fromstring(out)
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert texts[4:9] == ["0", "2", "4", "6", "8"]
    assert texts[9:] == ["1. " + HOSTILE, "成交 1", "2. 拉萨布达拉物业服务有限公司（城关区）"]  # names whole, above the bars
    assert min(int(t.get("font-size")) for t in root.iter("{http://www.w3.org/2000/svg}text")) >= 12
    long = channel_bars([("拉" * 40, (1, 1, 1))], "渠道排名")
    assert "1. " + "拉" * 27 + "…" in long  # only a name wider than the chart is cut
    assert channel_bars(rows, "渠道排名") == out  # the same bytes every time


def test_trend_svg_lines_labels_and_escaping():
    from qudao.report.svg import BLUE, trend

    out = trend(["2026-W47", "<W48>"], [("登记", BLUE, [3, 12]), ("到访", "#000", [1, 11])])
    root = ET.fromstring(out)
    lines = list(root.iter("{http://www.w3.org/2000/svg}polyline"))
    assert len(lines) == 2 and lines[0].get("points") == "34,186 294,84"  # 0–15 in steps of 5
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "<W48>" in texts and "&lt;W48&gt;" in out
    assert "第47周" in texts  # weeks as people say them
    ends = {t.text: float(t.get("y")) for t in root.iter("{http://www.w3.org/2000/svg}text") if t.text in ("登记 12",
                                                                                                        "到访 11")}
    assert ends["到访 11"] - ends["登记 12"] >= 17  # last-value labels pushed apart


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


# --------------------------------------------------------------------------- png

CARD_DATA = {
    "period": {"from": "2026-11-01", "to": "2026-11-30"}, "as_of": "2026-11-30",
    "totals": {"registrations": 259, "customers": 238, "visits": 55, "deals": 13, "deal_amount_wan": 2766.13,
               "conflicts": 20, "commission_wan": 41.49},
    "by_channel": [{"channel": f"渠道{i}号 <b>&", "registrations": 30 - i, "visits": 9 - i, "deals": 5 - i,
                    "deal_amount_wan": 100.5 * (5 - i), "score": 92.5 - 15 * i, "grade": "ABCDD"[i]}
                   for i in range(5)],
}


def cjk_font():
    from qudao.report.card import find_cjk_font

    font = find_cjk_font()
    if font is None:
        pytest.skip("no Chinese font on this machine (apt-get install fonts-noto-cjk; .ci/run installs it)")
    return font


def png_facts(data: bytes) -> tuple[tuple[int, int], float, int]:
    """(size, share of non-white pixels, distinct colours) of a PNG."""
    import io

    from PIL import Image

    image = Image.open(io.BytesIO(data)).convert("RGB")
    colours = image.getcolors(maxcolors=1 << 24)
    white = sum(n for n, rgb in colours if rgb == (255, 255, 255))
    total = image.size[0] * image.size[1]
    return image.size, 1 - white / total, len(colours)


@pytest.mark.slow  # draws the card (~0.4 s each)
def test_summary_card_is_phone_sized_drawn_and_the_same_every_time(monkeypatch):
    from qudao.report.card import render, summary_card

    monkeypatch.delenv("QUDAO_FONT", raising=False)
    monkeypatch.delenv("QUDAO_FONT_DIRS", raising=False)
    font = cjk_font()
    card = summary_card(CARD_DATA)
    assert [(t.label, t.value) for t in card.tiles] == [
        ("登记数", "259"), ("客户数（去重）", "238"), ("到访", "55"), ("成交", "13"), ("成交金额（万元）", "2,766.13"),
        ("撞单", "20")]
    assert card.subtitle == "统计期间 2026-11-01 至 2026-11-30 · 依据日期 2026-11-30"
    assert card.lines == ["到访率 23.1% · 到访成交率 23.6% · 佣金 41.49 万元"]
    # one measure per ranking: ordered by score, the score on the right and as the bar (the first is the longest)
    assert card.ranking_title == "渠道排名 · 前 5 名（按评分）"
    assert [(c.name, c.detail, c.amount, c.unit, c.grade) for c in card.channels][:2] == [
        ("渠道0号 <b>&", "登记 30 · 到访 9 · 成交 5 · 成交额 502.50 万元", "92.5", "评分", "A"),
        ("渠道1号 <b>&", "登记 29 · 到访 8 · 成交 4 · 成交额 402.00 万元", "77.5", "评分", "B")]
    shares = [c.share for c in card.channels]
    assert shares[0] == 1.0 and shares == sorted(shares, reverse=True)
    # real dates, never 最早/最新: the period as the summary states it, or the dates the JSON has
    assert summary_card(CARD_DATA, period="2026-10-17 至 2026-11-27").subtitle.startswith(
        "统计期间 2026-10-17 至 2026-11-27")
    open_start = {**CARD_DATA, "period": {"from": None, "to": "2026-11-29"}}
    assert summary_card(open_start).subtitle.startswith("统计期间 截至 2026-11-29")
    assert "最早" not in summary_card(open_start).subtitle
    data = render(card, font)
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    (width, height), inked, colours = png_facts(data)
    assert width == 1080 and 1400 <= height <= 1700  # a phone screen, 3×
    assert 0.15 < inked < 0.6 and colours > 50  # text anti-aliased in many shades, not a blank or flat image
    assert render(summary_card(CARD_DATA), font) == data


def test_week_card_shows_changes_coloured_and_no_grades():
    from qudao.report.card import GREEN, RED, week_card

    data = {**CARD_DATA, "week": {"label": "2026-W48", "start": "2026-11-23", "end": "2026-11-29",
                                  "totals": {"registrations": 11, "customers": 11, "visits": 14, "deals": 1,
                                             "deal_amount_wan": 72.24, "conflicts": 2},
                                  "by_channel": CARD_DATA["by_channel"]},
            "week_over_week": {"previous_week": "2026-W47", "week_totals": {
                "registrations": {"change": -34}, "customers": {"change": 0}, "visits": {"change": 3},
                "deals": {"change": -5}, "deal_amount_wan": {"change": -1119.02}, "conflicts": {"change": 2}}},
            "conflicts": [{"new": True, "loser_date": "2026-11-24"}, {"new": True, "loser_date": "2026-11-20"},
                          {"new": True, "loser_date": "2026-11-21"}, {"new": False, "loser_date": "2026-11-25"}]}
    card = week_card(data)
    assert card.title == "渠道周报 · 2026年第48周"
    assert [(t.label, t.value, t.note, t.note_color) for t in card.tiles] == [
        ("本周登记", "11", "较上周 −34", RED), ("本周客户", "11", "与上周持平", "#6B6B6B"),
        ("本周到访", "14", "较上周 +3", GREEN), ("本周成交", "1", "较上周 −5", RED),
        ("本周成交额（万元）", "72.24", "较上周 −1,119.02", RED), ("本周登记撞单", "2", "较上周 +2", RED)]
    # the conflicts new since last week's report, split: registered this week, or came with late copies
    assert card.lines[1] == "比上周报告新增撞单 3 起：本周登记 1 起，迟报/更正（此前各周的登记）2 起"
    assert all(c.grade == "" for c in card.channels)
    # ranked by the week's deals: the deals on the right and as the bar
    assert card.ranking_title == "本周渠道 · 前 5 名（按本周成交套数）"
    assert [(c.amount, c.unit) for c in card.channels][:2] == [("5", "套"), ("4", "套")]
    assert [round(c.share, 2) for c in card.channels] == [1.0, 0.8, 0.6, 0.4, 0.2]


def test_without_a_chinese_font_the_picture_is_skipped_with_a_clear_message(tmp_path, monkeypatch):
    from qudao.report.card import find_cjk_font, summary_card, write_card

    monkeypatch.delenv("QUDAO_FONT", raising=False)
    empty = tmp_path / "fonts"
    empty.mkdir()
    assert find_cjk_font([empty], fontconfig=False) is None
    path, warning = write_card(summary_card(CARD_DATA), tmp_path / "卡片.png", font_dirs=[empty])
    assert path is None and not (tmp_path / "卡片.png").exists()
    assert warning == ("没有找到中文字体，未生成图片 卡片.png。请安装中文字体后重试：Debian/Ubuntu 运行 sudo apt-get install "
                       "fonts-noto-cjk（或 fonts-wqy-microhei），CentOS/RHEL 运行 sudo yum install "
                       "google-noto-sans-cjk-ttc-fonts；也可以用环境变量 QUDAO_FONT 指定一个中文字体文件（.ttf/.otf/.ttc）。")


def test_font_search_order_prefers_noto_and_reads_qudao_font(tmp_path, monkeypatch):
    from qudao.report.card import find_cjk_font

    monkeypatch.delenv("QUDAO_FONT", raising=False)
    real = cjk_font().regular
    folder = tmp_path / "fonts" / "sub"
    folder.mkdir(parents=True)
    (folder / "wqy-microhei.ttc").symlink_to(real)
    assert find_cjk_font([tmp_path / "fonts"], fontconfig=False).regular.endswith("wqy-microhei.ttc")
    (folder / "NotoSansCJK-Regular.ttc").symlink_to(real)
    (folder / "NotoSansCJK-Bold.ttc").symlink_to(real)
    font = find_cjk_font([tmp_path / "fonts"], fontconfig=False)
    assert font.regular.endswith("NotoSansCJK-Regular.ttc") and font.bold.endswith("NotoSansCJK-Bold.ttc")
    monkeypatch.setenv("QUDAO_FONT", str(folder / "wqy-microhei.ttc"))
    assert find_cjk_font([tmp_path / "nowhere"]).regular == str(folder / "wqy-microhei.ttc")


@pytest.mark.slow  # draws the card (~0.4 s each)
def test_summarize_png_option(runner, tmp_path, monkeypatch):
    from conftest import invoke, make_register

    monkeypatch.delenv("QUDAO_FONT", raising=False)
    monkeypatch.delenv("QUDAO_FONT_DIRS", raising=False)
    cjk_font()
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    make_register(inbox / "a.xlsx", [[1, "2026-11-03", "张三", "13812345678", "A"]])
    result = invoke(runner, "summarize", inbox, "--png", tmp_path / "汇总.png", "--as-of", "2026-11-27")
    assert result.exit_code == 0, result.output
    size, inked, _colours = png_facts((tmp_path / "汇总.png").read_bytes())
    assert size[0] == 1080 and inked > 0.1
    assert invoke(runner, "summarize", inbox, "--png", tmp_path / "汇总.txt").exit_code == 2
    # no font: the summary is still made, the picture skipped with the message, exit 0
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setenv("QUDAO_FONT_DIRS", str(empty))
    result = invoke(runner, "summarize", inbox, "--png", tmp_path / "b.png", "--json", tmp_path / "b.json",
                    "--as-of", "2026-11-27")
    assert result.exit_code == 0 and (tmp_path / "b.json").exists() and not (tmp_path / "b.png").exists()
    assert "警告：没有找到中文字体，未生成图片 b.png。请安装中文字体后重试：Debian/Ubuntu 运行 sudo apt-get install " \
           "fonts-noto-cjk" in result.output


# --------------------------------------------------------------------------- by branch


def submission(channel, branch, phone, name, registered, visit=None, deal=None, amount=None, order=0):
    import datetime as dt

    from qudao.analysis.attribution import Submission
    from qudao.analysis.register import Source

    day = dt.date.fromisoformat
    source = Source(f"{branch}/{channel}.xlsx", "意向客户登记", order + 5, {"联系电话": phone, "客户姓名": name}, {},
                    "物业", branch, "D")
    return Submission(channel, ("phone", phone), name, day(registered), visit and day(visit), deal and day(deal),
                      amount, "天府云城" if deal else None, (day("2026-11-27"), 0, 0, order), source)


def test_a_branch_keeps_its_channels_and_names_no_other_branch():
    from qudao.analysis.attribution import attribute
    from qudao.analysis.branch import (
        OTHER,
        branch_attribution,
        branches,
        channel_branches,
    )

    subs = [submission("雪域物业", "拉萨分所", "13812345678", "张三", "2026-11-16", "2026-11-18", "2026-11-25", 120.5, 1),
            submission("雪域物业", "拉萨分所", "13712345678", "王五", "2026-11-25", order=2),
            submission("扎什旅行社", "日喀则分所", "13712345678", "王五", "2026-11-17", "2026-11-26", order=3),
            submission("扎什旅行社", "日喀则分所", "13812345678", "张三", "2026-11-17", order=4),
            submission("扎什旅行社", "日喀则分所", "13612345678", "赵六", "2026-09-01", "2026-11-20", order=5)]
    att = attribute(subs, 30)
    assert branches(att) == ["拉萨分所", "日喀则分所"]
    assert channel_branches(att) == {"雪域物业": "拉萨分所", "扎什旅行社": "日喀则分所"}
    lhasa = branch_attribution(att, {"雪域物业"})
    assert [(r.channel, r.customer[1], r.status, r.winner) for r in lhasa.registrations] == [
        ("雪域物业", "13812345678", "owner", None), ("雪域物业", "13712345678", "lost", OTHER)]
    assert [(c.winner, c.loser, c.customer[1]) for c in lhasa.conflicts] == [
        ("雪域物业", OTHER, "13812345678"), (OTHER, "雪域物业", "13712345678")]  # won 张三, lost 王五
    wang = next(c for c in lhasa.customers if c.name == "王五")
    assert (wang.owner, wang.visit, wang.deal) == (None, None, None)  # 扎什旅行社's customer: visited there
    zhang = next(c for c in lhasa.customers if c.name == "张三")
    assert zhang.owner.channel == "雪域物业" and zhang.deal_amount == 120.5
    shigatse = branch_attribution(att, {"扎什旅行社"})
    assert {c.name: (c.owner.channel if c.owner else None, c.visit is not None) for c in shigatse.customers} == {
        "王五": ("扎什旅行社", True), "张三": (None, False), "赵六": (None, True)}  # 赵六: 自然到访 (window passed)
    names = repr(shigatse)
    assert "雪域物业" not in names and OTHER in names


@pytest.fixture(scope="module")
def by_branch(tmp_path_factory):
    from conftest import invoke
    from test_print import small_inbox
    from typer.testing import CliRunner

    root = tmp_path_factory.mktemp("branches")
    inbox = small_inbox(root / "inbox")
    out = root / "分所"
    result = invoke(CliRunner(), "summarize", inbox, "--by-branch", out, "--json", root / "all.json", "--as-of",
                    "2026-11-30")
    assert result.exit_code == 0, result.output
    return out, result.output


def all_text(path) -> str:
    from openpyxl import load_workbook

    wb = load_workbook(path)
    return "\n".join(str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if v)


@pytest.mark.slow  # a summary and two branch reports
def test_summarize_by_branch_writes_one_report_per_branch_with_only_its_data(by_branch):
    from openpyxl import load_workbook

    out, output = by_branch
    names = sorted(p.name for p in out.iterdir())
    assert names == [f"渠道汇总分析表-{b}{s}" for b in ("拉萨分所", "日喀则分所") for s in (".html", ".png", ".xlsx")]
    assert "已写入：" in output and "渠道汇总分析表-日喀则分所.png" in output
    expected = {"拉萨分所": ("拉萨雪域物业", "日喀则扎什旅行社", (3, 3, 2, 1, 1, 120.5, 1)),
                "日喀则分所": ("日喀则扎什旅行社", "拉萨雪域物业", (2, 2, 2, 1, 0, 0, 0))}
    for branch, (mine, theirs, totals) in expected.items():
        book = out / f"渠道汇总分析表-{branch}.xlsx"
        text = all_text(book) + (out / f"渠道汇总分析表-{branch}.html").read_text(encoding="utf-8")
        assert mine in text and theirs not in text, branch
        wb = load_workbook(book)
        assert wb["总览"]["A1"].value == f"渠道汇总分析表 · {branch}"
        kpis = {r[3].value: r[4].value for r in wb["总览"].iter_rows(min_row=4, max_row=16) if r[3].value}
        assert tuple(kpis[k] for k in ("登记数", "客户数（去重）", "渠道有效客户", "到访", "成交", "成交金额(万元)", "撞单")) == \
            totals, branch
        channels = [r[1] for r in wb["按渠道"].iter_rows(min_row=2, values_only=True) if isinstance(r[0], int)]
        assert channels == [mine]
        conflicts = [r[3:6:2] for r in wb["撞单明细"].iter_rows(min_row=2, values_only=True)]
        assert conflicts == ([("（其他分所渠道）", "拉萨雪域物业")] if branch == "拉萨分所" else
                             [("日喀则扎什旅行社", "（其他分所渠道）")])
        assert "谈判管道" not in wb.sheetnames  # 总部's negotiation file belongs to no branch
        assert ("拓展漏斗" in wb.sheetnames) == (branch == "拉萨分所")  # the expansion file is in 拉萨分所/


@pytest.mark.slow
def test_by_branch_refuses_to_overwrite_and_needs_a_folder(runner, tmp_path, by_branch):
    from conftest import invoke
    from test_print import small_inbox

    out, _output = by_branch
    inbox = small_inbox(tmp_path / "inbox")
    result = invoke(runner, "summarize", inbox, "--by-branch", out)
    assert result.exit_code == 2 and "输出文件已存在" in result.output and "渠道汇总分析表-拉萨分所" in result.output
    (tmp_path / "f").write_text("x", encoding="utf-8")
    result = invoke(runner, "summarize", inbox, "--by-branch", tmp_path / "f")
    assert result.exit_code == 2 and "--by-branch 应为文件夹" in result.output


@pytest.mark.slow  # two rollups, twice
def test_rollup_writes_the_png_and_the_branch_reports_byte_identical(runner, tmp_path):
    from conftest import invoke
    from test_print import small_inbox

    cjk_font()
    inbox = small_inbox(tmp_path / "inbox")
    for out in (tmp_path / "a", tmp_path / "b"):
        for week in ("2026-W47", "2026-W48"):
            result = invoke(runner, "rollup", "--inbox", inbox, "--out", out, "--week", week)
            assert result.exit_code == 0, result.output
    a = {p.relative_to(tmp_path / "a"): p.read_bytes() for p in sorted((tmp_path / "a").rglob("*")) if p.is_file()}
    b = {p.relative_to(tmp_path / "b"): p.read_bytes() for p in sorted((tmp_path / "b").rglob("*")) if p.is_file()}
    assert a == b
    week = sorted(str(p) for p in a if str(p).startswith("2026-W48"))
    assert "2026-W48/汇总-2026-W48.png" in week
    assert [p for p in week if "/分所/" in p] == [f"2026-W48/分所/汇总-2026-W48-{b}{s}" for b in ("拉萨分所", "日喀则分所")
                                                 for s in (".html", ".png", ".xlsx")]
    size, inked, _c = png_facts(a[next(p for p in a if str(p) == "2026-W48/汇总-2026-W48.png")])
    assert size[0] == 1080 and inked > 0.1
    assert "日喀则扎什旅行社" not in all_text(tmp_path / "a" / "2026-W48" / "分所" / "汇总-2026-W48-拉萨分所.xlsx")


@pytest.mark.slow
def test_rollup_without_fonts_says_so_and_still_writes_the_week(runner, tmp_path, monkeypatch):
    from conftest import invoke
    from test_print import small_inbox

    inbox = small_inbox(tmp_path / "inbox")
    monkeypatch.delenv("QUDAO_FONT", raising=False)
    (tmp_path / "empty").mkdir()
    monkeypatch.setenv("QUDAO_FONT_DIRS", str(tmp_path / "empty"))
    result = invoke(runner, "rollup", "--inbox", inbox, "--out", tmp_path / "out", "--week", "2026-W48")
    assert result.exit_code == 0, result.output
    assert result.output.count("警告：没有找到中文字体，未生成图片") == 1  # once, not once per branch
    assert "未生成图片 汇总-2026-W48.png。请安装中文字体后重试" in result.output
    week = tmp_path / "out" / "2026-W48"
    assert (week / "汇总-2026-W48.xlsx").exists() and not (week / "汇总-2026-W48.png").exists()
    assert sorted(p.suffix for p in (week / "分所").iterdir()) == [".html", ".html", ".xlsx", ".xlsx"]
