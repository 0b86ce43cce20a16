"""For analysts in Python: an inbox as pandas DataFrames, from the same job as ``qudao summarize``.

::

    import qudao

    report = qudao.open("demo-out/inbox", as_of="2026-11-27")
    report.registrations.groupby("branch")["deal_amount_wan"].sum()
    report.channels.rename(columns=qudao.api.LABELS)      # the Chinese column names

``open`` reads and checks the files exactly as the commands do (:func:`qudao.jobs.summarize.run_summary`:
the same worker processes, settings, attribution and counting), so every figure equals the one in
``summarize --json`` and the reports (``tests/test_api.py`` compares them). pandas is imported here only:
``import qudao`` stays as fast as the command line needs it. Columns are English (stable, like the JSON
keys); :data:`LABELS` gives each its Chinese name; docs/api.md lists them.
"""

from __future__ import annotations

import datetime as _dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from qudao.analysis.summary import Summary

# Every column of every frame, with the Chinese name the reports use.
LABELS: dict[str, str] = {
    # registrations (明细): one row per registration — a channel's claim on a customer
    "channel": "渠道名称", "channel_type": "渠道类型", "branch": "所属分所", "customer": "联系电话",
    "name": "客户姓名", "registered": "登记日期", "visit": "到访日期", "deal": "成交日期",
    "deal_amount_wan": "成交金额(万元)", "deal_property": "成交楼盘", "status": "归属状态", "status_code": "归属状态代码",
    "winner": "先登记渠道", "owner": "客户归属", "follower": "跟进人", "file": "来源文件", "sheet": "工作表",
    "row": "行号",
    # customers (归属): one row per customer
    "owner_registered": "归属登记日期", "natural": "自然到访", "registrations": "登记数",
    "deal_channel": "成交记录渠道",
    # channels (按渠道): the ranking
    "rank": "排名", "type": "渠道类型", "customers": "有效客户", "visits": "到访", "deals": "成交",
    "visit_rate": "到访率", "deal_rate": "到访成交率", "conversion": "转化率", "conflicts": "撞单",
    "commission_wan": "佣金(万元)", "commission_exact_wan": "佣金(万元，未舍入)", "score": "评分", "grade": "建议等级", "grade_basis": "评分依据",
    "target_period": "目标期间", "commission_basis": "佣金依据",
    # settlement (结佣清单)
    "property": "成交楼盘", "rate": "点位(%)", "rate_source": "点位依据", "settle_days": "结佣周期(天)",
    "due": "应结日期",
    # conflicts (撞单明细)
    "loser": "后登记渠道", "winner_date": "先登记日期", "loser_date": "后登记日期", "conflict_status": "状态",
    # findings (问题清单)
    "severity": "级别", "severity_cn": "级别（中文）", "code": "代码", "title": "问题", "cell": "单元格",
    "column": "列", "value": "值", "message": "说明",
}


