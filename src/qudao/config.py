"""qudao.toml: the team's settings, each with a documented default.

Looked for in this order: ``--config FILE``, ``$QUDAO_CONFIG``, ``./qudao.toml``.
:func:`load` returns :class:`Settings` plus where every value came from
(``qudao config show``). A bad file or value is a :class:`ConfigError`
naming the key (exit 2).
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import math
import os
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from qudao.errors import ConfigError, os_error_cn

WEEKDAYS = {"monday": 1, "tuesday": 2, "wednesday": 3, "thursday": 4, "friday": 5, "saturday": 6, "sunday": 7,
            "周一": 1, "周二": 2, "周三": 3, "周四": 4, "周五": 5, "周六": 6, "周日": 7, "周天": 7}


@dataclass
class Settings:
    protection_days: int = 30
    protection_warn_days: int = 7
    stale_days: int = 14
    visit_minimums: dict[str, int] = field(default_factory=lambda: {"A": 5, "B": 5, "C": 2, "D": 2})
    commission_default: float = 1.5  # percent of the deal amount
    commission_by_property: dict[str, float] = field(default_factory=dict)
    commission_settle_days: int = 60  # 结佣周期 when the agreement gives none
    commission_overdue_days: int = 30  # days after the due date before a settlement is 逾期
    commission_outside_agreement: str = "pay"  # a registration outside its channel's agreements: pay | none
    score_weights: dict[str, float] = field(
        default_factory=lambda: {"deals": 0.4, "deal_amount": 0.3, "visit_rate": 0.2, "customers": 0.1})
    grade_cutoffs: dict[str, float] = field(default_factory=lambda: {"A": 70.0, "B": 50.0, "C": 30.0})
    week_start: int = 1  # ISO: Monday
    agreement_warn_days: int = 30
    branches: list[str] = field(default_factory=list)
    channel_aliases: dict[str, str] = field(default_factory=dict)  # spelling → canonical channel name
    holidays: list[_dt.date] = field(default_factory=list)
    workdays: list[_dt.date] = field(default_factory=list)
    # our company in agreement texts; empty = not set (qudao agreement names the key and writes nothing)
    party_a: str = ""
    party_a_address: str = ""
    party_a_contact: str = ""
    party_a_phone: str = ""
    # assessment (qudao assess, docs/assessment.md)
    target_grade_cutoffs: dict[str, float] = field(default_factory=lambda: {"A": 90.0, "B": 70.0, "C": 50.0})
    assess_weights: dict[str, float] = field(default_factory=lambda: {"quantitative": 0.7, "qualitative": 0.3})
    indicator_weights: dict[str, float] = field(
        default_factory=lambda: {"registrations": 0.2, "visits": 0.2, "deals": 0.3, "deal_amount": 0.3})
    quality_weights: dict[str, float] = field(
        default_factory=lambda: {"service": 0.25, "market": 0.25, "cooperation": 0.25, "training": 0.25})
    result_cutoffs: dict[str, float] = field(default_factory=lambda: {"excellent": 90.0, "pass": 60.0})
    adjust_after: int = 2  # consecutive 不合格 periods that call for 调整合作关系
    # evidence and 串货 (issue 24: analysis/evidence.py, analysis/anomaly.py, docs/decisions.md)
    property_aliases: dict[str, str] = field(default_factory=dict)  # spelling → canonical 楼盘 name
    hold_unconfirmed: bool = True  # with a sales ledger: a deal it does not hold is 待确认, not 应结
    anomaly_off: list[str] = field(default_factory=list)  # rules switched off (property, region, bulk …)
    anomaly_bulk_day: int = 15  # registrations of one channel on one day
    anomaly_phone_run: int = 4  # phones of one channel in sequence
    anomaly_phone_gap: int = 10  # the largest step between two phones of a sequence
    anomaly_name_phones: int = 3  # phones one name is registered with by one channel
    anomaly_loss_share: float = 0.5  # a channel's registrations lost to conflicts, at least this share …
    anomaly_loss_ratio: float = 3.0  # … and this many times the other channels' share
    anomaly_loss_min: int = 10  # registrations a channel needs before its share is judged
    anomaly_price_tolerance: float = 50.0  # % below the 楼盘's price band's low end or above its high end
    anomaly_price_min_deals: int = 3  # ledger deals of a 楼盘 that make a band (without a screening sheet)
    anomaly_backfill: str = "flag"  # a 补登 registration: flag | from_copy (it competes from its copy's date)
    anomaly_regions: dict[str, list[str]] = field(default_factory=dict)  # a region's name → the places it holds
    # per-week fan-out of rollup / summarize --by-branch (docs/decisions.md → Hostile inbox, round three)
    max_branches: int = 50  # 分所 reports and to-do lists
    max_channels: int = 300  # statements
    origin: dict[str, str] | None = field(default=None, compare=False, repr=False)  # the qudao.toml used (see load)

    def canonical_channel(self, name: str) -> str:
        """The channel's identity: width-folded, spaces collapsed, aliases resolved."""
        from qudao.normalize import name_key

        key = name_key(name)
        folded = self.__dict__.get("_aliases")
        if folded is None:
            folded = {name_key(k): name_key(v) for k, v in self.channel_aliases.items()}
            self.__dict__["_aliases"] = folded
        return folded.get(key, key)

    def canonical_property(self, name: str) -> str:
        """A 楼盘's identity for matching registers with the sales ledger: width, case, spaces and punctuation
        folded, a phase (「二期」「（一期）」) and a trailing 项目/楼盘 dropped, then aliases (docs/decisions.md →
        Evidence and 串货)."""
        from qudao.normalize import property_key

        folded = self.__dict__.get("_property_aliases")
        if folded is None:
            folded = {property_key(k): property_key(v) for k, v in self.property_aliases.items()}
            self.__dict__["_property_aliases"] = folded
        key = property_key(name)
        return folded.get(key, key)

    def config_json(self) -> dict[str, Any]:
        """Which settings file was used, for every output: ``{"file", "sha256", "from"}`` (file null: defaults)."""
        return dict(self.origin) if self.origin else {"file": None, "sha256": None, "from": "defaults"}

    def config_line(self) -> str:
        """The same for people: 「配置：qudao.toml（当前文件夹，sha256 3f2a…）」."""
        o = self.origin
        if not o:
            return "配置：默认设置（未使用 qudao.toml）"
        where = {"--config": "--config 指定", "QUDAO_CONFIG": "环境变量 QUDAO_CONFIG", "cwd": "当前文件夹"}[o["from"]]
        return f"配置：{o['file']}（{where}，sha256 {o['sha256'][:12]}）"

    def to_dict(self) -> dict[str, Any]:
        out = {}
        for f in fields(self):
            if f.name == "origin":
                continue
            value = getattr(self, f.name)
            if isinstance(value, list):
                value = [v.isoformat() if isinstance(v, _dt.date) else v for v in value]
            out[f.name] = value
        return out


