"""A quarter of weekly statements, W41 … W53 (issue 22): money a partner can reconcile.

The inbox is tests/quarter_inbox.py: every figure below is worked out by hand from its docstring, not by qudao.
Each channel's weekly statement is made as the rollup makes it — on the Monday after the week, from the copies
received by then, compared with what was stated a week earlier — and the quarter's statement on 2027-01-04.

* the period's lines and the corrections of every week, figure by figure; their sum over the 13 weeks equals
  the quarter statement to the cent;
* a correction (周杰 162 → 126), a cancellation (卓玛), a withdrawn registration (次旦), a late visit (央宗) and a
  takeover (格桑) each appear once, in the week they arrived, naming the week they belong to;
* the agreement's 状态 still 有效 after its 到期 (on 2027-01-04) is a warning and changes no amount; a
  registration before an agreement took effect says so in its rate source;
* the legal name in 雪域's W47/W48 headers is one channel with its short name: no count changes;
* payments turn lines 已付 / 部分支付, the unpaid line past due is 逾期 and on its follower's to-do list, and the
  double payment and the payment of a cancelled deal are findings naming their rows;
* the previous statement's JSON (what the weekly record keeps) gives the same statement as the recomputation.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
import quarter_inbox as q
from conftest import invoke
from quarter_inbox import SHANGHUI, TIANLU, WEEKS, XUEYU, ZHASHI

pytestmark = pytest.mark.slow  # 13 weeks × 4 channels of statements, and two rollups

D = dt.date
FINAL = D(2027, 1, 4)  # the Monday after W53
CHANNELS = (XUEYU, SHANGHUI, TIANLU, ZHASHI)
FIRST = {XUEYU: "2026-W41", SHANGHUI: "2026-W41", TIANLU: "2026-W45", ZHASHI: "2026-W41"}


def F(reg=0, conflicts=0, visits=0, deals=0, amount="0", commission="0", paid="0"):
    """Figures: 登记, 撞单, 到访, 成交, 成交金额, 佣金, 已付 (万元, as Decimal strings)."""
    return (reg, conflicts, visits, deals, Decimal(amount), Decimal(commission), Decimal(paid))


# the period's new lines of each week (weeks not listed: none), by hand from quarter_inbox.py
THIS_WEEK = {
    XUEYU: {"2026-W41": F(reg=2, visits=1),  # 拉姆 and 周杰 registered, 拉姆 visited
            "2026-W42": F(reg=2, deals=1, amount="250", commission="3.00"),  # 卓玛, 次旦; 拉姆 250 × 1.2 %
            "2026-W43": F(visits=1), "2026-W44": F(visits=1), "2026-W45": F(reg=1),
            "2026-W46": F(deals=1, amount="200", commission="2.40"),  # 卓玛 200 × 1.2 %
            "2026-W47": F(deals=1, amount="162", commission="1.94"),  # 周杰 162 × 1.2 % = 1.944
            "2026-W51": F(paid="3.02"),  # FK-002 and FK-003, 1.51 each
            "2026-W52": F(reg=1, visits=1, paid="2.40"),  # 多吉; FK-004
            "2026-W53": F(deals=1, amount="100", commission="1.20")},  # 多吉 100 × 1.2 %, QD-2026-001 still
    SHANGHUI: {"2026-W41": F(reg=1), "2026-W42": F(visits=1),
               "2026-W43": F(deals=1, amount="150", commission="2.25"),  # the default 1.5 %
               "2026-W45": F(reg=1), "2026-W48": F(paid="2.25"), "2026-W50": F(reg=1)},
    TIANLU: {"2026-W45": F(reg=1), "2026-W46": F(reg=1, visits=1),
             "2026-W47": F(visits=1, deals=1, amount="300", commission="4.50"),  # before QD-2026-002: 1.5 %
             "2026-W48": F(deals=1, amount="80", commission="0.80"),  # under QD-2026-002: 1.0 %
             "2026-W53": F(paid="2.00")},
    ZHASHI: {"2026-W41": F(reg=3), "2026-W42": F(reg=1)},
}
# every correction of the quarter: (channel, the week it arrived, label, the week it belongs to, customer, ±)
CORRECTIONS = [
    (XUEYU, "2026-W48", "成交金额更正", "2026-W47", "周杰", F(amount="-36", commission="-0.43")),  # 1.94 → 1.51
    (XUEYU, "2026-W49", "登记撤回", "2026-W42", "次旦", F(reg=-1)),
    (XUEYU, "2026-W50", "成交取消", "2026-W46", "卓玛", F(deals=-1, amount="-200", commission="-2.40")),
    (SHANGHUI, "2026-W48", "迟报到访", "2026-W46", "央宗", F(visits=1)),
]
TAKEOVERS = [(XUEYU, "2026-W50", "格桑", D(2026, 12, 2))]  # 西藏四川商会 registered her on 12-09
# the quarter's statement (2026-10-05 … 2027-01-03, made on 2027-01-04): everything as it stands
QUARTER = {
    XUEYU: F(reg=5, visits=4, deals=3, amount="476", commission="5.71", paid="5.42"),  # 3.00 + 1.51 + 1.20
    SHANGHUI: F(reg=3, visits=2, deals=1, amount="150", commission="2.25", paid="2.25"),
    TIANLU: F(reg=2, visits=2, deals=2, amount="380", commission="5.30", paid="2.00"),
    ZHASHI: F(reg=4),
}
NO_REGISTER = {  # weeks whose statement says no register of the channel was received
    XUEYU: [], ZHASHI: [], TIANLU: ["2026-W51"],
    SHANGHUI: ["2026-W44", "2026-W46", "2026-W47", "2026-W49", "2026-W51", "2026-W52", "2026-W53"],
}


def figures(f) -> tuple:
    return (f.registrations, f.conflicts, f.visits, f.deals, f.deal_amount, f.commission, f.paid)


def plus(a: tuple, b: tuple) -> tuple:
    return tuple(x + y for x, y in zip(a, b))


@pytest.fixture(scope="module")
def quarter(tmp_path_factory):
    """The inbox, read once (as it stood on 2027-01-04); each week is seen as it stood on its Monday."""
    from qudao.check.engine import Options, collect
    from qudao.config import Settings
    from qudao.jobs.summarize import read_inbox

    inbox = q.build(tmp_path_factory.mktemp("quarter"))
    settings = Settings()
    read = read_inbox(collect([inbox]), Options(as_of=FINAL, extra={"settings": settings}), workers=1)
    return inbox, read, settings


@pytest.fixture(scope="module")
def weekly(quarter):
    """channel → week → the week's statement (made on the Monday after it)."""
    from qudao.analysis.register import Period
    from qudao.jobs.statement import statement_of

    _inbox, read, settings = quarter
    out: dict[str, dict] = {}
    for channel in CHANNELS:
        out[channel] = {}
        for week in WEEKS[WEEKS.index(FIRST[channel]):]:
            day = q.after(week)
            st = statement_of(read.as_of(day, settings), channel, Period(q.monday(week), q.sunday(week)), settings,
                              day).statement
            st.week = week
            out[channel][week] = st
    return out


