"""Chinese help and usage errors (qudao.zh), plain (piped) and rich, on the real qudao app.

Exact outputs are in EXPECTED (regenerate with ``python tests/regen_zh_expected.py`` and
review the diff). Every help page and usage error is also scanned for English words the app
did not supply itself (see ``english_words``). The patch tests at the end fail when typer
changes the strings zh replaces: read qudao/zh.py's docstring before upgrading typer.
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import typer
import typer.core
from conftest import ROOT
from typer.testing import CliRunner

from qudao import zh
from qudao.cli import app as QUDAO
from qudao.text import display_width

TYPER_DIR = Path(typer.__file__).resolve().parent
ENV = {"COLUMNS": "80", "FORCE_COLOR": None, "PY_COLORS": None, "NO_COLOR": None}
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")

CASES = [
    ("--help",),
    ("new", "--help"),
    ("config", "show", "--help"),
    ("summarize", "--ouput", "x", "a"),  # unknown option, with a suggestion
    ("sumarize",),  # unknown command, with a suggestion
    ("summarize",),  # missing argument
    ("rollup", "--out", "o"),  # missing option
    ("summarize", "--workers", "x", "a"),  # invalid int
    ("summarize", "--as-of"),  # option without its value
    ("new", "a", "b"),  # extra argument
    ("config",),  # group without a subcommand: its help, exit 2
    ("--debug",),  # no command at all
]


@contextlib.contextmanager
def _markup(app: typer.Typer, mode: str):
    old = app.rich_markup_mode
    app.rich_markup_mode = None if mode == "plain" else "rich"
    saved = {}
    if mode == "rich":  # a fixed, colourless 80-column console whatever the CI's environment says
        from typer import rich_utils

        saved = {k: getattr(rich_utils, k) for k in ("MAX_WIDTH", "FORCE_TERMINAL", "COLOR_SYSTEM")}
        rich_utils.MAX_WIDTH, rich_utils.FORCE_TERMINAL, rich_utils.COLOR_SYSTEM = 80, False, None
    try:
        yield
    finally:
        app.rich_markup_mode = old
        if saved:
            from typer import rich_utils

            for k, v in saved.items():
                setattr(rich_utils, k, v)


def norm(text: str) -> str:
    text = "\n".join(line.rstrip() for line in ANSI.sub("", text).splitlines())
    return text.strip("\n") + "\n"


def run(args: list[str], mode: str, app: typer.Typer = QUDAO) -> tuple[int, str]:
    with _markup(app, mode):
        result = CliRunner().invoke(app, args, env=ENV, catch_exceptions=False)
    return result.exit_code, norm(result.output)


# --------------------------------------------------------------------------- the English-word checker

OPTION = re.compile(r"(?<![\w-])-{1,2}[A-Za-z][\w-]*")
WORD = re.compile(r"[A-Za-z]+")
#: Words Click/typer print in English; none may be whitelisted by the app's own vocabulary.
CLICK_WORDS = {
    "Usage", "Options", "Arguments", "Commands", "Error", "Try", "help", "Show", "message", "None", "True", "False",
    "exit", "Missing", "argument", "option", "command", "Invalid", "value", "valid", "integer",
    "No", "such", "Possible", "options", "Did", "you", "mean", "requires", "Got", "unexpected", "extra",
    "default", "required", "TEXT", "INTEGER", "PATH", "FLOAT", "OPTIONS", "COMMAND", "ARGS", "str", "int",
    "float", "path", "Aborted", "env", "var", "dynamic", "DEPRECATED", "deprecated", "Choose", "from",
}


def app_vocabulary(app: typer.Typer) -> set[str]:
    """Every ASCII word the app itself supplies: names, help texts, metavars, defaults, choices.
    (Option names need no entry: ``english_words`` drops every ``--option`` before looking.)"""
    root = typer.main.get_command(app)
    words = set(WORD.findall(str(app.info.name)))

    def walk(cmd, name: str) -> None:
        words.update(WORD.findall(name))
        for text in (cmd.help, cmd.short_help, cmd.epilog):
            words.update(WORD.findall(OPTION.sub(" ", text or "")))
        for p in cmd.params:
            default = getattr(p.default, "value", p.default)
            shown = None if default is None or isinstance(default, bool) or callable(default) else str(default)
            for text in (p.help, p.metavar, shown):  # an option named in a help text is not a word of it
                words.update(WORD.findall(OPTION.sub(" ", text or "")))
            for choice in getattr(p.type, "choices", ()):
                words.update(WORD.findall(str(getattr(choice, "value", choice))))
        for sub_name, sub in getattr(cmd, "commands", {}).items():
            walk(sub, sub_name)

    walk(root, root.name or "")
    return words


VOCABULARY = app_vocabulary(QUDAO)


def english_words(text: str, argv: tuple[str, ...] = (), vocabulary: set[str] = VOCABULARY) -> list[str]:
    """ASCII words in ``text`` that are neither option names, the app's own words, nor what the user typed."""
    typed = set(WORD.findall(" ".join(argv)))
    text = OPTION.sub(" ", text)
    # rich crops long help cells with "…": a cropped word is fine if it starts one of the app's words
    cropped = {w for w in re.findall(r"([A-Za-z]+)…", text) if any(v.startswith(w) for v in vocabulary)}
    return sorted(set(WORD.findall(text)) - vocabulary - typed - cropped)


