"""The assessment's outputs (qudao assess): the 渠道考核表 workbook with a chart, HTML and Markdown.

All render from one :class:`~qudao.analysis.assess.Assessment`, so the figures agree with the JSON. The
workbook uses the summary's :class:`~qudao.report.xlsx.Book` (formats, typed and formula-safe writes).
"""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal
from pathlib import Path
from typing import Any

from qudao.analysis.assess import (
    EXCELLENT,
    FAIL,
    HUNDRED,
    INDICATOR_LABELS,
    ITEM_LABELS,
    Assessment,
    ChannelAssessment,
    Indicator,
    half_up,
)
from qudao.labels import SEVERITY_CN

TITLE = "渠道考核表"
SHEET_RESULTS, SHEET_BRANCHES, SHEET_SCORES, SHEET_COMPARE, SHEET_METHOD = (
    "考核结果", "按分所", "定性评分", "与上期对比", "考核说明")
ASSESS_SHEETS = (SHEET_RESULTS, SHEET_BRANCHES, SHEET_SCORES, SHEET_COMPARE, SHEET_METHOD)


def title_of(a: Assessment) -> str:
    return f"{TITLE} · {a.period.title}（{a.period.label}）"


def _f(value: Decimal | None, places: str = "0.1") -> float | None:
    rounded = half_up(value, places)
    return None if rounded is None else float(rounded)


def _actual(i: Indicator) -> float | int:
    return float(i.actual) if i.money else int(i.actual)


def _target(i: Indicator, full: bool = False) -> float | int | None:
    return i.shown(i.full_target if full else i.target)


def _target_fmt(i: Indicator, a: Assessment) -> str:
    return "money" if i.money else "num" if a.provisional else "int"


def _rate(i: Indicator) -> float | None:
    return _f(i.rate, "0.0001")


# --------------------------------------------------------------------------- xlsx


def _headers(book, ws, r: int, lead: list[tuple[str, float]], groups: list[tuple[str, list[tuple[str, float]]]],
             tail: list[tuple[str, float]]) -> int:
    """Two header rows: the group names merged over their columns, then every column; returns the next row.
    Printed across pages, a page ends only between groups (never inside one)."""
    c = 0
    breakable = []
    for name, width in lead:
        book.width(ws, c, c, width)
        ws.write_blank(r, c, None, book.f["head"])
        c += 1
    breakable.append(c - 1)
    for name, columns in groups:
        ws.merge_range(r, c, r, c + len(columns) - 1, name, book.f["head"])
        for _sub, width in columns:
            book.width(ws, c, c, width)
            c += 1
        breakable.append(c - 1)
    for name, width in tail:
        book.width(ws, c, c, width)
        ws.write_blank(r, c, None, book.f["head"])
        breakable.append(c)
        c += 1
    book.layout[ws.name].breakable = breakable
    ws.set_row(r + 1, 30)
    c = 0
    for name, _w in lead:
        ws.write_string(r + 1, c, name, book.f["head"])
        c += 1
    for _name, columns in groups:
        for sub, _w in columns:
            ws.write_string(r + 1, c, sub, book.f["head"])
            c += 1
    for name, _w in tail:
        ws.write_string(r + 1, c, name, book.f["head"])
        c += 1
    return r + 2


INDICATOR_GROUP = [("实际", 8), ("目标", 8), ("完成率", 8)]
PROVISIONAL_GROUP = [("实际", 8), ("进度目标", 8), ("完成率", 8), ("全期目标", 8)]


def _group(a: Assessment) -> list[tuple[str, float]]:
    """Per indicator: actual, target, rate — and, before the period's end, the whole period's target beside
    the share of it due by now."""
    return PROVISIONAL_GROUP if a.provisional else INDICATOR_GROUP


def _indicator_cells(i: Indicator, a: Assessment, with_actual: bool = True) -> list[tuple[Any, str]]:
    fmt = "money" if i.money else "int"
    cells = [(_actual(i) if with_actual else None, fmt), (_target(i), _target_fmt(i, a)), (_rate(i), "pct")]
    if a.provisional:
        cells.append((_target(i, full=True), fmt))
    return cells


def _result_fmt(result: str) -> str:
    return "ok" if result == EXCELLENT else "bad" if result == FAIL else "text"


