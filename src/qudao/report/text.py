"""HTML and Markdown reports rendered with jinja2 from ``qudao/templates``.

Both take the same context built from a :class:`Summary`, so the numbers are
the same as in the xlsx and JSON. HTML is autoescaped; Markdown escapes text
that came from inputs as strictly (:func:`md_escape`).
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any

from qudao.analysis.evidence import evidence_label
from qudao.analysis.summary import Summary
from qudao.analysis.week import KPI_KEYS
from qudao.labels import KPI_CN
from qudao.safe import display, document_text

_ENV: dict[str, Any] = {}
# The html/md reports summarise: a list that grows with the rows (conflicts, settlement, protection warnings,
# late changes, skipped and unreadable files) shows at most this many lines and says where the rest is (the
# xlsx and the JSON hold everything). A module constant so that a test can make it small (issue 17).
LIST_LIMIT = 200


def environment(kind: str):
    """A cached jinja2 environment (html: autoescape on)."""
    if kind not in _ENV:
        from jinja2 import Environment, PackageLoader, StrictUndefined

        env = Environment(
            loader=PackageLoader("qudao", "templates"),
            autoescape=kind == "html",
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        env.filters["num"] = fmt_num
        env.filters["pct"] = fmt_pct
        env.filters["money"] = fmt_money
        env.filters["day"] = fmt_day
        env.filters["md"] = md_escape
        env.filters["week"] = _week
        _ENV[kind] = env
    return _ENV[kind]


def _week(value: Any) -> str:
    """A week label as people say it (2026年第48周); file names and JSON keep 2026-W48."""
    from qudao.weeks import display

    return display(str(value))


def fmt_num(value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, float):
        return f"{value:,.1f}" if not value.is_integer() else f"{int(value):,}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def fmt_money(value: Any) -> str:
    """Money as shown everywhere: rounded half-up to 0.01 (qudao.money), never rounded twice."""
    from qudao.money import fmt

    return "" if value is None else fmt(value)


def fmt_pct(value: Any) -> str:
    return "" if value is None else f"{float(value) * 100:.1f}%"


def fmt_day(value: Any) -> str:
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()[:10]
    return "" if value is None else str(value)


_MD_PUNCT = re.compile(r"([\\`*_\[\]!|~@])")
_MD_AUTOLINK = re.compile(r"(?i)(?<=[a-z0-9])(:)(?=//)|(?<=www)(\.)")


def md_escape(value: Any) -> str:
    """Text from an input, for Markdown: as inert as HTML-escaped text. No link, image, emphasis, code span,
    HTML tag or table cell break can come from it: Markdown punctuation is backslash-escaped, ``<``, ``>``
    and ``&`` become entities, line breaks spaces, and bare URLs (``http://``, ``www.``) are broken up so
    that renderers do not turn them into links."""
    text = display("" if value is None else str(value))
    text = text.replace("\r", " ").replace("\n", " ")
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_PUNCT.sub(r"\\\1", text)
    text = _MD_AUTOLINK.sub(lambda m: "\\" + (m.group(1) or m.group(2)), text)
    if text[:1] in ("=", "+", "-", "#"):  # a formula or a block marker when pasted elsewhere
        text = "\\" + text
    return text


def context(summary: Summary, extra_sections: list[dict[str, Any]] | None = None,
            week: dict[str, Any] | None = None) -> dict[str, Any]:
    reg = summary.registers
    t = reg.totals if reg else {}
    kpis = [(KPI_CN[key], (fmt_money if key.endswith("_wan") else fmt_num)(t.get(key, 0)), key)
            for key in KPI_KEYS]
    return {
        "title": summary.title,
        "period": summary.period_text,
        "as_of": summary.as_of.isoformat(),
        "protection_days": summary.settings.protection_days,
        "config_line": summary.settings.config_line(),
        "inputs": summary.inputs,
        "files_unreadable": summary.files_unreadable,
        "reconciliation": summary.reconciliation,
        "reconciled": summary.reconciled,
        "kpis": kpis,
        "channels": [r for r in reg.by_channel] if reg else [],
        "grade_basis": summary.grade_basis,
        "natural": reg.natural if reg else None,
        "types": reg.by_type if reg else [],
        "branches": reg.by_branch if reg else [],
        "weeks": reg.by_week if reg else [],
        "conflicts": summary.conflict_rows(),
        "expiring": [{**e, "customer": summary.phone(e["customer"])} for e in reg.expiring] if reg else [],
        "ended": [{**e, "customer": summary.phone(e["customer"])} for e in reg.ended] if reg else [],
        "settlement": [{**d, "customer": summary.phone(d["customer"]), "rate": f"{d['rate'].normalize():f}",
                        "evidence": evidence_label(d)} for d in reg.settlement] if reg else [],
        "evidence_column": bool(reg and reg.ledger is not None),
        "settlement_totals": summary.settlement_totals(),
        "payments_read": reg is not None and reg.payments is not None,
        "no_agreement": [r.channel for r in reg.by_channel if r.commission_basis.startswith("默认")] if reg else [],
        "problems": summary.top_problems(12),
        "problem_titles": _titles(),
        "errors": sum(1 for f in summary.findings if f.severity == "error"),
        "warnings": sum(1 for f in summary.findings if f.severity == "warning"),
        "unreadable": [r for r in summary.reports if r.unreadable or r.kind is None],
        "skipped": summary.skipped,
        "sections": extra_sections or [],
        "week": week,
        "charts": charts(summary),
        "limit": LIST_LIMIT,
    }


def charts(summary: Summary) -> dict[str, Any]:
    """Inline SVG charts for the HTML report (report/svg.py escapes every text in them)."""
    from markupsafe import Markup

    from qudao.report import svg

    reg = summary.registers
    if reg is None:
        return {"funnel": "", "channels": "", "trend": ""}
    t = reg.totals
    out = {"funnel": svg.funnel([("登记", t["registrations"]), ("客户", t["customers"]), ("到访", t["visits"]),
                                 ("成交", t["deals"])], "转化漏斗：登记 → 客户 → 到访 → 成交")}
    rows = [(r.channel, (r.stats.registrations, r.stats.visits, r.stats.deals)) for r in reg.by_channel]
    title = "渠道排名：登记、到访、成交" + (f"（前 15 名，共 {len(rows)} 个渠道）" if len(rows) > 15 else "")
    out["channels"] = svg.channel_bars(rows, title) if rows else ""
    weeks = reg.by_week
    out["trend"] = svg.trend([g.key for g in weeks], [
        ("登记", svg.LIGHT, [g.stats.registrations for g in weeks]), ("到访", svg.BLUE, [g.stats.visits for g in weeks]),
        ("成交", svg.ORANGE, [g.stats.deals for g in weeks])]) if len(weeks) > 1 else ""
    return {key: Markup(value) for key, value in out.items()}


def _titles() -> dict[str, str]:
    from qudao.findings import CODES

    return {code: entry.title for code, entry in CODES.items()}


def render(summary: Summary, kind: str, **extra: Any) -> str:
    template = environment(kind).get_template("summary.html.j2" if kind == "html" else "summary.md.j2")
    return document_text(template.render(**context(summary, **extra)))

