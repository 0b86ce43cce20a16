"""Outputs for sharing: the phone-sized PNG card and one report per 分所.

``summarize --png`` / ``--by-branch`` and ``rollup`` (``汇总-<week>.png``,
``分所/``) call these. The card is drawn from the same JSON data the other
outputs are made from (:mod:`qudao.report.card`); without a Chinese font it is
skipped with a warning in Chinese — the rest of the run goes on. A branch's
report is the whole run's summary cut to that branch (:mod:`qudao.analysis.branch`).
"""

from __future__ import annotations

import datetime as _dt
from collections import Counter
from pathlib import Path
from typing import Any, Callable, Iterable

from qudao.analysis.summary import Summary
from qudao.errors import OutputError
from qudao.filenames import NAME_ERRORS, FanOut, fan_out, name_max
from qudao.filenames import stem as file_stem
from qudao.findings import Finding, make


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
    if warning:
        say(f"警告：{warning}")
    branches = folder / "分所"
    if write_branch_reports(branches, summary, f"汇总-{label}", force=True,
                            created=_dt.datetime.combine(end, _dt.time(0, 0)), say=say, card_warning=not warning):
        written.append(branches)
    return written


BRANCH_FORMATS = (".xlsx", ".html", ".png")


def branch_order(summary: Summary, names: Iterable[str]) -> list[str]:
    """Most important first, for the cap: the branches of qudao.toml's 分所名单, then by registrations of
    their channels, then by name."""
    official = set(summary.settings.branches)
    registrations: Counter = Counter()
    if summary.registers is not None:
        for row in summary.registers.by_channel:
            registrations[row.branch] += row.stats.registrations
    return sorted(names, key=lambda b: (b not in official, -registrations[b], b))


def branch_plan(summary: Summary, stem: str, folder: Path, names: Iterable[str] | None = None,
                tail: str = "", formats: tuple[str, ...] = BRANCH_FORMATS) -> FanOut:
    """Which branches get files in ``folder`` and under which names: ``<stem>-<分所><tail>`` (one function for
    every name built from a cell, :mod:`qudao.filenames`), at most ``[output] max_branches`` of them."""
    from qudao.analysis.branch import branches

    if names is None:
        names = branches(summary.registers.attribution) if summary.registers is not None else []
    limit = name_max(folder)
    return fan_out(branch_order(summary, names),
                   lambda b: file_stem(b, prefix=f"{stem}-", tail=tail, exts=formats, limit=limit),
                   summary.settings.max_branches)


def fanout_findings(plan: FanOut, noun: str, outputs: str, key: str, cap: int, priority: str,
                    hint: str = "") -> list[Finding]:
    """What a plan left out, as findings: the items over the cap (one finding) and each name that could not
    be made a file of its own."""
    found = []
    if plan.over_cap:
        total = len(plan.stems) + len(plan.over_cap) + len(plan.clashes) + len(plan.too_long)
        examples = "、".join(plan.over_cap[:3]) + ("……" if len(plan.over_cap) > 3 else "")
        found.append(make("output.capped", f"有 {total:,} 个{noun}，超过{outputs}的上限 {cap:,} 个（qudao.toml 的 "
                                           f"[output] {key}）：{priority}的 {cap:,} 个{noun}有{outputs}，其余 "
                                           f"{len(plan.over_cap):,} 个没有（如 {examples}）{hint}",
                          value=len(plan.over_cap)))
    for item, other in plan.clashes:
        found.append(make("output.name", f"{noun}「{item}」的{outputs}文件名与{noun}「{other}」的相同，没有写出；"
                                         "请把其中一个名称改得不同", value=item))
    for item in plan.too_long:
        found.append(make("output.name", f"{noun}「{item}」无法作为文件名，没有写出{outputs}", value=item))
    return found


BRANCH_PRIORITY = "分所名单中的和登记最多"


def branch_findings(plan: FanOut, summary: Summary, outputs: str = "分所报告") -> list[Finding]:
    return fanout_findings(plan, "分所", outputs, "max_branches", summary.settings.max_branches, BRANCH_PRIORITY,
                           "；分所这么多，常见于「所属分所」一列填错")


def week_fanout_findings(out: Path, label: str, summary: Summary, week_summary: Summary) -> list[Finding]:
    """``rollup``: what the week folder's 分所/, 待办/ and 对账单/ will leave out (over the caps, names that
    cannot be files), as findings of the week — decided before anything is written."""
    from qudao.jobs.statement import statement_plan

    found = branch_findings(branch_plan(summary, f"汇总-{label}", out), summary, "分所报告和待办清单")
    found += statement_findings(statement_plan(week_summary, label, out), week_summary)
    return found


def statement_findings(plan: FanOut, summary: Summary) -> list[Finding]:
    return fanout_findings(plan, "渠道", "对账单", "max_channels", summary.settings.max_channels,
                           "成交和登记最多", "；需要时可用 qudao statement --channel 单独生成")


def write_branch_reports(folder: Path, summary: Summary, stem: str, force: bool = False,
                         created: _dt.datetime | None = None,
                         say: Callable[[str], None] = lambda line: None, plan: FanOut | None = None,
                         card_warning: bool = True) -> list[Path]:
    """One report per 分所 — the xlsx, the printable HTML and the PNG card — holding only that branch's
    channels, customers and files (analysis/branch.py), for the branches of ``plan`` (default
    :func:`branch_plan`). A file name the file system refuses loses that branch's report only (said)."""
    from qudao.analysis.branch import branch_summary
    from qudao.jobs.summarize import SummaryRun
    from qudao.report.card import summary_card, write_card

    plan = plan or branch_plan(summary, stem, folder)
    written: list[Path] = []
    warned = not card_warning  # the cards' font warning, once
    for branch, name in sorted(plan.stems.items()):
        files = {suffix: folder / f"{name}{suffix}" for suffix in BRANCH_FORMATS}
        cut = branch_summary(summary, branch)
        try:
            written += SummaryRun(cut, cut.reports).write(xlsx=files[".xlsx"], html=files[".html"], force=force,
                                                          created=created)
            png, warning = write_card(summary_card(cut.to_json(), cut.title, period=cut.period_text), files[".png"],
                                      force=force)
        except OutputError as exc:
            if exc.errno not in NAME_ERRORS:
                raise
            say(f"警告：分所「{branch}」的报告没有写出（{exc.message}）")
            continue
        if png is not None:
            written.append(png)
        if warning and not warned:
            say(f"警告：{warning}")
            warned = True
    return written
