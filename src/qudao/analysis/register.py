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
from decimal import Decimal
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
from qudao.analysis.evidence import confirm, evidence_findings, settle_status
from qudao.analysis.terms import Terms
from qudao.check.register import SHEET, customer_key
from qudao.check.series import copy_date
from qudao.config import Settings
from qudao.findings import Finding, make
from qudao.money import ZERO, as_json, dec
from qudao.money import commission as money_commission
from qudao.normalize import mask_phone
from qudao.records import FileReport, Values, compact
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


# The row values the roll-ups read (by_property, the follower of settlement and protection lines, the city of the
# 异常监控); the others
# only go to the 明细 sheet. A run that writes no 明细 keeps only these (issue 17: ≈ 0.4 KB less per row).
SUMMARY_VALUES = ("意向楼盘", "跟进人", "常住城市")  # 常住城市: the 异常监控's region rule (issue 24)


def report_submissions(report: FileReport, settings: Settings, details: bool = True) -> list[Submission]:
    """The accepted rows of one register file, as attribution submissions; without ``details`` each keeps only
    the :data:`SUMMARY_VALUES` of its row."""
    if report.kind != "register":
        return []
    out: list[Submission] = []
    for index, table in enumerate(report.tables_for(SHEET)):
        if table.released:
            raise ValueError(f"{report.path}: the register rows were already handed on as submissions")
        out.extend(_table_submissions(report, table, index, settings, details))
    return out


def _table_submissions(report: FileReport, table, index: int, settings: Settings,
                       details: bool = True) -> list[Submission]:
    out: list[Submission] = []
    block = {**report.block, **{k: v for k, v in table.block.items() if v not in (None, "")}}
    report_date = block.get("报送日期")
    if not isinstance(report_date, _dt.date):
        report_date = copy_date(report) or _dt.date.min
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
        values = compact(v) if details else Values(SUMMARY_VALUES, tuple(get(k) for k in SUMMARY_VALUES))
        out.append(Submission(
            channel, customer_key(phone, name), name, v["登记日期"],
            get("到访日期"), get("成交日期"), get("成交金额(万元)"), get("成交楼盘"), (report_date, order, index, row.number),
            Source(path, sheet, row.number, values, row.extras, get("渠道类型") or block_type,
                   get("所属分所") or block_branch, phone_column),
        ))
    return out


def until(submissions: list[Submission], end: _dt.date | None) -> list[Submission]:
    """The history as it stood at the end of a period: registrations after ``end`` are left out, and
    visits and deals after it are not yet known."""
    if end is None:
        return submissions
    out = []
    for sub in submissions:
        if sub.registered > end:
            continue
        late_visit = sub.visit is not None and sub.visit > end
        late_deal = sub.deal is not None and sub.deal > end
        if late_visit or late_deal:
            sub = Submission(sub.channel, sub.customer, sub.name, sub.registered,
                             None if late_visit else sub.visit, None if late_deal else sub.deal,
                             None if late_deal else sub.deal_amount, None if late_deal else sub.deal_property,
                             sub.recency, sub.source)
        out.append(sub)
    return out


def submissions_from(reports: Iterable[FileReport], settings: Settings) -> list[Submission]:
    return [sub for report in reports for sub in report_submissions(report, settings)]


# --------------------------------------------------------------------------- stats


@dataclass(slots=True)
class Stats:
    """Counts of one channel, group or week. Visits and deals are the period's activity (dated in it);
    the rates are cohort rates over ``customers`` (owned customers registered in the period): of them,
    those visited / with a deal by the period's end — so no rate exceeds 100 % (docs/time.md)."""

    registrations: int = 0
    customers: int = 0
    visits: int = 0
    deals: int = 0
    deal_amount: Decimal = ZERO  # 万元, exact (qudao.money)
    conflicts: int = 0
    commission: Decimal = ZERO  # 万元, exact, summed before rounding
    natural: int = 0  # 自然到访 customers (their visits are counted in ``visits`` only for totals)
    cohort_visits: int = 0  # of ``customers``: visited by the period's end
    cohort_deals: int = 0  # of ``customers``: a deal by the period's end

    @property
    def visit_rate(self) -> float:
        return self.cohort_visits / self.customers if self.customers else 0.0

    @property
    def deal_rate(self) -> float:
        return self.cohort_deals / self.cohort_visits if self.cohort_visits else 0.0

    @property
    def conversion(self) -> float:
        return self.cohort_deals / self.customers if self.customers else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "registrations": self.registrations,
            "customers": self.customers,
            "visits": self.visits,
            "deals": self.deals,
            "deal_amount_wan": as_json(self.deal_amount),
            "visit_rate": round(self.visit_rate, 4),
            "deal_rate": round(self.deal_rate, 4),
            "conversion": round(self.conversion, 4),
            "conflicts": self.conflicts,
            "commission_wan": as_json(self.commission),
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
    commission_basis: str = ""  # where the commission rate comes from (协议 … / 默认 …)

    def to_dict(self) -> dict[str, Any]:
        return {"channel": self.channel, "type": self.type, "branch": self.branch, **self.stats.to_dict(),
                "score": round(self.score, 1), "grade": self.grade, "grade_basis": self.basis,
                "target_period": self.target_period or None, "commission_basis": self.commission_basis}


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
    terms: Terms | None = None  # the agreements the figures were counted with
    settlement: list[dict[str, Any]] = field(default_factory=list)  # 结佣清单
    ended: list[dict[str, Any]] = field(default_factory=list)  # protection ended without a visit
    ledger: Any = None  # the sales ledger the deals were checked against (analysis.evidence.Ledger; issue 24)


