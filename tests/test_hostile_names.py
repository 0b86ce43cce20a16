"""Issue 20 items 3, 4, 8: file names built from cells. A long name never stops the week; names that look
alike never share a file; a statement's file name does not shift when a new channel appears; a name the
file system refuses loses that file only; the per-week fan-out is capped with a finding.
"""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from pathlib import Path

import pytest
from conftest import invoke, make_register
from test_hostile_corpus import qudao

from qudao.filenames import NAME_MAX, fingerprint, stem

HEADER = ["序号", "登记日期", "渠道名称", "所属分所", "客户姓名", "联系电话", "意向等级"]
W48 = "2026-W48"


def register(path: Path, rows: list[tuple[str, str]], first_phone: int = 0) -> Path:
    """One register whose rows name (渠道名称, 所属分所) each: a 汇总登记 of several channels."""
    lines = [[i + 1, f"2026-11-{23 + i % 5}", channel, branch, f"客户{first_phone + i}",
              f"139{first_phone + i:08d}", "A"] for i, (channel, branch) in enumerate(rows)]
    path.parent.mkdir(parents=True, exist_ok=True)
    return make_register(path, lines, header=HEADER, block={"报送日期": dt.date(2026, 11, 29)})


def files_of(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


LONG_BRANCH = "拉萨城关区" * 24  # 120 CJK characters: 360 bytes
LONG_CHANNEL = "\U00020000" * 61  # 61 four-byte characters (CJK extension B): 244 bytes


@pytest.mark.slow
def test_long_names_never_stop_the_week(runner, tmp_path):
    inbox = tmp_path / "inbox"
    register(inbox / "汇总登记-2026W48.xlsx", [(LONG_CHANNEL, LONG_BRANCH), ("雪域物业", "拉萨分所")])
    out = tmp_path / "out"
    result = invoke(runner, "rollup", "--inbox", inbox, "--out", out, "--week", W48)
    assert result.exit_code == 0, result.output
    week = out / W48
    branch_files = files_of(week / "分所")
    assert len(branch_files) == 6 and all(len(n.encode()) <= NAME_MAX for n in branch_files)
    long_stem = stem(LONG_BRANCH, f"汇总-{W48}-", "", (".xlsx", ".html", ".png"))
    assert long_stem.endswith("~" + fingerprint(LONG_BRANCH)) and f"{long_stem}.png" in branch_files
    assert f"汇总-{W48}-拉萨分所.xlsx" in branch_files
    statements = files_of(week / "对账单")
    long_statement = stem(LONG_CHANNEL, "对账单-", f"-{W48}", (".xlsx", ".html"))
    assert statements == sorted([f"{long_statement}.xlsx", f"{long_statement}.html", f"对账单-雪域物业-{W48}.xlsx",
                                 f"对账单-雪域物业-{W48}.html"])
    assert all(len(n.encode()) <= NAME_MAX for n in statements + files_of(week / "待办"))
    html = (week / "对账单" / f"{long_statement}.html").read_text(encoding="utf-8")
    assert LONG_CHANNEL in html  # the full name inside, whatever the file name
    by_branch = tmp_path / "by-branch"
    result = invoke(runner, "summarize", inbox, "--by-branch", by_branch, "--as-of", "2026-11-30")
    assert result.exit_code == 0 and len(files_of(by_branch)) == 6


LOOKALIKES = ["拉萨/分所", "拉萨:分所", "拉萨_分所", "...", " . ", "未命名", "ABC分所", "abc分所", "Abc分所", "自然到访",
              "（未填）", "CON"]


@pytest.mark.slow
def test_branches_that_look_alike_each_get_their_own_report(runner, tmp_path):
    inbox = tmp_path / "inbox"
    rows = [(f"渠道{i:02d}", branch) for i, branch in enumerate(LOOKALIKES)]
    register(inbox / "汇总登记-2026W48.xlsx", rows)
    out = tmp_path / "out"
    result = invoke(runner, "rollup", "--inbox", inbox, "--out", out, "--week", W48)
    assert result.exit_code == 0, result.output
    week = out / W48
    data = json.loads((week / f"汇总-{W48}.json").read_text(encoding="utf-8"))
    shown = {row["channel"]: row["branch"] for row in data["by_channel"]}  # the branches as read from the cells
    assert len(set(shown.values())) == len(LOOKALIKES)
    names = files_of(week / "分所")
    assert len(names) == 3 * len(LOOKALIKES)
    assert len({unicodedata.normalize("NFC", n).casefold() for n in names}) == len(names)  # also on SMB
    for channel, branch in shown.items():  # each report is its own branch's, holding its own channel only
        html = (week / "分所" / f"{stem(branch, f'汇总-{W48}-', '', ('.xlsx', '.html', '.png'))}.html").read_text(
            encoding="utf-8")
        assert channel in html and not any(other in html for other in shown if other != channel)
    assert f"汇总-{W48}-拉萨_分所.xlsx" in names  # the one already safe keeps its name
    assert f"汇总-{W48}-拉萨_分所~{fingerprint('拉萨/分所')}.xlsx" in names
    assert f"汇总-{W48}-自然到访.xlsx" in names and f"汇总-{W48}-（未填）.xlsx" in names  # qudao's labels as names
    todo = files_of(week / "待办")
    assert len({n.casefold() for n in todo}) == len(todo) and f"待办-拉萨_分所-{W48}.xlsx" in todo


def test_a_statements_file_name_does_not_shift_when_a_lookalike_channel_appears(runner, tmp_path):
    inbox = tmp_path / "inbox"
    register(inbox / "雪域-2026W48.xlsx", [("雪域/物业", "拉萨分所")])
    out = tmp_path / "out"
    assert invoke(runner, "rollup", "--inbox", inbox, "--out", out, "--week", W48).exit_code == 0
    alone = files_of(out / W48 / "对账单")
    (page,) = [n for n in alone if n.endswith(".html")]
    assert page == f"对账单-雪域_物业~{fingerprint('雪域/物业')}-{W48}.html"
    before = (out / W48 / "对账单" / page).read_text(encoding="utf-8")
    register(inbox / "新渠道-2026W48.xlsx", [("雪域:物业", "拉萨分所"), ("雪域_物业", "拉萨分所")], first_phone=50)
    assert invoke(runner, "rollup", "--inbox", inbox, "--out", out, "--week", W48).exit_code == 0
    crowded = files_of(out / W48 / "对账单")
    assert set(alone) < set(crowded) and len(crowded) == 6
    assert (out / W48 / "对账单" / page).read_text(encoding="utf-8") == before  # the same partner's statement


def test_a_name_the_file_system_refuses_loses_that_file_only(runner, tmp_path, monkeypatch):
    import os

    inbox = tmp_path / "inbox"
    register(inbox / "汇总登记-2026W48.xlsx", [("雪域物业", "拉萨分所"), ("扎什物业", "日喀则分所")])
    real_replace = os.replace

    def refuse(src, dst, *args, **kwargs):  # a share that cannot store this one name (EILSEQ)
        if "日喀则分所" in os.fspath(dst) and os.fspath(dst).endswith(".xlsx"):
            raise OSError(84, "Invalid or incomplete multibyte or wide character")
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr("qudao.write.atomic.os.replace", refuse)
    out = tmp_path / "out"
    result = invoke(runner, "rollup", "--inbox", inbox, "--out", out, "--week", W48)
    assert result.exit_code == 0, result.output
    assert "警告：分所「日喀则分所」的报告没有写出（无法写入 " in result.output
    assert "警告：分所「日喀则分所」的待办清单没有写出（无法写入 " in result.output
    week = out / W48
    assert files_of(week / "分所") == [f"汇总-{W48}-拉萨分所.html", f"汇总-{W48}-拉萨分所.png", f"汇总-{W48}-拉萨分所.xlsx"]
    assert f"汇总-{W48}.xlsx" in files_of(week) and len(files_of(week / "对账单")) == 4


@pytest.mark.slow
def test_the_fan_out_cap_keeps_the_listed_branches_and_the_biggest_then_says_so(runner, tmp_path):
    inbox = tmp_path / "inbox"
    rows = [("渠道A", "甲分所")] * 3 + [("渠道B", "乙分所")] * 2 + [("渠道C", "丙分所"), ("渠道D", "丁分所")]
    register(inbox / "汇总登记-2026W48.xlsx", rows)
    config = tmp_path / "qudao.toml"
    config.write_text('[branches]\nlist = ["丁分所"]\n\n[output]\nmax_branches = 2\nmax_channels = 3\n', encoding="utf-8")
    out = tmp_path / "out"
    result = invoke(runner, "rollup", "--inbox", inbox, "--out", out, "--week", W48, "--config", config)
    assert result.exit_code == 0, result.output
    week = out / W48
    assert files_of(week / "分所") == sorted(f"汇总-{W48}-{b}{x}" for b in ("丁分所", "甲分所")
                                            for x in (".xlsx", ".html", ".png"))
    assert files_of(week / "待办") == sorted(f"待办-{b}-{W48}{x}" for b in ("丁分所", "甲分所") for x in (".xlsx", ".html"))
    assert files_of(week / "对账单") == sorted(f"对账单-{c}-{W48}{x}" for c in ("渠道A", "渠道B", "渠道C")
                                             for x in (".xlsx", ".html"))
    findings = json.loads((week / "findings.json").read_text(encoding="utf-8"))["findings"]
    assert [(f["code"], f["severity"], f["message"]) for f in findings if f["code"].startswith("output.")] == [
        ("output.capped", "warning", "有 4 个分所，超过分所报告和待办清单的上限 2 个（qudao.toml 的 [output] max_branches）："
                                     "分所名单中的和登记最多的 2 个分所有分所报告和待办清单，其余 2 个没有（如 乙分所、丙分所）；"
                                     "分所这么多，常见于「所属分所」一列填错"),
        ("output.capped", "warning", "有 4 个渠道，超过对账单的上限 3 个（qudao.toml 的 [output] max_channels）：成交和登记最多"
                                     "的 3 个渠道有对账单，其余 1 个没有（如 渠道D）；需要时可用 qudao statement --channel 单独生成")]
    by_branch = tmp_path / "by-branch"
    result = invoke(runner, "summarize", inbox, "--by-branch", by_branch, "--config", config, "--as-of", "2026-11-30",
                    "--json", tmp_path / "s.json")
    assert result.exit_code == 0 and len(files_of(by_branch)) == 6
    data = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))
    assert {k: v for k, v in data["findings"]["by_code"].items() if k.startswith("output.")} == {"output.capped": 1}


