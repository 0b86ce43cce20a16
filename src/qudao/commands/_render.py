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
        if report.status == "ok" and report.warnings:
            mark, style = "!", "yellow"  # ✔ only for a file without a warning (an empty register is not a pass)
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


RANKING = (("#", ">"), ("渠道", "<"), ("类型", "<"), ("登记", ">"), ("有效客户", ">"), ("到访", ">"), ("成交", ">"),
           ("成交金额", ">"), ("撞单", ">"), ("评分", ">"), ("等级", "<"))


def _aligned(rows: list[list[str]], aligns: list[str]) -> list[str]:
    """Rows padded to their columns by terminal cells (a Chinese character is two), two spaces apart."""
    from qudao.zh import text_width

    widths = [max(text_width(row[i]) for row in rows) for i in range(len(aligns))]
    out = []
    for row in rows:
        cells = [cell + " " * (w - text_width(cell)) if a == "<" else " " * (w - text_width(cell)) + cell
                 for cell, w, a in zip(row, widths, aligns)]
        out.append("  ".join(cells).rstrip())
    return out


def ranking_lines(channels, width: int) -> list[str]:
    """The channel ranking: one line per channel when it fits ``width``; else each channel's full name on
    a line of its own above its figures — never a name cut short (two channels could then look alike)."""
    from qudao.zh import text_width

    rows = [[str(i), r.channel, r.type, str(r.stats.registrations), str(r.stats.customers), str(r.stats.visits),
             str(r.stats.deals), f"{r.stats.deal_amount:,.2f}", str(r.stats.conflicts), f"{r.score:.1f}", r.grade]
            for i, r in enumerate(channels, start=1)]
    aligns = [a for _h, a in RANKING]
    wide = _aligned([[h for h, _a in RANKING], *rows], aligns)
    if max(text_width(line) for line in wide) <= width:
        return wide
    head = [h if h != "渠道" else "" for h, _a in RANKING]
    head[2] = "渠道 / 类型"
    narrow = _aligned([[c for i, c in enumerate(row) if i != 1] for row in [head, *rows]],
                      [a for i, a in enumerate(aligns) if i != 1])
    out = [narrow[0]]
    pad = max(len(row[0]) for row in rows) + 2
    for row, line in zip(rows, narrow[1:]):
        out.append(f"{row[0]:>{pad - 2}}  {row[1]}")
        out.append(" " * pad + line[pad:])
    return out


def print_summary(summary, written) -> None:
    """KPIs, the top channels, problems and the reconciliation line."""
    console = out_console()
    t = summary.registers.totals if summary.registers else {}
    console.print(f"[bold]{summary.title}[/bold]  统计期间：{summary.period_text}  依据日期：{summary.as_of.isoformat()}")
    if t:
        console.print(f"登记 {t['registrations']}　客户 {t['customers']}（渠道有效 {t['owned_customers']}，自然到访 "
                      f"{t['natural_visits']}）　到访 {t['visits']}　成交 {t['deals']}")
        console.print(f"成交金额 {t['deal_amount_wan']:,.2f} 万元　佣金 {t['commission_wan']:,.2f} 万元　撞单 "
                      f"{t['conflicts']}" + (f"（待核 {t['possible_conflicts']}）" if t.get("possible_conflicts") else ""))
    if summary.registers and summary.registers.by_channel:
        console.print("[bold]渠道排名（前 10）[/bold]")
        for line in ranking_lines(summary.registers.by_channel[:10], console.width):
            console.print(line, markup=False)
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
        from qudao.zh import text_width

        lines = [""]
        for code, _s, n in summary.top_problems(5):  # whole items per line: a title is never cut
            item = f"{CODES.get(code, ('', code))[1]} {n}"
            if lines[-1] and text_width(f"{lines[-1]}；{item}") > console.width - 12:
                lines[-1] += "；"
                lines.append("")
            lines[-1] += f"；{item}" if lines[-1] else item
        for i, line in enumerate(lines):
            console.print(("　主要问题：" if i == 0 else " " * 12) + line, markup=False)
    console.print(("[green]✔[/green] " if summary.reconciled else "[red]✘[/red] ") + summary.reconciliation)
    for path in written:
        console.print(f"已写入：{path}")