def write_results(book, a: Assessment) -> None:
    ws = book.sheet(SHEET_RESULTS)
    ws.write_string(0, 0, title_of(a), book.f["title"])
    ws.write_string(1, 0, a.status_line(), book.f["sub"])
    ws.write_string(2, 0, f"结果：{'，'.join(f'{k} {v}' for k, v in a.counts().items())}。"
                    "完成率 = 实际 ÷ 目标；计算方法见“考核说明”。", book.f["sub"])
    lead = [("渠道名称", 24), ("渠道类型", 9), ("所属分所", 10)]
    groups = [(INDICATOR_LABELS[k], _group(a)) for k in INDICATOR_LABELS]
    tail = [("定量得分", 8), ("定性得分", 8), ("总分", 7), ("考核结果", 8), ("处理措施", 12),
            (f"上期总分（{a.previous.period.label}）" if a.previous else "上期总分", 10), ("上期结果", 8),
            ("总分变化", 8), ("说明", 36)]
    top = _headers(book, ws, 4, lead, groups, tail)
    for n, ch in enumerate(a.channels):
        r = top + n
        book.put(ws, r, 0, ch.channel)
        book.put(ws, r, 1, ch.type)
        book.put(ws, r, 2, ch.branch)
        c = 3
        for i in ch.indicators:
            for value, fmt in _indicator_cells(i, a):
                book.put(ws, r, c, value, fmt)
                c += 1
        prev = ch.previous
        for value, fmt in ((_f(ch.quantitative), "num"), (_f(ch.qualitative), "num"), (_f(ch.total), "num"),
                           (ch.result, _result_fmt(ch.result)), (ch.action, _result_fmt(ch.result)),
                           (_f(prev.total) if prev else None, "num"), (prev.result if prev else "", "text"),
                           (_f(ch.change), "num"), ("；".join(ch.notes), "text")):
            book.put(ws, r, c, value, fmt)
            c += 1
    ws.freeze_panes(top, 1)
    n = len(a.channels)
    if n:
        total_col = 3 + len(_group(a)) * len(INDICATOR_LABELS) + 2
        chart = book.wb.add_chart({"type": "column"})
        chart.add_series({"name": f"本期总分（{a.period.label}）", "categories": [SHEET_RESULTS, top, 0, top + n - 1, 0],
                          "values": [SHEET_RESULTS, top, total_col, top + n - 1, total_col],
                          "fill": {"color": "#2E75B6"}, "data_labels": {"value": True}})
        if a.previous:
            chart.add_series({"name": f"上期总分（{a.previous.period.label}）",
                              "categories": [SHEET_RESULTS, top, 0, top + n - 1, 0],
                              "values": [SHEET_RESULTS, top, total_col + 3, top + n - 1, total_col + 3],
                              "fill": {"color": "#BDD7EE"}})
        chart.set_title({"name": f"各渠道考核总分（合格线 {a.settings.result_cutoffs['pass']:g}，"
                                 f"优秀线 {a.settings.result_cutoffs['excellent']:g}）"})
        chart.set_y_axis({"min": 0, "max": 100, "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}})
        chart.set_x_axis({"num_font": {"rotation": -30}})
        chart.set_legend({"position": "bottom"})
        # under the table, within the first printed page's columns: the sheet prints split across pages with
        # 渠道名称 repeated on each, and a chart reaching past the first page's edge would be cut in two
        plan = book.layout[ws.name].plan()
        first = plan.breaks[0] + 1 if plan.breaks else len(book.layout[ws.name].columns)
        room = sum(book.layout[ws.name].columns.get(c, 8.43) + 0.71 for c in range(1, first)) * 7
        chart.set_size({"width": int(min(900, room - 10)), "height": 320})
        ws.insert_chart(top + n + 2, 1, chart)
        from qudao.report.xlsx import ROW_PT

        book.flow(ws, 0, [ROW_PT] * 4 + [ROW_PT, 30.0] + [ROW_PT] * (n + 2), keep=6)
        book.flow(ws, top + n + 2, [320 * 0.75 + ROW_PT], keep=1)  # the chart whole: a page break before it


def write_branches(book, a: Assessment) -> None:
    ws = book.sheet(SHEET_BRANCHES)
    ws.write_string(0, 0, f"按分所 · {a.period.title}", book.f["title"])
    ws.write_string(1, 0, "各项完成率按有该项目标的渠道计算（实际为这些渠道的实际之和）；新拓展渠道按渠道拓展表中本期签订协议的渠道计。",
                    book.f["sub"])
    lead = [("所属分所", 12), ("渠道数", 7), ("优秀", 6), ("合格", 6), ("不合格", 7), ("未评定", 7), ("平均总分", 8),
            ("无目标渠道", 9)]
    groups = [(INDICATOR_LABELS[k], _group(a)) for k in INDICATOR_LABELS] + [("新拓展渠道", _group(a))]
    top = _headers(book, ws, 3, lead, groups, [("本期新签渠道", 40)])
    for n, b in enumerate(a.branches):
        r = top + n
        values: list[tuple[Any, str]] = [(b.branch, "text"), (b.channels, "int")]
        values += [(b.results.get(k, 0), "int") for k in ("优秀", "合格", "不合格", "未评定")]
        values += [(_f(b.average), "num"), (b.without_targets, "int")]
        for i in b.indicators:
            values += _indicator_cells(i, a, with_actual=i.target is not None)
        values += [(b.dev_actual, "int"), (_f(b.dev_due, "0.01"), "num" if a.provisional else "int"),
                   (_f(b.dev_rate, "0.0001"), "pct")]
        if a.provisional:
            values.append((b.dev_target, "int"))
        values.append(("、".join(b.new_channels) if b.dev_actual is not None else "（未收到渠道拓展表）", "text"))
        for c, (value, fmt) in enumerate(values):
            book.put(ws, r, c, value, fmt)
    ws.freeze_panes(top, 1)


def write_scores(book, a: Assessment) -> None:
    ws = book.sheet(SHEET_SCORES)
    columns = [("渠道名称", "text", 24), ("所属分所", "text", 10),
               *((label, "int", 10) for label in ITEM_LABELS.values()),
               ("定性得分", "num", 8), ("评语", "text", 40), ("评分人", "text", 8), ("评分日期", "date", 11),
               ("来源", "text", 36)]
    rows = []
    for ch in sorted(a.channels, key=lambda c: (c.branch, c.channel)):
        s = ch.scores
        if s is None:
            rows.append([ch.channel, ch.branch, None, None, None, None, None, "（本期没有定性评分）", None, None, None])
            continue
        rows.append([ch.channel, ch.branch, *(s.items[k] for k in ITEM_LABELS), _f(ch.qualitative), s.comment,
                     s.scorer, s.day, f"{s.file} 第 {s.row} 行"])
    book.table(ws, 0, columns, rows)


def write_compare(book, a: Assessment) -> None:
    ws = book.sheet(SHEET_COMPARE)
    prev = a.previous
    ws.write_string(0, 0, f"与上期对比：{a.period.label} 与 {prev.period.label if prev else '（无）'}", book.f["title"])
    lead = [("渠道名称", 24), ("所属分所", 10)]
    sub = [("本期", 8), ("上期", 8), ("变化", 8)]
    groups = [(INDICATOR_LABELS[k], sub) for k in INDICATOR_LABELS] + [("总分", sub), ("考核结果", sub[:2])]
    top = _headers(book, ws, 2, lead, groups, [("连续不合格期数", 12)])
    for n, ch in enumerate(a.channels):
        r = top + n
        p = ch.previous
        values: list[tuple[Any, str]] = [(ch.channel, "text"), (ch.branch, "text")]
        for k, i in enumerate(ch.indicators):
            fmt = "money" if i.money else "int"
            before = p.indicators[k].actual if p else None
            change = (i.actual - before) if before is not None else None
            values += [(_actual(i), fmt), (None if before is None else float(before) if i.money else int(before), fmt),
                       (None if change is None else float(change) if i.money else int(change), fmt)]
        values += [(_f(ch.total), "num"), (_f(p.total) if p else None, "num"), (_f(ch.change), "num"),
                   (ch.result, _result_fmt(ch.result)), (p.result if p else "", _result_fmt(p.result) if p else "text"),
                   (ch.streak, "int")]
        for c, (value, fmt) in enumerate(values):
            book.put(ws, r, c, value, fmt)
    ws.freeze_panes(top, 1)


def write_method(book, a: Assessment) -> None:
    ws = book.sheet(SHEET_METHOD, landscape=False)
    ws.set_column(0, 0, 110)
    r = 0
    ws.write_string(r, 0, "考核说明", book.f["title"])
    r += 2
    for line in [a.status_line(), *a.method_lines(), f"输入：{a.reconciliation}"]:
        ws.write_string(r, 0, line, book.f["text"])
        r += 1
    r += 1
    problems = a.plan_findings()
    ws.write_string(r, 0, f"目标表、评分表的问题（{len(problems)} 条）", book.f["label"])
    r += 1
    for f in problems:
        ws.write_string(r, 0, f"{SEVERITY_CN[f.severity]}  {f.file} {f.where}  {f.message}（{f.code}）",
                        book.f[f.severity])
        r += 1


def write_assessment_xlsx(a: Assessment, target: str | Path, force: bool = False,
                          created: _dt.datetime | None = None) -> Path:
    """The 渠道考核表 workbook, written atomically; ``created`` pins the document date (deterministic)."""
    from qudao.report.xlsx import Book
    from qudao.write.atomic import atomic_path

    created = created or _dt.datetime.combine(a.as_of, _dt.time(0, 0))
    with atomic_path(target, force) as tmp:
        book = Book(tmp, created, title=TITLE, period=f"{a.period.title}（{a.period.label}）")
        book.wb.set_properties({"title": title_of(a), "author": "qudao", "created": created,
                                "comments": "由 qudao assess 生成"})
        write_results(book, a)
        write_branches(book, a)
        write_scores(book, a)
        write_compare(book, a)
        write_method(book, a)
        book.mark("assess")  # a copy saved into an inbox is passed over, never read as data
        book.close()
    return Path(target)


# --------------------------------------------------------------------------- html / md


def _pct(value: Decimal | None) -> str:
    return "" if value is None else f"{half_up(value * HUNDRED)}%"


def _score(value: Decimal | None) -> str:
    return "" if value is None else str(half_up(value))


def _cell(i: Indicator, value: Decimal | None) -> str:
    shown = i.shown(value)
    if shown is None:
        return ""
    if i.money:
        return f"{shown:,.2f}"
    return f"{shown:,}" if isinstance(shown, int) else f"{shown:,.2f}".rstrip("0").rstrip(".")


def context(a: Assessment) -> dict[str, Any]:
    def channel(ch: ChannelAssessment) -> dict[str, Any]:
        p = ch.previous
        return {
            "channel": ch.channel, "type": ch.type, "branch": ch.branch,
            "indicators": [{"actual": _cell(i, i.actual), "target": _cell(i, i.target), "rate": _pct(i.rate),
                            "full": _cell(i, i.full_target)} for i in ch.indicators],
            "quantitative": _score(ch.quantitative), "qualitative": _score(ch.qualitative),
            "total": _score(ch.total), "result": ch.result, "action": ch.action,
            "css": "ok" if ch.result == EXCELLENT else "bad" if ch.result == FAIL else "",
            "previous_total": _score(p.total) if p else "", "previous_result": p.result if p else "",
            "change": "" if ch.change is None else f"{ch.change:+}", "notes": "；".join(ch.notes),
            "scores": ({"points": [ch.scores.items[k] for k in ITEM_LABELS], "comment": ch.scores.comment,
                        "scorer": ch.scores.scorer} if ch.scores else None),
        }

    branches = []
    for b in a.branches:
        branches.append({
            "branch": b.branch, "channels": b.channels, "results": [b.results.get(k, 0) for k in
                                                                     ("优秀", "合格", "不合格", "未评定")],
            "average": _score(b.average), "without_targets": b.without_targets,
            "indicators": [{"actual": _cell(i, i.actual) if i.target is not None else "", "target": _cell(i, i.target),
                            "rate": _pct(i.rate), "full": _cell(i, i.full_target)} for i in b.indicators],
            "dev": {"actual": "" if b.dev_actual is None else b.dev_actual,
                    "target": "" if b.dev_due is None else f"{half_up(b.dev_due, '0.01'):f}".rstrip("0").rstrip("."),
                    "full": "" if b.dev_target is None else b.dev_target, "rate": _pct(b.dev_rate),
                    "channels": "、".join(b.new_channels) if b.dev_actual is not None else "（未收到渠道拓展表）"},
        })
    return {
        "title": title_of(a), "period": a.period, "status": a.status_line(), "as_of": a.as_of.isoformat(),
        "provisional": a.provisional, "target_name": "进度目标" if a.provisional else "目标",
        "counts": a.counts(), "indicator_labels": list(INDICATOR_LABELS.values()),
        "item_labels": list(ITEM_LABELS.values()), "channels": [channel(c) for c in a.channels],
        "branches": branches, "previous": a.previous.period.label if a.previous else "",
        "method": a.method_lines(), "reconciliation": a.reconciliation,
        "pass_mark": f"{a.settings.result_cutoffs['pass']:g}", "excellent_mark": f"{a.settings.result_cutoffs['excellent']:g}",
        "problems": [{"severity": SEVERITY_CN[f.severity], "sev": f.severity, "file": f.file, "where": f.where,
                      "message": f.message, "code": f.code} for f in a.plan_findings()],
        "errors": sum(1 for f in a.findings if f.severity == "error"),
        "warnings": sum(1 for f in a.findings if f.severity == "warning"),
    }


def render_assessment(a: Assessment, kind: str) -> str:
    from qudao.report.text import environment

    name = "assess.html.j2" if kind == "html" else "assess.md.j2"
    return environment(kind).get_template(name).render(**context(a))
