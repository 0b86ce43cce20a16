"""Column types as objects: what a value of each type is, written once.

A column's (or header-block field's) ``type`` names one class here — :class:`Text`, :class:`Int`,
:class:`Number`, :class:`Money`, :class:`Percent`, :class:`Date`, :class:`Phone`, :class:`Account`,
:class:`Enum`, :class:`Grade`, :class:`Week`, :class:`Period` — in the spirit of frictionless-py's
fields. Each one owns, for the constraints it supports (:class:`Constraints`: min, max, enum values,
money unit, date direction, required):

* reading — :meth:`ValueType.reader` (the raw → typed function the table reader memoises per column),
  :meth:`~ValueType.range_problem`, and :meth:`~ValueType.parse` (both: the whole rule for one value,
  raising :class:`~qudao.normalize.BadValue` with the finding's code and Chinese message);
* writing — :attr:`~ValueType.number_format` and :meth:`~ValueType.validation` (a :class:`Validation`
  record the template writer turns into Excel data validation), :meth:`~ValueType.describe` (填写说明,
  docs, messages) and :attr:`~ValueType.example`;
* the command line — :meth:`~ValueType.option` (``--set``, ``--as-of``, ``--from``, ``--to``,
  ``--start``, ``--week``, ``--period``): the typed value, or a :class:`~qudao.errors.UsageError`.

What the template admits, the reader accepts and the option accepts is one rule
(``tests/test_types.py`` checks it at every type's boundaries). The value parsers themselves are the
pure functions of :mod:`qudao.normalize` (and :mod:`qudao.periods`); this module is the only place that
says which of them a type uses, with which constraints. Nothing here imports openpyxl.
"""

from __future__ import annotations

import datetime as _dt
import math
from dataclasses import dataclass, field
from typing import Any, Callable, ClassVar, Mapping

from qudao.errors import UsageError
from qudao.normalize import (
    ACCOUNT_DIGITS,
    MAX_NUMBER,
    MAX_YEAR,
    MIN_YEAR,
    BadValue,
    match_enum,
    parse_account,
    parse_date,
    parse_int,
    parse_money,
    parse_number,
    parse_percent,
    parse_phone,
    parse_week,
    place_year,
    to_text,
)
from qudao.periods import PERIOD_HELP, parse_period

__all__ = [
    "Constraints", "ParseContext", "Validation", "ValueType", "Text", "Int", "Number", "Money", "Percent", "Date",
    "Phone", "Account", "Enum", "Grade", "Week", "Period", "TYPES", "GRADES", "make_type", "DATE", "WEEK", "PERIOD",
    "bad_option_message", "number_text",
]

GRADES = ("A", "B", "C", "D")
DIRECTIONS = ("past", "forward")
UNITS = ("万元", "元")


@dataclass(frozen=True, kw_only=True)
class Constraints:
    """The one constraint record of a column and of a header-block field (both inherit it).

    ``min``/``max`` bound numbers (``min_exclusive``: strictly above ``min``); ``enum`` and ``synonyms``
    the values of a dropdown; ``unit`` the money unit (万元 or 元; a unit written in the cell wins);
    ``direction`` where a date written without a year goes (past: 登记, 到访 …; forward: 下次跟进,
    到期 …). A type refuses a constraint it does not support (a schema error, at import)."""

    required: bool = False
    enum: tuple[str, ...] = ()
    synonyms: Mapping[str, str] = field(default_factory=dict, hash=False, compare=False)
    min: float | None = None
    max: float | None = None
    min_exclusive: bool = False
    direction: str = "past"
    unit: str = "万元"


NO_CONSTRAINTS = Constraints()


@dataclass(frozen=True)
class ParseContext:
    """What a value's meaning may depend on: the year for a date written without one (``year_hint``,
    else ``ref``'s), the file's date ``ref`` (a year-less date is placed by the column's direction), and
    ``today`` (the date a template is made for: the labels its dropdowns list around it)."""

    year_hint: int | None = None
    ref: _dt.date | None = None
    today: _dt.date | None = None


NO_CONTEXT = ParseContext()


