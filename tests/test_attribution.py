"""Attribution on small hand-made timelines (rules.md → Customers, channels and attribution)."""

from __future__ import annotations

import datetime as dt

from qudao.analysis.attribution import (
    AFTER_VISIT,
    EXPIRED,
    LOST,
    OWNER,
    SUPERSEDED,
    Submission,
    attribute,
)

P = ("phone", "13812345678")
Q = ("phone", "13912345678")
D0 = dt.date(2026, 10, 1)


def day(n: int) -> dt.date:
    return D0 + dt.timedelta(days=n)


_order = [0]


def sub(channel, reg, visit=None, deal=None, amount=None, customer=P, name="张三", report=None):
    _order[0] += 1
    return Submission(channel=channel, customer=customer, name=name, registered=day(reg),
                      visit=day(visit) if visit is not None else None, deal=day(deal) if deal is not None else None,
                      deal_amount=amount, deal_property="麓湖花园" if deal is not None else None,
                      recency=(day(report) if report is not None else dt.date.min, _order[0], 1))


def owner_of(att, customer=P):
    cust = next(c for c in att.customers if c.key == customer)
    return cust.owner.channel if cust.owner else ("自然到访" if cust.natural else None)


def statuses(att):
    return {(r.channel, r.customer[1][-4:]): r.status for r in att.registrations}


def pairs(att):
    return [(c.winner, c.loser) for c in att.conflicts]


def test_1_single_registration_owns():
    att = attribute([sub("甲", 0)])
    assert owner_of(att) == "甲" and att.conflicts == []


def test_2_second_channel_inside_window_is_a_conflict():
    att = attribute([sub("甲", 0), sub("乙", 10)])
    assert owner_of(att) == "甲" and pairs(att) == [("甲", "乙")]


def test_3_tie_on_the_same_day_goes_to_code_point_order():
    # "乙" (U+4E59) < "甲" (U+7532): plain string comparison, not pinyin
    att = attribute([sub("甲", 5), sub("乙", 5)])
    assert owner_of(att) == "乙" and pairs(att) == [("乙", "甲")]


def test_4_registration_on_the_last_protected_day_is_a_conflict():
    att = attribute([sub("甲", 0), sub("乙", 30)])
    assert owner_of(att) == "甲" and pairs(att) == [("甲", "乙")]


def test_5_takeover_the_day_after_the_window_ends():
    att = attribute([sub("甲", 0), sub("乙", 31)])
    assert owner_of(att) == "乙" and att.conflicts == []
    assert statuses(att) == {("甲", "5678"): SUPERSEDED, ("乙", "5678"): OWNER}


def test_6_visit_on_the_last_protected_day_belongs_to_the_owner():
    att = attribute([sub("甲", 0, visit=30)])
    assert owner_of(att) == "甲"


def test_7_visit_the_day_after_the_window_is_a_natural_visit():
    att = attribute([sub("甲", 0, visit=31)])
    assert owner_of(att) == "自然到访"
    assert statuses(att) == {("甲", "5678"): EXPIRED}


def test_8_visit_recorded_only_by_the_losing_channel_still_decides():
    att = attribute([sub("甲", 0), sub("乙", 5, visit=12)])
    cust = att.customers[0]
    assert cust.visit == day(12) and owner_of(att) == "甲" and pairs(att) == [("甲", "乙")]


def test_9_registrations_after_the_first_visit_never_own_and_are_not_conflicts():
    att = attribute([sub("甲", 0, visit=3), sub("乙", 4)])
    assert owner_of(att) == "甲" and att.conflicts == []
    assert statuses(att)[("乙", "5678")] == AFTER_VISIT


def test_10_registration_on_the_visit_day_takes_part():
    att = attribute([sub("甲", 0), sub("乙", 40, visit=40)])
    assert owner_of(att) == "乙"


def test_11_three_channels_conflict_then_takeover():
    att = attribute([sub("甲", 0), sub("乙", 10), sub("丙", 31), sub("丁", 40)])
    assert owner_of(att) == "丙"
    assert pairs(att) == [("甲", "乙"), ("丙", "丁")]


