"""The weekly job: idempotent, atomic, locked, comparable week to week; and its configuration."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import pytest
from conftest import ROOT, invoke

pytestmark = pytest.mark.slow  # end-to-end: whole inboxes and reports

SAMPLES = ROOT / "samples" / "inbox"
OUTPUTS = ("汇总-{w}.xlsx", "汇总-{w}.html", "汇总-{w}.md", "汇总-{w}.json", "findings.json", "manifest.json")


def files_of(folder: Path, week: str) -> dict[str, bytes]:
    return {name.format(w=week): (folder / week / name.format(w=week)).read_bytes() for name in OUTPUTS}


def rollup(runner, inbox, out, week, *extra):
    return invoke(runner, "rollup", "--inbox", inbox, "--out", out, "--week", week, *extra)


def test_two_runs_give_identical_bytes(runner, tmp_path, fixture_inbox):
    a, b = tmp_path / "a", tmp_path / "b"
    assert rollup(runner, fixture_inbox, a, "2026-W48").exit_code == 1  # the fixture has rejected rows
    assert rollup(runner, fixture_inbox, b, "2026-W48").exit_code == 1
    assert files_of(a, "2026-W48") == files_of(b, "2026-W48")
    first = files_of(a, "2026-W48")
    assert rollup(runner, fixture_inbox, a, "2026-W48").exit_code == 1  # re-run replaces the folder
    assert files_of(a, "2026-W48") == first
    assert sorted(p.name for p in a.iterdir()) == ["2026-W48"]  # no lock, no temporary folder left


def test_cumulative_figures_equal_expected(runner, tmp_path, fixture_inbox, expected):
    rollup(runner, fixture_inbox, tmp_path, "2026-W48")
    data = json.loads((tmp_path / "2026-W48" / "汇总-2026-W48.json").read_text(encoding="utf-8"))
    for key, value in expected["inputs"].items():
        assert data["inputs"][key] == value
    for key, value in expected["totals"].items():
        assert data["totals"][key] == value, key
    ours = {r["channel"]: r for r in data["by_channel"]}
    for row in expected["by_channel"]:
        assert {k: ours[row["channel"]][k] for k in row} == row
    manifest = json.loads((tmp_path / "2026-W48" / "manifest.json").read_text(encoding="utf-8"))
    assert len(manifest["inputs"]) == 76
    first = manifest["inputs"][0]
    assert set(first) == {"path", "size", "sha256", "kind", "status", "rows", "errors", "warnings", "series",
                          "copy_date", "superseded_by"}
    assert not first["path"].startswith("/") and len(first["sha256"]) == 64
    findings = json.loads((tmp_path / "2026-W48" / "findings.json").read_text(encoding="utf-8"))
    assert findings["count"] == len(findings["findings"]) > 0 and "file" in findings["findings"][0]
    text = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "2026-W48").glob("*.json"))
    assert str(tmp_path) not in text and str(fixture_inbox) not in text


def independent_week_figures(inbox: Path, start: dt.date, end: dt.date) -> dict[str, int]:
    """Registrations, visits and deals in [start, end], counted straight from the normalised rows of the
    copies received by the Monday after ``end`` (dated by 报送日期, else the Friday of the week in the name)."""
    import re

    from qudao.check.engine import Options, check_all, collect
    from qudao.check.register import customer_key

    as_of = end + dt.timedelta(days=1)
    reports = check_all(collect([inbox]), Options(as_of=as_of))
    first_reg: dict[tuple, dt.date] = {}
    first_visit: dict[tuple, dt.date] = defaultdict(lambda: dt.date.max)
    deal: dict[tuple, dt.date] = {}
    for report in reports:
        sent = report.block.get("报送日期")
        tag = re.search(r"(\d{4})W(\d{2})", report.path)
        if sent is None and tag:
            sent = dt.date.fromisocalendar(int(tag[1]), int(tag[2]), 5)
        if sent is not None and sent > as_of:
            continue  # received after the report was made
        table = report.tables.get("意向客户登记")
        for row in table.rows if table else []:
            if row.rejected:
                continue
            v = row.values
            channel = v.get("渠道名称") or report.block.get("渠道名称")
            key = customer_key(v["联系电话"], v.get("客户姓名"))
            first_reg[(channel, key)] = min(first_reg.get((channel, key), dt.date.max), v["登记日期"])
            if v.get("到访日期"):
                first_visit[key] = min(first_visit[key], v["到访日期"])
            if v.get("成交日期"):
                deal[key] = v["成交日期"]
    return {
        "registrations": sum(1 for d in first_reg.values() if start <= d <= end),
        "visits": sum(1 for d in first_visit.values() if start <= d <= end),
        "deals": sum(1 for d in deal.values() if start <= d <= end),
    }


def test_week_figures_are_consistent_with_cumulative(runner, tmp_path, fixture_inbox):
    for week in ("2026-W47", "2026-W48"):
        rollup(runner, fixture_inbox, tmp_path, week)
    w47 = json.loads((tmp_path / "2026-W47" / "汇总-2026-W47.json").read_text(encoding="utf-8"))
    w48 = json.loads((tmp_path / "2026-W48" / "汇总-2026-W48.json").read_text(encoding="utf-8"))
    wow = w48["week_over_week"]
    # the change of every cumulative figure = this week's events + late additions and corrections to earlier weeks
    for key in ("registrations", "customers", "owned_customers", "natural_visits", "visits", "deals", "conflicts",
                "deal_amount_wan", "commission_wan"):
        d = wow["totals"][key]
        assert d["previous"] == w47["totals"][key], key  # last week's report, as it was made
        assert d["value"] - d["previous"] == pytest.approx(d["this_week"] + d["late"]), key
        if key in ("registrations", "visits", "deals", "conflicts", "deal_amount_wan"):  # events: by their date
            assert d["this_week"] == pytest.approx(w48["week"]["totals"][key]), key
    late_regs = sum(1 for i in w48["late"] if i["kind"] == "added") - sum(1 for i in w48["late"] if i["kind"] == "removed")
    assert late_regs == wow["totals"]["registrations"]["late"]
    for label, data in (("2026-W47", w47), ("2026-W48", w48)):
        start, end = dt.date.fromisoformat(data["week"]["start"]), dt.date.fromisoformat(data["week"]["end"])
        ours = {k: data["week"]["totals"][k] for k in ("registrations", "visits", "deals")}
        assert ours == independent_week_figures(fixture_inbox, start, end), label
    # the 本周 table's previous week is the 按周 row of that week in the same report
    assert wow["previous_week"] == "2026-W47"
    w47_row = next(r for r in w48["by_week"] if r["week"] == "2026-W47")
    for key in ("registrations", "visits", "deals", "conflicts"):
        assert wow["week_totals"][key]["previous"] == w47_row[key], key
    branch = next(b for b in wow["by_branch"] if b["branch"] == "拉萨分所")
    assert branch["week"]["registrations"]["previous"] is not None
    assert len(wow["by_channel"]) == 12
    new = [c for c in w48["conflicts"] if c["new"]]
    assert all(c["loser_date"] >= w48["week"]["start"] or c in new for c in new)
    assert len([c for c in new if c["loser_date"] >= w48["week"]["start"]]) == w48["week"]["totals"]["conflicts"]


def test_a_crash_inside_the_writer_leaves_the_previous_folder(tmp_path, monkeypatch):
    from qudao.jobs.weekly import run_rollup

    run_rollup(SAMPLES, tmp_path, "2026-W48")
    before = files_of(tmp_path, "2026-W48")

    def boom(*_args, **_kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("qudao.report.xlsx.write_summary_xlsx", boom)
    with pytest.raises(RuntimeError):
        run_rollup(SAMPLES, tmp_path, "2026-W48")
    assert files_of(tmp_path, "2026-W48") == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2026-W48"]


def test_a_killed_run_leaves_the_old_folder_and_the_next_run_cleans_up(tmp_path):
    from qudao.jobs.weekly import run_rollup

    run_rollup(SAMPLES, tmp_path, "2026-W48")
    before = files_of(tmp_path, "2026-W48")
    code = ("import sys, time; from pathlib import Path; import qudao.report.xlsx as x;"
            " from qudao.jobs.weekly import run_rollup;"
            " x.write_summary_xlsx = lambda *a, **k: (print('writing', flush=True), time.sleep(60));"
            f"run_rollup(Path({str(SAMPLES)!r}), Path({str(tmp_path)!r}), '2026-W48')")
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    assert proc.stdout.readline().strip() == "writing"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    assert files_of(tmp_path, "2026-W48") == before  # the old complete folder
    leftovers = sorted(p.name for p in tmp_path.iterdir() if p.name != "2026-W48")
    assert any(name.startswith(".2026-W48.tmp-") for name in leftovers)  # hidden, never the week folder
    run_rollup(SAMPLES, tmp_path, "2026-W48")  # the killed run's lock went with it; leftovers removed
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2026-W48"]
    assert files_of(tmp_path, "2026-W48") == before


def test_a_second_rollup_on_the_same_out_fails_cleanly(runner, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    lock = out / ".qudao-rollup.lock"
    code = ("import fcntl, json, os, socket, sys, time;"
            f"fd = os.open({str(lock)!r}, os.O_RDWR | os.O_CREAT);"
            "fcntl.flock(fd, fcntl.LOCK_EX);"
            "os.write(fd, json.dumps({'pid': os.getpid(), 'host': socket.gethostname(), 'started': 'x'}).encode());"
            "print('held', flush=True); time.sleep(30)")
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        started = time.monotonic()
        result = rollup(runner, SAMPLES, out, "2026-W48", "--wait", "0.5")
        assert result.exit_code == 2 and "正被" in result.output and str(holder.pid) in result.output
        assert time.monotonic() - started >= 0.5
        assert not (out / "2026-W48").exists() and lock.exists()
    finally:
        holder.kill()
        holder.wait()
    result = rollup(runner, SAMPLES, out, "2026-W48")  # the holder is gone: the kernel released its lock
    assert result.exit_code == 1 and (out / "2026-W48").is_dir() and not lock.exists()


def test_week_last_resolves_against_as_of(runner, tmp_path):
    result = invoke(runner, "rollup", "--inbox", SAMPLES, "--out", tmp_path, "--week", "last", "--as-of", "2026-11-30")
    assert result.exit_code == 1
    assert [p.name for p in tmp_path.iterdir()] == ["2026-W48"]
    invoke(runner, "rollup", "--inbox", SAMPLES, "--out", tmp_path, "--week", "this", "--as-of", "2026-11-25")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2026-W48"]
    invoke(runner, "rollup", "--inbox", SAMPLES, "--out", tmp_path, "--week", "last", "--as-of", "2026-11-25")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2026-W47", "2026-W48"]


@pytest.mark.parametrize("args, text", [
    (("--week", "2026-W60"), "--week「2026-W60」2026 年没有第 60 周"), (("--week", "soon"), "--week「soon」格式不对"),
])
def test_rollup_usage_errors(runner, tmp_path, args, text):
    result = invoke(runner, "rollup", "--inbox", SAMPLES, "--out", tmp_path, *args)
    assert result.exit_code == 2 and text in result.output


def test_missing_inbox(runner, tmp_path):
    result = invoke(runner, "rollup", "--inbox", tmp_path / "nope", "--out", tmp_path / "out")
    assert result.exit_code == 2 and "不存在" in result.output


def test_unattended_output_is_plain_and_quiet_is_silent(runner, tmp_path):
    result = rollup(runner, SAMPLES, tmp_path, "2026-W48")
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert 3 <= len(lines) <= 6 and not any("\x1b[" in line for line in lines)
    assert lines[-1].startswith("完成 2026-W48")
    quiet = rollup(runner, SAMPLES, tmp_path, "2026-W48", "--quiet")
    assert quiet.exit_code == 1 and quiet.output == ""


# --------------------------------------------------------------------------- configuration


def test_config_init_and_show(runner, tmp_path):
    target = tmp_path / "qudao.toml"
    assert invoke(runner, "config", "init", "-o", target).exit_code == 0
    assert "protection_days = 30" in target.read_text(encoding="utf-8")
    from qudao.config import Settings, load

    assert load(target).settings == Settings()  # the commented file says exactly the defaults
    assert invoke(runner, "config", "init", "-o", target).exit_code == 2
    result = invoke(runner, "config", "show", "--config", target)
    assert result.exit_code == 0 and "[attribution]\n＊ protection_days = 30\n" in result.output and str(target) in result.output
    # written as qudao.toml takes it, not as Python prints it: { A = 5 }, "pay", true
    assert " minimum = { A = 5, B = 5, C = 2, D = 2 }\n" in result.output and "{'" not in result.output
    assert 'outside_agreement = "pay"' in result.output and "hold_unconfirmed = true" in result.output
    target.write_text("[attribution]\nprotection_days = 45\n[commission]\nproperty_rates = { \"麓湖花园\" = 2.0 }\n",
                      encoding="utf-8")
    shown = invoke(runner, "config", "show", "--config", target).output
    assert "＊ protection_days = 45\n" in shown and '＊ property_rates = { "麓湖花园" = 2 }\n' in shown
    assert "  stale_days = 14\n" in shown  # a default: not marked
    data = json.loads(invoke(runner, "config", "show", "--config", target, "--format", "json").output)
    row = next(r for r in data["settings"] if r["key"] == "attribution.protection_days")
    assert row == {"key": "attribution.protection_days", "value": 45, "source": str(target), "doc": row["doc"]}
    other = next(r for r in data["settings"] if r["key"] == "followup.stale_days")
    assert other["source"] == "默认" and other["value"] == 14


@pytest.mark.parametrize("body, key", [
    ("[attribution]\nprotection_days = -3\n", "attribution.protection_days"),
    ("[attribution]\nprotectoin_days = 3\n", "attribution.protectoin_days"),
    ("[nonsense]\nx = 1\n", "nonsense"),
    ("[score]\nweights = { deals = 0.9, deal_amount = 0.3, visit_rate = 0.2, customers = 0.1 }\n", "score.weights"),
    ("[visits]\nminimum = { E = 3 }\n", "visits.minimum"),
    ("[commission]\ndefault_rate = 150\n", "commission.default_rate"),
    ("[calendar]\nholidays = [\"2027-13-01\"]\n", "calendar.holidays"),
    ("[week]\nstart = \"someday\"\n", "week.start"),
    ("[assess]\nweights = { quantitative = 0.9, qualitative = 0.3 }\n", "assess.weights"),
    ("[assess]\nindicators = { sales = 1.0 }\n", "assess.indicators"),
    ("[assess]\nresults = { excellent = 50, pass = 60 }\n", "assess.results"),
    ("[assess]\nadjust_after = 0\n", "assess.adjust_after"),
    ("[score]\ntarget_grades = { A = 40, B = 70, C = 50 }\n", "score.target_grades"),
    ("not toml at all [", "格式有误"),
])
def test_invalid_config_names_the_key(runner, tmp_path, body, key):
    path = tmp_path / "qudao.toml"
    path.write_text(body, encoding="utf-8")
    for args in (("config", "show", "--config", path), ("summarize", SAMPLES, "--config", path),
                 ("rollup", "--inbox", SAMPLES, "--out", tmp_path / "o", "--config", path)):
        result = invoke(runner, *args)
        assert result.exit_code == 2 and key in result.output, (args, result.output)


def test_config_is_found_in_cwd_and_env(runner, tmp_path, monkeypatch):
    (tmp_path / "qudao.toml").write_text("[attribution]\nprotection_days = 7\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    data = json.loads(invoke(runner, "config", "show", "--format", "json").output)
    assert next(r for r in data["settings"] if r["key"] == "attribution.protection_days")["value"] == 7
    other = tmp_path / "elsewhere.toml"
    other.write_text("[attribution]\nprotection_days = 9\n", encoding="utf-8")
    monkeypatch.setenv("QUDAO_CONFIG", str(other))
    data = json.loads(invoke(runner, "config", "show", "--format", "json").output)
    assert next(r for r in data["settings"] if r["key"] == "attribution.protection_days")["value"] == 9
    monkeypatch.setenv("QUDAO_CONFIG", str(tmp_path / "missing.toml"))
    assert invoke(runner, "config", "show").exit_code == 2


def test_settings_change_the_figures(runner, tmp_path):
    config = tmp_path / "qudao.toml"
    rates = ", ".join(f'"{p}" = 2.0' for p in ("麓湖花园", "天府云城", "东安湖壹号", "青城山居", "锦江雅苑", "兴隆湖畔"))
    config.write_text('[attribution]\nprotection_days = 3\n[commission]\ndefault_rate = 1.0\n'
                      f'property_rates = {{ {rates} }}\n'
                      '[channels]\naliases = { "绵阳涪城物业" = "绵阳长虹工会" }\n', encoding="utf-8")
    base = json.loads(invoke(runner, "summarize", SAMPLES, "--json", "-", "--as-of", "2026-11-27").output)
    tuned = json.loads(invoke(runner, "summarize", SAMPLES, "--json", "-", "--as-of", "2026-11-27",
                              "--config", config).output)
    assert tuned["totals"]["conflicts"] < base["totals"]["conflicts"]
    from decimal import ROUND_HALF_UP, Decimal

    # every line at 2 % (rounded once, per line: issue 22), and the total is the sum of the lines
    lines = [(Decimal(str(d["deal_amount_wan"])) * 2 / 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
             for d in tuned["settlement"]]
    assert [d["commission_wan"] for d in tuned["settlement"]] == [float(x) for x in lines]
    assert tuned["totals"]["commission_wan"] == float(sum(lines))
    assert "绵阳涪城物业" not in {c["channel"] for c in tuned["by_channel"]}
    assert len(tuned["by_channel"]) == len(base["by_channel"]) - 1
