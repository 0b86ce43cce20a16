"""关联企业对接表 (tools.md §10)."""

from __future__ import annotations

from qudao.schema.model import COOP_STATES, Column, Kind, Table

COLUMNS = (
    Column("序号", "int", seq=True, width=6),
    Column("企业名称", "text", required=True, width=22, example="西藏建工集团"),
    Column("关联类型", "enum", enum=("股东单位", "合作单位", "供应商", "客户单位", "其他"), width=10, example="合作单位"),
    Column("所属行业", "text", width=10),
    Column("员工人数", "int", min=0, width=8),
    Column("对接人", "text", width=9),
    Column("职务", "text", width=9),
    Column("联系电话", "phone", width=15),
    Column("对接日期", "date", width=12),
    Column("合作方式", "enum", enum=("员工团购", "内部推荐", "联合活动", "其他"), width=10, example="员工团购"),
    Column("已办活动数", "int", min=0, width=9),
    Column("推荐客户数", "int", min=0, width=9),
    Column("合作状态", "enum", enum=COOP_STATES, width=9, example="洽谈中"),
    Column("备注", "text", width=16),
)

KIND = Kind(
    id="affiliates",
    title="关联企业对接表",
    names=("关联企业表", "关联企业"),
    version=1,
    description="股东、合作、供应商等关联企业的对接情况和推荐的客户。",
    tables=(Table(sheet="关联企业", columns=COLUMNS, title="关联企业对接表"),),
)
