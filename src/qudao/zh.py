"""Chinese help and usage errors for a typer 0.27 app (typer vendors its own Click).

Use :class:`ZhTyper` instead of ``typer.Typer`` for the app *and* every sub-app::

    from qudao.zh import ZhTyper
    app = ZhTyper(name="qudao", help="…", …)          # same arguments as typer.Typer

It defaults ``cls=`` to :class:`ZhGroup` for groups and :class:`ZhCommand` for
``@app.command``; those two classes do the work through typer/Click's own hooks:

* ``context_class`` → :class:`ZhContext`, whose ``formatter_class`` is
  :class:`ZhHelpFormatter`: ``用法：`` instead of ``Usage:``, ``选项：`` headings,
  and widths measured in terminal columns (a Chinese character is two), so the
  option table stays aligned and Chinese help wraps at the real terminal width.
* ``get_params`` gives each parameter a Chinese metavar: the one it declares with
  ``typer.Option(metavar="日期")`` / ``typer.Argument(metavar="文件")`` or one
  derived from its type (``整数``, ``数字``, ``文本``, ``路径``, ``文件``,
  ``文件夹``…); list arguments get ``…``. The type is wrapped in
  :class:`ZhType`, a Click ``ParamType`` whose ``get_metavar`` returns the label.
  The help option says ``显示帮助并退出``.
* ``collect_usage_pieces`` / ``format_commands`` / ``format_help_text``: the
  usage line (``[选项] 文件…``, ``命令 [参数]…``), the command list and
  deprecation notes.
* ``parse_args`` / ``invoke`` / ``resolve_command``: every Click error
  (``ClickException``) is turned into :class:`ZhUsageError` /
  :class:`ZhClickException` with a Chinese message, Chinese ``show()`` and the
  same exit code (2 for usage errors); unknown commands get 你是不是想用 … from
  ``difflib``.

Two small patches remain, because the strings live in module globals that no hook reaches:

* ``typer.core._`` — typer calls ``from gettext import gettext as _`` and uses it
  at call time for ten strings ("Arguments", "default: {default}", "required",
  "Aborted!", …). We replace that module's ``_`` with a lookup in
  :data:`TYPER_CORE_TEXT` (done when this module is imported).
* ``typer.rich_utils`` constants (panel titles, ``[default: …]``, ``Try … for
  help``): evaluated once at import time, so they are set by
  :func:`localize_rich` — only when rich help or a rich error is about to be
  shown, so piped help never imports rich.

tests/test_zh.py checks both patches against the installed typer and fails if
typer adds, renames or moves any of these strings.

(The vendored Click in typer 0.27 has no gettext at all — its messages are plain
f-strings — and a gettext catalog for typer's ``_`` would depend on LANG/LANGUAGE
and be process-wide for every gettext user, argparse included; see README.md.)
"""

from __future__ import annotations

import inspect
import re
from difflib import get_close_matches
from enum import Enum
from typing import Any, Sequence

import typer
import typer.core
from typer._click import types as _types
from typer._click._compat import get_text_stderr
from typer._click.core import Context
from typer._click.exceptions import (
    BadArgumentUsage,
    BadOptionUsage,
    BadParameter,
    ClickException,
    FileError,
    MissingParameter,
    NoArgsIsHelpError,
    NoSuchOption,
    UsageError,
)
from typer._click.formatting import HelpFormatter
from typer._click.termui import style
from typer._click.utils import echo
from typer._types import TyperChoice
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

from qudao.text import char_width, display_width

__all__ = [
    "ZhTyper", "ZhGroup", "ZhCommand", "ZhContext", "ZhHelpFormatter", "ZhType",
    "ZhUsageError", "ZhClickException", "TYPE_LABELS", "localize_rich", "untranslated_commands",
    "text_width",
]

# --------------------------------------------------------------------------- words

USAGE_PREFIX = "用法："
OPTIONS_METAVAR = "[选项]"
SUBCOMMAND_METAVAR = "命令 [参数]…"
ELLIPSIS = "…"

#: Default metavar per Click type ``name`` (a parameter's own ``metavar=`` wins).
TYPE_LABELS: dict[str, str] = {
    "str": "文本",
    "int": "整数",
    "int range": "整数",
    "float": "数字",
    "float range": "数字",
    "boolean": "是/否",
    "path": "路径",
    "file": "文件",
    "directory": "文件夹",
    "filename": "文件",
    "datetime": "日期时间",
    "uuid": "UUID",
}
OTHER_LABEL = "值"

