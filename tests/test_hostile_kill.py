"""Issue 20 item 2: a killed rollup leaves nothing running and nothing locked.

A real ``qudao rollup`` is started on an inbox big enough to be mid-read, killed (``kill -9``; the SIGTERM
``timeout`` sends), and then: every worker process it had started is gone within seconds (the pids recorded
while it ran, checked in /proc, with their start times so that a reused pid is not mistaken for one of
them), and the next rollup into the same folder runs and exits 0. The test ends only processes it started.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, make_register

WAIT = 5.0  # seconds the workers have to die in


def _stat(pid: int) -> tuple[int, str, int] | None:
    """(parent pid, state, start time) of a process, None when there is none."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2:].split()
    return int(fields[1]), fields[0], int(fields[19])


def _children(pid: int) -> dict[int, int]:
    """pid → start time of the processes whose parent is ``pid``."""
    out = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            found = _stat(int(entry))
            if found and found[0] == pid:
                out[int(entry)] = found[2]
    return out


def _alive(pid: int, started: int) -> bool:
    """The very process we recorded, still running (a zombie waiting for its new parent is dead)."""
    found = _stat(pid)
    return found is not None and found[2] == started and found[1] != "Z"


@pytest.fixture(scope="module")
def big_inbox(tmp_path_factory) -> Path:
    """Two CSV registers of 60,000 rows each: both workers are busy reading for seconds."""
    inbox = tmp_path_factory.mktemp("big") / "inbox"
    inbox.mkdir()
    for k in range(2):
        lines = ["渠道名称,登记日期,客户姓名,联系电话,意向等级"]
        lines += [f"渠道{k},2026-11-{3 + i % 20:02d},客户{i},13{k}{i:08d},A" for i in range(60_000)]
        (inbox / f"登记{k}-2026W48.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return inbox


@pytest.fixture(scope="module")
def small_inbox(tmp_path_factory) -> Path:
    inbox = tmp_path_factory.mktemp("small") / "inbox"
    inbox.mkdir()
    make_register(inbox / "雪域物业-2026W48.xlsx", [[1, "2026-11-24", "张三", "13812345678", "A"]],
                  header=["序号", "登记日期", "客户姓名", "联系电话", "意向等级"],
                  block={"渠道名称": "雪域物业", "所属分所": "拉萨分所", "报送日期": "2026-11-27"})
    return inbox


def _env() -> dict[str, str]:
    return {"PYTHONPATH": str(ROOT / "src"), "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8"}


def _rollup(inbox: Path, out: Path, week: str = "2026-W48") -> list[str]:
    return [sys.executable, "-m", "qudao", "rollup", "--inbox", str(inbox), "--out", str(out), "--week", week,
            "--workers", "2"]


@pytest.mark.slow
@pytest.mark.parametrize("command, sig", [("rollup", signal.SIGKILL), ("rollup", signal.SIGTERM),
                                          ("summarize", signal.SIGKILL)],
                         ids=["rollup-kill-9", "rollup-sigterm", "summarize-kill-9"])
def test_a_killed_rollup_leaves_no_worker_and_no_lock(big_inbox, small_inbox, tmp_path, command, sig):
    out = tmp_path / "out"
    args = _rollup(big_inbox, out) if command == "rollup" else [
        sys.executable, "-m", "qudao", "summarize", str(big_inbox), "--json", str(tmp_path / "s.json"), "--workers", "2"]
    proc = subprocess.Popen(args, env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        workers: dict[int, int] = {}
        deadline = time.monotonic() + 60
        while len(workers) < 2 and time.monotonic() < deadline and proc.poll() is None:
            workers.update(_children(proc.pid))
            time.sleep(0.05)
        assert len(workers) == 2 and proc.poll() is None, "the rollup should be reading with two workers"
        time.sleep(0.5)  # well into the reading
        assert all(_alive(pid, started) for pid, started in workers.items())
        proc.send_signal(sig)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    killed = time.monotonic()
    while any(_alive(pid, started) for pid, started in workers.items()) and time.monotonic() - killed < WAIT:
        time.sleep(0.05)
    left = [pid for pid, started in workers.items() if _alive(pid, started)]
    for pid in left:  # a failing run ends what it started, and only that
        os.kill(pid, signal.SIGKILL)
    assert not left, f"workers still running {time.monotonic() - killed:.1f} s after the rollup was killed: {left}"
    # the next rollup into the same folder is not locked out, and exits 0 within seconds
    started = time.monotonic()
    done = subprocess.run(_rollup(small_inbox, out), env=_env(), capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert time.monotonic() - started < 30
    assert sorted(p.name for p in out.iterdir()) == ["2026-W48"]


def test_a_forked_worker_never_holds_the_lock(tmp_path):
    """The lock's descriptor is closed in every forked child (fork copies descriptors, O_CLOEXEC or not): a
    child that outlived its parent could not keep the folder locked."""
    from qudao.check.parallel import map_isolated
    from qudao.jobs.folder import lock

    with lock(tmp_path) as path:
        held = [fd for fd in os.listdir("/proc/self/fd") if os.path.realpath(f"/proc/self/fd/{fd}") == str(path)]
        assert len(held) == 1
        (seen,) = map_isolated(_open_descriptors_on, [(str(path),)], 1, on_crash=lambda args: None)
    assert seen == []


def _open_descriptors_on(path: str) -> list[str]:
    return [fd for fd in os.listdir("/proc/self/fd") if os.path.realpath(f"/proc/self/fd/{fd}") == path]


def test_a_worker_whose_parent_is_gone_ends_at_once():
    """die_with_parent: a worker started by a parent that has already died exits instead of reading on."""
    code = ("import os, sys; from qudao.check.parallel import die_with_parent; "
            "die_with_parent(os.getppid() + 1); print('still here')")
    done = subprocess.run([sys.executable, "-c", code], env=_env(), capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and done.stdout == ""


def test_leftovers_of_killed_runs_of_any_week_are_cleaned_by_the_next_run(small_inbox, tmp_path):
    from qudao.jobs.weekly import run_rollup

    out = tmp_path / "out"
    (out / ".2026-W47.tmp-99999" / "分所").mkdir(parents=True)  # a killed run of another week, mid-build
    (out / ".2026-W46.old-99998").mkdir()  # a killed run caught between its two renames
    (out / ".2026-W46.old-99998" / "汇总-2026-W46.json").write_text("{}", encoding="utf-8")
    (out / ".hidden-notes").mkdir()  # not ours: left alone
    run_rollup(small_inbox, out, "2026-W48", workers=1)
    assert sorted(p.name for p in out.iterdir()) == [".hidden-notes", "2026-W46", "2026-W48"]
    assert [p.name for p in (out / "2026-W46").iterdir()] == ["汇总-2026-W46.json"]  # restored
