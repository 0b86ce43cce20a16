"""The unattended weekly job behind ``qudao rollup``.

Reads the whole inbox (history is needed for attribution), summarizes the
chosen week and cumulatively with the summary job's own steps
(:mod:`qudao.jobs.summarize`), compares with the previous week's folder and
writes ``OUT/<week>/`` — built in a hidden sibling and swapped into place
atomically, under a lock on ``OUT`` (:mod:`qudao.jobs.folder`). The same
inbox and options give byte-identical files: document dates derive from the
week, everything is sorted, and no wall-clock time or absolute path is
written.
"""

from __future__ import annotations

import datetime as _dt
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from qudao import __version__
from qudao.analysis.register import Period
from qudao.analysis.summary import Summary
from qudao.analysis.week import (
    compare,
    conflict_key,
    flag_new_overdue,
    late_changes,
    week_json,
)
from qudao.check.engine import Input, Options, collect, sha256_of
from qudao.config import Settings
from qudao.errors import OutputError, UsageError, os_error_cn
from qudao.findings import Finding, make
from qudao.jobs.folder import lock, recover, swap_into_place
from qudao.jobs.share import week_extras, week_fanout_findings
from qudao.jobs.summarize import SummaryRun, read_inbox, summarize
from qudao.records import FileReport
from qudao.safe import json_chunks
from qudao.weeks import previous, resolve, week_range


@dataclass
class RollupResult:
    week: str
    folder: Path
    summary: Summary
    week_summary: Summary
    files: list[Path]
    previous_found: bool
    new_conflicts: int
    seconds: float
    lines: list[str] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return self.summary.has_errors


