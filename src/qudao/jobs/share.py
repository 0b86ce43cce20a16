"""Outputs for sharing: the phone-sized PNG card and one report per 分所.

``summarize --png`` / ``--by-branch`` and ``rollup`` (``汇总-<week>.png``,
``分所/``) call these. The card is drawn from the same JSON data the other
outputs are made from (:mod:`qudao.report.card`); without a Chinese font it is
skipped with a warning in Chinese — the rest of the run goes on. A branch's
report is the whole run's summary cut to that branch (:mod:`qudao.analysis.branch`).
"""

from __future__ import annotations

import datetime as _dt
import re
from pathlib import Path
from typing import Any, Callable

from qudao.analysis.summary import Summary


def write_summary_png(summary: Summary, target: Path, force: bool = False) -> tuple[Path | None, str | None]:
    """``summarize --png FILE``: (the file written, None) or (None, why not)."""
    from qudao.report.card import summary_card, write_card

    return write_card(summary_card(summary.to_json(), summary.title, period=summary.period_text), target, force=force)


def week_extras(folder: Path, label: str, summary: Summary, data: dict[str, Any], end: _dt.date,
                say: Callable[[str], None]) -> list[Path]:
    """What ``rollup`` writes into the week folder besides the summary: ``汇总-<week>.png`` and
    ``分所/汇总-<week>-<分所>.xlsx|.html|.png``; the files and the 分所 folder written."""
    from qudao.report.card import week_card, write_card

    written: list[Path] = []
    png, warning = write_card(week_card(data), folder / f"汇总-{label}.png", force=True)
    if png is not None:
        written.append(png)
    else:
        say(f"警告：{warning}")
    branches = folder / "分所"
    if write_branch_reports(branches, summary, f"汇总-{label}", force=True,
                            created=_dt.datetime.combine(end, _dt.time(0, 0)), say=say if png else lambda line: None):
        written.append(branches)
    return written


BRANCH_FORMATS = (".xlsx", ".html", ".png")
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def file_part(name: str) -> str:
    """A branch's name as part of a file name (no path separators or characters Windows refuses)."""
    return _UNSAFE.sub("_", name).strip(" .") or "未命名"


def branch_targets(folder: Path, summary: Summary, stem: str) -> dict[str, dict[str, Path]]:
    """branch → {suffix: the file its report goes to}: ``folder/<stem>-<分所>.xlsx`` (and .html, .png)."""
    from qudao.analysis.branch import branches

    if summary.registers is None:
        return {}
    return {b: {suffix: folder / f"{stem}-{file_part(b)}{suffix}" for suffix in BRANCH_FORMATS}
            for b in branches(summary.registers.attribution)}


def write_branch_reports(folder: Path, summary: Summary, stem: str, force: bool = False,
                         created: _dt.datetime | None = None,
                         say: Callable[[str], None] = lambda line: None) -> list[Path]:
    """One report per 分所 — the xlsx, the printable HTML and the PNG card — holding only that branch's
    channels, customers and files (analysis/branch.py)."""
    from qudao.analysis.branch import branch_summary
    from qudao.jobs.summarize import SummaryRun
    from qudao.report.card import summary_card, write_card

    written: list[Path] = []
    warned = False
    for branch, files in branch_targets(folder, summary, stem).items():
        cut = branch_summary(summary, branch)
        written += SummaryRun(cut, cut.reports).write(xlsx=files[".xlsx"], html=files[".html"], force=force,
                                                      created=created)
        png, warning = write_card(summary_card(cut.to_json(), cut.title, period=cut.period_text), files[".png"],
                                  force=force)
        if png is not None:
            written.append(png)
        elif not warned:
            say(f"警告：{warning}")
            warned = True
    return written