@dataclass(frozen=True)
class Validation:
    """An Excel data validation, as data (``qudao.write.workbook`` writes it with openpyxl).

    ``type``: whole, decimal, date, textLength, list or custom; ``operator``: between, equal,
    greaterThan, greaterThanOrEqual, lessThanOrEqual; ``formula1``/``formula2`` Excel formulas, where
    ``{cell}`` stands for the validated range's first cell (custom); ``values``: a list's choices;
    ``warning``: Excel warns and lets the value in (a rule Excel cannot check exactly: characters of a
    phone, labels outside the listed years). Blank cells are always allowed."""

    type: str
    operator: str | None = None
    formula1: str | None = None
    formula2: str | None = None
    values: tuple[str, ...] = ()
    warning: bool = False
    error: str = ""
    prompt: str = ""


def number_text(x: float) -> str:
    """``10`` for 10.0, ``1.5`` for 1.5: a bound as messages and docs write it."""
    return str(int(x)) if float(x).is_integer() else str(x)


def bad_option_message(where: str, raw: str, bad: BadValue) -> str:
    """The message of a command-line value that does not parse: impossible (2026年13月45日, 2025-W53),
    out of range, not in the list, or badly written."""
    if bad.impossible:
        return f"{where}「{raw}」{bad.message}"
    if bad.code == "value.range":
        return f"{where}「{raw}」超出范围：{bad.message}"
    if bad.code == "value.enum":
        return f"{where}「{raw}」不是可选的值：{bad.message}"
    return f"{where}「{raw}」格式不对：{bad.message}"


class ValueType:
    """One column type. A subclass sets its class attributes (``parser`` and ``title`` where reading and
    describing need no constraint) and overrides :meth:`reader`, :meth:`bounds`, :meth:`describe` and
    :meth:`validation` where they depend on the constraints."""

    name: ClassVar[str] = ""
    title: ClassVar[str] = ""  # how 填写说明 and the docs name it (describe())
    parser: ClassVar[Any] = None  # staticmethod(normalize.parse_…) where reading needs no constraint
    supports: ClassVar[frozenset[str]] = frozenset()  # the constraints this type takes
    number_format: ClassVar[str] = "General"
    example: ClassVar[str] = ""
    names_itself: ClassVar[bool] = False  # its messages already say what the value is (联系电话应为 …)
    dated: ClassVar[bool] = False  # a date: the reader's function returns (date, year_inferred)

    def __init__(self, constraints: Constraints = NO_CONSTRAINTS):
        for name in ("enum", "synonyms", "min", "max", "min_exclusive", "unit", "direction"):
            default = getattr(NO_CONSTRAINTS, name)
            if getattr(constraints, name) != default and name not in self.supports:
                raise ValueError(f"type {self.name} does not take {name}")
        self.c = constraints
        self.in_range = self._range_test()

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"

    # ---------------------------------------------------------------- reading

    def convert(self, raw: Any, ctx: ParseContext = NO_CONTEXT) -> Any:
        """``raw`` (as a reader returns a cell: str, int, float, bool, date …) → the typed value, without
        the range; a badly written value raises BadValue."""
        return self.reader(ctx)(raw)

    def reader(self, ctx: ParseContext = NO_CONTEXT) -> Callable[[Any], Any] | None:
        """The raw → typed function the table reader applies to every cell of a column (memoised per
        value); ``None`` for text, which the reader handles inline."""
        return self.parser

    def bounds(self) -> tuple[float | None, float | None, bool] | None:
        """(low, high, low exclusive) a typed value must lie in, or None (no range)."""
        return None

    def _range_test(self) -> Callable[[Any], bool] | None:
        """``in_range``: the bounds as one fast test of a typed value (None: no range). The table reader calls
        it for every cell of a column; :meth:`range_problem` says what is wrong."""
        bounds = self.bounds()
        if bounds is None:
            return None
        low, high, exclusive = bounds
        if low is None:
            return None if high is None else (lambda v: v <= high)
        if exclusive:
            return (lambda v: v > low) if high is None else (lambda v: low < v <= high)
        return (lambda v: v >= low) if high is None else (lambda v: low <= v <= high)

    def range_problem(self, value: Any) -> str | None:
        """「应不小于 0」 for a typed value outside the bounds, else None."""
        if self.in_range is None or self.in_range(value):
            return None
        return "应" + self.range_text()

    def parse(self, raw: Any, ctx: ParseContext = NO_CONTEXT) -> Any:
        """The whole rule for one value: the typed value, or BadValue (``value.range`` for one out of range)."""
        typed = self.convert(raw, ctx)
        problem = self.range_problem(typed)
        if problem:
            raise BadValue("value.range", problem)
        return typed

    def option(self, raw: str, where: str) -> Any:
        """A value typed on the command line (``--set 报送日期=…``, ``--as-of``): :meth:`parse`, or a
        UsageError saying what is wrong (exit 2)."""
        try:
            return self.parse(raw)
        except BadValue as bad:
            raise UsageError(bad_option_message(where, raw, bad)) from None

    # ---------------------------------------------------------------- describing

    def range_text(self) -> str:
        """``在 10–2000 之间`` / ``不小于 0`` / ``大于 0、不大于 100000`` ("" without a range)."""
        bounds = self.bounds()
        if bounds is None:
            return ""
        low, high, exclusive = bounds
        if low is not None and high is not None:
            if exclusive:
                return f"大于 {number_text(low)}、不大于 {number_text(high)}"
            return f"在 {number_text(low)}–{number_text(high)} 之间"
        if low is not None:
            return f"大于 {number_text(low)}" if exclusive else f"不小于 {number_text(low)}"
        if high is not None:
            return f"不大于 {number_text(high)}"
        return ""

    def describe(self) -> str:
        """The type as 填写说明, the cell notes and the docs say it."""
        return self.title

    # ---------------------------------------------------------------- writing

    def validation(self, ctx: ParseContext = NO_CONTEXT) -> Validation | None:
        """The template's data validation for a cell of this type, or None (Excel cannot check it)."""
        return None


