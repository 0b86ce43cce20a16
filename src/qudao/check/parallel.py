"""Reading files where an abort only loses that file, on all cores.

Every read of an input runs in a worker process (forked; spawned on Windows or
with ``QUDAO_START_METHOD=spawn``) — also a run of one
file, and the reads of ``inspect``, ``agreement``, ``fill --from`` and
``--annotate`` (docs/decisions.md → Isolation). The guards of
:mod:`qudao.read.guards` prove the known ways python-calamine allocates
without bound safe beforehand; the worker is for the unknown ones: if a
worker dies (a native abort, the kernel killing a process over its memory
limit), the pool is abandoned and every file it had not finished is
re-checked alone in a fresh process: the one that kills its process again
becomes a ``file.unreadable`` finding, the others are read normally.
Reports come back in input order. Workers write nothing on stderr (a Rust
panic prints its message there before Python sees it; the finding says
what happened instead).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Callable

from qudao.errors import Unreadable
from qudao.findings import make
from qudao.records import FileReport
from qudao.safe import display

MEMORY_LIMIT = 3 * 1024 ** 3  # address space per worker; a runaway read fails instead of swapping
CRASH_MESSAGE = "读取这个文件时程序崩溃（常见于异常巨大或被篡改的工作表），已跳过；请用 Excel 打开后另存再发"


def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _init_worker(parent: int | None = None) -> None:
    """Every worker, whatever the start method (fork, spawn): die with the parent first, then the rest."""
    die_with_parent(parent)
    _limit_memory()
    relax_gc()
    _quiet_native_stderr()


PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int | None) -> None:
    """This worker ends when ``parent`` (the qudao process that started it) ends, however it ends —
    ``kill -9``, the SIGTERM of ``timeout``, a crash: a worker left behind would read on for nothing and,
    forked, hold copies of the parent's descriptors. Linux: the kernel sends SIGKILL on the parent's death
    (``prctl(PR_SET_PDEATHSIG)``), and a parent that died before that was set is seen at once (the worker
    was re-parented). Elsewhere a daemon thread watches the parent's pid once a second."""
    if parent is None:
        return
    armed = False
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            armed = libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
        except (OSError, AttributeError):
            armed = False
    if os.getppid() != parent:  # the parent is already gone
        os._exit(1)
    if not armed:
        import threading

        def watch() -> None:
            while True:
                time.sleep(1.0)
                if os.getppid() != parent:
                    os._exit(1)

        threading.Thread(target=watch, name="qudao-parent-watch", daemon=True).start()


def _quiet_native_stderr() -> None:
    """Native code (a Rust panic) writes to file descriptor 2 directly: send it nowhere in a worker."""
    if os.environ.get("QUDAO_DEBUG"):
        return
    os.environ["RUST_BACKTRACE"] = "0"
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        os.close(devnull)
    except OSError:  # pragma: no cover - no /dev/null
        pass


def relax_gc() -> None:
    """Collect cycles rarely: reading allocates hundreds of thousands of long-lived objects
    (rows, values) and the default thresholds re-scan them over and over (~0.3 s per 50k rows)."""
    import gc

    gc.set_threshold(200_000, 50, 100)


def _limit_memory() -> None:
    try:
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = MEMORY_LIMIT if hard == resource.RLIM_INFINITY else min(MEMORY_LIMIT, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ImportError, ValueError, OSError):  # pragma: no cover - platform without rlimits
        pass


def _work(work: Callable, item, options) -> tuple[FileReport, Any]:
    return work(item, options)


def crashed_report(item) -> tuple[FileReport, None]:
    from qudao.check.engine import fingerprint

    report = FileReport(path=item.display, folder=display(item.path.parent.name), order=item.order)
    fingerprint(item.path, report)
    report.findings.append(make("file.unreadable", CRASH_MESSAGE, file=item.display))
    return report, None


START_METHODS = ("fork", "forkserver", "spawn")