#: typer.core's gettext message ids (``_("…")`` in typer/core.py) → Chinese.
TYPER_CORE_TEXT: dict[str, str] = {
    "(dynamic)": "（动态）",
    "Aborted!": "已中止",
    "default: {default}": "默认：{default}",
    "required": "必填",
    "env var: {var}": "环境变量：{var}",
    "Arguments": "参数",
    "Options": "选项",
    "Commands": "命令",
    "Missing command.": "缺少命令",
    "No such command {name!r}.": "没有这个命令：{name}",
}

#: typer.rich_utils module constants → Chinese (set by :func:`localize_rich`).
RICH_TEXT: dict[str, str] = {
    "DEPRECATED_STRING": "（已弃用） ",
    "DEFAULT_STRING": "[默认：{}]",
    "ENVVAR_STRING": "[环境变量：{}]",
    "REQUIRED_LONG_STRING": "[必填]",
    "ARGUMENTS_PANEL_TITLE": "参数",
    "OPTIONS_PANEL_TITLE": "选项",
    "COMMANDS_PANEL_TITLE": "命令",
    "ERRORS_PANEL_TITLE": "错误",
    "ABORTED_TEXT": "已中止",
    "RICH_HELP": "运行 [blue]{command_path} {help_option}[/] 查看帮助。",
}

#: Help texts of the options typer/Click add by themselves.
PARAM_HELP: dict[str, str] = {
    "Show this message and exit.": "显示帮助并退出",
    "Install completion for the current shell.": "为当前 shell 安装自动补全",
    "Show completion for the current shell, to copy it or customize the installation.":
        "显示当前 shell 的自动补全脚本（可复制或自行安装）",
    "Install completion for the specified shell.": "为指定的 shell 安装自动补全",
    "Show completion for the specified shell, to copy it or customize the installation.":
        "显示指定 shell 的自动补全脚本（可复制或自行安装）",
}

_OS_ERRORS = {
    "No such file or directory": "文件不存在",
    "Permission denied": "没有权限",
    "Is a directory": "这是一个文件夹",
    "Not a directory": "不是文件夹",
    "File exists": "文件已存在",
    "Read-only file system": "文件系统只读",
    "No space left on device": "磁盘空间不足",
}


def _zh_gettext(message: str) -> str:
    """Stands in for ``gettext.gettext`` inside typer.core (see module docstring)."""
    return TYPER_CORE_TEXT.get(message, message)


typer.core._ = _zh_gettext  # PATCH 1 of 2 — verified by test_typer_core_gettext_catalog

_rich_localized = False


def localize_rich() -> None:
    """PATCH 2 of 2: Chinese constants in typer.rich_utils. Imports rich — call only when rich output follows."""
    global _rich_localized
    if _rich_localized:
        return
    from typer import rich_utils

    for name, text in RICH_TEXT.items():
        if hasattr(rich_utils, name):  # a renamed constant shows English; test_rich_utils_constants catches it
            setattr(rich_utils, name, text)
    # "Usage: " is highlighted (yellow) by a regex; highlight our prefix the same way.
    rich_utils.highlighter.highlights = [*type(rich_utils.highlighter).highlights,
                                         rf"(?P<usage>{USAGE_PREFIX})"]
    # Help texts fold onto the next line instead of being cut with 「…」: rich wraps at spaces, and a Chinese
    # sentence has none, so at 80 columns its cells were cropped (issue 25). A Text's own overflow wins over
    # the table column's "ellipsis".
    make_text = rich_utils._make_rich_text
    if not getattr(make_text, "_qudao_fold", False):
        from rich.text import Text

        class CJKText(Text):
            """A rich Text that wraps as :func:`wrap` does: between Chinese characters (禁则 kept), at spaces,
            never inside an ASCII word; a piece wider than the line is folded, never cut with 「…」."""

            __slots__ = ()

            def wrap(self, console, width, *, justify=None, overflow=None, tab_size=8, no_wrap=None):
                from rich.containers import Lines

                if no_wrap or self.no_wrap:
                    return super().wrap(console, width, justify=justify, overflow=overflow, tab_size=tab_size,
                                        no_wrap=no_wrap)
                lines = Lines()
                for line in self.split(allow_blank=True):
                    pieces = line.divide(rich_breaks(line.plain, width))
                    for piece in pieces:
                        piece.rstrip_end(width)
                    lines.extend(pieces)
                return lines

        def folding(*args, **kwargs):
            out = make_text(*args, **kwargs)
            if type(out) is Text:
                out.__class__ = CJKText
            return out

        folding._qudao_fold = True  # type: ignore[attr-defined]
        rich_utils._make_rich_text = folding
    _rich_localized = True


