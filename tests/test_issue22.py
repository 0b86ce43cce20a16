"""Issue 22 beside the quarter (tests/test_quarter.py): one channel one name, validate of what it is given,
weekly series, the payments ledger, and the previous statement given by hand."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from conftest import check, codes, invoke, make_register

D = dt.date
HEADER = ["序号", "登记日期", "客户姓名", "联系电话", "意向等级", "到访日期", "成交日期", "成交楼盘", "成交金额(万元)",
          "渠道名称"]


# --------------------------------------------------------------------------- rule 5: one channel, one name


@pytest.mark.parametrize("name, channel", [
    ("拉萨雪域物业", "拉萨雪域物业"),
    ("拉萨雪域物业服务有限公司", "拉萨雪域物业"),  # legal forms
    ("雪域物业", "拉萨雪域物业"),  # a place in front
    ("西藏拉萨市雪域物业有限公司", "拉萨雪域物业"),  # places and a legal form: still the partner
    ("拉萨雪域物业二部", None),  # #20 item 6: another partner, never the registered one by containment
    ("拉萨雪域物业管理处", None),
    ("中国银行", None),  # 中国银行日喀则分行 is one branch of many
    ("雪域", None),  # too short
])
def test_a_name_resolves_by_containment_only_across_places_and_legal_forms(name, channel):
    from qudao.channels import Directory
    from qudao.config import Settings

    found = Directory(["拉萨雪域物业", "中国银行日喀则分行", "西藏四川商会"], Settings()).resolve(name)
    assert found.channel == channel


def test_register_spellings_are_one_channel_under_the_first_one():
    from qudao.channels import unify

    names, ambiguous = unify({"拉萨雪域物业": (D(2026, 10, 9), 0), "拉萨雪域物业服务有限公司": (D(2026, 11, 20), 5),
                              "日喀则雪域物业": (D(2026, 10, 9), 1), "雪域物业": (D(2026, 11, 27), 9)})
    # 「雪域物业」 could be either city's: counted apart and said; the legal name is the Lhasa one
    assert names == {"拉萨雪域物业服务有限公司": "拉萨雪域物业"}
    assert ambiguous == [("雪域物业", ("拉萨雪域物业", "日喀则雪域物业"))]


def test_a_statement_of_another_partner_whose_name_contains_a_channel_is_refused(runner, tmp_path):
    make_register(tmp_path / "雪域-2026W48.xlsx", [[1, D(2026, 11, 20), "周杰", "13800000001", "A"]],
                  block={"渠道名称": "拉萨雪域物业", "报送日期": D(2026, 11, 27)})
    result = invoke(runner, "statement", tmp_path, "--channel", "拉萨雪域物业二部", "--as-of", "2026-11-30")
    assert result.exit_code == 2 and "登记表中没有渠道「拉萨雪域物业二部」；最接近的是：拉萨雪域物业" in result.output
    assert not list(tmp_path.glob("*.html"))


def test_a_typed_part_of_one_channel_name_finds_it_and_says_so(runner, tmp_path):
    """--channel 布达拉 (issue 25): a part of exactly one channel's name is that channel, said on screen; a part of
    two is ambiguous; a longer name is never a part (item 6 above)."""
    for channel, phone in (("拉萨布达拉物业服务有限公司", "13800000001"), ("拉萨天路国际旅行社", "13800000002")):
        make_register(tmp_path / f"{channel}-2026W48.xlsx", [[1, D(2026, 11, 20), "周杰", phone, "A"]],
                      block={"渠道名称": channel, "报送日期": D(2026, 11, 27)})
    result = invoke(runner, "statement", tmp_path, "--channel", "布达拉", "--as-of", "2026-11-30")
    assert result.exit_code == 0, result.output
    assert "「布达拉」按名称的一部分对应渠道「拉萨布达拉物业服务有限公司」" in result.output
    result = invoke(runner, "statement", tmp_path, "--channel", "拉萨", "--as-of", "2026-11-30")
    assert result.exit_code == 2
    assert "「拉萨」对应多个渠道：拉萨天路国际旅行社、拉萨布达拉物业服务有限公司" in result.output
    result = invoke(runner, "statement", tmp_path, "--channel", "拉萨天路国际旅行社二部", "--as-of", "2026-11-30")
    assert result.exit_code == 2 and "登记表中没有渠道" in result.output


def test_a_row_naming_another_partner_than_its_header_is_a_warning(tmp_path):
    path = make_register(tmp_path / "雪域-2026W48.xlsx", [
        [1, D(2026, 11, 20), "周杰", "13800000001", "A", None, None, None, None, None],
        [2, D(2026, 11, 21), "卓玛", "13800000002", "A", None, None, None, None, "拉萨雪域物业服务有限公司"],  # itself
        [3, D(2026, 11, 22), "达瓦", "13800000003", "A", None, None, None, None, "西藏四川商会"],  # another partner
    ], header=HEADER, block={"渠道名称": "拉萨雪域物业", "报送日期": D(2026, 11, 27)})
    report = check(path)
    (warning,) = [f for f in report.findings if f.code == "channel.row_mismatch"]
    assert (warning.severity, warning.cell, warning.value) == ("warning", "J7", "西藏四川商会")
    assert "与表头的渠道名称「拉萨雪域物业」不是同一渠道" in warning.message
    assert report.rows_rejected == 0


def test_a_legal_name_in_one_copys_header_conflicts_with_nothing(runner, tmp_path):
    rows = [[n, D(2026, 11, 2 + n), f"客{n}", f"1380000000{n}", "A"] for n in range(1, 4)]
    make_register(tmp_path / "雪域-2026W47.xlsx", rows[:2], block={"渠道名称": "拉萨雪域物业", "报送日期": D(2026, 11, 20)})
    make_register(tmp_path / "雪域-2026W48.xlsx", rows, block={"渠道名称": "拉萨雪域物业服务有限公司",
                                                             "报送日期": D(2026, 11, 27)})
    data = json.loads(invoke(runner, "summarize", tmp_path, "--json", "-", "--as-of", "2026-11-30").output)
    assert [(c["channel"], c["registrations"], c["conflicts"]) for c in data["by_channel"]] == [("拉萨雪域物业", 3, 0)]
    assert data["findings"]["by_code"].get("channel.matched") == 1


# --------------------------------------------------------------------------- validate, weekly series, the year


def test_validate_checks_a_copy_dated_after_today(runner, tmp_path):
    path = make_register(tmp_path / "雪域-2026W48.xlsx", [
        [1, D(2026, 11, 20), "周杰", "13800000001", "A"], [2, D(2026, 11, 21), "卓玛", "1380000", "A"]],
        block={"渠道名称": "拉萨雪域物业", "报送日期": D(2026, 11, 27)})
    result = invoke(runner, "validate", path, "--as-of", "2026-11-26", "--codes")
    assert result.exit_code == 1, result.output
    assert "意向客户登记!D6" in result.output and "phone.format" in result.output
    assert "表头「报送日期」2026-11-27 晚于今天（2026-11-26）：本文件已照常检查" in result.output
    assert "共 1 个文件；错误 1，警告 1" in result.output
    data = json.loads(invoke(runner, "validate", path, "--as-of", "2026-11-26", "--format", "json").output)
    assert data["totals"]["files"] == 1 and data["totals"]["rows_rejected"] == 1
    future = [f for f in data["files"][0]["findings"] if f["code"] == "submission.future"]
    assert [(f["severity"], f["cell"]) for f in future] == [("warning", "B3")]


def test_a_wrong_year_in_the_report_date_falls_back_to_the_file_names_week(runner, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    make_register(inbox / "雪域-2026W47.xlsx", [[1, D(2026, 11, 16), "周杰", "13800000001", "A"]],
                  block={"渠道名称": "拉萨雪域物业", "报送日期": D(2026, 11, 20)})
    make_register(inbox / "雪域-2026W48.xlsx", [[1, D(2026, 11, 16), "周杰", "13800000001", "A"],
                                               [2, D(2026, 11, 24), "卓玛", "13800000002", "A"]],
                  block={"渠道名称": "拉萨雪域物业", "报送日期": D(2025, 11, 27)})  # typed 2025
    report = check(inbox / "雪域-2026W48.xlsx")
    (slip,) = [f for f in report.findings if f.code == "block.wrong_year"]
    assert (slip.cell, slip.severity) == ("B3", "warning") and "按文件名计为 2026-11-27" in slip.message
    assert report.rows_rejected == 0  # the rows are checked against 2026-11-27, not a year earlier
    out = tmp_path / "out"
    result = invoke(runner, "rollup", "--inbox", inbox, "--out", out, "--week", "2026-W48")
    data = json.loads((out / "2026-W48" / "汇总-2026-W48.json").read_text(encoding="utf-8"))
    assert data["findings"]["by_code"].get("submission.missing") is None  # the copy is there
    assert data["week"]["totals"]["registrations"] == 1 and result.exit_code == 0


def test_submission_missing_only_for_weekly_series(runner, tmp_path):
    from qudao.schema import all_kinds

    assert [k.id for k in all_kinds() if k.weekly] == ["register", "handoff", "feedback", "negotiation"]
    inbox = tmp_path / "inbox"
    (inbox / "总部").mkdir(parents=True)
    make_register(inbox / "雪域-2026W47.xlsx", [[1, D(2026, 11, 16), "周杰", "13800000001", "A"]],
                  block={"渠道名称": "拉萨雪域物业", "报送日期": D(2026, 11, 20)})
    make_register(inbox / "雪域-2026W48.xlsx", [[1, D(2026, 11, 16), "周杰", "13800000001", "A"]],
                  block={"渠道名称": "拉萨雪域物业", "报送日期": D(2026, 11, 27)})
    assert invoke(runner, "new", "targets", "-o", inbox / "总部" / "渠道目标表-2026W47.xlsx",
                  "--set", "填表日期=2026-11-20").exit_code == 0  # a targets sheet of last week, none this week
    out = tmp_path / "out"
    invoke(runner, "rollup", "--inbox", inbox, "--out", out, "--week", "2026-W48")
    data = json.loads((out / "2026-W48" / "汇总-2026-W48.json").read_text(encoding="utf-8"))
    assert data["findings"]["by_code"].get("submission.missing") is None


# --------------------------------------------------------------------------- the payments ledger


def _ledger(path, rows, stamp=D(2026, 12, 4)):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "结佣记录"
    ws.append(["结佣台账"])
    ws.append(["填表日期：", stamp])
    ws.append(["付款编号", "渠道名称", "客户姓名", "联系电话", "成交日期", "付款日期", "付款金额(万元)", "凭证号"])
    for row in rows:
        ws.append(list(row))
    wb.save(path)
    return path


def test_the_ledger_is_checked_row_by_row(tmp_path):
    path = _ledger(tmp_path / "结佣台账.xlsx", [
        ("FK-1", "拉萨雪域物业", "周杰", "13800000001", None, D(2026, 12, 1), 2.24, "A1"),
        ("FK-1", "拉萨雪域物业", "卓玛", "13800000002", None, D(2026, 12, 2), 1.00, "A2"),  # the number again
        ("FK-3", "拉萨雪域物业", "卓玛", "13800000002", None, D(2026, 12, 9), 1.00, "A3"),  # after 填表日期
        ("FK-4", "拉萨雪域物业", "卓玛", "13800000002", None, D(2026, 12, 2), 0, "A4"),  # not > 0
    ])
    report = check(path, as_of=D(2026, 12, 10))
    assert sorted((f.code, f.cell) for f in report.findings if f.severity == "error") == [
        ("date.future", "F6"), ("payment.duplicate_id", "A5"), ("value.range", "G7")]
    assert (report.rows_accepted, report.rows_rejected) == (1, 3)


def test_payments_pay_lines_and_what_does_not_fit_is_a_finding(runner, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    make_register(inbox / "雪域-2026W48.xlsx", [
        [1, D(2026, 11, 2), "周杰", "13800000001", "A", D(2026, 11, 5), D(2026, 11, 10), "麓湖花园", 200],  # 3.00
        [2, D(2026, 11, 3), "卓玛", "13800000002", "A", D(2026, 11, 6), D(2026, 11, 12), "麓湖花园", 100]],  # 1.50
        block={"渠道名称": "拉萨雪域物业", "报送日期": D(2026, 11, 27)})
    _ledger(inbox / "结佣台账.xlsx", [
        ("FK-1", "拉萨雪域物业服务有限公司", "周杰", "138****0001", None, D(2026, 11, 20), 3.00, "A1"),  # in full
        ("FK-2", "拉萨雪域物业", "卓玛", "13800000002", D(2026, 11, 12), D(2026, 11, 21), 1.00, "A2"),  # in part
        ("FK-3", "拉萨雪域物业", "卓玛", "13800000002", None, D(2026, 11, 22), 0.80, "A3"),  # 0.30 too much
        ("FK-4", "拉萨雪域物业", "格桑", "13800000004", None, D(2026, 11, 23), 1.00, "A4"),  # no such deal
        ("FK-5", "拉萨雪域物业二部", "周杰", "13800000001", None, D(2026, 11, 23), 1.00, "A5"),  # no such channel
    ], stamp=D(2026, 11, 27))
    data = json.loads(invoke(runner, "summarize", inbox, "--json", "-", "--as-of", "2026-11-30").output)
    assert [(d["name"], d["commission_wan"], d["paid_wan"], d["unpaid_wan"], d["status"], d["payments"])
            for d in data["settlement"]] == [("周杰", 3.0, 3.0, 0.0, "已付", ["FK-1"]),
                                             ("卓玛", 1.5, 1.8, 0.0, "已付", ["FK-2", "FK-3"])]
    assert data["findings"]["by_code"]["payment.over"] == 1 and data["findings"]["by_code"]["payment.unmatched"] == 2
    from qudao.check.engine import Options, collect
    from qudao.config import Settings
    from qudao.jobs.summarize import read_inbox, summarize
    from qudao.analysis.register import Period

    settings = Settings()
    read = read_inbox(collect([inbox]), Options(as_of=D(2026, 11, 30), extra={"settings": settings}), workers=1)
    findings = summarize(read, settings, Period(), D(2026, 11, 30), sections=False).findings
    assert sorted((f.code, f.cell, f.file) for f in findings if f.code.startswith("payment.")) == [
        ("payment.over", "G6", "inbox/结佣台账.xlsx"),  # FK-3: 1.00 + 0.80 for a commission of 1.50
        ("payment.unmatched", "B8", "inbox/结佣台账.xlsx"),  # FK-5: 拉萨雪域物业二部 is no channel of ours
        ("payment.unmatched", "G7", "inbox/结佣台账.xlsx")]  # FK-4: 格桑 has no deal
    over = next(f for f in findings if f.code == "payment.over")
    assert over.message == "客户「卓玛」这笔成交的佣金为 1.50 万元，累计付款 1.80 万元，多付 0.30 万元（付款 FK-3）"


def test_a_bank_export_fills_the_ledger_in_wan(runner, tmp_path):
    bank = tmp_path / "bank.csv"
    bank.write_text("交易日期,交易金额(元),对方户名,交易流水号,摘要,交易方式\n"
                    "2026-12-02,\"22,350.00\",拉萨雪域物业服务有限公司,20261202000123,佣金 周杰,网银转账\n", encoding="utf-8")
    out = tmp_path / "结佣台账.xlsx"
    result = invoke(runner, "fill", "payments", "--from", bank, "-o", out, "--set", "填表日期=2026-12-04")
    assert result.exit_code == 0, result.output
    from openpyxl import load_workbook

    ws = load_workbook(out)["结佣记录"]
    head = [c.value for c in ws[3]]
    row = dict(zip(head, [c.value for c in ws[4]]))
    assert (row["付款编号"], row["渠道名称"], row["付款金额(万元)"], row["付款方式"], row["备注"]) == (
        "20261202000123", "拉萨雪域物业服务有限公司", 2.235, "银行转账", "佣金 周杰")