def _plain_typer_app() -> typer.Typer:
    """The same two commands on plain typer.Typer: what the checker must catch."""
    from qudao.commands.new import new
    from qudao.commands.summarize import summarize

    app = typer.Typer(name="qudao", add_completion=False, context_settings={"help_option_names": ["-h", "--help"]})
    app.command("summarize")(summarize)
    app.command("new")(new)
    return app


def test_checker_vocabulary_does_not_whitelist_click_words():
    assert not (VOCABULARY & CLICK_WORDS), VOCABULARY & CLICK_WORDS


def test_checker_catches_english():
    code, out = run(["summarize", "--help"], "plain", _plain_typer_app())
    assert {"Usage", "OPTIONS", "Show", "message", "exit"} <= set(english_words(out)), out
    code, out = run(["summarize", "--workers", "x", "a"], "plain", _plain_typer_app())
    assert {"Usage", "Try", "Error", "Invalid", "value", "valid"} <= set(english_words(out)), out
    # Patch 1 is process-wide: typer.core's own strings (section headings) are Chinese even for this app.
    assert "参数:" in run(["summarize", "--help"], "plain", _plain_typer_app())[1]  # Click's formatter: ASCII colon


# --------------------------------------------------------------------------- exact outputs

# --- EXPECTED (generated) ---
EXPECTED = {
    ('plain', ('--help',)): (0, '''\
用法：qudao [选项] 命令 [参数]…

  渠道拓展工具箱：生成、填写、检查和汇总渠道部的标准表格。

选项：
  --debug     出错时显示完整的 Python 调用栈（开发用）
  --version   显示版本
  -h, --help  显示帮助并退出

命令：
  list       列出所有表格类型：代号、中文名称、简称和版本。
  new        生成一个空白、带下拉和格式的标准表格。
  new-plan   按计划类型生成本地工作计划：默认任务、交付物，按工作日排期（法定节
             假日和调休），右侧为甘特图。
  fill       把数据填进标准表格：列按表头、别名或 --map 匹配；会被拒收的行和表中
             已有的行不写入，逐行报告。
  validate   检查表格：缺列、必填、格式、日期、电话、成交信息……逐格指出问题。
  summarize  汇总各分所、各渠道的表格：归属、撞单、漏斗、排名、问题清单。
  inspect    查看表格：类型、版本、工作表、行数和表头信息。
  agreement  生成某份协议的统一版本文本（可打印的 HTML，A4）；内容不全时列出要补
             的单元格，不生成文件。
  demo       一键体验：生成示例收件箱（3 个分所、10 个渠道、6 周报送），并生成汇
             总表、本季度渠道考核、网页报告和 JSON。
  rollup     每周汇总（给定时任务用）：读取整个收件箱，统计本周和累计，与上周比
             较，原子地写入 OUT/<周次>/。
  assess     渠道考核：每个渠道各项指标的实际、目标和完成率，定量、定性得分，总
             分，优秀/合格/不合格和处理措施（奖励、整改、连续两期不合格调整合作
             关系），与上期对比，并按分所汇总。
  statement  渠道对账单：按周滚动的账户（期初、本期新增、以前各周的更正、付款、
             期末）、未结清的佣金和本渠道未计入的登记，可直接发给渠道。
  todo       本周待办：按跟进人和分所列出本周要做的事——保护期将到和刚过未到访的
             客户、到期或逾期的客户跟进（取最新一份工作进程反馈表）、拜访次数落
             后的渠道、30 天内到期的协议、上周报送而最近一周没有收到的表格。
  config     查看或生成配置文件 qudao.toml。
'''),
    ('plain', ('new', '--help')): (0, '''\
用法：qudao new [选项] 类型

  生成一个空白、带下拉和格式的标准表格。

参数：
  类型  表格类型：代号、名称或简称，如 register、意向客户登记表、登记表（qudao
        list 查看全部）  [必填]

选项：
  -o, --output 文件  输出文件（默认：<表名>.xlsx）
  --set 标签=值      填写表头信息，如 --set 渠道名称=拉萨雪域物业（可重复）
  --force            覆盖已存在的输出文件
  -h, --help         显示帮助并退出
'''),
    ('plain', ('config', 'show', '--help')): (0, '''\
用法：qudao config show [选项]

  显示生效的配置，以及每一项来自默认值还是配置文件。

选项：
  --config 文件  配置文件 qudao.toml（默认：环境变量 QUDAO_CONFIG，或当前文件夹
                 的 qudao.toml）
  --format 格式  text 或 json  [默认：text]
  -h, --help     显示帮助并退出
'''),
    ('plain', ('summarize', '--ouput', 'x', 'a')): (2, '''\
用法：qudao summarize [选项] 文件…
运行 qudao summarize -h 查看帮助。

错误：没有这个选项：--ouput（你是不是想用 --output？）
'''),
    ('plain', ('sumarize',)): (2, '''\
用法：qudao [选项] 命令 [参数]…
运行 qudao -h 查看帮助。

错误：没有这个命令：sumarize（你是不是想用 summarize？）
'''),
    ('plain', ('summarize',)): (2, '''\
用法：qudao summarize [选项] 文件…
运行 qudao summarize -h 查看帮助。

错误：缺少参数：文件…
'''),
    ('plain', ('rollup', '--out', 'o')): (2, '''\
用法：qudao rollup [选项]
运行 qudao rollup -h 查看帮助。

错误：缺少选项：--inbox
'''),
    ('plain', ('summarize', '--workers', 'x', 'a')): (2, '''\
用法：qudao summarize [选项] 文件…
运行 qudao summarize -h 查看帮助。

错误：--workers 的值无效：'x' 不是整数
'''),
    ('plain', ('summarize', '--as-of')): (2, '''\
用法：qudao summarize [选项] 文件…
运行 qudao summarize -h 查看帮助。

错误：选项 --as-of 需要一个值
'''),
    ('plain', ('new', 'a', 'b')): (2, '''\
用法：qudao new [选项] 类型
运行 qudao new -h 查看帮助。

错误：多余的参数：b
'''),
    ('plain', ('config',)): (2, '''\
用法：qudao config [选项] 命令 [参数]…

  查看或生成配置文件 qudao.toml。

选项：
  -h, --help  显示帮助并退出

命令：
  show  显示生效的配置，以及每一项来自默认值还是配置文件。
  init  生成一份带注释的 qudao.toml（全部为默认值）。
'''),
    ('plain', ('--debug',)): (2, '''\
用法：qudao [选项] 命令 [参数]…
运行 qudao -h 查看帮助。

错误：缺少命令
'''),
    ('rich', ('--help',)): (0, '''\
 用法：qudao [选项] 命令 [参数]…

 渠道拓展工具箱：生成、填写、检查和汇总渠道部的标准表格。

╭─ 选项 ───────────────────────────────────────────────────────────────────────╮
│ --debug              出错时显示完整的 Python 调用栈（开发用）                │
│ --version            显示版本                                                │
│ --help     -h        显示帮助并退出                                          │
╰──────────────────────────────────────────────────────────────────────────────╯
╭─ 命令 ───────────────────────────────────────────────────────────────────────╮
│ list       列出所有表格类型：代号、中文名称、简称和版本。                    │
│ new        生成一个空白、带下拉和格式的标准表格。                            │
│ new-plan   按计划类型生成本地工作计划：默认任务、交付物，按工作日排期（法定  │
│            节假日和调休），右侧为甘特图。                                    │
│ fill       把数据填进标准表格：列按表头、别名或 --map 匹配；会被拒收的行和表 │
│            中已有的行不写入，逐行报告。                                      │
│ validate   检查表格：缺列、必填、格式、日期、电话、成交信息……逐格指出问题。  │
│ summarize  汇总各分所、各渠道的表格：归属、撞单、漏斗、排名、问题清单。      │
│ inspect    查看表格：类型、版本、工作表、行数和表头信息。                    │
│ agreement  生成某份协议的统一版本文本（可打印的 HTML，A4）；内容不全时列出要 │
│            补的单元格，不生成文件。                                          │
│ demo       一键体验：生成示例收件箱（3 个分所、10 个渠道、6 周报送），并生成 │
│            汇总表、本季度渠道考核、网页报告和 JSON。                         │
│ rollup     每周汇总（给定时任务用）：读取整个收件箱，统计本周和累计，与上周  │
│            比较，原子地写入 OUT/<周次>/。                                    │
│ assess     渠道考核：每个渠道各项指标的实际、目标和完成率，定量、定性得分，  │
│            总分，优秀/合格/不合格和处理措施（奖励、整改、                    │
│            连续两期不合格调整合作关系），与上期对比，并按分所汇总。          │
│ statement  渠道对账单：按周滚动的账户（期初、本期新增、以前各周的更正、付    │
│            款、期末）、未结清的佣金和本渠道未计入的登记，                    │
│            可直接发给渠道。                                                  │
│ todo       本周待办：按跟进人和分所列出本周要做的事——保护期将到和刚过未到访  │
│            的客户、到期或逾期的客户跟进（取最新一份工作进程                  │
│            反馈表）、拜访次数落后的渠道、30 天内到期的协议、上周报送而最近一 │
│            周没有收到的表格。                                                │
│ config     查看或生成配置文件 qudao.toml。                                   │
╰──────────────────────────────────────────────────────────────────────────────╯
'''),
    ('rich', ('new', '--help')): (0, '''\
 用法：qudao new [选项] 类型

 生成一个空白、带下拉和格式的标准表格。

╭─ 参数 ───────────────────────────────────────────────────────────────────────╮
│ *    类型        表格类型：代号、名称或简称，如 register、意向客户登记表、登 │
│                  记表（qudao list 查看全部）                                 │
│                  [必填]                                                      │
╰──────────────────────────────────────────────────────────────────────────────╯
╭─ 选项 ───────────────────────────────────────────────────────────────────────╮
│ --output  -o      文件     输出文件（默认：<表名>.xlsx）                     │
│ --set             标签=值  填写表头信息，如 --set 渠道名称=拉萨雪域物业（可  │
│                            重复）                                            │
│ --force                    覆盖已存在的输出文件                              │
│ --help    -h               显示帮助并退出                                    │
╰──────────────────────────────────────────────────────────────────────────────╯
'''),
    ('rich', ('config', 'show', '--help')): (0, '''\
 用法：qudao config show [选项]

 显示生效的配置，以及每一项来自默认值还是配置文件。

╭─ 选项 ───────────────────────────────────────────────────────────────────────╮
│ --config          文件  配置文件 qudao.toml（默认：环境变量 QUDAO_CONFIG，或 │
│                         当前文件夹的 qudao.toml）                            │
│ --format          格式  text 或 json [默认：text]                            │
│ --help    -h            显示帮助并退出                                       │
╰──────────────────────────────────────────────────────────────────────────────╯
'''),
    ('rich', ('summarize', '--ouput', 'x', 'a')): (2, '''\
用法：qudao summarize [选项] 文件…
运行 qudao summarize -h 查看帮助。
╭─ 错误 ───────────────────────────────────────────────────────────────────────╮
│ 没有这个选项：--ouput（你是不是想用 --output？）                             │
╰──────────────────────────────────────────────────────────────────────────────╯
'''),
    ('rich', ('sumarize',)): (2, '''\
用法：qudao [选项] 命令 [参数]…
运行 qudao -h 查看帮助。
╭─ 错误 ───────────────────────────────────────────────────────────────────────╮
│ 没有这个命令：sumarize（你是不是想用 summarize？）                           │
╰──────────────────────────────────────────────────────────────────────────────╯
'''),
    ('rich', ('summarize',)): (2, '''\
用法：qudao summarize [选项] 文件…
运行 qudao summarize -h 查看帮助。
╭─ 错误 ───────────────────────────────────────────────────────────────────────╮
│ 缺少参数：文件…                                                              │
╰──────────────────────────────────────────────────────────────────────────────╯
'''),
    ('rich', ('rollup', '--out', 'o')): (2, '''\
用法：qudao rollup [选项]
运行 qudao rollup -h 查看帮助。
╭─ 错误 ───────────────────────────────────────────────────────────────────────╮
│ 缺少选项：--inbox                                                            │
╰──────────────────────────────────────────────────────────────────────────────╯
'''),
    ('rich', ('summarize', '--workers', 'x', 'a')): (2, '''\
用法：qudao summarize [选项] 文件…
运行 qudao summarize -h 查看帮助。
╭─ 错误 ───────────────────────────────────────────────────────────────────────╮
│ --workers 的值无效：'x' 不是整数                                             │
╰──────────────────────────────────────────────────────────────────────────────╯
'''),
    ('rich', ('summarize', '--as-of')): (2, '''\
用法：qudao summarize [选项] 文件…
运行 qudao summarize -h 查看帮助。
╭─ 错误 ───────────────────────────────────────────────────────────────────────╮
│ 选项 --as-of 需要一个值                                                      │
╰──────────────────────────────────────────────────────────────────────────────╯
'''),
    ('rich', ('new', 'a', 'b')): (2, '''\
用法：qudao new [选项] 类型
运行 qudao new -h 查看帮助。
╭─ 错误 ───────────────────────────────────────────────────────────────────────╮
│ 多余的参数：b                                                                │
╰──────────────────────────────────────────────────────────────────────────────╯
'''),
    ('rich', ('config',)): (2, '''\
 用法：qudao config [选项] 命令 [参数]…

 查看或生成配置文件 qudao.toml。

╭─ 选项 ───────────────────────────────────────────────────────────────────────╮
│ --help  -h        显示帮助并退出                                             │
╰──────────────────────────────────────────────────────────────────────────────╯
╭─ 命令 ───────────────────────────────────────────────────────────────────────╮
│ show  显示生效的配置，以及每一项来自默认值还是配置文件。                     │
│ init  生成一份带注释的 qudao.toml（全部为默认值）。                          │
╰──────────────────────────────────────────────────────────────────────────────╯
'''),
    ('rich', ('--debug',)): (2, '''\
用法：qudao [选项] 命令 [参数]…
运行 qudao -h 查看帮助。
╭─ 错误 ───────────────────────────────────────────────────────────────────────╮
│ 缺少命令                                                                     │
╰──────────────────────────────────────────────────────────────────────────────╯
'''),
}
# --- end EXPECTED ---