def run_rollup(inbox: Path, out: Path, week_spec: str = "last", settings: Settings | None = None,
               as_of: _dt.date | None = None, today: _dt.date | None = None, workers: int | None = None,
               say: Callable[[str], None] = lambda line: None, progress: Callable | None = None,
               wait: float = 0.0) -> RollupResult:
    """The whole weekly job. ``say`` receives one plain line per step."""
    started = time.monotonic()
    settings = settings or Settings()
    if not inbox.is_dir():
        raise UsageError(f"收件箱文件夹不存在：{inbox}")
    if out.exists() and not out.is_dir():
        raise OutputError(f"--out 不是文件夹：{out}")
    inbox_real, out_real = inbox.resolve(), out.resolve()
    if out_real == inbox_real or inbox_real in out_real.parents:
        # its own reports would be read back as inputs next week, and the manifest would list them
        raise UsageError(f"--out 不能在收件箱里面（{out} 在 {inbox} 之内）；请把结果写到收件箱之外的文件夹")
    base = as_of or today or _dt.date.today()
    label = resolve(week_spec, base, settings.week_start)
    start, end = week_range(label, settings.week_start)
    # The checking date derives from the week (not the wall clock) unless --as-of is given,
    # so re-running a week on another day writes the same bytes.
    check_day = as_of or (base if week_spec.strip().lower() == "this" else end + _dt.timedelta(days=1))
    with lock(out, wait):
        recover(out)  # every week's leftovers of a killed run
        say(settings.config_line())
        inputs = collect([inbox])
        say(f"读取收件箱 {inbox.name}：{len(inputs)} 个文件")
        read = read_inbox(inputs, Options(as_of=check_day, extra={"settings": settings}), workers, progress)
        if inputs.skipped:
            say(f"跳过 {len(inputs.skipped)} 个非表格文件：" + "；".join(
                f"{s.display}（{s.message}）" for s in inputs.skipped[:5]) + ("……" if len(inputs.skipped) > 5 else ""))
        later = [r.path for r in read.reports if r.received_later]
        if later:
            say(f"{len(later)} 个文件的报送日期晚于 {check_day.isoformat()}，本次不计：" + "、".join(later[:5]))
        # Everything up to the end of the week, as the inbox stood on the as-of day: a copy received
        # later, or an event dated after the week, never changes this week's report (docs/time.md).
        summary = summarize(read, settings, Period(None, end), check_day)
        week_summary = summarize(read, settings, Period(start, end), check_day, like=summary)
        missing = missing_submissions(read, start, end)
        summary.findings.extend(missing)
        summary.findings.extend(week_fanout_findings(out, label, summary, week_summary))  # over the caps
        say(f"核对：{summary.reconciliation}；错误 {sum(1 for f in summary.findings if f.severity == 'error')} 条")

        # Week over week: the report made a week ago (the inbox as it stood then), and the cumulative
        # figures to the end of the last two weeks on today's inbox — so that the change of every
        # cumulative figure = this week's change + what arrived late for earlier weeks, exactly.
        prev_start, prev_end = start - _dt.timedelta(days=7), end - _dt.timedelta(days=7)
        prev_day = check_day - _dt.timedelta(days=7)
        last_report = summarize(read.as_of(prev_day, settings), settings, Period(None, prev_end), prev_day)
        before = summarize(read, settings, Period(None, prev_end), check_day, sections=False)
        before_last = summarize(read, settings, Period(None, prev_end - _dt.timedelta(days=7)), check_day,
                                sections=False)
        last_week = summarize(read, settings, Period(prev_start, prev_end), check_day, like=summary)
        prev_label = previous(label, settings.week_start)
        data = summary.to_json()
        data["week"] = week_json(week_summary, label, start, end)
        prior = last_report.to_json()
        data["week_over_week"] = compare(data, week_json(last_week, prev_label, prev_start, prev_end), prior,
                                         before.to_json(), before_last.to_json())
        data["late"] = late_changes(last_report, before, prev_end, settings)
        old_conflicts = {conflict_key(c) for c in prior["conflicts"]}
        for c in data["conflicts"]:
            c["new"] = conflict_key(c) not in old_conflicts
        for c in data["week"]["conflicts"]:
            c["new"] = conflict_key(c) not in old_conflicts
        flag_new_overdue(data, prior)
        new_conflicts = sum(1 for c in data["conflicts"] if c["new"])
        data["generator"] = f"qudao {__version__}"

        built = out / f".{label}.tmp-{os.getpid()}"
        target = out / label
        try:
            if built.exists():
                shutil.rmtree(built)
            built.mkdir(parents=True)
            files = _write_week(built, label, summary, data, read.reports, inputs, end)
            from qudao.jobs.assess import period_end_assessments

            files += period_end_assessments(built, read, settings, check_day, end)  # a quarter's end: its 考核
            files += week_extras(built, label, summary, data, end, say)  # the PNG card, 分所/
            from qudao.jobs.statement import rollup_statements
            from qudao.jobs.todo import rollup_todos

            # issue 14: a statement per channel (the week's), a to-do list per branch (for the week of the as-of day)
            files += rollup_statements(built, label, week_summary, _dt.datetime.combine(end, _dt.time(0, 0)), say)
            files += rollup_todos(built, label, read, settings, check_day,
                                  _dt.datetime.combine(check_day, _dt.time(0, 0)), like=summary, say=say)
            swap_into_place(built, target)
        except (OSError, OutputError) as exc:  # a full disk, a read-only file system: the previous folder stays
            shutil.rmtree(built, ignore_errors=True)
            cause = exc if isinstance(exc, OSError) else OSError(exc.errno, "") if exc.errno else None
            if cause is None:
                raise
            raise OutputError(f"无法写入 {target}：{os_error_cn(cause, path=False)}；{label} 原有的结果保持不变，"
                              "没有写入不完整的文件") from None
        except BaseException:
            shutil.rmtree(built, ignore_errors=True)
            raise
        say(f"写入 {target}：{len(files)} 个文件；本周 {label}（{start.isoformat()} 至 {end.isoformat()}）"
            f"登记 {data['week']['totals'].get('registrations', 0)}，累计登记 {data['totals'].get('registrations', 0)}"
            f"；迟报/更正 {len(data['late'])} 项；新增撞单 {new_conflicts}")
    return RollupResult(label, out / label, summary, week_summary, [out / label / f.relative_to(built) for f in files],
                        True, new_conflicts, time.monotonic() - started)


