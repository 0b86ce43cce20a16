"""The unified agreement text (统一版本) for one row of the agreements register."""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Any

from qudao.errors import UsageError


def agreement_context(values: dict[str, Any], settings) -> dict[str, Any]:
    def day(key: str) -> str:
        value = values.get(key)
        return f"{value.year} 年 {value.month} 月 {value.day} 日" if isinstance(value, _dt.date) else "＿＿＿＿"

    rate = values.get("佣金点位(%)")
    cycle = values.get("结佣周期(天)")
    return {
        "number": values.get("协议编号") or "", "party_a": settings.party_a, "channel": values.get("渠道名称") or "",
        "channel_type": values.get("渠道类型") or "", "region": values.get("合作区域") or "",
        "properties": values.get("合作楼盘") or "", "signed": day("签订日期") if values.get("签订日期") else "",
        "start": day("生效日期"), "end": day("到期日期"),
        "commission": f"{rate:g}%" if rate is not None else "＿＿%（另行约定）",
        "settlement": f"{cycle} 天" if cycle is not None else "双方另行约定的期限",
        "protection_days": values.get("保护期(天)") or settings.protection_days,
        "exclusive": values.get("是否独家") or "否", "our_signer": values.get("我方签约人") or "",
        "state": values.get("状态") or "",
    }


def render_agreement(register: Path, number: str, target: Path, md: Path | None, template: Path | None,
                     settings, force: bool = False) -> tuple[list[Path], list[str]]:
    from qudao.check.engine import Input, Options, check_one
    from qudao.report.text import environment
    from qudao.write.atomic import check_target, write_text

    if not register.is_file():
        raise UsageError(f"找不到协议台账：{register}")
    for path in (target, md):
        if path is not None:
            check_target(path, force)
    report = check_one(Input(register, register.name, 0), Options(kind="agreements"))
    tables = report.tables_for("协议台账")
    if report.unreadable or not tables:
        why = report.findings[0].message if report.findings else "没有协议台账表"
        raise UsageError(f"{register.name} 无法作为协议台账读取：{why}")
    rows = [(t, r) for t in tables for r in t.rows if (r.values.get("协议编号") or "").strip() == number.strip()]
    if not rows:
        numbers = "、".join(sorted({str(r.values.get("协议编号")) for t in tables for r in t.rows
                                   if r.values.get("协议编号")})[:20])
        raise UsageError(f"台账里没有协议编号“{number}”；已有：{numbers or '（无）'}")
    table, row = rows[0]
    warnings = [f.message for f in report.findings
                if (f.sheet, f.row) == (table.sheet, row.number) and f.severity in ("error", "warning")]
    context = {"a": agreement_context(row.values, settings)}
    written = []
    html_env = environment("html")
    if template is not None:
        if not template.is_file():
            raise UsageError(f"找不到模板：{template}")
        html_text = html_env.from_string(template.read_text(encoding="utf-8")).render(**context)
    else:
        html_text = html_env.get_template("agreement.html.j2").render(**context)
    written.append(write_text(target, html_text, force=force))
    if md is not None:
        written.append(write_text(md, environment("md").get_template("agreement.md.j2").render(**context), force=force))
    return written, warnings
