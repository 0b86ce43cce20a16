"""One sheet's raw cells, and merged ranges applied to them.

A merged range's top-left value applies to the empty cells of the range.
:func:`fill_ranges` visits each covered cell once however many ranges overlap:
time O(R log R + cells covered + rows covered) for R ranges (overlapping
ranges used to cost the sum of their areas: 111 s for 6,000 ranges in a
400 KB file). Overlapping ranges: the earlier range in list order wins; a
range whose top-left is empty but covered by an earlier range takes that
range's value. Ranges are clipped to the grid (ragged rows too).
``merge_filled`` (row → column spans holding a copy of a merged value, the
top-left cell itself excluded) lists, per row, the columns each range owns.
"""

from __future__ import annotations

import heapq
from bisect import bisect_right
from dataclasses import dataclass, field

from qudao.normalize import is_blank

_INF = 1 << 62


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
    """A value in a merged range applies to every empty cell of the range (once per grid).

    Linear in the cells covered, however many ranges overlap (see :func:`fill_ranges`)."""
    if grid.merged_filled:
        return
    grid.merged_filled = True
    for r, spans in fill_ranges(grid.rows, grid.merged).items():
        grid.merge_filled.setdefault(r, []).extend(spans)


class _Tree:
    """Segment tree over compressed column slots. Each node keeps a min-heap of the ids of the
    ranges that cover it canonically; ``sub`` is the least live id in the node's subtree.
    The owner of a column is the least id on its root-to-leaf path."""

    def __init__(self, n_leaves: int, n_ids: int):
        size = 1
        while size < n_leaves:
            size *= 2
        self.size = size
        self.heaps: list[list[int]] = [[] for _ in range(2 * size)]
        self.sub = [_INF] * (2 * size)
        self.dead = [False] * n_ids

    def _top(self, node: int) -> int:
        h = self.heaps[node]
        while h and self.dead[h[0]]:
            heapq.heappop(h)
        return h[0] if h else _INF

    def _recompute(self, node: int) -> None:
        t = self._top(node)
        if node < self.size:
            a, b = self.sub[2 * node], self.sub[2 * node + 1]
            if a < t:
                t = a
            if b < t:
                t = b
        self.sub[node] = t

    def update(self, lo: int, hi: int, k: int, add: bool) -> None:
        """Add id k over leaves [lo, hi), or drop it (after marking it dead)."""
        self._update(1, 0, self.size, lo, hi, k, add)

    def _update(self, node, nlo, nhi, lo, hi, k, add):
        if hi <= nlo or nhi <= lo:
            return
        if lo <= nlo and nhi <= hi:
            if add:
                heapq.heappush(self.heaps[node], k)
            self._recompute(node)
            return
        mid = (nlo + nhi) // 2
        self._update(2 * node, nlo, mid, lo, hi, k, add)
        self._update(2 * node + 1, mid, nhi, lo, hi, k, add)
        self._recompute(node)

    def owner(self, leaf: int) -> int:
        node = leaf + self.size
        best = _INF
        while node:
            t = self._top(node)
            if t < best:
                best = t
            node //= 2
        return best

    def paint(self, n_leaves: int) -> list[tuple[int, int, int]]:
        """(first leaf, last leaf + 1, owner) runs of the current covering, adjacent equal owners joined."""
        out: list[tuple[int, int, int]] = []
        size = self.size
        heaps, sub, dead = self.heaps, self.sub, self.dead

        def walk(node, nlo, nhi, carried):
            if nlo >= n_leaves:
                return
            h = heaps[node]
            t = h[0] if h else _INF  # tops are live: every removal cleans the heaps it touched
            if t < carried:
                carried = t
            if node >= size or (carried <= sub[2 * node] and carried <= sub[2 * node + 1]):
                if carried < _INF:
                    hi = min(nhi, n_leaves)
                    if out and out[-1][2] == carried and out[-1][1] == nlo:
                        out[-1] = (out[-1][0], hi, carried)
                    else:
                        out.append((nlo, hi, carried))
                return
            mid = (nlo + nhi) // 2
            walk(2 * node, nlo, mid, carried)
            walk(2 * node + 1, mid, nhi, carried)

        del dead
        walk(1, 0, size, _INF)
        return out


def fill_ranges(rows: list[list], merged) -> dict[int, list[tuple[int, int]]]:
    """Fill ``rows`` in place from ``merged`` ranges (r1, c1, r2, c2; 0-based, inclusive).

    Returns merge_filled: row → [(c1, c2), ...] spans that hold a copy of a merged value."""
    if not rows or not merged:
        return {}
    if not _overlapping(rows, merged):
        return _fill_disjoint(rows, merged)
    return _fill_sweep(rows, merged)


