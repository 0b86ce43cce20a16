"""A month of real use, 2026-W45 … 2026-W48: the scenario and the inbox it produces.

Ground truth lives in plain data here (CHANNELS, CUSTOMERS, MISTAKES, FEEDBACK,
AGREEMENTS). From it:

* :func:`copies` — every file anybody sends during the month, with what each
  copy says (written values, mistakes included), where each value sits (cell
  references) and when it was sent;
* :func:`write_inbox` — the inbox as it stood on the Monday after a week;
* ``EVENTS`` — the true registrations, visits and deals, dated.

Nothing here imports qudao. The oracle (oracle.py) reads this module, never
the files, and never qudao.

Everything is deterministic: the same call writes byte-identical files (the
xlsx zip entries and the document's created/modified dates are pinned to the
copy's send date).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

D = dt.date

# --------------------------------------------------------------------------- weeks

WEEKS = ("2026-W45", "2026-W46", "2026-W47", "2026-W48")


def week_days(week: str) -> tuple[dt.date, dt.date]:
    """Monday and Sunday of an ISO week label ``2026-W46``."""
    year, num = int(week[:4]), int(week.split("W")[1])
    monday = dt.date.fromisocalendar(year, num, 1)
    return monday, monday + dt.timedelta(days=6)


def friday(week: str) -> dt.date:
    return week_days(week)[0] + dt.timedelta(days=4)


def monday_after(week: str) -> dt.date:
    return week_days(week)[1] + dt.timedelta(days=1)


def week_of(day: dt.date) -> str:
    y, w, _ = day.isocalendar()
    return f"{y}-W{w:02d}"


def tag(week: str) -> str:
    """The week tag people put in file names: ``2026W46``."""
    return week.replace("-", "")


# --------------------------------------------------------------------------- the scenario


@dataclass(frozen=True)
class Channel:
    key: str
    name: str  # the name the channel itself writes (header block / column)
    type: str
    branch: str
    layout: str  # template | csv | pasted
    staff: str  # our 跟进人
    contact: str
    contact_phone: str
    weeks: tuple[str, ...]  # the weeks it sends a copy


CHANNELS: tuple[Channel, ...] = (
    Channel("A", "拉萨雪域物业", "物业", "拉萨分所", "template", "王芳", "扎西", "13908915500", WEEKS),
    Channel("B", "西藏四川商会", "协会商会", "拉萨分所", "csv", "次仁", "刘德明", "13908915600", WEEKS[:3]),
    Channel("C", "拉萨圣城国际旅行社", "旅行社", "拉萨分所", "pasted", "次仁", "索朗", "13908915700", WEEKS),
    Channel("D", "日喀则扎什物业", "物业", "日喀则分所", "template", "李强", "普布", "13908925500", WEEKS),
)
CHANNEL = {c.key: c for c in CHANNELS}
BRANCHES = ("拉萨分所", "日喀则分所")
PEOPLE = {"王芳": "拉萨分所", "次仁": "拉萨分所", "李强": "日喀则分所"}


@dataclass(frozen=True)
class Customer:
    """One channel's registration of one person, with what truly happened to that person."""

    id: str
    channel: str
    name: str
    phone: str
    gender: str
    city: str
    property: str
    area: int
    budget: float
    purpose: str
    grade: str
    registered: dt.date
    visit: dt.date | None = None
    deal: dt.date | None = None
    deal_property: str | None = None
    amount: float | None = None
    first_week: str | None = None  # the first copy that lists it (default: the week it was registered, W45 at the earliest)
    note: str = ""

    @property
    def appears(self) -> str:
        return self.first_week or max(WEEKS[0], week_of(self.registered))


