"""Reading many files on all cores, without letting one hostile file take the run down.

Files are checked in forked worker processes. If a worker dies (python-calamine
aborts the process on some malformed sheets; the kernel may kill a process
that runs out of memory), the pool is abandoned and every file it had not
finished is re-checked alone in a fresh process: the one that kills its
process again becomes a ``file.unreadable`` finding, the others are read
normally. Reports come back in input order.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Callable

from qudao.findings import make
from qudao.records import FileReport

MEMORY_LIMIT = 3 * 1024 ** 3  # address space per worker; a runaway read fails instead of swapping
MIN_FILES = 4  # below this, forking costs more than it saves


def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _init_worker() -> None:
    _limit_memory()
    relax_gc()


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
    report = FileReport(path=item.display, folder=item.path.parent.name, order=item.order)
    try:
        report.size = item.path.stat().st_size
    except OSError:
        pass
    report.findings.append(make(
        "file.unreadable",
        "读取这个文件时程序崩溃（常见于异常巨大或被篡改的工作表），已跳过；请用 Excel 打开后另存再发",
        file=item.display))
    return report, None


def _context():
    try:
        return multiprocessing.get_context("fork")
    except ValueError:  # pragma: no cover - no fork on this platform
        return None


def usable(n_files: int, workers: int | None) -> int:
    """How many worker processes to use for ``n_files`` (0: check in this process)."""
    workers = default_workers() if workers is None else workers
    if workers <= 1 or n_files < MIN_FILES or _context() is None:
        return 0
    return min(workers, n_files)


def check_parallel(work: Callable, inputs: list, options, workers: int,
                   progress: Callable | None = None) -> list[tuple[FileReport, Any]]:
    """``work(item, options)`` → ``(report, extra)`` for every input, on ``workers`` processes, in input order."""
    results: dict[int, tuple[FileReport, Any]] = {}
    pending = list(range(len(inputs)))
    ctx = _context()
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_init_worker) as pool:
        futures = {pool.submit(_work, work, inputs[i], options): i for i in pending}
        broken = False
        while futures and not broken:
            done, _ = wait(futures, return_when=FIRST_COMPLETED)
            for future in done:
                i = futures.pop(future)
                try:
                    results[i] = future.result()
                except BrokenProcessPool:
                    broken = True
                    futures[future] = i  # not finished: re-check it alone below
                    continue
                if progress:
                    progress(results[i][0])
        leftover = sorted(futures.values())
        if broken:
            for future in futures:
                future.cancel()
    for i in leftover:  # one at a time, each in a fresh process: find the file that kills its reader
        with ProcessPoolExecutor(max_workers=1, mp_context=ctx, initializer=_init_worker) as alone:
            try:
                results[i] = alone.submit(_work, work, inputs[i], options).result()
            except BrokenProcessPool:
                results[i] = crashed_report(inputs[i])
        if progress:
            progress(results[i][0])
    return [results[i] for i in range(len(inputs))]
