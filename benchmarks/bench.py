"""Benchmarks: qudao vs the plain pandas/openpyxl way, on generated register inboxes.

    python benchmarks/bench.py                 # the README table (takes a few minutes)
    python benchmarks/bench.py --quick         # smaller sizes, one repeat
    python benchmarks/bench.py --only startup  # one group: startup | read | scale | big | fill | limits | fanout | hostile | isolation
    python benchmarks/bench.py --only national # 1,000 files × 1,000 rows (1M) and the 50k → 1M scaling (long)
    python benchmarks/bench.py --only isolation --baseline OLD/src   # the cost of the protection vs an older checkout

Inboxes are generated deterministically into benchmarks/data/ (kept between
runs). Every measurement runs in a fresh child process; times are medians of
alternating repeats, memory is the child's peak RSS (wait4).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
PY = sys.executable
QUDAO = [PY, "-m", "qudao"]

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华玉兰萍红娟建国志梅丹玲卓玛次仁扎西央金"
PROPS = ("麓湖花园", "天府云城", "东安湖壹号", "青城山居", "锦江雅苑", "兴隆湖畔")
TYPES = ("分支机构", "物业", "协会商会", "关联单位", "二手中介", "旅行社")
HEADER = ["序号", "登记日期", "客户姓名", "联系电话", "性别", "常住城市", "意向楼盘", "意向面积(㎡)", "预算(万元)", "购房目的",
          "意向等级", "到访日期", "成交日期", "成交楼盘", "成交金额(万元)", "跟进人", "备注"]


def generate(folder: Path, files: int, rows: int, seed: int = 48) -> Path:
    """``files`` register workbooks of ``rows`` rows each (with shared customers → conflicts)."""
    if folder.is_dir() and len(list(folder.rglob("*.xlsx"))) == files:
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    from openpyxl import Workbook

    rng = random.Random(seed)
    pool = ["1" + rng.choice("35789") + "".join(rng.choice("0123456789") for _ in range(9))
            for _ in range(files * rows)]
    base = dt.date(2026, 6, 1)
    for f in range(files):
        branch = f"分所{f % 5 + 1}"
        (folder / branch).mkdir(parents=True, exist_ok=True)
        wb = Workbook(write_only=True)
        ws = wb.create_sheet("意向客户登记")
        ws.append(["意向客户登记表"])
        ws.append(["渠道名称：", f"渠道{f:04d}", None, "渠道类型：", TYPES[f % 6], None, "所属分所：", branch])
        ws.append(["渠道联系人：", "王芳", None, "联系电话：", "13900000000", None, "报送日期：", dt.date(2026, 11, 27)])
        ws.append(HEADER)
        for r in range(rows):
            phone = pool[rng.randrange(len(pool))] if rng.random() < 0.05 else pool[f * rows + r]
            reg = base + dt.timedelta(days=rng.randrange(170))
            visit = reg + dt.timedelta(days=rng.randrange(1, 20)) if rng.random() < 0.3 else None
            deal = visit + dt.timedelta(days=rng.randrange(1, 10)) if visit and rng.random() < 0.3 else None
            style = r % 4
            ws.append([
                r + 1,
                reg if style == 0 else reg.strftime("%Y/%m/%d") if style == 1 else f"{reg.year}年{reg.month}月{reg.day}日"
                if style == 2 else reg.strftime("%Y%m%d"),
                rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
                int(phone) if style == 0 else f"{phone[:3]} {phone[3:7]} {phone[7:]}" if style == 1 else phone,
                rng.choice("男女"), rng.choice(("拉萨", "成都", "绵阳")), rng.choice(PROPS),
                round(rng.uniform(60, 220), 1), round(rng.uniform(40, 400), 1), "自住", rng.choice("ABCD"),
                visit, deal, rng.choice(PROPS) if deal else None, round(rng.uniform(60, 300), 2) if deal else None,
                "李强", "",
            ])
        wb.save(folder / branch / f"渠道{f:04d}-2026W48.xlsx")
    return folder


PANDAS = """
import sys, glob, pandas as pd
frames = [pd.read_excel(p, engine="openpyxl", header=3) for p in sorted(glob.glob(sys.argv[1] + "/**/*.xlsx", recursive=True))]
df = pd.concat(frames, ignore_index=True)
print(len(df))
"""
CALAMINE = """
import sys, glob
from python_calamine import CalamineWorkbook
n = 0
for p in sorted(glob.glob(sys.argv[1] + "/**/*.xlsx", recursive=True)):
    n += len(CalamineWorkbook.from_path(p).get_sheet_by_index(0).to_python())
