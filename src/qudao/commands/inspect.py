"""``qudao inspect FILE…`` — kind, version, sheets, rows, header-block values."""

from __future__ import annotations

from pathlib import Path
from typing import List

import typer


def inspect(
    paths: List[Path] = typer.Argument(..., metavar="文件", help="要查看的文件或文件夹"),
    fmt: str = typer.Option("text", "--format", metavar="格式", help="输出格式：text 或 json"),
) -> None:
    """查看表格：类型、版本、工作表、行数和表头信息。"""
    from qudao.check.engine import check_all, collect, inspect_json

    reports = check_all(collect(paths))
    data = inspect_json(reports)
    if fmt == "json":
        import json

        typer.echo(json.dumps(data, ensure_ascii=False, indent=1))
        return
    for item in data:
        typer.echo(f"{item['path']}")
        typer.echo(f"  格式 {item['format'] or '—'}；类型 {item['kind'] or '未识别'}"
                   f"{'（' + item['title'] + '）' if item['title'] else ''}；版本 {item['version'] or '—'}")
        for sheet in item["sheets"]:
            typer.echo(f"  工作表「{sheet['sheet']}」（{sheet['table']}）：表头在第 {sheet['header_row']} 行，"
                       f"数据 {sheet['rows']} 行，跳过 {sheet['skipped']} 行；"
                       f"列 {len(sheet['columns'])} 个" + (f"，额外列：{'、'.join(sheet['extra_columns'])}"
                                                            if sheet["extra_columns"] else ""))
        for label, value in item["block"].items():
            typer.echo(f"  {label}：{value}")
        if item["problem"]:
            typer.echo(f"  问题：{item['problem']}")
    if any(item["problem"] for item in data):
        raise typer.Exit(1)
