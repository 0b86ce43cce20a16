"""The read guards (qudao.read.guards): every hostile case refused with its real figures; real files not
refused, with the extents python-calamine reports (sheet.end + 1), for every spelling of the XML."""

from __future__ import annotations

import datetime as dt
import re
import struct
import subprocess
from pathlib import Path

import hostile_corpus as corpus
import pytest
from conftest import SOFFICE
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from qudao.cells import col_letter
from qudao.errors import Unreadable as Refused
from qudao.read import guards
from qudao.read.guards import Limits, scan, scan_csv, scan_ods, scan_xls, scan_xlsx


def calamine_extents(path) -> dict[str, tuple[int, int]]:
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(str(path))
    out = {}
    for name in wb.sheet_names:
        end = wb.get_sheet_by_name(name).end
        out[name] = (end[0] + 1, end[1] + 1) if end else (0, 0)
    return out


def guard_extents(path) -> dict[str, tuple[int, int]]:
    return {n: (i.rows, i.cols) for n, i in scan(path).items()}


# ---------------------------------------------------------------------------- the corpus


@pytest.fixture(scope="session")
def hostile(tmp_path_factory):
    out = tmp_path_factory.mktemp("corpus")
    return corpus.build(out, small=True)


FIGURES = {
    "xfd_in_row1.xlsx": ["1,048,576 行 × 16,384 列", "17,179,869,184", "XFD1048576", "「Sheet1」"],
    "row_tab.xlsx": ["1,048,576 行 × 16,384 列", "XFD1048576"],
    "repeated_cells.ods": ["6,000 行 × 16,384 列", "98,304,000", "XFD6000"],
    "iv65536.xls": ["65,536 行 × 256 列", "16,777,216", "IV65536"],
    "newlines.csv": ["1,499,997 行", "上限 1,000,000 行"],
    "one_line.csv": ["第 1 行长达 2,000,000 字节", "上限 1.0 MB"],
    "sheets_10000.xlsx": ["10,000 个工作表", "上限 200 个"],
    "merged_6000.xlsx": ["6,000 个合并单元格区域互相重叠", "105,144,000"],
    "sst_unique_count.xlsx": ["4,000,000,000 个字符串"],
    "ods_text_s.ods": ["第 1 行", "500,000,000 个字符"],
    "positional_far.xlsx": ["1,048,576 行 × 16,384 列", "A1048576 和 XFD1"],
    "prefixed_far.xlsx": ["1,048,576 行 × 16,384 列"],
}


@pytest.mark.parametrize("name", [n for n, (_, e) in corpus.CASES.items() if e == "refused"])
def test_hostile_refused_with_figures(hostile, name):
    with pytest.raises(Refused) as exc:
        scan(hostile[name])
    for figure in FIGURES[name]:
        assert figure in exc.value.message, exc.value.message


@pytest.mark.parametrize("name", [n for n, (_, e) in corpus.CASES.items() if e == "ok"])
def test_content_cases_not_refused(hostile, name):
    scan(hostile[name])


def test_content_cases_match_calamine(hostile):
    for name in ("date_minus_1e12.xlsx", "amount_1e308.xlsx", "long_cell.xlsx", "markup.xlsx", "far_empty_styled.xlsx"):
        assert guard_extents(hostile[name]) == calamine_extents(hostile[name]), name


def test_bom_then_gb18030_is_reported(hostile):
    info = scan_csv(hostile["bom_gb18030.csv"])
    assert info.encoding == "gb18030" and info.bom_mismatch and info.lines == 2


def test_hostile_refused_by_the_sheet_the_message_names(hostile):
    with pytest.raises(Refused) as exc:
        scan(hostile["merged_6000.xlsx"])
    assert exc.value.sheet == "意向客户登记"


# ---------------------------------------------------------------------------- real files


def _openpyxl_book(path: Path) -> None:
    import openpyxl
    from openpyxl.styles import Font

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "意向客户登记"
    ws.append(["意向客户登记表"])
    ws.append(["渠道名称：", "雪域物业"])
    ws.append([])
    ws.append(["序号", "登记日期", "客户姓名", "联系电话", "成交金额(万元)"])
    for i in range(1, 301):
        ws.append([i, dt.date(2026, 1, 1) + dt.timedelta(days=i), f"客户{i}", f"1380013{i:04d}", i * 1.5 if i % 3 else None])
    ws.append(["合计", None, None, None, "=SUM(E5:E304)"])  # a formula without a cached value
    ws.merge_cells("A1:E1")
    ws.row_dimensions[7].hidden = True
    ws["H400"].font = Font(bold=True)  # a styled empty cell far away: calamine ignores it
    wide = wb.create_sheet("宽表")
    for r in range(1, 40):
        wide.append([f"{r}-{c}" for c in range(1, 60)])
    wb.create_sheet("空表")
    wb.save(path)