class Text(ValueType):
    name = "text"
    title = "文本"
    number_format = "@"
    example = "拉萨雪域物业"

    def convert(self, raw: Any, ctx: ParseContext = NO_CONTEXT) -> str:
        return to_text(raw)

    def reader(self, ctx: ParseContext = NO_CONTEXT) -> None:
        return None


class _Numeric(ValueType):
    """Numbers: a range from the constraints, else the type's default (counts and amounts are ≥ 0).
    Every number's magnitude is at most 10^12 (normalize.MAX_NUMBER): a longer one is a typo."""

    supports = frozenset({"min", "max", "min_exclusive"})
    default_min: ClassVar[float | None] = 0
    default_max: ClassVar[float | None] = None
    noun: ClassVar[str] = "数字"
    excel: ClassVar[str] = "decimal"

    def bounds(self) -> tuple[float | None, float | None, bool]:
        c = self.c
        low = c.min if c.min is not None else self.default_min
        high = c.max if c.max is not None else self.default_max
        return low, high, c.min_exclusive and c.min is not None

    def _formula(self, x: float) -> str:
        return repr(float(x))

    def validation(self, ctx: ParseContext = NO_CONTEXT) -> Validation:
        low, high, exclusive = self.bounds()
        said = self.range_text()  # 在 0–100 之间 / 不小于 0 / 大于 0、不大于 100000
        error = f"请输入 {said[2:]}的{self.noun}" if said.startswith("在 ") else f"请输入{said} 的{self.noun}"
        # the reader refuses any magnitude above 10^12, so the template does too (a bound it need not say)
        low = -MAX_NUMBER if low is None else low
        high = MAX_NUMBER if high is None else high
        if exclusive:
            if self.excel == "whole":  # an integer above low is one at least floor(low) + 1
                return Validation("whole", "between", str(math.floor(low) + 1), self._formula(high), error=error)
            return Validation("custom", formula1=f"AND(ISNUMBER({{cell}}),{{cell}}>{self._formula(low)},"
                                                 f"{{cell}}<={self._formula(high)})", error=error)
        if self.excel == "whole":
            return Validation("whole", "between", str(math.ceil(low)), self._formula(high), error=error)
        return Validation("decimal", "between", self._formula(low), self._formula(high), error=error)


