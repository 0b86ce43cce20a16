"""工作进程反馈表（含客户内容表）(tools.md §5)."""

from __future__ import annotations

from qudao.schema.model import TASK_STATES, Column, Field, Kind, Table

FOLLOW_STATES = ("跟进中", "已成交", "已放弃")
FOLLOW_CLOSED = ("已成交", "已放弃")  # a customer in one of these states is no longer carried over

BLOCK = (
    Field("分所", example="拉萨分所"),
    Field("填报人", example="王芳"),
    Field("周次", type="week", hint="ISO 周，如 2026-W48", example="2026-W48"),
    Field("填报日期", type="date", example="2026-11-27"),
)

PROGRESS = (
    Column("序号", "int", seq=True, width=6),
    Column("工作事项", "text", required=True, width=26, example="西藏川渝商会合作洽谈"),
    Column("本周进展", "text", required=True, width=30, example="已提交协议初稿"),
    Column("完成度(%)", "percent", min=0, max=100, width=9, example="60"),
    Column("存在问题", "text", width=20),
    Column("需协调事项", "text", width=20),
    Column("下周计划", "text", width=24),
    Column("状态", "enum", enum=TASK_STATES, width=9, example="进行中"),
)

CUSTOMERS = (
    Column("序号", "int", seq=True, width=6),
    Column("客户姓名", "text", required=True, aliases=("姓名", "客户"), width=10, example="张三"),
    Column("联系电话", "phone", required=True, aliases=("电话", "手机", "手机号", "客户电话"), width=15,
           example="13812345678"),
    Column("来源渠道", "text", width=16, example="拉萨雪域物业"),
    Column("首次接触日期", "date", width=12),
    Column("最近跟进日期", "date", required=True, width=12, example="2026-11-25"),
    Column("跟进方式", "enum", enum=("电话", "微信", "面谈", "看房", "其他"), width=9, example="微信"),
    Column("意向楼盘", "text", aliases=("意向项目",), width=12),
    Column("意向等级", "grade", aliases=("客户等级", "等级", "意向级别"), width=8, example="A"),
    Column("跟进内容", "text", width=28),
    Column("下次跟进日期", "date", not_before="最近跟进日期", direction="forward", width=12, example="2026-12-02"),
    Column("跟进状态", "enum", enum=FOLLOW_STATES, width=9, example="跟进中",
           hint="跟进中的客户每周自动结转；已成交或已放弃后不再结转（留空视为跟进中）"),
)

KIND = Kind(
    id="feedback",
    title="工作进程反馈表",
    names=("反馈表", "进程反馈表"),
    version=2,  # 2: 客户内容 gains 跟进状态 (copies of version 1 still read: the column is optional)
    description="分所每周的工作进展，以及正在跟进的客户（客户内容表）。",
    tables=(Table(sheet="工作进展", columns=PROGRESS, block=BLOCK, title="工作进程反馈表", blank_rows=40),
            Table(sheet="客户内容", columns=CUSTOMERS, title="客户内容表", blank_rows=100)),
    notes=("A/B 级客户超过 14 天未跟进会被提示（followup.stale）。",
           "qudao fill feedback --carry 上一期.xlsx 生成下一期：未完成的工作事项和所有“跟进中”的客户都会结转，逾期的排在最前并标红。"),
    series=("分所",),
    dated_by=("填报日期",),
    weekly=True,
)
