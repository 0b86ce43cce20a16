"""Reports that print: page setup of every generated workbook, integer chart axes, funnels top-down,
the 本周 sheet's number formats; with LibreOffice, page counts of the PDFs."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, invoke, make_register
from openpyxl import load_workbook

SAMPLES = ROOT / "samples" / "inbox"
HEADER = ["序号", "登记日期", "客户姓名", "联系电话", "意向等级", "到访日期", "成交日期", "成交楼盘", "成交金额(万元)"]


def small_inbox(folder: Path) -> Path:
    """Two branches, two channels, two weekly cumulative registers each, a negotiation and an expansion file."""
    w47 = {"雪域物业": [[1, "2026-11-16", "张三", "13812345678", "A", "2026-11-18"]],
           "扎什旅行社": [[1, "2026-11-17", "王五", "13712345678", "A"]]}
    w48 = {"雪域物业": [[1, "2026-11-16", "张三", "13812345678", "A", "2026-11-18", "2026-11-25", "天府云城", 120.5],
                    [2, "2026-11-24", "李四", "13912345678", "B"],
                    [3, "2026-11-25", "王五", "13712345678", "B"]],  # 扎什旅行社 registered him first: a conflict
           "扎什旅行社": [[1, "2026-11-17", "王五", "13712345678", "A", "2026-11-26"],
                     [2, "2026-11-26", "赵六", "13612345678", "C"]]}
    channels = {"雪域物业": ("拉萨分所", "拉萨雪域物业", "物业"), "扎什旅行社": ("日喀则分所", "日喀则扎什旅行社", "旅行社")}
    for branch in ("拉萨分所", "日喀则分所", "总部"):
        (folder / branch).mkdir(parents=True, exist_ok=True)
    for week, end, rows in (("W47", dt.date(2026, 11, 20), w47), ("W48", dt.date(2026, 11, 27), w48)):
        for short, (branch, name, kind) in channels.items():
            make_register(folder / branch / f"{short}-2026{week}.xlsx", rows[short], header=HEADER,
                          block={"渠道名称": name, "渠道类型": kind, "报送日期": end})
    for name in ("楼盘谈判跟进汇总表-2026W48.xlsx",):
        shutil.copy(SAMPLES / "总部" / name, folder / "总部" / name)
    shutil.copy(SAMPLES / "拉萨分所" / "渠道拓展标准流程管理表-拉萨分所.xlsx", folder / "拉萨分所")
    return folder


@pytest.fixture(scope="module")
def week_book(tmp_path_factory) -> Path:
    from typer.testing import CliRunner

    root = tmp_path_factory.mktemp("print")
    inbox = small_inbox(root / "inbox")
    out = root / "out"
    runner = CliRunner()
    for week in ("2026-W47", "2026-W48"):
        result = invoke(runner, "rollup", "--inbox", inbox, "--out", out, "--week", week, "--quiet")
        assert result.exit_code in (0, 1), result.output
    return out / "2026-W48" / "汇总-2026-W48.xlsx"


def assert_a4(ws, where: str, readable: bool = True) -> None:
    """A4; fitted one page wide at ≥ 65 % (its width measured from its columns), or split across pages at a
    fixed scale ≥ 65 % with page breaks between columns and the key columns repeated on every page."""
    from qudao.write.style import MIN_SCALE, UNITS_LANDSCAPE, UNITS_PORTRAIT
    from qudao.write.workbook import sheet_width

    setup = ws.page_setup
    assert setup.paperSize == 9, where
    if ws.sheet_properties.pageSetUpPr.fitToPage:
        assert setup.fitToWidth in (None, 1), where  # openpyxl reads the default 1 as None
        units = UNITS_LANDSCAPE if setup.orientation == "landscape" else UNITS_PORTRAIT
        scale = min(100, 100 * units / sheet_width(ws))
    else:
        scale = setup.scale or 100  # openpyxl reads the default 100 as None
        assert setup.orientation == "landscape" and ws.col_breaks.brk and ws.print_title_cols, where
    assert not readable or scale >= MIN_SCALE - 1, (where, scale)


def chart_xml(path: Path) -> dict[str, str]:
    """Each chart's XML by its title text."""
    out = {}
    with zipfile.ZipFile(path) as zf:
        for name in sorted(n for n in zf.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n)):
            xml = zf.read(name).decode("utf-8")
            title = "".join(re.findall(r"<a:t>([^<]*)</a:t>", xml.split("</c:title>")[0]))
            out[title] = xml
    return out


