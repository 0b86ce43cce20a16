"""The cases of the shared fixture inbox, on the inbox the project generates itself (samples/inbox, which
tests/test_cli.py proves is what qudao.jobs.demo writes). Expected figures come from the generator's plan
and rules.md (tests/demo_truth.py), not from qudao: a clone on its own is fully tested.

Mirrors test_fixture_inbox.py (counts per file, rejections, summary, conflicts, JSON shape),
test_fixture_variants.py (the same registers in other people's layouts), test_rollup.py (identical
bytes, cumulative and weekly figures), the mixed-folder case of test_kinds.py (samples/inbox holds every
other kind beside the registers) and the formats of the fixture (xls, ods, LibreOffice-saved xlsx).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from collections import Counter
from pathlib import Path

import demo_truth
import pytest
from conftest import AS_OF, ROOT, SOFFICE, invoke

pytestmark = pytest.mark.slow  # end-to-end: whole inboxes and reports

SAMPLES = ROOT / "samples" / "inbox"
FILES = demo_truth.register_files()
TRUTH = demo_truth.summary()
COUNTS = ("rows_read", "rows_accepted", "rows_rejected", "rows_skipped")


def test_the_plan_is_not_trivial():
    """The generated inbox holds what the fixture's does: rejections of three kinds, conflicts, natural visits."""
    assert len(FILES) == 45 and sum(f["rows_read"] for f in FILES.values()) == 1008
    assert sum((Counter(f["errors"]) for f in FILES.values()), Counter()) == {
        "phone.format": 4, "deal.incomplete": 5, "date.future": 6}
    assert TRUTH["totals"] == {"registrations": 286, "customers": 264, "owned_customers": 260, "natural_visits": 4,
                               "visits": 57, "deals": 16, "deal_amount_wan": 3169.43, "conflicts": 21}


def register_items(data: dict) -> dict[str, dict]:
    return {item["path"].split("/", 1)[1]: item for item in data["files"] if item.get("kind") == "register"}


@pytest.fixture(scope="module")
def validated():
    from typer.testing import CliRunner

    result = invoke(CliRunner(), "validate", SAMPLES, "--format", "json", "--as-of", AS_OF.isoformat())
    assert result.exit_code == 1, result.output  # the demo has bad rows on purpose
    return json.loads(result.output)


def test_every_register_file_has_the_planned_counts(validated):
    items = register_items(validated)
    assert sorted(items) == sorted(FILES)
    for path, want in FILES.items():
        item = items[path]
        assert {k: item[k] for k in COUNTS} == {k: want[k] for k in COUNTS}, path
        errors = Counter(f["code"] for f in item["findings"] if f["severity"] == "error")
        assert errors == want["errors"], path
    t = validated["totals"]
    assert t["rows_read"] == t["rows_accepted"] + t["rows_rejected"] + t["rows_skipped"]


def test_rejections_name_file_sheet_and_cell(validated):
    for path, item in register_items(validated).items():
        for f in item["findings"]:
            if f["severity"] != "error":
                continue
            assert f["sheet"] == ("" if path.endswith(".csv") else "意向客户登记"), path
            assert f["cell"] and f["row"] and f["message"], (path, f)
    phone = next(f for item in register_items(validated).values() for f in item["findings"]
                 if f["code"] == "phone.format")
    assert len(str(phone["value"])) == 10 and phone["cell"][0] in "CDEF"  # the short phone, where it is


def summary_of(inbox: Path, tmp_path: Path, code: int = 1) -> dict:
    from typer.testing import CliRunner

    out = tmp_path / "s.json"
    result = invoke(CliRunner(), "summarize", inbox, "--json", out, "--as-of", AS_OF.isoformat(), "-q")
    assert result.exit_code == code, result.output
    return json.loads(out.read_text(encoding="utf-8"))


