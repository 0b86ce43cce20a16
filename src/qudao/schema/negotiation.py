"""楼盘谈判跟进汇总表 (tools.md §6)."""

from __future__ import annotations

from qudao.schema.model import YES_NO, Column, Field, Kind, Table

STAGES = ("初步接触", "资料收集", "方案提报", "条件谈判", "合同审批", "已签约")
STAGES_ALL = STAGES + ("已搁置", "已放弃")

BLOCK = (
    Field("负责部门", example="开发商合作部"),
    Field("填表人", example="李强"),
    Field("填表日期", type="date", example="2026-11-27"),
)

COLUMNS = (
    Column("序号", "int", seq=True, width=6),
    Column("楼盘名称", "text", required=True, aliases=("楼盘", "项目名称"), width=14, example="麓湖花园"),
    Column("开发商", "text", required=True, width=18, example="成都某某置业有限公司"),
    Column("所在区域", "text", width=10, example="天府新区"),
    Column("开发商对接人", "text", width=10),
    Column("职务", "text", width=10),
    Column("联系电话", "phone", width=15),
    Column("我方负责人", "text", required=True, width=10, example="李强"),
    Column("首次接触日期", "date", width=12),
    Column("当前阶段", "enum", required=True, enum=STAGES_ALL, width=10, example="方案提报",
           hint="依次：" + " → ".join(STAGES) + "；或 已搁置/已放弃"),
    Column("意向佣金点位(%)", "percent", aliases=("佣金点位",), min=0, max=10, width=12, example="1.5"),
    Column("结佣周期(天)", "int", min=0, width=10, example="60"),
    Column("是否独家", "enum", enum=YES_NO, width=8),
    Column("主要分歧", "text", width=20),
    Column("最近跟进日期", "date", required=True, width=12, example="2026-11-25"),
    Column("下一步行动", "text", width=20),
    Column("计划签约日期", "date", direction="forward", width=12),
    Column("签约日期", "date", required_when=("当前阶段", ("已签约",)), width=12, hint="已签约时必填"),
    Column("签约概率(%)", "percent", min=0, max=100, width=10, example="60"),
    Column("备注", "text", width=16),
)

KIND = Kind(
    id="negotiation",
    title="楼盘谈判跟进汇总表",
    names=("谈判表", "谈判跟进表"),
    version=1,
    description="与开发商的合作洽谈：阶段、条件、跟进和签约。",
    tables=(Table(sheet="谈判跟进", columns=COLUMNS, block=BLOCK, title="楼盘谈判跟进汇总表"),),
    notes=("阶段只能前进；已搁置/已放弃可在任何阶段之后。超过 14 天未跟进会被提示。",),
    series=("负责部门",),
    dated_by=("填表日期",),
    weekly=True,
)