def _rich_active(ctx: Context | None) -> bool:
    if ctx is None or not typer.core.HAS_RICH:
        return False
    return getattr(ctx.find_root().command, "rich_markup_mode", None) is not None


# --------------------------------------------------------------------------- widths and wrapping

_NO_LINE_START = set("，。、；：？！）」』】》〉”’…％,.;:!?)]}%")
_NO_LINE_END = set("（「『【《〈“‘([{")




def _units(text: str, cjk_breaks: bool) -> list[list[Any]]:
    """Unbreakable pieces of ``text`` as [piece, spaces_before].

    CJK characters are pieces of their own (a line may break between them), except
    inside ASCII brackets — ``<周次>``, ``[默认：last]`` stay whole.
    """
    units: list[list[Any]] = []
    word, spaces, depth = "", 0, 0
    for ch in text:
        if ch.isspace() and not depth:
            if word:
                units.append([word, spaces])
                word, spaces = "", 0
            spaces += 1
        elif cjk_breaks and not depth and char_width(ch) == 2:
            if word:
                units.append([word, spaces])
                word, spaces = "", 0
            units.append([ch, spaces])
            spaces = 0
        else:
            if ch in "<[":
                depth += 1
            elif ch in ">]" and depth:
                depth -= 1
            word += ch
    if word:
        units.append([word, spaces])
    # 禁则: closing punctuation never starts a line, opening punctuation never ends one.
    glued: list[list[Any]] = []
    for piece, spaces_before in units:
        if glued and not spaces_before and (piece[0] in _NO_LINE_START or glued[-1][0][-1] in _NO_LINE_END):
            glued[-1][0] += piece
        else:
            glued.append([piece, spaces_before])
    return glued


def _hard_split(piece: str, width: int) -> list[str]:
    out, cur, cur_w = [], "", 0
    for ch in piece:
        w = char_width(ch)
        if cur and cur_w + w > width:
            out.append(cur)
            cur, cur_w = "", 0
        cur += ch
        cur_w += w
    out.append(cur)
    return out


def wrap(text: str, width: int, cjk_breaks: bool = True) -> list[str]:
    """Greedy wrap by terminal columns; breaks at spaces and (if ``cjk_breaks``) between CJK characters."""
    width = max(width, 4)
    lines: list[str] = []
    cur, cur_w = "", 0
    for piece, spaces_before in _units(text, cjk_breaks):
        w = display_width(piece)
        sep = " " * spaces_before if cur else ""
        if cur and cur_w + len(sep) + w > width:
            lines.append(cur)
            cur, cur_w, sep = "", 0, ""
        if not cur and w > width:
            *full, piece = _hard_split(piece, width)
            lines.extend(full)
            w = display_width(piece)
        cur += sep + piece
        cur_w += len(sep) + w
    if cur:
        lines.append(cur)
    return lines


def rich_breaks(text: str, width: int) -> list[int]:
    """The character offsets at which rich should break ``text`` to wrap it as :func:`wrap` does."""
    width = max(width, 4)
    breaks: list[int] = []
    pos, cur_w = 0, 0
    for piece, spaces in _units(text, True):
        start = pos + spaces
        w = display_width(piece)
        if cur_w and cur_w + spaces + w > width:
            breaks.append(start)
            cur_w = 0
        else:
            cur_w += spaces if cur_w else 0
        if w > width:  # wider than a line on its own: folded at the width
            offset = start
            *full, rest = _hard_split(piece, width)
            for chunk in full:
                offset += len(chunk)
                breaks.append(offset)
            w = display_width(rest)
        cur_w += w
        pos = start + len(piece)
    return [b for b in breaks if 0 < b < len(text)]


def _is_cjk_punct(ch: str) -> bool:
    return "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef"


