"""The channel statement (渠道对账单, issue 14 item 5): one channel's own registrations, deals and commission.

A statement is sent to the partner, so it holds **only that channel's data**: its own registrations (the
customer's name as this channel wrote it, never another channel's spelling), their status without
naming any other channel (「已由其他渠道先行登记」), the deals credited to it with their commission, and the
period's totals — the same figures as the summary's 按渠道 row for the channel in the same period
(docs/decisions.md → Channel statement). Built from a :class:`~qudao.analysis.summary.Summary`; no file
or format here.

Registrations listed: those dated in the period, and earlier ones still protected (not visited) when the
period began, or whose customer visited or bought in the period. Without a period: every registration.
"""

from __future__ import annotations

import datetime as _dt
import difflib
from dataclasses import dataclass, field
from decimal import Decimal

from qudao.analysis.attribution import (
    AFTER_VISIT,
    EXPIRED,
    LOST,
    OWNER,
    SUPERSEDED,
    Registration,
)
from qudao.analysis.evidence import evidence_label
from qudao.analysis.register import Period, Stats
from qudao.analysis.summary import Summary
from qudao.channels import AMBIGUOUS, NONE, Directory, core_name
from qudao.money import ZERO

# Stable codes of a registration's status on a statement, and what the partner reads.
PROTECTED, LAPSED, VISITED, DEALT, CONFLICT, TAKEN_OVER, BEFORE_VISIT, NATURAL = (
    "protected", "lapsed", "visited", "dealt", "conflict", "taken_over", "visited_before", "natural")
STATUS_CN = {PROTECTED: "有效", LAPSED: "保护期已满", VISITED: "已到访", DEALT: "已成交", CONFLICT: "撞单",
             TAKEN_OVER: "已被接手", BEFORE_VISIT: "到访后登记", NATURAL: "自然到访"}
NOTE_CN = {
    PROTECTED: "保护期内，尚未到访",
    LAPSED: "保护期已满，尚未到访",
    VISITED: "已到访，尚未成交",
    DEALT: "已成交，佣金见“成交与佣金”",
    CONFLICT: "已由其他渠道先行登记，本次登记不计归属",
    TAKEN_OVER: "保护期满后已由其他渠道登记，客户转归对方",
    BEFORE_VISIT: "客户在本次登记之前已到访，本次登记不计归属",
    NATURAL: "保护期满后才到访，按自然到访处理，不计佣",
}
SETTLE_STATES = ("未到期", "应结", "逾期", "待确认")  # 待确认: not in the sales ledger yet (issue 24)


@dataclass
class Line:
    """One registration of the channel, as the partner sees it."""

    registered: _dt.date
    name: str  # as this channel wrote it
    phone: str  # the customer's phone as identity (a masked one when the channel sent it masked)
    code: str
    protected_until: _dt.date | None
    visit: _dt.date | None
    deal: _dt.date | None
    earlier: bool  # registered before the period

    @property
    def status(self) -> str:
        return STATUS_CN[self.code]

    @property
    def note(self) -> str:
        note = NOTE_CN[self.code]
        return f"{note}（此前登记）" if self.earlier else note


@dataclass
class Deal:
    """One deal credited to the channel: the 结佣清单 line."""

    name: str
    phone: str
    deal: _dt.date
    property: str
    amount: Decimal
    rate: Decimal
    rate_source: str
    commission: Decimal
    settle_days: int
    due: _dt.date
    status: str  # 未到期 / 应结 / 逾期 / 待确认
    evidence: str = ""  # 案场确认: 已确认 / 待确认 / 案场确认，渠道未报 / 未核对; "" without a sales ledger (issue 24)


@dataclass
class Statement:
    channel: str
    type: str
    branch: str
    period: Period
    as_of: _dt.date
    stats: Stats  # the period's figures: the summary's 按渠道 row
    commission_basis: str  # 协议 QD-001（1%） / 默认 1.5%（没有匹配的协议）
    default_protection: int
    lines: list[Line] = field(default_factory=list)
    deals: list[Deal] = field(default_factory=list)

    @property
    def period_text(self) -> str:
        p = self.period
        if p.all:
            return f"全部（截至 {self.as_of.isoformat()}）"
        end = (p.end or self.as_of).isoformat()
        return f"{p.start.isoformat()} 至 {end}" if p.start else f"截至 {end}（此前全部登记）"

    def counts(self) -> dict[str, int]:
        """Registrations listed, per status (in the order of STATUS_CN), only the statuses present."""
        out = {}
        for code, label in STATUS_CN.items():
            n = sum(1 for line in self.lines if line.code == code)
            if n:
                out[label] = n
        return out

    def settlement_totals(self) -> dict[str, tuple[int, Decimal]]:
        """Per 结佣 status: (deals, commission summed exactly); 待确认 only where a deal is."""
        return {s: (sum(1 for d in self.deals if d.status == s),
                    sum((d.commission for d in self.deals if d.status == s), ZERO)) for s in SETTLE_STATES
                if s != SETTLE_STATES[-1] or any(d.status == s for d in self.deals)}

    @property
    def evidence(self) -> bool:
        """The deals were checked against a sales ledger (the statement shows 案场确认 per line)."""
        return any(d.evidence for d in self.deals)

    @property
    def commission(self) -> Decimal:
        return sum((d.commission for d in self.deals), ZERO)

    @property
    def deal_amount(self) -> Decimal:
        return sum((d.amount for d in self.deals), ZERO)


