"""The week's to-do lists (本周待办, issue 14 item 6): what each 跟进人 and each 分所 acts on this week.

Made on the as-of day for the week that holds it (Monday … Sunday by ``week.start``):

1. 保护期将到 — owned, not yet visited customers whose protection ends within N days (``--days``, else
   ``attribution.expiring_warn_days``, 7), from the as-of day on;
2. 保护期已过未到访 — those whose protection ended in the seven days before the as-of day;
3. 客户跟进 — customers of the **current** 工作进程反馈表 copies whose 下次跟进日期 is on or before the
   week's last day and whose 跟进状态 is not 已成交/已放弃 (overdue ones first);
4. 拜访不足 — channels of the current 渠道拓展 trackers behind their monthly visit pace
   (``check.expansion.visit_shortfall``, on the tracker's date);
5. 协议到期 — agreements in force ending within ``agreements.expiring_days`` (30) days
   (``check.agreements.expiring_in``);
6. 未报送 — series that sent a copy the week before and none in the last complete week
   (``submission.missing``, found by the job);
7. 结佣逾期 — settlement lines 逾期 on the as-of day (past the due date by ``commission.overdue_days`` and not paid
   in full by the 结佣台账; without a ledger: what should have been paid), for the registration's 跟进人 (issue 22).

Who: a register's 跟进人 (protection), the feedback's 填报人 (its customers), the tracker's 负责人, the
ledger's 我方签约人. An item without anybody named (a missing copy, a register row without 跟进人) is on its
branch's list only, marked 「未指定」 (docs/decisions.md → To-do lists). No files or formats here.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import difflib
from dataclasses import dataclass, field
from typing import Any, Iterable

from qudao.analysis.attribution import Attribution
from qudao.analysis.register import UNKNOWN, protection_ended, protection_expiring
from qudao.channels import Directory
from qudao.config import Settings
from qudao.findings import Finding
from qudao.records import FileReport
from qudao.weeks import week_start

EXPIRING, ENDED, FOLLOWUP, VISITS, AGREEMENT, MISSING, OVERDUE = (
    "protection_expiring", "protection_ended", "followup", "visits_behind", "agreement_expiring", "submission_missing",
    "commission_overdue")
CATEGORY_CN = {EXPIRING: "保护期将到", ENDED: "保护期已过未到访", FOLLOWUP: "客户跟进", VISITS: "拜访不足",
               AGREEMENT: "协议到期", MISSING: "未报送", OVERDUE: "结佣逾期"}
NOBODY = "未指定"
ENDED_DAYS = 7  # protections that ended in the week before the as-of day


@dataclass
class Item:
    category: str
    branch: str
    owner: str  # "" when nobody is named: on the branch's list only
    subject: str  # the customer's name, the channel, or the document
    phone: str  # the customer's phone as identity ("" for other items); writers mask it
    channel: str
    day: _dt.date | None  # the date the item is about
    days: int | None  # days from the as-of day to ``day`` (negative: overdue / ago)
    text: str  # what to do, in a few words
    file: str = ""
    sheet: str = ""
    cell: str = ""

    @property
    def category_cn(self) -> str:
        return CATEGORY_CN[self.category]

    @property
    def who(self) -> str:
        return self.owner or NOBODY


@dataclass
class Todo:
    as_of: _dt.date
    start: _dt.date  # the week the list is for
    end: _dt.date
    horizon: int  # 保护期将到: days ahead
    items: list[Item] = field(default_factory=list)
    branches: list[str] = field(default_factory=list)  # every branch known (a list each, even empty)
    owners: list[str] = field(default_factory=list)  # every person named anywhere
    scope: str = ""  # the branch or person the list is for ("" = everybody)
    scope_kind: str = ""  # "branch" | "owner" | ""

    @property
    def title(self) -> str:
        return f"本周待办 · {self.scope}" if self.scope else "本周待办"

    def counts(self) -> dict[str, int]:
        return {CATEGORY_CN[c]: sum(1 for i in self.items if i.category == c) for c in CATEGORY_CN}

    def by_category(self) -> list[tuple[str, str, list[Item]]]:
        return [(c, CATEGORY_CN[c], [i for i in self.items if i.category == c]) for c in CATEGORY_CN]

    def by_owner(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for i in self.items:
            out[i.who] = out.get(i.who, 0) + 1
        return dict(sorted(out.items(), key=lambda kv: (kv[0] == NOBODY, kv[0])))

    def for_branch(self, branch: str) -> Todo:
        return dataclasses.replace(self, items=[i for i in self.items if i.branch == branch], scope=branch,
                                   scope_kind="branch")

    def for_owner(self, owner: str) -> Todo:
        return dataclasses.replace(self, items=[i for i in self.items if i.owner == owner], scope=owner,
                                   scope_kind="owner")


class UnknownName(ValueError):
    """A --owner or --branch that names nobody in the inputs."""

    def __init__(self, what: str, name: str, known: list[str], several: bool = False):
        if several:
            super().__init__(f"「{name}」对应不止一个{what}：{'、'.join(known)}；请写全名")
            return
        near = difflib.get_close_matches(name, known, n=3, cutoff=0.3)
        hint = f"；最接近的是：{'、'.join(near)}" if near else (f"；已知的有：{'、'.join(known[:8])}" if known else "")
        super().__init__(f"输入中没有{what}「{name}」{hint}")


def _md(day: _dt.date) -> str:
    return f"{day.month}月{day.day}日"


def _branch(report: FileReport, label: str = "分所") -> str:
    return report.block.get(label) or report.folder or UNKNOWN


def _rows(report: FileReport, sheet: str):
    for table in report.tables_for(sheet):
        for row in table.rows:
            if not row.rejected:
                yield table, row


def _name(value: Any) -> str:
    return " ".join(str(value).split()) if value not in (None, "") else ""


def build_todo(att: Attribution, channel_info: dict[str, tuple[str, str]], reports: Iterable[FileReport],
               settings: Settings, as_of: _dt.date, horizon: int | None = None,
               missing: Iterable[tuple[Finding, FileReport, str]] = (), settlement: Iterable[dict] = (),
               payments_read: bool = False) -> Todo:
    """Every item of the week's lists. ``att`` is the attribution of the history up to the as-of day,
    ``channel_info`` channel → (type, branch) from the registers, ``reports`` the **current** copies,
    ``missing`` (finding, last copy, series key) of every series that stopped arriving."""
    horizon = settings.protection_warn_days if horizon is None else horizon
    first = week_start(as_of, settings.week_start)
    last = first + _dt.timedelta(days=6)
    items: list[Item] = []
    owners: set[str] = set()
    branches: set[str] = {b for _t, b in channel_info.values()} | set(settings.branches)

    for reg in att.registrations:
        follower = _name(reg.latest.source.values.get("跟进人"))
        if follower:
            owners.add(follower)
    for e in protection_expiring(att, dataclasses.replace(settings, protection_warn_days=horizon), as_of):
        left = e["days_left"]
        items.append(Item(EXPIRING, e["branch"], _name(e["follower"]), e["name"], e["customer"], e["channel"],
                          e["protection_end"], left,
                          f"保护期 {_md(e['protection_end'])}到期（{'今天' if left == 0 else f'还有 {left} 天'}），尚未到访",
                          e["file"], e["sheet"], e["cell"]))
    for e in protection_ended(att, as_of - _dt.timedelta(days=ENDED_DAYS), as_of):
        items.append(Item(ENDED, e["branch"], _name(e["follower"]), e["name"], e["customer"], e["channel"],
                          e["protection_end"], (e["protection_end"] - as_of).days,
                          f"保护期 {_md(e['protection_end'])}已满，未到访：确认客户意向", e["file"], e["sheet"],
                          e["cell"]))

    reports = list(reports)
    from qudao.schema.feedback import FOLLOW_CLOSED

    for report in (r for r in reports if r.kind == "feedback"):
        branch, author = _branch(report), _name(report.block.get("填报人"))
        branches.add(branch)
        if author:
            owners.add(author)
        for table, row in _rows(report, "客户内容"):
            v = row.values
            due = v.get("下次跟进日期")
            if due is None or due > last or v.get("跟进状态") in FOLLOW_CLOSED:
                continue
            days = (due - as_of).days
            when = (f"已逾期 {-days} 天" if days < 0 else "今天" if days == 0 else f"还有 {days} 天")
            grade = f"{v['意向等级']} 级，" if v.get("意向等级") else ""
            items.append(Item(FOLLOWUP, branch, author, _name(v.get("客户姓名")), v.get("联系电话") or "",
                              _name(v.get("来源渠道")), due, days, f"{grade}下次跟进 {_md(due)}（{when}）",
                              report.path, table.sheet, table.cell("下次跟进日期", row.number)))

    from qudao.check.expansion import visit_shortfall

    latest: dict[tuple[str, str], tuple[tuple, FileReport, Any, Any]] = {}
    for report in (r for r in reports if r.kind == "expansion"):
        branches.add(_branch(report))
        head = _name(report.block.get("负责人"))
        if head:
            owners.add(head)
        for table, row in _rows(report, "渠道拓展"):
            name = _name(row.values.get("渠道名称"))
            key = (_branch(report), name)
            rank = (report.block.get("填表日期") or _dt.date.min, report.order, row.number)
            if name and (key not in latest or rank > latest[key][0]):
                latest[key] = (rank, report, table, row)
    for (branch, name), (_rank, report, table, row) in sorted(latest.items()):
        v = row.values
        owner = _name(v.get("负责人")) or _name(report.block.get("负责人"))
        if owner:
            owners.add(owner)
        day = report.block.get("填表日期") or as_of
        short = visit_shortfall(v, settings, day)
        if short:
            due, minimum = short
            pace = f"{_md(day)}应至少 {due} 次" if due != minimum else f"每月至少 {minimum} 次"
            items.append(Item(VISITS, branch, owner, name, "", name, day, None,
                              f"{v['渠道等级']} 级渠道本月拜访 {v['本月拜访次数']} 次，{pace}", report.path, table.sheet,
                              table.cell("本月拜访次数", row.number)))

    from qudao.check.agreements import expiring_in

    directory = Directory(channel_info, settings)
    for report in (r for r in reports if r.kind == "agreements"):
        for table, row in _rows(report, "协议台账"):
            v = row.values
            signer = _name(v.get("我方签约人"))
            if signer:
                owners.add(signer)
            days = expiring_in(v, as_of, settings)
            if days is None:
                continue
            written = _name(v.get("渠道名称"))
            found = directory.resolve(written) if written and channel_info else None
            channel = found.channel if found is not None and found.resolved else written
            branch = channel_info.get(channel, ("", ""))[1] or report.folder or UNKNOWN
            number = v.get("协议编号") or ""
            items.append(Item(AGREEMENT, branch, signer, channel, "", channel, v["到期日期"], days,
                              f"协议 {number} {_md(v['到期日期'])}到期（{'今天' if days == 0 else f'还有 {days} 天'}），"
                              "请安排续签", report.path, table.sheet, table.cell("到期日期", row.number)))

    from qudao.schema import get_kind

    for finding, report, key in missing:
        parts = key.split("|")
        name = " ".join(parts[1:])
        if report.kind == "register":
            channel = parts[1] if len(parts) > 1 else ""
            branch = channel_info.get(channel, ("", ""))[1] or report.block.get("所属分所") or report.folder or UNKNOWN
        else:
            channel = ""
            branch = _branch(report)
        day = report.copy_date
        items.append(Item(MISSING, branch, "", f"{get_kind(report.kind).title}「{name}」", "", channel, day,
                          (day - as_of).days if day else None,
                          f"上周报送了，最近一周没有收到（最近一份 {day.isoformat() if day else '无日期'}）",
                          finding.file))

    from qudao.money import fmt

    for d in settlement:
        if d["status"] != "逾期":
            continue
        late = (as_of - d["due"]).days
        unpaid = f"，未付 {fmt(d['remaining'])}" if payments_read else ""  # (no 结佣台账: nothing known paid)
        items.append(Item(OVERDUE, d["branch"], _name(d["follower"]), d["name"], d["customer"], d["channel"], d["due"],
                          -late, f"{_md(d['due'])}应结 {fmt(d['commission'])}，已过 {late} 天{unpaid}",
                          d["file"], d["sheet"], d["cell"]))

    order = {c: n for n, c in enumerate(CATEGORY_CN)}
    items.sort(key=lambda i: (order[i.category], i.branch, i.day or _dt.date.min, i.who, i.subject, i.phone))
    branches |= {i.branch for i in items}
    branches.discard("")
    return Todo(as_of, first, last, horizon, items, sorted(branches), sorted(owners | {i.owner for i in items} - {""}))


def pick(todo: Todo, owner: str | None = None, branch: str | None = None) -> Todo:
    """The list of one person or one branch; an unknown name raises :class:`UnknownName` naming the nearest."""
    if owner is not None:
        name = _name(owner)
        if name not in todo.owners:
            raise UnknownName("跟进人", name, todo.owners)
        return todo.for_owner(name)
    if branch is not None:
        return todo.for_branch(branch_named(branch, todo.branches))
    return todo


def branch_named(given: str, branches: list[str]) -> str:
    """The branch a person means by ``given``: its full name, or a part of exactly one branch's name
    (「拉萨」 → 拉萨分所); none or several raise :class:`UnknownName`, naming the candidates."""
    name = _name(given)
    if name in branches:
        return name
    matches = [b for b in branches if name and name in b]
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        raise UnknownName("分所", name, matches, several=True)
    raise UnknownName("分所", name, branches)
