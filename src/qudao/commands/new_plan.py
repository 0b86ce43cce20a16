"""``qudao new-plan`` — the local work plan with its default tasks, scheduled on working days."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from qudao.commands._common import existing_folder, load_settings, parse_day
from qudao.commands._options import ConfigOption, ForceOption


def new_plan(
    plan_type: str = typer.Option(..., "--type", metavar="计划类型", help="计划类型：西藏本地、成都本地 或 二级城市"),
    branch: str = typer.Option(..., "--branch", metavar="名称", help="分所，如 拉萨分所"),
    city: str = typer.Option(..., "--city", metavar="名称", help="城市，如 拉萨"),
    start: str = typer.Option(..., "--start", metavar="日期", help="开始日期，如 2026-09-21（遇节假日顺延到下一个工作日）"),
    weeks: Optional[int] = typer.Option(None, "--weeks", help="甘特图周数（默认覆盖全部任务）"),
    owner: Optional[str] = typer.Option(None, "--owner", metavar="名称", help="编制人，同时作为各任务的默认负责人"),
    output: Optional[Path] = typer.Option(None, "-o", "--output", metavar="文件", help="输出文件（默认：本地工作计划铺排表-<分所>.xlsx）"),
    config: ConfigOption = None,
    force: ForceOption = False,
) -> None:
    """按计划类型生成本地工作计划：默认任务、交付物，按工作日排期（法定节假日和调休），右侧为甘特图。"""
    import datetime as _dt

    from qudao.errors import UsageError
    from qudao.planning import schedule
    from qudao.schema import get_kind
    from qudao.workdays import WorkCalendar
    from qudao.write.workbook import new_workbook

    kind = get_kind("plan")
    plan_type = next(f for f in kind.main.block if f.label == "计划类型").datatype.option(plan_type, "--type")
    day = parse_day(start, "--start")
    settings = load_settings(config)
    calendar = WorkCalendar.from_settings(settings)
    plan = schedule(plan_type, day, calendar, weeks)
    values = {"分所": branch, "城市": city, "计划类型": plan.plan_type, "编制人": owner or "",
              "编制日期": _dt.date.today(), "计划周期": plan.period, "工作日历": calendar.describe(plan.start, plan.end)}
    values = {k: v for k, v in values.items() if v != ""}
    target = output or Path(f"{kind.title}-{branch}.xlsx")
    if target.suffix.lower() != ".xlsx":
        raise UsageError(f"输出文件应为 .xlsx：{target}")
    existing_folder(target)
    # the tasks and 20 spare rows: a plan prints on one page (fill adds rows when more are needed)
    new_workbook(kind, target, values, force=force, options={"plan": plan, "owner": owner, "settings": settings,
                                                              "rows": {"工作计划": len(plan.tasks) + 20}})
    typer.echo(f"已生成{kind.title}：{target}（{len(plan.tasks)} 项任务，{plan.period}，{len(plan.weeks)} 周）")
    typer.echo(f"工作日历：{values['工作日历']}")
    warning = plan.calendar_warning()
    if warning:
        typer.echo(f"警告：{warning}", err=True)
