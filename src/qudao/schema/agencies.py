"""中介机构对接表 (tools.md §9)."""

from __future__ import annotations

from qudao.schema.model import COOP_STATES, Column, Kind, Table

COLUMNS = (
    Column("序号", "int", seq=True, width=6),
    Column("机构名称", "text", required=True, width=22, example="绵阳房友中介"),
    Column("机构类型", "enum", enum=("二手中介", "代理公司", "分销平台", "其他"), width=10, example="二手中介"),
    Column("城市", "text", width=8),
    Column("门店数", "int", min=0, width=7),
    Column("经纪人数", "int", min=0, width=8),
    Column("对接人", "text", width=9),
    Column("职务", "text", width=9),
    Column("联系电话", "phone", width=15),
    Column("对接日期", "date", width=12),
    Column("合作状态", "enum", enum=COOP_STATES, width=9, example="已合作"),
    Column("协议编号", "text", width=14),
    Column("佣金点位(%)", "percent", min=0, max=10, width=10),
    Column("报备客户数", "int", min=0, width=10),
    Column("成交套数", "int", min=0, width=8),
    Column("备注", "text", width=16),
)

KIND = Kind(
    id="agencies",
    title="中介机构对接表",
    names=("中介表", "中介对接表"),
    version=1,
    description="对接的二手中介、代理公司和分销平台，以及合作状态和带来的客户。",
    tables=(Table(sheet="中介机构", columns=COLUMNS, title="中介机构对接表"),),
)
