"""``qudao validate PATH…`` — check files and folders; say exactly which cell to fix."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from qudao.commands._common import check_outputs, load_settings, parse_day, plain, progress_reporter
from qudao.commands._options import AsOfOption, ConfigOption, ForceOption, WorkersOption


def validate(
    paths: List[Path] = typer.Argument(..., metavar="文件", help="文件或文件夹（文件夹会递归读取）"),
    kind: Optional[str] = typer.Option(None, "--kind", metavar="类型", help="指定表格类型：代号、名称或简称（默认自动识别）"),
    fmt: str = typer.Option("text", "--format", metavar="格式", help="输出格式：text 或 json"),
    annotate: Optional[Path] = typer.Option(None, "--annotate", metavar="文件夹", help="把标注了问题单元格的副本写到这个文件夹（原文件不动）"),
    as_of: AsOfOption = None,
    show_info: bool = typer.Option(False, "--all", help="文本输出也列出“提示”级别的问题"),
    show_codes: bool = typer.Option(False, "--codes", help="每条问题后面显示规则代码（如 phone.format；JSON 总是带代码）"),
    output: Optional[Path] = typer.Option(None, "-o", "--output", metavar="文件", help="把 JSON 结果写到文件（配合 --format json）"),
    force: ForceOption = False,
    workers: WorkersOption = None,
    config: ConfigOption = None,
) -> None:
    """检查表格：缺列、必填、格式、日期、电话、成交信息……逐格指出问题。

    退出码：0 没有错误；1 有行被拒收或文件无法读取；2 无法执行（路径不存在等）。
    """
    from qudao.check.engine import Options, check_all, collect, validation_json
    from qudao.errors import UsageError

    if fmt not in ("text", "json"):
        raise UsageError("--format 只能是 text 或 json")
    check_outputs(((output, ""),), force)  # before anything is read
    if kind:
        from qudao.schema import get_kind

        kind = get_kind(kind).id
    settings = load_settings(config)
    options = Options(kind=kind, extra={"settings": settings})
    day = parse_day(as_of, "--as-of")
    if day:
        options.as_of = day
    inputs = collect(paths)
    advance, close = progress_reporter(len(inputs), quiet=fmt == "json")
    try:
        reports = check_all(inputs, options, progress=advance, workers=workers)
    finally:
        close()
    if annotate is not None:
        from qudao.report.annotate import annotate_all

        written = annotate_all(reports, inputs, annotate, force=force, workers=workers)
        if fmt == "text":
            for path in written:
                typer.echo(plain(f"已标注：{path}"), err=True)
    data = validation_json(reports, inputs.skipped, settings.config_json())
    if fmt == "json":
        from qudao.safe import json_chunks, json_text

        if output:
            from itertools import chain

            from qudao.write.atomic import write_chunks

            write_chunks(output, chain(json_chunks(data), ("\n",)), force=force)
        else:
            typer.echo(json_text(data))
    else:
        from qudao.commands._render import print_validation

        print_validation(reports, data["totals"], show_info=show_info, skipped=inputs.skipped,
                         show_codes=show_codes)
    if data["totals"]["errors"] or any(f.code == "annotate.failed" for r in reports for f in r.findings):
        raise typer.Exit(1)
