"""A realistic, deterministic sample inbox (``qudao demo`` and ``samples/``).

Three branches, ten channels of six types, six weekly cumulative
submissions each (some channels every other week), written the way people
really send them: our template and plain pasted sheets, aliased and
reordered headers, text dates in several styles, numeric / spaced / +86 /
full-width phones, a masked-phone channel, extra columns, blank rows, a
total row, merged 跟进人 cells, a consolidated multi-channel register, a
GB18030 CSV — and a few bad rows. Customers shared between channels make
real conflicts, take-overs after the protection period and natural visits.
Everything comes from one seeded random generator and fixed dates, so the
same version writes the same data.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import random
from dataclasses import dataclass, field
from pathlib import Path

from qudao.write.atomic import write_bytes, write_text

END = _dt.date(2026, 11, 27)  # the last report date (a Friday, 2026-W48)
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华玉兰萍红娟建国志红梅丹玲卓玛次仁扎西央金格桑达瓦旺堆拉姆"
CITIES = ("拉萨", "日喀则", "林芝", "山南", "成都", "绵阳", "德阳")
PROPERTIES = ("麓湖花园", "天府云城", "东安湖壹号", "青城山居", "锦江雅苑", "兴隆湖畔")
PURPOSES = ("自住", "投资", "养老", "度假", "子女教育", "其他")
STAFF = ("王芳", "李强", "张敏", "刘洋", "次仁")
# the agreements ledger: per branch (payee bank, street) and one contact per channel
PARTNER_PLACES = {
    "拉萨分所": ("中国农业银行拉萨城关支行", "拉萨市城关区北京中路"),
    "日喀则分所": ("中国工商银行日喀则分行营业部", "日喀则市桑珠孜区上海中路"),
    "绵阳分所": ("中国建设银行绵阳涪城支行", "绵阳市涪城区临园路"),
}
PARTNER_CONTACTS = ("次仁", "陈建国", "扎西", "央金", "格桑", "索朗", "达瓦", "周丽", "何勇", "杨敏")
NOTES = ("", "", "", "客户较急", "家属决策", "需二次回访")


@dataclass
class Channel:
    name: str
    type: str
    branch: str
    style: str  # template | pasted | csv | masked | consolidated
    every: int = 1  # submits every N weeks
    size: int = 24  # customers over the period


CHANNELS = (
    Channel("拉萨布达拉物业服务有限公司", "物业", "拉萨分所", "template", size=30),
    Channel("西藏浙江商会", "协会商会", "拉萨分所", "csv", every=2, size=24),
    Channel("拉萨天路国际旅行社", "旅行社", "拉萨分所", "pasted", size=26),
    Channel("西藏电力工会", "关联单位", "拉萨分所", "masked", size=18),
    Channel("日喀则扎什物业", "物业", "日喀则分所", "pasted", size=24),
    Channel("农业银行日喀则支行", "分支机构", "日喀则分所", "template", size=22),
    Channel("日喀则雪莲旅行社", "旅行社", "日喀则分所", "pasted", size=20),
    Channel("绵阳涪城物业", "物业", "绵阳分所", "consolidated", size=28),
    Channel("绵阳安家二手房", "二手中介", "绵阳分所", "consolidated", size=26),
    Channel("绵阳长虹工会", "关联单位", "绵阳分所", "consolidated", size=22),
)


@dataclass
class Reg:
    channel: Channel
    name: str
    phone: str
    registered: _dt.date
    visit: _dt.date | None = None
    deal: _dt.date | None = None
    deal_property: str | None = None
    deal_amount: float | None = None
    gender: str = "男"
    city: str = "拉萨"
    prop: str = "麓湖花园"
    area: float = 100.0
    budget: float = 150.0
    purpose: str = "自住"
    grade: str = "B"
    staff: str = "王芳"
    note: str = ""
    bad: str = ""  # a deliberate mistake: phone | deal | future
    extras: dict = field(default_factory=dict)
    appears: _dt.date | None = None  # first sent in the copy of this date (补登: dated before an earlier copy)


def report_dates(weeks: int = 6, end: _dt.date = END) -> list[_dt.date]:
    return [end - _dt.timedelta(days=7 * k) for k in reversed(range(weeks))]


def _phone(rng: random.Random) -> str:
    return "1" + rng.choice("35789") + "".join(rng.choice("0123456789") for _ in range(9))


def plan(seed: int = 2026, weeks: int = 6, end: _dt.date = END) -> list[Reg]:
    """Every registration of the period, with the overlaps that make conflicts."""
    rng = random.Random(seed)
    first_day = report_dates(weeks, end)[0] - _dt.timedelta(days=6)
    span = (end - first_day).days
    regs: list[Reg] = []
    for channel in CHANNELS:
        for _ in range(channel.size):
            day = first_day + _dt.timedelta(days=rng.randrange(span - 2))
            reg = Reg(channel, rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2)))),
                      _phone(rng), day, gender=rng.choice("男女"), city=rng.choice(CITIES),
                      prop=rng.choice(PROPERTIES), area=round(rng.uniform(60, 220), 1),
                      budget=round(rng.uniform(40, 400), 1), purpose=rng.choice(PURPOSES),
                      grade=rng.choice("AABBBCCD"), staff=rng.choice(STAFF), note=rng.choice(NOTES))
            if rng.random() < 0.3:
                late = rng.random() < 0.2  # visits after the protection period: 自然到访
                reg.visit = day + _dt.timedelta(days=rng.randrange(32, 40) if late else rng.randrange(1, 25))
                if rng.random() < 0.35:
                    reg.deal = reg.visit + _dt.timedelta(days=rng.randrange(1, 12))
                    reg.deal_property = rng.choice(PROPERTIES)
                    reg.deal_amount = round(rng.uniform(60, 320), 2)
            regs.append(reg)
    # the same customers registered by a second channel: conflicts, take-overs, after-visit registrations
    shared = rng.sample(regs, 24)
    for k, original in enumerate(shared):
        other = rng.choice([c for c in CHANNELS if c is not original.channel and c.style != "masked"])
        if original.channel.style == "masked":
            continue
        gap = (3, 12, 29, 30, 31, 45)[k % 6]
        day = original.registered + _dt.timedelta(days=gap if k % 4 else 0)
        if day >= end - _dt.timedelta(days=1):
            day = original.registered + _dt.timedelta(days=1)
        copy = Reg(other, original.name, original.phone, day, gender=original.gender, city=original.city,
                   prop=original.prop, area=original.area, budget=original.budget, purpose=original.purpose,
                   grade=original.grade, staff=rng.choice(STAFF))
        if original.visit and original.visit >= day and k % 3 == 0:
            copy.visit = original.visit  # both channels record the visit
        regs.append(copy)
    # the masked-phone channel registers two people other channels already have: 待核, not counted
    masked = next(c for c in CHANNELS if c.style == "masked")
    for original in rng.sample([r for r in regs if r.channel.style == "pasted"], 2):
        regs.append(Reg(masked, original.name, original.phone, original.registered + _dt.timedelta(days=4),
                        gender=original.gender, city=original.city, prop=original.prop, area=original.area,
                        budget=original.budget, purpose=original.purpose, grade=original.grade, staff="次仁"))
    # deliberate mistakes: a short phone, a deal without an amount, a date after the report date
    candidates = [r for r in regs if r.channel.style in ("pasted", "template") and not r.deal]
    for reg, bad in zip(rng.sample(candidates, 3), ("phone", "deal", "future")):
        reg.bad = bad
    regs += anomalies(seed, end)  # issue 24: a few cases for the 异常监控 and the 案场核对 (their own generator)
    regs.sort(key=lambda r: (r.registered, r.channel.name, r.phone))
    return regs


# --------------------------------------------------------------------------- issue 24: 异常监控 and 案场核对

COVERED = PROPERTIES[:3]  # the 楼盘 the sales office's ledger covers (麓湖花园, 天府云城, 东安湖壹号)
OUTSIDE_PROPERTY = "融创文旅城"  # a 楼盘 in no agreement's 合作楼盘
PARKING = 12.0  # a parking space bought with the house (万元): the ledger's amount is the house and the space
UNREPORTED = ("西藏浙江商会", "天府云城", 168.8)  # a deal the ledger holds and the channel never reported


def _channel(name: str) -> Channel:
    return next(c for c in CHANNELS if c.name == name)


def anomalies(seed: int = 2026, end: _dt.date = END) -> list[Reg]:
    """The registrations behind the demo's 异常监控 items (each rule the demo shows) and 案场核对 cases, from a
    generator of their own: the rest of the plan is untouched."""
    rng = random.Random(seed + 24)
    day = lambda m, d: _dt.date(end.year, m, d)  # noqa: E731

    def person() -> str:
        return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))

    def reg(channel: str, name: str, phone: str, registered: _dt.date, **kw) -> Reg:
        return Reg(_channel(channel), name, phone, registered, staff=kw.pop("staff", "李强"), **kw)

    out = [
        # 合作楼盘以外: two customers for a 楼盘 outside the agreement
        reg("拉萨天路国际旅行社", person(), "13518903301", day(11, 3), prop=OUTSIDE_PROPERTY, city="拉萨"),
        reg("拉萨天路国际旅行社", person(), "13518903388", day(11, 9), prop=OUTSIDE_PROPERTY, city="拉萨"),
        # 合作区域以外: a customer living in 西宁 (青海) for a channel whose region is 西藏 and 四川
        reg("绵阳安家二手房", person(), "15309712245", day(11, 11), city="西宁", prop="麓湖花园"),
        # 号码规律异常
        reg("农业银行日喀则支行", person(), "13912121212", day(11, 16), city="日喀则", prop="天府云城"),
    ]
    # 一名多号: one name, three phones
    out += [reg("绵阳涪城物业", "张伟", phone, d, city="绵阳", prop="兴隆湖畔")
            for phone, d in (("13881612345", day(11, 2)), ("13990120871", day(11, 9)), ("15082617733", day(11, 17)))]
    # 批量登记 and 号码连号: sixteen customers on one day, phones in sequence
    out += [reg("日喀则雪莲旅行社", person(), f"139089123{k:02d}", day(11, 21), city="日喀则", prop="麓湖花园", grade="C")
            for k in range(1, 17)]
    # 补登: registered by 天路 on 11-05; 布达拉 sends the customer first in its W48 copy, dated 10-25 — before
    # its previous copies, which did not hold it — and so takes the customer over
    name = person()
    out.append(reg("拉萨天路国际旅行社", name, "18708918866", day(11, 5), city="拉萨", prop="天府云城"))
    out.append(reg("拉萨布达拉物业服务有限公司", name, "18708918866", day(10, 25), city="拉萨", prop="天府云城",
                   appears=end))
    # 截客, shown by the ledger: registered on 11-10 with a visit typed as 11-12; the sales office received the
    # customer on 11-08 (案场首次到访) — the registration came after the visit
    out.append(reg("日喀则扎什物业", person(), "13608920456", day(11, 10), city="日喀则", prop="天府云城",
                   visit=day(11, 12), deal=day(11, 15), deal_property="天府云城", deal_amount=210.0))
    # 待确认 and 成交价偏离: a deal the ledger does not hold, typed 12.5 (万元) for 125
    out.append(reg("绵阳长虹工会", person(), "13795016630", day(11, 1), city="绵阳", prop="麓湖花园",
                   visit=day(11, 10), deal=day(11, 18), deal_property="麓湖花园", deal_amount=12.5))
    return out


def sales_ledger(regs: list[Reg], end: _dt.date = END) -> list[dict]:
    """The sales office's deals at the 楼盘 it covers (one row per room), as its system exports them: every
    deal the registers report there by ``end`` — except the one left 待确认 — with amounts in 元, a third of the
    phones masked; plus the cases of :func:`anomalies` and of the 案场核对: a parking space bought with a house
    (the amount differs from the channel's), a deal dated two days before the channel's date, a deal the
    channel never reported, a first visit before the registration, and deals of the office's own customers."""
    rng = random.Random(2024)
    deals = sorted((r for r in regs if r.deal and r.deal <= end and not r.bad and r.deal_property in COVERED
                    and r.deal_amount >= 50), key=lambda r: (r.deal, r.phone))
    parked = next(r for r in deals if r.channel.style == "template")
    moved = next(r for r in deals if r.channel.style == "pasted" and r is not parked)
    rows = []
    for n, r in enumerate(deals):
        visit = r.visit
        if r.phone == "13608920456":
            visit = r.visit - _dt.timedelta(days=4)  # the office received the customer before the registration
        subscribed = r.deal - _dt.timedelta(days=2) if r is moved else r.deal
        signed = r.deal + _dt.timedelta(days=6) if r is moved else r.deal + _dt.timedelta(days=7)
        phone = f"{r.phone[:3]}****{r.phone[7:]}" if n % 3 == 1 else r.phone
        row = {"楼盘": r.deal_property, "房号": f"{1 + n % 9}-{1 + n % 3}-{(5 + n) % 30 + 1:02d}0{1 + n % 4}",
               "客户姓名": r.name, "联系电话": phone, "首次到访日期": visit, "认购日期": subscribed,
               "签约日期": signed if signed <= end else None, "成交金额(元)": round(r.deal_amount * 10000, 2),
               "置业顾问": rng.choice(STAFF), "来源渠道": r.channel.name[:4], "交易状态": "签约" if signed <= end else "认购"}
        rows.append(row)
        if r is parked:
            rows.append({**row, "房号": f"车位-B2-{n + 11:03d}", "成交金额(元)": round(PARKING * 10000, 2)})
    channel, prop, amount = UNREPORTED
    mine = sorted((r for r in regs if r.channel.name == channel and r.visit and not r.deal and not r.bad
                   and r.visit <= end - _dt.timedelta(days=5)), key=lambda r: (r.visit, r.phone))
    if mine:
        r = mine[0]
        rows.append({"楼盘": prop, "房号": "7-1-1203", "客户姓名": r.name, "联系电话": r.phone, "首次到访日期": r.visit,
                     "认购日期": r.visit + _dt.timedelta(days=3), "签约日期": None, "成交金额(元)": amount * 10000,
                     "置业顾问": "刘洋", "来源渠道": "", "交易状态": "认购"})
    for k in range(3):  # the office's own customers: in no register
        d = end - _dt.timedelta(days=9 + 5 * k)
        rows.append({"楼盘": COVERED[k], "房号": f"2-2-{k + 8}01", "客户姓名": rng.choice(SURNAMES) + rng.choice(GIVEN),
                     "联系电话": _phone(rng), "首次到访日期": d - _dt.timedelta(days=3), "认购日期": d, "签约日期": None,
                     "成交金额(元)": float(rng.randrange(90, 260) * 10000), "置业顾问": "次仁", "来源渠道": "自然来访",
                     "交易状态": "认购"})
    rows.sort(key=lambda x: (x["认购日期"], x["楼盘"], x["房号"]))
    return rows


LEDGER_HEADERS = (("项目名称", "楼盘"), ("房间号", "房号"), ("客户名称", "客户姓名"), ("手机号码", "联系电话"),
                  ("首次到访日期", "首次到访日期"), ("认购时间", "认购日期"), ("签约日期", "签约日期"),
                  ("成交总价", "成交金额(元)"), ("置业顾问", "置业顾问"), ("渠道来源", "来源渠道"), ("交易状态", "交易状态"))


def write_sales_ledger(path: Path, rows: list[dict], end: _dt.date = END) -> Path:
    """The ledger as a sales system exports it: a title row, the export date, 明源-style headers with the amount
    in 元 and no unit, dates as text, a total row."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "认购明细"
    ws.cell(row=1, column=1, value="认购/签约明细表（销售系统导出）")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(LEDGER_HEADERS))
    ws.cell(row=2, column=1, value="导出日期：")
    ws.cell(row=2, column=2, value=end.strftime("%Y/%m/%d").replace("/0", "/"))
    for c, (written, _canon) in enumerate(LEDGER_HEADERS, start=1):
        ws.cell(row=3, column=c, value=written)
    r = 4
    for row in rows:
        for c, (_written, canon) in enumerate(LEDGER_HEADERS, start=1):
            value = row.get(canon)
            if isinstance(value, _dt.date):
                value = value.strftime("%Y-%m-%d")
            if value not in (None, ""):
                ws.cell(row=r, column=c, value=value)
        r += 1
    ws.cell(row=r, column=1, value="合计")
    ws.cell(row=r, column=8, value=round(sum(x["成交金额(元)"] for x in rows), 2))
    _save(wb, path, end)
    return path


# --------------------------------------------------------------------------- formats

def _date_style(channel: Channel, week: int):
    styles = [
        lambda d: d,  # a real date
        lambda d: d.strftime("%Y/%m/%d").replace("/0", "/"),
        lambda d: f"{d.year}年{d.month}月{d.day}日",
        lambda d: d.strftime("%Y%m%d"),
        lambda d: f"{d.year}.{d.month}.{d.day}",
        lambda d: (d - _dt.date(1899, 12, 30)).days,  # a serial number without a date format
    ]
    return styles[(hash_name(channel.name) + week) % len(styles)]


def _phone_style(channel: Channel, week: int):
    styles = [
        lambda p: p,
        lambda p: int(p),  # a number
        lambda p: f"{p[:3]} {p[3:7]} {p[7:]}",
        lambda p: f"+86 {p}",
        lambda p: p.translate(str.maketrans("0123456789", "０１２３４５６７８９")),
        lambda p: f"{p[:3]}-{p[3:7]}-{p[7:]}",
    ]
    return styles[(hash_name(channel.name) * 3 + week) % len(styles)]


def hash_name(text: str) -> int:
    return sum(ord(ch) for ch in text)


HEADER_VARIANTS = {
    "登记日期": ("登记日期", "报备日期", "登记时间"),
    "客户姓名": ("客户姓名", "姓名", "客户"),
    "联系电话": ("联系电话", "手机号", "客户电话", "电话"),
    "常住城市": ("常住城市", "所在城市"),
    "意向楼盘": ("意向楼盘", "意向项目"),
    "意向面积(㎡)": ("意向面积(㎡)", "意向面积（㎡）", "面积"),
    "预算(万元)": ("预算(万元)", "预算（万元）", "预算"),
    "意向等级": ("意向等级", "客户等级"),
    "到访日期": ("到访日期", "来访日期"),
    "成交金额(万元)": ("成交金额(万元)", "成交金额（万元）"),
}
BASE = ("序号", "登记日期", "客户姓名", "联系电话", "性别", "常住城市", "意向楼盘", "意向面积(㎡)", "预算(万元)",
        "购房目的", "意向等级", "到访日期", "成交日期", "成交楼盘", "成交金额(万元)", "跟进人", "备注")


def _visible(reg: Reg, report: _dt.date) -> dict:
    """A register row as of one report date (visits and deals appear once they happen)."""
    visit = reg.visit if reg.visit and reg.visit <= report else None
    deal = reg.deal if reg.deal and reg.deal <= report else None
    row = {"登记日期": reg.registered, "客户姓名": reg.name, "联系电话": reg.phone, "性别": reg.gender,
           "常住城市": reg.city, "意向楼盘": reg.prop, "意向面积(㎡)": reg.area, "预算(万元)": reg.budget,
           "购房目的": reg.purpose, "意向等级": reg.grade, "到访日期": visit, "成交日期": deal,
           "成交楼盘": reg.deal_property if deal else None, "成交金额(万元)": reg.deal_amount if deal else None,
           "跟进人": reg.staff, "备注": reg.note, "渠道名称": reg.channel.name, "渠道类型": reg.channel.type,
           "所属分所": reg.channel.branch}
    if reg.bad == "phone":
        row["联系电话"] = reg.phone[:10]
    elif reg.bad == "deal":
        row["成交日期"], row["成交楼盘"], row["成交金额(万元)"] = visit or reg.registered, reg.prop, None
    elif reg.bad == "future":
        row["登记日期"] = report + _dt.timedelta(days=5)
    return row


def _headers(channel: Channel, week: int, consolidated: bool = False) -> list[tuple[str, str]]:
    """(canonical, as written) in the order this file uses."""
    k = hash_name(channel.name) + week
    cols = [(h, HEADER_VARIANTS.get(h, (h,))[k % len(HEADER_VARIANTS.get(h, (h,)))]) for h in BASE]
    if consolidated:
        cols[2:2] = [("渠道名称", "渠道名称"), ("渠道类型", "渠道类型")]
    if k % 3 == 0:  # someone reordered the columns
        lead, rest = cols[:2], cols[2:]
        random.Random(k).shuffle(rest)
        cols = lead + rest
    if k % 2 == 0:
        cols.append(("__extra", "客户来源说明"))
    return cols


def _value(canon: str, row: dict, date_fmt, phone_fmt, extra_rng: random.Random):
    if canon == "__extra":
        return extra_rng.choice(("老客户", "朋友介绍", "活动", ""))
    value = row.get(canon)
    if value is None or value == "":
        return None
    if canon in ("登记日期", "到访日期", "成交日期"):
        return date_fmt(value)
    if canon == "联系电话" and len(str(value)) == 11 and "*" not in str(value):
        return phone_fmt(str(value))
    return value


def _pasted_workbook(channel_name: str, ctype: str, branch: str, report: _dt.date, headers, rows, week: int,
                     merged_staff: bool):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "意向客户登记"
    width = len(headers)
    ws.cell(row=1, column=1, value="意向客户登记表")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    block = (("渠道名称：", channel_name), ("渠道类型：", ctype), ("所属分所：", branch),
             ("渠道联系人：", "王芳"), ("联系电话：", "13900000000"), ("报送日期：", report))
    for i, (label, value) in enumerate(block):
        r, c = 2 + i // 3, 1 + (i % 3) * 3
        ws.cell(row=r, column=c, value=label)
        ws.cell(row=r, column=c + 1, value=value)
    for c, (_canon, text) in enumerate(headers, start=1):
        ws.cell(row=4, column=c, value=f" {text} " if (week + c) % 7 == 0 else text)
    r = 5
    for n, line in enumerate(rows, start=1):
        if n == 8 and week % 2:  # a blank row in the middle
            r += 1
        for c, value in enumerate(line, start=1):
            if value is not None:
                ws.cell(row=r, column=c, value=value)
        r += 1
    if merged_staff and len(rows) > 3:
        staff_col = next(i for i, (canon, _t) in enumerate(headers, start=1) if canon == "跟进人")
        value = ws.cell(row=5, column=staff_col).value
        for rr in range(6, 8):
            ws.cell(row=rr, column=staff_col).value = None
        ws.cell(row=5, column=staff_col).value = value
        ws.merge_cells(start_row=5, start_column=staff_col, end_row=7, end_column=staff_col)
    ws.cell(row=r, column=1, value="合计")
    ws.cell(row=r, column=3, value=f"共{len(rows)}人")
    return wb


def _save(wb, path: Path, report: _dt.date) -> None:
    from qudao.write.workbook import save

    wb.properties.creator = "qudao demo"
    save(wb, path, force=True, created=_dt.datetime.combine(report, _dt.time(18, 0)))


def _template_workbook(channel: Channel, report: _dt.date, rows: list[dict]):
    from qudao.schema import get_kind
    from qudao.write.workbook import build

    kind = get_kind("register")
    wb = build(kind, {"渠道名称": channel.name, "渠道类型": channel.type, "所属分所": channel.branch,
                      "渠道联系人": "李强", "联系电话": "13900000000", "报送日期": report})
    ws = wb["意向客户登记"]
    header_row = next(r for r in range(1, 12) if ws.cell(row=r, column=1).value == "序号")
    headers = [c.header for c in kind.main.columns]
    for n, row in enumerate(rows, start=1):
        ws.cell(row=header_row + n, column=1, value=n)
        for c, h in enumerate(headers, start=1):
            if h in ("序号", "渠道名称", "渠道类型", "所属分所"):
                continue
            value = row.get(h)
            if value is not None and value != "":
                ws.cell(row=header_row + n, column=c, value=value)
    return wb


def sent(reg: Reg, report: _dt.date) -> bool:
    """The registration is in the copy of ``report``: registered by then (补登: first sent on ``appears``); the
    deliberate future-dated rows are in every copy."""
    if reg.bad == "future":
        return True
    return reg.registered <= report and (reg.appears is None or reg.appears <= report)


def write_inbox(root: Path, seed: int = 2026, weeks: int = 6, end: _dt.date = END) -> list[Path]:
    """Write the sample inbox under ``root``; returns the files written."""
    regs = plan(seed, weeks, end)
    written: list[Path] = []
    dates = report_dates(weeks, end)
    for channel in CHANNELS:
        if channel.style == "consolidated":
            continue
        mine = [r for r in regs if r.channel is channel]
        for week, report in enumerate(dates):
            if (len(dates) - 1 - week) % channel.every:
                continue
            label = f"{report.isocalendar()[0]}W{report.isocalendar()[1]:02d}"
            rows = [_visible(r, report) for r in mine if sent(r, report)]
            if not rows:
                continue
            folder = root / channel.branch
            if channel.style == "template":
                path = folder / f"{channel.name}-{label}.xlsx"
                _save(_template_workbook(channel, report, rows), path, report)
            elif channel.style == "csv":
                path = folder / f"{channel.name}-{label}.csv"
                headers = _headers(channel, week, consolidated=True)
                headers = [(c, t) for c, t in headers if c != "__extra"]
                headers.insert(4, ("所属分所", "所属分所"))
                date_fmt, phone_fmt = _date_style(channel, week), _phone_style(channel, week)
                buf = io.StringIO()
                writer = csv.writer(buf, lineterminator="\r\n")
                writer.writerow([t for _c, t in headers])
                extra_rng = random.Random(week)
                for row in rows:
                    line = []
                    for canon, _t in headers:
                        v = _value(canon, row, date_fmt, phone_fmt, extra_rng)
                        line.append("" if v is None else v.isoformat() if isinstance(v, _dt.date) else v)
                    writer.writerow(line)
                encoding = "gb18030" if week % 2 else "utf-8-sig"
                write_bytes(path, buf.getvalue().encode(encoding), force=True)
            else:
                path = folder / f"{channel.name}-{label}.xlsx"
                headers = _headers(channel, week)
                date_fmt, phone_fmt = _date_style(channel, week), _phone_style(channel, week)
                if channel.style == "masked":
                    phone_fmt = lambda p: f"{p[:3]}****{p[7:]}"  # noqa: E731 - this channel hides numbers
                extra_rng = random.Random(week)
                lines = [[_value(canon, row, date_fmt, phone_fmt, extra_rng) for canon, _t in headers] for row in rows]
                wb = _pasted_workbook(channel.name, channel.type, channel.branch, report, headers, lines, week,
                                      merged_staff=week % 2 == 0)
                _save(wb, path, report)
            written.append(path)
    # one branch sends a single consolidated register for its channels
    group = [c for c in CHANNELS if c.style == "consolidated"]
    for week, report in enumerate(dates):
        label = f"{report.isocalendar()[0]}W{report.isocalendar()[1]:02d}"
        rows = [_visible(r, report) for r in regs if r.channel in group and sent(r, report)]
        fake = Channel("", "", group[0].branch, "consolidated")
        headers = _headers(fake, week, consolidated=True)
        date_fmt, phone_fmt = _date_style(fake, week), _phone_style(fake, week)
        extra_rng = random.Random(week)
        lines = [[_value(canon, row, date_fmt, phone_fmt, extra_rng) for canon, _t in headers] for row in rows]
        wb = _pasted_workbook("", "", group[0].branch, report, headers, lines, week, merged_staff=False)
        path = root / group[0].branch / f"{group[0].branch}-汇总登记-{label}.xlsx"
        _save(wb, path, report)
        written.append(path)
    written += write_other_kinds(root, seed, end)
    written.append(write_sales_ledger(root / "总部" / f"案场成交台账-{end.isocalendar()[0]}W{end.isocalendar()[1]:02d}.xlsx",
                                      sales_ledger(regs, end), end))
    written += write_assessment_sheets(root, regs, seed, end)
    write_text(root / "说明.txt",
        "这是 qudao demo 生成的示例收件箱：3 个分所、10 个渠道、6 周累计报送的意向客户登记表，\n"
        "以及工作计划、对接表、反馈表、谈判跟进、楼盘筛选、渠道拓展、中介与关联企业、客户调查、推介会、协议台账、\n"
        "本季度的渠道目标表和渠道考核评分表、案场成交台账等表。\n"
        "格式故意不统一（别名表头、文本日期、数字电话、隐号、合计行、CSV……），也有少量错误行。\n",
        force=True)
    return sorted(written)


# --------------------------------------------------------------------------- the other workbooks


def _filled(kind_id: str, values: dict, tables: dict[str, list[dict]], path: Path, stamp: _dt.date,
            options: dict | None = None) -> Path:
    from qudao.schema import get_kind
    from qudao.write.append import append_rows
    from qudao.write.workbook import build

    kind = get_kind(kind_id)
    wb = build(kind, values, options)
    for sheet, rows in tables.items():
        if rows:
            append_rows(wb[sheet], kind.table(sheet), rows)
    _save(wb, path, stamp)
    return path


def write_other_kinds(root: Path, seed: int = 2026, end: _dt.date = END) -> list[Path]:
    """One or two workbooks of every other kind, filled the way branches fill them."""
    from qudao.config import Settings
    from qudao.planning import schedule
    from qudao.schema.expansion import STEPS
    from qudao.workdays import WorkCalendar

    rng = random.Random(seed + 1)
    written: list[Path] = []
    calendar = WorkCalendar.from_settings(Settings())
    branches = {"拉萨分所": ("拉萨", "西藏本地", _dt.date(2026, 9, 21)), "日喀则分所": ("日喀则", "西藏本地", _dt.date(2026, 9, 28)),
                "绵阳分所": ("绵阳", "二级城市", _dt.date(2026, 10, 12))}
    for branch, (city, plan_type, start) in branches.items():
        plan = schedule(plan_type, start, calendar)
        from qudao.schema import get_kind
        from qudao.write.workbook import build

        kind = get_kind("plan")
        values = {"分所": branch, "城市": city, "计划类型": plan_type, "编制人": "王芳", "编制日期": start,
                  "计划周期": plan.period, "工作日历": calendar.describe(plan.start, plan.end)}
        wb = build(kind, values, {"plan": plan, "owner": rng.choice(STAFF)})
        ws = wb["工作计划"]
        header = next(r for r in range(1, 15) if ws.cell(row=r, column=1).value == "序号")
        cols = {ws.cell(row=header, column=c).value: c for c in range(1, 13)}
        for n, task in enumerate(plan.tasks, start=1):
            state = "已完成" if task.end < end - _dt.timedelta(days=10) else (
                "进行中" if task.start <= end else "未开始")
            if state == "已完成" and n % 4 == 0:
                state = "进行中"  # a late task: overdue
            ws.cell(row=header + n, column=cols["状态"], value=state)
            if state == "已完成":
                ws.cell(row=header + n, column=cols["实际完成"], value=task.end)
        path = root / branch / f"本地工作计划铺排表-{branch}.xlsx"
        _save(wb, path, start)
        written.append(path)

        items = []
        for i, (category, text) in enumerate((("楼盘资料", "提供最新价格表与销控"), ("推广活动", "推介会物料设计与印刷"),
                                              ("协议合同", "渠道协议盖章件寄回总部"), ("费用结算", "十月渠道佣金结算"),
                                              ("人员培训", "新入职置业顾问培训"), ("客户接待", "看房团接待安排"))):
            raised = end - _dt.timedelta(days=rng.randrange(10, 40))
            due = raised + _dt.timedelta(days=rng.randrange(5, 20))
            state = ("已完成", "进行中", "未开始", "受阻")[(i + len(branch)) % 4]
            items.append({"事项类别": category, "对接事项": text, "分所负责人": rng.choice(STAFF), "总部对接人": "李强",
                          "提出日期": raised, "要求完成日期": due, "状态": state, "优先级": rng.choice("高中低"),
                          "实际完成日期": due if state == "已完成" else None})
        written.append(_filled("handoff", {"分所": branch, "所在城市": city, "总部对接部门": "渠道管理部", "填表人": "王芳",
                                           "填表日期": end}, {"对接事项": items},
                               root / branch / f"分所工作对接表-{branch}-2026W48.xlsx", end))

        mine = [c for c in CHANNELS if c.branch == branch]
        rows = []
        for k, channel in enumerate(mine):
            steps = {}
            day = _dt.date(2026, 9, 1) + _dt.timedelta(days=rng.randrange(0, 10))
            for s, step in enumerate(STEPS):
                if s > 3 + (k % 3):
                    break
                steps[step] = day
                day += _dt.timedelta(days=rng.randrange(4, 15))
            if k == 1 and "协议签订日期" in steps:  # customers before the agreement: a steps.order warning
                steps["首批客户日期"] = steps["协议签订日期"] - _dt.timedelta(days=3)
            grade = "ABCD"[k % 4]
            rows.append({"渠道名称": channel.name, "渠道类型": channel.type, "城市": city, "联系人": rng.choice(STAFF),
                         "渠道等级": grade, "本月拜访次数": (6, 3, 2, 1)[k % 4], "负责人": rng.choice(STAFF), **steps})
        written.append(_filled("expansion", {"分所": branch, "城市": city, "负责人": "王芳", "填表日期": end},
                               {"渠道拓展": rows}, root / branch / f"渠道拓展标准流程管理表-{branch}.xlsx", end))

    hq = root / "总部"
    projects = ("麓湖花园", "天府云城", "东安湖壹号", "青城山居", "锦江雅苑", "兴隆湖畔")
    screening = [{"楼盘名称": p, "开发商": f"成都{p[:2]}置业有限公司", "城市": "成都", "区域板块": rng.choice(("天府新区", "高新区", "龙泉驿")),
                  "物业类型": "住宅", "均价(元/㎡)": rng.randrange(12000, 26000, 500), "主力面积(㎡)": "90-140",
                  "总价区间(万元)": "60-350",
                  "佣金点位(%)": rng.choice((1.5, 2.0, 2.5)), "结佣周期(天)": rng.choice((30, 60, 90)),
                  **{s: rng.randrange(2, 6) for s in ("区位评分", "价格评分", "产品评分", "开发商评分", "佣金评分", "去化评分")}}
                 for p in projects]
    written.append(_filled("screening", {}, {"楼盘筛选": screening}, hq / "楼盘筛选表.xlsx", _dt.date(2026, 9, 10)))
    stages = ("条件谈判", "已签约", "方案提报", "资料收集", "合同审批", "已搁置")
    for label, report, shift in (("2026W47", end - _dt.timedelta(days=7), 0), ("2026W48", end, 1)):
        rows = []
        for k, p in enumerate(projects):
            stage = stages[k]
            if shift and k == 2:
                stage = "资料收集"  # moved back since last week: stage.regressed
            if shift and k == 0:
                stage = "合同审批"
            last = report - _dt.timedelta(days=(3, 5, 20, 9, 2, 30)[k])
            rows.append({"楼盘名称": p, "开发商": f"成都{p[:2]}置业有限公司", "所在区域": "成都", "我方负责人": "李强",
                         "首次接触日期": _dt.date(2026, 8, 1) + _dt.timedelta(days=7 * k), "当前阶段": stage,
                         "意向佣金点位(%)": 1.5 + 0.5 * (k % 3), "结佣周期(天)": 60, "是否独家": "否",
                         "最近跟进日期": last, "签约日期": _dt.date(2026, 11, 12) if stage == "已签约" else None,
                         "签约概率(%)": None if k % 2 else (30, 100, 40, 20, 80, 0)[k]})
        written.append(_filled("negotiation", {"负责部门": "开发商合作部", "填表人": "李强", "填表日期": report},
                               {"谈判跟进": rows}, hq / f"楼盘谈判跟进汇总表-{label}.xlsx", report))
    agreements = []
    for k, channel in enumerate(CHANNELS):
        start = _dt.date(2026, 9, 1) + _dt.timedelta(days=3 * k)
        expires = start + _dt.timedelta(days=365)
        state = "有效"
        if k == 3:
            expires = end + _dt.timedelta(days=12)  # expiring soon
        if k == 6:
            expires = end - _dt.timedelta(days=5)  # expired but still 有效: an error
        bank, street = PARTNER_PLACES[channel.branch]
        row = {"协议编号": f"QD-2026-{k + 1:03d}", "渠道名称": channel.name, "渠道类型": channel.type,
               "乙方地址": f"{street} {18 + 7 * k} 号", "乙方联系人": PARTNER_CONTACTS[k],
               "乙方电话": f"139{8910001 + 1013 * k:08d}",
               "合作区域": "西藏自治区、四川省", "合作楼盘": "、".join(projects),
               "签订日期": start - _dt.timedelta(days=2), "生效日期": start, "到期日期": expires,
               "佣金点位(%)": 1.5, "结佣周期(天)": 30,
               "收款户名": channel.name, "开户行": bank, "收款账号": f"6228 4801 {2345 + 97 * k:04d} {6789 + 11 * k:04d} 0{k:02d}",
               "是否独家": "否", "保护期(天)": 30, "目标周期": "季度", "登记目标(人)": channel.size // 2,
               "到访目标(人)": max(2, channel.size // 5), "成交目标(套)": 1 + channel.size // 30,
               "成交额目标(万元)": 150 * (1 + channel.size // 30), "状态": state, "我方签约人": "李强"}
        if channel.type == "关联单位":  # a staff union: an event target instead of amounts
            del row["成交额目标(万元)"]
            row["合作目标"] = "每季度组织职工看房活动 1 次"
        if k == 9:  # signed last: the partner has not sent its account yet (qudao agreement names the cells)
            for column in ("收款户名", "开户行", "收款账号"):
                del row[column]
            row["备注"] = "收款账户待乙方提供"
        agreements.append(row)
    written.append(_filled("agreements", {}, {"协议台账": agreements}, hq / "渠道合作协议台账.xlsx", end))
    written.append(_filled("dev-process", {"楼盘名称": "麓湖花园", "开发商": "成都麓湖置业有限公司", "负责人": "李强"}, {},
                           hq / "开发商合作洽谈标准流程管理表-麓湖花园.xlsx", end))

    from qudao.schema.survey import AGE_BANDS, AWARENESS, INCOMES, INTENTIONS, JOBS

    respondents = [{"调查日期": _dt.date(2026, 9, 25) + _dt.timedelta(days=rng.randrange(14)), "调查地点": rng.choice(("八廓街", "太阳岛", "柳梧新区")),
                    "受访者姓名": rng.choice(SURNAMES) + rng.choice(GIVEN), "性别": rng.choice("男女"),
                    "年龄段": rng.choice(AGE_BANDS), "职业": rng.choice(JOBS), "家庭年收入": rng.choice(INCOMES),
                    "购房意向": rng.choice(INTENTIONS), "意向城市": rng.choice(("成都", "拉萨", "成都")),
                    "购房目的": rng.choice(PURPOSES), "了解渠道": rng.choice(AWARENESS), "调查人": rng.choice(STAFF)}
                   for _ in range(60)]
    written.append(_filled("survey", {}, {"调查记录": respondents}, root / "拉萨分所" / "西藏本地客户调查表.xlsx",
                           _dt.date(2026, 10, 10)))
    event_values = {"活动名称": "拉萨渠道客户推介会", "活动类型": "推介会", "主题": "天府新区改善置业专场",
                    "日期": _dt.date(2026, 11, 14), "地点": "拉萨香格里拉酒店", "主办分所": "拉萨分所",
                    "合作渠道": "拉萨布达拉物业服务有限公司、西藏浙江商会", "目标到场人数": 80, "目标登记人数": 40,
                    "预算总额(元)": 30000}
    written.append(_filled("event", event_values, {
        "流程安排": [{"时间": "14:00-14:30", "环节": "签到、茶歇"}, {"时间": "14:30-15:30", "环节": "项目推介"},
                 {"时间": "15:30-16:30", "环节": "答疑与登记"}],
        "人员分工": [{"姓名": "王芳", "岗位": "主持"}, {"姓名": "李强", "岗位": "项目讲解"}],
        "物料清单": [{"物料": "易拉宝", "数量": 4, "单价(元)": 120}, {"物料": "楼书", "数量": 200, "单价(元)": 15}],
        "邀约名单": [{"渠道名称": "拉萨布达拉物业服务有限公司", "邀约人数": 50, "确认人数": 40, "实到人数": 36},
                 {"渠道名称": "西藏浙江商会", "邀约人数": 40, "确认人数": 30, "实到人数": 27}],
        "效果统计": [{"实到人数": 63, "现场登记数": 38, "后续到访数": 9, "成交数": 2, "成交金额(万元)": 365.5}],
    }, root / "拉萨分所" / "推介会执行方案-2026-11-14.xlsx", _dt.date(2026, 11, 16)))
    partners = [{"机构名称": name, "机构类型": "二手中介", "城市": "绵阳", "门店数": rng.randrange(2, 20),
                 "经纪人数": rng.randrange(10, 120), "合作状态": state, "报备客户数": rng.randrange(0, 40),
                 "成交套数": rng.randrange(0, 4)}
                for name, state in (("绵阳安家二手房", "已合作"), ("绵阳链家门店", "洽谈中"), ("绵阳房多多", "已合作"),
                                    ("绵阳乐居中介", "暂停"))]
    written.append(_filled("agencies", {}, {"中介机构": partners}, root / "绵阳分所" / "中介机构对接表.xlsx", end))
    firms = [{"企业名称": name, "关联类型": kind, "所属行业": industry, "员工人数": rng.randrange(200, 3000),
              "合作方式": "员工团购", "已办活动数": rng.randrange(0, 4), "推荐客户数": rng.randrange(0, 30),
              "合作状态": state}
             for name, kind, industry, state in (("西藏电力公司", "合作单位", "能源", "已合作"),
                                                 ("西藏天路股份", "客户单位", "建筑", "洽谈中"))]
    written.append(_filled("affiliates", {}, {"关联企业": firms}, root / "拉萨分所" / "关联企业对接表.xlsx", end))
    feedback_rows = [{"工作事项": "西藏浙江商会合作洽谈", "本周进展": "协议已盖章", "完成度(%)": 100, "状态": "已完成"},
                     {"工作事项": "推介会筹备", "本周进展": "物料已下单", "完成度(%)": 60, "状态": "进行中",
                      "下周计划": "确认到场名单"}]
    customers = [{"客户姓名": rng.choice(SURNAMES) + rng.choice(GIVEN), "联系电话": _phone(rng), "来源渠道": "西藏浙江商会",
                  "首次接触日期": end - _dt.timedelta(days=40), "最近跟进日期": end - _dt.timedelta(days=d),
                  "跟进方式": "微信", "意向楼盘": rng.choice(projects), "意向等级": g,
                  "下次跟进日期": end + _dt.timedelta(days=n)}
                 for d, g, n in ((3, "A", 5), (20, "B", 3), (2, "C", 10), (30, "D", 12))]
    written.append(_filled("feedback", {"分所": "拉萨分所", "填报人": "王芳", "周次": "2026-W48", "填报日期": end},
                           {"工作进展": feedback_rows, "客户内容": customers},
                           root / "拉萨分所" / "工作进程反馈表-2026W48.xlsx", end))
    return sorted(written)


# --------------------------------------------------------------------------- targets and scores (issue 16)

QUARTER_START = _dt.date(2026, 10, 1)
# how far above the quarter's pace so far each channel's targets are set (a spread of results), by channel;
# None: no targets (assessed on its scores alone)
TARGET_PACE = {"拉萨布达拉物业服务有限公司": 1.3, "西藏浙江商会": 1.15, "拉萨天路国际旅行社": 0.9, "西藏电力工会": None,
               "日喀则扎什物业": 1.1, "农业银行日喀则支行": 2.6, "日喀则雪莲旅行社": 1.4, "绵阳涪城物业": 1.25,
               "绵阳安家二手房": 1.6, "绵阳长虹工会": 2.2}
UNSCORED = ("绵阳长虹工会",)  # no qualitative scores yet: its total is its quantitative score
COMMENTS = ("报备及时、资料完整", "主动组织看房团", "配合案场接待", "培训出勤率高", "报备偶有遗漏", "需加强客户跟进")


def write_assessment_sheets(root: Path, regs: list[Reg], seed: int = 2026, end: _dt.date = END) -> list[Path]:
    """The quarter's 渠道目标表 (targets set in October, a few channels ahead of them, some behind, one
    without) and 渠道考核评分表 (managers' scores; one channel not scored yet)."""
    import math

    rng = random.Random(seed + 2)
    days = (end - QUARTER_START).days + 1
    pace = 92 / days  # the quarter's length over the days gone: a channel on pace reaches its targets
    targets, scores = [], []
    for channel in CHANNELS:
        mine = [r for r in regs if r.channel is channel and QUARTER_START <= r.registered <= end]
        visits = sum(1 for r in mine if r.visit and r.visit <= end)
        deals = [r for r in mine if r.deal and r.deal <= end]
        factor = TARGET_PACE[channel.name]
        if factor is not None:
            amount = sum(r.deal_amount or 0 for r in deals)
            targets.append({"考核期间": "2026Q4", "渠道名称": channel.name, "所属分所": channel.branch,
                            "登记目标": max(5, math.ceil(len(mine) * pace * factor / 5) * 5),
                            "到访目标": max(2, math.ceil(visits * pace * factor)),
                            "成交套数目标": max(1, math.ceil(len(deals) * pace * factor)),
                            "成交金额目标(万元)": max(100, math.ceil(amount * pace * factor / 50) * 50)})
        if channel.name not in UNSCORED:
            base = 5 if factor is not None and factor < 1 else 4 if factor is None or factor < 1.5 else 3
            scores.append({"考核期间": "2026Q4", "渠道名称": channel.name, "所属分所": channel.branch,
                           **{item: min(5, max(1, base + rng.choice((-1, 0, 0, 1))))
                              for item in ("服务质量/满意度", "市场开发", "配合度", "培训参与")},
                           "评语": rng.choice(COMMENTS), "评分人": rng.choice(STAFF), "评分日期": end})
    development = [{"考核期间": "2026Q4", "所属分所": branch, "新拓展渠道目标": n}
                   for branch, n in (("拉萨分所", 2), ("日喀则分所", 1), ("绵阳分所", 2))]
    hq = root / "总部"
    return [
        _filled("targets", {"编制部门": "渠道管理部", "填表人": "李强", "填表日期": _dt.date(2026, 10, 8)},
                {"渠道目标": targets, "拓展目标": development}, hq / "渠道目标表-2026Q4.xlsx", _dt.date(2026, 10, 8)),
        _filled("scores", {"评分部门": "渠道管理部", "填表日期": end}, {"考核评分": scores},
                hq / "渠道考核评分表-2026Q4.xlsx", end),
    ]


# --------------------------------------------------------------------------- a web-form export

#: The header row of a 问卷星 export ("按选项文本下载"): its own columns first, then the questions, numbered.
FORM_HEADER = ("序号", "提交答卷时间", "所用时间", "来源", "来源详情", "来自IP", "1、客户姓名", "2、手机号码", "3、性别",
               "4、意向楼盘", "5、预算（万元）", "6、客户意向程度", "7、备注")
FORM_EXPORT = "网络表单导出.csv"


def write_form_export(path: Path, seed: int = 11, end: _dt.date = END, rows: int = 12) -> Path:
    """A web-form export as people download it (UTF-8 with BOM): new customers registered through an online
    form in the week up to ``end``; the README's ``fill`` example reads it."""
    rng = random.Random(seed)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(FORM_HEADER)
    for n in range(1, rows + 1):
        at = _dt.datetime.combine(end - _dt.timedelta(days=rng.randrange(0, 5)),
                                  _dt.time(rng.randrange(8, 22), rng.randrange(60), rng.randrange(60)))
        writer.writerow([n, at.strftime("%Y/%m/%d %H:%M:%S"), f"{rng.randrange(30, 200)}秒", "微信", "N/A",
                         f"113.62.{rng.randrange(256)}.{rng.randrange(256)}(西藏-拉萨)",
                         rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2)))),
                         _phone(rng), rng.choice("男女"), rng.choice(PROPERTIES), rng.randrange(60, 400),
                         rng.choice("AABBBCCD"), rng.choice(("", "", "周末看房", "想要学区房"))])
    return write_bytes(path, buf.getvalue().encode("utf-8-sig"), force=True)


