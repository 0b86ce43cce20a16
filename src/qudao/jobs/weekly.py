"""The unattended weekly job behind ``qudao rollup``.

Reads the whole inbox (history is needed for attribution), counts the
chosen week and cumulatively, compares with the previous week's folder and
writes ``OUT/<week>/`` — built in a hidden sibling and swapped into place
atomically, under a lock on ``OUT``. The same inbox and options give
byte-identical files: document dates derive from the week, everything is
sorted, and no wall-clock time or absolute path is written.
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime as _dt
import errno
import json
import os
import shutil
import socket
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

from qudao import __version__
from qudao.check.engine import Input, Options, collect, sha256_of
from qudao.config import Settings
from qudao.errors import LockedError, OutputError, UsageError
from qudao.analysis.register import Period
from qudao.analysis.summary import Summary, build_summary
from qudao.weeks import previous, resolve, week_range

LOCK_NAME = ".qudao-rollup.lock"
KPI_KEYS = ("registrations", "customers", "owned_customers", "natural_visits", "visits", "deals", "deal_amount_wan",
            "commission_wan", "conflicts")
STAT_KEYS = ("registrations", "customers", "visits", "deals", "deal_amount_wan", "conflicts", "commission_wan")
KPI_CN = {"registrations": "登记数", "customers": "客户数（去重）", "owned_customers": "渠道有效客户",
          "natural_visits": "自然到访", "visits": "到访", "deals": "成交", "deal_amount_wan": "成交金额(万元)",
          "commission_wan": "佣金(万元)", "conflicts": "撞单"}


# --------------------------------------------------------------------------- lock


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextlib.contextmanager
def lock(out: Path, wait: float = 0.0) -> Iterator[Path]:
    """An exclusive lock file in ``out``; a stale lock (dead process) is taken over."""
    out.mkdir(parents=True, exist_ok=True)
    path = out / LOCK_NAME
    host = socket.gethostname()
    deadline = time.monotonic() + wait
    while True:
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            holder = _read_lock(path)
            same_host = holder.get("host") == host
            pid = holder.get("pid")
            if same_host and isinstance(pid, int) and not _alive(pid) or holder.get("broken"):
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()  # stale: its process is gone
                continue
            if time.monotonic() < deadline:
                time.sleep(0.2)
                continue
            who = f"进程 {pid}（{holder.get('host')}，{holder.get('started', '')} 开始）" if pid else "另一个进程"
            raise LockedError(f"{out} 正被{who}汇总，本次未运行；若确认没有在运行，删除 {path} 后重试") from None
        else:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump({"pid": os.getpid(), "host": host,
                           "started": _dt.datetime.now().isoformat(timespec="seconds")}, fh)
            break
    try:
        yield path
    finally:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def _read_lock(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {"broken": True}
    except FileNotFoundError:
        return {"broken": True}
    except (OSError, ValueError):
        # a lock being written right now, or garbage left by a crash
        try:
            age = time.time() - path.stat().st_mtime
        except OSError:
            return {"broken": True}
        return {"broken": age > 60}


# --------------------------------------------------------------------------- swap


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    rc = renameat2(at_fdcwd, os.fsencode(str(a)), at_fdcwd, os.fsencode(str(b)), rename_exchange)
    if rc == 0:
        return True
    if ctypes.get_errno() in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False
    raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()), str(a))


def swap_into_place(built: Path, target: Path) -> None:
    """Put the folder ``built`` at ``target``; the old folder, if any, is removed afterwards."""
    if not target.exists():
        os.rename(built, target)
        return
    if _exchange(built, target):
        shutil.rmtree(built)  # now holds the old week folder
        return
    old = target.with_name(f".{target.name}.old-{os.getpid()}")
    os.rename(target, old)
    os.rename(built, target)
    shutil.rmtree(old)


def recover(out: Path, week: str) -> None:
    """Clean what a killed run left: half-built folders; restore a week folder caught mid-swap."""
    target = out / week
    for leftover in sorted(out.glob(f".{week}.old-*")):
        if not target.exists():
            os.rename(leftover, target)
        else:
            shutil.rmtree(leftover, ignore_errors=True)
    for leftover in out.glob(f".{week}.tmp-*"):
        shutil.rmtree(leftover, ignore_errors=True)


# --------------------------------------------------------------------------- figures


def _delta(now: float | int | None, before: float | int | None) -> dict[str, Any]:
    """``{"value", "previous", "change"}``; previous and change are null without a previous week."""
    now = now or 0
    if before is None:
        return {"value": now, "previous": None, "change": None}
    change = now - before
    if isinstance(change, float):
        change = round(change, 2)
    return {"value": now, "previous": before, "change": change}


def _by(rows: list[dict], key: str) -> dict[str, dict]:
    return {r[key]: r for r in rows}


def compare(current: dict[str, Any], prior: dict[str, Any] | None) -> dict[str, Any]:
    """Deltas of every KPI (overall, per branch, per channel), this week's and cumulative."""
    out: dict[str, Any] = {"previous_week": prior.get("week", {}).get("label") if prior else None}
    pw = prior.get("week", {}) if prior else {}
    out["week_totals"] = {k: _delta(current["week"]["totals"].get(k), pw.get("totals", {}).get(k) if prior else None)
                          for k in KPI_KEYS}
    out["totals"] = {k: _delta(current["totals"].get(k), prior.get("totals", {}).get(k) if prior else None)
                     for k in KPI_KEYS}
    for scope, key in (("by_branch", "branch"), ("by_channel", "channel")):
        before_week = _by(pw.get(scope, []), key) if prior else {}
        before_all = _by(prior.get(scope, []), key) if prior else {}
        rows = []
        names = sorted({r[key] for r in current["week"][scope]} | {r[key] for r in current[scope]})
        week_now, all_now = _by(current["week"][scope], key), _by(current[scope], key)
        for name in names:
            rows.append({key: name,
                         "week": {k: _delta(week_now.get(name, {}).get(k, 0),
                                            before_week.get(name, {}).get(k, 0) if prior else None) for k in STAT_KEYS},
                         "cumulative": {k: _delta(all_now.get(name, {}).get(k, 0),
                                                  before_all.get(name, {}).get(k, 0) if prior else None)
                                        for k in STAT_KEYS}})
        out[scope] = rows
    return out