CUSTOMERS: tuple[Customer, ...] = (
    # 拉萨雪域物业 (template)
    Customer("A1", "A", "张伟", "13908910001", "男", "拉萨", "麓湖花园", 120, 150, "自住", "B", D(2026, 10, 20),
             visit=D(2026, 11, 5), deal=D(2026, 11, 12), deal_property="麓湖花园", amount=152.0,
             note="deal 11-12: W46 copy leaves 成交金额 empty (deal.incomplete), W47 copy has it"),
    Customer("A2", "A", "李娜", "13908910002", "女", "拉萨", "雪域华庭", 95, 110, "投资", "C", D(2026, 10, 28),
             note="never visits; protection ends 11-27"),
    Customer("A3", "A", "王磊", "13908910003", "男", "拉萨", "麓湖花园", 140, 180, "自住", "A", D(2026, 11, 3),
             visit=D(2026, 11, 18), note="also registered by 拉萨圣城国际旅行社 on 11-10: 撞单, A keeps him"),
    Customer("A4", "A", "刘洋", "13908910004", "男", "林芝", "天府锦城", 88, 95, "养老", "B", D(2026, 11, 5)),
    Customer("A5", "A", "陈静", "13908910005", "女", "拉萨", "麓湖花园", 110, 130, "子女教育", "A", D(2026, 11, 11),
             visit=D(2026, 11, 24), note="W47 copy: 到访日期 2026-11-31; W48 copy: 2026-11-24"),
    Customer("A6", "A", "杨帆", "13908910006", "男", "拉萨", "雪域华庭", 75, 80, "投资", "C", D(2026, 11, 19)),
    Customer("A7", "A", "赵敏", "13908910007", "女", "山南", "天府锦城", 130, 160, "自住", "B", D(2026, 11, 25)),
    # 西藏四川商会 (CSV)
    Customer("B1", "B", "孙丽", "13908910011", "女", "拉萨", "天府锦城", 100, 120, "自住", "B", D(2026, 10, 9),
             visit=D(2026, 11, 19), note="visits 11-19, after protection ended 11-08: 自然到访"),
    Customer("B2", "B", "周杰", "13908910012", "男", "拉萨", "麓湖花园", 125, 170, "自住", "A", D(2026, 10, 30),
             visit=D(2026, 11, 6)),
    Customer("B3", "B", "吴霞", "13908910013", "女", "拉萨", "雪域华庭", 90, 100, "投资", "C", D(2026, 11, 4),
             first_week="2026-W46", note="registered 11-04 (W45) but first listed in the W46 copy: late"),
    Customer("B4", "B", "郑凯", "13908910014", "男", "日喀则", "麓湖花园", 118, 140, "自住", "B", D(2026, 11, 12)),
    Customer("B5", "B", "冯雪", "13908910015", "女", "拉萨", "天府锦城", 85, 90, "养老", "B", D(2026, 11, 17)),
    # 拉萨圣城国际旅行社 (pasted, yearless dates)
    Customer("C1", "C", "马超", "13908910021", "男", "拉萨", "天府锦城", 98, 105, "度假", "B", D(2026, 11, 2)),
    Customer("C2", "C", "王磊", "13908910003", "男", "拉萨", "麓湖花园", 140, 180, "自住", "A", D(2026, 11, 10),
             note="same phone as A3: loses the 撞单 (inside A's protection to 12-03)"),
    Customer("C3", "C", "胡兵", "13908910023", "男", "那曲", "雪域华庭", 80, 85, "投资", "C", D(2026, 11, 9),
             note="W46 copy: phone 1390891002 (10 digits); W47 copy fixed"),
    Customer("C4", "C", "林芳", "13908910024", "女", "拉萨", "麓湖花园", 115, 150, "自住", "A", D(2026, 11, 16),
             visit=D(2026, 11, 19)),
    Customer("C5", "C", "高原", "13908910025", "男", "拉萨", "天府锦城", 70, 75, "度假", "C", D(2026, 11, 24)),
    # 日喀则扎什物业 (template)
    Customer("D1", "D", "达瓦", "13908920031", "男", "日喀则", "雪域华庭", 135, 140, "自住", "A", D(2026, 10, 26),
             visit=D(2026, 11, 10), deal=D(2026, 11, 18), deal_property="雪域华庭", amount=126.8,
             note="W47 copy (no usable 报送日期) says 128.6, W48 copy corrects to 126.8"),
    Customer("D2", "D", "次旦", "13908920032", "男", "日喀则", "麓湖花园", 105, 120, "子女教育", "B", D(2026, 11, 2)),
    Customer("D3", "D", "央金", "13908920033", "女", "日喀则", "雪域华庭", 92, 98, "养老", "C", D(2026, 11, 13)),
    Customer("D4", "D", "格桑", "13908920034", "男", "日喀则", "天府锦城", 100, 115, "自住", "B", D(2026, 11, 20)),
    Customer("D5", "D", "尼玛", "13908920035", "男", "拉萨", "麓湖花园", 128, 165, "投资", "A", D(2026, 11, 23),
             visit=D(2026, 11, 26)),
)
CUSTOMER = {c.id: c for c in CUSTOMERS}


def _events() -> list[tuple]:
    out = []
    for c in CUSTOMERS:
        ch = CHANNEL[c.channel].name
        out.append((c.registered, "register", ch, c.phone, c.name, c.id))
        if c.visit:
            out.append((c.visit, "visit", ch, c.phone, c.name, c.id))
        if c.deal:
            out.append((c.deal, "deal", ch, c.phone, c.name, c.id, c.deal_property, c.amount))
    return sorted(out, key=lambda e: (e[0], e[1], e[2], e[5]))


#: The true events, dated: (date, "register"|"visit"|"deal", channel, phone, name, id[, 成交楼盘, 成交金额]).
EVENTS: list[tuple] = _events()


@dataclass(frozen=True)
class Mistake:
    """What one copy says wrongly. ``code`` None: a wrong but valid value (no finding)."""

    channel: str
    week: str
    customer: str | None  # None: the header block
    column: str
    written: Any  # what is in the cell (None: left empty)
    code: str | None
    severity: str | None
    what: str


