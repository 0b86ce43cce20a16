"""The unified agreement text (统一版本) for one row of the agreements register.

The text is complete or it is not written: every value it needs (docs/decisions.md, "agreement")
comes from the ledger row or from ``[agreement]`` in qudao.toml, and when one is missing or
unreadable :func:`render_agreement` writes nothing and returns what is missing and where it
belongs. With ``draft=True`` it writes a draft instead, marked as one, with a visible
「（待填：…）」 for every missing value.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from qudao.errors import UsageError
from qudao.schema.agreements import TARGET_PERIOD_TEXT, TARGETS

SHEET = "协议台账"
# ledger columns the text cannot do without: column → what the text calls it
LEDGER_REQUIRED = {
    "渠道名称": "乙方全称",
    "乙方地址": "乙方地址",
    "乙方联系人": "乙方联系人",
    "乙方电话": "乙方电话",
    "合作区域": "合作区域",
    "签订日期": "签订日期",
    "生效日期": "生效日期",
    "到期日期": "到期日期",
    "佣金点位(%)": "佣金点位",
    "结佣周期(天)": "结佣周期",
    "收款户名": "收款户名",
    "开户行": "开户行",
    "收款账号": "收款账号",
    "我方签约人": "甲方签约代表",
}
# qudao.toml keys the text cannot do without: key → (Settings attribute, what the text calls it)
CONFIG_REQUIRED = {
    "party_a": ("party_a", "甲方全称"),
    "party_a_address": ("party_a_address", "甲方地址"),
    "party_a_contact": ("party_a_contact", "甲方联系人"),
    "party_a_phone": ("party_a_phone", "甲方联系电话"),
}
GOAL_COLUMNS = (*TARGETS, "合作目标")
# columns the text prints, or replaces by a term when blank, that are not required: a value there that
# does not read must not turn silently into the blank's term (保护期 0 → the default 30 days)
PRINTED_OPTIONAL = ("渠道类型", "合作楼盘", "是否独家", "保护期(天)", *GOAL_COLUMNS, "目标周期")
CLAUSES = ("协议双方", "合作范围与区域", "合作目标与销售目标", "合作期限、续签与终止", "合作产品、价格与销售政策",
           "客户登记、保护期与归属", "客户报备与信息报送", "佣金点位、结算与支付", "培训与营销支持", "考核与奖惩",
           "保密与知识产权", "违约责任（含跨区域销售）", "争议解决", "签署")


@dataclass(frozen=True)
class Missing:
    """A value the text needs and does not have: what it is, where it belongs, and why it is missing."""

    what: str  # 乙方地址
    where: str  # 渠道合作协议台账.xlsx 协议台账!D5（「乙方地址」列） / qudao.toml 的 [agreement] party_a
    why: str = "未填"
    columns: tuple[str, ...] = ()  # the ledger columns it concerns
    bad: bool = False  # a value is there but could not be read

    @property
    def line(self) -> str:
        return f"{self.what}：{self.why}，应填在 {self.where}"


@dataclass
class AgreementResult:
    written: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    missing: list[Missing] = field(default_factory=list)
    draft: bool = False  # a draft (with 待填 markers) was written


def day(value: Any) -> str:
    return f"{value.year} 年 {value.month} 月 {value.day} 日"


def amount(value: float) -> str:
    """A number as the text prints it: no trailing zeros, no exponent (300 → "300", 1234.5 → "1,234.5")."""
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def find_missing(values: dict[str, Any], table, row_number: int, bad: dict[str, str], settings,
                 ledger_name: str) -> list[Missing]:
    """Every value the text needs that the row or qudao.toml does not give, in the order of the text.
    ``values`` holds only the values that read without an error; ``bad`` the others' messages by column."""
    out: list[Missing] = []

    def where(column: str) -> str:
        cell = table.cell(column, row_number)
        if cell:
            return f"{ledger_name} {table.sheet}!{cell}（「{column}」列）"
        return f"{ledger_name} {table.sheet} 第 {row_number} 行的「{column}」列（台账还没有这一列：请在表头加上，或用 qudao new agreements 生成新版台账）"

    for key, (attr, what) in CONFIG_REQUIRED.items():
        if not getattr(settings, attr):
            out.append(Missing(what, f"qudao.toml 的 [agreement] {key}", "未设置"))
    for column, what in LEDGER_REQUIRED.items():
        if values.get(column) in (None, ""):
            out.append(Missing(what, where(column), f"值有误（{bad[column]}）" if column in bad else "未填",
                               (column,), column in bad))
    for column in PRINTED_OPTIONAL:
        if column in bad:
            out.append(Missing(column, where(column), f"值有误（{bad[column]}）", (column,), True))
    if not any(values.get(c) not in (None, "") or c in bad for c in GOAL_COLUMNS):
        cells = "、".join(table.cell(c, row_number) or f"「{c}」" for c in GOAL_COLUMNS)
        out.append(Missing("合作目标/销售目标", f"{ledger_name} {table.sheet} 的 {cells}（登记、到访、成交套数、成交额目标或合作目标）",
                           "一项也没有填，至少要填一项", GOAL_COLUMNS))
    if any(values.get(c) is not None for c in TARGETS) and not values.get("目标周期") and "目标周期" not in bad:
        out.append(Missing("目标周期", where("目标周期"), "未填（目标是每月、每季度还是每年的）", ("目标周期",)))
    return out


