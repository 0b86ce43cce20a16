"""``qudao agreement`` — the unified channel agreement text for one row of the agreements register."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from qudao.commands._common import parse_day, plain
from qudao.commands._options import AsOfOption, ConfigOption, ForceOption


def agreement(
    register: Path = typer.Argument(..., metavar="台账", help="渠道合作协议台账（.xlsx 等）"),
    number: str = typer.Option(..., "--id", metavar="编号", help="协议编号"),
    output: Optional[Path] = typer.Option(
        None, "-o", "--output", metavar="文件",
        help="HTML 文件（默认：渠道合作协议-<编号>.html，草稿为 渠道合作协议-<编号>-草稿.html）"),
    md: Optional[Path] = typer.Option(None, "--md", metavar="文件", help="同时输出 Markdown"),
    template: Optional[Path] = typer.Option(None, "--template", metavar="文件", help="自定义的 jinja2 模板（替换内置的统一版本）"),
    draft: bool = typer.Option(False, "--draft", help="缺少内容时仍生成草稿：缺的内容标为「（待填：…）」，注明草稿，不作签署文本"),
    as_of: AsOfOption = None,
    config: ConfigOption = None,
    force: ForceOption = False,
) -> None:
    """生成某份协议的统一版本文本（可打印的 HTML，A4）；内容不全时列出要补的单元格，不生成文件。

    文本包括双方信息、合作区域、目标、期限、客户登记与保护期、每周报送、佣金与收款账户、发票、培训、考核与奖惩、违约和签署。
    甲方信息取自 qudao.toml 的 [agreement]，其余取自台账的这一行；缺任何一项时退出码 1（加 --draft 则生成标明「待填」的草稿）。
    """
    from qudao.config import load
    from qudao.jobs.agreement import render_agreement

    loaded = load(config)
    result = render_agreement(register, number, output, md, template, loaded.settings, force, draft,
                              parse_day(as_of, "--as-of"))
    for line in result.warnings:
        typer.echo(plain(f"注意：{line}"), err=True)
    if result.missing:
        head = "已生成草稿" if result.draft else "未生成协议文本"
        typer.echo(plain(f"协议 {number} 的文本缺少 {len(result.missing)} 项内容，{head}："), err=True)
        for item in result.missing:
            typer.echo(plain(f"  - {item.line}"), err=True)
        if any(item.where.startswith("qudao.toml") for item in result.missing):
            found = f"当前配置文件：{loaded.path}" if loaded.path else \
                "没有找到 qudao.toml：可用 qudao config init 生成，填好后放在当前文件夹或用 --config 指定"
            typer.echo(plain(f"  （{found}）"), err=True)
        if result.draft:
            for path in result.written:
                typer.echo(plain(f"已生成草稿（不作签署文本，补全后重新生成）：{path}"))
        else:
            typer.echo("补全后重新运行；需要先打印草稿核对或请对方填写的，加 --draft。", err=True)
        raise typer.Exit(1)
    for path in result.written:
        typer.echo(plain(f"已生成：{path}"))
