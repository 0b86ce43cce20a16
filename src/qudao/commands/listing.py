"""``qudao list`` — the kinds, their Chinese titles and schema versions."""

from __future__ import annotations

import typer


def list_kinds(
    fmt: str = typer.Option("text", "--format", metavar="格式", help="输出格式：text 或 json"),
) -> None:
    """列出所有表格类型：代号、中文名称、简称和版本。"""
    from qudao.schema import all_kinds

    kinds = all_kinds()
    if fmt == "json":
        import json

        data = [{"kind": k.id, "title": k.title, "version": k.version, "sheets": list(k.sheet_names),
                 "generated": k.generated} for k in kinds]
        typer.echo(json.dumps(data, ensure_ascii=False, indent=1))
        return
    width = max(len(k.id) for k in kinds)
    typer.echo(f"{'类型'.ljust(width)}  版本  名称 / 工作表")
    for k in kinds:
        sheets = "、".join(k.sheet_names)
        note = "  ← 由 qudao summarize 生成" if k.generated else ""
        typer.echo(f"{k.id.ljust(width)}  v{k.version:<3}  {k.title}（{sheets}）{note}")
    typer.echo("\n用 qudao new <类型> 生成空白表；计划表用 qudao new-plan 按模板排期。")
