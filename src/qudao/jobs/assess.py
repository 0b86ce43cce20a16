"""The assessment job: ``qudao assess`` and the quarter-end part of ``qudao rollup``.

Reads the inbox with the summary job's own step (:func:`qudao.jobs.summarize.read_inbox`), summarizes the
period and the periods before it with the same attribution and counting as ``summarize``
(:func:`qudao.jobs.summarize.summarize`, events up to each period's end), and assesses them oldest first so
that each one knows the previous result (the 不合格 streak). Outputs are written atomically.
"""

from __future__ import annotations

import datetime as _dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from qudao.analysis.assess import Assessment, assess
from qudao.analysis.register import Period
from qudao.check.engine import Input, Options
from qudao.config import Settings
from qudao.jobs.summarize import Inbox, read_inbox, summarize
from qudao.periods import ReviewPeriod, periods_ending_in


@dataclass
class AssessRun:
    assessment: Assessment
    reports: list

    def json_text(self) -> str:
        return json.dumps(self.assessment.to_json(), ensure_ascii=False, indent=1) + "\n"

    def write(self, xlsx: Path | None = None, html: Path | None = None, md: Path | None = None,
              json_path: Path | None = None, force: bool = False, created: _dt.datetime | None = None) -> list[Path]:
        from qudao.write.atomic import write_text

        written: list[Path] = []
        if xlsx is not None:
            from qudao.report.assess import write_assessment_xlsx

            written.append(write_assessment_xlsx(self.assessment, xlsx, force=force, created=created))
        if html is not None or md is not None:
            from qudao.report.assess import render_assessment

            if html is not None:
                written.append(write_text(html, render_assessment(self.assessment, "html"), force=force))
            if md is not None:
                written.append(write_text(md, render_assessment(self.assessment, "md"), force=force))
        if json_path is not None:
            written.append(write_text(json_path, self.json_text(), force=force))
        return written


def assess_inbox(inbox: Inbox, period: ReviewPeriod, settings: Settings, as_of: _dt.date) -> Assessment:
    """The assessment of ``period``, with the periods before it assessed first: enough of them to know
    whether a channel failed ``assess.adjust_after`` periods in a row (at least the previous one, shown beside)."""
    back = max(settings.adjust_after - 1, 1)
    prior: Assessment | None = None
    for steps in range(back, -1, -1):
        p = period.previous(steps) if steps else period
        # events up to the period's end, and none after the as-of day (a period not over yet)
        summary = summarize(inbox, settings, Period(p.start, min(p.end, as_of)), as_of)
        prior = assess(p, summary, inbox.reports, settings, as_of, prior)
    assert prior is not None
    return prior


def run_assess(inputs: list[Input], period: ReviewPeriod, settings: Settings | None = None,
               as_of: _dt.date | None = None, workers: int | None = None, progress: Callable | None = None,
               debug: bool = False) -> AssessRun:
    """``qudao assess``: read the inputs and assess the period."""
    settings = settings or Settings()
    as_of = as_of or _dt.date.today()
    inbox = read_inbox(inputs, Options(as_of=as_of, debug=debug, extra={"settings": settings}), workers, progress)
    return AssessRun(assess_inbox(inbox, period, settings, as_of), inbox.reports)


def period_end_assessments(folder: Path, inbox: Inbox, settings: Settings, as_of: _dt.date,
                           end: _dt.date) -> list[Path]:
    """``qudao rollup``: the week ending on ``end`` holds the last day of a quarter (half-year, year) →
    ``考核-<period>.xlsx/.html/.md/.json`` of each such period in the week folder; else nothing.
    ``inbox`` is the week's inbox, read once for the rollup."""
    periods = periods_ending_in(end - _dt.timedelta(days=6), end)
    if not periods:
        return []
    created = _dt.datetime.combine(end, _dt.time(0, 0))
    written: list[Path] = []
    for period in periods:
        run = AssessRun(assess_inbox(inbox, period, settings, as_of), inbox.reports)
        stem = folder / f"考核-{period.label}"
        written += run.write(xlsx=stem.with_suffix(".xlsx"), html=stem.with_suffix(".html"),
                             md=stem.with_suffix(".md"), json_path=stem.with_suffix(".json"), force=True,
                             created=created)
    return written
