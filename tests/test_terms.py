"""Channel names across workbooks, exact money, the agreement in force and the settlement list (issue 14)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from conftest import invoke, make_register

from qudao.channels import AMBIGUOUS, EXACT, NONE, SHORT, Directory, core_name
from qudao.config import Settings
from qudao.money import as_json, commission, fmt, line_amount, line_commission, shown

D = dt.date
HEADER = ["序号", "登记日期", "客户姓名", "联系电话", "意向等级", "到访日期", "成交日期", "成交楼盘", "成交金额(万元)", "跟进人"]


def test_money_is_rounded_half_up_only_where_shown():
    assert shown(2.235) == Decimal("2.24") and fmt(2.235) == "2.24" and as_json(2.235) == 2.24
    assert fmt(2.225) == "2.23"  # half-up, not half-even
    assert commission(223.5, 1.0) == Decimal("2.235")  # exact until shown
    # issue 22: a line's commission is rounded once, and a total is the sum of the lines it shows
    lines = [line_commission(33.5, 1.0)] * 3  # 0.335 each → 0.34
    assert lines[0] == Decimal("0.34") and sum(lines) == Decimal("1.02")  # not round(1.005) = 1.01
    assert line_amount(152.345) == Decimal("152.35")


@pytest.mark.parametrize("name, how, channel", [
    ("拉萨雪域物业", EXACT, "拉萨雪域物业"),
    ("拉萨 雪域物业", EXACT, "拉萨雪域物业"),
    ("拉萨雪域物业服务有限公司", SHORT, "拉萨雪域物业"),
    ("日喀则扎什物业（日喀则）", SHORT, "日喀则扎什物业"),
    ("四川商会", SHORT, "西藏四川商会"),
    ("商会", NONE, None),  # too short to match by containment
    ("拉萨圣城国旅", NONE, None),
])
def test_channel_names_resolve_in_order(name, how, channel):
    d = Directory(["拉萨雪域物业", "西藏四川商会", "日喀则扎什物业", "拉萨圣城国际旅行社", "日喀则川渝商会"], Settings())
    r = d.resolve(name)
    assert (r.how, r.channel) == (how, channel)


def test_ambiguous_names_and_aliases():
    d = Directory(["西藏四川商会", "成都四川商会"], Settings())
    assert d.resolve("四川商会有限公司").how == AMBIGUOUS
    assert d.resolve("四川商会有限公司").candidates == ("成都四川商会", "西藏四川商会")
    aliased = Directory(["西藏四川商会", "成都四川商会"], Settings(channel_aliases={"四川商会": "西藏四川商会"}))
    assert (aliased.resolve("四川商会").how, aliased.resolve("四川商会").channel) == ("alias", "西藏四川商会")
    assert core_name("拉萨雪域物业服务有限公司") == "拉萨雪域物业"


def _ledger(path, rows):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "协议台账"
    ws.append(["协议编号", "渠道名称", "生效日期", "到期日期", "佣金点位(%)", "结佣周期(天)", "保护期(天)", "状态"])
    for row in rows:
        ws.append(row)
    wb.save(path)


@pytest.fixture
def inbox(tmp_path):
    root = tmp_path / "inbox"
    root.mkdir()
    make_register(root / "雪域-2026W48.xlsx", [
        [1, D(2026, 11, 2), "周杰", "13800000001", "A", D(2026, 11, 8), D(2026, 11, 10), "麓湖花园", 100, "王芳"],
        [2, D(2026, 11, 7), "卓玛", "13800000002", "A", D(2026, 11, 9), D(2026, 11, 12), "麓湖花园", 223.5, "次仁"],
        [3, D(2026, 10, 5), "次旦", "13800000003", "B", None, None, None, None, "次仁"],
        [4, D(2026, 11, 20), "格桑", "13800000004", "B", None, None, None, None, "王芳"],
    ], header=HEADER, block={"渠道名称": "拉萨雪域物业", "报送日期": D(2026, 11, 27)})
    make_register(root / "商会-2026W48.xlsx", [
        [1, D(2026, 11, 3), "达瓦", "13800000005", "A", D(2026, 11, 9), D(2026, 11, 11), "麓湖花园", 150, "李强"],
    ], header=HEADER, block={"渠道名称": "西藏四川商会", "报送日期": D(2026, 11, 27)})
    _ledger(root / "协议台账.xlsx", [
        ["QD-001", "拉萨雪域物业服务有限公司", D(2026, 11, 6), D(2027, 11, 5), 1.0, 30, 20, "有效"],
        ["QD-002", "拉萨圣城国旅", D(2026, 1, 1), D(2026, 12, 31), 2.0, None, None, "有效"],
    ])
    return root


def _summary(runner, inbox, as_of):
    result = invoke(runner, "summarize", inbox, "--json", "-", "--as-of", as_of)
    return result.exit_code, json.loads(result.output)


def test_the_agreement_in_force_on_the_registration_date_decides(runner, inbox):
    code, data = _summary(runner, inbox, "2026-11-27")
    assert code == 0
    by_code = data["findings"]["by_code"]
    assert by_code["channel.matched"] == 1 and by_code["channel.unmatched"] == 1
    assert by_code["agreement.not_in_force"] == 2 and by_code["agreement.missing"] == 1
    lines = {d["name"]: d for d in data["settlement"]}
    # 周杰 registered 11-02, before QD-001 took effect (11-06): the default 1.5 %, flagged, and the source says why
    assert (lines["周杰"]["rate"], lines["周杰"]["rate_source"], lines["周杰"]["commission_wan"]) == (
        1.5, "默认点位：登记日 11-02 时协议 QD-001 尚未生效（11-06 起）", 1.5)
    # 卓玛 under QD-001: 223.5 × 1.0 % = 2.235 → 2.24 (half-up), settled 30 days after the deal
    assert (lines["卓玛"]["rate"], lines["卓玛"]["rate_source"], lines["卓玛"]["commission_wan"]) == (
        1.0, "协议 QD-001", 2.24)
    assert (lines["卓玛"]["due"], lines["卓玛"]["status"], lines["卓玛"]["follower"]) == ("2026-12-12", "未到期", "次仁")
    # 西藏四川商会 has no agreement: the default, and it says so
    assert lines["达瓦"]["rate_source"] == "默认点位（没有匹配的协议）" and lines["达瓦"]["commission_wan"] == 2.25
    assert data["totals"]["commission_wan"] == 5.99  # the lines as shown: 1.50 + 2.24 + 2.25
    basis = {c["channel"]: c["commission_basis"] for c in data["by_channel"]}
    assert basis == {"拉萨雪域物业": "协议 QD-001（1%）", "西藏四川商会": "默认 1.5%（没有匹配的协议）"}


def test_settlement_status_moves_with_the_as_of_day(runner, inbox):
    for as_of, status in (("2026-12-11", "未到期"), ("2026-12-12", "应结"), ("2027-01-10", "应结"),
                          ("2027-01-11", "逾期")):
        _code, data = _summary(runner, inbox, as_of)
        assert {d["name"]: d["status"] for d in data["settlement"]}["卓玛"] == status, as_of


def test_protection_from_the_agreement_and_ended_without_a_visit(runner, inbox):
    _code, data = _summary(runner, inbox, "2026-11-27")
    # 次旦 registered 10-05 under no agreement (default 30 days): ended 11-04, long before the week;
    # 格桑 registered 11-20 under QD-001 (20 days): protected until 12-10
    assert [e["name"] for e in data["protection_expiring"]] == []
    _code, data = _summary(runner, inbox, "2026-12-05")
    assert [(e["name"], e["protection_end"], e["follower"], e["branch"]) for e in data["protection_expiring"]] == [
        ("格桑", "2026-12-10", "王芳", "inbox")]
    result = invoke(runner, "summarize", inbox, "--json", "-", "--as-of", "2026-11-27", "--from", "2026-11-01",
                    "--to", "2026-11-07")
    ended = json.loads(result.output)["protection_ended"]  # in the period, without a visit
    assert [(e["name"], e["protection_end"], e["follower"]) for e in ended] == [("次旦", "2026-11-04", "次仁")]


def test_outside_agreement_can_earn_nothing(runner, inbox, tmp_path):
    config = tmp_path / "qudao.toml"
    config.write_text('[commission]\noutside_agreement = "none"\n', encoding="utf-8")
    result = invoke(runner, "summarize", inbox, "--json", "-", "--as-of", "2026-11-27", "--config", config)
    data = json.loads(result.output)
    line = {d["name"]: d for d in data["settlement"]}["周杰"]
    assert (line["rate"], line["rate_source"], line["commission_wan"]) == (
        0.0, "不计佣：登记日 11-02 时协议 QD-001 尚未生效（11-06 起）", 0.0)
