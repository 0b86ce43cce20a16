"""Hostile and broken inputs: each ends in a clear finding — never a traceback, a
crashed process or gigabytes of memory — and the input is left byte-identical."""

from __future__ import annotations

import hashlib
import json
import random
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, check, codes, make_register
from openpyxl import Workbook

HEADER = ["序号", "登记日期", "渠道名称", "客户姓名", "联系电话", "意向等级"]
ROW = [1, "2026-11-03", "雪域物业", "张三", "13812345678", "A"]


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def unreadable_message(path: Path) -> str:
    before = sha(path)
    report = check(path)
    after = sha(path)
    assert before == after, "the input was modified"
    assert codes(report) == ["file.unreadable"], report.findings
    assert report.rows_read == 0
    return report.findings[0].message


def valid_xlsx(path: Path) -> Path:
    return make_register(path, [ROW], header=HEADER, block={})


def run_cli(path: Path) -> tuple[dict, float, int]:
    """validate in a child process: (json, seconds, peak RSS in MB)."""
    code = ("import resource, subprocess, sys, time, json;"
            "t=time.time();"
            f"p=subprocess.run([sys.executable, '-m', 'qudao', 'validate', {str(path)!r}, '--format', 'json'],"
            " capture_output=True, text=True);"
            "print(json.dumps({'rc': p.returncode, 'out': p.stdout, 'err': p.stderr, 's': time.time()-t,"
            " 'mb': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss/1024}))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"})
    meta = json.loads(done.stdout)
    assert meta["rc"] == 1, meta["err"]
    assert "Traceback" not in meta["err"]
    return json.loads(meta["out"]), meta["s"], meta["mb"]


def test_empty_file(tmp_path):
    (tmp_path / "empty.xlsx").write_bytes(b"")
    assert "空" in unreadable_message(tmp_path / "empty.xlsx")


def test_random_bytes(tmp_path):
    path = tmp_path / "noise.xlsx"
    path.write_bytes(random.Random(7).randbytes(50_000))
    assert unreadable_message(path)


