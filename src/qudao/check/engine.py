"""Read and check files: the one entry point every command uses.

:func:`collect` turns command-line paths into an ordered list of inputs;
:func:`check_file` reads one input (any format), recognises its kind,
parses its tables and runs the kind's rules, and always returns a
:class:`FileReport` — a file that cannot be read becomes a
``file.unreadable`` finding, never an exception.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import os
from dataclasses import dataclass, field
from importlib import import_module
from importlib.util import find_spec
from pathlib import Path
from types import ModuleType
from typing import Any, Callable, Iterable

from qudao.errors import Unreadable, UsageError
from qudao.read.block import read_block, typed_block
from qudao.read.grid import fill_merged
from qudao.read.recognise import recognise
from qudao.read.source import LIMITS, SPREADSHEET_SUFFIXES, Limits, open_source
from qudao.read.table import parse_table
from qudao.records import Context, FileReport


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


def _skipped_quietly(name: str) -> bool:
    return name.startswith(("~$", ".~lock", ".", "~")) or name.endswith("#")


def _display_root(arg: str, path: Path) -> str:
    if path.is_absolute() or ".." in Path(arg).parts:
        return path.name
    return Path(arg).as_posix().rstrip("/")


def collect(paths: Iterable[str | os.PathLike]) -> list[Input]:
    """Files and folders → inputs, in command-line order, folders recursively
    in name order. Lock files, hidden files and non-spreadsheets inside
    folders are passed over quietly; a named file is always an input."""
    out: list[Input] = []
    seen: set[Path] = set()
    for arg in paths:
        path = Path(arg)
        if not path.exists():
            raise UsageError(f"找不到路径：{arg}")
        root = _display_root(str(arg), path)
        if path.is_dir():
            found = []
            for dirpath, dirnames, filenames in os.walk(path):
                dirnames[:] = [d for d in dirnames if not d.startswith(".")]
                for name in filenames:
                    if _skipped_quietly(name) or Path(name).suffix.lower() not in SPREADSHEET_SUFFIXES:
                        continue
                    found.append(Path(dirpath) / name)
            found.sort(key=lambda p: p.relative_to(path).parts)
            for p in found:
                resolved = p.resolve()
                if resolved in seen:
                    continue
                seen.add(resolved)
                out.append(Input(p, f"{root}/{p.relative_to(path).as_posix()}", len(out)))
        else:
            resolved = path.resolve()
            if resolved not in seen:
                seen.add(resolved)
                out.append(Input(path, root, len(out)))
    return out


def check_file(item: Input, options: Options | None = None) -> FileReport:
    """Read and check one input. Never raises for a bad file."""
    options = options or Options()
    report = FileReport(path=item.display, folder=item.path.parent.name, order=item.order)
    try:
        report.size = item.path.stat().st_size
    except OSError:
        pass
    ctx = Context(file=item.display, as_of=options.as_of, options=options.extra)
    try:
        _check(item.path, report, ctx, options)
    except Unreadable as exc:
        report.tables = {}
        ctx.findings = [f for f in ctx.findings if f.code != "file.unreadable"]
        ctx.add("file.unreadable", exc.message, sheet=exc.sheet)
    except Exception as exc:  # the boundary: one bad file never stops a run
        if options.debug:
            raise
        report.tables = {}
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


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def check_all(inputs: list[Input], options: Options | None = None, progress=None,
              workers: int | None = None) -> list[FileReport]:
    """Check every input; reports come back in input order. ``progress(report)`` is called after each."""
    return [report for report, _extra in read_all(inputs, options, plain_check, progress, workers)]


def plain_check(item: Input, options: Options) -> tuple[FileReport, None]:
    return check_file(item, options), None


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
    cross_check([report for report, _extra in results], options)
    return results


def cross_check(reports: list[FileReport], options: Options) -> None:
    """Rules that compare files (e.g. stage.regressed between weekly trackers); findings go to their file."""
    by_path = {r.path: r for r in reports}
    for kind_id in sorted({r.kind for r in reports if r.kind}):
        from qudao.schema import get_kind

        for rule in getattr(rules_of(get_kind(kind_id)), "CROSS_RULES", ()):
            for finding in rule(reports, options):
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


def validation_json(reports: list[FileReport]) -> dict[str, Any]:
    """The ``validate --format json`` document (cli.md)."""
    from qudao.records import totals

    return {"files": [r.to_dict() for r in reports], "totals": totals(reports)}


__all__ = ["Input", "Options", "collect", "check_file", "check_all", "read_all", "validation_json", "sha256_of"]