def conflict_key(c: dict[str, Any]) -> tuple:
    return (c["customer"], c["winner"], c["loser"], c["loser_date"])


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


def week_json(summary: Summary, label: str, start: _dt.date, end: _dt.date) -> dict[str, Any]:
    data = summary.to_json()
    return {"label": label, "start": start.isoformat(), "end": end.isoformat(), "totals": data["totals"],
            "by_branch": data["by_branch"], "by_channel": data["by_channel"], "conflicts": data["conflicts"]}


def run_rollup(inbox: Path, out: Path, week_spec: str = "last", settings: Settings | None = None,
               as_of: _dt.date | None = None, today: _dt.date | None = None, workers: int | None = None,
               say: Callable[[str], None] = lambda line: None, progress: Callable | None = None,
               wait: float = 0.0, writer_hook: Callable | None = None) -> RollupResult:
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
        options = Options(as_of=check_day, extra={"settings": settings})
        from qudao.jobs.summarize import read_inputs

        reports, submissions = read_inputs(inputs, options, workers, progress)
        from qudao.analysis.kinds import kind_rollups, register_overrides

        channel_days, channel_rates = register_overrides(reports, settings)
        # cumulative = everything up to the end of the week (a later file's events stay out of an
        # earlier week's report); attribution always uses all history
        summary = build_summary(reports, settings, Period(None, end), check_day, False, channel_days, channel_rates,
                                submissions=submissions)
        summary.kinds = kind_rollups(reports, settings, check_day)
        att = summary.registers.attribution if summary.registers else None
        week_summary = build_summary(reports, settings, Period(start, end), check_day, False, channel_days,
                                     channel_rates, att=att, submissions=submissions)
        week_summary.kinds = summary.kinds
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
        _flag_new_overdue(data, prior)
        new_conflicts = sum(1 for c in data["conflicts"] if c["new"])
        data["generator"] = f"qudao {__version__}"

        built = out / f".{label}.tmp-{os.getpid()}"
        if built.exists():
            shutil.rmtree(built)
        built.mkdir(parents=True)
        try:
            files = _write_week(built, label, summary, data, week_summary, reports, inputs, end, writer_hook)
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


def _flag_new_overdue(data: dict[str, Any], prior: dict[str, Any] | None) -> None:
    """Overdue plan/handoff items not overdue last week are flagged ``new``."""
    for kind in ("plan", "handoff"):
        items = data.get(kind, {}).get("overdue_items") if isinstance(data.get(kind), dict) else None
        if not items:
            continue
        before = {(i.get("file_key"), i.get("item")) for i in (prior or {}).get(kind, {}).get("overdue_items", [])}
        for item in items:
            item["new"] = prior is not None and (item.get("file_key"), item.get("item")) not in before


