"""The sales office's ledger as evidence (issue 24; tools.md §17; docs/decisions.md → Evidence and 串货).

Where a 案场成交台账 is among the current copies, every deal a channel reports at a 楼盘 the ledger covers is
checked against it:

- **已确认** (``confirmed``): the ledger holds the same customer (the phone; a masked phone with the name)
  with a deal at the same 楼盘 (:meth:`Settings.canonical_property`). The ledger's date and amount govern;
  a different amount or date typed by the partner is a finding naming both.
- **待确认** (``unconfirmed``): the ledger holds no such deal. The deal is counted as reported and its
  commission listed, but its settlement status is 待确认, not 应结, until a later ledger holds it
  (``evidence.hold_unconfirmed``).
- **案场确认，渠道未报** (``sales_only``): a ledger deal of a customer a channel owns, which no register
  reports as a deal: credited to the owner and listed.

The ledger's 首次到访日期 is the visit V of rule 3 when present (:meth:`Ledger.visit_of`, given to
``attribution.attribute``); a register's differing visit date is a finding. Deals at a 楼盘 no ledger covers
are not checked (``cust.evidence`` stays None). One customer's rows at one 楼盘 (a house and its parking
space) are one deal: the earliest date, the sum of the amounts.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import PurePosixPath
from typing import Any

from qudao.analysis.attribution import Attribution, Customer, Registration
from qudao.findings import Finding, make
from qudao.money import ZERO, dec
from qudao.money import fmt as money_fmt
from qudao.normalize import mask_phone, name_key
from qudao.records import FileReport
from qudao.schema.sales import AMOUNT, CANCELLED

SHEET = "成交台账"
CONFIRMED, UNCONFIRMED, SALES_ONLY = "confirmed", "unconfirmed", "sales_only"
EVIDENCE_CN = {CONFIRMED: "已确认", UNCONFIRMED: "待确认", SALES_ONLY: "案场确认，渠道未报"}
HELD = "待确认"  # the settlement status of a deal held back for want of evidence


@dataclass(frozen=True, slots=True)
class SaleRow:
    """One accepted row of a sales ledger."""

    property: str  # as the ledger writes it
    key: str  # canonical 楼盘
    room: str
    name: str
    phone: str  # "" when the row has none (it can then match nobody)
    visit: _dt.date | None
    subscribed: _dt.date | None  # 认购日期
    signed: _dt.date | None  # 签约日期
    amount: Decimal | None
    cancelled: bool
    source_channel: str
    file: str
    sheet: str
    row: int

    @property
    def deal(self) -> _dt.date | None:
        """The day the deal was made: 认购日期, else 签约日期 (None: a visit only, or 退房)."""
        return None if self.cancelled else self.subscribed or self.signed

    @property
    def where(self) -> str:
        return f"{PurePosixPath(self.file).name} 第 {self.row} 行"


@dataclass(frozen=True)
class Sale:
    """One customer's deal at one 楼盘 in the ledger (its rows: a house and its parking space are one deal)."""

    key: str
    property: str
    deal: _dt.date
    amount: Decimal
    rows: tuple[SaleRow, ...]

    @property
    def days(self) -> set[_dt.date]:
        """Every date the ledger gives this deal (a partner's date matching any of them is not a difference)."""
        return {d for r in self.rows for d in (r.subscribed, r.signed) if d is not None}

    @property
    def where(self) -> str:
        return "、".join(r.where for r in self.rows[:3]) + ("等" if len(self.rows) > 3 else "")


@dataclass(slots=True)
class Evidence:
    """What the ledger says of one customer's deal (``Customer.evidence``)."""

    status: str  # CONFIRMED / UNCONFIRMED / SALES_ONLY
    sale: Sale | None = None
    claimed_date: _dt.date | None = None  # what the register said (CONFIRMED, UNCONFIRMED)
    claimed_amount: Decimal | None = None
    claimed_property: str = ""
    cancelled: bool = False  # UNCONFIRMED: the ledger holds the deal, but as 退房
    registered_visit: _dt.date | None = None  # the registers' earliest visit, when it differs from the ledger's
    ledger_visit: _dt.date | None = None

    @property
    def label(self) -> str:
        return EVIDENCE_CN[self.status]

    @property
    def amount_differs(self) -> bool:
        return (self.status == CONFIRMED and self.claimed_amount is not None
                and self.claimed_amount != self.sale.amount)

    @property
    def date_differs(self) -> bool:
        return self.status == CONFIRMED and self.claimed_date is not None and self.claimed_date not in self.sale.days


