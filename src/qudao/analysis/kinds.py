"""Roll-ups of the other workbooks in ``qudao summarize`` (issue: every kind's summary).

Each kind present among the inputs becomes a :class:`Section`: titled
tables (rendered as an xlsx sheet, an html/md section and JSON), optional
charts, and a one-line headline for the terminal. Weekly trackers are
re-sent cumulatively, so where a workbook is a running list (plans,
handoffs, negotiations, channels, agencies) the latest file per branch — or
the latest row per project/channel — counts, not the sum of every version.
"""

from __future__ import annotations

import datetime as _dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable

from qudao.config import Settings
from qudao.money import ZERO, as_json, dec
from qudao.records import FileReport, Row


@dataclass
class TableData:
    caption: str
    header: list[str]
    rows: list[list[Any]]
    formats: list[str] | None = None  # xlsx formats per column: text int num money pct date
    widths: list[float] | None = None  # xlsx column widths (default: 14 for the first column, 10 for the others)


@dataclass
class Chart:
    title: str
    table: int  # index of the table it plots
    kind: str = "column"  # column | bar | pie
    value_column: int = 1


@dataclass
class Section:
    kind: str
    title: str
    sheet: str
    tables: list[TableData]
    data: dict[str, Any]
    headline: str = ""
    note: str = ""
    charts: list[Chart] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return self.data


def _rows(report: FileReport, sheet: str) -> list[Row]:
    return [r for table in report.tables_for(sheet) for r in table.rows if not r.rejected]


def _when(report: FileReport, label: str) -> tuple:
    return (report.block.get(label) or _dt.date.min, report.order)


def _latest_per(reports: list[FileReport], key, date_label: str) -> list[FileReport]:
    """The most recent report per key(report) (by its header-block date, then file order)."""
    best: dict[Any, FileReport] = {}
    for report in reports:
        k = key(report)
        if k not in best or _when(report, date_label) >= _when(best[k], date_label):
            best[k] = report
    return sorted(best.values(), key=lambda r: r.order)


def _branch(report: FileReport, label: str = "分所") -> str:
    return report.block.get(label) or report.folder or "（未填）"


def _pct(n: float, d: float) -> float:
    return n / d if d else 0.0