print(n)
"""


def run(cmd: list[str], cwd: Path | None = None) -> tuple[float, float]:
    """(seconds, peak RSS MB) of one child process; exits with the child's error if it could not do the job."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=cwd)
    _pid, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):  # 1 = done, with rejected rows in the generated data
        sys.exit(f"benchmark command failed ({code}): {' '.join(cmd)}\n{proc.stderr.read().decode()}")
    proc.stderr.close()
    return seconds, usage.ru_maxrss / 1024


def measure(named: dict[str, list[str]], repeats: int) -> dict[str, tuple[float, float]]:
    """Median seconds and max RSS per command, runs alternating between commands."""
    times: dict[str, list[float]] = {k: [] for k in named}
    mem: dict[str, float] = {k: 0.0 for k in named}
    for _ in range(repeats):
        for name, cmd in named.items():
            s, mb = run(cmd)
            times[name].append(s)
            mem[name] = max(mem[name], mb)
    return {k: (statistics.median(v), mem[k]) for k, v in times.items()}


def table(title: str, rows: list[tuple[str, float, float, str]]) -> str:
    out = [f"\n{title}\n", "| what | seconds | peak MB | vs |", "| --- | ---: | ---: | --- |"]
    for name, s, mb, note in rows:
        out.append(f"| {name} | {s:.2f} | {mb:.0f} | {note} |")
    return "\n".join(out)


def read_group(files: int, rows: int, repeats: int, tmp: Path) -> str:
    inbox = generate(DATA / f"inbox-{files}x{rows}", files, rows)
    cmds = {
        "pandas + openpyxl read & concat": [PY, "-c", PANDAS, str(inbox)],
        "bare python-calamine read": [PY, "-c", CALAMINE, str(inbox)],
        "qudao summarize --json": QUDAO + ["summarize", str(inbox), "--json", str(tmp / "s.json"), "--force", "-q",
                                           "--as-of", "2026-11-27"],
        "qudao summarize -o report.xlsx": QUDAO + ["summarize", str(inbox), "-o", str(tmp / "s.xlsx"), "--force", "-q",
                                                   "--as-of", "2026-11-27"],
        "qudao validate --format json": QUDAO + ["validate", str(inbox), "--format", "json", "-o",
                                                 str(tmp / "v.json"), "--force", "--as-of", "2026-11-27"],
    }
    res = measure(cmds, repeats)
    pandas_s = res["pandas + openpyxl read & concat"][0]
    cal_s = res["bare python-calamine read"][0]
    lines = []
    for name, (s, mb) in res.items():
        note = ""
        if name.startswith("qudao"):
            note = f"{s / pandas_s:.2f}× pandas, {s / cal_s:.2f}× calamine"
        lines.append((name, s, mb, note))
    return table(f"### {files} files × {rows} rows ({files * rows:,} rows)", lines)


def scale_group(repeats: int, tmp: Path) -> str:
    lines = []
    base = None
    for files in (50, 100, 200):
        inbox = generate(DATA / f"inbox-{files}x500", files, 500)
        cmd = QUDAO + ["summarize", str(inbox), "--json", str(tmp / "s.json"), "--force", "-q", "--as-of", "2026-11-27"]
        s, mb = measure({"x": cmd}, repeats)["x"]
        base = base or s / files
        lines.append((f"qudao summarize --json, {files} × 500", s, mb, f"{s / files * 1000:.1f} ms per file "
                                                                      f"({s / files / base:.2f}× the 50-file rate)"))
    return table("### Scaling (1×, 2×, 4× the files)", lines)


def big_group(repeats: int, tmp: Path) -> str:
    inbox = generate(DATA / "inbox-1x100000", 1, 100_000)
    cmds = {
        "bare python-calamine read": [PY, "-c", CALAMINE, str(inbox)],
        "qudao validate --format json": QUDAO + ["validate", str(inbox), "--format", "json", "-o", str(tmp / "v.json"),
                                                 "--force", "--as-of", "2026-11-27"],
        "qudao summarize --json": QUDAO + ["summarize", str(inbox), "--json", str(tmp / "s.json"), "--force", "-q",
                                           "--as-of", "2026-11-27"],
    }
    res = measure(cmds, repeats)
    cal = res["bare python-calamine read"][0]
    return table("### 1 file × 100,000 rows", [(n, s, mb, f"{s / cal:.2f}× calamine" if n.startswith("qudao") else "")
                                               for n, (s, mb) in res.items()])


