"""The 串货 and anomaly watch (异常监控, issue 24; docs/decisions.md → Evidence and 串货).

The team's rules ask HQ to 「密切监控渠道销售情况……对于销售异常或不正常的情况，进行调查和核实，防范串货」
(渠道合作和串货互动的管理规范 §3.2). Each rule below names the rows to check and why; nothing is rejected or
re-attributed by it (except 补登 with ``anomaly.backfill = "from_copy"``, which is an attribution setting):

=================  ==========================  ===========================================================
rule (anomaly.off)  code                        flags
=================  ==========================  ===========================================================
property            anomaly.property_outside    registrations for a 楼盘 outside the agreement's 合作楼盘
region              anomaly.region_outside      customers living outside the agreement's 合作区域
bulk                anomaly.bulk_day            ≥ bulk_day registrations by one channel on one day
sequence            anomaly.phone_sequence      ≥ phone_run phones of one channel each within phone_gap
pattern             anomaly.phone_pattern       made-up-looking phones (88888888, 12121212, 12345678 …)
name                anomaly.name_phones         one name with ≥ name_phones phones in one channel
after_visit         anomaly.after_visit         registered after the customer's first visit (截客)
loss                anomaly.loss_share          a channel losing far more of its registrations to 撞单
price               anomaly.price_band          a deal amount far outside its 楼盘's price band
backfill            anomaly.backfill            补登: first sent in copy D, dated before the previous copy
=================  ==========================  ===========================================================

An item has a stable 编号 (from the rule and what it is about); HQ marks it 正常 or 违规 in the 核实 column
of an 异常核实表 (kind ``verify``: a copy of the 异常监控 sheet kept in the inbox), and a marked item does not
come back. Thresholds are ``[anomaly]`` settings of qudao.toml.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import PurePosixPath
from typing import Any, Iterable

from qudao.analysis.attribution import AFTER_VISIT, LOST, Registration, Submission
from qudao.analysis.kinds import Section, TableData
from qudao.analysis.places import SEPARATORS, outside, region_places
from qudao.findings import CODES, Finding, make
from qudao.money import dec
from qudao.money import fmt as money_fmt
from qudao.normalize import fold, mask_phone, name_key, parse_number
from qudao.records import FileReport
from qudao.schema.verify import CHECKED, COLUMNS, SHEET

RULES = {  # rule name (anomaly.off) → code
    "property": "anomaly.property_outside", "region": "anomaly.region_outside", "bulk": "anomaly.bulk_day",
    "sequence": "anomaly.phone_sequence", "pattern": "anomaly.phone_pattern", "name": "anomaly.name_phones",
    "after_visit": "anomaly.after_visit", "loss": "anomaly.loss_share", "price": "anomaly.price_band",
    "backfill": "anomaly.backfill",
}
ROWS_SHOWN = 5  # rows named in the 需核对的行 cell (every row is in the JSON)
#: what a 合作楼盘 cell says when it sets no limit (the agreement's own hint: blank = 甲方代理并书面通知的楼盘)
ALL_PROPERTIES = {"全部", "所有", "不限", "全部楼盘", "所有楼盘", "甲方代理楼盘", "甲方代理的楼盘", "代理楼盘", "全部项目", "无"}


@dataclass(frozen=True)
class Where:
    file: str
    sheet: str
    row: int

    @property
    def text(self) -> str:
        return f"{self.file} 第 {self.row} 行"


@dataclass
class Item:
    """One thing for HQ to check."""

    code: str
    channel: str
    subject: str  # 对象: a customer, a day, a 楼盘, a phone run
    reason: str
    ident: str  # what the item is about, for its 编号 (rule + channel + subject key)
    rows: list[Where] = field(default_factory=list)
    first_seen: _dt.date | None = None

    @property
    def id(self) -> str:
        return "YC-" + hashlib.sha1(self.ident.encode("utf-8")).hexdigest()[:8].upper()

    @property
    def rule(self) -> str:
        return CODES[self.code].title

    @property
    def rows_text(self) -> str:
        """「拉萨分所/雪域-2026W48.xlsx 第 5、9 行」: the rows by file, at most ROWS_SHOWN of them named."""
        by_file: dict[str, list[int]] = {}
        for w in self.rows[:ROWS_SHOWN]:
            by_file.setdefault(w.file, []).append(w.row)
        shown = "；".join(f"{f} 第 {'、'.join(map(str, rows))} 行" for f, rows in by_file.items())
        return shown + (f"等，共 {len(self.rows)} 行" if len(self.rows) > ROWS_SHOWN else "")

    def finding(self) -> Finding:
        first = self.rows[0] if self.rows else Where("", "", 0)
        return make(self.code, f"异常监控（{self.rule}，编号 {self.id}）：{self.reason}",
                    file=first.file, sheet=first.sheet, row=first.row or None, value=self.subject)

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "code": self.code, "rule": self.rule, "channel": self.channel, "subject": self.subject,
                "reason": self.reason, "first_seen": self.first_seen.isoformat() if self.first_seen else None,
                "rows": [{"file": w.file, "sheet": w.sheet, "row": w.row} for w in self.rows]}


# --------------------------------------------------------------------------- helpers


def _where(reg: Registration) -> Where:
    src = reg.latest.source  # the current copy of the row: where it would be checked and fixed
    return Where(src.file, src.sheet, src.row)


def _seen(regs: Iterable[Registration]) -> _dt.date | None:
    """The earliest copy date holding any of the registrations: when HQ could first have seen the item."""
    days = [s.recency[0] for reg in regs for s in reg.submissions
            if s.recency and isinstance(s.recency[0], _dt.date) and s.recency[0] != _dt.date.min]
    return min(days) if days else None


def _customer(reg: Registration, show) -> str:
    return f"{reg.name} {show(reg.customer[1])}".strip()


def _item(code: str, channel: str, subject: str, reason: str, ident: str, regs: list[Registration]) -> Item:
    regs = sorted(regs, key=lambda r: (r.latest.source.file, r.latest.source.row))
    return Item(code, channel, subject, reason, f"{code}|{channel}|{ident}", [_where(r) for r in regs], _seen(regs))


def _tokens(text: str) -> list[str]:
    return [t for t in SEPARATORS.split(fold(text or "")) if t]


# --------------------------------------------------------------------------- the rules


def property_rule(regs: list[Registration], terms, settings, show) -> list[Item]:
    """Registrations for a 楼盘 outside the 合作楼盘 of the agreement in force on their date (意向楼盘 of the
    latest copy, and the deal's 楼盘): selling outside the agreement is what the seed calls 串货."""
    canonical = settings.canonical_property
    groups: dict[tuple[str, str], tuple[list[Registration], str, Any]] = {}
    for reg in regs:
        a = terms.agreement(reg.channel, reg.registered) if terms is not None else None
        if a is None or not a.properties:
            continue
        allowed = _tokens(a.properties)
        if not allowed or any(t in ALL_PROPERTIES for t in allowed):
            continue
        keys = {canonical(t) for t in allowed}
        for prop in dict.fromkeys(p for p in (reg.latest.source.values.get("意向楼盘"), reg.deal_property) if p):
            if canonical(prop) not in keys:
                group = groups.setdefault((reg.channel, canonical(prop)), ([], prop, a))
                group[0].append(reg)
    out = []
    for (channel, key), (found, prop, a) in sorted(groups.items()):
        out.append(_item("anomaly.property_outside", channel, prop,
                         f"{len(found)} 位客户登记的楼盘「{prop}」不在协议 {a.number} 的合作楼盘（{a.properties}）之内："
                         "超出协议约定的销售范围，请核实是否串货", key, found))
    return out


def region_rule(regs: list[Registration], terms, settings, show) -> list[Item]:
    """Customers whose 常住城市 lies outside the 合作区域 of the agreement in force (only where the region names
    places qudao knows, and the city is known: analysis.places)."""
    groups: dict[tuple[str, str], tuple[list[Registration], str, Any]] = {}
    scopes: dict[str, Any] = {}
    judged: dict[tuple[str, str], bool] = {}  # (city, region) → outside: a big inbox repeats a few cities
    for reg in regs:
        a = terms.agreement(reg.channel, reg.registered) if terms is not None else None
        city = reg.latest.source.values.get("常住城市")
        if a is None or not a.region or not city:
            continue
        if a.region not in scopes:
            scopes[a.region] = region_places(a.region, settings.anomaly_regions)
        scope = scopes[a.region]
        if scope is None:
            continue
        verdict = judged.get((city, a.region))
        if verdict is None:
            verdict = judged[(city, a.region)] = outside(city, scope)
        if not verdict:
            continue
        group = groups.setdefault((reg.channel, name_key(city)), ([], city, a))
        group[0].append(reg)
    out = []
    for (channel, key), (found, city, a) in sorted(groups.items()):
        out.append(_item("anomaly.region_outside", channel, city,
                         f"{len(found)} 位客户常住「{city}」，不在协议 {a.number} 的合作区域（{a.region}）之内："
                         "跨区域销售是管理规范所说的串货，请核实", key, found))
    return out


def bulk_rule(regs: list[Registration], settings, show) -> list[Item]:
    """At least ``anomaly.bulk_day`` registrations of one channel dated on one day (fifty on one evening)."""
    days: dict[tuple[str, _dt.date], list[Registration]] = {}
    for reg in regs:
        days.setdefault((reg.channel, reg.registered), []).append(reg)
    out = []
    for (channel, day), found in sorted(days.items()):
        if len(found) >= settings.anomaly_bulk_day:
            out.append(_item("anomaly.bulk_day", channel, day.isoformat(),
                             f"{day.isoformat()} 一天登记了 {len(found)} 位客户（提示线 {settings.anomaly_bulk_day} 位）："
                             "请核实是否为真实客户（批量报备、抢占保护期）", day.isoformat(), found))
    return out


def _full(reg: Registration) -> str | None:
    phone = reg.customer[1]
    return phone if reg.customer[0] == "phone" and phone.isdigit() and len(phone) == 11 else None


def sequence_rule(regs: list[Registration], settings, show) -> list[Item]:
    """At least ``anomaly.phone_run`` phones of one channel whose numbers follow each other within
    ``anomaly.phone_gap`` (13800001231, …32, …35): real customers' numbers are never that close."""
    by_channel: dict[str, list[tuple[int, Registration]]] = {}
    for reg in regs:
        phone = _full(reg)
        if phone:
            by_channel.setdefault(reg.channel, []).append((int(phone), reg))
    out = []
    for channel, items in sorted(by_channel.items()):
        items.sort(key=lambda x: (x[0], x[1].registered))
        run: list[tuple[int, Registration]] = []
        for number, reg in items + [(None, None)]:
            if run and number is not None and 0 <= number - run[-1][0] <= settings.anomaly_phone_gap:
                run.append((number, reg))
                continue
            phones = {n for n, _r in run}
            if len(phones) >= settings.anomaly_phone_run:
                first, last = show(f"{run[0][0]}"), show(f"{run[-1][0]}")
                out.append(_item("anomaly.phone_sequence", channel, f"{first} … {last}",
                                 f"{len(phones)} 个号码连号（{first} 至 {last}，相邻相差不超过 {settings.anomaly_phone_gap}）："
                                 "真实客户的号码不会这样接近，请核实是否编造号码", str(run[0][0]), [r for _n, r in run]))
            run = [(number, reg)] if number is not None else []
    return out


def made_up(phone: str) -> bool:
    """The last eight digits are one or two digits only (88888888, 12121212), a repeated block (12341234), or
    run in order (12345678, 87654321)."""
    tail = phone[-8:]
    if len(set(tail)) <= 2 or tail[:4] == tail[4:]:
        return True
    steps = {int(b) - int(a) for a, b in zip(tail, tail[1:])}
    return steps in ({1}, {-1})


def pattern_rule(regs: list[Registration], settings, show) -> list[Item]:
    out = []
    for reg in regs:
        phone = _full(reg)
        if phone and made_up(phone):
            out.append(_item("anomaly.phone_pattern", reg.channel, _customer(reg, show),
                             f"号码 {show(phone)} 的后八位呈明显规律，像是编造的号码：请与客户本人核实",
                             phone, [reg]))
    return out


def name_rule(regs: list[Registration], settings, show) -> list[Item]:
    """One name registered with ``anomaly.name_phones`` or more different phones by one channel."""
    groups: dict[tuple[str, str], list[Registration]] = {}
    for reg in regs:
        key = name_key(reg.name or "").replace(" ", "")
        if len(key) >= 2:
            groups.setdefault((reg.channel, key), []).append(reg)
    out = []
    for (channel, key), found in sorted(groups.items()):
        phones = {r.customer[1] for r in found}
        if len(phones) >= settings.anomaly_name_phones:
            out.append(_item("anomaly.name_phones", channel, found[0].name,
                             f"同一姓名「{found[0].name}」登记了 {len(phones)} 个不同号码：请核实是否一人多号抢占保护期",
                             key, found))
    return out


def after_visit_rule(regs: list[Registration], att, ledger, show) -> list[Item]:
    """Registrations dated after the customer's first visit (the sales ledger's when it has one): 截客 — a
    channel claiming a customer the sales office already received."""
    visit_of = {cust.key: cust.visit for cust in att.customers}
    out = []
    for reg in regs:
        if reg.status != AFTER_VISIT:
            continue
        visit = visit_of.get(reg.customer)
        whose = "案场记录" if ledger is not None and ledger.rows_of(reg.customer, [reg]) and any(
            r.visit == visit for r in ledger.rows_of(reg.customer, [reg])) else "登记表记录"
        out.append(_item("anomaly.after_visit", reg.channel, _customer(reg, show),
                         f"客户已于 {visit.isoformat() if visit else '更早'}（{whose}）到访，本渠道 {reg.registered.isoformat()} "
                         "才登记：到访后补报客户，请核实是否截客", f"{reg.customer}", [reg]))
    return out


def loss_rule(regs: list[Registration], settings, end: _dt.date | None, show) -> list[Item]:
    """A channel whose share of registrations lost to 撞单 is at least ``anomaly.loss_share`` and at least
    ``anomaly.loss_ratio`` times the other channels' share (with ``anomaly.loss_min`` registrations or more):
    a channel whose customers are nearly all already protected by others is collecting other channels' lists."""
    total: dict[str, int] = {}
    lost: dict[str, list[Registration]] = {}
    for reg in regs:
        total[reg.channel] = total.get(reg.channel, 0) + 1
        if reg.status == LOST:
            lost.setdefault(reg.channel, []).append(reg)
    all_regs, all_lost = sum(total.values()), sum(len(v) for v in lost.values())
    quarter = f"{end.year}Q{(end.month - 1) // 3 + 1}" if end else ""
    out = []
    for channel, n in sorted(total.items()):
        mine = len(lost.get(channel, ()))
        if n < settings.anomaly_loss_min or not mine:
            continue
        share = mine / n
        others = (all_lost - mine) / (all_regs - n) if all_regs > n else 0.0
        if share >= settings.anomaly_loss_share and share >= settings.anomaly_loss_ratio * others:
            out.append(_item("anomaly.loss_share", channel, f"撞单 {mine}/{n}",
                             f"本渠道 {n} 条登记中 {mine} 条撞单落败（{share:.0%}），其他渠道合计为 {others:.0%}："
                             "登记的客户几乎都已在其他渠道保护期内，请核实是否抄录他人客户名单",
                             quarter, lost[channel]))
    return out


def price_bands(reports: list[FileReport], ledger, settings) -> dict[str, tuple[Decimal, Decimal, str]]:
    """canonical 楼盘 → (low, high, source): the screening sheet's 总价区间(万元) (latest row), else the ledger's
    deals of the 楼盘 (min to max) when it has ``anomaly.price_min_deals`` or more."""
    canonical = settings.canonical_property
    bands: dict[str, tuple[Decimal, Decimal, str]] = {}
    for report in sorted((r for r in reports if r.kind == "screening"), key=lambda r: r.order):
        for table in report.tables_for("楼盘筛选"):
            for row in table.rows:
                text, name = row.values.get("总价区间(万元)"), row.values.get("楼盘名称")
                numbers = re.findall(r"\d+(?:\.\d+)?", fold(str(text or "")))
                if name and len(numbers) == 2:
                    low, high = sorted(dec(parse_number(n)) for n in numbers)
                    bands[canonical(name)] = (low, high, f"楼盘筛选表总价区间 {text}")
    if ledger is not None:
        amounts: dict[str, list[Decimal]] = {}
        for r in ledger.rows:
            if r.deal is not None and r.amount is not None:
                amounts.setdefault(r.key, []).append(r.amount)
        for key, values in amounts.items():
            if key not in bands and len(values) >= settings.anomaly_price_min_deals:
                bands[key] = (min(values), max(values), f"案场成交台账 {len(values)} 笔成交")
    return bands


def price_rule(att, period, bands, settings, show) -> list[Item]:
    """A deal amount below its 楼盘's band's low end, or above its high end, by more than
    ``anomaly.price_tolerance`` %: a typo, or a deal that is not what it says."""
    tol = dec(settings.anomaly_price_tolerance) / 100
    canonical = settings.canonical_property
    out = []
    for cust in att.customers:
        if cust.deal is None or cust.deal not in period or cust.deal_amount is None:
            continue
        band = bands.get(canonical(cust.deal_property or ""))
        if band is None:
            continue
        low, high, source = band
        amount = dec(cust.deal_amount)
        if amount >= low * (1 - tol) and amount <= high * (1 + tol):
            continue
        reg = cust.owner or next((r for r in cust.registrations if r.channel == cust.deal_channel),
                                 cust.registrations[0])
        out.append(_item("anomaly.price_band", reg.channel, _customer(reg, show),
                         f"成交金额 {money_fmt(amount)} 万元远离「{cust.deal_property}」的价格区间 {money_fmt(low)}–"
                         f"{money_fmt(high)} 万元（{source}，偏离超过 {settings.anomaly_price_tolerance:g}%）：请核对金额和楼盘",
                         f"{cust.key}|{cust.deal.isoformat()}", [reg]))
    return out


# --------------------------------------------------------------------------- 补登


@dataclass(frozen=True)
class Backfill:
    """A registration first sent in a copy dated ``sent`` (``file``), typed with a 登记日期 before the
    channel's previous copy (``previous``, dated ``previous_date``), which did not hold it."""

    channel: str
    customer: tuple
    registered: _dt.date
    sent: _dt.date
    file: str
    previous: str
    previous_date: _dt.date


def _day(value) -> _dt.date | None:
    if isinstance(value, _dt.datetime):
        return value.date()
    return value if isinstance(value, _dt.date) else None


def backfills(submissions: Iterable[Submission], dates: Mapping[str, Any],
              series: Mapping[str, str]) -> dict[tuple[str, tuple], Backfill]:
    """Every 补登 among the submissions, by (channel, customer). ``dates``: each copy's date by path — the
    date it was received when the weekly record knows it, else its copy date (docs/time.md); ``series``: each
    copy's series key. Copies without a date cannot be placed and are left out."""
    held: dict[tuple[str, tuple], list[Submission]] = {}
    copies: dict[tuple[str, str], dict[str, _dt.date]] = {}  # (channel, series) → the channel's copies
    for sub in submissions:
        path = sub.source.file
        day = _day(dates.get(path))
        if day is None:
            continue
        key = series.get(path) or path
        copies.setdefault((sub.channel, key), {})[path] = day
        held.setdefault((sub.channel, sub.customer), []).append(sub)
    out: dict[tuple[str, tuple], Backfill] = {}
    for (channel, customer), subs in held.items():
        first = min(subs, key=lambda s: (_day(dates.get(s.source.file)), s.recency))
        sent = _day(dates.get(first.source.file))
        mine = copies[(channel, series.get(first.source.file) or first.source.file)]
        earlier = [(day, path) for path, day in mine.items() if day < sent]
        if not earlier:
            continue  # the first copy of the series: everything in it is new
        prev_day, prev_path = max(earlier)
        registered = min(s.registered for s in subs)
        if registered < prev_day:
            out[(channel, customer)] = Backfill(channel, customer, registered, sent, first.source.file, prev_path,
                                                prev_day)
    return out


def compete_from_copy(submissions: list[Submission], found: Mapping[tuple[str, tuple], Backfill]) -> list[Submission]:
    """``anomaly.backfill = "from_copy"``: a 补登 registration competes from the date of the copy that first held
    it, not from the 登记日期 typed into it."""
    if not found:
        return submissions
    out = []
    for sub in submissions:
        b = found.get((sub.channel, sub.customer))
        if b is not None and sub.registered < b.sent:
            sub = Submission(sub.channel, sub.customer, sub.name, b.sent, sub.visit, sub.deal, sub.deal_amount,
                             sub.deal_property, sub.recency, sub.source)
        out.append(sub)
    return out


def backfill_rule(regs: list[Registration], found: Mapping[tuple[str, tuple], Backfill], settings, show) -> list[Item]:
    out = []
    for reg in regs:
        b = found.get((reg.channel, reg.customer))
        if b is None:
            continue
        how = ("按首次报送日期 " + b.sent.isoformat() + " 参与归属" if settings.anomaly_backfill == "from_copy"
               else "仍按所填登记日期参与归属")
        out.append(_item("anomaly.backfill", reg.channel, _customer(reg, show),
                         f"登记日期 {b.registered.isoformat()}，但 {b.previous_date.isoformat()} 的上一份报送"
                         f"（{PurePosixPath(b.previous).name}）中没有该客户，{b.sent.isoformat()} 的报送"
                         f"（{PurePosixPath(b.file).name}）才首次出现：补登的登记日期可能为了在撞单中占先（{how}）",
                         f"{reg.customer}", [reg]))
    return out


# --------------------------------------------------------------------------- the watch


def checked_items(reports: list[FileReport]) -> dict[str, dict[str, Any]]:
    """编号 → HQ's mark, from the 异常核实表 copies among ``reports`` (later copies win)."""
    out: dict[str, dict[str, Any]] = {}
    for report in sorted((r for r in reports if r.kind == "verify"), key=lambda r: (r.copy_date or _dt.date.min, r.order)):
        for table in report.tables_for(SHEET):
            for row in table.rows:
                ident, result = row.values.get("编号"), row.values.get("核实")
                if row.rejected or not ident:
                    continue
                out[ident.strip().upper()] = {"result": result or "", "by": row.values.get("核实人") or "",
                                              "on": row.values.get("核实日期"), "note": row.values.get("核实说明") or "",
                                              "file": report.path}
    return out


def watch(summary, found_backfills: Mapping[tuple[str, tuple], Backfill] | None = None) -> list[Item]:
    """Every anomaly item of the summary's period (before HQ's marks are applied), in a stable order."""
    reg_counts = summary.registers
    if reg_counts is None:
        return []
    settings, period = summary.settings, summary.period
    off = set(settings.anomaly_off)
    att, terms, ledger = reg_counts.attribution, reg_counts.terms, reg_counts.ledger
    show = summary.phone
    regs = [r for r in att.registrations if period.all or r.registered in period]
    items: list[Item] = []
    if "property" not in off:
        items += property_rule(regs, terms, settings, show)
    if "region" not in off:
        items += region_rule(regs, terms, settings, show)
    if "bulk" not in off:
        items += bulk_rule(regs, settings, show)
    if "sequence" not in off:
        items += sequence_rule(regs, settings, show)
    if "pattern" not in off:
        items += pattern_rule(regs, settings, show)
    if "name" not in off:
        items += name_rule(regs, settings, show)
    if "after_visit" not in off:
        items += after_visit_rule(regs, att, ledger, show)
    if "loss" not in off:
        items += loss_rule(regs, settings, period.end or summary.as_of, show)
    if "price" not in off:
        items += price_rule(att, period, price_bands(summary.reports, ledger, settings), settings, show)
    if "backfill" not in off and found_backfills:
        items += backfill_rule(regs, found_backfills, settings, show)
    order = list(RULES.values())
    items.sort(key=lambda i: (order.index(i.code), i.channel, i.first_seen or _dt.date.min, i.subject, i.id))
    return items


class AnomalySection(Section):
    """The 异常监控 section, with the findings its open items make."""

    findings: list[Finding]


def anomaly_section(summary, found_backfills=None, reports: list[FileReport] | None = None) -> AnomalySection | None:
    """The 异常监控 sheet and section of every summary output: the open items (not yet marked 正常/违规 in an
    异常核实表), one row each, with the columns of the 异常核实表 so that a copy of the sheet is one."""
    if summary.registers is None:
        return None
    items = watch(summary, found_backfills)
    marks = checked_items(reports if reports is not None else summary.reports)
    open_items = [i for i in items if marks.get(i.id, {}).get("result") not in CHECKED]
    done = [i for i in items if marks.get(i.id, {}).get("result") in CHECKED]
    headers = [c.header for c in COLUMNS]
    rows = []
    for item in open_items:
        mark = marks.get(item.id, {})
        rows.append([item.id, item.rule, item.channel, item.subject, item.rows_text, item.reason, item.first_seen,
                     mark.get("result") or "", mark.get("by") or "", mark.get("on"), mark.get("note") or ""])
    table = TableData(f"待核实（{len(open_items)} 项）", headers, rows,
                      ["text", "text", "text", "text", "wrap", "wrap", "date", "text", "text", "date", "text"],
                      widths=[12, 12, 18, 16, 30, 48, 11, 6, 7, 11, 12])
    by_rule: dict[str, int] = {}
    for item in open_items:
        by_rule[item.rule] = by_rule.get(item.rule, 0) + 1
    if open_items:
        headline = (f"异常监控：{len(open_items)} 项待核实（" + "，".join(f"{k} {n}" for k, n in by_rule.items()) + "）"
                    + (f"；已核实 {len(done)} 项" if done else ""))
    else:
        headline = "异常监控：没有待核实的异常" + (f"（已核实 {len(done)} 项）" if done else "")
    section = AnomalySection(
        "anomaly", "异常监控（串货与异常登记）", SHEET, [table],
        {"count": len(open_items), "checked": len(done), "by_rule": by_rule,
         "items": [i.to_json() for i in open_items],
         "checked_items": [{**i.to_json(), "result": marks[i.id]["result"], "by": marks[i.id]["by"]} for i in done]},
        headline=headline,
        note="管理规范 §3.2：密切监控渠道销售情况，对销售异常或不正常的情况进行调查和核实，防范串货。每项列出需核对的行和原因；"
             "核实后把本表复制为单独的工作簿（或 qudao new verify），在“核实”列填 正常 或 违规，存入收件箱（如 总部/异常核实表.xlsx），"
             "以后的汇总不再列出该项。提示线见 qudao.toml 的 [anomaly]。")
    section.findings = [i.finding() for i in open_items]
    return section


__all__ = ["Item", "Backfill", "backfills", "compete_from_copy", "watch", "anomaly_section", "checked_items",
           "made_up", "mask_phone"]
