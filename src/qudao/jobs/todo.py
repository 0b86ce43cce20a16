"""The to-do job: ``qudao todo`` and the 待办 folder of ``qudao rollup``.

Reads the inbox with the summary job's own step, attributes the history up to the as-of day (the same
attribution and protection periods as ``qudao summarize``), finds the series that stopped arriving in the
last complete week (``jobs.weekly.missing_submissions``) and builds the week's lists
(:mod:`qudao.analysis.todo`), written by :mod:`qudao.report.todo`.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from qudao.analysis.attribution import Attribution
from qudao.analysis.register import Period
from qudao.analysis.summary import Summary
from qudao.analysis.todo import Todo, build_todo
from qudao.check.engine import Input, Options
from qudao.config import Settings
from qudao.jobs.summarize import Inbox, read_inbox, summarize

FOLDER = "待办"


@dataclass
class TodoRun:
    todo: Todo  # every branch's items; pick one with analysis.todo.pick
    summary: Summary

    @property
    def has_errors(self) -> bool:
        return self.summary.has_errors


def write_todo(todo: Todo, xlsx: Path | None = None, html: Path | None = None, md: Path | None = None,
               force: bool = False, show_phones: bool = False, created: _dt.datetime | None = None) -> list[Path]:
    from qudao.report.todo import render_todo, write_todo_xlsx
    from qudao.write.atomic import write_text

    written = []
    if xlsx is not None:
        written.append(write_todo_xlsx(todo, xlsx, force=force, show_phones=show_phones, created=created))
    if html is not None:
        written.append(write_text(html, render_todo(todo, "html", show_phones), force=force))
    if md is not None:
        written.append(write_text(md, render_todo(todo, "md", show_phones), force=force))
    return written


def last_complete_week(as_of: _dt.date, settings: Settings) -> tuple[_dt.date, _dt.date]:
    """The last week (by ``week.start``) that ended before the as-of day: the week ``rollup`` reports on when
    run on the Monday after it."""
    from qudao.weeks import week_start

    first = week_start(as_of - _dt.timedelta(days=7), settings.week_start)
    return first, first + _dt.timedelta(days=6)


def todo_of(inbox: Inbox, settings: Settings, as_of: _dt.date, horizon: int | None = None,
            like: Summary | None = None) -> TodoRun:
    """The week's lists on ``as_of`` from an inbox read on that day. ``like`` may be a summary of the same inbox
    and as-of day up to the day before (the rollup's): its attribution is the same when no event is dated on
    the as-of day itself, and is then reused."""
    from qudao.jobs.weekly import missing_submissions

    if like is not None and _same_history(inbox, like, as_of):
        summary = like
    else:
        summary = summarize(inbox, settings, Period(None, as_of), as_of, sections=False)
    reg = summary.registers
    att = reg.attribution if reg is not None else Attribution([], [], [], [])
    start, end = last_complete_week(as_of, settings)
    by_path = {r.path: r for r in inbox.reports}
    missing = [(f, by_path[f.file], inbox.timeline.series[f.file]) for f in missing_submissions(inbox, start, end)]
    current = [r for r in inbox.reports if inbox.timeline.current(r)]
    todo = build_todo(att, reg.channel_info if reg is not None else {}, current, settings, as_of, horizon, missing)
    return TodoRun(todo, summary)


def _same_history(inbox: Inbox, like: Summary, as_of: _dt.date) -> bool:
    """``like`` counted everything up to the day before ``as_of`` on this day's inbox, and nothing is dated
    ``as_of``: attributing up to ``as_of`` would give the same result."""
    if like.registers is None or like.as_of != as_of or like.period.start is not None:
        return False
    if like.period.end != as_of - _dt.timedelta(days=1):
        return False
    return not any(s.registered == as_of or s.visit == as_of or s.deal == as_of for s in inbox.counted_submissions)


def run_todo(inputs: list[Input], settings: Settings | None = None, as_of: _dt.date | None = None,
             horizon: int | None = None, workers: int | None = None, progress: Callable | None = None,
             debug: bool = False) -> TodoRun:
    """``qudao todo``: read the inputs and make the week's lists."""
    settings = settings or Settings()
    as_of = as_of or _dt.date.today()
    inbox = read_inbox(inputs, Options(as_of=as_of, debug=debug, extra={"settings": settings}), workers, progress)
    return todo_of(inbox, settings, as_of, horizon)


def rollup_todos(folder: Path, label: str, inbox: Inbox, settings: Settings, as_of: _dt.date,
                 created: _dt.datetime, like: Summary | None = None,
                 say: Callable[[str], None] = lambda line: None) -> list[Path]:
    """``qudao rollup``: ``待办/待办-<分所>-<week>.xlsx`` and ``.html`` for every branch (at most ``[output]
    max_branches``, in the order of the branch reports), as ``qudao todo --branch … --as-of <the rollup's
    as-of day>`` writes them. A file name the file system refuses loses that branch's list only."""
    from qudao.errors import OutputError
    from qudao.filenames import NAME_ERRORS
    from qudao.jobs.share import branch_plan

    run = todo_of(inbox, settings, as_of, like=like)
    plan = branch_plan(like or run.summary, "待办", folder, names=run.todo.branches, tail=f"-{label}",
                       formats=(".xlsx", ".html"))
    written: list[Path] = []
    for branch, stem in sorted(plan.stems.items()):
        try:
            written += write_todo(run.todo.for_branch(branch), folder / FOLDER / f"{stem}.xlsx",
                                  folder / FOLDER / f"{stem}.html", force=True, created=created)
        except OutputError as exc:
            if exc.errno not in NAME_ERRORS:
                raise
            say(f"警告：分所「{branch}」的待办清单没有写出（{exc.message}）")
    return written
