"""Shared test helpers: fixture paths, the CLI runner, workbook builders, LibreOffice."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from typer.testing import CliRunner

# Property tests run without a deadline: a loaded CI machine must not turn a slow example into a failure.
settings.register_profile("qudao", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("qudao")

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("QUDAO_SHARED") or ROOT.parent / "shared")  # the shared fixtures (worktrees: set it)
FIXTURE = SHARED / "fixtures" / "inbox-2026w48"
AS_OF = dt.date(2026, 11, 27)
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.fixture(autouse=True)
def _terminal_width(monkeypatch):
    """Every test sees the same terminal: no COLUMNS/LINES from the environment (pytest-xdist's workers set
    COLUMNS=80), so output is 200 columns wide when piped, as in a plain run; a test that wants 80 sets it."""
    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.delenv("LINES", raising=False)


# A clone on its own has no ../shared: these tests then skip, and tests/test_generated_inbox.py runs the same
# cases on the inbox the project generates itself.
NO_FIXTURE = ("../shared/fixtures/inbox-2026w48 is absent (a clone on its own); "
              "tests/test_generated_inbox.py covers the same cases on the generated inbox")


@pytest.fixture(scope="session")
def fixture_inbox() -> Path:
    inbox = FIXTURE / "inbox"
    if not inbox.is_dir():
        pytest.skip(NO_FIXTURE)
    return inbox


@pytest.fixture(scope="session")
def expected() -> dict:
    path = FIXTURE / "expected.json"
    if not path.is_file():
        pytest.skip(NO_FIXTURE)
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def invoke(runner: CliRunner, *args: str):
    from qudao.cli import app

    return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)


_PROFILE: list[Path] = []


def soffice_convert(src: Path, fmt: str, outdir: Path) -> Path:
    """Convert with LibreOffice (headless, one private profile per test session); return the new file."""
    if not SOFFICE:
        pytest.skip("LibreOffice (soffice) is not installed")
    outdir.mkdir(parents=True, exist_ok=True)
    if not _PROFILE:
        import tempfile

        _PROFILE.append(Path(tempfile.mkdtemp(prefix="qudao-lo-profile-")))
    profile = _PROFILE[0]
    cmd = [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
           "--convert-to", fmt, "--outdir", str(outdir), str(src)]
    subprocess.run(cmd, check=True, capture_output=True, timeout=240)
    target = outdir / (src.stem + "." + fmt.split(":")[0])
    assert target.is_file(), f"LibreOffice did not write {target}"
    return target


def make_register(path: Path, rows: list[list], header: list[str] | None = None, block: dict | None = None,
                  title: bool = True, sheet: str = "意向客户登记"):
    """A register as people paste it: title, block, header row, rows (plain openpyxl)."""
    from openpyxl import Workbook

    header = header or ["序号", "登记日期", "客户姓名", "联系电话", "意向等级", "到访日期", "成交日期", "成交楼盘",
                        "成交金额(万元)"]
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    r = 1
    if title:
        ws.cell(row=1, column=1, value="意向客户登记表")
        r = 2
    block = {"渠道名称": "测试渠道", "报送日期": dt.date(2026, 11, 27)} if block is None else block
    for label, value in block.items():
        ws.cell(row=r, column=1, value=f"{label}：")
        ws.cell(row=r, column=2, value=value)
        r += 1
    for c, h in enumerate(header, start=1):
        ws.cell(row=r, column=c, value=h)
    for line in rows:
        r += 1
        for c, v in enumerate(line, start=1):
            if v is not None:
                ws.cell(row=r, column=c, value=v)
    wb.save(path)
    return path


def check(path: Path, **kw):
    from qudao.check.engine import Options, check_file, collect

    options = Options(as_of=kw.pop("as_of", AS_OF), **kw)
    (item,) = collect([path])
    return check_file(item, options)


def codes(report) -> list[str]:
    return sorted(f.code for f in report.findings)


@pytest.fixture(scope="session")
def issue14(tmp_path_factory):
    """The inbox of tests/issue14_inbox.py (statements, to-do lists, HQ's open asks), built once per session."""
    from issue14_inbox import build

    return build(tmp_path_factory.mktemp("issue14"))


@pytest.fixture(scope="session")
def issue14_read(issue14):
    """That inbox read on its as-of day (2026-11-30), in this process."""
    from issue14_inbox import AS_OF

    from qudao.check.engine import Options, collect
    from qudao.config import Settings
    from qudao.jobs.summarize import read_inbox

    return read_inbox(collect([issue14]), Options(as_of=AS_OF, extra={"settings": Settings()}), workers=1)