@pytest.fixture(scope="module")
def whole(quarter):
    from qudao.analysis.register import Period
    from qudao.jobs.statement import statement_of

    _inbox, read, settings = quarter
    period = Period(q.monday(WEEKS[0]), q.sunday(WEEKS[-1]))
    return {channel: statement_of(read, channel, period, settings, FINAL).statement for channel in CHANNELS}


def test_every_weeks_lines_and_corrections(weekly):
    found = []
    for channel, weeks in weekly.items():
        for week, st in weeks.items():
            acc = st.account
            assert figures(acc.this_period) == THIS_WEEK[channel].get(week, F()), (channel, week)
            found += [(channel, week, c.label, c.week, c.entry.name, figures(c.delta)) for c in acc.corrections]
            # the running account adds up, and each week opens where the week before closed
            assert figures(acc.closing) == plus(plus(figures(acc.opening), figures(acc.this_period)),
                                                figures(acc.corrected)), (channel, week)
            before = weeks.get(WEEKS[WEEKS.index(week) - 1]) if week != WEEKS[0] else None
            assert figures(acc.opening) == (figures(before.account.closing) if before else F()), (channel, week)
    assert found == CORRECTIONS  # each once, in the week it arrived


def test_a_takeover_is_a_line_once_in_the_week_it_happened(weekly):
    takeovers = [(channel, week, e.name, e.date) for channel, weeks in weekly.items() for week, st in weeks.items()
                 for e in st.account.lines if e.kind == "takeover"]
    assert takeovers == TAKEOVERS
    line = next(x for x in weekly[XUEYU]["2026-W50"].account.lines if x.kind == "takeover")
    assert line.figures == type(line.figures)()  # nothing to count: the customer is another channel's now