def _join_lines(lines: Sequence[str]) -> str:
    """Join the lines of one paragraph: tight between Chinese characters or at full-width punctuation, else a space."""
    out = ""
    for line in lines:
        line = line.strip()
        if not line:
            continue
        if out:
            a, b = out[-1], line[0]
            tight = (char_width(a) == 2 and char_width(b) == 2) or _is_cjk_punct(a) or _is_cjk_punct(b)
            out += "" if tight else " "
        out += line
    return out


def wrap_paragraphs(text: str, width: int) -> list[str]:
    """Click's ``wrap_text(preserve_paragraphs=True)``, measured in columns; ``\\b`` paragraphs stay as written."""
    out: list[str] = []
    for block in re.split(r"\n[ \t]*\n", text.expandtabs()):
        raw = block.splitlines()
        if not any(line.strip() for line in raw):
            continue
        if out:
            out.append("")
        if raw[0].strip() == "\b":
            out.extend(line.rstrip() for line in raw[1:])
            continue
        first = next(line for line in raw if line.strip())
        indent = " " * (len(first) - len(first.lstrip()))
        out.extend(indent + line for line in wrap(_join_lines(raw), width - len(indent)))
    return out


class ZhHelpFormatter(HelpFormatter):
    """Click's help formatter with Chinese words and column-correct widths."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        if prefix is None:
            prefix = USAGE_PREFIX
        head = f"{'':>{self.current_indent}}{prefix}{prog} "
        avail = self.width - self.current_indent
        head_w = display_width(head)
        if avail >= head_w + 20:
            lines = wrap(args, self.width - head_w, cjk_breaks=False) or [""]
            self.write(head + lines[0] + "\n")
            for line in lines[1:]:
                self.write(" " * head_w + line + "\n")
        else:
            self.write(head.rstrip() + "\n")
            indent = " " * (max(self.current_indent, display_width(prefix)) + 4)
            for line in wrap(args, avail - len(indent), cjk_breaks=False):
                self.write(indent + line + "\n")

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{heading}：\n")

    def write_text(self, text: str) -> None:
        indent = " " * self.current_indent
        for line in wrap_paragraphs(text, self.width - self.current_indent):
            self.write(f"{indent}{line}".rstrip() + "\n")

    def write_dl(self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        rows = [(first, second) for first, second, *_ in (tuple(r) + ("",) for r in rows)]
        if not rows:
            return
        first_col = min(max(display_width(first) for first, _ in rows), col_max) + col_spacing
        pad = " " * self.current_indent
        text_w = max(self.width - first_col - 2, 10)
        for first, second in rows:
            self.write(f"{pad}{first}")
            if not second:
                self.write("\n")
                continue
            first_w = display_width(first)
            if first_w <= first_col - col_spacing:
                self.write(" " * (first_col - first_w))
            else:
                self.write("\n" + " " * (first_col + self.current_indent))
            lines = wrap_paragraphs(second, text_w) or [""]
            self.write(lines[0] + "\n")
            for line in lines[1:]:
                self.write((" " * (first_col + self.current_indent) + line).rstrip() + "\n")


class ZhContext(Context):
    formatter_class = ZhHelpFormatter


# --------------------------------------------------------------------------- types and metavars


def _range_text(t: Any) -> str:
    lo, hi = getattr(t, "min", None), getattr(t, "max", None)
    if lo is None and hi is None:
        return ""
    if lo is not None and hi is not None and not t.min_open and not t.max_open:
        return f"{lo}–{hi}"
    parts = []
    if lo is not None:
        parts.append(f"{'>' if t.min_open else '≥'}{lo}")
    if hi is not None:
        parts.append(f"{'<' if t.max_open else '≤'}{hi}")
    return "，".join(parts)


def _choice_values(t: TyperChoice) -> list[str]:
    return [str(c.value) if isinstance(c, Enum) else str(c) for c in t.choices]


def type_label(t: Any) -> str:
    """The Chinese placeholder for a Click type: 整数, 路径, text|json …"""
    t = t.inner if isinstance(t, ZhType) else t
    if isinstance(t, TyperChoice):
        return "|".join(_choice_values(t))
    if isinstance(t, _types.Tuple):
        return " ".join(type_label(x) for x in t.types)
    label = TYPE_LABELS.get(getattr(t, "name", ""), OTHER_LABEL)
    if isinstance(t, _types._NumberRangeBase):
        rng = _range_text(t)
        if rng:
            label = f"{label}（{rng}）"
    return label


class ZhType(_types.ParamType):
    """Wraps a parameter's Click type: Chinese metavar; conversion and everything else delegated.

    ``get_metavar`` is Click's hook for a type's placeholder. For arguments it returns
    "" because their name column already shows the metavar (rich help would
    otherwise add ``<path>``).
    """

    def __init__(self, inner: _types.ParamType, label: str) -> None:
        self.inner = inner
        self.label = label
        self.name = label
        self.is_composite = inner.is_composite  # type: ignore[misc]
        if inner.is_composite:
            self.arity = inner.arity  # type: ignore[misc]
        self.envvar_list_splitter = inner.envvar_list_splitter  # type: ignore[misc]

    def __getattr__(self, name: str) -> Any:  # .choices, .min, .max, … of the wrapped type
        if name == "inner":
            raise AttributeError(name)
        return getattr(self.inner, name)

    def get_metavar(self, param: Any, ctx: Any) -> str | None:
        return "" if param.param_type_name == "argument" else self.label

    def get_missing_message(self, param: Any, ctx: Any) -> str | None:
        return self.inner.get_missing_message(param, ctx)

    def convert(self, value: Any, param: Any, ctx: Any) -> Any:
        return self.inner.convert(value, param, ctx)

    def split_envvar_value(self, rv: str) -> Sequence[str]:
        return self.inner.split_envvar_value(rv)

    def shell_complete(self, ctx: Any, param: Any, incomplete: str) -> list[Any]:
        return self.inner.shell_complete(ctx, param, incomplete)

    def __repr__(self) -> str:
        return f"ZhType({self.inner!r}, {self.label!r})"


def _localize_param(param: Any) -> None:
    if getattr(param, "_zh_done", False):
        return
    param._zh_done = True
    if getattr(param, "help", None) in PARAM_HELP:
        param.help = PARAM_HELP[param.help]
    if isinstance(param, TyperOption) and (param.is_flag or param.count):
        return
    if not isinstance(param, (TyperOption, TyperArgument)):
        return
    label = type_label(param.type)
    if getattr(param, "prompt", None) is None:  # prompts look at the real type (choices)
        param.type = ZhType(param.type, label)
    if isinstance(param, TyperArgument):
        metavar = (param.metavar or label).replace("...", ELLIPSIS)
        if param.nargs != 1 and not metavar.endswith(ELLIPSIS):
            metavar += ELLIPSIS
        param.metavar = metavar
    elif param.metavar:
        param.metavar = param.metavar.replace("...", ELLIPSIS)


# --------------------------------------------------------------------------- errors


class ZhUsageError(UsageError):
    """A usage error already in Chinese. ``show()`` is the plain (piped) rendering."""

    def __init__(self, message: str, ctx: Context | None = None, exit_code: int = 2) -> None:
        super().__init__(message, ctx)
        self.exit_code = exit_code

    def format_message(self) -> str:
        return self.message

    def show(self, file: Any = None) -> None:
        if file is None:
            file = get_text_stderr()
        color = None
        if self.ctx is not None:
            color = self.ctx.color
            hint = ""
            if self.ctx.command.get_help_option(self.ctx) is not None:
                hint = f"运行 {self.ctx.command_path} {self.ctx.help_option_names[0]} 查看帮助。\n"
            echo(f"{self.ctx.get_usage()}\n{hint}", file=file, color=color)
        echo(f"错误：{self.format_message()}", file=file, color=color)


class ZhClickException(ClickException):
    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code

    def format_message(self) -> str:
        return self.message

    def show(self, file: Any = None) -> None:
        echo(f"错误：{self.format_message()}", file=file or get_text_stderr(), color=self.show_color)


def _inner_type(param: Any) -> Any:
    t = getattr(param, "type", None)
    return t.inner if isinstance(t, ZhType) else t


def _param_name(param: Any) -> str:
    if param.param_type_name == "argument":
        return param.human_readable_name
    return " / ".join(param.opts)


def _param_hint(param: Any, param_hint: Any) -> str | None:
    if param_hint is not None:
        if isinstance(param_hint, str):
            return param_hint
        return " / ".join(param_hint)
    if param is None:
        return None
    if param.param_type_name == "argument":
        return f"参数 {param.human_readable_name}"
    return _param_name(param)


def _listing(items: Sequence[str]) -> str:
    return "、".join(items)


def _unquote(text: str) -> str:
    return text[1:-1] if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"" else text


def _value_message(message: str, param: Any) -> str:
    """A Click type's English conversion message → Chinese; anything else (already Chinese, custom) unchanged."""
    t = _inner_type(param)
    m = re.fullmatch(r"(?s)(.+) is not a valid (int|float|int range|float range|integer)\.", message)
    if m:
        return f"{m[1]} 不是{'数字' if 'float' in m[2] else '整数'}"
    m = re.fullmatch(r"(?s)(.+) is not in the range (.+)\.", message)
    if m:
        return f"{m[1]} 超出范围（{_range_text(t) if t is not None and _range_text(t) else m[2]}）"
    m = re.fullmatch(r"(?s)(.+) is not a valid boolean\. Recognized values: .*", message)
    if m:
        return f"{m[1]} 不是有效的是/否值（可用 true/false、yes/no、on/off、1/0）"
    m = re.fullmatch(r"(?s)(.+) is not a valid UUID\.", message)
    if m:
        return f"{m[1]} 不是有效的 UUID"
    m = re.fullmatch(r"(?s)(.+) does not match the formats (.+)\.", message)
    if m:
        return f"{m[1]} 不符合日期格式（{_listing([_unquote(f) for f in m[2].split(', ')])}）"
    m = re.fullmatch(r"(?s)(.+) is not one of (.+)\.", message)
    if m:
        choices = _choice_values(t) if isinstance(t, TyperChoice) else [_unquote(c) for c in m[2].split(", ")]
        return f"{m[1]} 不是可选的值（可选：{_listing(choices)}）"
    m = re.fullmatch(r"(?s)(File|Directory|Path) (.+) does not exist\.", message)
    if m:
        return f"{TYPE_LABELS[m[1].lower()]} {m[2]} 不存在"
    m = re.fullmatch(r"(?s)(?:File|Directory|Path) (.+) is (a file|a directory|not readable|not writable)\.",
                     message)
    if m:
        return m[1] + {"a file": " 是文件，这里要的是文件夹", "a directory": " 是文件夹，这里要的是文件",
                       "not readable": " 没有读取权限", "not writable": " 没有写入权限"}[m[2]]
    m = re.fullmatch(r"(\d+) values are required, but (\d+) given\.", message)
    if m:
        return f"需要 {m[1]} 个值，给了 {m[2]} 个"
    m = re.fullmatch(r"Takes (\d+) values but (\d+) given\.", message)
    if m:
        return f"需要 {m[1]} 个值，给了 {m[2]} 个"
    if message == "Value must be an iterable.":
        return "应为多个值"
    if isinstance(t, _types.File):
        m = re.fullmatch(r"(?s)('.*'): (.+)", message)
        if m:
            return f"无法打开 {m[1]}：{_OS_ERRORS.get(m[2], m[2])}"
    return message


