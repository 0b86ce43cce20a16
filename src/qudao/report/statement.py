"""The channel statement's outputs (渠道对账单): an A4 workbook, an A4 HTML page, JSON and terminal lines.

Everything written comes from one :class:`~qudao.analysis.statement.Statement`, which holds only the
channel's own data; nothing else (findings of other rows, other channels, the summary) is ever passed in, so
nothing else can reach the file — cells, sheet names, headers and footers, document properties, the hidden
``_qudao`` sheet, the JSON. Phones are masked 前三后四 unless ``show_phones``.

The statement is a running account (issue 22): 账户概览 (opening + this period + corrections = closing, for
every figure), 本期明细 (the period's lines), 更正 (changes to earlier weeks, each with its week and ±), 未结清的佣金
(every deal not yet paid in full), 未计入的登记 (its own rejected rows with the cell to fix) — every total is
the sum of the lines it shows (money rounded once, per line).
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Any

from qudao.analysis.account import (
    DEAL,
    FORMAT,
    KIND_CN,
    PAYMENT,
    REGISTRATION,
    TAKEOVER,
    VISIT,
    Account,
    Entry,
    Figures,
)
from qudao.analysis.statement import Statement
from qudao.money import as_json
from qudao.money import fmt as money_fmt
from qudao.normalize import shown_phone
from qudao.text import display_width as text_width
from qudao.write.workbook import header_text

TITLE = "渠道对账单"
SHEET_STATEMENT, SHEET_LINES = "对账单", "客户明细"
# the 对账单 sheet's grid: every table on it shares these ten columns (A4 portrait, one page wide)
GRID = (5, 11, 8, 9, 13, 27, 11, 7, 9, 9)
LINE_HEAD = ("序号", "日期", "类型", "客户姓名", "联系电话", "说明", "成交金额(万元)", "点位", "佣金(万元)", "付款(万元)")
FIX_HEAD = ("序号", "所属周", "类型", "客户姓名", "联系电话", "更正内容", "±成交金额(万元)", "±笔数", "±佣金(万元)",
            "±付款(万元)")
OPEN_HEAD = ("序号", "成交日期", "应结日期", "客户姓名", "联系电话", "成交楼盘 · 点位依据", "佣金(万元)", "状态",
             "已付(万元)", "未付(万元)")
LINE_COLUMNS = [("序号", "int", 5), ("登记日期", "date", 11), ("客户姓名", "text", 9), ("联系电话", "text", 12),
                ("状态", "text", 9), ("保护期至", "date", 11), ("到访日期", "date", 11), ("成交日期", "date", 11),
                ("说明", "text", 26)]  # ≤ 107 units: A4 portrait at ≥ 65 %; a longer 说明 wraps in its cell
FIGURE_ROWS = (("登记（人）", "registrations", "int"), ("其中撞单", "conflicts", "int"), ("到访（人）", "visits", "int"),
               ("成交（套）", "deals", "int"), ("成交金额(万元)", "deal_amount", "money"),
               ("佣金(万元)", "commission", "money"), ("已付(万元)", "paid", "money"), ("未付(万元)", "unpaid", "money"))
NOTES = ("说明：账户按周滚动，如银行对账单：期末 = 期初 + 本期新增 + 更正。本期新增是日期在本期内的登记、到访、成交、接手和付款；"
         "更正是本期收到的、对以前各周的变动（迟报、修改、撤回、取消、接手），列明所属周和增减。"
         "佣金 = 成交金额 × 点位，每笔四舍五入到 0.01 万元，合计为各笔之和。状态按统计期末计算：有效 = 保护期内、尚未到访；"
         "撞单 = 该客户已由其他渠道在保护期内先行登记；已被接手 = 本渠道保护期满后由其他渠道登记。",
         "如对本对账单有异议，请在收到后 7 日内与我方渠道经理联系。")


def _basis(d) -> str:
    """A deal's 楼盘 and rate basis, and its 案场确认 when a sales ledger was read (issue 24)."""
    return f"{d.property} · {_rate(d.rate)}%（{d.rate_source}）" + (f"；案场确认：{d.evidence}" if d.evidence else "")


