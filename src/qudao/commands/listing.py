"""``qudao list`` — the kinds, their Chinese titles and schema versions."""

from __future__ import annotations

import typer


def list_kinds(
    fmt: str = typer.Option("text", "--format", help="输出格式：text 或 json"),
) -> None:
    """列出所有表格类型（kind）、中文名称和版本。"""
    from qudao.schema import all_kinds

    kinds = all_kinds()
    if fmt == "json":
        import json

        data = [{"kind": k.id, "title": k.title, "version": k.version,
                 "sheets": [s.sheet for s in k.block_sheets] + [t.sheet for t in k.tables]} for k in kinds]
        typer.echo(json.dumps(data, ensure_ascii=False, indent=1))
        return
    width = max(len(k.id) for k in kinds)
    typer.echo(f"{'类型'.ljust(width)}  版本  名称 / 工作表")
    for k in kinds:
        sheets = "、".join([s.sheet for s in k.block_sheets] + [t.sheet for t in k.tables])
        typer.echo(f"{k.id.ljust(width)}  v{k.version:<3}  {k.title}（{sheets}）")
    typer.echo("\n用 qudao new <类型> 生成空白表；summary（渠道汇总分析表）由 qudao summarize 生成。")