MAX_DAYS = 3650  # any number of days in the settings (ten years; a larger one overflows date arithmetic)
MAX_VISITS = 1000  # visits a month
MAX_ADJUST = 12  # 不合格 periods in a row (three years of quarters; more reaches back before any data)
MAX_FANOUT = 10_000  # reports of one kind a week
YEARS = (1990, 2100)  # dates in the settings, as in cells

# key in the file → (attribute, kind of value, documentation)
KEYS: dict[str, tuple[str, str, str]] = {
    "attribution.protection_days": ("protection_days", "days", "保护期天数（登记日起）"),
    "attribution.expiring_warn_days": ("protection_warn_days", "days",
                                       "保护期到期前多少天预警（汇总的保护期预警、qudao todo 的“保护期将到”）"),
    "followup.stale_days": ("stale_days", "days", "多少天未跟进算停滞"),
    "visits.minimum": ("visit_minimums", "grade_ints", "各等级渠道每月最少拜访次数"),
    "commission.default_rate": ("commission_default", "percent", "默认佣金点位（%）"),
    "commission.property_rates": ("commission_by_property", "name_percents", "按楼盘的佣金点位（%）"),
    "commission.settle_days": ("commission_settle_days", "days", "协议没有写结佣周期时的默认结佣周期（天）"),
    "commission.overdue_days": ("commission_overdue_days", "days", "到了结佣日期后多少天仍未结算算逾期"),
    "commission.outside_agreement": ("commission_outside_agreement", "choice:pay|none",
                                     "登记时渠道协议未生效的客户：pay 照常计佣（并提示），none 不计佣"),
    "score.weights": ("score_weights", "weights", "评分权重（成交数/成交金额/到访率/有效客户）"),
    "score.grades": ("grade_cutoffs", "cutoffs", "建议等级的分数线"),
    "week.start": ("week_start", "weekday", "每周从星期几开始（ISO 为 monday）"),
    "agreements.expiring_days": ("agreement_warn_days", "days", "协议到期前多少天预警"),
    "branches.list": ("branches", "names", "分所名单"),
    "channels.aliases": ("channel_aliases", "aliases", "渠道别名：写法 → 标准名称"),
    "calendar.holidays": ("holidays", "dates", "节假日（日历包不认识的年份，如 2027）"),
    "calendar.workdays": ("workdays", "dates", "调休上班日"),
    "agreement.party_a": ("party_a", "opt_text", "协议文本中的甲方（我方公司全称，也是发票抬头）；空 = 未设置"),
    "agreement.party_a_address": ("party_a_address", "opt_text", "协议文本中的甲方地址；空 = 未设置"),
    "agreement.party_a_contact": ("party_a_contact", "opt_text", "协议文本中的甲方联系人（或对接部门）；空 = 未设置"),
    "agreement.party_a_phone": ("party_a_phone", "opt_text", "协议文本中的甲方联系电话；空 = 未设置"),
    "score.target_grades": ("target_grade_cutoffs", "cutoffs", "有目标的渠道按目标进度得分评级的分数线"),
    "assess.weights": ("assess_weights", "weights", "考核总分中定量、定性得分的权重"),
    "assess.indicators": ("indicator_weights", "weights", "定量指标的权重（登记/到访/成交套数/成交金额）"),
    "assess.qualitative": ("quality_weights", "weights", "定性四项的权重（服务质量/满意度、市场开发、配合度、培训参与）"),
    "assess.results": ("result_cutoffs", "results", "考核结果的分数线（优秀、合格）"),
    "assess.adjust_after": ("adjust_after", f"int:1-{MAX_ADJUST}", "连续几期不合格时建议调整合作关系"),
    "properties.aliases": ("property_aliases", "aliases", "楼盘别名：写法 → 标准名称（登记表与案场成交台账对应时用）"),
    "evidence.hold_unconfirmed": ("hold_unconfirmed", "bool",
                                  "有案场成交台账时，台账中没有的成交为“待确认”，佣金暂不列入应结（false：照常应结）"),
    "anomaly.off": ("anomaly_off", "rules", "关闭的异常监控规则（property region bulk sequence pattern name "
                                          "after_visit loss price backfill）"),
    "anomaly.bulk_day": ("anomaly_bulk_day", "int:2-10000", "同一渠道同一天登记多少人算批量登记"),
    "anomaly.phone_run": ("anomaly_phone_run", "int:3-1000", "同一渠道多少个号码连号算连号登记"),
    "anomaly.phone_gap": ("anomaly_phone_gap", "int:1-1000", "连号：相邻两个号码最多相差多少"),
    "anomaly.name_phones": ("anomaly_name_phones", "int:2-1000", "同一渠道同一姓名登记多少个不同号码算一名多号"),
    "anomaly.loss_share": ("anomaly_loss_share", "float:0-1", "撞单比例：渠道登记中撞单落败的比例至少为多少"),
    "anomaly.loss_ratio": ("anomaly_loss_ratio", "float:1-100", "撞单比例：且至少是其他渠道合计比例的多少倍"),
    "anomaly.loss_min": ("anomaly_loss_min", "int:1-100000", "撞单比例：渠道至少有多少条登记才判断"),
    "anomaly.price_tolerance": ("anomaly_price_tolerance", "float:0-1000",
                                "成交金额低于楼盘价格区间下限或高于上限多少（%）算偏离"),
    "anomaly.price_min_deals": ("anomaly_price_min_deals", "int:1-10000",
                                "没有楼盘筛选表的总价区间时，案场台账中该楼盘至少多少笔成交才形成价格区间"),
    "anomaly.backfill": ("anomaly_backfill", "choice:flag|from_copy",
                         "补登：flag 照常按登记日期归属并列入异常监控，from_copy 从首次报送该客户的那份表的日期起算"),
    "anomaly.regions": ("anomaly_regions", "regions", "合作区域的自定义名称 → 包含的地名，如 { 川西 = [\"甘孜\", \"阿坝\"] }"),
    "output.max_branches": ("max_branches", f"int:0-{MAX_FANOUT}",
                            "每周最多为多少个分所各写一份分所报告和待办清单（登记最多的优先；分所名单中的总是在内）"),
    "output.max_channels": ("max_channels", f"int:0-{MAX_FANOUT}", "每周最多为多少个渠道各写一份对账单（登记最多的优先）"),
}