def _mode(values: list[str]) -> str:
    counts = Counter(v for v in values if v)
    if not counts:
        return ""
    top = max(counts.values())
    for v in reversed(values):  # ties: the latest
        if counts.get(v) == top:
            return v
    return ""  # pragma: no cover


def channel_info(regs: list[Registration], missing: str = UNKNOWN) -> dict[str, tuple[str, str]]:
    """channel → (type, branch): the most common value over its rows (ties: the latest); ``missing`` where
    no row has one (「（未填）」 for people; ``""`` where a real branch named like the label must stay apart)."""
    rows: dict[str, list] = {}
    for reg in regs:
        rows.setdefault(reg.channel, []).extend(reg.submissions)
    out = {}
    for channel, subs in rows.items():
        subs.sort(key=lambda s: s.recency)
        out[channel] = (_mode([s.source.channel_type for s in subs]) or missing,
                        _mode([s.source.branch for s in subs]) or missing)
    return out


def _property(reg: Registration) -> str:
    return reg.latest.source.values.get("意向楼盘") or UNKNOWN


def count(submissions: list[Submission], settings: Settings, period: Period | None = None,
          terms: Terms | None = None, as_of: _dt.date | None = None,
          att: Attribution | None = None, ledger=None) -> RegisterCounts:
    """Attribute the history up to the period's end (unless ``att`` is given, made with the same end) and
    count in ``period``: events dated after its end are not seen (docs/time.md). With a sales ``ledger``
    (analysis.evidence) its first visits decide attribution and its deals govern."""
    period = period or Period()
    terms = terms or Terms(settings)
    if att is None:
        att = attribute(until(submissions, period.end), settings.protection_days, protection=terms.protection_days,
                        visit_of=ledger.visit_of(period.end) if ledger is not None else None)
        if ledger is not None:
            confirm(att, ledger, period.end)
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

    natural_customers = 0
    elsewhere = 0  # a branch's cut: customers it registered that another branch's channel owns (analysis.branch)
    for cust in att.customers:
        owner = cust.owner
        channel = owner.channel if owner else None
        regs = cust.registrations
        first = regs[0] if len(regs) == 1 else min(regs, key=lambda r: (r.registered, r.channel))
        prop = props[id(owner or first)]
        if owner is None and cust.natural and (everything or first.registered in period):
            natural_customers += 1  # a 自然到访 customer, by its first registration
        elif owner is None and (everything or first.registered in period):
            elsewhere += 1
        if owner is not None and (everything or owner.registered in period):
            visited, dealt = cust.visit is not None, cust.deal is not None
            for s in targets(channel, prop, owner.registered):
                s.customers += 1
                s.cohort_visits += visited
                s.cohort_deals += dealt
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
            amount = dec(cust.deal_amount)
            deal_prop = cust.deal_property or prop
            rate = terms.rate(owner.channel, owner.registered, deal_prop)[0] if owner else ZERO
            for s in targets(channel, deal_prop, cust.deal):
                s.deals += 1
                s.deal_amount += amount
                s.commission += money_commission(amount, rate)

    by_channel = [ChannelRow(c, *info[c], chan[c], commission_basis=terms.basis(c)) for c in chan]
    _score(by_channel, settings)
    by_channel.sort(key=lambda r: (-r.score, -r.stats.deals, r.channel))

    sum_all = Stats()
    for row in by_channel:
        for f in ("registrations", "customers", "visits", "deals", "deal_amount", "conflicts", "commission"):
            setattr(sum_all, f, getattr(sum_all, f) + getattr(row.stats, f))
    totals_dict = {
        "registrations": sum_all.registrations,
        "customers": sum_all.customers + natural_customers + elsewhere,
        "owned_customers": sum_all.customers,
        "natural_visits": natural.natural,
        "visits": sum_all.visits + natural.visits,
        "deals": sum_all.deals + natural.deals,
        "deal_amount_wan": as_json(sum_all.deal_amount + natural.deal_amount),
        "commission_wan": as_json(sum_all.commission),
        "conflicts": sum_all.conflicts,
        "possible_conflicts": sum(1 for c in att.possible if c.loser_date in period),
        "natural_customers": natural_customers,
    }

    def rows(kind: str, order) -> list[GroupRow]:
        return [GroupRow(k, s) for k, s in sorted(groups[kind].items(), key=order)]

    by_type = rows("type", lambda kv: (kv[0] == NATURAL, -kv[1].deal_amount, kv[0]))
    by_branch = rows("branch", lambda kv: (kv[0] == NATURAL, -kv[1].deal_amount, kv[0]))
    by_property = rows("property", lambda kv: (kv[0] == UNKNOWN, -kv[1].deal_amount, kv[0]))
    by_week = rows("week", lambda kv: kv[0])
    findings = (attribution_findings(att) + agreement_findings(att, terms, settings, period)
                + evidence_findings(att, ledger))
    expiring = protection_expiring(att, settings, as_of) if as_of else []
    for e in expiring:  # protection.expiring (info): the 预警 list, each at the row of its latest copy
        src = e["source"]
        findings.append(make("protection.expiring",
                             f"「{e['channel']}」登记的客户「{e['name']}」保护期将于 {e['protection_end'].isoformat()} 结束"
                             f"（还有 {e['days_left']} 天），尚未到访",
                             file=src.file, sheet=src.sheet, cell=src.cell_phone, row=src.row, column="联系电话",
                             value=mask_phone(e["customer"])))
    settle = settlement(att, terms, settings, as_of, period, props) if as_of else []
    if as_of is None:
        ended = []
    elif period.start is not None:
        ended = protection_ended(att, period.start, min(as_of, (period.end or as_of) + _dt.timedelta(days=1)))
    else:
        ended = protection_ended(att, as_of - _dt.timedelta(days=settings.protection_warn_days), as_of)
    return RegisterCounts(period, att, totals_dict, by_channel, by_type, by_branch, by_property, by_week,
                          natural, expiring, findings, info, terms, settle, ended, ledger)


