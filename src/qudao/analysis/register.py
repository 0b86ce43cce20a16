"""Counting the registers: rules.md → "Counting (渠道汇总分析表)".

:func:`submissions_from` turns accepted register rows into attribution
submissions (channel from the row, else the header block; branch from the
row, the block, else the input's folder); :func:`count` attributes them and
sums per channel, channel type, branch, property and week, for a period.
"""

from __future__ import annotations

import datetime as _dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable

from qudao.analysis.attribution import (
    AFTER_VISIT,
    EXPIRED,
    LOST,
    OWNER,
    SUPERSEDED,
    Attribution,
    Registration,
    Submission,
    attribute,
)
from qudao.check.register import SHEET, customer_key
from qudao.config import Settings
from qudao.findings import Finding, make
from qudao.records import FileReport
from qudao.weeks import week_label

NATURAL = "自然到访"
UNKNOWN = "（未填）"
STATUS_CN = {OWNER: "有效", LOST: "撞单", AFTER_VISIT: "到访后登记", SUPERSEDED: "保护期满被接手",
             EXPIRED: "保护期满（自然到访）"}


@dataclass(slots=True)
class Source:
    """Where a submission came from, for 明细 and findings."""

    file: str
    sheet: str
    row: int
    values: dict[str, Any]
    extras: dict[str, Any]
    channel_type: str
    branch: str
    phone_column: str  # column letter of 联系电话

    def __reduce__(self):  # compact and fast to send between processes
        return (Source, (self.file, self.sheet, self.row, self.values, self.extras, self.channel_type, self.branch,
                         self.phone_column))

    @property
    def cell_phone(self) -> str:
        return f"{self.phone_column}{self.row}"


def report_submissions(report: FileReport, settings: Settings) -> list[Submission]:
    """The accepted rows of one register file, as attribution submissions."""
    if report.kind != "register":
        return []
    out: list[Submission] = []
    for index, table in enumerate(report.tables_for(SHEET)):
        if table.released:
            raise ValueError(f"{report.path}: the register rows were already handed on as submissions")
        out.extend(_table_submissions(report, table, index, settings))
    return out


def _table_submissions(report: FileReport, table, index: int, settings: Settings) -> list[Submission]:
    out: list[Submission] = []
    block = {**report.block, **{k: v for k, v in table.block.items() if v not in (None, "")}}
    report_date = block.get("报送日期") or _dt.date.min
    canonical = settings.canonical_channel
    block_channel = canonical(block.get("渠道名称") or "")
    block_type = block.get("渠道类型") or ""
    block_branch = block.get("所属分所") or report.folder or ""
    phone_column = table.cell("联系电话", 1)[:-1]
    path, sheet, order = report.path, table.sheet, report.order
    for row in table.rows:
        if row.rejected:
            continue
        v = row.values
        get = v.get
        row_channel = get("渠道名称")
        channel = canonical(row_channel) if row_channel else block_channel
        phone = v["联系电话"]
        name = get("客户姓名") or ""
        out.append(Submission(
            channel, customer_key(phone, name), name, v["登记日期"],
            get("到访日期"), get("成交日期"), get("成交金额(万元)"), get("成交楼盘"), (report_date, order, index, row.number),
            Source(path, sheet, row.number, v, row.extras, get("渠道类型") or block_type,
                   get("所属分所") or block_branch, phone_column),
        ))
    return out


def submissions_from(reports: Iterable[FileReport], settings: Settings) -> list[Submission]:
    return [sub for report in reports for sub in report_submissions(report, settings)]


# --------------------------------------------------------------------------- stats