@dataclass
class Ledger:
    """The current sales ledgers' rows, indexed by customer."""

    rows: list[SaleRow]
    settings: Any
    files: list[str] = field(default_factory=list)
    covered: set[str] = field(default_factory=set)  # canonical 楼盘 the ledgers hold (deals are checked there)

    def __post_init__(self) -> None:
        self.covered = {r.key for r in self.rows}
        self._phone: dict[str, list[SaleRow]] = {}
        self._masked: dict[tuple[str, str], list[SaleRow]] = {}
        for r in self.rows:
            if not r.phone:
                continue
            if "*" not in r.phone:
                self._phone.setdefault(r.phone, []).append(r)
            self._masked.setdefault((mask_phone(r.phone), _name(r.name)), []).append(r)
        self._memo: dict[tuple, list[SaleRow]] = {}

    def rows_of(self, key: tuple, regs: list[Registration]) -> list[SaleRow]:
        """The ledger rows of a customer: by the phone; a masked phone (on either side) with the name."""
        found = self._memo.get(key)
        if found is None:
            if key[0] == "phone":
                found = list(self._phone.get(key[1], ()))
                masked = mask_phone(key[1])
                for name in sorted({_name(r.name) for r in regs}):
                    found += [r for r in self._masked.get((masked, name), ()) if "*" in r.phone]
            else:
                found = list(self._masked.get((key[1], key[2]), ()))
            self._memo[key] = found
        return found

    def visit_of(self, end: _dt.date | None):
        """``attribute``'s hook: the ledger's first visit of a customer (seen by ``end``), or None."""
        def visit(key: tuple, regs: list[Registration]) -> _dt.date | None:
            days = [r.visit for r in self.rows_of(key, regs) if r.visit is not None and (end is None or r.visit <= end)]
            return min(days) if days else None
        return visit

    def sales_of(self, cust: Customer, end: _dt.date | None) -> dict[str, Sale]:
        """The customer's deals in the ledger by canonical 楼盘, as seen by ``end``."""
        groups: dict[str, list[SaleRow]] = {}
        for r in self.rows_of(cust.key, cust.registrations):
            day = r.deal
            if day is not None and (end is None or day <= end):
                groups.setdefault(r.key, []).append(r)
        out = {}
        for key, rows in groups.items():
            rows.sort(key=lambda r: (r.deal, r.file, r.row))
            out[key] = Sale(key, rows[0].property, rows[0].deal, sum((r.amount or ZERO for r in rows), ZERO),
                            tuple(rows))
        return out

    def cancelled(self, cust: Customer, key: str) -> bool:
        return any(r.cancelled and r.key == key for r in self.rows_of(cust.key, cust.registrations))


def _name(name: str) -> str:
    return name_key(name or "").replace(" ", "")


def build_ledger(reports: list[FileReport], settings) -> Ledger | None:
    """The ledger from the sales ledgers among ``reports`` (their current copies); None without any. The same
    deal in two current copies (two exports of one project under different names) counts once."""
    rows: list[SaleRow] = []
    files: list[str] = []
    seen: set[tuple] = set()
    canonical = settings.canonical_property
    for report in sorted((r for r in reports if r.kind == "sales"), key=lambda r: r.order):
        files.append(report.path)
        for table in report.tables_for(SHEET):
            for row in table.rows:
                if row.rejected:
                    continue
                v = row.values
                prop = v.get("楼盘") or ""
                amount = v.get(AMOUNT)
                item = SaleRow(prop, canonical(prop), v.get("房号") or "", v.get("客户姓名") or "", v.get("联系电话") or "",
                               v.get("首次到访日期"), v.get("认购日期"), v.get("签约日期"),
                               dec(amount) if amount is not None else None, v.get("交易状态") == CANCELLED,
                               v.get("来源渠道") or "", report.path, table.sheet, row.number)
                ident = (item.key, item.room, item.phone, _name(item.name), item.subscribed, item.signed, item.amount,
                         item.cancelled)
                if ident in seen:
                    continue
                seen.add(ident)
                rows.append(item)
    if not files:
        return None
    return Ledger(rows, settings, files)


