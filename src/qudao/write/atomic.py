"""Outputs are written to a temporary file beside the target and renamed into place."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Iterable, Iterator

from qudao.errors import OutputError, os_error_cn
from qudao.safe import display


def check_target(target: Path, force: bool = False) -> None:
    if target.exists() and not force:
        raise OutputError(f"输出文件已存在：{target}（加 --force 覆盖）")
    if target.exists() and target.is_dir():
        raise OutputError(f"输出路径是一个文件夹：{target}")


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike, force: bool = False) -> Iterator[Path]:
    """Yield a temporary path in the target's folder; rename it onto the target on success."""
    target = Path(target)
    check_target(target, force)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{_short(target.name)}.", suffix=".part", dir=target.parent)
        os.close(fd)
    except OSError as exc:
        raise OutputError(f"无法写入 {target}：{os_error_cn(exc, path=False)}") from None
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.chmod(tmp_path, 0o644)
        os.replace(tmp_path, target)
    except OSError as exc:
        tmp_path.unlink(missing_ok=True)
        raise OutputError(f"无法写入 {target}：{os_error_cn(exc, path=False)}，没有留下不完整的文件") from None
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise


def _short(name: str) -> str:
    """The target's name in its temporary file's name, short enough for the 255-byte limit."""
    while len(name.encode("utf-8", "surrogateescape")) > 180:
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