@dataclass(slots=True)
class Stats:
    registrations: int = 0
    customers: int = 0
    visits: int = 0
    deals: int = 0
    deal_amount: float = 0.0
    conflicts: int = 0
    commission: float = 0.0
    natural: int = 0  # 自然到访 customers (their visits are counted in ``visits`` only for totals)

    @property
    def visit_rate(self) -> float:
        return self.visits / self.customers if self.customers else 0.0

    @property
    def deal_rate(self) -> float:
        return self.deals / self.visits if self.visits else 0.0

    @property
    def conversion(self) -> float:
        return self.deals / self.customers if self.customers else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "registrations": self.registrations,
            "customers": self.customers,
            "visits": self.visits,
            "deals": self.deals,
            "deal_amount_wan": round(self.deal_amount, 2),
            "visit_rate": round(self.visit_rate, 4),
            "deal_rate": round(self.deal_rate, 4),
            "conversion": round(self.conversion, 4),
            "conflicts": self.conflicts,
            "commission_wan": round(self.commission, 2),
        }


@dataclass
class ChannelRow:
    channel: str
    type: str
    branch: str
    stats: Stats
    score: float = 0.0
    grade: str = "D"
    basis: str = "relative"  # the grade's basis: "relative" (to the best channel) or "target" (analysis.assess)
    target_period: str = ""  # with basis "target": the period whose targets graded it (2026Q4)

    def to_dict(self) -> dict[str, Any]:
        return {"channel": self.channel, "type": self.type, "branch": self.branch, **self.stats.to_dict(),
                "score": round(self.score, 1), "grade": self.grade, "grade_basis": self.basis,
                "target_period": self.target_period or None}


@dataclass
class GroupRow:
    key: str
    stats: Stats

    def to_dict(self, name: str) -> dict[str, Any]:
        return {name: self.key, **self.stats.to_dict(), "natural_visits": self.stats.natural}


@dataclass
class Period:
    start: _dt.date | None = None
    end: _dt.date | None = None

    def __contains__(self, day: _dt.date | None) -> bool:
        if day is None:
            return False
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)

    @property
    def all(self) -> bool:
        return self.start is None and self.end is None

    def to_dict(self) -> dict[str, str | None]:
        return {"from": self.start.isoformat() if self.start else None,
                "to": self.end.isoformat() if self.end else None}


@dataclass
class RegisterCounts:
    period: Period
    attribution: Attribution
    totals: dict[str, Any]
    by_channel: list[ChannelRow]
    by_type: list[GroupRow]
    by_branch: list[GroupRow]
    by_property: list[GroupRow]
    by_week: list[GroupRow]
    natural: Stats
    expiring: list[dict[str, Any]]  # 保护期预警
    findings: list[Finding] = field(default_factory=list)  # attribution findings
    channel_info: dict[str, tuple[str, str]] = field(default_factory=dict)


def _mode(values: list[str]) -> str:
    counts = Counter(v for v in values if v)
    if not counts:
        return ""
    top = max(counts.values())
    for v in reversed(values):  # ties: the latest
        if counts.get(v) == top:
            return v
    return ""  # pragma: no cover


def channel_info(regs: list[Registration]) -> dict[str, tuple[str, str]]:
    """channel → (type, branch): the most common value over its rows (ties: the latest)."""
    rows: dict[str, list] = {}
    for reg in regs:
        rows.setdefault(reg.channel, []).extend(reg.submissions)
    out = {}
    for channel, subs in rows.items():
        subs.sort(key=lambda s: s.recency)
        out[channel] = (_mode([s.source.channel_type for s in subs]) or UNKNOWN,
                        _mode([s.source.branch for s in subs]) or UNKNOWN)
    return out


def _property(reg: Registration) -> str:
    return reg.latest.source.values.get("意向楼盘") or UNKNOWN


def commission_rate(settings: Settings, prop: str | None, channel: str | None,
                    channel_rates: dict[str, float]) -> float:
    """Percent: per property (config), else the channel's agreement, else the default."""
    if prop and prop in settings.commission_by_property:
        return settings.commission_by_property[prop]
    if channel and channel in channel_rates:
        return channel_rates[channel]
    return settings.commission_default