MISTAKES: tuple[Mistake, ...] = (
    Mistake("A", "2026-W46", "A1", "成交金额(万元)", None, "deal.incomplete", "error",
            "成交日期 and 成交楼盘 filled, 成交金额 empty (fixed in W47)"),
    Mistake("A", "2026-W47", "A5", "到访日期", "2026-11-31", "value.type", "error",
            "到访日期 2026-11-31 does not exist (W48 copy: 2026-11-24)"),
    Mistake("C", "2026-W46", "C3", "联系电话", "1390891002", "phone.format", "error",
            "10-digit phone (fixed in W47)"),
    Mistake("D", "2026-W47", None, "报送日期", "11.20", "block.value", "warning",
            "报送日期 typed as 11.20 (no year, day and month ambiguous): the copy is placed by the week in its name"),
    Mistake("D", "2026-W47", "D1", "成交金额(万元)", 128.6, None, None,
            "deal amount typed 128.6 (W48 copy corrects it to 126.8); no finding"),
)

# --------------------------------------------------------------------------- layouts

TEMPLATE_COLUMNS = ("序号", "登记日期", "客户姓名", "联系电话", "性别", "常住城市", "意向楼盘", "意向面积(㎡)",
                    "预算(万元)", "购房目的", "意向等级", "到访日期", "成交日期", "成交楼盘", "成交金额(万元)",
                    "渠道名称", "渠道类型", "所属分所", "跟进人", "备注")
# the CSV export of 西藏四川商会: its own order, aliases → canonical
CSV_COLUMNS = (("报备日期", "登记日期"), ("姓名", "客户姓名"), ("手机号", "联系电话"), ("性别", "性别"),
               ("客户等级", "意向等级"), ("意向项目", "意向楼盘"), ("面积", "意向面积(㎡)"), ("预算", "预算(万元)"),
               ("来访日期", "到访日期"), ("成交日期", "成交日期"), ("成交楼盘", "成交楼盘"), ("成交金额", "成交金额(万元)"),
               ("渠道名称", "渠道名称"), ("渠道类型", "渠道类型"), ("跟进人", "跟进人"), ("备注", "备注"))
PASTED_COLUMNS = ("序号", "登记日期", "客户姓名", "联系电话", "意向等级", "意向楼盘", "到访日期", "跟进人", "备注")

LAYOUT = {
    # header row (1-based), first data row, columns (canonical names in sheet order), sheet name
    "template": (4, 5, TEMPLATE_COLUMNS, "意向客户登记"),
    "csv": (1, 2, tuple(c for _, c in CSV_COLUMNS), None),
    "pasted": (3, 4, PASTED_COLUMNS, "Sheet1"),
}
TEMPLATE_BLOCK_CELLS = {"渠道名称": "B2", "渠道类型": "E2", "所属分所": "H2", "渠道联系人": "B3", "联系电话": "E3",
                        "报送日期": "H3"}
#: Columns whose dates 拉萨圣城国际旅行社 types without a year (11月10日).
YEARLESS = {"C": ("登记日期", "到访日期")}


def col_letter(n: int) -> str:
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def cell_ref(column_index: int, row: int) -> str:
    return f"{col_letter(column_index + 1)}{row}"


# --------------------------------------------------------------------------- copies


@dataclass
class Row:
    customer: Customer
    number: int  # the sheet row (1-based) / CSV line
    values: dict[str, Any]  # canonical column → what the copy means (dates as dates; None = empty)
    written: dict[str, Any]  # canonical column → what is in the cell (text for yearless dates etc.)
    cells: dict[str, str]  # canonical column → A1 reference
    mistakes: list[Mistake] = field(default_factory=list)

    @property
    def rejected(self) -> bool:
        return any(m.severity == "error" for m in self.mistakes)


@dataclass
class Copy:
    """One file in the inbox."""

    path: str  # relative to the inbox root, POSIX
    kind: str  # register | feedback | agreements | skipped
    series: str | None
    sent: dt.date | None  # when it arrived (None: always there)
    week: str | None  # the week tag in its name
    block_date: dt.date | None  # the usable header-block date (报送日期 / 填报日期), None if absent or unusable
    sheet: str | None = None
    channel: Channel | None = None
    rows: list[Row] = field(default_factory=list)
    block_mistakes: list[Mistake] = field(default_factory=list)
    block_cells: dict[str, str] = field(default_factory=dict)
    data: Any = None  # feedback / agreements content
    skip_reason: str | None = None

    @property
    def copy_date(self) -> dt.date | None:
        """docs/time.md: the header-block date, else the Friday of the week in the file name, else None."""
        if self.block_date is not None:
            return self.block_date
        if self.week is not None:
            return friday(self.week)
        return None


