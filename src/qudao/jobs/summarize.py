"""The whole summary job as library calls: inputs → checked reports → Summary → files.

``qudao summarize``, ``qudao rollup`` and ``qudao demo`` all run through
:func:`run_summary`; the writers of :class:`SummaryRun` put every output in
place atomically.
"""

from __future__ import annotations

import datetime as _dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from qudao.check.engine import Input, Options, check_all, check_file
from qudao.config import Settings
from qudao.analysis.register import Period
from qudao.analysis.summary import Summary, build_summary


@dataclass
class SummaryRun:
    summary: Summary
    reports: list

    def json_text(self) -> str:
        return json.dumps(self.summary.to_json(), ensure_ascii=False, indent=1, sort_keys=False) + "\n"

    def write(self, xlsx: Path | None = None, html: Path | None = None, md: Path | None = None,
              json_path: Path | None = None, force: bool = False, created: _dt.datetime | None = None,
              **extra: Any) -> list[Path]:
        from qudao.write.atomic import write_text

        written: list[Path] = []
        if xlsx is not None:
            from qudao.report.kinds import extra_sheet_writers
            from qudao.report.xlsx import write_summary_xlsx

            written.append(write_summary_xlsx(self.summary, xlsx, force=force, created=created,
                                              extra_writers=extra_sheet_writers(self.summary)))
        if html is not None or md is not None:
            from qudao.report.kinds import report_sections
            from qudao.report.text import render

            sections = report_sections(self.summary)
            if html is not None:
                written.append(write_text(html, render(self.summary, "html", extra_sections=sections, **extra),
                                          force=force))
            if md is not None:
                written.append(write_text(md, render(self.summary, "md", extra_sections=sections, **extra),
                                          force=force))
        if json_path is not None:
            written.append(write_text(json_path, self.json_text(), force=force))
        return written


def check_for_summary(item: Input, options: Options):
    """check_file + the per-file part of the summary, done where the file was read (a worker):
    accepted register rows become attribution submissions, and the rows are not sent back."""
    from qudao.analysis.register import SHEET, report_submissions

    report = check_file(item, options)
    if report.kind == "register":
        report.submissions = report_submissions(report, options.extra["settings"])
        for table in report.tables_for(SHEET):
            table.rows = []  # counted already; the submissions carry every accepted value
    return report


def read_inputs(inputs: list[Input], options: Options, workers: int | None = None,
                progress: Callable | None = None) -> tuple[list, list]:
    """Check every input; returns the reports and every register submission in input order."""
    reports = check_all(inputs, options, progress=progress, workers=workers, check=check_for_summary)
    submissions = [sub for report in reports for sub in report.submissions]
    for report in reports:
        report.submissions = []
    return reports, submissions


def run_summary(inputs: list[Input], settings: Settings | None = None, start: _dt.date | None = None,
                end: _dt.date | None = None, as_of: _dt.date | None = None, show_phones: bool = False,
                workers: int | None = None, progress: Callable | None = None,
                debug: bool = False) -> SummaryRun:
    settings = settings or Settings()
    as_of = as_of or _dt.date.today()
    options = Options(as_of=as_of, debug=debug, extra={"settings": settings})
    reports, submissions = read_inputs(inputs, options, workers, progress)
    from qudao.analysis.kinds import kind_rollups, register_overrides

    channel_days, channel_rates = register_overrides(reports, settings)
    summary = build_summary(reports, settings, Period(start, end), as_of, show_phones,
                            channel_days=channel_days, channel_rates=channel_rates, submissions=submissions)
    summary.kinds = kind_rollups(reports, settings, as_of)
    return SummaryRun(summary, reports)
