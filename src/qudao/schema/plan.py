"""本地工作计划铺排表 (tools.md §3) — made by ``qudao new-plan``."""

from __future__ import annotations

from qudao.schema.model import TASK_STATES, Column, Field, Kind, Table

PLAN_TYPES = ("西藏本地", "成都本地", "二级城市")

BLOCK = (
    Field("分所", example="拉萨分所"),
    Field("城市", example="拉萨"),
    Field("计划类型", type="enum", enum=PLAN_TYPES, example="西藏本地"),
    Field("编制人", example="王芳"),
    Field("编制日期", type="date", example="2026-09-18"),
    Field("计划周期", hint="开始日期 – 结束日期", example="2026-09-21 – 2026-12-18"),
    Field("工作日历", hint="排期使用的节假日日历", example="中国法定节假日（2026 年）"),
)

# 工期(天): working days between the two dates — weekends and the holidays listed on the hidden
# _calendar sheet (qd_holidays) excluded, make-up working days (qd_workdays) added back.
DURATION = ('=IF(OR({计划开始}="",{计划完成}=""),"",NETWORKDAYS({计划开始},{计划完成},qd_holidays)'
            '+COUNTIFS(qd_workdays,">="&{计划开始},qd_workdays,"<="&{计划完成}))')

COLUMNS = (
    Column("序号", "int", seq=True, width=6),
    Column("阶段", "text", required=True, width=12, hint="如 市场调研、渠道拓展、推广活动", example="渠道拓展"),
    Column("工作事项", "text", required=True, width=30, example="走访物业公司并洽谈合作"),
    Column("负责人", "text", required=True, width=10, example="王芳"),
    Column("配合人", "text", width=10),
    Column("计划开始", "date", required=True, direction="forward", width=12, example="2026-09-21"),
    Column("计划完成", "date", required=True, not_before="计划开始", direction="forward", width=12, example="2026-09-25"),
    Column("工期(天)", "int", width=9, formula=DURATION, hint="按工作日自动计算"),
    Column("交付物", "text", width=18, hint="该事项产出的表格或文件", example="分所工作对接表"),
    Column("状态", "enum", required=True, enum=TASK_STATES, width=9, example="未开始"),
    Column("实际完成", "date", width=12, required_when=("状态", ("已完成",)), hint="状态为已完成时必填"),
    Column("备注", "text", width=16),  # the task columns print on one A4 page at ≥ 65 %
)

KIND = Kind(
    id="plan",
    title="本地工作计划铺排表",
    names=("计划表", "工作计划", "铺排表"),
    version=1,
    description="分所本地工作的任务铺排：阶段、事项、负责人、计划日期和进度，右侧周列为甘特图。",
    tables=(Table(sheet="工作计划", columns=COLUMNS, block=BLOCK, title="本地工作计划铺排表", blank_rows=60),),
    notes=("计划开始/计划完成按工作日排期（周末、法定节假日除外，调休上班日计入）。",
           "修改计划开始或计划完成，右侧的甘特条会自动移动；工期(天) 自动计算。"),
    series=("分所", "计划类型"),
    dated_by=("编制日期",),
)