def _usage_message(e: UsageError) -> str:
    if isinstance(e, MissingParameter):
        param = e.param
        kind = e.param_type or (param.param_type_name if param is not None else "parameter")
        name = _param_hint(None, e.param_hint) if e.param_hint is not None else (
            _param_name(param) if param is not None else "")
        word = {"argument": "参数", "option": "选项"}.get(kind, "参数")
        msg = f"缺少{word}：{name}" if name else f"缺少{word}"
        extra = e.message or ""
        t = _inner_type(param)
        if isinstance(t, TyperChoice):
            extra = f"{extra}；" if extra else ""
            extra += f"可选：{_listing(_choice_values(t))}"
        return f"{msg}（{extra}）" if extra else msg
    if isinstance(e, BadParameter):
        hint = _param_hint(e.param, e.param_hint)
        value = _value_message(e.message, e.param)
        return f"{hint} 的值无效：{value}" if hint else f"值无效：{value}"
    if isinstance(e, NoSuchOption):
        name = e.option_name
        if e.message not in (f"No such option: {name}", f"No such option: {name!r}"):
            return e.message
        msg = f"没有这个选项：{name}"
        if e.possibilities:
            msg += f"（你是不是想用 {_listing(sorted(e.possibilities))}？）"
        return msg
    if isinstance(e, BadOptionUsage):
        opt = e.option_name
        m = re.fullmatch(r"Option .+ requires (an argument|(\d+) arguments)\.", e.message)
        if m:
            return f"选项 {opt} 需要{'一' if m[2] is None else ' ' + m[2] + ' '}个值"
        if re.fullmatch(r"Option .+ does not take a value\.", e.message):
            return f"选项 {opt} 不接受值"
        return e.message
    if isinstance(e, BadArgumentUsage):
        m = re.fullmatch(r"Argument '?(.+?)'? takes (\d+) values\.", e.message)
        if m:
            return f"参数 {m[1]} 需要 {m[2]} 个值"
        return e.message
    m = re.fullmatch(r"(?s)Got unexpected extra arguments? ?(?:\(s\))? ?\((.*)\)", e.message)
    if m:
        return f"多余的参数：{m[1]}"
    if e.message == "Missing command.":
        return TYPER_CORE_TEXT["Missing command."]
    return e.message


