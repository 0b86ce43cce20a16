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

        data = [{"kind": k.id, "title": k.title, "names": list(k.names), "version": k.version,
                 "sheets": list(k.sheet_names), "generated": k.generated} for k in kinds]
        typer.echo(json.dumps(data, ensure_ascii=False, indent=1))
        return
    from qudao.text import display_width

    def pad(text: str, width: int) -> str:
        return text + " " * (width - display_width(text))

    rows = [(k.id, f"v{k.version}", k.title, "、".join(k.names) + (" *" if k.generated else "")) for k in kinds]
    head = ("代号", "版本", "名称", "简称")
    widths = [max(display_width(r[i]) for r in [head, *rows]) for i in range(3)]
    for row in [head, *rows]:
        typer.echo("  ".join(pad(cell, w) for cell, w in zip(row, widths)) + "  " + row[3])
    typer.echo("\n* 由 qudao summarize 生成，不需要新建。\n"
               "类型写代号、名称或简称都可以：qudao new 登记表 与 qudao new register 相同。\n"
               "计划表用 qudao new-plan 排期；工作表名称见 qudao list --format json。")