class Int(_Numeric):
    name = "int"
    title = "整数"
    parser = staticmethod(parse_int)
    number_format = "0"
    example = "12"
    noun = "整数"
    excel = "whole"

    def _formula(self, x: float) -> str:
        return str(math.floor(x))


class Number(_Numeric):
    name = "number"
    title = "数字"
    parser = staticmethod(parse_number)
    number_format = "0.0"
    example = "95"


class Money(_Numeric):
    """An amount in the column's unit (万元, or 元); a unit written in the cell wins (``150万``, ``1,500,000元``)."""

    name = "money"
    supports = _Numeric.supports | {"unit"}
    number_format = "0.00"
    example = "150"

    def reader(self, ctx: ParseContext = NO_CONTEXT) -> Callable[[Any], float]:
        wan = self.c.unit == "万元"
        return lambda raw: parse_money(raw, wan)

    def describe(self) -> str:
        return f"金额（{self.c.unit}，两位小数）"


class Percent(_Numeric):
    """A percentage 0–100 (``35%`` is 35; a plain number is taken as written: 1.5 is 1.5 %)."""

    name = "percent"
    parser = staticmethod(parse_percent)
    number_format = "0.0"
    example = "35"
    default_max = 100

    def describe(self) -> str:
        low, high, _exclusive = self.bounds()
        return f"百分数（{number_text(low)}–{number_text(high)}）"


class Date(ValueType):
    """A date 1990–2100 in any form a cell may hold (docs/decisions.md → Reading). One written without
    a year (``11月3日``) takes it from the file's date by the column's direction; on the command line,
    where there is no file, it is refused."""

    name = "date"
    title = "日期 yyyy-mm-dd"
    supports = frozenset({"direction"})
    number_format = "yyyy-mm-dd"
    example = "2026-11-03"
    dated = True

    def convert(self, raw: Any, ctx: ParseContext = NO_CONTEXT) -> _dt.date:
        return self.reader(ctx)(raw)[0]

    def reader(self, ctx: ParseContext = NO_CONTEXT) -> Callable[[Any], tuple[_dt.date, bool]]:
        forward = self.c.direction == "forward"
        ref = ctx.ref
        hint = ctx.year_hint if ctx.year_hint is not None else ref.year if ref is not None else None

        def convert(raw: Any) -> tuple[_dt.date, bool]:
            day, inferred = parse_date(raw, hint)
            if inferred and ref is not None:
                day = place_year(day, ref, forward)
            return day, inferred
        return convert

    def validation(self, ctx: ParseContext = NO_CONTEXT) -> Validation:
        return Validation("date", "between", f"DATE({MIN_YEAR},1,1)", f"DATE({MAX_YEAR},12,31)",
                          error="请输入日期，如 2026-11-03", prompt="日期，如 2026-11-03")


class Phone(ValueType):
    """An 11-digit mainland mobile or a masked 前三后四 ``138****5678``; spaces, dashes and a +86/0086
    prefix are dropped. The template can only check the length (a warning)."""

    name = "phone"
    title = "11位手机号（文本）"
    number_format = "@"
    example = "13812345678"
    names_itself = True

    def reader(self, ctx: ParseContext = NO_CONTEXT) -> Callable[[Any], str]:
        return lambda raw: parse_phone(raw)[0]

    def validation(self, ctx: ParseContext = NO_CONTEXT) -> Validation:
        return Validation("textLength", "equal", "11", warning=True,
                          error="手机号应为 11 位（可填前三后四隐号，如 138****5678）", prompt="11位手机号")


