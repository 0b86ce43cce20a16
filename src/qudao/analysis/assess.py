"""Channel assessment (考核) by quarter, half-year and year — the numbers (docs/assessment.md).

For one period: each channel's actuals (the summary's attribution and counting for the period), its targets
(渠道目标表) and 完成率, the quantitative score, the qualitative score (渠道考核评分表), the total, the result
and the action the rules call for; each branch's roll-up with its new-channel development; the previous
period beside it. And :func:`grade_against_targets`, the absolute 建议等级 the summary shows for channels
that have targets. Every figure is a :class:`~decimal.Decimal`, rounded half-up only where it is shown.

No files or formats here: the job (qudao.jobs.assess) reads and summarizes, the writers render.
"""

from __future__ import annotations

import datetime as _dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Any, Iterable

from qudao.analysis.register import Period, Stats, count
from qudao.check.targets import branch_key, channel_key, rows_by_key
from qudao.config import Settings
from qudao.money import dec
from qudao.periods import ReviewPeriod, periods_containing
from qudao.records import FileReport
from qudao.schema.scores import ITEMS
from qudao.schema.scores import SHEET as SCORE_SHEET
from qudao.schema.targets import DEV_SHEET, DEV_TARGET, INDICATORS
from qudao.schema.targets import SHEET as TARGET_SHEET

HUNDRED = Decimal(100)
POINTS_PER_SCORE = Decimal(20)  # a 1–5 score × 20 → 0–100: all 3s (合格) make 60, the pass mark
EXCELLENT, PASS, FAIL, UNRATED = "优秀", "合格", "不合格", "未评定"
REWARD, CORRECT, ADJUST, NONE, COMPLETE = "奖励", "整改", "调整合作关系", "—", "补充目标或评分"
INDICATOR_LABELS = {key: label for key, _column, label in INDICATORS}
ITEM_LABELS = dict(ITEMS)
BASIS_TARGET = "评分依据：目标完成率"
BASIS_RELATIVE = "评分依据：相对本期最佳渠道"
UNKNOWN = "（未填）"


def half_up(value: Decimal | None, places: str = "0.1") -> Decimal | None:
    if value is None:
        return None
    with localcontext() as ctx:  # enough digits for any magnitude: quantize never fails
        ctx.prec = max(28, value.adjusted() + 10)
        return value.quantize(Decimal(places), rounding=ROUND_HALF_UP)


def _num(value: Decimal | None, places: str = "0.1") -> float | None:
    """A shown figure for JSON: rounded half-up, as a number."""
    rounded = half_up(value, places)
    return None if rounded is None else float(rounded)


def _weights(mapping: dict[str, float]) -> dict[str, Decimal]:
    return {k: Decimal(repr(float(v))) for k, v in mapping.items()}


# --------------------------------------------------------------------------- what the inbox sets


@dataclass
class TargetSet:
    """One channel's targets for one period (the newest target file's row)."""

    channel: str
    period: str
    branch: str
    values: dict[str, Decimal | None]  # indicator key → target (None: not set; 0 counts as not set)
    file: str
    row: int

    @property
    def any(self) -> bool:
        return any(v for v in self.values.values())


@dataclass
class ScoreSet:
    """One channel's qualitative scores for one period (the newest score file's row)."""

    channel: str
    period: str
    branch: str
    items: dict[str, int]  # item key → 1–5
    comment: str
    scorer: str
    day: _dt.date | None
    file: str
    row: int


@dataclass
class Plan:
    """Every target and score the inbox sets, by (canonical channel | branch, period label)."""

    targets: dict[tuple[str, str], TargetSet] = field(default_factory=dict)
    dev_targets: dict[tuple[str, str], int] = field(default_factory=dict)
    scores: dict[tuple[str, str], ScoreSet] = field(default_factory=dict)


