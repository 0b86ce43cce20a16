"""fill --map and web-form exports (问卷星, 金数据, 腾讯问卷): 提交时间 and friends, numbered questions."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from conftest import check, invoke

SETS = ("--set", "渠道名称=网络表单", "--set", "报送日期=2026-11-27")
# the first columns as 问卷星 exports them, then the questions, numbered
WJX = ("序号,提交答卷时间,所用时间,来源,来源详情,来自IP,1、客户姓名,2、手机号码,3、意向楼盘,4、客户意向程度,5、备注\n"
       "1,2026/11/23 10:32:15,45秒,微信,N/A,113.62.1.1(西藏-拉萨),张三,13812345678,麓湖花园,A,周末看房\n"
       "2,2026/11/24 9:01:02,38秒,微信,N/A,113.62.1.2(西藏-拉萨),李四,139 1234 5678,天府云城,B,\n")


def export(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8-sig")
    return path


def rows_of(path: Path) -> list[dict]:
    report = check(path)
    assert report.findings == []
    return [r.values for r in report.tables["意向客户登记"].rows]


@pytest.mark.slow
def test_a_wjx_export_with_one_map(runner, tmp_path):
    out = tmp_path / "登记表.xlsx"
    result = invoke(runner, "fill", "register", "--from", export(tmp_path / "问卷.csv", WJX), "-o", out,
                    "--map", "客户意向程度=意向等级", *SETS)
    assert (result.exit_code, result.output.splitlines()) == (0, [
        "列对应：4、客户意向程度 → 意向等级；提交答卷时间 → 登记日期",
        "忽略未识别的列：「所用时间」「来源」「来源详情」「来自IP」",
        f"已写入 {out}：意向客户登记表「意向客户登记」2 行"])
    rows = rows_of(out)
    assert [(r["登记日期"], r["客户姓名"], r["联系电话"], r["意向楼盘"], r["意向等级"]) for r in rows] == [
        (dt.date(2026, 11, 23), "张三", "13812345678", "麓湖花园", "A"),
        (dt.date(2026, 11, 24), "李四", "13912345678", "天府云城", "B")]
    assert rows[0]["备注"] == "周末看房"


def test_without_the_map_the_missing_column_gets_a_hint(runner, tmp_path):
    out = tmp_path / "登记表.xlsx"
    result = invoke(runner, "fill", "register", "--from", export(tmp_path / "问卷.csv", WJX), "-o", out, *SETS)
    assert (result.exit_code, result.output.splitlines()) == (1, [
        "列对应：提交答卷时间 → 登记日期",
        "忽略未识别的列：「所用时间」「来源」「来源详情」「来自IP」「4、客户意向程度」",
        "提示：如果其中哪一列就是「意向等级」，用 --map 列名=意向等级 指定",
        "以下 2 行有错误，没有写入（行号为 问卷.csv 中的行）：",
        "  第1行  错误  缺少必需的列「意向等级」（也可写作：客户等级、等级、意向级别）；没有这一列，本表的数据行都无法接收",
        f"没有写入任何行（2 行有错误）；没有生成 {out}"])
    assert not out.exists()


@pytest.mark.slow
@pytest.mark.parametrize("header, mapped", [
    ("序号,提交时间,提交者,客户姓名,手机号码,意向等级", "提交时间 → 登记日期"),  # 金数据
    ("编号,开始答题时间,结束答题时间,答题时长,客户姓名,手机号码,意向等级", "结束答题时间 → 登记日期"),  # 腾讯问卷
    ("填写时间,姓名,手机,等级", "填写时间 → 登记日期"),
])
def test_the_submission_time_is_the_registration_date(runner, tmp_path, header, mapped):
    width = header.count(",") + 1
    values = {"序号": "1", "编号": "1", "提交时间": "2026-11-20 08:00:00", "开始答题时间": "2026-11-19 23:58:00",
              "结束答题时间": "2026-11-20 00:01:10", "填写时间": "2026年11月20日 08:00", "提交者": "王芳",
              "答题时长": "70秒", "客户姓名": "张三", "姓名": "张三", "手机号码": "13812345678", "手机": "13812345678",
              "意向等级": "A", "等级": "A"}
    line = ",".join(values[h] for h in header.split(","))
    assert line.count(",") + 1 == width
    out = tmp_path / "o.xlsx"
    result = invoke(runner, "fill", "register", "--from", export(tmp_path / "d.csv", f"{header}\n{line}\n"), "-o", out,
                    *SETS)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == f"列对应：{mapped}"
    assert rows_of(out)[0]["登记日期"] == dt.date(2026, 11, 20)
    if "提交者" in header:  # who submitted the form (often the channel's staff) is not the customer: ignored
        assert "忽略未识别的列：「提交者」" in result.output


@pytest.mark.slow
def test_a_real_registration_date_wins_over_the_submission_time(runner, tmp_path):
    data = export(tmp_path / "d.csv", "提交时间,登记日期,客户姓名,手机号码,意向等级\n"
                                      "2026-11-25 10:00,2026-11-03,张三,13812345678,A\n")
    out = tmp_path / "o.xlsx"
    result = invoke(runner, "fill", "register", "--from", data, "-o", out, *SETS)
    assert (result.exit_code, result.output.splitlines()) == (0, [
        "忽略未识别的列：「提交时间」", f"已写入 {out}：意向客户登记表「意向客户登记」1 行"])
    assert rows_of(out)[0]["登记日期"] == dt.date(2026, 11, 3)


@pytest.mark.slow
def test_map_in_json_data_and_over_an_alias(runner, tmp_path):
    data = tmp_path / "d.json"
    data.write_text(json.dumps([{"客户": "张三", "电话": "13812345678", "备用手机": "13912345678", "报名日期": "2026-11-05",
                                 "级别": "b"}], ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "o.xlsx"
    result = invoke(runner, "fill", "register", "--from", data, "-o", out, "--map", "报名日期=登记日期",
                    "--map", "级别=意向等级", *SETS)
    assert result.exit_code == 0, result.output
    assert [(r["登记日期"], r["联系电话"], r["意向等级"]) for r in rows_of(out)] == [
        (dt.date(2026, 11, 5), "13812345678", "B")]


@pytest.mark.parametrize("maps, message", [
    (("提交者=跟进人",), "--map：数据里没有「提交者」这一列；数据的表头：「序号」「提交答卷时间」「所用时间」「来源」「来源详情」"
                       "「来自IP」「1、客户姓名」「2、手机号码」「3、意向楼盘」「4、客户意向程度」「5、备注」"),
    (("来源=渠道",), "--map 来源=渠道：「渠道」不是意向客户登记表的列；可用：登记日期、客户姓名、联系电话、性别、常住城市、意向楼盘、"
                    "意向面积(㎡)、预算(万元)、购房目的、意向等级、到访日期、成交日期、成交楼盘、成交金额(万元)、渠道名称、渠道类型、"
                    "所属分所、跟进人、备注"),
    (("来源",), "--map 应写成 源列=目标列，例如 --map 提交时间=登记日期（当前为 '来源'）"),
    (("来源=",), "--map 应写成 源列=目标列，例如 --map 提交时间=登记日期（当前为 '来源='）"),
])
def test_map_mistakes_stop_before_anything_is_written(runner, tmp_path, maps, message):
    out = tmp_path / "o.xlsx"
    args = [a for m in maps for a in ("--map", m)]
    result = invoke(runner, "fill", "register", "--from", export(tmp_path / "问卷.csv", WJX), "-o", out, *args, *SETS)
    assert (result.exit_code, result.output) == (2, f"错误：{message}\n")
    assert not out.exists()


def test_question_numbers_are_not_stripped_from_headers_that_mean_nothing(tmp_path):
    from qudao.jobs.fill import Mapping
    from qudao.schema import get_kind

    rows = [["1、客户姓名", "Q2.手机号码", "第3题 意向等级", "4、您的爱好", "2026年计划", "10月到访"]]
    mapping = Mapping(get_kind("register"))
    mapping.apply(rows)
    assert rows == [["客户姓名", "联系电话", "意向等级", "4、您的爱好", "2026年计划", "10月到访"]]
    assert mapping.applied == []  # numbered questions are not worth a line; --map and web-form columns are