def _xlsxwriter_book(path: Path, constant_memory: bool) -> None:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"constant_memory": constant_memory})
    ws = wb.add_worksheet("明细")
    fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    ws.write_row(0, 0, ["渠道", "金额", "日期", "备注"])
    for r in range(1, 2000):
        ws.write_string(r, 0, f"雪域{r % 17}")
        ws.write_number(r, 1, r * 0.25)
        ws.write_datetime(r, 2, dt.datetime(2026, 1, 1) + dt.timedelta(days=r % 300), fmt)
        if r % 5 == 0:
            ws.write_formula(r, 3, f"=B{r + 1}*2", None, r * 0.5)
    ws.merge_range("F1:H3", "合并")
    ws.set_row(10, None, None, {"hidden": True})
    ws.write_blank(2500, 30, None, wb.add_format({"bold": True}))
    ws2 = wb.add_worksheet("Sheet2")
    ws2.write(0, 0, "x")
    ws2.write(99, 27, 1)
    wb.close()


@pytest.fixture(scope="session")
def real_files(tmp_path_factory):
    d = tmp_path_factory.mktemp("real")
    files = [d / "openpyxl.xlsx", d / "xlsxwriter.xlsx", d / "xlsxwriter_cm.xlsx"]
    _openpyxl_book(files[0])
    _xlsxwriter_book(files[1], False)
    _xlsxwriter_book(files[2], True)
    return files


@pytest.fixture(scope="session")
def libreoffice_files(tmp_path_factory, real_files):
    if not SOFFICE:
        pytest.skip("LibreOffice (soffice) is not installed")
    d = tmp_path_factory.mktemp("lo")
    files = []
    for fmt in ("ods", "xls", "xlsx"):
        out = d / f"lo_{fmt}"
        out.mkdir()
        subprocess.run([SOFFICE, f"-env:UserInstallation=file://{d}/profile", "--headless", "--convert-to", fmt,
                        "--outdir", str(out), str(real_files[0]), str(real_files[1])],
                       check=True, capture_output=True, timeout=240)
        files.extend(sorted(out.iterdir()))
    return files


def test_real_files_not_refused_and_match_calamine(real_files):
    for path in real_files:
        assert guard_extents(path) == calamine_extents(path), path


@pytest.mark.libreoffice
def test_libreoffice_files_not_refused_and_match_calamine(libreoffice_files):
    assert {p.suffix for p in libreoffice_files} == {".ods", ".xls", ".xlsx"}
    for path in libreoffice_files:
        assert guard_extents(path) == calamine_extents(path), path
    ods = next(p for p in libreoffice_files if p.suffix == ".ods" and "openpyxl" in p.name)
    info = scan_ods(ods)["意向客户登记"]
    assert 6 in info.hidden_rows and info.merged >= 1


def test_real_file_details(real_files):
    info = scan(real_files[0])["意向客户登记"]
    assert (info.rows, info.cols) == (305, 5)
    assert 6 in info.hidden_rows  # row 7
    assert (304, 4) in info.no_cache  # the SUM without a cached value
    assert info.merged == 1 and info.merged_ranges == [(0, 0, 0, 4)]
    xw = scan(real_files[1])["明细"]
    assert 10 in xw.hidden_rows and xw.merged == 1 and not xw.no_cache


# ---------------------------------------------------------------------------- xlsx spellings against calamine

CELL_FORMS = st.sampled_from(["plain", "tab", "single", "prefix", "nor", "selfclose", "formula_only", "formula_v",
                              "inline", "empty_v", "str_empty", "space_eq", "lower",
                              "v_self_str", "v_self", "is_self"])


