"""No silent pass: empty registers, duplicate fills, fills that write nothing, summaries without files,
rankings that fit 80 columns and period lines with real dates."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import AS_OF, ROOT, check, invoke, make_register
from openpyxl import load_workbook

HEADER = ["序号", "登记日期", "客户姓名", "联系电话", "意向等级"]
EMPTY = "登记表里没有客户行（只有表头）；本周没有新客户也请确认报送的是不是正确的文件"


# --------------------------------------------------------------------------- empty registers


@pytest.mark.parametrize("rows", [[], [["合计", None, "0 人"]]], ids=["no rows", "only a total row"])
def test_an_empty_register_is_a_warning(runner, tmp_path, rows):
    path = make_register(tmp_path / "空表.xlsx", rows, header=HEADER)
    (f,) = check(path).findings
    assert (f.severity, f.code, f.cell, f.message) == ("warning", "register.empty", "A5", EMPTY)
    result = invoke(runner, "validate", path, "--as-of", AS_OF)
    assert result.exit_code == 0
    assert result.output.splitlines()[:2] == [
        f"! 空表.xlsx  [register]  {len(rows)} 行：接收 0，拒收 0，跳过 {len(rows)}（错误 0，警告 1）",
        f"    意向客户登记!A5  警告  {EMPTY}"]


def test_a_register_with_rows_is_not_empty(tmp_path):
    path = make_register(tmp_path / "r.xlsx", [[1, "2026-11-03", "张三", "13812345678", "A"]], header=HEADER)
    assert check(path).findings == []


def test_the_empty_code_is_in_the_catalogue():
    from qudao.findings import CODES

    assert CODES["register.empty"].severity == "warning" and CODES["register.empty"].title == "登记表没有数据"
    assert CODES["row.duplicate"].severity == "warning"


# --------------------------------------------------------------------------- fill: duplicates, nothing to write


def data_csv(path: Path, *rows: str) -> Path:
    path.write_text("姓名,手机号,报备日期,客户等级\n" + "".join(f"{r}\n" for r in rows), encoding="utf-8")
    return path


SETS = ("--set", "渠道名称=网络表单", "--set", "报送日期=2026-11-27")
PHONE = "联系电话应为11位手机号（或前三后四隐号，如138****5678）（当前为“1381234”）"


@pytest.mark.slow
def test_fill_skips_duplicates_within_the_data(runner, tmp_path):
    data = data_csv(tmp_path / "d.csv", "张三,13812345678,2026/11/3,A", "李四,1381234,2026/11/4,B",
                    "张三,138 1234 5678,2026/11/5,A", "王五,13912345678,2026/11/6,C")
    out = tmp_path / "登记表.xlsx"
    result = invoke(runner, "fill", "register", "--from", data, "-o", out, *SETS)
    assert result.exit_code == 1  # a row was rejected
    assert result.output.splitlines() == [
        "以下 1 行有错误，没有写入（行号为 d.csv 中的行）：",
        f"  B3  错误  {PHONE}",
        "以下 1 行重复，没有写入：",
        "  B4  警告  与 d.csv 第 2 行是同一渠道的同一客户",
        f"已写入 {out}：意向客户登记表「意向客户登记」2 行；1 行有错误，1 行重复，未写入"]
    assert [r.values["客户姓名"] for r in check(out).tables["意向客户登记"].rows] == ["张三", "王五"]


@pytest.mark.slow
def test_fill_twice_writes_nothing_the_second_time(runner, tmp_path):
    data = data_csv(tmp_path / "d.csv", "张三,13812345678,2026/11/3,A", "王五,13912345678,2026/11/6,C")
    out = tmp_path / "登记表.xlsx"
    assert invoke(runner, "fill", "register", "--from", data, "-o", out, *SETS).exit_code == 0
    before = out.read_bytes()
    again = invoke(runner, "fill", out, "--from", data, "--in-place")
    assert (again.exit_code, again.output.splitlines()) == (1, [
        "以下 2 行重复，没有写入：",
        "  B2  警告  与 登记表.xlsx 第 5 行是同一渠道的同一客户",
        "  B3  警告  与 登记表.xlsx 第 6 行是同一渠道的同一客户",
        f"没有写入任何行（2 行重复）；{out} 没有改动"])
    assert out.read_bytes() == before and not (tmp_path / "登记表.xlsx.bak").exists()
    # one new customer among the old ones: only that one is appended, and the count says so
    more = data_csv(tmp_path / "more.csv", "张三,13812345678,2026/11/3,A", "赵六,13712345678,2026/11/7,B")
    grown = tmp_path / "登记表2.xlsx"
    result = invoke(runner, "fill", out, "--from", more, "-o", grown)
    assert (result.exit_code, result.output.splitlines()[-1]) == (
        0, f"已写入 {grown}：意向客户登记表「意向客户登记」1 行；1 行重复，未写入")
    assert [r.values["客户姓名"] for r in check(grown).tables["意向客户登记"].rows] == ["张三", "王五", "赵六"]


@pytest.mark.slow
def test_the_same_customer_for_another_channel_is_not_a_duplicate(runner, tmp_path):
    data = tmp_path / "汇总.csv"
    data.write_text("渠道名称,姓名,手机号,报备日期,客户等级\n雪域物业,张三,13812345678,2026/11/3,A\n"
                    "天路旅行社,张三,13812345678,2026/11/4,A\n", encoding="utf-8")
    out = tmp_path / "a.xlsx"
    result = invoke(runner, "fill", "register", "--from", data, "-o", out, *SETS)
    assert (result.exit_code, result.output) == (0, f"已写入 {out}：意向客户登记表「意向客户登记」2 行\n")


def test_fill_writes_no_file_when_no_row_is_accepted(runner, tmp_path):
    out = tmp_path / "登记表.xlsx"
    result = invoke(runner, "fill", "register", "--from", data_csv(tmp_path / "d.csv", "李四,1381234,2026/11/4,B"),
                    "-o", out, *SETS)
    assert (result.exit_code, result.output.splitlines()) == (1, [
        "以下 1 行有错误，没有写入（行号为 d.csv 中的行）：", f"  B2  错误  {PHONE}",
        f"没有写入任何行（1 行有错误）；没有生成 {out}"])
    assert not out.exists()
    empty = invoke(runner, "fill", "register", "--from", data_csv(tmp_path / "e.csv"), "-o", out, *SETS)
    assert (empty.exit_code, empty.output) == (1, f"没有写入任何行（e.csv 里没有数据行）；没有生成 {out}\n")
    assert not out.exists()


def test_fill_refuses_an_existing_output_before_reading_the_data(runner, tmp_path):
    out = tmp_path / "登记表.xlsx"
    out.write_bytes(b"mine")
    result = invoke(runner, "fill", "register", "--from", tmp_path / "d.csv", "-o", out, *SETS)
    assert (result.exit_code, result.output) == (2, f"错误：找不到数据文件：{tmp_path / 'd.csv'}\n")
    result = invoke(runner, "fill", "register", "--from", data_csv(tmp_path / "d.csv", "张三,13812345678,2026/11/3,A"),
                    "-o", out, *SETS)
    assert (result.exit_code, result.output) == (2, f"错误：输出文件已存在：{out}（加 --force 覆盖）\n")
    assert out.read_bytes() == b"mine"


@pytest.mark.slow
def test_other_kinds_skip_rows_equal_in_every_column(runner, tmp_path):
    data = tmp_path / "materials.csv"
    data.write_text("物料,数量,单价\n楼书,200,15\n礼品,50,30.5\n", encoding="utf-8")
    first = tmp_path / "e.xlsx"
    assert invoke(runner, "fill", "event", "--from", data, "-o", first).exit_code == 0
    result = invoke(runner, "fill", first, "--from", data, "-o", tmp_path / "e2.xlsx")
    assert (result.exit_code, result.output.splitlines()[-1]) == (
        1, f"没有写入任何行（2 行重复）；没有生成 {tmp_path / 'e2.xlsx'}")
    assert result.output.splitlines()[:3] == ["以下 2 行重复，没有写入：", "  A2  警告  与 e.xlsx 第 3 行是相同的行",
                                              "  A3  警告  与 e.xlsx 第 4 行是相同的行"]


# --------------------------------------------------------------------------- summarize: files, 80 columns, period


def one_register(tmp_path: Path) -> Path:
    make_register(tmp_path / "r.xlsx", [[1, "2026-11-03", "张三", "13812345678", "A", "2026-11-09"],
                                        [2, "2026-11-05", "李四", "13912345678", "B"]], header=HEADER + ["到访日期"])
    return tmp_path


HINT = ["没有保存文件。要保存报告，加上其中之一：", "  -o 汇总.xlsx  --html 汇总.html  --md 汇总.md  --json 汇总.json"]


@pytest.mark.slow
def test_summarize_without_outputs_says_how_to_get_files(runner, tmp_path):
    result = invoke(runner, "summarize", one_register(tmp_path), "--as-of", AS_OF)
    assert result.exit_code == 0 and result.output.splitlines()[-2:] == HINT
    result = invoke(runner, "summarize", tmp_path, "--as-of", AS_OF, "--md", tmp_path / "s.md")
    assert HINT[0] not in result.output and result.output.splitlines()[-1] == f"已写入：{tmp_path / 's.md'}"
    assert invoke(runner, "summarize", tmp_path, "--as-of", AS_OF, "-q").output == ""


def test_period_line_says_the_first_and_last_dates(runner, tmp_path):
    one_register(tmp_path)
    result = invoke(runner, "summarize", tmp_path, "--as-of", AS_OF, "--md", tmp_path / "s.md")
    assert result.output.splitlines()[0] == "渠道汇总分析表  统计期间：2026-11-03 至 2026-11-09  依据日期：2026-11-27"
    assert "统计期间：2026-11-03 至 2026-11-09" in (tmp_path / "s.md").read_text(encoding="utf-8")
    given = invoke(runner, "summarize", tmp_path, "--as-of", AS_OF, "--from", "2026-11-01", "--to", "2026-11-07")
    assert given.output.splitlines()[0] == "渠道汇总分析表  统计期间：2026-11-01 至 2026-11-07  依据日期：2026-11-27"
    half = invoke(runner, "summarize", tmp_path, "--as-of", AS_OF, "--from", "2026-11-04")
    assert half.output.splitlines()[0] == "渠道汇总分析表  统计期间：2026-11-04 至 2026-11-09  依据日期：2026-11-27"


@pytest.mark.slow
def test_every_summary_output_has_real_period_dates(runner, tmp_path):
    out = tmp_path / "out"
    invoke(runner, "summarize", ROOT / "samples" / "inbox", "--as-of", AS_OF, "-q", "-o", out / "s.xlsx",
           "--html", out / "s.html", "--md", out / "s.md")
    line = "统计期间：2026-10-17 至 2026-11-27"
    assert line in (out / "s.html").read_text(encoding="utf-8") and line in (out / "s.md").read_text(encoding="utf-8")
    assert load_workbook(out / "s.xlsx")["总览"]["A2"].value.startswith(line)
    for text in ((out / "s.html").read_text(encoding="utf-8"), (out / "s.md").read_text(encoding="utf-8")):
        assert "最早" not in text and "最新 " not in text


def channel(name: str, kind: str, *figures) -> SimpleNamespace:
    regs, customers, visits, deals, amount, conflicts, score, grade = figures
    stats = SimpleNamespace(registrations=regs, customers=customers, visits=visits, deals=deals, deal_amount=amount,
                            conflicts=conflicts)
    return SimpleNamespace(channel=name, type=kind, stats=stats, score=score, grade=grade, basis="relative",
                           target_period="")


CHANNELS = [channel("日喀则珠峰物业服务有限公司", "物业", 26, 24, 5, 3, 469.43, 2, 70.4, "A"),
            channel("日喀则珠峰国际旅行社有限公司", "旅行社", 20, 17, 3, 1, 219.03, 3, 31.1, "C"),
            channel("拉萨雪域物业", "物业", 9, 9, 1, 0, 0.0, 0, 8.9, "D")]


def test_ranking_in_80_columns_gives_every_name_its_own_line():
    from qudao.commands._render import ranking_lines

    assert ranking_lines(CHANNELS, 80) == [
        "#  渠道 / 类型  登记  有效客户  到访  成交  成交金额  撞单  目标评分  等级",
        "1  日喀则珠峰物业服务有限公司",
        "   物业           26        24     5     3    469.43     2         —  A（相对）",
        "2  日喀则珠峰国际旅行社有限公司",
        "   旅行社         20        17     3     1    219.03     3         —  C（相对）",
        "3  拉萨雪域物业",
        "   物业            9         9     1     0      0.00     0         —  D（相对）"]


def test_ranking_on_a_wide_terminal_is_one_line_per_channel():
    from qudao.commands._render import ranking_lines
    from qudao.text import display_width

    lines = ranking_lines(CHANNELS, 120)
    assert lines == [
        "#  渠道                          类型    登记  有效客户  到访  成交  成交金额  撞单  目标评分  等级",
        "1  日喀则珠峰物业服务有限公司    物业      26        24     5     3    469.43     2         —  A（相对）",
        "2  日喀则珠峰国际旅行社有限公司  旅行社    20        17     3     1    219.03     3         —  C（相对）",
        "3  拉萨雪域物业                  物业       9         9     1     0      0.00     0         —  D（相对）"]
    assert max(display_width(line) for line in lines) == 104
    assert ranking_lines(CHANNELS, 104) == lines and ranking_lines(CHANNELS, 103) != lines


@pytest.mark.slow
def test_summary_on_an_80_column_terminal(runner, tmp_path, monkeypatch):
    from qudao.text import display_width

    monkeypatch.setenv("COLUMNS", "80")
    result = invoke(runner, "summarize", ROOT / "samples" / "inbox", "--as-of", AS_OF)
    lines = result.output.splitlines()
    assert max(display_width(line) for line in lines) <= 80, result.output
    ranking = lines[lines.index("渠道排名（前 10）") + 1:lines.index("渠道排名（前 10）") + 22]
    names = [r["channel"] for r in json.loads(invoke(runner, "summarize", ROOT / "samples" / "inbox", "--as-of",
                                                     AS_OF, "--json", "-").output)["by_channel"][:10]]
    assert [line.split("  ", 1)[1] for line in ranking[1::2]] == names  # every full name, on its own line
