"""The week's to-do list (本周待办): an A4 workbook, HTML, Markdown and plain lines for a terminal.

All render from one :class:`~qudao.analysis.todo.Todo` (a branch's, a person's or everybody's). The
workbook is one table with the header repeated on every printed page and a 完成 column to tick on paper.
Phones are masked 前三后四 unless ``show_phones``.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Any

from qudao.analysis.todo import Todo
from qudao.normalize import shown_phone
from qudao.text import display_width

SHEET = "本周待办"
COLUMNS = [("类别", "text", 14), ("分所", "text", 10), ("跟进人", "text", 8), ("客户／渠道／表格", "text", 22),
           ("电话", "text", 13), ("来源渠道", "text", 18), ("日期", "date", 11), ("事项", "text", 46),
           ("完成", "text", 6)]
WIDTH = 80  # terminal columns
HEADINGS = {"protection_expiring": "：{horizon} 天内到期、尚未到访", "protection_ended": "：过去 7 天已满、未到访",
            "followup": "：下次跟进日期在本周内或已过", "agreement_expiring": "：请安排续签",
            "submission_missing": "：上周报送了，最近一周没有收到"}


def period_line(todo: Todo) -> str:
    return (f"{todo.start.isoformat()} 至 {todo.end.isoformat()}　依据日期：{todo.as_of.isoformat()}　"
            f"共 {len(todo.items)} 项")


def counts_line(todo: Todo) -> str:
    return "，".join(f"{k} {v}" for k, v in todo.counts().items() if v) or "本周没有待办"


def owners_line(todo: Todo) -> str:
    return "按跟进人：" + "，".join(f"{k} {v}" for k, v in todo.by_owner().items()) if todo.items else ""


# --------------------------------------------------------------------------- xlsx


def write_todo_xlsx(todo: Todo, target: str | Path, force: bool = False, show_phones: bool = False,
                    created: _dt.datetime | None = None) -> Path:
    """The list as one printable table (A4 landscape, one page wide, the header on every page), atomically."""
    from qudao.report.xlsx import Book
    from qudao.write.atomic import atomic_path
    from qudao.write.workbook import header_text

    created = created or _dt.datetime.combine(todo.as_of, _dt.time(0, 0))
    with atomic_path(target, force) as tmp:
        book = Book(tmp, created)
        book.wb.set_properties({"title": todo.title, "author": "qudao", "created": created,
                                "comments": "由 qudao todo 生成"})
        ws = book.sheet(SHEET, landscape=True)  # 9 columns: one page wide is readable only across
        ws.set_margins(left=0.4, right=0.4, top=0.7, bottom=0.6)
        ws.set_header(f"&L{header_text(todo.title, 60)}&R{todo.start.isoformat()} 至 {todo.end.isoformat()}")
        last = len(COLUMNS) - 1
        for c, (_n, _f, width) in enumerate(COLUMNS):
            ws.set_column(c, c, width)
        ws.set_row(0, 26)
        ws.merge_range(0, 0, 0, last, todo.title, book.f["title"])
        for r, text in enumerate((period_line(todo) + "：" + counts_line(todo), owners_line(todo)), start=1):
            ws.write_string(r, 0, text, book.f["sub"])
        head = 4
        ws.set_row(head, 24)
        for c, (name, _f, _w) in enumerate(COLUMNS):
            ws.write_string(head, c, name, book.f["head"])
        ws.repeat_rows(head)
        ws.freeze_panes(head + 1, 0)
        for n, item in enumerate(todo.items, start=1):
            phone = shown_phone(item.phone, show_phones) or ""
            values = [item.category_cn, item.branch, item.who, item.subject, phone,
                      item.channel if item.channel != item.subject else "", item.day, item.text, ""]
            for c, value in enumerate(values):
                book.put(ws, head + n, c, value, COLUMNS[c][1])
        if not todo.items:
            ws.merge_range(head + 1, 0, head + 1, last, "本周没有待办", book.f["text"])
        else:
            ws.autofilter(head, 0, head + len(todo.items), last)
        book.mark("todo")  # a copy saved into an inbox is passed over, never read as data
        book.close()
    return Path(target)


# --------------------------------------------------------------------------- html / md


def context(todo: Todo, show_phones: bool = False) -> dict[str, Any]:
    groups = []
    for code, label, items in todo.by_category():
        groups.append({"code": code, "label": label, "items": [
            {"branch": i.branch, "who": i.who, "nobody": not i.owner, "subject": i.subject,
             "phone": shown_phone(i.phone, show_phones) or "", "channel": i.channel if i.channel != i.subject else "",
             "day": i.day.isoformat() if i.day else "", "text": i.text, "late": i.days is not None and i.days < 0}
            for i in items]})
    return {"title": todo.title, "period": period_line(todo), "counts": counts_line(todo), "owners": owners_line(todo),
            "groups": groups, "show_branch": todo.scope_kind != "branch", "show_owner": todo.scope_kind != "owner",
            "horizon": todo.horizon, "masked": not show_phones, "empty": not todo.items}


def render_todo(todo: Todo, kind: str, show_phones: bool = False) -> str:
    from qudao.report.text import environment

    name = "todo.html.j2" if kind == "html" else "todo.md.j2"
    return environment(kind).get_template(name).render(**context(todo, show_phones))


# --------------------------------------------------------------------------- terminal


def wrap(text: str, width: int = WIDTH, indent: int = 6) -> list[str]:
    """``text`` cut into lines of at most ``width`` columns (CJK characters count two), the following lines
    indented."""
    lines, line = [], ""
    for ch in text:
        if display_width(line + ch) > width and line.strip():
            # a run of digits or Latin letters (a date, a phone) is not cut: it moves to the next line whole
            cut = len(line)
            while cut > indent + 1 and _word(line[cut - 1]) and _word(ch if cut == len(line) else line[cut]):
                cut -= 1
            if cut <= indent + 1 or not line[:cut].strip():
                cut = len(line)
            if cut == len(line) and ch in _CLOSING and cut > indent + 1:
                cut -= 1  # a line never starts with closing punctuation: the character before it goes along
            lines.append(line[:cut].rstrip())
            line = " " * indent + line[cut:].lstrip()
        line += ch
    if line.strip():
        lines.append(line.rstrip())
    return lines


_CLOSING = "，。、；：）」』》！？,.;:)"


def _word(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch in "-*:.")


def todo_lines(todo: Todo, show_phones: bool = False, width: int = WIDTH) -> list[str]:
    """The list grouped for a terminal: by branch (unless it is one branch's), then by category; one item per
    line, wrapped at ``width`` columns."""
    out = wrap(todo.title, width) + [f"{todo.start.isoformat()} 至 {todo.end.isoformat()}　依据日期：{todo.as_of.isoformat()}"]
    out += wrap(f"共 {len(todo.items)} 项：" + counts_line(todo), width, 2)
    if todo.items and todo.scope_kind != "owner":
        out += wrap(owners_line(todo), width, 2)
    branches = [todo.scope] if todo.scope_kind == "branch" else sorted({i.branch for i in todo.items})
    for branch in branches:
        mine = [i for i in todo.items if i.branch == branch]
        if todo.scope_kind != "branch":
            out += ["", f"【{branch}】{len(mine)} 项"]
        for _code, label, items in todo.by_category():
            items = [i for i in items if i.branch == branch]
            if not items:
                continue
            out.append(f"{label}（{len(items)}）{HEADINGS.get(_code, '').format(horizon=todo.horizon)}")
            for i in items:
                who = "" if todo.scope_kind == "owner" else f"{i.who}　"
                subject = i.subject + (f" {shown_phone(i.phone, show_phones)}" if i.phone else "")
                source = f"（{i.channel}）" if i.channel and i.channel != i.subject else ""
                out += wrap(f"  {who}{subject}{source}　{brief(i)}", width)
    return out


def brief(item) -> str:
    """An item's text for a terminal line: its category's heading already says what kind of item it is."""
    from qudao.analysis.todo import AGREEMENT, ENDED, EXPIRING, MISSING

    day, days = item.day, item.days
    if item.category == EXPIRING and day is not None and days is not None:
        return "今天到期" if days == 0 else f"{day.month}月{day.day}日到期，还有 {days} 天"
    if item.category == ENDED and day is not None:
        return f"{day.month}月{day.day}日已满"
    if item.category == AGREEMENT:
        return item.text.removesuffix("，请安排续签")
    if item.category == MISSING:
        return f"最近一份 {day.isoformat()}" if day else "最近一份没有日期"
    return item.text
