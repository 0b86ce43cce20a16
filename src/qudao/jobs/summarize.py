"""The summary job: inputs → checked reports → Summary → files.

:func:`read_inbox` reads and checks the inputs (in worker processes),
:func:`summarize` counts one period of what was read, :func:`run_summary`
is both for ``qudao summarize`` and ``qudao demo``. ``qudao rollup``
(:mod:`qudao.jobs.weekly`) calls the same two steps. The writers of
:class:`SummaryRun` put every output in place atomically.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from qudao.analysis.attribution import Submission
from qudao.analysis.register import Period
from qudao.analysis.summary import Summary, build_summary
from qudao.check.engine import (
    Input,
    Options,
    check_file,
    folder_reports,
    place_in_time,
    read_all,
)
from qudao.check.series import Timeline, timeline
from qudao.config import Settings
from qudao.findings import make
from qudao.records import FileReport
from qudao.safe import json_text as strict_json


@dataclass
class SummaryRun:
    summary: Summary
    reports: list

    def json_text(self) -> str:
        return strict_json(self.summary.to_json()) + "\n"

    def write(self, xlsx: Path | None = None, html: Path | None = None, md: Path | None = None,
              json_path: Path | None = None, force: bool = False, created: _dt.datetime | None = None,
              lead_writers: list[Callable] = (), **extra: Any) -> list[Path]:
        """Write the asked outputs; ``lead_writers`` add sheets after 总览, ``extra`` goes to html/md."""
        from qudao.write.atomic import write_text

        written: list[Path] = []
        if xlsx is not None:
            from qudao.report.kinds import extra_sheet_writers
            from qudao.report.xlsx import write_summary_xlsx

            written.append(write_summary_xlsx(self.summary, xlsx, force=force, created=created,
                                              lead_writers=lead_writers,
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
            from qudao.safe import json_chunks
            from qudao.write.atomic import write_chunks

            written.append(write_chunks(json_path, _final_newline(json_chunks(self.summary.to_json())), force=force))
        return written


@dataclass
class Inbox:
    """What reading a set of inputs produced, as seen on one as-of day: a report per input (and per
    unreadable folder), every accepted register row as an attribution submission (the rows themselves
    are not kept), the entries passed over, and the timeline (docs/time.md) of the day."""

    inputs: list[Input]
    reports: list[FileReport]
    submissions: list[Submission]
    timeline: Timeline
    skipped: list = field(default_factory=list)

    @property
    def counted(self) -> list[FileReport]:
        """The reports received by the as-of day."""
        return [r for r in self.reports if r.path not in self.timeline.later]

    @property
    def counted_submissions(self) -> list[Submission]:
        later = self.timeline.later
        return [s for s in self.submissions if s.source.file not in later] if later else self.submissions

    def as_of(self, day: _dt.date, settings: Settings) -> Inbox:
        """The same inbox as it could be seen on an earlier ``day`` (figures only: the reports keep the
        flags of the output day)."""
        return Inbox(self.inputs, self.reports, self.submissions,
                     timeline(self.reports, day, settings.canonical_channel), self.skipped)


class Packed:
    """Submissions on their way back from a worker, pickled in chunks of :attr:`CHUNK` as flat tuples.
    Pickling half a million submissions at once keeps a memo entry per object (≈ 400 MB for 570,000
    register rows); in chunks the memo stays small and each side frees the objects chunk by chunk, and flat
    tuples pickle and load at C speed (the objects are rebuilt on arrival: ≈ 3 instead of ≈ 24 µs a row)."""

    CHUNK = 5000

    def __init__(self, submissions: list[Submission]):
        import pickle

        self.count = len(submissions)
        blobs = []
        while submissions:  # from the end: each chunk is freed as soon as it is pickled
            chunk = submissions[-self.CHUNK:]
            blobs.append(pickle.dumps(_flat(chunk), protocol=pickle.HIGHEST_PROTOCOL))
            del submissions[-self.CHUNK:], chunk
        blobs.reverse()
        self.blobs = blobs

    def __len__(self) -> int:
        return self.count

    def unpack(self) -> list[Submission]:
        """The submissions (once: the chunks are consumed)."""
        import pickle

        out: list[Submission] = []
        blobs, self.blobs = self.blobs, []
        blobs.reverse()
        while blobs:
            out.extend(_rebuilt(pickle.loads(blobs.pop())))
        return out


def _flat(chunk: list[Submission]) -> tuple:
    from qudao.analysis.register import Source
    from qudao.records import Values

    if not all(s.__class__ is Submission and s.source.__class__ is Source and s.source.values.__class__ is Values
               for s in chunk):
        return ("objects", chunk)
    return ("flat", [(s.channel, s.customer, s.name, s.registered, s.visit, s.deal, s.deal_amount, s.deal_property,
                      s.recency, o.file, o.sheet, o.row, o.values._keys, o.values._vals, o.extras, o.channel_type,
                      o.branch, o.phone_column) for s in chunk for o in (s.source,)])


def _rebuilt(packed: tuple) -> list[Submission]:
    from qudao.analysis.register import Source
    from qudao.records import Values

    form, items = packed
    if form == "objects":
        return items
    return [Submission(ch, cu, na, rg, vi, de, am, pr, rc, Source(fi, sh, ro, Values(ke, va), ex, ty, br, ph))
            for ch, cu, na, rg, vi, de, am, pr, rc, fi, sh, ro, ke, va, ex, ty, br, ph in items]


def _check_for_summary(item: Input, options: Options) -> tuple[FileReport, Packed]:
    """check_file + the per-file part of the summary, done where the file was read (a worker):
    accepted register rows become attribution submissions, and the rows are released (not sent back)."""
    from qudao.analysis.register import SHEET, report_submissions

    report = check_file(item, options)
    if report.kind != "register":
        return report, Packed([])
    try:
        submissions = report_submissions(report, options.extra["settings"], options.extra.get("details", True))
    except Exception as exc:  # one file's rows never stop the run
        if options.debug:
            raise
        report.findings.append(make("check.failed", f"整理登记行时出错（{type(exc).__name__}: {str(exc)[:200]}），"
                                    "本文件的登记未计入；请把文件发给管理员", file=report.path))
        submissions = []
    for table in report.tables_for(SHEET):
        table.release()  # counted already; the submissions carry every accepted value
    return report, Packed(submissions)


def read_inbox(inputs: list[Input], options: Options, workers: int | None = None,
               progress: Callable | None = None) -> Inbox:
    """Check every input (in worker processes) and place the copies in time on ``options.as_of``."""
    results = read_all(inputs, options, _check_for_summary, progress=progress, workers=workers)
    reports = [report for report, _subs in results]
    submissions: list[Submission] = []
    for _report, packed in results:
        submissions.extend(packed.unpack() if isinstance(packed, Packed) else packed or ())
    del results
    reports += folder_reports(inputs, len(reports))
    tl = place_in_time(reports, options)
    return Inbox(inputs, reports, submissions, tl, list(getattr(inputs, "skipped", ())))


def summarize(inbox: Inbox, settings: Settings, period: Period, as_of: _dt.date, show_phones: bool = False,
              like: Summary | None = None, sections: bool = True) -> Summary:
    """The summary of one period, from the copies received by the inbox's as-of day: attribution and
    counting of the registers (history up to the period's end), every other kind's roll-up (unless
    ``sections`` is off). ``like`` is a summary of the same inbox and end whose attribution and roll-ups
    are reused."""
    from qudao.analysis.kinds import kind_rollups

    from qudao.analysis.anomaly import backfills, compete_from_copy

    reports = inbox.counted
    att = like.registers.attribution if like is not None and like.registers else None
    terms = like.registers.terms if like is not None and like.registers else None
    current = inbox.timeline.current
    submissions = inbox.counted_submissions
    found = backfills(submissions, copy_days(inbox.timeline), inbox.timeline.series)  # 补登 (issue 24)
    if settings.anomaly_backfill == "from_copy":
        submissions = compete_from_copy(submissions, found)
    summary = build_summary(reports, settings, period, as_of, show_phones, terms=terms, att=att,
                            submissions=submissions, current=current)
    if like is not None:
        summary.kinds = like.kinds
        watch = like.kinds.get("anomaly")
        summary.findings.extend(getattr(watch, "findings", ()))
    elif sections:
        summary.kinds = kind_rollups([r for r in reports if current(r)], settings, as_of)
        from qudao.analysis.asks import asks_section

        asks = asks_section(reports, inbox.timeline, as_of)  # issue 14: HQ's open asks, aged over the copies
        if asks is not None:
            summary.kinds["asks"] = asks
        from qudao.analysis.anomaly import anomaly_section
        from qudao.analysis.evidence import evidence_section

        watch = anomaly_section(summary, found, [r for r in reports if current(r)])  # issue 24: 异常监控
        if watch is not None:
            summary.kinds["anomaly"] = watch
            summary.findings.extend(watch.findings)
        checked = evidence_section(summary)  # issue 24: 案场核对
        if checked is not None:
            summary.kinds["evidence"] = checked
    summary.skipped = inbox.skipped
    return summary


def copy_days(tl: Timeline) -> dict[str, Any]:
    """Each copy's date for the rules that ask when a copy came in (补登): the day the weekly record received it
    when the record knows (``Timeline.received``), else its copy date (docs/time.md)."""
    received = getattr(tl, "received", None) or {}
    return {path: received.get(path) or day for path, day in tl.dates.items()}


def run_summary(inputs: list[Input], settings: Settings | None = None, start: _dt.date | None = None,
                end: _dt.date | None = None, as_of: _dt.date | None = None, show_phones: bool = False,
                workers: int | None = None, progress: Callable | None = None,
                debug: bool = False, details: bool = True) -> SummaryRun:
    """``qudao summarize``: read the inputs and summarize the period. Without ``details`` (no 明细 sheet will
    be written) each register row keeps only the values the roll-ups read."""
    settings = settings or Settings()
    as_of = as_of or _dt.date.today()
    options = Options(as_of=as_of, debug=debug, extra={"settings": settings, "details": details})
    inbox = read_inbox(inputs, options, workers, progress)
    return SummaryRun(summarize(inbox, settings, Period(start, end), as_of, show_phones), inbox.reports)


def _final_newline(chunks: Iterable[str]) -> Iterator[str]:
    yield from chunks
    yield "\n"
