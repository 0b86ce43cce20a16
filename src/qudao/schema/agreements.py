"""渠道合作协议台账 (tools.md §13)."""

from __future__ import annotations

from qudao.schema.model import CHANNEL_TYPES, YES_NO, Column, Kind, Table

COLUMNS = (
    Column("协议编号", "text", required=True, width=14, hint="唯一", example="QD-2026-001"),
    Column("渠道名称", "text", required=True, width=22, example="拉萨雪域物业服务有限公司"),
    Column("渠道类型", "enum", enum=CHANNEL_TYPES, width=10),
    Column("合作区域", "text", width=12, example="拉萨市"),
    Column("合作楼盘", "text", width=16, example="麓湖花园、天府云城"),
    Column("签订日期", "date", width=12),
    Column("生效日期", "date", required=True, direction="forward", width=12, example="2026-10-01"),
    Column("到期日期", "date", required=True, not_before="生效日期", direction="forward", width=12, example="2027-09-30"),
    Column("佣金点位(%)", "percent", min=0, max=10, width=10, example="1.5"),
    Column("结佣周期(天)", "int", min=0, width=10, example="30"),
    Column("是否独家", "enum", enum=YES_NO, width=8),
    Column("保护期(天)", "int", min=1, width=9, hint="留空按 30 天", example="30"),
    Column("状态", "enum", enum=("有效", "到期", "终止"), width=7, example="有效"),
    Column("我方签约人", "text", width=10),
    Column("备注", "text", width=16),
)

KIND = Kind(
    id="agreements",
    title="渠道合作协议台账",
    names=("协议台账", "台账"),
    version=1,
    description="每份渠道合作协议（统一版本）的期限、佣金、保护期和状态。",
    tables=(Table(sheet="协议台账", columns=COLUMNS, title="渠道合作协议台账"),),
    notes=("协议中的保护期(天) 会用于该渠道的客户归属；佣金点位用于没有按楼盘设置点位时的佣金计算。",
           "用 qudao agreement 台账.xlsx --id 协议编号 生成该协议的统一版本文本。"),
)
