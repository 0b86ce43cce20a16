"""Findings are data: one dataclass and one catalogue of codes, which every layer stands on.

The JSON output, the terminal, the annotated workbook and the summary's
问题清单 sheet all render from :class:`Finding`. :data:`CODES` is the
catalogue: each stable code with its default severity, a short Chinese
title and a one-line description (the generated docs/findings.md).
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Any

from qudao.labels import SEVERITY_CN  # noqa: F401  (re-exported: findings and their labels travel together)

ERROR, WARNING, INFO = "error", "warning", "info"
SEVERITY_ORDER = {ERROR: 0, WARNING: 1, INFO: 2}


# code → (default severity, short Chinese title). Codes are a stable contract.
CODES: dict[str, tuple[str, str]] = {
    "file.unreadable": (ERROR, "文件无法读取"),
    "file.kind_unknown": (ERROR, "无法识别表格类型"),
    "header.missing": (ERROR, "缺少必需的列"),
    "header.duplicate": (WARNING, "列重复"),
    "value.required": (ERROR, "必填项为空"),
    "value.type": (ERROR, "类型不对"),
    "value.enum": (ERROR, "不在可选值中"),
    "value.range": (ERROR, "超出范围"),
    "value.unlabeled": (WARNING, "表格外的内容"),
    "block.value": (WARNING, "表头信息有误"),
    "phone.format": (ERROR, "电话格式不对"),
    "date.order": (ERROR, "日期先后不对"),
    "date.future": (ERROR, "日期晚于报送日期"),
    "date.year_inferred": (INFO, "年份取自表头"),
    "deal.incomplete": (ERROR, "成交信息不全"),
    "deal.no_visit": (WARNING, "成交无到访"),
    "register.duplicate": (WARNING, "重复登记"),
    "attribution.conflict": (WARNING, "撞单"),
    "attribution.after_visit": (WARNING, "到访后才登记"),
    "attribution.possible": (WARNING, "疑似撞单（待核）"),
    "protection.expiring": (INFO, "保护期将到"),
    "task.overdue": (WARNING, "事项逾期"),
    "followup.stale": (WARNING, "跟进停滞"),
    "stage.regressed": (WARNING, "阶段倒退"),
    "visits.below_minimum": (WARNING, "拜访次数不足"),
    "steps.order": (WARNING, "拓展步骤顺序不对"),
    "agreement.expiring": (WARNING, "协议将到期"),
    "agreement.expired_active": (ERROR, "协议已过期仍为有效"),
    "agreement.duplicate_id": (ERROR, "协议编号重复"),
    "weights.sum": (ERROR, "权重合计不是100"),
    "row.hidden": (INFO, "隐藏行"),
    "formula.no_cache": (INFO, "公式无计算结果"),
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

    def to_dict(self, with_file: bool = False) -> dict[str, Any]:
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
