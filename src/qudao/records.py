"""What reading produces and every later step stands on: rows, parsed tables, file reports.

A :class:`Row` carries typed values by canonical header and remembers its
sheet row; a :class:`ParsedTable` is one table read from one sheet (header
block, column positions, rows); a :class:`FileReport` is everything reading
and checking one input produced. :class:`Context` is what a reader or a
rule needs besides the file (dates, settings) and collects findings.
Nothing here reads files or imports a parser.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from qudao.cells import col_letter
from qudao.findings import ERROR, INFO, WARNING, Finding, make

if TYPE_CHECKING:
    from qudao.schema import Kind


class Row:
    """One data row: typed values by canonical header (empty cells absent), extra columns,
    and the headers whose value could not be read (``bad``)."""

    __slots__ = ("number", "values", "bad", "extras", "rejected", "hidden")

    def __init__(self, number: int, values: dict, bad: tuple, extras: dict, hidden: bool = False):
        self.number = number  # sheet row, 1-based
        self.values = values
        self.bad = bad
        self.extras = extras
        self.rejected = False
        self.hidden = hidden

    def __reduce__(self):  # compact and fast to send between processes
        return (_row, (self.number, self.values, self.bad, self.extras, self.rejected, self.hidden))

    def get(self, header: str, default: Any = None) -> Any:
        value = self.values.get(header)
        return default if value is None else value

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"Row({self.number}, {self.values!r}{', rejected' if self.rejected else ''})"


class Values(Mapping):
    """A row's typed values, read-only and compact: the keys tuple is shared by every row with the same
    columns, so a row costs a tuple of values instead of a dict (≈ 220 instead of ≈ 650 bytes for a
    register row: the rows of a big inbox are kept from reading to the 明细 sheet)."""

    __slots__ = ("_keys", "_vals")

    def __init__(self, keys: tuple, vals: tuple):
        self._keys = keys
        self._vals = vals

    def __getitem__(self, key):
        try:
            return self._vals[self._keys.index(key)]
        except ValueError:
            raise KeyError(key) from None

    def get(self, key, default=None):
        try:
            return self._vals[self._keys.index(key)]
        except ValueError:
            return default

    def __contains__(self, key) -> bool:
        return key in self._keys

    def __iter__(self):
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def keys(self):
        return self._keys

    def __reduce__(self):
        return (Values, (self._keys, self._vals))

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"Values({dict(zip(self._keys, self._vals))!r})"


_KEYS: dict[tuple, tuple] = {}


def compact(values: dict) -> Values:
    """``values`` as :class:`Values` (the keys tuple interned)."""
    keys = tuple(values)
    shared = _KEYS.get(keys)
    if shared is None:
        if len(_KEYS) > 10_000:
            _KEYS.clear()
        shared = _KEYS[keys] = keys
    return Values(shared, tuple(values.values()))


def _row(number: int, values: dict, bad: tuple, extras: dict, rejected: bool, hidden: bool) -> Row:
    row = Row(number, values, bad, extras, hidden)
    row.rejected = rejected
    return row


@dataclass
class ParsedTable:
    schema_sheet: str
    sheet: str
    header_row: int  # 1-based; 0 when no header row was found
    columns: dict[str, int]  # canonical header → 0-based column
    extra_columns: list[tuple[str, int]] = field(default_factory=list)
    block: dict[str, Any] = field(default_factory=dict)
    block_cells: dict[str, str] = field(default_factory=dict)
    rows: list[Row] = field(default_factory=list)
    rows_skipped: int = 0
    missing: tuple[str, ...] = ()  # required headers that are absent
    released: bool = False  # the rows were handed on (as attribution submissions) and dropped
    units: dict[str, str] = field(default_factory=dict)  # money column → the unit its header writes (元, 万元)

    def release(self) -> None:
        """Drop the rows once they are counted and handed on; a later reader of ``rows`` is refused."""
        self.rows = []
        self.released = True

    def cell(self, header: str, row_number: int) -> str:
        col = self.columns.get(header)
        return f"{col_letter(col)}{row_number}" if col is not None else ""

    @property
    def accepted(self) -> list[Row]:
        return [r for r in self.rows if not r.rejected]


@dataclass
class Context:
    """What checking needs to know besides the file itself."""

    file: str
    as_of: _dt.date
    kind: Kind | None = None
    report_date: _dt.date | None = None  # the header block's date, when there is one
    findings: list[Finding] = field(default_factory=list)
    options: dict[str, Any] = field(default_factory=dict)
    name_date: _dt.date | None = None  # the date the file name stands for (its week tag), when there is one

    @property
    def ref_date(self) -> _dt.date:
        """The file's date: its header block's, else its name's week, else the as-of day."""
        return self.report_date or self.name_date or self.as_of

    @property
    def ref_basis(self) -> str:
        return "报送日期" if self.report_date else "文件名中的周次" if self.name_date else "今天"

    @property
    def settings(self):
        from qudao.config import Settings

        return self.options.get("settings") or Settings()

    def add(self, code: str, message: str, **where: Any) -> Finding:
        f = make(code, message, file=self.file, **where)
        self.findings.append(f)
        return f


