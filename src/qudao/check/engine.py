"""Read and check files: the one entry point every command uses.

:func:`collect` turns command-line paths into an ordered list of inputs;
:func:`check_file` reads one input (any format), recognises its kind,
parses its tables and runs the kind's rules, and always returns a
:class:`FileReport` — a file that cannot be read becomes a
``file.unreadable`` finding, never an exception.
"""

from __future__ import annotations

import datetime as _dt
import errno
import hashlib
import os
import stat
from dataclasses import dataclass, field
from importlib import import_module
from importlib.util import find_spec
from pathlib import Path
from types import ModuleType
from typing import Any, Callable, Iterable

from qudao.check.series import tag_date
from qudao.errors import Unreadable, UsageError, os_error_cn
from qudao.findings import make
from qudao.read.block import read_block, typed_block
from qudao.read.grid import fill_merged
from qudao.read.recognise import recognise
from qudao.read.source import LIMITS, SPREADSHEET_SUFFIXES, Limits, open_source
from qudao.read.table import parse_table
from qudao.records import Context, FileReport
from qudao.safe import display


@dataclass(frozen=True)
class Input:
    path: Path
    display: str
    order: int


@dataclass
class Options:
    kind: str | None = None
    as_of: _dt.date = field(default_factory=_dt.date.today)
    limits: Limits = LIMITS
    debug: bool = False
    extra: dict[str, Any] = field(default_factory=dict)  # per-kind settings (config)


@dataclass(frozen=True)
class Skipped:
    """An inbox entry that is not read, and why (docs/json.md lists the reasons)."""

    display: str
    reason: str  # lock_file, hidden, unsupported, archive, not_regular, broken_link, link_loop, folder_link,
    #              unreadable
    path: Path | None = None
    detail: str = ""

    @property
    def message(self) -> str:
        return SKIP_REASONS[self.reason] + (f"（{self.detail}）" if self.detail else "")

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.display, "status": "skipped", "reason": self.reason, "message": self.message}


SKIP_REASONS = {
    "lock_file": "Office/WPS 打开文件时留下的锁文件",
    "hidden": "隐藏文件或文件夹",
    "unsupported": "不是可读的表格格式（请另存为 .xlsx/.xls/.ods/.csv）",
    "archive": "压缩包不会被打开，请解压后把表格放进收件箱",
    "not_regular": "不是普通文件（管道、设备或套接字）",
    "broken_link": "快捷方式（符号链接）指向的文件不存在",
    "link_loop": "快捷方式（符号链接）循环",
    "folder_link": "指向文件夹的快捷方式（符号链接）不会被展开",
    "unreadable": "没有读取权限",
}
ARCHIVES = (".zip", ".rar", ".7z", ".tar", ".gz", ".tgz", ".bz2", ".xz")


class Collected(list):
    """The inputs to read, in order (a list of :class:`Input`), and ``skipped``: the entries passed over."""

    def __init__(self, items=(), skipped: list[Skipped] | None = None):
        super().__init__(items)
        self.skipped: list[Skipped] = skipped or []


def _skip_reason(name: str) -> str | None:
    """Why a file found in a folder is not read, judged by its name (None: read it)."""
    if name.startswith("~$") or name.startswith(".~lock") or (name.startswith("~") and name.endswith("#")):
        return "lock_file"
    if name.startswith("."):
        return "hidden"
    suffix = Path(name).suffix.lower()
    if suffix in ARCHIVES:
        return "archive"
    if suffix not in SPREADSHEET_SUFFIXES:
        return "unsupported"
    return None