def read_plan(reports: list[FileReport], settings: Settings, channels=()) -> Plan:
    """Targets, branch development targets and scores; where several files set the same thing, the newest
    (by 填表日期, then file order) counts — the older ones are ``target.duplicate`` / ``score.duplicate``.
    Channel names resolve against the registers' ``channels`` like every other workbook's (qudao.channels:
    a legal name or a short name finds its channel)."""
    from qudao.channels import Directory

    directory = Directory(channels, settings)

    def key(values: dict, settings: Settings) -> tuple[str, str]:
        name, period = channel_key(values, settings)
        resolved = directory.resolve(name).channel if name and directory.channels else None
        return (resolved or name, period)

    plan = Plan()
    for (channel, period), rows in rows_by_key(reports, "targets", TARGET_SHEET, key, settings).items():
        report, table, row = rows[-1]
        v = row.values
        plan.targets[(channel, period)] = TargetSet(
            channel, period, (v.get("所属分所") or "").strip(),
            {key: (dec(v[column]) if v.get(column) else None) for key, column, _label in INDICATORS},
            report.path, row.number)
    for (branch, period), rows in rows_by_key(reports, "targets", DEV_SHEET, branch_key, settings).items():
        plan.dev_targets[(branch, period)] = rows[-1][2].values[DEV_TARGET]
    for (channel, period), rows in rows_by_key(reports, "scores", SCORE_SHEET, key, settings).items():
        report, table, row = rows[-1]
        v = row.values
        plan.scores[(channel, period)] = ScoreSet(
            channel, period, (v.get("所属分所") or "").strip(), {key: v[header] for key, header in ITEMS},
            v.get("评语") or "", v.get("评分人") or "", v.get("评分日期"), report.path, row.number)
    return plan


# --------------------------------------------------------------------------- scores


@dataclass
class Indicator:
    key: str
    actual: Decimal
    target: Decimal | None  # the target due by now (None: no target, the indicator is not scored)
    weight: Decimal
    full: Decimal | None = None  # the whole period's target (the same once the period has ended)

    @property
    def label(self) -> str:
        return INDICATOR_LABELS[self.key]

    @property
    def rate(self) -> Decimal | None:
        """完成率 = actual ÷ target (exact; 1 = 100 %)."""
        return self.actual / self.target if self.target else None

    @property
    def money(self) -> bool:
        return self.key == "deal_amount"

    @property
    def full_target(self) -> Decimal | None:
        return self.target if self.full is None else self.full

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "label": self.label, "actual": self.shown(self.actual),
                "target": self.shown(self.target), "full_target": self.shown(self.full_target),
                "rate": _num(self.rate, "0.0001")}

    def shown(self, value: Decimal | None) -> int | float | None:
        """A count or amount as shown: amounts to 0.01; counts whole (a target due by now to 0.01)."""
        if value is None:
            return None
        if self.money or value != value.to_integral_value():
            return float(half_up(value, "0.01"))
        return int(value)


def indicators_of(stats, target: TargetSet | None, settings: Settings, factor: Decimal = Decimal(1)) -> list[Indicator]:
    """The four indicators of one channel: actuals from counting's ``Stats``; the targets due by now are the
    period's targets × ``factor`` (the time elapsed: 1 once the period has ended)."""
    weights = _weights(settings.indicator_weights)
    actual = {"registrations": dec(stats.registrations), "visits": dec(stats.visits), "deals": dec(stats.deals),
              "deal_amount": half_up(dec(stats.deal_amount), "0.01")}
    out = []
    for key, _column, _label in INDICATORS:
        goal = target.values.get(key) if target else None
        due = None
        if goal:
            due = goal * factor if key == "deal_amount" else due_count(goal, factor)
        out.append(Indicator(key, actual[key], due, weights[key], goal or None))
    return out


def due_count(goal: Decimal | int, factor: Decimal) -> Decimal:
    """A count target due by now: the time elapsed's share of it, rounded up to a whole number — 18.9 登记
    due means at least 19 (a count is never shown or compared as a fraction: docs/decisions.md → "Where people
    read and work (issue 25)"). Amounts are pro-rated to the 0.01 万元."""
    from decimal import ROUND_CEILING

    return (Decimal(goal) * factor).to_integral_value(rounding=ROUND_CEILING)