@pytest.mark.slow  # two rollups
def test_every_summary_sheet_prints_with_titles_on_every_page(week_book):
    wb = load_workbook(week_book)
    sheets = [ws for ws in wb.worksheets if ws.sheet_state == "visible"]
    assert [ws.title for ws in sheets][:4] == ["总览", "本周", "按渠道", "按渠道类型"]
    for ws in sheets:
        assert ws.print_title_rows, ws.title
        assert_a4(ws, ws.title, readable=ws.title != "明细")
        header = ws.oddHeader
        assert header.left.text.startswith("&B渠道汇总分析表&B · ") and ws.title in header.left.text, ws.title
        assert header.right.text == "统计期间：2026-11-16 至 2026-11-29", ws.title
        assert ws.oddFooter.center.text == "第 &P 页，共 &N 页"
    rows = {ws.title: ws.print_title_rows for ws in sheets}
    assert rows["总览"] == "$1:$2" and rows["按渠道"] == rows["按分所"] == rows["明细"] == "$1:$1"
    orientation = {ws.title: ws.page_setup.orientation for ws in sheets}
    assert orientation["总览"] == "portrait" and orientation["明细"] == orientation["按渠道"] == "landscape"
    assert orientation["谈判管道"] == "portrait"  # narrow tables, the chart under them
    assert wb["总览"].page_setup.fitToHeight in (None, 1)  # the overview is one page (1 is the default)
    # 按渠道 (20 columns) is split across two pages, 排名 and 渠道名称 on both, at a readable scale
    by_channel = wb["按渠道"]
    assert not by_channel.sheet_properties.pageSetUpPr.fitToPage and by_channel.print_title_cols == "$A:$B"
    assert len(by_channel.col_breaks.brk) == 1 and by_channel.page_setup.scale >= 85
    assert wb["问题清单"].sheet_properties.pageSetUpPr.fitToPage and wb["问题清单"].page_setup.fitToHeight == 0
    assert wb["明细"].page_margins.left == 0.25 and wb["明细"].sheet_properties.pageSetUpPr.fitToPage


@pytest.mark.slow  # two rollups
def test_count_charts_have_whole_number_axes_and_funnels_read_top_down(week_book):
    charts = chart_xml(week_book)
    pipeline = charts["各阶段楼盘数"]
    assert '<c:majorUnit val="1"/>' in pipeline and 'formatCode="0"' in pipeline
    assert '<c:orientation val="maxMin"/>' in pipeline  # stages in the table's order, the first at the top
    funnel = charts["拓展漏斗"]
    assert '<c:orientation val="maxMin"/>' in funnel and '<c:majorUnit val="1"/>' in funnel
    overview = charts["转化漏斗：登记 → 客户 → 到访 → 成交"]
    assert '<c:orientation val="maxMin"/>' in overview and '<c:majorUnit val="1"/>' in overview
    assert '<c:majorUnit val="1"/>' in charts["各渠道登记、到访、成交"]


def test_count_axis_steps_are_whole_numbers():
    from qudao.report.xlsx import count_axis

    assert [count_axis(n)["major_unit"] for n in (0, 1, 3, 6, 7, 12, 40, 259, 1234)] == [1, 1, 1, 1, 2, 2, 10,
                                                                                         50, 500]
    assert count_axis(5)["num_format"] == "0" and count_axis(5)["min"] == 0


