"""Terminal output for people (rich). Library objects in, nothing returned."""

from __future__ import annotations

from typing import Any

from qudao.commands._common import esc, out_console, plain
from qudao.labels import SEVERITY_CN
from qudao.money import fmt as money_fmt

SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def reconciliation_mark(t: dict[str, Any]) -> str:
    from qudao.labels import reconciled, reconciliation_line

    return f"{reconciliation_line(t)} {'✔' if reconciled(t) else '✘ 不平衡'}"


def print_validation(reports, totals: dict[str, Any], show_info: bool = False, limit: int = 1000,
                     skipped=(), show_codes: bool = False) -> None:
    """One line per file, then one indented line per finding: where, severity, message (and its code). The
    findings of a copy superseded by a later one are history: only counted on its line (``--all`` lists them)."""
    from rich.text import Text

    console = out_console()
    shown = hidden = history = 0
    for report in reports:
        if report.received_later:
            console.print(Text(f"· {plain(report.path)}  报送日期 {report.copy_date} 晚于依据日期，本次不计", style="dim"))
            continue
        findings = [f for f in sorted(report.findings, key=lambda f: f.sort_key())
                    if show_info or f.severity != "info"]
        if report.superseded_by:
            history += len(report.findings)
            if not show_info:
                findings = []
        mark, style = {"ok": ("✔", "green"), "errors": ("✘", "red"), "unreadable": ("✘", "red"),
                       "unknown": ("?", "red")}[report.status]
        if report.status == "ok" and report.warnings:
            mark, style = "!", "yellow"  # ✔ only for a file without a warning (an empty register is not a pass)
        head = Text()
        head.append(f"{mark} ", style=style)
        head.append(plain(report.path), style="bold")
        head.append(f"  [{report.kind or '未识别'}]  {report.rows_read} 行：接收 {report.rows_accepted}，"
                    f"拒收 {report.rows_rejected}，跳过 {report.rows_skipped}")
        if report.errors or report.warnings:
            head.append(f"（错误 {report.errors}，警告 {report.warnings}）")
        if report.superseded_by:
            head.append(f"  已被 {plain(report.superseded_by.rsplit('/', 1)[-1])} 取代：其中的问题不计入", style="dim")
        console.print(head)
        for f in findings:
            if shown >= limit:
                hidden += 1
                continue
            line = Text("    ")
            line.append(f"{plain(f.where) or '—'}  ")
            line.append(SEVERITY_CN[f.severity], style=SEVERITY_STYLE[f.severity])
            line.append(f"  {plain(f.message)}")
            if show_codes:
                line.append(f"  {f.code}", style="dim")
            console.print(line)
            shown += 1
    if hidden:
        console.print(f"……还有 {hidden} 条未显示；用 --format json 或 --annotate 查看全部")
    for skip in skipped:
        console.print(Text(f"· {plain(skip.display)}  未读取：{plain(skip.message)}", style="dim"))
    console.print()
    console.print(f"共 {totals['files']} 个文件；错误 {totals['errors']}，警告 {totals['warnings']}"
                  + (f"（只计每份表格的最新一份；旧版本中的 {history} 条问题不计入）" if history else "")
                  + (f"；跳过 {len(skipped)} 个非表格文件" if skipped else ""))
    console.print(reconciliation_mark(totals))


RANKING = (("#", ">"), ("渠道", "<"), ("类型", "<"), ("登记", ">"), ("有效客户", ">"), ("到访", ">"), ("成交", ">"),
           ("成交金额", ">"), ("撞单", ">"), ("目标评分", ">"), ("等级", "<"))


def _aligned(rows: list[list[str]], aligns: list[str]) -> list[str]:
    """Rows padded to their columns by terminal cells (a Chinese character is two), two spaces apart."""
    from qudao.text import display_width

    widths = [max(display_width(row[i]) for row in rows) for i in range(len(aligns))]
    out = []
    for row in rows:
        cells = [cell + " " * (w - display_width(cell)) if a == "<" else " " * (w - display_width(cell)) + cell
                 for cell, w, a in zip(row, widths, aligns)]
        out.append("  ".join(cells).rstrip())
    return out


def ranking_lines(channels, width: int) -> list[str]:
    """The channel ranking: one line per channel when it fits ``width``; else each channel's full name on
    a line of its own above its figures — never a name cut short (two channels could then look alike)."""
    from qudao.text import display_width

    rows = [[str(i), r.channel, r.type, str(r.stats.registrations), str(r.stats.customers), str(r.stats.visits),
             str(r.stats.deals), money_fmt(r.stats.deal_amount), str(r.stats.conflicts),
             f"{r.score:.1f}" if r.basis == "target" else "—",
             f"{r.grade}（目标）" if r.basis == "target" else f"{r.grade}（相对）"]
            for i, r in enumerate(channels, start=1)]
    aligns = [a for _h, a in RANKING]
    wide = _aligned([[h for h, _a in RANKING], *rows], aligns)
    if max(display_width(line) for line in wide) <= width:
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


def fit(text: str, width: int, indent: str = "　　") -> list[str]:
    """``text`` cut into lines of at most ``width`` display columns (CJK counts two), the later ones indented;
    cut after a separator where one is near, never inside a number."""
    from qudao.text import display_width

    lines: list[str] = []
    line = ""
    for ch in text:
        if display_width(line + ch) > width and line.strip():
            cut = max(line.rfind(sep) for sep in "，；、 ）")
            head, tail = (line[:cut + 1], line[cut + 1:]) if cut > len(line) // 2 else (line, "")
            lines.append(head.rstrip())
            line = indent + tail.lstrip()
        line += ch
    lines.append(line)
    return lines


