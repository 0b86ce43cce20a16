"""Issue 17: big reports stay valid — a 明细 longer than a sheet continues on 明细(2) …, and the html/md reports
list at most a bounded number of rows per table, saying where the rest is. The limits are module constants,
made small here."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import AS_OF, invoke, make_register
from openpyxl import load_workbook

PHONES = [f"138{n:08d}" for n in range(12)]


@pytest.fixture()
def inbox(tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    rows = [[n + 1, f"2026-11-{n + 1:02d}", f"客户{n + 1}", PHONES[n], "A"] for n in range(12)]
    make_register(folder / "r.xlsx", rows, block={"渠道名称": "甲", "报送日期": dt.date(2026, 11, 27)})
    return folder


def test_details_continue_on_numbered_sheets_past_the_limit(runner, tmp_path, inbox, monkeypatch):
    from qudao.report import xlsx

    monkeypatch.setattr(xlsx, "DETAIL_SHEET_ROWS", 5)
    out = tmp_path / "s.xlsx"
    result = invoke(runner, "summarize", inbox, "-o", out, "--as-of", AS_OF.isoformat(), "-q")
    assert result.exit_code == 0, result.output
    wb = load_workbook(out)
    names = wb.sheetnames
    assert names[names.index("明细"):names.index("明细") + 3] == ["明细", "明细(2)", "明细(3)"]
    assert "明细(4)" not in names
    parts = [list(wb[name].iter_rows(values_only=True)) for name in ("明细", "明细(2)", "明细(3)")]
    header = parts[0][0]
    assert all(p[0] == header for p in parts)  # every part has the header row
    assert [len(p) - 1 for p in parts] == [5, 5, 2]
    name = header.index("客户姓名")
    assert [r[name] for p in parts for r in p[1:]] == [f"客户{n + 1}" for n in range(12)]  # in order, none lost
    assert [r[1] for r in parts[1][1:]] == [10, 11, 12, 13, 14]  # 行号: the source rows (header on row 4)
    assert wb["明细(2)"].freeze_panes == "A2" and wb["明细(2)"].auto_filter.ref == f"A1:{_last(header)}6"
    assert wb["明细(3)"].auto_filter.ref == f"A1:{_last(header)}3"
    texts = [c for row in wb["总览"].iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert "明细共 12 行，超过一个工作表的上限（5 行），依次分在 3 个工作表：明细、明细(2)、明细(3)。" in texts


def test_details_that_fit_one_sheet_have_no_note(runner, tmp_path, inbox):
    out = tmp_path / "s.xlsx"
    invoke(runner, "summarize", inbox, "-o", out, "--as-of", AS_OF.isoformat(), "-q")
    wb = load_workbook(out)
    assert "明细" in wb.sheetnames and "明细(2)" not in wb.sheetnames
    assert len(list(wb["明细"].iter_rows())) == 13
    texts = [c for row in wb["总览"].iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert not any(t.startswith("明细共") for t in texts)


def test_detail_sheet_names():
    from qudao.report.xlsx import DETAIL_SHEET_ROWS, detail_sheets, details_note

    assert DETAIL_SHEET_ROWS == 1_048_575  # Excel's 1,048,576 rows less the header
    assert detail_sheets(0) == ["明细"] and detail_sheets(DETAIL_SHEET_ROWS) == ["明细"]
    assert detail_sheets(DETAIL_SHEET_ROWS + 1) == ["明细", "明细(2)"]
    assert detail_sheets(3 * DETAIL_SHEET_ROWS) == ["明细", "明细(2)", "明细(3)"]
    assert details_note(DETAIL_SHEET_ROWS) == ""
    assert details_note(2_000_000) == ("明细共 2,000,000 行，超过一个工作表的上限（1,048,575 行），"
                                       "依次分在 2 个工作表：明细、明细(2)。")


def _last(header) -> str:
    from qudao.cells import col_letter

    return col_letter(len(header) - 1)


def test_html_and_md_list_at_most_the_limit_and_say_where_the_rest_is(runner, tmp_path, monkeypatch):
    """The sample inbox with the limit made 3: 22 conflicts, 15 deals, 40 + 27 protection warnings."""
    import json

    from conftest import ROOT

    from qudao.report import text

    monkeypatch.setattr(text, "LIST_LIMIT", 3)
    out = tmp_path
    invoke(runner, "summarize", ROOT / "samples" / "inbox", "--html", out / "s.html", "--md", out / "s.md",
           "--json", out / "s.json", "--as-of", "2026-11-27", "-q")
    data = json.loads((out / "s.json").read_text(encoding="utf-8"))
    assert (len(data["conflicts"]) + len(data["possible_conflicts"]), len(data["settlement"]),
            len(data["protection_expiring"]), len(data["protection_ended"])) == (22, 15, 40, 27)
    html = (out / "s.html").read_text(encoding="utf-8")
    conflicts = html.split('<table id="conflicts">', 1)[1].split("</table>", 1)[0]
    assert conflicts.count("<tr") == 1 + 3  # the header and 3 rows
    assert '<p class="note">仅列出前 3 起，完整清单见汇总表“撞单明细”。</p>' in html
    settlement = html.split('<h2 id="settlement">', 1)[1].split("</table>", 1)[0]
    assert settlement.count("<tr") == 1 + 3
    assert '<p class="note">仅列出前 3 笔，完整清单见汇总表“结佣清单”和 JSON。</p>' in html
    protection = html.split('<h2 id="protection">', 1)[1].split("</table>", 1)[0]
    assert protection.count("<tr") == 1 + 3 + 3
    assert "（40 位客户 7 天内到期且未到访；27 位已到期未到访）" in protection  # the heading keeps the totals
    assert '<p class="note">即将到期、已到期未到访各仅列出前 3 位，完整清单见汇总表“保护期预警”和 JSON。</p>' in html
    md = (out / "s.md").read_text(encoding="utf-8")
    section = md.split("\n## 撞单\n", 1)[1].split("\n## ", 1)[0]
    assert sum(1 for line in section.splitlines() if line.startswith(("| 撞单", "| 待核"))) == 3
    assert "（仅列出前 3 起，完整清单见汇总表“撞单明细”。）" in md
    assert "（仅列出前 3 笔，共 15 笔，完整清单见汇总表“结佣清单”和 JSON。）" in md
    assert sum(1 for line in md.splitlines() if line.startswith("| 即将到期 |")) == 3
    assert sum(1 for line in md.splitlines() if line.startswith("| 已到期未到访 |")) == 3
    assert "（即将到期 40 位、已到期未到访 27 位，各仅列出前 3 位，完整清单见汇总表“保护期预警”和 JSON。）" in md


def test_the_list_limit_is_200():
    from qudao.report import text

    assert text.LIST_LIMIT == 200


def test_json_written_in_pieces_is_json_text(tmp_path):
    """Outputs are written piece by piece (bounded memory) with the very bytes of json_text."""
    from qudao.safe import json_chunks, json_text
    from qudao.write.atomic import write_chunks

    data = {"a": [1, 2.5, float("nan"), None, True], "文本": "x\x85y\u2028z\ufffe", "\x9f": {"k": ["\x7f", "é"]},
            "empty": {}, "list": [], "n": 10 ** 20, "nested": [{"b": [[]]}]}
    assert "".join(json_chunks(data)) == json_text(data)
    out = write_chunks(tmp_path / "d.json", iter([*json_chunks(data), "\n"]))
    assert out.read_bytes() == (json_text(data) + "\n").encode("utf-8")


def test_a_run_without_details_gives_the_same_json(runner, tmp_path):
    """--json alone keeps only SUMMARY_VALUES of each row (no 明细 is written): the same JSON, byte for byte,
    as a run that writes the workbook too."""
    from conftest import ROOT

    inbox = ROOT / "samples" / "inbox"
    invoke(runner, "summarize", inbox, "--json", tmp_path / "lean.json", "--as-of", "2026-11-27", "-q")
    invoke(runner, "summarize", inbox, "--json", tmp_path / "full.json", "-o", tmp_path / "s.xlsx", "--as-of",
           "2026-11-27", "-q")
    assert (tmp_path / "lean.json").read_bytes() == (tmp_path / "full.json").read_bytes()


def test_lean_submissions_keep_the_summary_values(tmp_path, inbox):
    from qudao.analysis.register import SUMMARY_VALUES, report_submissions
    from qudao.check.engine import Options, check_file, collect
    from qudao.config import Settings

    (item,) = collect([inbox / "r.xlsx"])
    report = check_file(item, Options(as_of=AS_OF))
    full = report_submissions(report, Settings())
    report = check_file(item, Options(as_of=AS_OF))
    lean = report_submissions(report, Settings(), details=False)
    assert len(lean) == len(full) == 12
    assert all(tuple(s.source.values) == SUMMARY_VALUES for s in lean)
    assert all(s.source.values.get(k) == f.source.values.get(k) for s, f in zip(lean, full) for k in SUMMARY_VALUES)
    assert [s.customer for s in lean] == [f.customer for f in full]