def _register_copy(ch: Channel, week: str, skip: tuple[str, ...] = ()) -> Copy:
    sent = friday(week)
    header_row, first, columns, sheet = LAYOUT[ch.layout]
    ext = "csv" if ch.layout == "csv" else "xlsx"
    path = f"{ch.branch}/{ch.name}-{tag(week)}.{ext}"
    if sheet is None:
        sheet = Path(path).stem
    mistakes = [m for m in MISTAKES if m.channel == ch.key and m.week == week and m.code not in skip]
    block_bad = [m for m in mistakes if m.customer is None]
    has_block_date = ch.layout != "csv"
    copy = Copy(path=path, kind="register", series=ch.name, sent=sent, week=week,
                block_date=sent if has_block_date and not block_bad else None, sheet=sheet, channel=ch,
                block_mistakes=block_bad)
    if ch.layout == "template":
        copy.block_cells = dict(TEMPLATE_BLOCK_CELLS)
    elif ch.layout == "pasted":
        copy.block_cells = {"渠道名称": "A1", "渠道类型": "C1", "报送日期": "B2"}
    listed = [c for c in CUSTOMERS if c.channel == ch.key and c.appears <= week]
    listed.sort(key=lambda c: (c.appears, c.registered, c.id))
    for i, c in enumerate(listed):
        number = first + i
        known_visit = c.visit if c.visit and c.visit <= sent else None
        known_deal = c.deal if c.deal and c.deal <= sent else None
        values = {
            "序号": i + 1, "登记日期": c.registered, "客户姓名": c.name, "联系电话": c.phone, "性别": c.gender,
            "常住城市": c.city, "意向楼盘": c.property, "意向面积(㎡)": c.area, "预算(万元)": c.budget,
            "购房目的": c.purpose, "意向等级": c.grade, "到访日期": known_visit, "成交日期": known_deal,
            "成交楼盘": c.deal_property if known_deal else None, "成交金额(万元)": c.amount if known_deal else None,
            "渠道名称": ch.name if ch.layout == "csv" else None, "渠道类型": ch.type if ch.layout == "csv" else None,
            "所属分所": None, "跟进人": ch.staff, "备注": None,
        }
        if c.id == "B3":
            values["备注"] = "补报（11月4日已报备，上周漏报）"
        values = {k: v for k, v in values.items() if k in columns}
        written = dict(values)
        for col in YEARLESS.get(ch.key, ()):
            if col in written and isinstance(written[col], dt.date):
                written[col] = f"{written[col].month}月{written[col].day}日"
        row_mistakes = [m for m in mistakes if m.customer == c.id]
        for m in row_mistakes:
            written[m.column] = m.written
            values[m.column] = m.written if m.code is None else None
        cells = {col: cell_ref(j, number) for j, col in enumerate(columns)}
        copy.rows.append(Row(c, number, values, written, cells, row_mistakes))
    return copy


# feedback: 工作进展 (progress) and 客户内容 (customers), per branch and week
PROGRESS_COLUMNS = ("序号", "工作事项", "本周进展", "完成度(%)", "存在问题", "需协调事项", "下周计划", "状态")
CONTENT_COLUMNS = ("序号", "客户姓名", "联系电话", "来源渠道", "首次接触日期", "最近跟进日期", "跟进方式", "意向楼盘",
                   "意向等级", "跟进内容", "下次跟进日期")
FEEDBACK_AUTHOR = {"拉萨分所": "王芳", "日喀则分所": "李强"}
FEEDBACK_WEEKS = {"拉萨分所": WEEKS, "日喀则分所": WEEKS[:2]}

# progress rows: (工作事项, {week: (本周进展, 完成度, 存在问题, 需协调事项, 下周计划, 状态)})
PROGRESS = {
    "拉萨分所": [
        ("雪域物业渠道培训", {
            "2026-W45": ("完成首场渠道培训，物业管家12人参加", 100, "", "", "跟进首批登记客户", "已完成")}),
        ("四川商会会员推介会筹备", {
            "2026-W45": ("场地已定，物料设计中", 60, "商会会员名单尚未提供", "请总部寄送推介会物料", "发出邀请函", "进行中"),
            "2026-W46": ("邀请函已发出，确认到场约30人", 85, "会员名单仍不完整", "请总部确认讲解人员", "11月18日举办", "进行中"),
            "2026-W47": ("11月18日推介会举办，到场26人，现场登记1组", 100, "", "", "回访到场会员", "已完成")}),
        ("圣城旅行社成都看房团", {
            "2026-W45": ("已报名3组客户", 30, "成都往返机票价格偏高", "申请看房团交通补贴", "确认出行日期", "进行中"),
            "2026-W46": ("交通补贴已批，出行定在11月下旬", 50, "", "请总部安排成都接待", "收齐身份证信息", "进行中"),
            "2026-W47": ("4组客户确认出行", 70, "一组客户临时改期", "", "出行前一天电话确认", "进行中"),
            "2026-W48": ("看房团完成，到访2组", 100, "", "", "跟进到访客户", "已完成")}),
        ("客户王磊撞单核实", {
            "2026-W46": ("雪域物业11月3日、圣城旅行社11月10日均登记王磊", 50, "两家渠道均称先接触客户",
                         "请总部按保护期规则裁定归属", "等待总部裁定", "进行中"),
            "2026-W47": ("总部按登记日期裁定归雪域物业", 100, "", "", "通知圣城旅行社", "已完成")}),
        ("雪域物业登记表到访日期核对", {
            "2026-W47": ("登记表中陈静到访日期填成11月31日", 50, "登记表日期填写错误", "", "让渠道更正后重报", "进行中"),
            "2026-W48": ("渠道已更正为11月24日", 100, "", "", "", "已完成")}),
    ],
    "日喀则分所": [
        ("扎什物业签约后培训", {
            "2026-W45": ("完成培训，物业前台6人参加", 100, "", "", "收集首批客户", "已完成")}),
        ("日喀则本地客户调查", {
            "2026-W45": ("回收问卷18份", 50, "问卷回收率低", "申请调查小礼品预算", "到小区摆点", "进行中"),
            "2026-W46": ("回收问卷31份", 80, "", "", "整理调查结果", "进行中")}),
        ("达瓦到访接待", {
            "2026-W46": ("11月10日到访雪域华庭，意向强烈", 100, "", "请总部准备优惠方案", "跟进认购", "已完成")}),
    ],
}

