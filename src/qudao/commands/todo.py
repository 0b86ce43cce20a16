"""``qudao todo PATH… [--owner NAME | --branch NAME]`` — the week's to-do list (本周待办)."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from qudao.commands._common import check_outputs, load_settings, parse_day, progress_reporter
from qudao.commands._options import (
    AsOfOption,
    ConfigOption,
    ForceOption,
    QuietOption,
    ShowPhonesOption,
    WorkersOption,
)


def todo(
    paths: List[Path] = typer.Argument(..., metavar="文件", help="文件或文件夹（登记表、工作进程反馈表、渠道拓展表、协议台账……；文件夹会递归读取）"),
    owner: Optional[str] = typer.Option(None, "--owner", metavar="姓名", help="只列出这位跟进人的待办（如 王芳）"),
    branch: Optional[str] = typer.Option(None, "--branch", metavar="分所", help="只列出这个分所的待办（如 拉萨分所）"),
    days: Optional[int] = typer.Option(None, "--days", metavar="天数", help="保护期几天内到期算“将到”（默认取 qudao.toml 的 "
                                       "attribution.expiring_warn_days，7 天）"),
    output: Optional[Path] = typer.Option(None, "-o", "--output", metavar="文件", help="待办清单 .xlsx（A4 横向）"),
    html: Optional[Path] = typer.Option(None, "--html", metavar="文件", help="网页版 .html（A4 横向，可打印）"),
    md: Optional[Path] = typer.Option(None, "--md", metavar="文件", help="Markdown .md"),
    config: ConfigOption = None,
    as_of: AsOfOption = None,
    show_phones: ShowPhonesOption = False,
    force: ForceOption = False,
    quiet: QuietOption = False,
    workers: WorkersOption = None,
) -> None:
    """本周待办：按跟进人和分所列出本周要做的事——保护期将到和刚过未到访的客户、到期或逾期的客户跟进（取最新一份工作进程
    反馈表）、拜访次数落后的渠道、30 天内到期的协议、上周报送而最近一周没有收到的表格。

    还列出过了应结日期仍未结清的佣金（结佣逾期，按结佣台账核对）。“本周”是依据日期所在的一周；保护期按登记日期有效的协议
    计算，与 qudao summarize 相同。没有写明跟进人的事项只列在
    分所清单中（标为“未指定”）。退出码：0 完成；1 有行被拒收或文件无法读取（清单照常生成）；2 无法执行（跟进人或
    分所找不到等）。
    """
    from qudao.analysis.todo import UnknownName, pick
    from qudao.config import check_days
    from qudao.check.engine import collect
    from qudao.errors import UsageError
    from qudao.jobs.todo import run_todo, write_todo
    from qudao.report.todo import todo_lines

    if owner is not None and branch is not None:
        raise UsageError("--owner 和 --branch 只能选一个")
    problem = check_days(days) if days is not None else None
    if problem:
        raise UsageError(f"--days {problem}")
    check_outputs(((output, ".xlsx"), (html, ".html"), (md, ".md")), force)
    day = parse_day(as_of, "--as-of")
    settings = load_settings(config)
    inputs = collect(paths)
    advance, close = progress_reporter(len(inputs), quiet=quiet)
    try:
        result = run_todo(inputs, settings=settings, as_of=day, horizon=days, workers=workers, progress=advance)
    finally:
        close()
    try:
        chosen = pick(result.todo, owner=owner, branch=branch)
    except UnknownName as exc:
        raise UsageError(str(exc)) from None
    if branch is not None and chosen.scope != branch.strip():
        typer.echo(f"「{branch.strip()}」对应分所「{chosen.scope}」", err=True)  # said, as a short channel name is
    written = write_todo(chosen, output, html, md, force=force, show_phones=show_phones)
    if not quiet:
        from qudao.commands._lines import echo_lines

        echo_lines([*todo_lines(chosen, show_phones), *(f"已写入：{path}" for path in written)])
    if result.has_errors:
        raise typer.Exit(1)
