"""The channel statement (渠道对账单, issue 14 item 5) on the inbox of tests/issue14_inbox.py, by hand."""

from __future__ import annotations

import datetime as dt
import zipfile
from decimal import Decimal

import pytest
from conftest import invoke
from issue14_inbox import AS_OF, REGISTERS, SHANGHUI, XUEYU, ZHASHI, other_channels_data

D = dt.date
NOVEMBER = (D(2026, 11, 1), D(2026, 11, 30))


@pytest.fixture
def inbox(issue14):
    return issue14


@pytest.fixture
def read_1130(issue14_read):
    return issue14_read


def statements_of(read, start=None, end=None):
    from qudao.analysis.register import Period
    from qudao.analysis.statement import statements
    from qudao.config import Settings
    from qudao.jobs.summarize import summarize

    summary = summarize(read, Settings(), Period(start, end), AS_OF, sections=False)
    return summary, {st.channel: st for st in statements(summary)}


def lines(st):
    return [(x.registered, x.name, x.phone, x.status, x.protected_until, x.visit, x.deal, x.earlier) for x in st.lines]


def test_november_statements(read_1130):
    summary, st = statements_of(read_1130, *NOVEMBER)
    assert sorted(st) == [XUEYU, ZHASHI, SHANGHUI]

    xueyu = st[XUEYU]
    assert lines(xueyu) == [
        # registered in October, protected until 11-09 (into November), then 西藏四川商会 registered: never named
        (D(2026, 10, 10), "次旦", "13800000003", "已被接手", D(2026, 11, 9), None, None, True),
        (D(2026, 11, 2), "周杰", "13800000001", "已成交", D(2026, 12, 2), D(2026, 11, 10), D(2026, 11, 20), False),
        (D(2026, 11, 5), "卓玛", "13800000002", "有效", D(2026, 12, 5), None, None, False),
        (D(2026, 11, 20), "格桑", "13800000004", "有效", D(2026, 12, 20), None, None, False),
    ]
    assert xueyu.lines[0].note == "保护期满后已由其他渠道登记，客户转归对方（此前登记）"
    # 223.5 × 1 % (QD-001, in force on 11-02) = 2.235 → 2.24; settled 30 days after the deal
    (deal,) = xueyu.deals
    assert (deal.name, deal.amount, deal.rate, deal.rate_source, deal.commission, deal.due, deal.status) == (
        "周杰", Decimal("223.5"), Decimal("1.0"), "协议 QD-001", Decimal("2.235"), D(2026, 12, 20), "未到期")
    assert xueyu.commission_basis == "协议 QD-001（1%）" and (xueyu.branch, xueyu.type) == ("拉萨分所", "物业")

    shanghui = st[SHANGHUI]
    assert lines(shanghui) == [
        (D(2026, 10, 25), "拉巴", "13800000006", "保护期已满", D(2026, 11, 24), None, None, True),
        (D(2026, 11, 3), "达瓦", "13800000005", "已成交", D(2026, 12, 3), D(2026, 11, 9), D(2026, 11, 11), False),
        # its own spelling of the customer 雪域 registered as 次旦 (the settlement line too)
        (D(2026, 11, 12), "丹增", "13800000003", "已成交", D(2026, 12, 12), D(2026, 11, 18), D(2026, 11, 25), False),
        (D(2026, 11, 12), "央宗", "13800000002", "撞单", None, None, None, False),
    ]
    assert shanghui.lines[3].note == "已由其他渠道先行登记，本次登记不计归属"
    assert [(d.name, d.deal, d.commission, d.due, d.rate_source) for d in shanghui.deals] == [
        ("达瓦", D(2026, 11, 11), Decimal("2.25"), D(2027, 1, 10), "默认点位（没有匹配的协议）"),
        ("丹增", D(2026, 11, 25), Decimal("1.332"), D(2027, 1, 24), "默认点位（没有匹配的协议）")]
    assert {k: (n, str(v)) for k, (n, v) in shanghui.settlement_totals().items()} == {
        "未到期": (2, "3.582"), "应结": (0, "0"), "逾期": (0, "0")}

    zhashi = st[ZHASHI]
    assert lines(zhashi) == [
        (D(2026, 11, 6), "尼玛", "13800000008", "有效", D(2026, 12, 6), None, None, False),
        (D(2026, 11, 25), "多吉", "13800000007", "已到访", D(2026, 12, 25), D(2026, 11, 27), None, False),
    ]
    assert zhashi.deals == []

    # the period's totals are the summary's 按渠道 row of the same period
    totals = {name: (s.stats.registrations, s.stats.conflicts, s.stats.customers, s.stats.visits, s.stats.deals,
                     str(s.stats.deal_amount), s.commission) for name, s in st.items()}
    assert totals == {XUEYU: (3, 0, 3, 1, 1, "223.5", Decimal("2.235")),
                      SHANGHUI: (3, 1, 2, 2, 2, "238.8", Decimal("3.582")),
                      ZHASHI: (2, 0, 2, 1, 0, "0", Decimal("0"))}
    for row in summary.registers.by_channel:
        assert st[row.channel].stats is row.stats


