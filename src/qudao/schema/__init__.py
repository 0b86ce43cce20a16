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
from qudao.normalize import header_key
from qudao.schema.model import BlockSheet, Column, Field, Kind, Table

__all__ = ["BlockSheet", "Column", "Field", "Kind", "Table", "KIND_IDS", "get_kind", "all_kinds", "module_name",
           "resolve_kind", "kind_names"]

# The order is the order of tools.md, then the kinds added since (targets and scores: issue 16; sales, verify: 24).
KIND_IDS: tuple[str, ...] = (
    "register", "summary", "plan", "handoff", "feedback", "negotiation", "screening", "expansion", "agencies",
    "affiliates", "survey", "event", "agreements", "dev-process", "qa", "targets", "scores",
    "sales", "verify",  # issue 24: the sales office's ledger, HQ's checks of the 异常监控 items
)

_cache: dict[str, Kind] = {}


def module_name(kind_id: str) -> str:
    return kind_id.replace("-", "_")


def get_kind(kind_id: str) -> Kind:
    """The kind by its id — or, as people type it, by its title or a short name
    (``意向客户登记表``, ``登记表``); anything else is a UsageError with suggestions."""
    if kind_id not in KIND_IDS:
        return get_kind(resolve_kind(kind_id))
    if kind_id not in _cache:
        kind = import_module(f"qudao.schema.{module_name(kind_id)}").KIND
        assert kind.id == kind_id, (kind.id, kind_id)
        _cache[kind_id] = kind
    return _cache[kind_id]


def all_kinds() -> list[Kind]:
    return [get_kind(k) for k in KIND_IDS]


def _name_key(name: str) -> str:
    return header_key(name).replace("_", "-")


def kind_names() -> dict[str, str]:
    """Every name a kind answers to (id, title, short names; compared like headers) → its id."""
    out: dict[str, str] = {}
    for kind in all_kinds():
        for name in (kind.id, kind.title, *kind.names):
            key = _name_key(name)
            if out.setdefault(key, kind.id) != kind.id:
                raise ValueError(f"{name!r} names both {out[key]} and {kind.id}")  # pragma: no cover - schema bug
    return out


def resolve_kind(name: str) -> str:
    """The id of the kind ``name`` means; a UsageError that suggests the closest kinds otherwise."""
    from difflib import get_close_matches

    names = kind_names()
    key = _name_key(name)
    if key in names:
        return names[key]
    found = [kid for n, kid in names.items() if len(key) >= 2 and (key in n or n in key) and not n.isascii()]
    found += [names[n] for n in get_close_matches(key, list(names), n=3, cutoff=0.6)]
    ids = list(dict.fromkeys(found))[:3]
    if not ids:
        raise UsageError(f"未知的表格类型「{name}」；可用：{'、'.join(KIND_IDS)}（qudao list 查看名称和简称）")
    named = [f"{kid}（{get_kind(kid).title}）" for kid in ids]
    options = named[0] if len(named) == 1 else f"{'、'.join(named[:-1])}或 {named[-1]}"
    raise UsageError(f"未知的表格类型「{name}」；你是不是想用 {options}？")
