"""One rule per column type (issue 23): what the template admits, the reader accepts and the command line accepts.

For every distinct column and header-block field of every kind (its type and constraints), at the type's
boundary values, three answers are compared:

* the template — the data validation ``qudao new`` writes for that cell, read back from the saved workbook
  and evaluated by the small evaluator below (whole/decimal/date between, text length, list, and the one
  custom form we emit), as ``ok``, ``warn`` (Excel's warning style: the value goes in after a question) or
  ``stop``;
* the reader — ``parse_table`` on a sheet holding the value (a header-block field: ``typed_block``);
* the command line — the type's ``option`` (what ``--set`` calls; ``--as-of``/``--from``/``--to``,
  ``--week`` and ``--period`` are checked through the commands' own parsers and the CLI below).

They must agree. A row may say why they cannot: ``SPELLING`` — a way of writing a good value that only the
reader understands (a number stored as text, ``2026年11月3日`` as text, ``男性``); the template refuses that
spelling, so the test checks that it admits the value the reader makes of it. ``LIMIT`` — a rule Excel can
check only by length (a phone's or an account's characters) or only for the listed years (考核期间); the
template's validation is then a warning, never a silent wrong answer in the other direction.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import math
import re
from decimal import Decimal
from functools import lru_cache
from typing import Any, NamedTuple

import openpyxl
import pytest
from conftest import ROOT, invoke

from qudao.errors import UsageError
from qudao.normalize import ACCOUNT_DIGITS, MAX_NUMBER, BadValue
from qudao.read.block import typed_block
from qudao.read.grid import Grid
from qudao.read.table import parse_table
from qudao.records import Context
from qudao.schema import Column, Field, Table, all_kinds
from qudao.schema.types import TYPES, Constraints, Enum, Week
from qudao.write.workbook import build, workbook_bytes

AS_OF = dt.date(2026, 11, 27)
TEMPLATE_DAY = dt.date(2026, 10, 8)  # the header date a template is made with: the 考核期间 dropdown lists 2025–2027
SPELLING, LIMIT = "spelling", "limit"


# --------------------------------------------------------------------------- the items under test


class Item(NamedTuple):
    kind: str
    sheet: str
    item: Column | Field
    block: bool  # a header-block field (label：value) rather than a table column

    @property
    def name(self) -> str:
        return self.item.name


def _key(item: Column | Field) -> tuple:
    return (item.type, item.enum, tuple(sorted(item.synonyms.items())), item.min, item.max, item.min_exclusive,
            item.unit, isinstance(item, Field))


def distinct_items() -> list[Item]:
    """The first column or field of each distinct (type, constraints) over every kind's template."""
    seen: dict[tuple, Item] = {}
    for kind in all_kinds():
        if kind.generated:
            continue
        for sheet in kind.block_sheets:
            for f in sheet.fields:
                seen.setdefault(_key(f), Item(kind.id, sheet.sheet, f, True))
        for table in kind.tables:
            for f in table.block:
                seen.setdefault(_key(f), Item(kind.id, table.sheet, f, True))
            for col in table.columns:
                if not col.formula:  # a live formula's cells are ours: no validation, never typed in
                    seen.setdefault(_key(col), Item(kind.id, table.sheet, col, False))
    return list(seen.values())


ITEMS = distinct_items()


def test_every_type_is_covered():
    """Every type the schemas use is in the table (and the table knows every type)."""
    assert {i.item.type for i in ITEMS} == set(TYPES)


# --------------------------------------------------------------------------- the template's validation


@lru_cache(maxsize=None)
def template(kind_id: str) -> openpyxl.Workbook:
    """The kind's template as ``qudao new`` writes it, saved and read back."""
    from qudao.schema import get_kind

    kind = get_kind(kind_id)
    values = {f.label: TEMPLATE_DAY for t in kind.tables for f in t.block if f.type == "date"}
    return openpyxl.load_workbook(io.BytesIO(workbook_bytes(build(kind, values))))


