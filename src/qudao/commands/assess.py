"""``qudao assess PATH… --period 2026Q4`` — channel assessment by quarter, half-year or year."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from qudao.commands._common import check_outputs, load_settings, parse_day, parse_period_option, progress_reporter
from qudao.commands._options import (
    AsOfOption,
    ConfigOption,
    ForceOption,
    QuietOption,
    WorkersOption,
)


def assess(
    paths: List[Path] = typer.Argument(..., help="文件或文件夹（登记表、渠道目标表、渠道考核评分表、渠道拓展表……；文件夹会递归读取）"),
    period: str = typer.Option(..., "--period", help="考核期间：2026Q4（季度）、2026H2（半年）或 2026（全年）"),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="渠道考核表 .xlsx（含图表）"),
    html: Optional[Path] = typer.Option(None, "--html", help="网页版 .html"),
    md: Optional[Path] = typer.Option(None, "--md", help="Markdown .md"),
    json_path: Optional[Path] = typer.Option(None, "--json", help="JSON 结果；- 表示输出到屏幕"),
    config: ConfigOption = None,
    as_of: AsOfOption = None,
    force: ForceOption = False,
    quiet: QuietOption = False,
    workers: WorkersOption = None,
) -> None:
    """渠道考核：每个渠道各项指标的实际、目标和完成率，定量、定性得分，总分，优秀/合格/不合格和处理措施（奖励、整改、
    连续两期不合格调整合作关系），与上期对比，并按分所汇总。

    实际数与 qudao summarize 的归属和统计相同（只计期末之前的事件）；目标来自渠道目标表，定性评分来自渠道考核评分表；
    没有目标的渠道只按已有的评分考核并注明。权重和分数线见 qudao.toml 的 [assess] 段。
    退出码：0 完成；1 有行被拒收或文件无法读取（结果照常生成）；2 无法执行。
    """
    from qudao.check.engine import collect
    from qudao.commands._render import print_assessment
    from qudao.jobs.assess import run_assess
    from qudao.write.atomic import is_stdout

    review = parse_period_option(period)
    check_outputs(((output, ".xlsx"), (html, ".html"), (md, ".md"), (json_path, "")), force)
    to_screen = is_stdout(json_path)  # --json - (or /dev/stdout): the JSON alone on standard output
    day = parse_day(as_of, "--as-of")
    settings = load_settings(config)
    inputs = collect(paths)
    advance, close = progress_reporter(len(inputs), quiet=quiet or to_screen)
    try:
        result = run_assess(inputs, review, settings=settings, as_of=day, workers=workers, progress=advance)
    finally:
        close()
    written = result.write(xlsx=output, html=html, md=md, json_path=json_path, force=force)
    if not quiet and not to_screen:
        print_assessment(result.assessment, written)
    if result.assessment.has_errors:
        raise typer.Exit(1)