def agreement_context(values: dict[str, Any], settings, marker: Callable[[str], Any] | None = None,
                      missing: list[Missing] = ()) -> dict[str, Any]:
    """What the templates print, every value as text. A value that is missing is ``marker(what)``
    (a draft); the complete text has no missing value, so the marker never prints there."""
    from qudao.normalize import group_account

    absent = {m.what for m in missing}
    mark = marker or (lambda what: "")

    def text(column: str, what: str | None = None, show: Callable[[Any], str] = str) -> Any:
        value = values.get(column)
        if value in (None, ""):
            return mark(what or LEDGER_REQUIRED.get(column, column))
        return show(value)

    def conf(key: str) -> Any:
        attr, what = CONFIG_REQUIRED[key]
        return getattr(settings, attr) or mark(what)

    period = values.get("目标周期")
    targets = [(what, f"不少于 {amount(values[c])} {unit}" if values.get(c) is not None else mark(c))
               for c, (what, unit) in TARGETS.items() if values.get(c) is not None or c in absent]

    def optional(column: str, blank: Any) -> Any:  # a blank is a term; a value with an error is a gap
        return mark(column) if column in absent else values.get(column) or blank
    rate = values.get("佣金点位(%)")
    cycle = values.get("结佣周期(天)")
    return {
        "draft": bool(missing),
        "missing": [m.what for m in missing],
        "number": values.get("协议编号") or "",
        "party_a": conf("party_a"), "party_a_address": conf("party_a_address"),
        "party_a_contact": conf("party_a_contact"), "party_a_phone": conf("party_a_phone"),
        "channel": text("渠道名称"), "channel_type": optional("渠道类型", ""),
        "address": text("乙方地址"), "contact": text("乙方联系人"), "phone": text("乙方电话"),
        "region": text("合作区域"), "properties": optional("合作楼盘", ""),
        "signed": text("签订日期", show=day), "start": text("生效日期", show=day), "end": text("到期日期", show=day),
        "commission": f"{rate:g}%" if rate is not None else mark("佣金点位"),
        "settlement": f"{cycle} 天" if cycle is not None else mark("结佣周期"),
        "protection_days": optional("保护期(天)", settings.protection_days),
        "exclusive": optional("是否独家", "否"),
        "payee": text("收款户名"), "bank": text("开户行"), "account": text("收款账号", show=group_account),
        "period": TARGET_PERIOD_TEXT.get(period, "") if period else (mark("目标周期") if "目标周期" in absent else ""),
        "targets": targets,
        "goal": optional("合作目标", ""),
        "goal_missing": mark("合作目标/销售目标") if "合作目标/销售目标" in absent else "",
        "our_signer": text("我方签约人"),
        "state": values.get("状态") or "",
        "clauses": CLAUSES,
        "assess": _assess_terms(settings),
    }


def _assess_terms(settings) -> dict[str, str]:
    """The 考核与奖惩 clause's figures, from the settings ``qudao assess`` scores by (docs/assessment.md): the
    text a partner signs and the assessment the team runs are one rule."""
    def pct(x: float) -> str:
        return f"{x * 100:g}%"

    w = settings.assess_weights
    return {"quantitative": pct(w["quantitative"]), "qualitative": pct(w["qualitative"]),
            "excellent": f"{settings.result_cutoffs['excellent']:g}", "pass": f"{settings.result_cutoffs['pass']:g}",
            "adjust_after": {1: "一", 2: "两", 3: "三", 4: "四"}.get(settings.adjust_after, str(settings.adjust_after))}