def cell_of(item: Item) -> tuple[Any, str]:
    """(worksheet, coordinate) of the item's first cell to fill in the template."""
    ws = template(item.kind)[item.sheet]
    wanted = f"{item.name}：" if item.block else item.name
    for row in ws.iter_rows(min_row=1, max_row=30):
        for cell in row:
            if cell.value == wanted:
                target = ws.cell(row=cell.row, column=cell.column + 1) if item.block else ws.cell(
                    row=cell.row + 1, column=cell.column)
                return ws, target.coordinate
    raise AssertionError(f"{item.kind}/{item.sheet}: no cell for {wanted}")


def validation_of(item: Item):
    ws, coord = cell_of(item)
    found = [dv for dv in ws.data_validations.dataValidation if coord in dv.sqref]
    assert len(found) <= 1, (item, coord)
    return (found[0], coord) if found else (None, coord)


def _text(value: Any) -> str:
    """A cell's value as Excel compares it in a list or measures it for a length."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _serial(day: dt.date | dt.datetime) -> float:
    whole = (day.date() if isinstance(day, dt.datetime) else day) - dt.date(1899, 12, 30)
    part = (day - dt.datetime.combine(day.date(), dt.time())).total_seconds() / 86400 if isinstance(
        day, dt.datetime) else 0
    return whole.days + part


def _formula_number(text: str) -> float:
    m = re.fullmatch(r"DATE\((\d+),(\d+),(\d+)\)", text)
    if m:
        return _serial(dt.date(int(m[1]), int(m[2]), int(m[3])))
    return float(text)


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


OPERATORS = {
    "between": lambda x, a, b: a <= x <= b, "notBetween": lambda x, a, b: not a <= x <= b,
    "equal": lambda x, a, b: x == a, "notEqual": lambda x, a, b: x != a,
    "greaterThan": lambda x, a, b: x > a, "greaterThanOrEqual": lambda x, a, b: x >= a,
    "lessThan": lambda x, a, b: x < a, "lessThanOrEqual": lambda x, a, b: x <= a,
}


def _list_choices(dv, wb) -> list[str]:
    formula = dv.formula1
    if formula.startswith('"'):
        return formula.strip('"').split(",")
    name = wb.defined_names[formula.lstrip("=")]
    sheet, ref = name.attr_text.split("!")
    return [_text(c[0].value) for c in wb[sheet.strip("'")][ref.replace("$", "")]]


def _custom(formula: str, value: Any, cell: str) -> bool:
    """The custom form the writer emits for an exclusive minimum with a maximum: AND(ISNUMBER(c),c>a,c<=b)."""
    m = re.fullmatch(r"AND\((.*)\)", formula)
    assert m, formula
    result = True
    for term in m[1].split(","):
        if term == f"ISNUMBER({cell})":
            result &= _number(value)
            continue
        t = re.fullmatch(rf"{cell}(>=|<=|>|<|=)(-?[\d.]+)", term)
        assert t, f"the evaluator does not know {term!r} (in {formula})"
        if not _number(value):
            return False
        op = {">": "greaterThan", ">=": "greaterThanOrEqual", "<": "lessThan", "<=": "lessThanOrEqual",
              "=": "equal"}[t[1]]
        result &= OPERATORS[op](value, float(t[2]), None)
    return result


def admits(dv, value: Any, wb, cell: str) -> bool:
    """Would Excel accept ``value`` (what the cell holds) in a cell with validation ``dv``?"""
    kind = dv.type
    if kind == "list":
        return _text(value).casefold() in {c.casefold() for c in _list_choices(dv, wb)}
    if kind == "custom":
        return _custom(dv.formula1, value, cell)
    if kind == "textLength":
        x = len(_text(value))
    elif kind == "date":
        if isinstance(value, dt.date):
            x = _serial(value)
        elif _number(value):
            x = value  # a number in a date cell is a serial day
        else:
            return False
    elif kind in ("whole", "decimal"):
        if not _number(value) or (kind == "whole" and not float(value).is_integer()):
            return False
        x = value
    else:
        raise AssertionError(f"the evaluator does not know validation type {kind}")
    a = _formula_number(dv.formula1)
    b = _formula_number(dv.formula2) if dv.formula2 is not None else None
    return OPERATORS[dv.operator or "between"](x, a, b)


def verdict(item: Item, value: Any) -> str | None:
    """ok / warn / stop for ``value`` in the item's template cell; None without a validation."""
    dv, coord = validation_of(item)
    if dv is None:
        return None
    if admits(dv, value, template(item.kind), coord):
        return "ok"
    return "warn" if dv.errorStyle == "warning" else "stop"


