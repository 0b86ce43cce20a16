"""A month of real use (issue 12): four weekly rollups of a small team's inbox, W45–W48.

The inbox (tests/month_scenario.py) has cumulative re-sends, fixes arriving in later copies, a late
registration, yearless dates, an unusable 报送日期, a missing submission, an overdue follow-up, a WPS
``.et`` file and an office lock file. tests/month_oracle.py computes what every week's report must say
from the scenario by the rules — never through qudao — and the oracle itself is checked against
figures counted by hand (HAND_* below). Then ``qudao rollup`` runs on every week, on the inbox as it
stood that Monday and again on the final inbox with that Monday as ``--as-of``: its figures, finding
counts, exit codes, missing submissions, skipped entries and late corrections must equal the oracle's.
"""

from __future__ import annotations

import json
from pathlib import Path

import month_oracle as oracle
import month_scenario as month
import pytest
from conftest import invoke

pytestmark = pytest.mark.slow  # four weeks of rollups, twice

W45, W46, W47, W48 = month.WEEKS
FIGURES = ("registrations", "customers", "owned_customers", "natural_visits", "visits", "deals", "deal_amount_wan",
           "conflicts")

# cumulative to the week's end: registrations, customers, owned, natural visits, visits, deals, amount, conflicts
HAND_TOTALS = {
    W45: (9, 9, 9, 0, 2, 0, 0.0, 0),      # A1 A2 A3 A4, B1 B2, C1, D1 D2; visits A1 11-05, B2 11-06
    W46: (14, 13, 13, 0, 3, 0, 0.0, 1),   # + B3 (late, 11-04), A5 B4 C2 D3; C3 rejected (phone), A1 deal rejected
    W47: (19, 18, 17, 1, 6, 2, 280.6, 1),  # + C3 A6 B5 C4 D4; B1 visits after protection → 自然到访; A1 152 + D1 128.6
    W48: (22, 21, 20, 1, 8, 2, 278.8, 1),  # + A7 C5 D5; visits A5 D5; D1 corrected to 126.8
}
# the week's own events: registrations dated in it, visits in it, deals in it, their amount, conflicts in it
HAND_WEEK = {W45: (4, 2, 0, 0.0, 0), W46: (4, 1, 0, 0.0, 1), W47: (4, 3, 1, 128.6, 0), W48: (3, 2, 0, 0.0, 0)}
# 迟报/更正: cumulative(W−1) on this week's inbox − cumulative(W−1) as it was reported
HAND_LATE = {
    W46: {"registrations": 1, "customers": 1, "owned_customers": 1},  # B3
    W47: {"registrations": 1, "customers": 1, "owned_customers": 1, "deals": 1, "deal_amount_wan": 152.0},  # C3, A1
    W48: {"deal_amount_wan": -1.8},  # D1 128.6 → 126.8
}
HAND_FINDINGS = {  # codes of the current copies and of the week: counts
    W45: {"date.year_inferred": 1},
    W46: {"date.year_inferred": 3, "phone.format": 1, "deal.incomplete": 1, "attribution.conflict": 1,
          "followup.stale": 1},
    W47: {"date.year_inferred": 5, "value.type": 1, "block.value": 1, "attribution.conflict": 1,
          "followup.stale": 2, "agreement.expiring": 1, "protection.expiring": 1, "submission.missing": 1},
    W48: {"date.year_inferred": 6, "attribution.conflict": 1, "followup.stale": 2, "agreement.expiring": 1,
          "protection.expiring": 4, "submission.missing": 1},
}
# the 异常监控 (issue 24) on this scenario's data: its test phones run 139****0001…0007, 0011…0015, 0021…0025,
# 0031…0035 per channel (号码连号, one item per channel once it has 4); 拉萨雪域物业's agreement names 合作楼盘 麓湖花园、
# 雪域华庭 (天府锦城 is outside) and 合作区域 拉萨城关区 (林芝, 山南 outside), 扎什's 日喀则 (拉萨 outside); the late
# registrations sent in a later copy with an earlier date are 补登 (圣城 胡兵 from W47, 商会 吴霞 from W46)
HAND_ANOMALY = {
    W45: {"anomaly.property_outside": 1, "anomaly.region_outside": 1, "anomaly.phone_sequence": 1},
    W46: {"anomaly.property_outside": 1, "anomaly.region_outside": 1, "anomaly.phone_sequence": 2, "anomaly.backfill": 1},
    W47: {"anomaly.property_outside": 1, "anomaly.region_outside": 1, "anomaly.phone_sequence": 3, "anomaly.backfill": 2},
    W48: {"anomaly.property_outside": 1, "anomaly.region_outside": 3, "anomaly.phone_sequence": 4, "anomaly.backfill": 2},
}
HAND_EXIT = {W45: 0, W46: 1, W47: 1, W48: 0}


