"""Issue 20 item 12: xlsx packages laid out otherwise than Excel does, as python-calamine reads them — entry names
with backslashes (``xl\\worksheets\\sheet1.xml``, from some HR/OA systems) and parts outside ``xl/`` (where
``_rels/.rels`` says) — are read, and the guards still measure them: a far value or a huge shared-string count
is refused there as anywhere."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from conftest import invoke, make_register
from python_calamine import CalamineWorkbook

from qudao.read.guards import scan_xlsx

ROWS = [[i + 1, f"2026-11-{3 + i:02d}", f"客户{i}", f"1381234{i:04d}", "A"] for i in range(5)]
EXTENT = ("工作表「意向客户登记」的使用范围过大（1,048,576 行 × 16,384 列 = 17,179,869,184 个单元格，上限 5,000,000 个单元格，"
          "最远的内容在 XFD1048576），通常是远处有误填的单元格；请删除多余内容后另存再发")


def excel_made(tmp_path: Path) -> bytes:
    path = make_register(tmp_path / "excel.xlsx", ROWS, header=["序号", "登记日期", "客户姓名", "联系电话", "意向等级"],
                         block={"渠道名称": "雪域物业", "报送日期": "2026-11-27"})
    return path.read_bytes()


def relaid(data: bytes, path: Path, rename, edit=lambda name, body: body) -> Path:
    """The same package with every entry renamed (``rename``) and its body edited (``edit``)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(rename(info.filename), edit(info.filename, src.read(info.filename)))
    return path


def backslashes(name: str) -> str:
    return name.replace("/", "\\")


def under_excel(name: str) -> str:
    return "excel/" + name[3:] if name.startswith("xl/") else name


def at_the_root(name: str) -> str:
    return name[3:] if name.startswith("xl/") else name


def pointing(to: str):
    """``_rels/.rels`` names the workbook at ``to``; absolute targets (openpyxl writes ``/xl/worksheets/…``)
    and content types follow the parts to their new folder."""
    folder = to.lstrip("/").rpartition("/")[0]
    new = f"/{folder}/" if folder else "/"

    def edit(name: str, body: bytes) -> bytes:
        if name == "_rels/.rels":
            return body.replace(b'Target="xl/workbook.xml"', f'Target="{to}"'.encode())
        if name.endswith(".rels") or name == "[Content_Types].xml":
            return body.replace(b'"/xl/', f'"{new}'.encode())
        return body
    return edit


LAYOUTS = {
    "backslashes": (backslashes, lambda name, body: body),
    "under excel/": (under_excel, pointing("excel/workbook.xml")),
    "at the root": (at_the_root, pointing("workbook.xml")),
    "under excel/, backslashes": (lambda n: backslashes(under_excel(n)), pointing("/excel/workbook.xml")),
}


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_a_package_laid_out_otherwise_is_read_like_calamine_reads_it(runner, tmp_path, layout):
    rename, edit = LAYOUTS[layout]
    path = relaid(excel_made(tmp_path), tmp_path / "登记.xlsx", rename, edit)
    assert "xl/workbook.xml" not in zipfile.ZipFile(path).namelist()
    assert len(CalamineWorkbook.from_path(str(path)).get_sheet_by_name("意向客户登记").to_python()) == 9
    assert scan_xlsx(path)["意向客户登记"].rows == 9  # the guards measured the sheet calamine reads
    result = invoke(runner, "summarize", path, "--json", "-", "--as-of", "2026-11-27")
    data = json.loads(result.output)
    assert result.exit_code == 0 and data["inputs"]["rows_accepted"] == 5 and data["inputs"]["files_unreadable"] == 0


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_the_guards_still_prove_their_bounds_there(runner, tmp_path, layout):
    rename, edit = LAYOUTS[layout]

    def far(name: str, body: bytes) -> bytes:
        body = edit(name, body)
        if name.endswith("worksheets/sheet1.xml"):  # a stray value at the last cell of the sheet
            body = re.sub(rb"</sheetData>", b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>', body)
        return body

    path = relaid(excel_made(tmp_path), tmp_path / "登记.xlsx", rename, far)
    result = invoke(runner, "validate", path, "--format", "json")
    (report,) = json.loads(result.output)["files"]
    assert result.exit_code == 1
    assert [(f["code"], f["message"]) for f in report["findings"]] == [("file.unreadable", EXTENT)]


def test_a_shared_string_count_out_of_all_proportion_is_refused_outside_xl_too(runner, tmp_path):
    sst = (b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
           b'uniqueCount="4000000000"><si><t>x</t></si></sst>')
    data = excel_made(tmp_path)
    with zipfile.ZipFile(io.BytesIO(data)) as src:  # openpyxl writes no shared strings: add the table
        assert "xl/sharedStrings.xml" not in src.namelist()
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as zf:
            for info in src.infolist():
                zf.writestr(info, src.read(info.filename))
            zf.writestr("xl/sharedStrings.xml", sst)
    path = relaid(buf.getvalue(), tmp_path / "登记.xlsx", lambda n: backslashes(under_excel(n)),
                  pointing("excel/workbook.xml"))
    result = invoke(runner, "validate", path, "--format", "json")
    (report,) = json.loads(result.output)["files"]
    assert [f["message"] for f in report["findings"]] == [
        f"文件内部的共享字符串表声明了 4,000,000,000 个字符串，但只有 {len(sst)} 字节（可能已损坏或为恶意文件），已跳过"]


@pytest.mark.parametrize("case, message", [
    ("twice", "文件已损坏或不完整（压缩包里有两个同名的部件「xl/worksheets/sheet1.xml」），请用 Excel 打开后重新保存再发"),
    ("two workbooks", "文件已损坏或不完整（压缩包里有不止一个工作簿），请用 Excel 打开后重新保存再发"),
    ("xlsb", "这是 Excel 二进制工作簿（.xlsb），请另存为 .xlsx 后再发"),
])
def test_ambiguous_packages_are_refused_with_a_reason(runner, tmp_path, case, message):
    data = excel_made(tmp_path)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf, zipfile.ZipFile(io.BytesIO(data)) as src:
        for info in src.infolist():
            body = src.read(info.filename)
            if case == "xlsb" and info.filename.startswith("xl/"):
                name = "excel/" + info.filename[3:].replace("workbook.xml", "workbook.bin")
                zf.writestr(name, body)
                continue
            if case == "two workbooks" and info.filename == "_rels/.rels":
                body = body.replace(b"</Relationships>", b'<Relationship Id="rIdX" Type="http://schemas.openxml'
                                    b'formats.org/officeDocument/2006/relationships/officeDocument" '
                                    b'Target="excel/workbook.xml"/></Relationships>')
            zf.writestr(info, body)
        if case == "twice":
            zf.writestr("xl\\worksheets\\sheet1.xml", src.read("xl/worksheets/sheet1.xml"))
    path = tmp_path / "登记.xlsx"
    if case == "xlsb":
        data = relaid(buf.getvalue(), path, lambda n: n, pointing("excel/workbook.bin")).read_bytes()
    else:
        path.write_bytes(buf.getvalue())
    result = invoke(runner, "validate", path, "--format", "json")
    (report,) = json.loads(result.output)["files"]
    assert [f["message"] for f in report["findings"]] == [message]