def _score(rows: list[ChannelRow], settings: Settings) -> None:
    w = settings.score_weights
    max_deals = max((r.stats.deals for r in rows), default=0)
    max_amount = max((r.stats.deal_amount for r in rows), default=ZERO)
    max_customers = max((r.stats.customers for r in rows), default=0)
    cut = settings.grade_cutoffs
    for r in rows:
        s = r.stats
        r.score = min(100.0, 100 * (
            w["deals"] * (s.deals / max_deals if max_deals else 0)
            + w["deal_amount"] * (float(s.deal_amount / max_amount) if max_amount else 0)
            + w["visit_rate"] * s.visit_rate
            + w["customers"] * (s.customers / max_customers if max_customers else 0)
        ))
        score = round(r.score, 1)
        r.grade = "A" if score >= cut["A"] else "B" if score >= cut["B"] else "C" if score >= cut["C"] else "D"


def agreement_findings(att: Attribution, terms: Terms, settings: Settings, period: Period) -> list[Finding]:
    """agreement.not_in_force: an owned registration of a channel that has agreements, dated outside all of
    them; agreement.missing: a channel of the registers without any agreement in the ledger."""
    out: list[Finding] = []
    if not terms.ledger:
        return out
    latest: dict[str, Registration] = {}
    for reg in att.registrations:
        if reg.status not in (OWNER, EXPIRED):
            continue
        channel = reg.channel
        if not terms.has_agreement(channel):
            if channel not in latest or reg.latest.recency > latest[channel].latest.recency:
                latest[channel] = reg
            continue
        if (period.all or reg.registered in period) and terms.agreement(channel, reg.registered) is None:
            src = reg.latest.source
            pays = settings.commission_outside_agreement != "none"
            out.append(make("agreement.not_in_force",
                            f"「{channel}」{reg.registered.isoformat()} 登记的客户「{reg.name}」不在该渠道任何协议的有效期内，"
                            + ("仍按默认点位计佣（请核对）" if pays else "不计佣金（qudao.toml：commission.outside_agreement = \"none\"）"),
                            file=src.file, sheet=src.sheet, cell=src.cell_phone, row=src.row, column="登记日期",
                            value=reg.registered))
    for channel, reg in sorted(latest.items()):
        src = reg.latest.source
        out.append(make("agreement.missing",
                        f"渠道「{channel}」在协议台账中没有匹配的协议：按默认佣金点位 {settings.commission_default:g}% "
                        f"和默认保护期 {settings.protection_days} 天计算；如台账中用的是全称，请在 qudao.toml 的 "
                        "[channels] aliases 中写明", file=src.file, sheet=src.sheet))
    return out