class Account(ValueType):
    """A bank account: 8–32 digits (normalize.ACCOUNT_DIGITS), kept as text; spaces and dashes between
    them are dropped. A number cell keeps only 15 digits, so a longer one typed as a number is refused.
    The template checks the length of what is typed (a warning: it cannot see the characters)."""

    name = "account"
    title = "银行账号（文本，%d–%d 位数字，可含空格）" % ACCOUNT_DIGITS
    parser = staticmethod(parse_account)
    number_format = "@"  # a bank account typed as a number would lose every digit after the 15th
    example = "6222 0212 3456 7890 123"

    def validation(self, ctx: ParseContext = NO_CONTEXT) -> Validation:
        low, high = ACCOUNT_DIGITS
        return Validation("textLength", "between", str(low), str(high), warning=True,
                          error=f"银行账号应为 {low}–{high} 位数字，请按文本完整填写（可含空格）", prompt="银行账号，按文本填写")


class Enum(ValueType):
    """One of the column's values; width, case, a 级/类/性 suffix, an annotation in brackets (``A(热)``)
    and the column's synonyms (``男性`` → 男) are folded."""

    name = "enum"
    supports = frozenset({"enum", "synonyms"})
    number_format = "General"
    default_enum: ClassVar[tuple[str, ...]] = ()

    def __init__(self, constraints: Constraints = NO_CONSTRAINTS):
        super().__init__(constraints)
        self.values = constraints.enum or self.default_enum
        if not self.values:
            raise ValueError(f"{self.name} without values")

    @property
    def example(self) -> str:  # type: ignore[override]
        return self.values[0]

    def reader(self, ctx: ParseContext = NO_CONTEXT) -> Callable[[Any], str]:
        values, synonyms = self.values, self.c.synonyms
        return lambda raw: match_enum(raw, values, synonyms)

    def describe(self) -> str:
        return "下拉选择：" + "/".join(self.values)

    def validation(self, ctx: ParseContext = NO_CONTEXT) -> Validation:
        return Validation("list", values=self.values, error=f"请从下拉列表中选择：{'、'.join(self.values)}",
                          prompt=f"可选：{'、'.join(self.values)}")


class Grade(Enum):
    """意向等级 and the like: A (hot) … D (cold)."""

    name = "grade"
    default_enum = GRADES


class Week(ValueType):
    """An ISO week label ``2026-W48`` (also ``2026W48``, ``2026年第48周``); the week must exist. A
    template cannot check a week's spelling, so it has no validation."""

    name = "week"
    title = "周次，如 2026-W48"
    parser = staticmethod(parse_week)
    number_format = "@"
    example = "2026-W48"


class Period(ValueType):
    """An assessment period (考核期间): ``2026Q4``, ``2026H2``, ``2026`` or a Chinese spelling
    (``2026年第四季度``), typed as its label (``2026Q4``; ``periods.parse_period(label)`` gives the
    :class:`~qudao.periods.ReviewPeriod`). The template lists last, this and next year's periods (a
    warning: another year may still be typed)."""

    name = "period"
    title = "考核期间：季度、半年或全年"
    number_format = "@"
    example = "2026Q4"
    names_itself = True

    def reader(self, ctx: ParseContext = NO_CONTEXT) -> Callable[[Any], str]:
        return lambda raw: parse_period(raw).label

    def validation(self, ctx: ParseContext = NO_CONTEXT) -> Validation:
        year = (ctx.today or _dt.date.today()).year
        labels = tuple(f"{y}{p}" for y in (year - 1, year, year + 1) for p in ("Q1", "Q2", "Q3", "Q4", "H1", "H2", ""))
        return Validation("list", values=labels, warning=True, error=PERIOD_HELP,
                          prompt="季度 2026Q4，半年 2026H2，全年 2026")


TYPES: dict[str, type[ValueType]] = {t.name: t for t in (
    Text, Int, Number, Money, Percent, Date, Phone, Account, Enum, Grade, Week, Period)}


def make_type(item: Constraints, name: str) -> ValueType:
    """The type object of a column or field declared with type ``name``."""
    if name not in TYPES:
        raise ValueError(f"unknown type {name}")
    if item.direction not in DIRECTIONS:
        raise ValueError(f"unknown date direction {item.direction}")
    if item.unit not in UNITS:
        raise ValueError(f"unknown money unit {item.unit}")
    return TYPES[name](item)


# the types of the command line's own value options (--as-of, --from, --to, --start; --week; --period)
DATE, WEEK, PERIOD = Date(), Week(), Period()
