"""The expected figures of the month, computed from the scenario by the rules — never by qudao.

Rules implemented (plain Python, from ../../shared/spec/rules.md and ../time.md):

* the inbox over time: a copy's date is its header-block 报送日期/填报日期, else the last day of the week
  in its file name, else none (always read); ``as_of`` leaves out copies dated after it; the latest copy of
  a series (copy date, then file-name week, then name) is current; only current copies' findings count;
* attribution: rule 1 (one registration per channel and customer: earliest 登记日期, 到访/成交 from the
  most recent submission that has them), rule 2 (walk by 登记日期, ties by channel name; registrations
  after the first visit V never own), rule 3 (visits decide; 自然到访), rule 4 (deals to the owner);
* counting to the end of a week (events after it are not seen), and the week's own events;
* findings of the current copies, attribution findings, submission.missing.

The oracle reads the scenario (month.py), not the files: :func:`expected` takes an inbox folder only to
know which files are there.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import month_scenario as month
from month_scenario import WEEKS, Copy, monday_after, week_days

PROTECTION_DAYS = 30
EXPIRING_WARN_DAYS = 7
AGREEMENT_WARN_DAYS = 30
DEFAULT_RATE = 1.5  # % (the spec leaves the default open; qudao's docs/decisions.md says 1.5)
FIGURES = ("registrations", "customers", "owned_customers", "natural_visits", "visits", "deals",
           "deal_amount_wan", "conflicts")


# --------------------------------------------------------------------------- the inbox


def inbox_copies(root: Path, skip: tuple[str, ...] = ()) -> list[Copy]:
    """The scenario's copies for the files present under ``root`` (an unknown file is an error)."""
    known = month.copy_by_path(skip)
    out = []
    for path in sorted(p for p in Path(root).rglob("*") if p.is_file()):
        rel = path.relative_to(root).as_posix()
        if rel not in known:
            raise ValueError(f"not a file of the scenario: {rel}")
        out.append(known[rel])
    return out


def placed(copy: Copy, as_of: dt.date) -> bool:
    """Could the copy have been used on ``as_of``? (copies without any date: always)"""
    return copy.copy_date is None or copy.copy_date <= as_of


def current_copies(read: list[Copy]) -> dict[str, Copy]:
    """series → its current copy."""
    best: dict[str, Copy] = {}
    for c in read:
        if c.series is None:
            continue
        key = (c.copy_date or dt.date.min, c.week or "", c.path)
        old = best.get(c.series)
        if old is None or key > (old.copy_date or dt.date.min, old.week or "", old.path):
            best[c.series] = c
    return best


# --------------------------------------------------------------------------- attribution


@dataclass
class Sub:
    channel: str
    phone: str
    name: str
    registered: dt.date
    visit: dt.date | None
    deal: dt.date | None
    amount: float | None
    deal_property: str | None
    recency: tuple
    copy: Copy
    row: Any


@dataclass
class Reg:
    channel: str
    phone: str
    name: str
    registered: dt.date
    visit: dt.date | None
    deal: dt.date | None
    amount: float | None
    subs: list[Sub]
    status: str = ""  # owner | lost | after_visit | superseded | expired
    winner: str | None = None
    winner_date: dt.date | None = None
    window_end: dt.date | None = None

    @property
    def latest(self) -> Sub:
        return max(self.subs, key=lambda s: s.recency)


@dataclass
class Cust:
    phone: str
    regs: list[Reg]
    visit: dt.date | None = None
    owner: Reg | None = None
    natural: bool = False
    deal: dt.date | None = None
    amount: float | None = None


def submissions(read: list[Copy]) -> list[Sub]:
    out = []
    for c in read:
        if c.kind != "register":
            continue
        for row in c.rows:
            if row.rejected:
                continue
            v = row.values
            out.append(Sub(c.channel.name, v["联系电话"], v["客户姓名"], v["登记日期"], v.get("到访日期"),
                           v.get("成交日期"), v.get("成交金额(万元)"), v.get("成交楼盘"),
                           (c.copy_date or dt.date.min, c.week or "", c.path, row.number), c, row))
    return out


