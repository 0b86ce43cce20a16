"""The shared fixture inbox (saved by Excel-like writers and LibreOffice) against expected.json."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from conftest import AS_OF, invoke
from python_calamine import CalamineWorkbook

# (rows read, accepted, rejected, skipped) per file whose figures are not "all accepted,
# no total row"; reviewed by hand against the files (see the comments for why rows are rejected).
SPECIAL = {
    "拉萨分所/拉萨圣城国际旅行社-2026W42.ods": (14, 13, 1, 0),  # 到访日期 before 登记日期
    "拉萨分所/拉萨圣城国际旅行社-2026W43.ods": (21, 19, 1, 1),
    "拉萨分所/拉萨雪域物业服务有限公司-2026W43.xlsx": (20, 18, 1, 1),  # 成交金额 missing
    "拉萨分所/西藏建工集团工会-2026W47.xls": (36, 34, 1, 1),  # 意向等级 missing
    "日喀则分所/中国银行日喀则分行-2026W41.xls": (4, 3, 1, 0),  # 登记日期 after 报送日期
    "日喀则分所/中国银行日喀则分行-2026W48.xls": (39, 37, 1, 1),
    "日喀则分所/日喀则吉祥旅行社-2026W44.xlsx": (16, 15, 1, 0),  # visit and deal after 报送日期
    "日喀则分所/日喀则川渝商会-2026W41.xlsx": (5, 4, 1, 0),  # a 10-digit phone
    "日喀则分所/日喀则珠峰物业-2026W46.xlsx": (31, 30, 0, 1),
    "拉萨分所/西藏四川商会-2026W44.csv": (17, 17, 0, 0),  # phones as 13999646704.0
    "绵阳分所/绵阳分所-汇总登记-2026W48.xlsx": (135, 135, 0, 0),
}


pytestmark = pytest.mark.slow  # end-to-end: whole inboxes and reports

def naive_counts(path: Path) -> tuple[int, int]:
    """(rows under the header with any value, rows that start with 合计) — counted without qudao."""
    if path.suffix == ".csv":
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("gb18030")
        rows = list(csv.reader(io.StringIO(text)))
    else:
        rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    header = next(i for i, r in enumerate(rows) if str(r[0]).strip() == "序号")
    body = [r for r in rows[header + 1:] if any(str(v).strip() for v in r)]
    totals = sum(1 for r in body if str(r[0]).strip().startswith(("合计", "小计", "总计")))
    return len(body), totals


def validate_json(runner, inbox: Path) -> dict:
    result = invoke(runner, "validate", inbox, "--format", "json", "--as-of", AS_OF.isoformat())
    assert result.exit_code == 1, result.output
    return json.loads(result.output)


@pytest.fixture(scope="module")
def validated(fixture_inbox):
    from typer.testing import CliRunner

    return validate_json(CliRunner(), fixture_inbox)


def test_validate_totals_equal_expected_inputs(validated, expected):
    totals = validated["totals"]
    for key, value in expected["inputs"].items():
        assert totals[key] == value, key
    assert totals["rows_read"] == totals["rows_accepted"] + totals["rows_rejected"] + totals["rows_skipped"]


def test_every_file_is_a_register_with_exact_counts(validated, fixture_inbox):
    assert len(validated["files"]) == 76
    for item in validated["files"]:
        rel = item["path"].split("/", 1)[1]
        assert item["kind"] == "register", rel
        read, skipped = naive_counts(fixture_inbox / rel)
        assert (item["rows_read"], item["rows_skipped"]) == (read, skipped), rel
        if rel in SPECIAL:
            assert (item["rows_read"], item["rows_accepted"], item["rows_rejected"], item["rows_skipped"]) == \
                SPECIAL[rel], rel
        assert item["rows_read"] == item["rows_accepted"] + item["rows_rejected"] + item["rows_skipped"]
        assert item["errors"] >= item["rows_rejected"]


def test_rejections_name_file_sheet_and_cell(validated):
    errors = [(item["path"], f) for item in validated["files"] for f in item["findings"] if f["severity"] == "error"]
    assert len(errors) == 38
    for path, f in errors:
        assert f["sheet"] == ("" if path.endswith(".csv") else "意向客户登记")
        assert f["cell"] and f["row"] and f["message"]
    by_code: dict[str, int] = {}
    for _p, f in errors:
        by_code[f["code"]] = by_code.get(f["code"], 0) + 1
    assert by_code == {"phone.format": 15, "date.future": 10, "date.order": 6, "deal.incomplete": 5,
                       "value.required": 2}
    phone = next(f for p, f in errors if p.endswith("日喀则川渝商会-2026W41.xlsx"))
    assert (phone["code"], phone["cell"], phone["value"]) == ("phone.format", "D8", "1304097703")


@pytest.fixture(scope="module")
def summary_json(fixture_inbox, tmp_path_factory):
    from typer.testing import CliRunner

    out = tmp_path_factory.mktemp("summary") / "s.json"
    result = invoke(CliRunner(), "summarize", fixture_inbox, "--json", out, "--as-of", AS_OF.isoformat(), "-q")
    assert result.exit_code == 1, result.output  # rows were rejected
    return json.loads(out.read_text(encoding="utf-8"))


def test_summary_reproduces_expected(summary_json, expected):
    assert {k: summary_json["inputs"][k] for k in expected["inputs"]} == expected["inputs"]
    for key, value in expected["totals"].items():
        assert summary_json["totals"][key] == value, key
    ours = {row["channel"]: row for row in summary_json["by_channel"]}
    assert set(ours) == {row["channel"] for row in expected["by_channel"]}
    for row in expected["by_channel"]:
        for key, value in row.items():
            assert ours[row["channel"]][key] == value, (row["channel"], key)


def test_conflict_pairs_match(summary_json, expected):
    ours = sorted([c["winner"], c["loser"], c["customer"]] for c in summary_json["conflicts"])
    assert ours == sorted(expected["conflict_pairs"])
    assert summary_json["totals"]["conflicts"] == len(expected["conflict_pairs"])


def test_summary_json_shape(summary_json):
    assert summary_json["period"] == {"from": None, "to": None}
    assert set(summary_json["totals"]) >= {"registrations", "customers", "owned_customers", "natural_visits",
                                           "visits", "deals", "deal_amount_wan", "commission_wan", "conflicts"}
    row = summary_json["by_channel"][0]
    assert set(row) >= {"channel", "type", "branch", "registrations", "customers", "visits", "deals",
                        "deal_amount_wan", "visit_rate", "deal_rate", "conversion", "conflicts", "commission_wan",
                        "score", "grade"}
    scores = [r["score"] for r in summary_json["by_channel"]]
    assert scores == sorted(scores, reverse=True)
    conflict = summary_json["conflicts"][0]
    assert set(conflict) >= {"customer", "winner", "loser", "winner_date", "loser_date"}
    assert summary_json["reconciliation"]["ok"] is True
    # commission: 1.5 % of each deal by default, rounded once on its line; the total is the sum of the lines
    from decimal import ROUND_HALF_UP, Decimal

    lines = [(Decimal(str(d["deal_amount_wan"])) * Decimal("0.015")).quantize(Decimal("0.01"), ROUND_HALF_UP)
             for d in summary_json["settlement"]]
    assert [d["commission_wan"] for d in summary_json["settlement"]] == [float(x) for x in lines]
    assert summary_json["totals"]["commission_wan"] == float(sum(lines)) == 73.67  # the exact sum: 73.6893
