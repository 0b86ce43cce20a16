"""``qudao config show|init`` — the effective settings and a commented qudao.toml."""

from __future__ import annotations

from pathlib import Path

import typer

from qudao.commands._common import guarded
from qudao.commands._options import ConfigOption, ForceOption
from qudao.zh import ZhTyper

app = ZhTyper(help="查看或生成配置文件 qudao.toml。", no_args_is_help=True, add_completion=False)


@app.command("show")
@guarded
def show(
    config: ConfigOption = None,
    fmt: str = typer.Option("text", "--format", metavar="格式", help="text 或 json"),
) -> None:
    """显示生效的配置，以及每一项来自默认值还是配置文件。"""
    from qudao.config import KEYS, load, value_of

    loaded = load(config)
    rows = []
    for key, (_attr, _kind, doc) in KEYS.items():
        value = value_of(loaded.settings, key)
        if isinstance(value, list):
            value = [v.isoformat() if hasattr(v, "isoformat") else v for v in value]
        rows.append({"key": key, "value": value, "source": loaded.sources[key], "doc": doc})
    if fmt == "json":
        import json

        typer.echo(json.dumps({"file": str(loaded.path) if loaded.path else None, "settings": rows},
                              ensure_ascii=False, indent=1))
        return
    typer.echo(f"配置文件：{loaded.path or '（未找到，全部使用默认值）'}")
    typer.echo("各项按 qudao.toml 的写法列出；标“＊”的来自配置文件，其余为默认值。")
    sections: dict[str, list[dict]] = {}
    for r in rows:
        sections.setdefault(r["key"].split(".")[0], []).append(r)
    for section, items in sections.items():
        typer.echo(f"\n[{section}]")
        for r in items:
            mark = "＊" if r["source"] != "默认" else " "
            typer.echo(f"{mark} {r['key'].split('.', 1)[1]} = {toml_value(r['value'])}")
            typer.echo(f"      {r['doc']}")


def toml_value(value) -> str:
    """A value as it is written in qudao.toml (not as Python prints it)."""
    import json

    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return f"{value:g}" if isinstance(value, float) else str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dict):
        if not value:
            return "{}"
        keys = (k if str(k).replace("_", "").replace("-", "").isascii() and str(k).replace("_", "").replace(
            "-", "").isalnum() else json.dumps(str(k), ensure_ascii=False) for k in value)
        return "{ " + ", ".join(f"{k} = {toml_value(v)}" for k, v in zip(keys, value.values())) + " }"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)


@app.command("init")
@guarded
def init(
    output: Path = typer.Option(Path("qudao.toml"), "-o", "--output", metavar="文件", help="写到哪个文件"),
    force: ForceOption = False,
) -> None:
    """生成一份带注释的 qudao.toml（全部为默认值）。"""
    from qudao.config import DEFAULT_TOML
    from qudao.write.atomic import write_text

    write_text(output, DEFAULT_TOML, force=force)
    typer.echo(f"已生成配置文件：{output}")
