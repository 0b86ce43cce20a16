"""Payments close the loop (issue 22; tools.md §16 结佣台账).

:func:`read_payments` takes the payments of the current 结佣台账 copies, each channel name resolved like every
channel name (rule 5); :func:`match` matches each payment to a settlement line of its channel — by customer
(phone; a masked phone with the name; the name alone, or written in the 备注 of a bank export, when that is unique)
and 成交日期 when the row gives one —
and says, for every line, what was paid and what remains. A payment that matches no line, pays more than the
line's commission, repeats an identical payment, or pays a deal the channel's register no longer holds (成交取消)
is a finding naming its row. Every payment still counts as paid to its channel (the statement's 已付). No files
or formats here.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Iterable

from qudao.channels import AMBIGUOUS, NONE, SHORT, Directory
from qudao.findings import Finding, make
from qudao.money import ZERO, fmt, line_amount
from qudao.normalize import mask_phone, name_key

SHEET = "结佣记录"


@dataclass(frozen=True)
class Payment:
    number: str  # 付款编号
    written: str  # 渠道名称 as the ledger writes it
    channel: str | None  # the register channel it resolved to
    name: str  # 客户姓名
    phone: str | None  # 联系电话 (full or masked)
    deal: _dt.date | None  # 成交日期, when given
    paid_on: _dt.date
    amount: Decimal  # 万元, as its line shows it
    method: str
    voucher: str
    note: str
    file: str
    sheet: str
    row: int
    cell: str  # the 付款金额 cell

    def where(self, column: str = "付款金额(万元)") -> dict[str, Any]:
        return dict(file=self.file, sheet=self.sheet, cell=self.cell, row=self.row, column=column,
                    value=self.number if column == "付款编号" else float(self.amount))


@dataclass
class Payments:
    payments: list[Payment] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # channel names that do not resolve
    ledger: bool = False  # a 结佣台账 was among the inputs

    def of(self, channel: str, end: _dt.date | None = None) -> list[Payment]:
        return [p for p in self.payments if p.channel == channel and (end is None or p.paid_on <= end)]


def read_payments(reports: Iterable, channels: Iterable[str], settings) -> Payments:
    """The accepted rows of the current 结佣台账 copies among ``reports``, their 渠道名称 resolved against the
    register ``channels`` (a short name is an info finding; an unknown or ambiguous one a warning)."""
    directory = Directory(channels, settings)
    out = Payments()
    for report in reports:
        if report.kind != "payments":
            continue
        out.ledger = True
        for table in report.tables_for(SHEET):
            for row in table.rows:
                if row.rejected:
                    continue
                v = row.values
                written = v.get("渠道名称") or ""
                where = dict(file=report.path, sheet=table.sheet, cell=table.cell("渠道名称", row.number),
                             row=row.number, column="渠道名称", value=written)
                found = directory.resolve(written) if directory.channels else None
                if found is not None and found.how == SHORT:
                    out.findings.append(make("channel.matched", f"结佣台账中的「{written}」按简称对应登记表中的渠道"
                                             f"「{found.channel}」；如不是同一渠道，请在 qudao.toml 的 [channels] aliases 中写明",
                                             **where))
                elif found is None or found.how in (NONE, AMBIGUOUS):
                    near = (f"：可能是 {'、'.join(found.candidates)}" if found is not None and found.how == AMBIGUOUS
                            else f"；最接近的是「{found.candidates[0]}」" if found is not None and found.candidates else "")
                    out.findings.append(make("payment.unmatched", f"结佣台账中的渠道「{written}」与登记表中的任何渠道都对不上{near}。"
                                             "这笔付款没有计入任何渠道；请核对名称，或在 qudao.toml 的 [channels] aliases 中写明",
                                             **where))
                out.payments.append(Payment(
                    v.get("付款编号") or "", written, found.channel if found is not None else None,
                    v.get("客户姓名") or "", v.get("联系电话"), v.get("成交日期"), v["付款日期"],
                    line_amount(v["付款金额(万元)"]), v.get("付款方式") or "", v.get("凭证号") or "", v.get("备注") or "",
                    report.path, table.sheet, row.number, table.cell("付款金额(万元)", row.number)))
    out.payments.sort(key=lambda p: (p.paid_on, p.file, p.row))
    return out


def _key(name: str) -> str:
    return name_key(name or "").replace(" ", "")


def _fits(p: Payment, line: dict[str, Any]) -> bool:
    """The payment names the line's customer: its phone (a masked one with the name), else the name alone."""
    customer = line["customer"]
    name_ok = _key(p.name) == _key(line["name"])
    if p.phone:
        if "*" in p.phone:
            return mask_phone(customer) == p.phone and (name_ok or not p.name)
        return customer == p.phone
    if not p.name:  # a bank export: the customer written in the 摘要/附言 (「佣金 周杰」)
        return bool(line["name"]) and _key(line["name"]) in _key(p.note)
    return name_ok