@pytest.mark.slow  # two rollups
def test_week_sheet_counts_money_and_signed_coloured_changes(week_book):
    ws = load_workbook(week_book)["本周"]
    rows = {ws.cell(row=r, column=1).value: r for r in range(4, 13)}
    assert [ws.cell(row=3, column=c).value for c in range(1, 9)] == ["指标", "本周", "上周", "变化", "累计",
                                                                     "上周报告累计", "累计变化", "其中迟报/更正"]
    reg, amount, conflicts = rows["登记数"], rows["成交金额(万元)"], rows["撞单"]
    assert [ws.cell(row=reg, column=c).value for c in range(2, 8)] == [3, 2, 1, 5, 2, 3]
    assert [ws.cell(row=conflicts, column=c).value for c in range(2, 8)] == [1, 0, 1, 1, 0, 1]
    assert ws.cell(row=reg, column=2).number_format == "#,##0"
    assert ws.cell(row=reg, column=4).number_format == "+#,##0;-#,##0;0"
    assert ws.cell(row=amount, column=2).value == 120.5
    assert ws.cell(row=amount, column=2).number_format == "#,##0.00"
    assert ws.cell(row=amount, column=4).number_format == "+#,##0.00;-#,##0.00;0.00"
    # green when a KPI goes up, red when down; 撞单 the other way round
    rules = {}
    for cf in ws.conditional_formatting:
        for rule in cf.rules:
            rules.setdefault(str(cf.sqref), []).append((rule.operator, rule.dxf.font.color.rgb))
    assert rules[f"D{reg}"] == [("greaterThan", "FF006100"), ("lessThan", "FFC00000")]
    assert rules[f"D{conflicts}"] == [("greaterThan", "FFC00000"), ("lessThan", "FF006100")]


# --------------------------------------------------------------------------- templates


def templates(runner, folder: Path) -> dict[str, Path]:
    """Every template, and a plan made by new-plan."""
    from qudao.schema import all_kinds

    out = {}
    for kind in all_kinds():
        if kind.generated:
            continue
        target = folder / f"{kind.id}.xlsx"
        if kind.id == "plan":
            args = ["new-plan", "--type", "西藏本地", "--branch", "拉萨分所", "--city", "拉萨", "--start", "2026-09-21"]
        else:
            args = ["new", kind.id]
        result = invoke(runner, *args, "-o", target)
        assert result.exit_code == 0, result.output
        out[kind.id] = target
    return out


@pytest.fixture(scope="module")
def template_files(tmp_path_factory) -> dict[str, Path]:
    from typer.testing import CliRunner

    return templates(CliRunner(), tmp_path_factory.mktemp("templates"))


@pytest.mark.slow  # every template
def test_every_template_sheet_has_print_titles_a_title_and_an_orientation_by_width(template_files):
    from qudao.write.workbook import sheet_width

    assert len(template_files) == 19
    for kind_id, path in template_files.items():
        wb = load_workbook(path)
        for ws in wb.worksheets:
            if ws.sheet_state != "visible":
                continue
            where = f"{kind_id}/{ws.title}"
            assert ws.print_title_rows, where
            if where == "agreements/协议台账":  # 27 columns: four pages across at 65 %, each led by 编号 and 渠道
                assert ws.page_setup.scale == 65 and len(ws.col_breaks.brk) == 3 and ws.print_title_cols == "$A:$B"
            assert_a4(ws, where)
            wide = sheet_width(ws) > 100
            assert ws.page_setup.orientation == ("landscape" if wide else "portrait"), where
            assert ws.oddHeader.left.text.startswith("&B") and ws.oddFooter.center.text == "第 &P 页，共 &N 页", where
    register = load_workbook(template_files["register"])
    assert register["意向客户登记"].oddHeader.left.text == "&B意向客户登记表&B"
    assert register["意向客户登记"].oddHeader.right.text is None  # the sheet's name is in the title already
    assert register["意向客户登记"].print_title_rows == "$4:$4"
    assert register["填写说明"].page_setup.orientation == "landscape"
    event = load_workbook(template_files["event"])
    assert {ws.title: ws.page_setup.orientation for ws in event.worksheets if ws.sheet_state == "visible"} == {
        "活动概况": "portrait", "流程安排": "portrait", "人员分工": "portrait", "物料清单": "portrait",
        "邀约名单": "portrait", "效果统计": "portrait", "填写说明": "landscape"}
    assert event["物料清单"].oddHeader.left.text == "&B推介会执行方案&B"
    assert event["物料清单"].oddHeader.right.text == "物料清单"