# customer rows: (客户姓名, 联系电话, 来源渠道, 首次接触日期, 意向楼盘, first week, {week: (最近跟进, 跟进方式, 意向等级, 跟进内容, 下次跟进)})
# carried over week to week; a week without an entry repeats the previous week's values unchanged.
FEEDBACK_CUSTOMERS = {
    "拉萨分所": [
        ("王磊", "13908910003", "拉萨雪域物业", D(2026, 11, 3), "麓湖花园", "2026-W45", {
            "2026-W45": (D(2026, 11, 5), "电话", "A", "意向麓湖花园三居", D(2026, 11, 12)),
            "2026-W46": (D(2026, 11, 12), "微信", "A", "确认看房团行程", D(2026, 11, 17)),
            "2026-W47": (D(2026, 11, 18), "看房", "A", "到访麓湖花园，比较户型", D(2026, 11, 25)),
            "2026-W48": (D(2026, 11, 25), "电话", "A", "等贷款预审结果", D(2026, 12, 2))}),
        ("马超", "13908910021", "拉萨圣城国际旅行社", D(2026, 11, 2), "天府锦城", "2026-W45", {
            "2026-W45": (D(2026, 11, 4), "电话", "A", "想看天府锦城小户型", D(2026, 11, 10))}),  # never followed up again
        ("孙丽", "13908910011", "西藏四川商会", D(2026, 10, 9), "天府锦城", "2026-W45", {
            "2026-W45": (D(2026, 11, 3), "微信", "B", "发送楼盘资料", D(2026, 11, 10)),
            "2026-W46": (D(2026, 11, 10), "电话", "B", "约推介会", D(2026, 11, 17)),
            "2026-W47": (D(2026, 11, 19), "面谈", "B", "推介会后自行到访天府锦城", D(2026, 11, 26)),
            "2026-W48": (D(2026, 11, 26), "电话", "B", "考虑中", D(2026, 12, 3))}),
        ("陈静", "13908910005", "拉萨雪域物业", D(2026, 11, 11), "麓湖花园", "2026-W46", {
            "2026-W46": (D(2026, 11, 12), "电话", "A", "孩子上学，关注学区", D(2026, 11, 19)),
            "2026-W47": (D(2026, 11, 19), "微信", "A", "预约看房", D(2026, 11, 24)),
            "2026-W48": (D(2026, 11, 24), "看房", "A", "到访麓湖花园", D(2026, 12, 1))}),
        ("林芳", "13908910024", "拉萨圣城国际旅行社", D(2026, 11, 16), "麓湖花园", "2026-W47", {
            "2026-W47": (D(2026, 11, 19), "看房", "B", "随看房团到访", D(2026, 11, 26)),
            "2026-W48": (D(2026, 11, 26), "电话", "B", "比较价格", D(2026, 12, 3))}),
    ],
    "日喀则分所": [
        ("达瓦", "13908920031", "日喀则扎什物业", D(2026, 10, 26), "雪域华庭", "2026-W45", {
            "2026-W45": (D(2026, 11, 5), "电话", "A", "约11月10日到访", D(2026, 11, 10)),
            "2026-W46": (D(2026, 11, 10), "看房", "A", "到访雪域华庭", D(2026, 11, 17))}),
        ("次旦", "13908920032", "日喀则扎什物业", D(2026, 10, 29), "麓湖花园", "2026-W45", {
            "2026-W45": (D(2026, 10, 29), "面谈", "B", "物业前台介绍", D(2026, 11, 15))}),  # not followed up since
    ],
}
STALE_DAYS = 14


