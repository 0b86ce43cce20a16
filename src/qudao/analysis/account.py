"""The channel's running account (rules.md → "The channel's running account"; issue 22).

A channel's account at a point in time is a set of keyed **entries**, one per thing that counts for it: its
registration of a customer (with the registration's standing: counted, 撞单, 到访后登记), the visit and the deal
of a customer it owns (amount, rate, commission rounded once, per line), a takeover of its customer by another
channel after its protection ended (已被接手), and each payment of commission to it (结佣台账). Every entry
carries its figures (登记, 撞单, 到访, 成交, 成交金额, 佣金, 已付).

A statement of a period compares two states: the entries dated up to the period's end as known now
(*closing*), and the state stated at the end of the day before the period began (*opening*: the previous
statement's JSON, or recomputed as of the period's first day). Entries dated in the period that are new are
the period's lines; entries dated earlier that are new, changed or gone are corrections, each with the week
it belongs to and its ± figures. So closing = opening + lines + corrections, figure by figure, exactly; and
summed over any run of weeks the statements telescope to the statement of the whole run, to the cent.

No files or formats here: :mod:`qudao.analysis.statement` puts an account into a statement.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
from dataclasses import dataclass, field, fields
from decimal import Decimal
from typing import Any, Iterable

from qudao.analysis.attribution import AFTER_VISIT, EXPIRED, LOST, OWNER, SUPERSEDED, Attribution
from qudao.money import ZERO, as_json, dec, fmt
from qudao.normalize import mask_phone
from qudao.weeks import week_label

REGISTRATION, VISIT, DEAL, TAKEOVER, PAYMENT = "registration", "visit", "deal", "takeover", "payment"
KIND_ORDER = {REGISTRATION: 0, VISIT: 1, DEAL: 2, TAKEOVER: 3, PAYMENT: 4}
KIND_CN = {REGISTRATION: "登记", VISIT: "到访", DEAL: "成交", TAKEOVER: "已被接手", PAYMENT: "付款"}
COUNTED, CONFLICT, BEFORE_VISIT = "counted", "conflict", "after_visit"
STANDING_CN = {COUNTED: "有效登记", CONFLICT: "撞单", BEFORE_VISIT: "到访后登记"}
FORMAT = 1  # the statement JSON's format (docs/json.md → Channel statement)


@dataclass
class Figures:
    """The figures of an account, a line, or a correction (±)."""

    registrations: int = 0
    conflicts: int = 0
    visits: int = 0
    deals: int = 0
    deal_amount: Decimal = ZERO  # 万元, the sum of lines rounded to 0.01
    commission: Decimal = ZERO
    paid: Decimal = ZERO

    @property
    def unpaid(self) -> Decimal:
        return self.commission - self.paid

    def __add__(self, o: Figures) -> Figures:
        return Figures(self.registrations + o.registrations, self.conflicts + o.conflicts, self.visits + o.visits,
                       self.deals + o.deals, self.deal_amount + o.deal_amount, self.commission + o.commission,
                       self.paid + o.paid)

    def __sub__(self, o: Figures) -> Figures:
        return Figures(self.registrations - o.registrations, self.conflicts - o.conflicts, self.visits - o.visits,
                       self.deals - o.deals, self.deal_amount - o.deal_amount, self.commission - o.commission,
                       self.paid - o.paid)

    def __bool__(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))

    def to_json(self) -> dict[str, Any]:
        return {"registrations": self.registrations, "conflicts": self.conflicts, "visits": self.visits,
                "deals": self.deals, "deal_amount_wan": as_json(self.deal_amount),
                "commission_wan": as_json(self.commission), "paid_wan": as_json(self.paid),
                "unpaid_wan": as_json(self.unpaid)}


def total(items: Iterable[Figures]) -> Figures:
    """The sum of figures, field by field (exact: the money is already rounded on each line)."""
    regs = conflicts = visits = deals = 0
    amount = commission = paid = ZERO
    for f in items:
        regs += f.registrations
        conflicts += f.conflicts
        visits += f.visits
        deals += f.deals
        amount += f.deal_amount
        commission += f.commission
        paid += f.paid
    return Figures(regs, conflicts, visits, deals, amount, commission, paid)


def customer_id(customer: tuple) -> str:
    """A stable key for a customer that does not show the phone (the JSON is sent to the partner): a hash of the
    customer's identity (the phone; a masked phone with the name)."""
    return hashlib.sha256("|".join(customer).encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Entry:
    kind: str
    key: str
    date: _dt.date  # when it happened (a takeover: the protection's end, what the channel itself knows)
    week: str  # the week it belongs to (a takeover: the week the other registration came)
    name: str = ""
    phone: str = ""  # the customer's phone as this channel sent it
    status: str = ""  # a registration: counted / conflict / after_visit
    estate: str = ""  # deal: 成交楼盘
    amount: Decimal | None = None  # deal: 成交金额; payment: 付款金额 (万元, 0.01)
    rate: Decimal | None = None
    rate_source: str = ""
    commission: Decimal | None = None  # deal: rounded once, per line
    number: str = ""  # payment: 付款编号
    on: _dt.date | None = None  # the day it counts from, when not ``date`` (a takeover)

    @property
    def day(self) -> _dt.date:
        return self.on or self.date

    @property
    def figures(self) -> Figures:
        if self.kind == REGISTRATION:
            return Figures(registrations=1, conflicts=int(self.status == CONFLICT))
        if self.kind == VISIT:
            return Figures(visits=1)
        if self.kind == DEAL:
            return Figures(deals=1, deal_amount=self.amount or ZERO, commission=self.commission or ZERO)
        if self.kind == PAYMENT:
            return Figures(paid=self.amount or ZERO)
        return Figures()

    def compared(self) -> tuple:
        """What a correction is about (wording, names and properties are not)."""
        if self.kind == REGISTRATION:
            return (self.date, self.status)
        if self.kind == DEAL:
            return (self.date, dec(self.amount), dec(self.rate), dec(self.commission))
        if self.kind == PAYMENT:
            return (self.date, dec(self.amount))
        if self.kind == TAKEOVER:
            return (self.week,)
        return (self.date,)

    def to_json(self, show_phones: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "key": self.key, "date": self.date.isoformat(), "week": self.week,
                               "name": self.name, "phone": self.phone if show_phones else mask_phone(self.phone)}
        if self.kind == REGISTRATION:
            out["status"] = self.status
        if self.kind == DEAL:
            out.update(property=self.estate, deal_amount_wan=as_json(self.amount), rate=float(self.rate or 0),
                       rate_source=self.rate_source, commission_wan=as_json(self.commission))
        if self.kind == PAYMENT:
            out.update(number=self.number, amount_wan=as_json(self.amount))
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Entry:
        """An entry of a statement's JSON (the state stated before, from the weekly record)."""
        kind = data["kind"]
        day = _dt.date.fromisoformat(data["date"])
        money = "deal_amount_wan" if kind == DEAL else "amount_wan"
        return cls(kind, data["key"], day, data.get("week") or "", data.get("name") or "", data.get("phone") or "",
                   data.get("status") or "", data.get("property") or "",
                   dec(data[money]) if data.get(money) is not None else None,
                   dec(data["rate"]) if data.get("rate") is not None else None, data.get("rate_source") or "",
                   dec(data["commission_wan"]) if data.get("commission_wan") is not None else None,
                   data.get("number") or "")


# --------------------------------------------------------------------------- a state


def entries(att: Attribution, settlement: list[dict[str, Any]], payments: Iterable[Any], end: _dt.date | None,
            week_start: int = 1, channels: Iterable[str] | None = None) -> dict[str, dict[str, Entry]]:
    """channel → key → entry: every channel's account as the attribution (made up to ``end``) stands, with the
    deals priced by ``settlement`` (every line up to the end) and the ``payments`` dated by the end."""
    wanted = set(channels) if channels is not None else None
    out: dict[str, dict[str, Entry]] = {}

    def put(channel: str, entry: Entry) -> None:
        if wanted is None or channel in wanted:
            out.setdefault(channel, {})[entry.key] = entry

    def week(day: _dt.date) -> str:
        return week_label(day, week_start)

    lines = {(d["channel"], d["customer"], d["name"]): d for d in settlement}
    for cust in att.customers:
        regs = cust.registrations
        for reg in regs:
            cid = customer_id(reg.customer)
            phone = reg.customer[1]
            standing = CONFLICT if reg.status == LOST else BEFORE_VISIT if reg.status == AFTER_VISIT else COUNTED
            put(reg.channel, Entry(REGISTRATION, f"{REGISTRATION}|{cid}", reg.registered, week(reg.registered),
                                   reg.name, phone, standing))
            if reg.status == SUPERSEDED and reg.window_end is not None:
                later = [r for r in regs if r.status in (OWNER, SUPERSEDED, EXPIRED) and r.registered > reg.window_end]
                if later:
                    taken = min(later, key=lambda r: (r.registered, r.channel)).registered
                    put(reg.channel, Entry(TAKEOVER, f"{TAKEOVER}|{cid}", reg.window_end, week(taken), reg.name,
                                           phone, on=taken))
        owner = cust.owner
        if owner is None:
            continue
        cid = customer_id(owner.customer)
        if cust.visit is not None:
            put(owner.channel, Entry(VISIT, f"{VISIT}|{cid}", cust.visit, week(cust.visit), owner.name,
                                     owner.customer[1]))
        line = lines.get((owner.channel, cust.phone, owner.name)) if cust.deal is not None else None
        if line is not None:
            put(owner.channel, Entry(DEAL, f"{DEAL}|{cid}", line["deal"], week(line["deal"]), owner.name,
                                     owner.customer[1], estate=line["property"], amount=line["amount"],
                                     rate=line["rate"], rate_source=line["rate_source"],
                                     commission=line["commission"]))
    for p in payments:
        if p.channel is None or (end is not None and p.paid_on > end):
            continue
        put(p.channel, Entry(PAYMENT, f"{PAYMENT}|{p.number}", p.paid_on, week(p.paid_on), p.name, p.phone or "",
                             amount=p.amount, number=p.number))
    return out


def from_json(data: dict[str, Any] | None) -> dict[str, Entry] | None:
    """The entries of a statement's JSON (``None`` when there is none, or it is not a statement we wrote)."""
    if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
        return None
    return {e["key"]: Entry.from_json(e) for e in data["entries"]}


# --------------------------------------------------------------------------- a period


@dataclass
class Correction:
    """A change to an earlier week, in the week it arrived."""

    kind: str
    label: str  # 迟报登记, 成交取消, 成交金额更正 …
    week: str  # the week it belongs to
    before: Entry | None
    after: Entry | None
    change: str  # what changed, in words

    delta: Figures = field(default_factory=Figures)  # the change of the figures, ±

    def __post_init__(self) -> None:
        self.delta = (self.after.figures if self.after else Figures()) - (self.before.figures if self.before else Figures())

    @property
    def entry(self) -> Entry:
        return self.after or self.before  # type: ignore[return-value]


@dataclass
class Account:
    opening: Figures
    lines: list[Entry] = field(default_factory=list)  # new entries dated in the period
    corrections: list[Correction] = field(default_factory=list)
    closing: Figures = field(default_factory=Figures)
    entries: list[Entry] = field(default_factory=list)  # the closing state
    source: str = "recomputed"  # where the opening comes from: record / recomputed / none
    this_period: Figures = field(default_factory=Figures)  # the sum of the lines
    corrected: Figures = field(default_factory=Figures)  # the sum of the corrections (±)


def _md(day: _dt.date) -> str:
    return day.isoformat()


def _money(value: Decimal | None) -> str:
    return "（空）" if value is None else fmt(value)


def _pct(value: Decimal | None) -> str:
    return "（空）" if value is None else f"{dec(value).normalize():f}%"


def _added(new: Entry) -> tuple[str, str]:
    if new.kind == REGISTRATION:
        return "迟报登记", f"{_md(new.date)} 登记（{STANDING_CN[new.status]}）"
    if new.kind == VISIT:
        return "迟报到访", f"{_md(new.date)} 到访"
    if new.kind == DEAL:
        return "迟报成交", (f"{_md(new.date)} 成交 {_money(new.amount)} 万元 × {_pct(new.rate)} = "
                         f"{_money(new.commission)} 万元")
    if new.kind == TAKEOVER:
        return "已被接手", f"保护期（至 {_md(new.date)}）满后已由其他渠道登记，客户转归对方"
    return "补记付款", f"{_md(new.date)} 付款 {_money(new.amount)} 万元（{new.number}）"


def _gone(old: Entry) -> tuple[str, str]:
    if old.kind == REGISTRATION:
        return "登记撤回", f"{_md(old.date)} 的登记已不在贵方最新的登记表中，不再计入"
    if old.kind == VISIT:
        return "到访取消", f"{_md(old.date)} 的到访不再计入（最新的登记表中已没有，或客户归属已变）"
    if old.kind == DEAL:
        return "成交取消", (f"{_md(old.date)} 的成交 {_money(old.amount)} 万元不再计入，"
                         f"佣金 {_money(old.commission)} 万元冲回")
    if old.kind == TAKEOVER:
        return "接手取消", "此前列为已被接手，现已不成立"
    return "付款删除", f"{_md(old.date)} 的付款 {_money(old.amount)} 万元（{old.number}）已从结佣台账中删除"


def _what(old: Entry | None, new: Entry | None) -> tuple[str, str]:
    """(label, change) of a correction."""
    if old is None:
        return _added(new)  # type: ignore[arg-type]
    if new is None:
        return _gone(old)
    kind = new.kind
    parts = []
    if old.date != new.date:
        parts.append(f"日期 {_md(old.date)} → {_md(new.date)}")
    if kind == REGISTRATION and old.status != new.status:
        parts.append(f"{STANDING_CN[old.status]} → {STANDING_CN[new.status]}")
    if kind in (DEAL, PAYMENT) and dec(old.amount) != dec(new.amount):
        parts.append(f"金额 {_money(old.amount)} → {_money(new.amount)} 万元")
    if kind == DEAL and dec(old.rate) != dec(new.rate):
        parts.append(f"点位 {_pct(old.rate)} → {_pct(new.rate)}（{new.rate_source}）")
    if kind == DEAL and dec(old.commission) != dec(new.commission):
        parts.append(f"佣金 {_money(old.commission)} → {_money(new.commission)} 万元")
    if kind == TAKEOVER and old.week != new.week:
        parts.append(f"所属周 {old.week} → {new.week}")
    same_day = old.date == new.date
    if kind == REGISTRATION:
        label = "登记状态更正" if old.status != new.status and same_day else "登记日期更正"
    elif kind == DEAL:
        label = ("成交金额更正" if dec(old.amount) != dec(new.amount) and same_day
                 else "点位更正" if dec(old.rate) != dec(new.rate) and same_day else "成交更正")
    else:
        label = {VISIT: "到访日期更正", TAKEOVER: "接手更正", PAYMENT: "付款更正"}[kind]
    return label, "；".join(parts)


def account(now: dict[str, Entry], before: dict[str, Entry] | None, start: _dt.date | None,
            end: _dt.date | None, source: str = "recomputed") -> Account:
    """The account of a period from the closing state ``now`` (entries dated up to ``end``, as known now) and the
    ``before`` state (stated at the end of the day before ``start``; None or empty: nothing stated before)."""
    before = before or {}
    out = Account(total(e.figures for e in before.values()), source=source if before or start else "none")
    for key in sorted(set(now) | set(before)):
        old, new = before.get(key), now.get(key)
        if old is not None and new is not None and old.compared() == new.compared():
            continue
        if old is None and (start is None or new.day >= start):
            out.lines.append(new)
            continue
        label, change = _what(old, new)
        week = (new or old).week
        out.corrections.append(Correction((new or old).kind, label, week, old, new, change))
    out.lines.sort(key=lambda e: (e.date, KIND_ORDER[e.kind], e.name, e.key))  # as shown (a takeover: its date)
    out.corrections.sort(key=lambda c: (c.week, c.entry.date, KIND_ORDER[c.kind], c.entry.name, c.entry.key))
    out.entries = sorted(now.values(), key=lambda e: (e.day, KIND_ORDER[e.kind], e.key))
    out.this_period = total(e.figures for e in out.lines)
    out.corrected = total(c.delta for c in out.corrections)
    out.closing = out.opening + out.this_period + out.corrected
    if out.closing != total(e.figures for e in now.values()):  # pragma: no cover - closing is the state, always
        raise AssertionError("the running account does not add up")
    return out


__all__ = ["Account", "Correction", "Entry", "Figures", "account", "customer_id", "entries", "from_json"]
