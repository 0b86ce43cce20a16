"""What every command shares: error handling, options, consoles, date parsing.

Only typer and the standard library are imported at module level.
"""

from __future__ import annotations

import datetime as _dt
import functools
import os
import sys
from typing import Any, Callable

import typer

STATE: dict[str, Any] = {"debug": False}


def err_console():
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)  # :warning: from a cell stays text


def out_console():
    from rich.console import Console

    console = Console(highlight=False, soft_wrap=True, emoji=False)  # a cell's :warning: is printed as written
    if not console.is_terminal:  # piped: as wide as $COLUMNS says, else 200 (a file, a pager)
        columns = os.environ.get("COLUMNS", "")
        console = Console(highlight=False, soft_wrap=True, emoji=False,
                          width=int(columns) if columns.isdigit() else 200)
    return console


def plain(text: Any) -> str:
    """Text from inputs for the terminal: no escape sequence or control character gets through (qudao.safe)."""
    from qudao.safe import terminal

    return terminal(text)


def esc(text: Any) -> str:
    """Text from inputs inside rich markup: :func:`plain`, and ``[…]`` is shown, never interpreted."""
    from rich.markup import escape

    return escape(plain(text))


def fail(message: str, code: int = 2) -> None:
    """Print a Chinese error message on stderr and exit."""
    sys.stderr.write(f"错误：{plain(message)}\n")
    raise typer.Exit(code)


def guarded(func: Callable) -> Callable:
    """QudaoError → message + exit code; anything unexpected → a short message, exit 2."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        from qudao.errors import QudaoError
        from qudao.write.atomic import begin_run, end_run

        begin_run()  # this command's inputs and outputs only (write.atomic)
        try:
            return func(*args, **kwargs)
        except typer.Exit:
            raise
        except QudaoError as exc:
            if STATE["debug"]:
                raise
            fail(exc.message, exc.exit_code)
        except (KeyboardInterrupt, SystemExit):
            raise
        except BrokenPipeError:  # `qudao inspect … | head -1`: the reader is gone; stop quietly, like other tools
            _stdout_to_devnull()
            raise typer.Exit(141) from None
        except OSError as exc:  # a full disk, a read-only file system … anywhere a command writes
            if STATE["debug"] or os.environ.get("QUDAO_DEBUG"):
                raise
            from qudao.errors import os_error_cn

            fail(f"无法完成：{os_error_cn(exc)}", 2)
        except Exception as exc:  # the last line of defence: never a traceback for users
            if STATE["debug"] or os.environ.get("QUDAO_DEBUG"):
                raise
            fail(f"内部错误：{type(exc).__name__}: {exc}（加 --debug 查看详情）", 2)
        finally:
            end_run()

    return wrapper


def _stdout_to_devnull() -> None:
    """So that the interpreter's last flush of stdout does not fail on the closed pipe again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


def check_outputs(targets, force: bool) -> None:
    """Every output option before any work is done: ``(path or None, extension)`` pairs. The extension is
    checked (not for standard output: ``-``, ``/dev/stdout``), then that qudao may write there
    (:func:`qudao.write.atomic.check_target`: no link, device, folder or input; exists only with --force)."""
    from qudao.errors import UsageError
    from qudao.write.atomic import check_target, is_stdout

    targets = [(target, suffix) for target, suffix in targets if target is not None]
    if sum(1 for target, _suffix in targets if is_stdout(target)) > 1:
        raise UsageError("只能有一个输出写到标准输出（- 或 /dev/stdout）；其他输出请写到文件")
    for target, suffix in targets:
        if suffix and not is_stdout(target) and target.suffix.lower() != suffix:
            raise UsageError(f"输出文件应以 {suffix} 结尾：{target}")
        check_target(target, force)


MAX_WAIT = 86_400.0  # a day


def check_range(value: float | None, option: str, low: float, high: float, what: str = "整数") -> None:
    """A number option out of its range (``--days 1000000000``, ``--wait inf``) is a usage error naming it."""
    from qudao.errors import UsageError

    if value is None:
        return
    if not (low <= value <= high):  # NaN fails too
        shown = value if isinstance(value, int) else f"{value:g}"
        raise UsageError(f"{option} 应为 {low:g}–{high:g} 之间的{what}，当前为 {shown}")


def parse_day(value: str | None, option: str) -> _dt.date | None:
    """A date option (--as-of, --from, --to, --start) through the date type a cell has (schema.types: any
    form a cell may hold, 1990–2100); a bad one says whether the date is impossible or badly written.
    ``today`` is today. Given but empty (``--as-of ""``, a shell variable that was not set) is a usage
    error, never silently today."""
    if value is None:
        return None
    if not value.strip():
        from qudao.errors import UsageError

        raise UsageError(f"{option} 不能为空（应为日期，如 2026-11-27，或 today）")
    from qudao.schema.types import DATE

    if value.strip().lower() == "today":
        return _dt.date.today()
    return DATE.option(value, option)