def test_truncated_zip(tmp_path):
    good = valid_xlsx(tmp_path / "good.xlsx").read_bytes()
    path = tmp_path / "truncated.xlsx"
    path.write_bytes(good[: len(good) // 2])
    assert "损坏" in unreadable_message(path)


def test_renamed_docx(tmp_path):
    path = tmp_path / "合同.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    assert "Word" in unreadable_message(path)


def test_text_renamed_xlsx(tmp_path):
    path = tmp_path / "登记.xlsx"
    path.write_text("登记日期,客户姓名\n2026-11-03,张三\n", encoding="utf-8")
    assert "扩展名" in unreadable_message(path)


def test_html_saved_as_xls(tmp_path):
    path = tmp_path / "导出.xls"
    path.write_text("<html><body><table><tr><td>登记日期</td></tr></table></body></html>", encoding="utf-8")
    assert "网页" in unreadable_message(path)


def test_encrypted_xlsx():
    path = ROOT / "tests" / "data" / "encrypted-secret.xlsx"
    assert "加密" in unreadable_message(path)


def test_unsupported_file_named_on_the_command_line(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("hello", encoding="utf-8")
    assert "不支持" in unreadable_message(path)


def test_stray_value_at_xfd20_is_read_with_a_warning(tmp_path):
    path = valid_xlsx(tmp_path / "stray.xlsx")
    from openpyxl import load_workbook

    wb = load_workbook(path)
    wb.active["XFD20"] = "x"
    wb.save(path)
    before = sha(path)
    report = check(path)
    assert sha(path) == before
    assert report.rows_accepted == 1
    assert [(f.code, f.cell) for f in report.findings] == [("value.unlabeled", "XFD20")]


def test_stray_value_at_the_last_cell_is_unreadable_not_a_crash(tmp_path):
    path = valid_xlsx(tmp_path / "far.xlsx")
    from openpyxl import load_workbook

    wb = load_workbook(path)
    wb.active["XFD1048576"] = "x"
    wb.save(path)
    data, seconds, mb = run_cli(path)
    (f,) = data["files"][0]["findings"]
    assert f["code"] == "file.unreadable" and "使用范围过大" in f["message"]
    assert seconds < 30 and mb < 1500


@pytest.mark.slow
def test_a_400_mb_cell_from_a_small_file(tmp_path):
    path = valid_xlsx(tmp_path / "huge-cell.xlsx")
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                dst.writestr(info, src.read(info.filename))
                continue
            xml = src.read(info.filename).decode()
            head, tail = xml.split("</sheetData>")
            with dst.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as out:
                out.write(head.encode())
                out.write(b'<row r="3"><c r="A3" t="inlineStr"><is><t>')
                chunk = b"A" * (1 << 20)
                for _ in range(400):
                    out.write(chunk)
                out.write(b"</t></is></c></row></sheetData>" + tail.encode())
    assert bomb.stat().st_size < 2_000_000
    data, seconds, mb = run_cli(bomb)
    (f,) = data["files"][0]["findings"]
    assert f["code"] == "file.unreadable" and "MB" in f["message"]
    assert seconds < 30 and mb < 1500


def test_entity_bomb(tmp_path):
    path = valid_xlsx(tmp_path / "lol.xlsx")
    bomb = tmp_path / "lol-bomb.xlsx"
    lol = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
           + "".join(f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">' for i in range(1, 10))
           + ']><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&lol9;</t></si></sst>')
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(bomb, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info.filename))
        dst.writestr("xl/sharedStrings.xml", lol)
    started = time.time()
    assert "实体" in unreadable_message(bomb)
    assert time.time() - started < 30


@pytest.mark.slow
def test_styled_empty_rows_to_60000(tmp_path):
    from openpyxl.styles import PatternFill

    path = valid_xlsx(tmp_path / "styled.xlsx")
    from openpyxl import load_workbook

    wb = load_workbook(path)
    ws = wb.active
    fill = PatternFill("solid", fgColor="FFFF00")
    for r in range(3, 60001):
        ws.cell(row=r, column=1).fill = fill
        ws.cell(row=r, column=5).fill = fill
    wb.save(path)
    started = time.time()
    report = check(path)
    assert time.time() - started < 30
    assert (report.rows_read, report.rows_accepted, report.findings) == (1, 1, [])


def test_xlsm_with_a_macro_project(tmp_path):
    path = valid_xlsx(tmp_path / "m.xlsx")
    xlsm = tmp_path / "宏.xlsm"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(xlsm, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info.filename))
        dst.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0" + b"Sub AutoOpen(): Shell \"calc\": End Sub" * 10)
    report = check(xlsm)
    assert report.rows_accepted == 1 and report.findings == []


def test_duplicate_and_missing_headers(tmp_path):
    path = make_register(tmp_path / "d.xlsx", [[1, "2026-11-03", "x", "张三", "张三", "A"]],
                         header=["序号", "登记日期", "渠道名称", "客户姓名", "姓名", "意向等级"], block={})
    report = check(path)
    assert codes(report) == ["header.duplicate", "header.missing"]
    assert report.rows_rejected == 1


def test_dates_written_as_words(tmp_path):
    path = make_register(tmp_path / "w.xlsx", [[1, "十一月三日", "x", "张三", "13812345678", "A"],
                                              [2, "下周一", "x", "李四", "13912345678", "A"]],
                         header=HEADER, block={})
    report = check(path)
    assert [(f.code, f.cell) for f in report.findings] == [("value.type", "B3"), ("value.type", "B4")]
    assert report.rows_rejected == 2