def _entry_problem(path: Path) -> tuple[str, str] | None:
    """(reason, detail) when ``path`` is not a regular file that can be read; None when it is."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return "broken_link", ""
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "link_loop", ""
        if exc.errno in (errno.EACCES, errno.EPERM):
            return "unreadable", ""  # the reason says it
        return "broken_link", os_error_cn(exc, path=False)
    if stat.S_ISDIR(st.st_mode):
        return "folder_link", ""
    if not stat.S_ISREG(st.st_mode):
        return "not_regular", ""
    if not os.access(path, os.R_OK):
        return "unreadable", ""
    return None


def _display_root(arg: str, path: Path) -> str:
    if path.is_absolute() or ".." in Path(arg).parts:
        return display(path.name)
    return display(Path(arg).as_posix().rstrip("/"))


def _display(root: str, parts: tuple[str, ...]) -> str:
    """The name people see: relative to the path given, each part display-safe (docs/decisions.md → Outputs)."""
    return f"{root}/{'/'.join(display(p) for p in parts)}" if parts else root


def collect(paths: Iterable[str | os.PathLike]) -> Collected:
    """Files and folders → inputs, in command-line order, folders recursively in name order.

    Inside folders, lock files, hidden entries, other formats, archives, links that lead nowhere
    and anything that is not a regular file are passed over and listed in ``skipped`` with their
    reason; an unreadable file is still an input (it becomes a ``file.unreadable`` finding), an
    unreadable folder is listed as ``unreadable``. A file named on the command line is an input
    unless it is not a regular file."""
    out: list[Input] = []
    skipped: list[Skipped] = []
    seen: set[Path] = set()
    for arg in paths:
        path = Path(arg)
        if not path.exists() and not path.is_symlink():
            raise UsageError(f"找不到路径：{arg}")
        root = _display_root(str(arg), path)
        if path.is_dir():
            found: list[tuple[tuple, Path, str | None, str]] = []

            def walk_error(exc: OSError, root_path: Path = path) -> None:
                where = Path(exc.filename) if exc.filename else root_path
                rel = where.relative_to(root_path).as_posix() if where != root_path else ""
                detail = "" if exc.errno in (errno.EACCES, errno.EPERM) else os_error_cn(exc, path=False)
                found.append(((*Path(rel).parts,), where, "unreadable", detail))

            for dirpath, dirnames, filenames in os.walk(path, onerror=walk_error):
                base = Path(dirpath)
                kept = []
                for d in dirnames:
                    full = base / d
                    rel = full.relative_to(path)
                    if d.startswith("."):
                        found.append((rel.parts, full, "hidden", ""))
                    elif full.is_symlink():
                        found.append((rel.parts, full, "folder_link", ""))
                    else:
                        kept.append(d)
                dirnames[:] = kept
                for name in filenames:
                    full = base / name
                    reason = _skip_reason(name)
                    detail = ""
                    if reason is None:
                        problem = _entry_problem(full)
                        if problem is not None and problem[0] != "unreadable":
                            reason, detail = problem
                    found.append((full.relative_to(path).parts, full, reason, detail))
            found.sort(key=lambda item: item[0])
            for parts, p, reason, detail in found:
                shown = _display(root, parts)
                if reason is not None:
                    skipped.append(Skipped(shown, reason, p, detail))
                    continue
                resolved = p.resolve()
                if resolved in seen:
                    continue
                seen.add(resolved)
                out.append(Input(p, shown, len(out)))
        else:
            problem = _entry_problem(path)
            if problem is not None and problem[0] != "unreadable":
                skipped.append(Skipped(root, problem[0], path, problem[1]))
                continue
            resolved = path.resolve()
            if resolved not in seen:
                seen.add(resolved)
                out.append(Input(path, root, len(out)))
    from qudao.write.atomic import protect

    protect([item.path for item in out] + [s.path for s in skipped], replace=True)  # no output replaces an input
    return Collected(out, skipped)


def check_file(item: Input, options: Options | None = None) -> FileReport:
    """Read and check one input. Never raises for a bad file."""
    options = options or Options()
    report = FileReport(path=item.display, folder=display(item.path.parent.name), order=item.order)
    identity = fingerprint(item.path, report)
    ctx = Context(file=item.display, as_of=options.as_of, options=options.extra, name_date=tag_date(item.path.name))
    try:
        _check(item.path, report, ctx, options)
        if identity is not None and _identity(item.path) != identity:
            ctx.add("file.changed", "文件在读取期间被改动或替换，本次读到的内容可能不完整；下次运行会重新读取")
    except Unreadable as exc:
        report.tables = {}
        ctx.findings = [f for f in ctx.findings if f.code != "file.unreadable"]
        ctx.add("file.unreadable", exc.message, sheet=exc.sheet)
    except (KeyboardInterrupt, SystemExit, GeneratorExit):
        raise
    except BaseException as exc:  # the boundary: one bad file never stops a run (python-calamine's
        if options.debug:          # PanicException is a BaseException)
            raise
        report.tables = {}
        if type(exc).__name__ == "PanicException":  # anywhere else than loading a sheet (which names the row)
            ctx.add("file.unreadable", f"读取库无法处理这个文件（{str(exc)[:200]}），已跳过；请用 Excel 打开后另存再发")
        elif isinstance(exc, MemoryError):
            ctx.add("file.unreadable", "读取这个文件需要的内存超过上限，已跳过；请删除多余的内容后另存再发")
        else:
            ctx.add("file.unreadable", f"读取时出现内部错误（{type(exc).__name__}: {str(exc)[:200]}），请把文件发给管理员")
    report.findings = ctx.findings
    report.count()
    return report


def _check(path: Path, report: FileReport, ctx: Context, options: Options) -> None:
    with open_source(path, options.limits) as source:
        report.format = source.format
        kind, version, placed = recognise(source, options.kind)
        if kind is None:
            ctx.add("file.kind_unknown",
                    "无法识别这是哪种表：没有 _qudao 标记，表头也对不上任何一种表；"
                    "请使用 qudao new 生成的模板，或用 --kind 指定类型")
            return
        ctx.kind = kind
        report.kind, report.version = kind.id, version or kind.version
        if kind.generated:
            return  # a report written by qudao: nothing to read or count
        source.keep_only({s.sheet for s in kind.block_sheets} | {name for found in placed.values() for name, _ in found})
        for sheet in kind.block_sheets:
            if sheet.sheet in source.sheet_names:
                grid = source.grid(sheet.sheet)
                fill_merged(grid)
                raw = read_block(grid.rows, len(grid.rows), sheet.fields)
                values, _cells = typed_block(raw, sheet.fields, ctx, sheet.sheet, None)
                report.block.update(values)
        for table in kind.tables:
            if table.sheet not in placed:
                if table is kind.main:
                    ctx.add("header.missing",
                            f"找不到「{table.sheet}」表的表头行（应包含：{'、'.join(c.header for c in table.required)}）",
                            sheet=table.sheet)
                continue
            for sheet_name, header_index in placed[table.sheet]:
                grid = source.grid(sheet_name)
                fill_merged(grid)
                parsed = parse_table(grid, header_index, table, ctx)
                source.release(sheet_name)  # one sheet's cells in memory at a time (a register kept per month)
                del grid
                key = table.sheet if table.sheet not in report.tables else f"{table.sheet}｜{sheet_name}"
                report.tables[key] = parsed
                for label, value in parsed.block.items():
                    report.block.setdefault(label, value)
        apply_rules(kind, report, ctx)


def rules_of(kind) -> ModuleType | None:
    """The kind's rule module, ``qudao.check.<module>``, when it has one."""
    name = f"qudao.check.{kind.module}"
    if name not in _RULES:
        _RULES[name] = import_module(name) if find_spec(name) is not None else None
    return _RULES[name]