RELATIVE_WEEKS = ("last", "this")


def parse_week_option(value: str | None, option: str = "--week") -> str | None:
    """``--week``: ``last``, ``this`` or a week as a cell of type week takes it (schema.types.Week:
    2026-W48, 2026W48, 2026年第48周; the week must exist) → ``last``/``this`` or the label ``2026-W48``."""
    if value is None:
        return None
    if value.strip().lower() in RELATIVE_WEEKS:
        return value.strip().lower()
    from qudao.errors import UsageError
    from qudao.normalize import BadValue
    from qudao.schema.types import WEEK, bad_option_message

    try:
        return WEEK.parse(value)
    except BadValue as bad:
        if not bad.impossible and bad.code == "value.type":
            bad = BadValue(bad.code, f"{bad.message}，或 last（上周）、this（本周）")
        raise UsageError(bad_option_message(option, value, bad)) from None


def parse_period_option(value: str, option: str = "--period"):
    """``--period``: an assessment period as a 考核期间 cell takes it (schema.types.Period) → ReviewPeriod."""
    from qudao.periods import parse_period
    from qudao.schema.types import PERIOD

    return parse_period(PERIOD.option(value, option))


def parse_sets(pairs: list[str] | None, option: str = "--set", form: str = "标签=值",
               example: str = "渠道名称=拉萨雪域物业") -> dict[str, str]:
    """``--set 渠道名称=拉萨雪域物业`` (repeatable; also ``--map 提交时间=登记日期``) → dict."""
    from qudao.errors import UsageError

    out: dict[str, str] = {}
    for item in pairs or []:
        label, sep, value = item.partition("=")
        if not sep or not label.strip() or (option == "--map" and not value.strip()):
            raise UsageError(f"{option} 应写成 {form}，例如 {option} {example}（当前为 {item!r}）")
        out[label.strip()] = value.strip()
    return out


def program() -> str:
    """qudao as the user ran it, for lines a command prints to be run as they are: ``qudao`` when that is
    on the PATH, else the path that was typed (``.venv/bin/qudao``), else ``python -m qudao``."""
    import shutil
    from pathlib import Path

    argv0 = Path(sys.argv[0]) if sys.argv and sys.argv[0] else Path("qudao")
    if argv0.name == "__main__.py":
        python = os.path.relpath(sys.executable)
        return f"{python if not python.startswith('..') else Path(sys.executable).name} -m qudao"
    if argv0.name != "qudao" or argv0.parent == Path(""):
        return "qudao"
    on_path = shutil.which("qudao")
    if on_path and Path(on_path).resolve() == argv0.resolve():
        return "qudao"
    relative = os.path.relpath(argv0)
    return relative if not relative.startswith("..") else str(argv0)


def stderr_is_tty() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


def progress_reporter(total: int, quiet: bool = False, label: str = "读取"):
    """A rich progress bar on a terminal; nothing otherwise. Returns (callback, close)."""
    if quiet or total < 2 or not stderr_is_tty():
        return (lambda report: None), (lambda: None)
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    progress = Progress(TextColumn(f"{label}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                        TextColumn("{task.description}"), console=err_console(), transient=True)
    task = progress.add_task("", total=total)
    progress.start()

    def advance(report) -> None:
        progress.update(task, advance=1, description=esc(str(getattr(report, "path", ""))[-40:]))

    return advance, progress.stop


def load_settings(config=None, protection_days: int | None = None):
    """Settings from qudao.toml (--config, $QUDAO_CONFIG, ./qudao.toml) with option overrides."""
    from qudao.config import check_days, load
    from qudao.errors import UsageError

    settings = load(config).settings
    if protection_days is not None:
        problem = check_days(protection_days)
        if problem:
            raise UsageError(f"--protection-days {problem}")
        settings.protection_days = protection_days
    return settings


def existing_folder(target, option: str = "-o") -> None:
    """A workbook for field staff goes into a folder that exists: a mistyped folder is refused with a message
    rather than created silently (docs/decisions.md → "Where people read and work (issue 25)")."""
    from pathlib import Path

    from qudao.errors import UsageError

    parent = Path(target).parent
    if not parent.exists():
        raise UsageError(f"{option} 的文件夹不存在：{parent}（请先建好这个文件夹，或换一个已有的位置）")
    if not parent.is_dir():
        raise UsageError(f"{option} 的上一级不是文件夹：{parent}")