@dataclass
class Report:
    """What ``qudao.open`` returns: the summary the commands render, and its tables as DataFrames (built when
    first asked for)."""

    summary: "Summary"
    _frames: dict[str, Any] = field(default_factory=dict, repr=False)

    # ------------------------------------------------------------------ figures as the JSON has them
    @property
    def totals(self) -> dict[str, Any]:
        """The KPIs (登记数, 客户数, 到访, 成交, 成交金额, 撞单, 佣金 …): ``summarize --json``'s ``totals``."""
        return dict(self.summary.registers.totals) if self.summary.registers else {}

    @property
    def period(self) -> str:
        return self.summary.period_text

    def to_json(self) -> dict[str, Any]:
        """The document ``qudao summarize --json`` writes (docs/json.md)."""
        return self.summary.to_json()

    # ------------------------------------------------------------------ frames
    @property
    def registrations(self) -> "pd.DataFrame":
        """One row per registration of the period (the 明细: a channel's claim on a customer, merged over the
        weekly copies), with its attribution status."""
        return self._frame("registrations", self._registrations)

    @property
    def customers(self) -> "pd.DataFrame":
        """One row per customer registered up to the period's end: who owns them (归属) and what happened."""
        return self._frame("customers", self._customers)

    attribution = customers  # the word for it

    @property
    def channels(self) -> "pd.DataFrame":
        """The 按渠道 ranking, in its order (``summarize --json``'s ``by_channel``)."""
        return self._frame("channels", lambda: self._json_frame("by_channel", rank=True))

    @property
    def settlement(self) -> "pd.DataFrame":
        """The 结佣清单: one line per attributed deal of the period, with its commission and status."""
        return self._frame("settlement", self._settlement)

    @property
    def conflicts(self) -> "pd.DataFrame":
        """The 撞单 of the period (and 待核, masked phones that may be the same person)."""
        return self._frame("conflicts", self._conflicts)

    @property
    def findings(self) -> "pd.DataFrame":
        """Every finding (问题清单): file, sheet, cell, code and its Chinese title, message."""
        return self._frame("findings", self._findings)

    def _frame(self, name: str, build) -> "pd.DataFrame":
        if name not in self._frames:
            self._frames[name] = build()
        return self._frames[name].copy()

    # ------------------------------------------------------------------ builders
    def _registrations(self) -> "pd.DataFrame":
        from qudao.analysis.attribution import LOST
        from qudao.analysis.register import NATURAL, STATUS_CN

        rows = []
        reg = self.summary.registers
        if reg is not None:
            att = reg.attribution
            owner_of = {c.key: c.owner.channel if c.owner else (NATURAL if c.natural else "") for c in att.customers}
            period = self.summary.period
            for r in att.registrations:
                if not (period.all or r.registered in period):
                    continue
                src = r.latest.source
                rows.append({
                    "channel": r.channel, "channel_type": src.channel_type or "", "branch": src.branch or "",
                    "customer": r.customer[1], "name": r.name, "registered": r.registered, "visit": r.visit,
                    "deal": r.deal, "deal_amount_wan": r.deal_amount, "deal_property": r.deal_property or "",
                    "status": STATUS_CN.get(r.status, r.status), "status_code": r.status,
                    "winner": r.winner if r.status == LOST else "", "owner": owner_of.get(r.customer, ""),
                    "follower": src.values.get("跟进人") or "", "file": src.file, "sheet": src.sheet, "row": src.row})
        return _typed(rows, ["channel", "channel_type", "branch", "customer", "name", "registered", "visit", "deal",
                             "deal_amount_wan", "deal_property", "status", "status_code", "winner", "owner",
                             "follower", "file", "sheet", "row"],
                      dates=("registered", "visit", "deal"), floats=("deal_amount_wan",), ints=("row",),
                      categories=("channel", "channel_type", "branch", "status", "status_code", "owner"))

    def _customers(self) -> "pd.DataFrame":
        rows = []
        reg = self.summary.registers
        if reg is not None:
            for c in reg.attribution.customers:
                owner = c.owner
                rows.append({"customer": c.key[1], "name": c.name, "owner": owner.channel if owner else "",
                             "owner_registered": owner.registered if owner else None, "natural": bool(c.natural),
                             "registrations": len(c.registrations), "visit": c.visit, "deal": c.deal,
                             "deal_amount_wan": c.deal_amount, "deal_property": c.deal_property or "",
                             "deal_channel": c.deal_channel or ""})
        return _typed(rows, ["customer", "name", "owner", "owner_registered", "natural", "registrations", "visit",
                             "deal", "deal_amount_wan", "deal_property", "deal_channel"],
                      dates=("owner_registered", "visit", "deal"), floats=("deal_amount_wan",),
                      ints=("registrations",), categories=("owner",))

    def _settlement(self) -> "pd.DataFrame":
        from qudao.money import as_json

        rows = []
        reg = self.summary.registers
        for d in (reg.settlement if reg else ()):
            rows.append({"channel": d["channel"], "branch": d["branch"], "follower": d["follower"],
                         "customer": d["customer"], "name": d["name"], "registered": d["registered"],
                         "deal": d["deal"], "property": d["property"], "deal_amount_wan": as_json(d["amount"]),
                         "rate": float(d["rate"]), "rate_source": d["rate_source"],
                         "commission_wan": as_json(d["commission"]), "commission_exact_wan": d["commission"],
                         "settle_days": d["settle_days"], "due": d["due"], "status": d["status"]})
        return _typed(rows, ["channel", "branch", "follower", "customer", "name", "registered", "deal", "property",
                             "deal_amount_wan", "rate", "rate_source", "commission_wan", "commission_exact_wan",
                             "settle_days", "due", "status"],
                      dates=("registered", "deal", "due"), floats=("deal_amount_wan", "rate", "commission_wan"),
                      ints=("settle_days",), categories=("channel", "branch", "status"))

    def _conflicts(self) -> "pd.DataFrame":
        data = self.summary.to_json()
        rows = [{**c, "conflict_status": "撞单"} for c in data["conflicts"]]
        rows += [{**c, "conflict_status": "待核"} for c in data["possible_conflicts"]]
        return _typed(rows, ["conflict_status", "customer", "customer_masked", "name", "winner", "winner_date",
                             "loser", "loser_date"], dates=("winner_date", "loser_date"),
                      categories=("conflict_status", "winner", "loser"))

    def _findings(self) -> "pd.DataFrame":
        from qudao.findings import CODES
        from qudao.labels import SEVERITY_CN

        rows = [{"severity": f.severity, "severity_cn": SEVERITY_CN.get(f.severity, f.severity), "code": f.code,
                 "title": CODES[f.code].title if f.code in CODES else f.code, "file": f.file, "sheet": f.sheet,
                 "cell": f.cell, "row": f.row, "column": f.column,
                 "value": None if f.value is None else str(f.value), "message": f.message}
                for f in self.summary.sorted_findings()]
        return _typed(rows, ["severity", "severity_cn", "code", "title", "file", "sheet", "cell", "row", "column",
                             "value", "message"], ints=("row",), categories=("severity", "severity_cn", "code"))

    def _json_frame(self, key: str, rank: bool = False) -> "pd.DataFrame":
        import pandas as pd

        rows = self.summary.to_json().get(key, [])
        frame = pd.DataFrame(rows)
        if rank:
            frame.insert(0, "rank", range(1, len(frame) + 1))
        return frame


