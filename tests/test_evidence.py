"""Issue 24 item 1–2: the 案场成交台账 (kind ``sales``) and deals confirmed against it, over several weeks.

The inbox (tests/issue24_inbox.py) is worked out by hand: which deal is 已确认, 待确认, 案场确认渠道未报 or not
checked, with its exact commission and settlement status, on 2026-11-20 (the W47 ledger) and on 2026-11-27 (W48).
"""

from __future__ import annotations

import datetime as dt
import json

from decimal import Decimal as Dec

import pytest
from conftest import check, codes, invoke

import issue24_inbox as inbox24

D = dt.date


@pytest.fixture(scope="module")
def inbox(tmp_path_factory):
    return inbox24.build(tmp_path_factory.mktemp("issue24"))


def run(inbox, as_of: dt.date, **settings):
    from qudao.check.engine import collect
    from qudao.config import Settings
    from qudao.jobs.summarize import run_summary

    return run_summary(collect([inbox]), Settings(**settings), as_of=as_of, workers=1)


@pytest.fixture(scope="module")
def w48(inbox):
    return run(inbox, D(2026, 11, 27))


@pytest.fixture(scope="module")
def w47(inbox):
    return run(inbox, D(2026, 11, 20))


def lines(result) -> dict[str, dict]:
    return {d["customer"]: d for d in result.summary.registers.settlement}


def test_the_ledger_reads_as_exported(inbox):
    """Title row, export date, 明源-style headers, a total row; amounts in 元 by the header or by their size."""
    w48 = check(inbox / "总部" / "案场成交台账-2026W48.xlsx")
    assert w48.kind == "sales" and (w48.rows_read, w48.rows_accepted, w48.rows_skipped) == (11, 10, 1)
    assert codes(w48) == ["sales.amount_yuan"]
    rows = {(r.values["客户姓名"], r.values.get("房号")): r.values for r in w48.tables["成交台账"].rows}
    assert rows[("张三", "1-1-1501")]["成交金额(万元)"] == 180.5
    assert rows[("李四", "车位-B1-021")]["联系电话"] == "138****0002"
    assert rows[("陈三", "3-3-0101")]["交易状态"] == "退房"
    assert w48.block["导出日期"] == D(2026, 11, 27)
    w47 = check(inbox / "总部" / "案场成交台账-2026W47.xlsx", as_of=D(2026, 11, 20))
    assert codes(w47) == [] and w47.tables["成交台账"].units == {"成交金额(万元)": "元"}
    assert {r.values["客户姓名"]: r.values.get("成交金额(万元)") for r in w47.tables["成交台账"].rows}["王五"] == 150


def test_an_amount_column_without_a_unit_that_mixes_sizes_is_an_error(tmp_path):
    inbox24.write_ledger(tmp_path / "l.xlsx", "2026W48", D(2026, 11, 27))
    from openpyxl import load_workbook

    wb = load_workbook(tmp_path / "l.xlsx")
    wb.active["H5"] = 185.3  # 李四's house typed in 万元 among amounts in 元
    wb.active["A6"] = None  # and the parking space's 楼盘 left blank: the block has none either
    wb.save(tmp_path / "l.xlsx")
    report = check(tmp_path / "l.xlsx")
    bad = {f.code: f for f in report.findings}
    assert bad["value.range"].cell.startswith("H") and "单位不明" in bad["value.range"].message
    assert bad["value.required"].column == "楼盘" and report.rows_rejected == 8  # the 元 rows: which unit?
    assert "sales.amount_yuan" not in bad


