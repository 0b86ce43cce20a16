"""Issue 20 items 9–11 and the Low list: values, settings and options an attacker (or a typo) can give. Each case
runs the real command: exit code, message, what was written and what was not, inputs unchanged."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, check, invoke, make_register
from openpyxl import Workbook, load_workbook

SAMPLES = ROOT / "samples" / "inbox"
HEADER = ["序号", "登记日期", "渠道名称", "所属分所", "客户姓名", "联系电话", "意向等级", "跟进人"]


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def inbox(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("r3") / "inbox"
    folder.mkdir()
    make_register(folder / "雪域-2026W45.xlsx", [[1, "2026-11-03", "雪域:warning:物业", "拉萨分所", "张三", "13812345678",
                                                "A", "王芳"]], header=HEADER, block={"报送日期": "2026-11-06"})
    return folder


# --------------------------------------------------------------------------- fill


def test_a_web_form_answer_that_is_a_list_is_filled_as_its_choices(runner, tmp_path):
    form = tmp_path / "form.json"
    form.write_text(json.dumps([{"客户姓名": "张三", "手机号码": "13812345678", "提交时间": "2026-11-03 10:00",
                                 "意向等级": "A", "意向楼盘": ["麓湖花园", "天府云城"], "备注": {"来源": "朋友圈"}}],
                               ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "f.xlsx"
    result = invoke(runner, "fill", "register", "--from", form, "--set", "渠道名称=雪域物业", "-o", out)
    assert result.exit_code == 0, result.output
    (row,) = check(out).tables["意向客户登记"].rows
    assert (row.values["意向楼盘"], row.values["备注"]) == ("麓湖花园、天府云城", '{"来源": "朋友圈"}')


def test_json_nested_thousands_deep_is_refused_with_a_message(runner, tmp_path):
    form = tmp_path / "deep.json"
    form.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    result = invoke(runner, "fill", "register", "--from", form, "-o", tmp_path / "f.xlsx")
    assert result.exit_code == 2
    assert result.output == f"错误：数据文件 {form} 无法读取：JSON 文件嵌套层数过多，不像网络表单的导出，已跳过\n"
    assert not (tmp_path / "f.xlsx").exists()


def test_a_text_cell_that_looks_like_a_formula_stays_text_when_the_total_moves(runner, tmp_path):
    template = tmp_path / "活动.xlsx"
    assert invoke(runner, "new", "event", "-o", template).exit_code == 0
    wb = load_workbook(template)
    ws = wb["物料清单"]
    assert (ws["A43"].value, ws["D43"].value) == ("合计", "=SUM(D3:D42)")
    link = '=HYPERLINK("http://evil.example","点我领奖")'
    ws["E43"].value = link
    ws["E43"].data_type = "s"  # typed as text, as Excel keeps '=… with a leading apostrophe
    wb.save(template)
    data = tmp_path / "物料.csv"
    data.write_text("\n".join(["物料,数量,单价(元)"] + [f"物料{i},{i},10" for i in range(1, 43)]) + "\n",
                    encoding="utf-8")
    out = tmp_path / "out.xlsx"
    assert invoke(runner, "fill", template, "--from", data, "-o", out).exit_code == 0
    ws = load_workbook(out)["物料清单"]
    assert (ws["A45"].value, ws["D45"].value, ws["D45"].data_type) == ("合计", "=SUM(D3:D44)", "f")
    assert (ws["E45"].value, ws["E45"].data_type) == (link, "s")  # moved, and still text
    with zipfile.ZipFile(out) as zf:
        sheets = [n for n in zf.namelist() if n.startswith("xl/worksheets/sheet")]
        assert not any(b"<f>HYPERLINK" in zf.read(n) for n in sheets)


@pytest.mark.slow
def test_a_carried_plan_over_a_century_draws_two_years_of_weeks(runner, tmp_path):
    plan = tmp_path / "plan.xlsx"
    invoke(runner, "new-plan", "--type", "成都本地", "--branch", "总部", "--city", "成都", "--start", "2026-09-21",
           "--owner", "李强", "-o", plan)
    wb = load_workbook(plan)
    ws = wb["工作计划"]
    assert (ws["F5"].value, ws["G5"].value) == ("计划开始", "计划完成")
    ws["F6"], ws["G6"] = dt.datetime(1990, 1, 2), dt.datetime(2100, 12, 30)
    wb.save(plan)
    out = tmp_path / "next.xlsx"
    result = invoke(runner, "fill", "plan", "--carry", plan, "-o", out, "--as-of", "2026-10-15")
    assert result.exit_code == 0, result.output
    assert "上一期有任务的日期跨 5,792 周（多半是年份填错）：甘特图只画本周前后的 104 周；请核对计划开始、计划完成日期" in result.output
    ws = load_workbook(out)["工作计划"]
    weeks = [c.value for c in ws[4] if isinstance(c.value, dt.datetime)]
    assert len(weeks) <= 104 and ws.max_column < 140
    assert check(out, as_of=dt.date(2026, 10, 15)).block["计划周期"] == "1990-01-02 – 2100-12-30"


# --------------------------------------------------------------------------- settings and options


@pytest.mark.parametrize("toml, message", [
    ("[assess]\nadjust_after = 100000\n", "配置项 assess.adjust_after 无效：应为 1–12 之间的整数，当前为 100000"),
    ("[assess]\nadjust_after = 0\n", "配置项 assess.adjust_after 无效：应为 1–12 之间的整数，当前为 0"),
    ("[output]\nmax_branches = -1\n", "配置项 output.max_branches 无效：应为 0–10000 之间的整数，当前为 -1"),
    ("[output]\nmax_channels = 1e9\n", "配置项 output.max_channels 无效：应为 0–10000 之间的整数，当前为 1000000000.0"),
    ("[calendar]\nholidays = [1900-01-01]\n", "配置项 calendar.holidays 无效：1900-01-01 的年份应在 1990–2100 之间"),
    ("a = " + "[" * 5000 + "]" * 5000 + "\n", "配置文件 {config} 格式有误：嵌套层数过多（不像 qudao 的配置文件）"),
])
def test_settings_out_of_range_are_refused_at_load_naming_the_key(runner, tmp_path, toml, message):
    config = tmp_path / "qudao.toml"
    config.write_text(toml, encoding="utf-8")
    for args in (("summarize", SAMPLES / "总部", "--json", tmp_path / "s.json"),
                 ("rollup", "--inbox", SAMPLES, "--out", tmp_path / "out", "--week", "2026-W53")):  # a quarter's end
        result = invoke(runner, *args, "--config", config)
        assert result.exit_code == 2 and result.output == f"错误：{message.format(config=config)}\n"
    assert not (tmp_path / "s.json").exists() and not (tmp_path / "out").exists()


@pytest.mark.parametrize("args, message", [
    (("todo", SAMPLES, "--days", "1000000000"), "--days 应为 0–3650 之间的整数（天），当前为 1000000000"),
    (("rollup", "--inbox", SAMPLES, "--out", "OUT", "--wait", "inf"), "--wait 应为 0–86400 之间的秒数，当前为 inf"),
    (("summarize", SAMPLES, "--workers", "0"), "--workers 的值无效：应为 1–256 之间的整数，当前为 0"),
    (("summarize", SAMPLES, "--as-of", ""), "--as-of 不能为空（应为日期，如 2026-11-27，或 today）"),
    (("rollup", "--inbox", SAMPLES, "--out", "OUT", "--as-of", " "), "--as-of 不能为空（应为日期，如 2026-11-27，或 today）"),
    (("new-plan", "--type", "西藏本地", "--branch", "拉萨分所", "--city", "拉萨", "--start", "2026-09-21", "--weeks",
      "100000", "-o", "OUT"), "--weeks 应在 1–104 之间"),
])
def test_options_out_of_range_are_usage_errors(runner, tmp_path, args, message):
    result = invoke(runner, *[tmp_path / "out" if a == "OUT" else a for a in args])
    assert result.exit_code == 2 and (result.output.endswith(f"错误：{message}\n") or (
        "的值无效" in message and message in result.output)), result.output  # a parse error: Click's usage panel
    assert "内部错误" not in result.output and not (tmp_path / "out").exists()


# --------------------------------------------------------------------------- fonts


def _env(**extra: str) -> dict[str, str]:
    env = {"PYTHONPATH": str(ROOT / "src"), "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8"}
    env.update(extra)
    return env


@pytest.mark.slow
def test_qudao_font_naming_a_non_font_falls_back_with_a_warning(runner, inbox, tmp_path, monkeypatch):
    from test_share import cjk_font

    real = cjk_font().regular
    fake = tmp_path / "字体.ttf"
    fake.write_text("not a font", encoding="utf-8")
    monkeypatch.setenv("QUDAO_FONT", str(fake))
    monkeypatch.delenv("QUDAO_FONT_DIRS", raising=False)
    result = invoke(runner, "summarize", inbox, "--png", tmp_path / "s.png", "--as-of", "2026-11-27")
    assert result.exit_code == 0, result.output
    assert f"警告：环境变量 QUDAO_FONT 指向的 {fake} 不是可用的字体文件（.ttf/.otf/.ttc），改用 {real}\n" in result.output
    assert (tmp_path / "s.png").read_bytes()[:4] == b"\x89PNG"
    result = invoke(runner, "rollup", "--inbox", inbox, "--out", tmp_path / "out", "--week", "2026-W45")
    assert result.exit_code == 0 and result.output.count("QUDAO_FONT") == 1  # said once, not per branch
    assert (tmp_path / "out" / "2026-W45" / "分所" / "汇总-2026-W45-拉萨分所.png").is_file()


@pytest.mark.slow
def test_a_fifo_named_like_a_font_never_hangs_the_card(inbox, tmp_path):
    from test_share import cjk_font

    fonts = tmp_path / "fonts"
    fonts.mkdir()
    os.mkfifo(fonts / "NotoSansCJK-Regular.ttc")  # opening it would block for ever
    (fonts / "wqy-microhei.ttc").symlink_to(cjk_font().regular)
    os.mkfifo(tmp_path / "pipe.ttf")
    done = subprocess.run([sys.executable, "-m", "qudao", "summarize", str(inbox), "--png", str(tmp_path / "s.png"),
                           "--as-of", "2026-11-27"], env=_env(QUDAO_FONT_DIRS=str(fonts), QUDAO_FONT=str(tmp_path / "pipe.ttf")),
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert f"不是可用的字体文件（.ttf/.otf/.ttc），改用 {fonts / 'wqy-microhei.ttc'}" in done.stderr
    assert (tmp_path / "s.png").is_file() and os.path.exists(fonts / "NotoSansCJK-Regular.ttc")


# --------------------------------------------------------------------------- what a file was, when read


@pytest.mark.slow
def test_the_manifest_hashes_the_bytes_that_were_read(runner, inbox, tmp_path, monkeypatch):
    import qudao.jobs.weekly as weekly

    box = tmp_path / "inbox"
    shutil.copytree(inbox, box)
    (src,) = box.glob("*.xlsx")
    read_size, read_sha = src.stat().st_size, sha(src)
    real_write = weekly._write_week

    def replaced_then_write(*args, **kwargs):  # the register is replaced after it was read
        src.write_bytes(src.read_bytes() + b"\0" * 100)
        return real_write(*args, **kwargs)

    monkeypatch.setattr(weekly, "_write_week", replaced_then_write)
    assert invoke(runner, "rollup", "--inbox", box, "--out", tmp_path / "out", "--week", "2026-W45").exit_code == 0
    manifest = json.loads((tmp_path / "out" / "2026-W45" / "manifest.json").read_text(encoding="utf-8"))
    (entry,) = manifest["inputs"]
    assert (entry["size"], entry["sha256"]) == (read_size, read_sha)


def test_a_file_changed_while_it_is_read_is_said(runner, inbox, tmp_path, monkeypatch):
    import qudao.check.engine as engine

    box = tmp_path / "inbox"
    shutil.copytree(inbox, box)
    (src,) = box.glob("*.xlsx")
    before = src.read_bytes()
    real_check = engine._check

    def changing(path, *args):
        real_check(path, *args)
        path.write_bytes(before + b"\0")  # someone saves over it while qudao reads

    monkeypatch.setattr(engine, "_check", changing)
    result = invoke(runner, "validate", box, "--format", "json")
    (report,) = json.loads(result.output)["files"]
    assert [(f["code"], f["message"]) for f in report["findings"]] == [
        ("file.changed", "文件在读取期间被改动或替换，本次读到的内容可能不完整；下次运行会重新读取")]


# --------------------------------------------------------------------------- what is shown


def test_a_sheet_named_history_is_renamed_in_the_annotated_copy(runner, tmp_path):
    from qudao.report.annotate import sheet_titles

    path = tmp_path / "登记.xlsx"
    make_register(path, [[1, "2026-11-03", "张三", "138", "A"]], header=["序号", "登记日期", "客户姓名", "联系电话", "意向等级"],
                  sheet="History")
    result = invoke(runner, "validate", path, "--annotate", tmp_path / "marked", "--as-of", "2026-11-27")
    assert result.exit_code == 1
    names = load_workbook(tmp_path / "marked" / "登记.xlsx").sheetnames
    assert names == ["问题清单", "History(2)"] and "history" not in [n.lower() for n in names]
    problems = load_workbook(tmp_path / "marked" / "登记.xlsx")["问题清单"]
    assert problems["B2"].hyperlink.location.startswith("'History(2)'!")
    assert sheet_titles(["HISTORY", "历史"]) == {"HISTORY": "HISTORY(2)", "历史": "历史"}  # the streamed copy


def test_emoji_shortcodes_in_names_are_printed_as_written(runner, inbox):
    result = invoke(runner, "summarize", inbox, "--as-of", "2026-11-27")
    assert "雪域:warning:物业" in result.output and "⚠" not in result.output
    result = invoke(runner, "statement", inbox, "--channel", "雪域:warning:物业", "--as-of", "2026-11-27")
    assert result.exit_code == 0 and "雪域:warning:物业" in result.output and "⚠" not in result.output


def test_todo_markdown_from_hostile_names_is_inert(runner, tmp_path):
    from markdown_it import MarkdownIt

    box = tmp_path / "inbox"
    box.mkdir()
    branch, person = "<img src=x onerror=alert(1)>", "<script>alert(1)</script>[x](javascript:alert(1))"
    make_register(box / "r-2026W48.xlsx", [[1, "2026-11-03", "javascript:alert(1)", branch, "张三", "13812345678", "A",
                                            person]], header=HEADER, block={"报送日期": "2026-11-27"})
    md = tmp_path / "t.md"
    result = invoke(runner, "todo", box, "--branch", branch, "--md", md, "--as-of", "2026-11-30")
    assert result.exit_code == 0, result.output
    text = md.read_text(encoding="utf-8")
    assert text.startswith("# 本周待办 · &lt;img src=x onerror=alert(1)&gt;\n")
    assert "按跟进人：&lt;script&gt;alert(1)&lt;/script&gt;\\[x\\](javascript:alert(1)) 1" in text
    html = MarkdownIt("commonmark").enable("table").render(text)
    assert "<img" not in html and "<script" not in html and 'href="javascript' not in html
