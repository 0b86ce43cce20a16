"""One sheet's raw cells, and merged ranges applied to them."""

from __future__ import annotations

from dataclasses import dataclass, field

from qudao.normalize import is_blank


@dataclass
class Grid:
    """One sheet's cells. ``rows[0]`` is sheet row 1, ``rows[r][0]`` column A."""

    name: str
    rows: list[list]
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # r1, c1, r2, c2 (0-based, inclusive)
    hidden_rows: frozenset[int] = frozenset()  # 0-based
    no_cache: frozenset[tuple[int, int]] = frozenset()  # formula cells without a cached value
    state: str = "visible"
    merged_filled: bool = False  # fill_merged() has run
    merge_filled: dict[int, list[tuple[int, int]]] = field(default_factory=dict)  # row → column spans that got
    #                                                                               a merged range's value


def fill_merged(grid: Grid) -> None:
    """A value in a merged range applies to every cell of the range (once per grid)."""
    if grid.merged_filled:
        return
    grid.merged_filled = True
    rows = grid.rows
    for r1, c1, r2, c2 in grid.merged:
        if r1 >= len(rows):
            continue
        top = rows[r1]
        value = top[c1] if c1 < len(top) else ""
        if is_blank(value):
            continue
        for r in range(r1, min(r2, len(rows) - 1) + 1):
            row = rows[r]
            for c in range(c1, min(c2, len(row) - 1) + 1):
                if is_blank(row[c]):
                    row[c] = value
            span = (c1 + 1 if r == r1 else c1, c2)
            if span[0] <= span[1]:
                grid.merge_filled.setdefault(r, []).append(span)