def _cell(form: str, r: int, c: int) -> str:
    ref = f"{col_letter(c)}{r + 1}"
    return {
        "plain": f'<c r="{ref}"><v>{r}</v></c>',
        "tab": f'<c\tr="{ref}"\ts="0"><v>1</v></c>',
        "single": f"<c r='{ref}'><v>1</v></c>",
        "prefix": f'<x:c r="{ref}"><x:v>1</x:v></x:c>',
        "nor": "<c><v>1</v></c>",
        "selfclose": f'<c r="{ref}" s="0"/>',
        "formula_only": f'<c r="{ref}"><f>1+1</f></c>',
        "formula_v": f'<c r="{ref}"><f>1+1</f><v>2</v></c>',
        "inline": f'<c r="{ref}" t="inlineStr"><is><t>x</t></is></c>',
        "empty_v": f'<c r="{ref}"><v></v></c>',
        "str_empty": f'<c r="{ref}" t="str"><v></v></c>',
        "space_eq": f'<c r = "{ref}"><v>1</v></c>',
        "lower": f'<c r="{ref.lower()}"><v>1</v></c>',
        "v_self_str": f'<c r="{ref}" t="str"><v/></c>',
        "v_self": f'<c r="{ref}"><v/></c>',
        "is_self": f'<c r="{ref}" t="inlineStr"><is/></c>',
    }[form]


sheet_strategy = st.lists(
    st.tuples(st.integers(0, 200), st.lists(st.tuples(st.integers(0, 40), CELL_FORMS), max_size=6),
              st.sampled_from(["r", "none", "tab", "self"])),
    max_size=25)


def _sheet_from(rows) -> str:
    out = []
    for r, cells, row_form in rows:
        if row_form == "self":
            out.append(f'<row r="{r + 1}"/>')
            continue
        attrs = {"r": f' r="{r + 1}"', "none": "", "tab": f'\tr="{r + 1}"'}[row_form]
        body = "".join(_cell(f, r, c) for c, f in cells)
        out.append(f"<x:row{attrs}>{body}</x:row>" if any(f == "prefix" for _, f in cells) and row_form == "r"
                   else f"<row{attrs}>{body}</row>")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
            '2006/main" xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            + "".join(out) + "</sheetData></worksheet>")


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=sheet_strategy, chunk=st.sampled_from([7, 64, 1000, 1 << 20]))
def test_xlsx_extent_equals_calamine(tmp_path, monkeypatch, rows, chunk):
    path = tmp_path / "h.xlsx"
    corpus.write_xlsx(path, [("S", _sheet_from(rows))])
    try:
        want = calamine_extents(path)["S"]
    except Exception:
        assume(False)
    monkeypatch.setattr(guards.common, "_CHUNK", chunk)
    got = scan_xlsx(path)["S"]
    assert (got.rows, got.cols) == want


def test_boundary_comment_and_cdata(tmp_path, monkeypatch):
    """A comment hiding fake cells and a CDATA value, cut at every chunk size."""
    body = ('<row r="1"><c r="A1"><v>1</v></c></row><!-- <row r="900"><c r="Z900"><v>1</v></c></row> -->'
            '<row r="3"><c r="C3" t="str"><v><![CDATA[x]]></v></c></row>')
    path = tmp_path / "c.xlsx"
    corpus.write_xlsx(path, [("S", corpus.sheet_xml(body))])
    want = calamine_extents(path)["S"]
    for chunk in (5, 17, 50, 4096):
        monkeypatch.setattr(guards.common, "_CHUNK", chunk)
        got = scan_xlsx(path)["S"]
        assert (got.rows, got.cols) in (want, (900, 26))  # a fake cell in a comment may only over-count
        assert got.rows >= want[0] and got.cols >= want[1]


def test_gt_number_and_column():
    for t in (0, 1, 9, 10, 99, 190000, 1048576, 51000):
        pat = re.compile(guards.xlsx._gt_number(t) + rb"$")
        for n in {0, 1, t - 1, t, t + 1, t * 10, 9, 10, 100, 999999, 1048577}:
            if n >= 0:
                assert bool(pat.match(str(n).encode())) == (n > t), (t, n)
    for c in (0, 19, 25, 26, 701, 702, 16383):
        pat = re.compile(guards.xlsx._gt_column(c) + rb"(?=1)")
        for d in {0, c - 1, c, c + 1, 25, 26, 27, 700, 702, 16383, 16384}:
            if d >= 0:
                s = col_letter(d)
                assert bool(pat.match((s + "1").encode())) == (d > c), (c, d)
                assert bool(pat.match((s.lower() + "1").encode())) == (d > c), (c, d)


