"""The one family of exceptions the library raises.

The CLI turns every :class:`QudaoError` into a Chinese message and an exit
code in one place (``qudao.cli``); nothing below the command layer prints.
"""

from __future__ import annotations


class QudaoError(Exception):
    """A problem the user can act on. ``exit_code`` follows cli.md."""

    exit_code = 2
    code = "error"

    def __init__(self, message: str, *, code: str | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code


class UsageError(QudaoError):
    """Bad options, unknown kind, a path that does not exist (exit 2)."""

    code = "usage"


class OutputError(QudaoError):
    """An output cannot be written (exists without --force, no permission)."""

    code = "output"
    errno: int | None = None  # the operating system's error behind it, when there is one


class ConfigError(QudaoError):
    """qudao.toml is invalid; the message names the key."""

    code = "config"


class LockedError(QudaoError):
    """Another rollup holds the lock on the output folder."""

    code = "locked"


class Unreadable(QudaoError):
    """An input cannot be read at all; becomes a ``file.unreadable`` finding."""

    code = "file.unreadable"

    def __init__(self, message: str, *, sheet: str = ""):
        super().__init__(message)
        self.sheet = sheet


_OS_ERRORS = {
    "ENOSPC": "磁盘空间已满",
    "EDQUOT": "超出磁盘配额",
    "EROFS": "文件系统是只读的",
    "EACCES": "没有权限",
    "EPERM": "不允许的操作",
    "ENOENT": "文件或文件夹不存在",
    "ENOTDIR": "路径中有一段不是文件夹",
    "EISDIR": "这是一个文件夹",
    "EEXIST": "已存在",
    "ENAMETOOLONG": "文件名太长",
    "ELOOP": "快捷方式（符号链接）循环",
    "EMFILE": "打开的文件太多",
    "EIO": "磁盘读写错误",
    "EBUSY": "文件正被占用",
    "ETXTBSY": "文件正被占用",
    "EXDEV": "不能跨磁盘移动",
    "ENOTEMPTY": "文件夹不是空的",
}


def os_error_cn(exc: OSError, path: bool = True) -> str:
    """An operating-system error in Chinese (「磁盘空间已满」), with the path when it has one (and ``path``)."""
    import errno

    name = errno.errorcode.get(exc.errno or 0, "")
    text = _OS_ERRORS.get(name) or (exc.strerror or type(exc).__name__)
    where = exc.filename if path and isinstance(exc.filename, str) else None
    return f"{text}：{where}" if where else text
