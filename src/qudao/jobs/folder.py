"""The output folder of an unattended job: one run at a time, and a week folder swapped in whole.

:func:`lock` is an exclusive lock file in the output folder (a lock left by
a dead process is taken over); :func:`swap_into_place` puts a folder built
in a hidden sibling at its place with one rename; :func:`recover` cleans
what a killed run left.
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime as _dt
import errno
import json
import os
import shutil
import socket
import time
from pathlib import Path
from typing import Any, Iterator

from qudao.errors import LockedError

LOCK_NAME = ".qudao-rollup.lock"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextlib.contextmanager
def lock(out: Path, wait: float = 0.0) -> Iterator[Path]:
    """An exclusive lock file in ``out``; a stale lock (dead process) is taken over."""
    out.mkdir(parents=True, exist_ok=True)
    path = out / LOCK_NAME
    host = socket.gethostname()
    deadline = time.monotonic() + wait
    while True:
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            holder = _read_lock(path)
            same_host = holder.get("host") == host
            pid = holder.get("pid")
            if same_host and isinstance(pid, int) and not _alive(pid) or holder.get("broken"):
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()  # stale: its process is gone
                continue
            if time.monotonic() < deadline:
                time.sleep(0.2)
                continue
            who = f"进程 {pid}（{holder.get('host')}，{holder.get('started', '')} 开始）" if pid else "另一个进程"
            raise LockedError(f"{out} 正被{who}汇总，本次未运行；若确认没有在运行，删除 {path} 后重试") from None
        else:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump({"pid": os.getpid(), "host": host,
                           "started": _dt.datetime.now().isoformat(timespec="seconds")}, fh)
            break
    try:
        yield path
    finally:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def _read_lock(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {"broken": True}
    except FileNotFoundError:
        return {"broken": True}
    except (OSError, ValueError):
        # a lock being written right now, or garbage left by a crash
        try:
            age = time.time() - path.stat().st_mtime
        except OSError:
            return {"broken": True}
        return {"broken": age > 60}


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    rc = renameat2(at_fdcwd, os.fsencode(str(a)), at_fdcwd, os.fsencode(str(b)), rename_exchange)
    if rc == 0:
        return True
    if ctypes.get_errno() in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False
    raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()), str(a))


def swap_into_place(built: Path, target: Path) -> None:
    """Put the folder ``built`` at ``target``; the old folder, if any, is removed afterwards."""
    if not target.exists():
        os.rename(built, target)
        return
    if _exchange(built, target):
        shutil.rmtree(built)  # now holds the old week folder
        return
    old = target.with_name(f".{target.name}.old-{os.getpid()}")
    os.rename(target, old)
    os.rename(built, target)
    shutil.rmtree(old)


def recover(out: Path, week: str) -> None:
    """Clean what a killed run left: half-built folders; restore a week folder caught mid-swap."""
    target = out / week
    for leftover in sorted(out.glob(f".{week}.old-*")):
        if not target.exists():
            os.rename(leftover, target)
        else:
            shutil.rmtree(leftover, ignore_errors=True)
    for leftover in out.glob(f".{week}.tmp-*"):
        shutil.rmtree(leftover, ignore_errors=True)