@pytest.mark.parametrize("mode", ["plain", "rich"])
@pytest.mark.parametrize("args", CASES, ids=" ".join)
def test_exact_output(args, mode):
    assert run(list(args), mode) == EXPECTED[(mode, args)]


@pytest.mark.parametrize("mode", ["plain", "rich"])
@pytest.mark.parametrize("args", CASES, ids=" ".join)
def test_no_english_left(args, mode):
    code, out = run(list(args), mode)
    assert english_words(out, args) == []
    assert code == (0 if "--help" in args else 2)  # Click's codes: 0 for help, 2 for every usage error


def _command_paths(cmd, prefix=()):
    yield prefix
    for name, sub in getattr(cmd, "commands", {}).items():
        yield from _command_paths(sub, (*prefix, name))


COMMAND_PATHS = list(_command_paths(typer.main.get_command(QUDAO)))


def test_every_command_is_checked():
    assert len(COMMAND_PATHS) == 17  # qudao, 13 commands, config and its two subcommands
    assert zh.untranslated_commands(QUDAO) == []
    assert zh.untranslated_commands(_plain_typer_app()) != []


@pytest.mark.parametrize("mode", ["plain", "rich"])
@pytest.mark.parametrize("path", COMMAND_PATHS, ids=lambda p: " ".join(p) or "qudao")
def test_every_help_page_is_chinese(path, mode):
    code, out = run([*path, "--help"], mode)
    assert code == 0, (path, out)
    assert out.lstrip().startswith(f"用法：qudao {' '.join(path)}".rstrip()), out
    assert english_words(out, path) == [], (path, out)
    assert "显示帮助并退出" in out
    # at 80 columns a Chinese description wraps between characters; rich never cuts it with 「…」 (issue 25)
    cut = [line for line in out.splitlines() if re.search(r"…\s*│$", line)]
    assert not cut, (path, cut)


