"""Options several commands share, declared once so that their names and help texts agree."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

ConfigOption = Annotated[Optional[Path], typer.Option(
    "--config", metavar="文件", help="配置文件 qudao.toml（默认：环境变量 QUDAO_CONFIG，或当前文件夹的 qudao.toml）")]
AsOfOption = Annotated[Optional[str], typer.Option(
    "--as-of", metavar="日期", help="依据日期：把这一天当作“今天”（未来日期、逾期、预警都以它为准；默认今天）")]
MAX_WORKERS = 256


def _workers(value: Optional[int]) -> Optional[int]:
    if value is not None and not 1 <= value <= MAX_WORKERS:
        raise typer.BadParameter(f"应为 1–{MAX_WORKERS} 之间的整数，当前为 {value}")
    return value


WorkersOption = Annotated[Optional[int], typer.Option(
    "--workers", callback=_workers, help="并行读取的进程数（默认按 CPU 核数）")]
ForceOption = Annotated[bool, typer.Option("--force", help="覆盖已存在的输出文件")]
ShowPhonesOption = Annotated[bool, typer.Option("--show-phones", help="显示完整电话（默认前三后四）")]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="安静：屏幕上不打印摘要或步骤，只用退出码说话")]
