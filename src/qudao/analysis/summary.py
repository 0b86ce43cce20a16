"""One result object for ``qudao summarize`` and ``qudao rollup``.

:func:`build_summary` takes the checked inputs and returns a
:class:`Summary`; the xlsx, JSON, HTML/Markdown and terminal outputs all
render from it, so they always agree.
"""

from __future__ import annotations

import datetime as _dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

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
from qudao.money import ZERO, as_json
from qudao.normalize import mask_phone, shown_phone
from qudao.records import FileReport, totals
from qudao.schema import get_kind

DETAIL_LEAD = ("来源文件", "行号", "渠道名称", "渠道类型", "所属分所")
SETTLE_STATES = ("未到期", "应结", "逾期", "待确认")  # 待确认: no record in the sales ledger yet (issue 24)
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
    skipped: list[Any] = field(default_factory=list)  # inbox entries not read (check.engine.Skipped)
    history: int = 0  # findings of superseded copies (not counted)

    @staticmethod
    def _file_json(r: FileReport) -> dict[str, Any]:
        out = {"path": r.path, "kind": r.kind, "status": r.status, "rows_read": r.rows_read,
               "rows_accepted": r.rows_accepted, "rows_rejected": r.rows_rejected, "rows_skipped": r.rows_skipped,
               "errors": r.errors, "warnings": r.warnings}
        if r.series:
            out.update(series=r.series, copy_date=r.copy_date.isoformat() if r.copy_date else None,
                       superseded_by=r.superseded_by)
        return out
    grade_basis: str = ""  # 「评分依据：…」 of 评分/建议等级 (analysis.assess.grade_against_targets)

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
        return shown_phone(phone, self.show_phones)

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
                for name in reg.latest.source.extras:
                    extras.setdefault(name, None)
        return columns, list(extras)

    def detail_count(self) -> int:
        """The number of 明细 rows (registrations of the period), without building them."""
        if self.registers is None:
            return 0
        if self.period.all:
            return len(self.registers.attribution.registrations)
        return sum(1 for reg in self.registers.attribution.registrations if reg.registered in self.period)

    def detail_rows(self) -> DetailRows:
        """One row per registration of the period (a channel's claim on a customer, merged over every
        weekly copy: the earliest 登记日期, the latest 到访/成交), at the file and row of its latest copy,
        with its attribution status — so that the rows add up to the KPIs. Sorted by file and row; each
        row is built as it is read (a big inbox's 明细 is never in memory twice)."""
        if self.registers is None:
            return DetailRows([], lambda reg: [])
        columns, extras = self.detail_header()
        att = self.registers.attribution
        owner_of = {}
        for cust in att.customers:
            owner_of[cust.key] = cust.owner.channel if cust.owner else (NATURAL if cust.natural else "")
        everything = self.period.all
        regs = [reg for reg in att.registrations if everything or reg.registered in self.period]
        regs.sort(key=lambda reg: (reg.latest.source.file, reg.latest.source.row))

        def line_of(reg) -> list[Any]:
            status = STATUS_CN.get(reg.status, reg.status)
            if reg.status == LOST:
                status = f"撞单（先登记：{reg.winner}）"
            sub = reg.latest
            src = sub.source
            merged = {**src.values, "登记日期": reg.registered, "到访日期": reg.visit, "成交日期": reg.deal,
                      "成交金额(万元)": reg.deal_amount, "成交楼盘": reg.deal_property}
            line: list[Any] = [src.file, src.row, reg.channel, src.channel_type, src.branch]
            for header in columns:
                value = merged.get(header)
                if header == "联系电话" and value:
                    value = self.phone(value)
                line.append(value)
            line.extend(src.extras.get(name) for name in extras)
            line.extend((status, owner_of.get(reg.customer, "")))
            return line

        return DetailRows(regs, line_of)

    def settlement_totals(self) -> dict[str, Any]:
        """Deals and commission of the 结佣清单 per status, summed exactly, then rounded."""
        out: dict[str, Any] = {}
        lines_all = self.registers.settlement if self.registers else ()
        held = any(d["status"] == SETTLE_STATES[-1] for d in lines_all)
        for status in SETTLE_STATES if held or (self.registers and self.registers.ledger) else SETTLE_STATES[:-1]:
            lines = [d for d in lines_all if d["status"] == status]
            out[status] = {"deals": len(lines), "commission_wan": as_json(sum((d["commission"] for d in lines), ZERO))}
        return out

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
            "conflicts": [], "possible_conflicts": [], "protection_expiring": [], "protection_ended": [],
            "settlement": [], "settlement_totals": {},
            "findings": {"errors": sum(1 for f in self.findings if f.severity == "error"),
                         "warnings": sum(1 for f in self.findings if f.severity == "warning"),
                         "infos": sum(1 for f in self.findings if f.severity == "info"),
                         "by_code": self.finding_counts()},
            "files": [self._file_json(r) for r in self.reports] + [s.to_dict() for s in self.skipped],
            "grade_basis": self.grade_basis,
            "settings": {"protection_days": self.settings.protection_days,
                         "commission_default": self.settings.commission_default,
                         "config": self.settings.config_json()},
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
                    "days_left": e["days_left"], "follower": e["follower"], "branch": e["branch"]})
            data["protection_ended"] = [{
                "customer": e["customer"], "name": e["name"], "channel": e["channel"],
                "registered": e["registered"].isoformat(), "protection_end": e["protection_end"].isoformat(),
                "follower": e["follower"], "branch": e["branch"]} for e in reg.ended]
            data["settlement"] = [{
                "channel": d["channel"], "branch": d["branch"], "follower": d["follower"], "customer": d["customer"],
                "customer_masked": mask_phone(d["customer"]), "name": d["name"], "deal": d["deal"].isoformat(),
                "property": d["property"], "deal_amount_wan": as_json(d["amount"]), "rate": float(d["rate"]),
                "rate_source": d["rate_source"], "commission_wan": as_json(d["commission"]),
                "settle_days": d["settle_days"], "due": d["due"].isoformat(), "status": d["status"],
                "evidence": d.get("evidence") or None}
                for d in reg.settlement]
            data["settlement_totals"] = self.settlement_totals()
        for kind_id, rollup in sorted(self.kinds.items()):
            data[kind_id] = rollup.to_json() if hasattr(rollup, "to_json") else rollup
        return data


