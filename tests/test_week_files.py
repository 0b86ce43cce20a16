"""The rollup's 对账单 and 待办 folders, and printing statements and to-do lists on A4 (issue 14 items 5, 6)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import zipfile

import pytest
from conftest import invoke, make_register, soffice_convert
from issue14_inbox import HEADER, SHANGHUI, XUEYU, ZHASHI

D = dt.date
W48 = "2026-W48"


@pytest.mark.slow
def test_rollup_writes_a_statement_per_channel_and_a_list_per_branch(runner, issue14, tmp_path):
    out = tmp_path / "out"
    result = invoke(runner, "rollup", "--inbox", issue14, "--out", out, "--week", W48)
    assert result.exit_code == 0, result.output
    folder = out / W48
    names = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")
                   if p.is_file() and p.parent.name in ("对账单", "待办"))  # 分所/ is issue 15's
    assert names == sorted([f"对账单/对账单-{c}-{W48}.{x}" for c in (XUEYU, SHANGHUI, ZHASHI)
                            for x in ("xlsx", "html", "json")]
                           + [f"待办/待办-{b}-{W48}.{x}" for b in ("拉萨分所", "日喀则分所") for x in ("xlsx", "html")])
    # the same bytes as the commands: the week's statement, and the list made on the rollup's as-of day (11-30)
    one = tmp_path / "one"
    assert invoke(runner, "statement", issue14, "--channel", SHANGHUI, "--week", W48, "-o", one / "s.xlsx",
                  "--html", one / "s.html", "--json", one / "s.json").exit_code == 0
    assert (one / "s.xlsx").read_bytes() == (folder / "对账单" / f"对账单-{SHANGHUI}-{W48}.xlsx").read_bytes()
    assert (one / "s.html").read_bytes() == (folder / "对账单" / f"对账单-{SHANGHUI}-{W48}.html").read_bytes()
    assert (one / "s.json").read_bytes() == (folder / "对账单" / f"对账单-{SHANGHUI}-{W48}.json").read_bytes()
    assert invoke(runner, "todo", issue14, "--branch", "日喀则分所", "--as-of", "2026-11-30", "-o", one / "t.xlsx",
                  "--html", one / "t.html").exit_code == 0
    assert (one / "t.xlsx").read_bytes() == (folder / "待办" / f"待办-日喀则分所-{W48}.xlsx").read_bytes()
    assert (one / "t.html").read_bytes() == (folder / "待办" / f"待办-日喀则分所-{W48}.html").read_bytes()
    # the week's statement of 西藏四川商会: 丹增's deal of 11-25 and 拉巴, whose protection ended on 11-24
    html = (folder / "对账单" / f"对账单-{SHANGHUI}-{W48}.html").read_text(encoding="utf-8")
    assert re.findall(r'<tr data-status="(\w+)">.*?<td class="nw head">(\S+?)</td><td class="nw" data-label="电话">138', html) == [
        ("lapsed", "拉巴"), ("dealt", "丹增")]
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    assert invoke(runner, "rollup", "--inbox", issue14, "--out", out, "--week", W48).exit_code == 0
    assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before  # a re-run: the same bytes


def _long_inbox(root):
    """One channel with 90 registrations, all protected until 12-05 and unvisited: a statement and a to-do list
    that run over several pages."""
    inbox = root / "inbox"
    inbox.mkdir(parents=True)
    rows = [[n, D(2026, 11, 5), f"客户{n:03d}", f"139{n:08d}", "B", None, None, None, None, "王芳"]
            for n in range(1, 91)]
    make_register(inbox / "长渠道-2026W48.xlsx", rows, header=HEADER,
                  block={"渠道名称": "拉萨长长物业", "所属分所": "拉萨分所", "报送日期": D(2026, 11, 27)})
    return inbox


def _print_titles(xlsx) -> list[str]:
    with zipfile.ZipFile(xlsx) as z:
        book = z.read("xl/workbook.xml").decode("utf-8")
    return re.findall(r'<definedName name="_xlnm.Print_Titles" localSheetId="\d+">([^<]+)</definedName>', book)


def _pages(pdf) -> tuple[int, list[str]]:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info)[1])
    sizes = re.findall(r"Page size:\s+([\d.]+ x [\d.]+)", info)
    return pages, sizes


def _page_text(pdf, page: int) -> str:
    return subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-layout", str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout


@pytest.mark.libreoffice
@pytest.mark.skipif(not shutil.which("pdfinfo") or not shutil.which("pdftotext"), reason="needs poppler-utils")
def test_statements_and_to_do_lists_print_on_a4(runner, issue14, tmp_path):
    # the small inbox: a statement is one A4 page per sheet (对账单, 客户明细), a branch's list one page
    small = tmp_path / "small"
    assert invoke(runner, "statement", issue14, "--channel", XUEYU, "--from", "2026-11-01", "--to", "2026-11-30",
                  "--as-of", "2026-11-30", "-o", small / "s.xlsx").exit_code == 0
    assert invoke(runner, "todo", issue14, "--branch", "拉萨分所", "--as-of", "2026-11-30", "-o",
                  small / "t.xlsx").exit_code == 0
    # 客户明细's header row repeats; the 对账单 sheet holds several tables (账户概览, 本期明细, 更正 …): none repeats
    assert sorted(_print_titles(small / "s.xlsx")) == ["客户明细!$2:$2"]
    assert _print_titles(small / "t.xlsx") == ["本周待办!$5:$5"]
    pages, sizes = _pages(soffice_convert(small / "s.xlsx", "pdf", small / "pdf"))
    assert pages == 2 and set(sizes) == {"595.304 x 841.89"}  # A4 portrait
    pages, sizes = _pages(soffice_convert(small / "t.xlsx", "pdf", small / "pdf"))
    assert pages == 1 and set(sizes) == {"841.89 x 595.304"}  # A4 landscape

    # 90 registrations: the 客户明细 runs over pages and repeats its header on each; the list likewise
    long = _long_inbox(tmp_path / "long")
    assert invoke(runner, "statement", long, "--channel", "拉萨长长物业", "--as-of", "2026-11-30",
                  "-o", tmp_path / "long" / "s.xlsx").exit_code == 0
    assert invoke(runner, "todo", long, "--as-of", "2026-11-30", "-o", tmp_path / "long" / "t.xlsx").exit_code == 0
    pdf = soffice_convert(tmp_path / "long" / "s.xlsx", "pdf", tmp_path / "long" / "pdf")
    pages, sizes = _pages(pdf)
    assert pages >= 3 and set(sizes) == {"595.304 x 841.89"}
    # the 对账单 sheet first (its 90 lines of registrations over two pages), then every 客户明细 page with its header
    first = next(page for page in range(1, pages + 1) if "客户明细 · 拉萨长长物业" in _page_text(pdf, page))
    assert first == 3 and "账户概览" in _page_text(pdf, 1) and "本期新增合计" in _page_text(pdf, 2)
    for page in range(first, pages + 1):
        text = _page_text(pdf, page)
        assert "登记日期" in text and "保护期至" in text and "客户姓名" in text
        assert "渠道对账单 · 拉萨长长物业" in text and f"第 {page} 页，共 {pages} 页" in text
    pdf = soffice_convert(tmp_path / "long" / "t.xlsx", "pdf", tmp_path / "long" / "pdf")
    pages, sizes = _pages(pdf)
    assert pages >= 2 and set(sizes) == {"841.89 x 595.304"}
    assert all("类别" in _page_text(pdf, page) and "跟进人" in _page_text(pdf, page) for page in range(1, pages + 1))