def _iso(day: _dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _file_name(report: FileReport) -> str:
    return report.path.rsplit("/", 1)[-1]


# --------------------------------------------------------------------------- plan / handoff


def plan_section(reports: list[FileReport], settings: Settings, as_of: _dt.date) -> Section:
    from qudao.check.tasks import overdue

    latest = _latest_per(reports, lambda r: (_branch(r), r.block.get("计划类型") or ""), "编制日期")
    by_branch, overdue_items = [], []
    for report in latest:
        rows = _rows(report, "工作计划")
        done = sum(1 for r in rows if r.values.get("状态") == "已完成")
        going = sum(1 for r in rows if r.values.get("状态") == "进行中")
        late = []
        for r in rows:
            days = overdue(r, "计划完成", as_of)
            if days:
                late.append(r)
                overdue_items.append({"branch": _branch(report), "item": r.values.get("工作事项"),
                                      "phase": r.values.get("阶段"), "due": _iso(r.values.get("计划完成")),
                                      "days": days, "status": r.values.get("状态"), "owner": r.values.get("负责人"),
                                      "file": report.path, "file_key": f"{_branch(report)}|{r.values.get('工作事项')}"})
        counted = [r for r in rows if r.values.get("状态") != "取消"]
        by_branch.append({"branch": _branch(report), "type": report.block.get("计划类型"), "tasks": len(rows),
                          "done": done, "in_progress": going, "overdue": len(late),
                          "complete": round(_pct(done, len(counted)), 4), "file": report.path})
    overdue_items.sort(key=lambda d: (d["branch"], d["due"] or "", d["item"] or ""))
    tables = [
        TableData("各分所计划进度", ["分所", "计划类型", "任务数", "已完成", "进行中", "逾期", "完成率"],
                  [[b["branch"], b["type"], b["tasks"], b["done"], b["in_progress"], b["overdue"], b["complete"]]
                   for b in by_branch], ["text", "text", "int", "int", "int", "int", "pct"]),
        TableData("逾期事项", ["分所", "阶段", "工作事项", "计划完成", "逾期天数", "状态", "负责人"],
                  [[o["branch"], o["phase"], o["item"], o["due"], o["days"], o["status"], o["owner"]]
                   for o in overdue_items], ["text", "text", "text", "text", "int", "text", "text"]),
    ]
    total = sum(b["tasks"] for b in by_branch)
    done = sum(b["done"] for b in by_branch)
    return Section("plan", "本地工作计划进度", "计划进度", tables,
                   {"by_branch": by_branch, "overdue_items": overdue_items},
                   headline=f"工作计划：{len(by_branch)} 个分所，任务 {total} 项，已完成 {done} 项，逾期 {len(overdue_items)} 项",
                   note="每个分所取最新一版计划（按编制日期）。")


def handoff_section(reports: list[FileReport], settings: Settings, as_of: _dt.date) -> Section:
    from qudao.check.tasks import is_open, overdue

    latest = _latest_per(reports, _branch, "填表日期")
    by_branch: dict[str, Counter] = {}
    by_category: dict[str, Counter] = {}
    items = []
    for report in latest:
        branch = _branch(report)
        for r in _rows(report, "对接事项"):
            state = r.values.get("状态")
            category = r.values.get("事项类别") or "（未分类）"
            days = overdue(r, "要求完成日期", as_of)
            for bucket in (by_branch.setdefault(branch, Counter()), by_category.setdefault(category, Counter())):
                bucket["total"] += 1
                bucket["open"] += is_open(r.values)
                bucket["overdue"] += bool(days)
            if days:
                items.append({"branch": branch, "category": category, "item": r.values.get("对接事项"),
                              "due": _iso(r.values.get("要求完成日期")), "days": days, "status": state,
                              "owner": r.values.get("分所负责人"), "file": report.path,
                              "file_key": f"{branch}|{r.values.get('对接事项')}"})
    items.sort(key=lambda d: (-d["days"], d["branch"], d["item"] or ""))
    tables = [
        TableData("按分所", ["分所", "事项", "未完成", "逾期"],
                  [[b, c["total"], c["open"], c["overdue"]] for b, c in sorted(by_branch.items())],
                  ["text", "int", "int", "int"]),
        TableData("按事项类别", ["事项类别", "事项", "未完成", "逾期"],
                  [[k, c["total"], c["open"], c["overdue"]] for k, c in sorted(by_category.items())],
                  ["text", "int", "int", "int"]),
        TableData("逾期事项", ["分所", "类别", "对接事项", "要求完成", "逾期天数", "状态", "负责人"],
                  [[i["branch"], i["category"], i["item"], i["due"], i["days"], i["status"], i["owner"]] for i in items],
                  ["text", "text", "text", "text", "int", "text", "text"]),
    ]
    open_total = sum(c["open"] for c in by_branch.values())
    return Section("handoff", "分所对接事项", "对接事项", tables,
                   {"by_branch": [{"branch": b, **c} for b, c in sorted(by_branch.items())],
                    "by_category": [{"category": k, **c} for k, c in sorted(by_category.items())],
                    "overdue_items": items},
                   headline=f"对接事项：未完成 {open_total} 项，逾期 {len(items)} 项",
                   note="每个分所取最新一版对接表（按填表日期）。")


# --------------------------------------------------------------------------- negotiation


STAGE_PROBABILITY = {"初步接触": 10, "资料收集": 20, "方案提报": 40, "条件谈判": 60, "合同审批": 80, "已签约": 100,
                     "已搁置": 0, "已放弃": 0}


def negotiation_section(reports: list[FileReport], settings: Settings, as_of: _dt.date) -> Section:
    from qudao.check.followups import days_stale
    from qudao.check.negotiation import history, is_active
    from qudao.schema.negotiation import STAGES_ALL

    latest = {key: rows[-1] for key, rows in history(reports).items()}
    pipeline: dict[str, dict[str, float]] = {s: {"projects": 0, "weighted": 0.0} for s in STAGES_ALL}
    stale, signed = [], []
    for (name, developer), (_, report, _table, row) in sorted(latest.items()):
        v = row.values
        stage = v.get("当前阶段")
        prob = v.get("签约概率(%)")
        prob = STAGE_PROBABILITY.get(stage, 0) if prob is None else prob
        pipeline[stage]["projects"] += 1
        pipeline[stage]["weighted"] += prob / 100
        last = v.get("最近跟进日期")
        days = days_stale(last, report.block.get("填表日期") or as_of, settings) if is_active(stage) else 0
        if days:
            stale.append({"project": name, "developer": developer, "stage": stage, "last_followup": _iso(last),
                          "days": days, "owner": v.get("我方负责人")})
        day = v.get("签约日期")
        if stage == "已签约" and day and 0 <= (as_of - day).days <= 30:
            signed.append({"project": name, "developer": developer, "signed": _iso(day),
                           "commission": v.get("意向佣金点位(%)"), "owner": v.get("我方负责人")})
    rows = [[s, int(p["projects"]), round(p["weighted"], 2)] for s, p in pipeline.items() if p["projects"]]
    tables = [
        TableData("按阶段（每个楼盘取最新一次填报）", ["阶段", "楼盘数", "按签约概率加权"], rows, ["text", "int", "num"]),
        TableData(f"跟进停滞（超过 {settings.stale_days} 天）", ["楼盘", "开发商", "阶段", "最近跟进", "天数", "我方负责人"],
                  [[s["project"], s["developer"], s["stage"], s["last_followup"], s["days"], s["owner"]] for s in stale],
                  ["text", "text", "text", "text", "int", "text"]),
        TableData("近 30 天签约", ["楼盘", "开发商", "签约日期", "佣金点位(%)", "我方负责人"],
                  [[s["project"], s["developer"], s["signed"], s["commission"], s["owner"]] for s in signed],
                  ["text", "text", "text", "num", "text"]),
    ]
    weighted = sum(p["weighted"] for p in pipeline.values())
    return Section("negotiation", "楼盘谈判管道", "谈判管道", tables,
                   {"pipeline": [{"stage": s, "projects": int(p["projects"]), "weighted": round(p["weighted"], 2)}
                                 for s, p in pipeline.items() if p["projects"]],
                    "weighted_total": round(weighted, 2), "stale": stale, "recently_signed": signed},
                   headline=f"楼盘谈判：{len(latest)} 个楼盘，加权预计签约 {weighted:.1f} 个，停滞 {len(stale)} 个",
                   charts=[Chart("各阶段楼盘数", 0, "bar")],
                   note="签约概率未填时按阶段取默认值（初步接触 10% … 合同审批 80%）。")


# --------------------------------------------------------------------------- screening


def screening_section(reports: list[FileReport], settings: Settings, as_of: _dt.date) -> Section:
    from qudao.schema.screening import (
        DEFAULT_WEIGHTS,
        SCORES,
        verdict,
        weighted_score,
        weights_add_up,
    )

    ranked = []
    for report in reports:
        weights = {r.values.get("评分项"): r.values.get("权重(%)") for r in _rows(report, "权重")}
        if not weights or not weights_add_up(sum(w or 0 for w in weights.values())):
            weights = dict(zip(SCORES, DEFAULT_WEIGHTS))
        for r in _rows(report, "楼盘筛选"):
            score = weighted_score(r.values, weights)
            ranked.append({"project": r.values.get("楼盘名称"), "developer": r.values.get("开发商"),
                           "city": r.values.get("城市"), "score": score, "verdict": verdict(score),
                           "scores": [r.values.get(s) for s in SCORES], "file": report.path})
    ranked.sort(key=lambda d: (d["score"] is None, -(d["score"] or 0), d["project"] or ""))
    rows = [[i, d["project"], d["developer"], d["city"], d["score"], d["verdict"], *d["scores"]]
            for i, d in enumerate(ranked, start=1)]
    tables = [TableData("楼盘排名（加权得分由评分和权重重新计算）",
                        ["排名", "楼盘", "开发商", "城市", "加权得分", "推荐结论", *[s.replace("评分", "") for s in SCORES]],
                        rows, ["int", "text", "text", "text", "num", "text"] + ["int"] * len(SCORES))]
    verdicts = Counter(d["verdict"] for d in ranked if d["verdict"])
    return Section("screening", "楼盘筛选排名", "楼盘排名", tables, {"ranking": ranked, "verdicts": dict(verdicts)},
                   headline=f"楼盘筛选：{len(ranked)} 个楼盘，推荐 {verdicts.get('推荐', 0)}，备选 {verdicts.get('备选', 0)}")


# --------------------------------------------------------------------------- expansion


def expansion_section(reports: list[FileReport], settings: Settings, as_of: _dt.date) -> Section:
    from qudao.check.expansion import visit_shortfall
    from qudao.schema.expansion import STEPS

    latest: dict[str, tuple[tuple, FileReport, Row]] = {}
    for report in reports:
        when = _when(report, "填表日期")
        for r in _rows(report, "渠道拓展"):
            name = r.values.get("渠道名称")
            key = (when, r.number)
            if name not in latest or key >= latest[name][0]:
                latest[name] = (key, report, r)
    funnel = Counter()
    by_type: dict[str, Counter] = {}
    below = []
    for name, (_k, report, r) in sorted(latest.items()):
        ctype = r.values.get("渠道类型") or "（未填）"
        counts = by_type.setdefault(ctype, Counter())
        counts["channels"] += 1
        for step in STEPS:
            if r.values.get(step) is not None:
                funnel[step] += 1
                counts[step] += 1
        short = visit_shortfall(r.values, settings, report.block.get("填表日期") or as_of)
        if short:
            below.append({"channel": name, "type": ctype, "grade": r.values["渠道等级"],
                          "visits": r.values["本月拜访次数"], "minimum": short[1], "due": short[0],
                          "branch": _branch(report), "owner": r.values.get("负责人")})
    steps = [s.replace("日期", "") for s in STEPS]
    tables = [
        TableData("拓展漏斗（完成各步骤的渠道数）", ["步骤", "渠道数"], [[label, funnel[s]] for label, s in zip(steps, STEPS)],
                  ["text", "int"]),
        TableData("按渠道类型", ["渠道类型", "渠道数", *steps],
                  [[t, c["channels"], *[c[s] for s in STEPS]] for t, c in sorted(by_type.items())],
                  ["text", "int"] + ["int"] * len(STEPS)),
        TableData("本月拜访次数不足（月底按规定次数，月中按进度）",
                  ["渠道", "类型", "等级", "本月拜访", "此时应至少", "每月规定", "分所", "负责人"],
                  [[b["channel"], b["type"], b["grade"], b["visits"], b["due"], b["minimum"], b["branch"], b["owner"]]
                   for b in below], ["text", "text", "text", "int", "int", "int", "text", "text"]),
    ]
    return Section("expansion", "渠道拓展进度", "拓展漏斗", tables,
                   {"channels": len(latest), "funnel": [{"step": label, "channels": funnel[s]} for label, s in zip(steps, STEPS)],
                    "by_type": [{"type": t, "channels": c["channels"], **{label: c[s] for label, s in zip(steps, STEPS)}}
                                for t, c in sorted(by_type.items())],
                    "below_minimum": below},
                   headline=f"渠道拓展：{len(latest)} 个渠道，已签协议 {funnel['协议签订日期']} 个，拜访不足 {len(below)} 个",
                   charts=[Chart("拓展漏斗", 0, "bar")])


# --------------------------------------------------------------------------- agencies / affiliates


def partner_section(kind: str, reports: list[FileReport], settings: Settings, as_of: _dt.date) -> Section:
    sheet, name_col, referred = (("中介机构", "机构名称", "报备客户数") if kind == "agencies"
                                 else ("关联企业", "企业名称", "推荐客户数"))
    latest: dict[str, tuple[tuple, Row]] = {}
    for report in reports:
        for r in _rows(report, sheet):
            key = (report.order, r.number)
            name = r.values.get(name_col)
            if name not in latest or key >= latest[name][0]:
                latest[name] = (key, r)
    status = Counter((r.values.get("合作状态") or "（未填）") for _k, r in latest.values())
    total_referred = sum(r.values.get(referred) or 0 for _k, r in latest.values())
    deals = sum(r.values.get("成交套数") or 0 for _k, r in latest.values()) if kind == "agencies" else None
    top = sorted(((name, r) for name, (_k, r) in latest.items()), key=lambda x: (-(x[1].values.get(referred) or 0), x[0]))
    header = [name_col, "合作状态", referred] + (["成交套数"] if kind == "agencies" else ["已办活动数"])
    rows = [[n, r.values.get("合作状态"), r.values.get(referred),
             r.values.get("成交套数" if kind == "agencies" else "已办活动数")] for n, r in top]
    title = "中介机构合作" if kind == "agencies" else "关联企业合作"
    tables = [TableData("合作状态", ["合作状态", "数量"], [[s, n] for s, n in sorted(status.items())], ["text", "int"]),
              TableData(f"{referred}（每家取最新一行）", header, rows, ["text", "text", "int", "int"])]
    data = {"count": len(latest), "status": dict(sorted(status.items())), "referred_customers": total_referred}
    if deals is not None:
        data["deals"] = deals
    return Section(kind, title, "中介机构" if kind == "agencies" else "关联企业", tables, data,
                   headline=f"{title}：{len(latest)} 家，已合作 {status.get('已合作', 0)} 家，{referred} {total_referred}")


# --------------------------------------------------------------------------- survey


def survey_section(reports: list[FileReport], settings: Settings, as_of: _dt.date) -> Section:
    from qudao.schema.survey import AGE_BANDS, AWARENESS, INCOMES, INTENTIONS

    seen: set[tuple] = set()
    rows: list[Row] = []
    for report in reports:
        for r in _rows(report, "调查记录"):
            key = tuple(r.values.get(k) for k in ("调查日期", "受访者姓名", "联系电话", "调查地点", "年龄段"))
            if key in seen:
                continue  # the same respondent in a re-sent file
            seen.add(key)
            rows.append(r)
    n = len(rows)
    tables, data, charts = [], {"respondents": n}, []
    for column, order, key in (("年龄段", AGE_BANDS, "age_band"), ("家庭年收入", INCOMES, "income"),
                               ("购房意向", INTENTIONS, "intention"), ("了解渠道", AWARENESS, "awareness")):
        counts = Counter(r.values.get(column) for r in rows if r.values.get(column))
        lines = [[v, counts.get(v, 0), _pct(counts.get(v, 0), n)] for v in order]
        tables.append(TableData(f"{column}分布", [column, "人数", "占比"], lines, ["text", "int", "pct"]))
        charts.append(Chart(f"{column}分布", len(tables) - 1, "pie" if key == "intention" else "column"))
        data[key] = {v: counts.get(v, 0) for v in order}
    yes = data["intention"].get("有", 0)
    return Section("survey", "客户调查分布", "客户调查", tables, data, charts=charts,
                   headline=f"客户调查：{n} 人，有购房意向 {yes} 人（{_pct(yes, n):.0%}）")


# --------------------------------------------------------------------------- event


def event_section(reports: list[FileReport], settings: Settings, as_of: _dt.date) -> Section:
    events = []
    for report in sorted(reports, key=lambda r: r.order):
        b = report.block
        result = _rows(report, "效果统计")
        invites = _rows(report, "邀约名单")
        materials = _rows(report, "物料清单")
        arrived = sum(r.values.get("实到人数") or 0 for r in result) or sum(r.values.get("实到人数") or 0 for r in invites)
        registered = sum(r.values.get("现场登记数") or 0 for r in result)
        material_cost = sum((dec(r.values.get("数量")) * dec(r.values.get("单价(元)")) for r in materials), ZERO)
        cost = b.get("预算总额(元)") or material_cost
        events.append({
            "name": b.get("活动名称") or _file_name(report), "type": b.get("活动类型"), "date": _iso(b.get("日期")),
            "branch": b.get("主办分所") or report.folder, "target_attendance": b.get("目标到场人数"),
            "attendance": arrived, "target_registrations": b.get("目标登记人数"), "registrations": registered,
            "visits": sum(r.values.get("后续到访数") or 0 for r in result),
            "deals": sum(r.values.get("成交数") or 0 for r in result),
            "deal_amount_wan": as_json(sum((dec(r.values.get("成交金额(万元)")) for r in result), ZERO)),
            "cost_yuan": as_json(cost), "material_cost_yuan": as_json(material_cost),
            "cost_per_registration": as_json(dec(cost) / registered) if registered else None, "file": report.path})
    rows = [[e["name"], e["type"], e["date"], e["branch"], e["target_attendance"], e["attendance"],
             e["target_registrations"], e["registrations"], e["deals"], e["cost_yuan"], e["cost_per_registration"]]
            for e in events]
    tables = [TableData("活动目标与实际", ["活动", "类型", "日期", "主办分所", "目标到场", "实到", "目标登记", "现场登记",
                                    "成交", "费用(元)", "每登记成本(元)"], rows,
                        ["text", "text", "text", "text", "int", "int", "int", "int", "int", "money", "money"])]
    return Section("event", "推介会与活动效果", "活动效果", tables, {"events": events},
                   headline=f"活动：{len(events)} 场，现场登记 {sum(e['registrations'] for e in events)} 人",
                   note="费用取活动概况的预算总额；未填时取物料清单小计之和。")


# --------------------------------------------------------------------------- agreements


def _agreement_rows(reports: list[FileReport]) -> list[tuple[FileReport, Row]]:
    out = []
    for report in reports:
        if report.kind == "agreements":
            out.extend((report, r) for r in _rows(report, "协议台账"))
    return out


def agreements_section(reports: list[FileReport], settings: Settings, as_of: _dt.date) -> Section:
    from qudao.check.agreements import expiring_in

    rows = _agreement_rows(reports)
    status = Counter(r.values.get("状态") or "（未填）" for _rep, r in rows)
    expiring = []
    for _rep, r in rows:
        days = expiring_in(r.values, as_of, settings)
        if days is not None:
            expiring.append({"id": r.values.get("协议编号"), "channel": r.values.get("渠道名称"),
                             "end": _iso(r.values["到期日期"]), "days": days,
                             "protection_days": r.values.get("保护期(天)"),
                             "commission": r.values.get("佣金点位(%)")})
    expiring.sort(key=lambda d: (d["days"], d["channel"] or ""))
    latest: dict[str, Row] = {}  # per channel as the ledger writes it: the agreement that took effect last
    for _report, r in rows:
        name = r.values.get("渠道名称") or ""
        if r.values.get("状态") != "终止" and r.values.get("生效日期") and (
                name not in latest or r.values["生效日期"] >= latest[name].values["生效日期"]):
            latest[name] = r
    days = {c: r.values["保护期(天)"] for c, r in latest.items() if r.values.get("保护期(天)")}
    rates = {c: r.values["佣金点位(%)"] for c, r in latest.items() if r.values.get("佣金点位(%)") is not None}
    tables = [
        TableData("协议状态", ["状态", "份数"], [[s, n] for s, n in sorted(status.items())], ["text", "int"]),
        TableData(f"{settings.agreement_warn_days} 天内到期", ["协议编号", "渠道", "到期日期", "剩余天数", "保护期(天)", "佣金点位(%)"],
                  [[e["id"], e["channel"], e["end"], e["days"], e["protection_days"], e["commission"]] for e in expiring],
                  ["text", "text", "text", "int", "int", "num"]),
    ]
    return Section("agreements", "渠道合作协议", "协议到期", tables,
                   {"count": len(rows), "status": dict(sorted(status.items())), "expiring": expiring,
                    "protection_days": dict(sorted(days.items())), "commission_rates": dict(sorted(rates.items()))},
                   headline=f"协议：{len(rows)} 份，{settings.agreement_warn_days} 天内到期 {len(expiring)} 份",
                   note="登记日期在协议有效期（生效日期至到期日期）内的客户，按该协议的保护期(天) 归属、按其佣金点位计佣"
                        "（按楼盘设置的点位优先）；台账中的渠道名称按登记表中的渠道名称（或简称、别名）对应。")


SECTIONS = {
    "plan": plan_section, "handoff": handoff_section, "negotiation": negotiation_section,
    "screening": screening_section, "expansion": expansion_section,
    "agencies": lambda r, s, d: partner_section("agencies", r, s, d),
    "affiliates": lambda r, s, d: partner_section("affiliates", r, s, d),
    "survey": survey_section, "event": event_section, "agreements": agreements_section,
}


def kind_rollups(reports: list[FileReport], settings: Settings, as_of: _dt.date) -> dict[str, Section]:
    out: dict[str, Section] = {}
    for kind, build in SECTIONS.items():
        mine = [r for r in reports if r.kind == kind]
        if mine:
            out[kind] = build(mine, settings, as_of)
    return out


# sections that are not a kind's roll-up, shown first: HQ's open asks (analysis.asks), the 异常监控 and the 案场核对
# (analysis.anomaly, analysis.evidence; issue 24)
LEAD = ("asks", "anomaly", "evidence")


def sections_in_order(sections: dict[str, Section]) -> Iterable[Section]:
    for kind in (*LEAD, *SECTIONS):
        if kind in sections:
            yield sections[kind]
