"""Terminal output for people (rich). Library objects in, nothing returned."""

from __future__ import annotations

from typing import Any

from qudao.commands._common import out_console
from qudao.labels import SEVERITY_CN

SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def reconciliation_mark(t: dict[str, Any]) -> str:
    from qudao.labels import reconciled, reconciliation_line

    return f"{reconciliation_line(t)} {'✔' if reconciled(t) else '✘ 不平衡'}"


def print_validation(reports, totals: dict[str, Any], show_info: bool = False, limit: int = 1000,
                     show_codes: bool = False) -> None:
    """One line per file, then one indented line per finding: where, severity, message (and its code)."""
    from rich.text import Text

    console = out_console()
    shown = hidden = 0
    for report in reports:
        findings = [f for f in sorted(report.findings, key=lambda f: f.sort_key())
                    if show_info or f.severity != "info"]
        mark, style = {"ok": ("✔", "green"), "errors": ("✘", "red"), "unreadable": ("✘", "red"),
                       "unknown": ("?", "red")}[report.status]
        head = Text()
        head.append(f"{mark} ", style=style)
        head.append(report.path, style="bold")
        head.append(f"  [{report.kind or '未识别'}]  {report.rows_read} 行：接收 {report.rows_accepted}，"
                    f"拒收 {report.rows_rejected}，跳过 {report.rows_skipped}")
        if report.errors or report.warnings:
            head.append(f"（错误 {report.errors}，警告 {report.warnings}）")
        console.print(head)
        for f in findings:
            if shown >= limit:
                hidden += 1
                continue
            line = Text("    ")
            line.append(f"{f.where or '—'}  ")
            line.append(SEVERITY_CN[f.severity], style=SEVERITY_STYLE[f.severity])
            line.append(f"  {f.message}")
            if show_codes:
                line.append(f"  {f.code}", style="dim")
            console.print(line)
            shown += 1
    if hidden:
        console.print(f"……还有 {hidden} 条未显示；用 --format json 或 --annotate 查看全部")
    console.print()
    console.print(f"共 {totals['files']} 个文件；错误 {totals['errors']}，警告 {totals['warnings']}")
    console.print(reconciliation_mark(totals))


def print_summary(summary, written) -> None:
    """KPIs, the top channels, problems and the reconciliation line."""
    from rich.table import Table

    console = out_console()
    t = summary.registers.totals if summary.registers else {}
    p = summary.period
    period = f"{p.start.isoformat() if p.start else '最早'} 至 {p.end.isoformat() if p.end else '最新'}"
    console.print(f"[bold]{summary.title}[/bold]  统计期间：{period}  依据日期：{summary.as_of.isoformat()}")
    if t:
        console.print(
            f"登记 {t['registrations']}　客户 {t['customers']}（渠道有效 {t['owned_customers']}，自然到访 "
            f"{t['natural_visits']}）　到访 {t['visits']}　成交 {t['deals']}　成交金额 {t['deal_amount_wan']:,.2f} 万元"
            f"　佣金 {t['commission_wan']:,.2f} 万元　撞单 {t['conflicts']}"
            + (f"（待核 {t['possible_conflicts']}）" if t.get("possible_conflicts") else ""))
    if summary.registers and summary.registers.by_channel:
        table = Table(title="渠道排名（前 10）", title_justify="left", header_style="bold", box=None)
        for name, justify in (("#", "right"), ("渠道", "left"), ("类型", "left"), ("登记", "right"),
                              ("有效客户", "right"), ("到访", "right"), ("成交", "right"), ("成交金额", "right"),
                              ("撞单", "right"), ("评分", "right"), ("等级", "left")):
            table.add_column(name, justify=justify)
        for i, r in enumerate(summary.registers.by_channel[:10], start=1):
            s = r.stats
            table.add_row(str(i), r.channel, r.type, str(s.registrations), str(s.customers), str(s.visits),
                          str(s.deals), f"{s.deal_amount:,.2f}", str(s.conflicts), f"{r.score:.1f}", r.grade)
        console.print(table)
    from qudao.analysis.kinds import sections_in_order

    for section in sections_in_order(summary.kinds):
        if section.headline:
            console.print(section.headline)
    errors = sum(1 for f in summary.findings if f.severity == "error")
    warnings = sum(1 for f in summary.findings if f.severity == "warning")
    console.print(f"问题：错误 {errors} 条，警告 {warnings} 条"
                  + (f"；无法读取的文件 {summary.files_unreadable} 个" if summary.files_unreadable else ""))
    if summary.top_problems(5):
        from qudao.findings import CODES

        console.print("　主要问题：" + "；".join(f"{CODES.get(code, ('', code))[1]} {n}" for code, _s, n in
                                           summary.top_problems(5)))
    console.print(("[green]✔[/green] " if summary.reconciled else "[red]✘[/red] ") + summary.reconciliation)
    for path in written:
        console.print(f"已写入：{path}")