_RULES: dict[str, ModuleType | None] = {}


def apply_rules(kind, report: FileReport, ctx: Context) -> None:
    """The kind's row rules (a True result rejects the row) and file rules, over the parsed tables."""
    rules = rules_of(kind)
    if rules is None:
        return
    for parsed in report.tables.values():
        for rule in getattr(rules, "ROW_RULES", {}).get(parsed.schema_sheet, ()):
            for row in parsed.rows:
                if rule(parsed, row, ctx):
                    row.rejected = True
    for rule in getattr(rules, "FILE_RULES", ()):
        rule(report, ctx)


def _identity(path: Path, st: os.stat_result | None = None) -> tuple | None:
    try:
        st = st or os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def fingerprint(path: Path, report: FileReport) -> tuple | None:
    """``report.size`` and ``report.sha256`` from one open of the file, as reading starts — the manifest's
    size and hash always describe the same bytes, those that were read (a file replaced later does not
    change them). Returns the file's identity (to notice a change while it is read), None if not a
    regular file or unreadable (reading then says why)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            return None
        h = hashlib.sha256()
        try:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
        except OSError:
            return None
        report.size, report.sha256 = st.st_size, h.hexdigest()
        return _identity(path, st)


def sha256_of(path: Path) -> str | None:
    """The sha256 of a regular file; None for anything else (a FIFO or a device is never read: it would block
    or never end) — also when the entry changed into one after it was collected."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        h = hashlib.sha256()
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
        return h.hexdigest()


def check_all(inputs: list[Input], options: Options | None = None, progress=None,
              workers: int | None = None) -> list[FileReport]:
    """Check every input; reports come back in input order (then one per unreadable folder), placed
    in time on the as-of day (docs/time.md). ``progress(report)`` is called after each."""
    options = options or Options()
    reports = [report for report, _extra in read_all(inputs, options, plain_check, progress, workers)]
    reports += folder_reports(inputs, len(reports))
    place_in_time(reports, options)
    return reports


def folder_reports(inputs: list[Input], start: int) -> list[FileReport]:
    """A ``file.unreadable`` report for every folder of the inbox that could not be opened."""
    out = []
    for skip in getattr(inputs, "skipped", ()):
        if skip.reason == "unreadable":
            report = FileReport(path=skip.display, order=start + len(out))
            report.findings.append(make("file.unreadable", f"文件夹无法打开（{skip.detail or '没有读取权限'}），"
                                        "其中的表格都没有读取", file=skip.display))
            out.append(report)
    return out