def startup_group(repeats: int, tmp: Path) -> str:
    cmds = {
        "python -c 'import typer'": [PY, "-c", "import typer"],
        "qudao --help": QUDAO + ["--help"],
        "qudao list": QUDAO + ["list"],
        "qudao new register": QUDAO + ["new", "register", "-o", str(tmp / "n.xlsx"), "--force"],
    }
    res = measure(cmds, max(repeats, 5))
    typer_s = res["python -c 'import typer'"][0]
    return table("### Start-up (output piped, as in scripts)", [
        (n, s, mb, f"{s / typer_s:.2f}× import typer" if n != "python -c 'import typer'" else "")
        for n, (s, mb) in res.items()])


def fill_group(repeats: int, tmp: Path) -> str:
    src = DATA / "webform-10000.csv"
    if not src.exists():
        rng = random.Random(10)
        lines = ["登记时间,姓名,手机号,意向等级,意向项目,预算,备注"]
        for _ in range(10_000):
            phone = "1" + rng.choice("35789") + "".join(rng.choice("0123456789") for _ in range(9))
            lines.append(f"2026/11/{rng.randrange(1, 27)},{rng.choice(SURNAMES)}{rng.choice(GIVEN)},{phone},"
                         f"{rng.choice('ABCD')},{rng.choice(PROPS)},{rng.randrange(50, 400)},")
        DATA.mkdir(parents=True, exist_ok=True)
        src.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    cmd = QUDAO + ["fill", "register", "--from", str(src), "-o", str(tmp / "f.xlsx"), "--force",
                   "--set", "渠道名称=网络表单", "--set", "报送日期=2026-11-27"]
    res = measure({"qudao fill register --from 10,000-row CSV": cmd}, repeats)
    return table("### fill", [(n, s, mb, "") for n, (s, mb) in res.items()])


def big_register(path: Path, sheets: int, rows: int) -> Path:
    """tests/hostile_corpus.big_register: one register of ``sheets`` monthly sheets × ``rows`` rows."""
    sys.path.insert(0, str(HERE.parent / "tests"))
    import hostile_corpus

    return hostile_corpus.big_register(path, sheets, rows)


def _generated(path: Path, sheets: int, rows: int) -> Path:
    """big_register in a child process: a child forked from a bloated benchmark process would inherit its
    peak RSS (Linux keeps the high-water mark across fork and exec)."""
    if not path.exists():
        code = f"import sys; sys.path.insert(0, {str(HERE)!r}); import bench; bench.big_register(bench.Path({str(path)!r}), " \
               f"{sheets}, {rows})"
        subprocess.run([PY, "-c", code], check=True)
    return path


def limits_group(repeats: int, tmp: Path) -> str:
    """Work within the documented limits: 3 sheets × 190,000 rows, and 190,000 rows annotated."""
    three = _generated(DATA / "register-3x190000.xlsx", 3, 190_000)
    one = _generated(DATA / "register-1x190000.xlsx", 1, 190_000)
    cmds = {
        "summarize -o, 3 sheets × 190,000 rows (one file)": QUDAO + [
            "summarize", str(three), "-o", str(tmp / "s.xlsx"), "--force", "-q", "--as-of", "2026-11-27"],
        "validate --annotate, 190,000 rows": QUDAO + [
            "validate", str(one), "--annotate", str(tmp / "marked"), "--force", "--format", "json", "-o",
            str(tmp / "v.json"), "--as-of", "2026-11-27"],
    }
    res = measure(cmds, repeats)
    return table("### Within the limits (peak MB: the largest process of the run; limit 1,500)",
                 [(n, s, mb, "") for n, (s, mb) in res.items()])


def fanout_group(repeats: int, tmp: Path) -> str:
    """Issue 20: one 33 KB register whose 800 rows name 800 分所 and 800 channels, through ``rollup`` (the
    per-week fan-out is capped: [output] max_branches, max_channels)."""
    inbox = DATA / "inbox-800-branches"
    if not inbox.is_dir():
        sys.path.insert(0, str(HERE.parent / "tests"))
        from conftest import make_register

        inbox.mkdir(parents=True)
        rows = [[i + 1, f"2026-11-{23 + i % 5}", f"渠道{i:04d}", f"分所{i:04d}", f"客户{i}", f"139{i:08d}", "A"]
                for i in range(800)]
        make_register(inbox / "汇总登记-2026W48.xlsx", rows, header=["序号", "登记日期", "渠道名称", "所属分所", "客户姓名",
                                                                  "联系电话", "意向等级"],
                      block={"报送日期": dt.date(2026, 11, 29)})
    out = tmp / "fanout"
    res = measure({"rollup, 800 分所 × 800 渠道 in one register": QUDAO + [
        "rollup", "--inbox", str(inbox), "--out", str(out), "--week", "2026-W48", "-q"]}, repeats)
    files = sum(1 for p in out.rglob("*") if p.is_file())
    return table("### Fan-out (issue 20: was 93 s and 5,607 files)",
                 [(n, s, mb, f"{files} files") for n, (s, mb) in res.items()])


