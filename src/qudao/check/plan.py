"""本地工作计划铺排表: task.overdue (see qudao.check.tasks)."""

from __future__ import annotations

from qudao.check.tasks import task_overdue

ROW_RULES = {"工作计划": (task_overdue,)}
