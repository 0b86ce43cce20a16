"""渠道拓展标准流程管理表 (tools.md §8)."""

from __future__ import annotations

from qudao.schema.model import CHANNEL_TYPES, Column, Field, Kind, Table

STEPS = ("初访日期", "洽谈演示日期", "协议签订日期", "培训日期", "首场活动日期", "首批客户日期")

BLOCK = (
    Field("分所", example="拉萨分所"),
    Field("城市", example="拉萨"),
    Field("负责人", example="王芳"),
    Field("填表日期", type="date", example="2026-11-27"),
)

COLUMNS = (
    Column("序号", "int", seq=True, width=6),
    Column("渠道名称", "text", required=True, width=22, example="拉萨雪域物业服务有限公司"),
    Column("渠道类型", "enum", required=True, enum=CHANNEL_TYPES, width=10, example="物业"),
    Column("城市", "text", width=8),
    Column("联系人", "text", width=9),
    Column("职务", "text", width=9),
    Column("联系电话", "phone", width=15),
    Column("渠道等级", "grade", width=8, example="B", hint="A/B 每月至少拜访 5 次，C/D 至少 2 次"),
    *(Column(step, "date", width=12) for step in STEPS),
    Column("本月拜访次数", "int", min=0, width=11, example="3"),
    Column("负责人", "text", width=9),
    Column("备注", "text", width=16),
)

KIND = Kind(
    id="expansion",
    title="渠道拓展标准流程管理表",
    names=("拓展表", "拓展流程表"),
    version=1,
    description="每个渠道的拓展进度：初访 → 洽谈演示 → 协议签订 → 培训 → 首场活动 → 首批客户。",
    tables=(Table(sheet="渠道拓展", columns=COLUMNS, block=BLOCK, title="渠道拓展标准流程管理表"),),
    notes=("六个步骤应按顺序发生；签协议之前就有客户会被提示。",),
    series=("分所",),
    dated_by=("填表日期",),
)
