"""Terminal output for people (rich). Library objects in, nothing returned."""

from __future__ import annotations

from typing import Any

from qudao.commands._common import out_console
from qudao.labels import SEVERITY_CN
from qudao.money import fmt as money_fmt

SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def reconciliation_mark(t: dict[str, Any]) -> str:
    from qudao.labels import reconciled, reconciliation_line

    return f"{reconciliation_line(t)} {'✔' if reconciled(t) else '✘ 不平衡'}"


def print_validation(reports, totals: dict[str, Any], show_info: bool = False, limit: int = 1000,
                     skipped=()) -> None:
    """One line per file, then one indented line per finding: where, severity, message, code. The findings
    of a copy superseded by a later one are history: only counted on its line (``--all`` lists them)."""
    from rich.text import Text

    console = out_console()
    shown = hidden = history = 0
    for report in reports:
        if report.received_later:
            console.print(f"· {report.path}  报送日期 {report.copy_date} 晚于依据日期，本次不计", style="dim")
            continue
        findings = [f for f in sorted(report.findings, key=lambda f: f.sort_key())
                    if show_info or f.severity != "info"]
        if report.superseded_by:
            history += len(report.findings)
            if not show_info:
                findings = []
        mark, style = {"ok": ("✔", "green"), "errors": ("✘", "red"), "unreadable": ("✘", "red"),
                       "unknown": ("?", "red")}[report.status]
        head = Text()
        head.append(f"{mark} ", style=style)
        head.append(report.path, style="bold")
        head.append(f"  [{report.kind or '未识别'}]  {report.rows_read} 行：接收 {report.rows_accepted}，"
                    f"拒收 {report.rows_rejected}，跳过 {report.rows_skipped}")
        if report.errors or report.warnings:
            head.append(f"（错误 {report.errors}，警告 {report.warnings}）")
        if report.superseded_by:
            head.append(f"  已被 {report.superseded_by.rsplit('/', 1)[-1]} 取代：其中的问题不计入", style="dim")
        console.print(head)
        for f in findings:
            if shown >= limit:
                hidden += 1
                continue
            line = Text("    ")
            line.append(f"{f.where or '—'}  ")
            line.append(SEVERITY_CN[f.severity], style=SEVERITY_STYLE[f.severity])
            line.append(f"  {f.message}  ")
            line.append(f.code, style="dim")
            console.print(line)
            shown += 1
    if hidden:
        console.print(f"……还有 {hidden} 条未显示；用 --format json 或 --annotate 查看全部")
    for skip in skipped:
        console.print(f"· {skip.display}  未读取：{skip.message}", style="dim")
    console.print()
    console.print(f"共 {totals['files']} 个文件；错误 {totals['errors']}，警告 {totals['warnings']}"
                  + (f"（只计每份表格的最新一份；旧版本中的 {history} 条问题不计入）" if history else "")
                  + (f"；跳过 {len(skipped)} 个非表格文件" if skipped else ""))
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
            f"{t.get('natural_customers', t['natural_visits'])}）　到访 {t['visits']}　成交 {t['deals']}　成交金额 {t['deal_amount_wan']:,.2f} 万元"
            f"　佣金 {t['commission_wan']:,.2f} 万元　撞单 {t['conflicts']}"
            + (f"（待核 {t['possible_conflicts']}）" if t.get("possible_conflicts") else ""))
    if summary.registers and summary.registers.by_channel:
        # the score relative to the period's best channel stays out of this headline (it moves when another
        # channel does better): only scores against a channel's targets are shown, every grade with its basis
        table = Table(title="渠道排名（前 10）", title_justify="left", header_style="bold", box=None)
        for name, justify in (("#", "right"), ("渠道", "left"), ("类型", "left"), ("登记", "right"),
                              ("有效客户", "right"), ("到访", "right"), ("成交", "right"), ("成交金额", "right"),
                              ("撞单", "right"), ("目标评分", "right"), ("等级", "left")):
            table.add_column(name, justify=justify)
        for i, r in enumerate(summary.registers.by_channel[:10], start=1):
            s = r.stats
            targeted = r.basis == "target"
            table.add_row(str(i), r.channel, r.type, str(s.registrations), str(s.customers), str(s.visits),
                          str(s.deals), money_fmt(s.deal_amount), str(s.conflicts), f"{r.score:.1f}" if targeted else "—",
                          f"{r.grade}（目标 {r.target_period}）" if targeted else f"{r.grade}（相对）")
        console.print(table)
        if summary.grade_basis:
            console.print(summary.grade_basis)
    if summary.registers:
        reg = summary.registers
        st = summary.settlement_totals()
        console.print("结佣：" + "，".join(f"{k} {v['deals']} 笔 {v['commission_wan']:,.2f} 万元" for k, v in st.items())
                      + f"　保护期：7 天内到期 {len(reg.expiring)} 位，已到期未到访 {len(reg.ended)} 位")
        defaults = [r.channel for r in reg.by_channel if r.commission_basis.startswith("默认")]
        if defaults:
            console.print(f"　按默认点位计佣（没有匹配的协议）：{'、'.join(defaults)}")
    from qudao.analysis.kinds import sections_in_order

    for section in sections_in_order(summary.kinds):
        if section.headline:
            console.print(section.headline)
    errors = sum(1 for f in summary.findings if f.severity == "error")
    warnings = sum(1 for f in summary.findings if f.severity == "warning")
    attribution = sum(1 for f in summary.findings if f.code.startswith("attribution."))
    console.print(f"问题：错误 {errors} 条，警告 {warnings} 条"
                  + (f"（其中撞单等归属检查 {attribution} 条，validate 不做这一项）" if attribution else "")
                  + (f"；无法读取的文件 {summary.files_unreadable} 个" if summary.files_unreadable else ""))
    if summary.history:
        console.print(f"　只计每份表格的最新一份：旧版本中的 {summary.history} 条问题已被后续报送取代，不计入")
    if summary.skipped:
        console.print(f"　跳过 {len(summary.skipped)} 个非表格文件：" + "；".join(
            f"{s.display}（{s.message}）" for s in summary.skipped[:5]) + ("……" if len(summary.skipped) > 5 else ""))
    if summary.top_problems(5):
        from qudao.findings import CODES

        console.print("　主要问题：" + "；".join(f"{CODES.get(code, ('', code))[1]} {n}" for code, _s, n in
                                           summary.top_problems(5)))
    console.print(("[green]✔[/green] " if summary.reconciled else "[red]✘[/red] ") + summary.reconciliation)
    for path in written:
        console.print(f"已写入：{path}")


