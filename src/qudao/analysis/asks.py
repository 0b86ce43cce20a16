"""HQ's open asks (需协调, issue 14 item 7): what the branches ask HQ for, and for how long.

The 需协调事项 and 存在问题 of the open items of the 工作进程反馈表's 工作进展 sheet, and the open items
of the 分所工作对接表 (状态 not 已完成/取消), in the **current** copy of each series (docs/time.md). An
item is its text (width and spaces folded): the same text in several copies of a series is one item,
first raised on the copy date of the earliest copy of the series that holds it; an item no longer in
the current copy was resolved and is not listed (docs/decisions.md → HQ's open asks).

Superseded copies are needed for the age: only register rows are released after reading, so every
other copy keeps its rows in its report.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from qudao.analysis.kinds import Section, TableData
from qudao.check.series import Timeline
from qudao.check.tasks import is_open
from qudao.normalize import name_key
from qudao.records import FileReport

KINDS = ("feedback", "handoff")
COORDINATION, PROBLEM, HANDOFF = "coordination", "problem", "handoff"
TYPE_CN = {COORDINATION: "需协调事项", PROBLEM: "存在问题", HANDOFF: "对接事项"}
MAX_TEXT = 300  # characters of an item shown (the identity is the whole text)
_TRAILING = " 。.；;，,、"
# what people write in a column when there is nothing to ask: not an ask
NOTHING = {"无", "暂无", "没有", "没", "无需", "无需协调", "不需要", "无问题", "没有问题", "暂无问题", "否", "无。", "/", "／", "-",
           "—", "——", "--", "0", "n/a", "na", "none", "nil", "无事项"}


@dataclass
class Ask:
    branch: str
    kind: str  # coordination | problem | handoff
    text: str  # as written in the current copy
    first_raised: _dt.date | None  # the copy date of the earliest copy of the series holding it
    days_open: int | None  # from first raised to the as-of day
    copies: int  # copies of the series holding it
    status: str  # the latest 状态
    progress: str  # the latest 本周进展 (feedback) or 进展说明 (handoff)
    item: str  # the 工作事项 it was written under (feedback), or the 事项类别 (handoff)
    file: str  # the current copy
    sheet: str
    cell: str

    @property
    def weeks_open(self) -> int | None:
        return None if self.days_open is None else self.days_open // 7

    @property
    def type(self) -> str:
        return TYPE_CN[self.kind]

    def to_json(self) -> dict[str, Any]:
        return {"branch": self.branch, "kind": self.kind, "type": self.type, "item": self.text,
                "first_raised": self.first_raised.isoformat() if self.first_raised else None,
                "weeks_open": self.weeks_open, "days_open": self.days_open, "copies": self.copies,
                "status": self.status, "progress": self.progress, "work_item": self.item, "file": self.file,
                "sheet": self.sheet, "cell": self.cell}


def text_key(text: str) -> str:
    """The identity of an item's text: width folded, spaces collapsed, trailing punctuation dropped; "" for
    what people write when there is nothing (无, 暂无, /, —)."""
    key = name_key(text).strip(_TRAILING)
    return "" if key.lower() in NOTHING else key


def _branch(report: FileReport) -> str:
    return report.block.get("分所") or report.folder or "（未填）"


def _short(text: str) -> str:
    return text if len(text) <= MAX_TEXT else text[:MAX_TEXT] + "…"


def _items(report: FileReport) -> list[tuple[tuple[str, str], dict[str, Any]]]:
    """((kind, text key), what is shown) of every open ask in one copy, in sheet order."""
    out = []
    if report.kind == "feedback":
        for table in report.tables_for("工作进展"):
            for row in table.rows:
                v = row.values
                if row.rejected or not is_open(v):
                    continue
                for kind, column in ((COORDINATION, "需协调事项"), (PROBLEM, "存在问题")):
                    text = v.get(column)
                    if isinstance(text, str) and text_key(text):
                        out.append(((kind, text_key(text)), {
                            "text": _short(text.strip()), "status": v.get("状态") or "",
                            "progress": v.get("本周进展") or "", "item": v.get("工作事项") or "",
                            "sheet": table.sheet, "cell": table.cell(column, row.number)}))
    elif report.kind == "handoff":
        for table in report.tables_for("对接事项"):
            for row in table.rows:
                v = row.values
                text = v.get("对接事项")
                if row.rejected or not is_open(v) or not isinstance(text, str) or not text_key(text):
                    continue
                out.append(((HANDOFF, text_key(text)), {
                    "text": _short(text.strip()), "status": v.get("状态") or "", "progress": v.get("进展说明") or "",
                    "item": v.get("事项类别") or "", "sheet": table.sheet,
                    "cell": table.cell("对接事项", row.number)}))
    return out


def open_asks(reports: list[FileReport], timeline: Timeline, as_of: _dt.date) -> list[Ask]:
    """The open asks of the current feedback and handoff copies, each with its age; oldest first."""
    series: dict[str, list[FileReport]] = {}
    for report in reports:
        key = timeline.series.get(report.path)
        if report.kind in KINDS and key is not None and timeline.counts(report):
            series.setdefault(key, []).append(report)
    asks: list[Ask] = []
    for key in sorted(series):
        copies = series[key]
        current = [r for r in copies if timeline.current(r)]
        if not current:
            continue
        latest = current[0]
        first: dict[tuple[str, str], _dt.date | None] = {}
        held: dict[tuple[str, str], int] = {}
        for report in copies:
            day = timeline.dates.get(report.path)
            for ident in {ident for ident, _shown in _items(report)}:
                held[ident] = held.get(ident, 0) + 1
                if day is not None and (first.get(ident) is None or day < first[ident]):
                    first[ident] = day
                else:
                    first.setdefault(ident, None)
        seen: set[tuple[str, str]] = set()
        for ident, shown in _items(latest):
            if ident in seen:
                continue  # the same text twice in one copy is one item
            seen.add(ident)
            raised = first.get(ident)
            asks.append(Ask(_branch(latest), ident[0], shown["text"], raised,
                            max((as_of - raised).days, 0) if raised else None, held.get(ident, 1),
                            shown["status"], _short(str(shown["progress"])), shown["item"], latest.path,
                            shown["sheet"], shown["cell"]))
    asks.sort(key=lambda a: (a.first_raised or as_of, a.branch, a.kind != COORDINATION, a.text))
    return asks


def asks_section(reports: list[FileReport], timeline: Timeline, as_of: _dt.date) -> Section | None:
    """The 需协调 section of every summary output; None when no feedback or handoff was received."""
    if not any(r.kind in KINDS and timeline.counts(r) for r in reports):
        return None
    asks = open_asks(reports, timeline, as_of)
    rows = [[a.branch, a.type, a.text, a.first_raised.isoformat() if a.first_raised else "",
             a.weeks_open, a.status, a.progress, a.item, PurePosixPath(a.file).name] for a in asks]
    by_branch: dict[str, int] = {}
    for a in asks:
        by_branch[a.branch] = by_branch.get(a.branch, 0) + 1
    table = TableData("未解决的需协调事项、存在问题和对接事项（先提出的在前）",
                      ["分所", "类型", "事项", "首次提出", "已挂(周)", "最新状态", "最新进展", "所属工作事项/类别",
                       "来源（最新一份）"], rows,
                      ["text", "text", "text", "text", "int", "text", "text", "text", "text"],
                      widths=[10, 10, 36, 11, 8, 8, 26, 16, 26])  # ≤ one landscape A4 page at 65 %; long text wraps
    if asks:
        oldest = asks[0]
        age = f"{oldest.weeks_open} 周" if oldest.weeks_open is not None else "未知"
        headline = (f"需协调：{len(asks)} 项（" + "，".join(f"{b} {n}" for b, n in sorted(by_branch.items()))
                    + f"）；最久 {age}：{oldest.branch}「{oldest.text[:30]}」")
    else:
        headline = "需协调：没有未解决的事项"
    return Section("asks", "需协调（分所提请总部协调的事项）", "需协调", [table],
                   {"count": len(asks), "by_branch": dict(sorted(by_branch.items())),
                    "items": [a.to_json() for a in asks]},
                   headline=headline,
                   note="来自各分所最新一份工作进程反馈表（工作进展中未完成事项的需协调事项、存在问题）和分所工作对接表"
                        "（状态不是已完成、取消的对接事项）。同一系列中文字相同的事项算一项；首次提出 = 第一份含有该事项的报送的日期，"
                        "已挂周数算到依据日期；最新一份中已没有的事项视为已解决，不再列出。")