def _overlapping(rows: list[list], merged) -> bool:
    """Whether two ranges share a cell of the grid. Stops at the first shared cell, so the cost is
    at most the cells covered once plus the rows of the ranges (C-speed bytearray work per row)."""
    n = len(rows)
    width = max(map(len, rows))
    if not width:
        return False
    claimed = bytearray(n * width)
    one = b"\x01"
    for r1, c1, r2, c2 in merged:
        if r1 < 0 or c1 < 0 or r1 >= n or r2 < r1 or c2 < c1 or c1 >= width:
            continue
        c2 = min(c2, width - 1)
        for r in range(r1, min(r2, n - 1) + 1):
            s, e = r * width + c1, r * width + c2 + 1
            if claimed.find(one, s, e) >= 0:
                return True
            claimed[s:e] = one * (e - s)
    return False


def _fill_disjoint(rows: list[list], merged) -> dict[int, list[tuple[int, int]]]:
    """No two ranges overlap: the current code's loop, which then touches each covered cell once."""
    spans: dict[int, list[tuple[int, int]]] = {}
    n = len(rows)
    for r1, c1, r2, c2 in merged:
        if r1 >= n or r1 < 0:
            continue
        top = rows[r1]
        value = top[c1] if c1 < len(top) else ""
        if is_blank(value):
            continue
        for r in range(r1, min(r2, n - 1) + 1):
            row = rows[r]
            for c in range(c1, min(c2, len(row) - 1) + 1):
                if is_blank(row[c]):
                    row[c] = value
            span = (c1 + 1 if r == r1 else c1, c2)
            if span[0] <= span[1]:
                spans.setdefault(r, []).append(span)
    return spans


def _fill_sweep(rows: list[list], merged) -> dict[int, list[tuple[int, int]]]:
    """Overlapping ranges: sweep the rows; between two range boundaries every row is painted the
    same way, computed once from a segment tree (least range id per column)."""
    n = len(rows)
    spans: dict[int, list[tuple[int, int]]] = {}
    if not n or not merged:
        return spans
    width = max(map(len, rows))
    if not width:
        return spans
    # ranges that can fill anything: the top-left inside the grid, non-empty after clipping
    R1, C1, R2, C2, C2RAW = [], [], [], [], []
    for r1, c1, r2, c2 in merged:
        if r1 < 0 or c1 < 0 or r1 >= n or r2 < r1 or c2 < c1 or c1 >= len(rows[r1]):
            continue
        R1.append(r1)
        C1.append(c1)
        R2.append(min(r2, n - 1))
        C2.append(min(c2, width - 1))
        C2RAW.append(c2)
    m = len(R1)
    if not m:
        return spans
    xs = sorted(set(C1) | {c + 1 for c in C2})
    n_leaves = len(xs) - 1
    leaf_lo = [bisect_right(xs, c) - 1 for c in C1]
    leaf_hi = [bisect_right(xs, c + 1) - 1 for c in C2]
    tree = _Tree(max(n_leaves, 1), m)
    starts: dict[int, list[int]] = {}
    for i in range(m):
        starts.setdefault(R1[i], []).append(i)  # in list order: i follows the order of merged
    ends: dict[int, list[int]] = {}
    value: list = [None] * m
    valued = [False] * m
    boundaries = sorted(set(R1) | {r + 1 for r in R2})
    for bi, a in enumerate(boundaries):
        if a >= n:
            break
        b = boundaries[bi + 1] if bi + 1 < len(boundaries) else n
        b = min(b, n)
        for i in ends.pop(a, ()):  # ranges whose last row was a - 1
            tree.dead[i] = True
            tree.update(leaf_lo[i], leaf_hi[i], i, False)
        for i in starts.get(a, ()):
            v = rows[a][C1[i]]
            if is_blank(v):  # an empty top-left takes the value of an earlier range covering it
                j = tree.owner(leaf_lo[i])
                if j < i:
                    v = value[j]
                else:
                    continue
            value[i] = v
            valued[i] = True
            tree.update(leaf_lo[i], leaf_hi[i], i, True)
            ends.setdefault(R2[i] + 1, []).append(i)
        if b <= a:
            continue
        runs = tree.paint(n_leaves)
        if not runs:
            continue
        # columns per run, and the span each run records (the top-left excluded on the range's first row)
        cols = [(xs[lo], xs[hi] - 1, k) for lo, hi, k in runs]
        ordered = sorted(cols, key=lambda x: x[2]) if len(cols) > 1 else cols
        for r in range(a, b):
            row = rows[r]
            last = len(row) - 1
            for lo, hi, k in cols:
                v = value[k]
                top = hi if hi < last else last
                for c in range(lo, top + 1):
                    if is_blank(row[c]):
                        row[c] = v
            out = spans.get(r)
            for lo, hi, k in ordered:
                start = lo + 1 if (r == R1[k] and lo == C1[k]) else lo
                end = C2RAW[k] if hi == C2[k] else hi
                if start <= end:
                    if out is None:
                        out = spans[r] = []
                    out.append((start, end))
    return spans