def confirm(att: Attribution, ledger: Ledger, end: _dt.date | None) -> None:
    """Check every customer's deal against the ledger (as seen by ``end``), in place: a confirmed deal takes the
    ledger's date and amount, a ledger deal of a customer nobody reported becomes the customer's deal
    (credited to its owner by rule 4); ``cust.evidence`` records what was found."""
    canonical = ledger.settings.canonical_property
    for cust in att.customers:
        sales = ledger.sales_of(cust, end)
        registered_visit = min((r.visit for r in cust.registrations if r.visit is not None), default=None)
        ledger_visit = ledger.visit_of(end)(cust.key, cust.registrations)
        differs = registered_visit is not None and ledger_visit is not None and registered_visit != ledger_visit
        if cust.deal is not None:
            key = canonical(cust.deal_property or "")
            if key not in ledger.covered:
                if differs:
                    cust.evidence = Evidence("", registered_visit=registered_visit, ledger_visit=ledger_visit)
                continue
            claimed = Evidence(UNCONFIRMED, None, cust.deal, dec(cust.deal_amount) if cust.deal_amount is not None
                               else None, cust.deal_property or "")
            sale = sales.get(key)
            if sale is not None:
                claimed.status, claimed.sale = CONFIRMED, sale
                cust.deal, cust.deal_amount = sale.deal, sale.amount
            else:
                claimed.cancelled = ledger.cancelled(cust, key)
            evidence = claimed
        elif sales:
            sale = min(sales.values(), key=lambda s: (s.deal, s.key))
            evidence = Evidence(SALES_ONLY, sale)
            cust.deal, cust.deal_amount, cust.deal_property = sale.deal, sale.amount, sale.property
        elif differs:
            evidence = Evidence("")
        else:
            continue
        if differs:
            evidence.registered_visit, evidence.ledger_visit = registered_visit, ledger_visit
        cust.evidence = evidence


def of(cust: Customer | None) -> Evidence | None:
    """The evidence of a customer's deal (None: not checked — no ledger covers its 楼盘)."""
    ev = getattr(cust, "evidence", None) if cust is not None else None
    return ev if ev is not None and ev.status else None


def settle_status(status: str, cust: Customer, settings) -> tuple[str, str]:
    """The hook where a settlement line's status is decided: (status, evidence code). A deal the ledger does
    not hold is 待确认 instead of 应结/逾期 while ``evidence.hold_unconfirmed`` is on (the default)."""
    ev = of(cust)
    if ev is None:
        return status, ""
    if ev.status == UNCONFIRMED and settings.hold_unconfirmed:
        return HELD, ev.status
    return status, ev.status


def evidence_label(line: dict) -> str:
    """A settlement line's 案场确认 as people read it: 已确认 / 待确认 / 案场确认，渠道未报, or 未核对 (no ledger
    covers its 楼盘; "" when there is no ledger at all)."""
    return EVIDENCE_CN.get(line.get("evidence") or "", "未核对")


def _row_of(cust: Customer) -> Registration | None:
    """The registration a finding about the customer's deal points at: the owner's, else the one that
    recorded the deal, else the first."""
    if cust.owner is not None:
        return cust.owner
    for reg in cust.registrations:
        if reg.channel == cust.deal_channel:
            return reg
    return cust.registrations[0] if cust.registrations else None


def _wan(x) -> str:
    return f"{money_fmt(x)} 万元"