def quantitative_score(indicators: Iterable[Indicator]) -> Decimal | None:
    """100 × Σ wᵢ·min(完成率ᵢ, 1) ÷ Σ wᵢ over the indicators that have a target (and a weight); None when none has."""
    scored = [i for i in indicators if i.rate is not None and i.weight > 0]
    if not scored:
        return None
    return HUNDRED * sum(i.weight * min(i.rate, Decimal(1)) for i in scored) / sum(i.weight for i in scored)


def qualitative_score(items: dict[str, int] | None, settings: Settings) -> Decimal | None:
    """20 × Σ vⱼ·scoreⱼ ÷ Σ vⱼ (each score 1–5, so 20–100); None without scores."""
    if not items:
        return None
    weights = _weights(settings.quality_weights)
    used = {k: w for k, w in weights.items() if k in items and w > 0}
    if not used:
        return None
    return POINTS_PER_SCORE * sum(w * items[k] for k, w in used.items()) / sum(used.values())


def total_score(quantitative: Decimal | None, qualitative: Decimal | None, settings: Settings) -> Decimal | None:
    """Both: weighted (0.7 / 0.3 by default); one of them: that one alone; neither: None."""
    if quantitative is None or qualitative is None:
        return quantitative if qualitative is None else qualitative
    w = _weights(settings.assess_weights)
    return (w["quantitative"] * quantitative + w["qualitative"] * qualitative) / (w["quantitative"] + w["qualitative"])


def result_of(total: Decimal | None, settings: Settings) -> str:
    """优秀 / 合格 / 不合格 on the total rounded to one decimal; 未评定 without a total."""
    if total is None:
        return UNRATED
    shown = half_up(total)
    cut = settings.result_cutoffs
    if shown >= Decimal(repr(float(cut["excellent"]))):
        return EXCELLENT
    return PASS if shown >= Decimal(repr(float(cut["pass"]))) else FAIL


def action_of(result: str, streak: int, settings: Settings) -> str:
    """奖励 for 优秀; 整改 for 不合格; 调整合作关系 after ``adjust_after`` (2) 不合格 periods in a row."""
    if result == FAIL:
        return ADJUST if streak >= settings.adjust_after else CORRECT
    return {EXCELLENT: REWARD, PASS: NONE}.get(result, COMPLETE)


def grade_of(score: Decimal, cutoffs: dict[str, float]) -> str:
    shown = half_up(score)
    for grade in ("A", "B", "C"):
        if shown >= Decimal(repr(float(cutoffs[grade]))):
            return grade
    return "D"


# --------------------------------------------------------------------------- one period


@dataclass
class ChannelAssessment:
    channel: str
    type: str
    branch: str
    indicators: list[Indicator]
    quantitative: Decimal | None
    qualitative: Decimal | None
    scores: ScoreSet | None
    total: Decimal | None
    result: str
    action: str = NONE
    streak: int = 0  # 不合格 periods in a row, up to and including this one
    registered: bool = True  # the registers know the channel
    notes: list[str] = field(default_factory=list)
    previous: "ChannelAssessment | None" = None

    @property
    def has_targets(self) -> bool:
        return any(i.target is not None for i in self.indicators)

    @property
    def change(self) -> Decimal | None:
        """Total minus the previous period's (both as shown)."""
        if self.total is None or self.previous is None or self.previous.total is None:
            return None
        return half_up(self.total) - half_up(self.previous.total)

    def to_dict(self) -> dict[str, Any]:
        prev = self.previous
        return {
            "channel": self.channel, "type": self.type, "branch": self.branch,
            "indicators": [i.to_dict() for i in self.indicators],
            "quantitative": _num(self.quantitative), "qualitative": _num(self.qualitative),
            "scores": ({**{key: self.scores.items[key] for key, _h in ITEMS}, "comment": self.scores.comment,
                        "scorer": self.scores.scorer} if self.scores else None),
            "total": _num(self.total), "result": self.result, "action": self.action,
            "consecutive_fails": self.streak, "has_targets": self.has_targets, "has_scores": self.scores is not None,
            "notes": list(self.notes),
            "previous": ({"total": _num(prev.total), "result": prev.result,
                          "actual": {i.key: i.to_dict()["actual"] for i in prev.indicators}} if prev else None),
            "change": _num(self.change),
        }