def _write_week(folder: Path, label: str, summary: Summary, data: dict[str, Any], week_summary: Summary,
                reports, inputs: list[Input], end: _dt.date, writer_hook: Callable | None) -> list[Path]:
    from qudao.report.kinds import extra_sheet_writers, report_sections
    from qudao.report.text import render
    from qudao.report.xlsx import write_summary_xlsx

    created = _dt.datetime.combine(end, _dt.time(0, 0))
    stem = f"汇总-{label}"
    files = []
    wk = _week_context(data, label)
    week_writer = _week_sheet_writer(data)
    if writer_hook:
        writer_hook("xlsx")
    files.append(write_summary_xlsx(summary, folder / f"{stem}.xlsx", force=True, created=created,
                                    lead_writers=[week_writer], extra_writers=extra_sheet_writers(summary)))
    sections = report_sections(summary)
    for kind, suffix in (("html", ".html"), ("md", ".md")):
        path = folder / f"{stem}{suffix}"
        path.write_text(render(summary, kind, extra_sections=sections, week=wk), encoding="utf-8")
        files.append(path)
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


def _fmt(value: Any, signed: bool = False) -> str:
    if value is None:
        return ""
    sign = "+" if signed else ""
    return f"{value:{sign},.2f}" if isinstance(value, float) else f"{value:{sign},}"


def _week_context(data: dict[str, Any], label: str) -> dict[str, Any]:
    wow = data["week_over_week"]
    week = data["week"]
    return {
        "label": label, "start": week["start"], "end": week["end"],
        "kpis": [(KPI_CN[k], _fmt(week["totals"].get(k, 0)), k) for k in KPI_KEYS],
        "deltas": {k: {"previous": _fmt(v["previous"]), "change": _fmt(v["change"], signed=True)}
                   for k, v in wow["totals"].items() if v["previous"] is not None},
        "week_deltas": {k: {"previous": _fmt(v["previous"]), "change": _fmt(v["change"], signed=True)}
                        for k, v in wow["week_totals"].items() if v["previous"] is not None},
        "new_conflicts": [c for c in data["conflicts"] if c.get("new")],
    }


def _week_sheet_writer(data: dict[str, Any]) -> Callable:
    """The 本周 sheet: this week vs the previous one, overall, per branch and per channel."""

    def write(book, summary) -> None:
        ws = book.sheet("本周")
        wow = data["week_over_week"]
        week = data["week"]
        r = 0
        ws.write_string(r, 0, f"本周 {week['label']}（{week['start']} 至 {week['end']}）", book.f["title"])
        r += 2
        columns = [("指标", "text", 16), ("本周", "num", 10), ("上周", "num", 10), ("变化", "num", 10),
                   ("累计", "num", 12), ("上周累计", "num", 12), ("累计变化", "num", 10)]
        rows = []
        for k in KPI_KEYS:
            wk, cum = wow["week_totals"][k], wow["totals"][k]
            rows.append([KPI_CN[k], week["totals"].get(k, 0), wk["previous"], wk["change"], data["totals"].get(k, 0),
                         cum["previous"], cum["change"]])
        n = book.table(ws, r, columns, rows, freeze=False, autofilter=False)
        r += n + 2
        stats = ("registrations", "visits", "deals", "deal_amount_wan", "conflicts")
        for scope, key, title in (("by_branch", "branch", "分所"), ("by_channel", "channel", "渠道")):
            cols = [(title, "text", 22)]
            for k in stats:
                cols += [(f"{KPI_CN[k]}·本周", "num", 10), ("上周", "num", 8), ("变化", "num", 8)]
            lines = []
            for row in wow[scope]:
                line = [row[key]]
                for k in stats:
                    d = row["week"][k]
                    line += [d["value"], d["previous"], d["change"]]
                lines.append(line)
            n = book.table(ws, r, cols, lines, freeze=False, autofilter=False)
            r += n + 2
        new = [c for c in data["conflicts"] if c.get("new")]
        ws.write_string(r, 0, f"新增撞单 {len(new)} 起" if wow["previous_week"] else "没有上周的汇总可比较",
                        book.f["sub"])

    return write