def hostile_group(repeats: int, tmp: Path) -> str:
    """Every former crash/hang/abort case of issue 13 through ``qudao validate`` (and summarize)."""
    sys.path.insert(0, str(HERE.parent / "tests"))
    import hostile_corpus

    folder = DATA / "hostile"
    if not folder.is_dir():  # in a child, for the same reason as _generated
        subprocess.run([PY, str(HERE.parent / "tests" / "hostile_corpus.py"), str(folder), "--full"], check=True,
                       capture_output=True)
    cases = {name: folder / name for name in hostile_corpus.CASES}
    rows = []
    for name, path in cases.items():
        cmd = QUDAO + ["validate", str(path), "--format", "json", "-o", str(tmp / "h.json"), "--force"]
        s, mb = measure({"x": cmd}, repeats)["x"]
        finding = json.loads((tmp / "h.json").read_text(encoding="utf-8"))["files"][0]["findings"]
        rows.append((f"validate {name}", s, mb, finding[0]["code"] if finding else "(no finding)"))
    return table("### The hostile corpus (tests/hostile_corpus.py, full-size CSVs)", rows)


ISO = """
import statistics, sys, time
from pathlib import Path
from qudao.check.engine import Options, check_file, check_one, collect
items = list(collect([sys.argv[1]]))
one = items[0]
check_file(one, Options())
def med(f, n=30):
    xs = []
    for _ in range(n):
        t = time.perf_counter(); f(); xs.append(time.perf_counter() - t)
    return statistics.median(xs) * 1000
a, b = med(lambda: check_file(one, Options())), med(lambda: check_one(one, Options()))
print(f"{a:.1f} {b:.1f}")
"""


def isolation_group(repeats: int, tmp: Path, baseline: Path | None) -> str:
    """The cost of the protection (guards + every read in a worker): one file and a whole inbox, against an older
    checkout's ``src`` when ``--baseline`` is given; and one read in-process vs in a worker."""
    demo = DATA / "demo"
    if not (demo / "inbox").is_dir():
        subprocess.run(QUDAO + ["demo", str(demo)], check=True, capture_output=True)
    inbox = demo / "inbox"
    one = max(inbox.rglob("*-2026W48.xlsx"), key=lambda p: p.stat().st_size)  # the biggest weekly register
    env_now = {**os.environ, "PYTHONPATH": str(HERE.parent / "src")}
    lines = []
    out = subprocess.run([PY, "-c", ISO, str(one)], capture_output=True, text=True, env=env_now, check=True)
    inproc, isolated = map(float, out.stdout.split())
    lines.append((f"one register read in-process ({one.name})", inproc / 1000, 0, f"{inproc:.1f} ms"))
    lines.append(("the same read in a forked worker (check_one)", isolated / 1000, 0,
                  f"{isolated:.1f} ms: +{isolated - inproc:.1f} ms per single-file command"))
    cmds = {"validate one file": ["validate", str(one)], "inspect one file": ["inspect", str(one)],
            f"summarize --json, the demo inbox ({len(list(inbox.rglob('*.*')))} files)":
                ["summarize", str(inbox), "--json", str(tmp / "d.json"), "--force", "-q", "--as-of", "2026-11-27"]}
    for name, args in cmds.items():
        named = {"now": ["env", f"PYTHONPATH={HERE.parent / 'src'}", PY, "-m", "qudao", *args]}
        if baseline:
            named["before"] = ["env", f"PYTHONPATH={baseline}", PY, "-m", "qudao", *args]
        res = measure(named, max(repeats, 7))
        note = f"{res['now'][0] / res['before'][0] - 1:+.1%} vs baseline ({res['before'][0]:.2f} s)" if baseline else ""
        lines.append((name, res["now"][0], res["now"][1], note))
    return table("### The protection's cost (guards + every read in a worker process)", lines)


