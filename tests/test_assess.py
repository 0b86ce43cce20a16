"""Channel assessment (qudao assess, issue 16): a quarter of data, targets and scores, every figure by hand.

The inbox (built below with plain openpyxl, as people paste sheets) holds five channels in two branches:

* 甲 (拉萨分所) — Q4 targets 登记 5 / 到访 2 / 成交 1 / 180.5 of 200 万元, scores 4 4 3 5; Q3: 登记 1 of 2, no
  scores → 不合格 in Q3, 合格 in Q4 (89.2, just under the 90 of 优秀);
* 乙 (拉萨分所) — 不合格 in Q3 (25.0) and Q4 (22.8): 调整合作关系;
* 丙 (日喀则分所) — no targets, scores 3 3 3 4: assessed on the scores alone (65.0 合格) and flagged;
* 丁 (日喀则分所) — every target met or beaten (capped at 100 %), scores 5 5 4 4: 97.0 优秀 → 奖励;
* 戊 (日喀则分所) — one registration, no targets, no scores: 未评定.

Every visit and deal falls in the quarter of its registration, so the period's counts are the same whether
visits are counted by visit date or over the quarter's registrations.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import invoke, make_register
from issue14_inbox import book as plain_book

D = dt.date
AS_OF = D(2027, 1, 4)
SENT = D(2027, 1, 4)

REGISTERS = {  # channel → (branch, rows: 登记日期, 到访日期, 成交日期, 成交楼盘, 成交金额)
    "甲": ("拉萨分所", [(D(2026, 8, 10),), (D(2026, 10, 12), D(2026, 10, 20), D(2026, 10, 28), "麓湖花园", 180.5),
                       (D(2026, 11, 2), D(2026, 11, 15)), (D(2026, 11, 20),), (D(2026, 12, 5),)]),
    "乙": ("拉萨分所", [(D(2026, 7, 15),), (D(2026, 9, 1),), (D(2026, 10, 5), D(2026, 10, 25)), (D(2026, 12, 10),)]),
    "丙": ("日喀则分所", [(D(2026, 10, 8), D(2026, 10, 30)), (D(2026, 11, 11),), (D(2026, 12, 1),)]),
    "丁": ("日喀则分所", [(D(2026, 10, 3), D(2026, 10, 10), D(2026, 11, 5), "天府云城", 120),
                         (D(2026, 10, 15),), (D(2026, 11, 20),)]),
    "戊": ("日喀则分所", [(D(2026, 12, 20),)]),
}

TARGETS = [  # 考核期间, 渠道名称, 所属分所, 登记, 到访, 成交套数, 成交金额(万元)
    ("2026Q3", "甲", "拉萨分所", 2, None, None, None),
    ("2026Q3", "乙", "拉萨分所", 4, 2, None, None),
    ("2026Q4", "甲", "拉萨分所", 5, 2, 1, 200),
    ("2026年第四季度", "乙", "拉萨分所", 6, 3, 1, 150),
    ("2026Q4", "丁", "日喀则分所", 2, 1, 1, 100),
]
DEV_TARGETS = [("2026Q4", "拉萨分所", 2), ("2026Q4", "日喀则分所", 1)]
SCORES = [  # 考核期间, 渠道名称, 服务质量/满意度, 市场开发, 配合度, 培训参与, 评语, 评分人
    ("2026Q4", "甲", 4, 4, 3, 5, "报备及时", "李强"),
    ("2026Q4", "乙", 2, 3, 2, 2, "多次漏报", "李强"),
    ("2026Q4", "丙", 3, 3, 3, 4, "", "王芳"),
    ("2026Q4", "丁", 5, 5, 4, 4, "活动积极", "王芳"),
]


def build_inbox(root: Path, sent: dt.date = SENT) -> Path:
    """The inbox as it stands on ``sent``: what happened after that day is not in it yet."""
    inbox = root / "inbox"
    inbox.mkdir()
    phone = 13800000000
    for channel, (branch, rows) in REGISTERS.items():
        lines = []
        for n, row in enumerate(rows, start=1):
            phone += 1
            registered, visit, deal, prop, amount = (*row, None, None, None, None)[:5]
            if registered > sent:
                continue
            if deal and deal > sent:
                deal = prop = amount = None
            lines.append([n, registered, f"客户{channel}{n}", str(phone), "B", visit if visit and visit <= sent else None,
                          deal, prop, amount])
        make_register(inbox / f"{channel}-登记表.xlsx", lines,
                      block={"渠道名称": channel, "所属分所": branch, "报送日期": sent})
    plain_book(inbox / "渠道目标表-2026.xlsx", [
        ("渠道目标", "渠道目标表", {"填表日期": D(2026, 10, 8)},
         ["序号", "考核期间", "渠道名称", "所属分所", "登记目标", "到访目标", "成交套数目标", "成交金额目标(万元)"],
         [(n, *row) for n, row in enumerate(TARGETS, start=1)]),
        ("拓展目标", "分所新渠道拓展目标", {}, ["序号", "考核期间", "所属分所", "新拓展渠道目标"],
         [(n, *row) for n, row in enumerate(DEV_TARGETS, start=1)]),
    ])
    plain_book(inbox / "渠道考核评分表-2026Q4.xlsx", [
        ("考核评分", "渠道考核评分表", {"填表日期": min(D(2027, 1, 4), sent)},
         ["序号", "考核期间", "渠道名称", "服务质量/满意度", "市场开发", "配合度", "培训参与", "评语", "评分人"],
         [(n, *row) for n, row in enumerate(SCORES, start=1)]),
    ])
    plain_book(inbox / "渠道拓展标准流程管理表-拉萨分所.xlsx", [
        ("渠道拓展", "渠道拓展标准流程管理表", {"分所": "拉萨分所", "填表日期": min(D(2026, 12, 31), sent)},
         ["序号", "渠道名称", "渠道类型", "初访日期", "协议签订日期"],
         [(1, "甲", "物业", D(2026, 6, 1), D(2026, 7, 1)), (2, "乙", "物业", D(2026, 6, 10), D(2026, 8, 1)),
          (3, "己", "旅行社", D(2026, 10, 2), D(2026, 10, 20)), (4, "庚", "旅行社", D(2026, 12, 1), None)]),
    ])
    return inbox


@pytest.fixture(scope="module")
def inbox(tmp_path_factory) -> Path:
    return build_inbox(tmp_path_factory.mktemp("assess"))


@pytest.fixture(scope="module")
def q4(inbox):
    from typer.testing import CliRunner

    result = invoke(CliRunner(), "assess", inbox, "--period", "2026Q4", "--as-of", AS_OF, "--json", "-")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    return data, {c["channel"]: c for c in data["channels"]}


def rates(channel: dict) -> list:
    return [(i["actual"], i["target"], i["rate"]) for i in channel["indicators"]]


@pytest.mark.slow
def test_every_figure_of_the_quarter(q4):
    data, ch = q4
    assert data["period"] == {"label": "2026Q4", "title": "2026年第四季度", "start": "2026-10-01", "end": "2026-12-31"}
    assert data["provisional"] is False and data["previous_period"] == "2026Q3"
    assert [c["channel"] for c in data["channels"]] == ["丁", "甲", "丙", "乙", "戊"]  # by total, 未评定 last
    assert data["counts"] == {"优秀": 1, "合格": 2, "不合格": 1, "未评定": 1}

    # 甲: 4/5, 2/2, 1/1, 180.5/200 → 100 × (0.2·0.8 + 0.2·1 + 0.3·1 + 0.3·0.9025) = 93.075;
    #     scores 4 4 3 5 → 20 × 4 = 80; total 0.7 × 93.075 + 0.3 × 80 = 89.1525 → 89.2 < 90: 合格
    a = ch["甲"]
    assert rates(a) == [(4, 5, 0.8), (2, 2, 1.0), (1, 1, 1.0), (180.5, 200.0, 0.9025)]
    assert (a["quantitative"], a["qualitative"], a["total"], a["result"], a["action"]) == (93.1, 80.0, 89.2, "合格", "—")
    assert a["previous"] == {"total": 50.0, "result": "不合格", "actual": {"registrations": 1, "visits": 0, "deals": 0,
                                                                       "deal_amount": 0.0}}
    assert a["change"] == 39.2 and a["consecutive_fails"] == 0 and a["notes"] == []
    assert a["scores"] == {"service": 4, "market": 4, "cooperation": 3, "training": 5, "comment": "报备及时",
                           "scorer": "李强"}

    # 乙: 2/6, 1/3, 0/1, 0/150 → 100 × (0.2/3 + 0.2/3) = 13.333…; scores 2 3 2 2 → 45;
    #     total 9.333… + 13.5 = 22.833… → 22.8 不合格; Q3 was 25.0 不合格 too → 调整合作关系
    b = ch["乙"]
    assert rates(b) == [(2, 6, 0.3333), (1, 3, 0.3333), (0, 1, 0.0), (0.0, 150.0, 0.0)]
    assert (b["quantitative"], b["qualitative"], b["total"], b["result"]) == (13.3, 45.0, 22.8, "不合格")
    assert b["action"] == "调整合作关系" and b["consecutive_fails"] == 2 and b["notes"] == ["连续 2 期不合格"]
    assert b["previous"]["total"] == 25.0 and b["previous"]["result"] == "不合格" and b["change"] == -2.2

    # 丙: no targets → the scores alone: 20 × 3.25 = 65.0 合格, flagged, never scored against zero
    c = ch["丙"]
    assert rates(c) == [(3, None, None), (1, None, None), (0, None, None), (0.0, None, None)]
    assert (c["quantitative"], c["qualitative"], c["total"], c["result"], c["action"]) == (None, 65.0, 65.0, "合格", "—")
    assert c["has_targets"] is False and c["notes"] == ["本期没有目标：只按定性评分考核（不与零目标比较）"]

    # 丁: 3/2, 1/1, 1/1, 120/100 → every rate capped at 100 % → 100; scores 5 5 4 4 → 90; 70 + 27 = 97.0 优秀
    d = ch["丁"]
    assert rates(d) == [(3, 2, 1.5), (1, 1, 1.0), (1, 1, 1.0), (120.0, 100.0, 1.2)]
    assert (d["quantitative"], d["qualitative"], d["total"], d["result"], d["action"]) == (100.0, 90.0, 97.0, "优秀", "奖励")

    # 戊: nothing to assess it on
    e = ch["戊"]
    assert (e["quantitative"], e["qualitative"], e["total"], e["result"], e["action"]) == (None, None, None, "未评定",
                                                                                          "补充目标或评分")
    assert e["notes"] == ["本期没有目标，也没有定性评分：未评定"] and e["indicators"][0]["actual"] == 1


@pytest.mark.slow
def test_branch_roll_up(q4):
    data, _ch = q4
    lhasa, shigatse = data["branches"]
    # 拉萨分所: 甲 + 乙 — 登记 (4 + 2) / (5 + 6), 到访 3/5, 成交 1/2, 金额 180.5/350; average (89.1525 + 22.8333…) / 2
    assert lhasa["branch"] == "拉萨分所" and lhasa["channels"] == 2
    assert lhasa["results"] == {"优秀": 0, "合格": 1, "不合格": 1, "未评定": 0} and lhasa["average_total"] == 56.0
    assert [(i["actual"], i["target"], i["rate"]) for i in lhasa["indicators"]] == [
        (6, 11, 0.5455), (3, 5, 0.6), (1, 2, 0.5), (180.5, 350.0, 0.5157)]
    # one of the two channels the tracker lists signed in Q4 (己, 2026-10-20); 甲 and 乙 signed in Q3
    assert lhasa["new_channels"] == {"target": 2, "full_target": 2, "actual": 1, "rate": 0.5, "channels": ["己"]}
    # 日喀则分所: only 丁 has targets; 丙 and 戊 do not; no expansion tracker came from the branch
    assert shigatse["channels"] == 3 and shigatse["without_targets"] == 2 and shigatse["average_total"] == 81.0
    assert [(i["actual"], i["target"], i["rate"]) for i in shigatse["indicators"]] == [
        (3, 2, 1.5), (1, 1, 1.0), (1, 1, 1.0), (120.0, 100.0, 1.2)]
    assert shigatse["new_channels"] == {"target": 1, "full_target": 1, "actual": None, "rate": None, "channels": []}


@pytest.mark.slow
def test_previous_quarter_and_the_half_year(inbox):
    from qudao.check.engine import Options, collect
    from qudao.config import Settings
    from qudao.jobs.assess import assess_inbox
    from qudao.jobs.summarize import read_inbox
    from qudao.periods import parse_period

    settings = Settings()
    read = read_inbox(collect([inbox]), Options(as_of=AS_OF, extra={"settings": settings}), workers=1)
    q3 = assess_inbox(read, parse_period("2026Q3"), settings, AS_OF)
    by = {c.channel: c for c in q3.channels}
    # 甲 Q3: 登记 1 of 2, no other target, no scores → 100 × 0.5 = 50.0 不合格 (整改: the first one)
    assert (by["甲"].total, by["甲"].result, by["甲"].action) == (Decimal(50), "不合格", "整改")
    assert by["甲"].notes == ["本期没有定性评分：总分按定量得分", "未设目标、不计分：到访、成交套数、成交金额(万元)"]
    # 乙 Q3: 登记 2 of 4, 到访 0 of 2 → 100 × (0.2·0.5 + 0) / 0.4 = 25
    assert (by["乙"].quantitative, by["乙"].result, by["乙"].action) == (Decimal(25), "不合格", "整改")
    assert sorted(by) == ["乙", "甲"]  # 丙, 丁 and 戊 had nothing in Q3: no registration, target or score
    # a half-year nobody set targets or scores for: every channel 未评定, the actuals still shown
    h2 = assess_inbox(read, parse_period("2026H2"), settings, AS_OF)
    assert {c.result for c in h2.channels} == {"未评定"}
    assert {c.channel: int(c.indicators[0].actual) for c in h2.channels} == {"甲": 4 + 1, "乙": 4, "丙": 3, "丁": 3,
                                                                              "戊": 1}
    assert h2.previous.period.label == "2026H1"


def test_scores_and_results_by_formula():
    from qudao.analysis.assess import (
        Indicator,
        action_of,
        qualitative_score,
        quantitative_score,
        result_of,
        total_score,
    )
    from qudao.config import Settings

    s = Settings()
    w = {"registrations": Decimal("0.2"), "visits": Decimal("0.2"), "deals": Decimal("0.3"),
         "deal_amount": Decimal("0.3")}
    inds = [Indicator("registrations", Decimal(4), Decimal(5), w["registrations"]),
            Indicator("visits", Decimal(2), None, w["visits"]),  # no target: not scored, weights re-normalised
            Indicator("deals", Decimal(0), Decimal(1), w["deals"]),
            Indicator("deal_amount", Decimal("180.5"), Decimal(200), w["deal_amount"])]
    # (0.2·0.8 + 0.3·0 + 0.3·0.9025) / 0.8 = 0.43075 / 0.8
    assert quantitative_score(inds) == Decimal("53.84375")
    assert quantitative_score([Indicator("deals", Decimal(3), None, w["deals"])]) is None
    assert qualitative_score({"service": 5, "market": 4, "cooperation": 4, "training": 3}, s) == Decimal(80)
    assert total_score(None, Decimal(80), s) == Decimal(80) and total_score(None, None, s) is None
    assert [result_of(Decimal(x), s) for x in ("89.95", "89.94", "60", "59.95", "59.94")] == [
        "优秀", "合格", "合格", "合格", "不合格"]  # on the total rounded half-up to one decimal
    assert [action_of("不合格", n, s) for n in (1, 2, 3)] == ["整改", "调整合作关系", "调整合作关系"]
    assert action_of("优秀", 0, s) == "奖励" and action_of("合格", 0, s) == "—"


@pytest.mark.slow
def test_outputs_agree_and_are_deterministic(inbox, tmp_path):
    from openpyxl import load_workbook
    from typer.testing import CliRunner

    runner = CliRunner()
    out = tmp_path / "out"
    args = ["assess", inbox, "--period", "2026Q4", "--as-of", AS_OF, "-o", out / "考核.xlsx", "--html", out / "考核.html",
            "--md", out / "考核.md", "--json", out / "考核.json"]
    result = invoke(runner, *args)
    assert result.exit_code == 0, result.output
    assert "渠道考核表 · 2026年第四季度（2026Q4）" in result.output and "调整合作关系" in result.output
    assert "已写入" in result.output and "拉萨分所：2 个渠道" in result.output
    first = (out / "考核.xlsx").read_bytes()
    again = invoke(runner, *args)
    assert again.exit_code == 2 and "已存在" in again.output
    assert invoke(runner, *args, "--force").exit_code == 0 and (out / "考核.xlsx").read_bytes() == first

    data = json.loads((out / "考核.json").read_text(encoding="utf-8"))
    wb = load_workbook(out / "考核.xlsx")
    assert wb.sheetnames == ["考核结果", "按分所", "定性评分", "与上期对比", "考核说明", "_qudao"]
    ws = wb["考核结果"]
    header = [c.value for c in ws[6]]
    rows = [dict(zip(header, [c.value for c in row])) for row in ws.iter_rows(min_row=7) if row[0].value]
    assert [r["渠道名称"] for r in rows] == [c["channel"] for c in data["channels"]]
    for r, c in zip(rows, data["channels"]):
        assert (r["定量得分"], r["定性得分"], r["总分"], r["考核结果"], r["处理措施"]) == (
            c["quantitative"], c["qualitative"], c["total"], c["result"], c["action"])
    assert ws._charts and ws["A1"].value == "渠道考核表 · 2026年第四季度（2026Q4）"
    # a report saved into the inbox is passed over, never read as targets or registers
    assert wb["_qudao"]["B1"].value == "summary"

    html = (out / "考核.html").read_text(encoding="utf-8")
    md = (out / "考核.md").read_text(encoding="utf-8")
    for text in ("调整合作关系", "连续 2 期不合格", "本期没有目标：只按定性评分考核（不与零目标比较）", "89.2", "22.8",
                 "（未收到渠道拓展表）"):
        assert text in html and text in md, text
    assert "| 乙 | 拉萨分所 | 2 / 6 / 33.3% | 1 / 3 / 33.3% | 0 / 1 / 0.0% | 0.00 / 150.00 / 0.0% | 13.3 | 45.0 | **22.8** | 不合格 | 调整合作关系 | 25.0 不合格 | -2.2 | 连续 2 期不合格 |" in md


@pytest.mark.slow
def test_a_quarter_not_over_is_a_mid_period_view(tmp_path):
    from typer.testing import CliRunner

    inbox = build_inbox(tmp_path, sent=D(2026, 11, 15))
    data = json.loads(invoke(CliRunner(), "assess", inbox, "--period", "2026Q4", "--as-of", "2026-11-15",
                             "--json", "-").output)
    assert data["provisional"] is True and data["elapsed"] == 0.5
    assert data["status"] == ("2026年第四季度（2026-10-01 至 2026-12-31）尚未结束：数据截至 2026-11-15，时间进度 50.0%；"
                              "完成率按进度目标（全期目标 × 时间进度）计算，结果为期中预评")
    ch = {c["channel"]: c for c in data["channels"]}
    # 46 of 92 days: half of each target is due, a count rounded up to a whole one (2.5 登记 due is 3, 0.5 套 is
    # 1; issue 25: no fractional counts). 甲: 2 of 3, 2 of 1, 1 of 1, 180.5 of 100 → 93.3 (the summary's grade
    # on the same day); scores 80 → 0.7 × 93.33 + 0.3 × 80 = 89.3: 合格 so far
    assert [(i["actual"], i["target"], i["full_target"], i["rate"]) for i in ch["甲"]["indicators"]] == [
        (2, 3, 5, 0.6667), (2, 1, 2, 2.0), (1, 1, 1, 1.0), (180.5, 100.0, 200.0, 1.805)]
    assert (ch["甲"]["quantitative"], ch["甲"]["total"], ch["甲"]["result"]) == (93.3, 89.3, "合格")
    assert data["branches"][0]["new_channels"] == {"target": 1, "full_target": 2, "actual": 1, "rate": 1.0,
                                                   "channels": ["己"]}


@pytest.mark.slow
def test_settings_change_the_results(inbox, tmp_path):
    from typer.testing import CliRunner

    config = tmp_path / "qudao.toml"
    config.write_text("[assess]\nweights = { quantitative = 0.5, qualitative = 0.5 }\n"
                      "results = { excellent = 85, pass = 60 }\nadjust_after = 3\n", encoding="utf-8")
    data = json.loads(invoke(CliRunner(), "assess", inbox, "--period", "2026Q4", "--as-of", AS_OF, "--json", "-",
                             "--config", config).output)
    ch = {c["channel"]: c for c in data["channels"]}
    # 甲: 0.5 × 93.075 + 0.5 × 80 = 86.5375 → 86.5 ≥ 85: 优秀; 乙 failed twice, not three times: 整改
    assert (ch["甲"]["total"], ch["甲"]["result"], ch["甲"]["action"]) == (86.5, "优秀", "奖励")
    assert (ch["乙"]["result"], ch["乙"]["action"], ch["乙"]["consecutive_fails"]) == ("不合格", "整改", 2)


@pytest.mark.parametrize("args, text", [
    (("--period", "2026Q5"), "--period「2026Q5」格式不对：考核期间应写成 2026Q4（季度）、2026H2（半年）或 2026（全年）"), (("--period", "2026Q4", "-o", "x.csv"), ".xlsx"),
    (("--period", "2026Q4", "--as-of", "soon"), "--as-of"), (("--period", "2026Q4", "--html", "x.htm"), ".html"),
])
def test_usage_errors(tmp_path, args, text):
    from typer.testing import CliRunner

    result = invoke(CliRunner(), "assess", tmp_path, *args)
    assert result.exit_code == 2 and text in result.output


def test_rejected_rows_make_exit_one(tmp_path):
    from typer.testing import CliRunner

    plain_book(tmp_path / "目标.xlsx", [("渠道目标", "渠道目标表", {}, ["考核期间", "渠道名称", "登记目标"],
                                         [("2026Q4", "甲", 5), ("2026Q9", "乙", 3)])])
    result = invoke(CliRunner(), "assess", tmp_path, "--period", "2026Q4", "--as-of", AS_OF, "--json", "-")
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert [(c["channel"], c["result"], c["notes"]) for c in data["channels"]] == [
        ("甲", "不合格", ["本期没有定性评分：总分按定量得分", "未设目标、不计分：到访、成交套数、成交金额(万元)",
                        "登记表中没有该渠道的记录"])]  # 0 of 5: targets and nothing done
    (problem,) = data["findings"]["targets_and_scores"]
    assert (problem["code"], problem["cell"]) == ("period.invalid", "A4")


# --------------------------------------------------------------------------- the summary's 建议等级


def summary_of(inbox: Path, *args) -> dict:
    from typer.testing import CliRunner

    result = invoke(CliRunner(), "summarize", inbox, "--as-of", AS_OF, "--json", "-", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def grades(data: dict) -> list[tuple]:
    return [(c["channel"], c["score"], c["grade"], c["grade_basis"], c["target_period"]) for c in data["by_channel"]]


@pytest.mark.slow
def test_summary_grades_against_targets_where_they_exist(inbox):
    # mid-quarter: 2026-10-01 … 11-15 is 46 of Q4's 92 days, so each target counts half.
    # A count due is rounded up to a whole one (issue 25): 2.5 登记 due is 3, 1.5 到访 is 2, 0.5 套 is 1.
    # 甲: 登记 2 of 3, 到访 2 of 1, 成交 1 of 1, 180.5 of 100 → 100 × (0.2·2/3 + 0.2 + 0.3 + 0.3) = 93.3
    # 乙: 登记 1 of 3, 到访 1 of 2, 0 of 1, 0 of 75 → 100 × (0.2/3 + 0.2/2) = 16.7;  丁: all met → 100
    data = summary_of(inbox, "--to", "2026-11-15")
    assert grades(data)[:3] == [("丁", 100.0, "A", "target", "2026Q4"), ("甲", 93.3, "A", "target", "2026Q4"),
                                ("乙", 16.7, "D", "target", "2026Q4")]
    # 戊 registered its only customer on 12-20: a report to 11-15 does not know it yet (docs/time.md)
    assert {c[0]: c[3:] for c in grades(data)[3:]} == {"丙": ("relative", None)}
    assert data["grade_basis"] == ("评分依据：目标完成率（3 个有目标的渠道：2026Q4 截至 2026-11-15，目标按时间进度 50.0% 折算）；"
                                   "其余 1 个渠道没有目标，按相对本期最佳渠道评分")
    # the first days of 2027Q1, whose targets are not set yet: the quarter just ended counts, whole
    data = summary_of(inbox)
    assert grades(data)[:3] == [("丁", 100.0, "A", "target", "2026Q4"), ("甲", 93.1, "A", "target", "2026Q4"),
                                ("乙", 13.3, "D", "target", "2026Q4")]
    assert data["grade_basis"].startswith("评分依据：目标完成率（3 个有目标的渠道：2026Q4 全期）")


@pytest.mark.slow
def test_a_grade_against_targets_does_not_move_when_another_channel_does_better(inbox, tmp_path):
    import shutil

    before = {c[0]: c for c in grades(summary_of(inbox, "--to", "2026-11-15"))}
    bigger = tmp_path / "inbox"
    shutil.copytree(inbox, bigger)
    make_register(bigger / "庚-登记表.xlsx", [[n, D(2026, 10, 5), f"客户庚{n}", f"1390000{n:04d}", "A", D(2026, 10, 6),
                                               D(2026, 10, 7), "麓湖花园", 900] for n in range(1, 9)],
                  block={"渠道名称": "庚", "所属分所": "绵阳分所", "报送日期": SENT})
    after = {c[0]: c for c in grades(summary_of(bigger, "--to", "2026-11-15"))}
    for channel in ("甲", "乙", "丁"):
        assert after[channel] == before[channel]
    assert after["丙"][1] < before["丙"][1]  # relative to the best channel: 庚 now sets the bar
    assert summary_of(bigger / "庚-登记表.xlsx")["grade_basis"].startswith("评分依据：相对本期最佳渠道（没有渠道目标")


@pytest.mark.slow
def test_every_summary_output_states_the_basis(inbox, tmp_path):
    from openpyxl import load_workbook
    from typer.testing import CliRunner

    out = tmp_path / "out"
    result = invoke(CliRunner(), "summarize", inbox, "--as-of", AS_OF, "--to", "2026-11-15", "-o", out / "s.xlsx",
                    "--html", out / "s.html", "--md", out / "s.md")
    assert result.exit_code == 0, result.output
    basis = "评分依据：目标完成率（3 个有目标的渠道：2026Q4 截至 2026-11-15，目标按时间进度 50.0% 折算）"
    flat = "".join(line.strip() for line in result.output.splitlines())  # long lines wrap to the terminal
    assert basis in flat and "A（目标）" in result.output and "（相对）" in result.output
    assert basis in (out / "s.html").read_text(encoding="utf-8") and basis in (out / "s.md").read_text(encoding="utf-8")
    wb = load_workbook(out / "s.xlsx")
    assert wb["总览"]["A3"].value.startswith(basis)
    ws = wb["按渠道"]
    header = [c.value for c in ws[1]]
    rows = [dict(zip(header, [c.value for c in row])) for row in ws.iter_rows(min_row=2) if isinstance(row[0].value, int)]
    assert [(r["渠道名称"], r["评分"], r["建议等级"], r["评分依据"]) for r in rows][:3] == [
        ("丁", 100, "A", "目标 2026Q4"), ("甲", 93.3, "A", "目标 2026Q4"), ("乙", 16.7, "D", "目标 2026Q4")]
    assert {r["评分依据"] for r in rows[3:]} == {"相对本期最佳"}


# --------------------------------------------------------------------------- rollup at a quarter's end


@pytest.mark.slow
def test_rollup_of_the_week_that_ends_the_quarter_writes_its_assessment(inbox, q4, tmp_path):
    from typer.testing import CliRunner

    runner = CliRunner()
    out = tmp_path / "out"
    # 2026-W53 (2026-12-28 … 2027-01-03) holds 12-31: the end of 2026Q4, 2026H2 and 2026; checked on 2027-01-04
    result = invoke(runner, "rollup", "--inbox", inbox, "--out", out, "--week", "2026-W53")
    assert result.exit_code == 0, result.output
    folder = out / "2026-W53"
    names = sorted(p.name for p in folder.iterdir())
    for label in ("2026Q4", "2026H2", "2026"):
        for suffix in (".xlsx", ".html", ".md", ".json"):
            assert f"考核-{label}{suffix}" in names
    data, _ch = q4
    assert json.loads((folder / "考核-2026Q4.json").read_text(encoding="utf-8")) == data  # = qudao assess
    first = (folder / "考核-2026Q4.xlsx").read_bytes()
    assert invoke(runner, "rollup", "--inbox", inbox, "--out", out, "--week", "2026-W53").exit_code == 0
    assert (folder / "考核-2026Q4.xlsx").read_bytes() == first  # the same bytes on a re-run
    # an ordinary week writes no assessment
    assert invoke(runner, "rollup", "--inbox", inbox, "--out", out, "--week", "2026-W50").exit_code == 0
    assert not [p for p in (out / "2026-W50").iterdir() if p.name.startswith("考核")]


# --------------------------------------------------------------------------- no value stops a run


@pytest.mark.slow
def test_any_value_in_targets_and_scores_is_a_finding_never_a_crash(tmp_path):
    """Random cell values in every column of both kinds (and their 填表日期): validate, the summary's grading and
    the assessment run to the end; every error names a sheet and a cell."""
    import random

    from qudao.analysis.register import Period
    from qudao.check.engine import Options, collect
    from qudao.config import Settings
    from qudao.jobs.assess import AssessRun, assess_inbox
    from qudao.jobs.summarize import read_inbox, summarize
    from qudao.periods import parse_period
    from qudao.schema import get_kind

    rng = random.Random(16)
    pool = ["", " ", "2026Q4", "2026年第四季度", "2026", "2026H2", "Q4", "2026Q0", -3, 0, 1, 5, 6, 2.5, 1e308, "abc",
            "=1+1", "甲", "十", D(2026, 11, 3), dt.datetime(2026, 11, 3, 8), True, "x" * 300, "1,200", "５", None]
    settings = Settings()
    accepted = {"register": 0, "targets": 0, "scores": 0}
    for round_ in range(12):
        inbox = tmp_path / f"r{round_}"
        inbox.mkdir()
        make_register(inbox / "甲.xlsx", [[1, D(2026, 10, 5), "张三", "13812345678", "A"]],
                      header=["序号", "登记日期", "客户姓名", "联系电话", "意向等级"],
                      block={"渠道名称": "甲", "报送日期": D(2026, 12, 1)})
        for kind_id in ("targets", "scores"):
            kind = get_kind(kind_id)
            sheets = []
            for table in kind.tables:
                header = [c.header for c in table.columns]
                valid = {"考核期间": "2026Q4", "渠道名称": "甲", "所属分所": "拉萨分所", "评分人": "李强",
                         **{c.header: 3 for c in table.columns if c.type in ("int", "money") and not c.seq}}
                rows = []
                for _ in range(6):  # a valid row with up to three cells replaced by anything
                    row = [valid.get(h) for h in header]
                    for k in rng.sample(range(len(header)), rng.randrange(4)):
                        row[k] = rng.choice(pool)
                    rows.append(row)
                block = {"填表日期": rng.choice(pool)} if table.block else {}
                sheets.append((table.sheet, kind.title, block, header, rows))
            plain_book(inbox / f"{kind_id}.xlsx", sheets)
        options = Options(as_of=AS_OF, extra={"settings": settings})
        read = read_inbox(collect([inbox]), options, workers=1)
        for report in read.reports:
            assert report.kind in ("register", "targets", "scores") and not report.unreadable, report.findings
            accepted[report.kind] += report.rows_accepted
            for f in report.findings:
                assert f.severity != "error" or (f.sheet and (f.cell or f.row)), f
        summarize(read, settings, Period(None, D(2026, 11, 15)), AS_OF)
        for label in ("2026Q4", "2026H2", "2026"):
            assessed = assess_inbox(read, parse_period(label), settings, AS_OF)
            assessed.to_json()
        out = tmp_path / f"out{round_}"
        AssessRun(assessed, read.reports).write(out / "a.xlsx", out / "a.html", out / "a.md", out / "a.json")
    assert accepted["targets"] and accepted["scores"], accepted  # some rows made it through to the assessment
