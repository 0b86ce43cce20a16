"""File names built from cells (qudao.filenames): one function for 分所/, 对账单/, 待办/ and agreements."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qudao.filenames import MARK, NAME_MAX, NameTooLong, clean, fan_out, fingerprint, stem, verbatim


def test_a_safe_name_stays_as_it_is():
    assert stem("拉萨雪域物业", "对账单-", "-2026-W48") == "对账单-拉萨雪域物业-2026-W48"
    assert stem("QD-9", "渠道合作协议-") == "渠道合作协议-QD-9"
    assert stem("（未填）", "待办-") == "待办-（未填）" and stem("自然到访", "待办-") == "待办-自然到访"  # qudao's labels
    assert stem("HB地产", "x-") == "x-HB地产"  # upper case is the canonical form


@pytest.mark.parametrize("name, shown", [
    ("../../etc/passwd", "_.._etc_passwd"),
    ('雪域:物业*"A"\n<1>|', "雪域_物业__A___1__"),
    ("拉萨/分所", "拉萨_分所"), ("拉萨:分所", "拉萨_分所"),
    ("...", "未命名"), (" . ", "未命名"), ("", "未命名"),
    ("CON", "CON"), ("nul", "nul"),
    ("abc物业", "abc物业"),  # lower case: may clash with ABC物业 on a case-insensitive share
    ("雪域\u202e物业", "雪域_物业"),  # a bidi override
    ("e\u0301", "e\u0301"),  # not NFC
    ("甲~乙", "甲_乙"),  # the mark itself
])
def test_a_changed_name_carries_the_fingerprint_of_the_full_name(name, shown):
    assert stem(name) == f"{shown}{MARK}{fingerprint(name)}"


def test_names_that_differ_never_share_a_file_name_even_ignoring_case():
    names = ["拉萨/分所", "拉萨:分所", "拉萨_分所", "...", " . ", "未命名", "ABC", "abc", "Abc", "CON", "con",
             "（未填）", "自然到访", "e\u0301", "\u00e9", "\u00c9"]
    stems = [stem(n, "汇总-2026-W48-") for n in names]
    folded = {unicodedata.normalize("NFC", s).casefold() for s in stems}
    assert len(folded) == len(names)
    assert stem("拉萨_分所") == "拉萨_分所"  # the verbatim one is the plain one


def test_the_same_name_gives_the_same_file_name_whatever_else_exists():
    alone = fan_out(["雪域物业"], lambda c: stem(c, "对账单-", "-W48"))
    crowded = fan_out(["雪域物业!", "雪域物业", "雪域物业?", "雪域物业*"], lambda c: stem(c, "对账单-", "-W48"))
    assert alone.stems["雪域物业"] == crowded.stems["雪域物业"] == "对账单-雪域物业-W48"
    assert len(set(crowded.stems.values())) == 4


def test_a_long_name_is_cut_by_bytes_with_its_fingerprint():
    cjk = "很长的分所名称" * 20  # 140 characters, 420 bytes
    made = stem(cjk, "汇总-2026-W48-", "", (".xlsx", ".html", ".png"))
    assert len((made + ".xlsx").encode()) <= NAME_MAX and made.endswith(MARK + fingerprint(cjk))
    four = "\U0001f600" * 61  # 244 bytes of four-byte characters
    made = stem(four, "对账单-", "-2026-W48", (".xlsx", ".html"))
    assert len((made + ".html").encode()) <= NAME_MAX
    made.encode("utf-8")  # never half a character
    assert stem(cjk[:-1]) != stem(cjk)  # the fingerprint is of the full name
    with pytest.raises(NameTooLong):
        stem("甲", "长" * 85)


def test_fan_out_caps_in_the_order_given_and_reports_clashes():
    plan = fan_out(["c", "b", "a", "d"], str.upper, cap=2)
    assert plan.stems == {"c": "C", "b": "B"} and plan.over_cap == ["a", "d"]
    clash = fan_out(["x", "X"], lambda n: "same")
    assert clash.stems == {"x": "same"} and clash.clashes == [("X", "x")]


@given(st.text(max_size=300))
def test_any_text_becomes_a_name_every_file_system_takes(name):
    made = stem(name, "对账单-", "-2026-W48", (".xlsx", ".html"))
    assert 0 < len((made + ".xlsx").encode("utf-8", "surrogatepass")) <= NAME_MAX
    plain = made.replace(MARK, "_")
    assert clean(plain) == plain and made.count(MARK) <= 1  # only the mark is a character clean() takes out
    assert verbatim(name) == (made == f"对账单-{name}-2026-W48")