class DetailRows:
    """The 明细 rows: a length, and the rows built one at a time as they are iterated."""

    def __init__(self, regs: list, line_of: Callable[[Any], list[Any]]):
        self._regs = regs
        self._line_of = line_of

    def __len__(self) -> int:
        return len(self._regs)

    def __iter__(self) -> Iterator[list[Any]]:
        return map(self._line_of, self._regs)

    def __getitem__(self, i: int) -> list[Any]:
        return self._line_of(self._regs[i])

    def part(self, start: int, stop: int) -> "DetailRows":
        """Rows ``start`` to ``stop`` (one sheet's share of a 明细 longer than a sheet)."""
        return DetailRows(self._regs[start:stop], self._line_of)


def build_summary(reports: list[FileReport], settings: Settings | None = None, period: Period | None = None,
                  as_of: _dt.date | None = None, show_phones: bool = False,
                  terms=None, att=None, submissions: list | None = None, current=None) -> Summary:
    """Count the registers (attribution over all history, or ``att`` when already done).
    ``submissions`` may be given when they were collected while the files were read."""
    settings = settings or Settings()
    period = period or Period()
    as_of = as_of or _dt.date.today()
    current = current or (lambda r: r.current)  # the copies whose findings count (docs/time.md)
    reports = [r for r in reports if not r.received_later]
    findings = [f for r in reports if current(r) for f in r.findings]  # superseded copies: history
    registers = None
    if any(r.kind == "register" for r in reports):
        subs = submissions if submissions is not None else submissions_from(reports, settings)
        if terms is None:
            from qudao.analysis.terms import build_terms

            terms = build_terms([r for r in reports if current(r)], {s.channel for s in subs}, settings)
        from qudao.analysis.evidence import build_ledger

        ledger = build_ledger([r for r in reports if current(r)], settings)  # issue 24: the sales office's deals
        registers = count(subs, settings, period, terms=terms, as_of=as_of, att=att, ledger=ledger)
        findings.extend(terms.findings)
        findings.extend(registers.findings)
    summary = Summary(period, as_of, settings, reports, registers, findings, show_phones)
    summary.history = sum(len(r.findings) for r in reports if not current(r))
    if registers is not None:  # issue 16: grade against the channels' targets where they exist
        from qudao.analysis.assess import grade_against_targets

        summary.grade_basis = grade_against_targets(registers, reports, settings, period.end or as_of)
    return summary