def render_agreement(register: Path, number: str, target: Path | None, md: Path | None, template: Path | None,
                     settings, force: bool = False, draft: bool = False,
                     as_of: _dt.date | None = None) -> AgreementResult:
    """Write the text of agreement ``number`` (HTML, and Markdown when ``md``) — or nothing, when a value
    it needs is missing and ``draft`` is off. ``target`` None: 渠道合作协议-<编号>.html (草稿: -草稿.html).
    ``as_of`` (default today) is the day the ledger's expiry warnings are judged on."""
    from qudao.check.engine import Input, Options, check_one
    from qudao.normalize import name_key
    from qudao.report.text import environment
    from qudao.write.atomic import check_target, write_text

    if not register.is_file():
        raise UsageError(f"找不到协议台账：{register}")
    if template is not None and not template.is_file():
        raise UsageError(f"找不到模板：{template}")
    options = Options(kind="agreements", extra={"settings": settings})  # agreements.expiring_days
    if as_of is not None:
        options.as_of = as_of
    report = check_one(Input(register, register.name, 0), options)
    tables = report.tables_for(SHEET)
    if report.unreadable or not tables:
        why = report.findings[0].message if report.findings else "没有协议台账表"
        raise UsageError(f"{register.name} 无法作为协议台账读取：{why}")
    rows = [(t, r) for t in tables for r in t.rows if (r.values.get("协议编号") or "").strip() == number.strip()]
    if not rows:
        numbers = "、".join(sorted({str(r.values.get("协议编号")) for t in tables for r in t.rows
                                   if r.values.get("协议编号")})[:20])
        raise UsageError(f"台账里没有协议编号“{number}”；已有：{numbers or '（无）'}")
    table, row = rows[0]
    findings = [f for f in report.findings if (f.sheet, f.row) == (table.sheet, row.number)]
    # a value with an error (unreadable, out of range, 到期 before 生效 …) is not printed: it is missing
    bad = {f.column: f.message for f in findings
           if f.column and (f.column in row.bad or f.severity == "error") and f.column != "状态"}
    values = {k: v for k, v in row.values.items() if k not in bad}
    missing = find_missing(values, table, row.number, bad, settings, register.name)
    named = {c for m in missing if m.bad for c in m.columns}  # already in the list of what is missing
    result = AgreementResult(missing=missing, warnings=[
        f.message for f in findings if f.severity in ("error", "warning") and f.column not in named])
    if result.missing and not draft:
        return result
    if values.get("状态") in ("到期", "终止"):
        result.warnings.append(f"台账中该协议的状态为“{values['状态']}”，生成的文本仅供存档")
    payee, channel = values.get("收款户名"), values.get("渠道名称")
    if payee and channel and name_key(payee) != name_key(channel):
        result.warnings.append(f"收款户名“{payee}”与乙方全称“{channel}”不一致：佣金应付到乙方自己的账户，请核实"
                               "（确需付给他人的，应有乙方盖章的书面委托）")
    result.draft = bool(result.missing)
    if target is None:
        from qudao.filenames import stem

        # one function for every file name built from a cell (qudao.filenames): QD/2026/1 → QD_2026_1~<fingerprint>
        target = Path(stem(number.strip(), "渠道合作协议-", "-草稿" if result.draft else "", (".html",), "协议") + ".html")
    for path in (target, md):
        if path is not None:
            check_target(path, force)

    from jinja2 import TemplateError
    from markupsafe import Markup, escape

    html_env = environment("html")
    html_context = {"a": agreement_context(
        values, settings, lambda what: Markup('<span class="todo">（待填：{}）</span>').format(escape(what)),
        result.missing)}
    try:
        if template is not None:
            html_text = html_env.from_string(template.read_text(encoding="utf-8")).render(**html_context)
        else:
            html_text = html_env.get_template("agreement.html.j2").render(**html_context)
    except TemplateError as exc:  # only a custom template can fail to render
        if template is None:
            raise
        raise UsageError(f"模板 {template} 无法使用：{type(exc).__name__}: {exc}") from None
    result.written.append(write_text(target, html_text, force=force))
    if md is not None:
        md_context = {"a": agreement_context(values, settings, lambda what: f"（待填：{what}）", result.missing)}
        result.written.append(write_text(md, environment("md").get_template("agreement.md.j2").render(**md_context),
                                         force=force))
    return result