def test_the_weeks_add_up_to_the_quarter_to_the_cent(weekly, whole):
    for channel in CHANNELS:
        total = F()
        for st in weekly[channel].values():
            total = plus(total, plus(figures(st.account.this_period), figures(st.account.corrected)))
        quarter = whole[channel].account
        assert total == figures(quarter.closing) == QUARTER[channel], channel
        assert figures(quarter.opening) == F() and quarter.corrections == []  # nothing before 10-05
        # every total is the sum of the lines it shows (money rounded once, on its line)
        assert sum((e.commission for e in quarter.lines if e.kind == "deal"), Decimal(0)) == QUARTER[channel][5]
        assert sum((e.amount for e in quarter.lines if e.kind == "payment"), Decimal(0)) == QUARTER[channel][6]


def test_a_week_without_a_register_says_so(weekly):
    for channel, weeks in weekly.items():
        assert [w for w, st in weeks.items() if st.none_received] == NO_REGISTER[channel], channel
    from qudao.report.statement import notices

    st = weekly[TIANLU]["2026-W51"]
    assert notices(st) == ["本周没有收到贵方的意向客户登记表（最近一份：天路国旅-2026W50.xlsx（2026-12-11））："
                           "本周的登记未能核对，请尽快补报。"]


def test_the_channels_own_rejected_row_names_the_cell(weekly):
    assert [st.rejected for st in weekly[ZHASHI].values() if st.rejected] == [[{
        "file": "inbox/日喀则分所/扎什物业-2026W47.xlsx", "sheet": "意向客户登记", "cell": "D8", "row": 8,
        "column": "联系电话", "code": "phone.format",
        "message": "联系电话应为11位手机号（或前三后四隐号，如138****5678）（当前为“1380000003”）"}]]
    # a mistyped row holds its registration; the partial copy of W46 withdrew nothing
    assert all(st.account.corrections == [] for st in weekly[ZHASHI].values())


def test_rate_sources_say_what_happened_and_why(whole):
    deals = {e.name: (e.rate, e.rate_source) for e in whole[TIANLU].account.lines if e.kind == "deal"}
    assert deals == {"旺堆": (Decimal("1.5"), "默认点位：登记日 11-02 时协议 QD-2026-002 尚未生效（11-06 起）"),
                     "尼玛": (Decimal("1.0"), "协议 QD-2026-002")}
    # QD-2026-001 ended 12-31 and still says 有效: it prices 多吉 (registered 12-21) all the same
    assert {e.name: e.rate_source for e in whole[XUEYU].account.lines if e.kind == "deal"} == {
        "拉姆": "协议 QD-2026-001", "周杰": "协议 QD-2026-001", "多吉": "协议 QD-2026-001"}