def _rate(rate) -> str:
    return f"{rate.normalize():f}"


def _signed(value, money: bool = True) -> str:
    if not value:
        return ""
    text = money_fmt(abs(value)) if money else str(abs(value))
    return ("+" if value > 0 else "−") + text


def _count_delta(f: Figures) -> str:
    parts = [(label, getattr(f, key)) for label, key in (("登记", "registrations"), ("撞单", "conflicts"),
                                                         ("到访", "visits"), ("成交", "deals"))]
    return " ".join(f"{label}{'+' if n > 0 else '−'}{abs(n)}" for label, n in parts if n)


# --------------------------------------------------------------------------- rows, shared by every output


def _line_note(st: Statement, e: Entry) -> str:
    if e.kind == REGISTRATION:
        line = st.line_of(e)
        status = line.status if line is not None else {"counted": "有效", "conflict": "撞单", "after_visit": "到访后登记"}[e.status]
        until = f"，保护期至 {line.protected_until.isoformat()}" if line is not None and line.code in (
            "protected", "lapsed") and line.protected_until else ""
        return f"{status}{until}" if line is None or line.code not in ("conflict", "visited_before") else line.note
    if e.kind == VISIT:
        return "客户到访"
    if e.kind == DEAL:
        return f"{e.estate} · {e.rate_source}"
    if e.kind == TAKEOVER:
        return f"保护期（至 {e.date.isoformat()}）满后已由其他渠道登记，客户转归对方"
    deal = st.paid_for(e)
    return f"付款 {e.number}" + (f"，{deal}" if deal else "")


def line_rows(st: Statement, show_phones: bool) -> list[dict[str, Any]]:
    """The period's lines as every output shows them."""
    acc = st.account
    out = []
    for e in acc.lines if acc else ():
        out.append({"kind": e.kind, "label": KIND_CN[e.kind], "key": e.key, "date": e.date, "week": e.week,
                    "name": e.name, "phone": shown_phone(e.phone, show_phones), "note": _line_note(st, e),
                    "amount": e.amount if e.kind == DEAL else None, "rate": e.rate if e.kind == DEAL else None,
                    "commission": e.commission if e.kind == DEAL else None,
                    "paid": e.amount if e.kind == PAYMENT else None, "figures": e.figures})
    return out


def correction_rows(st: Statement, show_phones: bool) -> list[dict[str, Any]]:
    acc = st.account
    out = []
    for c in acc.corrections if acc else ():
        e = c.entry
        d = c.delta
        out.append({"kind": c.kind, "label": c.label, "key": e.key, "week": c.week, "name": e.name,
                    "phone": shown_phone(e.phone, show_phones), "change": c.change, "delta": d,
                    "counts": _count_delta(d), "before": c.before, "after": c.after})
    return out


# --------------------------------------------------------------------------- json


def _entry_json(e: Entry | None, show_phones: bool) -> dict[str, Any] | None:
    return None if e is None else e.to_json(show_phones)


