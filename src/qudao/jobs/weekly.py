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
import json
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from qudao import __version__
from qudao.analysis.register import Period
from qudao.analysis.summary import Summary
from qudao.analysis.week import compare, conflict_key, flag_new_overdue, week_json
from qudao.check.engine import Input, Options, collect, sha256_of
from qudao.config import Settings
from qudao.errors import OutputError, UsageError
from qudao.jobs.folder import lock, recover, swap_into_place
from qudao.jobs.share import week_extras
from qudao.jobs.summarize import SummaryRun, read_inbox, summarize
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
    base = as_of or today or _dt.date.today()
    label = resolve(week_spec, base, settings.week_start)
    start, end = week_range(label, settings.week_start)
    # The checking date derives from the week (not the wall clock) unless --as-of is given,
    # so re-running a week on another day writes the same bytes.
    check_day = as_of or (base if week_spec.strip().lower() == "this" else end + _dt.timedelta(days=1))
    with lock(out, wait):
        recover(out, label)
        inputs = collect([inbox])
        say(f"读取收件箱 {inbox.name}：{len(inputs)} 个文件")
        read = read_inbox(inputs, Options(as_of=check_day, extra={"settings": settings}), workers, progress)
        # cumulative = everything up to the end of the week (a later file's events stay out of an
        # earlier week's report); attribution always uses all history
        summary = summarize(read, settings, Period(None, end), check_day)
        week_summary = summarize(read, settings, Period(start, end), check_day, like=summary)
        say(f"核对：{summary.reconciliation}；错误 {sum(1 for f in summary.findings if f.severity == 'error')} 条")

        data = summary.to_json()
        data["week"] = week_json(week_summary, label, start, end)
        prior = _load_previous(out, previous(label, settings.week_start))
        data["week_over_week"] = compare(data, prior)
        old_conflicts = {conflict_key(c) for c in prior.get("conflicts", [])} if prior else set()
        for c in data["conflicts"]:
            c["new"] = prior is not None and conflict_key(c) not in old_conflicts
        for c in data["week"]["conflicts"]:
            c["new"] = prior is not None and conflict_key(c) not in old_conflicts
        flag_new_overdue(data, prior)
        new_conflicts = sum(1 for c in data["conflicts"] if c["new"])
        data["generator"] = f"qudao {__version__}"

        built = out / f".{label}.tmp-{os.getpid()}"
        if built.exists():
            shutil.rmtree(built)
        built.mkdir(parents=True)
        try:
            files = _write_week(built, label, summary, data, read.reports, inputs, end)
            files += week_extras(built, label, summary, data, end, say)  # the PNG card, 分所/
            target = out / label
            swap_into_place(built, target)
        except BaseException:
            shutil.rmtree(built, ignore_errors=True)
            raise
        say(f"写入 {target}：{len(files)} 个文件；本周 {label}（{start.isoformat()} 至 {end.isoformat()}）"
            f"登记 {data['week']['totals'].get('registrations', 0)}，累计登记 {data['totals'].get('registrations', 0)}"
            + (f"；新增撞单 {new_conflicts}" if prior else "；没有上周的汇总可比较"))
    return RollupResult(label, out / label, summary, week_summary, [out / label / f.name for f in files],
                        prior is not None, new_conflicts, time.monotonic() - started)


def _load_previous(out: Path, label: str) -> dict[str, Any] | None:
    path = out / label / f"汇总-{label}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


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
    files.append(_write_json(folder / "findings.json", {"week": label, "count": len(findings), "findings": findings}))
    manifest = {"week": label, "generator": data["generator"], "as_of": data["as_of"], "inputs": []}
    for item, report in zip(inputs, reports):
        manifest["inputs"].append({
            "path": report.path, "size": report.size, "sha256": sha256_of(item.path), "kind": report.kind,
            "status": report.status, "rows": {"read": report.rows_read, "accepted": report.rows_accepted,
                                              "rejected": report.rows_rejected, "skipped": report.rows_skipped},
            "errors": report.errors, "warnings": report.warnings})
    files.append(_write_json(folder / "manifest.json", manifest))
    return files


def _write_json(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path