@pytest.mark.parametrize("mode", ["plain", "rich"])
@pytest.mark.parametrize("path", [p for p in COMMAND_PATHS if p and p != ("config",)], ids=" ".join)
def test_every_command_usage_error_is_chinese(path, mode):
    """An unknown option on every command: Chinese usage, hint and error, exit 2."""
    code, out = run([*path, "--nope"], mode)
    assert code == 2, out
    assert f"用法：qudao {' '.join(path)}" in out and f"运行 qudao {' '.join(path)} -h 查看帮助。" in out
    assert "没有这个选项：--nope" in out
    assert english_words(out, (*path, "--nope")) == [], out


def test_plain_help_aligns_in_columns():
    """Option rows line up by terminal columns even with Chinese metavars (a Chinese character is 2 wide)."""
    code, out = run(["summarize", "--help"], "plain")
    rows = [line for line in out.splitlines() if line.startswith("  -")]
    assert any(re.search(r"[\u4e00-\u9fff]", re.split(r"\s{2,}", line.strip())[0]) for line in rows)
    columns = {display_width(line[: re.match(r"  \S.*?\s{2,}", line).end()]) for line in rows}
    assert len(columns) == 1, (columns, out)


@pytest.mark.parametrize("path", COMMAND_PATHS, ids=lambda p: " ".join(p) or "qudao")
def test_plain_help_fits_80_columns(path):
    code, out = run([*path, "--help"], "plain")
    assert max(display_width(line) for line in out.splitlines()) <= 80, out