# --------------------------------------------------------------------------- the demo job

MARKER = ".qudao-demo"


def run_demo(folder: Path, force: bool = False, workers: int | None = None):
    """``qudao demo``: write the sample inbox into ``folder/inbox``, summarize it and assess the quarter next
    to it. Returns (files written into the inbox, the summary run, the assessment run, the report files)."""
    import shutil

    from qudao.analysis.register import Period
    from qudao.check.engine import Options, collect
    from qudao.config import Settings
    from qudao.errors import OutputError
    from qudao.jobs.assess import AssessRun, assess_inbox
    from qudao.jobs.summarize import SummaryRun, read_inbox, summarize
    from qudao.periods import periods_containing

    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{folder} 不是文件夹")
    if folder.exists() and any(folder.iterdir()) and not (folder / MARKER).exists() and not force:
        raise OutputError(f"文件夹 {folder} 已有其他内容；换一个文件夹，或加 --force")
    inbox = folder / "inbox"
    if inbox.exists():
        shutil.rmtree(inbox)
    files = write_inbox(inbox)
    write_text(folder / MARKER, "written by qudao demo\n", force=True)
    write_form_export(folder / FORM_EXPORT)
    settings = Settings()
    read = read_inbox(collect([inbox]), Options(as_of=END, extra={"settings": settings}), workers)
    result = SummaryRun(summarize(read, settings, Period(), END), read.reports)
    written = result.write(xlsx=folder / "渠道汇总分析表.xlsx", html=folder / "渠道汇总分析表.html",
                           md=folder / "渠道汇总分析表.md", json_path=folder / "summary.json", force=True)
    quarter = periods_containing(END)[0]
    assessed = AssessRun(assess_inbox(read, quarter, settings, END), read.reports)
    stem = folder / f"渠道考核-{quarter.label}"
    written += assessed.write(xlsx=stem.with_suffix(".xlsx"), html=stem.with_suffix(".html"),
                              md=stem.with_suffix(".md"), json_path=stem.with_suffix(".json"), force=True)
    return files, result, assessed, written