ANOMALY_RULES = ("property", "region", "bulk", "sequence", "pattern", "name", "after_visit", "loss", "price",
                 "backfill")

DEFAULT_TOML = '''# qudao.toml — settings for the qudao toolkit. Every key is optional;
# a missing key keeps the default shown here.

[attribution]
protection_days = 30        # 保护期（天），从登记日期起算
expiring_warn_days = 7      # 保护期到期前多少天进入预警名单和本周待办（qudao todo --days 可临时改）

[followup]
stale_days = 14             # 超过多少天未跟进算停滞

[visits]
minimum = { A = 5, B = 5, C = 2, D = 2 }   # 各等级渠道每月最少拜访次数

[commission]
default_rate = 1.5          # 默认佣金点位（%）
settle_days = 60            # 协议没有写结佣周期时，成交后多少天结佣
overdue_days = 30           # 到了结佣日期后多少天仍未结算算逾期
outside_agreement = "pay"   # 登记时协议未生效的客户：pay 照常计佣（并提示），none 不计佣
# property_rates = { "麓湖花园" = 2.0, "天府云城" = 1.2 }   # 按楼盘（成交楼盘）的点位（%）

[score]
# 没有目标的渠道：相对本期最佳渠道的评分和等级
weights = { deals = 0.4, deal_amount = 0.3, visit_rate = 0.2, customers = 0.1 }
grades = { A = 70, B = 50, C = 30 }   # 评分 ≥ 70 为 A，≥ 50 为 B，≥ 30 为 C，其余 D
# 有目标的渠道（渠道目标表）：按目标进度评分（见 docs/assessment.md）
target_grades = { A = 90, B = 70, C = 50 }

[week]
start = "monday"            # 每周起始日

[agreements]
expiring_days = 30          # 协议到期前多少天预警

[branches]
list = []                   # 分所名单，如 ["拉萨分所", "日喀则分所"]

[channels]
aliases = {}                # 同一渠道的不同写法，如 { "雪域物业" = "拉萨雪域物业服务有限公司" }

[calendar]
# 节假日和调休上班日（内置日历还没有的年份，如 2027 年）
holidays = []               # 如 ["2027-01-01", "2027-02-11"]
workdays = []               # 如 ["2027-02-07"]

[agreement]
# qudao agreement 生成协议文本时的甲方（我方）信息。留空表示未设置：
# 协议文本需要这四项，缺任何一项时 qudao agreement 会指出并且不生成文件。
party_a = ""                # 甲方全称，与公章一致（也是乙方开具佣金发票的抬头），如 "成都某某房地产营销策划有限公司"
party_a_address = ""        # 甲方地址
party_a_contact = ""        # 甲方联系人或对接部门，如 "渠道拓展部 李强"
party_a_phone = ""          # 甲方联系电话（可为座机，如 "028-8888 6666"）

[assess]
# qudao assess：季度、半年、年度考核（公式和示例见 docs/assessment.md）
weights = { quantitative = 0.7, qualitative = 0.3 }   # 总分 = 定量得分 × 0.7 + 定性得分 × 0.3
indicators = { registrations = 0.2, visits = 0.2, deals = 0.3, deal_amount = 0.3 }   # 登记、到访、成交套数、成交金额
qualitative = { service = 0.25, market = 0.25, cooperation = 0.25, training = 0.25 }   # 服务质量/满意度、市场开发、配合度、培训参与
results = { excellent = 90, pass = 60 }   # 总分 ≥ 90 优秀（奖励），≥ 60 合格，其余不合格（整改）
adjust_after = 2            # 连续 2 期不合格：建议调整合作关系

[properties]
aliases = {}                # 同一楼盘的不同写法，如 { "麓湖" = "麓湖花园" }（登记表与案场成交台账对应时用）

[evidence]
# 收件箱中有案场成交台账（qudao new sales）时，渠道报送的成交以台账为准
hold_unconfirmed = true     # 台账中没有的成交为“待确认”，佣金列出但暂不列入应结；false：照常应结

[anomaly]
# 异常监控（串货与异常登记，见 docs/decisions.md “Evidence and 串货”）
off = []                    # 关闭的规则，如 ["region"]；可用：property region bulk sequence pattern name after_visit loss price backfill
bulk_day = 15               # 同一渠道同一天登记 ≥ 15 人：批量登记
phone_run = 4               # 同一渠道 ≥ 4 个号码连号（相邻相差 ≤ phone_gap）
phone_gap = 10
name_phones = 3             # 同一渠道同一姓名 ≥ 3 个不同号码
loss_share = 0.5            # 渠道登记中撞单落败 ≥ 50%
loss_ratio = 3.0            # 且 ≥ 其他渠道合计比例的 3 倍
loss_min = 10               # 渠道至少 10 条登记才判断
price_tolerance = 50        # 成交金额低于楼盘价格区间下限 50% 以上或高于上限 50% 以上
price_min_deals = 3         # 没有楼盘筛选表时，案场台账中该楼盘至少 3 笔成交才形成价格区间
backfill = "flag"           # 补登：flag 列入异常监控；from_copy 从首次报送该客户那份表的日期起算归属
regions = {}                # 合作区域的自定义名称，如 { 川西 = ["甘孜", "阿坝"] }

[output]
# qudao rollup（和 summarize --by-branch）每周按分所、按渠道各写一份文件的上限；超出的写进问题清单
max_branches = 50           # 分所报告和待办清单：最多 50 个分所（分所名单中的优先，其次登记最多的）
max_channels = 300          # 对账单：最多 300 个渠道（登记最多的优先；其余可用 qudao statement 单独生成）
'''