def _feedback_copy(branch: str, week: str) -> Copy:
    sent = friday(week)
    path = f"{branch}/工作进程反馈表-{branch}-{tag(week)}.xlsx"
    progress = []
    for item, by_week in PROGRESS[branch]:
        weeks = sorted(w for w in by_week if w <= week)
        if not weeks:
            continue
        last = by_week[weeks[-1]]
        if weeks[-1] != week and last[-1] in ("已完成", "取消"):
            continue  # finished items are not carried over
        progress.append((item, *last))
    customers = []
    for name, phone, source, first, prop, start, by_week in FEEDBACK_CUSTOMERS[branch]:
        if start > week:
            continue
        weeks = sorted(w for w in by_week if w <= week)
        last_follow, how, grade, content, nxt = by_week[weeks[-1]]
        customers.append({"客户姓名": name, "联系电话": phone, "来源渠道": source, "首次接触日期": first,
                          "最近跟进日期": last_follow, "跟进方式": how, "意向楼盘": prop, "意向等级": grade,
                          "跟进内容": content, "下次跟进日期": nxt})
    data = {"分所": branch, "填报人": FEEDBACK_AUTHOR[branch], "周次": week, "填报日期": sent,
            "progress": progress, "customers": customers,
            # sheet → (header row, first data row)
            "layout": {"工作进展": (4, 5), "客户内容": (2, 3)}}
    return Copy(path=path, kind="feedback", series=branch, sent=sent, week=week, block_date=sent,
                sheet="客户内容", data=data, block_cells={"分所": "B2", "填报人": "E2", "周次": "B3", "填报日期": "E3"})


AGREEMENT_COLUMNS = ("协议编号", "渠道名称", "渠道类型", "合作区域", "合作楼盘", "签订日期", "生效日期", "到期日期",
                     "佣金点位(%)", "结佣周期(天)", "是否独家", "保护期(天)", "状态", "我方签约人", "备注")
AGREEMENTS = (
    # 渠道名称 as the ledger writes it: the legal name for 拉萨雪域物业
    {"协议编号": "QD-2026-001", "渠道名称": "拉萨雪域物业服务有限公司", "渠道类型": "物业", "合作区域": "拉萨城关区",
     "合作楼盘": "麓湖花园、雪域华庭", "签订日期": D(2026, 2, 20), "生效日期": D(2026, 3, 1), "到期日期": D(2027, 2, 28),
     "佣金点位(%)": 2.0, "结佣周期(天)": 30, "是否独家": "否", "保护期(天)": 30, "状态": "有效", "我方签约人": "王芳",
     "备注": "", "_channel": "A"},
    {"协议编号": "QD-2026-002", "渠道名称": "西藏四川商会", "渠道类型": "协会商会", "合作区域": "拉萨",
     "合作楼盘": "全部楼盘", "签订日期": D(2026, 4, 25), "生效日期": D(2026, 5, 1), "到期日期": D(2027, 4, 30),
     "佣金点位(%)": 1.5, "结佣周期(天)": 30, "是否独家": "否", "保护期(天)": None, "状态": "有效", "我方签约人": "次仁",
     "备注": "保护期按公司默认", "_channel": "B"},
    {"协议编号": "QD-2026-003", "渠道名称": "拉萨圣城国际旅行社", "渠道类型": "旅行社", "合作区域": "拉萨",
     "合作楼盘": "全部楼盘", "签订日期": D(2025, 12, 15), "生效日期": D(2025, 12, 21), "到期日期": D(2026, 12, 20),
     "佣金点位(%)": 1.6, "结佣周期(天)": 45, "是否独家": "否", "保护期(天)": 30, "状态": "有效", "我方签约人": "次仁",
     "备注": "到期前续签", "_channel": "C"},
    {"协议编号": "QD-2026-004", "渠道名称": "日喀则扎什物业", "渠道类型": "物业", "合作区域": "日喀则",
     "合作楼盘": "全部楼盘", "签订日期": D(2026, 5, 20), "生效日期": D(2026, 6, 1), "到期日期": D(2027, 5, 31),
     "佣金点位(%)": 1.8, "结佣周期(天)": 30, "是否独家": "是", "保护期(天)": 30, "状态": "有效", "我方签约人": "李强",
     "备注": "", "_channel": "D"},
)
AGREEMENTS_PATH = "总部/渠道合作协议台账.xlsx"
AGREEMENT_HEADER_ROW, AGREEMENT_FIRST_ROW = 2, 3
ET_PATH = "拉萨分所/客户跟进台账-2026W47.et"
LOCK_PATH = "拉萨分所/~$拉萨雪域物业-2026W48.xlsx"


def copies(skip: tuple[str, ...] = ()) -> list[Copy]:
    """Every file sent during the month, in path order. ``skip``: finding codes whose mistakes are left
    out (a variant of the month, e.g. ``("block.value",)``: every 报送日期 typed correctly)."""
    out: list[Copy] = []
    for ch in CHANNELS:
        for week in ch.weeks:
            out.append(_register_copy(ch, week, skip))
    for branch in BRANCHES:
        for week in FEEDBACK_WEEKS[branch]:
            out.append(_feedback_copy(branch, week))
    out.append(Copy(path=AGREEMENTS_PATH, kind="agreements", series="总部/渠道合作协议台账", sent=None, week=None,
                    block_date=None, sheet="协议台账", data=AGREEMENTS))
    out.append(Copy(path=ET_PATH, kind="skipped", series=None, sent=friday("2026-W47"), week="2026-W47",
                    block_date=None, skip_reason="unsupported"))
    out.append(Copy(path=LOCK_PATH, kind="skipped", series=None, sent=friday("2026-W48"), week="2026-W48",
                    block_date=None, skip_reason="lock_file"))
    return sorted(out, key=lambda c: c.path)