@dataclass
class BranchAssessment:
    branch: str
    channels: int
    results: Counter
    average: Decimal | None  # mean total of the channels with a total
    indicators: list[Indicator]  # Σ actual and Σ target over the channels with that target
    without_targets: int  # channels without any target
    dev_target: int | None  # 新拓展渠道目标 of the whole period
    dev_actual: int | None  # None: no expansion tracker from this branch
    new_channels: list[str]
    factor: Decimal = Decimal(1)  # the time elapsed (1 once the period has ended)

    @property
    def dev_due(self) -> Decimal | None:
        """The development target due by now."""
        return None if not self.dev_target else due_count(self.dev_target, self.factor)

    @property
    def dev_rate(self) -> Decimal | None:
        if not self.dev_due or self.dev_actual is None:
            return None
        return Decimal(self.dev_actual) / self.dev_due

    def to_dict(self) -> dict[str, Any]:
        due = self.dev_due
        return {"branch": self.branch, "channels": self.channels,
                "results": {r: self.results.get(r, 0) for r in (EXCELLENT, PASS, FAIL, UNRATED)},
                "average_total": _num(self.average), "without_targets": self.without_targets,
                "indicators": [i.to_dict() for i in self.indicators],
                "new_channels": {"target": None if due is None else int(due) if due == int(due) else _num(due, "0.01"),
                                 "full_target": self.dev_target, "actual": self.dev_actual,
                                 "rate": _num(self.dev_rate, "0.0001"), "channels": self.new_channels}}


