"""No value stops a run (issue 12): random values in every header field and every column of every kind.

Each example writes one workbook per kind (the generated template, its header block and three data rows
filled with whatever hypothesis draws: text, numbers, impossible dates, formulas, blanks, 32k-character
strings, NaN and infinities, dates from any century …) and runs ``validate``, ``summarize`` and
``rollup`` on the folder. Every run must end with exit 0 or 1 — never an internal error — and every
problem with a value must name its file and cell.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from pathlib import Path

import pytest
from conftest import invoke
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from qudao.schema import all_kinds

pytestmark = pytest.mark.slow

NASTY = ["2026-11-31", "11月27日", "11.27", "2026/11/27 周五", "2026/11/27 周四", "=1/0", "=SUM(A1:A3)", "明天", "",
         " ", "1e308", "-1e12", "NaN", "inf", "\x01\x02", "[/]", "[link=http://x]a[/link]", "\x1b[31m红", "13812345678",
         "138****5678", "A级", "已成交", "2026-W48", "2026年第48周", "150w", "1,500,000元", "合计", "备注：无", "0", "-5"]
VALUES = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=30),
    st.integers(min_value=-10**15, max_value=10**15),
    st.floats(allow_nan=False, allow_infinity=False),
    st.dates(min_value=dt.date(1800, 1, 1), max_value=dt.date(2300, 12, 31)),
    st.booleans(),
    st.just("长" * 32_000),
    st.none(),
)
KINDS = [k for k in all_kinds() if not k.generated]


def _fill(kind, data, path: Path) -> None:
    """The kind's template with random values in its header blocks and three rows of every table."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    from qudao.write.append import locate_header
    from qudao.write.workbook import build

    wb = build(kind, {})

    def put(cell, value) -> None:
        if isinstance(value, str):
            value = ILLEGAL_CHARACTERS_RE.sub("", value)  # openpyxl cannot write these (the hostile tests do)
        cell.value = value

    for ws in wb.worksheets:
        if ws.title.startswith("_") or ws.title == "填写说明":
            continue
        for row in ws.iter_rows(min_row=1, max_row=12):
            for cell in row:
                if isinstance(cell.value, str) and cell.value.endswith("：") and type(cell).__name__ == "Cell":
                    target = ws.cell(row=cell.row, column=cell.column + 1)
                    if type(target).__name__ == "Cell":
                        put(target, data.draw(VALUES))
    for table in kind.tables:
        ws = wb[table.sheet]
        header, columns = locate_header(ws, table)
        for r in range(header + 1, header + 4):
            for _name, c in columns.items():
                put(ws.cell(row=r, column=c), data.draw(VALUES))
    wb.save(path)


# No shrinking: an example is a folder of 14 workbooks, and the failing one is printed whole.
@settings(max_examples=12, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate],
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.data())
def test_random_values_in_every_kind_never_stop_a_run(data):
    runner = CliRunner()
    with tempfile.TemporaryDirectory() as tmp:
        inbox = Path(tmp) / "inbox"
        inbox.mkdir()
        for kind in KINDS:
            _fill(kind, data, inbox / f"{kind.title}-2026W48.xlsx")
        checks = [("validate", inbox, "--format", "json", "--as-of", "2026-11-27"),
                  ("summarize", inbox, "--json", "-", "--as-of", "2026-11-27"),
                  ("rollup", "--inbox", inbox, "--out", Path(tmp) / "out", "--week", "2026-W48", "--quiet")]
        for args in checks:
            result = invoke(runner, *args)
            assert result.exit_code in (0, 1), (args[0], result.output[-2000:])
            assert "错误：内部错误" not in result.output and "Traceback" not in result.output, result.output[-2000:]
        files = json.loads(invoke(runner, *checks[0]).output)["files"]
        for f in files:
            for finding in f.get("findings", ()):
                if finding["code"] in ("file.unreadable", "file.kind_unknown", "header.missing", "check.failed"):
                    continue
                assert finding["cell"] or finding["row"], (f["path"], finding)
            assert not any(x["code"] == "check.failed" for x in f.get("findings", ())), f
