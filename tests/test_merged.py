"""The linear merged-range fill (read/grid.fill_ranges) against the former O(sum of areas) fill, kept
below as the reference; overlapping ranges cost each covered cell once."""

from __future__ import annotations

import copy
import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qudao.normalize import is_blank
from qudao.read.grid import Grid, _fill_sweep
from qudao.read.grid import fill_merged as fill_merged_grid
from qudao.read.grid import fill_ranges as fill_merged


def reference(rows, merged):
    """The former read.grid.fill_merged, on rows/merged instead of a Grid."""
    merge_filled = {}
    for r1, c1, r2, c2 in merged:
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
                merge_filled.setdefault(r, []).append(span)
    return merge_filled


def grid_strategy(max_rows=12, max_cols=8):
    cell = st.sampled_from(["", "", "", "a", "b", " ", None, 1.0, float("nan"), 0, "x"])
    return st.integers(1, max_rows).flatmap(
        lambda n: st.integers(1, max_cols).flatmap(
            lambda w: st.lists(st.lists(cell, min_size=w, max_size=w), min_size=n, max_size=n)))


def ranges_strategy(max_rows=14, max_cols=10, max_n=8):
    rng = st.tuples(st.integers(0, max_rows), st.integers(0, max_cols), st.integers(0, max_rows), st.integers(0, max_cols))
    return st.lists(rng.map(lambda t: (min(t[0], t[2]), min(t[1], t[3]), max(t[0], t[2]), max(t[1], t[3]))), max_size=max_n)


def overlaps(a, b):
    return not (a[2] < b[0] or b[2] < a[0] or a[3] < b[1] or b[3] < a[1])


def non_overlapping(ranges):
    out = []
    for r in ranges:
        if all(not overlaps(r, o) for o in out):
            out.append(r)
    return out


def same(a, b):
    if len(a) != len(b):
        return False
    for ra, rb in zip(a, b):
        if len(ra) != len(rb):
            return False
        for x, y in zip(ra, rb):
            if not (x == y or (isinstance(x, float) and isinstance(y, float) and math.isnan(x) and math.isnan(y))):
                return False
    return True


@pytest.mark.slow
@settings(max_examples=150, deadline=None)
@given(grid_strategy(), ranges_strategy())
def test_non_overlapping_identical(rows, ranges):
    ranges = non_overlapping(ranges)
    a, b = copy.deepcopy(rows), copy.deepcopy(rows)
    spans_ref = reference(a, ranges)
    spans = fill_merged(b, ranges)
    assert same(a, b)
    assert spans == spans_ref


@pytest.mark.slow
@settings(max_examples=150, deadline=None)
@given(grid_strategy(), ranges_strategy(max_n=12))
def test_overlapping_values_identical(rows, ranges):
    a, b = copy.deepcopy(rows), copy.deepcopy(rows)
    spans_ref = reference(a, ranges)
    spans = fill_merged(b, ranges)
    assert same(a, b)
    # every cell listed is in some listed span of the reference, and no column twice in a row
    for r, lst in spans.items():
        cols = [c for s, e in lst for c in range(s, e + 1)]
        assert len(cols) == len(set(cols))
        ref_cols = {c for s, e in spans_ref.get(r, []) for c in range(s, e + 1)}
        assert set(cols) <= ref_cols


@pytest.mark.slow
@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.sampled_from(["", "a", "b"]), min_size=0, max_size=6), min_size=1, max_size=8),
       ranges_strategy(max_rows=9, max_cols=7))
def test_ragged_rows(rows, ranges):
    ranges = non_overlapping(ranges)
    a, b = copy.deepcopy(rows), copy.deepcopy(rows)
    assert fill_merged(b, ranges) == reference(a, ranges)
    assert a == b


def test_grid_wrapper():
    g = Grid("S", [["x", ""], ["", ""]], merged=[(0, 0, 1, 1)])
    fill_merged_grid(g)
    fill_merged_grid(g)
    assert g.rows == [["x", "x"], ["x", "x"]]
    assert g.merge_filled == {0: [(1, 1)], 1: [(0, 1)]}


class CountingRow(list):
    """A row that counts how often a cell is read or written."""

    reads = 0

    def __getitem__(self, i):
        CountingRow.reads += 1
        return super().__getitem__(i)

    def __setitem__(self, i, v):
        CountingRow.reads += 1
        super().__setitem__(i, v)


def test_6000_overlapping_ranges_touch_each_cell_a_bounded_number_of_times():
    """The hostile shape: 6,000 ranges over the same 4,000 × 4 area (the former fill: ~50 million cell visits,
    ~100 s). The linear fill reads and writes each of the 16,000 cells a few times."""
    rows = [CountingRow([f"v{r}", "", "", ""]) for r in range(4000)]
    ranges = [(i % 2000, 0, 2000 + i % 2000, 3) for i in range(6000)]
    CountingRow.reads = 0
    spans = fill_merged(rows, ranges)
    assert CountingRow.reads <= 3 * 16_000 + 2 * 6_000, CountingRow.reads
    assert rows[3999] == ["v3999", "v1999", "v1999", "v1999"]
    small_rows = [[f"v{r}", "", "", ""] for r in range(400)]
    small = [(i % 200, 0, 200 + i % 200, 3) for i in range(600)]
    a, b = copy.deepcopy(small_rows), copy.deepcopy(small_rows)
    reference(a, small)
    fill_merged(b, small)
    assert a == b
    assert sum(len(v) for v in spans.values()) <= 4000 * 2


def test_chained_top_left():
    rows = [["a", "", ""], ["", "", ""], ["", "", "b"]]
    ranges = [(0, 0, 1, 1), (1, 1, 2, 2)]  # the second's top-left (1,1) is inside the first
    a, b = copy.deepcopy(rows), copy.deepcopy(rows)
    reference(a, ranges)
    fill_merged(b, ranges)
    assert a == b == [["a", "a", ""], ["a", "a", "a"], ["", "a", "b"]]


def test_random_large_against_reference():
    rnd = random.Random(7)
    for _ in range(30):
        n, w = rnd.randint(1, 60), rnd.randint(1, 20)
        rows = [[rnd.choice(["", "", "v", 3]) for _ in range(w)] for _ in range(n)]
        ranges = []
        for _ in range(rnd.randint(0, 40)):
            r1, c1 = rnd.randrange(n + 3), rnd.randrange(w + 3)
            ranges.append((r1, c1, r1 + rnd.randrange(10), c1 + rnd.randrange(6)))
        a, b = copy.deepcopy(rows), copy.deepcopy(rows)
        reference(a, ranges)
        fill_merged(b, ranges)
        assert a == b


@pytest.mark.slow
@settings(max_examples=100, deadline=None)
@given(grid_strategy(), ranges_strategy())
def test_sweep_path_identical_on_non_overlapping(rows, ranges):
    """The overlap-safe path alone gives the former code's exact results on disjoint ranges too."""
    ranges = non_overlapping(ranges)
    a, b = copy.deepcopy(rows), copy.deepcopy(rows)
    spans_ref = reference(a, ranges)
    spans = _fill_sweep(b, ranges)
    assert same(a, b)
    assert spans == spans_ref
