"""The channel statement job: ``qudao statement`` and the 对账单 folder of ``qudao rollup``.

Reads the inbox with the summary job's own step, summarizes the period (the same attribution, counting
and settlement as ``qudao summarize``), resolves the channel name through the channel directory and
writes the statement (:mod:`qudao.report.statement`) atomically.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from qudao.analysis.register import Period, Stats
from qudao.analysis.statement import (
    Statement,
    UnknownChannel,
    resolve_channel,
    statements,
)
from qudao.analysis.summary import Summary
from qudao.check.engine import Input, Options
from qudao.config import Settings
from qudao.errors import OutputError, UsageError
from qudao.filenames import NAME_ERRORS, FanOut, fan_out, name_max
from qudao.filenames import stem as file_stem
from qudao.jobs.summarize import Inbox, read_inbox, summarize

FOLDER = "对账单"


@dataclass
class StatementRun:
    statement: Statement
    summary: Summary
    matched: str  # how the name given matched the channel: exact, alias or short

    def write(self, xlsx: Path | None = None, html: Path | None = None, force: bool = False,
              show_phones: bool = False, created: _dt.datetime | None = None) -> list[Path]:
        return write_statement(self.statement, xlsx, html, force, show_phones, created)


def write_statement(st: Statement, xlsx: Path | None = None, html: Path | None = None, force: bool = False,
                    show_phones: bool = False, created: _dt.datetime | None = None) -> list[Path]:
    from qudao.report.statement import render_statement_html, write_statement_xlsx
    from qudao.write.atomic import write_text

    written = []
    if xlsx is not None:
        written.append(write_statement_xlsx(st, xlsx, force=force, show_phones=show_phones, created=created))
    if html is not None:
        written.append(write_text(html, render_statement_html(st, show_phones), force=force))
    return written


def week_period(spec: str, as_of: _dt.date | None, today: _dt.date, settings: Settings
                ) -> tuple[str, Period, _dt.date]:
    """``--week 2026-W48|last|this`` → (label, the week, the as-of day): as ``qudao rollup`` takes it, the
    Monday after the week unless ``as_of`` is given (``this``: today)."""
    from qudao.weeks import resolve, week_range

    base = as_of or today
    label = resolve(spec, base, settings.week_start)
    start, end = week_range(label, settings.week_start)
    day = as_of or (base if spec.strip().lower() == "this" else end + _dt.timedelta(days=1))
    return label, Period(start, end), day


def statement_of(inbox: Inbox, name: str, period: Period, settings: Settings, as_of: _dt.date) -> StatementRun:
    """The statement of the channel ``name`` designates (exactly, by an alias or by a unique short name)."""
    summary = summarize(inbox, settings, period, as_of, sections=False)
    if summary.registers is None:
        raise UsageError("输入中没有意向客户登记表，无法生成渠道对账单")
    channels = {s.channel for s in inbox.counted_submissions}
    try:
        channel, how = resolve_channel(name, channels, settings)
    except UnknownChannel as exc:
        raise UsageError(str(exc)) from None
    found = statements(summary, [channel])
    if not found:  # registered only after the period's end: an empty statement of the period
        latest = max((s for s in inbox.counted_submissions if s.channel == channel), key=lambda s: s.recency)
        found = [Statement(channel, latest.source.channel_type or "（未填）", latest.source.branch or "（未填）", period,
                           as_of, Stats(), summary.registers.terms.basis(channel), settings.protection_days)]
    return StatementRun(found[0], summary, how)


def run_statement(inputs: list[Input], name: str, period: Period, settings: Settings | None = None,
                  as_of: _dt.date | None = None, workers: int | None = None, progress: Callable | None = None,
                  debug: bool = False) -> StatementRun:
    """``qudao statement``: read the inputs and make one channel's statement of the period."""
    settings = settings or Settings()
    as_of = as_of or _dt.date.today()
    inbox = read_inbox(inputs, Options(as_of=as_of, debug=debug, extra={"settings": settings}), workers, progress)
    return statement_of(inbox, name, period, settings, as_of)


def channel_order(summary: Summary, channels: list[str]) -> list[str]:
    """Most important first, for the cap: by deals, registrations and visits of the period, then by name."""
    rows = {row.channel: row.stats for row in summary.registers.by_channel} if summary.registers else {}

    def key(channel: str) -> tuple:
        s = rows.get(channel)
        return (-(s.deals if s else 0), -(s.registrations if s else 0), -(s.visits if s else 0), channel)

    return sorted(channels, key=key)


FORMATS = (".xlsx", ".html")


def statement_plan(week_summary: Summary, label: str, folder: Path) -> FanOut:
    """Which channels get a statement in the week folder's 对账单/ and under which names:
    ``对账单-<渠道>-<week>`` (:mod:`qudao.filenames`: the same channel always the same file name, whatever other
    channels there are), at most ``[output] max_channels`` of them."""
    channels = [row.channel for row in week_summary.registers.by_channel] if week_summary.registers else []
    limit = name_max(folder)
    return fan_out(channel_order(week_summary, channels),
                   lambda c: file_stem(c, prefix="对账单-", tail=f"-{label}", exts=FORMATS, fallback="渠道",
                                       limit=limit),
                   week_summary.settings.max_channels)


def rollup_statements(folder: Path, label: str, week_summary: Summary, created: _dt.datetime,
                      say: Callable[[str], None] = lambda line: None) -> list[Path]:
    """``qudao rollup``: ``对账单/对账单-<渠道>-<week>.xlsx`` and ``.html`` for the channels of the registers (at
    most ``[output] max_channels``: :func:`statement_plan`), from the week's summary (the same figures as
    ``qudao statement --week``). A file name the file system refuses loses that channel's statement only."""
    plan = statement_plan(week_summary, label, folder)
    written: list[Path] = []
    for st in statements(week_summary, sorted(plan.stems)):
        stem = plan.stems[st.channel]
        try:
            written += write_statement(st, folder / FOLDER / f"{stem}.xlsx", folder / FOLDER / f"{stem}.html",
                                       force=True, created=created)
        except OutputError as exc:
            if exc.errno not in NAME_ERRORS:
                raise
            say(f"警告：渠道「{st.channel}」的对账单没有写出（{exc.message}）")
    return written