def zh_error(e: ClickException, ctx: Context | None = None) -> ClickException:
    """The Chinese version of a Click error (same exit code); Chinese errors and no-args help pass through."""
    if isinstance(e, (ZhUsageError, ZhClickException, NoArgsIsHelpError)):
        return e
    if isinstance(e, UsageError):
        err_ctx = e.ctx or ctx
        out: ClickException = ZhUsageError(_usage_message(e), err_ctx, e.exit_code)
    elif isinstance(e, FileError):
        out = ZhClickException(f"无法打开文件 {e.ui_filename!r}：{_OS_ERRORS.get(e.message, e.message)}", e.exit_code)
    else:
        out = ZhClickException(e.format_message(), e.exit_code)
    if _rich_active(ctx):
        localize_rich()
    return out


def _suggest(word: str, names: Sequence[str]) -> list[str]:
    found = [n for n in names if word and n.startswith(word)]
    found += get_close_matches(word, names, n=3, cutoff=0.6)
    return list(dict.fromkeys(found))[:3]


# --------------------------------------------------------------------------- command classes


class _ZhMixin:
    """Shared by ZhCommand and ZhGroup (before the typer class in the MRO)."""

    context_class = ZhContext

    def get_params(self, ctx: Context) -> list[Any]:
        params = super().get_params(ctx)  # type: ignore[misc]
        for param in params:
            _localize_param(param)
        return params

    def collect_usage_pieces(self, ctx: Context) -> list[str]:
        rv = [self.options_metavar] if self.options_metavar else []  # type: ignore[attr-defined]
        for param in self.get_params(ctx):
            if isinstance(param, TyperArgument) and param.metavar:
                rv.append(param.metavar if param.required else f"[{param.metavar}]")
            else:
                rv.extend(param.get_usage_pieces(ctx))
        if isinstance(self, TyperGroup):
            rv.append(self.subcommand_metavar)
        return rv

    def format_help_text(self, ctx: Context, formatter: HelpFormatter) -> None:
        text = inspect.cleandoc(self.help).partition("\f")[0] if self.help else ""  # type: ignore[attr-defined]
        text += _deprecation_note(self)
        if text:
            formatter.write_paragraph()
            with formatter.indentation():
                formatter.write_text(text)

    def format_help(self, ctx: Context, formatter: HelpFormatter) -> None:
        if typer.core.HAS_RICH and self.rich_markup_mode is not None:  # type: ignore[attr-defined]
            localize_rich()
        return super().format_help(ctx, formatter)  # type: ignore[misc]

    def parse_args(self, ctx: Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)  # type: ignore[misc]
        except ClickException as e:
            raise zh_error(e, ctx) from e
        except (typer.Abort, EOFError):
            if _rich_active(ctx):
                localize_rich()
            raise

    def _zh_invoke(self, ctx: Context, invoke: Any) -> Any:
        try:
            return invoke(ctx)
        except ClickException as e:
            raise zh_error(e, ctx) from e
        except (typer.Abort, EOFError):
            if _rich_active(ctx):
                localize_rich()  # typer prints ABORTED_TEXT with rich
            raise


