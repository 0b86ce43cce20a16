"""分所工作对接表 (tools.md §4)."""

from __future__ import annotations

from qudao.schema.model import Column, Field, Kind, Table

CATEGORIES = ("楼盘资料", "渠道拓展", "推广活动", "客户接待", "协议合同", "费用结算", "人员培训", "其他")
STATES = ("未开始", "进行中", "已完成", "受阻", "取消")

BLOCK = (
    Field("分所", example="拉萨分所"),
    Field("所在城市", aliases=("城市",), example="拉萨"),
    Field("总部对接部门", example="渠道管理部"),
    Field("填表人", example="王芳"),
    Field("填表日期", type="date", example="2026-11-27"),
)

COLUMNS = (
    Column("序号", "int", seq=True, width=6),
    Column("事项类别", "enum", enum=CATEGORIES, width=10, example="楼盘资料"),
    Column("对接事项", "text", required=True, width=30, example="提供麓湖花园最新价格表"),
    Column("分所负责人", "text", required=True, width=10, example="王芳"),
    Column("总部对接人", "text", width=10, example="李强"),
    Column("提出日期", "date", required=True, width=12, example="2026-11-20"),
    Column("要求完成日期", "date", required=True, not_before="提出日期", direction="forward", width=13, example="2026-11-27"),
    Column("实际完成日期", "date", not_before="提出日期", required_when=("状态", ("已完成",)), width=13,
           hint="状态为已完成时必填"),
    Column("状态", "enum", required=True, enum=STATES, width=9, example="进行中"),
    Column("优先级", "enum", enum=("高", "中", "低"), width=7, example="高"),
    Column("进展说明", "text", width=24),
    Column("备注", "text", width=16),
)

KIND = Kind(
    id="handoff",
    title="分所工作对接表",
    names=("分所对接表", "工作对接表"),
    version=1,
    description="分所与总部之间需要对接的事项、负责人和完成情况。",
    tables=(Table(sheet="对接事项", columns=COLUMNS, block=BLOCK, title="分所工作对接表"),),
    series=("分所",),
    dated_by=("填表日期",),
    weekly=True,
)
