"""The README's first minutes, exactly as written, in a fresh clone: `make demo`, then every example.

The clone is of the committed HEAD (commit before running this test on your own changes). `make demo`
builds its own `.venv` from PyPI, so this takes a minute or two; it is marked slow.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest
from conftest import ROOT

pytestmark = pytest.mark.slow

MARK = "@@qudao-readme-rc"


def readme_blocks() -> list[str]:
    return re.findall(r"```bash\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), flags=re.S)


def example_block() -> list[str]:
    """The ```bash block of examples: the one that activates the venv."""
    (block,) = [b for b in readme_blocks() if "source .venv/bin/activate" in b]
    return [line for line in block.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def expected_code(line: str) -> int:
    """The README says `exit 1` in a command's comment when the command exits 1; every other exits 0."""
    comment = line.partition("  #")[2]
    return 1 if "exit 1" in comment else 0


def test_the_quick_start_is_make_demo_and_make_test():
    assert readme_blocks()[0].split() == ["make", "demo", "make", "test"]
    lines = example_block()
    assert lines[:2] == ["source .venv/bin/activate            # once per shell: puts qudao on the PATH",
                         "cd demo-out                          # written by make demo: inbox/, 网络表单导出.csv and the reports"]
    assert [expected_code(line) for line in lines[2:]] == [0, 0, 0, 0, 0, 0, 1, 0, 1, 1, 1, 1, 1, 1, 0, 1, 1, 0, 0, 0]
    assert len((ROOT / "README.md").read_text(encoding="utf-8").splitlines()) <= 250  # a README for users


def test_the_readme_runs_as_written_in_a_fresh_clone(tmp_path):
    if not shutil.which("git") or not shutil.which("make") or not (ROOT / ".git").exists():
        pytest.skip("needs git, make and a git checkout of the project")
    clone = tmp_path / "qudao"
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, text=True,
                          check=True).stdout.strip()
    subprocess.run(["git", "clone", "-q", "--no-checkout", str(ROOT), str(clone)], check=True)
    subprocess.run(["git", "-C", str(clone), "checkout", "-q", head], check=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTHONPATH", "QUDAO_"))}
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if ".venv" not in p)
    demo = subprocess.run(["make", "demo"], cwd=clone, env=env, capture_output=True, text=True, timeout=1200)
    assert demo.returncode == 0, demo.stdout + demo.stderr
    assert "  .venv/bin/qudao validate demo-out/inbox" in demo.stdout  # runnable as printed
    assert "先运行一次 source .venv/bin/activate" in demo.stdout

    lines = example_block()
    script = ["set -u"]
    for n, line in enumerate(lines):
        script += [line, f'echo "{MARK} {n} $?"']
    done = subprocess.run(["bash", "-c", "\n".join(script)], cwd=clone, env=env, capture_output=True, text=True,
                          timeout=900)
    output = done.stdout + done.stderr
    codes = {int(n): int(rc) for n, rc in re.findall(rf"^{MARK} (\d+) (\d+)$", done.stdout, flags=re.M)}
    assert codes == {n: expected_code(line) for n, line in enumerate(lines)}, output
    assert "内部错误" not in output and "Traceback" not in output and "command not found" not in output, output
    out = clone / "demo-out"
    for name in ("意向客户登记表.xlsx", "本地工作计划铺排表-拉萨分所.xlsx", "登记表.xlsx", "反馈表-2026W49.xlsx", "汇总.xlsx",
                 "汇总.html", "汇总.json", "本周.xlsx", "协议.html", "协议草稿.html", "对账单.xlsx", "对账单.html",
                 "本周待办-拉萨分所.xlsx", "考核-2026Q4.xlsx", "渠道目标表-2026Q4.xlsx", "渠道考核评分表-2026Q4.xlsx",
                 "周报/2026-W48/汇总-2026-W48.xlsx"):
        assert (out / name).stat().st_size > 1000, name
    # nothing was written outside demo-out/: the checkout holds only what it held, .venv and demo-out
    status = subprocess.run(["git", "-C", str(clone), "status", "--porcelain", "-z", "--ignored",
                             "--untracked-files=all"], capture_output=True, text=True, check=True).stdout.split("\0")
    stray = [line for line in status if line and not line[3:].startswith((".venv/", "demo-out/", "src/qudao.egg-info/"))
             and "__pycache__" not in line]
    assert not stray, stray
    assert any((out / "标注").rglob("*.xlsx"))
    assert "已写入 登记表.xlsx：意向客户登记表「意向客户登记」12 行" in done.stdout