def place_in_time(reports: list[FileReport], options: Options):
    """The timeline of the as-of day (series, current copies, copies received later), recorded on the
    reports; rules that compare files run over the copies received by that day."""
    from qudao.check.series import apply, timeline
    from qudao.config import Settings

    settings = options.extra.get("settings") or Settings()
    tl = timeline(reports, options.as_of, settings.canonical_channel)
    apply(tl, reports)
    cross_check([r for r in reports if not r.received_later], options)
    return tl


def plain_check(item: Input, options: Options) -> tuple[FileReport, None]:
    return check_file(item, options), None


def check_one(item: Input, options: Options | None = None) -> FileReport:
    """:func:`check_file` in a worker process (docs/decisions.md → Isolation): for the commands that read one
    file (agreement, fill's target and carry-over)."""
    options = options or Options()
    return read_all([item], options, plain_check)[0][0]


def read_all(inputs: list[Input], options: Options | None, work: Callable[[Input, Options], tuple[FileReport, Any]],
             progress=None, workers: int | None = None) -> list[tuple[FileReport, Any]]:
    """``work(item, options)`` → ``(report, extra)`` for every input, in input order, then the rules that
    compare files. ``work`` is a module-level function (it runs in worker processes): it extends
    :func:`check_file` with per-file work done where the file was read (e.g. rows → submissions)."""
    options = options or Options()
    from qudao.check.parallel import check_parallel, usable

    n = 0 if options.debug else usable(len(inputs), workers)
    if n:
        results = check_parallel(work, inputs, options, n, progress)
    else:
        results = []
        for item in inputs:
            result = work(item, options)
            results.append(result)
            if progress:
                progress(result[0])
    return results


def cross_check(reports: list[FileReport], options: Options) -> None:
    """Rules that compare files (e.g. stage.regressed between weekly trackers); findings go to their file."""
    from qudao.schema import get_kind

    by_path = {r.path: r for r in reports}
    for kind_id in sorted({r.kind for r in reports if r.kind}):
        for rule in getattr(rules_of(get_kind(kind_id)), "CROSS_RULES", ()):
            try:
                found = list(rule(reports, options))
            except Exception as exc:  # one failing comparison never stops the run
                if options.debug:
                    raise
                last = [r for r in reports if r.kind == kind_id][-1]
                last.findings.append(make("check.failed", f"比较各期文件时出错（{rule.__name__}：{type(exc).__name__}: "
                                          f"{str(exc)[:200]}），其余结果照常；请把文件发给管理员", file=last.path))
                continue
            for finding in found:
                by_path[finding.file].findings.append(finding)


def inspect_json(reports: list[FileReport]) -> list[dict[str, Any]]:
    """What ``qudao inspect`` shows, as data."""
    from qudao.findings import _jsonable
    from qudao.schema import get_kind

    out = []
    for r in reports:
        problem = next((f.message for f in r.findings if f.code in ("file.unreadable", "file.kind_unknown")), "")
        out.append({
            "path": r.path, "format": r.format, "kind": r.kind, "version": r.version,
            "title": get_kind(r.kind).title if r.kind else "",
            "sheets": [{"sheet": t.sheet, "table": t.schema_sheet, "header_row": t.header_row, "rows": len(t.rows),
                        "skipped": t.rows_skipped, "columns": list(t.columns),
                        "extra_columns": [h for h, _ in t.extra_columns]} for t in r.tables.values()],
            "block": {k: _jsonable(v) for k, v in r.block.items()},
            "rows_read": r.rows_read, "rows_accepted": r.rows_accepted, "rows_rejected": r.rows_rejected,
            "rows_skipped": r.rows_skipped, "problem": problem,
        })
    return out


def validation_json(reports: list[FileReport], skipped: Iterable[Skipped] = (),
                    config: dict[str, Any] | None = None) -> dict[str, Any]:
    """The ``validate --format json`` document (cli.md, docs/json.md): every report, then every inbox
    entry that was not read, with its reason; ``config``: which qudao.toml was used."""
    from qudao.records import totals

    skipped = list(skipped)
    out = {"files": [r.to_dict() for r in reports] + [s.to_dict() for s in skipped],
           "totals": {**totals(reports), "skipped": len(skipped)}}
    if config is not None:
        out["config"] = config
    return out


__all__ = ["Input", "Options", "collect", "check_file", "check_one", "check_all", "read_all", "validation_json",
           "sha256_of"]
