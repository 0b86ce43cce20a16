"""渠道考核评分表: one row per channel and period, channels the other workbooks know. The 1–5 range of each
score and the 考核期间's spelling are their types' (``value.range``, ``period.invalid``)."""

from __future__ import annotations

from qudao.check.targets import (
    channel_key,
    superseded_rows,
    unique_per_period,
    unknown_channels,
)
from qudao.findings import Finding
from qudao.records import Context, FileReport
from qudao.schema.scores import SHEET


def unique_scores(report: FileReport, ctx: Context) -> None:
    """One score row per channel and period in a file."""
    unique_per_period(report, ctx, SHEET, channel_key, "score.duplicate", "评分")


def scores_across_files(reports: list[FileReport], options) -> list[Finding]:
    """Unknown channels; the same channel and period scored in several files (the newest counts)."""
    return (unknown_channels(reports, "scores", SHEET, options)
            + superseded_rows(reports, "scores", SHEET, channel_key, "score.duplicate", "评分", options))


FILE_RULES = (unique_scores,)
CROSS_RULES = (scores_across_files,)