def _deprecation_note(cmd: Any) -> str:
    if not cmd.deprecated:
        return ""
    return f"（已弃用：{cmd.deprecated}）" if isinstance(cmd.deprecated, str) else "（已弃用）"


class ZhCommand(_ZhMixin, TyperCommand):
    def __init__(self, name: str | None, *, options_metavar: str | None = "[OPTIONS]", **kwargs: Any) -> None:
        if options_metavar == "[OPTIONS]":
            options_metavar = OPTIONS_METAVAR
        super().__init__(name, options_metavar=options_metavar, **kwargs)

    def invoke(self, ctx: Context) -> Any:
        return self._zh_invoke(ctx, self._invoke)

    def _invoke(self, ctx: Context) -> Any:
        # Click's Command.invoke, with its English deprecation warning in Chinese.
        if self.deprecated:
            extra = f"{self.deprecated}" if isinstance(self.deprecated, str) else ""
            echo(style(f"注意：命令 {self.name} 已弃用。{extra}", fg="red"), err=True)
        if self.callback is not None:
            return ctx.invoke(self.callback, **ctx.params)
        return None


class ZhGroup(_ZhMixin, TyperGroup):
    def __init__(self, *, subcommand_metavar: str | None = None, options_metavar: str | None = "[OPTIONS]",
                 **kwargs: Any) -> None:
        if options_metavar == "[OPTIONS]":
            options_metavar = OPTIONS_METAVAR
        super().__init__(subcommand_metavar=subcommand_metavar or SUBCOMMAND_METAVAR,
                         options_metavar=options_metavar, **kwargs)

    def invoke(self, ctx: Context) -> Any:
        return self._zh_invoke(ctx, super().invoke)

    def format_commands(self, ctx: Context, formatter: HelpFormatter) -> None:
        rows = []
        for name in self.list_commands(ctx):
            cmd = self.get_command(ctx, name)
            if cmd is None or cmd.hidden:
                continue
            if cmd.short_help:
                text = inspect.cleandoc(cmd.short_help)
            else:
                paragraph = inspect.cleandoc(cmd.help or "").partition("\f")[0].split("\n\n")[0]
                text = _join_lines(paragraph.replace("\b", "").splitlines())
            rows.append((name, text + _deprecation_note(cmd)))
        if rows:
            with formatter.section(TYPER_CORE_TEXT["Commands"]):
                formatter.write_dl(rows)

    def visible_commands(self, ctx: Context) -> list[str]:
        names = []
        for name in self.list_commands(ctx):
            cmd = self.get_command(ctx, name)
            if cmd is not None and not cmd.hidden:
                names.append(name)
        return names

    def resolve_command(self, ctx: Context, args: list[str]) -> tuple[str | None, Any, list[str]]:
        # Click's resolve_command (token_normalize_func, option-like names) with a Chinese error.
        typed = cmd_name = args[0]
        cmd = self.get_command(ctx, cmd_name)
        if cmd is None and ctx.token_normalize_func is not None:
            cmd_name = ctx.token_normalize_func(cmd_name)
            cmd = self.get_command(ctx, cmd_name)
        if cmd is None and not ctx.resilient_parsing:
            if cmd_name[:1] and not cmd_name[:1].isalnum():
                self.parse_args(ctx, args)  # an unknown option: NoSuchOption, in Chinese
            message = f"没有这个命令：{typed}"
            matches = _suggest(typed, self.visible_commands(ctx)) if self.suggest_commands else []
            if matches:
                message += f"（你是不是想用 {_listing(matches)}？）"
            if _rich_active(ctx):
                localize_rich()
            raise ZhUsageError(message, ctx)
        return (cmd_name if cmd else None), cmd, args[1:]


class ZhTyper(typer.Typer):
    """``typer.Typer`` whose groups are :class:`ZhGroup` and whose commands are :class:`ZhCommand`."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("cls", ZhGroup)
        super().__init__(**kwargs)

    def command(self, name: str | None = None, *, cls: type[TyperCommand] | None = None, **kwargs: Any) -> Any:
        return super().command(name, cls=cls or ZhCommand, **kwargs)


def untranslated_commands(app: typer.Typer) -> list[str]:
    """Command paths in ``app`` that are not Zh classes (forgot ZhTyper on a sub-app?). Empty is good."""
    root = typer.main.get_command(app)
    bad: list[str] = []

    def walk(cmd: Any, path: str) -> None:
        if not isinstance(cmd, _ZhMixin):
            bad.append(path)
        for name, sub in getattr(cmd, "commands", {}).items():
            walk(sub, f"{path} {name}")

    walk(root, app.info.name if isinstance(app.info.name, str) else "app")
    return bad
