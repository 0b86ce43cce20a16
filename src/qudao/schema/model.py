"""The declarative model every kind is written in.

A kind is data: its sheets, header block, columns (canonical header, aliases,
type, required, enum, range, width, hint, example, live formula) and the
names of the rule functions that check it. Generation, reading and checking
are all driven from here, so a template and its validator cannot drift
apart; what a type means (reading it, the template's format and validation,
its description, the command line) is written once, in ``schema.types``.
Nothing in this package imports openpyxl, pandas or calamine.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from qudao.normalize import header_key
from qudao.schema.types import GRADES, TYPES, Constraints, ValueType, make_type

__all__ = ["Column", "Field", "Table", "BlockSheet", "Kind", "Constraints", "GRADES", "TYPES", "CHANNEL_TYPES",
           "TASK_STATES", "TASK_CLOSED", "YES_NO", "PURPOSES", "COOP_STATES"]

CHANNEL_TYPES = ("分支机构", "物业", "协会商会", "关联单位", "二手中介", "旅行社")
TASK_STATES = ("未开始", "进行中", "已完成", "延期", "取消")
TASK_CLOSED = ("已完成", "取消")  # a task in one of these states is done with
YES_NO = ("是", "否")
PURPOSES = ("自住", "投资", "养老", "度假", "子女教育", "其他")
COOP_STATES = ("洽谈中", "已合作", "暂停", "终止")


@dataclass(frozen=True)
class Column(Constraints):
    """One column of a table sheet: its header, its type (a name in ``schema.types.TYPES``) and the
    constraint record it shares with header-block fields (:class:`~qudao.schema.types.Constraints`:
    required, enum, synonyms, min, max, min_exclusive, direction, unit — keyword-only)."""

    header: str
    type: str = "text"
    aliases: tuple[str, ...] = ()
    not_before: str | None = None  # date.order: this date ≥ that column's date
    required_when: tuple[str, tuple[str, ...]] | None = None  # (other column, values; () = non-empty)
    future_check: bool = False  # date.future against the report date / --as-of
    width: float | None = None
    hint: str = ""
    example: str = ""
    formula: str | None = None  # live formula; ``{r}`` row, ``{列名}`` that column's cell
    seq: bool = False  # a 序号 column: values alone do not make a row
    # web-form export headers (问卷星, 金数据, 腾讯问卷) that mean this column for ``fill`` — only when the data
    # has no column by the header or an alias (docs/decisions.md: 提交时间 as 登记日期)
    form_aliases: tuple[str, ...] = ()
    datatype: ValueType = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        try:
            datatype = make_type(self, self.type)
        except ValueError as exc:
            raise ValueError(f"{self.header}: {exc}") from None
        object.__setattr__(self, "datatype", datatype)
        if self.type == "grade" and not self.enum:
            object.__setattr__(self, "enum", GRADES)

    @property
    def is_enum(self) -> bool:
        return self.type in ("enum", "grade")

    @property
    def keys(self) -> tuple[str, ...]:
        """Every header key (see :func:`header_key`) that means this column."""
        return tuple(dict.fromkeys(header_key(h) for h in (self.header, *self.aliases)))

    @property
    def name(self) -> str:
        return self.header


@dataclass(frozen=True)
class Field(Constraints):
    """One ``label：value`` item of a header block: a label, a type and the same constraint record as a
    column (a header-block value is never required: a bad one is a warning, docs/decisions.md → Reading)."""

    label: str
    type: str = "text"
    aliases: tuple[str, ...] = ()
    hint: str = ""
    example: str = ""
    datatype: ValueType = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        if self.required:
            raise ValueError(f"{self.label}: a header-block field is never required")
        try:
            datatype = make_type(self, self.type)
        except ValueError as exc:
            raise ValueError(f"{self.label}: {exc}") from None
        object.__setattr__(self, "datatype", datatype)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(header_key(h) for h in (self.label, *self.aliases)))

    @property
    def name(self) -> str:
        return self.label


@dataclass(frozen=True)
class Table:
    """A table sheet: an optional header block above a header row and data rows."""

    sheet: str
    columns: tuple[Column, ...]
    title: str | None = None
    block: tuple[Field, ...] = ()
    prefill: tuple[tuple, ...] = ()  # rows written into a new workbook
    blank_rows: int = 200  # rows pre-formatted (validation, formats) in a new workbook
    recognise: bool = True  # take part in recognising a kind from headers
    title_row: bool = True  # a merged title above the table (a plain list sheet has none)

    def column(self, header: str) -> Column:
        for col in self.columns:
            if col.header == header:
                return col
        raise KeyError(header)

    @property
    def headers(self) -> tuple[str, ...]:
        return tuple(c.header for c in self.columns)

    @property
    def required(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.required)

    def key_map(self) -> dict[str, str]:
        """header key → canonical header (first declaration wins)."""
        out: dict[str, str] = {}
        for col in self.columns:
            for key in col.keys:
                out.setdefault(key, col.header)
        return out


@dataclass(frozen=True)
class BlockSheet:
    """A sheet that is only ``label：value`` pairs (e.g. 活动概况)."""

    sheet: str
    fields: tuple[Field, ...]
    title: str | None = None


@dataclass(frozen=True)
class Kind:
    id: str
    title: str
    version: int
    tables: tuple[Table, ...]
    block_sheets: tuple[BlockSheet, ...] = ()
    description: str = ""
    notes: tuple[str, ...] = ()  # extra lines for 填写说明
    series: tuple[str, ...] = ()  # header-block labels naming the series a copy belongs to (docs/time.md)
    dated_by: tuple[str, ...] = ()  # header-block labels giving a copy's date, first present wins
    extras: Mapping[str, object] = field(default_factory=dict, hash=False, compare=False)
    names: tuple[str, ...] = ()  # short Chinese names people type (qudao new 登记表); unique across kinds

    @property
    def module(self) -> str:
        """The module name of this kind in every layer (``dev-process`` → ``dev_process``)."""
        return self.id.replace("-", "_")

    def table(self, sheet: str) -> Table:
        for t in self.tables:
            if t.sheet == sheet:
                return t
        raise KeyError(sheet)

    @property
    def main(self) -> Table | None:
        return self.tables[0] if self.tables else None

    @property
    def generated(self) -> bool:
        """Written by qudao itself (the summary), never a template to fill."""
        return bool(self.extras.get("generated"))

    @property
    def sheet_names(self) -> tuple[str, ...]:
        if self.generated:
            return tuple(self.extras.get("sheets", ()))
        return tuple(s.sheet for s in self.block_sheets) + tuple(t.sheet for t in self.tables)
