"""The output folder of an unattended job: one run at a time, and a week folder swapped in whole.

:func:`lock` is ``fcntl.flock`` on a lock file in the output folder: the
kernel holds it for the process and drops it when the process ends however
it ends (exit, crash, SIGKILL, a failed start), so there is no stale lock to
detect and no pid to trust (a reused pid, an empty lock file from a full
disk and a lock file left by an older version are all simply free). The
holder deletes the file before it lets go, and whoever gets a lock checks
that the file it locked is still the one at the path (else it starts over),
so a deleted file can never be locked by two processes at once. The file
says who holds it, for the message. :func:`swap_into_place` puts a folder built in a hidden sibling at
its place with one rename; :func:`recover` cleans what a killed run left,
and runs only under the lock, so it never sees a live run's build folder.
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime as _dt
import errno
import fcntl
import json
import os
import shutil
import socket
import time
from pathlib import Path
from typing import Any, Iterator

from qudao.errors import LockedError, OutputError, os_error_cn

LOCK_NAME = ".qudao-rollup.lock"


@contextlib.contextmanager
def lock(out: Path, wait: float = 0.0) -> Iterator[Path]:
    """Hold the exclusive lock of ``out`` (waiting up to ``wait`` seconds), else :class:`LockedError`."""
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"无法创建输出文件夹 {out}：{os_error_cn(exc)}") from None
    path = out / LOCK_NAME
    deadline = time.monotonic() + wait
    while True:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
        except OSError as exc:
            raise OutputError(f"无法创建锁文件 {path}：{os_error_cn(exc)}") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            holder = _holder(fd)
            os.close(fd)
            if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise OutputError(f"无法锁定 {path}：{os_error_cn(exc)}") from None
            if time.monotonic() < deadline:
                time.sleep(0.2)
                continue
            pid = holder.get("pid")
            who = f"进程 {pid}（{holder.get('host')}，{holder.get('started', '')} 开始）" if pid else "另一个进程"
            raise LockedError(f"{out} 正被{who}汇总，本次未运行；它结束后锁会自动释放，可用 --wait 秒数 等待") from None
        if not _same_file(fd, path):  # replaced or deleted between open and flock (by hand): lock the new one
            os.close(fd)
            continue
        break
    try:
        _write_holder(fd)
        yield path
    finally:
        with contextlib.suppress(OSError):
            path.unlink()  # still holding it: a waiter that locked this file sees it is gone and starts over
        os.close(fd)  # releases the lock


def _same_file(fd: int, path: Path) -> bool:
    try:
        a, b = os.fstat(fd), os.stat(path)
    except OSError:
        return False
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def _write_holder(fd: int) -> None:
    """Who holds the lock (for the message of the next run); a full disk only loses the note, not the lock."""
    note = json.dumps({"pid": os.getpid(), "host": socket.gethostname(),
                       "started": _dt.datetime.now().isoformat(timespec="seconds")}).encode()
    with contextlib.suppress(OSError):
        os.ftruncate(fd, 0)
        os.pwrite(fd, note, 0)


def _holder(fd: int) -> dict[str, Any]:
    try:
        data = json.loads(os.pread(fd, 4096, 0) or b"{}")
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


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