@dataclass
class FileReport:
    """What reading and checking one input produced."""

    path: str  # as shown to people: relative to the path given on the command line
    kind: str | None = None
    version: int | None = None
    format: str = ""
    rows_read: int = 0
    rows_accepted: int = 0
    rows_rejected: int = 0
    rows_skipped: int = 0
    findings: list[Finding] = field(default_factory=list)
    tables: dict[str, Any] = field(default_factory=dict)  # schema sheet (｜sheet for more) → ParsedTable
    block: dict[str, Any] = field(default_factory=dict)  # header-block values, typed
    folder: str = ""  # the input's parent folder name (branch fallback)
    order: int = 0  # position in the run (command line order, folders sorted by name)
    size: int = 0
    sha256: str = ""
    # Its place in time (docs/time.md), set for the as-of day of the output by qudao.check.series.apply:
    series: str = ""
    copy_date: _dt.date | None = None
    superseded_by: str | None = None  # a later copy of the same series is current: these findings are history
    received_later: bool = False  # dated after the as-of day: left out

    @property
    def current(self) -> bool:
        """Its findings count (totals, 主要问题, exit code): not superseded, not received later."""
        return self.superseded_by is None and not self.received_later
    # what a kind's file rules noted for the rules that compare files (CROSS_RULES), kept when the rows are
    # released: e.g. the channels a register names (check.register.note_channels)
    facts: dict[str, Any] = field(default_factory=dict)

    def tables_for(self, schema_sheet: str) -> list:
        """Every parsed table of one schema sheet: the best sheet first, then further sheets holding it."""
        return [t for t in self.tables.values() if t.schema_sheet == schema_sheet]

    @property
    def unreadable(self) -> bool:
        return any(f.code == "file.unreadable" for f in self.findings)

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity == WARNING)

    @property
    def infos(self) -> int:
        return sum(1 for f in self.findings if f.severity == INFO)

    @property
    def status(self) -> str:
        if self.unreadable:
            return "unreadable"
        if self.kind is None:
            return "unknown"
        return "errors" if self.errors else "ok"

    def count(self) -> None:
        """Compute the row counts from the parsed tables (before any table's rows are released)."""
        if any(t.released for t in self.tables.values()):
            raise ValueError(f"{self.path}: rows released before they were counted")
        read = accepted = skipped = 0
        for table in self.tables.values():
            read += len(table.rows)
            accepted += sum(1 for r in table.rows if not r.rejected)
            skipped += table.rows_skipped
        self.rows_read, self.rows_accepted, self.rows_skipped = read + skipped, accepted, skipped
        self.rows_rejected = read - accepted

    def to_dict(self) -> dict[str, Any]:
        out = {
            "path": self.path,
            "kind": self.kind,
            "version": self.version,
            "rows_read": self.rows_read,
            "rows_accepted": self.rows_accepted,
            "rows_rejected": self.rows_rejected,
            "rows_skipped": self.rows_skipped,
            "errors": self.errors,
            "warnings": self.warnings,
            "findings": [f.to_dict(superseded_by=self.superseded_by)
                         for f in sorted(self.findings, key=Finding.sort_key)],
        }
        if self.series:
            out["series"] = self.series
            out["copy_date"] = self.copy_date.isoformat() if self.copy_date else None
            out["superseded_by"] = self.superseded_by
        if self.received_later:
            out["received_later"] = True
        return out


def totals(reports: list[FileReport]) -> dict[str, int]:
    """Rows of every copy read by the as-of day (every row is accounted for, history included);
    errors and warnings of the current copies only (docs/time.md)."""
    counted = [r for r in reports if not r.received_later]
    current = [r for r in counted if r.current]
    return {
        "files": len(counted),
        "rows_read": sum(r.rows_read for r in counted),
        "rows_accepted": sum(r.rows_accepted for r in counted),
        "rows_rejected": sum(r.rows_rejected for r in counted),
        "rows_skipped": sum(r.rows_skipped for r in counted),
        "errors": sum(r.errors for r in current),
        "warnings": sum(r.warnings for r in current),
    }
