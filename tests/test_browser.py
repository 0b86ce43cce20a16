"""Every HTML output read as a person reads it: in a real browser, on a phone and on a desktop, and printed.

Debian's headless Chromium is driven through the DevTools protocol (``tests/browser.py``; one browser for
the module, one tab per page). The phone is emulated as a phone is (390 × 844 CSS px, device scale 3,
``mobile: true``): the page's own ``<meta name="viewport">`` applies, as in WeChat's browser — without it a
phone lays the page out 980 px wide and shows it at 40 %. For every page, measured in the page:

- the document is no wider than the viewport (no sideways scrolling of the page; a wide table scrolls inside
  its own box);
- no visible text is drawn smaller than 12 px (SVG chart text at its rendered size);
- no two text boxes overlap (``Range.getClientRects`` of every text node);
- no word is broken one character per line (a text laid over two or more lines with two or more of them
  holding a single character: 拉/萨/天/路).

Printed (print media, the page's own ``@page`` size): the content fits the A4 page's width and no text
overlaps, and the PDF Chromium prints is A4 in the orientation the page asks for.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from browser import DESKTOP, MEASURE_JS, PHONE, Browser, find_chromium
from conftest import ROOT, invoke

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = find_chromium()
if not CHROMIUM:
    pytest.skip("chromium is not installed (Debian: apt-get install chromium; .ci/run installs it): "
                "the phone/desktop/print checks of every HTML output are skipped", allow_module_level=True)

INBOX = ROOT / "samples" / "inbox"
MM = 96 / 25.4  # CSS px per millimetre
# the page's content width when printed: its @page size less its margins
A4_LANDSCAPE = (297 - 24) * MM
A4_PORTRAIT = (210 - 24) * MM
AGREEMENT = 170 * MM


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, tuple[Path, float, str]]:
    """Every kind of HTML output, written from the demo inbox: name → (file, printed width, orientation)."""
    from typer.testing import CliRunner

    out = tmp_path_factory.mktemp("html")
    runner = CliRunner()
    inbox = tmp_path_factory.mktemp("inbox") / "inbox"
    shutil.copytree(INBOX, inbox)
    as_of = "2026-11-27"
    assert invoke(runner, "summarize", inbox, "--as-of", as_of, "--html", out / "summary.html",
                  "--by-branch", out / "branch").exit_code == 1  # the demo inbox has bad rows on purpose
    assert invoke(runner, "rollup", "--inbox", inbox, "--out", out / "rollup", "--week", "2026-W48").exit_code == 1
    assert invoke(runner, "statement", inbox, "--channel", "拉萨布达拉物业服务有限公司", "--as-of", as_of,
                  "--html", out / "statement.html").exit_code in (0, 1)
    assert invoke(runner, "todo", inbox, "--branch", "拉萨分所", "--as-of", as_of,
                  "--html", out / "todo-branch.html").exit_code in (0, 1)
    assert invoke(runner, "todo", inbox, "--as-of", as_of, "--html", out / "todo-all.html").exit_code in (0, 1)
    assert invoke(runner, "assess", inbox, "--period", "2026Q4", "--as-of", as_of,
                  "--html", out / "assess.html").exit_code in (0, 1)
    ledger = inbox / "总部" / "渠道合作协议台账.xlsx"
    config = ROOT / "samples" / "qudao.toml"
    assert invoke(runner, "agreement", ledger, "--id", "QD-2026-001", "--config", config,
                  "-o", out / "agreement.html").exit_code == 0
    assert invoke(runner, "agreement", ledger, "--id", "QD-2026-010", "--config", config, "--draft",
                  "-o", out / "agreement-draft.html").exit_code == 1  # a draft: still incomplete
    week = out / "rollup" / "2026-W48"
    found = {
        "summary": (out / "summary.html", A4_LANDSCAPE, "landscape"),
        "branch": (next((out / "branch").glob("*拉萨分所.html")), A4_LANDSCAPE, "landscape"),
        "rollup week": (week / "汇总-2026-W48.html", A4_LANDSCAPE, "landscape"),
        "rollup branch": (next((week / "分所").glob("*.html")), A4_LANDSCAPE, "landscape"),
        "rollup statement": (max((week / "对账单").glob("*.html"), key=lambda p: p.stat().st_size),
                             A4_PORTRAIT, "portrait"),
        "rollup to-do": (max((week / "待办").glob("*.html"), key=lambda p: p.stat().st_size),
                         A4_LANDSCAPE, "landscape"),
        "statement": (out / "statement.html", A4_PORTRAIT, "portrait"),
        "to-do (branch)": (out / "todo-branch.html", A4_LANDSCAPE, "landscape"),
        "to-do (everyone)": (out / "todo-all.html", A4_LANDSCAPE, "landscape"),
        "assessment": (out / "assess.html", (297 - 20) * MM, "landscape"),
        "agreement": (out / "agreement.html", AGREEMENT, "portrait"),
        "agreement draft": (out / "agreement-draft.html", AGREEMENT, "portrait"),
    }
    for name, (path, _w, _o) in found.items():
        assert path.is_file(), name
    return found


@pytest.fixture(scope="module")
def browser():
    b = Browser(CHROMIUM)
    try:
        yield b
    finally:
        b.close()  # the chromium this module started, and only it


@pytest.fixture(scope="module")
def tab(browser):
    page = browser.page()
    yield page
    page.close()


PAGES = ["summary", "branch", "rollup week", "rollup branch", "rollup statement", "rollup to-do", "statement",
         "to-do (branch)", "to-do (everyone)", "assessment", "agreement", "agreement draft"]


def measure(tab, path: Path, metrics: dict, media: str = "") -> dict:
    tab.emulate(metrics, media)
    tab.open(path)
    return tab.evaluate(MEASURE_JS)


def assert_readable(m: dict, width: float, smallest: float, where: str) -> None:
    assert m["texts"] > 20, where  # the page was drawn
    assert m["scrollWidth"] <= width + 1, f"{where}: the page is {m['scrollWidth']} px wide in {width:.0f}"
    assert m["smallest"] >= smallest, f"{where}: text of {m['smallest']:.1f} px: {m['smallestText']!r}"
    assert m["overlapCount"] == 0, f"{where}: {m['overlapCount']} overlapping text pairs, e.g. {m['overlaps'][:5]}"
    assert m["brokenCount"] == 0, f"{where}: {m['brokenCount']} texts broken one character per line: {m['broken']}"


@pytest.mark.parametrize("name", PAGES)
def test_reads_on_a_phone(pages, tab, name):
    path = pages[name][0]
    m = measure(tab, path, PHONE)
    assert m["viewport"] == 390, f"{name}: laid out {m['viewport']} px wide (no <meta name=viewport>?)"
    assert m["innerWidth"] == 390, f"{name}: the phone zooms out to {m['innerWidth']} px to show it all"
    assert_readable(m, 390, 12, f"{name} at 390 px")


@pytest.mark.parametrize("name", PAGES)
def test_reads_on_a_desktop(pages, tab, name):
    path = pages[name][0]
    m = measure(tab, path, DESKTOP)
    assert_readable(m, 1280, 12, f"{name} at 1280 px")


@pytest.mark.parametrize("name", PAGES)
def test_prints_on_a4(pages, tab, tmp_path, name):
    path, width, orientation = pages[name]
    m = measure(tab, path, dict(DESKTOP, width=int(width)), "print")
    assert_readable(m, width, 9, f"{name} printed")  # 9 px ≈ 7 pt: the assessment's 28 columns on A4
    tab.emulate(DESKTOP)
    tab.pdf(tmp_path / "page.pdf")
    pdf = (tmp_path / "page.pdf").read_bytes()
    boxes = {tuple(round(float(x)) for x in box) for box in
             re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)}
    assert boxes == ({(842, 595)} if orientation == "landscape" else {(595, 842)}), (name, boxes)


def test_a_page_without_a_viewport_tag_is_caught(tab, tmp_path):
    """The checks can fail: a page as the agreement was before (no viewport tag, a wide table, tiny chart text,
    names in narrow cells) fails every one of them."""
    bad = tmp_path / "bad.html"
    bad.write_text(
        "<!DOCTYPE html><html><head><meta charset='utf-8'></head><body>"
        "<div style='width:18px'>拉萨天路</div><div style='width:18px'>甲乙丙丁</div>"
        "<div style='width:1200px'>宽</div><p style='font-size:9px'>小字</p>"
        "<div style='position:relative'><span>重叠的字</span><span style='position:absolute;left:0'>重叠的字</span>"
        "</div>" + "<p>正文</p>" * 20 + "</body></html>", encoding="utf-8")
    m = measure(tab, bad, PHONE)
    assert m["viewport"] == 980  # no viewport tag: a phone lays it out 980 px wide
    assert m["scrollWidth"] >= 1200 and m["smallest"] == 9 and m["overlapCount"] >= 1
    assert m["brokenCount"] == 2 and "拉萨天路" in m["broken"]
