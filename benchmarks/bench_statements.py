"""The cost of the running account (issue 22): the weekly rollup and ``qudao statement --week``.

    python benchmarks/bench_statements.py                        # this checkout
    python benchmarks/bench_statements.py --baseline OLD/src     # and an older checkout's src, for comparison

Inputs: the shared fixture inbox (76 files, 12 channels, 8 weeks) and a generated inbox of 60 registers × 1,000
rows (benchmarks/bench.py's generator, one channel each). Every measurement runs in a fresh child process; the
times are medians of alternating repeats (wall clock), memory the child's peak RSS.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
FIXTURE = ROOT.parent / "shared" / "fixtures" / "inbox-2026w48" / "inbox"


def run(args: list[str], src: str | None) -> tuple[float, float]:
    env = dict(os.environ)
    if src:
        env["PYTHONPATH"] = src
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "qudao", *args], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    _pid, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"failed: qudao {' '.join(args)}")
    return elapsed, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--baseline", help="an older checkout's src folder")
    parser.add_argument("--repeat", type=int, default=3)
    opts = parser.parse_args()
    sys.path.insert(0, str(HERE))
    from bench import DATA, generate

    big = generate(DATA / "statements-60x1000", 60, 1000)
    cases = []
    if FIXTURE.is_dir():
        cases += [("fixture: rollup --week 2026-W48", ["rollup", "--inbox", str(FIXTURE), "--out", "{out}",
                                                       "--week", "2026-W48", "--quiet"]),
                  ("fixture: statement --week 2026-W48", ["statement", str(FIXTURE), "--channel", "拉萨安居二手房",
                                                          "--week", "2026-W48", "-o", "{out}/s.xlsx", "--quiet"])]
    cases += [("60 × 1,000 rows: rollup --week 2026-W48", ["rollup", "--inbox", str(big), "--out", "{out}",
                                                            "--week", "2026-W48", "--quiet"]),
              ("60 × 1,000 rows: statement --week 2026-W48", ["statement", str(big), "--channel", "渠道0007",
                                                              "--week", "2026-W48", "-o", "{out}/s.xlsx", "--quiet"])]
    versions = [("this", None)] + ([("baseline", opts.baseline)] if opts.baseline else [])
    print(f"| case | {' | '.join(f'{name} s | {name} MB' for name, _ in versions)} |")
    print("|---|" + "---:|" * (2 * len(versions)))
    for label, args in cases:
        results: dict[str, list[tuple[float, float]]] = {name: [] for name, _ in versions}
        for _ in range(opts.repeat):
            for name, src in versions:
                with tempfile.TemporaryDirectory() as out:
                    results[name].append(run([a.replace("{out}", out) for a in args], src))
        cells = []
        for name, _ in versions:
            times = [t for t, _m in results[name]]
            cells += [f"{statistics.median(times):.2f}", f"{max(m for _t, m in results[name]):.0f}"]
        print(f"| {label} | {' | '.join(cells)} |")


if __name__ == "__main__":
    main()