def attribution_findings(att: Attribution) -> list[Finding]:
    """attribution.conflict / after_visit / possible, pointing at the losing row."""
    out: list[Finding] = []
    for reg in att.registrations:
        if reg.status != LOST and reg.status != AFTER_VISIT:
            continue
        src = reg.latest.source  # the current copy of the row: where it would be fixed
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
        src = reg.latest.source  # the current copy of the row: where it would be fixed
        out.append(make("attribution.possible",
                        f"隐号客户「{c.name}」（{c.customer[1]}）可能与「{c.winner}」{c.winner_date.isoformat()} "
                        "登记的客户是同一人，请人工核对（待核）",
                        file=src.file, sheet=src.sheet, cell=src.cell_phone, row=src.row, column="联系电话",
                        value=c.customer[1]))
    return out


def _person(reg: Registration) -> dict[str, Any]:
    """跟进人 and 分所 of a registration (its latest copy), and where it is."""
    src = reg.latest.source
    return {"follower": src.values.get("跟进人") or "", "branch": src.branch or UNKNOWN, "file": src.file,
            "sheet": src.sheet, "row": src.row, "cell": src.cell_phone}


def protection_expiring(att: Attribution, settings: Settings, as_of: _dt.date) -> list[dict[str, Any]]:
    """Owned, not yet visited customers whose protection ends within the warning days (保护期预警)."""
    out = []
    horizon = as_of + _dt.timedelta(days=settings.protection_warn_days)
    for cust in att.customers:
        owner = cust.owner
        if owner is None or cust.visit is not None or owner.window_end is None:
            continue
        if as_of <= owner.window_end <= horizon:
            out.append({"customer": cust.phone, "name": cust.name, "channel": owner.channel,
                        "registered": owner.registered, "protection_end": owner.window_end,
                        "days_left": (owner.window_end - as_of).days, "source": owner.latest.source,
                        **_person(owner)})
    out.sort(key=lambda d: (d["protection_end"], d["channel"], d["customer"]))
    return out


def protection_ended(att: Attribution, since: _dt.date, until: _dt.date) -> list[dict[str, Any]]:
    """Owned customers whose protection ended in [since, until) without a visit: the channel's claim has
    run out (a later registration by any channel may take them over)."""
    out = []
    for cust in att.customers:
        owner = cust.owner
        if owner is None or cust.visit is not None or owner.window_end is None:
            continue
        if since <= owner.window_end < until:
            out.append({"customer": cust.phone, "name": cust.name, "channel": owner.channel,
                        "registered": owner.registered, "protection_end": owner.window_end,
                        "days_ago": (until - owner.window_end).days, **_person(owner)})
    out.sort(key=lambda d: (d["protection_end"], d["channel"], d["customer"]))
    return out


def settlement(att: Attribution, terms: Terms, settings: Settings, as_of: _dt.date, period: Period,
               props: dict[int, str]) -> list[dict[str, Any]]:
    """结佣清单: one line per attributed deal of the period — rate and where it comes from, commission
    (exact), due date (成交日期 + 结佣周期) and status on the as-of day: 未到期 before the due date, 应结
    from it, 逾期 from ``commission.overdue_days`` after it (docs/decisions.md → Settlement)."""
    out = []
    overdue = _dt.timedelta(days=settings.commission_overdue_days)
    for cust in att.customers:
        owner = cust.owner
        if owner is None or cust.deal is None or not (period.all or cust.deal in period):
            continue
        prop = cust.deal_property or props.get(id(owner)) or ""
        rate, source = terms.rate(owner.channel, owner.registered, prop)
        amount = dec(cust.deal_amount)
        days, days_source = terms.settle_days(owner.channel, owner.registered)
        due = cust.deal + _dt.timedelta(days=days)
        status = "未到期" if as_of < due else "应结" if as_of < due + overdue else "逾期"
        status, evidence = settle_status(status, cust, settings)  # 待确认 without the sales ledger's record
        # the name as the owning channel wrote it: a settlement line is between us and that channel (its
        # statement must never show another channel's spelling of the customer)
        out.append({"channel": owner.channel, "customer": cust.phone, "name": owner.name,
                    "registered": owner.registered, "deal": cust.deal, "property": prop, "amount": amount,
                    "rate": rate, "rate_source": source, "commission": money_commission(amount, rate),
                    "settle_days": days, "settle_source": days_source, "due": due, "status": status,
                    "evidence": evidence, **_person(owner)})
    out.sort(key=lambda d: (d["due"], d["channel"], d["customer"]))
    return out