def test_confirmed_unconfirmed_mismatched_and_unreported_deals_land_where_the_rules_say(w48):
    got = {p: (d["status"], d.get("evidence"), d["amount"], d["commission"], d["deal"].isoformat())
           for p, d in lines(w48).items()}
    assert got == {
        "13800000001": ("应结", "confirmed", Dec("180.5"), Dec("3.61"), "2026-11-10"),
        "13800000002": ("应结", "confirmed", Dec("195.3"), Dec("3.906"), "2026-11-12"),  # the house and its parking space
        "13800000005": ("应结", "sales_only", Dec("250"), Dec("5"), "2026-11-16"),  # credited to 雪域
        "13800000008": ("应结", "", Dec("300"), Dec("6"), "2026-11-18"),  # 青城山居: no ledger covers it
        "13800000009": ("应结", "confirmed", Dec("160"), Dec("3.2"), "2026-11-17"),
        "13800000003": ("应结", "confirmed", Dec("150"), Dec("2.25"), "2026-11-11"),  # the ledger's 认购日期 governs
        "13800000004": ("待确认", "unconfirmed", Dec("120"), Dec("1.8"), "2026-11-15"),
        "13800000006": ("应结", "confirmed", Dec("99"), Dec("1.485"), "2026-11-14"),  # 138****0006 + 孙八
    }
    assert {d["customer"]: d["channel"] for d in lines(w48).values()}["13800000005"] == inbox24.XUEYU
    data = w48.summary.to_json()
    rows = {r["channel"]: r for r in data["by_channel"]}
    assert (rows[inbox24.XUEYU]["deals"], rows[inbox24.XUEYU]["deal_amount_wan"], rows[inbox24.XUEYU]["commission_wan"]) \
        == (5, 1085.8, 21.72)
    assert (rows[inbox24.TIANLU]["deals"], rows[inbox24.TIANLU]["deal_amount_wan"], rows[inbox24.TIANLU]["commission_wan"]) \
        == (3, 369.0, 5.54)
    assert data["settlement_totals"] == {"未到期": {"deals": 0, "commission_wan": 0.0},
                                         "应结": {"deals": 7, "commission_wan": 25.45},
                                         "逾期": {"deals": 0, "commission_wan": 0.0},
                                         "待确认": {"deals": 1, "commission_wan": 1.8}}
    assert {d["customer"]: d["evidence"] for d in data["settlement"]}["13800000008"] is None


def test_the_ledgers_first_visit_decides_attribution(w48):
    data = w48.summary.to_json()
    assert data["totals"]["natural_customers"] == 1 and data["totals"]["natural_visits"] == 1
    att = w48.summary.registers.attribution
    zhou = next(c for c in att.customers if c.key == ("phone", "13800000007"))
    assert zhou.visit == D(2026, 11, 3) and zhou.owner is None and zhou.natural
    assert {r.channel: r.status for r in zhou.registrations} == {inbox24.XUEYU: "expired", inbox24.TIANLU: "after_visit"}


def test_differences_are_findings_naming_both_values(w48):
    found = {(f.code, f.value if not isinstance(f.value, dt.date) else f.value.isoformat()): f
             for f in w48.summary.findings if f.code.startswith(("evidence.", "sales."))}
    assert sorted(found) == [
        ("evidence.amount_mismatch", 200.0), ("evidence.date_mismatch", "2026-11-12"),
        ("evidence.unconfirmed", "2026-11-15"), ("evidence.unreported", "2026-11-16"),
        ("evidence.visit_mismatch", "2026-11-10"), ("sales.amount_yuan", None)]
    amount = found[("evidence.amount_mismatch", 200.0)]
    assert "渠道填写 200.00 万元，案场成交台账为 195.30 万元" in amount.message and "第 5 行" in amount.message
    assert amount.file.endswith(f"{inbox24.XUEYU}-2026W48.xlsx") and amount.row == 8  # 李四, in the current copy
    date = found[("evidence.date_mismatch", "2026-11-12")]
    assert "渠道填写 2026-11-12，案场成交台账为 2026-11-11、2026-11-20" in date.message
    visit = found[("evidence.visit_mismatch", "2026-11-10")]
    assert "渠道填写 2026-11-10，案场记录首次到访为 2026-11-03" in visit.message
    assert visit.file.endswith(f"{inbox24.TIANLU}-2026W48.xlsx")


def test_a_week_earlier_the_late_ledger_entry_is_still_held(w47):
    """On 11-20 the W47 export lacks 郑一's deal (11-17): 待确认; the W48 export confirms it (above)."""
    got = {p: (d["status"], d.get("evidence")) for p, d in lines(w47).items()}
    assert got["13800000009"] == ("待确认", "unconfirmed")
    assert got["13800000001"] == ("应结", "confirmed") and got["13800000005"] == ("应结", "sales_only")
    assert got["13800000008"] == ("应结", "")  # 青城山居: not checked
    assert got["13800000004"] == ("待确认", "unconfirmed")