@pytest.mark.slow  # every template
def test_block_labels_fit_their_column(template_files):
    from qudao.text import display_width

    for kind_id in ("register", "negotiation", "feedback", "handoff"):
        ws = load_workbook(template_files[kind_id]).worksheets[0]
        header_row = int(ws.print_title_rows.split(":")[0].strip("$"))
        for row in ws.iter_rows(min_row=2, max_row=header_row - 1):
            for cell in row:
                if isinstance(cell.value, str) and cell.value.endswith("："):
                    width = ws.column_dimensions[cell.column_letter].width
                    assert width >= display_width(cell.value) + 2, (kind_id, cell.value, width)
    ws = load_workbook(template_files["register"])["意向客户登记"]
    assert ws["A3"].value == "渠道联系人：" and ws.column_dimensions["A"].width == 14  # was 6: 「道联系人：」


@pytest.mark.slow  # every template
def test_help_sheet_wraps_and_sizes_its_rows(template_files):
    ws = load_workbook(template_files["register"])["填写说明"]
    phone = next(r for r in ws.iter_rows(min_row=8) if r[1].value == "联系电话" and r[2].value == "必填")
    assert phone[4].alignment.wrap_text and "也认：电话、手机" in phone[4].value
    assert ws.row_dimensions[phone[4].row].height == 14 * 4 + 2  # hint and aliases: 4 lines of 说明 (46 wide)
    assert ws["A2"].alignment.wrap_text and ws.row_dimensions[2].height == 16


@pytest.mark.slow  # every template
def test_event_materials_have_a_live_total_that_moves_below_filled_rows(runner, tmp_path, template_files):
    wb = load_workbook(template_files["event"])
    ws = wb["物料清单"]
    assert (ws["A43"].value, ws["D43"].value) == ("合计", "=SUM(D3:D42)")  # header in row 2, 40 rows
    data = tmp_path / "物料.csv"
    lines = ["物料,数量,单价(元)"] + [f"物料{i},{i},10" for i in range(1, 43)]
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "活动.xlsx"
    result = invoke(runner, "fill", template_files["event"], "--from", data, "-o", out)
    assert result.exit_code == 0, result.output
    ws = load_workbook(out)["物料清单"]
    assert ws["A44"].value == "物料42" and ws["D44"].value == "=IF(OR(B44=\"\",C44=\"\"),\"\",B44*C44)"
    assert (ws["A45"].value, ws["D45"].value) == ("合计", "=SUM(D3:D44)")  # moved down, the range grown
    assert ws["A43"].value == "物料41"
    from conftest import check

    report = check(out)
    assert report.tables["物料清单"].rows_skipped == 1 and len(report.tables["物料清单"].rows) == 42
    assert report.errors == 0, [f.message for f in report.findings]


@pytest.mark.slow  # every template
def test_a_few_rows_fill_the_blank_rows_above_the_total(runner, tmp_path, template_files):
    data = tmp_path / "物料.csv"
    data.write_text("物料,数量,单价(元)\n易拉宝,4,120.5\n楼书,200,15\n", encoding="utf-8")
    out = tmp_path / "活动.xlsx"
    assert invoke(runner, "fill", template_files["event"], "--from", data, "-o", out).exit_code == 0
    ws = load_workbook(out)["物料清单"]
    assert [ws[f"A{r}"].value for r in (3, 4, 5)] == ["易拉宝", "楼书", None]
    assert (ws["A43"].value, ws["D43"].value) == ("合计", "=SUM(D3:D42)")


def test_register_and_event_templates_print(tmp_path):
    """The fast loop's check of the template page setup (the slow tests above cover every template)."""
    from qudao.schema import get_kind
    from qudao.write.workbook import build

    feedback = build(get_kind("feedback"))
    ws = feedback["工作进展"]
    assert ws.print_title_rows == "$4:$4" and ws.page_setup.orientation == "landscape"
    assert ws["A2"].value == "分所：" and ws.column_dimensions["A"].width == 8  # 序号 was 6: cut off when printed
    assert ws["D3"].value == "填报日期：" and ws.column_dimensions["D"].width == 12
    event = build(get_kind("event"))
    ws = event["物料清单"]
    assert ws.page_setup.orientation == "portrait" and ws.print_title_rows == "$2:$2"
    assert (ws["A43"].value, ws["D43"].value) == ("合计", "=SUM(D3:D42)")
    assert event["活动概况"].print_title_rows == "$1:$1"


