"""validate --annotate: marked copies whose comments and 问题清单 speak Chinese (codes only in the last column)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from conftest import AS_OF, ROOT, invoke, make_register, soffice_convert
from openpyxl import load_workbook

ROWS = [
    [1, "2026-11-03", "张三", "13812345678", "A"],
    [2, "2026-11-04", "李四", "1381234", "B"],  # phone.format at D6
    [3, "2026-11-10", "王五", "13912345678", "A", "2026-11-01"],  # date.order at F7
    [4, "2026-12-01", "钱七", "13612345678", "C"],  # date.future at B8 (报送日期 2026-11-27)
    [5, "2026-11-05", "赵六", "13712345678", "A", None, "2026-11-20", "麓湖花园", 150],  # deal.no_visit at F9
]
PHONE = "联系电话应为11位手机号（或前三后四隐号，如138****5678）（当前为“1381234”）"
COMMENTS = {
    "D6": f"【错误·电话格式不对】{PHONE}",
    "F7": "【错误·日期先后不对】「到访日期」（2026-11-01）早于「登记日期」（2026-11-10）",
    "B8": "【错误·日期晚于报送日期】「登记日期」（2026-12-01）晚于报送日期（2026-11-27），请核对",
    "F9": "【警告·成交无到访】有成交日期但没有到访日期，请补填到访日期",
}
LISTING = [
    ("级别", "位置", "问题", "说明", "列", "值", "代码"),
    ("错误", "意向客户登记!D6", "电话格式不对", PHONE, "联系电话", "1381234", "phone.format"),
    ("错误", "意向客户登记!F7", "日期先后不对", "「到访日期」（2026-11-01）早于「登记日期」（2026-11-10）", "到访日期",
     "2026-11-01", "date.order"),
    ("错误", "意向客户登记!B8", "日期晚于报送日期", "「登记日期」（2026-12-01）晚于报送日期（2026-11-27），请核对", "登记日期",
     "2026-12-01", "date.future"),
    ("警告", "意向客户登记!F9", "成交无到访", "有成交日期但没有到访日期，请补填到访日期", "到访日期", None, "deal.no_visit"),
]


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def register(path: Path) -> Path:
    return make_register(path, ROWS)


@pytest.mark.slow
def test_annotate_marks_exactly_the_finding_cells(runner, tmp_path):
    (tmp_path / "in").mkdir()
    src = register(tmp_path / "in" / "登记表.xlsx")
    before = sha(src)
    out = tmp_path / "marked"
    result = invoke(runner, "validate", src, "--annotate", out, "--as-of", AS_OF)
    assert result.exit_code == 1 and sha(src) == before
    copy = load_workbook(out / src.name)
    original = load_workbook(src)
    assert copy.sheetnames == ["问题清单", "意向客户登记"]
    ws, orig = copy["意向客户登记"], original["意向客户登记"]
    for row in orig.iter_rows():
        for cell in row:
            other = ws[cell.coordinate]
            assert other.value == cell.value, cell.coordinate
            assert (other.comment.text if other.comment else None) == COMMENTS.get(cell.coordinate), cell.coordinate
    assert {c: ws[c].fill.fgColor.rgb for c in COMMENTS} == {"D6": "00FFC7CE", "F7": "00FFC7CE", "B8": "00FFC7CE",
                                                             "F9": "00FFEB9C"}
    assert list(copy["问题清单"].iter_rows(values_only=True)) == LISTING
    assert copy["问题清单"]["B2"].hyperlink.location == "'意向客户登记'!D6"


def test_validate_lines_end_without_codes_unless_asked(runner, tmp_path):
    src = register(tmp_path / "登记表.xlsx")
    lines = [f"    意向客户登记!{cell}  {text[1:3]}  {text.split('】', 1)[1]}" for cell, text in COMMENTS.items()]
    result = invoke(runner, "validate", src, "--as-of", AS_OF)
    assert result.exit_code == 1
    assert result.output.splitlines()[1:5] == lines
    with_codes = invoke(runner, "validate", src, "--as-of", AS_OF, "--codes").output.splitlines()[1:5]
    assert with_codes == [f"{line}  {code}" for line, code in
                          zip(lines, ("phone.format", "date.order", "date.future", "deal.no_visit"))]


def test_annotate_a_csv_and_refuse_to_overwrite(runner, tmp_path):
    src = tmp_path / "表单.csv"
    src.write_text("渠道名称,登记日期,客户姓名,联系电话,意向等级\n雪域物业,2026-11-03,张三,13812345678,A\n"
                   "雪域物业,2026-11-04,李四,1381234,B\n", encoding="utf-8")
    out = tmp_path / "marked"
    assert invoke(runner, "validate", src, "--annotate", out, "--as-of", AS_OF).exit_code == 1
    copy = load_workbook(out / "表单.csv.xlsx")
    data = copy["表单"]
    assert data["D3"].comment.text == f"【错误·电话格式不对】{PHONE}" and data["C3"].value == "李四"
    again = invoke(runner, "validate", src, "--annotate", out, "--as-of", AS_OF)
    assert (again.exit_code, again.output) == (2, f"错误：标注文件已存在：{out / '表单.csv.xlsx'}（加 --force 覆盖）\n")
    clean = tmp_path / "clean"
    invoke(runner, "validate", ROOT / "samples" / "inbox" / "总部" / "楼盘筛选表.xlsx", "--annotate", clean)
    assert not clean.exists() or not any(clean.iterdir())  # no findings, no copy


@pytest.mark.libreoffice
def test_annotated_copies_of_ods_and_xls_open_in_libreoffice(runner, tmp_path):
    src = register(tmp_path / "登记表.xlsx")
    out = tmp_path / "marked"
    for fmt in ("ods", "xls"):
        other = soffice_convert(src, fmt, tmp_path / fmt)
        assert invoke(runner, "validate", other, "--annotate", out, "--as-of", AS_OF).exit_code == 1
        copy = load_workbook(out / f"登记表.{fmt}.xlsx")
        assert copy["意向客户登记"]["D6"].comment.text == COMMENTS["D6"], fmt
    invoke(runner, "validate", src, "--annotate", out, "--as-of", AS_OF)
    resaved = load_workbook(soffice_convert(out / src.name, "xlsx", tmp_path / "lo"))
    assert resaved["意向客户登记"]["D6"].comment.text == COMMENTS["D6"]
    assert soffice_convert(out / src.name, "pdf", tmp_path / "pdf").stat().st_size > 1000
