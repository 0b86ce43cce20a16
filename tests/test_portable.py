"""Windows and macOS: qudao builds as a wheel that installs and runs outside the checkout, and the reads work
with the ``spawn`` start method (Windows has no fork; ``QUDAO_START_METHOD=spawn`` runs the same path here).

The field-staff commands (``new``, ``new-plan``, ``fill``, ``validate``) run in a subprocess under spawn and
give the same files and findings as under fork; ``summarize`` too, for the analysts on Windows laptops.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT

SAMPLES = ROOT / "samples" / "inbox"


def test_the_start_method_is_spawn_where_fork_is_missing_and_can_be_chosen(monkeypatch):
    import multiprocessing

    from qudao.check import parallel

    monkeypatch.delenv("QUDAO_START_METHOD", raising=False)
    assert parallel._context().get_start_method() == "fork"  # Linux: fork, as before
    monkeypatch.setenv("QUDAO_START_METHOD", "spawn")
    assert parallel._context().get_start_method() == "spawn"
    monkeypatch.setenv("QUDAO_START_METHOD", "bogus")  # an unknown method: the platform's default
    assert parallel._context().get_start_method() == "fork"
    monkeypatch.delenv("QUDAO_START_METHOD")
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])  # Windows
    assert parallel._context().get_start_method() == "spawn"


def _qudao(args: list[str], cwd: Path, method: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env["QUDAO_START_METHOD"] = method
    return subprocess.run([sys.executable, "-m", "qudao", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300, stdin=subprocess.DEVNULL)


@pytest.mark.slow
def test_field_staff_commands_give_the_same_results_under_spawn(tmp_path):
    out = {}
    for method in ("fork", "spawn"):
        work = tmp_path / method
        work.mkdir()
        csv = work / "表单.csv"
        csv.write_text("客户姓名,手机号码,意向楼盘,客户意向程度,提交答卷时间\n张三,13812345678,麓湖花园,A,2026/11/20 10:00\n"
                       "李四,1391234567,麓湖花园,B,2026/11/21 11:00\n", encoding="utf-8")
        steps = [
            ["new", "登记表", "-o", "登记表.xlsx", "--set", "渠道名称=拉萨雪域物业"],
            ["new-plan", "--type", "西藏本地", "--branch", "拉萨分所", "--city", "拉萨", "--start", "2026-09-21",
             "-o", "计划.xlsx"],
            ["fill", "register", "--from", "表单.csv", "--map", "客户意向程度=意向等级", "-o", "填好.xlsx",
             "--set", "渠道名称=网络表单", "--set", "报送日期=2026-11-27"],
            ["validate", "填好.xlsx", "计划.xlsx", "--format", "json", "--as-of", "2026-11-27"],
            ["validate", str(SAMPLES / "拉萨分所"), "--format", "json", "--as-of", "2026-11-27"],
            ["summarize", str(SAMPLES), "--as-of", "2026-11-27", "--json", "汇总.json"],
        ]
        results = [_qudao(step, work, method) for step in steps]
        for step, result in zip(steps, results):
            assert "Traceback" not in result.stderr, (method, step, result.stderr)
        assert [r.returncode for r in results] == [0, 0, 1, 0, 1, 1]  # fill: one row rejected (10 digits), [(r.returncode, r.stderr[-300:]) for r in results]
        for r in results[3:5]:
            for f in json.loads(r.stdout)["files"]:
                f.pop("path", None)
        out[method] = ([json.loads(r.stdout) for r in results[3:5]],
                       json.loads((work / "汇总.json").read_text(encoding="utf-8")))
    assert out["spawn"] == out["fork"]
    fill_report = out["spawn"][0][0]["files"]
    assert [f["kind"] for f in fill_report] == ["register", "plan"]


@pytest.mark.slow
def test_the_wheel_installs_outside_the_checkout_and_runs_the_demo(tmp_path):
    """Build the wheel (no network: the test environment's setuptools), install it into a fresh virtual
    environment in a temporary folder and run ``qudao demo`` from there. The new environment gets qudao only
    from the wheel; its dependencies come from the test environment's site-packages (a path file), so the
    test needs no download — what it proves is the wheel: the package, its templates, the entry point."""
    import sysconfig
    import venv

    dist = tmp_path / "dist"
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--no-build-isolation",
                            "-w", str(dist), "-q"], capture_output=True, text=True, timeout=300,
                           stdin=subprocess.DEVNULL, cwd=tmp_path)
    assert built.returncode == 0, built.stderr[-2000:]
    (wheel,) = dist.glob("qudao-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "qudao/templates/summary.html.j2" in names and "qudao/templates/_style.css.j2" in names
    assert any(n.endswith("entry_points.txt") for n in names)
    assert not any(n.startswith(("tests/", "samples/", "benchmarks/")) for n in names)

    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    bindir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    python = bindir / ("python.exe" if os.name == "nt" else "python")
    site = Path(subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())
    deps = sysconfig.get_paths()["purelib"]  # the test environment's packages, for the dependencies only
    (site / "zz-test-dependencies.pth").write_text(deps + "\n", encoding="utf-8")
    installed = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
                                "--no-index", "-q", str(wheel)], capture_output=True, text=True, timeout=300,
                               stdin=subprocess.DEVNULL, cwd=tmp_path)
    assert installed.returncode == 0, installed.stderr[-2000:]
    work = tmp_path / "work"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    where = subprocess.run([python, "-c", "import qudao; print(qudao.__file__)"], capture_output=True, text=True,
                           cwd=work, env=env, check=True).stdout.strip()
    assert Path(where).is_relative_to(env_dir) and not Path(where).is_relative_to(ROOT), where
    script = bindir / ("qudao.exe" if os.name == "nt" else "qudao")
    demo = subprocess.run([script, "demo", "演示"], capture_output=True, text=True, cwd=work, env=env, timeout=600,
                          stdin=subprocess.DEVNULL)
    assert demo.returncode == 0, demo.stderr[-2000:]
    assert (work / "演示" / "渠道汇总分析表.xlsx").is_file() and (work / "演示" / "渠道汇总分析表.html").is_file()
    assert "已写入" in demo.stdout + demo.stderr