# --------------------------------------------------------------------------- more errors (a small extra app)


def _extra_app() -> typer.Typer:
    app = zh.ZhTyper(name="t", add_completion=False, context_settings={"help_option_names": ["-h", "--help"]})

    def check(value: str) -> str:
        if value == "bad":
            raise typer.BadParameter("日期格式不对，应为 2026-11-03")
        return value

    @app.command("a")
    def a(day: str = typer.Option("today", "--day", metavar="日期", callback=check, help="日期"),
          n: int = typer.Option(1, "--n", min=1, max=5, help="次数"),
          stop: bool = typer.Option(False, "--stop", help="中止")) -> None:
        """命令 a。"""
        if stop:
            raise typer.Abort()

    @app.command("b")
    def b(src: typer.FileText = typer.Argument(..., help="源文件"),
          folder: Path = typer.Option(None, "--folder", exists=True, file_okay=False, help="文件夹")) -> None:
        """命令 b。"""

    return app


EXTRA = [
    (("a", "--day", "bad"), 2, "错误：--day 的值无效：日期格式不对，应为 2026-11-03"),
    (("a", "--n", "9"), 2, "错误：--n 的值无效：9 超出范围（1–5）"),
    (("a", "--stop"), 1, "已中止"),
    (("b", "/no/such/file"), 2, "错误：参数 文件 的值无效：无法打开 '/no/such/file'：文件不存在"),
    (("b", "-", "--folder", "/no/such/dir"), 2, "错误：--folder 的值无效：文件夹 '/no/such/dir' 不存在"),
    (("b", "-", "--folder", __file__), 2, f"错误：--folder 的值无效：'{__file__}' 是文件，这里要的是文件夹"),
    (("a", "-z"), 2, "错误：没有这个选项：-z"),
    (("x",), 2, "错误：没有这个命令：x"),
]