def test_12_not_visited_belongs_to_the_last_owner_even_expired():
    att = attribute([sub("甲", 0), sub("乙", 100)])
    assert owner_of(att) == "乙"


def test_13_same_channel_resubmissions_merge_earliest_date_current_copy_visit():
    att = attribute([sub("甲", 3, report=7), sub("甲", 1, report=14), sub("甲", 1, visit=20, report=21),
                     sub("甲", 1, visit=20, report=28)])
    (reg,) = att.registrations
    assert reg.registered == day(1) and reg.visit == day(20) and len(reg.submissions) == 4
    assert att.conflicts == []


def test_13b_the_current_copy_decides_a_visit_it_no_longer_holds_is_withdrawn():
    # issue 22 rule 1: the copy of day 28 no longer has the visit of day 20 (到访取消), nor the deal
    att = attribute([sub("甲", 1, report=14), sub("甲", 1, visit=20, deal=22, amount=100, report=21),
                     sub("甲", 1, report=28)])
    (reg,) = att.registrations
    assert (reg.visit, reg.deal, reg.deal_amount) == (None, None, None)
    # two rows of the current copy: the most recent that has the visit
    att = attribute([sub("甲", 1, visit=20, report=28), sub("甲", 1, report=28)])
    assert att.registrations[0].visit == day(20)


def test_14_masked_phone_is_never_merged_but_listed_as_possible():
    masked = ("masked", "138****5678", "张三")
    att = attribute([sub("甲", 0), sub("乙", 3, customer=masked)])
    assert len(att.customers) == 2 and att.conflicts == []
    (possible,) = att.possible
    assert (possible.winner, possible.loser, possible.status) == ("甲", "乙", "possible")


def test_15_masked_phone_with_a_different_surname_is_not_possible():
    att = attribute([sub("甲", 0), sub("乙", 3, customer=("masked", "138****5678", "李四"), name="李四")])
    assert att.possible == []


def test_16_deal_recorded_by_another_channel_is_credited_to_the_owner():
    att = attribute([sub("甲", 0, visit=5), sub("乙", 2, visit=5, deal=9, amount=120.0)])
    cust = att.customers[0]
    assert owner_of(att) == "甲" and cust.deal == day(9) and cust.deal_amount == 120.0


def test_17_per_channel_protection_days_from_an_agreement():
    att = attribute([sub("甲", 0), sub("乙", 20)], protection_days=30, channel_days={"甲": 15})
    assert owner_of(att) == "乙" and att.conflicts == []


def test_18_different_customers_are_independent():
    att = attribute([sub("甲", 0), sub("乙", 1, customer=Q, name="李四")])
    assert owner_of(att, P) == "甲" and owner_of(att, Q) == "乙" and att.conflicts == []


def test_19_a_lost_registration_does_not_start_a_window():
    # 乙 loses on day 25; 丙 on day 40 is after 甲's window (day 30) and takes over — 乙 never owned
    att = attribute([sub("甲", 0), sub("乙", 25), sub("丙", 40)])
    assert owner_of(att) == "丙" and pairs(att) == [("甲", "乙")]
    assert statuses(att)[("乙", "5678")] == LOST


def test_20_protection_days_setting():
    assert owner_of(attribute([sub("甲", 0), sub("乙", 10)], protection_days=7)) == "乙"


def test_21_the_outcome_does_not_depend_on_input_order():
    subs = [sub("丙", 2), sub("甲", 0), sub("乙", 0), sub("丁", 33, customer=Q)]
    a = attribute(subs)
    b = attribute(list(reversed(subs)))
    assert sorted(pairs(a)) == sorted(pairs(b)) == [("乙", "丙"), ("乙", "甲")]
    assert sorted((c.key, c.owner.channel) for c in a.customers) == sorted((c.key, c.owner.channel) for c in b.customers)


# --------------------------------------------------------------------------- rule 1: the current copy decides