# --------------------------------------------------------------------------- which channel


class UnknownChannel(ValueError):
    """A --channel name that names no channel, or several."""

    def __init__(self, name: str, how: str, candidates: list[str]):
        self.name, self.how, self.candidates = name, how, candidates
        if how == AMBIGUOUS:
            message = f"「{name}」对应多个渠道：{'、'.join(candidates)}；请写出完整的渠道名称"
        else:
            near = f"；最接近的是：{'、'.join(candidates)}" if candidates else ""
            message = f"登记表中没有渠道「{name}」{near}"
        super().__init__(message)


def nearest(name: str, channels: list[str], n: int = 3) -> list[str]:
    """The channels whose names (without legal suffixes) are closest to ``name``."""
    by_core: dict[str, list[str]] = {}
    for channel in channels:
        by_core.setdefault(core_name(channel), []).append(channel)
    out: list[str] = []
    for core in difflib.get_close_matches(core_name(name), list(by_core), n=n, cutoff=0.3):
        out += by_core[core]
    return out[:n]


def resolve_channel(name: str, channels, settings) -> tuple[str, str]:
    """(the channel, how it matched: exact, alias or short) for a name given by a person; an unknown or
    ambiguous name raises :class:`UnknownChannel` naming the nearest channels."""
    channels = sorted(set(channels))
    found = Directory(channels, settings).resolve(name)
    if found.resolved:
        return found.channel, found.how
    if found.how == AMBIGUOUS:
        raise UnknownChannel(name, AMBIGUOUS, list(found.candidates))
    raise UnknownChannel(name, NONE, nearest(name, channels))


# --------------------------------------------------------------------------- building


def _code(reg: Registration, owner_of: dict, ref: _dt.date) -> str:
    status = reg.status
    if status == LOST:
        return CONFLICT
    if status == SUPERSEDED:
        return TAKEN_OVER
    if status == AFTER_VISIT:
        return BEFORE_VISIT
    if status == EXPIRED:
        return NATURAL
    cust = owner_of.get(id(reg))
    if cust is not None and cust.deal is not None:
        return DEALT
    if cust is not None and cust.visit is not None:
        return VISITED
    return PROTECTED if reg.window_end is not None and reg.window_end >= ref else LAPSED


def _listed(reg: Registration, cust, period: Period) -> tuple[bool, bool]:
    """(listed on the period's statement, registered before the period)."""
    if period.all or reg.registered in period:  # (the attribution holds nothing after the period's end)
        return True, False
    owned = reg.status in (OWNER, EXPIRED) and cust is not None
    if owned and (cust.visit in period or cust.deal in period):
        return True, True
    unvisited = cust is None or cust.visit is None or cust.visit >= period.start
    if reg.status in (OWNER, SUPERSEDED) and unvisited and reg.window_end is not None and reg.window_end >= period.start:
        return True, True  # still protected when the period began
    return False, True


def statements(summary: Summary, channels: list[str] | None = None) -> list[Statement]:
    """The statement of each channel in ``channels`` (default: every channel of the registers), for the
    summary's period and as-of day."""
    reg_counts = summary.registers
    if reg_counts is None:
        return []
    att = reg_counts.attribution
    period = summary.period
    ref = period.end or summary.as_of
    rows = {row.channel: row for row in reg_counts.by_channel}
    wanted = sorted(rows) if channels is None else channels
    owner_of = {}  # id(registration) → its customer, for the registration that owns it (or owned it: EXPIRED)
    for cust in att.customers:
        for reg in cust.registrations:
            if reg is cust.owner or reg.status == EXPIRED:
                owner_of[id(reg)] = cust
    by_channel: dict[str, list[Registration]] = {}
    for reg in att.registrations:
        by_channel.setdefault(reg.channel, []).append(reg)
    deals: dict[str, list[dict]] = {}
    for d in reg_counts.settlement:
        deals.setdefault(d["channel"], []).append(d)
    out = []
    settings = summary.settings
    for channel in wanted:
        row = rows.get(channel)
        if row is None:
            continue
        lines = []
        for reg in by_channel.get(channel, ()):
            cust = owner_of.get(id(reg))
            listed, earlier = _listed(reg, cust, period)
            if not listed:
                continue
            code = _code(reg, owner_of, ref)
            owned = code in (PROTECTED, LAPSED, VISITED, DEALT, NATURAL)
            lines.append(Line(reg.registered, reg.name, reg.customer[1], code,
                              reg.window_end if reg.status in (OWNER, SUPERSEDED, EXPIRED) else None,
                              cust.visit if owned and cust is not None else None,
                              cust.deal if code == DEALT else None, earlier))
        lines.sort(key=lambda x: (x.registered, x.name, x.phone))
        own = [Deal(d["name"], d["customer"], d["deal"], d["property"], d["amount"], d["rate"], d["rate_source"],
                    d["commission"], d["settle_days"], d["due"], d["status"],
                    evidence_label(d) if reg_counts.ledger is not None else "") for d in deals.get(channel, ())]
        own.sort(key=lambda d: (d.deal, d.name, d.phone))
        out.append(Statement(channel, row.type, row.branch, period, summary.as_of, row.stats, row.commission_basis,
                             settings.protection_days, lines, own))
    return out
