"""Week over week: this week's figures beside the previous week's (numbers only, from the JSON data)."""

from __future__ import annotations

import datetime as _dt
from typing import Any

from qudao.analysis.summary import Summary

KPI_KEYS = ("registrations", "customers", "owned_customers", "natural_visits", "visits", "deals", "deal_amount_wan",
            "commission_wan", "conflicts")
STAT_KEYS = ("registrations", "customers", "visits", "deals", "deal_amount_wan", "conflicts", "commission_wan")


def _delta(now: float | int | None, before: float | int | None) -> dict[str, Any]:
    """``{"value", "previous", "change"}``; previous and change are null without a previous week."""
    now = now or 0
    if before is None:
        return {"value": now, "previous": None, "change": None}
    change = now - before
    if isinstance(change, float):
        change = round(change, 2)
    return {"value": now, "previous": before, "change": change}


def _by(rows: list[dict], key: str) -> dict[str, dict]:
    return {r[key]: r for r in rows}


def _change(a: float | int, b: float | int) -> float | int:
    d = a - b
    return round(d, 2) if isinstance(d, float) else d


def compare(current: dict[str, Any], previous_week: dict[str, Any] | None, previous_report: dict[str, Any],
            before: dict[str, Any], before_last: dict[str, Any]) -> dict[str, Any]:
    """Week over week (docs/time.md). For every KPI of the cumulative totals:

    * ``totals[k]``: this report's figure, last week's report's (``previous_report``) and the change,
      split into ``this_week`` (this report − the cumulative to the end of last week on today's inbox,
      ``before``) and ``late`` (``before`` − last week's report: what arrived late for earlier weeks);
    * ``week_totals[k]``: this week's change beside last week's (``before`` − ``before_last``, the
      cumulative to the end of the week before, on today's inbox).

    Per branch and channel, the events dated this week beside last week's (``previous_week``: the 按周
    view of last week in this report), and the cumulative figures beside last week's report's."""
    prior = previous_report
    pw = previous_week or {}
    now_t, before_t, before_last_t, prior_t = current["totals"], before["totals"], before_last["totals"], prior["totals"]
    out: dict[str, Any] = {"previous_week": pw.get("label")}
    out["week_totals"] = {}
    out["totals"] = {}
    for k in KPI_KEYS:
        this_week = _change(now_t.get(k, 0), before_t.get(k, 0))
        last_week = _change(before_t.get(k, 0), before_last_t.get(k, 0))
        out["week_totals"][k] = {"value": this_week, "previous": last_week, "change": _change(this_week, last_week)}
        out["totals"][k] = {"value": now_t.get(k, 0), "previous": prior_t.get(k, 0),
                            "change": _change(now_t.get(k, 0), prior_t.get(k, 0)), "this_week": this_week,
                            "late": _change(before_t.get(k, 0), prior_t.get(k, 0))}
    for scope, key in (("by_branch", "branch"), ("by_channel", "channel")):
        before_week = _by(pw.get(scope, []), key)
        before_all = _by(prior.get(scope, []), key)
        rows = []
        names = sorted({r[key] for r in current["week"][scope]} | {r[key] for r in current[scope]})
        week_now, all_now = _by(current["week"][scope], key), _by(current[scope], key)
        for name in names:
            rows.append({key: name,
                         "week": {k: _delta(week_now.get(name, {}).get(k, 0), before_week.get(name, {}).get(k, 0))
                                  for k in STAT_KEYS},
                         "cumulative": {k: _delta(all_now.get(name, {}).get(k, 0), before_all.get(name, {}).get(k, 0))
                                        for k in STAT_KEYS}})
        out[scope] = rows
    return out


def _money(value) -> str:
    return "（空）" if value is None else f"{value:g}"