def attribute(subs: list[Sub], end: dt.date, protection: dict[str, int]) -> tuple[list[Cust], list[Reg]]:
    """Rules 1–4 on the events dated on or before ``end``."""
    seen = []
    for s in subs:
        if s.registered > end:
            continue
        visit = s.visit if s.visit and s.visit <= end else None
        has_deal = s.deal is not None and s.deal <= end
        seen.append(Sub(s.channel, s.phone, s.name, s.registered, visit, s.deal if has_deal else None,
                        s.amount if has_deal else None, s.deal_property if has_deal else None, s.recency, s.copy,
                        s.row))
    groups: dict[tuple, list[Sub]] = {}
    for s in seen:
        groups.setdefault((s.channel, s.phone), []).append(s)
    regs = []
    for (channel, phone), group in sorted(groups.items()):
        group.sort(key=lambda s: s.recency)
        visit_sub = next((s for s in reversed(group) if s.visit), None)
        deal_sub = next((s for s in reversed(group) if s.deal), None)
        first = min(group, key=lambda s: (s.registered, s.recency))
        regs.append(Reg(channel, phone, group[-1].name, first.registered, visit_sub.visit if visit_sub else None,
                        deal_sub.deal if deal_sub else None, deal_sub.amount if deal_sub else None, group))
    customers = []
    by_phone: dict[str, list[Reg]] = {}
    for r in regs:
        by_phone.setdefault(r.phone, []).append(r)
    for phone, rs in sorted(by_phone.items()):
        visits = [r.visit for r in rs if r.visit]
        v = min(visits) if visits else None
        owner = None
        for r in sorted(rs, key=lambda r: (r.registered, r.channel)):
            if v is not None and r.registered > v:
                r.status = "after_visit"
                continue
            if owner is not None and r.registered <= owner.window_end:
                r.status, r.winner, r.winner_date = "lost", owner.channel, owner.registered
                continue
            if owner is not None:
                owner.status = "superseded"
            r.status = "owner"
            r.window_end = r.registered + dt.timedelta(days=protection.get(r.channel, PROTECTION_DAYS))
            owner = r
        cust = Cust(phone, rs, v)
        if owner is not None and v is not None and v > owner.window_end:
            cust.natural = True
            owner.status = "expired"
        elif owner is not None:
            cust.owner = owner
        elif v is not None:
            cust.natural = True
        dealt = [r for r in rs if r.deal]
        if dealt:
            pick = cust.owner if cust.owner in dealt else max(dealt, key=lambda r: r.latest.recency)
            cust.deal, cust.amount = pick.deal, pick.amount
        customers.append(cust)
    return customers, regs


def rates_and_days(read: list[Copy]) -> tuple[dict[str, float], dict[str, int], dict[str, float]]:
    """Commission rate and protection days per channel from the agreements in force (by the channel they
    are for — 拉萨雪域物业服务有限公司 is 拉萨雪域物业), and the rates if the legal name were not matched."""
    rates, days, unmatched = {}, {}, {}
    for c in read:
        if c.kind != "agreements":
            continue
        for row in c.data:
            if row["状态"] != "有效":
                continue
            channel = month.CHANNEL[row["_channel"]].name
            rates[channel] = row["佣金点位(%)"]
            if row["保护期(天)"]:
                days[channel] = row["保护期(天)"]
            if row["渠道名称"] == channel:
                unmatched[channel] = row["佣金点位(%)"]
    return rates, days, unmatched


def figures(read: list[Copy], end: dt.date, start: dt.date | None = None) -> dict[str, Any]:
    """Totals and per-channel figures to ``end`` (cumulative), or of the period [start, end]."""
    rates, days, unmatched = rates_and_days(read)
    customers, regs = attribute(submissions(read), end, days)
    inside = (lambda d: d is not None and d <= end) if start is None else (
        lambda d: d is not None and start <= d <= end)
    t = dict.fromkeys(FIGURES, 0)
    t["deal_amount_wan"] = 0.0
    commission = commission_unmatched = 0.0
    channels = sorted({r.channel for r in regs})
    per = {ch: {"registrations": 0, "customers": 0, "visits": 0, "deals": 0, "deal_amount_wan": 0.0,
                "conflicts": 0} for ch in channels}
    for r in regs:
        if inside(r.registered):
            t["registrations"] += 1
            per[r.channel]["registrations"] += 1
            if r.status == "lost":
                t["conflicts"] += 1
                per[r.channel]["conflicts"] += 1
    for c in customers:
        if any(inside(r.registered) for r in c.regs):
            t["customers"] += 1
        if c.owner is not None and inside(c.owner.registered):
            t["owned_customers"] += 1
            per[c.owner.channel]["customers"] += 1
        if c.natural and inside(c.visit):
            t["natural_visits"] += 1
        if inside(c.visit):
            t["visits"] += 1
            if c.owner is not None:
                per[c.owner.channel]["visits"] += 1
        if inside(c.deal):
            t["deals"] += 1
            t["deal_amount_wan"] += c.amount
            if c.owner is not None:
                ch = c.owner.channel
                per[ch]["deals"] += 1
                per[ch]["deal_amount_wan"] += c.amount
                commission += c.amount * rates.get(ch, DEFAULT_RATE) / 100
                commission_unmatched += c.amount * unmatched.get(ch, DEFAULT_RATE) / 100
    t["deal_amount_wan"] = round(t["deal_amount_wan"], 2)
    t["commission_wan"] = round(commission, 2)
    t["commission_wan_if_legal_name_unmatched"] = round(commission_unmatched, 2)
    for row in per.values():
        row["deal_amount_wan"] = round(row["deal_amount_wan"], 2)
    conflicts = sorted((r.phone, r.winner, r.channel, r.winner_date.isoformat(), r.registered.isoformat())
                       for r in regs if r.status == "lost" and inside(r.registered))
    return {"totals": t, "by_channel": per, "conflicts": conflicts, "_customers": customers, "_regs": regs}