def annotated_copy(runner, folder: Path) -> Path:
    """A register with one bad phone, validated with --annotate: the marked copy."""
    inbox = folder / "inbox"
    inbox.mkdir()
    make_register(inbox / "登记.xlsx", [[1, "2026-11-03", "张三", "1381234567", "A"]], header=HEADER[:5])
    result = invoke(runner, "validate", inbox, "--annotate", folder / "标注", "--as-of", "2026-11-27")
    assert result.exit_code == 1, result.output
    return folder / "标注" / "登记.xlsx"


def test_annotated_problem_list_fits_a4_landscape(runner, tmp_path):
    ws = load_workbook(annotated_copy(runner, tmp_path))["问题清单"]
    assert ws.max_row == 2  # one finding
    assert ws.page_setup.orientation == "landscape" and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.fitToHeight == 0 and ws.print_title_rows == "$1:$1"
    assert ws.oddHeader.left.text == "&B问题清单 · 登记.xlsx&B"
    assert ws["D2"].alignment.wrap_text and ws.column_dimensions["D"].width == 52  # 说明


# --------------------------------------------------------------------------- LibreOffice: the pages themselves


def pdf_pages(path: Path) -> str:
    """Each page of a PDF as P (portrait A4) or L (landscape A4), from the page objects' MediaBox."""
    data = path.read_bytes()
    box = rb"/MediaBox\s*\[\s*[\d.]+\s+[\d.]+\s+([\d.]+)\s+([\d.]+)\s*\]"
    default, pages = None, []
    for obj in data.split(b"endobj"):
        found = re.search(box, obj)
        if re.search(rb"/Type\s*/Pages\b", obj):
            default = found or default
        elif re.search(rb"/Type\s*/Page\b", obj):
            pages.append(found)
    out = ""
    for found in pages:
        w, h = (float(x) for x in (found or default).groups())
        assert {round(w), round(h)} == {595, 842}, (path, w, h)  # A4
        out += "L" if w > h else "P"
    return out


def convert_all(files: list[Path], fmt: str, outdir: Path) -> list[Path]:
    """Convert many files with one LibreOffice start (the profile of conftest.soffice_convert)."""
    from conftest import SOFFICE, soffice_convert

    if not SOFFICE:
        pytest.skip("LibreOffice (soffice) is not installed")
    first = soffice_convert(files[0], fmt, outdir)  # sets up the private profile
    import subprocess

    import conftest

    profile = conftest._PROFILE[0]
    if files[1:]:
        subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                        "--convert-to", fmt, "--outdir", str(outdir), *map(str, files[1:])], check=True,
                       capture_output=True, timeout=600)
    return [first] + [outdir / (f.stem + "." + fmt) for f in files[1:]]


def one_sheet_copies(path: Path, folder: Path) -> dict[str, Path]:
    """A copy of an (openpyxl-made) workbook per visible sheet, the other sheets hidden."""
    wb = load_workbook(path)
    visible = [ws.title for ws in wb.worksheets if ws.sheet_state == "visible"]
    out = {}
    for k, name in enumerate(visible):
        wb = load_workbook(path)
        for ws in wb.worksheets:
            if ws.title != name and ws.sheet_state == "visible":
                ws.sheet_state = "hidden"
        wb.active = wb.sheetnames.index(name)
        target = folder / f"{path.stem}-{k}.xlsx"
        wb.save(target)
        out[name] = target
    return out


