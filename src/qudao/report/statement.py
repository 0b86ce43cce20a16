"""The channel statement's outputs (渠道对账单): an A4 workbook and an A4 HTML page.

Everything written comes from one :class:`~qudao.analysis.statement.Statement`, which holds only the
channel's own data; nothing else (findings, other channels, the summary) is ever passed in, so nothing
else can reach the file — cells, sheet names, headers and footers, document properties, the hidden
``_qudao`` sheet. Phones are masked 前三后四 unless ``show_phones``.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Any

from qudao.analysis.statement import Statement
from qudao.money import as_json
from qudao.money import fmt as money_fmt
from qudao.normalize import shown_phone
from qudao.text import display_width
from qudao.write.workbook import header_text

TITLE = "渠道对账单"
SHEET_STATEMENT, SHEET_LINES = "对账单", "客户明细"
# ≤ 107 column-width units (with 案场确认): A4 portrait at ≥ 65 %; a longer 楼盘, 点位依据 or 说明 wraps in its cell
DEAL_COLUMNS = [("序号", "int", 4), ("客户姓名", "text", 8), ("联系电话", "text", 12), ("成交日期", "date", 11),
                ("成交楼盘", "text", 9), ("成交金额(万元)", "money", 10), ("点位", "text", 6),
                ("点位依据", "text", 11), ("佣金(万元)", "money", 9), ("应结日期", "date", 11), ("结佣状态", "text", 8)]
LINE_COLUMNS = [("序号", "int", 5), ("登记日期", "date", 11), ("客户姓名", "text", 9), ("联系电话", "text", 12),
                ("状态", "text", 9), ("保护期至", "date", 11), ("到访日期", "date", 11), ("成交日期", "date", 11),
                ("说明", "text", 26)]
NOTES = ("说明：状态按统计期末计算。有效 = 保护期内、尚未到访；撞单 = 该客户已由其他渠道在保护期内先行登记；"
         "已被接手 = 本渠道保护期满后由其他渠道登记。佣金 = 成交金额 × 点位，合计先求和再四舍五入到 0.01 万元；"
         "应结日期 = 成交日期 + 结佣周期。",
         "如对本对账单有异议，请在收到后 7 日内与我方渠道经理联系。")


EVIDENCE_COLUMN = ("案场确认", "text", 8)  # with a sales ledger: confirmed or not, per line (issue 24)


def deal_columns(st: Statement) -> list[tuple[str, str, int]]:
    return DEAL_COLUMNS + [EVIDENCE_COLUMN] if st.evidence else DEAL_COLUMNS


def _rate(rate) -> str:
    return f"{rate.normalize():f}"


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
        wrap = book.wb.add_format({"font_name": "微软雅黑", "font_size": 9, "text_wrap": True, "valign": "top",
                                   "font_color": "#595959"})
        _write_summary(book, st, show_phones, wrap)
        _write_lines(book, st, show_phones)
        book.mark("statement")  # a copy saved into an inbox is passed over, never read as data
        book.close()
    return Path(target)


def _page(book, name: str, st: Statement, columns) -> Any:
    ws = book.sheet(name, landscape=False)
    ws.set_margins(left=0.5, right=0.5, top=0.7, bottom=0.6)
    ws.set_header(f"&L{header_text(TITLE + ' · ' + st.channel, 60)}&R{header_text(st.period_text, 60)}")
    ws.center_horizontally()
    for c, (_name, _fmt, width) in enumerate(columns):
        ws.set_column(c, c, width)
    return ws


def _write_summary(book, st: Statement, show_phones: bool, wrap) -> None:
    columns = deal_columns(st)
    ws = _page(book, SHEET_STATEMENT, st, columns)
    last = len(columns) - 1
    ws.set_row(0, 28)
    ws.merge_range(0, 0, 0, last, f"{TITLE}", book.wb.add_format(
        {"font_name": "微软雅黑", "font_size": 16, "bold": True, "align": "center", "valign": "vcenter"}))
    lines = [f"渠道：{st.channel}　　所属分所：{st.branch}　　渠道类型：{st.type}",
             f"统计期间：{st.period_text}　　依据日期：{st.as_of.isoformat()}",
             f"佣金点位：{st.commission_basis}；保护期按登记日期有效的协议计算（没有协议时 {st.default_protection} 天）"]
    for r, text in enumerate(lines, start=1):
        ws.write_string(r, 0, text, book.f["sub"])
    s = st.stats
    r = len(lines) + 2
    ws.merge_range(r, 0, r, 5, "本期合计", book.f["label"])
    pairs = [("登记（人）", s.registrations, "int", "其中撞单", s.conflicts, "int"),
             ("有效客户", s.customers, "int", "到访", s.visits, "int"),
             ("成交（套）", s.deals, "int", "成交金额(万元)", s.deal_amount, "money"),
             ("佣金(万元)", s.commission, "money", "", None, "text")]
    for k, (l1, v1, f1, l2, v2, f2) in enumerate(pairs, start=1):  # label A:B, value C; label D:E, value F
        ws.merge_range(r + k, 0, r + k, 1, l1, book.f["text"])
        book.put(ws, r + k, 2, v1, f1)
        ws.merge_range(r + k, 3, r + k, 4, l2, book.f["text"])
        book.put(ws, r + k, 5, v2, f2)
    r += len(pairs) + 1
    settle = st.settlement_totals()
    ws.write_string(r, 0, "结佣：" + "；".join(f"{k} {n} 笔，佣金 {money_fmt(v)} 万元" for k, (n, v) in settle.items()),
                    book.f["sub"])
    r += 2
    ws.write_string(r, 0, f"成交与佣金（本期成交 {len(st.deals)} 套）", book.f["label"])
    for c in range(1, last + 1):
        ws.write_blank(r, c, None, book.f["label"])
    r += 1
    head = r
    ws.set_row(head, 30)
    for c, (name, _f, _w) in enumerate(columns):
        ws.write_string(head, c, name, book.f["head"])
    ws.repeat_rows(head)
    for n, d in enumerate(st.deals, start=1):
        values = [n, d.name, shown_phone(d.phone, show_phones), d.deal, d.property, d.amount, f"{_rate(d.rate)}%",
                  d.rate_source, d.commission, d.due, d.status] + ([d.evidence] if st.evidence else [])
        book.row(ws, head + n, columns, values)
    r = head + len(st.deals) + 1
    total_money = book.wb.add_format({"font_name": "微软雅黑", "font_size": 10, "bold": True, "top": 2, "border": 1,
                                      "border_color": "#A6A6A6", "num_format": "#,##0.00", "valign": "vcenter"})
    if not st.deals:
        ws.merge_range(r, 0, r, last, "本期没有成交", book.f["text"])
        r += 1
    else:
        total = ["合计", None, None, None, None, st.deal_amount, None, None, st.commission, None, None] + (
            [None] if st.evidence else [])
        for c, value in enumerate(total):
            if value is None:
                ws.write_blank(r, c, None, book.f["total"])
            elif isinstance(value, str):
                ws.write_string(r, c, value, book.f["total"])
            else:
                ws.write_number(r, c, as_json(value), total_money)
        r += 1
    r += 1
    width = sum(w for _n, _f, w in columns)
    for note in NOTES:
        ws.set_row(r, 13 * (1 + int(display_width(note) * 0.9 // width)))  # 9-point lines that fit the merged width
        ws.merge_range(r, 0, r, last, note, wrap)
        r += 1
    r += 1
    ws.write_string(r, 0, "渠道方确认（签章）：", book.f["sub"])
    ws.write_string(r, 6, "我方（签章）：", book.f["sub"])
    ws.write_string(r + 2, 0, "日期：", book.f["sub"])
    ws.write_string(r + 2, 6, "日期：", book.f["sub"])


def _write_lines(book, st: Statement, show_phones: bool) -> None:
    ws = _page(book, SHEET_LINES, st, LINE_COLUMNS)
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
        book.row(ws, 1 + n, LINE_COLUMNS, values)
    if not st.lines:
        ws.merge_range(2, 0, 2, len(LINE_COLUMNS) - 1, "本期没有需要列出的登记", book.f["text"])


# --------------------------------------------------------------------------- html


def context(st: Statement, show_phones: bool = False) -> dict[str, Any]:
    s = st.stats
    return {
        "title": TITLE, "channel": st.channel, "branch": st.branch, "type": st.type, "period": st.period_text,
        "as_of": st.as_of.isoformat(), "basis": st.commission_basis, "default_protection": st.default_protection,
        "totals": [("登记（人）", s.registrations, "其中撞单", s.conflicts), ("有效客户", s.customers, "到访", s.visits),
                   ("成交（套）", s.deals, "成交金额(万元)", money_fmt(s.deal_amount)),
                   ("佣金(万元)", money_fmt(s.commission), "", "")],
        "settlement": [(k, n, money_fmt(v)) for k, (n, v) in st.settlement_totals().items()],
        "deals": [{"name": d.name, "phone": shown_phone(d.phone, show_phones), "deal": d.deal.isoformat(),
                   "property": d.property, "amount": money_fmt(d.amount), "rate": _rate(d.rate),
                   "rate_source": d.rate_source, "commission": money_fmt(d.commission), "due": d.due.isoformat(),
                   "status": d.status, "evidence": d.evidence} for d in st.deals],
        "evidence": st.evidence,
        "deal_amount": money_fmt(st.deal_amount), "commission": money_fmt(st.commission),
        "lines": [{"registered": x.registered.isoformat(), "name": x.name, "phone": shown_phone(x.phone, show_phones),
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


def statement_lines(st: Statement, show_phones: bool = False, limit: int = 60) -> list[str]:
    """The statement as plain lines for a terminal (each within 80 columns for names of usual length)."""
    s = st.stats
    out = [f"{TITLE} · {st.channel}（{st.branch}）",
           f"统计期间：{st.period_text}　依据日期：{st.as_of.isoformat()}",
           f"佣金点位：{st.commission_basis}",
           f"登记 {s.registrations}（撞单 {s.conflicts}）　有效客户 {s.customers}　到访 {s.visits}　成交 {s.deals}"
           f"　成交金额 {money_fmt(s.deal_amount)} 万元　佣金 {money_fmt(s.commission)} 万元",
           "结佣：" + "，".join(f"{k} {n} 笔 {money_fmt(v)} 万元" for k, (n, v) in st.settlement_totals().items())]
    counts = "，".join(f"{k} {v}" for k, v in st.counts().items())
    out.append(f"客户明细 {len(st.lines)} 位" + (f"：{counts}" if counts else ""))
    for line in st.lines[:limit]:
        until = f"保护期至 {line.protected_until.isoformat()}" if line.code in ("protected", "lapsed") else ""
        out.append(f"  {line.registered.isoformat()}  {line.name}  {shown_phone(line.phone, show_phones)}  {line.status}"
                   + (f"  {until}" if until else "") + ("  此前登记" if line.earlier else ""))
    if len(st.lines) > limit:
        out.append(f"  ……还有 {len(st.lines) - limit} 位，见 xlsx/html")
    for d in st.deals[:limit]:
        out.append(f"  成交 {d.deal.isoformat()}  {d.name}  {money_fmt(d.amount)} 万元 × {_rate(d.rate)}% = "
                   f"{money_fmt(d.commission)} 万元  应结 {d.due.isoformat()} {d.status}")
    return out