def _typed(rows: list[dict[str, Any]], columns: list[str], dates: Iterable[str] = (), floats: Iterable[str] = (),
           ints: Iterable[str] = (), categories: Iterable[str] = ()) -> "pd.DataFrame":
    """A frame with these columns in this order (also when empty): dates as datetime64, amounts as float,
    counts and row numbers as nullable integers, repeated names as categories, the rest as text."""
    import pandas as pd

    frame = pd.DataFrame(rows, columns=columns)
    for c in dates:
        frame[c] = pd.to_datetime(frame[c])
    for c in floats:
        frame[c] = pd.to_numeric(frame[c], errors="coerce").astype("float64")
    for c in ints:
        frame[c] = pd.to_numeric(frame[c], errors="coerce").astype("Int64")
    for c in categories:
        frame[c] = frame[c].astype("category")
    return frame


def open(paths: str | os.PathLike | Iterable[str | os.PathLike], as_of: str | _dt.date | None = None,  # noqa: A001
         config: str | os.PathLike | None = None, *, date_from: str | _dt.date | None = None,
         date_to: str | _dt.date | None = None, show_phones: bool = False, workers: int | None = None) -> Report:
    """Read an inbox (files and folders, as ``qudao summarize`` takes them) as of ``as_of`` (default today;
    a date or ``2026-11-27``), with the settings of ``config`` (else ``$QUDAO_CONFIG`` or ./qudao.toml), for
    the period ``date_from``–``date_to`` (default everything up to ``as_of``). Raises
    :class:`qudao.errors.QudaoError` (a Chinese message) for a bad date, a missing path or a bad config."""
    from qudao.check.engine import collect
    from qudao.commands._common import parse_day
    from qudao.config import load
    from qudao.errors import UsageError
    from qudao.jobs.summarize import run_summary

    def day(value, name: str) -> _dt.date | None:  # the dates the command line takes, by the same type
        if value is None or isinstance(value, _dt.date):
            return value.date() if isinstance(value, _dt.datetime) else value
        return parse_day(str(value), name)

    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    paths = [Path(p) for p in paths]
    for p in paths:
        if not p.exists():
            raise UsageError(f"找不到文件或文件夹：{p}")
    settings = load(config).settings
    start, end = day(date_from, "date_from"), day(date_to, "date_to")
    run = run_summary(collect(paths), settings=settings, start=start, end=end,
                      as_of=day(as_of, "as_of") or _dt.date.today(), show_phones=show_phones, workers=workers)
    return Report(run.summary)
