"""Outputs are written to a temporary file beside the target and renamed into place — only ever over a
regular file (docs/decisions.md → Hostile inbox, round three).

- A target that is a symbolic link (dangling or not), a device, a FIFO, a socket or a folder is refused
  (:class:`OutputError`, exit 2) with or without ``--force``: renaming a file over ``/dev/null`` as root
  replaces the machine's device. The check runs when a command checks its outputs and again right before
  the rename.
- ``-`` and ``/dev/stdout`` (``/dev/fd/1``, ``/proc/self/fd/1``) are written through to standard output
  (what a user means by them); from then on the command's own lines go to standard error, so the data
  arrives clean. One output at most goes there.
- A new file gets the user's umask (``0o666 & ~umask``); a file replaced with ``--force`` keeps its mode.
- An input of the same run is never an output (:func:`protect`; ``collect`` registers every input).
- Any failure — a full disk included, also when a writer library wraps the ``OSError`` — removes the
  temporary file and ends in :class:`OutputError` naming the file: never a partial file, never 「已写入」.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import sys
import tempfile
from pathlib import Path
from typing import IO, Iterable, Iterator

from qudao.errors import OutputError, os_error_cn
from qudao.safe import display

STDOUT_NAMES = frozenset({"-", "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"})

# What the current command run knows (reset by begin_run at the start of every command).
_RUN: dict = {"inputs": [], "real": None, "stdout": None, "stdout_writes": 0, "swapped": None}


def begin_run() -> None:
    """Forget the previous command's inputs and standard-output claim (the CLI calls this per command)."""
    end_run()
    _RUN.update(inputs=[], real=None, stdout=None, stdout_writes=0, swapped=None)


def end_run() -> None:
    """Give ``sys.stdout`` back if an output took it over."""
    swapped = _RUN.get("swapped")
    if swapped is not None and sys.stdout is sys.stderr:
        sys.stdout = swapped
    _RUN["swapped"] = None


def protect(paths: Iterable[str | os.PathLike], replace: bool = False) -> None:
    """These paths are inputs of the running command: no output may replace them. ``replace``: they are all
    of them (``collect`` says so, once a command: a library caller's earlier runs do not linger)."""
    if replace:
        _RUN["inputs"] = []
    _RUN["inputs"].extend(os.fspath(p) for p in paths)
    _RUN["real"] = None


def _is_input(target: Path) -> bool:
    if not _RUN["inputs"]:
        return False
    if _RUN["real"] is None:
        _RUN["real"] = {os.path.realpath(p) for p in _RUN["inputs"]}
    return os.path.realpath(target) in _RUN["real"]


def is_stdout(target: str | os.PathLike | None) -> bool:
    return target is not None and os.fspath(target) in STDOUT_NAMES


def _kind(target: Path) -> str | None:
    """None (nothing there), ``file``, ``dir``, ``link`` or ``special`` (device, FIFO, socket) — without
    following a link."""
    try:
        mode = os.lstat(target).st_mode
    except FileNotFoundError:
        return None
    except OSError:  # ENOTDIR, EACCES …: the write itself will say what is wrong
        return None
    if stat.S_ISLNK(mode):
        return "link"
    if stat.S_ISDIR(mode):
        return "dir"
    if stat.S_ISREG(mode):
        return "file"
    return "special"


def _refuse_unless_regular(target: Path, kind: str | None) -> None:
    if kind == "link":
        raise OutputError(f"输出路径是一个符号链接（快捷方式）：{target}；qudao 只写普通文件，"
                          "不替换链接，也不写到它指向的地方；请换一个文件名")
    if kind == "special":
        raise OutputError(f"输出路径不是普通文件（设备、管道或套接字）：{target}；qudao 只写普通文件，"
                          "请换一个文件名（写到屏幕用 -）")


def check_target(target: str | os.PathLike, force: bool = False) -> None:
    """Refuse an output path before any work is done: a link, device, FIFO or socket; a folder; an input of
    this run; an existing file without ``force``. ``-``/``/dev/stdout`` take over standard output."""
    if is_stdout(target):
        _claim_stdout()
        return
    target = Path(target)
    kind = _kind(target)
    _refuse_unless_regular(target, kind)
    if kind == "file" and _is_input(target):
        raise OutputError(f"输出文件 {target} 是本次读取的输入文件，不能覆盖；请换一个文件名")
    if kind is not None and not force:
        raise OutputError(f"输出文件已存在：{target}（加 --force 覆盖）")
    if kind == "dir":
        raise OutputError(f"输出路径是一个文件夹：{target}")