@dataclass
class Assessment:
    period: ReviewPeriod
    as_of: _dt.date
    settings: Settings
    channels: list[ChannelAssessment]
    branches: list[BranchAssessment]
    previous: "Assessment | None" = None
    inputs: dict[str, int] = field(default_factory=dict)
    reconciliation: str = ""
    findings: list = field(default_factory=list)  # every finding of the run (the summary's)

    @property
    def provisional(self) -> bool:
        """The period has not ended on the as-of day: a mid-period (期中) view."""
        return self.as_of < self.period.end

    @property
    def elapsed(self) -> Decimal:
        """时间进度: the share of the period's days up to the as-of day."""
        return Decimal(self.period.elapsed_days(self.as_of)) / Decimal(self.period.days)

    @property
    def has_errors(self) -> bool:
        return any(f.severity == "error" for f in self.findings)

    def counts(self) -> dict[str, int]:
        c = Counter(ch.result for ch in self.channels)
        return {r: c.get(r, 0) for r in (EXCELLENT, PASS, FAIL, UNRATED)}

    def plan_findings(self) -> list:
        """The findings about targets and scores (the sheets this assessment stands on)."""
        codes = ("period.invalid", "target.", "score.", "channel.unknown")
        return sorted((f for f in self.findings if f.code.startswith(codes)),
                      key=lambda f: (f.file, f.sheet, f.row or 0, f.code))

    def status_line(self) -> str:
        p = self.period
        head = f"{p.title}（{p.start.isoformat()} 至 {p.end.isoformat()}）"
        if self.as_of < p.start:
            return f"{head}尚未开始（依据日期 {self.as_of.isoformat()}）：结果仅供参考"
        if self.provisional:
            return (f"{head}尚未结束：数据截至 {self.as_of.isoformat()}，时间进度 {half_up(self.elapsed * HUNDRED)}%；"
                    "完成率按进度目标（全期目标 × 时间进度）计算，结果为期中预评")
        return f"{head}已结束；依据日期 {self.as_of.isoformat()}"

    def method_lines(self) -> list[str]:
        s = self.settings
        iw, qw, aw, cut = s.indicator_weights, s.quality_weights, s.assess_weights, s.result_cutoffs
        return [
            "定量得分 = 100 × Σ 指标权重 × min(完成率, 100%) ÷ 有目标指标的权重之和（权重："
            + "、".join(f"{INDICATOR_LABELS[k]} {iw[k]:g}" for k in INDICATOR_LABELS) + "；没有目标的指标不计分）",
            "定性得分 = 20 × 四项评分（1–5 分）的加权平均（权重："
            + "、".join(f"{ITEM_LABELS[k]} {qw[k]:g}" for k in ITEM_LABELS) + "）",
            f"总分 = 定量得分 × {aw['quantitative']:g} + 定性得分 × {aw['qualitative']:g}；只有其中一项时按该项；都没有为“未评定”",
            f"结果：总分 ≥ {cut['excellent']:g} 优秀（奖励），≥ {cut['pass']:g} 合格，其余不合格（整改）；"
            f"连续 {s.adjust_after} 期不合格：调整合作关系",
            "没有目标的渠道按已有的定性评分考核并注明，不与零目标比较",
            "期间未结束时为期中预评：完成率 = 实际 ÷ 进度目标，进度目标 = 全期目标 × 时间进度（已过天数 ÷ 全期天数）",
        ]

    def to_json(self) -> dict[str, Any]:
        p = self.period
        s = self.settings
        return {
            "period": {"label": p.label, "title": p.title, "start": p.start.isoformat(), "end": p.end.isoformat()},
            "as_of": self.as_of.isoformat(),
            "provisional": self.provisional,
            "elapsed": _num(self.elapsed, "0.0001"),
            "status": self.status_line(),
            "previous_period": self.previous.period.label if self.previous else None,
            "settings": {"weights": s.assess_weights, "indicators": s.indicator_weights,
                         "qualitative": s.quality_weights, "results": s.result_cutoffs,
                         "adjust_after": s.adjust_after},
            "counts": self.counts(),
            "channels": [c.to_dict() for c in self.channels],
            "branches": [b.to_dict() for b in self.branches],
            "inputs": self.inputs,
            "reconciliation": self.reconciliation,
            "findings": {"errors": sum(1 for f in self.findings if f.severity == "error"),
                         "warnings": sum(1 for f in self.findings if f.severity == "warning"),
                         "targets_and_scores": [f.to_dict(with_file=True) for f in self.plan_findings()]},
        }


def _new_channels(reports: list[FileReport], period: ReviewPeriod, settings: Settings
                  ) -> tuple[dict[str, list[str]], set[str]]:
    """Per branch, the channels whose agreement was signed in the period (协议签订日期 of the latest row per
    channel in the expansion trackers), and the branches that sent a tracker at all."""
    latest: dict[str, tuple[tuple, str, Any]] = {}
    branches: set[str] = set()
    for report in reports:
        if report.kind != "expansion":
            continue
        branch = report.block.get("分所") if isinstance(report.block.get("分所"), str) else None
        branch = (branch or report.folder or UNKNOWN).strip()
        branches.add(branch)
        day = report.block.get("填表日期")
        when = (day if isinstance(day, _dt.date) else _dt.date.min, report.order)
        for table in report.tables_for("渠道拓展"):
            for row in table.rows:
                name = row.values.get("渠道名称")
                if row.rejected or not name:
                    continue
                key = settings.canonical_channel(name)
                stamp = (when, row.number)
                if key not in latest or stamp >= latest[key][0]:
                    latest[key] = (stamp, branch, row.values.get("协议签订日期"))
    out: dict[str, list[str]] = {}
    for name, (_stamp, branch, signed) in sorted(latest.items()):
        if signed in period:
            out.setdefault(branch, []).append(name)
    return out, branches