def test_merged_count_limit(tmp_path):
    merges = [f"A{i}:B{i}" for i in range(1, 10_002)]
    path = tmp_path / "m.xlsx"
    corpus.write_xlsx(path, [("S", corpus.sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>', merges))])
    with pytest.raises(Refused) as exc:
        scan(path)
    assert "10,001 个合并单元格区域" in exc.value.message and "10,000" in exc.value.message
    info = scan(path, limits=Limits(max_merged=20_000))["S"]
    assert info.merged == 10_001


def test_shared_strings_normal_count_ok(tmp_path):
    shared = ('<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="2" '
              'uniqueCount="2"><si><t>a</t></si><si><t>b</t></si></sst>')
    path = tmp_path / "s.xlsx"
    corpus.write_xlsx(path, [("S", corpus.sheet_xml('<row r="1"><c r="A1" t="s"><v>1</v></c></row>'))], shared=shared)
    assert guard_extents(path) == calamine_extents(path) == {"S": (1, 1)}


def test_cell_xml_limit(tmp_path, monkeypatch):
    big = "x" * 3000
    path = tmp_path / "big.xlsx"
    corpus.write_xlsx(path, [("S", corpus.sheet_xml(f'<row r="1"><c r="A1" t="inlineStr"><is><t>{big}</t></is></c></row>'))])
    monkeypatch.setattr(guards.common, "_CHUNK", 512)
    with pytest.raises(Refused) as exc:
        scan(path, limits=Limits(max_cell_xml_bytes=1000))
    assert "超过 1000 字节" in exc.value.message
    assert scan(path)["S"].rows == 1


# ---------------------------------------------------------------------------- ods


def test_ods_libreoffice_trailing_repeats_do_not_count(tmp_path):
    t = ('<table:table-row><table:table-cell office:value-type="float" office:value="1"><text:p>1</text:p>'
         '</table:table-cell><table:table-cell table:number-columns-repeated="16383"/></table:table-row>'
         '<table:table-row table:number-rows-repeated="1048575"><table:table-cell table:number-columns-repeated="16384"/>'
         '</table:table-row>')
    path = tmp_path / "lo.ods"
    corpus.write_ods(path, [("S", t)])
    assert guard_extents(path) == calamine_extents(path) == {"S": (1, 1)}


def test_ods_repeats_with_content_multiply(tmp_path):
    t = ('<table:table-row table:number-rows-repeated="300"><table:table-cell office:value-type="float" office:value="1" '
         'table:number-columns-repeated="7"/></table:table-row>')
    path = tmp_path / "rep.ods"
    corpus.write_ods(path, [("S", t)])
    assert guard_extents(path) == calamine_extents(path) == {"S": (300, 7)}
    with pytest.raises(Refused) as exc:
        scan(path, limits=Limits(max_cells=2000))
    assert "300 行 × 7 列 = 2,100" in exc.value.message


ODS_CELLS = st.sampled_from([
    '<table:table-cell office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell>',
    '<table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell>',
    '<table:table-cell office:value-type="string"/>',
    '<table:table-cell/>',
    '<table:table-cell table:style-name="ce1"/>',
    '<table:table-cell><text:p>no type</text:p></table:table-cell>',
    '<table:table-cell office:value-type="float"/>',
    '<table:table-cell table:formula="of:=1"/>',
    '<table:covered-table-cell office:value-type="float" office:value="2"/>',
    '<table:table-cell office:value-type="float" office:value="3" table:number-columns-spanned="2"/>',
    '<table:table-cell table:number-columns-repeated="{n}"/>',
    '<table:table-cell office:value-type="float" office:value="4" table:number-columns-repeated="{n}"/>',
    '<table:table-cell office:value-type="string" table:number-columns-repeated="{n}"><text:p>y</text:p></table:table-cell>',
])
ods_rows = st.lists(st.tuples(st.lists(st.tuples(ODS_CELLS, st.integers(1, 40)), max_size=6),
                              st.integers(1, 50), st.booleans()), max_size=12)


@pytest.mark.slow
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=ods_rows, chunk=st.sampled_from([11, 100, 1 << 20]))
def test_ods_extent_equals_calamine(tmp_path, monkeypatch, rows, chunk):
    parts = []
    for cells, rep, group in rows:
        body = "".join(c.replace("{n}", str(n)) for c, n in cells)
        r = f' table:number-rows-repeated="{rep}"' if rep > 1 else ""
        row = f"<table:table-row{r}>{body}</table:table-row>"
        parts.append(f"<table:table-row-group>{row}</table:table-row-group>" if group else row)
    path = tmp_path / "h.ods"
    corpus.write_ods(path, [("S", "".join(parts)), ("T", parts[0] if parts else "")])
    try:
        want = calamine_extents(path)
    except Exception:
        assume(False)
    monkeypatch.setattr(guards.common, "_CHUNK", chunk)
    got = {n: (i.rows, i.cols) for n, i in scan_ods(path).items()}
    assert got == want


def test_ods_sheet_count(tmp_path):
    path = tmp_path / "many.ods"
    corpus.write_ods(path, [(f"S{i}", "") for i in range(201)])
    with pytest.raises(Refused) as exc:
        scan(path)
    assert "201 个工作表" in exc.value.message


def test_ods_clipped_like_calamine(tmp_path):
    t = ('<table:table-row><table:table-cell table:number-columns-repeated="16380"/>'
         '<table:table-cell office:value-type="float" office:value="1" table:number-columns-repeated="10"/></table:table-row>')
    path = tmp_path / "clip.ods"
    corpus.write_ods(path, [("S", t)])
    assert guard_extents(path) == calamine_extents(path) == {"S": (1, 16384)}


# ---------------------------------------------------------------------------- xls


def _cfb(stream: bytes, mini: bool = False) -> bytes:
    return corpus.cfb(stream, mini=mini)


def _biff(cells: list[tuple[int, int]], dims=(0, 1, 0, 1), merges=0) -> bytes:
    return corpus.biff([(r, c, 1.5) for r, c in cells], "表1", dims=dims, merges=merges)


def test_xls_cells_beyond_dimensions_and_mini_stream(tmp_path):
    biff = _biff([(0, 0), (1999, 30)], dims=(0, 1, 0, 1), merges=3)
    for mini in (False, True):
        if not mini:
            biff_big = biff + b"\0" * (5000 - len(biff)) if len(biff) < 5000 else biff
            data = _cfb(biff_big)
        else:
            assert len(biff) < 4096
            data = _cfb(biff, mini=True)
        path = tmp_path / f"m{mini}.xls"
        path.write_bytes(data)
        info = scan_xls(path)["表1"]
        assert (info.rows, info.cols) == (2000, 31) and info.merged == 3 and info.dimension == "A1:A1"
        with pytest.raises(Refused) as exc:
            scan_xls(path, Limits(max_cells=10_000))
        assert "2,000 行 × 31 列" in exc.value.message and "AE2000" in exc.value.message, exc.value.message


def test_xls_damaged_chain(tmp_path):
    data = bytearray(_cfb(_biff([(0, 0)]) + b"\0" * 5000))
    struct.pack_into("<I", data, 512 * 1 + 0, 0)  # first FAT entry points to itself: a cycle
    path = tmp_path / "bad.xls"
    path.write_bytes(bytes(data))
    with pytest.raises(Refused):
        scan_xls(path)


# ---------------------------------------------------------------------------- csv


@pytest.mark.parametrize("text, lines", [
    ("a,b\nc,d\n", 2), ("a,b\r\nc,d\r\n", 2), ("a,b\rc,d\r", 2), ("a,b\nc,d", 2), ("", 0), ("\n\n\n", 3),
])
def test_csv_lines(tmp_path, monkeypatch, text, lines):
    path = tmp_path / "x.csv"
    path.write_bytes(text.encode())
    for chunk in (1, 2, 3, 1 << 20):
        monkeypatch.setattr(guards.common, "_CHUNK", chunk)
        assert scan_csv(path).lines == lines, chunk


def test_csv_longest_line_and_encodings(tmp_path, monkeypatch):
    path = tmp_path / "x.csv"
    text = "渠道,金额\r\n" + "雪域物业,1\r\n" * 5 + "x" * 100 + "\r\n"
    for enc, want in (("utf-8-sig", "utf-8-sig"), ("utf-8", "utf-8"), ("gb18030", "gb18030"), ("utf-16", "utf-16")):
        path.write_bytes(text.encode(enc))
        for chunk in (3, 1 << 20):
            monkeypatch.setattr(guards.common, "_CHUNK", chunk)
            info = scan_csv(path)
            assert info.encoding == want and info.lines == 7
            assert info.longest_line_no == 7
            assert info.longest_line == (200 if enc == "utf-16" else 100)


def test_csv_fields_bound(tmp_path):
    path = tmp_path / "wide.csv"
    path.write_bytes(b"a" + b",a" * 999 + b"\n")
    info = scan_csv(path)
    assert info.fields == 1 + 999
    with pytest.raises(Refused) as exc:
        scan_csv(path, Limits(max_cells=500))
    assert "约有 1,000 个单元格" in exc.value.message