@dataclass
class Matched:
    paid: dict[int, Decimal]  # id(line) → paid (by the end)
    payments: dict[int, list[Payment]]  # id(line) → its payments
    findings: list[Finding]
    line_of: dict[str, int]  # 付款编号 (+ row) → id(line)


def match(payments: list[Payment], lines: list[dict[str, Any]], cancelled: dict[tuple[str, str], _dt.date | None],
          end: _dt.date | None = None) -> Matched:
    """Each payment (dated by ``end``) to its settlement line (``lines``: every attributed deal so far, as
    ``analysis.register.settlement`` makes them). ``cancelled``: (channel, customer phone) → the deal date an
    earlier copy held, for registrations whose current copy holds no deal (成交取消)."""
    by_channel: dict[str, list[dict]] = {}
    for line in lines:
        by_channel.setdefault(line["channel"], []).append(line)
    out = Matched({}, {}, [], {})
    for p in payments:
        if p.channel is None or (end is not None and p.paid_on > end):
            continue
        fits = [line for line in by_channel.get(p.channel, ()) if _fits(p, line)]
        if p.deal is not None:
            fits = [line for line in fits if line["deal"] == p.deal]
        who = p.name or (p.phone or "")
        if len(fits) != 1:
            dropped = next((day for (ch, phone), day in cancelled.items() if ch == p.channel and (
                phone == p.phone or (p.phone and "*" in p.phone and mask_phone(phone) == p.phone))), False) \
                if p.phone else False
            if dropped is not False:
                out.findings.append(make("payment.cancelled", f"付款 {p.number} 支付的是「{p.channel}」客户「{who}」的成交，"
                                         "但渠道最新的登记表中这笔成交已取消：请核对是否需要追回", **p.where()))
            elif len(fits) > 1:
                out.findings.append(make("payment.unmatched", f"付款 {p.number} 对应「{p.channel}」的多笔成交（客户「{who}」），"
                                         "请填写成交日期以便核对", **p.where("成交日期")))
            else:
                what = f"客户「{who}」" if who else "未填客户"
                day = f"、成交日期 {p.deal.isoformat()}" if p.deal else ""
                out.findings.append(make("payment.unmatched", f"付款 {p.number}（{fmt(p.amount)} 万元）对不上「{p.channel}」"
                                         f"的任何成交（{what}{day}）：请核对客户姓名、电话和成交日期"
                                         + ("；未填客户的付款请补填客户姓名" if not who else ""), **p.where()))
            continue
        line = fits[0]
        earlier = out.payments.setdefault(id(line), [])
        paid = out.paid.get(id(line), ZERO) + p.amount
        if paid > line["commission"]:
            twin = next((q for q in earlier if q.amount == p.amount and (q.paid_on == p.paid_on or (
                q.voucher and q.voucher == p.voucher))), None)
            if twin is not None:
                out.findings.append(make("payment.double", f"付款 {p.number} 与付款 {twin.number}（第 {twin.row} 行）"
                                         f"金额、日期相同，是同一笔成交（客户「{line['name']}」）的重复付款：请核对是否多付",
                                         **p.where()))
            else:
                out.findings.append(make("payment.over", f"客户「{line['name']}」这笔成交的佣金为 {fmt(line['commission'])} 万元，"
                                         f"累计付款 {fmt(paid)} 万元，多付 {fmt(paid - line['commission'])} 万元（付款 {p.number}）",
                                         **p.where()))
        earlier.append(p)
        out.paid[id(line)] = paid
        out.line_of[f"{p.file}|{p.row}"] = id(line)
    return out
