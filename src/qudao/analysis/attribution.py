"""Who owns a customer: rules.md → "Customers, channels and attribution".

A pure function over registrations; nothing here reads files.

1. :func:`merge_submissions` — the same channel registering the same customer
   (weekly cumulative re-submissions, or twice in one file) is one
   registration: the earliest 登记日期; 到访/成交 from the most recent
   submission that has them.
2. :func:`attribute` — per customer, registrations after the first visit V
   never own (``after_visit``); the rest are walked in order of 登记日期
   (ties: channel names in code-point order). The first owns for P days; a
   later registration inside the window is a conflict (撞单), one after it
   takes over. A visited customer belongs to the owner at V if V is inside
   that owner's window, else to nobody (自然到访); a customer not yet
   visited belongs to the walk's last owner.
3. Masked phones (前三后四) identify a customer only together with the name
   and are never merged with anyone; a masked customer whose masked phone and
   surname match another channel's customer is listed as a possible
   conflict (待核), not counted.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Callable, Iterable

from qudao.normalize import mask_phone

OWNER, LOST, AFTER_VISIT, SUPERSEDED, EXPIRED = "owner", "lost", "after_visit", "superseded", "expired"


@dataclass(slots=True)
class Submission:
    """One accepted register row, as attribution needs it."""

    channel: str
    customer: tuple  # ("phone", p) or ("masked", p, name)
    name: str
    registered: _dt.date
    visit: _dt.date | None = None
    deal: _dt.date | None = None
    deal_amount: float | None = None
    deal_property: str | None = None
    recency: tuple = ()  # (report date, file order, sheet, row): larger is more recent
    source: object = None  # anything the caller wants back (file, row, typed values)

    def __reduce__(self):  # compact and fast to send between processes
        return (Submission, (self.channel, self.customer, self.name, self.registered, self.visit, self.deal,
                             self.deal_amount, self.deal_property, self.recency, self.source))


@dataclass(slots=True)
class Registration:
    """One channel's claim on one customer after merging its submissions."""

    channel: str
    customer: tuple
    name: str
    registered: _dt.date
    visit: _dt.date | None
    deal: _dt.date | None
    deal_amount: float | None
    deal_property: str | None
    submissions: list[Submission] = field(default_factory=list)
    status: str = ""
    winner: str | None = None  # for LOST: the channel that held the customer
    winner_date: _dt.date | None = None
    window_end: _dt.date | None = None

    @property
    def first(self) -> Submission:
        """The submission that carries the earliest 登记日期."""
        subs = self.submissions
        return subs[0] if len(subs) == 1 else min(subs, key=lambda s: (s.registered, s.recency))

    @property
    def latest(self) -> Submission:
        """The most recent submission (submissions are kept sorted by recency)."""
        return self.submissions[-1]


@dataclass(slots=True)
class Customer:
    key: tuple
    name: str
    registrations: list[Registration]
    visit: _dt.date | None = None  # V: the earliest 到访日期 from any channel's row
    owner: Registration | None = None
    natural: bool = False  # visited after the owner's window: 自然到访
    deal: _dt.date | None = None
    deal_amount: float | None = None
    deal_property: str | None = None
    deal_channel: str | None = None  # the channel whose row recorded the deal
    evidence: object = None  # what the sales ledger says of its deal (analysis.evidence.Evidence; issue 24)

    @property
    def masked(self) -> bool:
        return self.key[0] == "masked"

    @property
    def phone(self) -> str:
        return self.key[1]


@dataclass(frozen=True)
class Conflict:
    customer: tuple
    name: str
    winner: str
    loser: str
    winner_date: _dt.date
    loser_date: _dt.date
    status: str = "conflict"  # or "possible" (待核, masked phones)


@dataclass
class Attribution:
    customers: list[Customer]
    registrations: list[Registration]
    conflicts: list[Conflict]  # counted 撞单
    possible: list[Conflict]  # 待核: masked phones that may be the same person


def merge_submissions(submissions: Iterable[Submission]) -> list[Registration]:
    """Rule 1: one registration per (channel, customer)."""
    groups: dict[tuple, list[Submission]] = {}
    for sub in submissions:
        key = (sub.channel, sub.customer)
        group = groups.get(key)
        if group is None:
            groups[key] = [sub]
        else:
            group.append(sub)
    out: list[Registration] = []
    for (channel, customer), subs in groups.items():
        if len(subs) == 1:
            one = subs[0]
            out.append(Registration(channel, customer, one.name, one.registered, one.visit, one.deal,
                                    one.deal_amount, one.deal_property, subs))
            continue
        subs.sort(key=lambda s: s.recency)
        visit = next((s.visit for s in reversed(subs) if s.visit is not None), None)
        dealt = next((s for s in reversed(subs) if s.deal is not None), None)
        first = min(subs, key=lambda s: (s.registered, s.recency))
        out.append(Registration(
            channel=channel, customer=customer, name=subs[-1].name or first.name,
            registered=first.registered, visit=visit,
            deal=dealt.deal if dealt else None,
            deal_amount=dealt.deal_amount if dealt else None,
            deal_property=dealt.deal_property if dealt else None,
            submissions=subs,
        ))
    return out  # in input order: deterministic, and every consumer sorts what it shows


