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


# Changes of these are bad news when they go up (red), of every other KPI good news (green).
RISING_IS_BAD = frozenset({"conflicts", "possible_conflicts"})


def _kind(key: str) -> str:
    return "money" if key.endswith("_wan") else "int"


def week_sheet_writer(data: dict[str, Any]) -> Callable:
    """The 本周 sheet: this week vs the previous one, overall, per branch and per channel.
    Counts are whole numbers, 万元 two decimals; a change is signed and coloured (green good, red bad)."""

    def write(book, summary) -> None:
        ws = book.sheet(SHEET_WEEK, repeat=(0, 0))
        wow = data["week_over_week"]
        week = data["week"]
        changes: list[tuple[int, int, int, bool]] = []  # (first row, last row, column, rising is bad)
        r = 0
        ws.write_string(r, 0, f"本周 {week['label']}（{week['start']} 至 {week['end']}）", book.f["title"])
        r += 2
        columns = [("指标", "text", 16), ("本周", "num", 10), ("上周", "num", 10), ("变化", "num", 10),
                   ("累计", "num", 12), ("上周累计", "num", 12), ("累计变化", "num", 10)]
        lines = []
        for k in KPI_KEYS:
            wk, cum = wow["week_totals"][k], wow["totals"][k]
            lines.append((k, [KPI_CN[k], week["totals"].get(k, 0), wk["previous"], wk["change"],
                              data["totals"].get(k, 0), cum["previous"], cum["change"]]))
        _table(book, ws, r, columns, lines, (3, 6), changes)
        r += len(lines) + 3
        stats = ("registrations", "visits", "deals", "deal_amount_wan", "conflicts")
        for scope, key, title in (("by_branch", "branch", "分所"), ("by_channel", "channel", "渠道")):
            cols = [(title, "text", 22)]
            for k in stats:
                cols += [(f"{KPI_CN[k]}·本周", "num", 10), ("上周", "num", 8), ("变化", "num", 8)]
            rows = []
            for row in wow[scope]:
                line = [row[key]]
                for k in stats:
                    d = row["week"][k]
                    line += [d["value"], d["previous"], d["change"]]
                rows.append((None, line))
            kinds = {1 + 3 * i + j: k for i, k in enumerate(stats) for j in range(3)}
            _table(book, ws, r, cols, rows, tuple(1 + 3 * i + 2 for i in range(len(stats))), changes, kinds)
            r += len(rows) + 3
        new = [c for c in data["conflicts"] if c.get("new")]
        ws.write_string(r, 0, f"新增撞单 {len(new)} 起" if wow["previous_week"] else "没有上周的汇总可比较",
                        book.f["sub"])
        for first, last, col, bad in changes:
            if last < first:
                continue
            ws.conditional_format(first, col, last, col, {"type": "cell", "criteria": ">", "value": 0,
                                                          "format": book.f["down" if bad else "up"]})
            ws.conditional_format(first, col, last, col, {"type": "cell", "criteria": "<", "value": 0,
                                                          "format": book.f["up" if bad else "down"]})

    return write


def _table(book, ws, top: int, columns, lines, change_columns: tuple[int, ...], changes: list,
           kinds: dict[int, str] | None = None) -> None:
    """A header and rows; each cell formatted by its KPI (count or 万元) and whether it is a change.
    ``lines`` are (KPI key or None, values); ``kinds`` gives the KPI of a column when rows do not."""
    for c, (name, _fmt, width) in enumerate(columns):
        book.width(ws, c, c, max(width, book.layout_width(ws, c)))
        ws.write_string(top, c, name, book.f["head"])
    ws.set_row(top, 30)
    for n, (key, values) in enumerate(lines, start=1):
        for c, value in enumerate(values):
            if c == 0:
                book.put(ws, top + n, c, value, "text")
                continue
            kpi = key or (kinds or {}).get(c, "")
            kind = _kind(kpi)
            fmt = f"{kind}_change" if c in change_columns else kind
            book.put(ws, top + n, c, value, fmt)
    # one conditional format per change column and KPI direction
    for c in change_columns:
        if kinds is not None:
            changes.append((top + 1, top + len(lines), c, kinds.get(c) in RISING_IS_BAD))
        else:
            for n, (key, _values) in enumerate(lines, start=1):
                changes.append((top + n, top + n, c, key in RISING_IS_BAD))