def copy_by_path(skip: tuple[str, ...] = ()) -> dict[str, Copy]:
    return {c.path: c for c in copies(skip)}


# --------------------------------------------------------------------------- writing

_CREATED = dt.datetime(2026, 9, 1, 9, 0, 0)


def _stamp(copy: Copy) -> dt.datetime:
    return dt.datetime.combine(copy.sent or dt.date(2026, 10, 30), dt.time(17, 30))


def _pinned_xlsx(wb, stamp: dt.datetime, creator: str) -> bytes:
    """Save ``wb`` and re-pack the zip with fixed entry times and document dates."""
    wb.properties.creator = creator
    wb.properties.lastModifiedBy = creator
    wb.properties.created = _CREATED
    buf = io.BytesIO()
    wb.save(buf)  # openpyxl stamps dcterms:modified with now(): replaced below
    fixed = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                text = data.decode("utf-8")
                text = re.sub(r"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)", rf"\g<1>{fixed}\g<2>", text)
                data = text.encode("utf-8")
            zi = zipfile.ZipInfo(info.filename, date_time=stamp.timetuple()[:6])
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            dst.writestr(zi, data)
    return out.getvalue()


def _meta_sheet(wb, kind: str, title: str) -> None:
    ws = wb.create_sheet("_qudao")
    for r, (k, v) in enumerate((("kind", kind), ("version", 1), ("title", title), ("generator", "qudao 0.1.0")), 1):
        ws.cell(row=r, column=1, value=k)
        ws.cell(row=r, column=2, value=v)
    ws.sheet_state = "hidden"


def _put(ws, ref: str, value: Any, date_format: bool = True) -> None:
    cell = ws[ref]
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        cell.value = dt.datetime.combine(value, dt.time())
        cell.number_format = "yyyy-mm-dd"
    else:
        cell.value = value
        if isinstance(value, str) and value.isdigit():
            cell.number_format = "@"


def _register_xlsx(copy: Copy) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    ch = copy.channel
    header_row, _first, columns, sheet = LAYOUT[ch.layout]
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    bad_block = {m.column: m.written for m in copy.block_mistakes}
    if ch.layout == "template":
        ws["A1"] = "意向客户登记表"
        ws["A1"].font = Font(size=16, bold=True)
        ws["A1"].alignment = Alignment(horizontal="center")
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(columns))
        block = {"渠道名称": ch.name, "渠道类型": ch.type, "所属分所": ch.branch, "渠道联系人": ch.contact,
                 "联系电话": ch.contact_phone, "报送日期": copy.sent}
        block.update(bad_block)
        for label, ref in TEMPLATE_BLOCK_CELLS.items():
            col = ref[0]
            label_col = chr(ord(col) - 1)
            ws[f"{label_col}{ref[1:]}"] = f"{label}："
            _put(ws, ref, block[label])
            ws.merge_cells(f"{ref}:{chr(ord(col) + 1)}{ref[1:]}")
        _meta_sheet(wb, "register", "意向客户登记表")
    else:  # pasted: no title; the channel name typed as one "label：value" cell, the date beside its label
        ws["A1"] = f"渠道名称：{ch.name}"
        ws["C1"] = f"渠道类型：{ch.type}"
        ws["A2"] = "报送日期："
        _put(ws, "B2", bad_block.get("报送日期", copy.sent))
    for j, col in enumerate(columns):
        ws.cell(row=header_row, column=j + 1, value=col).font = Font(bold=True)
    for row in copy.rows:
        for col, ref in row.cells.items():
            value = row.written.get(col)
            if value is None or value == "":
                continue
            _put(ws, ref, value)
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    return _pinned_xlsx(wb, _stamp(copy), ch.staff if ch.layout == "template" else ch.contact)