def test_the_previous_statements_json_gives_the_same_statement(quarter, weekly):
    """What the weekly record keeps — each published statement's JSON — opens the next week the same way."""
    from qudao.analysis.register import Period
    from qudao.jobs.statement import statement_of
    from qudao.report.statement import statement_json

    _inbox, read, settings = quarter
    for channel, week in ((XUEYU, "2026-W48"), (XUEYU, "2026-W50"), (SHANGHUI, "2026-W48")):
        previous = json.loads(json.dumps(statement_json(weekly[channel][WEEKS[WEEKS.index(week) - 1]])))
        day = q.after(week)
        st = statement_of(read.as_of(day, settings), channel, Period(q.monday(week), q.sunday(week)), settings, day,
                          previous=previous).statement
        st.week = week
        recomputed = statement_json(weekly[channel][week])
        again = statement_json(st)
        assert again.pop("opening_from") == "record" and recomputed.pop("opening_from") == "recomputed"
        assert again == recomputed, (channel, week)
    # a published statement edited afterwards is what the next week compares with: its correction says so
    previous = statement_json(weekly[XUEYU]["2026-W47"])
    deal = next(e for e in previous["entries"] if e["kind"] == "deal" and e["name"] == "周杰")
    deal.update(deal_amount_wan=170.0, commission_wan=2.04)  # as if 170.00 had been stated
    st = statement_of(read.as_of(q.after("2026-W48"), settings), XUEYU, Period(q.monday("2026-W48"),
                      q.sunday("2026-W48")), settings, q.after("2026-W48"), previous=previous).statement
    (fix,) = st.account.corrections
    assert (fix.label, figures(fix.delta)) == ("成交金额更正", F(amount="-44", commission="-0.53"))


@pytest.fixture(scope="module")
def rollups(quarter, tmp_path_factory):
    """The real weekly job for W48 (the legal name in the header) and W53 (the quarter's last week)."""
    from typer.testing import CliRunner

    inbox, _read, _settings = quarter
    out = tmp_path_factory.mktemp("quarter-out")
    runner = CliRunner()
    codes = {}
    for week in ("2026-W46", "2026-W48", "2026-W49", "2026-W53"):
        codes[week] = invoke(runner, "rollup", "--inbox", inbox, "--out", out, "--week", week, "--quiet").exit_code
    return out, codes


def _week(out, week) -> dict:
    return json.loads((out / week / f"汇总-{week}.json").read_text(encoding="utf-8"))


def test_a_legal_name_in_a_header_is_one_channel(rollups):
    out, codes = rollups
    data = _week(out, "2026-W48")
    assert codes["2026-W48"] == 0  # 扎什's mistyped row of W47 was fixed in W48: its error is history
    by_channel = {c["channel"]: (c["registrations"], c["visits"], c["deals"], c["conflicts"]) for c in data["by_channel"]}
    # cumulative to 11-29: 雪域 拉姆 周杰 卓玛 次旦 格桑; visits 拉姆 周杰 卓玛; deals 拉姆 卓玛 周杰 (126 now)
    assert by_channel == {XUEYU: (5, 3, 3, 0), SHANGHUI: (2, 2, 1, 0), TIANLU: (2, 2, 2, 0), ZHASHI: (4, 0, 0, 0)}
    assert data["totals"]["conflicts"] == 0
    matched = [f for f in json.loads((out / "2026-W48" / "findings.json").read_text(encoding="utf-8"))["findings"]
               if f["code"] == "channel.matched"]
    assert sorted((f["file"], f["value"]) for f in matched) == [
        ("inbox/总部/渠道合作协议台账.xlsx", "拉萨雪域物业服务有限公司"),  # the ledger's 渠道名称
        ("inbox/拉萨分所/雪域物业-2026W48.xlsx", "拉萨雪域物业服务有限公司"),  # the header, said on its latest copy
    ]


def test_the_weeks_findings_of_rule_1(rollups):
    out, _codes = rollups
    codes = {w: _week(out, w)["findings"]["by_code"] for w in ("2026-W46", "2026-W49")}
    assert codes["2026-W46"].get("submission.partial") == 1 and "registration.withdrawn" not in codes["2026-W46"]
    assert codes["2026-W49"].get("registration.withdrawn") == 1 and "submission.partial" not in codes["2026-W49"]
    found = json.loads((out / "2026-W49" / "findings.json").read_text(encoding="utf-8"))["findings"]
    (withdrawn,) = [f for f in found if f["code"] == "registration.withdrawn"]
    assert (withdrawn["file"], withdrawn["severity"], withdrawn["value"]) == (
        "inbox/拉萨分所/雪域物业-2026W49.xlsx", "warning", "13800000003")
    assert "2026-10-14 登记的客户「次旦」" in withdrawn["message"] and "雪域物业-2026W48.xlsx 第 10 行" in withdrawn["message"]
    # the rollup's 迟报/更正 lists it too, for the week it belongs to
    late = _week(out, "2026-W49")["late"]
    assert [(x["kind"], x["week"], x["name"]) for x in late] == [("removed", "2026-W42", "次旦")]