def _context():
    """The worker processes' start method: ``QUDAO_START_METHOD`` (fork, forkserver, spawn) when set, else
    fork where the platform has it (Linux, macOS) and spawn where it does not (Windows). Reads stay isolated
    either way; spawn only starts each worker slower (it imports qudao afresh)."""
    available = multiprocessing.get_all_start_methods()
    wanted = os.environ.get("QUDAO_START_METHOD", "").strip().lower()
    if wanted not in START_METHODS or wanted not in available:
        wanted = "fork" if "fork" in available else "spawn"
    try:
        return multiprocessing.get_context(wanted)
    except ValueError:  # pragma: no cover - no process start method at all
        return None


def _pool(ctx, workers: int) -> ProcessPoolExecutor:
    """Worker processes that die with this one (:func:`die_with_parent`, in the initializer so that it holds
    for every start method) and never hold the rollup's lock (jobs.folder closes it in forked children)."""
    return ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_init_worker,
                               initargs=(os.getpid(),))


def usable(n_files: int, workers: int | None) -> int:
    """How many worker processes to use for ``n_files``: at least one (every read is isolated), at most one
    per file; 0 only where processes cannot be forked (then reads run in this process)."""
    workers = default_workers() if workers is None else workers
    if n_files < 1 or _context() is None:
        return 0
    return max(1, min(workers, n_files))


class WorkerCrashed(Unreadable):
    """The worker process died (a native abort, killed over its memory limit)."""


def isolated(func: Callable, *args: Any, debug: bool = False) -> Any:
    """``func(*args)`` in a forked worker: its result or its exception comes back; if the process dies,
    :class:`WorkerCrashed` with :data:`CRASH_MESSAGE`. ``func`` is a module-level function."""
    ctx = _context()
    if debug or ctx is None:
        return func(*args)
    with _pool(ctx, 1) as pool:
        try:
            return pool.submit(func, *args).result()
        except BrokenProcessPool:
            raise WorkerCrashed(CRASH_MESSAGE) from None


def check_parallel(work: Callable, inputs: list, options, workers: int,
                   progress: Callable | None = None) -> list[tuple[FileReport, Any]]:
    """``work(item, options)`` → ``(report, extra)`` for every input, on ``workers`` processes, in input order."""
    return map_isolated(_work, [(work, item, options) for item in inputs], workers,
                        on_crash=lambda args: crashed_report(args[1]),
                        progress=(lambda result: progress(result[0])) if progress else None)


def map_isolated(func: Callable, calls: list[tuple], workers: int, on_crash: Callable[[tuple], Any],
                 progress: Callable | None = None) -> list[Any]:
    """``func(*args)`` for every ``args`` of ``calls`` on ``workers`` forked processes, results in order.
    When a process dies, the pool is abandoned and every call it had not finished runs again alone in a
    fresh process; a call that kills its process again gets ``on_crash(args)``. ``func`` must not raise."""
    results: dict[int, Any] = {}
    ctx = _context()
    if ctx is None:  # pragma: no cover - no fork on this platform
        return [func(*args) for args in calls]
    unsent: list[int] = []
    with _pool(ctx, max(1, workers)) as pool:
        futures = {}
        broken = False
        for i, args in enumerate(calls):
            try:
                futures[pool.submit(func, *args)] = i
            except BrokenProcessPool:  # a worker died while the calls were being handed out: what was sent is
                # collected below (the unfinished ones fail with BrokenProcessPool), the rest runs alone
                unsent = list(range(i, len(calls)))
                break
        while futures and not broken:
            done, _ = wait(futures, return_when=FIRST_COMPLETED)
            for future in done:
                i = futures.pop(future)
                try:
                    results[i] = future.result()
                except BrokenProcessPool:
                    broken = True
                    futures[future] = i  # not finished: run it alone below
                    continue
                if progress:
                    progress(results[i])
        leftover = sorted([*futures.values(), *unsent])
        if broken:
            for future in futures:
                future.cancel()
    for i in leftover:  # one at a time, each in a fresh process: find the call that kills its process
        with _pool(ctx, 1) as alone:
            try:
                results[i] = alone.submit(func, *calls[i]).result()
            except BrokenProcessPool:
                results[i] = on_crash(calls[i])
        if progress:
            progress(results[i])
    return [results[i] for i in range(len(calls))]