def _register_csv(copy: Copy) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([alias for alias, _ in CSV_COLUMNS])
    for row in copy.rows:
        line = []
        for _alias, col in CSV_COLUMNS:
            v = row.written.get(col)
            if isinstance(v, dt.date):
                v = f"{v.year}/{v.month}/{v.day}"  # how the form system exports dates
            elif isinstance(v, float) and v.is_integer():
                v = int(v)
            line.append("" if v is None else v)
        w.writerow(line)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def _feedback_xlsx(copy: Copy) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    data = copy.data
    wb = Workbook()
    ws = wb.active
    ws.title = "工作进展"
    ws["A1"] = "工作进程反馈表"
    ws["A1"].font = Font(size=16, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(PROGRESS_COLUMNS))
    for label, ref in copy.block_cells.items():
        col = ref[0]
        ws[f"{chr(ord(col) - 1)}{ref[1:]}"] = f"{label}："
        _put(ws, ref, data[label])
        ws.merge_cells(f"{ref}:{chr(ord(col) + 1)}{ref[1:]}")
    hr, first = data["layout"]["工作进展"]
    for j, col in enumerate(PROGRESS_COLUMNS):
        ws.cell(row=hr, column=j + 1, value=col).font = Font(bold=True)
    for i, (item, progress, pct, problem, coord, plan, status) in enumerate(data["progress"]):
        for j, v in enumerate((i + 1, item, progress, pct, problem, coord, plan, status)):
            if v not in (None, ""):
                ws.cell(row=first + i, column=j + 1, value=v)
    ws2 = wb.create_sheet("客户内容")
    ws2["A1"] = "客户内容表"
    ws2["A1"].font = Font(size=14, bold=True)
    ws2.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(CONTENT_COLUMNS))
    hr, first = data["layout"]["客户内容"]
    for j, col in enumerate(CONTENT_COLUMNS):
        ws2.cell(row=hr, column=j + 1, value=col).font = Font(bold=True)
    for i, cust in enumerate(data["customers"]):
        for j, col in enumerate(CONTENT_COLUMNS):
            v = i + 1 if col == "序号" else cust.get(col)
            if v not in (None, ""):
                _put(ws2, cell_ref(j, first + i), v)
    _meta_sheet(wb, "feedback", "工作进程反馈表")
    return _pinned_xlsx(wb, _stamp(copy), data["填报人"])


def agreement_cell(index: int, column: str) -> str:
    return cell_ref(AGREEMENT_COLUMNS.index(column), AGREEMENT_FIRST_ROW + index)


def _agreements_xlsx(copy: Copy) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = "协议台账"
    ws["A1"] = "渠道合作协议台账"
    ws["A1"].font = Font(size=16, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(AGREEMENT_COLUMNS))
    for j, col in enumerate(AGREEMENT_COLUMNS):
        ws.cell(row=AGREEMENT_HEADER_ROW, column=j + 1, value=col).font = Font(bold=True)
    for i, row in enumerate(copy.data):
        for j, col in enumerate(AGREEMENT_COLUMNS):
            v = row.get(col)
            if v not in (None, ""):
                _put(ws, cell_ref(j, AGREEMENT_FIRST_ROW + i), v)
    _meta_sheet(wb, "agreements", "渠道合作协议台账")
    stamp = dt.datetime(2026, 10, 30, 17, 30)
    return _pinned_xlsx(wb, stamp, "总部渠道部")


def _et_bytes() -> bytes:
    # a WPS 表格 file as WPS saves it by default: an OLE2 compound document (header only here)
    head = bytes.fromhex("d0cf11e0a1b11ae1") + bytes(16) + bytes.fromhex("3e000300feff0900")
    return head + b"WPS Spreadsheets placeholder: not a real workbook".ljust(512 - len(head), b"\0")


def _lock_bytes() -> bytes:
    # ~$ owner file as Excel writes it: user name (len + ANSI, padded), then UTF-16 name, padded to 165 bytes
    user = "wangfang"
    data = bytes([len(user)]) + user.encode("ascii").ljust(53, b" ")
    data += len(user).to_bytes(2, "little") + user.encode("utf-16-le")
    return data.ljust(165, b"\0")


def content(copy: Copy) -> bytes:
    if copy.kind == "register":
        return _register_csv(copy) if copy.channel.layout == "csv" else _register_xlsx(copy)
    if copy.kind == "feedback":
        return _feedback_xlsx(copy)
    if copy.kind == "agreements":
        return _agreements_xlsx(copy)
    if copy.skip_reason == "unsupported":
        return _et_bytes()
    return _lock_bytes()


def in_inbox(copy: Copy, upto: str) -> bool:
    """Was ``copy`` in the inbox on the Monday after ``upto``? (undated files: always)"""
    return copy.sent is None or copy.sent <= monday_after(upto)


def write_inbox(root: Path, upto: str, skip: tuple[str, ...] = ()) -> list[Path]:
    """The inbox as it stood on the Monday after week ``upto``; returns the paths written, sorted.
    ``skip``: see :func:`copies` (default: the month as it happened)."""
    if upto not in WEEKS:
        raise ValueError(f"upto must be one of {WEEKS}: {upto!r}")
    root = Path(root)
    written = []
    for copy in copies(skip):
        if not in_inbox(copy, upto):
            continue
        path = root / copy.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content(copy))
        stamp = _stamp(copy).timestamp()
        os.utime(path, (stamp, stamp))
        written.append(path)
    return sorted(written)


if __name__ == "__main__":  # python month.py DIR [WEEK]
    import sys

    target = Path(sys.argv[1] if len(sys.argv) > 1 else "inbox")
    for p in write_inbox(target, sys.argv[2] if len(sys.argv) > 2 else WEEKS[-1]):
        print(p)