def assert_matches_the_plan(data: dict) -> None:
    assert {k: data["totals"][k] for k in TRUTH["totals"]} == TRUTH["totals"]
    ours = {row["channel"]: {k: row[k] for k in TRUTH["by_channel"][0]} for row in data["by_channel"]}
    assert ours == {row["channel"]: row for row in TRUTH["by_channel"]}
    assert sorted([c["winner"], c["loser"], c["customer"]] for c in data["conflicts"]) == TRUTH["conflict_pairs"]


@pytest.fixture(scope="module")
def summary_json(tmp_path_factory):
    return summary_of(SAMPLES, tmp_path_factory.mktemp("summary"))


def test_summary_reproduces_the_plan(summary_json):
    assert_matches_the_plan(summary_json)
    registers = {k: sum(f[k] for f in FILES.values()) for k in COUNTS}
    others = [f for f in summary_json["files"] if f.get("kind") != "register" and f.get("status") != "skipped"]
    assert summary_json["inputs"]["rows_read"] == registers["rows_read"] + sum(f["rows_read"] for f in others)


def test_summary_json_shape(summary_json):
    assert summary_json["period"] == {"from": None, "to": None}
    rows = summary_json["by_channel"]  # channels graded against their targets first, each group by score
    bases = [r["grade_basis"] for r in rows]
    assert bases == sorted(bases, key=lambda b: b != "target")
    for basis in ("target", "relative"):
        scores = [r["score"] for r in rows if r["grade_basis"] == basis]
        assert scores == sorted(scores, reverse=True)
    assert summary_json["reconciliation"]["ok"] is True
    owned = sum(r["deal_amount_wan"] for r in summary_json["by_channel"])
    assert summary_json["totals"]["commission_wan"] == pytest.approx(owned * 0.015, abs=0.011)
    # the mixed folder: every other kind rolled up beside the registers, whose figures are the plan's
    for kind in ("plan", "handoff", "negotiation", "screening", "expansion", "agencies", "affiliates",
                 "survey", "event", "agreements"):
        assert kind in summary_json, kind


LEDGER = "总部/案场成交台账-2026W48.xlsx"  # the sales office's deals and visits (issue 24): part of the figures


def registers_only(folder: Path, ledger: bool = True) -> Path:
    """The registers (and the sales ledger the figures stand on) without the other kinds."""
    for path in [*FILES, LEDGER] if ledger else FILES:
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(SAMPLES / path, target)
    return folder


@pytest.mark.parametrize("split", [False, True], ids=["one-sheet", "split-over-two-sheets"])
def test_rewritten_registers_give_the_same_figures(tmp_path, split):
    from test_fixture_variants import variant

    inbox = variant(registers_only(tmp_path / "plain", ledger=False), tmp_path / "inbox", seed=48, split=split)
    (inbox / LEDGER).parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SAMPLES / LEDGER, inbox / LEDGER)  # the ledger as the sales office exports it
    data = summary_of(inbox, tmp_path)
    assert_matches_the_plan(data)
    errors = {c: n for c, n in data["findings"]["by_code"].items() if c in (
        "phone.format", "date.future", "date.order", "deal.incomplete", "value.required", "value.type",
        "header.missing")}
    # the same rows are rejected for the same reasons; only the latest copy of each register counts (docs/time.md)
    latest: dict[str, str] = {}
    for path in sorted(FILES):  # the week tag sorts: the last of each series is its current copy
        latest[re.sub(r"-\d{4}W\d{2}", "", path)] = path
    assert errors == dict(sum((Counter(FILES[p]["errors"]) for p in latest.values()), Counter()))
    assert data["findings"]["by_code"]["row.hidden"] > 0 and data["findings"]["by_code"]["formula.no_cache"] > 0


