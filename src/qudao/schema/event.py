"""推介会 / 现场主题活动执行方案 (tools.md §12): six sheets."""

from __future__ import annotations

from qudao.schema.model import BlockSheet, Column, Field, Kind, Table

EVENT_TYPES = ("推介会", "现场主题活动", "看房团")

OVERVIEW = BlockSheet("活动概况", title="推介会 / 现场主题活动执行方案", fields=(
    Field("活动名称", example="拉萨渠道客户推介会"),
    Field("活动类型", type="enum", enum=EVENT_TYPES, example="推介会"),
    Field("主题", example="天府新区改善置业专场"),
    Field("日期", type="date", direction="forward", aliases=("活动日期",), example="2026-12-12"),
    Field("地点", example="拉萨香格里拉酒店"),
    Field("主办分所", example="拉萨分所"),
    Field("合作渠道", hint="多个渠道用顿号分隔", example="拉萨雪域物业、西藏川渝商会"),
    Field("目标到场人数", type="int", example="80"),
    Field("目标登记人数", type="int", example="40"),
    Field("预算总额(元)", type="number", aliases=("预算总额",), example="30000"),
))

SUBTOTAL = '=IF(OR({数量}="",{单价(元)}=""),"",{数量}*{单价(元)})'

TABLES = (
    Table(sheet="流程安排", title="流程安排", blank_rows=30, columns=(
        Column("时间", "text", width=12, hint="如 14:00-14:30", example="14:00-14:30"),
        Column("环节", "text", required=True, width=16, example="签到、茶歇"),
        Column("内容", "text", width=36),
        Column("负责人", "text", width=10),
    )),
    Table(sheet="人员分工", title="人员分工", blank_rows=30, columns=(
        Column("姓名", "text", required=True, width=10),
        Column("岗位", "text", width=12, example="主持"),
        Column("职责", "text", width=36),
        Column("联系电话", "phone", width=15),
    )),
    Table(sheet="物料清单", title="物料清单", blank_rows=40, columns=(
        Column("物料", "text", required=True, width=18, example="易拉宝"),
        Column("数量", "int", min=0, width=8, example="4"),
        Column("单价(元)", "money", unit="元", min=0, max=100_000_000, width=10, example="120"),
        Column("小计(元)", "money", unit="元", width=11, formula=SUBTOTAL, hint="数量 × 单价，自动计算"),
        Column("负责人", "text", width=10),
        Column("到位日期", "date", direction="forward", width=12),
    )),
    Table(sheet="邀约名单", title="邀约名单", blank_rows=40, columns=(
        Column("渠道名称", "text", required=True, width=24),
        Column("邀约人数", "int", min=0, width=9),
        Column("确认人数", "int", min=0, width=9),
        Column("实到人数", "int", min=0, width=9),
    )),
    Table(sheet="效果统计", title="效果统计", blank_rows=3, columns=(
        Column("实到人数", "int", min=0, width=9),
        Column("现场登记数", "int", min=0, width=10),
        Column("后续到访数", "int", min=0, width=10),
        Column("成交数", "int", min=0, width=8),
        Column("成交金额(万元)", "money", min=0, max=10_000_000, width=13),
    )),
)

KIND = Kind(
    id="event",
    title="推介会执行方案",
    names=("推介会", "推介会方案"),
    version=1,
    description="推介会、现场主题活动或看房团的执行方案：概况、流程、分工、物料、邀约和效果。",
    block_sheets=(OVERVIEW,),
    tables=TABLES,
    notes=("物料清单的小计(元) 自动计算；活动结束后在“效果统计”填写实际结果。",),
    series=("活动名称",),
)
