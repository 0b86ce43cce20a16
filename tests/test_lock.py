"""The rollup lock is a real lock (fcntl.flock): never two holders, nothing stale to detect, no lock left by a
failed or killed run, and a second run never touches the first one's build folder."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from qudao.errors import LockedError
from qudao.jobs.folder import LOCK_NAME, lock

FORK = multiprocessing.get_context("fork")


def dead_pid() -> int:
    """The pid of a process that has exited (and been reaped)."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def stale_lock(out: Path, pid: int) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    path = out / LOCK_NAME
    path.write_text(json.dumps({"pid": pid, "host": os.uname().nodename, "started": "2026-11-30T07:30:00"}),
                    encoding="utf-8")
    return path


def _contender(out: Path, barrier, results) -> None:
    barrier.wait()
    try:
        with lock(out):
            try:  # a second holder finds the marker of the first
                fd = os.open(out / "holder", os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            except FileExistsError:
                results.put("two holders")
                return
            time.sleep(0.005)
            os.close(fd)
            os.unlink(out / "holder")
            results.put("held")
    except LockedError:
        results.put("locked")


@pytest.mark.slow
def test_six_processes_against_one_stale_lock_100_trials_never_two_holders(tmp_path):
    outcomes: dict[str, int] = {}
    dead = dead_pid()
    for trial in range(100):
        out = tmp_path / f"t{trial}"
        stale_lock(out, dead)
        barrier, results = FORK.Barrier(6), FORK.Queue()
        procs = [FORK.Process(target=_contender, args=(out, barrier, results)) for _ in range(6)]
        for p in procs:
            p.start()
        for p in procs:
            p.join(30)
        got = [results.get(timeout=5) for _ in procs]
        assert "two holders" not in got, (trial, got)
        assert got.count("held") >= 1, (trial, got)  # the stale lock never blocks everyone
        assert not (out / LOCK_NAME).exists()  # the last holder took its lock file with it
        for g in got:
            outcomes[g] = outcomes.get(g, 0) + 1
    assert sum(outcomes.values()) == 600 and "two holders" not in outcomes


@pytest.mark.parametrize("content", ["pid of a live process", "empty", "garbage"])
def test_a_lock_file_nobody_holds_is_free_whatever_it_says(tmp_path, content):
    """A reused pid (here: this very process, alive), the empty file a full disk leaves, garbage."""
    out = tmp_path / "out"
    path = stale_lock(out, os.getpid())
    if content == "empty":
        path.write_bytes(b"")
    elif content == "garbage":
        path.write_bytes(b"\x00\xff{")
    with lock(out) as held:
        assert held == path
        note = json.loads(path.read_text(encoding="utf-8"))
        assert note["pid"] == os.getpid()
    assert not path.exists()


def test_a_held_lock_says_who_holds_it(tmp_path):
    out = tmp_path / "out"
    ready, release = FORK.Event(), FORK.Event()

    def hold():
        with lock(out):
            ready.set()
            release.wait(30)

    holder = FORK.Process(target=hold)
    holder.start()
    try:
        assert ready.wait(30)
        started = time.monotonic()
        with pytest.raises(LockedError) as exc:
            with lock(out, wait=0.4):
                pass
        assert time.monotonic() - started >= 0.4
        assert f"正被进程 {holder.pid}（{os.uname().nodename}，" in exc.value.message
        assert exc.value.message.endswith("本次未运行；它结束后锁会自动释放，可用 --wait 秒数 等待")
    finally:
        release.set()
        holder.join(30)
    with lock(out):  # released when its holder ended
        pass


def test_a_killed_holder_leaves_no_lock(tmp_path):
    out = tmp_path / "out"
    code = ("import sys, time; from pathlib import Path; from qudao.jobs.folder import lock\n"
            f"with lock(Path({str(out)!r})):\n    print('held', flush=True); time.sleep(60)\n")
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")})
    assert proc.stdout.readline().strip() == "held"
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    assert (out / LOCK_NAME).exists()  # the file is left over, but it is not a lock
    with lock(out):
        pass


def test_a_failed_start_leaves_no_lock(tmp_path):
    out = tmp_path / "out"
    with pytest.raises(RuntimeError):
        with lock(out):
            raise RuntimeError("no space left")
    assert not (out / LOCK_NAME).exists()
    with lock(out):
        pass


def test_a_second_run_never_touches_the_first_runs_build_folder(tmp_path):
    from qudao.jobs.weekly import run_rollup

    inbox = Path(__file__).resolve().parents[1] / "samples" / "inbox"
    out = tmp_path / "out"
    building = out / ".2026-W48.tmp-4242"
    ready, release = FORK.Event(), FORK.Event()

    def first_run():
        with lock(out):
            building.mkdir(parents=True)
            (building / "汇总-2026-W48.xlsx").write_bytes(b"half written")
            ready.set()
            release.wait(30)

    first = FORK.Process(target=first_run)
    first.start()
    try:
        assert ready.wait(30)
        with pytest.raises(LockedError):
            run_rollup(inbox, out, "2026-W48")
        assert (building / "汇总-2026-W48.xlsx").read_bytes() == b"half written"
    finally:
        release.set()
        first.join(30)
