"""The channel statement (渠道对账单, issue 14 item 5; a running account since issue 22).

A statement is sent to the partner, so it holds **only that channel's data**: its own registrations (the
customer's name as this channel wrote it, never another channel's spelling), their status without
naming any other channel (「已由其他渠道先行登记」), the deals credited to it with their commission, and the
period's totals — the same figures as the summary's 按渠道 row for the channel in the same period
(docs/decisions.md → Channel statement). Built from a :class:`~qudao.analysis.summary.Summary`; no file
or format here.

Since issue 22 it is a running account (:mod:`qudao.analysis.account`): the figures stated up to the period
(opening), the period's lines, the corrections to earlier weeks (late, changed, withdrawn, cancelled, taken
over — each with its week and ±), payments, and the closing figures; the channel's own rejected rows with the
cell to fix, and whether a register of it was received in the period.

Registrations listed in 客户明细: those dated in the period, and earlier ones still protected (not visited) when
the period began, or whose customer visited or bought in the period. Without a period: every registration.
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
from typing import Any, Callable, Iterator

from qudao.analysis.account import Account, Entry, account, entries, from_json
from qudao.analysis.evidence import evidence_label
from qudao.analysis.register import HELD, SETTLE_STATES, Period, Stats
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
    status: str  # 未到期 / 应结 / 逾期 / 部分支付 / 已付 / 待确认
    paid: Decimal = ZERO
    remaining: Decimal = ZERO
    payments: tuple[str, ...] = ()  # 付款编号
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
    deals: list[Deal] = field(default_factory=list)  # the period's deals (the 结佣清单 lines of the period)
    account: Account | None = None  # the running account of the period (issue 22)
    open_deals: list[Deal] = field(default_factory=list)  # every deal up to the period's end not yet paid in full
    rejected: list[dict[str, Any]] = field(default_factory=list)  # its own rows not counted, with the cell to fix
    received: list[tuple[str, _dt.date | None]] = field(default_factory=list)  # its registers dated in the period
    last_received: tuple[str, _dt.date | None] | None = None  # its latest register up to the period's end
    payments_read: bool = False  # a 结佣台账 was read: 已付/未付 are known
    week: str = ""  # the week label of a weekly statement
    paid_deals: dict[str, str] = field(default_factory=dict)  # 付款编号 → the deal it paid, in words

    def line_of(self, entry: Entry) -> Line | None:
        """The 客户明细 line of a registration entry (its customer as this channel sent it)."""
        index = self.__dict__.get("_lines_by_customer")
        if index is None or len(index[0]) != len(self.lines):
            index = (list(self.lines), {(x.phone, x.name): x for x in self.lines})
            self.__dict__["_lines_by_customer"] = index
        return index[1].get((entry.phone, entry.name))

    def paid_for(self, entry: Entry) -> str:
        """What a payment paid: 「客户「周杰」11-20 成交的佣金」, or that it matches no deal."""
        return self.paid_deals.get(entry.number, "未对应到成交（见问题清单）" if self.payments_read else "")

    @property
    def none_received(self) -> bool:
        """No register of the channel is dated in the period (a week it sent nothing)."""
        return not self.period.all and self.period.start is not None and not self.received

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
        """Per 结佣 status of the period's deals: (deals, commission: the sum of the lines); 部分支付 and 已付 when a
        结佣台账 was read, 待确认 only where a deal is."""
        states = [s for s in SETTLE_STATES if (self.payments_read or s not in ("部分支付", "已付"))
                  and (s != HELD or any(d.status == s for d in self.deals))]
        return {s: (sum(1 for d in self.deals if d.status == s),
                    sum((d.commission for d in self.deals if d.status == s), ZERO)) for s in states}

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
    part = part_of(name, channels)
    if len(part) == 1:
        return part[0], PART
    if part:
        raise UnknownChannel(name, AMBIGUOUS, part)
    raise UnknownChannel(name, NONE, nearest(name, channels))


PART = "part"  # a name typed on the command line that is a part of exactly one channel's name (「布达拉」)


def part_of(name: str, channels: list[str]) -> list[str]:
    """The channels whose names hold ``name`` (at least two characters, width, spaces and case folded): a person
    typing ``--channel 布达拉`` means the one channel that has it. Only for names a person types: a name written
    in a workbook never resolves this way, and a typed name that *contains* another channel's name (拉萨雪域物业二部)
    is no part of it (docs/decisions.md → Channel names)."""
    from qudao.normalize import name_key

    typed = name_key(name).replace(" ", "")
    if len(typed) < 2:
        return []
    return [c for c in channels if typed in name_key(c).replace(" ", "")]


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


def _deal(d: dict[str, Any], ledger: bool = False) -> Deal:
    return Deal(d["name"], d["customer"], d["deal"], d["property"], d["amount"], d["rate"], d["rate_source"],
                d["commission"], d["settle_days"], d["due"], d["status"], d.get("paid", ZERO),
                d.get("remaining", d["commission"]), tuple(d.get("payments", ())),
                evidence_label(d) if ledger else "")


def account_entries(summary: Summary, channels=None) -> dict[str, dict[str, Entry]]:
    """channel → its account's entries as ``summary`` stands (its attribution is made up to its period's end)."""
    reg = summary.registers
    if reg is None:
        return {}
    payments = reg.payments.payments if reg.payments is not None else ()
    return entries(reg.attribution, reg.every_settlement, payments, summary.period.end,
                   summary.settings.week_start, channels)


def _rejected(summary: Summary, channel: str) -> list[dict[str, Any]]:
    """The channel's own register rows that were not counted (the current copies' errors on them), and the
    errors of its own registers' files: the cell to fix, never another channel's row."""
    is_current = summary.is_current or (lambda r: r.current)
    current = {r.path: r for r in summary.reports if r.kind == "register" and is_current(r)}
    rows = {(h.file, h.sheet, h.row) for h in summary.held if h.channel == channel and h.file in current}
    own = {r.path for r in current.values() if r.series == f"register|{channel}"}
    out = []
    for path, report in current.items():
        for f in report.findings:
            if f.severity != "error":
                continue
            if (path, f.sheet, f.row) in rows or (f.row is None and path in own):
                out.append({"file": path, "sheet": f.sheet, "cell": f.cell, "row": f.row, "column": f.column,
                            "code": f.code, "message": f.message})
    out.sort(key=lambda d: (d["file"], d["sheet"], d["row"] or 0, d["cell"]))
    return out


def _received(summary: Summary, channel: str, regs) -> tuple[list, tuple | None]:
    """(its registers dated in the period, its latest register up to the period's end)."""
    files = {s.source.file for reg in regs for s in reg.submissions}
    files |= {h.file for h in summary.held if h.channel == channel}
    period = summary.period
    copies = sorted({(r.path, r.copy_date) for r in summary.reports if r.path in files},
                    key=lambda c: (c[1] or _dt.date.min, c[0]))
    end = period.end or summary.as_of
    upto = [c for c in copies if c[1] is None or c[1] <= end]
    inside = [c for c in upto if c[1] is not None and c[1] in period] if not period.all else upto
    return inside, (upto[-1] if upto else None)


def statements(summary: Summary, channels: list[str] | None = None, opening: Summary | None = None,
               stated: Callable[[str], dict | None] | None = None) -> list[Statement]:
    """Every statement of :func:`iter_statements`, in a list."""
    return list(iter_statements(summary, channels, opening, stated))


def iter_statements(summary: Summary, channels: list[str] | None = None, opening: Summary | None = None,
                    stated: Callable[[str], dict | None] | None = None) -> Iterator[Statement]:
    """The statement of each channel in ``channels`` (default: every channel of the registers), for the
    summary's period and as-of day. The running account compares with what was stated before the period:
    ``stated(channel)`` — the previous statement's JSON (the weekly record) — when it has one, else the
    ``opening`` summary (made up to the day before the period, as known on its first day); a period without a
    start opens empty."""
    reg_counts = summary.registers
    if reg_counts is None:
        return
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
    every: dict[str, list[dict]] = {}
    for d in reg_counts.every_settlement:
        every.setdefault(d["channel"], []).append(d)
    now = account_entries(summary, wanted)
    before = account_entries(opening, wanted) if opening is not None else {}
    settings = summary.settings
    ledger = reg_counts.ledger is not None  # a sales ledger: each deal's 案场确认 (issue 24)
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
        own = sorted((_deal(d, ledger) for d in deals.get(channel, ())), key=lambda d: (d.deal, d.name, d.phone))
        unpaid = sorted((_deal(d, ledger) for d in every.get(channel, ()) if d["status"] != "已付"),
                        key=lambda d: (d.due, d.name, d.phone))
        st = Statement(channel, row.type, row.branch, period, summary.as_of, row.stats, row.commission_basis,
                       settings.protection_days, lines, own)
        json_before = from_json(stated(channel)) if stated is not None else None
        if json_before is not None:
            st.account = account(now.get(channel, {}), json_before, period.start, period.end, "record")
        else:
            st.account = account(now.get(channel, {}), before.get(channel, {}) if opening is not None else {},
                                 period.start, period.end)
        st.open_deals = unpaid
        st.rejected = _rejected(summary, channel)
        st.received, st.last_received = _received(summary, channel, by_channel.get(channel, ()))
        st.payments_read = reg_counts.payments is not None
        st.paid_deals = {n: f"客户「{d['name']}」{d['deal'].isoformat()} 成交的佣金" for d in every.get(channel, ())
                         for n in d.get("payments", ())}
        yield st
