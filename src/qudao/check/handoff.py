"""分所工作对接表: task.overdue (see qudao.check.tasks)."""

from __future__ import annotations

from qudao.check.tasks import task_overdue

ROW_RULES = {"对接事项": (task_overdue,)}