def say(console, text: str) -> None:
    """One plain line for people, wrapped to the terminal's width (rich markup is never read from it)."""
    for line in fit(plain(text), console.width):
        console.print(line, markup=False)


def print_summary(summary, written) -> None:
    """KPIs, the top channels, problems and the reconciliation line."""
    from rich.text import Text

    console = out_console()
    t = summary.registers.totals if summary.registers else {}
    console.print(f"[bold]{summary.title}[/bold]  统计期间：{summary.period_text}  依据日期：{summary.as_of.isoformat()}")
    console.print(Text(plain(summary.settings.config_line()), style="dim"))
    if t:
        console.print(f"登记 {t['registrations']}　客户 {t['customers']}（渠道有效 {t['owned_customers']}，自然到访 "
                      f"{t['natural_customers']}）　到访 {t['visits']}　成交 {t['deals']}")
        console.print(f"成交金额 {money_fmt(t['deal_amount_wan'])} 万元　佣金 {money_fmt(t['commission_wan'])} 万元　撞单 "
                      f"{t['conflicts']}" + (f"（待核 {t['possible_conflicts']}）" if t.get("possible_conflicts") else ""))
    if summary.registers and summary.registers.by_channel:
        # the score relative to the period's best channel stays out of this headline (it moves when another
        # channel does better): only scores against a channel's targets are shown, every grade with its basis
        console.print("[bold]渠道排名（前 10）[/bold]")
        for line in ranking_lines(summary.registers.by_channel[:10], console.width):
            console.print(plain(line), markup=False)
        if summary.grade_basis:
            say(console, summary.grade_basis)
    if summary.registers:
        reg = summary.registers
        st = summary.settlement_totals()
        say(console, "结佣：" + "，".join(f"{k} {v['deals']} 笔 {money_fmt(v['commission_wan'])} 万元"
                                        for k, v in st.items()))
        say(console, f"保护期：7 天内到期 {len(reg.expiring)} 位，已到期未到访 {len(reg.ended)} 位")
        defaults = [r.channel for r in reg.by_channel if r.commission_basis.startswith("默认")]
        if defaults:
            say(console, f"　按默认点位计佣（没有匹配的协议）：{'、'.join(defaults)}")
    from qudao.analysis.kinds import sections_in_order

    for section in sections_in_order(summary.kinds):
        if section.headline:
            say(console, section.headline)
    errors = sum(1 for f in summary.findings if f.severity == "error")
    warnings = sum(1 for f in summary.findings if f.severity == "warning")
    attribution = sum(1 for f in summary.findings if f.code.startswith("attribution."))
    say(console, f"问题：错误 {errors} 条，警告 {warnings} 条"
        + (f"（其中撞单等归属检查 {attribution} 条，validate 不做这一项）" if attribution else "")
        + (f"；无法读取的文件 {summary.files_unreadable} 个" if summary.files_unreadable else ""))
    if summary.history:
        say(console, f"　只计每份表格的最新一份：旧版本中的 {summary.history} 条问题已被后续报送取代，不计入")
    if summary.skipped:
        say(console, f"　跳过 {len(summary.skipped)} 个非表格文件：" + "；".join(
            f"{s.display}（{s.message}）" for s in summary.skipped[:5]) + ("……" if len(summary.skipped) > 5 else ""))
    if summary.top_problems(5):
        from qudao.findings import CODES
        from qudao.text import display_width

        lines = [""]
        for code, _s, n in summary.top_problems(5):  # whole items per line: a title is never cut
            item = f"{CODES.get(code, ('', code))[1]} {n}"
            if lines[-1] and display_width(f"{lines[-1]}；{item}") > console.width - 12:
                lines[-1] += "；"
                lines.append("")
            lines[-1] += f"；{item}" if lines[-1] else item
        for i, line in enumerate(lines):
            console.print(("　主要问题：" if i == 0 else " " * 12) + line, markup=False)
    console.print(("[green]✔[/green] " if summary.reconciled else "[red]✘[/red] ") + esc(summary.reconciliation))
    for path in written:
        console.print(plain(f"已写入：{path}"), markup=False)  # a path is never cut


def print_assessment(a, written) -> None:
    """The assessment on screen: status, one line per channel, the branches, what was written."""
    from rich.table import Table
    from rich.text import Text

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
            table.add_row(Text(plain(c["channel"])), Text(plain(c["branch"])), c["quantitative"], c["qualitative"], c["total"], result,
                          c["action"], " ".join(x for x in (c["previous_total"], c["previous_result"]) if x),
                          Text(plain(c["notes"])))
        console.print(table)
    for b in ctx["branches"]:
        dev = b["dev"]
        new = (f"新拓展渠道 {dev['actual']}/{dev['target'] or '—'}" if dev["actual"] != "" else "未收到渠道拓展表")
        say(console, f"　{b['branch']}：{b['channels']} 个渠道，优秀 {b['results'][0]}，合格 {b['results'][1]}，"
                      f"不合格 {b['results'][2]}，未评定 {b['results'][3]}；平均总分 {b['average'] or '—'}；{new}")
    problems = a.plan_findings()
    if problems:
        console.print(f"目标表、评分表的问题 {len(problems)} 条（qudao validate 查看逐格明细）")
    console.print(("[green]✔[/green] " if "✘" not in a.reconciliation else "") + a.reconciliation)
    for path in written:
        console.print(plain(f"已写入：{path}"), markup=False)  # a path is never cut