def evidence_findings(att: Attribution, ledger: Ledger | None) -> list[Finding]:
    """evidence.* findings, each at the register row where the deal or visit was reported."""
    out: list[Finding] = []
    if ledger is None:
        return out
    for cust in att.customers:
        ev = getattr(cust, "evidence", None)
        if ev is None:
            continue
        reg = _row_of(cust)
        if reg is None:
            continue
        src = reg.latest.source
        where = dict(file=src.file, sheet=src.sheet, row=src.row)

        def at(column: str) -> dict:
            cell = f"{src.phone_column}{src.row}" if column == "联系电话" else ""
            return {**where, "cell": cell, "column": column}

        who = f"客户「{reg.name}」"
        if ev.status == UNCONFIRMED:
            why = ("案场成交台账中该客户在此楼盘为退房" if ev.cancelled else "案场成交台账中没有这笔成交")
            out.append(make("evidence.unconfirmed",
                            f"{who}的成交（{ev.claimed_date.isoformat()}，「{ev.claimed_property}」"
                            f"{'，' + _wan(ev.claimed_amount) if ev.claimed_amount is not None else ''}）：{why}，"
                            "待确认；佣金暂不列入应结，案场台账有记录后自动确认", **at("成交日期"), value=ev.claimed_date))
        elif ev.status == CONFIRMED:
            sale = ev.sale
            if ev.amount_differs:
                out.append(make("evidence.amount_mismatch",
                                f"{who}的成交金额：渠道填写 {_wan(ev.claimed_amount)}，案场成交台账为 {_wan(sale.amount)}"
                                f"（{sale.where}），以案场为准", **at("成交金额(万元)"), value=float(ev.claimed_amount)))
            if ev.date_differs:
                days = "、".join(sorted(d.isoformat() for d in sale.days))
                out.append(make("evidence.date_mismatch",
                                f"{who}的成交日期：渠道填写 {ev.claimed_date.isoformat()}，案场成交台账为 {days}"
                                f"（{sale.where}），以案场为准（{sale.deal.isoformat()}）", **at("成交日期"),
                                value=ev.claimed_date))
        elif ev.status == SALES_ONLY and cust.owner is not None:
            sale = ev.sale
            out.append(make("evidence.unreported",
                            f"案场成交台账记录{who} {sale.deal.isoformat()} 在「{sale.property}」成交 {_wan(sale.amount)}"
                            f"（{sale.where}），本渠道没有报成交：已按案场记录计入「{cust.owner.channel}」",
                            **at("成交日期"), value=sale.deal))
        if ev.registered_visit is not None and ev.ledger_visit is not None:
            visited = min((r for r in cust.registrations if r.visit is not None), key=lambda r: (r.visit, r.channel))
            vsrc = visited.latest.source
            out.append(make("evidence.visit_mismatch",
                            f"客户「{visited.name}」的到访日期：渠道填写 {visited.visit.isoformat()}，案场记录首次到访为 "
                            f"{ev.ledger_visit.isoformat()}：归属按案场的到访日期判断",
                            file=vsrc.file, sheet=vsrc.sheet, row=vsrc.row, column="到访日期", value=visited.visit))
    return out


# --------------------------------------------------------------------------- the 案场核对 section


