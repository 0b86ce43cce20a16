"""A1 cell references: column letters and indexes (pure functions)."""

from __future__ import annotations


def col_index(letters: str) -> int:
    """``'A'`` → 0, ``'AA'`` → 26."""
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n - 1


def col_letter(index: int) -> str:
    """0 → ``'A'``."""
    index += 1
    out = ""
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def cell_ref(row0: int, col0: int) -> str:
    return f"{col_letter(col0)}{row0 + 1}"