def missing_submissions(read, start: _dt.date, end: _dt.date) -> list[Finding]:
    """submission.missing: a series with a copy dated in the week before ``start`` and none dated in
    ``start``–``end`` (among the copies received by the as-of day). The finding points at the last copy."""
    from qudao.schema import get_kind

    tl = read.timeline
    by_series: dict[str, list[FileReport]] = {}
    for report in read.reports:
        key = tl.series.get(report.path)
        if key is not None and report.path not in tl.later:
            by_series.setdefault(key, []).append(report)
    out = []
    week_before = start - _dt.timedelta(days=7)
    for key, copies in sorted(by_series.items()):
        days = [tl.dates.get(r.path) for r in copies]
        if any(d is not None and start <= d <= end for d in days):
            continue
        last_week = [r for r, d in zip(copies, days) if d is not None and week_before <= d < start]
        if not last_week:
            continue
        last = max(last_week, key=lambda r: (tl.dates[r.path], r.order))
        name = key.split("|", 1)[1].replace("|", " ")
        out.append(make("submission.missing",
                        f"{get_kind(last.kind).title}「{name}」上周报送了，本周（{start.isoformat()} 至 {end.isoformat()}）"
                        f"没有收到新的一份；最近一份是 {last.path.rsplit('/', 1)[-1]}（{tl.dates[last.path].isoformat()}）",
                        file=last.path))
    return out


def _write_week(folder: Path, label: str, summary: Summary, data: dict[str, Any], reports,
                inputs: list[Input], end: _dt.date) -> list[Path]:
    from qudao.report.week import week_context, week_sheet_writer

    stem = f"汇总-{label}"
    files = SummaryRun(summary, reports).write(
        xlsx=folder / f"{stem}.xlsx", html=folder / f"{stem}.html", md=folder / f"{stem}.md", force=True,
        created=_dt.datetime.combine(end, _dt.time(0, 0)), lead_writers=[week_sheet_writer(data)],
        week=week_context(data, label))
    files.append(_write_json(folder / f"{stem}.json", data))
    findings = [f.to_dict(with_file=True) for f in summary.sorted_findings()]
    config = data["settings"]["config"]
    files.append(_write_json(folder / "findings.json", {"week": label, "config": config, "count": len(findings),
                                                        "findings": findings}))
    manifest = {"week": label, "generator": data["generator"], "as_of": data["as_of"], "config": config,
                "inputs": [], "skipped": []}
    for report in reports:
        entry = {"path": report.path, "size": report.size,
                 "sha256": report.sha256 or None,  # of the bytes that were read (check.engine.fingerprint)
                 "kind": report.kind, "status": "received_later" if report.received_later else report.status,
                 "rows": {"read": report.rows_read, "accepted": report.rows_accepted,
                          "rejected": report.rows_rejected, "skipped": report.rows_skipped},
                 "errors": report.errors, "warnings": report.warnings}
        if report.series:
            entry.update(series=report.series, copy_date=report.copy_date.isoformat() if report.copy_date else None,
                         superseded_by=report.superseded_by)
        elif report.received_later:
            entry["copy_date"] = report.copy_date.isoformat() if report.copy_date else None
        manifest["inputs"].append(entry)
    for skip in inputs.skipped if hasattr(inputs, "skipped") else ():
        entry = skip.to_dict()
        if skip.reason in ("unsupported", "archive", "lock_file", "hidden"):
            digest = _hash(skip.path)
            if digest:
                entry.update(size=skip.path.stat().st_size, sha256=digest)
        manifest["skipped"].append(entry)
    files.append(_write_json(folder / "manifest.json", manifest))
    return files


def _hash(path: Path | None) -> str | None:
    """The sha256 of a regular file; None for anything else (a device, a pipe, a link) or when unreadable."""
    try:
        if path is None or path.is_symlink() or not path.is_file():
            return None
        return sha256_of(path)
    except OSError:
        return None


def _write_json(path: Path, data: Any) -> Path:
    """Written piece by piece (the same bytes as ``json_text(data) + "\\n"``, never whole in memory)."""
    with open(path, "w", encoding="utf-8") as fh:
        batch: list[str] = []
        for chunk in json_chunks(data):
            batch.append(chunk)
            if len(batch) >= 65536:
                fh.write("".join(batch))
                batch.clear()
        fh.write("".join(batch) + "\n")
    return path
