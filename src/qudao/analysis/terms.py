"""The commercial terms of every registration: protection period, commission rate, settlement cycle.

They come from the agreement of the registration's channel **in force on its registration date**
(生效日期 ≤ 登记日期 ≤ 到期日期, docs/decisions.md → Agreements): the channel brought the customer under
that agreement. Per-property rates of qudao.toml (by 成交楼盘) win over the agreement's; without an
agreement the defaults apply, and every output says so.

Ledger names are resolved against the registers' channels (qudao.channels): a short-name
match is an info finding, an ambiguous or unknown name a warning.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from qudao.channels import AMBIGUOUS, NONE, SHORT, Directory
from qudao.findings import Finding, make
from qudao.money import dec

LEDGER = "协议台账"
TERMINATED = "终止"  # an agreement ended early: its 到期日期 no longer says when, so it covers nothing


@dataclass(frozen=True)
class Agreement:
    number: str
    written: str  # 渠道名称 as the ledger writes it
    channel: str | None  # the register channel it resolved to
    start: _dt.date
    end: _dt.date
    rate: Decimal | None  # percent
    protection: int | None  # days
    settle_days: int | None
    state: str | None
    file: str
    sheet: str
    row: int
    cell: str
    region: str = ""  # 合作区域, as written (the 异常监控's region rule, issue 24)
    properties: str = ""  # 合作楼盘, as written (the property rule)

    def covers(self, day: _dt.date) -> bool:
        return self.start <= day <= self.end


@dataclass
class Terms:
    settings: Any
    agreements: list[Agreement] = field(default_factory=list)
    ledger: bool = False  # an agreements ledger was among the inputs
    findings: list[Finding] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._by_channel: dict[str, list[Agreement]] = {}
        for a in self.agreements:
            if a.channel is not None and a.state != TERMINATED:
                self._by_channel.setdefault(a.channel, []).append(a)
        for items in self._by_channel.values():
            items.sort(key=lambda a: (a.start, a.number))
        self._memo: dict[tuple[str, _dt.date], Agreement | None] = {}

    def has_agreement(self, channel: str) -> bool:
        return channel in self._by_channel

    def agreement(self, channel: str, day: _dt.date) -> Agreement | None:
        """The channel's agreement in force on ``day`` (the latest to take effect, when several do)."""
        key = (channel, day)
        if key not in self._memo:
            found = [a for a in self._by_channel.get(channel, ()) if a.covers(day)]
            self._memo[key] = found[-1] if found else None
        return self._memo[key]

    def protection_days(self, channel: str, day: _dt.date) -> int:
        a = self.agreement(channel, day)
        return a.protection if a is not None and a.protection else self.settings.protection_days

    def rate(self, channel: str, day: _dt.date, prop: str | None) -> tuple[Decimal, str]:
        """(commission rate in %, where it comes from) for a deal of ``channel``'s registration of ``day``."""
        by_property = self.settings.commission_by_property
        if prop and prop in by_property:
            return dec(by_property[prop]), f"楼盘「{prop}」点位"
        a = self.agreement(channel, day)
        if a is not None and a.rate is not None:
            return a.rate, f"协议 {a.number}"
        default = dec(self.settings.commission_default)
        if a is not None:
            return default, f"默认点位（协议 {a.number} 未填佣金点位）"
        if self.has_agreement(channel):
            if self.settings.commission_outside_agreement == "none":
                return dec(0), "不计佣（登记时协议未生效）"
            return default, "默认点位（登记时协议未生效）"
        return default, "默认点位（没有匹配的协议）" if self.ledger else "默认点位（未提供协议台账）"

    def settle_days(self, channel: str, day: _dt.date) -> tuple[int, str]:
        a = self.agreement(channel, day)
        if a is not None and a.settle_days is not None:
            return a.settle_days, f"协议 {a.number}"
        return self.settings.commission_settle_days, "默认结佣周期"

    def basis(self, channel: str) -> str:
        """Where a channel's commission rate and protection come from, in a few words (every output says it)."""
        items = self._by_channel.get(channel)
        if items:
            return "协议 " + "、".join(f"{a.number}（{_pct(a.rate)}）" if a.rate is not None else a.number for a in items)
        default = f"默认 {_pct(dec(self.settings.commission_default))}"
        return f"{default}（没有匹配的协议）" if self.ledger else f"{default}（未提供协议台账）"

    def latest(self) -> dict[str, Agreement]:
        """Each channel's agreement that took effect last (for the ledger's roll-up)."""
        return {c: items[-1] for c, items in sorted(self._by_channel.items())}


def _pct(rate: Decimal | None) -> str:
    return "" if rate is None else f"{rate.normalize():f}%"


def ledger_rows(reports) -> list[tuple[Any, Any, Any]]:
    """(report, table, row) of every accepted row of the agreements ledgers among ``reports``."""
    out = []
    for report in reports:
        if report.kind == "agreements":
            for table in report.tables_for(LEDGER):
                out += [(report, table, row) for row in table.rows if not row.rejected]
    return out


def build_terms(reports, channels, settings) -> Terms:
    """The terms from the ledgers among ``reports`` (their current copies), with every ledger name
    resolved against the register ``channels``."""
    directory = Directory(channels, settings)
    agreements: list[Agreement] = []
    findings: list[Finding] = []
    rows = ledger_rows(reports)
    for report, table, row in rows:
        v = row.values
        written = v.get("渠道名称") or ""
        cell = table.cell("渠道名称", row.number)
        where = dict(file=report.path, sheet=table.sheet, cell=cell, row=row.number, column="渠道名称", value=written)
        resolution = directory.resolve(written) if directory.channels else None
        channel = resolution.channel if resolution else None
        if resolution is not None and resolution.how == SHORT:
            findings.append(make("channel.matched", f"协议台账中的「{written}」按简称对应登记表中的渠道「{channel}」；"
                                 "如不是同一渠道，请在 qudao.toml 的 [channels] aliases 中写明", **where))
        elif resolution is not None and resolution.how == AMBIGUOUS:
            findings.append(make("channel.unmatched", f"协议台账中的「{written}」可能是以下任一渠道：{'、'.join(resolution.candidates)}；"
                                 "无法确定，这份协议没有用于计佣和保护期。请在 qudao.toml 的 [channels] aliases 中写明",
                                 **where))
        elif resolution is not None and resolution.how == NONE:
            near = f"；最接近的是「{resolution.candidates[0]}」" if resolution.candidates else ""
            findings.append(make("channel.unmatched", f"协议台账中的「{written}」与登记表中的任何渠道都对不上{near}。"
                                 "这份协议没有用于计佣和保护期；如是同一渠道，请在 qudao.toml 的 [channels] aliases 中写明",
                                 **where))
        start, end = v.get("生效日期"), v.get("到期日期")
        if start is None or end is None:
            continue
        rate = v.get("佣金点位(%)")
        agreements.append(Agreement(v.get("协议编号") or "", written, channel, start, end,
                                    dec(rate) if rate is not None else None, v.get("保护期(天)"), v.get("结佣周期(天)"),
                                    v.get("状态"), report.path, table.sheet, row.number, cell,
                                    v.get("合作区域") or "", v.get("合作楼盘") or ""))
    return Terms(settings, agreements, ledger=bool(rows), findings=findings)