@dataclass
class Loaded:
    settings: Settings
    path: Path | None
    sources: dict[str, str]  # key → "默认" or the file


def _fail(key: str, message: str) -> None:
    raise ConfigError(f"配置项 {key} 无效：{message}")


def _number(value: Any) -> bool:
    """A finite int or float (TOML also writes nan and inf)."""
    return not isinstance(value, bool) and isinstance(value, (int, float)) and math.isfinite(value)


def check_days(value: Any) -> str | None:
    """Why ``value`` is not a number of days (0–3650), or None."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_DAYS:
        return f"应为 0–{MAX_DAYS} 之间的整数（天），当前为 {value!r}"
    return None


def _convert(key: str, kind: str, value: Any) -> Any:
    if kind == "days":
        problem = check_days(value)
        if problem:
            _fail(key, problem)
        return value
    if kind == "int+":
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_VISITS:
            _fail(key, f"应为 0–{MAX_VISITS} 之间的整数，当前为 {value!r}")
        return value
    if kind == "percent":
        if not _number(value) or not 0 <= value <= 100:
            _fail(key, f"应为 0–100 之间的百分数，当前为 {value!r}")
        return float(value)
    if kind == "grade_ints":
        if not isinstance(value, dict):
            _fail(key, "应为表，如 { A = 5, B = 5, C = 2, D = 2 }")
        out = dict(Settings().visit_minimums)
        for g, n in value.items():
            if g not in out:
                _fail(key, f"等级只能是 A/B/C/D，当前有 {g!r}")
            out[g] = _convert(f"{key}.{g}", "int+", n)
        return out
    if kind == "name_percents":
        if not isinstance(value, dict):
            _fail(key, "应为表，如 { \"麓湖花园\" = 2.0 }")
        return {str(k): _convert(f"{key}.{k}", "percent", v) for k, v in value.items()}
    if kind.startswith(("int:", "float:")):
        low, high = (float(x) for x in kind.split(":", 1)[1].split("-"))
        integral = kind.startswith("int:")
        ok = (isinstance(value, int) if integral else _number(value)) and not isinstance(value, bool)
        if not ok or not low <= value <= high:
            what = "整数" if integral else "数"
            _fail(key, f"应为 {low:g}–{high:g} 之间的{what}，当前为 {value!r}")
        return value if integral else float(value)
    if kind == "bool":
        if not isinstance(value, bool):
            _fail(key, f"应为 true 或 false，当前为 {value!r}")
        return value
    if kind == "rules":
        if not isinstance(value, list) or not all(isinstance(v, str) and v in ANOMALY_RULES for v in value):
            _fail(key, f"应为规则名称的列表，可用：{' '.join(ANOMALY_RULES)}；当前为 {value!r}")
        return list(value)
    if kind == "regions":
        if not isinstance(value, dict) or not all(
                isinstance(v, list) and v and all(isinstance(x, str) and x.strip() for x in v) for v in value.values()):
            _fail(key, "应为表：区域名称 = [\"地名\", …]")
        return {str(k): [x.strip() for x in v] for k, v in value.items()}
    if kind == "weights":
        if not isinstance(value, dict):
            _fail(key, "应为表")
        out = dict(getattr(Settings(), KEYS[key][0]))
        for k, v in value.items():
            if k not in out:
                _fail(key, f"只能有 {'/'.join(out)}，当前有 {k!r}")
            if not _number(v) or not 0 <= v <= 1:
                _fail(f"{key}.{k}", f"应为 0–1 之间的数，当前为 {v!r}")
            out[k] = float(v)
        if abs(sum(out.values()) - 1.0) > 1e-6:
            _fail(key, f"权重之和应为 1，当前为 {sum(out.values()):g}")
        return out
    if kind == "results":
        if not isinstance(value, dict):
            _fail(key, "应为表，如 { excellent = 90, pass = 60 }")
        out = dict(Settings().result_cutoffs)
        for k, v in value.items():
            if k not in out:
                _fail(key, f"只能有 excellent/pass，当前有 {k!r}")
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not 0 <= v <= 100:
                _fail(f"{key}.{k}", f"应为 0–100，当前为 {v!r}")
            out[k] = float(v)
        if not out["excellent"] >= out["pass"]:
            _fail(key, "分数线应满足 excellent ≥ pass")
        return out
    if kind == "cutoffs":
        if not isinstance(value, dict):
            _fail(key, "应为表，如 { A = 70, B = 50, C = 30 }")
        out = dict(getattr(Settings(), KEYS[key][0]))
        for k, v in value.items():
            if k not in out:
                _fail(key, f"只能有 A/B/C，当前有 {k!r}")
            if not _number(v) or not 0 <= v <= 100:
                _fail(f"{key}.{k}", f"应为 0–100，当前为 {v!r}")
            out[k] = float(v)
        if not out["A"] >= out["B"] >= out["C"]:
            _fail(key, "分数线应满足 A ≥ B ≥ C")
        return out
    if kind == "weekday":
        text = str(value).strip().lower()
        if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 7:
            return value
        if text not in WEEKDAYS:
            _fail(key, f"应为 monday…sunday（或 1–7），当前为 {value!r}")
        return WEEKDAYS[text]
    if kind.startswith("choice:"):
        choices = kind.split(":", 1)[1].split("|")
        if value not in choices:
            _fail(key, f"只能是 {' 或 '.join(choices)}，当前为 {value!r}")
        return value
    if kind == "text":
        if not isinstance(value, str) or not value.strip():
            _fail(key, "应为非空文字")
        return value.strip()
    if kind == "opt_text":  # may be empty: empty means "not set"
        if not isinstance(value, str):
            _fail(key, f"应为文字（用引号括起来），当前为 {value!r}")
        return value.strip()
    if kind == "names":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            _fail(key, "应为文字列表")
        return list(value)
    if kind == "aliases":
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            _fail(key, "应为表：写法 = \"标准名称\"")
        return {str(k): v for k, v in value.items()}
    if kind == "dates":
        if not isinstance(value, list):
            _fail(key, "应为日期列表，如 [\"2027-01-01\"]")
        out = []
        for v in value:
            if isinstance(v, _dt.date):
                day = v if not isinstance(v, _dt.datetime) else v.date()
            else:
                try:
                    day = _dt.date.fromisoformat(str(v))
                except ValueError:
                    _fail(key, f"{v!r} 不是 yyyy-mm-dd 日期")
            if not YEARS[0] <= day.year <= YEARS[1]:
                _fail(key, f"{day.isoformat()} 的年份应在 {YEARS[0]}–{YEARS[1]} 之间")
            out.append(day)
        return out
    raise AssertionError(kind)  # pragma: no cover


def _find(explicit: str | os.PathLike | None) -> tuple[Path | None, str]:
    """The settings file and how it was found: ``--config``, ``QUDAO_CONFIG`` or ``cwd``."""
    if explicit:
        path = Path(explicit)
        if not path.is_file():
            raise ConfigError(f"找不到配置文件：{explicit}")
        return path, "--config"
    env = os.environ.get("QUDAO_CONFIG")
    if env:
        path = Path(env)
        if not path.is_file():
            raise ConfigError(f"环境变量 QUDAO_CONFIG 指向的配置文件不存在：{env}")
        return path, "QUDAO_CONFIG"
    local = Path("qudao.toml")
    return (local, "cwd") if local.is_file() else (None, "")


def load(explicit: str | os.PathLike | None = None) -> Loaded:
    path, how = _find(explicit)
    settings = Settings()
    sources = {key: "默认" for key in KEYS}
    if path is None:
        return Loaded(settings, None, sources)
    try:
        raw = path.read_bytes()
        settings.origin = {"file": str(path), "sha256": hashlib.sha256(raw).hexdigest(), "from": how}
        data = tomllib.loads(raw.decode("utf-8-sig"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"配置文件 {path} 格式有误：{exc}") from None
    except RecursionError:  # a = [[[[…]]]] nested thousands deep
        raise ConfigError(f"配置文件 {path} 格式有误：嵌套层数过多（不像 qudao 的配置文件）") from None
    except OSError as exc:
        raise ConfigError(f"无法读取配置文件 {path}：{os_error_cn(exc)}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"无法读取配置文件 {path}：不是 UTF-8 编码的文本") from None
    known_sections = {k.split(".")[0] for k in KEYS}
    for section, body in data.items():
        if section not in known_sections:
            raise ConfigError(f"配置项 {section} 无效：未知的配置段（可用：{'、'.join(sorted(known_sections))}）")
        if not isinstance(body, dict):
            raise ConfigError(f"配置项 {section} 无效：应为 [{section}] 段")
        for name, value in body.items():
            key = f"{section}.{name}"
            if key not in KEYS:
                options = "、".join(k for k in KEYS if k.startswith(section + "."))
                raise ConfigError(f"配置项 {key} 无效：未知的配置项（本段可用：{options}）")
            attr, kind, _doc = KEYS[key]
            setattr(settings, attr, _convert(key, kind, value))
            sources[key] = str(path)
    return Loaded(settings, path, sources)


def value_of(settings: Settings, key: str) -> Any:
    return getattr(settings, KEYS[key][0])
