"""The ``qudao`` command line: one Typer app, one module per command.

Commands are registered here; each module under :mod:`qudao.commands` keeps
its heavy imports inside the function body, so ``qudao --help`` and
``qudao list`` start without pandas, openpyxl or calamine. Every
:class:`~qudao.errors.QudaoError` becomes a Chinese message and an exit code
in :func:`run` — never a traceback (``--debug`` shows one).
"""

from __future__ import annotations

import sys
from typing import Callable

import typer

from qudao import __version__
from qudao.commands import agreement as _agreement
from qudao.commands import assess as _assess
from qudao.commands import config as _config
from qudao.commands import demo as _demo
from qudao.commands import fill as _fill
from qudao.commands import inspect as _inspect
from qudao.commands import listing as _listing
from qudao.commands import new as _new
from qudao.commands import new_plan as _new_plan
from qudao.commands import rollup as _rollup
from qudao.commands import statement as _statement
from qudao.commands import summarize as _summarize
from qudao.commands import todo as _todo
from qudao.commands import validate as _validate
from qudao.commands._common import STATE, guarded
from qudao.zh import ZhTyper

app = ZhTyper(
    name="qudao",
    help="渠道拓展工具箱：生成、填写、检查和汇总渠道部的标准表格。",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
)


def _stdout_is_tty() -> bool:
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def _version(value: bool) -> None:
    if value:
        typer.echo(f"qudao {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    debug: bool = typer.Option(False, "--debug", help="出错时显示完整的 Python 调用栈（开发用）"),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="显示版本"),
) -> None:
    """渠道拓展工具箱：生成、填写、检查和汇总渠道部的标准表格。"""
    STATE["debug"] = debug


def _register(func: Callable, name: str) -> None:
    app.command(name=name)(guarded(func))


_register(_listing.list_kinds, "list")
_register(_new.new, "new")
_register(_new_plan.new_plan, "new-plan")
_register(_fill.fill, "fill")
_register(_validate.validate, "validate")
_register(_summarize.summarize, "summarize")
_register(_inspect.inspect, "inspect")
_register(_agreement.agreement, "agreement")
_register(_demo.demo, "demo")
_register(_rollup.rollup, "rollup")
_register(_assess.assess, "assess")
_register(_statement.statement, "statement")
_register(_todo.todo, "todo")
app.add_typer(_config.app, name="config")


def main() -> None:
    import gc

    gc.set_threshold(200_000, 50, 100)  # see qudao.check.parallel.relax_gc: big reads, few cycles
    if not _stdout_is_tty():
        # Rich help is for people at a terminal; piped help is plain text, and skips
        # importing rich's renderers (≈60 ms), so scripts calling --help stay instant.
        app.rich_markup_mode = None
    try:
        app()
    except KeyboardInterrupt:  # pragma: no cover - interactive
        sys.stderr.write("已中断\n")
        sys.exit(130)


if __name__ == "__main__":  # pragma: no cover
    main()
