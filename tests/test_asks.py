"""HQ's open asks (需协调, issue 14 item 7) on the inbox of tests/issue14_inbox.py, every age by hand."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from conftest import invoke
from issue14_inbox import AS_OF
from openpyxl import load_workbook

D = dt.date


@pytest.fixture
def inbox(issue14):
    return issue14


def read(inbox, as_of):
    from qudao.check.engine import Options, collect
    from qudao.config import Settings
    from qudao.jobs.summarize import read_inbox

    return read_inbox(collect([inbox]), Options(as_of=as_of, extra={"settings": Settings()}), workers=1)


def rows(asks):
    return [(a.branch, a.type, a.text, a.first_raised, a.weeks_open, a.days_open, a.copies, a.status, a.progress)
            for a in asks]


# Seen on 2026-11-30: 拉萨分所 sent its feedback in W46 (11-13), W47 (11-20) and W48 (11-27), its handoff in W47
# and W48; 日喀则分所 its feedback in W48 and its handoff in W47 only (that copy is still its current one).
ON_1130 = [
    # in all three copies of 拉萨分所's feedback: first raised with the W46 copy, 17 days → 2 weeks
    ("拉萨分所", "需协调事项", "总部提供藏文版资料", D(2026, 11, 13), 2, 17, 3, "进行中", "已催办"),
    # W47 and W48 (the W48 copy ends it with 「。」: the same text) → 10 days, 1 week
    ("拉萨分所", "需协调事项", "请总部确认卓玛归属及佣金。", D(2026, 11, 20), 1, 10, 2, "进行中", "等待总部答复"),
    ("拉萨分所", "对接事项", "提供麓湖花园最新价格表", D(2026, 11, 20), 1, 10, 2, "受阻", "等待开发商回复"),
    ("日喀则分所", "对接事项", "协调看房团接待", D(2026, 11, 20), 1, 10, 1, "进行中", ""),
    ("拉萨分所", "对接事项", "安排看房车辆", D(2026, 11, 27), 0, 3, 1, "未开始", ""),
    ("日喀则分所", "存在问题", "缺少宣传折页", D(2026, 11, 27), 0, 3, 1, "进行中", "摆点两次"),
]
# Not listed: 「商会会长出差，签约推迟」 (its item is 已完成 in the W48 copy: resolved) and 「申请推介会预算」
# (已完成 in every copy).


def test_open_asks_with_their_age(issue14_read):
    from qudao.analysis.asks import open_asks

    read_1130 = issue14_read
    assert rows(open_asks(read_1130.reports, read_1130.timeline, AS_OF)) == ON_1130


def test_an_item_no_longer_in_the_current_copy_is_resolved_and_ages_count_to_the_as_of_day(inbox):
    from qudao.analysis.asks import open_asks

    # On 2026-11-23 the W48 copies have not arrived: the W47 copies are current, and the problem
    # 「商会会长出差，签约推迟」 is still open (raised with the W46 copy, 10 days before).
    seen = read(inbox, D(2026, 11, 23))
    assert rows(open_asks(seen.reports, seen.timeline, D(2026, 11, 23))) == [
        ("拉萨分所", "需协调事项", "总部提供藏文版资料", D(2026, 11, 13), 1, 10, 2, "进行中", "翻译中"),
        ("拉萨分所", "存在问题", "商会会长出差，签约推迟", D(2026, 11, 13), 1, 10, 2, "进行中", "会长已回拉萨"),
        ("拉萨分所", "需协调事项", "请总部确认卓玛归属及佣金", D(2026, 11, 20), 0, 3, 1, "进行中", "两家渠道均登记了同一电话"),
        ("拉萨分所", "对接事项", "提供麓湖花园最新价格表", D(2026, 11, 20), 0, 3, 1, "进行中", "已向开发商索取"),
        ("日喀则分所", "对接事项", "协调看房团接待", D(2026, 11, 20), 0, 3, 1, "进行中", ""),
    ]


def test_the_same_text_is_one_item():
    from qudao.analysis.asks import text_key

    assert text_key(" 请总部确认卓玛归属及佣金。") == text_key("请总部确认卓玛归属及佣金") == "请总部确认卓玛归属及佣金"
    assert text_key("总部提供藏文版资料（第二版）") == text_key("总部提供藏文版资料(第二版)")
    assert text_key("总部提供藏文版资料") != text_key("总部提供藏文版资料和视频")
    assert [text_key(t) for t in ("无", " 暂无。", "／", "——", "N/A")] == ["", "", "", "", ""]  # nothing to ask


@pytest.mark.slow
def test_every_summary_output_has_the_asks(runner, inbox, tmp_path):
    out = tmp_path / "s"
    result = invoke(runner, "summarize", inbox, "--as-of", "2026-11-30", "-o", f"{out}.xlsx", "--html", f"{out}.html",
                    "--md", f"{out}.md", "--json", f"{out}.json")
    assert result.exit_code == 0, result.output
    # a line on screen
    assert "需协调：6 项（拉萨分所 4，日喀则分所 2）；最久 2 周：拉萨分所「总部提供藏文版资料」" in result.output
    # JSON key
    data = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))["asks"]
    assert data["count"] == 6 and data["by_branch"] == {"拉萨分所": 4, "日喀则分所": 2}
    first = data["items"][0]
    assert first == {"branch": "拉萨分所", "kind": "coordination", "type": "需协调事项", "item": "总部提供藏文版资料",
                     "first_raised": "2026-11-13", "weeks_open": 2, "days_open": 17, "copies": 3, "status": "进行中",
                     "progress": "已催办", "work_item": "藏文资料准备",
                     "file": "inbox/拉萨分所/工作进程反馈表-2026W48.xlsx", "sheet": "工作进展", "cell": "F7"}  # title, 4 block lines, header
    assert [(i["item"], i["weeks_open"]) for i in data["items"]] == [(r[2], r[4]) for r in ON_1130]
    # xlsx sheet
    ws = load_workbook(tmp_path / "s.xlsx", read_only=True)["需协调"]
    table = [r for r in ws.iter_rows(values_only=True) if r and r[0] in ("拉萨分所", "日喀则分所")]
    assert [(r[0], r[1], r[2], r[3], r[4], r[5]) for r in table] == [
        (b, t, x, d.isoformat(), w, s) for b, t, x, d, w, _days, _n, s, _p in ON_1130]
    # html and md sections
    html = (tmp_path / "s.html").read_text(encoding="utf-8")
    assert "<h2>需协调（分所提请总部协调的事项）</h2>" in html and "<td>请总部确认卓玛归属及佣金。</td>" in html
    md = (tmp_path / "s.md").read_text(encoding="utf-8")
    assert "## 需协调（分所提请总部协调的事项）" in md
    assert "| 拉萨分所 | 需协调事项 | 总部提供藏文版资料 | 2026-11-13 | 2 | 进行中 | 已催办 | 藏文资料准备 |" in md