def test_the_quarters_last_week_payments_and_a_stale_status(rollups, quarter):
    out, codes = rollups
    data = _week(out, "2026-W53")
    lines = {(d["channel"], d["name"]): (d["commission_wan"], d["paid_wan"], d["unpaid_wan"], d["status"])
             for d in data["settlement"]}
    assert lines == {
        (XUEYU, "拉姆"): (3.0, 0.0, 3.0, "逾期"),  # due 11-15, 逾期 from 12-15, never paid
        (XUEYU, "周杰"): (1.51, 3.02, 0.0, "已付"),  # paid twice: a finding
        (XUEYU, "多吉"): (1.2, 0.0, 1.2, "未到期"),  # due 2027-01-29
        (SHANGHUI, "达瓦"): (2.25, 2.25, 0.0, "已付"),
        (TIANLU, "旺堆"): (4.5, 2.0, 2.5, "部分支付"),  # due 2027-01-19
        (TIANLU, "尼玛"): (0.8, 0.0, 0.8, "应结"),  # due 12-26, 逾期 only from 2027-01-25
    }
    found = json.loads((out / "2026-W53" / "findings.json").read_text(encoding="utf-8"))["findings"]
    by_code = {f["code"]: f for f in found if f["code"].startswith(("payment.", "agreement.expired_active"))}
    assert sorted(by_code) == ["agreement.expired_active", "payment.cancelled", "payment.double"]
    assert (by_code["payment.double"]["file"], by_code["payment.double"]["cell"]) == (
        "inbox/总部/结佣台账-2027-01-01.xlsx", "G7")  # FK-003, the same as FK-002 on row 6
    assert by_code["payment.cancelled"]["cell"] == "G8"  # FK-004 paid 卓玛's cancelled deal
    stale = by_code["agreement.expired_active"]
    assert (stale["severity"], stale["cell"], stale["value"]) == ("warning", "H3", "有效")  # the 状态 cell
    # the stale 有效 changes no amount: 雪域's commission is that of QD-2026-001 (1.2 %)
    xueyu = next(c for c in data["by_channel"] if c["channel"] == XUEYU)
    assert xueyu["commission_wan"] == 5.71 and xueyu["commission_basis"] == "协议 QD-2026-001（1.2%）"
    # the statement the rollup wrote is the one `qudao statement --week` makes, and JSON says the same
    statement = json.loads((out / "2026-W53" / "对账单" / f"对账单-{XUEYU}-2026-W53.json").read_text(encoding="utf-8"))
    assert statement["totals"]["closing"] == {"registrations": 5, "conflicts": 0, "visits": 4, "deals": 3,
                                              "deal_amount_wan": 476.0, "commission_wan": 5.71, "paid_wan": 5.42,
                                              "unpaid_wan": 0.29}
    assert [(d["name"], d["status"], d["unpaid_wan"]) for d in statement["settlement"]] == [
        ("拉姆", "逾期", 3.0), ("多吉", "未到期", 1.2)]
    # the overdue line is on its follower's list
    from typer.testing import CliRunner

    todo = invoke(CliRunner(), "todo", quarter[0], "--owner", "王芳", "--as-of", FINAL.isoformat())
    assert todo.output.splitlines()[2:] == ["共 1 项：结佣逾期 1", "", "【拉萨分所】1 项", "结佣逾期（1）（佣金，万元）：过了应结日期仍未结清，请与财务核对",
                                         "  拉姆 138****0006（拉萨雪域物业）　11月15日应结 3.00，已过 50 天，未付 3.00"]