def _walk(regs: list[Registration], visit: _dt.date | None, window: Callable[[str, _dt.date], _dt.timedelta],
          conflicts: list[Conflict], customer: tuple, name: str) -> Registration | None:
    """Rule 2 for one customer; returns the owner at V (or the last owner)."""
    owner: Registration | None = None
    for reg in sorted(regs, key=lambda r: (r.registered, r.channel)):
        if visit is not None and reg.registered > visit:
            reg.status = AFTER_VISIT
            continue
        if owner is not None and reg.registered <= owner.window_end:
            reg.status, reg.winner, reg.winner_date = LOST, owner.channel, owner.registered
            conflicts.append(Conflict(customer, name, owner.channel, reg.channel, owner.registered, reg.registered))
            continue
        if owner is not None:
            owner.status = SUPERSEDED
        reg.status = OWNER
        reg.window_end = reg.registered + window(reg.channel, reg.registered)
        owner = reg
    return owner


def attribute(submissions: Iterable[Submission], protection_days: int = 30,
              channel_days: dict[str, int] | None = None,
              protection: Callable[[str, _dt.date], int] | None = None,
              visit_of: Callable[[tuple, list[Registration]], _dt.date | None] | None = None) -> Attribution:
    """Rules 1–4 over every accepted registration row. A registration is protected for
    ``protection(channel, 登记日期)`` days when given (the agreement in force), else for its channel's
    ``channel_days``, else ``protection_days``. ``visit_of(customer, registrations)``, when given and not
    None, is the customer's first visit V instead of the registers' (the sales ledger's 首次到访日期)."""
    channel_days = channel_days or {}
    windows: dict[tuple[str, _dt.date], _dt.timedelta] = {}

    def days(channel: str, day: _dt.date) -> _dt.timedelta:
        key = (channel, day)
        delta = windows.get(key)
        if delta is None:
            n = protection(channel, day) if protection is not None else channel_days.get(channel, protection_days)
            delta = windows[key] = _dt.timedelta(days=n)
        return delta

    registrations = merge_submissions(submissions)
    by_customer: dict[tuple, list[Registration]] = {}
    for reg in registrations:
        group = by_customer.get(reg.customer)
        if group is None:
            by_customer[reg.customer] = [reg]
        else:
            group.append(reg)

    customers: list[Customer] = []
    conflicts: list[Conflict] = []
    for key in by_customer:  # input order: deterministic, and outputs sort what they show
        regs = by_customer[key]
        known = visit_of(key, regs) if visit_of is not None else None  # the sales office's first visit
        if len(regs) == 1 and (known is None or known >= regs[0].registered):  # one channel, no walk needed
            reg = regs[0]
            visit = known or reg.visit
            reg.status = OWNER
            reg.window_end = reg.registered + days(reg.channel, reg.registered)
            cust = Customer(key=key, name=reg.name, registrations=regs, visit=visit)
            if visit is not None and visit > reg.window_end:
                cust.natural = True
                reg.status = EXPIRED
            else:
                cust.owner = reg
            if reg.deal is not None:
                cust.deal, cust.deal_amount, cust.deal_property = reg.deal, reg.deal_amount, reg.deal_property
                cust.deal_channel = reg.channel
            customers.append(cust)
            continue
        visits = [r.visit for r in regs if r.visit is not None]
        visit = known or (min(visits) if visits else None)
        name = min(regs, key=lambda r: (r.registered, r.channel)).name
        owner = _walk(regs, visit, days, conflicts, key, name)
        cust = Customer(key=key, name=name, registrations=regs, visit=visit)
        if owner is not None and visit is not None and visit > owner.window_end:
            cust.natural = True
            owner.status = EXPIRED
        elif owner is not None:
            cust.owner = owner
        elif visit is not None:
            cust.natural = True  # every registration came after the visit
        # Rule 4: the deal (recorded by any channel) is credited to the owner.
        dealt = [r for r in regs if r.deal is not None]
        if dealt:
            pick = next((r for r in dealt if r is cust.owner), None) or max(
                dealt, key=lambda r: (r.latest.recency, r.channel))
            cust.deal, cust.deal_amount, cust.deal_property = pick.deal, pick.deal_amount, pick.deal_property
            cust.deal_channel = pick.channel
        customers.append(cust)

    possible = _possible_matches(customers)
    return Attribution(customers, registrations, conflicts, possible)


def surname(name: str) -> str:
    return name.strip()[:1]


def _possible_matches(customers: list[Customer]) -> list[Conflict]:
    """Masked customers that may be another channel's customer (待核)."""
    wanted = {(c.phone, surname(c.name)) for c in customers if c.masked}
    if not wanted:
        return []
    index: dict[tuple[str, str], list[Customer]] = {}
    for cust in customers:
        key = (mask_phone(cust.phone), surname(cust.name))
        if key in wanted:
            index.setdefault(key, []).append(cust)
    out: list[Conflict] = []
    seen: set[tuple] = set()
    for key in sorted(index):
        group = index[key]
        if len(group) < 2:
            continue
        regs = sorted((r for c in group for r in c.registrations), key=lambda r: (r.registered, r.channel))
        for i, first in enumerate(regs):
            for later in regs[i + 1:]:
                if later.channel == first.channel or later.customer == first.customer:
                    continue
                if not (first.customer[0] == "masked" or later.customer[0] == "masked"):
                    continue
                pair = (first.channel, later.channel, first.customer, later.customer)
                if pair in seen:
                    continue
                seen.add(pair)
                out.append(Conflict(later.customer, later.name, first.channel, later.channel,
                                    first.registered, later.registered, status="possible"))
    return out
