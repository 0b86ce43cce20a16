"""Every --set value and date option goes through the type a cell has: impossible or badly written, exit 2."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import ROOT, invoke

from qudao.errors import UsageError
from qudao.schema import get_kind
from qudao.schema.model import Field

DATE_FORMATS = "应为日期，如 2026-11-03、2026/11/3、2026年11月3日"


@pytest.mark.parametrize("args, message", [
    (("new", "register", "--set", "报送日期=2026/13/45"), "--set 报送日期「2026/13/45」不是有效的日期（2026年13月45日不存在）"),
    (("new", "register", "--set", "报送日期=2026-02-29"), "--set 报送日期「2026-02-29」不是有效的日期（2026年2月29日不存在）"),
    (("new", "register", "--set", "报送日期=明天"), f"--set 报送日期「明天」格式不对：{DATE_FORMATS}"),
    (("new", "register", "--set", "报送日期=1850-01-01"), "--set 报送日期「1850-01-01」日期不合理（1850-01-01），请核对年份"),
    (("new", "register", "--set", "联系电话=12345"),
     "--set 联系电话「12345」格式不对：联系电话应为11位手机号（或前三后四隐号，如138****5678）"),
    (("new", "register", "--set", "渠道类型=物业公司"),
     "--set 渠道类型「物业公司」不是可选的值：应为以下之一：分支机构、物业、协会商会、关联单位、二手中介、旅行社"),
    (("new", "feedback", "--set", "周次=第48周"), "--set 周次「第48周」格式不对：应为周次，如 2026-W48"),
    (("new-plan", "--type", "西藏本地", "--branch", "拉萨分所", "--city", "拉萨", "--start", "2026/13/45"),
     "--start「2026/13/45」不是有效的日期（2026年13月45日不存在）"),
    (("new-plan", "--type", "西藏本地", "--branch", "拉萨分所", "--city", "拉萨", "--start", "下周一"),
     f"--start「下周一」格式不对：{DATE_FORMATS}"),
    (("summarize", ROOT / "samples", "--from", "2026-11-31"), "--from「2026-11-31」不是有效的日期（2026年11月31日不存在）"),
    (("validate", ROOT / "samples", "--as-of", "tomorrow"), f"--as-of「tomorrow」格式不对：{DATE_FORMATS}"),
    (("fill", "register", "--from", ROOT / "README.md", "-o", "x.xlsx", "--set", "报送日期=2026.13.1"),
     "--set 报送日期「2026.13.1」不是有效的日期（2026年13月1日不存在）"),
])
def test_bad_values_stop_with_a_message(runner, tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    result = invoke(runner, *args)
    assert (result.exit_code, result.output) == (2, f"错误：{message}\n")
    assert list(tmp_path.iterdir()) == []  # nothing written


def test_the_date_example_is_a_fixed_day_not_today():
    assert "2026-11-03" in DATE_FORMATS and dt.date.today().isoformat() not in DATE_FORMATS.replace("2026-11-03", "")


@pytest.mark.parametrize("raw, typed", [
    ("2026/11/27", dt.date(2026, 11, 27)), ("2026年11月27日", dt.date(2026, 11, 27)), ("20261127", dt.date(2026, 11, 27)),
    ("2026-11-27 09:30", dt.date(2026, 11, 27)),
])
def test_options_take_every_date_a_cell_may_hold(raw, typed):
    assert Field("报送日期", type="date").datatype.option(raw, "--set 报送日期") == typed


def test_set_values_are_typed_like_cells():
    from qudao.write.workbook import resolve_set

    values = resolve_set(get_kind("register"), {"报送日期": "2026年11月27号", "联系电话": "+86 139-0000-0000",
                                                "渠道类型": "物业类", "渠道名称": " 拉萨雪域物业 "})
    assert values == {"报送日期": dt.date(2026, 11, 27), "联系电话": "13900000000", "渠道类型": "物业",
                      "渠道名称": "拉萨雪域物业"}
    with pytest.raises(UsageError):
        resolve_set(get_kind("register"), {"报送日期": "11/27"})  # day and month order is a guess: refused
