"""``qudao demo [DIR]`` — write a realistic sample inbox and summarize it."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

MARKER = ".qudao-demo"


def demo(
    folder: Path = typer.Argument(Path("qudao-demo"), help="输出文件夹（默认 ./qudao-demo）"),
    force: bool = typer.Option(False, "--force", help="文件夹已有其他内容时也写入"),
    workers: Optional[int] = typer.Option(None, "--workers", help="并行读取的进程数"),
) -> None:
    """一键体验：生成示例收件箱（3 个分所、10 个渠道、6 周报送），并生成汇总表、网页报告和 JSON。"""
    import shutil

    from qudao.check.engine import collect
    from qudao.commands._render import print_summary
    from qudao.config import Settings
    from qudao.jobs.demo import END, write_inbox
    from qudao.errors import OutputError
    from qudao.jobs.summarize import run_summary

    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{folder} 不是文件夹")
    if folder.exists() and any(folder.iterdir()) and not (folder / MARKER).exists() and not force:
        raise OutputError(f"文件夹 {folder} 已有其他内容；换一个文件夹，或加 --force")
    inbox = folder / "inbox"
    if inbox.exists():
        shutil.rmtree(inbox)
    files = write_inbox(inbox)
    (folder / MARKER).write_text("written by qudao demo\n", encoding="utf-8")
    typer.echo(f"示例收件箱：{inbox}（{len(files)} 个文件）")
    result = run_summary(collect([inbox]), settings=Settings(), as_of=END, workers=workers)
    written = result.write(xlsx=folder / "渠道汇总分析表.xlsx", html=folder / "渠道汇总分析表.html",
                           md=folder / "渠道汇总分析表.md", json_path=folder / "summary.json", force=True)
    print_summary(result.summary, written)
    typer.echo(f"\n下一步：打开 {folder / '渠道汇总分析表.xlsx'}，或运行 qudao validate {inbox} 查看逐格问题。")
