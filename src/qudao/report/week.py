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
                   ("累计", "num", 12), ("上周报告累计", "num", 12), ("累计变化", "num", 10),
                   ("其中迟报/更正", "num", 12)]
        rows = []
        for k in KPI_KEYS:
            wk, cum = wow["week_totals"][k], wow["totals"][k]
            rows.append([KPI_CN[k], wk["value"], wk["previous"], wk["change"], cum["value"], cum["previous"],
                         cum["change"], cum["late"]])
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

    return write
