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
    json_path: Optional[Path] = typer.Option(None, "--json", metavar="文件",
                                             help="机器可读的 JSON（供渠道或财务系统核对，字段见文档）；- 表示输出到屏幕"),
    previous: Optional[Path] = typer.Option(None, "--previous", metavar="文件",
                                            help="上期对账单的 JSON：本期的期初和更正按它计算（默认按上期截止时收到的报表重新计算）"),
    config: ConfigOption = None,
    as_of: AsOfOption = None,
    show_phones: ShowPhonesOption = False,
    force: ForceOption = False,
    quiet: QuietOption = False,
    workers: WorkersOption = None,
) -> None:
    """渠道对账单：按周滚动的账户（期初、本期新增、以前各周的更正、付款、期末）、未结清的佣金和本渠道未计入的登记，
    可直接发给渠道。

    本期新增是日期在本期内的登记、到访、成交、接手和付款；更正是本期收到的、对以前各周的迟报、修改、撤回和取消，
    注明所属周和增减；未计入的登记指明要改的单元格。

    对账单只含该渠道自己的数据：撞单只写“已由其他渠道先行登记”，不写是哪个渠道。统计与 qudao summarize 相同；
    --week 的依据日期默认是该周之后的周一（与 qudao rollup 相同）。期初默认按上期截止时收到的报表重新计算，
    或用 --previous 指定上期的对账单 JSON。
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
    check_outputs(((output, ".xlsx"), (html, ".html"), (json_path, ".json")), force)
    day = parse_day(as_of, "--as-of")
    settings = load_settings(config)
    period = Period(start, end)
    label = ""
    if week is not None:
        label, period, day = week_period(week, day, _dt.date.today(), settings)
    stated = read_previous(previous) if previous is not None else None
    inputs = collect(paths)
    from qudao.write.atomic import is_stdout

    to_screen = is_stdout(json_path)
    advance, close = progress_reporter(len(inputs), quiet=quiet or to_screen)
    try:
        result = run_statement(inputs, channel, period, settings=settings, as_of=day, workers=workers,
                               progress=advance, previous=stated)
    finally:
        close()
    result.statement.week = label
    written = result.write(xlsx=output, html=html, force=force, show_phones=show_phones,
                           json_path=None if to_screen else json_path)
    if to_screen:
        from qudao.report.statement import statement_json
        from qudao.safe import json_text

        typer.echo(json_text(statement_json(result.statement, show_phones)))
    elif not quiet:
        from qudao.commands._lines import echo_lines

        how = {"short": "按简称", "part": "按名称的一部分"}.get(result.matched)
        matched = [f"「{channel}」{how}对应渠道「{result.statement.channel}」"] if how else []
        echo_lines([*matched, *statement_lines(result.statement, show_phones), *(f"已写入：{path}" for path in written)])
    if result.summary.has_errors:
        raise typer.Exit(1)


def read_previous(path: Path) -> dict:
    """The JSON of a previous statement (``--previous``): a usage error naming the file when it cannot be read."""
    import json

    from qudao.errors import UsageError

    if not path.is_file() or path.stat().st_size > 512 << 20:  # never a FIFO or a device (it would block)
        raise UsageError(f"--previous 应为一个对账单 JSON 文件：{path}")
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise UsageError(f"--previous 无法读取：{path}（{type(exc).__name__}）") from None
