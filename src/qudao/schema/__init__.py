"""Kinds and their registry. Importing this package is cheap (no openpyxl/pandas)."""

from __future__ import annotations

from importlib import import_module

from qudao.errors import UsageError
from qudao.schema.model import BlockSheet, Column, Field, Kind, Table

__all__ = ["BlockSheet", "Column", "Field", "Kind", "Table", "KIND_MODULES", "get_kind", "all_kinds"]

# kind id → module holding ``KIND``; the order is the order of tools.md.
KIND_MODULES: dict[str, str] = {
    "register": "qudao.schema.register",
    "summary": "qudao.schema.summary",
    "plan": "qudao.schema.plan",
    "handoff": "qudao.schema.handoff",
    "feedback": "qudao.schema.feedback",
    "negotiation": "qudao.schema.negotiation",
    "screening": "qudao.schema.screening",
    "expansion": "qudao.schema.expansion",
    "agencies": "qudao.schema.agencies",
    "affiliates": "qudao.schema.affiliates",
    "survey": "qudao.schema.survey",
    "event": "qudao.schema.event",
    "agreements": "qudao.schema.agreements",
    "dev-process": "qudao.schema.dev_process",
    "qa": "qudao.schema.qa",
}

_cache: dict[str, Kind] = {}


def get_kind(kind_id: str) -> Kind:
    if kind_id not in KIND_MODULES:
        raise UsageError(f"未知的表格类型「{kind_id}」；可用：{'、'.join(KIND_MODULES)}（qudao list 查看）")
    if kind_id not in _cache:
        _cache[kind_id] = import_module(KIND_MODULES[kind_id]).KIND
    return _cache[kind_id]


def all_kinds() -> list[Kind]:
    return [get_kind(k) for k in KIND_MODULES]
