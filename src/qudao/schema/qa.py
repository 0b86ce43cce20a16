"""洽谈百问 (tools.md §15): a reference sheet with its categories and an empty body."""

from __future__ import annotations

from qudao.schema.model import Column, Kind, Table

CATEGORIES = ("合作模式", "佣金政策", "结佣保障", "客户归属", "推广支持", "案场配合", "风险违约", "其他")

COLUMNS = (
    Column("序号", "int", seq=True, width=6),
    Column("分类", "enum", enum=CATEGORIES, width=10, example="佣金政策"),
    Column("问题", "text", required=True, width=40, example="佣金按什么基数计算？"),
    Column("应答要点", "text", width=50),
    Column("适用对象", "enum", enum=("开发商", "渠道"), width=9, example="开发商"),
    Column("备注", "text", width=16),
)

KIND = Kind(
    id="qa",
    title="洽谈百问",
    names=("百问",),
    version=1,
    description="洽谈中常被问到的问题和应答要点（参考表）。分类：" + "、".join(CATEGORIES) + "。",
    tables=(Table(sheet="洽谈百问", columns=COLUMNS, title="洽谈百问", blank_rows=100),),
)
