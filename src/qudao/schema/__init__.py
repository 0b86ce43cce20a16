"""Kinds and their registry. Importing this package is cheap (no openpyxl/pandas).

A kind is registered once, here, by its id in :data:`KIND_IDS`; its schema
lives in ``qudao.schema.<module>`` (``dev-process`` → ``dev_process``). Every
other layer finds its part of a kind by the same module name, when it has
one: the rules in ``qudao.check.<module>``, a writer addition in
``qudao.write.kinds.<module>``, the roll-up section in
``qudao.analysis.kinds.SECTIONS[<id>]``.
"""

from __future__ import annotations

from importlib import import_module

from qudao.errors import UsageError
from qudao.schema.model import BlockSheet, Column, Field, Kind, Table

__all__ = ["BlockSheet", "Column", "Field", "Kind", "Table", "KIND_IDS", "get_kind", "all_kinds", "module_name"]

# The order is the order of tools.md, then the kinds added since (targets and scores: issue 16).
KIND_IDS: tuple[str, ...] = (
    "register", "summary", "plan", "handoff", "feedback", "negotiation", "screening", "expansion", "agencies",
    "affiliates", "survey", "event", "agreements", "dev-process", "qa", "targets", "scores",
)

_cache: dict[str, Kind] = {}


def module_name(kind_id: str) -> str:
    return kind_id.replace("-", "_")


def get_kind(kind_id: str) -> Kind:
    if kind_id not in KIND_IDS:
        raise UsageError(f"未知的表格类型「{kind_id}」；可用：{'、'.join(KIND_IDS)}（qudao list 查看）")
    if kind_id not in _cache:
        kind = import_module(f"qudao.schema.{module_name(kind_id)}").KIND
        assert kind.id == kind_id, (kind.id, kind_id)
        _cache[kind_id] = kind
    return _cache[kind_id]


def all_kinds() -> list[Kind]:
    return [get_kind(k) for k in KIND_IDS]
