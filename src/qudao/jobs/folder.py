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
import re
import shutil
import socket
import stat
import time
from pathlib import Path
from typing import Any, Iterator

from qudao.errors import LockedError, OutputError, os_error_cn

LOCK_NAME = ".qudao-rollup.lock"
_HELD: set[int] = set()  # lock file descriptors this process holds


def _close_held_in_child() -> None:
    """A forked child (a reading worker) closes its copies of the lock's descriptor: flock belongs to the open
    file, which a child's copy would keep locked after this process died (O_CLOEXEC only acts on exec)."""
    for fd in list(_HELD):
        with contextlib.suppress(OSError):
            os.close(fd)
    _HELD.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_close_held_in_child)


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
        try:  # never through a link, never a device or a pipe (docs/decisions.md → Hostile inbox, round three)
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
                         | getattr(os, "O_NOFOLLOW", 0), 0o644)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise OutputError(f"锁文件 {path} 是一个符号链接（快捷方式），不是 qudao 写的；请删除它后重试") from None
            raise OutputError(f"无法创建锁文件 {path}：{os_error_cn(exc)}") from None
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            raise OutputError(f"锁文件 {path} 不是普通文件（设备、管道或套接字），不是 qudao 写的；请删除它后重试")
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
    _HELD.add(fd)
    try:
        _write_holder(fd)
        yield path
    finally:
        with contextlib.suppress(OSError):
            path.unlink()  # still holding it: a waiter that locked this file sees it is gone and starts over
        _HELD.discard(fd)
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
    """Put the folder ``built`` at ``target``; the old folder, if any, is removed afterwards. Only a real
    folder is replaced: a link (dangling or not), a device or a file there is refused."""
    try:
        mode = os.lstat(target).st_mode
    except FileNotFoundError:
        os.rename(built, target)
        return
    if not stat.S_ISDIR(mode):
        what = "符号链接（快捷方式）" if stat.S_ISLNK(mode) else "文件" if stat.S_ISREG(mode) else "设备、管道或套接字"
        raise OutputError(f"{target} 是{what}，不是 qudao 写的周文件夹，没有替换它；请删除或改名后重试")
    if _exchange(built, target):
        shutil.rmtree(built)  # now holds the old week folder
        return
    old = target.with_name(f".{target.name}.old-{os.getpid()}")
    os.rename(target, old)
    os.rename(built, target)
    shutil.rmtree(old)


_LEFTOVER = re.compile(r"^\.(\d{4}-W\d{2})\.(old|tmp)-\d+$")


def recover(out: Path, week: str | None = None) -> None:
    """Clean what killed runs left, of every week (``week``: only that one): half-built folders
    (``.<week>.tmp-<pid>``); restore a week folder caught mid-swap (``.<week>.old-<pid>``). Runs under the
    lock: no live run of this folder is building anything."""
    try:
        entries = sorted(os.scandir(out), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        found = _LEFTOVER.match(entry.name)
        if not found or (week is not None and found.group(1) != week) or not entry.is_dir(follow_symlinks=False):
            continue
        target = out / found.group(1)
        if found.group(2) == "old" and not os.path.lexists(target):
            os.rename(entry.path, target)
        else:
            shutil.rmtree(entry.path, ignore_errors=True)