def _generated_inbox(files: int, rows: int) -> Path:
    """generate() in a child process (the parent's peak RSS would be inherited by every measured child)."""
    folder = DATA / f"inbox-{files}x{rows}"
    if not (folder.is_dir() and len(list(folder.rglob("*.xlsx"))) == files):
        code = f"import sys; sys.path.insert(0, {str(HERE)!r}); import bench; " \
               f"bench.generate(bench.Path({str(folder)!r}), {files}, {rows})"
        subprocess.run([PY, "-c", code], check=True)
    return folder


NATIONAL_SIZES = (50, 200, 1000)  # files × 1,000 rows: 50,000, 200,000 and 1,000,000 rows


def national_group(repeats: int, tmp: Path, sizes: tuple[int, ...] = NATIONAL_SIZES) -> str:
    """Issue 17: a national inbox of 1,000 files × 1,000 register rows (generated, not committed), every whole-run
    command with its time and peak RSS; then summarize --json from 50,000 to 1,000,000 rows, per row."""
    out = []
    scaling = []
    for files in sizes:
        inbox = _generated_inbox(files, 1000)
        n = files * 1000
        cmds = {
            "bare python-calamine read": [PY, "-c", CALAMINE, str(inbox)],
            "qudao summarize --json": QUDAO + ["summarize", str(inbox), "--json", str(tmp / "n.json"), "--force", "-q",
                                               "--as-of", "2026-11-27"],
        }
        if files == max(sizes):
            cmds.update({
                "qudao summarize -o report.xlsx": QUDAO + ["summarize", str(inbox), "-o", str(tmp / "n.xlsx"),
                                                           "--force", "-q", "--as-of", "2026-11-27"],
                "qudao validate --format json": QUDAO + ["validate", str(inbox), "--format", "json", "-o",
                                                         str(tmp / "v.json"), "--force", "--as-of", "2026-11-27"],
                "qudao rollup (week 2026-W48)": QUDAO + ["rollup", "--inbox", str(inbox), "--out", str(tmp / "week"),
                                                         "--week", "2026-W48", "--as-of", "2026-11-30", "-q"],
            })
        res = measure(cmds, repeats)
        cal = res["bare python-calamine read"][0]
        if files == max(sizes):
            out.append(table(f"### National: {files:,} files × 1,000 rows ({n:,} rows; peak MB: the largest process)",
                             [(name, s, mb, f"{s / cal:.2f}× calamine, {s / n * 1e6:.1f} µs per row"
                               if name.startswith("qudao") else f"{s / n * 1e6:.1f} µs per row")
                              for name, (s, mb) in res.items()]))
        s, mb = res["qudao summarize --json"]
        scaling.append((f"qudao summarize --json, {n:,} rows", s, mb, f"{s / n * 1e6:.1f} µs and "
                        f"{mb * 1024 / n:.2f} KB per row; {s / cal:.2f}× calamine ({cal:.2f} s)"))
    out.insert(0, table("### Scaling by rows (files × 1,000 rows)", scaling))
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="smaller sizes, one repeat")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--only", choices=("startup", "read", "scale", "big", "fill", "limits", "fanout", "hostile",
                                           "isolation", "national"))
    parser.add_argument("--baseline", type=Path, help="an older checkout's src folder (isolation group: before/after)")
    args = parser.parse_args()
    repeats = 1 if args.quick else args.repeats
    print(f"# qudao benchmarks — {dt.date.today().isoformat()}, {os.cpu_count()} CPUs, Python "
          f"{sys.version.split()[0]}, medians of {repeats} alternating runs")
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        groups = {
            "startup": lambda: startup_group(repeats, tmp),
            "read": lambda: "\n".join(read_group(f, 500, repeats, tmp) for f in ((20,) if args.quick else (100, 200))),
            "scale": lambda: scale_group(repeats, tmp),
            "big": lambda: big_group(repeats, tmp),
            "fill": lambda: fill_group(repeats, tmp),
            "limits": lambda: limits_group(repeats, tmp),
            "fanout": lambda: fanout_group(repeats, tmp),
            "hostile": lambda: hostile_group(1, tmp),
            "isolation": lambda: isolation_group(repeats, tmp, args.baseline),
            "national": lambda: national_group(repeats, tmp),
        }
        for name, group in groups.items():
            if args.only and name != args.only:
                continue
            if args.quick and name in ("scale", "big", "limits", "fanout", "hostile", "national"):
                continue
            if name == "national" and args.only != "national":  # long (1M rows): only when asked
                continue
            print(group(), flush=True)


if __name__ == "__main__":
    main()
