"""开发商合作洽谈标准流程管理表 (tools.md §14), prefilled with the standard steps."""

from __future__ import annotations

from qudao.schema.model import TASK_STATES, Column, Field, Kind, Table

STEPS = (
    ("项目信息收集", "收集楼盘定位、价格、去化和开发商背景", "楼盘筛选表"),
    ("初次拜访", "拜访开发商营销负责人，介绍渠道资源", "开发商洽谈PPT"),
    ("洽谈演示", "演示渠道网络和过往案例", "开发商洽谈PPT"),
    ("条件谈判", "谈佣金点位、结佣周期、独家与保护期", "洽谈百问"),
    ("方案提报", "提交合作方案和推广计划", "合作方案"),
    ("合同审批", "双方法务、财务审批合同条款", "合作合同"),
    ("签约", "签订合作合同", "合作合同"),
    ("案场对接", "与案场约定报备、带看、确认流程", "意向客户登记表"),
    ("合作启动", "首批渠道培训与首场活动", "推介会执行方案"),
)

BLOCK = (
    Field("楼盘名称", example="麓湖花园"),
    Field("开发商", example="成都某某置业有限公司"),
    Field("负责人", example="李强"),
)

COLUMNS = (
    Column("序号", "int", seq=True, width=6),
    Column("步骤", "text", required=True, width=12),
    Column("标准动作", "text", width=34),
    Column("使用工具", "text", width=16),
    Column("责任人", "text", width=10),
    Column("计划日期", "date", direction="forward", width=12),
    Column("实际日期", "date", width=12),
    Column("状态", "enum", enum=TASK_STATES, width=9),
    Column("问题与对策", "text", width=28),
)

KIND = Kind(
    id="dev-process",
    title="开发商合作洽谈标准流程管理表",
    names=("洽谈流程表", "开发商洽谈表"),
    version=1,
    description="与一个开发商合作洽谈的九个标准步骤及其进度。",
    tables=(Table(sheet="洽谈流程", columns=COLUMNS, block=BLOCK, title="开发商合作洽谈标准流程管理表",
                  blank_rows=12, prefill=tuple((i, step, action, tool) for i, (step, action, tool)
                                               in enumerate(STEPS, start=1))),),
    series=("楼盘名称",),
)