def assess(period: ReviewPeriod, summary, reports: list[FileReport], settings: Settings, as_of: _dt.date,
           previous: Assessment | None = None) -> Assessment:
    """The assessment of ``period`` from the summary of that period (``summary.registers`` counted for
    ``Period(period.start, period.end)``) and the targets and scores among ``reports``. ``previous`` is the
    assessment of the period before (its results make the 不合格 streak; it is shown beside).

    The channels assessed: those with registrations, visits or deals in the period, and those with targets or
    scores for it (a channel the registers do not know is noted)."""
    reg = summary.registers
    plan = read_plan(reports, settings, [row.channel for row in reg.by_channel] if reg else ())
    label = period.label
    stats = {row.channel: row for row in reg.by_channel} if reg else {}
    info = dict(reg.channel_info) if reg else {}
    active = {c for c, row in stats.items() if row.stats.registrations or row.stats.visits or row.stats.deals}
    names = active | {c for c, p in plan.targets if p == label} | {c for c, p in plan.scores if p == label}
    before = {c.channel: c for c in previous.channels} if previous else {}
    # before the period's end (a mid-period view), the targets due are the time elapsed's share of them
    factor = Decimal(period.elapsed_days(as_of)) / Decimal(period.days)

    channels = []
    for name in sorted(names):
        target = plan.targets.get((name, label))
        score = plan.scores.get((name, label))
        ctype, branch = info.get(name, ("", ""))
        if not branch or branch == UNKNOWN:
            branch = (target.branch if target else "") or (score.branch if score else "") or UNKNOWN
        row = stats.get(name)
        inds = indicators_of(row.stats if row else Stats(), target, settings, factor)
        q = quantitative_score(inds)
        lq = qualitative_score(score.items if score else None, settings)
        total = total_score(q, lq, settings)
        result = result_of(total, settings)
        prior = before.get(name)
        streak = (prior.streak if prior and prior.result == FAIL else 0) + 1 if result == FAIL else 0
        ch = ChannelAssessment(name, ctype or UNKNOWN, branch, inds, q, lq, score, total, result,
                               action_of(result, streak, settings), streak, name in info, previous=prior)
        ch.notes = _notes(ch, target)
        channels.append(ch)
    channels.sort(key=lambda c: (c.total is None, -(half_up(c.total) or 0), c.channel))
    branches = _branches(channels, plan, reports, period, settings, as_of)
    return Assessment(period, as_of, settings, channels, branches, previous, dict(summary.inputs),
                      summary.reconciliation, list(summary.findings))


def _notes(ch: ChannelAssessment, target: TargetSet | None) -> list[str]:
    notes = []
    if not ch.has_targets and ch.scores is not None:
        notes.append("本期没有目标：只按定性评分考核（不与零目标比较）")
    elif not ch.has_targets:
        notes.append("本期没有目标，也没有定性评分：未评定")
    elif ch.scores is None:
        notes.append("本期没有定性评分：总分按定量得分")
    if ch.has_targets:
        missing = [i.label for i in ch.indicators if i.target is None]
        if missing:
            notes.append("未设目标、不计分：" + "、".join(missing))
    if not ch.registered:
        notes.append("登记表中没有该渠道的记录")
    if ch.streak >= 2:
        notes.append(f"连续 {ch.streak} 期不合格")
    return notes


def _branches(channels: list[ChannelAssessment], plan: Plan, reports: list[FileReport], period: ReviewPeriod,
              settings: Settings, as_of: _dt.date) -> list[BranchAssessment]:
    new, tracked = _new_channels(reports, period, settings)
    names = {c.branch for c in channels} | {b for b, p in plan.dev_targets if p == period.label}
    out = []
    for branch in sorted(names, key=lambda b: (b == UNKNOWN, b)):
        mine = [c for c in channels if c.branch == branch]
        totals = [c.total for c in mine if c.total is not None]
        sums = []
        for k, (key, _column, _label) in enumerate(INDICATORS):
            with_target = [c.indicators[k] for c in mine if c.indicators[k].target is not None]
            sums.append(Indicator(key, sum((i.actual for i in with_target), Decimal(0)),
                                  sum((i.target for i in with_target), Decimal(0)) if with_target else None,
                                  Decimal(1), sum((i.full for i in with_target), Decimal(0)) if with_target else None))
        out.append(BranchAssessment(
            branch, len(mine), Counter(c.result for c in mine),
            sum(totals, Decimal(0)) / len(totals) if totals else None, sums,
            sum(1 for c in mine if not c.has_targets), plan.dev_targets.get((branch, period.label)),
            len(new.get(branch, [])) if branch in tracked else None, new.get(branch, []),
            Decimal(period.elapsed_days(as_of)) / Decimal(period.days)))
    return out