def count(submissions: list[Submission], settings: Settings, period: Period | None = None,
          channel_days: dict[str, int] | None = None, channel_rates: dict[str, float] | None = None,
          as_of: _dt.date | None = None, att: Attribution | None = None) -> RegisterCounts:
    """Attribute (unless ``att`` is given: attribution always uses all history) and count in ``period``."""
    period = period or Period()
    channel_rates = channel_rates or {}
    if att is None:
        att = attribute(submissions, settings.protection_days, channel_days)
    info = channel_info(att.registrations)
    start = settings.week_start

    chan: dict[str, Stats] = {c: Stats() for c in info}
    groups: dict[str, dict[str, Stats]] = {"type": {}, "branch": {}, "property": {}, "week": {}}
    natural = Stats()

    def group(kind: str, key: str) -> Stats:
        table = groups[kind]
        stats = table.get(key)
        if stats is None:
            stats = table[key] = Stats()
        return stats

    # the channel, type and branch stats an event of a channel lands in (自然到访: its own bucket)
    fixed: dict[str | None, tuple[Stats, Stats, Stats]] = {
        c: (chan[c], group("type", t or UNKNOWN), group("branch", b or UNKNOWN)) for c, (t, b) in info.items()}
    fixed[None] = (natural, group("type", NATURAL), group("branch", NATURAL))
    weeks: dict[_dt.date, Stats] = {}

    def targets(channel: str | None, prop: str, day: _dt.date) -> tuple[Stats, ...]:
        week = weeks.get(day)
        if week is None:
            week = weeks[day] = group("week", week_label(day, start))
        return (*fixed[channel], group("property", prop or UNKNOWN), week)

    everything = period.all
    props = {id(reg): _property(reg) for reg in att.registrations}
    for reg in att.registrations:
        if everything or reg.registered in period:
            lost = reg.status == LOST
            for s in targets(reg.channel, props[id(reg)], reg.registered):
                s.registrations += 1
                if lost:
                    s.conflicts += 1

    unique = 0
    for cust in att.customers:
        owner = cust.owner
        channel = owner.channel if owner else None
        regs = cust.registrations
        first = regs[0] if len(regs) == 1 else min(regs, key=lambda r: (r.registered, r.channel))
        prop = props[id(owner or first)]
        if everything or any(r.registered in period for r in regs):
            unique += 1
        if owner is not None and (everything or owner.registered in period):
            for s in targets(channel, prop, owner.registered):
                s.customers += 1
        visit = cust.visit
        if visit is not None and (everything or visit in period):
            if owner is not None:
                for s in targets(channel, prop, visit):
                    s.visits += 1
            else:
                for s in targets(None, prop, visit):
                    s.natural += 1
                    s.visits += 1
        if cust.deal is not None and (everything or cust.deal in period):
            amount = cust.deal_amount or 0.0
            deal_prop = cust.deal_property or prop
            rate = commission_rate(settings, deal_prop, channel, channel_rates) if owner else 0.0
            for s in targets(channel, deal_prop, cust.deal):
                s.deals += 1
                s.deal_amount += amount
                s.commission += amount * rate / 100

    by_channel = [ChannelRow(c, *info[c], chan[c]) for c in chan]
    _score(by_channel, settings)
    by_channel.sort(key=lambda r: (-r.score, -r.stats.deals, r.channel))

    sum_all = Stats()
    for row in by_channel:
        for f in ("registrations", "customers", "visits", "deals", "deal_amount", "conflicts", "commission"):
            setattr(sum_all, f, getattr(sum_all, f) + getattr(row.stats, f))
    totals_dict = {
        "registrations": sum_all.registrations,
        "customers": unique,
        "owned_customers": sum_all.customers,
        "natural_visits": natural.natural,
        "visits": sum_all.visits + natural.visits,
        "deals": sum_all.deals + natural.deals,
        "deal_amount_wan": round(sum_all.deal_amount + natural.deal_amount, 2),
        "commission_wan": round(sum_all.commission, 2),
        "conflicts": sum_all.conflicts,
        "possible_conflicts": sum(1 for c in att.possible if c.loser_date in period),
    }

    def rows(kind: str, order) -> list[GroupRow]:
        return [GroupRow(k, s) for k, s in sorted(groups[kind].items(), key=order)]

    by_type = rows("type", lambda kv: (kv[0] == NATURAL, -kv[1].deal_amount, kv[0]))
    by_branch = rows("branch", lambda kv: (kv[0] == NATURAL, -kv[1].deal_amount, kv[0]))
    by_property = rows("property", lambda kv: (kv[0] == UNKNOWN, -kv[1].deal_amount, kv[0]))
    by_week = rows("week", lambda kv: kv[0])
    findings = attribution_findings(att)
    expiring = protection_expiring(att, settings, as_of) if as_of else []
    return RegisterCounts(period, att, totals_dict, by_channel, by_type, by_branch, by_property, by_week,
                          natural, expiring, findings, info)


