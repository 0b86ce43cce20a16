"""Normalisers over tables of what people really type."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qudao.normalize import (
    BadValue,
    group_account,
    header_key,
    mask_phone,
    match_enum,
    parse_account,
    parse_date,
    parse_int,
    parse_money,
    parse_number,
    parse_percent,
    parse_phone,
    to_text,
)

D = dt.date(2026, 11, 3)


@pytest.mark.parametrize("raw, expected", [
    (dt.date(2026, 11, 3), D),
    (dt.datetime(2026, 11, 3, 14, 20), D),
    (46329, D),  # Excel serial
    (46329.0, D),
    (46329.75, D),  # serial with a time of day
    ("46329", D),
    (20261103, D),
    (20261103.0, D),
    ("20261103", D),
    ("2026-11-03", D),
    ("2026-11-3", D),
    ("2026/11/3", D),
    ("2026/11/03", D),
    ("2026.11.3", D),
    ("2026年11月3日", D),
    ("2026年11月03日", D),
    ("2026年11月3号", D),
    ("2026 年 11 月 3 日", D),
    ("２０２６－１１－０３", D),  # full-width
    ("2026-11-03 00:00:00", D),
    ("2026/11/3 9:30", D),
    ("2026-11-03T08:00:00", D),
    ("  2026-11-03  ", D),
])
def test_dates(raw, expected):
    assert parse_date(raw) == (expected, False)


@pytest.mark.parametrize("raw, hint, expected", [
    ("11月3日", 2026, D),
    ("11 月 3 日", 2026, D),
    ("１１月３日", 2026, D),
    ("1月5日", 2027, dt.date(2027, 1, 5)),
    ("11月3号", 2026, D),
])
def test_dates_without_year_take_the_hint(raw, hint, expected):
    assert parse_date(raw, hint) == (expected, True)


@pytest.mark.parametrize("raw, code", [
    ("十一月三日", "value.type"),  # written as words
    ("下周一", "value.type"),
    ("明天", "value.type"),
    ("2026-13-01", "value.type"),
    ("2026-02-30", "value.type"),
    ("11/3", "value.type"),
    ("待定", "value.type"),
    (True, "value.type"),
    (dt.time(9, 30), "value.type"),
    (5, "value.range"),  # serial 5 is 1900-01-04
    ("1899-12-31", "value.range"),
    ("3026-11-03", "value.range"),
    (-3, "value.type"),
])
def test_bad_dates(raw, code):
    with pytest.raises(BadValue) as exc:
        parse_date(raw, 2026)
    assert exc.value.code == code
    assert exc.value.message  # a Chinese sentence, not empty


def test_month_day_without_any_year_is_an_error():
    with pytest.raises(BadValue) as exc:
        parse_date("11月3日")
    assert "年份" in exc.value.message


P = "13812345678"


@pytest.mark.parametrize("raw", [
    "13812345678", 13812345678, 13812345678.0, "13812345678.0", "1.3812345678E10", "1.3812345678e+10",
    "138 1234 5678", "138-1234-5678", "+86 13812345678", "+8613812345678", "86 138 1234 5678", "0086-13812345678",
    "１３８１２３４５６７８", "(+86)138-1234-5678", " 13812345678 ", "013812345678",
])
def test_phones(raw):
    assert parse_phone(raw) == (P, False)


@pytest.mark.parametrize("raw, expected", [
    ("138****5678", "138****5678"),
    ("138＊＊＊＊5678", "138****5678"),
    ("138xxxx5678", "138****5678"),
    ("138 **** 5678", "138****5678"),
])
def test_masked_phones(raw, expected):
    assert parse_phone(raw) == (expected, True)


@pytest.mark.parametrize("raw", [
    "1381234", "1304097703", "23812345678", "12812345678", "138123456789", "0891-6831234", "138****567",
    "abc", 1381234567.5, True, "13812345678/13912345678", "",
])
def test_bad_phones(raw):
    with pytest.raises(BadValue) as exc:
        parse_phone(raw)
    assert exc.value.code == "phone.format"


@pytest.mark.slow
@given(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True))
def test_every_mobile_survives_every_disguise(phone):
    disguises = [phone, int(phone), float(phone), f"{phone[:3]} {phone[3:7]} {phone[7:]}", f"+86{phone}",
                 phone.translate(str.maketrans("0123456789", "０１２３４５６７８９")), f"{float(phone):.10E}"]
    for raw in disguises:
        assert parse_phone(raw) == (phone, False), raw
    assert parse_phone(mask_phone(phone)) == (mask_phone(phone), True)


def test_bank_account_numbers_keep_their_digits():
    assert parse_account("6228 4801 2345 6789 012") == "6228480123456789012"
    assert parse_account("６２２８-４８０１-２３４５-６７８９") == "6228480123456789"
    assert parse_account(123456789012345.0) == "123456789012345"  # 15 digits survive as a number
    assert parse_account("123456789012345.0") == "123456789012345"
    for lost in (6228480123456789012.0, 1234567890123456, "6.22848012345679E+18", "6228480123456789012.0"):
        with pytest.raises(BadValue, match="Excel 只保留 15 位有效数字"):
            parse_account(lost)
    for wrong in ("1234567", "6228 4801 abcd", True, 1.5):
        with pytest.raises(BadValue, match="应为 8–32 位数字的银行账号"):
            parse_account(wrong)
    assert group_account("6228480123456789012") == "6228 4801 2345 6789 012"


@given(st.text(alphabet="0123456789", min_size=8, max_size=32), st.sampled_from(["", " ", "-", "　"]))
def test_every_account_written_as_text_keeps_its_digits(digits, sep):
    grouped = sep.join(digits[i:i + 4] for i in range(0, len(digits), 4))
    assert parse_account(grouped) == digits


@pytest.mark.parametrize("raw, expected", [
    ("序号", "序号"), (" 登记日期 ", "登记日期"), ("预算（万元）", "预算"), ("预算(万元)", "预算"), ("预算 ( 万元 )", "预算"),
    ("意向面积(㎡)", "意向面积"), ("意向面积（㎡）", "意向面积"), ("成交金额【万元】", "成交金额"), ("渠道名称：", "渠道名称"),
    ("渠道名称:", "渠道名称"), ("客 户 姓 名", "客户姓名"), ("完成度(%)", "完成度"), ("ＡＢＣ", "abc"), (None, ""),
    (123, "123"), ("*客户姓名", "客户姓名"), ("客户姓名*", "客户姓名"), ("★联系电话（必填）", "联系电话"),
    ("客户姓名*（必填）", "客户姓名"), ("登记\n日期", "登记日期"),
])
def test_header_keys(raw, expected):
    assert header_key(raw) == expected


@pytest.mark.parametrize("raw, allowed, expected", [
    ("A", ("A", "B", "C", "D"), "A"), ("a", ("A", "B", "C", "D"), "A"), ("Ａ", ("A", "B", "C", "D"), "A"),
    ("A级", ("A", "B", "C", "D"), "A"), (" B ", ("A", "B", "C", "D"), "B"), ("男", ("男", "女"), "男"),
    ("物业", ("分支机构", "物业"), "物业"), ("子女 教育", ("自住", "子女教育"), "子女教育"),
    ("A(热)", ("A", "B", "C", "D"), "A"), ("B级（温）", ("A", "B", "C", "D"), "B"), ("自住（首套）", ("自住", "投资"), "自住"),
])
def test_enums(raw, allowed, expected):
    assert match_enum(raw, allowed) == expected


def test_enum_synonyms_and_errors():
    assert match_enum("男性", ("男", "女"), {"男性": "男"}) == "男"
    with pytest.raises(BadValue) as exc:
        match_enum("E", ("A", "B", "C", "D"))
    assert exc.value.code == "value.enum" and "A、B、C、D" in exc.value.message


@pytest.mark.parametrize("raw, expected", [
    (120, 120.0), ("120", 120.0), ("1,200.5", 1200.5), ("120万", 120.0), ("120 万元", 120.0), ("95㎡", 95.0),
    ("95平米", 95.0), ("１２０", 120.0), (" 80.5 ", 80.5),
])
def test_numbers(raw, expected):
    assert parse_number(raw) == expected


@pytest.mark.parametrize("raw, wan, expected", [
    (150, 150.0, 150.0), ("150", 150.0, 150.0), ("150万", 150.0, 1_500_000.0), ("150万元整", 150.0, 1_500_000.0),
    ("150w", 150.0, 1_500_000.0), ("￥150万", 150.0, 1_500_000.0), ("1,500,000元", 150.0, 1_500_000.0),
    ("200元", 0.02, 200.0), ("1,200.5", 1200.5, 1200.5),
])
def test_money_in_the_columns_unit(raw, wan, expected):
    """A 万元 column never takes an amount written in 元 as 万元 (a 10,000× commission), nor the reverse."""
    assert parse_money(raw) == wan
    assert parse_money(raw, wan=False) == expected


@pytest.mark.parametrize("raw", ["abc", "一百", True, dt.date(2026, 1, 1), "nan", "inf"])
def test_bad_numbers(raw):
    with pytest.raises(BadValue):
        parse_number(raw)


def test_ints_and_percents():
    assert parse_int("12") == 12 and parse_int(12.0) == 12
    with pytest.raises(BadValue):
        parse_int(12.5)
    assert parse_percent("35%") == 35.0 and parse_percent(1.5) == 1.5 and parse_percent("１．５％") == 1.5


@pytest.mark.parametrize("raw, expected", [
    (5.0, "5"), (5.25, "5.25"), ("  x ", "x"), (None, ""), (dt.date(2026, 1, 2), "2026-01-02"),
    (dt.datetime(2026, 1, 2), "2026-01-02"), (True, "是"),
])
def test_to_text(raw, expected):
    assert to_text(raw) == expected
