"""One result object for ``qudao summarize`` and ``qudao rollup``.

:func:`build_summary` takes the checked inputs and returns a
:class:`Summary`; the xlsx, JSON, HTML/Markdown and terminal outputs all
render from it, so they always agree.
"""

from __future__ import annotations

import datetime as _dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from qudao.analysis.attribution import LOST
from qudao.analysis.register import (
    NATURAL,
    STATUS_CN,
    Period,
    RegisterCounts,
    count,
    submissions_from,
)
from qudao.config import Settings
from qudao.findings import SEVERITY_ORDER, Finding
from qudao.labels import reconciled, reconciliation_line
from qudao.normalize import mask_phone
from qudao.records import FileReport, totals
from qudao.schema import get_kind

DETAIL_LEAD = ("来源文件", "行号", "渠道名称", "渠道类型", "所属分所")
DETAIL_TAIL = ("归属状态", "客户归属")


@dataclass
class Summary:
    period: Period
    as_of: _dt.date
    settings: Settings
    reports: list[FileReport]
    registers: RegisterCounts | None
    findings: list[Finding]
    show_phones: bool = False
    kinds: dict[str, Any] = field(default_factory=dict)  # per-kind roll-ups of the other workbooks
    title: str = "渠道汇总分析表"

    @property
    def inputs(self) -> dict[str, int]:
        t = totals(self.reports)
        return {k: t[k] for k in ("files", "rows_read", "rows_accepted", "rows_rejected", "rows_skipped")}

    @property
    def reconciled(self) -> bool:
        return reconciled(self.inputs)

    @property
    def reconciliation(self) -> str:
        return reconciliation_line(self.inputs)

    @property
    def files_unreadable(self) -> int:
        return sum(1 for r in self.reports if r.unreadable)

    @property
    def has_errors(self) -> bool:
        return any(f.severity == "error" for f in self.findings)

    @property
    def span(self) -> tuple[_dt.date | None, _dt.date | None]:
        """The period a summary covers, as its period line says it: the bounds given (--from/--to, the
        week), else the first and last event dates seen (登记, 到访, 成交)."""
        start, end = self.period.start, self.period.end
        if (start is None or end is None) and self.registers is not None:
            days = [d for reg in self.registers.attribution.registrations
                    for d in (reg.registered, reg.visit, reg.deal) if d is not None and d in self.period]
            if days:
                start, end = start or min(days), end or max(days)
        return start, end

    @property
    def period_text(self) -> str:
        """「2026-10-05 至 2026-11-27」 — real dates, never 最早/最新."""
        start, end = self.span
        if start is None and end is None:
            return "（没有登记数据）"
        return f"{start.isoformat() if start else '（无）'} 至 {end.isoformat() if end else '（无）'}"

    def phone(self, phone: str) -> str:
        return phone if self.show_phones else mask_phone(phone)

    def finding_counts(self) -> dict[str, int]:
        return dict(sorted(Counter(f.code for f in self.findings).items()))

    def top_problems(self, n: int = 10) -> list[tuple[str, str, int]]:
        """(code, severity, count) for errors and warnings, most frequent first."""
        counts = Counter((f.code, f.severity) for f in self.findings if f.severity != "info")
        return [(code, sev, c) for (code, sev), c in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))][:n]

    # ---------------------------------------------------------------- tables

    def conflict_rows(self) -> list[dict[str, Any]]:
        if self.registers is None:
            return []
        out = []
        for c in self.registers.attribution.conflicts + self.registers.attribution.possible:
            if c.loser_date not in self.period:
                continue
            out.append({"status": "撞单" if c.status == "conflict" else "待核", "customer": self.phone(c.customer[1]),
                        "name": c.name, "winner": c.winner, "winner_date": c.winner_date, "loser": c.loser,
                        "loser_date": c.loser_date, "days": (c.loser_date - c.winner_date).days,
                        "new": False})
        out.sort(key=lambda d: (d["status"] != "撞单", d["loser_date"], d["winner"], d["loser"], d["customer"]))
        return out

    def detail_header(self) -> tuple[list[str], list[str]]:
        """(columns, extra columns) of the 明细 sheet."""
        columns = [c.header for c in get_kind("register").main.columns
                   if c.header not in ("序号", "渠道名称", "渠道类型", "所属分所")]
        extras: dict[str, None] = {}
        if self.registers is not None:
            for reg in self.registers.attribution.registrations:
                for sub in reg.submissions:
                    for name in sub.source.extras:
                        extras.setdefault(name, None)
        return columns, list(extras)

    def detail_rows(self) -> list[list[Any]]:
        """Every accepted register row, normalised, with its source and attribution status."""
        if self.registers is None:
            return []
        columns, extras = self.detail_header()
        att = self.registers.attribution
        owner_of = {}
        for cust in att.customers:
            owner_of[cust.key] = cust.owner.channel if cust.owner else (NATURAL if cust.natural else "")
        rows = []
        for reg in att.registrations:
            status = STATUS_CN.get(reg.status, reg.status)
            if reg.status == LOST:
                status = f"撞单（先登记：{reg.winner}）"
            owner = owner_of.get(reg.customer, "")
            for sub in reg.submissions:
                src = sub.source
                values = src.values
                line: list[Any] = [src.file, src.row, sub.channel, src.channel_type, src.branch]
                for header in columns:
                    value = values.get(header)
                    if header == "联系电话" and value:
                        value = self.phone(value)
                    line.append(value)
                line.extend(src.extras.get(name) for name in extras)
                line.extend((status, owner))
                rows.append(line)
        rows.sort(key=lambda r: (r[0], r[1]))
        return rows

    def sorted_findings(self) -> list[Finding]:
        return sorted(self.findings, key=lambda f: (f.file, SEVERITY_ORDER[f.severity], f.sheet, f.row or 0,
                                                     f.cell, f.code))

    # ---------------------------------------------------------------- json

    def to_json(self) -> dict[str, Any]:
        reg = self.registers
        data: dict[str, Any] = {
            "period": self.period.to_dict(),
            "as_of": self.as_of.isoformat(),
            "inputs": {**self.inputs, "files_unreadable": self.files_unreadable},
            "reconciliation": {"line": self.reconciliation, "ok": self.reconciled},
            "totals": dict(reg.totals) if reg else {},
            "by_channel": [r.to_dict() for r in reg.by_channel] if reg else [],
            "natural_visits": {"channel": NATURAL, **reg.natural.to_dict(), "customers": reg.natural.natural}
            if reg else {},
            "by_type": [g.to_dict("type") for g in reg.by_type] if reg else [],
            "by_branch": [g.to_dict("branch") for g in reg.by_branch] if reg else [],
            "by_property": [g.to_dict("property") for g in reg.by_property] if reg else [],
            "by_week": [g.to_dict("week") for g in reg.by_week] if reg else [],
            "conflicts": [], "possible_conflicts": [], "protection_expiring": [],
            "findings": {"errors": sum(1 for f in self.findings if f.severity == "error"),
                         "warnings": sum(1 for f in self.findings if f.severity == "warning"),
                         "infos": sum(1 for f in self.findings if f.severity == "info"),
                         "by_code": self.finding_counts()},
            "files": [{"path": r.path, "kind": r.kind, "status": r.status, "rows_read": r.rows_read,
                       "rows_accepted": r.rows_accepted, "rows_rejected": r.rows_rejected,
                       "rows_skipped": r.rows_skipped, "errors": r.errors, "warnings": r.warnings}
                      for r in self.reports],
            "settings": {"protection_days": self.settings.protection_days,
                         "commission_default": self.settings.commission_default},
        }
        if reg:
            for key, found in (("conflicts", reg.attribution.conflicts), ("possible_conflicts", reg.attribution.possible)):
                data[key] = [{"customer": c.customer[1], "customer_masked": mask_phone(c.customer[1]), "name": c.name,
                              "winner": c.winner, "loser": c.loser, "winner_date": c.winner_date.isoformat(),
                              "loser_date": c.loser_date.isoformat()}
                             for c in found if c.loser_date in self.period]
            data["conflicts"].sort(key=lambda d: (d["loser_date"], d["winner"], d["loser"], d["customer"]))
            for e in reg.expiring:
                data["protection_expiring"].append({
                    "customer": e["customer"], "name": e["name"], "channel": e["channel"],
                    "registered": e["registered"].isoformat(), "protection_end": e["protection_end"].isoformat(),
                    "days_left": e["days_left"]})
        for kind_id, rollup in sorted(self.kinds.items()):
            data[kind_id] = rollup.to_json() if hasattr(rollup, "to_json") else rollup
        return data


def build_summary(reports: list[FileReport], settings: Settings | None = None, period: Period | None = None,
                  as_of: _dt.date | None = None, show_phones: bool = False,
                  channel_days: dict[str, int] | None = None,
                  channel_rates: dict[str, float] | None = None, att=None,
                  submissions: list | None = None) -> Summary:
    """Count the registers (attribution over all history, or ``att`` when already done).
    ``submissions`` may be given when they were collected while the files were read."""
    settings = settings or Settings()
    period = period or Period()
    as_of = as_of or _dt.date.today()
    findings = [f for r in reports for f in r.findings]
    registers = None
    if any(r.kind == "register" for r in reports):
        subs = submissions if submissions is not None else submissions_from(reports, settings)
        registers = count(subs, settings, period, channel_days=channel_days, channel_rates=channel_rates,
                          as_of=as_of, att=att)
        findings.extend(registers.findings)
    return Summary(period, as_of, settings, reports, registers, findings, show_phones)