@pytest.mark.parametrize("args,code,last", EXTRA, ids=lambda v: " ".join(v) if isinstance(v, tuple) else None)
def test_more_errors_plain(args, code, last):
    app = _extra_app()
    got_code, out = run(list(args), "plain", app)
    assert (got_code, out.splitlines()[-1]) == (code, last)
    assert english_words(out, args, app_vocabulary(app)) == [], out


@pytest.mark.parametrize("args,code,last", EXTRA, ids=lambda v: " ".join(v) if isinstance(v, tuple) else None)
def test_more_errors_rich(args, code, last):
    app = _extra_app()
    got_code, out = run(list(args), "rich", app)
    assert got_code == code
    body = last.removeprefix("错误：")
    assert re.sub(r"\s", "", body) in re.sub(r"[\s│]", "", out), out  # the panel may wrap a long message
    if code == 2:
        assert "╭─ 错误 ─" in out and "运行 t " in out and "查看帮助。" in out
    assert english_words(out, args, app_vocabulary(app)) == [], out


def test_help_of_range_and_paths():
    code, out = run(["a", "--help"], "plain", _extra_app())
    assert "--n 整数（1–5）" in out and "--day 日期" in out and "[默认：1]" in out
    code, out = run(["b", "--help"], "plain", _extra_app())
    assert "用法：t b [选项] 文件" in out and "--folder 文件夹" in out and "[必填]" in out