# --------------------------------------------------------------------------- the reader and the option


def read(item: Item, value: Any) -> tuple[bool, Any]:
    """(accepted, typed value) by the reader's own code: a sheet with the value under the item's header."""
    ctx = Context(file="t.xlsx", as_of=AS_OF)
    if item.block:
        values, _cells = typed_block({item.name: (value, 0, 1)}, (item.item,), ctx, item.sheet, None)
        return item.name in values, values.get(item.name)
    col = dataclasses.replace(item.item, future_check=False, not_before=None, required_when=None, required=False)
    table = Table(item.sheet, (col, Column("备注")), title_row=False)
    grid = Grid(item.sheet, [[col.header, "备注"], [value, "行"]])
    parsed = parse_table(grid, 0, table, ctx)
    assert len(parsed.rows) == 1, (item, value, ctx.findings)
    row = parsed.rows[0]
    return not row.rejected and col.header in row.values, row.values.get(col.header)


def option_text(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value if isinstance(value, str) else repr(value)


def option(item: Item, value: Any) -> tuple[bool, Any]:
    try:
        return True, item.item.datatype.option(option_text(value), f"--set {item.name}")
    except UsageError:
        return False, None


# --------------------------------------------------------------------------- boundary values per type


class Case(NamedTuple):
    raw: Any
    accepted: bool
    note: str | None = None  # SPELLING / LIMIT
    template: str | None = None  # the template's verdict where the note says it differs


BAD_NUMBERS = ("inf", "-inf", "Infinity", "NaN", "nan", "1e400", "12a")


def numeric_cases(item: Column | Field) -> list[Case]:
    low, high, exclusive = item.datatype.bounds()
    top = MAX_NUMBER if high is None else high
    step = 1 if item.type == "int" else 0.01
    cases = [Case(low - step, False), Case(low, not exclusive), Case(low + step, True), Case(top, True),
             Case(top + step if top < MAX_NUMBER else MAX_NUMBER * 10, False), Case(1e15, False),
             Case(-0.0, low < 0 or (low == 0 and not exclusive))]
    if item.type == "int":
        cases.append(Case(low + 1.5, False))  # not a whole number
        cases.append(Case(float(low + 1), True))  # 3.0 is 3
    cases += [Case(text, False) for text in BAD_NUMBERS]
    inside = low + 1 if low + 1 <= top else low
    cases.append(Case(str(inside), True, SPELLING, "stop"))  # a number stored as text
    return cases


DATE_CASES = [
    Case(dt.date(1989, 12, 31), False), Case(dt.date(1990, 1, 1), True), Case(dt.date(2100, 12, 31), True),
    Case(dt.date(2101, 1, 1), False), Case(dt.datetime(2026, 11, 3, 9, 30), True),
    Case(32873, False), Case(32874, True), Case(73415, True), Case(73416, False),  # serial days 1989-12-31 … 2101-01-01
    Case("2026-02-29", False), Case("明天", False), Case(True, False),
    Case("2026-11-03", True, SPELLING, "stop"), Case("2026年11月3日", True, SPELLING, "stop"),
    Case(20261103, True, SPELLING, "stop"),  # yyyymmdd typed as a number: Excel takes it for a serial day
]
PHONE_CASES = [
    Case("13812345678", True), Case(13812345678, True), Case("138****5678", True),
    Case("1381234567", False), Case("138123456789", False),
    Case("138 1234 5678", True, SPELLING, "warn"), Case("+86 138-1234-5678", True, SPELLING, "warn"),
    Case("12812345678", False, LIMIT, "ok"), Case("1381234567X", False, LIMIT, "ok"),  # Excel counts, cannot read
]
ACCOUNT_LOW, ACCOUNT_HIGH = ACCOUNT_DIGITS
ACCOUNT_CASES = [
    Case("6" * (ACCOUNT_LOW - 1), False), Case("6" * ACCOUNT_LOW, True), Case("6222021234567890123", True),
    Case("6" * ACCOUNT_HIGH, True), Case("6" * (ACCOUNT_HIGH + 1), False), Case(622202123456789, True),
    Case("6222 0212 3456 7890 123", True),
    Case(" ".join(["6666"] * (ACCOUNT_HIGH // 4)), True, SPELLING, "warn"),  # 32 digits in groups: 39 characters
    Case("abcdefghij", False, LIMIT, "ok"), Case(6.222021234567891e18, False, LIMIT, "ok"),  # 15 digits kept
]
WEEK_CASES = [
    Case("2026-W48", True), Case("2026-W53", True), Case("2025-W53", False), Case("2026-W01", True),
    Case("2026-W00", False), Case("2026-W54", False), Case("1989-W52", False), Case("1990-W01", True),
    Case("2100-W52", True), Case("2101-W01", False), Case("2026W48", True), Case("2026-w48", True),
    Case("2026年第48周", True), Case("2026年48周", True), Case("2025年第53周", False), Case("第48周", False),
    Case("W48", False), Case("2026-48", False), Case("2026-W48-1", False),
]
PERIOD_CASES = [
    Case("2026Q4", True), Case("2026H2", True), Case("2026", True), Case("2025Q1", True), Case("2027H1", True),
    Case("2026Q5", False, None), Case("2026H3", False), Case("1989Q4", False), Case("Q4", False),
    Case("2026年第四季度", True, SPELLING, "warn"), Case("2026年下半年", True, SPELLING, "warn"),
    Case("2030Q1", True, LIMIT, "warn"),  # a year the dropdown does not list: typed, it is a good period
]


def enum_cases(item: Column | Field) -> list[Case]:
    values = item.datatype.values
    cases = [Case(v, True) for v in values]
    cases += [Case(v.lower(), True) for v in values if v.lower() != v]
    cases += [Case("不在列表中", False), Case("Z", False)]
    cases += [Case(k, True, SPELLING, "stop") for k in item.synonyms]
    if item.type == "grade":
        cases.append(Case("A级", True, SPELLING, "stop"))
    return cases


def cases_for(item: Column | Field) -> list[Case]:
    t = item.type
    if t in ("int", "number", "money", "percent"):
        return numeric_cases(item)
    if t in ("enum", "grade"):
        return enum_cases(item)
    return {"date": DATE_CASES, "phone": PHONE_CASES, "account": ACCOUNT_CASES, "week": WEEK_CASES,
            "period": PERIOD_CASES, "text": [Case("拉萨雪域物业", True), Case(12345, True)]}[t]


PARAMS = [pytest.param(item, case, id=f"{item.kind}:{item.name}:{case.raw!r}")
          for item in ITEMS for case in cases_for(item.item)]


@pytest.mark.parametrize("item, case", PARAMS)
def test_template_reader_and_option_agree(item: Item, case: Case):
    accepted, typed = read(item, case.raw)
    assert accepted == case.accepted, f"reader: {item.name} {case.raw!r}"
    assert option(item, case.raw)[0] == case.accepted, f"option: {item.name} {case.raw!r}"
    said = verdict(item, case.raw)
    if said is None:  # a type Excel cannot check (text, week): the template writes no validation
        assert item.item.datatype.validation() is None
        return
    if case.note is None:
        assert (said == "ok") == case.accepted, f"template says {said}: {item.name} {case.raw!r}"
    else:
        assert said == case.template, f"template says {said}: {item.name} {case.raw!r}"
        if case.note == SPELLING:  # what the reader makes of the spelling, the template admits
            assert verdict(item, typed) == "ok", (item.name, case.raw, typed)
        else:  # a rule Excel can check only in part: the template only warns
            dv, _coord = validation_of(item)
            assert dv.errorStyle == "warning"


def test_option_and_cell_give_the_same_value():
    """The value, not only the verdict: a cell and --set of the same text type it alike."""
    for item in ITEMS:
        for case in cases_for(item.item):
            if case.accepted and isinstance(case.raw, str):
                assert read(item, case.raw)[1] == option(item, case.raw)[1], (item.name, case.raw)


def test_the_types_without_validation():
    """Text and week cells have no data validation: Excel cannot check a week's spelling (it is checked when read)."""
    assert TYPES["text"]().validation() is None and Week().validation() is None
    assert {i.item.type for i in ITEMS if validation_of(i)[0] is None} == {"text", "week"}


def test_a_type_refuses_a_constraint_it_does_not_take():
    with pytest.raises(ValueError, match="does not take min"):
        Column("到访日期", "date", min=0)
    with pytest.raises(ValueError, match="does not take unit"):
        Field("预算", type="number", unit="元")
    with pytest.raises(ValueError, match="without values"):
        Enum(Constraints())
    with pytest.raises(ValueError, match="never required"):
        Field("报送日期", type="date", required=True)


def test_columns_and_fields_share_one_constraint_record():
    field_names = {f.name for f in dataclasses.fields(Constraints)}
    assert field_names <= {f.name for f in dataclasses.fields(Column)}
    assert field_names <= {f.name for f in dataclasses.fields(Field)}
    assert issubclass(Column, Constraints) and issubclass(Field, Constraints)


# --------------------------------------------------------------------------- through the commands


@pytest.mark.parametrize("raw, ok", [
    ("1989-12-31", False), ("1990-01-01", True), ("2100-12-31", True), ("2101-01-01", False),
    ("2026年11月3日", True), ("20261103", True), ("32874", True), ("2026-02-29", False),
])
def test_date_options_take_what_a_date_cell_takes(raw, ok):
    from qudao.commands._common import parse_day

    date_item = next(i for i in ITEMS if i.item.type == "date" and not i.block)
    assert read(date_item, raw)[0] is ok
    if ok:
        assert parse_day(raw, "--as-of") == read(date_item, raw)[1]
    else:
        with pytest.raises(UsageError):
            parse_day(raw, "--as-of")


@pytest.mark.parametrize("raw", [c.raw for c in WEEK_CASES])
def test_week_option_takes_what_a_week_cell_takes(raw):
    from qudao.commands._common import parse_week_option

    week_item = next(i for i in ITEMS if i.item.type == "week")
    accepted, typed = read(week_item, raw)
    if accepted:
        assert parse_week_option(raw) == typed
    else:
        with pytest.raises(UsageError):
            parse_week_option(raw)


@pytest.mark.parametrize("raw", [c.raw for c in PERIOD_CASES])
def test_period_option_takes_what_a_period_cell_takes(raw):
    from qudao.commands._common import parse_period_option

    period_item = next(i for i in ITEMS if i.item.type == "period")
    accepted, typed = read(period_item, raw)
    if accepted:
        assert parse_period_option(raw).label == typed
    else:
        with pytest.raises(UsageError):
            parse_period_option(raw)


@pytest.mark.parametrize("args, message", [
    (("new", "event", "--set", "目标到场人数=-5"), "--set 目标到场人数「-5」超出范围：应不小于 0"),
    (("new", "event", "--set", "目标到场人数=2.5"), "--set 目标到场人数「2.5」格式不对：应为整数"),
    (("new", "event", "--set", "预算总额(元)=inf"), "--set 预算总额(元)「inf」格式不对：应为数字"),
    (("new", "feedback", "--set", "周次=2025-W53"), "--set 周次「2025-W53」2025 年没有第 53 周"),
    (("rollup", "--inbox", "IN", "--out", "OUT", "--week", "2025-W53"), "--week「2025-W53」2025 年没有第 53 周"),
    (("rollup", "--inbox", "IN", "--out", "OUT", "--week", "48"),
     "--week「48」格式不对：应为周次，如 2026-W48，或 last（上周）、this（本周）"),
    (("summarize", "IN", "--as-of", "2101-01-01"), "--as-of「2101-01-01」日期不合理（2101-01-01），请核对年份"),
    (("assess", "IN", "--period", "1989Q4"), "--period「1989Q4」考核期间的年份应在 1990–2100 之间"),
])
def test_values_out_of_the_types_rule_stop_the_command(runner, tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "IN").mkdir()
    result = invoke(runner, *args)
    assert (result.exit_code, result.output) == (2, f"错误：{message}\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["IN"]  # nothing written


def test_week_written_in_chinese_is_a_week_on_the_command_line(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke(runner, "new", "feedback", "--set", "周次=2026年第48周", "-o", "反馈.xlsx")
    assert result.exit_code == 0, result.output
    assert openpyxl.load_workbook(tmp_path / "反馈.xlsx")["工作进展"]["B3"].value == "2026-W48"
    # --week takes it too: the rollup gets past the week and stops at the missing inbox
    result = invoke(runner, "rollup", "--inbox", "没有", "--out", "OUT", "--week", "2026年第48周")
    assert result.exit_code == 2 and "--week" not in result.output and "没有" in result.output


def test_validate_refuses_what_the_template_refuses(runner, tmp_path, monkeypatch):
    """−5 people to expect and 2025-W53 typed over the templates' own validation: validate names the cell."""
    import json

    monkeypatch.chdir(tmp_path)
    assert invoke(runner, "new", "event", "--set", "目标到场人数=0", "-o", "活动.xlsx").exit_code == 0
    assert invoke(runner, "new", "feedback", "-o", "反馈.xlsx").exit_code == 0
    for name, sheet, cell, value in (("活动.xlsx", "活动概况", "B9", -5), ("反馈.xlsx", "工作进展", "B3", "2025-W53")):
        wb = openpyxl.load_workbook(tmp_path / name)
        assert wb[sheet].cell(row=int(cell[1:]), column=1).value in ("目标到场人数：", "周次：")
        wb[sheet][cell] = value
        wb.save(tmp_path / name)
    result = invoke(runner, "validate", "活动.xlsx", "反馈.xlsx", "--format", "json")
    found = {(r["path"], f["cell"]): (f["code"], f["message"]) for r in json.loads(result.output)["files"]
             for f in r["findings"]}
    assert found[("活动.xlsx", "B9")] == ("block.value", "表头「目标到场人数」应不小于 0（当前为“-5”）")
    assert found[("反馈.xlsx", "B3")] == ("block.value", "表头「周次」2025 年没有第 53 周（当前为“2025-W53”）")


def test_a_negative_count_in_a_table_is_refused_as_its_validation_says(runner, tmp_path, monkeypatch):
    import json

    monkeypatch.chdir(tmp_path)
    assert invoke(runner, "new", "event", "-o", "活动.xlsx").exit_code == 0
    wb = openpyxl.load_workbook(tmp_path / "活动.xlsx")
    ws = wb["物料清单"]
    ws["A3"], ws["B3"] = "易拉宝", -1
    dv = next(d for d in ws.data_validations.dataValidation if "B3" in d.sqref)
    assert not admits(dv, -1, wb, "B3")
    wb.save(tmp_path / "活动.xlsx")
    result = invoke(runner, "validate", "活动.xlsx", "--format", "json")
    assert result.exit_code == 1
    messages = [f["message"] for f in json.loads(result.output)["files"][0]["findings"] if f["cell"] == "B3"]
    assert messages == ["「数量」应不小于 0（当前为 -1）"]


# --------------------------------------------------------------------------- the smaller rules, once each


@pytest.mark.parametrize("value", [float("inf"), float("-inf"), float("nan"), "Infinity", "-Infinity", "NaN", "nan",
                                   "sNaN", Decimal("Infinity"), Decimal("NaN")])
def test_dec_refuses_infinity_and_nan(value):
    from qudao.money import dec

    with pytest.raises(ValueError, match="not a finite number"):
        dec(value)


def test_one_dec():
    import qudao.analysis.assess as assess
    import qudao.money as money

    assert assess.dec is money.dec
    assert str(money.dec(-0.0 + 0.0)) == "0.0" and money.fmt(0.1 + 0.2) == "0.30"
    defined = [p for p in (ROOT / "src" / "qudao").rglob("*.py") if re.search(r"^def dec\(", p.read_text(), re.M)]
    assert defined == [ROOT / "src" / "qudao" / "money.py"]


def test_minus_zero_is_read_as_zero():
    from qudao.money import fmt

    item = next(i for i in ITEMS if i.item.type == "money" and not i.item.min_exclusive and not i.block)
    accepted, typed = read(item, -0.0)
    assert accepted and math.copysign(1, typed) == 1 and fmt(typed) == "0.00"


def test_the_bank_account_rule_is_in_one_place():
    from qudao.normalize import ACCOUNT_HELP
    from qudao.schema import get_kind

    account = next(c for t in get_kind("agreements").tables for c in t.columns if c.type == "account")
    spec = account.datatype.validation()
    assert (spec.formula1, spec.formula2) == tuple(str(n) for n in ACCOUNT_DIGITS)
    said = "%d–%d 位数字" % ACCOUNT_DIGITS
    assert said in account.datatype.describe() and said in ACCOUNT_HELP and said in spec.error


def test_one_display_width_for_the_terminal_and_the_workbooks():
    """A decomposed 「é」 (e + U+0301) measures as the composed one everywhere; one width function in the code."""
    from qudao.report.todo import wrap as todo_wrap
    from qudao.text import display_width
    from qudao.write.workbook import column_width, text_lines
    from qudao.zh import wrap as help_wrap

    composed, decomposed = "Café 渠道", "Cafe\u0301 渠道"
    assert display_width(composed) == display_width(decomposed) == 9
    assert display_width("\u200b") == 0 and display_width("Ａ") == 2
    assert column_width(Column(composed)) == column_width(Column(decomposed))
    assert text_lines(composed * 5, 10) == text_lines(decomposed * 5, 10)
    assert [display_width(x) for x in todo_wrap(decomposed * 9, 20)] == [display_width(x) for x in
                                                                         todo_wrap(composed * 9, 20)]
    assert [display_width(x) for x in help_wrap(decomposed * 9, 20)] == [display_width(x) for x in
                                                                         help_wrap(composed * 9, 20)]
    uses = [p.relative_to(ROOT).as_posix() for p in (ROOT / "src" / "qudao").rglob("*.py")
            if "east_asian_width" in p.read_text()]
    assert uses == ["src/qudao/text.py"]


def test_one_header_text():
    from qudao.write.workbook import header_text

    assert header_text("A&B") == "A&&B"
    cut = header_text("x" * 79 + "&tail")
    assert cut == "x" * 79 + "&&" and not re.search(r"(?<!&)&(&&)*$", cut)  # never half of a doubled &
    copies = [p.relative_to(ROOT).as_posix() for p in (ROOT / "src" / "qudao").rglob("*.py")
              if re.search(r"replace\(['\"]&['\"], ['\"]&&['\"]\)", p.read_text())]
    assert copies == ["src/qudao/write/style.py"]  # presentation basics once (issue 25); workbook re-exports it


def test_year_less_dates_need_the_file_on_the_command_line():
    """A cell takes 11月3日's year from its file's date; the command line has no file, so it asks for the year."""
    date_item = next(i for i in ITEMS if i.item.type == "date" and not i.block)
    assert read(date_item, "11月3日") == (True, dt.date(2026, 11, 3))
    assert not option(date_item, "11月3日")[0]
    with pytest.raises(BadValue, match="缺少年份"):
        date_item.item.datatype.parse("11月3日")