def test_the_statement_of_all_history_and_an_overdue_commission(read_1130):
    _summary, st = statements_of(read_1130)
    zhashi = st[ZHASHI]
    assert [x.name for x in zhashi.lines] == ["旺堆", "尼玛", "多吉"]
    (deal,) = zhashi.deals  # 100 × 2 % (QD-002), due 09-10 + 30 days, 逾期 from 30 days after that (11-09)
    assert (deal.name, deal.commission, deal.due, deal.status) == ("旺堆", Decimal("2.00"), D(2026, 10, 10), "逾期")
    assert zhashi.period_text == "全部（截至 2026-11-30）"


def test_settlement_lines_carry_the_owners_spelling(read_1130):
    summary, _st = statements_of(read_1130, *NOVEMBER)
    assert [(d["channel"], d["name"]) for d in summary.registers.settlement] == [
        (XUEYU, "周杰"), (SHANGHUI, "达瓦"), (SHANGHUI, "丹增")]  # not 「次旦」, the name 雪域 wrote


def test_the_channel_name_resolves_through_the_directory():
    from qudao.analysis.statement import UnknownChannel, resolve_channel
    from qudao.config import Settings

    channels = [XUEYU, SHANGHUI, ZHASHI, "成都四川商会"]
    assert resolve_channel("拉萨雪域物业", channels, Settings()) == (XUEYU, "exact")
    assert resolve_channel("拉萨雪域物业服务有限公司", channels, Settings()) == (XUEYU, "short")
    assert resolve_channel("雪域物业", channels, Settings()) == (XUEYU, "short")
    assert resolve_channel("雪域", channels, Settings(channel_aliases={"雪域": XUEYU})) == (XUEYU, "alias")
    with pytest.raises(UnknownChannel) as ambiguous:
        resolve_channel("四川商会", channels, Settings())
    assert str(ambiguous.value) == "「四川商会」对应多个渠道：成都四川商会、西藏四川商会；请写出完整的渠道名称"
    with pytest.raises(UnknownChannel) as unknown:
        resolve_channel("日喀则扎西物业", channels, Settings())
    assert str(unknown.value) == "登记表中没有渠道「日喀则扎西物业」；最接近的是：日喀则扎什物业、拉萨雪域物业"


def _parts(path) -> dict[str, str]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name).decode("utf-8") for name in z.namelist()}