# --------------------------------------------------------------------------- the two patches, against installed typer


def test_typer_core_gettext_catalog():
    """PATCH 1: typer.core calls the module-level ``_`` at run time; every msgid it uses is translated."""
    assert typer.core._ is zh._zh_gettext
    source = (TYPER_DIR / "core.py").read_text(encoding="utf-8")
    assert "from gettext import gettext as _" in source
    msgids = set(re.findall(r'\b_\(\s*"((?:[^"\\]|\\.)*)"\s*\)', source))
    assert msgids == set(zh.TYPER_CORE_TEXT), msgids ^ set(zh.TYPER_CORE_TEXT)


def test_rich_utils_constants():
    """PATCH 2: the module constants rich_utils reads at call time still exist, and every ``_()`` there is covered."""
    source = (TYPER_DIR / "rich_utils.py").read_text(encoding="utf-8")
    assigned = dict(re.findall(r'^([A-Z_]+) = _\("((?:[^"\\]|\\.)*)"\)', source, flags=re.M))
    assert set(assigned) == set(zh.RICH_TEXT), set(assigned) ^ set(zh.RICH_TEXT)
    for name in zh.RICH_TEXT:  # read at call time, not copied elsewhere
        assert re.search(rf"\b{name}\b", source.split(f"{name} = ", 1)[1]), name
    zh.localize_rich()
    from typer import rich_utils

    assert all(getattr(rich_utils, k) == v for k, v in zh.RICH_TEXT.items())
    assert rf"(?P<usage>{zh.USAGE_PREFIX})" in rich_utils.highlighter.highlights  # 用法： styled like Usage:
    assert r"(?P<usage>Usage: )" in type(rich_utils.highlighter).highlights


