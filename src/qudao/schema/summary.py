"""渠道汇总分析表 (tools.md §2): written by ``qudao summarize``, never filled by hand.

It has no tables to read: an input recognised as a summary (its hidden
``_qudao`` sheet says so) is passed over, so a report saved into the inbox
is never counted as registrations.
"""

from __future__ import annotations

from qudao.schema.model import Kind

SHEETS = ("总览", "按渠道", "按渠道类型", "按分所", "按楼盘", "按周", "撞单明细", "问题清单", "明细")

KIND = Kind(
    id="summary",
    title="渠道汇总分析表",
    version=1,
    description="由 qudao summarize 生成：总览、排名、撞单、问题清单和明细。",
    tables=(),
    extras={"sheets": SHEETS, "generated": True},
)
