"""``qudao new KIND`` — a blank, ready-to-fill workbook of that kind."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from qudao.commands._common import existing_folder, parse_sets
from qudao.commands._options import ForceOption


def new(
    kind: str = typer.Argument(..., metavar="类型", help="表格类型：代号、名称或简称，如 register、意向客户登记表、登记表（qudao list 查看全部）"),
    output: Optional[Path] = typer.Option(None, "-o", "--output", metavar="文件", help="输出文件（默认：<表名>.xlsx）"),
    sets: Optional[List[str]] = typer.Option(None, "--set", metavar="标签=值", help="填写表头信息，如 --set 渠道名称=拉萨雪域物业（可重复）"),
    force: ForceOption = False,
) -> None:
    """生成一个空白、带下拉和格式的标准表格。"""
    from qudao.errors import UsageError
    from qudao.schema import get_kind
    from qudao.write.workbook import new_workbook, resolve_set

    k = get_kind(kind)
    if k.generated:
        raise UsageError("渠道汇总分析表由 qudao summarize 生成，不需要手工填写")
    values = resolve_set(k, parse_sets(sets))
    target = output or Path(f"{k.title}.xlsx")
    if target.suffix.lower() not in (".xlsx", ".xlsm"):
        raise UsageError(f"输出文件应为 .xlsx：{target}")
    existing_folder(target)
    new_workbook(k, target, values, force=force)
    typer.echo(f"已生成 {k.title}：{target}")