# --------------------------------------------------------------------------- the summary's 建议等级


def grade_against_targets(registers, reports: list[FileReport], settings: Settings, ref_day: _dt.date) -> str:
    """The absolute 建议等级 of the summary for the channels that have targets; returns the basis to state.

    For each channel, the first period with targets among the quarter, half-year and year holding ``ref_day``
    (the report's end, else its as-of day), then the quarter, half-year and year just before them (the first
    days of a quarter, before its targets are set): the channel's actuals from that period's start to
    ``ref_day`` (or the period's end) against the targets scaled by the time elapsed (时间进度; 1 for a period
    that has ended), scored like the assessment's quantitative score and graded by ``score.target_grades``.
    Channels without targets keep the score relative to the period's best channel.
    """
    rows = registers.by_channel
    for row in rows:
        row.basis, row.target_period = "relative", ""
    plan = read_plan(reports, settings, [row.channel for row in rows])
    groups: dict[str, tuple[ReviewPeriod, list]] = {}
    current = periods_containing(ref_day)
    candidates = current + [p.previous() for p in current]
    for row in rows:
        for period in candidates:
            target = plan.targets.get((row.channel, period.label))
            if target is not None and target.any:
                groups.setdefault(period.label, (period, []))[1].append((row, target))
                break
    progress: dict[str, Decimal] = {}
    for label, (period, items) in sorted(groups.items()):
        counted = count([], settings, Period(period.start, min(ref_day, period.end)), att=registers.attribution)
        stats = {r.channel: r.stats for r in counted.by_channel}
        factor = Decimal(period.elapsed_days(ref_day)) / Decimal(period.days)
        progress[label] = factor
        for row, target in items:
            score = quantitative_score(indicators_of(stats.get(row.channel) or Stats(), target, settings, factor))
            if score is None:
                continue
            row.score = float(half_up(score))
            row.grade = grade_of(score, settings.target_grade_cutoffs)
            row.basis, row.target_period = "target", label
    rows.sort(key=lambda r: (r.basis != "target", -r.score, -r.stats.deals, r.channel))
    return basis_note(rows, progress, ref_day)


def basis_note(rows, progress: dict[str, Decimal], ref_day: _dt.date) -> str:
    """「评分依据：目标完成率（…）」, 「评分依据：相对本期最佳渠道」, or both with the number of channels of each."""
    targeted = [r for r in rows if r.basis == "target"]
    if not rows:
        return ""
    how = "、".join((f"{label} 全期" if f == 1 else
                     f"{label} 截至 {ref_day.isoformat()}，目标按时间进度 {half_up(f * HUNDRED)}% 折算")
                    for label, f in sorted(progress.items()) if any(r.target_period == label for r in targeted))
    if not targeted:
        return f"{BASIS_RELATIVE}（没有渠道目标；评分会随其他渠道的表现变化，设定渠道目标后按目标完成率评级）"
    if len(targeted) == len(rows):
        return f"{BASIS_TARGET}（{how}）"
    return (f"{BASIS_TARGET}（{len(targeted)} 个有目标的渠道：{how}）；"
            f"其余 {len(rows) - len(targeted)} 个渠道没有目标，按相对本期最佳渠道评分")


__all__ = ["Assessment", "ChannelAssessment", "BranchAssessment", "Indicator", "Plan", "read_plan", "assess",
           "grade_against_targets", "quantitative_score", "qualitative_score", "total_score", "result_of",
           "action_of"]