@pytest.fixture(scope="module")
def inboxes(tmp_path_factory) -> dict[str, Path]:
    """The inbox as it stood on each Monday (one folder per week)."""
    base = tmp_path_factory.mktemp("month")
    out = {}
    for w in month.WEEKS:
        root = base / w / "inbox"
        month.write_inbox(root, w)
        out[w] = root
    return out


@pytest.fixture(scope="module")
def runs(inboxes, tmp_path_factory) -> dict[tuple[str, str], tuple[int, dict, dict]]:
    """(mode, week) → (exit code, the week's JSON, its manifest): ``live`` on the inbox as it stood on the
    Monday, into one output folder week after week; ``rerun`` on the final inbox with that Monday as as-of."""
    from typer.testing import CliRunner

    runner = CliRunner()
    out = {}
    for mode in ("live", "rerun"):
        folder = tmp_path_factory.mktemp(f"out-{mode}")
        for w in month.WEEKS:
            inbox = inboxes[w] if mode == "live" else inboxes[W48]
            result = invoke(runner, "rollup", "--inbox", inbox, "--out", folder, "--week", w, "--as-of",
                            month.monday_after(w).isoformat(), "--quiet")
            assert "内部错误" not in result.output, result.output
            data = json.loads((folder / w / f"汇总-{w}.json").read_text(encoding="utf-8"))
            manifest = json.loads((folder / w / "manifest.json").read_text(encoding="utf-8"))
            out[mode, w] = (result.exit_code, data, manifest)
            out["html", mode, w] = (folder / w / f"汇总-{w}.html").read_text(encoding="utf-8")
    return out


# --------------------------------------------------------------------------- the oracle, checked by hand


@pytest.mark.parametrize("week", month.WEEKS)
def test_oracle_matches_the_hand_count(week, inboxes):
    r = oracle.expected(week, inboxes[week])
    assert tuple(r["totals"][k] for k in oracle.FIGURES) == HAND_TOTALS[week]
    own = r["week_own"]
    assert (own["registrations"], own["visits"], own["deals"], own["deal_amount_wan"], own["conflicts"]) == HAND_WEEK[week]
    if week != W45:
        assert {k: v for k, v in r["late"].items() if v and not k.startswith("commission")} == HAND_LATE[week]
    counts: dict[str, int] = {}
    for _f, _s, _c, code, _sev in r["findings"]:
        counts[code] = counts.get(code, 0) + 1
    assert counts == HAND_FINDINGS[week]
    assert r["exit_code"] == HAND_EXIT[week]


def test_the_generator_is_deterministic(tmp_path):
    for w in (W46, W48):
        a, b = tmp_path / "a" / w, tmp_path / "b" / w
        month.write_inbox(a, w)
        month.write_inbox(b, w)
        files = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
        assert files == sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
        assert all((a / f).read_bytes() == (b / f).read_bytes() for f in files)


# --------------------------------------------------------------------------- qudao against the oracle


@pytest.mark.parametrize("mode", ["live", "rerun"])
@pytest.mark.parametrize("week", month.WEEKS)
def test_every_week_reports_what_the_oracle_says(week, mode, runs, inboxes):
    code, data, manifest = runs[mode, week]
    want = oracle.expected(week, inboxes[week])
    assert {k: data["totals"][k] for k in FIGURES} == {k: want["totals"][k] for k in FIGURES}
    week_totals = data["week"]["totals"]
    assert (week_totals["registrations"], week_totals["visits"], week_totals["deals"], week_totals["deal_amount_wan"],
            week_totals["conflicts"]) == HAND_WEEK[week]
    # plus qudao's own: the ledger writes 拉萨雪域物业's legal name, matched to the register by its short name
    assert data["findings"]["by_code"] == {**HAND_FINDINGS[week], **HAND_ANOMALY[week], "channel.matched": 1}
    # commission at the agreements' rates (拉萨雪域物业 2.0 % through its legal name, 扎什 1.8 %), exact
    assert data["totals"]["commission_wan"] == want["totals"]["commission_wan"]
    assert code == HAND_EXIT[week]
    later = sorted(i["path"].split("/", 1)[1] for i in manifest["inputs"] if i["status"] == "received_later")
    if mode == "live":  # the inbox as it stood: nothing received later; the lock file and the .et listed
        assert later == []
        assert sorted((i["path"].split("/", 1)[1], i["reason"]) for i in manifest["skipped"]) == want["skipped"]
    else:  # the final inbox: every copy dated after the Monday is listed as received later
        final = oracle.expected(week, inboxes[W48], as_of=month.monday_after(week))
        skipped = {path for path, _reason in oracle.expected(W48, inboxes[W48])["skipped"]}
        assert later == [p for p in final["received_later"] if p not in skipped]


