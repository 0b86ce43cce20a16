"""Rules of the 意向客户登记表 beyond what the schema declares."""

from __future__ import annotations

from qudao.findings import row_place
from qudao.normalize import name_key
from qudao.records import Context, FileReport, ParsedTable, Row

SHEET = "意向客户登记"
DEAL_FIELDS = ("成交日期", "成交楼盘", "成交金额(万元)")


def customer_key(phone: str, name: str | None) -> tuple[str, ...]:
    """How a customer is identified: the phone; a masked phone with the name."""
    if "*" in phone:
        return ("masked", phone, name_key(name or "").replace(" ", ""))
    return ("phone", phone)


def deal_complete(table: ParsedTable, row: Row, ctx: Context) -> bool:
    """deal.incomplete: 成交日期, 成交楼盘 and 成交金额 go together."""
    get = row.values.get
    flags = (get("成交日期") is not None, get("成交楼盘") is not None, get("成交金额(万元)") is not None)
    if flags[0] == flags[1] == flags[2]:
        return False
    present = dict(zip(DEAL_FIELDS, flags))
    if any(f in row.bad for f in DEAL_FIELDS):
        return False  # a value that failed to parse is already an error; do not report it twice
    missing = [f for f, ok in present.items() if not ok]
    given = [f for f, ok in present.items() if ok]
    target = missing[0]
    ctx.add("deal.incomplete",
            f"成交信息不全：填了「{'」「'.join(given)}」，还缺「{'」「'.join(missing)}」",
            sheet=table.sheet, cell=table.cell(target, row.number), row=row.number,
            column=target)
    return True


def deal_visit(table: ParsedTable, row: Row, ctx: Context) -> bool:
    """deal.no_visit: a deal without a visit date is a warning."""
    if row.values.get("成交日期") is not None and row.values.get("到访日期") is None and not row.rejected:
        ctx.add("deal.no_visit", "有成交日期但没有到访日期，请补填到访日期",
                sheet=table.sheet, cell=table.cell("到访日期", row.number), row=row.number,
                column="到访日期")
    return False


def channel_known(report: FileReport, ctx: Context) -> None:
    """Every registration needs a channel: the row's 渠道名称, else its sheet's or the file's header block."""
    for table in report.tables_for(SHEET):
        if table.block.get("渠道名称") or report.block.get("渠道名称"):
            continue
        lacking = [r for r in table.rows if not r.values.get("渠道名称")]
        if not lacking:
            continue
        if "渠道名称" in table.columns:
            for row in lacking:
                if row.rejected:
                    continue
                ctx.add("value.required", "「渠道名称」为空，表头也没有填写渠道名称，无法确定是哪个渠道登记的",
                        sheet=table.sheet, cell=table.cell("渠道名称", row.number), row=row.number,
                        column="渠道名称")
                row.rejected = True
        else:
            cell = table.block_cells.get("渠道名称", "")
            ctx.add("value.required",
                    f"表头「渠道名称：」没有填写，表中也没有「渠道名称」列，本表 {len(lacking)} 行都无法接收",
                    sheet=table.sheet, cell=cell, column="渠道名称")
            for row in lacking:
                row.rejected = True


def single_channel(report: FileReport, ctx: Context) -> None:
    """A register without 渠道名称 in its header block whose rows all name the same channel (a CSV export
    with a 渠道名称 column) is that channel's register: the name fills the block, so the copy belongs to
    the channel's series (docs/time.md)."""
    if report.block.get("渠道名称"):
        return
    names = {r.values.get("渠道名称") for t in report.tables_for(SHEET) for r in t.rows if not r.rejected}
    if len(names) == 1 and None not in names:
        report.block["渠道名称"] = names.pop()


def not_empty(report: FileReport, ctx: Context) -> None:
    """register.empty: a register without one data row is a warning, never a silent pass."""
    tables = report.tables_for(SHEET)
    if not tables or any(t.rows for t in tables):
        return
    first = tables[0]
    ctx.add("register.empty", "登记表里没有客户行（只有表头）；本周没有新客户也请确认报送的是不是正确的文件",
            sheet=first.sheet, cell=f"A{first.header_row + 1}" if first.header_row else "",
            row=first.header_row + 1 if first.header_row else None)


def duplicates(report: FileReport, ctx: Context) -> None:
    """register.duplicate: the same customer twice for one channel in one file (on any of its sheets)."""
    seen: dict[tuple, tuple[str, int]] = {}
    for table in report.tables_for(SHEET):
        default_channel = table.block.get("渠道名称") or report.block.get("渠道名称") or ""
        for row in table.rows:
            phone = row.values.get("联系电话")
            if row.rejected or not phone:
                continue
            key = (row.values.get("渠道名称") or default_channel, *customer_key(phone, row.values.get("客户姓名")))
            first = seen.setdefault(key, (table.sheet, row.number))
            if first != (table.sheet, row.number):
                ctx.add("register.duplicate", f"与{row_place(first, table.sheet)}是同一渠道的同一客户，按一次登记合并计算",
                        sheet=table.sheet, cell=table.cell("联系电话", row.number), row=row.number,
                        column="联系电话", value=phone)


def note_channels(report: FileReport, ctx: Context) -> None:
    """The channels this register names (canonical), for the rules that compare files (channel.unknown):
    noted here because the rows are released once they became attribution submissions."""
    canonical = ctx.settings.canonical_channel
    names = {canonical(report.block.get("渠道名称") or "")}
    for table in report.tables_for(SHEET):
        names.add(canonical(table.block.get("渠道名称") or ""))
        names.update(canonical(r.values["渠道名称"]) for r in table.rows if r.values.get("渠道名称"))
    report.facts["channels"] = sorted(n for n in names if n)


ROW_RULES = {SHEET: (deal_complete, deal_visit)}
FILE_RULES = (channel_known, not_empty, duplicates, single_channel, note_channels)