def test_the_setting_turns_holding_off(inbox):
    result = run(inbox, D(2026, 11, 27), hold_unconfirmed=False)
    assert lines(result)["13800000004"]["status"] == "应结" and lines(result)["13800000004"]["evidence"] == "unconfirmed"


def test_without_a_ledger_nothing_changes(inbox, tmp_path):
    import shutil

    bare = tmp_path / "inbox"
    shutil.copytree(inbox, bare)
    for path in (bare / "总部").glob("案场成交台账-*.xlsx"):
        path.unlink()
    result = run(bare, D(2026, 11, 27))
    assert {d["status"] for d in lines(result).values()} == {"应结"}
    assert all(d["evidence"] == "" for d in lines(result).values())
    assert list(result.summary.settlement_totals()) == ["未到期", "应结", "逾期"]
    assert "evidence" not in result.summary.kinds
    zhou = next(c for c in result.summary.registers.attribution.customers if c.key == ("phone", "13800000007"))
    assert zhou.owner is not None and zhou.owner.channel == inbox24.TIANLU  # the registers' visit: 天路 took it over


def test_every_output_shows_confirmation(w48, tmp_path):
    from openpyxl import load_workbook

    out = w48.write(xlsx=tmp_path / "s.xlsx", html=tmp_path / "s.html", md=tmp_path / "s.md",
                    json_path=tmp_path / "s.json")
    wb = load_workbook(out[0], read_only=True)
    settle = [list(r) for r in wb["结佣清单"].iter_rows(values_only=True)]
    assert settle[0][-1] == "案场确认"
    assert {r[3]: (r[13], r[14]) for r in settle[1:9]}["138****0004"] == ("待确认", "待确认")
    assert {r[3]: r[14] for r in settle[1:9]}["138****0008"] == "未核对"
    check_sheet = [list(r) for r in wb["案场核对"].iter_rows(values_only=True)]
    assert any(r[:6] == [inbox24.TIANLU, 3, 2, 1, 0, 1] for r in check_sheet)
    assert any(r[:6] == [inbox24.XUEYU, 3, 3, 0, 1, 1] for r in check_sheet)
    html = (tmp_path / "s.html").read_text(encoding="utf-8")
    assert "<th>案场确认</th>" in html and "案场核对（渠道成交与案场成交台账）" in html and "案场确认，渠道未报" in html
    md = (tmp_path / "s.md").read_text(encoding="utf-8")
    assert "| 状态 | 案场确认 |" in md
    data = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))
    assert data["evidence"]["totals"] == {"reported": 6, "confirmed": 5, "unconfirmed": 1, "sales_only": 1, "differs": 2}
    assert data["evidence"]["ledger_deals_unregistered"] == 1  # 冯二 (陈三 is 退房)


def test_statements_show_confirmed_and_unconfirmed_per_line(w48, tmp_path):
    from qudao.analysis.statement import statements
    from qudao.report.statement import render_statement_html, write_statement_xlsx

    (st,) = statements(w48.summary, [inbox24.TIANLU])
    assert [(d.name, d.status, d.evidence) for d in st.deals] == [
        ("王五", "应结", "已确认"), ("孙八", "应结", "已确认"), ("赵六", "待确认", "待确认")]
    assert st.settlement_totals()["待确认"] == (1, st.deals[2].commission)
    html = render_statement_html(st)
    assert "<th>案场确认</th>" in html and html.count(">已确认<") == 2
    from openpyxl import load_workbook

    path = write_statement_xlsx(st, tmp_path / "st.xlsx")
    cells = [c for row in load_workbook(path)["对账单"].iter_rows(values_only=True) for c in row if c]
    assert "案场确认" in cells and "待确认" in cells


def test_the_cli_summarizes_the_inbox_with_its_ledger(runner, inbox, tmp_path):
    result = invoke(runner, "summarize", inbox, "--json", tmp_path / "s.json", "--as-of", "2026-11-27", "-q")
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))
    assert data["findings"]["by_code"]["evidence.unconfirmed"] == 1


def test_property_names_match_after_folding_and_by_alias():
    from qudao.config import Settings

    s = Settings(property_aliases={"麓湖": "麓湖花园"})
    assert len({s.canonical_property(n) for n in ("麓湖花园", "麓湖花园（二期）", "麓湖 花园", "麓湖花园项目", "麓湖")}) == 1
    assert s.canonical_property("天府云城") != s.canonical_property("麓湖花园")