@pytest.mark.libreoffice
def test_registers_as_xls_ods_and_libreoffice_xlsx_give_the_same_figures(tmp_path):
    """Three channels' registers converted by LibreOffice (as the fixture holds .xls, .ods and LibreOffice xlsx)."""
    import subprocess
    import tempfile

    if not SOFFICE:
        pytest.skip("LibreOffice (soffice) is not installed")
    inbox = registers_only(tmp_path / "inbox")
    profile = Path(tempfile.mkdtemp(prefix="qudao-lo-profile-"))
    for channel, fmt in (("拉萨天路国际旅行社", "xls"), ("日喀则扎什物业", "ods"), ("日喀则雪莲旅行社", "xlsx")):
        sources = sorted(inbox.rglob(f"{channel}-*.xlsx"))
        assert len(sources) == 6, channel
        out = tmp_path / fmt
        subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                        "--convert-to", fmt, "--outdir", str(out), *map(str, sources)],
                       check=True, capture_output=True, timeout=600)
        for src in sources:
            src.unlink()
            shutil.move(out / f"{src.stem}.{fmt}", src.with_suffix(f".{fmt}"))
    data = summary_of(inbox, tmp_path)
    assert_matches_the_plan(data)
    assert Counter(Path(f["path"]).suffix for f in data["files"]) == {".xlsx": 31, ".xls": 6, ".ods": 6, ".csv": 3}
    rows = {Path(f["path"]).stem: {k: f[k] for k in COUNTS} for f in data["files"] if f.get("kind") == "register"}
    assert rows == {Path(path).stem: {k: want[k] for k in COUNTS} for path, want in FILES.items()}


# --------------------------------------------------------------------------- the weekly job


def test_rollup_twice_gives_identical_bytes_and_the_planned_figures(runner, tmp_path):
    from test_rollup import files_of, rollup

    a, b = tmp_path / "a", tmp_path / "b"
    assert rollup(runner, SAMPLES, a, "2026-W48").exit_code == 1
    assert rollup(runner, SAMPLES, b, "2026-W48").exit_code == 1
    assert files_of(a, "2026-W48") == files_of(b, "2026-W48")
    data = json.loads((a / "2026-W48" / "汇总-2026-W48.json").read_text(encoding="utf-8"))
    assert_matches_the_plan(data)
    manifest = json.loads((a / "2026-W48" / "manifest.json").read_text(encoding="utf-8"))
    assert len(manifest["inputs"]) == len(list(SAMPLES.rglob("*.xlsx"))) + len(list(SAMPLES.rglob("*.csv")))
    assert not any(str(tmp_path) in p.read_text(encoding="utf-8") for p in (a / "2026-W48").glob("*.json"))


def test_week_figures_are_consistent_with_cumulative(runner, tmp_path):
    from test_rollup import independent_week_figures, rollup

    for week in ("2026-W47", "2026-W48"):
        rollup(runner, SAMPLES, tmp_path, week)
    w47 = json.loads((tmp_path / "2026-W47" / "汇总-2026-W47.json").read_text(encoding="utf-8"))
    w48 = json.loads((tmp_path / "2026-W48" / "汇总-2026-W48.json").read_text(encoding="utf-8"))
    assert {k: w48["totals"][k] for k in TRUTH["totals"]} == TRUTH["totals"]
    # W47's report is made on 2026-11-23 from the copies received by then: registrations of 11-21/22 and the
    # CSV's, which arrive in W48's copies, are 迟报 for W47 in W48's report — and the change adds up
    assert (w47["totals"]["registrations"], w48["week"]["totals"]["registrations"]) == (242, 11)
    reg = w48["week_over_week"]["totals"]["registrations"]
    assert (reg["previous"], reg["this_week"], reg["late"], reg["value"]) == (242, 11, 33, 286)
    for data in (w47, w48):
        start, end = dt.date.fromisoformat(data["week"]["start"]), dt.date.fromisoformat(data["week"]["end"])
        ours = {k: data["week"]["totals"][k] for k in ("registrations", "visits", "deals")}
        assert ours == independent_week_figures(SAMPLES, start, end), data["week"]
    assert w48["week_over_week"]["previous_week"] == "2026-W47"
    assert len(w48["week_over_week"]["by_channel"]) == 10
