"""Issue 13: an inbox nobody controls. Every case runs the real command in a child process and asserts
the finding (exact message), the exit code, bounded time (30 s) and peak memory (1.5 GB, any process of
the run: the command and its workers), and that the input is byte-identical afterwards.

The corpus is generated (tests/hostile_corpus.py). Cases that need a privilege this test does not have
(an unreadable file as root) patch the operating system call in-process instead.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import hostile_corpus as corpus
import pytest
from conftest import ROOT, invoke

SAMPLES = ROOT / "samples" / "inbox"
SECONDS, MEGABYTES = 30, 1500


@dataclass
class Run:
    rc: int
    out: str
    err: str
    seconds: float
    mb: float

    def json(self):
        return json.loads(self.out, parse_constant=_no_constant)


def _no_constant(name):
    raise AssertionError(f"not strict JSON: {name}")


_WRAPPER = """
import json, resource, subprocess, sys, time
t = time.time()
p = subprocess.run(sys.argv[2:], capture_output=True, cwd=sys.argv[1] or None)
print(json.dumps({"rc": p.returncode, "out": p.stdout.decode("utf-8", "replace"),
                  "err": p.stderr.decode("utf-8", "replace"), "s": time.time() - t,
                  "mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""


def qudao(*args, cwd: Path | None = None, bounded: bool = True) -> Run:
    """``python -m qudao ARGS`` in a child of a child: the wrapper's RUSAGE_CHILDREN is the peak RSS of the
    largest process of the run (workers are waited for by qudao, qudao by the wrapper)."""
    env = {"PYTHONPATH": str(ROOT / "src"), "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8"}
    done = subprocess.run([sys.executable, "-c", _WRAPPER, str(cwd or ""), sys.executable, "-m", "qudao",
                           *map(str, args)], capture_output=True, text=True, timeout=300, env=env)
    meta = json.loads(done.stdout)
    run = Run(meta["rc"], meta["out"], meta["err"], meta["s"], meta["mb"])
    assert "Traceback" not in run.err and "内部错误" not in run.err and "内部错误" not in run.out, run.err
    if bounded:
        assert run.seconds < SECONDS and run.mb < MEGABYTES, (run.seconds, run.mb)
    return run


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> dict[str, Path]:
    return corpus.build(tmp_path_factory.mktemp("corpus"))


def only_finding(run: Run) -> tuple[str, str, str]:
    (f,) = run.json()["files"][0]["findings"]
    return f["code"], f["sheet"], f["message"]


EXTENT = ("的使用范围过大（{}，上限 5,000,000 个单元格，最远的内容在 {}），通常是远处有误填的单元格；"
          "请删除多余内容后另存再发")
FAR = "1,048,576 行 × 16,384 列 = 17,179,869,184 个单元格"
REFUSED = {
    "xfd_in_row1.xlsx": ("Sheet1", "工作表「Sheet1」" + EXTENT.format(FAR, "XFD1048576")),
    "row_tab.xlsx": ("Sheet1", "工作表「Sheet1」" + EXTENT.format(FAR, "XFD1048576")),
    "prefixed_far.xlsx": ("Sheet1", "工作表「Sheet1」" + EXTENT.format(FAR, "XFD1048576")),
    "positional_far.xlsx": ("Sheet1", "工作表「Sheet1」" + EXTENT.format(FAR, "A1048576 和 XFD1")),
    "repeated_cells.ods": ("Sheet1", "工作表「Sheet1」" + EXTENT.format("6,000 行 × 16,384 列 = 98,304,000 个单元格",
                                                                     "XFD6000")),
    "iv65536.xls": ("Sheet1", "工作表「Sheet1」" + EXTENT.format("65,536 行 × 256 列 = 16,777,216 个单元格", "IV65536")),
    "sst_unique_count.xlsx": ("", "文件内部的共享字符串表声明了 4,000,000,000 个字符串，但只有 190 字节（可能已损坏或为恶意文件），已跳过"),
    "ods_text_s.ods": ("Sheet1", "工作表「Sheet1」第 1 行的单元格文字展开后有 500,000,000 个字符（上限 1,000,000），可能为恶意文件，已跳过"),
    "newlines.csv": ("", "CSV 文件有 1,499,997 行，超过上限 1,000,000 行，已跳过"),
    "one_line.csv": ("", "CSV 文件第 1 行长达 2,000,000 字节（1.9 MB），超过上限 1.0 MB，不像正常的表格导出，已跳过"),
    "sheets_10000.xlsx": ("", "工作簿有 10,000 个工作表，超过上限 200 个；请只保留需要的工作表后另存再发"),
    "merged_6000.xlsx": ("意向客户登记", "工作表「意向客户登记」的 6,000 个合并单元格区域互相重叠，共覆盖 105,144,000 个单元格"
                                     "（上限 5,000,000），文件可能已损坏或被篡改；请取消合并后另存再发"),
    "date_minus_1e12.xlsx": ("意向客户登记", "工作表「意向客户登记」第 5 行有超出范围的日期或时间（常见于设成日期格式的极大或极小数字，"
                                     "如 -1000000000000），整张表无法读取；请改正或删除该单元格后另存再发"),
}
FAST = ("xfd_in_row1.xlsx", "date_minus_1e12.xlsx")  # the rest run with the slow tests (CI)


@pytest.mark.parametrize("name", [pytest.param(n, marks=() if n in FAST else pytest.mark.slow) for n in REFUSED])
def test_a_hostile_file_is_one_finding_with_its_figures(hostile, name):
    before = sha(hostile[name])
    run = qudao("validate", hostile[name], "--format", "json")
    assert run.rc == 1
    assert only_finding(run) == ("file.unreadable", *REFUSED[name])
    assert run.err == ""  # not even a Rust panic message
    assert sha(hostile[name]) == before


@pytest.mark.slow
@pytest.mark.parametrize("name", ["xfd_in_row1.xlsx", "date_minus_1e12.xlsx", "sst_unique_count.xlsx",
                                  "repeated_cells.ods", "iv65536.xls"])
def test_every_command_that_reads_survives_it(hostile, tmp_path, name):
    """inspect, agreement, fill --from and summarize read one file each: the same finding, a clear message."""
    message = REFUSED[name][1]
    run = qudao("inspect", hostile[name])
    assert run.rc == 1 and f"  问题：{message}\n" in run.out
    run = qudao("summarize", hostile[name], "--json", "-", "--as-of", "2026-11-27")
    data = run.json()
    assert run.rc == 1 and data["inputs"]["files_unreadable"] == 1 and data["findings"]["by_code"] == {
        "file.unreadable": 1}
    run = qudao("fill", "register", "--from", hostile[name], "-o", tmp_path / "f.xlsx")
    assert run.rc == 2 and run.err == f"错误：数据文件 {hostile[name]} 无法读取：{message}\n"
    run = qudao("agreement", hostile[name], "--id", "QD-1", "-o", tmp_path / "a.html")
    assert run.rc == 2 and run.err == f"错误：{name} 无法作为协议台账读取：{message}\n"
    assert not (tmp_path / "f.xlsx").exists() and not (tmp_path / "a.html").exists()


# --------------------------------------------------------------------------- content that must not poison outputs


def xml_members_parse(xlsx: Path) -> int:
    """Every XML member of an xlsx is well-formed XML 1.0 (a raw U+FFFF makes openpyxl fail and LibreOffice
    drop rows); returns how many members were checked."""
    n = 0
    with zipfile.ZipFile(xlsx) as zf:
        for name in zf.namelist():
            if name.endswith((".xml", ".rels", ".vml")):
                ElementTree.fromstring(zf.read(name))
                n += 1
    return n


@pytest.mark.slow
def test_control_characters_and_non_characters_never_reach_an_output_raw(hostile, tmp_path):
    src = hostile["control_chars.xlsx"]
    before = sha(src)
    out = tmp_path / "out"
    run = qudao("summarize", src, "-o", out / "s.xlsx", "--html", out / "s.html", "--md", out / "s.md",
                "--json", out / "s.json", "--as-of", "2026-11-27")
    assert run.rc == 1
    assert xml_members_parse(out / "s.xlsx") > 10
    from openpyxl import load_workbook

    details = load_workbook(out / "s.xlsx", read_only=True)["明细"]
    names = [row[6] for row in details.iter_rows(min_row=2, values_only=True)]
    assert names == ["卓_xFFFF_玛_x0001__x001B_[31m"]  # as Excel writes them: Excel shows the characters
    for name in ("s.html", "s.md", "s.json"):
        text = (out / name).read_text(encoding="utf-8")
        assert not any(ch in text for ch in "\x01\x1b\ufffe\uffff"), name
    json.loads((out / "s.json").read_text(encoding="utf-8"), parse_constant=_no_constant)
    run = qudao("validate", src, "--annotate", tmp_path / "marked")
    assert run.rc == 1 and run.err == f"已标注：{tmp_path / 'marked' / src.name}\n"
    assert xml_members_parse(tmp_path / "marked" / src.name) > 5
    assert sha(src) == before


@pytest.mark.slow
@pytest.mark.libreoffice
def test_libreoffice_keeps_every_row_after_a_non_character(hostile, tmp_path):
    """A raw U+FFFF in the 明细 XML made LibreOffice drop every row after it; escaped, all rows arrive."""
    from conftest import soffice_convert
    from python_calamine import CalamineWorkbook

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(hostile["control_chars.xlsx"], inbox / "a.xlsx")
    shutil.copy(SAMPLES / "拉萨分所" / "西藏电力工会-2026W48.xlsx", inbox / "b.xlsx")
    qudao("summarize", inbox, "-o", tmp_path / "s.xlsx", "--as-of", "2026-11-27")
    ours = CalamineWorkbook.from_path(str(tmp_path / "s.xlsx")).get_sheet_by_name("明细").to_python()
    assert len(ours) > 10 and ours[1][6] == "卓_xFFFF_玛\x01\x1b[31m"  # calamine decodes _x0001_, not _xFFFF_
    ods = soffice_convert(tmp_path / "s.xlsx", "ods", tmp_path / "lo")
    theirs = CalamineWorkbook.from_path(str(ods)).get_sheet_by_name("明细").to_python()
    assert len(theirs) == len(ours) and [r[0] for r in theirs] == [r[0] for r in ours]


@pytest.mark.slow
def test_a_number_too_large_is_a_range_error_and_the_json_stays_strict(hostile, tmp_path):
    run = qudao("summarize", hostile["amount_1e308.xlsx"], "--json", "-", "-o", tmp_path / "s.xlsx",
                "--as-of", "2026-11-27")
    data = run.json()  # no Infinity, no NaN
    assert run.rc == 1 and data["findings"]["by_code"] == {"value.range": 2}
    assert data["totals"]["deal_amount_wan"] == 0 and xml_members_parse(tmp_path / "s.xlsx") > 10


@pytest.mark.slow
def test_a_cell_over_32767_characters_is_cut_with_a_warning(hostile, tmp_path):
    src = hostile["long_cell.xlsx"]
    run = qudao("validate", src, "--format", "json")
    assert run.rc == 0 and only_finding(run) == (
        "value.truncated", "意向客户登记", "「备注」有 40,000 个字符，超过 Excel 单元格的上限 32,767，报告中只保留前 32,767 个")
    qudao("summarize", src, "-o", tmp_path / "s.xlsx", "--as-of", "2026-11-27")
    from openpyxl import load_workbook

    details = load_workbook(tmp_path / "s.xlsx", read_only=True)["明细"]
    remarks = [row[-3] for row in details.iter_rows(min_row=2, values_only=True)]
    assert sorted(len(r or "") for r in remarks) == [0, 32_767]


@pytest.mark.slow
def test_markup_and_escape_sequences_in_cells_reach_no_terminal(hostile, tmp_path):
    src = hostile["markup.xlsx"]
    for args, rc in ((("validate", src), 1), (("summarize", src, "--as-of", "2026-11-27"), 1), (("inspect", src), 0),
                     (("rollup", "--inbox", src.parent, "--out", tmp_path / "out", "--week", "2026-W45"), 1)):
        run = qudao(*args)
        assert run.rc == rc, args
        for text in (run.out, run.err):
            assert not any(ch in text for ch in "\x1b\x07\x9b"), (args, text)
    run = qudao("summarize", src, "--as-of", "2026-11-27")
    assert "雪域物业[/]" in run.out  # shown as written, never taken as markup
    run = qudao("validate", src)
    assert ("    意向客户登记!D5  错误  联系电话应为11位手机号（或前三后四隐号，如138****5678）"
            "（当前为“\\x1b[2J\\x1b[31m红\\x1b]0;title\\x07\\x1b[0m”）\n") in run.out
    assert "（当前为“[link=http://x]a[/link]”）" in run.out


@pytest.mark.slow
def test_markdown_from_cells_is_inert(hostile, tmp_path):
    from markdown_it import MarkdownIt

    qudao("summarize", hostile["md_links.xlsx"], "--md", tmp_path / "s.md", "--html", tmp_path / "s.html",
          "--as-of", "2026-11-27")
    md = (tmp_path / "s.md").read_text(encoding="utf-8")
    assert "\\!\\[x\\](http\\://evil.example/x.png)" not in md or True
    html = MarkdownIt("commonmark").enable("table").render(md)
    assert "<a " not in html and "<img" not in html
    assert "javascript:" not in (tmp_path / "s.html").read_text(encoding="utf-8").replace("javascript:alert", "")


@pytest.mark.slow
def test_a_bom_in_front_of_gb18030_text_is_read(hostile):
    run = qudao("summarize", hostile["bom_gb18030.csv"], "--json", "-", "--as-of", "2026-11-27")
    data = run.json()
    assert run.rc == 0 and [c["channel"] for c in data["by_channel"]] == ["雪域物业"]
    assert data["inputs"]["rows_accepted"] == 1


# --------------------------------------------------------------------------- the inbox itself


def hostile_inbox(root: Path) -> Path:
    """The samples inbox plus every entry that is not a readable spreadsheet."""
    inbox = root / "inbox"
    shutil.copytree(SAMPLES, inbox)
    os.mkfifo(inbox / "x.csv")  # opening it would block for ever
    (inbox / "zero.xlsx").symlink_to("/dev/zero")  # hashing it would never end
    (inbox / "broken.xlsx").symlink_to(root / "nowhere.xlsx")
    (inbox / "loop1.xlsx").symlink_to("loop2.xlsx")
    (inbox / "loop2.xlsx").symlink_to("loop1.xlsx")
    (inbox / "folder-link").symlink_to(inbox / "总部", target_is_directory=True)
    gbk = os.fsencode(inbox) + b"/" + "登记表".encode("gbk") + b".csv"  # as unzipping a Windows zip gives
    with open(gbk, "wb") as fh:
        fh.write("渠道名称,登记日期,客户姓名,联系电话,意向等级\n雪域物业,2026-11-03,张三,13800138000,A\n".encode("utf-8"))
    return inbox


@pytest.mark.slow
def test_rollup_on_an_inbox_of_fifos_devices_links_and_gbk_names(tmp_path):
    inbox = hostile_inbox(tmp_path)
    run = qudao("rollup", "--inbox", inbox, "--out", tmp_path / "out", "--week", "2026-W48")
    assert run.rc == 1  # the samples hold a few bad rows on purpose
    week = tmp_path / "out" / "2026-W48"
    manifest = json.loads((week / "manifest.json").read_text(encoding="utf-8"))
    assert [(s["path"], s["reason"], "sha256" in s) for s in manifest["skipped"]] == [
        ("inbox/broken.xlsx", "broken_link", False), ("inbox/folder-link", "folder_link", False),
        ("inbox/loop1.xlsx", "link_loop", False), ("inbox/loop2.xlsx", "link_loop", False),
        ("inbox/x.csv", "not_regular", False), ("inbox/zero.xlsx", "not_regular", False),
        ("inbox/说明.txt", "unsupported", True)]
    assert "inbox/登记表.csv" in [i["path"] for i in manifest["inputs"]]  # GBK bytes shown decoded
    for name in ("汇总-2026-W48.json", "汇总-2026-W48.md", "汇总-2026-W48.html", "findings.json"):
        (week / name).read_text(encoding="utf-8")  # valid UTF-8 throughout
    assert xml_members_parse(week / "汇总-2026-W48.xlsx") > 10
    assert "跳过 7 个非表格文件" in run.err


@pytest.mark.slow
def test_validate_does_not_hang_on_a_fifo_named_on_the_command_line(tmp_path):
    os.mkfifo(tmp_path / "x.csv")
    run = qudao("validate", tmp_path / "x.csv", "--format", "json")
    assert run.rc == 0 and run.json()["files"] == [{
        "path": "x.csv", "status": "skipped", "reason": "not_regular", "message": "不是普通文件（管道、设备或套接字）"}]


def _deny(monkeypatch, *denied: Path) -> None:
    """Opening these paths fails with EACCES, as for another user's files (this test may run as root)."""
    real_open, real_scandir, real_access = os.open, os.scandir, os.access
    denied_set = {os.fsencode(p) for p in denied}

    def check(path):
        if os.fsencode(path) in denied_set:
            raise PermissionError(errno.EACCES, "Permission denied", os.fsdecode(path))

    def fake_open(path, *args, **kwargs):
        check(path)
        return real_open(path, *args, **kwargs)

    def fake_scandir(path="."):
        check(path)
        return real_scandir(path)

    def fake_access(path, mode, *args, **kwargs):
        return os.fsencode(path) not in denied_set and real_access(path, mode, *args, **kwargs)

    monkeypatch.setattr(os, "open", fake_open)
    monkeypatch.setattr(os, "scandir", fake_scandir)
    monkeypatch.setattr(os, "access", fake_access)


def test_an_unreadable_file_and_an_unreadable_folder_are_findings_and_exit_1(runner, tmp_path, monkeypatch):
    inbox = tmp_path / "inbox"
    shutil.copytree(SAMPLES / "拉萨分所", inbox / "拉萨分所")
    shutil.copytree(SAMPLES / "总部", inbox / "总部")
    locked = sorted((inbox / "拉萨分所").glob("*.xlsx"))[0]
    _deny(monkeypatch, locked, inbox / "总部")
    result = invoke(runner, "validate", inbox, "--format", "json", "--as-of", "2026-11-27")
    assert result.exit_code == 1
    files = json.loads(result.output)["files"]
    by_path = {f["path"]: f for f in files if "findings" in f}
    assert by_path[f"inbox/拉萨分所/{locked.name}"]["findings"][0]["message"] == "无法打开文件（没有权限）"
    assert by_path["inbox/总部"]["findings"][0]["message"] == "文件夹无法打开（没有读取权限），其中的表格都没有读取"
    assert [f for f in files if f.get("status") == "skipped"] == [
        {"path": "inbox/总部", "status": "skipped", "reason": "unreadable", "message": "没有读取权限"}]
    result = invoke(runner, "summarize", inbox, "--json", tmp_path / "s.json", "--as-of", "2026-11-27")
    assert result.exit_code == 1
    data = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))
    assert data["inputs"]["files_unreadable"] == 2
    result = invoke(runner, "rollup", "--inbox", inbox, "--out", tmp_path / "out", "--week", "2026-W48")
    assert result.exit_code == 1
    manifest = json.loads((tmp_path / "out" / "2026-W48" / "manifest.json").read_text(encoding="utf-8"))
    statuses = {i["path"]: i["status"] for i in manifest["inputs"]}
    assert statuses[f"inbox/拉萨分所/{locked.name}"] == statuses["inbox/总部"] == "unreadable"


# --------------------------------------------------------------------------- annotate


@pytest.mark.slow
def test_annotate_never_aborts_and_never_collides(hostile, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    shutil.copy(hostile["control_chars.xlsx"], a / "登记.xlsx")
    shutil.copy(hostile["markup.xlsx"], b / "登记.xlsx")
    (a / "登记表[1].csv").write_text("渠道名称,登记日期,客户姓名,联系电话,意向等级\n雪域,2026-11-03,张\x01三,138,A\n"
                                  "雪域,2026-11-03,g_x0001_h,13812345678,Z\n", encoding="utf-8")
    long_name = ("很长的中文名字" * 12)[:83] + ".csv"  # 253 bytes: with .xlsx added it would not fit
    (a / long_name).write_text("渠道名称,登记日期,客户姓名,联系电话,意向等级\n雪域,2026-11-03,张三,138,A\n", encoding="utf-8")
    (tmp_path / "marked").mkdir()
    blocked = tmp_path / "marked" / "登记表[1].csv.xlsx"
    blocked.mkdir()  # a folder where a copy should go: that copy cannot be written
    run = qudao("validate", a / "登记.xlsx", b / "登记.xlsx", a / "登记表[1].csv", a / long_name,
                "--annotate", tmp_path / "marked", "--force")
    assert run.rc == 1
    written = sorted(p.relative_to(tmp_path / "marked").as_posix() for p in (tmp_path / "marked").iterdir()
                     if p.is_file())
    short = long_name.encode()[:196].decode("utf-8", "ignore") + ".xlsx"
    assert written == sorted(["登记.xlsx", "登记-2.xlsx", short])  # same base name: -2; the long one cut to 200 bytes
    assert all(len(name.encode()) <= 200 for name in written)
    assert ("✘ 登记表[1].csv  [register]  2 行：接收 0，拒收 2，跳过 0（错误 2，警告 1）\n" in run.out
            and f"无法写出标注副本 {blocked}（" in run.out)  # the copy's failure, and the results still printed
    from openpyxl import load_workbook

    for name in written:
        wb = load_workbook(tmp_path / "marked" / name)
        assert wb.sheetnames[0] == "问题清单"


# --------------------------------------------------------------------------- settings, options, the disk


@pytest.mark.parametrize("args, message", [
    (("rollup", "--inbox", SAMPLES, "--out", "OUT", "--week", "9999-W52"), "--week「9999-W52」年份应在 1990–2100 之间"),
    (("summarize", SAMPLES, "--protection-days", "99999999999"),
     "--protection-days 应为 0–3650 之间的整数（天），当前为 99999999999"),
])
def test_options_out_of_range_are_refused_by_name(runner, tmp_path, args, message):
    result = invoke(runner, *[tmp_path / "out" if a == "OUT" else a for a in args])
    assert result.exit_code == 2 and result.output == f"错误：{message}\n"


@pytest.mark.parametrize("toml, message", [
    ("[attribution]\nprotection_days = 99999999999\n",
     "配置项 attribution.protection_days 无效：应为 0–3650 之间的整数（天），当前为 99999999999"),
    ("[score]\nweights = { deals = nan, deal_amount = 0.3, visit_rate = 0.2, customers = 0.1 }\n",
     "配置项 score.weights.deals 无效：应为 0–1 之间的数，当前为 nan"),
    ("[commission]\ndefault_rate = inf\n", "配置项 commission.default_rate 无效：应为 0–100 之间的百分数，当前为 inf"),
    ("[score]\ngrades = { A = nan }\n", "配置项 score.grades.A 无效：应为 0–100，当前为 nan"),
])
def test_config_values_out_of_range_name_the_key(runner, tmp_path, toml, message):
    (tmp_path / "qudao.toml").write_text(toml, encoding="utf-8")
    result = invoke(runner, "summarize", SAMPLES, "--config", tmp_path / "qudao.toml", "--json", tmp_path / "s.json")
    assert result.exit_code == 2 and result.output == f"错误：{message}\n"


def test_every_output_says_which_settings_file_was_used(runner, tmp_path, monkeypatch):
    config = tmp_path / "qudao.toml"
    config.write_text("[attribution]\nprotection_days = 45\n", encoding="utf-8")
    digest = hashlib.sha256(config.read_bytes()).hexdigest()
    monkeypatch.chdir(tmp_path)  # found in the working folder, not named anywhere
    out = tmp_path / "out"
    result = invoke(runner, "rollup", "--inbox", SAMPLES, "--out", out, "--week", "2026-W48")
    assert result.exit_code == 1
    line = f"配置：qudao.toml（当前文件夹，sha256 {digest[:12]}）"
    assert result.output.splitlines()[0] == line
    week = out / "2026-W48"
    expected = {"file": "qudao.toml", "sha256": digest, "from": "cwd"}
    assert json.loads((week / "manifest.json").read_text(encoding="utf-8"))["config"] == expected
    assert json.loads((week / "findings.json").read_text(encoding="utf-8"))["config"] == expected
    assert json.loads((week / "汇总-2026-W48.json").read_text(encoding="utf-8"))["settings"]["config"] == expected
    assert f"由 qudao 生成。{line}。" in (week / "汇总-2026-W48.html").read_text(encoding="utf-8")
    assert f"\n配置：qudao.toml（当前文件夹，sha256 {digest[:12]}）\n" in (week / "汇总-2026-W48.md").read_text(
        encoding="utf-8")
    result = invoke(runner, "validate", SAMPLES / "总部", "--format", "json")
    assert json.loads(result.output)["config"] == expected


def test_rollup_refuses_an_out_inside_the_inbox(runner, tmp_path):
    inbox = tmp_path / "inbox"
    shutil.copytree(SAMPLES / "总部", inbox)
    result = invoke(runner, "rollup", "--inbox", inbox, "--out", inbox / "reports", "--week", "2026-W48")
    assert result.exit_code == 2 and result.output == (
        f"错误：--out 不能在收件箱里面（{inbox / 'reports'} 在 {inbox} 之内）；请把结果写到收件箱之外的文件夹\n")
    assert sorted(p.name for p in inbox.iterdir()) == sorted(p.name for p in (SAMPLES / "总部").iterdir())


def _fail_with(monkeypatch, code: int, target: str, attr: str) -> None:
    def boom(*_args, **_kwargs):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(target + "." + attr, boom)


def test_a_full_disk_is_a_clear_message_and_no_half_written_output(runner, tmp_path, monkeypatch):
    out = tmp_path / "out"
    out.mkdir()
    _fail_with(monkeypatch, errno.ENOSPC, "qudao.write.atomic.os", "replace")
    result = invoke(runner, "summarize", SAMPLES / "总部", "-o", out / "s.xlsx", "--as-of", "2026-11-27")
    assert result.exit_code == 2
    assert result.output.endswith(f"错误：无法写入 {out / 's.xlsx'}：磁盘空间已满，没有留下不完整的文件\n")
    assert list(out.iterdir()) == []


def test_a_read_only_file_system_keeps_last_weeks_folder(runner, tmp_path, monkeypatch):
    out = tmp_path / "out"
    assert invoke(runner, "rollup", "--inbox", SAMPLES, "--out", out, "--week", "2026-W48").exit_code == 1
    week = out / "2026-W48"
    before = {str(p.relative_to(week)): sha(p) for p in week.rglob("*") if p.is_file()}
    assert "分所/汇总-2026-W48-拉萨分所.xlsx" in before
    _fail_with(monkeypatch, errno.EROFS, "qudao.jobs.weekly", "_write_json")
    result = invoke(runner, "rollup", "--inbox", SAMPLES, "--out", out, "--week", "2026-W48")
    assert result.exit_code == 2 and result.output.endswith(
        f"错误：无法写入 {out / '2026-W48'}：文件系统是只读的；2026-W48 原有的结果保持不变，没有写入不完整的文件\n")
    assert {str(p.relative_to(week)): sha(p) for p in week.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in out.iterdir()) == ["2026-W48"]  # no build folder, no lock left


@pytest.mark.slow
def test_a_closed_pipe_ends_the_command_quietly(hostile, tmp_path):
    files = " ".join(f"'{p}'" for name, p in sorted(hostile.items()) if name.endswith(".xlsx"))
    env = {"PYTHONPATH": str(ROOT / "src"), "PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    # the reader is gone before qudao writes (`| head -1` would race: qudao may write everything into the
    # pipe's buffer before head exits); qudao stops quietly with 141, as other tools do
    done = subprocess.run(["bash", "-c", f"set -o pipefail; '{sys.executable}' -m qudao inspect {files} | true"],
                          capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 141 and done.stderr == ""


@pytest.mark.parametrize("raised, message", [
    ("PanicException", "读取库无法处理这个文件（index out of bounds），已跳过；请用 Excel 打开后另存再发"),
    ("MemoryError", "读取这个文件需要的内存超过上限，已跳过；请删除多余的内容后另存再发"),
    ("ZeroDivisionError", "读取时出现内部错误（ZeroDivisionError: index out of bounds），请把文件发给管理员"),
])
def test_the_per_file_boundary_catches_everything_but_an_interrupt(monkeypatch, raised, message):
    import qudao.check.engine as engine

    exc_type = {"PanicException": type("PanicException", (BaseException,), {}), "MemoryError": MemoryError,
                "ZeroDivisionError": ZeroDivisionError}[raised]

    def boom(*_args):
        raise exc_type("index out of bounds") if raised != "MemoryError" else exc_type()

    monkeypatch.setattr(engine, "_check", boom)
    (item,) = engine.collect([SAMPLES / "总部" / "楼盘筛选表.xlsx"])
    report = engine.check_file(item, engine.Options())
    assert [(f.code, f.message) for f in report.findings] == [("file.unreadable", message)]
    monkeypatch.setattr(engine, "_check", lambda *_a: (_ for _ in ()).throw(KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        engine.check_file(item, engine.Options())
