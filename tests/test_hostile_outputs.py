"""Issue 20 item 1: outputs write only regular files. Every output option of every command refuses a device,
a FIFO, a socket or a symbolic link (dangling or not) — with or without --force — and leaves it as it was;
``-`` and ``/dev/stdout`` are written through; the user's umask is kept; an input of the run is never an
output; a full disk ends in a Chinese message, exit 2, nothing left behind and never 「已写入」.

Device nodes are made here with ``os.mknod`` in the test's own folder (the tests run as root): the machine's
/dev/null and /dev/full are never touched.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from conftest import ROOT, invoke, make_register
from test_hostile_corpus import qudao, sha

SAMPLES = ROOT / "samples" / "inbox"
LEDGER = SAMPLES / "总部" / "渠道合作协议台账.xlsx"
CONFIG = ROOT / "samples" / "qudao.toml"
NOT_REGULAR = "输出路径不是普通文件（设备、管道或套接字）：{}；qudao 只写普通文件，请换一个文件名（写到屏幕用 -）"
LINK = "输出路径是一个符号链接（快捷方式）：{}；qudao 只写普通文件，不替换链接，也不写到它指向的地方；请换一个文件名"
ROWS = [[1, "2026-11-03", "张三", "13812345678", "A"], [2, "2026-11-04", "李四", "13912345678", "B"]]


@pytest.fixture(scope="module")
def inbox(tmp_path_factory) -> Path:
    """One clean register (exit 0 everywhere) and a CSV to fill from."""
    root = tmp_path_factory.mktemp("inbox")
    folder = root / "inbox"
    folder.mkdir()
    make_register(folder / "雪域物业-2026W45.xlsx", ROWS, header=["序号", "登记日期", "客户姓名", "联系电话", "意向等级"],
                  block={"渠道名称": "雪域物业", "所属分所": "拉萨分所", "报送日期": "2026-11-06"})
    (root / "data.csv").write_text("客户姓名,联系电话,登记日期,意向等级\n王五,13712345678,2026-11-05,A\n",
                                   encoding="utf-8")
    return folder


def commands(inbox: Path) -> dict[str, tuple[list, str]]:
    """Every output option: (the command line with OUT where the output goes, its extension)."""
    data = inbox.parent / "data.csv"
    summarize = ["summarize", inbox, "--as-of", "2026-11-27"]
    statement = ["statement", inbox, "--channel", "雪域物业", "--as-of", "2026-11-27"]
    todo = ["todo", inbox, "--as-of", "2026-11-27"]
    assess = ["assess", inbox, "--period", "2026Q4", "--as-of", "2026-11-27"]
    agreement = ["agreement", LEDGER, "--id", "QD-2026-001", "--config", CONFIG, "--as-of", "2026-11-27"]
    return {
        "summarize -o": ([*summarize, "-o", "OUT"], ".xlsx"),
        "summarize --html": ([*summarize, "--html", "OUT"], ".html"),
        "summarize --md": ([*summarize, "--md", "OUT"], ".md"),
        "summarize --png": ([*summarize, "--png", "OUT"], ".png"),
        "summarize --json": ([*summarize, "--json", "OUT"], ".json"),
        "statement -o": ([*statement, "-o", "OUT"], ".xlsx"),
        "statement --html": ([*statement, "--html", "OUT"], ".html"),
        "todo -o": ([*todo, "-o", "OUT"], ".xlsx"),
        "todo --html": ([*todo, "--html", "OUT"], ".html"),
        "todo --md": ([*todo, "--md", "OUT"], ".md"),
        "assess -o": ([*assess, "-o", "OUT"], ".xlsx"),
        "assess --html": ([*assess, "--html", "OUT"], ".html"),
        "assess --md": ([*assess, "--md", "OUT"], ".md"),
        "assess --json": ([*assess, "--json", "OUT"], ".json"),
        "agreement -o": ([*agreement, "-o", "OUT"], ".html"),
        "agreement --md": ([*agreement, "--md", "OUT"], ".md"),
        "fill -o": (["fill", "register", "--from", data, "--set", "渠道名称=雪域物业", "-o", "OUT"], ".xlsx"),
        "new -o": (["new", "register", "-o", "OUT"], ".xlsx"),
        "new-plan -o": (["new-plan", "--type", "西藏本地", "--branch", "拉萨分所", "--city", "拉萨", "--start",
                         "2026-09-21", "-o", "OUT"], ".xlsx"),
        "config init -o": (["config", "init", "-o", "OUT"], ".toml"),
        "validate -o": (["validate", inbox, "--format", "json", "-o", "OUT"], ".json"),
    }


def node(kind: str, path: Path, holder: list) -> Path:
    """A private node of ``kind`` at ``path``: a character device (the numbers of /dev/null, never opened), a
    FIFO, a listening Unix socket, a dangling link, a link to a regular file."""
    if kind == "device":
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "socket":
        sock = socket.socket(socket.AF_UNIX)
        sock.bind(str(path))
        holder.append(sock)
    elif kind == "dangling":
        path.symlink_to(path.parent / "nowhere" / "x")
    elif kind == "link":
        target = path.parent / f"target-{path.name}"
        target.write_bytes(b"the user's own file")
        path.symlink_to(target)
    return path


def state(path: Path) -> tuple:
    st = os.lstat(path)
    extra = os.readlink(path) if stat.S_ISLNK(st.st_mode) else None
    return stat.S_IFMT(st.st_mode), st.st_ino, st.st_rdev, extra


@pytest.fixture
def short_tmp():
    """A short folder (a Unix socket's path must stay under 108 bytes)."""
    folder = Path(tempfile.mkdtemp(prefix="q20-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def _refused(runner, inbox: Path, option: str, kind: str, folder: Path) -> None:
    args, suffix = commands(inbox)[option]
    holder: list = []
    target = node(kind, folder / f"out{suffix}", holder)
    before = state(target)
    linked = sha(target) if kind == "link" else None
    try:
        result = invoke(runner, *[target if a == "OUT" else a for a in args], "--force")
    finally:
        for sock in holder:
            sock.close()
    expected = (LINK if kind in ("dangling", "link") else NOT_REGULAR).format(target)
    assert result.exit_code == 2, result.output
    assert result.output.endswith(f"错误：{expected}\n"), result.output
    assert "已写入" not in result.output and "已生成" not in result.output
    assert state(target) == before  # the node is still the same node
    if kind == "link":
        assert sha(target) == linked  # and nothing was written through it
    assert sorted(p.name for p in folder.iterdir() if not p.name.startswith("target-")) == [target.name]


@pytest.mark.parametrize("option", list(commands(Path("x"))))
def test_no_output_option_replaces_a_device(runner, inbox, short_tmp, option):
    _refused(runner, inbox, option, "device", short_tmp)


@pytest.mark.parametrize("kind", ["fifo", "socket", "dangling", "link"])
@pytest.mark.parametrize("option", ["summarize --json", "statement -o", "fill -o", "config init -o"])
def test_no_output_replaces_a_fifo_a_socket_or_a_link(runner, inbox, short_tmp, option, kind):
    _refused(runner, inbox, option, kind, short_tmp)


def test_a_dangling_link_is_refused_without_force_too(runner, inbox, tmp_path):
    link = tmp_path / "s.json"
    link.symlink_to(tmp_path / "elsewhere.json")
    result = invoke(runner, "summarize", inbox, "--json", link, "--as-of", "2026-11-27")
    assert result.exit_code == 2 and result.output == f"错误：{LINK.format(link)}\n"
    assert link.is_symlink() and not (tmp_path / "elsewhere.json").exists()


def test_a_device_appearing_while_the_output_is_made_is_not_replaced(tmp_path):
    """The check runs again right before the rename: a node made meanwhile stays, the temporary file goes."""
    from qudao.errors import OutputError
    from qudao.write.atomic import atomic_path

    target = tmp_path / "s.json"
    with pytest.raises(OutputError) as raised:
        with atomic_path(target) as tmp:
            tmp.write_text("{}", encoding="utf-8")
            os.mkfifo(target)
    assert raised.value.message == NOT_REGULAR.format(target)
    assert stat.S_ISFIFO(os.lstat(target).st_mode) and os.listdir(tmp_path) == ["s.json"]


# --------------------------------------------------------------------------- the rollup's folder and lock


def _week_inbox(root: Path) -> Path:
    inbox = root / "inbox"
    inbox.mkdir()
    make_register(inbox / "雪域物业-2026W48.xlsx", ROWS, header=["序号", "登记日期", "客户姓名", "联系电话", "意向等级"],
                  block={"渠道名称": "雪域物业", "所属分所": "拉萨分所", "报送日期": "2026-11-27"})
    return inbox


@pytest.mark.parametrize("kind", ["link", "device", "file"])
def test_a_week_folder_that_is_not_a_folder_is_never_replaced(runner, tmp_path, kind):
    inbox, out = _week_inbox(tmp_path), tmp_path / "out"
    out.mkdir()
    week = out / "2026-W48"
    if kind == "link":
        (tmp_path / "theirs").mkdir()
        (tmp_path / "theirs" / "keep.txt").write_text("keep", encoding="utf-8")
        week.symlink_to(tmp_path / "theirs", target_is_directory=True)
    elif kind == "device":
        os.mknod(week, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    else:
        week.write_text("a file", encoding="utf-8")
    before = state(week)
    result = invoke(runner, "rollup", "--inbox", inbox, "--out", out, "--week", "2026-W48")
    what = {"link": "符号链接（快捷方式）", "device": "设备、管道或套接字", "file": "文件"}[kind]
    assert result.exit_code == 2
    assert result.output.endswith(f"错误：{week} 是{what}，不是 qudao 写的周文件夹，没有替换它；请删除或改名后重试\n")
    assert state(week) == before and sorted(p.name for p in out.iterdir()) == ["2026-W48"]  # no build folder, no lock
    if kind == "link":
        assert [p.name for p in (tmp_path / "theirs").iterdir()] == ["keep.txt"]


@pytest.mark.parametrize("kind", ["dangling", "fifo", "device"])
def test_a_lock_file_that_is_not_a_file_is_refused(runner, tmp_path, kind):
    inbox, out = _week_inbox(tmp_path), tmp_path / "out"
    out.mkdir()
    lock = out / ".qudao-rollup.lock"
    if kind == "dangling":
        lock.symlink_to(tmp_path / "elsewhere")
        message = f"锁文件 {lock} 是一个符号链接（快捷方式），不是 qudao 写的；请删除它后重试"
    else:
        os.mkfifo(lock) if kind == "fifo" else os.mknod(lock, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        message = f"锁文件 {lock} 不是普通文件（设备、管道或套接字），不是 qudao 写的；请删除它后重试"
    before = state(lock)
    result = invoke(runner, "rollup", "--inbox", inbox, "--out", out, "--week", "2026-W48")
    assert result.exit_code == 2 and result.output == f"错误：{message}\n"
    assert state(lock) == before and not (tmp_path / "elsewhere").exists()
    assert sorted(p.name for p in out.iterdir()) == [".qudao-rollup.lock"]


# --------------------------------------------------------------------------- standard output


def _run(args: list, stdout=subprocess.PIPE, umask: int | None = None) -> subprocess.CompletedProcess:
    env = {"PYTHONPATH": str(ROOT / "src"), "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8"}
    return subprocess.run([sys.executable, "-m", "qudao", *map(str, args)], stdout=stdout, stderr=subprocess.PIPE,
                          env=env, timeout=120, preexec_fn=(lambda: os.umask(umask)) if umask is not None else None)


@pytest.mark.slow
def test_dev_stdout_and_dash_are_written_through_with_nothing_else_on_stdout(inbox, tmp_path):
    done = _run(["summarize", inbox, "--as-of", "2026-11-27", "--json", "/dev/stdout"])
    assert done.returncode == 0 and done.stderr == b""
    data = json.loads(done.stdout)
    assert data["totals"]["registrations"] == 2
    _run(["summarize", inbox, "--as-of", "2026-11-27", "--json", tmp_path / "s.json"])
    assert done.stdout == (tmp_path / "s.json").read_bytes()  # the same bytes as the file
    # a workbook on standard output: the statement's own lines go to standard error, the bytes stay clean
    done = _run(["statement", inbox, "--channel", "雪域物业", "--as-of", "2026-11-27", "-o", "-"])
    assert done.returncode == 0 and done.stdout[:2] == b"PK"
    assert "已写入：-" in done.stderr.decode("utf-8")
    (tmp_path / "st.xlsx").write_bytes(done.stdout)
    from openpyxl import load_workbook

    assert load_workbook(tmp_path / "st.xlsx").sheetnames
    # standard output redirected to a regular file (`> out.json`): written through into it
    with open(tmp_path / "redirected.json", "wb") as fh:
        done = _run(["summarize", inbox, "--as-of", "2026-11-27", "--json", "/dev/stdout"], stdout=fh)
    assert done.returncode == 0
    assert (tmp_path / "redirected.json").read_bytes() == (tmp_path / "s.json").read_bytes()


def test_two_outputs_on_standard_output_are_refused_before_anything_is_done(runner, inbox, tmp_path):
    result = invoke(runner, "summarize", inbox, "--json", "-", "--md", "/dev/stdout", "-o", tmp_path / "s.xlsx")
    assert result.exit_code == 2
    assert result.output == "错误：只能有一个输出写到标准输出（- 或 /dev/stdout）；其他输出请写到文件\n"
    assert not (tmp_path / "s.xlsx").exists()


# --------------------------------------------------------------------------- permissions


@pytest.mark.slow
def test_outputs_keep_the_users_umask(inbox, tmp_path):
    private = tmp_path / "private"
    done = _run(["summarize", inbox, "--as-of", "2026-11-27", "-o", private / "s.xlsx", "--json", private / "s.json",
                 "--html", private / "s.html"], umask=0o077)
    assert done.returncode == 0, done.stderr
    assert {p.name: stat.S_IMODE(p.stat().st_mode) for p in private.iterdir()} == {
        "s.xlsx": 0o600, "s.json": 0o600, "s.html": 0o600}
    done = _run(["rollup", "--inbox", inbox, "--out", tmp_path / "out", "--week", "2026-W45"], umask=0o077)
    assert done.returncode == 0, done.stderr
    week = list((tmp_path / "out" / "2026-W45").rglob("*"))
    assert len(week) > 10 and all(stat.S_IMODE(p.stat().st_mode) & 0o077 == 0 for p in week)
    shared = tmp_path / "shared"
    done = _run(["summarize", inbox, "--as-of", "2026-11-27", "--json", shared / "s.json"], umask=0o022)
    assert stat.S_IMODE((shared / "s.json").stat().st_mode) == 0o644
    os.chmod(shared / "s.json", 0o600)  # made private by hand: a re-run with --force keeps it private
    done = _run(["summarize", inbox, "--as-of", "2026-11-27", "--json", shared / "s.json", "--force"], umask=0o022)
    assert done.returncode == 0 and stat.S_IMODE((shared / "s.json").stat().st_mode) == 0o600


# --------------------------------------------------------------------------- inputs


def test_an_input_of_the_run_is_never_an_output(runner, tmp_path):
    inbox = tmp_path / "inbox"
    shutil.copytree(SAMPLES / "拉萨分所", inbox / "拉萨分所")
    register = inbox / "拉萨分所" / "西藏电力工会-2026W48.xlsx"
    before = sha(register)
    message = f"错误：输出文件 {register} 是本次读取的输入文件，不能覆盖；请换一个文件名\n"
    result = invoke(runner, "summarize", inbox, "-o", register, "--force")
    assert result.exit_code == 2 and result.output == message
    result = invoke(runner, "validate", register, "--format", "json", "-o", register, "--force")
    assert result.exit_code == 2 and result.output == message
    (tmp_path / "via").symlink_to(inbox / "拉萨分所", target_is_directory=True)  # the same file by another path
    result = invoke(runner, "statement", tmp_path / "via", "--channel", "西藏电力工会", "-o", register, "--force",
                    "--as-of", "2026-11-30")
    assert result.exit_code == 2 and result.output == message
    data = tmp_path / "data.xlsx"
    shutil.copy(register, data)
    result = invoke(runner, "fill", register, "--from", data, "-o", data, "--force")
    assert result.exit_code == 2 and result.output == f"错误：输出文件 {data} 是本次读取的输入文件，不能覆盖；请换一个文件名\n"
    assert sha(register) == before == sha(data)


# --------------------------------------------------------------------------- a full disk


@pytest.fixture
def small_disk(tmp_path):
    """A 128 KB tmpfs of our own (never the machine's /dev/full); skipped where mounting is not allowed."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=128k", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode(errors='replace').strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], capture_output=True)


@pytest.mark.slow
def test_a_full_disk_is_a_message_exit_2_and_nothing_left_behind(small_disk):
    big = SAMPLES  # its workbook (~100 KB) and its JSON (~90 KB) do not both fit
    run = qudao("summarize", big, "--as-of", "2026-11-27", "--json", small_disk / "s.json", "-o",
                small_disk / "s.xlsx")
    assert run.rc == 2 and "已写入" not in run.out + run.err
    assert run.err.endswith("：磁盘空间已满，没有留下不完整的文件\n"), run.err
    assert [p.name for p in small_disk.iterdir()] in ([], ["s.xlsx"])  # each output whole or absent
    for leftover in small_disk.iterdir():
        from openpyxl import load_workbook

        assert "明细" in load_workbook(leftover, read_only=True).sheetnames
        leftover.unlink()
    run = qudao("rollup", "--inbox", big, "--out", small_disk / "out", "--week", "2026-W48")
    assert run.rc == 2 and "\n写入 " not in run.err and "完成 " not in run.err
    assert run.err.endswith("2026-W48 原有的结果保持不变，没有写入不完整的文件\n"), run.err
    assert list((small_disk / "out").iterdir()) == []  # no build folder, no lock file


def test_a_full_disk_inside_a_writer_library_is_a_message_too(runner, inbox, tmp_path, monkeypatch):
    """xlsxwriter wraps the OSError in its own FileCreateError: still 「磁盘空间已满」, exit 2, nothing left."""
    import xlsxwriter.workbook

    def full(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(xlsxwriter.workbook, "ZipFile", full)
    out = tmp_path / "out"
    out.mkdir()
    result = invoke(runner, "summarize", inbox, "-o", out / "s.xlsx", "--as-of", "2026-11-27")
    assert result.exit_code == 2
    assert result.output == f"错误：无法写入 {out / 's.xlsx'}：磁盘空间已满，没有留下不完整的文件\n"
    assert list(out.iterdir()) == []
