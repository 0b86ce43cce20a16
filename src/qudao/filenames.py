"""File names built from text people typed: a 分所, a 渠道名称, a 协议编号 — one function, used everywhere.

:func:`stem` makes ``prefix + <the name> + tail`` a file name every common file system accepts, within
:data:`NAME_MAX` UTF-8 bytes with each extension that will follow. The name appears **verbatim** when it
already is a safe file name: no character Windows or POSIX refuses, no control or invisible format
character, no leading or trailing space or dot, no ``~``, in Unicode NFC and in its upper-case form
(``Abc`` is not, ``ABC`` and ``拉萨分所`` are), short enough. Otherwise it is **cleaned** (each refused
character → ``_``), cut by bytes, and followed by ``~`` and a short fingerprint of the *full* name.

Why this way (docs/decisions.md → Hostile inbox, round three):

- The same name always gives the same file name, whatever other names exist: a mailer keyed by file name
  never sends partner A's statement to partner B after a new channel appears.
- Two different names never give the same file name, also on a case-insensitive share (SMB, NTFS, macOS):
  a verbatim name is the only one of its case-insensitive class that can be verbatim, every changed name
  carries its own fingerprint, and a verbatim name never contains ``~``. Only two fingerprints agreeing
  (1 in 4·10⁹ per pair) could clash: :func:`fan_out` then keeps the first and reports the other.
- qudao's own labels (自然到访, （未填）) and reserved device names (CON, NUL, COM1 …) are names like any
  other: the label is written as it is, a device name gets a fingerprint.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Callable, Iterable, Sequence

NAME_MAX = 255  # bytes of one file name (ext4, xfs, btrfs, tmpfs; NTFS and SMB allow 255 UTF-16 units)
MARK = "~"  # between a changed name and its fingerprint; never in a verbatim name
FINGERPRINT = 8  # hex digits of sha256(name)

_REFUSED = re.compile(r'[\\/:*?"<>|~]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
             *(f"{d}{n}" for d in ("COM", "LPT") for n in (*"123456789", "¹", "²", "³"))}


# A file system refusing one name (too long for it, a character it cannot store): that file is left out and
# said, the others are written. Any other error (a full disk, no permission) stops the job as usual.
NAME_ERRORS = frozenset({errno.ENAMETOOLONG, errno.EILSEQ, errno.EINVAL})


def name_max(folder: str | os.PathLike) -> int:
    """The longest file name the file system of ``folder`` (or its nearest existing parent) takes, in bytes,
    at most :data:`NAME_MAX` (an encrypted home folder takes 143)."""
    path = os.path.abspath(folder)
    while not os.path.isdir(path) and os.path.dirname(path) != path:
        path = os.path.dirname(path)
    try:
        return max(64, min(NAME_MAX, os.pathconf(path, "PC_NAME_MAX")))
    except (OSError, ValueError, AttributeError):
        return NAME_MAX


class NameTooLong(ValueError):
    """Prefix, tail and extension leave no room for the name and its fingerprint."""


def fingerprint(name: str) -> str:
    return hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:FINGERPRINT]


def _safe_char(ch: str) -> str:
    if _REFUSED.match(ch):
        return "_"
    category = unicodedata.category(ch)
    if category in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"):  # controls, bidi and other invisible marks
        return "_"
    return ch


def clean(text: str) -> str:
    """``text`` with every character a file name must not hold replaced by ``_``, and no leading or
    trailing space or dot (hidden on POSIX, dropped by Windows). May be empty."""
    out = "".join(_safe_char(ch) for ch in text)
    return out.strip(" .\u3000")


def _reserved(name: str) -> bool:
    base = name.split(".", 1)[0].rstrip(" ").upper()
    return base in _RESERVED


def _fits(text: str, budget: int) -> bool:
    return len(text.encode("utf-8", "surrogatepass")) <= budget


def _cut(text: str, budget: int) -> str:
    """The longest prefix of ``text`` (whole characters) within ``budget`` UTF-8 bytes."""
    data = text.encode("utf-8", "surrogatepass")
    if len(data) <= budget:
        return text
    return data[:budget].decode("utf-8", "ignore")


def verbatim(name: str, budget: int = NAME_MAX) -> bool:
    """Whether ``name`` can stand in a file name as it is (see the module's rules)."""
    return (bool(name) and clean(name) == name and MARK not in name and not _reserved(name)
            and unicodedata.normalize("NFC", name) == name and name.lower().upper() == name
            and _fits(name, budget))


def stem(name: str, prefix: str = "", tail: str = "", exts: Iterable[str] = ("",), fallback: str = "未命名",
         limit: int = NAME_MAX) -> str:
    """``prefix + part + tail`` where ``part`` is ``name`` verbatim when it can be (:func:`verbatim`),
    else ``clean(name)`` cut by bytes + ``~`` + its fingerprint (``fallback`` when nothing is left), so that
    the stem plus any of ``exts`` is at most ``limit`` bytes. :class:`NameTooLong` when even the
    fingerprint does not fit."""
    room = limit - max(len(e.encode("utf-8")) for e in exts) - len((prefix + tail).encode("utf-8"))
    if verbatim(name, room) and not _reserved(prefix + name):
        return prefix + name + tail
    mark = MARK + fingerprint(name)
    room -= len(mark)
    if room < 3:
        raise NameTooLong(name)
    part = clean(_cut(clean(name), room)) or _cut(fallback, room)
    return prefix + part + mark + tail


@dataclass
class FanOut:
    """One file (or group of files) per item, at most ``cap`` of them: the items kept with their stems, in
    the order given (most important first), and the ones left out and why."""

    stems: dict[str, str] = field(default_factory=dict)
    over_cap: list[str] = field(default_factory=list)
    clashes: list[tuple[str, str]] = field(default_factory=list)  # (left out, the item that has its name)
    too_long: list[str] = field(default_factory=list)


def fan_out(items: Sequence[str], make: Callable[[str], str], cap: int | None = None) -> FanOut:
    """The file stem of each of ``items`` (``make``, usually a :func:`stem`), the first ``cap`` items only.
    Names are compared case-insensitively (a share may fold case): a clash — two fingerprints agreeing —
    leaves the later item out."""
    out = FanOut()
    taken: dict[str, str] = {}
    for item in items:
        if cap is not None and len(out.stems) >= cap:
            out.over_cap.append(item)
            continue
        try:
            name = make(item)
        except NameTooLong:
            out.too_long.append(item)
            continue
        key = unicodedata.normalize("NFC", name).casefold()
        if key in taken:
            out.clashes.append((item, taken[key]))
            continue
        taken[key] = item
        out.stems[item] = name
    return out