@pytest.mark.parametrize("week", month.WEEKS)
def test_a_past_week_rerun_later_gives_the_same_report(week, runs):
    """With the same --as-of, whatever arrived since is left out: the same figures and findings."""
    _c1, live, _m1 = runs["live", week]
    _c2, rerun, manifest = runs["rerun", week]
    for key in ("inputs", "totals", "by_channel", "by_week", "conflicts", "findings", "week", "late"):
        assert rerun[key] == live[key], key
    assert runs["live", week][0] == runs["rerun", week][0]
    if week != W48:
        assert any(i["status"] == "received_later" for i in manifest["inputs"])


@pytest.mark.parametrize("week", month.WEEKS[1:])
def test_week_over_week_adds_up_and_lists_the_late_corrections(week, runs):
    _code, data, _m = runs["live", week]
    _pcode, previous, _pm = runs["live", month.WEEKS[month.WEEKS.index(week) - 1]]
    wow = data["week_over_week"]["totals"]
    for key in FIGURES:
        d = wow[key]
        assert d["previous"] == previous["totals"][key], key
        assert d["value"] - d["previous"] == pytest.approx(d["this_week"] + d["late"]), key
    late = {k: v["late"] for k, v in wow.items() if v["late"] and k in FIGURES}
    assert late == HAND_LATE[week]
    items = data["late"]
    if week == W46:
        assert [(i["kind"], i["week"], i["channel"], i["name"]) for i in items] == [
            ("added", W45, "西藏四川商会", "吴霞")]
        assert items[0]["file"].endswith("西藏四川商会-2026W46.csv")
        cell = items[0]["cell"]  # a CSV has no sheet: its cell is shown alone, not as 「!G20」
        assert items[0]["sheet"] == "" and f"<td>{cell}</td></tr>" in runs["html", "live", week]
    if week == W47:
        assert [(i["kind"], i["week"], i["channel"], i["name"], i["change"]) for i in items] == [
            ("added", W46, "拉萨圣城国际旅行社", "胡兵", "迟报登记：2026-11-09 登记，上周的报告中没有"),
            ("changed", W46, "拉萨雪域物业", "张伟", "成交 2026-11-12，152 万元（上周的报告中没有）")]
    if week == W48:
        assert [(i["kind"], i["week"], i["change"]) for i in items] == [("changed", W47, "成交金额 128.6 → 126.8 万元")]


def test_missing_submissions_are_warnings_naming_the_last_copy(inboxes, tmp_path):
    from typer.testing import CliRunner

    for week, what, last in ((W47, "工作进程反馈表「日喀则分所」", "工作进程反馈表-日喀则分所-2026W46.xlsx（2026-11-13）"),
                             (W48, "意向客户登记表「西藏四川商会」", "西藏四川商会-2026W47.csv（2026-11-20）")):
        invoke(CliRunner(), "rollup", "--inbox", inboxes[week], "--out", tmp_path, "--week", week, "--quiet")
        found = json.loads((tmp_path / week / "findings.json").read_text(encoding="utf-8"))["findings"]
        (missing,) = [f for f in found if f["code"] == "submission.missing"]
        start, end = month.week_days(week)
        assert missing["severity"] == "warning" and missing["file"].endswith(last.split("（")[0])
        assert missing["message"] == (f"{what}上周报送了，本周（{start.isoformat()} 至 {end.isoformat()}）没有收到新的一份；"
                                      f"最近一份是 {last}")


def test_carrying_the_feedback_over_never_drops_the_overdue_customer(inboxes, tmp_path):
    """马超 (A) was to be followed up on 11-10 and never was: carried into W48 first and marked, with the rest."""
    from conftest import check
    from openpyxl import load_workbook
    from typer.testing import CliRunner

    last = inboxes[W47] / "拉萨分所" / "工作进程反馈表-拉萨分所-2026W47.xlsx"
    out = tmp_path / "W48.xlsx"
    result = invoke(CliRunner(), "fill", "feedback", "--carry", last, "-o", out, "--as-of", "2026-11-23")
    assert result.exit_code == 0, result.output
    assert "其中 1 位客户已过下次跟进日期（逾期），已排在最前并标红" in result.output
    report = check(out)
    assert report.block["周次"] == "2026-W48"
    assert [r.values["客户姓名"] for r in report.tables["客户内容"].rows] == ["马超", "王磊", "孙丽", "陈静", "林芳"]
    ws = load_workbook(out)["客户内容"]
    marked = [c.comment.text for row in ws.iter_rows() for c in row if c.comment and "逾期" in c.comment.text]
    assert marked == ["逾期：应于 2026-11-10 跟进，请尽快跟进并更新日期"]
