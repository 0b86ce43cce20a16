"""渠道汇总分析表 (tools.md §2): written by ``qudao summarize``, never filled by hand.

It has no tables to read: an input recognised as a summary (its hidden
``_qudao`` sheet says so) is passed over, so a report saved into the inbox
is never counted as registrations.
"""

from __future__ import annotations

from qudao.labels import SUMMARY_SHEETS as SHEETS
from qudao.schema.model import Kind

KIND = Kind(
    id="summary",
    title="渠道汇总分析表",
    names=("汇总表", "汇总分析表"),
    version=1,
    description="由 qudao summarize 生成：总览、排名、撞单、问题清单和明细。",
    tables=(),
    extras={"sheets": SHEETS, "generated": True},
)
