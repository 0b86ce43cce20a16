"""The week's outputs of ``qudao rollup``: the 本周 sheet and the html/md week section."""

from __future__ import annotations

from typing import Any, Callable

from qudao.analysis.week import KPI_KEYS
from qudao.labels import KPI_CN, SHEET_WEEK
from qudao.weeks import display


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
        "kpis": [(KPI_CN[k], _fmt(wow["week_totals"][k]["value"]), k) for k in KPI_KEYS],
        "deltas": {k: {"previous": _fmt(v["previous"]), "change": _fmt(v["change"], signed=True)}
                   for k, v in wow["totals"].items() if v["previous"] is not None},
        "week_deltas": {k: {"previous": _fmt(v["previous"]), "change": _fmt(v["change"], signed=True)}
                        for k, v in wow["week_totals"].items() if v["previous"] is not None},
        "new_conflicts": [c for c in data["conflicts"] if c.get("new")],
        "previous_report": wow["previous_week"],
        "balance": [(KPI_CN[k], _fmt(v["previous"]), _fmt(v["this_week"], signed=True), _fmt(v["late"], signed=True),
                     _fmt(v["value"])) for k, v in wow["totals"].items() if v.get("late") is not None],
        "late": data.get("late", []),
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
        ws.write_string(r, 0, f"本周 {display(week['label'])}（{week['start']} 至 {week['end']}）", book.f["title"])
        r += 2
        columns = [("指标", "text", 16), ("本周", "num", 10), ("上周", "num", 10), ("变化", "num", 10),
                   ("累计", "num", 12), ("上周报告累计", "num", 12), ("累计变化", "num", 10),
                   ("其中迟报/更正", "num", 12)]
        lines = []
        for k in KPI_KEYS:
            wk, cum = wow["week_totals"][k], wow["totals"][k]
            lines.append((k, [KPI_CN[k], wk["value"], wk["previous"], wk["change"], cum["value"], cum["previous"],
                              cum["change"], cum["late"]]))
        _table(book, ws, r, columns, lines, (3, 6, 7), changes)
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
        ws.write_string(r, 0, f"新增撞单 {len(new)} 起", book.f["sub"])
        r += 2
        late = data.get("late", [])
        ws.write_string(r, 0, f"迟报/更正：上周报告之后才收到的、属于此前各周的变化（{len(late)} 项）。"
                        "累计变化 = 本周 + 迟报/更正", book.f["sub"])
        r += 1
        cols = [("所属周", "text", 10), ("渠道", "text", 22), ("客户", "text", 14), ("姓名", "text", 8),
                ("变化", "text", 44), ("文件", "text", 40), ("工作表", "text", 12), ("单元格", "text", 8)]
        book.table(ws, r, cols, [[i["week"], i["channel"], i["customer"], i["name"], i["change"], i["file"],
                                  i["sheet"], i["cell"]] for i in late], freeze=False, autofilter=False)
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
