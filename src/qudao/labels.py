"""The words every output uses, in one place: severities, KPIs, sheet names, the reconciliation line.

Writers (terminal, xlsx, html/md, annotated copies) take their labels from
here, so a KPI or a sheet is called the same everywhere.
"""

from __future__ import annotations

from typing import Mapping

SEVERITY_CN = {"error": "错误", "warning": "警告", "info": "提示"}

# Totals of the 渠道汇总分析表, in the order every output shows them.
KPI_CN = {
    "registrations": "登记数",
    "customers": "客户数（去重）",
    "owned_customers": "渠道有效客户",
    "natural_visits": "自然到访",
    "visits": "到访",
    "deals": "成交",
    "deal_amount_wan": "成交金额(万元)",
    "commission_wan": "佣金(万元)",
    "conflicts": "撞单",
    "possible_conflicts": "待核（隐号疑似撞单）",
}

# Sheets of the 渠道汇总分析表 (tools.md §2), in order.
SHEET_OVERVIEW, SHEET_BY_CHANNEL, SHEET_BY_TYPE, SHEET_BY_BRANCH = "总览", "按渠道", "按渠道类型", "按分所"
SHEET_BY_PROPERTY, SHEET_BY_WEEK, SHEET_CONFLICTS, SHEET_FINDINGS, SHEET_DETAILS = (
    "按楼盘", "按周", "撞单明细", "问题清单", "明细")
SHEET_SETTLEMENT, SHEET_PROTECTION = "结佣清单", "保护期预警"
SUMMARY_SHEETS = (SHEET_OVERVIEW, SHEET_BY_CHANNEL, SHEET_BY_TYPE, SHEET_BY_BRANCH, SHEET_BY_PROPERTY,
                  SHEET_BY_WEEK, SHEET_CONFLICTS, SHEET_SETTLEMENT, SHEET_PROTECTION, SHEET_FINDINGS, SHEET_DETAILS)
SHEET_WEEK = "本周"


def reconciliation_line(inputs: Mapping[str, int]) -> str:
    """``读取 N 行 = 接收 … + 拒收 … + 跳过 …（合计行）`` — printed by every summary."""
    return (f"读取 {inputs['rows_read']} 行 = 接收 {inputs['rows_accepted']} + 拒收 {inputs['rows_rejected']} "
            f"+ 跳过 {inputs['rows_skipped']}（合计行）")


def reconciled(inputs: Mapping[str, int]) -> bool:
    return inputs["rows_read"] == inputs["rows_accepted"] + inputs["rows_rejected"] + inputs["rows_skipped"]
