"""``qudao statement PATH… --channel NAME`` — one channel's statement (渠道对账单), to send to the partner."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from qudao.commands._common import check_outputs, load_settings, parse_day, parse_week_option, progress_reporter
from qudao.commands._options import (
    AsOfOption,
    ConfigOption,
    ForceOption,
    QuietOption,
    ShowPhonesOption,
    WorkersOption,
)


def statement(
    paths: List[Path] = typer.Argument(..., metavar="文件", help="文件或文件夹（登记表、协议台账……；文件夹会递归读取）"),
    channel: str = typer.Option(..., "--channel", metavar="渠道", help="渠道名称：全称、简称或 qudao.toml 中的别名"),
    date_from: Optional[str] = typer.Option(None, "--from", metavar="日期", help="统计起始日期（含）"),
    date_to: Optional[str] = typer.Option(None, "--to", metavar="日期", help="统计截止日期（含）"),
    week: Optional[str] = typer.Option(None, "--week", metavar="周", help="统计一周：2026-W48、last（上周）或 this（本周）；不能与 --from/--to 同用"),
    output: Optional[Path] = typer.Option(None, "-o", "--output", metavar="文件", help="对账单 .xlsx（A4 纵向）"),
    html: Optional[Path] = typer.Option(None, "--html", metavar="文件", help="网页版 .html（A4 纵向，可打印）"),
    config: ConfigOption = None,
    as_of: AsOfOption = None,
    show_phones: ShowPhonesOption = False,
    force: ForceOption = False,
    quiet: QuietOption = False,
    workers: WorkersOption = None,
) -> None:
    """渠道对账单：一个渠道本期的登记及状态（有效及保护期、撞单、已被接手、已到访、已成交）、成交与佣金（点位及依据、
    应结日期、结佣状态）和本期合计，可直接发给渠道。

    对账单只含该渠道自己的数据：撞单只写“已由其他渠道先行登记”，不写是哪个渠道。统计与 qudao summarize 相同；
    --week 的依据日期默认是该周之后的周一（与 qudao rollup 相同）。
    退出码：0 完成；1 有行被拒收或文件无法读取（对账单照常生成）；2 无法执行（渠道名称找不到或对应多个渠道等）。
    """
    import datetime as _dt

    from qudao.analysis.register import Period
    from qudao.check.engine import collect
    from qudao.errors import UsageError
    from qudao.jobs.statement import run_statement, week_period
    from qudao.report.statement import statement_lines

    start, end = parse_day(date_from, "--from"), parse_day(date_to, "--to")
    week = parse_week_option(week)
    if week is not None and (start or end):
        raise UsageError("--week 不能与 --from/--to 同时使用")
    if start and end and start > end:
        raise UsageError("--from 不能晚于 --to")
    if not channel.strip():
        raise UsageError("--channel 不能为空")
    check_outputs(((output, ".xlsx"), (html, ".html")), force)
    day = parse_day(as_of, "--as-of")
    settings = load_settings(config)
    period = Period(start, end)
    if week is not None:
        _label, period, day = week_period(week, day, _dt.date.today(), settings)
    inputs = collect(paths)
    advance, close = progress_reporter(len(inputs), quiet=quiet)
    try:
        result = run_statement(inputs, channel, period, settings=settings, as_of=day, workers=workers,
                               progress=advance)
    finally:
        close()
    written = result.write(xlsx=output, html=html, force=force, show_phones=show_phones)
    if not quiet:
        from qudao.commands._lines import echo_lines

        matched = [f"「{channel}」按简称对应渠道「{result.statement.channel}」"] if result.matched == "short" else []
        echo_lines([*matched, *statement_lines(result.statement, show_phones), *(f"已写入：{path}" for path in written)])
    if result.summary.has_errors:
        raise typer.Exit(1)
