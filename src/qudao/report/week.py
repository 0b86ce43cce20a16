"""The week's outputs of ``qudao rollup``: the 本周 sheet and the html/md week section."""

from __future__ import annotations

from typing import Any, Callable

from qudao.analysis.week import KPI_KEYS
from qudao.labels import KPI_CN, SHEET_WEEK


def _fmt(value: Any, signed: bool = False) -> str:
    if value is None:
        return ""
    sign = "+" if signed else ""
    return f"{value:{sign},.2f}" if isinstance(value, float) else f"{value:{sign},}"


def week_context(data: dict[str, Any], label: str) -> dict[str, Any]:
    wow = data["week_over_week"]
    week = data["week"]
    return {
        "label": label, "start": week["start"], "end": week["end"],
        "kpis": [(KPI_CN[k], _fmt(week["totals"].get(k, 0)), k) for k in KPI_KEYS],
        "deltas": {k: {"previous": _fmt(v["previous"]), "change": _fmt(v["change"], signed=True)}
                   for k, v in wow["totals"].items() if v["previous"] is not None},
        "week_deltas": {k: {"previous": _fmt(v["previous"]), "change": _fmt(v["change"], signed=True)}
                        for k, v in wow["week_totals"].items() if v["previous"] is not None},
        "new_conflicts": [c for c in data["conflicts"] if c.get("new")],
    }


def week_sheet_writer(data: dict[str, Any]) -> Callable:
    """The 本周 sheet: this week vs the previous one, overall, per branch and per channel."""

    def write(book, summary) -> None:
        ws = book.sheet(SHEET_WEEK)
        wow = data["week_over_week"]
        week = data["week"]
        r = 0
        ws.write_string(r, 0, f"本周 {week['label']}（{week['start']} 至 {week['end']}）", book.f["title"])
        r += 2
        columns = [("指标", "text", 16), ("本周", "num", 10), ("上周", "num", 10), ("变化", "num", 10),
                   ("累计", "num", 12), ("上周累计", "num", 12), ("累计变化", "num", 10)]
        rows = []
        for k in KPI_KEYS:
            wk, cum = wow["week_totals"][k], wow["totals"][k]
            rows.append([KPI_CN[k], week["totals"].get(k, 0), wk["previous"], wk["change"], data["totals"].get(k, 0),
                         cum["previous"], cum["change"]])
        n = book.table(ws, r, columns, rows, freeze=False, autofilter=False)
        r += n + 2
        stats = ("registrations", "visits", "deals", "deal_amount_wan", "conflicts")
        for scope, key, title in (("by_branch", "branch", "分所"), ("by_channel", "channel", "渠道")):
            cols = [(title, "text", 22)]
            for k in stats:
                cols += [(f"{KPI_CN[k]}·本周", "num", 10), ("上周", "num", 8), ("变化", "num", 8)]
            lines = []
            for row in wow[scope]:
                line = [row[key]]
                for k in stats:
                    d = row["week"][k]
                    line += [d["value"], d["previous"], d["change"]]
                lines.append(line)
            n = book.table(ws, r, cols, lines, freeze=False, autofilter=False)
            r += n + 2
        new = [c for c in data["conflicts"] if c.get("new")]
        ws.write_string(r, 0, f"新增撞单 {len(new)} 起" if wow["previous_week"] else "没有上周的汇总可比较",
                        book.f["sub"])

    return write
