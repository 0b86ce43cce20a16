"""Roll-ups of the kinds other than the register (filled in per kind)."""

from __future__ import annotations

import datetime as _dt
from typing import Any

from qudao.check.findings import FileReport
from qudao.config import Settings


def register_overrides(reports: list[FileReport], settings: Settings) -> tuple[dict[str, int], dict[str, float]]:
    """Per-channel protection days and commission rates from agreements workbooks."""
    return {}, {}


def kind_rollups(reports: list[FileReport], settings: Settings, as_of: _dt.date) -> dict[str, Any]:
    return {}