def statement_json(st: Statement, show_phones: bool = False) -> dict[str, Any]:
    """The statement as data (docs/json.md → Channel statement): what a partner's or finance's system reconciles,
    and — ``entries`` — the state it closes with, which the next week's statement opens from."""
    acc = st.account or Account(Figures())
    p = st.period
    return {
        "format": f"qudao-statement/{FORMAT}",
        "channel": st.channel, "branch": st.branch, "type": st.type,
        "period": {"from": p.start.isoformat() if p.start else None, "to": p.end.isoformat() if p.end else None,
                   "week": st.week or None, "text": st.period_text},
        "as_of": st.as_of.isoformat(),
        "commission_basis": st.commission_basis,
        "opening_from": acc.source,
        "totals": {"opening": acc.opening.to_json(), "this_period": acc.this_period.to_json(),
                   "corrections": acc.corrected.to_json(), "closing": acc.closing.to_json()},
        "lines": [{"kind": r["kind"], "label": r["label"], "key": r["key"], "date": r["date"].isoformat(),
                   "week": r["week"], "name": r["name"], "phone": r["phone"], "note": r["note"],
                   "deal_amount_wan": as_json(r["amount"]) if r["amount"] is not None else None,
                   "rate": float(r["rate"]) if r["rate"] is not None else None,
                   "commission_wan": as_json(r["commission"]) if r["commission"] is not None else None,
                   "paid_wan": as_json(r["paid"]) if r["paid"] is not None else None,
                   "figures": r["figures"].to_json()} for r in line_rows(st, show_phones)],
        "corrections": [{"kind": r["kind"], "label": r["label"], "key": r["key"], "week": r["week"],
                         "name": r["name"], "phone": r["phone"], "change": r["change"],
                         "delta": r["delta"].to_json(), "before": _entry_json(r["before"], show_phones),
                         "after": _entry_json(r["after"], show_phones)} for r in correction_rows(st, show_phones)],
        "settlement": [{"name": d.name, "phone": shown_phone(d.phone, show_phones), "deal": d.deal.isoformat(),
                        "property": d.property, "deal_amount_wan": as_json(d.amount), "rate": float(d.rate),
                        "rate_source": d.rate_source, "commission_wan": as_json(d.commission),
                        "due": d.due.isoformat(), "status": d.status, "evidence": d.evidence or None,
                        "paid_wan": as_json(d.paid),
                        "unpaid_wan": as_json(d.remaining), "payments": list(d.payments)} for d in st.open_deals],
        "payments_read": st.payments_read,
        "rejected": st.rejected,
        "received": {"copies": [{"file": f, "date": d.isoformat() if d else None} for f, d in st.received],
                     "none_in_period": st.none_received,
                     "last": ({"file": st.last_received[0], "date": st.last_received[1].isoformat()
                               if st.last_received[1] else None} if st.last_received else None)},
        "entries": [e.to_json(show_phones) for e in acc.entries],
    }


# --------------------------------------------------------------------------- xlsx


def write_statement_xlsx(st: Statement, target: str | Path, force: bool = False, show_phones: bool = False,
                         created: _dt.datetime | None = None) -> Path:
    """The statement workbook (A4 portrait, one page wide, table headers repeated on every page), atomically."""
    from qudao.report.xlsx import Book
    from qudao.write.atomic import atomic_path

    created = created or _dt.datetime.combine(st.period.end or st.as_of, _dt.time(0, 0))
    with atomic_path(target, force) as tmp:
        book = Book(tmp, created)
        book.wb.set_properties({"title": f"{TITLE} · {st.channel}", "author": "qudao", "created": created,
                                "comments": "由 qudao statement 生成"})
        _write_summary(book, st, show_phones)
        _write_lines(book, st, show_phones)
        book.mark("statement")  # a copy saved into an inbox is passed over, never read as data
        book.close()
    return Path(target)


def _page(book, name: str, st: Statement, widths) -> Any:
    ws = book.sheet(name, landscape=False)
    ws.set_margins(left=0.4, right=0.4, top=0.7, bottom=0.6)
    ws.set_header(f"&L{header_text(TITLE + ' · ' + st.channel, 60)}&R{header_text(st.period_text, 60)}")
    ws.center_horizontally()
    for c, width in enumerate(widths):
        ws.set_column(c, c, width)
    return ws