@pytest.mark.slow
def test_no_other_channels_data_in_any_statement(inbox, read_1130, tmp_path):
    """Every channel's statement, for November, for the week and for all history, with phones masked and
    shown: no other channel's name, and no name or phone of a registration the channel did not make, in any
    part of the xlsx (cells, shared strings, sheet names, headers, document properties, the hidden sheet) or
    in the html."""
    from qudao.analysis.register import Period
    from qudao.analysis.statement import statements
    from qudao.config import Settings
    from qudao.jobs.statement import write_statement
    from qudao.jobs.summarize import summarize

    checked = 0
    for start, end in (NOVEMBER, (D(2026, 11, 23), D(2026, 11, 29)), (None, None)):
        summary = summarize(read_1130, Settings(), Period(start, end), AS_OF, sections=False)
        for st in statements(summary):
            for show in (False, True):
                stem = tmp_path / f"{st.channel}-{start}-{show}"
                write_statement(st, stem.with_suffix(".xlsx"), stem.with_suffix(".html"), show_phones=show)
                parts = _parts(stem.with_suffix(".xlsx"))
                assert {"docProps/core.xml", "docProps/app.xml", "xl/workbook.xml", "xl/worksheets/sheet3.xml"} <= set(parts)
                html = stem.with_suffix(".html").read_text(encoding="utf-8")
                everything = {**parts, "html": html}
                assert st.channel in parts["xl/worksheets/sheet1.xml"] and st.channel in parts["docProps/core.xml"]
                assert st.channel in html
                for bad in other_channels_data(st.channel):
                    leaks = [name for name, text in everything.items() if bad in text]
                    assert not leaks, f"{bad!r} in {st.channel}'s statement: {leaks}"
                own = {row[2] for row in REGISTERS[st.channel][2]}
                full = [p for p in own if p in html]
                assert (show and full) or (not show and not full)  # masked by default
                checked += 1
    assert checked == 18


@pytest.mark.slow
def test_statement_command(runner, inbox, tmp_path):
    out = tmp_path / "对账单.xlsx"
    result = invoke(runner, "statement", inbox, "--channel", "拉萨雪域物业服务有限公司", "--from", "2026-11-01",
                    "--to", "2026-11-30", "--as-of", "2026-11-30", "-o", out, "--html", tmp_path / "对账单.html")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:8] == [
        "「拉萨雪域物业服务有限公司」按简称对应渠道「拉萨雪域物业」",
        "渠道对账单 · 拉萨雪域物业（拉萨分所）",
        "统计期间：2026-11-01 至 2026-11-30　依据日期：2026-11-30",
        "佣金点位：协议 QD-001（1%）",
        "登记 3（撞单 0）　有效客户 3　到访 1　成交 1　成交金额 223.50 万元　佣金 2.24 万元",
        "结佣：未到期 1 笔 2.24 万元，应结 0 笔 0.00 万元，逾期 0 笔 0.00 万元",
        "客户明细 4 位：有效 2，已成交 1，已被接手 1",
        "  2026-10-10  次旦  138****0003  已被接手  此前登记",
    ]
    from openpyxl import load_workbook

    wb = load_workbook(out)
    assert wb.sheetnames == ["对账单", "客户明细", "_qudao"] and wb["_qudao"].sheet_state == "hidden"
    detail = [r for r in wb["客户明细"].iter_rows(min_row=3, values_only=True)]
    assert [(r[2], r[3], r[4]) for r in detail] == [("次旦", "138****0003", "已被接手"), ("周杰", "138****0001", "已成交"),
                                                    ("卓玛", "138****0002", "有效"), ("格桑", "138****0004", "有效")]
    # unknown and ambiguous names are usage errors naming the nearest channels
    bad = invoke(runner, "statement", inbox, "--channel", "日喀则扎西物业", "--as-of", "2026-11-30")
    assert bad.exit_code == 2
    assert "登记表中没有渠道「日喀则扎西物业」；最接近的是：日喀则扎什物业" in bad.output
    both = invoke(runner, "statement", inbox, "--channel", XUEYU, "--week", "2026-W48", "--from", "2026-11-01")
    assert both.exit_code == 2 and "--week 不能与 --from/--to 同时使用" in both.output


def test_a_period_before_the_channels_first_registration_is_an_empty_statement(read_1130):
    from qudao.analysis.register import Period
    from qudao.config import Settings
    from qudao.jobs.statement import statement_of

    run = statement_of(read_1130, "扎什物业", Period(D(2026, 8, 1), D(2026, 8, 31)), Settings(), AS_OF)
    st = run.statement
    assert (run.matched, st.channel, st.branch, st.type, st.commission_basis) == (
        "short", ZHASHI, "日喀则分所", "物业", "协议 QD-002（2%）")
    assert (st.lines, st.deals, st.stats.registrations, st.period_text) == ([], [], 0, "2026-08-01 至 2026-08-31")
