"""Rules of the 意向客户登记表 beyond what the schema declares."""

from __future__ import annotations

import datetime as _dt

from qudao.findings import Finding, make, row_place
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


def row_channel(report: FileReport, ctx: Context) -> None:
    """channel.row_mismatch (#20 item 7): a row whose 渠道名称 names another partner than its register's header
    block. The same partner in another spelling (its legal name, a city prefix) is no mismatch (rule 5)."""
    from qudao.channels import Directory

    settings = ctx.settings
    for table in report.tables_for(SHEET):
        header = table.block.get("渠道名称") or report.block.get("渠道名称")
        if not header or "渠道名称" not in table.columns:
            continue
        directory = Directory([settings.canonical_channel(header)], settings)
        for row in table.rows:
            written = row.values.get("渠道名称")
            if row.rejected or not written or directory.resolve(written).resolved:
                continue
            ctx.add("channel.row_mismatch",
                    f"本行的渠道名称「{written}」与表头的渠道名称「{header}」不是同一渠道：本行按「{written}」计，"
                    "请核对（一个渠道的登记表只应登记本渠道的客户；汇总多个渠道时表头的渠道名称请留空）",
                    sheet=table.sheet, cell=table.cell("渠道名称", row.number), row=row.number, column="渠道名称",
                    value=written)


def note_held(report: FileReport, ctx: Context) -> None:
    """The registrations this copy still holds in rows that were rejected (rule 1: a row with an error is not a
    withdrawal — the earlier copy's values stand until it is fixed): (channel, customer key, name) per rejected
    row (and the copy's date); the key is None when the phone itself could not be read (the name is matched)."""
    from qudao.check.series import copy_date

    canonical = ctx.settings.canonical_channel
    held = []
    for table in report.tables_for(SHEET):
        channel = table.block.get("渠道名称") or report.block.get("渠道名称") or ""
        day = table.block.get("报送日期") or report.block.get("报送日期")  # as analysis.register dates its rows
        if not isinstance(day, _dt.date):
            day = copy_date(report) or _dt.date.min
        for row in table.rows:
            if not row.rejected:
                continue
            v = row.values
            phone, name = v.get("联系电话"), v.get("客户姓名") or ""
            if not phone and not name:
                continue
            held.append((canonical(v.get("渠道名称") or channel), customer_key(phone, name) if phone else None,
                         name_key(name).replace(" ", ""), day, table.sheet, row.number))
    report.facts["held"] = held


def spellings(reports: list[FileReport], settings) -> dict[str, tuple]:
    """Every spelling of a channel the registers write (header blocks and 渠道名称 cells, through the aliases)
    → (date of the first copy writing it, its order): the first seen names the channel (rule 5)."""
    from qudao.check.series import copy_date

    out: dict[str, tuple] = {}
    for report in reports:
        if report.kind != "register":
            continue
        rank = (copy_date(report) or _dt.date.max, report.order)
        for name in report.facts.get("channels", ()):
            if name not in out or rank < out[name]:
                out[name] = rank
    return out


def channel_names(reports: list[FileReport], settings) -> dict[str, str]:
    """spelling → the channel's name, for the registers' spellings of one partner (channels.unify)."""
    from qudao.channels import unify

    return unify(spellings(reports, settings))[0]


def channel_spellings(reports: list[FileReport], options) -> list[Finding]:
    """channel.matched (info): a register spelling counted as a channel written otherwise elsewhere (a legal
    name in a header: one channel, never a conflict with itself); channel.unmatched: a short name that may be
    several channels (counted on its own until an alias says which). On the latest copy writing it."""
    from qudao.channels import unify
    from qudao.config import Settings

    settings = options.extra.get("settings") or Settings()
    ranks = spellings(reports, settings)
    names, ambiguous = unify(ranks)
    latest: dict[str, FileReport] = {}
    for report in reports:
        if report.kind == "register":
            for name in report.facts.get("channels", ()):
                if name not in latest or (latest[name].copy_date or _dt.date.min, latest[name].order) < (
                        report.copy_date or _dt.date.min, report.order):
                    latest[name] = report
    out = []
    for written, channel in sorted(names.items()):
        report = latest[written]
        out.append(make("channel.matched", f"登记表中的渠道名称「{written}」与「{channel}」是同一渠道，合并计算"
                        f"（按最早使用的名称「{channel}」）；如不是同一渠道，请在 qudao.toml 的 [channels] aliases 中写明",
                        file=report.path, column="渠道名称", value=written))
    for written, candidates in ambiguous:
        report = latest[written]
        out.append(make("channel.unmatched", f"登记表中的渠道名称「{written}」可能是以下任一渠道：{'、'.join(candidates)}；"
                        "无法确定，按单独的渠道统计。请写全称，或在 qudao.toml 的 [channels] aliases 中写明",
                        file=report.path, column="渠道名称", value=written))
    return out


ROW_RULES = {SHEET: (deal_complete, deal_visit)}
FILE_RULES = (channel_known, not_empty, duplicates, single_channel, row_channel, note_channels, note_held)
CROSS_RULES = (channel_spellings,)