class _Sheet:
    """Writes the 对账单 sheet top to bottom on the shared grid."""

    def __init__(self, book, ws):
        self.book, self.ws, self.r = book, ws, 0
        f = book.wb.add_format
        base = {"font_name": "微软雅黑", "font_size": 10, "valign": "vcenter", "border": 1, "border_color": "#D9D9D9"}
        self.wrap = f({**base, "text_wrap": True, "valign": "top"})
        self.note = f({"font_name": "微软雅黑", "font_size": 9, "text_wrap": True, "valign": "top", "font_color": "#595959"})
        self.alert = f({"font_name": "微软雅黑", "font_size": 10, "bold": True, "font_color": "#9C0006",
                        "bg_color": "#FFC7CE", "border": 1, "border_color": "#A6A6A6", "text_wrap": True})
        self.signed = f({**base, "num_format": "+#,##0.00;-#,##0.00;0.00"})
        self.money = f({**base, "num_format": "#,##0.00"})
        self.int = f({**base, "num_format": "#,##0"})
        self.center = f({**base, "align": "center"})
        self.center_wrap = f({**base, "align": "center", "text_wrap": True})
        self.total_wrap = f({**base, "bold": True, "top": 2, "text_wrap": True})
        self.total_money = f({**base, "bold": True, "top": 2, "num_format": "#,##0.00"})
        self.total_signed = f({**base, "bold": True, "top": 2, "num_format": "+#,##0.00;-#,##0.00;0.00"})
        self.total_int = f({**base, "bold": True, "top": 2, "num_format": "#,##0"})

    def text(self, text: str, fmt=None, height: float | None = None) -> None:
        last = len(GRID) - 1
        if height:
            self.ws.set_row(self.r, height)
        if fmt is None:
            self.ws.write_string(self.r, 0, text, self.book.f["sub"])
        else:
            self.ws.merge_range(self.r, 0, self.r, last, text, fmt)
        self.r += 1

    def wrapped(self, text: str, fmt) -> None:
        lines = max(1, -(-text_width(text) // (sum(GRID) - 4)))
        self.text(text, fmt, 13.5 * lines + 2)

    def heading(self, text: str) -> None:
        self.r += 1
        self.ws.set_row(self.r, 18)
        self.ws.merge_range(self.r, 0, self.r, len(GRID) - 1, text, self.book.f["label"])
        self.r += 1

    def head(self, names) -> int:
        self.ws.set_row(self.r, 30)
        for c, name in enumerate(names):
            self.ws.write_string(self.r, c, name, self.book.f["head"])
        self.r += 1
        return self.r - 1


def _write_summary(book, st: Statement, show_phones: bool) -> None:
    ws = _page(book, SHEET_STATEMENT, st, GRID)
    out = _Sheet(book, ws)
    last = len(GRID) - 1
    ws.set_row(0, 28)
    ws.merge_range(0, 0, 0, last, TITLE, book.wb.add_format(
        {"font_name": "微软雅黑", "font_size": 16, "bold": True, "align": "center", "valign": "vcenter"}))
    out.r = 1
    for text in (f"渠道：{st.channel}　　所属分所：{st.branch}　　渠道类型：{st.type}",
                 f"统计期间：{st.period_text}　　依据日期：{st.as_of.isoformat()}",
                 f"佣金点位：{st.commission_basis}；保护期按登记日期有效的协议计算（没有协议时 {st.default_protection} 天）"):
        out.text(text)
    for text in notices(st):
        out.wrapped(text, out.alert)
    acc = st.account or Account(Figures())

    # 账户概览: opening + this period + corrections = closing, figure by figure
    out.heading(f"账户概览（期初 + 本期新增 + 更正 = 期末；期初：{opening_text(acc)}）")
    top = out.r
    ws.set_row(top, 22)
    heads = ((0, 2, "项目"), (3, 4, "期初"), (5, 5, "本期新增"), (6, 7, "更正"), (8, 9, "期末"))
    for a, b, name in heads:
        if a == b:
            ws.write_string(top, a, name, book.f["head"])
        else:
            ws.merge_range(top, a, top, b, name, book.f["head"])
    for k, (label, key, kind) in enumerate(FIGURE_ROWS, start=1):
        r = top + k
        ws.set_row(r, 16)
        values = (getattr(acc.opening, key), getattr(acc.this_period, key), getattr(acc.corrected, key),
                  getattr(acc.closing, key))
        ws.merge_range(r, 0, r, 2, label, book.f["text"])
        fmt = out.money if kind == "money" else out.int
        for (a, b), value in zip(((3, 4), (5, 5), (6, 7), (8, 9)), values):
            number = as_json(value) if kind == "money" else value
            if (a, b) == (6, 7):
                ws.merge_range(r, a, r, b, number, out.signed if kind == "money" else book.f["int_change"])
            elif a == b:
                ws.write_number(r, a, number, fmt)
            else:
                ws.merge_range(r, a, r, b, number, fmt)
    out.r = top + len(FIGURE_ROWS) + 1

    # 本期明细
    rows = line_rows(st, show_phones)
    out.heading(f"本期明细（{len(rows)} 项）")
    out.head(LINE_HEAD)  # (several tables share the sheet: no header row repeats on every page)
    for n, x in enumerate(rows, start=1):
        values = [n, x["date"], x["label"], x["name"], x["phone"], x["note"], x["amount"],
                  f"{_rate(x['rate'])}%" if x["rate"] is not None else None, x["commission"], x["paid"]]
        _row(book, ws, out, values)
    if not rows:
        out.text("本期没有新的登记、到访、成交或付款", book.f["text"])
    this = acc.this_period
    _total(ws, out, "本期新增合计", (this.deal_amount, None, this.commission, this.paid), signed=False)

    # 更正
    fixes = correction_rows(st, show_phones)
    out.heading(f"对以前各周的更正（{len(fixes)} 项，本期收到）")
    if fixes:
        out.head(FIX_HEAD)
        for n, x in enumerate(fixes, start=1):
            d = x["delta"]
            _row(book, ws, out, [n, x["week"], x["label"], x["name"], x["phone"], x["change"], d.deal_amount or None,
                                 x["counts"], d.commission or None, d.paid or None], signed=True)
        fixed = acc.corrected
        _total(ws, out, "更正合计", (fixed.deal_amount, _count_delta(fixed), fixed.commission, fixed.paid), signed=True)
    else:
        out.text("本期没有对以前各周的更正", book.f["text"])

    # 未结清的佣金
    title = "未结清的佣金（截至期末）" if st.payments_read else "应结佣金（截至期末；未读取结佣台账，付款情况未核对）"
    out.heading(f"{title}（{len(st.open_deals)} 笔）")
    if st.open_deals:
        out.head(OPEN_HEAD)
        for n, d in enumerate(st.open_deals, start=1):
            _row(book, ws, out, [n, d.deal, d.due, d.name, shown_phone(d.phone, show_phones),
                                 _basis(d), d.commission, d.status, d.paid,
                                 d.remaining])
        _total(ws, out, "合计", (sum(d.commission for d in st.open_deals), None,
                                  sum(d.paid for d in st.open_deals), sum(d.remaining for d in st.open_deals)),
               columns=(6, 7, 8, 9), signed=False)
    else:
        out.text("没有未结清的佣金", book.f["text"])

    # 未计入的登记
    out.heading(f"未计入的登记（{len(st.rejected)} 行，请更正后在下一份登记表中重新报送）")
    if st.rejected:
        ws.set_row(out.r, 22)
        ws.write_string(out.r, 0, "序号", book.f["head"])
        ws.merge_range(out.r, 1, out.r, 2, "位置", book.f["head"])
        ws.merge_range(out.r, 3, out.r, 4, "文件", book.f["head"])
        ws.merge_range(out.r, 5, out.r, last, "问题", book.f["head"])
        out.r += 1
        for n, x in enumerate(st.rejected, start=1):
            where = f"{x['sheet']}!{x['cell']}" if x["cell"] else (f"第 {x['row']} 行" if x["row"] else "整个文件")
            lines = max(1, -(-text_width(x["message"]) // (sum(GRID[5:]) - 2)))
            ws.set_row(out.r, 14 * lines + 2)
            ws.write_number(out.r, 0, n, out.int)
            ws.merge_range(out.r, 1, out.r, 2, where, book.f["text"])
            ws.merge_range(out.r, 3, out.r, 4, x["file"].rsplit("/", 1)[-1], out.wrap)
            ws.merge_range(out.r, 5, out.r, last, x["message"], out.wrap)
            out.r += 1
    else:
        out.text("没有", book.f["text"])

    out.r += 1
    for note in NOTES:
        out.wrapped(note, out.note)
    out.r += 1
    ws.write_string(out.r, 0, "渠道方确认（签章）：", book.f["sub"])
    ws.write_string(out.r, 6, "我方（签章）：", book.f["sub"])
    ws.write_string(out.r + 2, 0, "日期：", book.f["sub"])
    ws.write_string(out.r + 2, 6, "日期：", book.f["sub"])


def _row(book, ws, out: _Sheet, values, signed: bool = False) -> None:
    lines = max(_lines(values[c], GRID[c]) for c in WRAPPED)
    ws.set_row(out.r, 14 * lines + 2 if lines > 1 else 16)
    for c, value in enumerate(values):
        if c == 5:
            ws.write_string(out.r, c, str(value or ""), out.wrap)
        elif c in (2, 7) and isinstance(value, str) and _lines(value, GRID[c]) > 1:  # 成交金额更正, 登记+3 到访+2
            ws.write_string(out.r, c, value, out.center_wrap)
        elif c in (6, 8, 9) and value is not None and not isinstance(value, str):
            ws.write_number(out.r, c, as_json(value), out.signed if signed else out.money)
        elif c == 0:
            ws.write_number(out.r, c, value, out.int)
        elif c in (1, 2, 7) and isinstance(value, str):  # a week, a kind, a status: centred under its head
            ws.write_string(out.r, c, value, out.center)
        else:
            book.put(ws, out.r, c, value, "date" if isinstance(value, _dt.date) else "text")
    out.r += 1


WRAPPED = (2, 5, 7)  # the columns whose text wraps in its cell: 类型, 说明/更正内容, ±笔数


def _lines(value, width: int) -> int:
    """Lines a text needs in a cell ``width`` units wide (CJK counts two; a cell's padding takes one)."""
    return max(1, -(-text_width(str(value or "")) // (width - 1)))


def _total(ws, out: _Sheet, label: str, values, signed: bool, columns=(6, 7, 8, 9)) -> None:
    book = out.book
    lines = max(_lines(v, GRID[c]) for c, v in zip(columns, values) if isinstance(v, str)) if any(
        isinstance(v, str) for v in values) else 1
    if lines > 1:
        ws.set_row(out.r, 14 * lines + 2)
    ws.merge_range(out.r, 0, out.r, columns[0] - 1, label, book.f["total"])
    for c, value in zip(columns, values):
        if value is None:
            ws.write_blank(out.r, c, None, book.f["total"])
        elif isinstance(value, str):
            ws.write_string(out.r, c, value, out.total_wrap)
        else:
            ws.write_number(out.r, c, as_json(value), out.total_signed if signed else out.total_money)
    out.r += 1


def _write_lines(book, st: Statement, show_phones: bool) -> None:
    ws = _page(book, SHEET_LINES, st, [w for _n, _f, w in LINE_COLUMNS])
    counts = "，".join(f"{k} {v}" for k, v in st.counts().items()) or "无"
    ws.write_string(0, 0, f"客户明细 · {st.channel} · {st.period_text}（{len(st.lines)} 位：{counts}）", book.f["sub"])
    ws.set_row(1, 30)
    for c, (name, _f, _w) in enumerate(LINE_COLUMNS):
        ws.write_string(1, c, name, book.f["head"])
    ws.repeat_rows(1)
    ws.freeze_panes(2, 0)
    for n, line in enumerate(st.lines, start=1):
        values = [n, line.registered, line.name, shown_phone(line.phone, show_phones), line.status, line.protected_until,
                  line.visit, line.deal, line.note]
        for c, value in enumerate(values):
            book.put(ws, 1 + n, c, value, LINE_COLUMNS[c][1])
    if not st.lines:
        ws.merge_range(2, 0, 2, len(LINE_COLUMNS) - 1, "本期没有需要列出的登记", book.f["text"])


# --------------------------------------------------------------------------- shared texts


def opening_text(acc: Account) -> str:
    return {"record": "上期已发出的对账单", "recomputed": "按上期截止时收到的报表重新计算",
            "none": "无（统计期间之前没有记录）"}[acc.source]


def notices(st: Statement) -> list[str]:
    """What the partner must not miss: a week without its register."""
    out = []
    if st.none_received:
        last = st.last_received
        when = f"最近一份：{last[0].rsplit('/', 1)[-1]}（{last[1].isoformat() if last[1] else '无日期'}）" if last else "此前也没有收到"
        period = "本周" if st.week else "本期"
        out.append(f"{period}没有收到贵方的意向客户登记表（{when}）：{period}的登记未能核对，请尽快补报。")
    return out


# --------------------------------------------------------------------------- html


def _figures(f: Figures) -> dict[str, str]:
    return {key: (money_fmt(getattr(f, key)) if kind == "money" else str(getattr(f, key)))
            for _label, key, kind in FIGURE_ROWS}


def context(st: Statement, show_phones: bool = False) -> dict[str, Any]:
    acc = st.account or Account(Figures())
    s = st.stats
    signed = {key: (_signed(getattr(acc.corrected, key)) if kind == "money" else _signed(getattr(acc.corrected, key), False))
              for _label, key, kind in FIGURE_ROWS}
    return {
        "title": TITLE, "channel": st.channel, "branch": st.branch, "type": st.type, "period": st.period_text,
        "as_of": st.as_of.isoformat(), "basis": st.commission_basis, "default_protection": st.default_protection,
        "notices": notices(st), "opening_text": opening_text(acc),
        "figure_rows": [(label, key) for label, key, _kind in FIGURE_ROWS],
        "opening": _figures(acc.opening), "this_period": _figures(acc.this_period), "corrected": signed,
        "closing": _figures(acc.closing),
        "lines": [{**x, "date": x["date"].isoformat(), "amount": money_fmt(x["amount"]) if x["amount"] is not None else "",
                   "rate": f"{_rate(x['rate'])}%" if x["rate"] is not None else "",
                   "commission": money_fmt(x["commission"]) if x["commission"] is not None else "",
                   "paid": money_fmt(x["paid"]) if x["paid"] is not None else ""} for x in line_rows(st, show_phones)],
        "this_total": {"amount": money_fmt(acc.this_period.deal_amount), "commission": money_fmt(acc.this_period.commission),
                       "paid": money_fmt(acc.this_period.paid)},
        "fixes": [{**x, "amount": _signed(x["delta"].deal_amount), "commission": _signed(x["delta"].commission),
                   "paid": _signed(x["delta"].paid)} for x in correction_rows(st, show_phones)],
        "fix_total": {"amount": _signed(acc.corrected.deal_amount) or "0.00",
                      "counts": _count_delta(acc.corrected),
                      "commission": _signed(acc.corrected.commission) or "0.00",
                      "paid": _signed(acc.corrected.paid) or "0.00"},
        "open_deals": [{"name": d.name, "phone": shown_phone(d.phone, show_phones), "deal": d.deal.isoformat(),
                        "due": d.due.isoformat(), "property": d.property, "rate": _rate(d.rate),
                        "rate_source": d.rate_source, "commission": money_fmt(d.commission), "status": d.status,
                        "basis": f"{d.property} · {_rate(d.rate)}%（{d.rate_source}）", "evidence": d.evidence,
                        "paid": money_fmt(d.paid), "remaining": money_fmt(d.remaining)} for d in st.open_deals],
        "open_total": {"commission": money_fmt(sum(d.commission for d in st.open_deals)),
                       "paid": money_fmt(sum(d.paid for d in st.open_deals)),
                       "remaining": money_fmt(sum(d.remaining for d in st.open_deals))},
        "payments_read": st.payments_read,
        "evidence": any(d.evidence for d in st.open_deals),  # a sales ledger was read: 案场确认 per deal (issue 24)
        "rejected": [{**x, "where": f"{x['sheet']}!{x['cell']}" if x["cell"] else (f"第 {x['row']} 行" if x["row"] else "整个文件"),
                      "file": x["file"].rsplit("/", 1)[-1]} for x in st.rejected],
        "stats": [("登记（人）", s.registrations, "其中撞单", s.conflicts), ("有效客户", s.customers, "到访", s.visits)],
        "details": [{"registered": x.registered.isoformat(), "name": x.name, "phone": shown_phone(x.phone, show_phones),
                     "status": x.status, "code": x.code,
                     "protected_until": x.protected_until.isoformat() if x.protected_until else "",
                     "visit": x.visit.isoformat() if x.visit else "", "deal": x.deal.isoformat() if x.deal else "",
                     "note": x.note} for x in st.lines],
        "counts": st.counts(), "notes": NOTES, "masked": not show_phones,
    }


def render_statement_html(st: Statement, show_phones: bool = False) -> str:
    from qudao.report.text import environment

    return environment("html").get_template("statement.html.j2").render(**context(st, show_phones))


# --------------------------------------------------------------------------- terminal


def _short(f: Figures, last: str = "paid") -> str:
    """One line of figures (money in 万元): the opening, the period, the corrections (±) or the closing."""
    sign = last == "signed"

    def n(value: int) -> str:
        return (f"+{value}" if value > 0 else f"−{-value}" if value < 0 else "0") if sign else str(value)

    def m(value) -> str:
        return (_signed(value) or "0.00") if sign else money_fmt(value)

    text = f"登记 {n(f.registrations)}（撞单 {n(f.conflicts)}） 到访 {n(f.visits)} 成交 {n(f.deals)} 金额 {m(f.deal_amount)}" \
           f" 佣金 {m(f.commission)}"
    if last == "unpaid":
        return text + f" 已付 {m(f.paid)} 未付 {m(f.unpaid)}"
    return text + (f" 付款 {m(f.paid)}" if last in ("signed", "period") else f" 已付 {m(f.paid)}")


def statement_lines(st: Statement, show_phones: bool = False, limit: int = 60) -> list[str]:
    """The statement as plain lines for a terminal, each within 80 columns (CJK characters count two)."""
    from qudao.report.todo import wrap

    acc = st.account or Account(Figures())
    out = [f"{TITLE} · {st.channel}（{st.branch}）",
           f"统计期间：{st.period_text}　依据日期：{st.as_of.isoformat()}",
           f"佣金点位：{st.commission_basis}",
           *notices(st),
           f"账户（金额单位：万元；期初：{opening_text(acc)}）",
           f"  期初：{_short(acc.opening)}",
           f"  本期新增 {len(acc.lines)} 项：{_short(acc.this_period, 'period')}",
           f"  更正 {len(acc.corrections)} 项：{_short(acc.corrected, 'signed')}",
           f"  期末：{_short(acc.closing, 'unpaid')}"]
    for x in correction_rows(st, show_phones)[:limit]:
        out += wrap(f"  更正 {x['week']} {x['label']} {x['name']} {x['phone']}：{x['change']}")
    for x in line_rows(st, show_phones)[:limit]:
        money = (f"  {money_fmt(x['amount'])} × {_rate(x['rate'])}% = {money_fmt(x['commission'])}"
                 if x["kind"] == DEAL else f"  {money_fmt(x['paid'])}" if x["kind"] == PAYMENT else "")
        out += wrap(f"  {x['date'].isoformat()}  {x['label']}  {x['name']}  {x['phone']}{money}")
    if st.open_deals:
        out.append(f"未结清的佣金 {len(st.open_deals)} 笔，未付 {money_fmt(sum(d.remaining for d in st.open_deals))} 万元"
                   + ("" if st.payments_read else "（未读取结佣台账）"))
    if st.rejected:
        out += wrap(f"未计入的登记 {len(st.rejected)} 行：" + "；".join(
            f"{x['file'].rsplit('/', 1)[-1]} {x['sheet']}!{x['cell']}" for x in st.rejected[:5])
            + ("……" if len(st.rejected) > 5 else ""))
    counts = "，".join(f"{k} {v}" for k, v in st.counts().items())
    out.append(f"客户明细 {len(st.lines)} 位" + (f"：{counts}" if counts else ""))
    return out


__all__ = ["TITLE", "context", "render_statement_html", "statement_json", "statement_lines", "write_statement_xlsx"]
