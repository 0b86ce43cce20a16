"""``qudao agreement`` — the unified channel agreement text for one row of the agreements register."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from qudao.commands._common import load_settings
from qudao.commands._options import ConfigOption, ForceOption


def agreement(
    register: Path = typer.Argument(..., metavar="台账", help="渠道合作协议台账（.xlsx 等）"),
    number: str = typer.Option(..., "--id", metavar="编号", help="协议编号"),
    output: Optional[Path] = typer.Option(None, "-o", "--output", metavar="文件", help="HTML 文件（默认：渠道合作协议-<编号>.html）"),
    md: Optional[Path] = typer.Option(None, "--md", metavar="文件", help="同时输出 Markdown"),
    template: Optional[Path] = typer.Option(None, "--template", metavar="文件", help="自定义的 jinja2 模板（替换内置的统一版本）"),
    config: ConfigOption = None,
    force: ForceOption = False,
) -> None:
    """生成某份协议的统一版本文本（可打印的 HTML，A4），填入双方、区域、期限、佣金、结佣周期、保护期和独家约定。"""
    from qudao.jobs.agreement import render_agreement

    settings = load_settings(config)
    target = output or Path(f"渠道合作协议-{number}.html")
    written, warnings = render_agreement(register, number, target, md, template, settings, force)
    for line in warnings:
        typer.echo(f"注意：{line}", err=True)
    for path in written:
        typer.echo(f"已生成：{path}")