def test_one_bad_file_never_stops_the_run(tmp_path, runner):
    from conftest import invoke

    valid_xlsx(tmp_path / "a-good.xlsx")
    (tmp_path / "b-bad.xlsx").write_bytes(b"\x00garbage")
    (tmp_path / "~$a-good.xlsx").write_bytes(b"lock")  # an office lock file: passed over, and listed
    (tmp_path / ".hidden.xlsx").write_bytes(b"x")
    (tmp_path / "readme.docx").write_bytes(b"x")
    result = invoke(runner, "validate", tmp_path, "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert [(f["path"].rsplit("/", 1)[-1], f.get("status"), f.get("reason")) for f in data["files"]] == [
        ("a-good.xlsx", None, None), ("b-bad.xlsx", None, None), (".hidden.xlsx", "skipped", "hidden"),
        ("readme.docx", "skipped", "unsupported"), ("~$a-good.xlsx", "skipped", "lock_file")]
    assert data["files"][0]["rows_accepted"] == 1
    assert data["files"][1]["findings"][0]["code"] == "file.unreadable"
    assert data["totals"]["files"] == 2 and data["totals"]["skipped"] == 3


@pytest.mark.parametrize("name", ["broken.ods", "broken.xls", "broken.csv"])
def test_broken_other_formats(tmp_path, name):
    path = tmp_path / name
    if name.endswith(".ods"):
        with zipfile.ZipFile(path, "w") as zf:
            zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
            zf.writestr("content.xml", "<office:document-content><broken")
    elif name.endswith(".xls"):
        path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    else:
        path.write_bytes(b"\xff\xfe\x00\xd8" * 10 + b"\x81\x30")
    message = unreadable_message(path) if not name.endswith(".csv") else None
    if message is None:
        report = check(path)
        assert report.kind is None and report.findings


def test_workbook_without_any_sheet_data(tmp_path):
    wb = Workbook()
    wb.save(tmp_path / "blank.xlsx")
    report = check(tmp_path / "blank.xlsx")
    assert codes(report) == ["file.kind_unknown"]


def _check_or_die(item, options):
    """A reader that takes its whole process down on one file (as calamine does on some sheets)."""
    import faulthandler
    import os

    from qudao.check.engine import check_file

    if item.path.name.startswith("boom"):
        faulthandler.disable()  # the crash is deliberate: keep its dump out of the test output
        os.dup2(os.open(os.devnull, os.O_WRONLY), 2)
        os.abort()
    return check_file(item, options), None


@pytest.mark.slow
def test_a_crashing_worker_loses_only_its_file(tmp_path):
    from qudao.check.engine import Options, collect
    from qudao.check.parallel import check_parallel

    for i in range(5):
        valid_xlsx(tmp_path / f"ok-{i}.xlsx")
    valid_xlsx(tmp_path / "boom.xlsx")
    inputs = collect([tmp_path])
    reports = [report for report, _extra in check_parallel(_check_or_die, inputs, Options(), workers=2)]
    assert [r.path.rsplit("/", 1)[-1] for r in reports] == [i.path.name for i in inputs]
    by_name = {r.path.rsplit("/", 1)[-1]: r for r in reports}
    assert codes(by_name["boom.xlsx"]) == ["file.unreadable"] and "崩溃" in by_name["boom.xlsx"].findings[0].message
    assert all(by_name[f"ok-{i}.xlsx"].rows_accepted == 1 for i in range(5))


def _square(x):
    return x * x


def test_a_pool_broken_while_calls_are_handed_out_runs_the_rest_alone(monkeypatch):
    """A worker that dies before every call was submitted: submit raises BrokenProcessPool; the calls not sent
    run alone in fresh processes, never an exception out of map_isolated (it was a race in the crash test)."""
    from concurrent.futures.process import BrokenProcessPool

    from qudao.check import parallel

    real = parallel._pool
    pools = []

    def pool(ctx, workers):
        executor = real(ctx, workers)
        pools.append(executor)
        if len(pools) == 1:  # the shared pool breaks at the third submission
            submit, sent = executor.submit, []

            def breaking(*args, **kwargs):
                if len(sent) == 2:
                    raise BrokenProcessPool("a worker died")
                sent.append(1)
                return submit(*args, **kwargs)
            executor.submit = breaking
        return executor

    monkeypatch.setattr(parallel, "_pool", pool)
    calls = [(i,) for i in range(6)]
    assert parallel.map_isolated(_square, calls, 2, on_crash=lambda args: None) == [0, 1, 4, 9, 16, 25]
    assert len(pools) == 5  # the shared pool, then one fresh process for each of the four calls not sent