def copy_rows(channel, report, phones, series="register|甲", rejected=()):
    """One copy: a registration (day 1) per phone, dated ``report``."""
    out = []
    for n, phone in enumerate(phones):
        s = sub(channel, 1, customer=("phone", phone), name=f"客{phone[-2:]}", report=report)
        s.series = series
        out.append(s)
    return out


PHONES = [f"138000000{n:02d}" for n in range(10)]


def test_rule1_a_cumulative_series_withdraws_what_the_current_copy_no_longer_holds():
    from qudao.analysis.attribution import current_rows

    subs = copy_rows("甲", 7, PHONES[:6]) + copy_rows("甲", 14, PHONES[:6]) + copy_rows("甲", 21, PHONES[1:6])
    cur = current_rows(subs)
    assert sorted({s.customer[1] for s in cur.submissions}) == PHONES[1:6]
    (w,) = cur.withdrawn
    assert (w.channel, w.customer, w.copy, w.last.recency[0]) == ("甲", ("phone", PHONES[0]), day(21), day(14))
    assert cur.partial == []
    # the next copy lacks it too: old news, not withdrawn again
    cur = current_rows(subs + copy_rows("甲", 28, PHONES[1:6]))
    assert cur.withdrawn == [] and len({s.customer for s in cur.submissions}) == 5


def test_rule1_a_partial_copy_keeps_the_earlier_rows():
    from qudao.analysis.attribution import current_rows

    subs = copy_rows("甲", 7, PHONES[:8]) + copy_rows("甲", 14, PHONES[:3])  # 3 < 8 / 2
    cur = current_rows(subs)
    assert len({s.customer for s in cur.submissions}) == 8 and cur.withdrawn == []
    (p,) = cur.partial
    assert (p.channel, p.held, p.previous, p.copy) == ("甲", 3, 8, day(14))
    # exactly half is not partial: the rows it lacks are withdrawn
    cur = current_rows(copy_rows("甲", 7, PHONES[:8]) + copy_rows("甲", 14, PHONES[:4]))
    assert len(cur.withdrawn) == 4 and cur.partial == []


def test_rule1_an_incremental_series_counts_every_copy():
    from qudao.analysis.attribution import current_rows

    subs = copy_rows("甲", 7, PHONES[:3]) + copy_rows("甲", 14, PHONES[3:6]) + copy_rows("甲", 21, PHONES[6:7])
    cur = current_rows(subs)
    assert len({s.customer for s in cur.submissions}) == 7 and cur.withdrawn == [] and cur.partial == []


def test_rule1_several_files_of_one_week_are_one_copy_and_series_are_separate():
    from qudao.analysis.attribution import current_rows

    week1 = copy_rows("甲", 7, PHONES[:6])
    week2 = copy_rows("甲", 14, PHONES[:3]) + copy_rows("甲", 14, PHONES[3:6])  # two files, same date
    other = copy_rows("甲", 21, PHONES[8:9], series="register|绵阳分所/汇总")  # another series of the channel
    cur = current_rows(week1 + week2 + other)
    assert len({s.customer for s in cur.submissions}) == 7 and cur.withdrawn == [] and cur.partial == []


def test_rule1_a_rejected_row_still_holds_its_registration():
    from qudao.analysis.attribution import Held, current_rows

    subs = copy_rows("甲", 7, PHONES[:6]) + copy_rows("甲", 14, PHONES[1:6])
    by_phone = Held("甲", "register|甲", day(14), ("phone", PHONES[0]), "客00")
    by_name = Held("甲", "register|甲", day(14), None, "客00")  # the phone cell itself was bad
    for held in (by_phone, by_name):
        cur = current_rows(subs, [held])
        assert cur.withdrawn == [] and len({s.customer for s in cur.submissions}) == 6
    # its values stay those of the last copy where the row was accepted
    visited = copy_rows("甲", 7, PHONES[:2])
    visited[0].visit = day(5)
    att = attribute(current_rows(visited + copy_rows("甲", 14, PHONES[1:2]), [by_phone]).submissions)
    assert {r.customer[1]: r.visit for r in att.registrations}[PHONES[0]] == day(5)
