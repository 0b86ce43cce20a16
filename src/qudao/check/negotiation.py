"""楼盘谈判跟进: stale follow-ups, and stages that moved back between files."""

from __future__ import annotations

import datetime as _dt

from qudao.check.followups import stale
from qudao.findings import Finding, make
from qudao.records import Context, FileReport, ParsedTable, Row
from qudao.schema.negotiation import STAGES

SHEET = "谈判跟进"
INACTIVE = ("已签约", "已搁置", "已放弃")


def is_active(stage: str | None) -> bool:
    """A negotiation still under way (not 已签约, 已搁置 or 已放弃): it can go stale."""
    return stage not in INACTIVE


def stale_project(table: ParsedTable, row: Row, ctx: Context) -> bool:
    """A project still under way whose 最近跟进日期 is more than the stale days before the file's date."""
    stage = row.values.get("当前阶段")
    if is_active(stage):
        stale(table, row, ctx, f"「{row.values.get('楼盘名称', '')}」（{stage}）")
    return False


def project_key(values: dict) -> tuple[str, str]:
    return ((values.get("楼盘名称") or "").strip(), (values.get("开发商") or "").strip())


def history(reports: list[FileReport]) -> dict[tuple[str, str], list[tuple[tuple, FileReport, ParsedTable, Row]]]:
    """Every accepted row per project, oldest file first (填表日期, then file order)."""
    out: dict[tuple[str, str], list] = {}
    for report in reports:
        if report.kind != "negotiation":
            continue
        when = (report.block.get("填表日期") or _dt.date.min, report.order)
        for index, table in enumerate(report.tables_for(SHEET)):
            for row in table.rows:
                if not row.rejected:
                    out.setdefault(project_key(row.values), []).append((when + (index, row.number), report, table, row))
    for rows in out.values():
        rows.sort(key=lambda item: item[0])
    return out


def stage_regressed(reports: list[FileReport], options) -> list[Finding]:
    """A project whose stage is earlier than in an older file (已搁置/已放弃 may follow anything)."""
    out: list[Finding] = []
    for (name, _developer), rows in sorted(history(reports).items()):
        furthest: tuple[int, str, str] | None = None  # (index, stage, file)
        for _when, report, table, row in rows:
            stage = row.values.get("当前阶段")
            if stage not in STAGES:
                continue
            index = STAGES.index(stage)
            if furthest is not None and index < furthest[0]:
                out.append(make("stage.regressed",
                                f"「{name}」的阶段从“{furthest[1]}”（{furthest[2]}）退回到“{stage}”，请确认",
                                file=report.path, sheet=table.sheet, cell=table.cell("当前阶段", row.number),
                                row=row.number, column="当前阶段", value=stage))
            if furthest is None or index > furthest[0]:
                furthest = (index, stage, report.path.rsplit("/", 1)[-1])
    return out


ROW_RULES = {SHEET: (stale_project,)}
CROSS_RULES = (stage_regressed,)
