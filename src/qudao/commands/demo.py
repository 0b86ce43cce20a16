"""``qudao demo [DIR]`` — write a realistic sample inbox and summarize it."""

from __future__ import annotations

from pathlib import Path

import typer

from qudao.commands._options import WorkersOption


def demo(
    folder: Path = typer.Argument(Path("qudao-demo"), metavar="文件夹", help="输出文件夹（默认 ./qudao-demo）"),
    force: bool = typer.Option(False, "--force", help="文件夹已有其他内容时也写入"),
    workers: WorkersOption = None,
) -> None:
    """一键体验：生成示例收件箱（3 个分所、10 个渠道、6 周报送），并生成汇总表、本季度渠道考核、网页报告和 JSON。"""
    from qudao.commands._common import program
    from qudao.commands._render import print_summary
    from qudao.jobs.demo import FORM_EXPORT, run_demo

    inbox = folder / "inbox"
    files, result, assessed, written = run_demo(folder, force=force, workers=workers)
    typer.echo(f"示例收件箱：{inbox}（{len(files)} 个文件）；网络表单导出的样例：{folder / FORM_EXPORT}")
    print_summary(result.summary, written)
    a = assessed.assessment
    typer.echo(f"本季度渠道考核（{a.period.label}，期中预评）：" + "，".join(f"{k} {v}" for k, v in a.counts().items())
               + f"；见 {folder / ('渠道考核-' + a.period.label + '.xlsx')}")
    qudao = program()
    typer.echo(f"\n下一步：打开 {folder / '渠道汇总分析表.html'}（或 .xlsx），或者运行：")
    typer.echo(f"  {qudao} validate {inbox}")
    typer.echo(f"  {qudao} summarize {inbox} --from 2026-11-23 --to 2026-11-29")
    activate = Path(qudao).parent / "activate"
    if qudao != "qudao" and activate.is_file():
        typer.echo(f"先运行一次 source {activate}，之后直接输入 qudao …（README 的例子都这样写）。")
