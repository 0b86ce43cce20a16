"""Every command and exit code, in-process with Typer's CliRunner."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from conftest import AS_OF, ROOT, invoke, make_register
from openpyxl import load_workbook

HEADER = ["序号", "登记日期", "渠道名称", "客户姓名", "联系电话", "意向等级"]


def test_help_lists_every_command(runner):
    result = invoke(runner, "--help")
    assert result.exit_code == 0
    for name in ("list", "new", "new-plan", "fill", "validate", "summarize", "rollup", "assess", "inspect",
                 "agreement", "demo", "config"):
        assert name in result.output, name


def test_every_command_has_help_text(runner):
    from qudao.cli import app

    for command in app.registered_commands:
        assert command.callback.__doc__, command.name
        result = invoke(runner, command.name, "--help")
        assert result.exit_code == 0 and f"用法：qudao {command.name} [选项]" in result.output


def test_version(runner):
    from qudao import __version__

    result = invoke(runner, "--version")
    assert result.exit_code == 0 and __version__ in result.output


def test_list(runner):
    result = invoke(runner, "list")
    assert result.exit_code == 0 and "register" in result.output and "意向客户登记表" in result.output
    data = json.loads(invoke(runner, "list", "--format", "json").output)
    assert data[0] == {"kind": "register", "title": "意向客户登记表", "names": ["登记表", "客户登记表", "意向登记表"],
                       "version": 1, "sheets": ["意向客户登记"], "generated": False}
    assert len(data) == 20 and [k["kind"] for k in data if k["generated"]] == ["summary"]
    assert {k["kind"] for k in data} == {"register", "summary", "plan", "handoff", "feedback", "negotiation",
                                         "screening", "expansion", "agencies", "affiliates", "survey", "event",
                                         "agreements", "dev-process", "qa", "targets", "scores", "sales", "verify",
                                         "payments"}


@pytest.mark.slow
def test_new_register_with_header_values(runner, tmp_path):
    target = tmp_path / "登记表.xlsx"
    result = invoke(runner, "new", "register", "-o", target, "--set", "渠道名称=拉萨雪域物业", "--set", "报送日期=2026/11/27")
    assert result.exit_code == 0, result.output
    ws = load_workbook(target)["意向客户登记"]
    assert ws["A2"].value == "渠道名称：" and ws["B2"].value == "拉萨雪域物业"
    assert ws["H3"].value.date().isoformat() == "2026-11-27"


@pytest.mark.slow
def test_new_refuses_to_overwrite_without_force(runner, tmp_path):
    target = tmp_path / "x.xlsx"
    assert invoke(runner, "new", "register", "-o", target).exit_code == 0
    before = target.read_bytes()
    result = invoke(runner, "new", "register", "-o", target)
    assert result.exit_code == 2 and "已存在" in result.output and "--force" in result.output
    assert target.read_bytes() == before
    assert invoke(runner, "new", "register", "-o", target, "--force").exit_code == 0


@pytest.mark.parametrize("args, text", [
    (("new", "nonsense"), "未知的表格类型"),
    (("new", "register", "--set", "不存在=1"), "不是意向客户登记表的表头项"),
    (("new", "register", "--set", "渠道名称"), "标签=值"),
    (("new", "summary"), "qudao summarize"),
    (("new", "register", "-o", "x.txt"), ".xlsx"),
])
def test_new_usage_errors(runner, tmp_path, args, text):
    os.chdir(tmp_path)
    result = invoke(runner, *args)
    assert result.exit_code == 2 and text in result.output
    assert "Traceback" not in result.output


def test_validate_exit_codes(runner, tmp_path):
    good = make_register(tmp_path / "good.xlsx", [[1, "2026-11-03", "x", "张三", "13812345678", "A"]], header=HEADER,
                         block={})
    bad = make_register(tmp_path / "bad.xlsx", [[1, "2026-11-03", "x", "张三", "1381234", "A"]], header=HEADER,
                        block={})
    assert invoke(runner, "validate", good, "--as-of", AS_OF).exit_code == 0
    result = invoke(runner, "validate", bad, "--as-of", AS_OF)
    assert result.exit_code == 1
    assert result.output.splitlines()[1] == ("    意向客户登记!E3  错误  联系电话应为11位手机号（或前三后四隐号，如138****5678）"
                                             "（当前为“1381234”）")
    assert "读取 1 行 = 接收 0 + 拒收 1 + 跳过 0" in result.output
    missing = invoke(runner, "validate", tmp_path / "nope.xlsx")
    assert missing.exit_code == 2 and "找不到路径" in missing.output
    assert invoke(runner, "validate", good, "--format", "yaml").exit_code == 2
    assert invoke(runner, "validate", good, "--as-of", "tomorrow-ish").exit_code == 2
    assert invoke(runner, "validate", good, "--kind", "nope").exit_code == 2


def test_validate_json_shape(runner, tmp_path):
    bad = make_register(tmp_path / "bad.xlsx", [[1, "2026-11-03", "x", "张三", "1381234", "A"],
                                                [2, "2026-11-04", "x", "李四", "13912345678", "B"],
                                                ["合计"]], header=HEADER, block={})
    result = invoke(runner, "validate", bad, "--format", "json", "--as-of", AS_OF)
    data = json.loads(result.output)
    (item,) = data["files"]
    assert {k: item[k] for k in ("kind", "version", "rows_read", "rows_accepted", "rows_rejected", "rows_skipped",
                                 "errors", "warnings")} == {"kind": "register", "version": 1, "rows_read": 3,
                                                            "rows_accepted": 1, "rows_rejected": 1, "rows_skipped": 1,
                                                            "errors": 1, "warnings": 0}
    assert item["findings"] == [{"severity": "error", "code": "phone.format", "sheet": "意向客户登记", "cell": "E3",
                                 "row": 3, "column": "联系电话", "value": "1381234",
                                 "message": "联系电话应为11位手机号（或前三后四隐号，如138****5678）（当前为“1381234”）"}]
    assert data["totals"] == {"files": 1, "rows_read": 3, "rows_accepted": 1, "rows_rejected": 1, "rows_skipped": 1,
                              "errors": 1, "warnings": 0, "skipped": 0}


def test_inspect(runner, tmp_path):
    path = make_register(tmp_path / "r.xlsx", [[1, "2026-11-03", "x", "张三", "13812345678", "A"]], header=HEADER,
                         block={"渠道名称": "雪域物业", "报送日期": "2026-11-27"})
    result = invoke(runner, "inspect", path)
    assert result.exit_code == 0
    assert "类型 register" in result.output and "表头在第 4 行" in result.output and "渠道名称：雪域物业" in result.output
    data = json.loads(invoke(runner, "inspect", path, "--format", "json").output)
    assert data[0]["block"] == {"渠道名称": "雪域物业", "报送日期": "2026-11-27"}
    (tmp_path / "bad.xlsx").write_bytes(b"nope")
    assert invoke(runner, "inspect", tmp_path / "bad.xlsx").exit_code == 1


@pytest.mark.slow
def test_summarize_writes_every_output(runner, tmp_path):
    inbox = ROOT / "samples" / "inbox"
    out = tmp_path / "out"
    args = ["summarize", inbox, "-o", out / "s.xlsx", "--html", out / "s.html", "--md", out / "s.md",
            "--json", out / "s.json", "--as-of", "2026-11-27"]
    result = invoke(runner, *args)
    assert result.exit_code == 1, result.output  # the samples hold a few bad rows on purpose
    for name in ("s.xlsx", "s.html", "s.md", "s.json"):
        assert (out / name).stat().st_size > 1000
    assert "读取" in result.output and "= 接收" in result.output and "已写入" in result.output
    again = invoke(runner, *args)
    assert again.exit_code == 2 and "已存在" in again.output
    assert invoke(runner, *args, "--force").exit_code == 1
    assert not [p for p in out.iterdir() if p.name.endswith(".part")]


@pytest.mark.parametrize("args, text", [
    (("-o", "x.csv"), ".xlsx"), (("--from", "2026-12-01", "--to", "2026-11-01"), "--from"),
    (("--protection-days", "-1"), "--protection-days 应为 0–3650 之间的整数（天），当前为 -1"),
    (("--protection-days", "99999999999"), "--protection-days 应为 0–3650 之间的整数（天），当前为 99999999999"),
    (("--from", "soon"), "--from"),
])
def test_summarize_usage_errors(runner, tmp_path, args, text):
    result = invoke(runner, "summarize", ROOT / "samples" / "inbox", *args)
    assert result.exit_code == 2 and text in result.output


def test_summarize_json_to_stdout(runner):
    result = invoke(runner, "summarize", ROOT / "samples" / "inbox", "--json", "-", "--as-of", "2026-11-27")
    data = json.loads(result.output)
    assert data["inputs"]["files"] == 68 and data["reconciliation"]["ok"]


def test_summarize_exit_zero_when_everything_is_accepted(runner, tmp_path):
    make_register(tmp_path / "r.xlsx", [[1, "2026-11-03", "x", "张三", "13812345678", "A"]], header=HEADER, block={})
    assert invoke(runner, "summarize", tmp_path, "-q", "--as-of", AS_OF).exit_code == 0


def test_nothing_readable_still_reports(runner, tmp_path):
    (tmp_path / "a.xlsx").write_bytes(b"junk")
    result = invoke(runner, "summarize", tmp_path, "--json", tmp_path / "s.json")
    assert result.exit_code == 1
    data = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))
    assert data["inputs"]["files_unreadable"] == 1 and data["by_channel"] == []


@pytest.mark.slow
def test_demo(runner, tmp_path):
    folder = tmp_path / "demo"
    result = invoke(runner, "demo", folder)
    assert result.exit_code == 0, result.output
    for name in ("渠道汇总分析表.xlsx", "渠道汇总分析表.html", "渠道汇总分析表.md", "summary.json", "渠道考核-2026Q4.xlsx",
                 "渠道考核-2026Q4.html", "渠道考核-2026Q4.md", "渠道考核-2026Q4.json"):
        assert (folder / name).is_file()
    assert "已写入" in result.output and "示例收件箱" in result.output
    assert "本季度渠道考核（2026Q4，期中预评）：优秀 0，合格 7，不合格 3，未评定 0" in result.output  # counts due rounded up
    assessment = json.loads((folder / "渠道考核-2026Q4.json").read_text(encoding="utf-8"))
    assert assessment["findings"]["targets_and_scores"] == []  # the sample targets and scores name known channels
    assert invoke(runner, "demo", folder).exit_code == 0  # re-running replaces its own output
    other = tmp_path / "other"
    other.mkdir()
    (other / "mine.txt").write_text("keep", encoding="utf-8")
    assert invoke(runner, "demo", other).exit_code == 2
    assert (other / "mine.txt").read_text(encoding="utf-8") == "keep"


def test_python_dash_m_and_no_traceback_for_users(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run([sys.executable, "-m", "qudao", "validate", str(tmp_path / "missing")], capture_output=True,
                          text=True, env=env)
    assert done.returncode == 2 and "找不到路径" in done.stderr and "Traceback" not in done.stderr


def test_help_does_not_import_heavy_libraries():
    code = ("import sys\nfrom typer.testing import CliRunner\nfrom qudao.cli import app\n"
            "r = CliRunner().invoke(app, ['--help'])\nassert r.exit_code == 0\n"
            "r = CliRunner().invoke(app, ['list'])\nassert r.exit_code == 0\n"
            "heavy = [m for m in ('pandas', 'openpyxl', 'python_calamine', 'xlsxwriter', 'jinja2') if m in sys.modules]\n"
            "print(','.join(heavy))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""


@pytest.mark.slow
def test_samples_are_what_the_demo_generator_writes(tmp_path):
    from python_calamine import CalamineWorkbook

    from qudao.jobs.demo import write_inbox

    fresh = tmp_path / "inbox"
    write_inbox(fresh)
    committed = ROOT / "samples" / "inbox"
    names = sorted(p.relative_to(committed).as_posix() for p in committed.rglob("*") if p.is_file())
    assert names == sorted(p.relative_to(fresh).as_posix() for p in fresh.rglob("*") if p.is_file())
    for name in names:
        a, b = committed / name, fresh / name
        if a.suffix == ".xlsx":
            sa = CalamineWorkbook.from_path(str(a)).get_sheet_by_index(0).to_python()
            sb = CalamineWorkbook.from_path(str(b)).get_sheet_by_index(0).to_python()
            assert sa == sb, name
        else:
            assert a.read_bytes() == b.read_bytes(), name


def test_new_into_a_missing_folder_is_refused(runner, tmp_path):
    """A mistyped folder is said, not silently created (issue 25): new, new-plan and fill."""
    for args in (("new", "register"), ("new-plan", "--type", "西藏本地", "--branch", "拉萨分所", "--city", "拉萨",
                                       "--start", "2026-09-21"),
                 ("fill", "register", "--from", tmp_path / "nowhere.csv")):
        result = invoke(runner, *args, "-o", tmp_path / "没有的文件夹" / "表.xlsx")
        assert result.exit_code == 2, (args, result.output)
        assert f"-o 的文件夹不存在：{tmp_path / '没有的文件夹'}（请先建好这个文件夹" in result.output
        assert not (tmp_path / "没有的文件夹").exists()
