"""``qudao rollup`` — the weekly job: validate + summarize the inbox into OUT/<week>/."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from qudao.commands._common import (
    MAX_WAIT,
    check_range,
    load_settings,
    parse_day,
    parse_week_option,
    plain,
    progress_reporter,
    stderr_is_tty,
)
from qudao.commands._options import AsOfOption, ConfigOption, QuietOption, WorkersOption


def rollup(
    inbox: Path = typer.Option(..., "--inbox", metavar="文件夹", help="收件箱文件夹（各分所报送的表格）"),
    out: Path = typer.Option(..., "--out", metavar="文件夹", help="输出文件夹；结果写到 OUT/<周次>/"),
    week: str = typer.Option("last", "--week", metavar="周次", help="统计哪一周：2026-W48、last（上周）或 this（本周）"),
    config: ConfigOption = None,
    as_of: AsOfOption = None,
    quiet: QuietOption = False,
    wait: float = typer.Option(0.0, "--wait", help="输出文件夹被另一个 rollup 占用时最多等待的秒数"),
    workers: WorkersOption = None,
) -> None:
    """每周汇总（给定时任务用）：读取整个收件箱，统计本周和累计，与上周比较，原子地写入 OUT/<周次>/。

    同样的收件箱和参数得到逐字节相同的文件。退出码：0 正常；1 有行被拒收或文件无法读取（结果照常写出）；
    2 无法执行（路径不存在、配置错误、另一个 rollup 正在运行）。
    """
    from qudao.jobs.weekly import run_rollup

    check_range(wait, "--wait", 0, MAX_WAIT, "秒数")
    settings = load_settings(config)
    day = parse_day(as_of, "--as-of")
    week = parse_week_option(week)
    interactive = stderr_is_tty() and not quiet

    def say(line: str) -> None:
        if not quiet:
            sys.stderr.write(plain(line) + "\n")
            sys.stderr.flush()

    advance, close = progress_reporter(1 << 30 if interactive else 0, quiet=not interactive)
    try:
        result = run_rollup(inbox, out, week, settings=settings, as_of=day, workers=workers, say=say,
                            progress=advance if interactive else None, wait=wait)
    finally:
        close()
    t = result.summary.registers.totals if result.summary.registers else {}
    say(f"完成 {result.week}：累计登记 {t.get('registrations', 0)}，客户 {t.get('customers', 0)}，成交 "
        f"{t.get('deals', 0)}；{result.summary.reconciliation}；用时 {result.seconds:.1f} 秒")
    if result.has_errors:
        raise typer.Exit(1)
