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

from qudao.io.atomic import write_bytes

END = _dt.date(2026, 11, 27)  # the last report date (a Friday, 2026-W48)
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华玉兰萍红娟建国志红梅丹玲卓玛次仁扎西央金格桑达瓦旺堆拉姆"
CITIES = ("拉萨", "日喀则", "林芝", "山南", "成都", "绵阳", "德阳")
PROPERTIES = ("麓湖花园", "天府云城", "东安湖壹号", "青城山居", "锦江雅苑", "兴隆湖畔")
PURPOSES = ("自住", "投资", "养老", "度假", "子女教育", "其他")
STAFF = ("王芳", "李强", "张敏", "刘洋", "次仁")
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
    regs.sort(key=lambda r: (r.registered, r.channel.name, r.phone))
    return regs


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
    from qudao.io.write import save

    wb.properties.creator = "qudao demo"
    save(wb, path, force=True, created=_dt.datetime.combine(report, _dt.time(18, 0)))


def _template_workbook(channel: Channel, report: _dt.date, rows: list[dict]):
    from qudao.io.write import build
    from qudao.schema import get_kind

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
            rows = [_visible(r, report) for r in mine if r.registered <= report or r.bad == "future"]
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
        rows = [_visible(r, report) for r in regs if r.channel in group and r.registered <= report]
        fake = Channel("", "", group[0].branch, "consolidated")
        headers = _headers(fake, week, consolidated=True)
        date_fmt, phone_fmt = _date_style(fake, week), _phone_style(fake, week)
        extra_rng = random.Random(week)
        lines = [[_value(canon, row, date_fmt, phone_fmt, extra_rng) for canon, _t in headers] for row in rows]
        wb = _pasted_workbook("", "", group[0].branch, report, headers, lines, week, merged_staff=False)
        path = root / group[0].branch / f"{group[0].branch}-汇总登记-{label}.xlsx"
        _save(wb, path, report)
        written.append(path)
    (root / "说明.txt").write_text(
        "这是 qudao demo 生成的示例收件箱：3 个分所、10 个渠道、6 周累计报送的意向客户登记表。\n"
        "格式故意不统一（别名表头、文本日期、数字电话、隐号、合计行、CSV……），也有少量错误行。\n",
        encoding="utf-8")
    return sorted(written)
