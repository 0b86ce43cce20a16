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


def compare(current: dict[str, Any], prior: dict[str, Any] | None) -> dict[str, Any]:
    """Deltas of every KPI (overall, per branch, per channel), this week's and cumulative."""
    out: dict[str, Any] = {"previous_week": prior.get("week", {}).get("label") if prior else None}
    pw = prior.get("week", {}) if prior else {}
    out["week_totals"] = {k: _delta(current["week"]["totals"].get(k), pw.get("totals", {}).get(k) if prior else None)
                          for k in KPI_KEYS}
    out["totals"] = {k: _delta(current["totals"].get(k), prior.get("totals", {}).get(k) if prior else None)
                     for k in KPI_KEYS}
    for scope, key in (("by_branch", "branch"), ("by_channel", "channel")):
        before_week = _by(pw.get(scope, []), key) if prior else {}
        before_all = _by(prior.get(scope, []), key) if prior else {}
        rows = []
        names = sorted({r[key] for r in current["week"][scope]} | {r[key] for r in current[scope]})
        week_now, all_now = _by(current["week"][scope], key), _by(current[scope], key)
        for name in names:
            rows.append({key: name,
                         "week": {k: _delta(week_now.get(name, {}).get(k, 0),
                                            before_week.get(name, {}).get(k, 0) if prior else None) for k in STAT_KEYS},
                         "cumulative": {k: _delta(all_now.get(name, {}).get(k, 0),
                                                  before_all.get(name, {}).get(k, 0) if prior else None)
                                        for k in STAT_KEYS}})
        out[scope] = rows
    return out


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