def _claim_stdout() -> None:
    """Standard output carries this output: keep its binary stream, and send everything else the command
    prints (``typer.echo``, rich consoles) to standard error from now on."""
    if _RUN["stdout"] is not None:
        return
    stream = sys.stdout
    _RUN["stdout"] = getattr(stream, "buffer", stream)
    if sys.stdout is not sys.stderr:
        _RUN["swapped"] = stream
        sys.stdout = sys.stderr


def _umask() -> int:
    """The process's umask, read without changing it where Linux says it (/proc), else set and restored."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _os_error_in(exc: BaseException) -> OSError | None:
    """The OSError behind ``exc``: itself, or what a writer library wrapped (xlsxwriter's FileCreateError
    carries it as its argument and its context)."""
    seen = 0
    while exc is not None and seen < 5:
        if isinstance(exc, OSError):
            return exc
        inner = exc.args[0] if exc.args and isinstance(exc.args[0], OSError) else None
        exc = inner or exc.__cause__ or exc.__context__
        seen += 1
    return None


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike, force: bool = False) -> Iterator[Path]:
    """Yield a temporary path in the target's folder; rename it onto the target on success."""
    if is_stdout(target):
        with _through_stdout(force) as tmp:
            yield tmp
        return
    target = Path(target)
    check_target(target, force)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{_short(target.name)}.", suffix=".part", dir=target.parent)
        os.close(fd)
    except OSError as exc:
        error = OutputError(f"无法写入 {target}：{os_error_cn(exc, path=False)}")
        error.errno = exc.errno
        raise error from None
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        kind = _kind(target)  # again: something may have appeared there while the output was made
        check_target(target, force=True)
        mode = os.lstat(target).st_mode & 0o777 if kind == "file" else 0o666 & ~_umask()
        os.chmod(tmp_path, mode)
        os.replace(tmp_path, target)
    except BaseException as exc:
        tmp_path.unlink(missing_ok=True)
        cause = _os_error_in(exc) if not isinstance(exc, (KeyboardInterrupt, SystemExit)) else None
        if cause is not None:
            error = OutputError(f"无法写入 {target}：{os_error_cn(cause, path=False)}，没有留下不完整的文件")
            error.errno = cause.errno
            raise error from None
        raise


@contextlib.contextmanager
def _through_stdout(force: bool) -> Iterator[Path]:
    """The output is made in a private temporary file and copied to standard output when complete."""
    check_target("-", force)
    if _RUN["stdout_writes"]:
        raise OutputError("只能有一个输出写到标准输出（- 或 /dev/stdout）；其他输出请写到文件")
    _RUN["stdout_writes"] += 1
    fd, tmp = tempfile.mkstemp(prefix=".qudao-", suffix=".part")
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        out: IO[bytes] = _RUN["stdout"]
        with open(tmp_path, "rb") as fh:
            shutil.copyfileobj(fh, out, 1 << 20)
        out.flush()
    except BrokenPipeError:
        raise
    except BaseException as exc:
        cause = _os_error_in(exc) if not isinstance(exc, (KeyboardInterrupt, SystemExit)) else None
        if cause is not None and not isinstance(cause, BrokenPipeError):
            raise OutputError(f"无法写到标准输出：{os_error_cn(cause, path=False)}") from None
        raise
    finally:
        tmp_path.unlink(missing_ok=True)


def _short(name: str) -> str:
    """The target's name in its temporary file's name, short enough for any file system's limit (143 bytes
    on an encrypted home folder) with the random part and ``.part``."""
    while len(name.encode("utf-8", "surrogateescape")) > 100:
        name = name[:-1]
    return name


def write_bytes(target: str | os.PathLike, data: bytes, force: bool = False) -> Path:
    with atomic_path(target, force) as tmp:
        tmp.write_bytes(data)
    return Path(target)


def write_chunks(target: str | os.PathLike, chunks: Iterable[str], force: bool = False) -> Path:
    """Text written piece by piece (UTF-8; lone surrogates as in :func:`write_text`), never whole in memory."""
    with atomic_path(target, force) as tmp:
        with open(tmp, "wb") as fh:
            batch: list[str] = []
            size = 0
            for chunk in chunks:
                batch.append(chunk)
                size += len(chunk)
                if size >= 1 << 20:
                    fh.write(display("".join(batch)).encode("utf-8"))
                    batch.clear()
                    size = 0
            fh.write(display("".join(batch)).encode("utf-8"))
    return Path(target)


def write_text(target: str | os.PathLike, text: str, force: bool = False) -> Path:
    """UTF-8; a lone surrogate that slipped through (a file name) is shown lossily, never a failure."""
    return write_bytes(target, display(text).encode("utf-8"), force)