@pytest.mark.slow
def test_800_different_branches_finish_quickly_and_write_hundreds_not_thousands(tmp_path):
    inbox = tmp_path / "inbox"
    register(inbox / "汇总登记-2026W48.xlsx", [(f"渠道{i:04d}", f"分所{i:04d}") for i in range(800)])
    assert (inbox / "汇总登记-2026W48.xlsx").stat().st_size < 60_000
    run = qudao("rollup", "--inbox", inbox, "--out", tmp_path / "out", "--week", W48, bounded=False)
    assert run.rc == 0, run.err
    assert run.seconds < 120 and run.mb < 1500, (run.seconds, run.mb)  # 93 s and 5,607 files before (quiet machine)
    files = [p for p in (tmp_path / "out").rglob("*") if p.is_file()]
    assert len(files) < 900 and len(files_of(tmp_path / "out" / W48 / "分所")) == 150
    findings = json.loads((tmp_path / "out" / W48 / "findings.json").read_text(encoding="utf-8"))["findings"]
    assert [(f["code"], f["message"].split("：")[0]) for f in findings if f["code"].startswith("output.")] == [
        ("output.capped", "有 800 个分所，超过分所报告和待办清单的上限 50 个（qudao.toml 的 [output] max_branches）"),
        ("output.capped", "有 800 个渠道，超过对账单的上限 300 个（qudao.toml 的 [output] max_channels）")]
