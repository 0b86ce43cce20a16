"""``qudao summarize PATH…`` — the 渠道汇总分析表 and the other kinds' roll-ups."""

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


def summarize(
    paths: List[Path] = typer.Argument(..., metavar="文件", help="文件或文件夹（文件夹会递归读取）"),
    output: Optional[Path] = typer.Option(None, "-o", "--output", metavar="文件", help="渠道汇总分析表 .xlsx"),
    html: Optional[Path] = typer.Option(None, "--html", metavar="文件", help="网页版报告 .html"),
    md: Optional[Path] = typer.Option(None, "--md", metavar="文件", help="Markdown 报告 .md"),
    png: Optional[Path] = typer.Option(None, "--png", metavar="文件",
                                       help="手机看的图片 .png（关键指标和渠道前 5 名，发微信群用）"),
    by_branch: Optional[Path] = typer.Option(None, "--by-branch", metavar="文件夹",
                                             help="每个分所一份报告（.xlsx、.html、.png）写到这个文件夹，"
                                                  "只含该分所的渠道和客户"),
    json_path: Optional[Path] = typer.Option(None, "--json", metavar="文件", help="JSON 结果（字段见文档）；- 表示输出到屏幕"),
    date_from: Optional[str] = typer.Option(None, "--from", metavar="日期", help="统计起始日期（含）"),
    date_to: Optional[str] = typer.Option(None, "--to", metavar="日期", help="统计截止日期（含）"),
    config: ConfigOption = None,
    protection_days: Optional[int] = typer.Option(None, "--protection-days", help="保护期天数（覆盖配置）"),
    as_of: AsOfOption = None,
    show_phones: ShowPhonesOption = False,
    force: ForceOption = False,
    quiet: QuietOption = False,
    workers: WorkersOption = None,
) -> None:
    """汇总各分所、各渠道的表格：归属、撞单、漏斗、排名、问题清单。

    退出码：0 全部接收；1 有行被拒收或文件无法读取（报告照常生成）；2 无法执行。
    """
    from qudao.check.engine import collect
    from qudao.commands._render import print_summary
    from qudao.errors import UsageError
    from qudao.jobs.summarize import run_summary
    from qudao.write.atomic import check_target, is_stdout

    start, end = parse_day(date_from, "--from"), parse_day(date_to, "--to")
    if start and end and start > end:
        raise UsageError("--from 不能晚于 --to")
    check_outputs(((output, ".xlsx"), (html, ".html"), (md, ".md"), (png, ".png"), (json_path, "")), force)
    to_screen = is_stdout(json_path)  # --json - (or /dev/stdout): the JSON alone on standard output
    if by_branch is not None and by_branch.exists() and not by_branch.is_dir():
        raise UsageError(f"--by-branch 应为文件夹：{by_branch}")
    day = parse_day(as_of, "--as-of")
    settings = load_settings(config, protection_days)
    inputs = collect(paths)
    advance, close = progress_reporter(len(inputs), quiet=quiet or to_screen)
    try:
        result = run_summary(inputs, settings=settings, start=start, end=end, as_of=day, show_phones=show_phones,
                             workers=workers, progress=advance,
                             details=output is not None or by_branch is not None)  # a 明细 sheet is written
    finally:
        close()
    summary = result.summary
    plan = None
    if by_branch is not None:  # which branches get reports, decided (and said in the findings) before writing
        from qudao.jobs.share import BRANCH_FORMATS, branch_findings, branch_plan

        plan = branch_plan(summary, summary.title, by_branch)
        for name in plan.stems.values():
            for suffix in BRANCH_FORMATS:
                check_target(by_branch / f"{name}{suffix}", force)  # before writing any of them
        summary.findings.extend(branch_findings(plan, summary))
    written = result.write(xlsx=output, html=html, md=md, json_path=json_path, force=force)
    if png is not None:
        from qudao.jobs.share import write_summary_png

        picture, warning = write_summary_png(summary, png, force=force)
        written += [picture] if picture else []
        if warning:
            typer.echo(f"警告：{warning}", err=True)
    if by_branch is not None:
        from qudao.jobs.share import write_branch_reports

        written += write_branch_reports(by_branch, summary, summary.title, force=force,
                                        say=lambda line: typer.echo(line, err=True), plan=plan)
    if not quiet and not to_screen:
        print_summary(summary, written)
        if not written:
            typer.echo("没有保存文件。要保存报告，加上其中之一：\n  -o 汇总.xlsx  --html 汇总.html  --md 汇总.md  --json 汇总.json")
    if summary.has_errors:
        raise typer.Exit(1)