def late_changes(previous: Summary, current: Summary, previous_end: _dt.date, settings) -> list[dict[str, Any]]:
    """What arrived late for the weeks up to ``previous_end``: the differences between last week's report
    (``previous``) and the same weeks counted on today's inbox (``current``, to the same end) —
    registrations that arrived late or were removed, corrected dates and amounts, and customers whose
    owner changed because of them. Each item names the copy (file, sheet, cell) and its week."""
    from qudao.normalize import mask_phone
    from qudao.weeks import week_label

    if current.registers is None:
        return []
    before = {(r.channel, r.customer): r for r in previous.registers.attribution.registrations} \
        if previous.registers else {}
    now = {(r.channel, r.customer): r for r in current.registers.attribution.registrations
           if r.registered <= previous_end}
    start = settings.week_start

    def upto(day):
        return day if day is not None and day <= previous_end else None

    def where(reg) -> dict[str, Any]:
        src = reg.latest.source
        return {"file": src.file, "sheet": src.sheet, "row": src.row, "cell": src.cell_phone}

    def day(d) -> str:
        return d.isoformat() if d else "（空）"

    items: list[dict[str, Any]] = []

    def add(kind: str, reg, change: str, on: _dt.date) -> None:
        items.append({"kind": kind, "week": week_label(on, start), "channel": reg.channel,
                      "customer": mask_phone(reg.customer[1]), "name": reg.name, "change": change, **where(reg)})

    for key in sorted(set(before) | set(now), key=lambda k: (k[0], k[1])):
        old, new = before.get(key), now.get(key)
        if old is None:
            add("added", new, f"迟报登记：{day(new.registered)} 登记，上周的报告中没有", new.registered)
            continue
        if new is None:
            add("removed", old, "登记已不在最新报送中（或登记日期改到了上周之后）", old.registered)
            continue
        if new.registered != old.registered:
            add("changed", new, f"登记日期 {day(old.registered)} → {day(new.registered)}", new.registered)
        visit = upto(new.visit)
        if old.visit != visit:  # (rule 1: a visit the current copy no longer holds is 到访取消)
            add("changed", new, f"到访取消（上周的报告中为 {day(old.visit)}）" if visit is None and old.visit
                else f"到访日期 {day(old.visit)} → {day(visit)}", visit or old.visit)
        deal = upto(new.deal)
        amount = new.deal_amount if deal is not None else None
        if old.deal != deal:
            what = f"成交 {day(deal)}" + (f"，{amount:g} 万元" if amount is not None else "") if deal else "成交取消"
            add("changed", new, f"{what}（上周的报告中{'为 ' + day(old.deal) if old.deal else '没有'}）", deal or old.deal)
        elif deal is not None and old.deal_amount != amount:
            add("changed", new, f"成交金额 {_money(old.deal_amount)} → {_money(amount)} 万元", deal)
    owners_before = {c.key: c.owner.channel if c.owner else None for c in previous.registers.attribution.customers} \
        if previous.registers else {}
    for cust in current.registers.attribution.customers:
        if cust.key not in owners_before:
            continue
        owner = cust.owner.channel if cust.owner else None
        if owner != owners_before[cust.key]:
            reg = cust.owner or min(cust.registrations, key=lambda r: r.registered)
            items.append({"kind": "owner", "week": week_label(reg.registered, start), "channel": owner or "自然到访",
                          "customer": mask_phone(cust.phone), "name": cust.name,
                          "change": f"归属 {owners_before[cust.key] or '自然到访'} → {owner or '自然到访'}",
                          **where(reg)})
    items.sort(key=lambda d: (d["week"], d["channel"], d["customer"], d["change"]))
    return items


def conflict_key(c: dict[str, Any]) -> tuple:
    return (c["customer"], c["winner"], c["loser"], c["loser_date"])


def week_json(summary: Summary, label: str, start: _dt.date, end: _dt.date) -> dict[str, Any]:
    data = summary.to_json()
    return {"label": label, "start": start.isoformat(), "end": end.isoformat(), "totals": data["totals"],
            "by_branch": data["by_branch"], "by_channel": data["by_channel"], "conflicts": data["conflicts"]}


def flag_new_overdue(data: dict[str, Any], prior: dict[str, Any] | None) -> None:
    """Overdue plan/handoff items not overdue last week are flagged ``new``."""
    for kind in ("plan", "handoff"):
        items = data.get(kind, {}).get("overdue_items") if isinstance(data.get(kind), dict) else None
        if not items:
            continue
        before = {(i.get("file_key"), i.get("item")) for i in (prior or {}).get(kind, {}).get("overdue_items", [])}
        for item in items:
            item["new"] = prior is not None and (item.get("file_key"), item.get("item")) not in before