def test_click_templates_still_english_as_expected():
    """The English Click messages zh translates by pattern still read the way zh expects."""
    click = TYPER_DIR / "_click"
    expected = {
        click / "types.py": ["is not a valid {self.name}.", "is not in the range {self._describe_range()}.",
                             "does not match the formats {formats_str}.", "values are required, but"],
        click / "parser.py": ['f"Option {option_name!r} requires {msg}"', 'msg = "an argument." if nargs == 1',
                              "does not take a value.",
                              "get_close_matches(opt, self._long_opt)"],
        click / "core.py": ["Got unexpected extra argument(s) ({extra_args})", "Takes {self.nargs} values but"],
        click / "exceptions.py": ['f"No such option: {_escape_control_characters(option_name)}"',
                                  'hint = f"Try', 'f"Error: {self.format_message()}"'],
        click / "decorators.py": ['help="Show this message and exit."'],
        TYPER_DIR / "_types.py": ["is not one of {choices_str}."],
        TYPER_DIR / "models.py": ["does not exist.", 'is a file.", param', 'is a directory.", param'],
        TYPER_DIR / "core.py": ['subcommand_metavar = "COMMAND [ARGS]..."', 'options_metavar: str | None = "[OPTIONS]"',
                                "def resolve_command(", "def format_commands(", "def collect_usage_pieces("],
    }
    for path, needles in expected.items():
        text = path.read_text(encoding="utf-8")
        missing = [n for n in needles if n not in text]
        assert not missing, (path.name, missing)
    assert "gettext" not in "".join(p.read_text(encoding="utf-8") for p in click.glob("*.py") if p.name != "parser.py")


# --------------------------------------------------------------------------- start-up: no rich when piped


def _python(code: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "PY_COLORS")}
    env["PYTHONPATH"] = str(ROOT / "src")
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, env=env)


PIPED = [["--help"], ["summarize", "--help"], ["sumarize"], ["summarize", "--workers", "x"]]


def test_piped_does_not_import_rich():
    """Importing zh, piped help and piped usage errors never import rich (one fresh interpreter for all)."""
    code = ("import sys\n"
            "def rich(): return 'RICH' if any(m.split('.')[0] == 'rich' for m in sys.modules) else 'NO-RICH'\n"
            "import qudao.zh\n"
            "print('zh', rich(), file=sys.stderr)\n"
            "from qudao.cli import main\n"
            f"for argv in {PIPED!r}:\n"
            "    sys.argv = ['qudao'] + argv\n"
            "    try:\n        main()\n    except SystemExit as e:\n        rc = e.code\n"
            "    print(argv[-1], rich(), rc, file=sys.stderr)\n")
    done = _python(code)
    marks = [line for line in done.stderr.splitlines() if "RICH" in line]
    assert marks == ["zh NO-RICH", "--help NO-RICH 0", "--help NO-RICH 0", "sumarize NO-RICH 2",
                     "x NO-RICH 2"], done.stderr
    assert done.stdout.count("用法：qudao") == 2 and done.stderr.count("用法：qudao") == 2


# --------------------------------------------------------------------------- wrapping


@pytest.mark.parametrize("text,width,lines", [
    ("统计哪一周：2026-W48、last（上周）或 this（本周）", 20,
     ["统计哪一周：", "2026-W48、last（上", "周）或 this（本周）"]),  # 、 stays with W48, （ with 上
    ("结果写到 OUT/<周次>/  [默认：last]", 16, ["结果写到", "OUT/<周次>/", "[默认：last]"]),
    ("abc def", 80, ["abc def"]),
])
def test_wrap(text, width, lines):
    got = zh.wrap(text, width)
    assert got == lines
    assert all(display_width(line) <= width for line in got)


def test_join_lines_keeps_chinese_tight():
    assert zh._join_lines(["退出码：0 正常；", "2 无法执行", "and more"]) == "退出码：0 正常；2 无法执行 and more"
    assert zh._join_lines(["读取整个收件箱，统计本周", "和累计"]) == "读取整个收件箱，统计本周和累计"
    assert zh._join_lines(["结果写到", "OUT/<周次>/"]) == "结果写到 OUT/<周次>/"