# pages per sheet of every template, as LibreOffice prints them (the blank table and its first page of ruled rows
# on one page down; a sheet wider than one landscape page at 65 % split across pages, its key columns on each)
TEMPLATE_PAGES = {
    "register": {"意向客户登记": "LL", "填写说明": "LL"},
    "plan": {"工作计划": "LL", "填写说明": "L"},  # the tasks; then 序号/阶段/工作事项 beside the Gantt
    "handoff": {"对接事项": "LL", "填写说明": "L"},
    "feedback": {"工作进展": "L", "客户内容": "L", "填写说明": "L"},
    "negotiation": {"谈判跟进": "LL", "填写说明": "L"},
    "screening": {"楼盘筛选": "LLLL", "权重": "P", "填写说明": "L"},  # 60 rows of live formulas: two pages down
    "expansion": {"渠道拓展": "LL", "填写说明": "L"},
    "agencies": {"中介机构": "LL", "填写说明": "L"},
    "affiliates": {"关联企业": "LL", "填写说明": "L"},
    "survey": {"调查记录": "L", "填写说明": "L"},
    "event": {"活动概况": "P", "流程安排": "P", "人员分工": "P", "物料清单": "P", "邀约名单": "P", "效果统计": "P",
              "填写说明": "LL"},
    "agreements": {"协议台账": "LLLL", "填写说明": "LL"},  # the v2 ledger: four pages across, 编号 and 渠道 on each
    "dev-process": {"洽谈流程": "L", "填写说明": "L"},
    "qa": {"洽谈百问": "L", "填写说明": "L"},
    "targets": {"渠道目标": "L", "拓展目标": "P", "填写说明": "L"},
    "scores": {"考核评分": "L", "填写说明": "L"},
    "sales": {"成交台账": "LL", "填写说明": "LL"},  # issue 24: the sales ledger, split across two pages
    "verify": {"异常监控": "LL", "填写说明": "L"},
    "payments": {"结佣记录": "LL", "填写说明": "L"},  # issue 22: the ledger, split across two pages
}
# The printed size of text, from the PDF: a 10 pt cell's words are ~13 pt tall at 100 % (pdftotext's boxes), so
# 65 % (6.5 pt type) is ~8.45; a page whose median word is smaller is not readable on paper.
READABLE_WORD_PT = 8.3


def printed_pages(pdf: Path) -> list[dict]:
    """Every page of a PDF: its size, orientation (P/L), the median height of its words and its text."""
    import statistics
    import subprocess

    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    xml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    out = []
    for page in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', xml, re.S):
        w, h = float(page[1]), float(page[2])
        words = re.findall(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>',
                           page[3])
        heights = [float(b) - float(a) for a, b, _t in words]
        out.append({"size": (round(w), round(h)), "orientation": "L" if w > h else "P",
                    "word": statistics.median(heights) if heights else 0.0,
                    "text": " ".join(t for _a, _b, t in words)})
    return out


def assert_readable_a4(pdf: Path, where: str, except_sheets: tuple[str, ...] = ()) -> list[dict]:
    """Every page A4; every page (but those of ``except_sheets``, named in the page header) printed at a
    readable size."""
    pages = printed_pages(pdf)
    assert pages, where
    for k, page in enumerate(pages, start=1):
        assert page["size"] in ((595, 842), (842, 595)), (where, k, page["size"])
        head = page["text"][:60]
        if any(f"· {name}" in head for name in except_sheets):
            continue
        assert page["word"] >= READABLE_WORD_PT, (where, k, round(page["word"], 1), head)
    return pages


