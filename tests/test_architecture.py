"""The import rules of docs/architecture.md: no package imports a layer above its own."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

SRC = ROOT / "src" / "qudao"

# Lower number = lower layer. A module may import its own layer and any layer below.
LAYERS = {
    "errors": 0, "cells": 0, "labels": 0, "normalize": 0, "findings": 0, "config": 0, "weeks": 0, "workdays": 0,
    "planning": 0, "periods": 0, "records": 0, "schema": 0, "money": 0, "channels": 0, "safe": 0, "text": 0, "filenames": 0,
    "read": 1, "write": 2,
    "check": 3,
    "analysis": 4,
    "report": 5,
    "jobs": 6,
    "commands": 7, "cli": 7, "zh": 7, "docgen": 7, "__main__": 7, "__init__": 7, "api": 7,
}


def _unit(module: str) -> str:
    """qudao.read.table → read; qudao.normalize → normalize."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("qudao"):
            names = [node.module] if node.module != "qudao" else [
                f"qudao.{a.name}" for a in node.names if a.name != "__version__"]
            out += [(node.lineno, n) for n in names]
        elif isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names if a.name.startswith("qudao")]
    return out


def test_every_module_has_a_layer():
    units = {p.relative_to(SRC).parts[0].removesuffix(".py") for p in SRC.rglob("*.py")}
    assert units <= set(LAYERS), sorted(units - set(LAYERS))


def test_no_module_imports_a_layer_above_its_own():
    wrong = []
    for path in sorted(SRC.rglob("*.py")):
        unit = path.relative_to(SRC).parts[0].removesuffix(".py")
        for line, module in _imports(path):
            target = _unit(module)
            if LAYERS[target] > LAYERS[unit]:
                wrong.append(f"{path.relative_to(ROOT)}:{line} ({unit}) imports {module} ({target})")
    assert not wrong, "\n".join(wrong)


def test_the_bottom_layer_has_no_cycles_between_modules():
    bottom = [u for u, layer in LAYERS.items() if layer == 0]
    graph: dict[str, set[str]] = {u: set() for u in bottom}
    for u in bottom:
        paths = [SRC / f"{u}.py"] if (SRC / f"{u}.py").exists() else sorted((SRC / u).rglob("*.py"))
        for path in paths:
            for _line, module in _imports(path):
                target = _unit(module)
                if target in graph and target != u:
                    graph[u].add(target)
    seen: dict[str, int] = {}

    def visit(node: str, stack: list[str]) -> None:
        seen[node] = 1
        for nxt in graph[node]:
            assert seen.get(nxt) != 1, " → ".join(stack + [node, nxt])
            if nxt not in seen:
                visit(nxt, stack + [node])
        seen[node] = 2

    for node in graph:
        if node not in seen:
            visit(node, [])