def evidence_section(summary):
    """The 案场核对 sheet and section of every summary output (with a sales ledger): per channel the deals
    reported, confirmed, held (待确认) and credited from the ledger, then the lines to look at."""
    from qudao.analysis.kinds import Section, TableData

    reg_counts = summary.registers
    ledger = reg_counts.ledger if reg_counts is not None else None
    if ledger is None:
        return None
    period, show = summary.period, summary.phone
    per: dict[str, dict[str, int]] = {}
    held, unreported, differ = [], [], []
    matched: set[tuple[str, int]] = set()
    for cust in reg_counts.attribution.customers:
        ev = getattr(cust, "evidence", None)
        if ev is not None and ev.sale is not None:
            matched.update((r.file, r.row) for r in ev.sale.rows)
        if ev is None or not ev.status or cust.deal is None or not (period.all or cust.deal in period):
            continue
        reg = _row_of(cust)
        channel = cust.owner.channel if cust.owner is not None else "（自然到访）"
        counts = per.setdefault(channel, {"reported": 0, CONFIRMED: 0, UNCONFIRMED: 0, SALES_ONLY: 0, "differs": 0})
        counts[ev.status] += 1
        counts["reported"] += ev.status != SALES_ONLY
        who = [channel, show(cust.phone), reg.name if reg is not None else cust.name]
        if ev.status == UNCONFIRMED:
            held.append(who + [ev.claimed_date, ev.claimed_property, ev.claimed_amount,
                               "台账为退房" if ev.cancelled else "台账中没有"])
        elif ev.status == SALES_ONLY:
            unreported.append(who + [ev.sale.deal, ev.sale.property, ev.sale.amount, ev.sale.where])
        if ev.amount_differs or ev.date_differs:
            counts["differs"] += 1
            typed = "；".join(x for x in (f"金额 {money_fmt(ev.claimed_amount)}" if ev.amount_differs else "",
                                         f"日期 {ev.claimed_date.isoformat()}" if ev.date_differs else "") if x)
            ledger_says = "；".join(x for x in (f"金额 {money_fmt(ev.sale.amount)}" if ev.amount_differs else "",
                                               f"日期 {'、'.join(sorted(d.isoformat() for d in ev.sale.days))}"
                                               if ev.date_differs else "") if x)
            differ.append(who + [typed, ledger_says, ev.sale.where])
    others = [r for r in ledger.rows if r.deal is not None and (r.file, r.row) not in matched
              and (period.all or r.deal in period)]
    order = sorted(per.items(), key=lambda kv: (kv[0].startswith("（"), kv[0]))
    tables = [
        TableData("按渠道（本期成交）", ["渠道", "渠道报成交", "已确认", "待确认", "案场确认，渠道未报", "金额或日期不符"],
                  [[c, n["reported"], n[CONFIRMED], n[UNCONFIRMED], n[SALES_ONLY], n["differs"]] for c, n in order],
                  ["text", "int", "int", "int", "int", "int"], widths=[24, 10, 8, 8, 16, 14]),
        TableData("待确认（案场台账中没有的成交：佣金暂不列入应结）",
                  ["渠道", "客户电话", "客户姓名", "成交日期", "成交楼盘", "成交金额(万元)", "说明"], held,
                  ["text", "text", "text", "date", "text", "money", "text"], widths=[24, 14, 9, 11, 12, 12, 12]),
        TableData("案场确认，渠道未报（已计入归属渠道）",
                  ["渠道", "客户电话", "客户姓名", "成交日期", "成交楼盘", "成交金额(万元)", "台账行"], unreported,
                  ["text", "text", "text", "date", "text", "money", "text"], widths=[24, 14, 9, 11, 12, 12, 30]),
        TableData("金额或日期与案场不符（以案场为准）", ["渠道", "客户电话", "客户姓名", "渠道填写", "案场台账", "台账行"], differ,
                  ["text", "text", "text", "text", "text", "text"], widths=[24, 14, 9, 24, 30, 30]),
    ]
    totals = {k: sum(n[k] for n in per.values()) for k in ("reported", CONFIRMED, UNCONFIRMED, SALES_ONLY, "differs")}
    covered = "、".join(sorted({r.property for r in ledger.rows})) or "（无）"
    return Section(
        "evidence", "案场核对（渠道成交与案场成交台账）", "案场核对", tables,
        {"ledgers": ledger.files, "properties": sorted({r.property for r in ledger.rows}),
         "totals": totals, "by_channel": [{"channel": c, **n} for c, n in order],
         "unconfirmed": len(held), "unreported": len(unreported), "differs": len(differ),
         "ledger_deals_unregistered": len(others)},
        headline=(f"案场核对：渠道报成交 {totals['reported']} 笔，已确认 {totals[CONFIRMED]}，待确认 {totals[UNCONFIRMED]}，"
                  f"案场确认渠道未报 {totals[SALES_ONLY]}，金额或日期不符 {totals['differs']}"),
        note=f"案场成交台账覆盖的楼盘：{covered}。这些楼盘的成交以台账为准（日期、金额）；台账中没有的为“待确认”，"
             "佣金列出但暂不列入应结；其他楼盘的成交不核对。台账中另有 "
             f"{len(others)} 笔成交的客户不在任何渠道的登记中（案场自有客户）。")
