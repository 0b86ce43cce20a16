"""Findings are data: one dataclass and one catalogue of codes, which every layer stands on.

The JSON output, the terminal, the annotated workbook and the summary's
问题清单 sheet all render from :class:`Finding`. :data:`CODES` is the
catalogue: each stable code with its default severity, a short Chinese
title and a one-line description (the generated docs/findings.md).
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Any, NamedTuple

from qudao.labels import SEVERITY_CN  # noqa: F401  (re-exported: findings and their labels travel together)

ERROR, WARNING, INFO = "error", "warning", "info"
SEVERITY_ORDER = {ERROR: 0, WARNING: 1, INFO: 2}


class Code(NamedTuple):
    severity: str  # the default severity
    title: str  # a short Chinese title (主要问题, docs)
    description: str  # one line, in English, for the developer docs (docs/findings.md)


# Codes are a stable contract (JSON, --format json, annotated copies).
CODES: dict[str, Code] = {
    "file.unreadable": Code(ERROR, "文件无法读取",
                            "not a spreadsheet, corrupt, encrypted, or over the reading limits (docs/reading.md)"),
    "file.changed": Code(WARNING, "读取时文件被改动",
                         "the file was replaced or written to while it was read; what was read may be incomplete"),
    "file.kind_unknown": Code(ERROR, "无法识别表格类型", "no _qudao sheet and the headers match no kind"),
    "header.missing": Code(ERROR, "缺少必需的列", "a required column is absent; no row of that table can be accepted"),
    "header.duplicate": Code(WARNING, "列重复", "two columns mean the same header; each row takes the first non-empty"),
    "value.required": Code(ERROR, "必填项为空", "a required cell is empty (also required-when and the register's channel)"),
    "value.type": Code(ERROR, "类型不对", "not a date / number / integer / week where one is needed"),
    "value.enum": Code(ERROR, "不在可选值中", "not one of the allowed values"),
    "value.range": Code(ERROR, "超出范围", "outside the column's range (numbers, years)"),
    "value.truncated": Code(WARNING, "内容过长已截断",
                            "a text cell longer than Excel's 32,767 characters; read and reported with the first 32,767"),
    "value.unlabeled": Code(WARNING, "表格外的内容", "a value in a cell under no header; ignored"),
    "block.value": Code(WARNING, "表头信息有误", "a header-block value (报送日期 …) that does not parse; never rejects rows"),
    "phone.format": Code(ERROR, "电话格式不对", "not an 11-digit mainland mobile or a masked 前三后四 number"),
    "date.order": Code(ERROR, "日期先后不对", "a date before the one it must follow (到访 before 登记 …)"),
    "date.future": Code(ERROR, "日期晚于报送日期", "an event dated after the file's date (or --as-of)"),
    "date.year_inferred": Code(INFO, "年份取自表头", "a date written without a year; the year chosen is named"),
    "deal.incomplete": Code(ERROR, "成交信息不全", "成交日期, 成交楼盘 and 成交金额 must go together"),
    "deal.no_visit": Code(WARNING, "成交无到访", "a deal without a visit date"),
    "register.duplicate": Code(WARNING, "重复登记", "the same customer twice for one channel in one file; merged"),
    "register.empty": Code(WARNING, "登记表没有数据", "a register without a single data row (a blank template sent back?)"),
    "row.duplicate": Code(WARNING, "重复的行",
                          "fill: a row already in the target (a register: the same customer for the same channel); "
                          "not written again"),
    "attribution.conflict": Code(WARNING, "撞单", "a registration inside another channel's protection period"),
    "attribution.after_visit": Code(WARNING, "到访后才登记", "registered after the customer had already visited"),
    "attribution.possible": Code(WARNING, "疑似撞单（待核）",
                                 "a masked phone that may be another channel's customer; not counted"),
    "protection.expiring": Code(INFO, "保护期将到", "protection ends within the warning days and no visit yet"),
    "task.overdue": Code(WARNING, "事项逾期", "a plan or handoff item past due and not 已完成/取消"),
    "followup.stale": Code(WARNING, "跟进停滞", "a negotiation or A/B customer not followed up for more than the stale days"),
    "stage.regressed": Code(WARNING, "阶段倒退", "a negotiation moved back to an earlier stage since an older file"),
    "visits.below_minimum": Code(WARNING, "拜访次数不足", "a channel's visits this month below its grade's minimum"),
    "steps.order": Code(WARNING, "拓展步骤顺序不对", "expansion steps out of the standard order"),
    "agreement.expiring": Code(WARNING, "协议将到期", "an agreement in force ends within the warning days"),
    "agreement.expired_active": Code(ERROR, "协议已过期仍为有效", "an agreement marked 有效 whose 到期日期 has passed"),
    "agreement.duplicate_id": Code(ERROR, "协议编号重复", "the same 协议编号 twice in the ledger"),
    "weights.sum": Code(ERROR, "权重合计不是100", "the six screening weights do not sum to 100"),
    "period.invalid": Code(ERROR, "考核期间格式不对", "an assessment period that is not 2026Q4 / 2026H2 / 2026 (targets, scores)"),
    "target.duplicate": Code(ERROR, "目标重复",
                             "the same channel (or branch) and period twice: in one file the later row is rejected; "
                             "across files a warning, and the newer file counts"),
    "target.overlap": Code(WARNING, "目标前后矛盾",
                           "a half-year or year target below the sum of the targets of the periods inside it"),
    "score.duplicate": Code(ERROR, "评分重复",
                            "the same channel and period scored twice: in one file the later row is rejected; "
                            "across files a warning, and the newer file counts"),
    "channel.unknown": Code(WARNING, "未知渠道",
                            "a channel of a targets or scores sheet that no register, agreement or expansion "
                            "tracker of the same run names"),
    "row.hidden": Code(INFO, "隐藏行", "the row was hidden in the workbook; read as usual"),
    "formula.no_cache": Code(INFO, "公式无计算结果", "a formula without a cached value; read as empty"),
    "channel.matched": Code(INFO, "渠道按简称对应",
                            "a channel name of another workbook matched a register's channel by its short name"),
    "channel.unmatched": Code(WARNING, "渠道名称对不上",
                              "a channel name of another workbook matches no register channel, or several"),
    "agreement.missing": Code(WARNING, "渠道没有协议", "a register channel without any agreement in the ledger: defaults used"),
    "agreement.not_in_force": Code(WARNING, "登记时协议未生效",
                                   "an owned registration dated outside every agreement of its channel"),
    "check.failed": Code(ERROR, "检查出错",
                         "an internal error while checking a file or comparing files; the run goes on without it"),
    "annotate.failed": Code(WARNING, "标注副本未写出",
                            "validate --annotate could not write this file's marked copy (full disk, crash); exit 1"),
    "submission.missing": Code(WARNING, "本周未报送",
                               "a series that had a copy last week has none this week (rollup)"),
    "output.capped": Code(WARNING, "报告份数超过上限",
                          "more branches (or channels) than [output] max_branches (max_channels): the first ones by "
                          "priority get their files, the rest are named here (rollup, summarize --by-branch)"),
    "output.name": Code(WARNING, "名称无法作为文件名",
                        "a branch's or channel's file name clashes with another's or does not fit: its file is "
                        "not written, the rest of the week is"),
    # issue 24: the sales ledger as evidence (analysis/evidence.py) and the 异常监控 watch (analysis/anomaly.py)
    "sales.amount_yuan": Code(INFO, "金额按元换算",
                              "a sales ledger's amount column without a unit whose every value is ≥ 10,000: read as 元"),
    "evidence.unconfirmed": Code(WARNING, "成交待案场确认",
                                 "a deal a channel reports that the sales ledger of its 楼盘 does not hold (待确认)"),
    "evidence.amount_mismatch": Code(WARNING, "成交金额与案场不符",
                                     "a reported deal amount differs from the sales ledger's; the ledger's counts"),
    "evidence.date_mismatch": Code(WARNING, "成交日期与案场不符",
                                   "a reported deal date is neither the ledger's 认购日期 nor its 签约日期; the ledger's counts"),
    "evidence.visit_mismatch": Code(WARNING, "到访日期与案场不符",
                                    "a reported first visit differs from the ledger's 首次到访日期, which decides attribution"),
    "evidence.unreported": Code(WARNING, "案场成交，渠道未报",
                                "a ledger deal of a customer a channel owns and never reported as a deal; credited to it"),
    "anomaly.property_outside": Code(WARNING, "合作楼盘以外",
                                     "registrations for a 楼盘 outside the channel's agreement's 合作楼盘"),
    "anomaly.region_outside": Code(WARNING, "合作区域以外",
                                   "customers whose 常住城市 lies outside the agreement's 合作区域 (where it names places)"),
    "anomaly.bulk_day": Code(WARNING, "批量登记", "at least anomaly.bulk_day registrations of one channel on one day"),
    "anomaly.phone_sequence": Code(WARNING, "号码连号", "phones of one channel in sequence (anomaly.phone_run, phone_gap)"),
    "anomaly.phone_pattern": Code(WARNING, "号码规律异常",
                                  "a phone whose last eight digits repeat one or two digits, or a block, or run in order"),
    "anomaly.name_phones": Code(WARNING, "一名多号", "one name registered with several phones by one channel"),
    "anomaly.after_visit": Code(WARNING, "到访后登记（截客）",
                                "a registration dated after the customer's first visit (the ledger's when present)"),
    "anomaly.loss_share": Code(WARNING, "撞单比例异常",
                               "a channel whose share of registrations lost to conflicts is far above the others'"),
    "anomaly.price_band": Code(WARNING, "成交价偏离",
                               "a deal amount far outside its 楼盘's price band (screening sheet or sales ledger)"),
    "anomaly.backfill": Code(WARNING, "补登",
                             "a registration first sent in a copy dated D, dated before the channel's previous copy, "
                             "which did not hold it"),
}


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, (str, int, bool)):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() and abs(value) < 1e15 else value
    if isinstance(value, (_dt.date, _dt.datetime, _dt.time)):
        return value.isoformat()
    return str(value)


@dataclass(slots=True)
class Finding:
    severity: str
    code: str
    message: str
    file: str = ""
    sheet: str = ""
    cell: str = ""
    row: int | None = None
    column: str = ""
    value: Any = None

    def __reduce__(self):  # compact and fast to send between processes
        return (Finding, (self.severity, self.code, self.message, self.file, self.sheet, self.cell, self.row,
                          self.column, self.value))

    def to_dict(self, with_file: bool = False, superseded_by: str | None = None) -> dict[str, Any]:
        """JSON form; a finding of a superseded copy carries ``superseded_by`` (history, not counted)."""
        out: dict[str, Any] = {
            "severity": self.severity,
            "code": self.code,
            "sheet": self.sheet,
            "cell": self.cell,
            "row": self.row,
            "column": self.column,
            "value": _jsonable(self.value),
            "message": self.message,
        }
        if with_file:
            out = {"file": self.file, **out}
        if superseded_by:
            out["superseded_by"] = superseded_by
        return out

    @property
    def where(self) -> str:
        """``工作表!D7`` or ``第7行`` — for people."""
        place = self.cell or (f"第{self.row}行" if self.row else "")
        if self.sheet and place:
            return f"{self.sheet}!{place}"
        return self.sheet or place

    def sort_key(self) -> tuple:
        return (self.file, self.sheet, self.row or 0, self.cell, SEVERITY_ORDER.get(self.severity, 9), self.code)


def make(code: str, message: str, *, severity: str | None = None, **where: Any) -> Finding:
    """A finding with its default severity from :data:`CODES`."""
    return Finding(severity or CODES[code][0], code, message, **where)


def row_place(where: tuple[str, int], sheet: str) -> str:
    """「第 5 行」, or 「「10月」第 5 行」 when the row is on another sheet than ``sheet``."""
    return f"第 {where[1]} 行" if where[0] == sheet else f"「{where[0]}」第 {where[1]} 行"
