"""How wide text is when shown: one rule for the terminal and for Excel column widths.

A Chinese character or a full-width sign (East Asian width W or F) takes two columns; a combining mark
(a decomposed 「é」 is ``e`` + U+0301), an enclosing mark and an invisible format character (zero-width
space and joiner, the BOM) take none, as terminals draw them; everything else one. So 「é」 measures 1
whether it came precomposed or decomposed (docs/decisions.md → Types). Pure and cheap: the bottom layer,
for ``zh`` (help), ``commands`` (terminal tables), ``report``/``write`` (column widths, wrapped rows).
"""

from __future__ import annotations

import unicodedata

__all__ = ["char_width", "display_width"]

_ZERO = frozenset(("Mn", "Me", "Cf"))


def char_width(ch: str) -> int:
    """Columns one character takes: 0, 1 or 2."""
    if ch < "\u0300":  # ASCII and Latin-1: one column each
        return 1
    if unicodedata.category(ch) in _ZERO:
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def display_width(text: object) -> int:
    """Columns ``text`` takes (a terminal's columns; an Excel column-width unit per column)."""
    text = text if isinstance(text, str) else str(text)
    if text.isascii():
        return len(text)
    return sum(char_width(ch) for ch in text)
