"""The local work plan: default task lists per plan type, scheduled on working days."""

from __future__ import annotations

import datetime as _dt
import math
from dataclasses import dataclass

from qudao.errors import UsageError
from qudao.workdays import WorkCalendar

# (阶段, 工作事项, 交付物, working days, after: index of the task it follows, or None = the previous one)
Task = tuple[str, str, str, int, int | None]

TASKS: dict[str, tuple[Task, ...]] = {
    "西藏本地": (
        ("筹备启动", "分所组建、人员到岗，与总部建立对接机制", "分所工作对接表", 3, None),
        ("市场调研", "本地客户调查（问卷、社区与单位走访）", "西藏本地客户调查表", 8, None),
        ("市场调研", "本地渠道资源摸排：物业、协会商会、旅行社、关联单位", "渠道拓展标准流程管理表", 5, 0),
        ("渠道拓展", "重点渠道初访", "渠道拓展标准流程管理表", 8, 2),
        ("渠道拓展", "渠道洽谈与项目演示", "渠道洽谈PPT", 8, None),
        ("渠道拓展", "签订渠道合作协议（统一版本）", "渠道合作协议", 5, None),
        ("渠道拓展", "旅行社看房团线路与报价对接", "推介会执行方案（看房团）", 5, 4),
        ("渠道培训", "渠道培训：报备规则、保护期、楼盘卖点", "意向客户登记表", 3, 5),
        ("推广活动", "首场渠道推介会", "推介会执行方案", 5, None),
        ("客户登记", "意向客户登记与每周报送、撞单核对", "意向客户登记表", 15, None),
        ("总结反馈", "月度工作进程反馈与计划调整", "工作进程反馈表", 2, None),
    ),
    "成都本地": (
        ("楼盘筛选", "候选楼盘信息收集与六项评分", "楼盘筛选表", 5, None),
        ("开发商洽谈", "开发商初次拜访与洽谈演示", "开发商洽谈PPT", 8, None),
        ("开发商洽谈", "合作条件谈判（佣金、结佣、独家、保护期）", "楼盘谈判跟进汇总表、洽谈百问", 8, None),
        ("开发商洽谈", "合同审批、签约与案场对接", "开发商合作洽谈标准流程管理表", 5, None),
        ("渠道拓展", "本地中介机构与关联企业对接", "中介机构对接表、关联企业对接表", 8, 1),
        ("渠道拓展", "签订渠道合作协议（统一版本）", "渠道合作协议", 5, 4),
        ("渠道培训", "渠道培训：报备规则、保护期、楼盘卖点", "意向客户登记表", 3, 3),
        ("推广活动", "楼盘推介会", "推介会执行方案", 5, None),
        ("客户登记", "意向客户登记与每周报送、撞单核对", "意向客户登记表", 15, None),
        ("总结反馈", "月度工作进程反馈与计划调整", "工作进程反馈表", 2, None),
    ),
    "二级城市": (
        ("筹备启动", "分所筹建，与总部建立对接机制", "分所工作对接表", 3, None),
        ("市场调研", "城市客户调查", "客户调查表", 8, None),
        ("市场调研", "渠道资源摸排：分支机构、物业、协会商会、二手中介", "渠道拓展标准流程管理表", 5, 0),
        ("渠道拓展", "渠道初访、洽谈与项目演示", "渠道洽谈PPT", 10, 2),
        ("渠道拓展", "签订渠道合作协议（统一版本）", "渠道合作协议", 5, None),
        ("渠道培训", "渠道培训：报备规则、保护期、楼盘卖点", "意向客户登记表", 3, None),
        ("推广活动", "渠道现场主题活动", "推介会执行方案（现场主题活动）", 5, None),
        ("推广活动", "首批客户看房团", "推介会执行方案（看房团）", 5, None),
        ("客户登记", "意向客户登记与每周报送、撞单核对", "意向客户登记表", 15, 5),
        ("总结反馈", "月度工作进程反馈与计划调整", "工作进程反馈表", 2, None),
    ),
}


@dataclass
class PlannedTask:
    phase: str
    item: str
    deliverable: str
    start: _dt.date
    end: _dt.date
    days: int


@dataclass
class Plan:
    plan_type: str
    start: _dt.date
    end: _dt.date
    weeks: list[_dt.date]  # the Monday of every Gantt week
    tasks: list[PlannedTask]
    calendar: WorkCalendar

    @property
    def period(self) -> str:
        return f"{self.start.isoformat()} – {self.end.isoformat()}"

    @property
    def uncovered_years(self) -> list[int]:
        """Years of the plan without holiday data (only weekends excluded): a warning when it is made."""
        return self.calendar.uncovered_years(self.start, self.end)

    def calendar_warning(self) -> str | None:
        """The Chinese warning for a plan reaching years the holiday data does not cover."""
        years = self.uncovered_years
        if not years:
            return None
        known = self.calendar.package_years
        where = f"内置的节假日数据只到 {known[1]} 年" if known else "没有节假日数据"
        named = "、".join(f"{y} 年" for y in years)
        return (f"计划跨到 {named}，{where}：{named}只排除了周末，春节等法定节假日仍按工作日排期。"
                "请在 qudao.toml 中逐日补充放假日和调休上班日（按国务院办公厅公布的安排），例如：\n"
                f"[calendar]\nholidays = [\"{years[0]}-01-01\"]   # 放假的日期\n"
                "workdays = []               # 调休上班的周末\n"
                "然后重新生成计划（当前文件夹的 qudao.toml 会自动读取，也可用 --config 指定；"
                "qudao config show 查看生效的配置）。")


MAX_WEEKS = 104  # Gantt weeks of one plan (two years: a column each)


def schedule(plan_type: str, start: _dt.date, calendar: WorkCalendar, weeks: int | None = None) -> Plan:
    if plan_type not in TASKS:
        raise UsageError(f"计划类型只能是 {'、'.join(TASKS)}（当前为 {plan_type}）")
    if weeks is not None and not 1 <= weeks <= MAX_WEEKS:
        raise UsageError(f"--weeks 应在 1–{MAX_WEEKS} 之间")
    tasks: list[PlannedTask] = []
    for phase, item, deliverable, days, after in TASKS[plan_type]:
        if not tasks:
            begin = calendar.next_workday(start)
        else:
            before = tasks[after if after is not None else len(tasks) - 1]
            begin = calendar.next_workday(before.end + _dt.timedelta(days=1))
        end = calendar.finish(begin, days)
        tasks.append(PlannedTask(phase, item, deliverable, begin, end, days))
    last = max(t.end for t in tasks)
    start = tasks[0].start  # 计划周期 starts on the first working day, not on a requested holiday or weekend
    monday = start - _dt.timedelta(days=start.weekday())
    needed = math.ceil(((last - monday).days + 1) / 7)
    count = max(weeks or needed, 1)
    week_starts = [monday + _dt.timedelta(days=7 * i) for i in range(count)]
    end = week_starts[-1] + _dt.timedelta(days=6) if weeks else last
    return Plan(plan_type, start, end, week_starts, tasks, calendar)