@pytest.mark.libreoffice
@pytest.mark.slow
def test_printed_pages_of_templates_annotated_copy_and_summary(runner, tmp_path, template_files, week_book):
    (tmp_path / "a").mkdir()
    problems = one_sheet_copies(annotated_copy(runner, tmp_path / "a"), tmp_path)["问题清单"]
    kinds = list(template_files)
    pdfs = convert_all([template_files[k] for k in kinds] + [problems, week_book], "pdf", tmp_path / "pdf")
    # every template: the pages of its sheets in order (each blank table on one page down, the plan's too),
    # A4, at a readable size
    for kind_id, pdf in zip(kinds, pdfs):
        sheets = [ws.title for ws in load_workbook(template_files[kind_id]).worksheets if ws.sheet_state == "visible"]
        assert list(TEMPLATE_PAGES[kind_id]) == sheets, kind_id
        assert pdf_pages(pdf) == "".join(TEMPLATE_PAGES[kind_id].values()), kind_id
        assert_readable_a4(pdf, kind_id)
    # a blank form prints its first page of rows ruled (a space in each 序号 makes LibreOffice print them)
    register = load_workbook(template_files["register"])["意向客户登记"]
    assert register["A5"].value == " " and register.row_dimensions[5].height == 20
    assert register["B5"].border.bottom.style == "thin" and register["B200"].border.bottom.style is None
    # an annotated copy's 问题清单 with one finding: one page, A4 landscape (it printed on 3)
    assert pdf_pages(pdfs[-2]) == "L"
    assert_readable_a4(pdfs[-2], "问题清单")
    # the small summary: every sheet on one page down, in the orientation it asks for; a sheet split across
    # pages (按渠道) on as many pages as it has parts
    wb = load_workbook(week_book)
    expected = "".join(("L" if ws.page_setup.orientation == "landscape" else "P") * (len(ws.col_breaks.brk) + 1)
                       for ws in wb.worksheets if ws.sheet_state == "visible")
    assert pdf_pages(pdfs[-1]) == expected and expected.startswith("PL")  # 总览 portrait, 本周 landscape
    assert_readable_a4(pdfs[-1], "summary", except_sheets=("明细",))
    # print titles survive a round trip through LibreOffice
    resaved = load_workbook(convert_all([week_book], "xlsx", tmp_path / "re")[0])
    assert resaved["按渠道"].print_title_rows == "$1:$1" and resaved["总览"].print_title_rows == "$1:$2"


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[str, Path]:
    """Every report workbook of the demo inbox: the summary, a branch report, a statement, a to-do list, the
    assessment, and a plan made by new-plan."""
    from typer.testing import CliRunner

    runner = CliRunner()
    out = tmp_path_factory.mktemp("reports")
    as_of = "2026-11-27"
    assert invoke(runner, "summarize", SAMPLES, "--as-of", as_of, "-o", out / "summary.xlsx",
                  "--by-branch", out / "branch").exit_code == 1
    assert invoke(runner, "statement", SAMPLES, "--channel", "拉萨布达拉物业服务有限公司", "--as-of", as_of,
                  "-o", out / "statement.xlsx").exit_code in (0, 1)
    assert invoke(runner, "todo", SAMPLES, "--as-of", as_of, "-o", out / "todo.xlsx").exit_code in (0, 1)
    assert invoke(runner, "assess", SAMPLES, "--period", "2026Q4", "--as-of", as_of,
                  "-o", out / "assess.xlsx").exit_code in (0, 1)
    return {"summary": out / "summary.xlsx", "branch": next((out / "branch").glob("*拉萨分所.xlsx")),
            "statement": out / "statement.xlsx", "todo": out / "todo.xlsx", "assess": out / "assess.xlsx"}


@pytest.mark.slow
def test_every_report_sheet_is_set_up_for_a4(reports):
    for name, path in reports.items():
        wb = load_workbook(path)
        for ws in wb.worksheets:
            if ws.sheet_state == "visible":
                assert_a4(ws, f"{name}/{ws.title}", readable=not ws.title.startswith("明细"))
    # the assessment: A4 (was A3), its own title in every page header, its 28 columns split across pages
    # between indicator groups, 渠道名称 on each
    assess = load_workbook(reports["assess"])
    for ws in assess.worksheets:
        if ws.sheet_state == "visible":
            assert ws.oddHeader.left.text.startswith("&B渠道考核表&B"), ws.title
            assert ws.oddHeader.right.text == "2026年第四季度（2026Q4）", ws.title
    results = assess["考核结果"]
    assert results.print_title_cols == "$A:$A" and results.page_setup.scale >= 65
    heads = [results.cell(row=6, column=b.id).value for b in results.col_breaks.brk]
    assert heads and all(h not in ("实际", "进度目标", "完成率") for h in heads), heads  # never inside a group


@pytest.mark.libreoffice
@pytest.mark.slow
def test_every_report_prints_on_a4_at_a_readable_size(reports, tmp_path):
    names = list(reports)
    pdfs = convert_all([reports[n] for n in names], "pdf", tmp_path / "pdf")
    for name, pdf in zip(names, pdfs):
        pages = assert_readable_a4(pdf, name, except_sheets=("明细",))
        wb = load_workbook(reports[name])
        first = next(ws for ws in wb.worksheets if ws.sheet_state == "visible")
        assert pages[0]["orientation"] == ("L" if first.page_setup.orientation == "landscape" else "P"), name
    assess = printed_pages(pdfs[names.index("assess")])
    assert all(p["size"] in ((842, 595), (595, 842)) for p in assess)  # A4, never A3 (842 × 1191)
    assert "渠道考核表" in assess[0]["text"] and "渠道汇总分析表" not in assess[0]["text"]
