"""Issue 24 item 3: the 异常监控 — every rule fires on a crafted case and stays silent on its normal twin; a
checked item does not come back; 补登 over copies (copy dates, or received dates when the record has them)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from conftest import ROOT, make_register

from issue14_inbox import book

D = dt.date
SENT = D(2026, 11, 27)
HEADER = ["序号", "登记日期", "客户姓名", "联系电话", "常住城市", "意向楼盘", "意向等级", "到访日期", "成交日期", "成交楼盘",
          "成交金额(万元)"]
AGREEMENTS = ["协议编号", "渠道名称", "合作区域", "合作楼盘", "生效日期", "到期日期", "状态"]


def register(inbox, channel: str, rows: list[tuple], sent: dt.date = SENT, tag: str = "2026W48"):
    (inbox / "分所").mkdir(parents=True, exist_ok=True)
    defaults = (None, None, None, "拉萨", "麓湖花园", "B")  # 城市, 意向楼盘 and 意向等级 when a case does not say
    lines = [[n, *row, *defaults[len(row):]] + [None] * (len(HEADER) - 1 - max(len(row), len(defaults)))
             for n, row in enumerate(rows, start=1)]
    make_register(inbox / "分所" / f"{channel}-{tag}.xlsx", lines, header=HEADER,
                  block={"渠道名称": channel, "报送日期": sent})


def agreements(inbox, rows: list[tuple]):
    book(inbox / "总部" / "协议台账.xlsx", [("协议台账", "渠道合作协议台账", {}, AGREEMENTS,
                                           [(f"QD-{k}", *row, D(2026, 1, 1), D(2027, 12, 31), "有效")
                                            for k, row in enumerate(rows, start=1)])])


def watch(inbox, **settings):
    from qudao.check.engine import collect
    from qudao.config import Settings
    from qudao.jobs.summarize import run_summary

    result = run_summary(collect([inbox]), Settings(**settings), as_of=SENT, workers=1)
    section = result.summary.kinds.get("anomaly")
    return result, (section.data["items"] if section else [])


def by_code(items) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for item in items:
        out.setdefault(item["code"], []).append(item)
    return out


def phone(n: int) -> str:
    return f"1{(3, 5, 8, 7)[n % 4]}{(n * 7919) % 10**9:09d}"  # far apart: never in sequence


def test_property_and_region_outside_the_agreement(tmp_path):
    inbox = tmp_path / "inbox"
    agreements(inbox, [("甲物业", "拉萨市", "麓湖花园、天府云城"), ("乙商会", "川西", "麓湖花园"), ("丙旅行社", "全国", "全部楼盘")])
    rows = [(D(2026, 11, 2), "张三", phone(1), "拉萨", "麓湖花园（二期）"), (D(2026, 11, 3), "李四", phone(2), "成都", "青城山居"),
            (D(2026, 11, 4), "王五", phone(3), "日喀则", "青城山居"), (D(2026, 11, 5), "赵六", phone(4), "城关", "天府云城")]
    register(inbox, "甲物业", rows)
    register(inbox, "乙商会", [(D(2026, 11, 2), "钱七", phone(5), "北京", "麓湖花园")])  # 川西: not a place qudao knows
    register(inbox, "丙旅行社", [(D(2026, 11, 2), "孙八", phone(6), "上海", "兴隆湖畔")])  # no limit
    result, items = watch(inbox)
    found = by_code(items)
    assert [(i["channel"], i["subject"], len(i["rows"])) for i in found["anomaly.property_outside"]] == [("甲物业", "青城山居", 2)]
    assert sorted((i["subject"], len(i["rows"])) for i in found["anomaly.region_outside"]) == [("成都", 1), ("日喀则", 1)]
    assert "协议 QD-1 的合作区域（拉萨市）" in found["anomaly.region_outside"][0]["reason"]
    assert set(found) == {"anomaly.property_outside", "anomaly.region_outside"}
    # a region name of qudao.toml makes 川西 a place: 北京 is outside it
    _, items = watch(inbox, anomaly_regions={"川西": ["甘孜", "阿坝"]})
    assert [i["channel"] for i in by_code(items)["anomaly.region_outside"]] == ["乙商会", "甲物业", "甲物业"]


def test_bulk_sequence_pattern_and_one_name_many_phones(tmp_path):
    inbox = tmp_path / "inbox"
    day = D(2026, 11, 21)
    bulk = [(day, f"客{k}", f"139089123{k:02d}") for k in range(1, 16)]  # 15 on one day, in sequence
    twin = [(D(2026, 11, 20), f"户{k}", phone(100 + k)) for k in range(14)]  # 14 on one day, far apart
    odd = [(D(2026, 11, 3), "周九", "13888888888"), (D(2026, 11, 3), "吴十", "13912341234"),
           (D(2026, 11, 3), "郑一", "13812345678"), (D(2026, 11, 3), "冯二", "13907314592")]
    names = [(D(2026, 11, 5 + k), "张伟", phone(200 + k)) for k in range(3)]
    register(inbox, "甲物业", bulk + twin + odd + names)
    register(inbox, "乙商会", [(D(2026, 11, 5 + k), "李娜", phone(300 + k)) for k in range(2)]  # two phones: not yet
             + [(D(2026, 11, 9), f"顾{k}", f"1370981{k * 7 + 2:04d}") for k in range(3)])  # 3 in sequence: under 4
    _, items = watch(inbox)
    found = by_code(items)
    assert [(i["subject"], len(i["rows"])) for i in found["anomaly.bulk_day"]] == [("2026-11-21", 15)]
    assert [(i["subject"], len(i["rows"])) for i in found["anomaly.phone_sequence"]] == [("139****2301 … 139****2315", 15)]
    assert sorted(i["subject"] for i in found["anomaly.phone_pattern"]) == [
        "吴十 139****1234", "周九 138****8888", "郑一 138****5678"]
    assert [(i["channel"], i["subject"], len(i["rows"])) for i in found["anomaly.name_phones"]] == [("甲物业", "张伟", 3)]
    assert set(found) == {"anomaly.bulk_day", "anomaly.phone_sequence", "anomaly.phone_pattern", "anomaly.name_phones"}
    _, items = watch(inbox, anomaly_bulk_day=16, anomaly_off=["sequence", "pattern"])
    assert set(by_code(items)) == {"anomaly.name_phones"}


def test_after_visit_loss_share_and_price_band(tmp_path):
    inbox = tmp_path / "inbox"
    shared = [phone(400 + k) for k in range(6)]
    # 甲 registers ten customers first; 乙 registers six of them a week later (lost) and four of its own
    register(inbox, "甲物业", [(D(2026, 11, 1), f"甲{k}", phone(400 + k) if k < 6 else phone(500 + k)) for k in range(10)]
             + [(D(2026, 11, 2), "周九", phone(600), "拉萨", "麓湖花园", "A", D(2026, 11, 4), D(2026, 11, 10), "麓湖花园",
                 300)])
    register(inbox, "乙商会", [(D(2026, 11, 8), f"乙{k}", p) for k, p in enumerate(shared)]
             + [(D(2026, 11, 8), f"乙新{k}", phone(700 + k)) for k in range(4)]
             + [(D(2026, 11, 6), "周九", phone(600))])  # after 周九's visit on 11-04: 截客
    register(inbox, "丙旅行社", [(D(2026, 11, 2), f"丙{k}", phone(800 + k), "拉萨", "麓湖花园", "A", D(2026, 11, 5),
                                 D(2026, 11, 12), "麓湖花园", 95 + k) for k in range(10)])
    book(inbox / "总部" / "楼盘筛选表.xlsx", [("楼盘筛选", "楼盘筛选表", {}, ["楼盘名称", "开发商", "总价区间(万元)"],
                                              [("麓湖花园", "成都麓湖置业", "80-120")])])
    _, items = watch(inbox)
    found = by_code(items)
    assert [(i["channel"], i["subject"]) for i in found["anomaly.after_visit"]] == [("乙商会", f"周九 {phone(600)[:3]}****{phone(600)[7:]}")]
    assert [(i["channel"], i["subject"], len(i["rows"])) for i in found["anomaly.loss_share"]] == [("乙商会", "撞单 6/11", 6)]
    assert "11 条登记中 6 条撞单落败（55%），其他渠道合计为 0%" in found["anomaly.loss_share"][0]["reason"]
    assert [i["subject"][:2] for i in found["anomaly.price_band"]] == ["周九"]  # 300 > 120 × 1.5; 95–104: in the band
    assert "价格区间 80.00–120.00 万元（楼盘筛选表总价区间 80-120" in found["anomaly.price_band"][0]["reason"]
    _, items = watch(inbox, anomaly_loss_share=0.7, anomaly_price_tolerance=200)
    assert set(by_code(items)) == {"anomaly.after_visit"}


def backfill_inbox(root):
    """甲 sends weekly copies; its W48 copy first holds 李四, dated 11-05 — before its W47 copy (11-20), which did
    not hold him. 乙 registered 李四 on 11-10."""
    inbox = root / "inbox"
    weeks = {"2026W46": D(2026, 11, 13), "2026W47": D(2026, 11, 20), "2026W48": D(2026, 11, 27)}
    for tag, sent in weeks.items():
        rows = [(D(2026, 11, 2), "张三", phone(1)), (D(2026, 11, 12), "王五", phone(3))]
        rows = [r for r in rows if r[0] <= sent]
        if tag == "2026W48":
            rows.append((D(2026, 11, 5), "李四", phone(2)))
        register(inbox, "甲物业", rows, sent, tag)
    register(inbox, "乙商会", [(D(2026, 11, 10), "李四", phone(2))])
    return inbox


def test_backfill_is_flagged_and_a_setting_makes_it_compete_from_its_copy(tmp_path):
    inbox = backfill_inbox(tmp_path)
    result, items = watch(inbox)
    (item,) = by_code(items)["anomaly.backfill"]
    assert item["channel"] == "甲物业" and item["rows"][0]["file"].endswith("甲物业-2026W48.xlsx")
    assert "登记日期 2026-11-05，但 2026-11-20 的上一份报送（甲物业-2026W47.xlsx）中没有该客户" in item["reason"]
    owner = {c.key[1]: c.owner.channel for c in result.summary.registers.attribution.customers if c.owner}
    assert owner[phone(2)] == "甲物业"  # flagged, but the typed date still wins
    result, items = watch(inbox, anomaly_backfill="from_copy")
    owner = {c.key[1]: c.owner.channel for c in result.summary.registers.attribution.customers if c.owner}
    assert owner[phone(2)] == "乙商会"  # 甲 competes from 11-27: 乙's 11-10 comes first
    assert "按首次报送日期 2026-11-27 参与归属" in by_code(items)["anomaly.backfill"][0]["reason"]
    assert not [i for i in items if i["code"] != "anomaly.backfill"]


def test_backfill_uses_received_dates_when_the_record_has_them():
    from qudao.analysis.anomaly import backfills
    from qudao.analysis.attribution import Submission
    from qudao.analysis.register import Source

    def sub(path, name, p, day):
        return Submission("甲", ("phone", p), name, day, recency=(D(2026, 11, 27), 0, 0, 1),
                          source=Source(path, "s", 1, {}, {}, "", "", "D"))

    subs = [sub("a.xlsx", "张三", "1", D(2026, 11, 2)), sub("b.xlsx", "张三", "1", D(2026, 11, 2)),
            sub("b.xlsx", "李四", "2", D(2026, 11, 5))]
    series = {"a.xlsx": "register|甲", "b.xlsx": "register|甲"}
    dated = {"a.xlsx": D(2026, 11, 13), "b.xlsx": D(2026, 11, 20)}
    assert list(backfills(subs, dated, series)) == [("甲", ("phone", "2"))]
    # received on the day it is dated: b came in first, a later — 李四 was in the first copy received
    received = {"a.xlsx": dt.datetime(2026, 11, 21, 9, 0), "b.xlsx": dt.datetime(2026, 11, 20, 18, 0)}
    assert backfills(subs, received, series) == {}


def test_a_checked_item_does_not_come_back(tmp_path, runner):
    """The workflow: the summary's 异常监控 sheet copied into a workbook of its own, 核实 filled in, saved into the
    inbox: the next summary lists only the items still open."""
    from openpyxl import Workbook, load_workbook

    from conftest import invoke

    inbox = tmp_path / "inbox"
    register(inbox, "甲物业", [(D(2026, 11, 3), "周九", "13888888888"), (D(2026, 11, 4), "吴十", "13912341234"),
                              (D(2026, 11, 5), "郑一", "13812345678")])
    out = tmp_path / "s.xlsx"
    assert invoke(runner, "summarize", inbox, "-o", out, "--as-of", "2026-11-27", "-q").exit_code == 0
    sheet = load_workbook(out)["异常监控"]
    copy = Workbook()
    ws = copy.active
    ws.title = "异常监控"
    for row in sheet.iter_rows(values_only=True):
        ws.append(list(row))
    header = next(r for r in range(1, 10) if ws.cell(row=r, column=1).value == "编号")
    assert [ws.cell(row=header, column=c).value for c in range(1, 12)] == [
        "编号", "规则", "渠道", "对象", "需核对的行", "原因", "首次发现", "核实", "核实人", "核实日期", "核实说明"]
    ws.cell(row=header + 1, column=8, value="正常")  # checked: a real customer
    ws.cell(row=header + 2, column=8, value="待核实")  # not yet
    ws.cell(row=header + 3, column=8, value="属实")  # 违规: checked too
    ws.cell(row=header + 1, column=9, value="李强")
    (inbox / "总部").mkdir(parents=True, exist_ok=True)
    copy.save(inbox / "总部" / "异常核实表.xlsx")
    data_path = tmp_path / "s.json"
    result = invoke(runner, "summarize", inbox, "--json", data_path, "--as-of", "2026-11-27", "-q")
    assert result.exit_code == 0, result.output
    data = json.loads(data_path.read_text(encoding="utf-8"))
    assert data["anomaly"]["count"] == 1 and data["anomaly"]["checked"] == 2
    assert [i["subject"] for i in data["anomaly"]["items"]] == ["周九 138****8888"]  # rows: 吴十, 周九, 郑一
    assert sorted(i["result"] for i in data["anomaly"]["checked_items"]) == ["正常", "违规"]
    assert data["findings"]["by_code"]["anomaly.phone_pattern"] == 1
    verify = next(f for f in data["files"] if f["path"].endswith("异常核实表.xlsx"))
    assert verify["kind"] == "verify" and verify["rows_accepted"] == 3


def test_the_ids_are_stable_across_runs_and_weeks(tmp_path):
    inbox = backfill_inbox(tmp_path)
    _, first = watch(inbox)
    _, again = watch(inbox)
    assert [i["id"] for i in first] == [i["id"] for i in again] and all(i["id"].startswith("YC-") for i in first)


def test_places():
    from qudao.analysis.places import outside, region_places

    def out(region, city):
        scope = region_places(region)
        return None if scope is None else outside(city, scope)

    assert [out("拉萨市", c) for c in ("拉萨", "拉萨市", "堆龙德庆区", "日喀则", "成都")] == [False, False, False, True, True]
    assert [out("西藏自治区、四川省", c) for c in ("那曲", "康定", "甘孜藏族自治州", "西宁")] == [False, False, False, True]
    assert [out("拉萨市城关区", c) for c in ("拉萨", "成都")] == [False, True]  # 拉萨 may be 城关区: unsure, silent
    assert out("川西", "成都") is None and out("全国", "成都") is None and out("不限", "x") is None
    assert out("拉萨", "城关") is False and out("拉萨", "火星") is False  # ambiguous or unknown: never flagged


def test_no_false_alarms_on_the_demos_normal_rows(tmp_path):
    """The demo's 异常监控 lists exactly its planted cases (jobs/demo.anomalies) and the after-visit registration
    of its original plan — nothing from its 286 normal registrations."""
    import sys

    sys.path.insert(0, str(ROOT / "tests"))
    from qudao.check.engine import collect
    from qudao.config import Settings
    from qudao.jobs.summarize import run_summary

    result = run_summary(collect([ROOT / "samples" / "inbox"]), Settings(), as_of=SENT)
    items = result.summary.kinds["anomaly"].data["items"]
    got = sorted((i["rule"], i["channel"]) for i in items)
    assert got == sorted([
        ("合作楼盘以外", "拉萨天路国际旅行社"), ("合作区域以外", "绵阳安家二手房"), ("批量登记", "日喀则雪莲旅行社"),
        ("号码连号", "日喀则雪莲旅行社"), ("号码规律异常", "农业银行日喀则支行"), ("一名多号", "绵阳涪城物业"),
        ("到访后登记（截客）", "拉萨布达拉物业服务有限公司"), ("到访后登记（截客）", "日喀则扎什物业"),
        ("成交价偏离", "绵阳长虹工会"), ("补登", "拉萨布达拉物业服务有限公司")])