def _score(rows: list[ChannelRow], settings: Settings) -> None:
    w = settings.score_weights
    max_deals = max((r.stats.deals for r in rows), default=0)
    max_amount = max((r.stats.deal_amount for r in rows), default=0.0)
    max_customers = max((r.stats.customers for r in rows), default=0)
    cut = settings.grade_cutoffs
    for r in rows:
        s = r.stats
        r.score = 100 * (
            w["deals"] * (s.deals / max_deals if max_deals else 0)
            + w["deal_amount"] * (s.deal_amount / max_amount if max_amount else 0)
            + w["visit_rate"] * s.visit_rate
            + w["customers"] * (s.customers / max_customers if max_customers else 0)
        )
        score = round(r.score, 1)
        r.grade = "A" if score >= cut["A"] else "B" if score >= cut["B"] else "C" if score >= cut["C"] else "D"


def attribution_findings(att: Attribution) -> list[Finding]:
    """attribution.conflict / after_visit / possible, pointing at the losing row."""
    out: list[Finding] = []
    for reg in att.registrations:
        if reg.status != LOST and reg.status != AFTER_VISIT:
            continue
        src = reg.first.source
        where = dict(file=src.file, sheet=src.sheet, cell=src.cell_phone, row=src.row, column="联系电话",
                     value=reg.customer[1])
        if reg.status == LOST:
            out.append(make("attribution.conflict",
                            f"撞单：该客户已由「{reg.winner}」于 {reg.winner_date.isoformat()} 登记，仍在保护期内，"
                            f"本渠道 {reg.registered.isoformat()} 的登记不计归属", **where))
        elif reg.status == AFTER_VISIT:
            out.append(make("attribution.after_visit",
                            f"客户已于更早的日期到访，本渠道 {reg.registered.isoformat()} 才登记，不计归属", **where))
    regs = {(r.channel, r.customer): r for r in att.registrations} if att.possible else {}
    for c in att.possible:
        reg = regs.get((c.loser, c.customer))
        if reg is None:
            continue
        src = reg.first.source
        out.append(make("attribution.possible",
                        f"隐号客户「{c.name}」（{c.customer[1]}）可能与「{c.winner}」{c.winner_date.isoformat()} "
                        "登记的客户是同一人，请人工核对（待核）",
                        file=src.file, sheet=src.sheet, cell=src.cell_phone, row=src.row, column="联系电话",
                        value=c.customer[1]))
    return out


def protection_expiring(att: Attribution, settings: Settings, as_of: _dt.date) -> list[dict[str, Any]]:
    """Owned, not yet visited customers whose protection ends within the warning days."""
    out = []
    horizon = as_of + _dt.timedelta(days=settings.protection_warn_days)
    for cust in att.customers:
        owner = cust.owner
        if owner is None or cust.visit is not None or owner.window_end is None:
            continue
        if as_of <= owner.window_end <= horizon:
            out.append({"customer": cust.phone, "name": cust.name, "channel": owner.channel,
                        "registered": owner.registered, "protection_end": owner.window_end,
                        "days_left": (owner.window_end - as_of).days, "source": owner.first.source})
    out.sort(key=lambda d: (d["protection_end"], d["channel"], d["customer"]))
    return out

