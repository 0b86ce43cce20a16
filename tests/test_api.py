"""qudao.open: the demo inbox as DataFrames, every figure equal to ``qudao summarize --json``."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import ROUND_HALF_UP, Decimal

import pytest
from conftest import ROOT, invoke

SAMPLES = ROOT / "samples" / "inbox"
AS_OF = "2026-11-27"


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    from typer.testing import CliRunner

    import qudao

    out = tmp_path_factory.mktemp("api") / "summary.json"
    assert invoke(CliRunner(), "summarize", SAMPLES, "--as-of", AS_OF, "--json", out).exit_code == 1
    return qudao.open(SAMPLES, as_of=AS_OF), json.loads(out.read_text(encoding="utf-8"))


@pytest.mark.slow
def test_the_frames_add_up_to_the_summary_json(both):
    report, data = both
    totals = data["totals"]
    assert report.totals == totals and report.to_json()["totals"] == totals
    reg = report.registrations
    assert len(reg) == totals["registrations"] > 250
    assert int((reg["status"] == "撞单").sum()) == totals["conflicts"]
    # per channel, the registrations and deals counted from the frame are the ranking's
    by_channel = reg.groupby("channel", observed=True).size().to_dict()
    assert by_channel == {r["channel"]: r["registrations"] for r in data["by_channel"]}
    customers = report.customers
    assert len(customers) == totals["customers"]
    assert int((customers["owner"] != "").sum()) == totals["owned_customers"]
    assert int(customers["natural"].sum()) == totals["natural_customers"]
    # the ranking is the JSON's, in its order
    channels = report.channels
    assert list(channels["channel"]) == [r["channel"] for r in data["by_channel"]]
    assert list(channels["rank"]) == list(range(1, len(data["by_channel"]) + 1))
    assert channels["deals"].sum() == sum(r["deals"] for r in data["by_channel"])
    # settlement: the same lines, the same commission per status (summed exactly, then rounded)
    settle = report.settlement
    assert len(settle) == len(data["settlement"]) > 10
    for status, t in data["settlement_totals"].items():
        lines = settle[settle["status"] == status]
        assert len(lines) == t["deals"]
        # money is exact: the lines' exact commissions (Decimal) summed, then rounded half-up, give the total
        # (the rounded lines need not add up to it: 41.50 against 41.49 in the demo)
        exact = sum(lines["commission_exact_wan"], Decimal(0)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        assert exact == Decimal(str(t["commission_wan"])).quantize(Decimal("0.01"))
    assert list(settle["deal_amount_wan"]) == [d["deal_amount_wan"] for d in data["settlement"]]
    # conflicts and findings
    conflicts = report.conflicts
    assert int((conflicts["conflict_status"] == "撞单").sum()) == len(data["conflicts"])
    assert int((conflicts["conflict_status"] == "待核").sum()) == len(data["possible_conflicts"])
    findings = report.findings
    counts = findings["severity"].value_counts().to_dict()
    assert (counts.get("error", 0), counts.get("warning", 0), counts.get("info", 0)) == (
        data["findings"]["errors"], data["findings"]["warnings"], data["findings"]["infos"])
    assert findings.groupby("code", observed=True).size().to_dict() == data["findings"]["by_code"]


@pytest.mark.slow
def test_columns_are_typed_and_labelled(both):
    import pandas as pd

    from qudao.api import LABELS

    report, _data = both
    reg = report.registrations
    assert pd.api.types.is_datetime64_any_dtype(reg["registered"]) and pd.api.types.is_float_dtype(reg["deal_amount_wan"])
    assert str(reg["row"].dtype) == "Int64" and isinstance(reg["channel"].dtype, pd.CategoricalDtype)
    assert reg["registered"].notna().all() and reg["deal"].notna().sum() >= 13
    for frame in (report.registrations, report.customers, report.channels, report.settlement, report.conflicts,
                  report.findings):
        missing = [c for c in frame.columns if c not in LABELS and c != "customer_masked"]
        assert not missing, missing  # every column has its Chinese name (docs/api.md lists them)
    chinese = report.settlement.rename(columns=LABELS)
    assert list(chinese.columns[:3]) == ["渠道名称", "所属分所", "跟进人"]
    assert report.registrations is not report.registrations  # a copy each time: the caller may change it


def test_import_qudao_does_not_import_pandas_and_bad_input_is_a_chinese_error(tmp_path):
    code = "import sys, qudao; print('pandas' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip() == "False"
    import qudao
    from qudao.errors import QudaoError

    with pytest.raises(QudaoError, match="找不到文件或文件夹"):
        qudao.open(tmp_path / "nowhere")
    with pytest.raises(QudaoError, match="as_of"):
        qudao.open(tmp_path, as_of="2026-13-45")