def print_assessment(a, written) -> None:
    """The assessment on screen: status, one line per channel, the branches, what was written."""
    from rich.table import Table

    from qudao.report.assess import context, title_of

    ctx = context(a)
    console = out_console()
    console.print(f"[bold]{title_of(a)}[/bold]")
    console.print(a.status_line())
    console.print("结果：" + "，".join(f"{k} {v}" for k, v in a.counts().items()))
    if ctx["channels"]:
        table = Table(title_justify="left", header_style="bold", box=None)
        for name, justify in (("渠道", "left"), ("分所", "left"), ("定量", "right"), ("定性", "right"),
                              ("总分", "right"), ("结果", "left"), ("措施", "left"),
                              (f"上期{'（' + ctx['previous'] + '）' if ctx['previous'] else ''}", "right"),
                              ("说明", "left")):
            table.add_column(name, justify=justify)
        style = {"ok": "green", "bad": "red"}
        for c in ctx["channels"]:
            result = f"[{style[c['css']]}]{c['result']}[/]" if c["css"] else c["result"]
            table.add_row(c["channel"], c["branch"], c["quantitative"], c["qualitative"], c["total"], result,
                          c["action"], " ".join(x for x in (c["previous_total"], c["previous_result"]) if x),
                          c["notes"])
        console.print(table)
    for b in ctx["branches"]:
        dev = b["dev"]
        new = (f"新拓展渠道 {dev['actual']}/{dev['target'] or '—'}" if dev["actual"] != "" else "未收到渠道拓展表")
        console.print(f"　{b['branch']}：{b['channels']} 个渠道，优秀 {b['results'][0]}，合格 {b['results'][1]}，"
                      f"不合格 {b['results'][2]}，未评定 {b['results'][3]}；平均总分 {b['average'] or '—'}；{new}")
    problems = a.plan_findings()
    if problems:
        console.print(f"目标表、评分表的问题 {len(problems)} 条（qudao validate 查看逐格明细）")
    console.print(("[green]✔[/green] " if "✘" not in a.reconciliation else "") + a.reconciliation)
    for path in written:
        console.print(f"已写入：{path}")