def _public(f: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in f.items() if not k.startswith("_")}


def _diff(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for k in a:
        if isinstance(a[k], (int, float)):
            d = a[k] - b.get(k, 0)
            out[k] = round(d, 2) if isinstance(d, float) else d
    return out


# --------------------------------------------------------------------------- findings


@dataclass(frozen=True, order=True)
class Finding:
    file: str
    sheet: str
    cell: str
    code: str
    severity: str
    note: str = field(default="", compare=False)


def _row_cell(reg: Reg, current: dict[str, Copy]) -> tuple[Copy, Any]:
    """Where a registration is shown: its row in the latest copy that has it (time.md, 明细)."""
    sub = reg.latest
    return sub.copy, sub.row


def copy_findings(copy: Copy, as_of: dt.date) -> list[Finding]:
    out = []
    if copy.kind == "register":
        for m in copy.block_mistakes:
            if m.code:
                out.append(Finding(copy.path, copy.sheet, copy.block_cells[m.column], m.code, m.severity, m.what))
        for row in copy.rows:
            for m in row.mistakes:
                if m.code:
                    out.append(Finding(copy.path, copy.sheet, row.cells[m.column], m.code, m.severity, m.what))
            for col in month.YEARLESS.get(copy.channel.key, ()):
                if isinstance(row.values.get(col), dt.date):
                    out.append(Finding(copy.path, copy.sheet, row.cells[col], "date.year_inferred", "info",
                                       f"{row.written[col]} → {row.values[col].isoformat()}"))
    elif copy.kind == "feedback":
        data = copy.data
        _hr, first = data["layout"]["客户内容"]
        col = month.cell_ref(month.CONTENT_COLUMNS.index("最近跟进日期"), 0)[:-1]
        for i, cust in enumerate(data["customers"]):
            days = (data["填报日期"] - cust["最近跟进日期"]).days
            if cust["意向等级"] in ("A", "B") and days > month.STALE_DAYS:
                out.append(Finding(copy.path, "客户内容", f"{col}{first + i}", "followup.stale", "warning",
                                   f"{cust['意向等级']} 级 {cust['客户姓名']} {days} 天未跟进"))
    elif copy.kind == "agreements":
        for i, row in enumerate(copy.data):
            if row["状态"] != "有效":
                continue
            left = (row["到期日期"] - as_of).days
            cell = month.agreement_cell(i, "到期日期")
            if left < 0:
                out.append(Finding(copy.path, copy.sheet, cell, "agreement.expired_active", "warning", row["协议编号"]))
            elif left <= AGREEMENT_WARN_DAYS:
                out.append(Finding(copy.path, copy.sheet, cell, "agreement.expiring", "warning",
                                   f"{row['协议编号']} {row['渠道名称']} ends {row['到期日期']} ({left} days)"))
    return out


def followups_overdue(copy: Copy) -> list[dict[str, Any]]:
    """Not a finding in the spec: customers whose 下次跟进日期 is before the sheet's 填报日期."""
    data = copy.data
    _hr, first = data["layout"]["客户内容"]
    col = month.cell_ref(month.CONTENT_COLUMNS.index("下次跟进日期"), 0)[:-1]
    return [{"file": copy.path, "cell": f"{col}{first + i}", "customer": c["客户姓名"], "grade": c["意向等级"],
             "next": c["下次跟进日期"].isoformat(), "days_overdue": (data["填报日期"] - c["下次跟进日期"]).days}
            for i, c in enumerate(data["customers"]) if c["下次跟进日期"] < data["填报日期"]]


# --------------------------------------------------------------------------- the week


def expected(week: str, root: Path | None = None, inbox: list[Copy] | None = None,
             as_of: dt.date | None = None, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    """Everything the rollup of ``week`` should report, on the inbox at ``root`` (or ``inbox``; default: the
    inbox as it stood on the Monday after ``week``). ``skip``: the variant of the month (month.copies)."""
    if inbox is None:
        inbox = (inbox_copies(root, skip) if root is not None
                 else [c for c in month.copies(skip) if month.in_inbox(c, week)])
    as_of = as_of or monday_after(week)
    start, end = week_days(week)
    read = [c for c in inbox if c.kind != "skipped" and placed(c, as_of)]
    later = [c.path for c in inbox if not placed(c, as_of)]
    skipped = [(c.path, c.skip_reason) for c in inbox if c.kind == "skipped" and placed(c, as_of)]
    current = current_copies(read)

    cum = figures(read, end)
    own = figures(read, end, start)
    prev = WEEKS[WEEKS.index(week) - 1] if WEEKS.index(week) > 0 else None
    late = this_week = None
    if prev:
        p_start, p_end = week_days(prev)
        prev_here = figures(read, p_end)  # W−1 recomputed on this week's inbox
        prev_then = figures([c for c in read if placed(c, monday_after(prev))], p_end)  # W−1 as of A_{W−1}
        this_week = _diff(cum["totals"], prev_here["totals"])
        late = _diff(prev_here["totals"], prev_then["totals"])

    # findings of the current copies
    found: list[Finding] = []
    for c in sorted(current.values(), key=lambda c: c.path):
        found += copy_findings(c, as_of)
    for r in cum["_regs"]:
        if r.status in ("lost", "after_visit"):
            copy, row = _row_cell(r, current)
            code = "attribution.conflict" if r.status == "lost" else "attribution.after_visit"
            found.append(Finding(copy.path, copy.sheet, row.cells["联系电话"], code, "warning",
                                 f"{r.channel} {r.registered} loses to {r.winner} {r.winner_date}"))
    expiring = []
    for cust in cum["_customers"]:
        o = cust.owner
        if o is None or cust.visit is not None:
            continue
        if as_of <= o.window_end <= as_of + dt.timedelta(days=EXPIRING_WARN_DAYS):
            copy, row = _row_cell(o, current)
            found.append(Finding(copy.path, copy.sheet, row.cells["联系电话"], "protection.expiring", "info",
                                 f"{o.channel} {o.name} protection ends {o.window_end}"))
            expiring.append((o.channel, o.name, o.registered.isoformat(), o.window_end.isoformat()))
    missing = []
    if prev:
        p_start, p_end = week_days(prev)
        for series in sorted({c.series for c in read if c.kind in ("register", "feedback")}):
            copies_of = [c for c in read if c.series == series]
            had_last = any(c.copy_date and p_start <= c.copy_date <= p_end for c in copies_of)
            has_now = any(c.copy_date and start <= c.copy_date <= end for c in copies_of)
            if had_last and not has_now:
                last = max(copies_of, key=lambda c: (c.copy_date, c.week or "", c.path))
                found.append(Finding(last.path, "", "", "submission.missing", "warning", f"{series}: no copy in {week}"))
                missing.append({"series": series, "last_copy": last.path})
    found.sort()
    totals = {s: sum(1 for f in found if f.severity == s) for s in ("error", "warning", "info")}

    rows_read = rows_rejected = 0
    for c in read:
        if c.kind == "register":
            rows_read += len(c.rows)
            rows_rejected += sum(1 for r in c.rows if r.rejected)
        elif c.kind == "feedback":
            rows_read += len(c.data["progress"]) + len(c.data["customers"])
        elif c.kind == "agreements":
            rows_read += len(c.data)
    return {
        "week": week, "as_of": as_of.isoformat(), "start": start.isoformat(), "end": end.isoformat(),
        "files_read": sorted(c.path for c in read), "received_later": sorted(later), "skipped": sorted(skipped),
        "current": {s: c.path for s, c in sorted(current.items())},
        "inputs": {"files": len(read), "rows_read": rows_read, "rows_accepted": rows_read - rows_rejected,
                   "rows_rejected": rows_rejected, "rows_skipped": 0},
        "totals": cum["totals"], "by_channel": cum["by_channel"], "conflicts": cum["conflicts"],
        "week_own": own["totals"], "week_own_by_channel": own["by_channel"],
        "this_week": this_week, "late": late,
        "findings": [(f.file, f.sheet, f.cell, f.code, f.severity) for f in found],
        "finding_notes": [(f.file, f.cell, f.code, f.note) for f in found],
        "finding_totals": totals, "missing": missing, "protection_expiring": expiring,
        "followups_overdue": [x for c in sorted(current.values(), key=lambda c: c.path) if c.kind == "feedback"
                              for x in followups_overdue(c)],
        "exit_code": 1 if totals["error"] else 0,
    }


def comparable(result: dict[str, Any]) -> dict[str, Any]:
    """What must not change when the same week is re-run later (time.md "As-of")."""
    return {k: v for k, v in result.items() if k != "received_later"}


if __name__ == "__main__":
    import json

    for w in WEEKS:
        r = expected(w)
        print(w, json.dumps({k: r[k] for k in ("totals", "week_own", "this_week", "late", "finding_totals",
                                                 "missing", "exit_code")}, ensure_ascii=False))
        for f in r["finding_notes"]:
            print("   ", f)
